"""The operator's review queue and its evaluation JSONL (dev-set format)."""
from __future__ import annotations

import json

from assistant.audit import AuditLog
from assistant.evaluate import evaluate
from assistant.review import ReviewMarks, eval_jsonl, review_queue, split_session
from assistant.sessions import ConversationStore, new_id


def test_a_thumbs_down_becomes_an_evaluation_row(assistant, tmp_path):
    store = ConversationStore(f"sqlite:///{tmp_path / 'conv.sqlite3'}")
    audit = AuditLog(tmp_path / "audit.sqlite3", drain_interval=0)
    conv = assistant.conversation()
    conv.ask("我的电话13812345678,低压电工证能换建筑电工证吗")
    r = conv.ask("那高压电工呢?")
    cid = new_id()
    store.save(cid, conv.to_record())
    audit.record(question="那高压电工呢?", answer=r.answer, verdict=r.verdict, citations=r.citations,
                 mode="worker", rating=0, session_id=f"{cid}:1")
    audit.record(question="那高压电工呢?", comment="原因:不准确", session_id=f"{cid}:1")
    audit.record(question="x", rating=1, session_id=f"{cid}:0")

    marks = ReviewMarks(store.engine)
    queue = review_queue(audit.rows(), store, marks.all())
    assert len(queue) == 1 and queue[0]["turn"] == 1 and queue[0]["comments"] == ["原因:不准确"]
    assert eval_jsonl(queue) == ""          # nothing marked yet
    marks.mark(queue[0]["uid"], "answered", ["一(一)"], "feedback", ["免予安全作业培训"])
    queue = review_queue(audit.rows(), store, marks.all())
    lines = eval_jsonl(queue).splitlines()
    row = json.loads(lines[0])
    assert set(row) == {"id", "category", "turns", "gold"}
    assert len(row["turns"]) == 2 == len(row["gold"])
    assert "13812345678" not in row["turns"][0]
    assert row["gold"][1] == {"verdict": "answered", "items": ["一(一)"], "facts": ["免予安全作业培训"]}
    # the exported file runs through the evaluation as it is
    path = tmp_path / "fb.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = evaluate(assistant, path)
    assert result["conversations"] == 1 and result["passed"] == 1


def test_split_session():
    assert split_session("abc:3") == ("abc", 3)
    assert split_session("abc") == ("abc", None)
