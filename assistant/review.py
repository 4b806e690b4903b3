"""The operator's review of 👎 feedback: the queue, the marks, the evaluation JSONL.

The chat page records feedback with `session_id = "<conversation id>:<turn index>"`, so a 👎 row
leads back to its whole conversation in the ConversationStore. The operator marks the verdict and
the items the answer should have had; `eval_rows` turns marked rows into lines of the dev-set
format (tests/data/dev_conversations.jsonl: id, category, turns, gold), so a real failure becomes
a test. Earlier turns of the same conversation get the gold they were answered with (verdict and
cited items; they were not rated down), the marked turn the operator's gold. Questions are masked
(assistant.pii) before they leave the database.

No Streamlit here; pages/operator.py renders it.
"""
from __future__ import annotations

import json
import threading
from datetime import datetime, timezone

from .evaluate import ITEM_ARTICLES, VERDICTS
from .pii import mask_pii

ITEMS = sorted(ITEM_ARTICLES)


def split_session(session_id) -> tuple[str, int | None]:
    """'<conv id>:<turn index>' -> (conv id, index); anything else -> (value, None)."""
    s = str(session_id or "")
    conv, _, index = s.rpartition(":")
    if conv and index.isdigit():
        return conv, int(index)
    return s, None


def _marks_table():
    from sqlalchemy import Column, MetaData, String, Table, Text
    meta = MetaData()
    return meta, Table("review_marks", meta,
                       Column("uid", String(32), primary_key=True),     # feedback row uid
                       Column("verdict", String(16), nullable=False),
                       Column("items", Text, nullable=False),           # JSON list of articles
                       Column("category", String(40), nullable=False),
                       Column("facts", Text, nullable=False),           # JSON list of strings
                       Column("time", String(40), nullable=False))


_META, MARKS = _marks_table()


class ReviewMarks:
    """The operator's marks, in the conversation store's database."""

    def __init__(self, engine):
        self.engine = engine
        self._lock = threading.Lock()
        _META.create_all(engine, checkfirst=True)

    def mark(self, uid: str, verdict: str, items: list[str], category: str = "feedback",
             facts: list[str] | None = None) -> None:
        if verdict not in VERDICTS:
            raise ValueError(f"unknown verdict {verdict!r}")
        from sqlalchemy import delete, insert
        row = {"uid": str(uid)[:32], "verdict": verdict, "items": json.dumps(sorted(set(items)), ensure_ascii=False),
               "category": (category or "feedback")[:40], "facts": json.dumps(list(facts or []), ensure_ascii=False),
               "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        with self._lock, self.engine.begin() as conn:
            conn.execute(delete(MARKS).where(MARKS.c.uid == row["uid"]))
            conn.execute(insert(MARKS).values(**row))

    def all(self) -> dict[str, dict]:
        from sqlalchemy import select
        with self.engine.connect() as conn:
            rows = conn.execute(select(MARKS)).mappings().all()
        return {r["uid"]: {"verdict": r["verdict"], "items": json.loads(r["items"]), "category": r["category"],
                           "facts": json.loads(r["facts"]), "time": r["time"]} for r in rows}


def review_queue(feedback_rows: list[dict], store, marks: dict | None = None) -> list[dict]:
    """👎 rows, newest first, each with its conversation (if still stored), the turn index and any mark."""
    marks = marks or {}
    comments: dict[str, list[str]] = {}
    for row in feedback_rows:
        if row.get("comment"):
            comments.setdefault(str(row.get("session_id")), []).append(row["comment"])
    out = []
    for row in reversed(feedback_rows):
        if row.get("rating") != 0:
            continue
        conv_id, index = split_session(row.get("session_id"))
        record = store.load(conv_id) if store is not None else None
        history = (record or {}).get("history", [])
        if index is None or index >= len(history):
            index = None
        out.append({"uid": row.get("uid"), "time": row.get("time"), "mode": row.get("mode"),
                    "question": row.get("question"), "answer": row.get("answer"), "verdict": row.get("verdict"),
                    "citations": row.get("citations") or [], "comments": comments.get(str(row.get("session_id")), []),
                    "conversation_id": conv_id, "turn": index, "history": history, "mark": marks.get(row.get("uid"))})
    return out


def _cited_items(reply: dict) -> list[str]:
    return sorted({c.get("article") for c in reply.get("citations", []) if c.get("article") in ITEM_ARTICLES})


def eval_row(entry: dict, mark: dict) -> dict:
    """One line of the dev-set format for a marked queue entry."""
    history = entry.get("history") or []
    if entry.get("turn") is not None:
        earlier = history[:entry["turn"]]
        turns = [mask_pii(h["question"]) for h in earlier] + [mask_pii(history[entry["turn"]]["question"])]
        gold = [{"verdict": h["reply"]["verdict"], "items": _cited_items(h["reply"]), "facts": []} for h in earlier]
    else:   # the conversation is gone: the masked question alone
        turns, gold = [entry.get("question") or ""], []
    gold.append({"verdict": mark["verdict"], "items": sorted(mark.get("items", [])),
                 "facts": list(mark.get("facts", []))})
    row = {"id": f"fb-{str(entry.get('uid'))[:8]}", "category": mark.get("category") or "feedback",
           "turns": turns, "gold": gold}
    if entry.get("mode") == "helpline":
        row["mode"] = "helpline"
    return row


def eval_jsonl(queue: list[dict]) -> str:
    """Every marked entry of the queue as evaluation JSONL."""
    lines = [json.dumps(eval_row(e, e["mark"]), ensure_ascii=False) for e in queue if e.get("mark")]
    return "".join(line + "\n" for line in lines)


def eval_chart_rows(result: dict) -> list[dict]:
    """assistant.evaluate.evaluate()'s result as rows for a bar chart: category, pass rate (%), critical."""
    return [{"类别": k, "通过率(%)": round(100 * v["rate"], 1), "通过": v["passed"], "总数": v["total"]}
            for k, v in result.get("per_category", {}).items()]
