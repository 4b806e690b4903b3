"""The loaded assistant: settings, model, index, rules. Built once per process.

Everything a conversation needs is read here, once: the embedding model, the
chroma collection, the chunk corpus read back from chroma (for BM25 and for
verifying quotes), the parsed notices and the rule tables. Conversations hold
no copies, only a reference, so the app can serve many sessions from one.
"""
from __future__ import annotations

import gc
import json
import logging
import re
import threading
import time

from .answers import Wording
from .citations import Citer
from .config import Settings
from .entities import CertificateCatalog
from .eventlog import append_event
from .normalize import alias_table
from .rules import Rules
from .vocabulary import vocabulary

log = logging.getLogger("assistant")


def _forget_chroma_clients() -> None:
    # chroma caches one client per path; after the folder was deleted or corrupted that
    # cached client still points at the old sqlite file and every write fails.
    from chromadb.api.shared_system_client import SharedSystemClient
    SharedSystemClient.clear_system_cache()


_SHARED: "Assistant | None" = None
_SHARED_LOCK = threading.Lock()


def _quietly(fn) -> None:
    try:
        fn()
    except Exception:   # reported by the caller, which calls fn again
        pass


class IndexUnavailable(RuntimeError):
    """The index cannot be opened or rebuilt; the message names the command to run."""


class RetrievalUnavailable(RuntimeError):
    """Retrieval cannot run now (the chroma server does not answer in time, or the index cannot be read).

    Raised by Assistant.retrieve() within CHROMA_TIMEOUT (0.75 s), and at once while a server that
    timed out is given RETRY_AFTER seconds. Rule-decided answers need no retrieval; a question only
    retrieval can answer should get the `unavailable` wording (稍后再试)."""

    def __init__(self, message: str, retry_after: float = 0.0):
        super().__init__(message)
        self.retry_after = retry_after


WARM_UP = ("低压电工证能换建筑电工证吗", "国家职业资格目录是什么")   # a rule-decided and a retrieval-only question
RETRY_AFTER = 3.0     # seconds a chroma server that timed out is not asked again (one request per interval probes)
FOLLOW_EVERY = 10.0   # seconds between looks at a chroma server's manifest for a new build


class Assistant:
    def __init__(self, settings: Settings, embeddings, progress=None):
        self.settings = settings
        self.embeddings = embeddings
        self.aliases = alias_table(settings.knowledge_dir)
        self.vocab = vocabulary(settings.knowledge_dir)
        self.catalog = CertificateCatalog.load(settings.knowledge_dir)
        # Certificate and alias words are never "foreign to the notice" (the evidence gate, unknown_nouns).
        self.known_words = frozenset(self.catalog.surface) | frozenset(self.aliases.mapping)
        self._lock = threading.RLock()
        self._switch_checked, self._manifest_key = time.monotonic(), None
        self._down_until = self._outage_logged = 0.0
        self.generation = 0
        topics = json.loads((settings.knowledge_dir / "topics.json").read_text(encoding="utf-8"))["topics"]
        self.topics = [dict(t, rx=re.compile("|".join(f"(?:{p})" for p in t["patterns"])),
                            yes_no=[dict(y, rx=re.compile(y["pattern"])) for y in t.get("yes_no", ())],
                            pair_rx=re.compile(t["pair_asks"]) if "pair_asks" in t else None) for t in topics]
        self.examples = json.loads((settings.knowledge_dir / "examples.json").read_text(encoding="utf-8"))["examples"]
        from .llm import make_chat_model
        self.llm = make_chat_model(settings.llm)
        self.system_prompt = (settings.prompts_dir / "system.md").read_text(encoding="utf-8")
        self._open(progress)

    @classmethod
    def load(cls, settings: Settings | None = None, progress=None) -> "Assistant":
        """A new Assistant (most callers want `shared()`, the one per process)."""
        from .embeddings import query_embeddings
        settings = settings or Settings.from_env()
        # Loading builds ~0.5M objects (tokenizers, index) that live as long as the process; the
        # collector's passes over them while they are built cost ~0.4 s of a 3 s cold start.
        collecting = gc.isenabled()
        gc.disable()
        try:
            embeddings = query_embeddings(settings.embedding_model)
            warm = None
            if hasattr(embeddings, "load"):
                # Read the model while the index opens: numpy's inflate and file reads overlap with chroma's import.
                warm = threading.Thread(target=_quietly, args=(embeddings.load,), name="load-embeddings", daemon=True)
                warm.start()
            a = cls(settings, embeddings, progress)
            if warm is not None:
                warm.join()
                embeddings.load()          # raises here, in the caller, if the background load failed
        finally:
            if collecting:
                gc.enable()
        return a

    @classmethod
    def shared(cls, progress=None, warm: bool = False) -> "Assistant":
        """The one Assistant of this process (model, index, rules), loaded on first use.

        Threads that ask at once all wait for that one load instead of each loading the
        model; a load that fails is not remembered, so the next caller tries again.
        warm: also answer the warm-up questions, in a background thread (a server, so the first
        question does not pay for what loads lazily; a one-question CLI run would only wait longer)."""
        global _SHARED
        if _SHARED is None:
            with _SHARED_LOCK:
                if _SHARED is None:
                    a = cls.load(progress=progress)
                    if warm:    # in the background: the first page need not wait for it
                        threading.Thread(target=_quietly, args=(a.warm_up,), name="warm-up", daemon=True).start()
                    _SHARED = a
                    # What was just loaded lives as long as the process: move it out of the collector's
                    # reach, so a full collection walks only what requests create (not ~0.5M objects).
                    gc.freeze()
        return _SHARED

    @classmethod
    def forget_shared(cls) -> None:
        """Drop the process's Assistant: the next shared() loads afresh (tests; a server's cache clear)."""
        global _SHARED
        with _SHARED_LOCK:
            _SHARED = None

    # -- index ----------------------------------------------------------------
    def _open(self, progress=None, rebuild: bool = False):
        """Bring the index up to date and load it. A build that fails leaves the working index in place
        (ingest.build) and this keeps serving it, with the failure in status()["warnings"]."""
        from ingest.build import build_index, required_doc
        s = self.settings
        need = required_doc(s)
        if s.chroma_host:
            # A replica on a shared chroma server only reads: ingest is the one writer. The operator's
            # rebuild button runs ingest's build (a new collection, then the switch); opening never builds.
            if rebuild:
                build_index(s, rebuild=True, embeddings=self.embeddings, progress=progress, require=need)
            self._open_reader()
            return
        try:
            report = build_index(s, rebuild=rebuild, embeddings=self.embeddings, progress=progress, require=need)
        except Exception as exc:
            report = self._keep_serving(exc)
        try:
            self._load(report)
        except Exception as exc:
            # The index validated but does not open (a damaged store file, say): build afresh into a
            # new folder; the unreadable one is left to the next clean-up, never deleted under a reader.
            log.warning("index at %s unreadable (%s); building a new one", report.build_dir, exc)
            _forget_chroma_clients()
            try:
                report = build_index(s, rebuild=True, embeddings=self.embeddings, progress=progress, require=need)
                self._load(report)
            except Exception as again:
                raise IndexUnavailable(f"the index at {s.store_target} cannot be opened or rebuilt "
                                       f"({type(again).__name__}: {again}). Run: python -m ingest --rebuild") from again
            report.repaired = report.repaired or f"{type(exc).__name__}: {exc}"
        if report.repaired:
            self.log_event({"event": "index_rebuilt_after_error", "error": str(report.repaired)[:300]})
            log.warning("index rebuilt: the previous one was unusable (%s)", report.repaired)
        for w in report.warnings:
            log.warning("%s", w)

    def _keep_serving(self, exc: Exception):
        """The build failed: the usable index it left in place, as a "kept" report, or IndexUnavailable."""
        from ingest.build import BuildReport, inspect_index
        s = self.settings
        hint = ("Put the notice pages in {} and run: python -m ingest".format(s.sources_dir)
                if isinstance(exc, FileNotFoundError) else "Fix it and run: python -m ingest --rebuild")
        why = f"{type(exc).__name__}: {exc}"
        try:
            state = inspect_index(s)
        except Exception:
            state = None
        if state is not None and state.usable and state.manifest["embedding_model"] != self.embeddings.id:
            state = None        # vectors of another model: queries would be compared with the wrong space
        if state is None or not state.usable:
            raise IndexUnavailable(f"{exc}. {hint}" if isinstance(exc, FileNotFoundError) else
                                   f"the index at {s.store_target} cannot be built ({why}). {hint}") from exc
        m = state.manifest
        warning = (f"the index could not be rebuilt ({why[:400]}); still serving the one built at "
                   f"{m.get('built_at')} (build {m.get('build')}). {hint}")
        log.error("%s", warning)
        self.log_event({"event": "index_build_failed_serving_previous", "error": why[:500], "build": m.get("build")})
        from ingest.build import warning_text
        return BuildReport("kept", chunks=m["chunks"], warnings=[warning] + [warning_text(w) for w in m["warnings"]],
                           build_dir=state.build_dir, manifest=m)

    def _load(self, report) -> None:
        """Open the store and read the parse of the build `report` names, then swap them in at once."""
        from .retrieval import HybridRetriever
        from .store import chroma_client, query_store
        s = self.settings
        m = report.manifest
        client = chroma_client(s, report.build_dir / "chroma")
        store = query_store(s, self.embeddings, client=client, collection=m["collection"])
        retriever = HybridRetriever.from_store(store, s.knowledge_dir)
        tree = json.loads((report.build_dir / "tree.json").read_text(encoding="utf-8"))
        docs = tree["docs"]
        tables = next((d["tables"] for d in docs if d.get("tables")), None)
        if tables is None:
            raise IndexUnavailable("no source page is the certificate notice (人社厅发〔2026〕1号); "
                                   f"check {s.sources_dir} and run: python -m ingest --rebuild")
        self._install(report, docs, tables, store, retriever)

    def _install(self, report, docs: list, tables: dict, store, retriever) -> None:
        """Swap a loaded index in at once (under the lock), so a question never sees half of two builds."""
        s = self.settings
        m = report.manifest
        with self._lock:
            self.build_report = report
            self.docs = {d["metadata"]["doc_number"]: d for d in docs}
            self.nodes = {number: {n["id"]: n for n in d["nodes"]} for number, d in self.docs.items()}
            self.rules = Rules(tables)
            self.cert_doc = self.docs[self.rules.doc]
            self.store = store
            self.retriever = retriever
            self.citer = Citer(retriever.corpus, docs, s.log_path)
            self.wording = Wording(s.prompts_dir, self.cert_doc["metadata"])
            self.manifest = m
            self.warnings = list(report.warnings)
            self._manifest_key = None if s.chroma_host else self._seen_manifest(m)
            self.generation = getattr(self, "generation", 0) + 1

    def _open_reader(self) -> None:
        """Server mode: load the build the server's manifest names, if it is complete and current; else
        IndexUnavailable saying why (readiness fails, the page explains) and nothing is written."""
        from ingest.build import BuildReport, parse_sources, warning_text
        from .retrieval import HybridRetriever
        from .store import chroma_client, load_timeout, query_store, read_shared_manifest
        s = self.settings
        wait = (f"Run `python -m ingest` with CHROMA_HOST={s.chroma_host} CHROMA_PORT={s.chroma_port} "
                "(ingest is the one writer); this replica does not build and will load the index once it is there")
        try:
            client = chroma_client(s)
            with load_timeout(client, s):
                m = read_shared_manifest(client, s)
                why = self.stale_reason(m)
                if why:
                    raise IndexUnavailable(f"the index on {s.store_target} is not ready: {why}. {wait}")
                store = query_store(s, self.embeddings, client=client, collection=m["collection"])
                count = store._collection.count()
                if count != m["chunks"]:
                    raise IndexUnavailable(f"the index on {s.store_target} is incomplete: collection {m['collection']} "
                                           f"holds {count} chunks, its manifest says {m['chunks']}. {wait}")
                retriever = HybridRetriever.from_store(store, s.knowledge_dir)
        except IndexUnavailable:
            raise
        except Exception as exc:
            raise IndexUnavailable(f"the index on {s.store_target} cannot be read ({type(exc).__name__}: "
                                   f"{str(exc)[:200]}). {wait}") from exc
        docs = parse_sources(s, [])       # the same sources the manifest's hashes name (stale_reason checked)
        tables = next((d["tables"] for d in docs if d.get("tables")), None)
        if tables is None:
            raise IndexUnavailable("no source page is the certificate notice (人社厅发〔2026〕1号); "
                                   f"check {s.sources_dir}")
        report = BuildReport("reader", chunks=m["chunks"], warnings=[warning_text(w) for w in m.get("warnings", [])],
                             manifest=m)
        self._install(report, docs, tables, store, retriever)
        self._chroma = client            # reused to look for a new build: HttpClient() costs three requests
        self._follow_checked = time.monotonic()

    def stale_reason(self, m: dict | None) -> str | None:
        """Why the manifest `m` of a chroma server cannot be served by this replica (None: it can)."""
        from ingest.build import FORMAT_VERSION, source_hashes
        if not m:
            return "no index has been published on the server yet"
        if m.get("format_version") != FORMAT_VERSION:
            return f"index format {m.get('format_version')!r}, this code reads {FORMAT_VERSION}"
        if m.get("embedding_model") != self.embeddings.id:
            return f"built with {m.get('embedding_model')}, this replica embeds with {self.embeddings.id}"
        if m.get("sources") != source_hashes(self.settings):
            return "built from other sources or knowledge tables than this replica's"
        if not isinstance(m.get("collection"), str) or not isinstance(m.get("chunks"), int):
            return "its manifest lacks the collection or chunk count"
        return None

    def _follow_shared(self) -> bool:
        """Server mode: load the build ingest switched the server's manifest to (looked at every FOLLOW_EVERY s)."""
        from .store import chroma_client, read_shared_manifest, timed_out
        now = time.monotonic()
        if now - getattr(self, "_follow_checked", 0.0) < FOLLOW_EVERY or now < self._down_until:
            return False
        self._follow_checked = now
        try:
            client = getattr(self, "_chroma", None) or chroma_client(self.settings)
            m = read_shared_manifest(client, self.settings)
            if not m or m.get("build") == self.manifest.get("build") or self.stale_reason(m):
                return False
            with self._lock:
                self._open_reader()
        except Exception as exc:   # keep serving what we have
            if timed_out(exc):
                self._down_until = time.monotonic() + RETRY_AFTER
            log.warning("could not follow the index switch on the chroma server: %s", str(exc)[:300])
            return False
        self.log_event({"event": "index_switched", "build": self.manifest.get("build")})
        return True

    def _seen_manifest(self, m: dict):
        """(mtime, size) of the manifest file if it still names build m (else None: look again)."""
        from ingest.build import read_manifest
        try:
            st = self.settings.manifest_path.stat()
            on_disk = read_manifest(self.settings) or {}
        except OSError:
            return None
        return (st.st_mtime_ns, st.st_size) if on_disk.get("build") == m.get("build") else None

    def rebuild(self, progress=None):
        """Build afresh (the app's button). The new index replaces the served one only once it is complete."""
        with self._lock:
            # as in recover(): a cached chroma client may point at files deleted under it
            _forget_chroma_clients()
            self._open(progress, rebuild=True)
        return self.build_report

    def recover(self, generation: int | None = None) -> bool:
        """After a retrieval error (index deleted or server restarted): reopen, rebuilding if needed (on a
        chroma server: reading only). `generation`: the index the failed call used; if another thread has
        reopened since, that is enough."""
        try:
            with self._lock:
                if generation is not None and generation != self.generation:
                    return True
                _forget_chroma_clients()
                self._open()
            return True
        except Exception as exc:
            log.error("recovery failed: %s", exc)
            return False

    def follow_switch(self, every: float = 2.0) -> bool:
        """Load the build another process (python -m ingest) has switched the manifest to, if it is usable.

        Checked at most every `every` seconds, by the manifest's mtime and size, so a long-running
        app serves a new index without a restart and never reads a build after it was cleaned up."""
        from ingest.build import BuildReport, inspect_index, warning_text
        if self.settings.chroma_host:
            return self._follow_shared()
        now = time.monotonic()
        if now - self._switch_checked < every:
            return False
        self._switch_checked = now
        try:
            st = self.settings.manifest_path.stat()
        except OSError:
            return False
        key = (st.st_mtime_ns, st.st_size)
        if key == self._manifest_key:
            return False
        self._manifest_key = key
        try:
            state = inspect_index(self.settings, self.embeddings.id)
            if not state.usable or state.manifest["build"] == self.manifest.get("build"):
                return False
            m = state.manifest
            self._load(BuildReport("switched", chunks=m["chunks"], warnings=[warning_text(w) for w in m["warnings"]],
                                   build_dir=state.build_dir, manifest=m))
        except Exception as exc:   # keep serving what we have; recover() handles a store that breaks
            log.warning("could not follow the index switch: %s", exc)
            return False
        self.log_event({"event": "index_switched", "build": m["build"]})
        return True

    def retrieve(self, text: str, k: int = 3, doc_number: str | None = None):
        """Hybrid retrieval hits. Raises RetrievalUnavailable, within CHROMA_TIMEOUT and without touching
        the index, when a chroma server does not answer; at once while it is given RETRY_AFTER seconds."""
        from .store import timed_out, unreachable
        self.follow_switch()
        now = time.monotonic()
        if now < self._down_until:
            raise RetrievalUnavailable(f"the chroma server at {self.settings.store_target} timed out; "
                                       "retrying shortly", retry_after=self._down_until - now)
        doc_id = self.docs[doc_number]["doc_id"] if doc_number else None
        generation = self.generation
        try:
            return self.retriever.items(text, k=k, doc_id=doc_id)
        except Exception as exc:
            if unreachable(exc):
                if timed_out(exc):      # a frozen server: do not make every question wait for it
                    self._down_until = time.monotonic() + RETRY_AFTER
                self._note_outage(exc)
                raise RetrievalUnavailable(f"the chroma server at {self.settings.store_target} does not answer "
                                           f"({type(exc).__name__})", retry_after=RETRY_AFTER) from exc
            if not self.recover(generation):
                raise RetrievalUnavailable(f"the index cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from exc
        try:
            return self.retriever.items(text, k=k, doc_id=doc_id)
        except Exception as exc:
            raise RetrievalUnavailable(f"the index cannot be read ({type(exc).__name__}: {str(exc)[:200]})") from exc

    def _note_outage(self, exc: Exception) -> None:
        """One log line and event per outage, not one per question."""
        now = time.monotonic()
        if now - self._outage_logged > 60:
            self._outage_logged = now
            log.warning("chroma server %s unavailable: %s", self.settings.store_target, type(exc).__name__)
            self.log_event({"event": "retrieval_unavailable", "error": f"{type(exc).__name__}: {exc}"[:300]})

    # -- serving ----------------------------------------------------------------
    def warm_up(self) -> dict:
        """Retrieve once and answer a rule-decided and a retrieval-only question, in fresh conversations, so
        what loads on first use (the part-of-speech tagger, chroma's query path) is loaded before users come.
        Raises RetrievalUnavailable if the index cannot be queried."""
        hits = self.retrieve(WARM_UP[0])
        replies = [self.conversation().ask(q).to_dict() for q in WARM_UP]
        return {"hits": len(hits), "verdicts": [r["verdict"] for r in replies],
                "citations": len(replies[0].get("citations") or [])}

    def log_turn(self, reply, where: str = "") -> None:
        """The one INFO line per answered turn (chroma's and httpx's per-request lines are silenced)."""
        r = reply.to_dict() if hasattr(reply, "to_dict") else dict(reply)
        log.info("turn%s verdict=%s step=%s ms=%s retrieved=%d citations=%d", f" {where}" if where else "",
                 r.get("verdict"), r.get("step"), r.get("latency_ms"), len(r.get("retrieved") or []),
                 len(r.get("citations") or []))

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
        text = self.vocab.rx("person_name.pattern").sub("他", text)    # "老鲁的证能免啥": a worker's name is no topic
        return unknown_nouns(text, self.retriever.tk, self.docs[self.rules.doc]["cleaned"], self.known_words,
                             self.vocab.on_subject)

    def coverage(self, text: str, hit) -> float:
        """Share of the question's content words that the cited item's text contains (the evidence gate)."""
        from .retrieval import content_words
        words = content_words(text, self.retriever.tk)
        if not words:
            return 0.0
        item = self.citer.items.get(hit.key, "") or hit.doc.page_content
        return sum(w in item for w in words) / len(words)

    def status(self) -> dict:
        """What the operator's index panel shows; "warnings" lists skipped sources and a failed rebuild."""
        m = self.manifest
        return {"built_at": m.get("built_at"), "embedding_model": m.get("embedding_model"), "chunks": m.get("chunks"),
                "store": m.get("store"), "collection": m.get("collection"), "build": m.get("build"),
                "state": self.build_report.status, "docs": m.get("docs", []), "annex": self.rules.source,
                "warnings": list(self.warnings)}

    def log_event(self, event: dict) -> None:
        append_event(self.settings.log_path, event)
