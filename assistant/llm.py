"""Optional LLM wording, off by default.

The model never decides anything: it receives the rule's verdict, the verified
citations and the deterministic draft, and may only reword the draft. Its output
must keep the verdict and cite only articles with verbatim quotes (checked by the
same Citer); otherwise the deterministic answer is kept and the fallback is
recorded in the reply.
"""
from __future__ import annotations

import json
import logging
import re

log = logging.getLogger("assistant.llm")


def make_chat_model(config: dict):
    """A langchain chat model from ASSISTANT_LLM_* settings, or None when not configured."""
    if not config.get("provider"):
        return None
    from langchain.chat_models import init_chat_model
    kwargs = {k: config[k] for k in ("base_url", "api_key") if config.get(k)}
    try:
        return init_chat_model(config.get("model", ""), model_provider=config["provider"], temperature=0, **kwargs)
    except Exception as exc:   # e.g. the provider's langchain package is not installed
        log.error("LLM wording disabled: %s", exc)
        return None


def reword(chat_model, question: str, reply, mode: str, system_prompt: str, citer):
    """Return the reply, reworded by the model if its output passes every check."""
    from langchain_core.messages import HumanMessage, SystemMessage
    payload = {"question": question, "mode": mode, "verdict": reply.verdict, "lead": reply.lead,
               "citations": [{"article": c["article"], "label": c["label"], "quote": c["quote"]} for c in reply.citations],
               "draft": reply.body[mode]}
    try:
        out = chat_model.invoke([SystemMessage(system_prompt), HumanMessage(json.dumps(payload, ensure_ascii=False))])
        data = json.loads(_json_block(out.content if isinstance(out.content, str) else str(out.content)))
    except Exception as exc:
        return _fallback(reply, f"unusable output: {type(exc).__name__}")
    if data.get("verdict") != reply.verdict:
        return _fallback(reply, f"verdict changed to {data.get('verdict')!r}")
    allowed = {c["article"]: c for c in reply.citations}
    citations = []
    for c in data.get("citations", []):
        base = allowed.get(c.get("article"))
        if base is None or not citer.verify(base["doc"], c["article"], c.get("quote", "")):
            return _fallback(reply, f"citation not verifiable: {c.get('article')!r}")
        citations.append({**base, "quote": c["quote"]})
    answer = str(data.get("answer", "")).strip()
    if not answer or (reply.citations and not citations):
        return _fallback(reply, "empty answer or citations dropped")
    source = reply.lead + reply.body[mode] + "".join(c["quote"] for c in reply.citations)
    if added := added_facts(answer, source):
        return _fallback(reply, f"adds what the answer and quotes do not say: {added[:3]}")
    reply.body = {**reply.body, mode: answer}
    reply.citations = citations
    reply.llm = {"used": True}
    return reply


# What a rewording may not add: a link, an e-mail, a phone number, a number (a fee, a date, a count of
# days) or a Markdown link/image. Each must already be in the deterministic answer or the quotes.
_LINK = re.compile(r"(https?://\S+|www\.\S+|[\w.+-]+@[\w-]+\.[\w.]+|\]\(|!\[|<a\b|\b[\w-]+\.(?:com|cn|net|org|gov)\b)", re.I)
_NUMBER = re.compile(r"\d{2,4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*[日号])?|\d{1,2}\s*月\s*\d{1,2}\s*[日号]"   # dates
                     r"|\d+(?:[.,]\d+)*\s*(?:元|块|天|日|个月|月|年|周|小时|分钟|%)"                        # a number with a unit
                     r"|[零一二三四五六七八九十百千万两]+(?=[元块天个周小时分钟%])"
                     r"|\d{3,}")                                                                         # phones, codes
_MONEY = re.compile(r"(元|块钱|费用|收费|免费|折扣|优惠价)")


def added_facts(answer: str, source: str) -> list[str]:
    """Links, numbers and money words in `answer` that `source` does not contain."""
    found = [m.group(0) for rx in (_LINK, _NUMBER, _MONEY) for m in rx.finditer(answer)]
    return [f for f in found if f not in source]


def _json_block(text: str) -> str:
    m = re.search(r"\{.*\}", text, re.S)
    if not m:
        raise ValueError("no JSON object")
    return m.group(0)


def _fallback(reply, reason: str):
    log.warning("LLM wording rejected: %s", reason)
    reply.llm = {"used": False, "fallback": reason}
    return reply
