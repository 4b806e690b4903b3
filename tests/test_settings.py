"""Settings are checked at start: a setting that cannot work stops with an error naming the variable."""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.config import Settings, SettingsError

ROOT = Path(__file__).resolve().parent.parent
PATH_VARS = ["ASSISTANT_DATA_DIR", "ASSISTANT_SOURCES_DIR", "ASSISTANT_AUDIT_DB", "ASSISTANT_LOG"]


@pytest.fixture
def env(monkeypatch, tmp_path):
    """A clean environment: no ASSISTANT_* or CHROMA_* but private data, log and audit paths."""
    for k in list(os.environ):
        if k.startswith(("ASSISTANT_", "CHROMA_")):
            monkeypatch.delenv(k)
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "idx"))
    monkeypatch.setenv("ASSISTANT_LOG", str(tmp_path / "var" / "assistant.log"))
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(tmp_path / "var" / "audit.sqlite3"))
    return monkeypatch


def test_the_defaults_are_valid(env):
    s = Settings.from_env()
    assert s.sources_dir == ROOT / "knowledge" / "sources" and s.chroma_port == 8000


@pytest.mark.parametrize("var", PATH_VARS + ["ASSISTANT_EMBEDDING_MODEL", "ASSISTANT_COLLECTION"])
def test_an_empty_variable_is_an_error_naming_it(env, var):
    # ASSISTANT_DATA_DIR="" used to build the index in the repository root (Path("") is ".")
    env.setenv(var, "")
    with pytest.raises(SettingsError, match=var):
        Settings.from_env()
    env.setenv(var, "   ")
    with pytest.raises(SettingsError, match=var):
        Settings.from_env()


def test_sources_dir_must_be_a_folder(env, tmp_path):
    # ASSISTANT_SOURCES_DIR="" used to parse requirements.txt; a file is no better
    env.setenv("ASSISTANT_SOURCES_DIR", str(ROOT / "requirements.txt"))
    with pytest.raises(SettingsError, match=r"ASSISTANT_SOURCES_DIR=.*requirements\.txt: is a file"):
        Settings.from_env()
    env.setenv("ASSISTANT_SOURCES_DIR", str(tmp_path / "nowhere"))
    with pytest.raises(SettingsError, match=r"ASSISTANT_SOURCES_DIR=.*nowhere: no such folder"):
        Settings.from_env()


def test_an_unusable_data_dir_is_named(env, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    env.setenv("ASSISTANT_DATA_DIR", str(blocker / "idx"))
    with pytest.raises(SettingsError) as err:
        Settings.from_env()
    msg = str(err.value)
    assert msg.startswith(f"ASSISTANT_DATA_DIR={blocker / 'idx'}:") and f"{blocker} is a file" in msg
    env.setenv("ASSISTANT_DATA_DIR", str(blocker))
    with pytest.raises(SettingsError, match="ASSISTANT_DATA_DIR=.*is a file, not a folder"):
        Settings.from_env()
    env.setenv("ASSISTANT_DATA_DIR", str(ROOT))
    with pytest.raises(SettingsError, match="ASSISTANT_DATA_DIR=.*repository root"):
        Settings.from_env()
    env.setenv("ASSISTANT_DATA_DIR", str(ROOT / "knowledge" / "sources"))
    with pytest.raises(SettingsError, match="ASSISTANT_DATA_DIR=.*sources folder"):
        Settings.from_env()


def test_log_and_audit_paths_must_be_files_in_writable_places(env, tmp_path):
    env.setenv("ASSISTANT_LOG", str(tmp_path))
    with pytest.raises(SettingsError, match="ASSISTANT_LOG=.*is a folder"):
        Settings.from_env()
    env.setenv("ASSISTANT_LOG", str(tmp_path / "ok.log"))
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    env.setenv("ASSISTANT_AUDIT_DB", str(blocker / "audit.sqlite3"))
    with pytest.raises(SettingsError, match="ASSISTANT_AUDIT_DB=.*a-file is a file"):
        Settings.from_env()


@pytest.mark.parametrize("port", ["abc", "0", "70000", "-1", "80.5"])
def test_chroma_port_must_be_a_port(env, port):
    env.setenv("CHROMA_PORT", port)
    with pytest.raises(SettingsError, match="CHROMA_PORT"):
        Settings.from_env()


def test_an_empty_chroma_port_or_host_means_unset(env):
    env.setenv("CHROMA_PORT", "")
    env.setenv("CHROMA_HOST", "")
    s = Settings.from_env()
    assert (s.chroma_host, s.chroma_port) == ("", 8000)
    env.setenv("CHROMA_PORT", "8123")
    assert Settings.from_env().chroma_port == 8123


def test_collection_name_is_checked(env):
    env.setenv("ASSISTANT_COLLECTION", "my notices")
    with pytest.raises(SettingsError, match="ASSISTANT_COLLECTION"):
        Settings.from_env()


def _run(module_args, **env_vars):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env.update(env_vars)
    return subprocess.run([sys.executable, "-m", *module_args], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120)


def test_the_commands_name_the_bad_variable_without_a_traceback(tmp_path):
    runs = [_run(["ingest"], ASSISTANT_DATA_DIR=""),
            _run(["assistant", "ask", "低压电工证能换建筑电工证吗?"], ASSISTANT_SOURCES_DIR="",
                 ASSISTANT_DATA_DIR=str(tmp_path / "idx")),
            _run(["assistant", "ask", "低压电工证能换建筑电工证吗?"], CHROMA_PORT="eighty",
                 ASSISTANT_DATA_DIR=str(tmp_path / "idx"))]
    for proc, var in zip(runs, ["ASSISTANT_DATA_DIR", "ASSISTANT_SOURCES_DIR", "CHROMA_PORT"]):
        assert proc.returncode == 2, proc.stderr[-1500:]
        assert var in proc.stderr and "Traceback" not in proc.stderr, proc.stderr[-1500:]
        assert proc.stdout == ""
    assert not (ROOT / "manifest.json").exists() and not (ROOT / "builds").exists()
