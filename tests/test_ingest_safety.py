"""Ingest cannot take the service down: bad sources are skipped with a warning, a failed build leaves the
working index in place, a damaged manifest or tree.json is detected and rebuilt, rebuilds switch atomically."""
from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.build import active_build, build_index, read_manifest

ROOT = Path(__file__).resolve().parent.parent
PAGE = "000_5f5264133ce7bb69.txt"
QUESTION = "低压电工证能换建筑电工证吗?"


def _settings(settings, tmp_path, sources):
    return replace(settings, data_dir=tmp_path / "idx", sources_dir=sources, log_path=tmp_path / "assistant.log")


def _ask(a, question: str) -> dict:
    """One turn's reply as a dict (Conversation.ask returns a dict, or a typed reply with to_dict())."""
    reply = a.conversation().ask(question)
    return reply.to_dict() if hasattr(reply, "to_dict") else reply


def _events(s) -> list[dict]:
    if not s.log_path.exists():
        return []
    return [json.loads(line) for line in s.log_path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _builds(s) -> list[str]:
    return sorted(p.name for p in (s.data_dir / "builds").iterdir())


def _add_bad_sources(sources: Path) -> dict[str, str]:
    """One page of each kind the build must skip; {file name: what its warning must say}."""
    raw = (sources / PAGE).read_text(encoding="utf-8")
    (sources / "zz_binary.txt").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8)
    (sources / "zz_gbk.txt").write_bytes(raw.replace("1号", "7号").encode("gb18030"))
    no_number = re.sub(r"人社厅发〔2026〕1号\s*发布时间", "发布时间", raw, count=1)
    assert no_number != raw
    (sources / "zz_no_number.txt").write_text(no_number, encoding="utf-8")
    (sources / "zz_not_a_notice.txt").write_text("首页\n关于我们\n版权所有\n", encoding="utf-8")
    (sources / "zz_duplicate.txt").write_text(raw, encoding="utf-8")
    (sources / "zz_huge.txt").write_text(raw.replace("1号", "8号") + "\n" + "附" * 30_000, encoding="utf-8")
    return {"zz_binary.txt": "binary", "zz_gbk.txt": "not UTF-8", "zz_no_number.txt": "发文字号",
            "zz_not_a_notice.txt": "发布时间", "zz_duplicate.txt": "人社厅发〔2026〕1号", "zz_huge.txt": "MiB limit"}


def test_bad_sources_are_skipped_with_a_warning_and_the_rest_is_served(tmp_path, settings, embeddings, sources_copy,
                                                                        monkeypatch):
    from assistant import Assistant
    monkeypatch.setattr("ingest.build.MAX_PAGE_BYTES", 64 * 1024)     # zz_huge.txt is ~100 KB
    expected = _add_bad_sources(sources_copy)
    s = _settings(settings, tmp_path, sources_copy)
    report = build_index(s, embeddings=embeddings)
    assert report.status == "built" and report.chunks > 10
    assert len(report.warnings) == len(expected), report.warnings
    for name, says in expected.items():
        assert any(name in w and says in w for w in report.warnings), (name, report.warnings)
    assert {d["source"] for d in read_manifest(s)["docs"]} == {PAGE}
    logged = {e["source"]: e["reason"] for e in _events(s) if e.get("event") == "source_skipped"}
    assert set(logged) == set(expected)

    a = Assistant(s, embeddings)
    assert a.build_report.status == "up-to-date"
    warnings = a.status()["warnings"]
    assert len(warnings) == len(expected) and all(any(n in w for w in warnings) for n in expected)
    assert _ask(a, QUESTION)["verdict"] == "answered"


def test_a_failed_build_keeps_the_working_index(tmp_path, settings, embeddings, sources_copy):
    """The build that used to delete the index first and fail afterwards."""
    from assistant import Assistant
    s = _settings(settings, tmp_path, sources_copy)
    build_index(s, embeddings=embeddings)
    manifest_bytes = s.manifest_path.read_bytes()
    [build] = _builds(s)

    class Exploding:
        id = embeddings.id

        def embed_documents(self, texts):
            raise RuntimeError("embedding died half way")

        def embed_query(self, text):
            return embeddings.embed_query(text)

    with pytest.raises(RuntimeError, match="half way"):
        build_index(s, rebuild=True, embeddings=Exploding())
    assert s.manifest_path.read_bytes() == manifest_bytes
    assert _builds(s) == [build]                      # the failed build removed its own folder, nothing else

    # A source edit that breaks what the annex rows are derived from fails the whole build...
    page = sources_copy / PAGE
    page.write_text(page.read_text(encoding="utf-8").replace("参见附件中序号13", "参见附件中序号99"), encoding="utf-8")
    from ingest.annex import AnnexError
    with pytest.raises(AnnexError):
        build_index(s, embeddings=embeddings)
    assert s.manifest_path.read_bytes() == manifest_bytes and _builds(s) == [build]
    # ...and the app keeps serving the index it had, saying why in status() and in the log.
    a = Assistant(s, embeddings)
    st = a.status()
    assert st["state"] == "kept" and st["build"] == build
    assert "could not be rebuilt" in st["warnings"][0] and "AnnexError" in st["warnings"][0]
    assert any(e.get("event") == "index_build_failed_serving_previous" for e in _events(s))
    r = _ask(a, QUESTION)
    assert r["verdict"] == "answered" and all(a.citer.verify(c["doc"], c["article"], c["quote"]) for c in r["citations"])


DAMAGE = {
    "tree_garbage": lambda s, b: (b / "tree.json").write_bytes(b"\x00\xff not json"),
    "tree_truncated": lambda s, b: (b / "tree.json").write_bytes((b / "tree.json").read_bytes()[:500]),
    "tree_edited": lambda s, b: (b / "tree.json").write_text(
        (b / "tree.json").read_text(encoding="utf-8").replace("低压电工", "高压电工"), encoding="utf-8"),
    "tree_missing": lambda s, b: (b / "tree.json").unlink(),
    "manifest_garbage": lambda s, b: s.manifest_path.write_bytes(b"{\"format_version\": 7, \xff"),
    "manifest_not_an_object": lambda s, b: s.manifest_path.write_text("[1, 2, 3]", encoding="utf-8"),
    "manifest_missing_keys": lambda s, b: _edit_manifest(s, lambda m: m.pop("tree_sha256")),
    "manifest_wrong_types": lambda s, b: _edit_manifest(s, lambda m: m.update(chunks="many", sources=[])),
    "manifest_unknown_build": lambda s, b: _edit_manifest(s, lambda m: m.update(build="../../etc")),
    "manifest_chunk_count": lambda s, b: _edit_manifest(s, lambda m: m.update(chunks=m["chunks"] + 1)),
}


def _edit_manifest(s, change):
    m = json.loads(s.manifest_path.read_text(encoding="utf-8"))
    change(m)
    s.manifest_path.write_text(json.dumps(m), encoding="utf-8")


@pytest.mark.parametrize("damage", sorted(DAMAGE))
def test_a_damaged_manifest_or_tree_is_detected_and_rebuilt(tmp_path, settings, embeddings, sources_copy, damage):
    from assistant import Assistant
    s = _settings(settings, tmp_path, sources_copy)
    build_index(s, embeddings=embeddings)
    DAMAGE[damage](s, active_build(s) or (s.data_dir / "builds" / _builds(s)[0]))
    report = build_index(s, embeddings=embeddings)          # `python -m ingest` said "up-to-date" here
    assert report.status == "built" and report.repaired, (report.status, report.repaired)
    assert build_index(s, embeddings=embeddings).status == "up-to-date"

    DAMAGE[damage](s, active_build(s) or (s.data_dir / "builds" / _builds(s)[0]))
    a = Assistant(s, embeddings)                             # the app used to stop on these
    assert a.build_report.status == "built"
    assert any(e.get("event") == "index_rebuilt_after_error" for e in _events(s))
    assert _ask(a, QUESTION)["verdict"] == "answered"


def test_rebuild_after_the_index_folder_was_removed_while_serving(tmp_path, settings, embeddings, sources_copy):
    """The app's rebuild button used to fail with "attempt to write a readonly database" (a cached chroma client)."""
    from assistant import Assistant
    s = _settings(settings, tmp_path, sources_copy)
    a = Assistant(s, embeddings)
    shutil.rmtree(s.data_dir)
    report = a.rebuild()
    assert report.status == "built" and report.chunks > 10
    assert a.retrieve("一试多证")[0].doc.metadata["article"] == "二(二)"
    assert _ask(a, "在哪里可以查询职业资格证书?")["verdict"] == "answered"


def test_rebuilds_switch_builds_and_keep_only_the_previous_one(tmp_path, settings, embeddings, sources_copy):
    from assistant import Assistant
    s = _settings(settings, tmp_path, sources_copy)
    a = Assistant(s, embeddings)
    first = a.status()["build"]
    second = build_index(s, rebuild=True, embeddings=embeddings).manifest["build"]
    assert _builds(s) == sorted([first, second])          # the previous build stays for readers still on it
    assert _ask(a, QUESTION)["verdict"] == "answered"      # ... like this one
    third = build_index(s, rebuild=True, embeddings=embeddings).manifest["build"]
    assert _builds(s) == sorted([second, third])
    assert read_manifest(s)["previous_build"] == second
    assert a.recover() and a.status()["build"] == third
    assert _ask(a, QUESTION)["verdict"] == "answered"


def test_two_builds_at_once_build_once(tmp_path, settings, embeddings, sources_copy):
    s = _settings(settings, tmp_path, sources_copy)
    reports, errors = [], []

    def run():
        try:
            reports.append(build_index(s, embeddings=embeddings))
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=300)
    assert not errors
    assert sorted(r.status for r in reports) == ["built", "up-to-date"]
    assert len(_builds(s)) == 1


def test_an_index_in_the_old_layout_is_replaced(tmp_path, settings, embeddings, sources_copy):
    s = _settings(settings, tmp_path, sources_copy)
    s.data_dir.mkdir()
    (s.data_dir / "chroma").mkdir()
    (s.data_dir / "tree.json").write_text("{}", encoding="utf-8")
    s.manifest_path.write_text(json.dumps({"format_version": 6, "chunks": 3}), encoding="utf-8")
    report = build_index(s, embeddings=embeddings)
    assert report.status == "built" and not report.repaired
    assert not (s.data_dir / "chroma").exists() and not (s.data_dir / "tree.json").exists()


def _run(args, s, timeout=300):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env.update(ASSISTANT_DATA_DIR=str(s.data_dir), ASSISTANT_SOURCES_DIR=str(s.sources_dir),
               ASSISTANT_LOG=str(s.log_path), ASSISTANT_AUDIT_DB=str(s.log_path.parent / "audit.sqlite3"))
    return subprocess.run([sys.executable, "-m", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=timeout)


def test_the_commands_skip_a_binary_page_and_say_so(tmp_path, settings, sources_copy):
    (sources_copy / "zz_binary.txt").write_bytes(b"\x00\x01\x02\xff\xfe" * 1000)
    s = _settings(settings, tmp_path, sources_copy)
    for args in (["ingest"], ["ingest", "--rebuild"]):
        proc = _run(args, s)
        assert proc.returncode == 0, proc.stderr[-2000:]
        assert "warning: source zz_binary.txt skipped: a binary file" in proc.stderr, proc.stderr[-2000:]
        assert "1 source(s) skipped" in proc.stdout and "Traceback" not in proc.stderr
    assert proc.stdout.startswith("built:")
    ask = _run(["assistant", "ask", "--json", QUESTION], s)
    assert ask.returncode == 0, ask.stderr[-2000:]
    assert "warning: source zz_binary.txt skipped" in ask.stderr
    assert json.loads(ask.stdout)["verdict"] == "answered"
    assert sum(e.get("event") == "source_skipped" for e in _events(s)) == 2      # one per build


@pytest.mark.server
def test_a_chroma_server_switches_to_a_complete_new_collection(tmp_path, settings, embeddings, sources_copy):
    import chromadb
    from chromadb.config import Settings as CS

    from assistant import Assistant
    from test_index import _free_port, chroma_server
    port = _free_port()
    with chroma_server(tmp_path / "server", port):
        s = replace(_settings(settings, tmp_path, sources_copy), chroma_host="127.0.0.1", chroma_port=port)
        server = chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False))
        build_index(s, embeddings=embeddings)       # ingest writes; the assistant on a server only reads
        a = Assistant(s, embeddings)
        first = read_manifest(s)["collection"]
        data = lambda: sorted(c.name for c in server.list_collections() if not c.name.endswith("-manifest"))  # noqa: E731
        assert first.startswith("notices-") and data() == [first]

        class Exploding:
            id = embeddings.id

            def embed_documents(self, texts):
                raise RuntimeError("embedding died half way")

            def embed_query(self, text):
                return embeddings.embed_query(text)

        with pytest.raises(RuntimeError):
            build_index(s, rebuild=True, embeddings=Exploding())
        assert data() == [first]     # the half-built one is gone
        assert read_manifest(s)["collection"] == first

        second = build_index(s, rebuild=True, embeddings=embeddings).manifest["collection"]
        assert second != first and data() == [second]
        assert a.retrieve("一试多证")[0].doc.metadata["article"] == "二(二)"   # recovers onto the new collection
        assert a.status()["collection"] == second


def test_a_running_assistant_follows_a_switch_made_by_another_process(tmp_path, settings, embeddings, sources_copy):
    from assistant import Assistant
    s = _settings(settings, tmp_path, sources_copy)
    a = Assistant(s, embeddings)
    old = a.status()["build"]
    page = sources_copy / PAGE                 # as `python -m ingest` would after an edit
    page.write_text(page.read_text(encoding="utf-8").replace("营造良好社会氛围", "营造良好的社会氛围"), encoding="utf-8")
    new = build_index(s, embeddings=embeddings).manifest["build"]
    assert a.follow_switch(every=0) and a.status()["build"] == new != old
    assert any("营造良好的社会氛围" in d.page_content for d in a.retriever.corpus)
    assert not a.follow_switch(every=0)        # nothing new
    assert any(e.get("event") == "index_switched" for e in _events(s))
    assert _ask(a, QUESTION)["verdict"] == "answered"


def test_a_build_that_lost_the_certificate_notice_is_not_switched_to(tmp_path, settings, embeddings, sources_copy):
    """A scraper that saved an error page over the notice, beside another notice that still parses."""
    from assistant import Assistant
    from ingest.build import BuildError, required_doc
    s = _settings(settings, tmp_path, sources_copy)
    build_index(s, embeddings=embeddings, require=required_doc(s))
    manifest_bytes = s.manifest_path.read_bytes()
    raw = (sources_copy / PAGE).read_text(encoding="utf-8")
    (sources_copy / "001_other.txt").write_text(raw.replace("人社厅发〔2026〕1号", "人社厅发〔2026〕9号"), encoding="utf-8")
    (sources_copy / PAGE).write_text("<html><body>403 Forbidden</body></html>\n", encoding="utf-8")
    with pytest.raises(BuildError, match=f"人社厅发〔2026〕1号.*{PAGE} skipped"):
        build_index(s, embeddings=embeddings, require=required_doc(s))
    assert s.manifest_path.read_bytes() == manifest_bytes
    a = Assistant(s, embeddings)
    assert a.status()["state"] == "kept" and _ask(a, QUESTION)["verdict"] == "answered"
