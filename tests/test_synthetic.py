"""Synthetic notice pages (bench/synthetic.py) parse the way they were written."""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import synthetic  # noqa: E402
from ingest.build import parse_sources  # noqa: E402

REAL = ROOT / "knowledge" / "sources" / "000_5f5264133ce7bb69.txt"


@pytest.fixture(scope="module")
def pages(tmp_path_factory):
    folder = tmp_path_factory.mktemp("synthetic")
    return folder, synthetic.generate(folder, n=20, seed=3)


def test_generation_is_deterministic_and_extends(tmp_path, pages):
    folder, expected = pages
    again = synthetic.generate(tmp_path / "again", n=20, seed=3)
    assert [e.__dict__ for e in again] == [e.__dict__ for e in expected]
    for e in expected:
        assert (tmp_path / "again" / e.file).read_bytes() == (folder / e.file).read_bytes()
    more = synthetic.generate(tmp_path / "more", n=25, seed=3, start=20)
    assert len(more) == 5 and not {m.file for m in more} & {e.file for e in expected}


def test_structure_varies(pages):
    _, expected = pages
    assert {len(e.sections) for e in expected} >= {2, 3}
    assert all(2 <= len(e.sections) <= 5 for e in expected)
    assert len({tuple(e.sections) for e in expected}) > 10
    assert len({e.title for e in expected}) == len(expected)
    assert len({tuple(e.issuers) for e in expected}) > 10
    assert any(e.annex_refs for e in expected)


def test_ingest_parses_every_page_as_written(pages, tmp_path):
    folder, expected = pages
    docs = parse_sources(synthetic.settings_for(folder, tmp_path / "data"))
    assert len(docs) == len(expected)
    assert synthetic.check_docs(docs, expected) == []
    by_source = {d["source"]: d for d in docs}
    for e in expected:
        d = by_source[e.file]
        sections = [n for n in d["nodes"] if n["kind"] == "section"]
        assert len(sections) == len(e.sections)
        for sec, n_items in zip(sections, e.sections):
            assert sum(1 for n in d["nodes"] if n.get("parent") == sec["id"] and n["kind"] == "item") == n_items
        for n in d["nodes"]:
            assert d["cleaned"][n["start"]:n["end"]] == n["text"]
        assert "附件下载" not in d["cleaned"] and "版权所有" not in d["cleaned"]
    numbers = [d["metadata"]["doc_number"] for d in docs]
    assert len(set(numbers)) == len(numbers)


def test_real_notice_alongside_synthetic(tmp_path):
    sources = tmp_path / "sources"
    expected = synthetic.generate(sources, n=4, seed=11)
    shutil.copy(REAL, sources / REAL.name)
    docs = parse_sources(synthetic.settings_for(sources, tmp_path / "data"))
    numbers = {d["source"]: d["metadata"]["doc_number"] for d in docs}
    assert len(docs) == 5
    assert numbers[REAL.name] == "人社厅发〔2026〕1号"
    assert len(set(numbers.values())) == 5
    assert synthetic.check_docs(docs, expected) == []
    real = next(d for d in docs if d["source"] == REAL.name)
    assert real["tables"] is not None        # the annex rows still attach to the real notice only
    assert all(d["tables"] is None for d in docs if d["source"] != REAL.name)


def test_never_writes_under_knowledge():
    with pytest.raises(ValueError):
        synthetic.generate(ROOT / "knowledge" / "synthetic-test", n=1)
    assert not (ROOT / "knowledge" / "synthetic-test").exists()


def test_rarer_real_world_layouts_parse_correctly(tmp_path):
    # (此件主动公开) under the date, 附件:… before the signature, a wrapped title, (盖章) on an
    # issuer line, zero-padded date digits, no addressee, an item heading on its own line.
    problems = synthetic.probe_variations(tmp_path)
    assert len(problems) >= 7
    assert {variant: p for variant, p in problems.items() if p} == {}
