"""Fixtures that build a real index once per test session.

The index lives in a temporary data folder (never knowledge/index), built by the
same ingest code the app uses, with the real embedding model and a real chroma
store on disk.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
os.environ.setdefault("HF_HUB_OFFLINE", "1")


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def notice_page(item: str, title: str = "关于建立焊接作业安全巡查制度的通知", number: str = "测试厅发〔2026〕7号") -> str:
    """A second, small notice page in the scraped site's layout, whose one item is `item`."""
    return (f"人社部\n全文有效\n2026-02-01\n{title}\n{number}  发布时间:2026-02-01\n\n各有关单位:\n\n"
            f"为加强安全管理,现就有关事项通知如下。\n\n一、建立巡查制度\n\n{item}\n\n测试办公厅\n\n202621\n\n扫一扫,打开该文章\n")


@pytest.fixture(scope="session")
def index_dir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("index")


@pytest.fixture(scope="session")
def settings(index_dir, tmp_path_factory):
    from assistant.config import Settings
    var = tmp_path_factory.mktemp("var")
    return Settings.from_env(data_dir=index_dir, chroma_host="", audit_db=var / "audit.sqlite3",
                             log_path=var / "assistant.log")


@pytest.fixture(scope="session")
def embeddings(settings):
    from assistant.embeddings import SentenceEmbeddings, load_model
    return SentenceEmbeddings(load_model(settings.embedding_model), settings.embedding_model)


@pytest.fixture(scope="session")
def assistant(settings, embeddings):
    from assistant import Assistant
    return Assistant(settings, embeddings)


@pytest.fixture(scope="session")
def notice(settings):
    """The parsed certificate notice (page metadata, cleaned text, nodes, tables)."""
    from ingest.build import parse_sources
    return next(d for d in parse_sources(settings) if d["tables"])


@pytest.fixture()
def sources_copy(tmp_path):
    """A private sources folder holding the real page, for tests that edit sources."""
    src = tmp_path / "sources"
    shutil.copytree(ROOT / "knowledge" / "sources", src)
    return src


# ----------------------------------------------------------------------------- PostgreSQL

@pytest.fixture(scope="session")
def postgres():
    """One real PostgreSQL server for the session (tests/pgserver.py); skipped where it is not installed,
    except on CI (CI=true), where ./run test must have installed it."""
    from pgserver import PgServer, bindir
    if bindir() is None:
        if os.environ.get("CI"):
            pytest.fail("PostgreSQL is not installed; ./run test installs Debian's postgresql")
        pytest.skip("PostgreSQL is not installed (./run test installs it)")
    server = PgServer().start()
    yield server
    server.close()


@pytest.fixture()
def pg_url(postgres) -> str:
    """A fresh, empty database on the session's server, as a SQLAlchemy URL."""
    return postgres.new_database()


@pytest.fixture(scope="session")
def browser():
    """One Chromium for the whole session (tests/test_browser.py, tests/test_scaleout.py): Playwright's sync API
    keeps its event loop running while it is open, so a second sync_playwright() would fail."""
    from test_browser import CHROMIUM, CHROMIUM_ARGS
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip(f"no chromium at {CHROMIUM} (./run test installs Debian's chromium)")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()
