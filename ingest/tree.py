"""Cleaned notice text -> article tree with character offsets.

Citation convention (used everywhere: replies, chunks, knowledge data, tests):
  section 一、            article "一"      label "第一条"
  item (一) under 一、     article "一(一)"  label "第一条第(一)项"
  other parts             article "标题" / "文号" / "主送" / "引言" / "落款"
A 通知's sections are cited as 第N条 and their items as 第(N)项, which is how
helpline scripts read them aloud. Every node carries [start, end) offsets into
the cleaned text and its text is exactly cleaned[start:end].
"""
from __future__ import annotations

import re

from .page import is_addressee

SECTION = re.compile(r"^([一二三四五六七八九十]+)、")
ITEM = re.compile(r"^\(([一二三四五六七八九十]+)\)|^（([一二三四五六七八九十]+)）")
SENTENCE = re.compile(r"[^。！？!?\n]+(?:[。！？!?]+[”’」]?)?")
# The scraper dropped the dash of "序号1—3": the digits run together.
ANNEX_REF = re.compile(r"参见附件中?序号(\d{1,8})\s*$")
# "附件:1.对照表" and the numbered lines after it list the attachments; they are not rules.
ANNEX_LIST = re.compile(r"^附件\s*[:：\d]")
ANNEX_LIST_MORE = re.compile(r"^\d{1,2}\s*[.、.]")

PART_ARTICLES = {"title": "标题", "docinfo": "文号", "addressee": "主送", "preamble": "引言", "signature": "落款"}
PART_LABELS = {"title": "标题", "docinfo": "文号及发布时间", "addressee": "主送机关", "preamble": "引言", "signature": "落款"}


def build_tree(cleaned: str, metadata: dict) -> list[dict]:
    """Return the nodes in document order (parents before children).

    `metadata` is the page's (ingest.page): it says how many lines the title and
    the signature block take. Linear in the page: a block that grows paragraph
    by paragraph only moves its end, and its text is cut once at the end."""
    lines, pos = [], 0
    for text in cleaned.split("\n"):
        lines.append((pos, pos + len(text), text))
        pos += len(text) + 1

    nodes: list[dict] = []
    extended: dict[int, dict] = {}      # id(node) -> node, for the blocks whose end moved

    def grow(n: dict, end: int) -> None:
        # a further paragraph of block n: only its end moves; its text is cut once, at the end
        n["end"] = end
        extended[id(n)] = n

    def node(kind, node_id, start, end, article, label, parent=None, **extra):
        n = {"id": node_id, "kind": kind, "article": article, "label": label, "parent": parent,
             "start": start, "end": end, "text": cleaned[start:end], **extra}
        nodes.append(n)
        return n

    t = metadata.get("title_lines", 1)
    node("title", "title", lines[0][0], lines[t - 1][1], "标题", "标题")
    node("docinfo", "docinfo", lines[t][0], lines[t][1], "文号", "文号及发布时间")

    body = lines[t + 1:]
    sig_lines = metadata.get("signature_lines", 0)
    signature, body = (body[-sig_lines:], body[:-sig_lines]) if sig_lines else ([], body)
    annex_list = None

    # Group body lines into blocks: addressee, preamble, sections, items.
    section = item = None
    section_no = item_no = 0
    blocks: list[tuple[dict, list]] = []     # (owner node, its paragraph lines)
    for i, (start, end, text) in enumerate(body):
        if i == 0 and is_addressee(text):
            node("addressee", "addressee", start, end, "主送", "主送机关")
            continue
        if ANNEX_LIST.match(text) or (annex_list and ANNEX_LIST_MORE.match(text)):
            if annex_list:
                grow(annex_list, end)
            else:
                annex_list = node("annex_list", "annex_list", start, end, "附件", "附件目录")
            continue
        if m := SECTION.match(text):
            section_no += 1
            item_no, item = 0, None
            numeral = m.group(1)
            section = node("section", f"sec{section_no}", start, end, numeral, f"第{numeral}条",
                           heading=text[m.end():].strip())
            continue
        if section and (m := ITEM.match(text)):
            item_no += 1
            numeral = m.group(1) or m.group(2)
            item = node("item", f"{section['id']}.item{item_no}", start, end,
                        f"{section['article']}({numeral})", f"{section['label']}第({numeral})项",
                        parent=section["id"], marker=text[:m.end()])
            blocks.append((item, [(start, end)]))
            continue
        owner = item or section
        if owner is None:
            if blocks and blocks[-1][0]["kind"] == "preamble":
                blocks[-1][1].append((start, end))
                grow(blocks[-1][0], end)
            else:
                pre = node("preamble", "preamble", start, end, "引言", "引言")
                blocks.append((pre, [(start, end)]))
            continue
        # A further paragraph of the same item (or of a section without items).
        if blocks and blocks[-1][0] is owner:
            blocks[-1][1].append((start, end))
            grow(owner, end)
        else:
            blocks.append((owner, [(start, end)]))

    for owner, paragraphs in blocks:
        n = 0
        first = None
        for start, end in paragraphs:
            for m in SENTENCE.finditer(cleaned, start, end):
                s, e = m.start(), m.end()
                while s < e and cleaned[s] == " ":
                    s += 1
                while e > s and cleaned[e - 1] == " ":
                    e -= 1
                if s == e:
                    continue
                n += 1
                extra = {"index": n}
                if ref := ANNEX_REF.search(cleaned[s:e]):
                    extra["annex_ref"] = annex_range(ref.group(1))
                sentence = node("sentence", f"{owner['id']}.s{n}", s, e, owner["article"],
                                owner["label"], parent=owner["id"], **extra)
                first = first or sentence
        if owner["kind"] == "item" and first is not None:
            owner["heading"] = first["text"][len(owner["marker"]):].rstrip("。")

    if signature:
        node("signature", "signature", signature[0][0], signature[-1][1], "落款", "落款")
    for n in extended.values():     # blocks that grew: their text, cut once
        n["text"] = cleaned[n["start"]:n["end"]]
    return nodes


def annex_range(digits: str) -> dict:
    """Undo the scraper's lost dash: "13" -> 1—3, "47" -> 4—7, "1012" -> 10—12.

    Of the ways to cut the digits into first < last we take the one with the
    smallest last row, the reading that keeps the annex shortest.
    """
    if len(digits) == 1:
        first = last = int(digits)
    else:
        cuts = [(int(digits[:k]), int(digits[k:])) for k in range(1, len(digits))
                if not digits[k:].startswith("0") and int(digits[:k]) < int(digits[k:])]
        first, last = min(cuts, key=lambda c: c[1]) if cuts else (int(digits), int(digits))
    shown = f"{first}—{last}" if first != last else str(first)
    return {"raw": digits, "first": first, "last": last, "repaired": f"序号{shown}"}


def article_index(nodes: list[dict]) -> dict[str, dict]:
    """Article id -> the node a citation of that article quotes from."""
    return {n["article"]: n for n in nodes if n["kind"] != "sentence"}
