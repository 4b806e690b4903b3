"""The chroma collection behind the index: embedded on disk, or a chroma server.

Every build of the index gets a store of its own (ingest.build): a folder
data_dir/builds/<id>/chroma for the embedded store, a collection "<collection>-<id>"
on a chroma server. The manifest says which one is active; without a path or a
collection name these functions open the active one.

Ingest writes through langchain's Chroma (`vector_store`). Answering reads through
`QueryStore`, a few lines over the chroma collection itself: langchain_chroma imports
langchain's retriever and tracer machinery and langsmith (~0.5 CPU-s of a cold start)
for nothing the answering side uses.
"""
from __future__ import annotations

from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from .config import Settings


def chroma_client(settings: Settings, path: Path | None = None):
    """A client for the chroma server, or for the embedded store at `path` (default: the active build's)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    if path is None:
        path = active_target(settings)[0]
    path = Path(path)
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def vector_store(settings: Settings, embeddings, client=None, collection: str | None = None,
                 path: Path | None = None):
    """The langchain store over `collection` (default: the active one), created if missing: ingest's writer."""
    from langchain_chroma import Chroma
    if collection is None:
        collection = active_target(settings)[1]
    # embedding_function is ours: chroma's default would fetch an ONNX model.
    return Chroma(client=client or chroma_client(settings, path), collection_name=collection,
                  embedding_function=embeddings, collection_configuration={"hnsw": {"space": "cosine"}})


def active_target(settings: Settings) -> tuple[Path, str]:
    """(embedded store folder, collection name) of the active build; before any build, data_dir/chroma and the
    configured collection (the layout of a store filled by hand, as the benchmark does)."""
    from ingest.build import active_build, read_manifest
    manifest = read_manifest(settings)
    build = active_build(settings, manifest)
    if build is None:
        return settings.data_dir / "chroma", settings.collection
    return build / "chroma", manifest["collection"]


def forget_client(path: Path) -> None:
    """Drop chroma's cached client for the embedded store at `path` (its folder is being deleted)."""
    from chromadb.api.shared_system_client import SharedSystemClient
    system = SharedSystemClient._identifier_to_system.pop(str(path), None)
    SharedSystemClient._identifier_to_refcount.pop(str(path), None)
    if system is not None:
        try:
            system.stop()
        except Exception:  # a store whose files are already gone: nothing left to release
            pass


class QueryStore:
    """Read-only: what HybridRetriever calls, with the results langchain's Chroma would give."""

    def __init__(self, collection, embeddings):
        self._collection = collection
        self.embeddings = embeddings

    def get(self, **kwargs) -> dict:
        return self._collection.get(**kwargs)

    def similarity_search_with_score(self, query: str, k: int = 4, filter: dict | None = None):
        from langchain_core.documents import Document
        found = self._collection.query(query_embeddings=[self.embeddings.embed_query(query)], n_results=k,
                                       where=filter, include=["documents", "metadatas", "distances"])
        return [(Document(page_content=text, metadata=meta or {}, id=i), dist)
                for text, meta, i, dist in zip(found["documents"][0], found["metadatas"][0], found["ids"][0],
                                               found["distances"][0]) if text is not None]


def query_store(settings: Settings, embeddings, client=None, collection: str | None = None,
                path: Path | None = None) -> QueryStore:
    """The existing `collection` (default: the active one) for answering; never creates, deletes or writes one."""
    if collection is None:
        collection = active_target(settings)[1]
    client = client or chroma_client(settings, path)
    return QueryStore(client.get_collection(collection), embeddings)
