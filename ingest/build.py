"""Sources -> parsed notices -> chunks -> chroma index, with a manifest.

The manifest records the format version, each source's sha256, the embedding
model and the chunk count. A run whose sources, model and format all match the
manifest (and whose collection still holds that many chunks) does no work and
does not even load the model; a changed source re-embeds that source's chunks
only; a changed model or format rebuilds everything.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from assistant.config import Settings

from .annex import load_tables
from .chunks import chunk_doc
from .page import read_page
from .tree import build_tree

FORMAT_VERSION = 6
PAGE_SUFFIXES = (".txt", ".html", ".htm")


@dataclass
class BuildReport:
    status: str                      # "up-to-date" | "built" | "updated"
    chunks: int = 0
    embedded: int = 0
    seconds: float = 0.0
    changed: list[str] = field(default_factory=list)
    removed: list[str] = field(default_factory=list)


def page_files(sources_dir: Path) -> list[Path]:
    return sorted(p for p in sources_dir.iterdir()
                  if p.suffix in PAGE_SUFFIXES and ".annex." not in p.name)


def parse_sources(settings: Settings) -> list[dict]:
    """Every notice page under sources_dir as {doc_id, source, sha256, cleaned, metadata, nodes, tables}."""
    if not settings.sources_dir.is_dir():
        raise FileNotFoundError(f"no sources folder at {settings.sources_dir}")
    docs = []
    for path in page_files(settings.sources_dir):
        page = read_page(path)
        doc = {"doc_id": path.stem, "source": path.name, "sha256": page.sha256, "cleaned": page.cleaned,
               "metadata": page.metadata}
        doc["nodes"] = build_tree(page.cleaned, page.metadata)
        doc["tables"] = load_tables(doc, settings.knowledge_dir, settings.sources_dir)
        if doc["tables"] and not doc["tables"]["source"].startswith("derived"):
            _append_official_annex(doc)
        for n in doc["nodes"]:
            if doc["cleaned"][n["start"]:n["end"]] != n["text"]:
                raise AssertionError(f"{path.name}: node {n['id']} is not a verbatim slice")
        docs.append(doc)
    if not docs:
        raise FileNotFoundError(f"no notice pages (*.txt) in {settings.sources_dir}")
    numbers = [d["metadata"]["doc_number"] for d in docs]
    if len(set(numbers)) != len(numbers):
        raise ValueError(f"two pages carry the same document number: {sorted(numbers)}")
    return docs


def _append_official_annex(doc: dict) -> None:
    """An official annex is part of the notice: append its rows so they can be quoted."""
    for row in doc["tables"]["paths"]:
        line = row["derived_from"]["quote"]
        start = len(doc["cleaned"]) + 1
        doc["cleaned"] += "\n" + line
        doc["nodes"].append({"id": f"annex.row{row['path']}", "kind": "annex_row", "article": row["article"],
                             "label": row["article"], "parent": None, "start": start,
                             "end": start + len(line), "text": line})
        row["derived_from"]["article"] = row["article"]


def source_hashes(settings: Settings) -> dict[str, str]:
    import hashlib
    files = [p for p in settings.sources_dir.iterdir() if p.is_file()] if settings.sources_dir.is_dir() else []
    hashes = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(files)}
    # The tables feed the rules; certificates and aliases make the BM25 dictionary stored with each chunk.
    for name in ("annex_derived.json", "levels.json", "certificates.json", "aliases.json"):
        p = settings.knowledge_dir / name
        if p.exists():
            hashes[f"knowledge/{name}"] = hashlib.sha256(p.read_bytes()).hexdigest()
    return hashes


def read_manifest(settings: Settings) -> dict | None:
    try:
        return json.loads(settings.manifest_path.read_text(encoding="utf-8"))
    except (FileNotFoundError, json.JSONDecodeError):
        return None


def is_current(settings: Settings, manifest: dict | None, model_id: str, chunk_count: int | None) -> bool:
    """Sources, model and format as the manifest says, and the collection holds its chunks (None: no collection)."""
    if not manifest or manifest.get("format_version") != FORMAT_VERSION:
        return False
    if manifest.get("embedding_model") != model_id or manifest.get("sources") != source_hashes(settings):
        return False
    if not (settings.data_dir / "tree.json").exists():
        return False
    return chunk_count == manifest.get("chunks")


def build_index(settings: Settings, rebuild: bool = False, embeddings=None, progress=None) -> BuildReport:
    """Bring the index up to date. `embeddings` is loaded only if something must be embedded."""
    from assistant.embeddings import SentenceEmbeddings, load_model, model_id
    from assistant.store import chroma_client, vector_store

    started = time.perf_counter()
    say = progress or (lambda fraction, message: None)
    mid = embeddings.id if embeddings else model_id(settings.embedding_model)
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    client = chroma_client(settings)
    old = read_manifest(settings)
    existing = _collection_or_none(client, settings.collection)
    count = existing.count() if existing is not None else None
    if not rebuild and is_current(settings, old, mid, count):
        return BuildReport("up-to-date", chunks=old["chunks"], seconds=time.perf_counter() - started)

    from assistant.retrieval import tokenizer, tokens   # jieba and scipy: not needed when up to date
    say(0.05, "解析通知原文")
    docs = parse_sources(settings)
    chunks = {d["source"]: chunk_doc(d) for d in docs}
    # BM25 tokens are computed once here, not by every process that opens the index.
    tk = tokenizer(settings.knowledge_dir)
    for doc in (c for cs in chunks.values() for c in cs):
        doc.metadata["bm25"] = " ".join(tokens(doc.page_content, tk))
    total = sum(len(c) for c in chunks.values())

    full = (rebuild or not old or existing is None or old.get("format_version") != FORMAT_VERSION
            or old.get("embedding_model") != mid or old.get("chunks") != count
            or not (settings.data_dir / "tree.json").exists())
    hashes = source_hashes(settings)
    old_sources = (old or {}).get("sources", {})
    knowledge_changed = any(old_sources.get(k) != v for k, v in hashes.items() if k.startswith("knowledge/"))
    if knowledge_changed:
        full = True
    changed = [d["source"] for d in docs if full or old_sources.get(d["source"]) != d["sha256"]]
    removed = [s for s in old_sources if not s.startswith("knowledge/") and s not in hashes]

    if full and existing is not None:
        client.delete_collection(settings.collection)
    if embeddings is None and changed:
        say(0.15, "加载向量模型")
        embeddings = SentenceEmbeddings(load_model(settings.embedding_model), settings.embedding_model)
    store = vector_store(settings, embeddings, client=client)
    for source in removed + ([] if full else changed):
        store._collection.delete(where={"source": source})

    embedded = 0
    todo = [doc for s in changed for doc in chunks[s]]
    for i in range(0, len(todo), 256):
        batch = todo[i:i + 256]
        store.add_documents(batch, ids=[d.id for d in batch])
        embedded += len(batch)
        say(0.2 + 0.7 * embedded / max(1, len(todo)), f"写入向量索引 {embedded}/{len(todo)}")

    say(0.95, "写入解析结果与清单")
    _write_json(settings.data_dir / "tree.json", {"format_version": FORMAT_VERSION, "docs": docs})
    (settings.data_dir / "tree.md").write_text(tree_markdown(docs), encoding="utf-8")
    manifest = {"format_version": FORMAT_VERSION, "embedding_model": mid, "store": settings.store_target,
                "collection": settings.collection, "sources": hashes, "chunks": total,
                "docs": [{"source": d["source"], "doc_number": d["metadata"]["doc_number"],
                          "title": d["metadata"]["title"]} for d in docs],
                "built_at": time.strftime("%Y-%m-%dT%H:%M:%S%z")}
    _write_json(settings.manifest_path, manifest)   # last: a crash before here leaves the index "not current"
    say(1.0, "索引已就绪")
    return BuildReport("built" if full else "updated", chunks=total, embedded=embedded,
                       seconds=time.perf_counter() - started, changed=changed, removed=removed)


def _collection_or_none(client, name):
    try:
        return client.get_collection(name)
    except Exception:
        return None


def _write_json(path: Path, data) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    os.replace(tmp, path)


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
