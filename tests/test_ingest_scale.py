"""Parsing and chunking are linear in the page size (a 1 MB page took minutes, a 5 MB one never finished).

bench/ingest_scale.py measures the stages at 100 KB, 1 MB and 10 MB; these are
the checks that fail if a quadratic step comes back.
"""
from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.synthetic import check_docs, large_page  # noqa: E402
from ingest.chunks import chunk_doc  # noqa: E402
from ingest.page import parse_page  # noqa: E402
from ingest.tree import build_tree  # noqa: E402

MAX_PREFIX = 200     # short title + section heading + item marker and heading


def _doc(text: str, name: str) -> dict:
    page = parse_page(text, source=name)
    return {"doc_id": Path(name).stem, "source": name, "sha256": "", "cleaned": page.cleaned,
            "metadata": page.metadata, "nodes": build_tree(page.cleaned, page.metadata)}


@pytest.mark.parametrize("shape", ["structured", "sections"])
def test_a_chunk_prefix_never_carries_its_section_body(shape):
    # The prefix of every chunk of a section without items used to be the whole section,
    # so chunk text, BM25 tokens and embedding input grew with the square of the section.
    text, exp = large_page(300_000, shape=shape)
    doc = _doc(text, exp.file)
    assert not check_docs([doc], [exp])
    chunks = chunk_doc(doc)
    assert len(chunks) > 500
    for c in chunks:
        prefix = c.page_content[:c.metadata["body_offset"]]
        assert len(prefix) <= MAX_PREFIX, (c.id, len(prefix))
        assert "\n" not in prefix.rstrip("\n")
    plain = [n for n in doc["nodes"] if n["kind"] == "section" and "\n" in n["text"]]
    assert plain                 # sections of paragraphs, no items
    for s in plain:              # their chunks start with the heading line, and only that
        first = next(c for c in chunks if c.metadata["node_id"] == s["id"])
        assert first.page_content.split("\n")[0].endswith(" " + s["text"].split("\n")[0])


def _tree_seconds(text: str, runs: int = 1) -> float:
    page = parse_page(text)
    best = float("inf")
    for _ in range(runs):
        t = time.perf_counter()
        build_tree(page.cleaned, page.metadata)
        best = min(best, time.perf_counter() - t)
    return best


def test_tree_and_chunks_grow_linearly_with_the_page():
    # A flat 第N条 regulation is one preamble that grows paragraph by paragraph: each paragraph
    # used to copy the whole preamble so far (10 MB: 14 s in build_tree alone).
    small, _ = large_page(1_000_000, shape="flat")
    big, exp = large_page(8_000_000, shape="flat")
    t_small = _tree_seconds(small, runs=3)
    t_big = _tree_seconds(big)
    assert t_big < 4.0, f"build_tree on 8 MB took {t_big:.1f} s"
    assert t_big / t_small < 30, f"8x the page took {t_big / t_small:.0f}x the time ({t_small:.2f} s -> {t_big:.2f} s)"
    doc = _doc(big, exp.file)
    t = time.perf_counter()
    chunks = chunk_doc(doc)
    assert time.perf_counter() - t < 4.0 and len(chunks) > 15_000
