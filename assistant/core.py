"""The loaded assistant: settings, model, index, rules. Built once per process.

Everything a conversation needs is read here, once: the embedding model, the
chroma collection, the chunk corpus read back from chroma (for BM25 and for
verifying quotes), the parsed notices and the rule tables. Conversations hold
no copies, only a reference, so the app can serve many sessions from one.
"""
from __future__ import annotations

import json
import logging
import re
import shutil
import threading
import time

from .answers import Wording
from .citations import Citer
from .config import Settings
from .entities import CertificateCatalog
from .normalize import alias_table
from .rules import Rules
from .vocabulary import vocabulary

log = logging.getLogger("assistant")


def _forget_chroma_clients() -> None:
    # chroma caches one client per path; after the folder was deleted or corrupted that
    # cached client still points at the old sqlite file and every write fails.
    from chromadb.api.shared_system_client import SharedSystemClient
    SharedSystemClient.clear_system_cache()


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or rebuilt; the message names the command to run."""


class Assistant:
    def __init__(self, settings: Settings, embeddings, progress=None):
        self.settings = settings
        self.embeddings = embeddings
        self.aliases = alias_table(settings.knowledge_dir)
        self.vocab = vocabulary(settings.knowledge_dir)
        self.catalog = CertificateCatalog.load(settings.knowledge_dir)
        self._lock = threading.RLock()
        topics = json.loads((settings.knowledge_dir / "topics.json").read_text(encoding="utf-8"))["topics"]
        self.topics = [dict(t, rx=re.compile("|".join(f"(?:{p})" for p in t["patterns"]))) for t in topics]
        self.examples = json.loads((settings.knowledge_dir / "examples.json").read_text(encoding="utf-8"))["examples"]
        from .llm import make_chat_model
        self.llm = make_chat_model(settings.llm)
        self.system_prompt = (settings.prompts_dir / "system.md").read_text(encoding="utf-8")
        self._open(progress)

    @classmethod
    def load(cls, settings: Settings | None = None, progress=None) -> "Assistant":
        from .embeddings import SentenceEmbeddings, load_model
        settings = settings or Settings.from_env()
        model = load_model(settings.embedding_model)
        return cls(settings, SentenceEmbeddings(model, settings.embedding_model), progress)

    # -- index ----------------------------------------------------------------
    def _open(self, progress=None, rebuild: bool = False):
        from ingest.build import build_index
        from .retrieval import HybridRetriever
        from .store import vector_store
        s = self.settings
        try:
            self.build_report = build_index(s, rebuild=rebuild, embeddings=self.embeddings, progress=progress)
            store = vector_store(s, self.embeddings)
            retriever = HybridRetriever.from_store(store, s.knowledge_dir)
        except FileNotFoundError as exc:
            raise IndexUnavailable(f"{exc}. Put the notice pages in {s.sources_dir} and run: python -m ingest") from exc
        except Exception as exc:
            if s.chroma_host or rebuild:
                raise IndexUnavailable(f"the index at {s.store_target} cannot be opened ({type(exc).__name__}: {exc}). "
                                       f"Run: python -m ingest --rebuild") from exc
            # A corrupt or vanished local store: build afresh rather than fail every question.
            log.warning("index at %s unreadable (%s); rebuilding", s.data_dir, exc)
            _forget_chroma_clients()
            shutil.rmtree(s.data_dir / "chroma", ignore_errors=True)
            s.manifest_path.unlink(missing_ok=True)
            self._open(progress, rebuild=True)
            self.log_event({"event": "index_rebuilt_after_error", "error": f"{type(exc).__name__}: {exc}"[:300]})
            return
        tree = json.loads((s.data_dir / "tree.json").read_text(encoding="utf-8"))
        docs = tree["docs"]
        tables = next((d["tables"] for d in docs if d.get("tables")), None)
        if tables is None:
            raise IndexUnavailable("no source page is the certificate notice (人社厅发〔2026〕1号); "
                                   f"check {s.sources_dir} and run: python -m ingest --rebuild")
        with self._lock:
            self.docs = {d["metadata"]["doc_number"]: d for d in docs}
            self.nodes = {number: {n["id"]: n for n in d["nodes"]} for number, d in self.docs.items()}
            self.rules = Rules(tables)
            self.cert_doc = self.docs[self.rules.doc]
            self.store = store
            self.retriever = retriever
            self.citer = Citer(retriever.corpus, docs, s.log_path)
            self.wording = Wording(s.prompts_dir, self.cert_doc["metadata"])
            self.manifest = json.loads(s.manifest_path.read_text(encoding="utf-8"))

    def rebuild(self, progress=None):
        with self._lock:
            self._open(progress, rebuild=True)
        return self.build_report

    def recover(self) -> bool:
        """After a retrieval error (index deleted or server restarted): reopen, rebuilding if needed."""
        try:
            with self._lock:
                _forget_chroma_clients()
                self._open()
            return True
        except Exception as exc:
            log.error("recovery failed: %s", exc)
            return False

    def retrieve(self, text: str, k: int = 3, doc_number: str | None = None):
        doc_id = self.docs[doc_number]["doc_id"] if doc_number else None
        try:
            return self.retriever.items(text, k=k, doc_id=doc_id)
        except Exception:
            if not self.recover():
                raise
            return self.retriever.items(text, k=k, doc_id=doc_id)

    # -- reading the notice -----------------------------------------------------
    def conversation(self, mode: str = "worker", llm=None):
        from .conversation import Conversation
        return Conversation(self, mode, llm)

    def metadata(self, doc_number: str | None = None) -> dict:
        meta = dict(self.docs[doc_number or self.rules.doc]["metadata"])
        meta["verify_url"] = "http://osta.mohrss.gov.cn/"
        return meta

    def item(self, doc_number: str, article: str) -> dict:
        node = next(n for n in self.docs[doc_number]["nodes"] if n["article"] == article and n["kind"] != "sentence")
        return {"article": article, "label": node["label"], "text": node["text"]}

    def node_text(self, doc_number: str, article: str) -> str:
        return self.item(doc_number, article)["text"]

    def sentences(self, doc_number: str, article: str) -> list[str]:
        return [n["text"] for n in self.docs[doc_number]["nodes"] if n["kind"] == "sentence" and n["article"] == article]

    def best_quote(self, hit) -> str:
        """The hit's own sentences, without the item's title sentence when there is more."""
        m = hit.doc.metadata
        doc = self.docs[m["doc_number"]]
        ids = [i for i in m.get("sentences", "").split(",") if i]
        nodes = self.nodes[m["doc_number"]]
        sents = [nodes[i] for i in ids if i in nodes]
        if len(sents) > 1 and sents[0].get("index") == 1 and nodes.get(m["node_id"], {}).get("kind") == "item":
            sents = sents[1:]
        if not sents:
            return hit.doc.page_content[m["body_offset"]:]
        return doc["cleaned"][sents[0]["start"]:sents[-1]["end"]]

    def unknown_nouns(self, text: str) -> list[str]:
        from .retrieval import unknown_nouns
        known = set(self.catalog.surface) | set(self.aliases.mapping)
        return unknown_nouns(text, self.retriever.tk, self.docs[self.rules.doc]["cleaned"], known, self.vocab.on_subject)

    def coverage(self, text: str, hit) -> float:
        """Share of the question's content words that the cited item's text contains (the evidence gate)."""
        from .retrieval import content_words
        words = content_words(text, self.retriever.tk)
        if not words:
            return 0.0
        item = self.citer.items.get(hit.key, "") or hit.doc.page_content
        return sum(w in item for w in words) / len(words)

    def status(self) -> dict:
        m = self.manifest
        return {"built_at": m.get("built_at"), "embedding_model": m.get("embedding_model"), "chunks": m.get("chunks"),
                "store": m.get("store"), "docs": m.get("docs", []), "annex": self.rules.source}

    def log_event(self, event: dict) -> None:
        path = self.settings.log_path
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with open(path, "a", encoding="utf-8") as f:
                f.write(json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **event}, ensure_ascii=False) + "\n")
        except OSError:
            pass
