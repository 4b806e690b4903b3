"""Sources -> parsed notices -> chunks -> chroma index, with a manifest.

Layout under data_dir (ASSISTANT_DATA_DIR):

    manifest.json                 the active build: its id, collection, sources, chunk count, warnings
                                  (manifest-<host>-<port>.json when CHROMA_HOST is set)
    builds/<id>/chroma/           the embedded chroma store of that build (none on a chroma server)
    builds/<id>/tree.json         parsed notices (what the assistant reads), tree.md (a readable dump),
    builds/<id>/manifest.json     and a copy of its manifest
    .build.lock                   held while a build runs, so two processes never build at once

A build is written into a new builds/<id>/ folder (on a chroma server: a new
collection "<collection>-<id>"), and only when it is complete does
manifest.json, replaced atomically (write + fsync + rename), point at it. A
build that fails removes its own folder or collection and leaves the working
index as it was. After the switch the build before the previous one is
deleted (the previous local one is kept so a process still reading it is not
cut off; on a chroma server the old collection is deleted at once).

The manifest is checked before it is trusted: it must parse, have this
FORMAT_VERSION and every key, its build folder must exist, tree.json must
have the sha256 it records, and the store must hold its chunk count. Anything
else is "not usable" and a new build replaces it (BuildReport.repaired says
why). A run whose sources, model and format match a usable manifest does no
work and does not load the model; a changed source re-embeds that source's
chunks only (the vectors of the others are copied from the active store); a
changed model, format or knowledge table rebuilds everything.

A source page that cannot be used is skipped with a warning, and the rest is
indexed: a file over MAX_PAGE_BYTES, a binary file, text that is not UTF-8,
a page without the 发布时间 line or without a 发文字号, a second page with a
document number already seen. The warnings are kept in the manifest, shown by
`python -m ingest`, `python -m assistant` and the app's index panel, and
written to the JSON log (ASSISTANT_LOG). A broken official annex table, or a
notice body that no longer says what knowledge/annex_derived.json derives from
it, still fails the whole build: answers would cite rows the notice no longer
supports.
"""
from __future__ import annotations

import hashlib
import json
import os
import secrets
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings

from .annex import AnnexError, load_tables
from .chunks import chunk_doc
from .page import PageError, read_page
from .tree import build_tree

FORMAT_VERSION = 8          # 8: chunk prefixes carry a section's heading line, not its body
PAGE_SUFFIXES = (".txt", ".html", ".htm")
# Real notice pages are 10-100 KB; 16 MiB bounds the memory and time of one page.
# Ingest is linear (bench/ingest_scale.py): ~1.5 s per MB before embedding, which adds
# ~17 s per MB (~2,700 chunks) on 2 CPUs; a 10 MB page parses in ~330 MiB.
MAX_PAGE_BYTES = 16 * 2**20
BUILD_LOCK_TIMEOUT = 900.0          # seconds to wait for another process's build
MANIFEST_KEYS = ("format_version", "build", "embedding_model", "store", "collection", "sources", "chunks",
                 "docs", "warnings", "tree_sha256", "built_at")


class BuildError(RuntimeError):
    """The build could not complete; the active index (if any) is untouched."""


class SourceSkipped(ValueError):
    """A source page that cannot be indexed; the message says why."""


@dataclass
class BuildReport:
    status: str                      # "up-to-date" | "built" | "updated" (| "kept": see assistant.core)
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)   # sources skipped (and, for "kept", why the build failed)
    repaired: str | None = None      # why the previous index was unusable, when this build replaced it
    build_dir: Path | None = None
    manifest: dict = field(default_factory=dict)


# ----------------------------------------------------------------------------- sources

def page_files(sources_dir: Path) -> list[Path]:
    return sorted(p for p in sources_dir.iterdir()
                  if p.is_file() and p.suffix in PAGE_SUFFIXES and ".annex." not in p.name)


def parse_source(path: Path, settings: Settings) -> dict:
    """One notice page as {doc_id, source, sha256, cleaned, metadata, nodes, tables}.

    SourceSkipped: the page cannot be used (see the module docstring). AnnexError: the
    certificate notice no longer supports its annex rows (the build must stop)."""
    try:
        page = read_page(path, max_bytes=MAX_PAGE_BYTES)
    except PageError as exc:
        raise SourceSkipped(str(exc).removeprefix(f"{path.name}: ")) from exc
    if not page.metadata["doc_number"]:
        raise SourceSkipped("no 发文字号 (such as 人社厅发〔2026〕1号) before 发布时间 on the page, "
                            "so its articles could not be cited")
    doc = {"doc_id": path.stem, "source": path.name, "sha256": page.sha256, "cleaned": page.cleaned,
           "metadata": page.metadata}
    try:
        doc["nodes"] = build_tree(page.cleaned, page.metadata)
    except Exception as exc:   # a layout the tree builder cannot read: skip this page, not the build
        raise SourceSkipped(f"the article tree could not be built ({type(exc).__name__}: {exc})") from exc
    try:
        doc["tables"] = load_tables(doc, settings.knowledge_dir, settings.sources_dir)
    except AnnexError:
        raise
    except Exception as exc:   # an unreadable official annex table (a broken .xlsx, say) is an annex fault too
        raise AnnexError(f"{path.name}: its annex table cannot be read ({type(exc).__name__}: {exc})") from exc
    if doc["tables"] and not doc["tables"]["source"].startswith("derived"):
        _append_official_annex(doc)
    for n in doc["nodes"]:
        if doc["cleaned"][n["start"]:n["end"]] != n["text"]:
            raise SourceSkipped(f"node {n['id']} is not a verbatim slice of the page (a parser fault)")
    return doc


def parse_sources(settings: Settings, skipped: list[dict] | None = None) -> list[dict]:
    """Every usable notice page under sources_dir; each unusable one is left out and, if `skipped`
    is given, listed there as {"source", "reason"}."""
    if not settings.sources_dir.is_dir():
        raise FileNotFoundError(f"no sources folder at {settings.sources_dir}")
    skipped = [] if skipped is None else skipped
    docs, numbers = [], {}
    for path in page_files(settings.sources_dir):
        try:
            doc = parse_source(path, settings)
        except SourceSkipped as exc:
            skipped.append({"source": path.name, "reason": str(exc)})
            continue
        except AnnexError:
            raise
        except Exception as exc:   # anything else a page can trigger stays with that page
            skipped.append({"source": path.name, "reason": f"could not be parsed ({type(exc).__name__}: {exc})"})
            continue
        number = doc["metadata"]["doc_number"]
        if number in numbers:
            skipped.append({"source": path.name, "reason": f"carries the document number {number} of "
                                                           f"{numbers[number]}, which is indexed instead"})
            continue
        numbers[number] = path.name
        docs.append(doc)
    if not docs:
        why = "; ".join(f"{s['source']}: {s['reason']}" for s in skipped)
        raise FileNotFoundError(f"no usable notice pages (*.txt) in {settings.sources_dir}"
                                + (f" ({why})" if why else ""))
    return docs


def warning_text(skip: dict) -> str:
    return f"source {skip['source']} skipped: {skip['reason']}"


def _append_official_annex(doc: dict) -> None:
    """An official annex is part of the notice: append its rows so they can be quoted."""
    parts = [doc["cleaned"]]
    length = len(doc["cleaned"])
    for row in doc["tables"]["paths"]:
        line = row["derived_from"]["quote"]
        start = length + 1
        parts.append(line)
        length = start + len(line)
        doc["nodes"].append({"id": f"annex.row{row['path']}", "kind": "annex_row", "article": row["article"],
                             "label": row["article"], "parent": None, "start": start,
                             "end": start + len(line), "text": line})
        row["derived_from"]["article"] = row["article"]
    doc["cleaned"] = "\n".join(parts)


def _file_sha256(path: Path) -> str:
    with open(path, "rb") as f:
        return hashlib.file_digest(f, "sha256").hexdigest()


def source_hashes(settings: Settings) -> dict[str, str]:
    files = [p for p in settings.sources_dir.iterdir() if p.is_file()] if settings.sources_dir.is_dir() else []
    hashes = {p.name: _file_sha256(p) for p in sorted(files)}
    # The tables feed the rules; certificates and aliases make the BM25 dictionary stored with each chunk.
    for name in ("annex_derived.json", "levels.json", "certificates.json", "aliases.json"):
        p = settings.knowledge_dir / name
        if p.exists():
            hashes[f"knowledge/{name}"] = _file_sha256(p)
    return hashes


# ----------------------------------------------------------------------------- the active index

def read_manifest(settings: Settings) -> dict | None:
    """The manifest as a dict, or None when it is missing or unreadable (see inspect_index for why)."""
    manifest, _ = _load_manifest(settings.manifest_path)
    return manifest


def _load_manifest(path: Path) -> tuple[dict | None, str | None]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None, None
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        return None, f"{path.name} is unreadable ({type(exc).__name__}: {str(exc)[:120]})"
    if not isinstance(data, dict):
        return None, f"{path.name} is not a JSON object"
    return data, None


def build_path(settings: Settings, build_id) -> Path | None:
    """data_dir/builds/<id>, or None for an id that is not a plain folder name."""
    if not isinstance(build_id, str) or not build_id or build_id != Path(build_id).name or build_id.startswith("."):
        return None
    return settings.data_dir / "builds" / build_id


def active_build(settings: Settings, manifest: dict | None = None) -> Path | None:
    """The folder of the build the manifest points at, if the manifest names one that exists."""
    manifest = read_manifest(settings) if manifest is None else manifest
    if not manifest or manifest.get("format_version") != FORMAT_VERSION:
        return None
    folder = build_path(settings, manifest.get("build"))
    return folder if folder is not None and folder.is_dir() else None


@dataclass
class IndexState:
    manifest: dict | None = None
    build_dir: Path | None = None
    problem: str | None = None       # the index exists but cannot be trusted
    stale: str | None = None         # the index is sound but was built from something else
    chunk_count: int | None = None

    @property
    def usable(self) -> bool:
        """Sound enough to serve, and to copy vectors from (it may still be stale)."""
        return (self.manifest is not None and self.problem is None and self.build_dir is not None
                and self.chunk_count is not None)

    @property
    def current(self) -> bool:
        return self.usable and self.stale is None


def inspect_index(settings: Settings, model_id: str | None = None) -> IndexState:
    """Is there an active index, can it be trusted, and is it built from the current sources and model?"""
    manifest, problem = _load_manifest(settings.manifest_path)
    if manifest is None:
        return IndexState(problem=problem, stale="no index yet" if problem is None else None)
    if manifest.get("format_version") != FORMAT_VERSION:
        # an older layout (or a damaged file that still parses): rebuilt in the current format
        return IndexState(manifest=manifest, problem=None,
                          stale=f"index format {manifest.get('format_version')!r}, this code writes {FORMAT_VERSION}")
    missing = [k for k in MANIFEST_KEYS if k not in manifest]
    if missing:
        return IndexState(manifest=manifest, problem=f"{settings.manifest_path.name} lacks {', '.join(missing)}")
    bad_type = [k for k, t in (("sources", dict), ("chunks", int), ("docs", list), ("warnings", list),
                               ("collection", str), ("tree_sha256", str)) if not isinstance(manifest[k], t)]
    if bad_type:
        return IndexState(manifest=manifest, problem=f"{settings.manifest_path.name} has a malformed {', '.join(bad_type)}")
    folder = build_path(settings, manifest["build"])
    if folder is None or not folder.is_dir():
        return IndexState(manifest=manifest, problem=f"the build folder it names (builds/{manifest['build']}) is missing")
    tree = folder / "tree.json"
    try:
        if _file_sha256(tree) != manifest["tree_sha256"]:
            return IndexState(manifest=manifest, problem=f"{tree} does not match the sha256 in the manifest")
    except OSError as exc:
        return IndexState(manifest=manifest, problem=f"{tree} is unreadable ({type(exc).__name__})")
    try:
        from assistant.store import chroma_client
        client = chroma_client(settings, folder / "chroma")
        count = client.get_collection(manifest["collection"]).count()
    except Exception as exc:
        return IndexState(manifest=manifest, build_dir=folder,
                          problem=f"the store of build {manifest['build']} cannot be read "
                                  f"({type(exc).__name__}: {str(exc)[:160]})")
    state = IndexState(manifest=manifest, build_dir=folder, chunk_count=count)
    if count != manifest["chunks"]:
        state.problem = f"the store holds {count} chunks, the manifest says {manifest['chunks']}"
    elif model_id is not None and manifest["embedding_model"] != model_id:
        state.stale = f"embedding model changed ({manifest['embedding_model']} -> {model_id})"
    elif manifest["sources"] != source_hashes(settings):
        state.stale = "sources or knowledge tables changed"
    return state


# ----------------------------------------------------------------------------- building

def required_doc(settings: Settings) -> str:
    """The document number the assistant cannot serve without (the certificate notice of annex_derived.json)."""
    return json.loads((settings.knowledge_dir / "annex_derived.json").read_text(encoding="utf-8"))["doc"]


def build_index(settings: Settings, rebuild: bool = False, embeddings=None, progress=None,
                require: str | None = None) -> BuildReport:
    """Bring the index up to date. `embeddings` is loaded only if something must be embedded.

    `require`: a document number the build must contain (the assistant passes the certificate
    notice's), so a build that skipped that page fails instead of replacing a working index.
    Raises (FileNotFoundError when no page is usable, AnnexError, BuildError, a chroma
    error ...) only after undoing its own partial build: the active index stays as it was."""
    from assistant.embeddings import model_id
    started = time.perf_counter()
    say = progress or (lambda fraction, message: None)
    mid = embeddings.id if embeddings else model_id(settings.embedding_model)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    state = inspect_index(settings, mid)
    if not rebuild and state.current:
        return _up_to_date(state, started)
    with _build_lock(settings, say):
        state = inspect_index(settings, mid)          # another process may have built while we waited
        if not rebuild and state.current:
            return _up_to_date(state, started)
        return _build(settings, state, rebuild, embeddings, mid, say, started, require)


def _up_to_date(state: IndexState, started: float) -> BuildReport:
    m = state.manifest
    return BuildReport("up-to-date", chunks=m["chunks"], seconds=time.perf_counter() - started,
                       warnings=[warning_text(w) for w in m["warnings"]], build_dir=state.build_dir, manifest=m)


def _new_build_id() -> str:
    return f"{time.strftime('%Y%m%dT%H%M%S')}-{os.getpid()}-{secrets.token_hex(3)}"


def _build(settings: Settings, old: IndexState, rebuild: bool, embeddings, mid: str, say, started,
           require: str | None = None) -> BuildReport:
    from assistant.embeddings import SentenceEmbeddings, load_model
    from assistant.retrieval import tokenizer, tokens   # jieba and scipy: not needed when up to date
    from assistant.store import chroma_client, vector_store

    build_id = _new_build_id()
    folder = settings.data_dir / "builds" / build_id
    collection = f"{settings.collection}-{build_id}" if settings.chroma_host else settings.collection
    folder.mkdir(parents=True)
    _write_json(folder / "build.json", {"build": build_id, "store": settings.store_target, "collection": collection,
                                        "started_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "pid": os.getpid()})
    client = None
    try:
        client = chroma_client(settings, folder / "chroma")     # first: an unreachable server fails fast
        say(0.05, "解析通知原文")
        hashes = source_hashes(settings)
        skipped: list[dict] = []
        docs = parse_sources(settings, skipped)
        if require and require not in {d["metadata"]["doc_number"] for d in docs}:
            why = "; ".join(warning_text(w) for w in skipped)
            raise BuildError(f"no usable source page is {require}, which the assistant needs"
                             + (f" ({why})" if why else ""))
        chunks = {d["source"]: chunk_doc(d) for d in docs}
        # BM25 tokens are computed once here, not by every process that opens the index.
        tk = tokenizer(settings.knowledge_dir)
        for doc in (c for cs in chunks.values() for c in cs):
            doc.metadata["bm25"] = " ".join(tokens(doc.page_content, tk))
        total = sum(len(c) for c in chunks.values())

        prev = old.manifest if old.usable else None
        prev_sources = (prev or {}).get("sources", {})
        full = (rebuild or prev is None or prev["embedding_model"] != mid
                or any(prev_sources.get(k) != v for k, v in hashes.items() if k.startswith("knowledge/")))
        changed = [d["source"] for d in docs if full or prev_sources.get(d["source"]) != d["sha256"]]
        removed = sorted(s for s in prev_sources if not s.startswith("knowledge/") and s not in hashes)

        store = vector_store(settings, embeddings, client=client, collection=collection)
        todo = [c for s in changed for c in chunks[s]]
        reuse = [c for s in chunks if s not in changed for c in chunks[s]]
        if reuse:
            todo += _copy_vectors(settings, old, reuse, store._collection)
        if embeddings is None and todo:
            say(0.15, "加载向量模型")
            embeddings = SentenceEmbeddings(load_model(settings.embedding_model), settings.embedding_model)
            store = vector_store(settings, embeddings, client=client, collection=collection)

        embedded = 0
        for i in range(0, len(todo), 256):
            batch = todo[i:i + 256]
            store.add_documents(batch, ids=[d.id for d in batch])
            embedded += len(batch)
            say(0.2 + 0.7 * embedded / max(1, len(todo)), f"写入向量索引 {embedded}/{len(todo)}")
        count = store._collection.count()
        if count != total:
            raise BuildError(f"the new store holds {count} chunks, {total} were written")

        say(0.95, "写入解析结果与清单")
        _write_json(folder / "tree.json", {"format_version": FORMAT_VERSION, "docs": docs})
        _write_text(folder / "tree.md", tree_markdown(docs))
        manifest = {"format_version": FORMAT_VERSION, "build": build_id,
                    "previous_build": old.manifest["build"] if old.usable and not settings.chroma_host else None,
                    "embedding_model": mid,
                    "store": f"persistent:{folder / 'chroma'}" if not settings.chroma_host else settings.store_target,
                    "collection": collection, "sources": hashes, "chunks": total,
                    "docs": [{"source": d["source"], "doc_number": d["metadata"]["doc_number"],
                              "title": d["metadata"]["title"]} for d in docs],
                    "warnings": skipped, "tree_sha256": _file_sha256(folder / "tree.json"),
                    "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
        _write_json(folder / "manifest.json", manifest)
        if settings.chroma_host:     # the switch replicas follow: the manifest kept on the server itself
            from assistant.store import publish_manifest
            publish_manifest(client, settings, manifest)
        _write_json(settings.manifest_path, manifest)    # the switch: one atomic rename
    except BaseException:
        _discard(settings, folder, collection, client)
        raise
    try:
        _collect_garbage(settings, keep=folder, old=old)
    except Exception as exc:     # the new index is live; leftovers are only disk space
        _log_event(settings, {"event": "index_cleanup_failed", "error": f"{type(exc).__name__}: {exc}"[:300]})
    for w in skipped:
        _log_event(settings, {"event": "source_skipped", "source": w["source"], "reason": w["reason"][:500]})
    if old.problem:
        _log_event(settings, {"event": "index_repaired", "problem": old.problem[:300], "build": build_id})
    say(1.0, "索引已就绪")
    return BuildReport("built" if full else "updated", chunks=total, embedded=embedded,
                       seconds=time.perf_counter() - started, changed=changed, removed=removed,
                       warnings=[warning_text(w) for w in skipped], repaired=old.problem,
                       build_dir=folder, manifest=manifest)


def _copy_vectors(settings: Settings, old: IndexState, chunks: list, target) -> list:
    """Copy the vectors of unchanged chunks from the active store into `target`; return the chunks that
    could not be copied (absent there, or with other text) and so must be embedded."""
    from assistant.store import chroma_client
    source = chroma_client(settings, old.build_dir / "chroma").get_collection(old.manifest["collection"])
    missing = []
    for i in range(0, len(chunks), 500):
        part = chunks[i:i + 500]
        got = source.get(ids=[c.id for c in part], include=["embeddings", "documents"])
        found = {id_: (doc, emb) for id_, doc, emb in zip(got["ids"], got["documents"], got["embeddings"])}
        keep = [c for c in part if c.id in found and found[c.id][0] == c.page_content]
        kept = {c.id for c in keep}
        missing += [c for c in part if c.id not in kept]
        if keep:
            target.add(ids=[c.id for c in keep], embeddings=[found[c.id][1] for c in keep],
                       documents=[c.page_content for c in keep], metadatas=[c.metadata for c in keep])
    return missing


def _discard(settings: Settings, folder: Path, collection: str, client) -> None:
    """Undo a build that did not complete: its folder, and on a chroma server its collection."""
    from assistant.store import forget_client
    if settings.chroma_host and client is not None:
        try:
            client.delete_collection(collection)
        except Exception:     # never created, or the server is gone: nothing to undo there
            pass
    forget_client(folder / "chroma")
    shutil.rmtree(folder, ignore_errors=True)


def _collect_garbage(settings: Settings, keep: Path, old: IndexState) -> None:
    """After a switch: delete builds no manifest points at (keeping each one's previous local build),
    the old server collection, and the files of the pre-builds/ layout."""
    from assistant.store import chroma_client, forget_client
    wanted = {keep.name}
    for path in settings.data_dir.glob("manifest*.json"):
        m, _ = _load_manifest(path)
        if m:
            wanted.update(str(m.get(k)) for k in ("build", "previous_build") if m.get(k))
    active_collections = set()
    for path in settings.data_dir.glob("manifest*.json"):
        m, _ = _load_manifest(path)
        if m and m.get("store") == settings.store_target:
            active_collections.add(m.get("collection"))
    server = chroma_client(settings) if settings.chroma_host else None
    old_collection = (old.manifest or {}).get("collection")
    if server is not None and isinstance(old_collection, str) and old_collection not in active_collections:
        try:
            server.delete_collection(old_collection)
        except Exception:     # already gone
            pass
    builds = settings.data_dir / "builds"
    for folder in builds.iterdir() if builds.is_dir() else []:
        if folder.name in wanted or not folder.is_dir():
            continue
        info, _ = _load_manifest(folder / "build.json")
        if (server is not None and info and info.get("store") == settings.store_target
                and info.get("collection") not in active_collections):
            try:
                server.delete_collection(info["collection"])
            except Exception:
                pass
        forget_client(folder / "chroma")
        shutil.rmtree(folder, ignore_errors=True)
    if not settings.chroma_host:       # the layout before builds/: one store and dump in data_dir itself
        forget_client(settings.data_dir / "chroma")
        shutil.rmtree(settings.data_dir / "chroma", ignore_errors=True)
        for name in ("tree.json", "tree.md"):
            (settings.data_dir / name).unlink(missing_ok=True)


@contextmanager
def _build_lock(settings: Settings, say):
    """One build at a time per data_dir, across processes (flock; released when the process dies)."""
    import fcntl
    path = settings.data_dir / ".build.lock"
    with open(path, "a+") as f:
        deadline = time.monotonic() + BUILD_LOCK_TIMEOUT
        told = False
        while True:
            try:
                fcntl.flock(f, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    f.seek(0)
                    raise BuildError(f"another process ({f.read().strip() or 'unknown'}) has been building the index "
                                     f"in {settings.data_dir} for over {BUILD_LOCK_TIMEOUT:.0f} s") from None
                if not told:
                    say(0.01, "等待另一个进程完成索引构建")
                    told = True
                time.sleep(0.5)
        try:
            f.seek(0)
            f.truncate()
            f.write(f"pid {os.getpid()} since {time.strftime('%Y-%m-%dT%H:%M:%S')}")
            f.flush()
            yield
        finally:
            fcntl.flock(f, fcntl.LOCK_UN)


def _log_event(settings: Settings, event: dict) -> None:
    from assistant.eventlog import append_event
    append_event(settings.log_path, event)


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def _write_json(path: Path, data) -> None:
    """Write `data` to path atomically and durably: a temporary file, fsync, rename, fsync of the folder."""
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "w", encoding="utf-8") as f:
            json.dump(data, f, ensure_ascii=False, indent=1)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(path.parent)


def _write_text(path: Path, text: str) -> None:
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())


def tree_markdown(docs: list[dict]) -> str:
    """A dump a person can read against the source to check the parse."""
    out = []
    for d in docs:
        m = d["metadata"]
        out += [f"# {m['title']}", "", f"- 文号: {m['doc_number']}", f"- 发布时间: {m['published']}",
                f"- 效力: {m['status']}", f"- 发文机关: {'、'.join(m['issuers'])}",
                f"- 落款日期: {m['signature_date_raw']!r} -> {m['signature_date']}",
                f"- 主送: {m['addressees']}", f"- 来源: {d['source']} (sha256 {d['sha256'][:12]}…)", ""]
        for n in d["nodes"]:
            indent = "    " if n["kind"] == "sentence" else ""
            extra = f"  ⟨附件引用: 原文“{n['annex_ref']['raw']}”即{n['annex_ref']['repaired']}⟩" if "annex_ref" in n else ""
            out.append(f"{indent}- `{n['id']}` [{n['label']}] ({n['start']}–{n['end']}) {n['text']}{extra}")
        t = d.get("tables")
        if t:
            out += ["", f"## 附件(来源: {t['source']})", ""]
            for p in t["paths"]:
                flag = "推定" if p["derived"] else "原表"
                out.append(f"- 路径{p['path']} [{flag}, 附件序号{p['annex_rows']}] {p['held']} → {p['target']}: "
                           f"{p['waived']};{p['then']} {p.get('condition', '')} (据 {p['derived_from'].get('article', '')})")
        out.append("")
    return "\n".join(out)
