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

import json
import logging
from contextlib import contextmanager
from pathlib import Path

import chromadb
from chromadb.config import Settings as ChromaSettings

from .config import Settings


def chroma_client(settings: Settings, path: Path | None = None):
    """A client for the chroma server, or for the embedded store at `path` (default: the active build's)."""
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        # httpx logs every request at INFO ("HTTP Request: POST …"): one line per chroma call, several per turn.
        logging.getLogger("httpx").setLevel(logging.WARNING)
        _heartbeat(settings)
        client = chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
        set_timeout(client, settings.chroma_timeout)
        return client
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


# ----------------------------------------------------------------------------- a chroma server

LOAD_TIMEOUT = 60.0      # seconds per request while an index is read in full (pages of 5000 chunks)


def _heartbeat(settings: Settings) -> None:
    """Fail within seconds on a server that does not answer: chroma's HttpClient() itself makes requests
    (identity, tenant, database) on an httpx session without a timeout, before set_timeout can act."""
    import httpx
    url = f"http://{settings.chroma_host}:{settings.chroma_port}/api/v2/heartbeat"
    httpx.get(url, timeout=max(5.0, settings.chroma_timeout)).raise_for_status()


def set_timeout(client, seconds: float) -> None:
    """Give the HttpClient's requests a deadline (chroma's own is none: a frozen server hung every session).

    chroma shares one httpx session per host and port, so this applies to every client of that server."""
    import httpx
    session = getattr(getattr(client, "_server", None), "_session", None)
    if session is not None:
        session.timeout = httpx.Timeout(seconds, connect=min(seconds, 2.0), pool=seconds)


@contextmanager
def load_timeout(client, settings: Settings):
    """The long deadline while a whole index is read, then the answering one again."""
    if not settings.chroma_host:
        yield
        return
    set_timeout(client, max(LOAD_TIMEOUT, settings.chroma_timeout))
    try:
        yield
    finally:
        set_timeout(client, settings.chroma_timeout)


def unreachable(exc: BaseException) -> bool:
    """Did this fail because the chroma server did not answer (timeout, refused, reset), not because of the data?"""
    import httpx
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


def timed_out(exc: BaseException) -> bool:
    import httpx
    seen = 0
    while exc is not None and seen < 5:
        if isinstance(exc, (httpx.TimeoutException, TimeoutError)):
            return True
        exc, seen = exc.__cause__ or exc.__context__, seen + 1
    return False


# The manifest of the active build lives with the collections, on the server itself, so a replica
# needs no copy of ingest's data dir and the host's spelling (localhost, 127.0.0.1) does not matter.
# It is the metadata of one small collection, "<collection>-manifest", rewritten by ingest (the one
# writer) after the new collection is complete: that rewrite is the switch replicas follow.

def manifest_collection(settings: Settings) -> str:
    return f"{settings.collection}-manifest"


def publish_manifest(client, settings: Settings, manifest: dict) -> None:
    """Write `manifest` as the server's active one (ingest only)."""
    meta = {"manifest": json.dumps(manifest, ensure_ascii=False), "build": str(manifest.get("build", ""))}
    try:
        c = client.get_collection(manifest_collection(settings))
    except Exception:
        client.get_or_create_collection(manifest_collection(settings), metadata=meta)
        return
    c.modify(metadata=meta)


def read_shared_manifest(client, settings: Settings) -> dict | None:
    """The server's active manifest, or None if ingest never published one. Raises if the server cannot be reached."""
    try:
        c = client.get_collection(manifest_collection(settings))
    except Exception as exc:
        if unreachable(exc):
            raise
        return None
    try:
        data = json.loads((c.metadata or {}).get("manifest", ""))
    except ValueError:
        return None
    return data if isinstance(data, dict) else None
