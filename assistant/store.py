"""The chroma collection behind the index: embedded on disk, or a chroma server."""
from __future__ import annotations

import chromadb
from chromadb.config import Settings as ChromaSettings
from langchain_chroma import Chroma

from .config import Settings


def chroma_client(settings: Settings):
    chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
    if settings.chroma_host:
        return chromadb.HttpClient(host=settings.chroma_host, port=settings.chroma_port, settings=chroma_settings)
    path = settings.data_dir / "chroma"
    path.mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=chroma_settings)


def vector_store(settings: Settings, embeddings, client=None) -> Chroma:
    # embedding_function is ours: chroma's default would fetch an ONNX model.
    return Chroma(client=client or chroma_client(settings), collection_name=settings.collection,
                  embedding_function=embeddings, collection_configuration={"hnsw": {"space": "cosine"}})
