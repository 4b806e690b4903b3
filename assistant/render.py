"""One renderer per output of a Reply: CLI text, JSON, Markdown export, helpline script.

The reply's own text is plain (no Markdown), so each output adds only its own form:
the export escapes what the worker typed and sets the lead in bold; the script is read
aloud and carries the full citation line; the app (app.py) renders the same fields
with Streamlit elements.
"""
from __future__ import annotations

import re

from .reply import Reply


def cli_text(question: str, reply: Reply) -> str:
    lines = [f"问:{question}", f"【{reply.badge}】", reply.answer]
    lines += [f"  · {c['label']}({c['doc']}):“{c['quote']}”" for c in reply.citations]
    return "\n".join(lines) + "\n"


def json_dict(reply: Reply) -> dict:
    return reply.to_dict()


def helpline_script(reply: Reply) -> str:
    """What an agent reads aloud: plain sentences, ending with the full citation line."""
    return reply.script


def citation_line(c: dict) -> str:
    return f"{c['label']}({c['doc']},{c['date']}):“{c['quote']}”" + (f"({c['note']})" if c.get("note") else "")


def conversation_markdown(meta: dict, history: list[dict]) -> str:
    lines = ["# 证书互通互认咨询记录", "",
             f"依据:《{meta['title']}》({meta['doc_number']},发布时间 {meta['published']},{meta['status']})", ""]
    for i, turn in enumerate(history, 1):
        r: Reply = turn["reply"]
        lines += [f"## {i}. 问:{md_escape(str(turn['question']))}", "", f"**结论:{r.badge}**", ""]
        if r.lead:
            lines += [f"**{md_escape(r.lead)}**", ""]
        lines += [md_escape(line) for line in r.body.get(r.mode, "").splitlines()] + [""]
        lines += [f"> {md_escape(citation_line(c))}" for c in r.citations] + [""]
    return "\n".join(lines)


def md_escape(text: str) -> str:
    return re.sub(r"([\\`*_{}\[\]<>#|])", r"\\\1", text)


# ----------------------------------------------------------------------------- the chat page's forms
# Pure functions the Streamlit page (app.py) and the operator page render; no Streamlit here.

CHINA = "Asia/Shanghai"

# Words that mean something to the people who built the index, not to a caller.
_JARGON = re.compile(r"推定|附件原表|收录网页|网页未载|网页没有|本系统|按正文整理|derived|chunk|索引|检索")
_JARGON_PHRASES = [(re.compile(r"据收录网页标注[,,]?"), ""), (re.compile(r"\(?(?:对应)?附件序号[\d—\-]+之一[;;]?"), "")]
_MD_SYMBOLS = re.compile(r"\*\*|__|`+|^\s*#+\s*|^\s*>\s?|\|", re.M)


def china_time(value=None):
    """A datetime in China time: `value` an ISO string (naive = this server's local time) or None (now)."""
    from datetime import datetime
    from zoneinfo import ZoneInfo
    if value is None:
        t = datetime.now().astimezone()
    else:
        t = datetime.fromisoformat(str(value))
        if t.tzinfo is None:
            t = t.astimezone()          # naive times are this server's local time (Conversation.ask)
    return t.astimezone(ZoneInfo(CHINA))


def export_stem(now=None) -> str:
    """File name stem in China time, e.g. 政策咨询记录-20261127-2135."""
    return f"政策咨询记录-{china_time(now):%Y%m%d-%H%M}"


def group_citations(citations) -> list[dict]:
    """One group per cited item (doc, article), in first-cited order; its distinct quotes and notes inside."""
    groups: dict[tuple, dict] = {}
    for c in citations or []:
        c = c.to_dict() if hasattr(c, "to_dict") else dict(c)
        key = (c.get("doc"), c.get("article"))
        g = groups.get(key)
        if g is None:
            g = groups[key] = {"doc": c.get("doc") or "", "article": c.get("article") or "",
                               "label": c.get("label") or c.get("article") or "原文", "date": c.get("date") or "",
                               "doc_title": c.get("doc_title") or "", "text": c.get("text"),
                               "quotes": [], "notes": [], "derived": False}
        q = (c.get("quote") or "").strip()
        if q and q not in g["quotes"]:
            g["quotes"].append(q)
        if c.get("note") and c["note"] not in g["notes"]:
            g["notes"].append(c["note"])
        g["derived"] = g["derived"] or bool(c.get("derived"))
    return list(groups.values())


def citation_summary(citations, meta: dict | None = None) -> str:
    """One line naming the notice and every cited item: 依据:《…》(文号,日期)第一条第(一)项、…"""
    groups = group_citations(citations)
    if not groups:
        return ""
    meta = meta or {}
    g0 = groups[0]
    title = meta.get("title") or g0["doc_title"] or meta.get("short_title") or ""
    doc = g0["doc"] or meta.get("doc_number", "")
    date = g0["date"] or meta.get("published", "")
    labels = "、".join(dict.fromkeys(g["label"] for g in groups if g["doc"] == g0["doc"]))
    return f"依据:《{title}》({doc},{chinese_date(date)}){labels}。"


def chinese_date(value: str) -> str:
    """'2026-01-09' -> '2026年1月9日' (as read aloud); anything else unchanged."""
    m = re.match(r"^(\d{4})-(\d{1,2})-(\d{1,2})$", str(value or ""))
    return f"{m[1]}年{int(m[2])}月{int(m[3])}日" if m else str(value or "")


def answer_sections(reply: Reply, mode: str = "worker") -> dict:
    """The worker's answer in reading order for a small screen: the lead, the next step, the rest.
    The closing 依据 paragraph is left out (the grouped citation cards carry it)."""
    paras = [p.strip() for p in re.split(r"\n\s*\n", reply.body.get(mode, "") or "") if p.strip()]
    steps = [p for p in paras if p.startswith("下一步")]
    rest = [p for p in paras if p not in steps and not p.startswith("依据")]
    return {"lead": reply.lead, "next": steps, "rest": rest}


def _sentences(paragraph: str) -> list[str]:
    return [s for s in re.split(r"(?<=[。;;!!??])", paragraph) if s]


def plain_text(text: str) -> str:
    """Text to be read aloud or pasted anywhere: no Markdown symbols, no bullets, no internal jargon."""
    out: list[str] = []
    for para in re.split(r"\n\s*\n", text or ""):
        lines = []
        for line in para.splitlines():
            line = line.strip()
            if not line:
                continue
            bullet = bool(re.match(r"^[-*•·]\s+", line))
            line = re.sub(r"^[-*•·]\s+", "", line)
            line = _MD_SYMBOLS.sub("", line)
            for rx, repl in _JARGON_PHRASES:
                line = rx.sub(repl, line)
            line = re.sub(r"[((][^()()]*?(?:推定|附件原表|网页|本系统)[^()()]*?[))]", "", line)
            kept = [s for s in _sentences(line) if not _JARGON.search(s)]
            line = "".join(kept).strip()
            if not line:
                continue
            if bullet and not re.search(r"[。;;!!??]$", line):
                line += "。"
            lines.append(line)
        if lines:
            out.append("\n".join(lines))
    return "\n\n".join(out).strip()


def spoken_script(reply: Reply, meta: dict | None = None) -> str:
    """The helpline script an agent reads aloud: plain sentences, ending with the full citation line
    (notice title, document number, date and every cited item)."""
    text = plain_text(reply.script)
    paras = text.split("\n\n") if text else []
    if paras and paras[-1].startswith("依据"):
        paras = paras[:-1]
    line = citation_summary(reply.citations, meta)
    if line:
        paras.append(line)
    elif meta:
        paras.append(f"依据:《{meta.get('title', '')}》({meta.get('doc_number', '')},"
                     f"{chinese_date(meta.get('published', ''))})。")
    return "\n\n".join(p for p in paras if p.strip())


def share_text(question: str, reply: Reply, mode: str = "worker", meta: dict | None = None) -> str:
    """One answer as plain text for a chat app or an SMS: question, answer, then the citation line."""
    if mode == "helpline":
        return f"问:{question}\n\n{spoken_script(reply, meta)}"
    body = plain_text(reply.body.get("worker", ""))
    paras = [p for p in body.split("\n\n") if p and not p.startswith("依据")]
    head = f"【{reply.badge}】{reply.lead}" if reply.lead else f"【{reply.badge}】"
    parts = [f"问:{question}", head.strip()] + paras
    line = citation_summary(reply.citations, meta)
    if line:
        parts.append(line)
    return "\n\n".join(p for p in parts if p.strip())


def conversation_text(meta: dict, history: list[dict]) -> str:
    """The whole conversation as plain text (every turn), for phones."""
    head = f"证书互通互认咨询记录\n依据:《{meta.get('title', '')}》({meta.get('doc_number', '')},{meta.get('published', '')})"
    turns = [f"{i}. {share_text(t['question'], t['reply'], t['reply'].mode, meta)}"
             for i, t in enumerate(history, 1)]
    return "\n\n".join([head] + turns) + "\n"


def printable_html(meta: dict, history: list[dict], now=None) -> str:
    """A self-contained page (every turn, its citations) that a phone can open, print or save as PDF.
    Every piece of text is HTML-escaped; the page has no script."""
    from html import escape
    rows = []
    for i, t in enumerate(history, 1):
        r: Reply = t["reply"]
        body = plain_text(r.body.get(r.mode, ""))
        paras = "".join(f"<p>{escape(p)}</p>" for p in body.split("\n\n") if p and not p.startswith("依据"))
        cites = "".join(
            f"<blockquote><b>{escape(g['label'])}</b>({escape(g['doc'])},{escape(g['date'])})"
            + "".join(f"<br>“{escape(q)}”" for q in g["quotes"]) + "</blockquote>"
            for g in group_citations(r.citations))
        when = ""
        try:
            when = f"{china_time(t.get('time')):%Y-%m-%d %H:%M}"
        except Exception:
            pass
        rows.append(f"<section><h2>{i}. 问:{escape(str(t['question']))}</h2><p class=meta>{escape(when)}</p>"
                    f"<p class=badge>{escape(r.badge)}</p><p class=lead>{escape(r.lead)}</p>{paras}{cites}</section>")
    title = escape(meta.get("title", ""))
    return ("<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            f"<title>证书互通互认咨询记录 {china_time(now):%Y-%m-%d %H:%M}</title><style>"
            "body{font:17px/1.6 sans-serif;color:#1a1a1a;max-width:46em;margin:1em auto;padding:0 1em}"
            "h1{font-size:1.3em}h2{font-size:1.1em;margin-top:1.5em}.meta{color:#555;font-size:.9em}"
            ".badge{display:inline-block;border:1px solid #1a1a1a;padding:0 .4em}.lead{font-weight:bold}"
            "blockquote{border-left:4px solid #888;margin:.5em 0;padding:.2em .8em;color:#333}"
            "@media print{section{break-inside:avoid}}</style></head><body>"
            f"<h1>证书互通互认咨询记录</h1><p>依据:《{title}》({escape(meta.get('doc_number', ''))},"
            f"{escape(meta.get('published', ''))})。仅供参考,具体以当地主管部门解释为准;咨询电话 12333。</p>"
            f"<p class=meta>导出时间(北京时间):{china_time(now):%Y-%m-%d %H:%M}</p>"
            + "".join(rows) + "</body></html>")
