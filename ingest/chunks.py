"""Article tree -> retrieval chunks (langchain Documents).

A chunk is one or more whole sentences of one item (never two items), prefixed
by its section and item headings so that a sentence like "可免予安全技术培训"
still carries "电工" when embedded. The prefix is context, not quotable text:
metadata["body_offset"] says where the verbatim slice begins.

The prefix is the short title, the section's heading line and the item's
marker and heading: never a section's body, so a chunk stays short however
long its section is. Linear in the page: sentences are grouped by owner in
one pass and each owner's prefix is built once.
"""
from __future__ import annotations

from langchain_core.documents import Document

MAX_CHARS = 160
PARTS = ("title", "docinfo", "addressee", "signature", "annex_row", "annex_list")


def chunk_doc(doc: dict, max_chars: int = MAX_CHARS) -> list[Document]:
    nodes = doc["nodes"]
    by_id = {n["id"]: n for n in nodes}
    cleaned = doc["cleaned"]
    chunks: list[Document] = []
    contexts: dict[str, str] = {}

    def emit(owner: dict, start: int, end: int, sentence_ids: list[str], n: int):
        context = contexts.get(owner["id"])
        if context is None:
            context = contexts[owner["id"]] = _context(owner, by_id, doc["metadata"], cleaned)
        body = cleaned[start:end]
        chunks.append(Document(
            id=f"{doc['doc_id']}:{owner['id']}:{n}",
            page_content=f"{context}\n{body}",
            metadata={"doc_id": doc["doc_id"], "doc_number": doc["metadata"]["doc_number"],
                      "source": doc["source"], "article": owner["article"], "label": owner["label"],
                      "node_id": owner["id"], "chunk": n, "start": start, "end": end,
                      "body_offset": len(context) + 1, "sentences": ",".join(sentence_ids)}))

    for part in (n for n in nodes if n["kind"] in PARTS):
        emit(part, part["start"], part["end"], [], 0)

    sentences: dict[str, list[dict]] = {}
    for n in nodes:
        if n["kind"] == "sentence":
            sentences.setdefault(n["parent"], []).append(n)
    owners = [n for n in nodes if n["kind"] in ("preamble", "section", "item")]
    for owner in owners:
        for n, group in enumerate(_group(sentences.get(owner["id"], []), owner, max_chars)):
            emit(owner, group[0]["start"], group[-1]["end"], [s["id"] for s in group], n)
    return chunks


def _group(sentences: list[dict], owner: dict, max_chars: int) -> list[list[dict]]:
    groups: list[list[dict]] = []
    for s in sentences:
        current = groups[-1] if groups else None
        is_heading = owner["kind"] == "item" and s["index"] == 1
        # The item's title sentence is too short to stand alone; the annex pointer
        # belongs to the rule it closes. Both join their neighbour.
        joins = current is not None and (
            "annex_ref" in s
            or (len(current) == 1 and current[0].get("_heading"))
            or (current[-1]["end"] - current[0]["start"]) + len(s["text"]) <= max_chars)
        if joins:
            current.append(s)
        else:
            groups.append([dict(s, _heading=is_heading)])
    return [[{k: v for k, v in s.items() if k != "_heading"} for s in g] for g in groups]


def _context(owner: dict, by_id: dict, metadata: dict, cleaned: str) -> str:
    title = metadata.get("short_title", "")
    if owner["kind"] == "item":
        section = by_id[owner["parent"]]
        return f"{title} {_first_line(section, cleaned)} {owner['marker']}{owner.get('heading', '')}"
    if owner["kind"] == "section":
        return f"{title} {_first_line(owner, cleaned)}"
    return f"{title} {owner['label']}"


def _first_line(node: dict, cleaned: str) -> str:
    """A section's heading line "一、…", without the paragraphs of a section that has no items."""
    end = cleaned.find("\n", node["start"], node["end"])
    return cleaned[node["start"]:node["end"] if end < 0 else end]
