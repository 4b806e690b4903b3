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
