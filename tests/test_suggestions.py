"""Follow-up suggestions come from the rule tables only, and each one is answered as it says."""
from __future__ import annotations

import pytest

from assistant.reply import Reply
from assistant.suggestions import examples, follow_ups, level_question, recognition_question


def reply(verdict="answered", rule=None):
    return Reply(verdict=verdict, step="x", lead="", body={"worker": "", "helpline": ""}, rule=rule or {})


def test_recognition_gives_level_reverse_and_sibling(assistant):
    r, c = assistant.rules, assistant.catalog
    s = follow_ups(reply(rule={"paths": [1]}), r, c)
    assert [x.kind for x in s] == ["level", "reverse", "sibling"]
    assert s[0].question == level_question(c, "em_low_voltage")
    assert s[1].question == recognition_question(c, r.recognition_for("mohurd_electrician", "em_low_voltage"))
    assert s[2].question == recognition_question(c, r.recognition_for("em_high_voltage", "mohurd_electrician"))


def test_no_reverse_where_the_notice_grants_none(assistant):
    s = follow_ups(reply(rule={"paths": [2]}), assistant.rules, assistant.catalog)   # 高压 -> 建筑电工
    assert "reverse" not in [x.kind for x in s]


def test_helpline_wording(assistant):
    s = follow_ups(reply(rule={"paths": [1]}), assistant.rules, assistant.catalog, mode="helpline")
    assert s and all(x.question.startswith("来电人") for x in s)


def test_nothing_for_clarify_metadata_or_retrieval(assistant):
    r, c = assistant.rules, assistant.catalog
    assert follow_ups(reply("clarify", {"pending": "held"}), r, c) == []
    assert follow_ups(reply(rule={"metadata": "doc_number"}), r, c) == []
    assert follow_ups(reply(rule={"retrieval": {}}), r, c) == []
    assert follow_ups(reply("out_of_scope"), r, c) == []


def test_every_suggestion_names_a_granted_path_or_level(assistant):
    """Never invented: each question is one built from a rule row."""
    r, c = assistant.rules, assistant.catalog
    allowed = {recognition_question(c, p) for p in r.paths} | {level_question(c, h) for h in r.levels}
    rules = [{"paths": [p.number]} for p in r.paths] + [{"level": h} for h in r.levels] + \
            [{"paths": [], "nearby": [p.number for p in r.paths]}]
    for rule in rules:
        for s in follow_ups(reply(rule=rule), r, c):
            assert s.question in allowed, (rule, s)


@pytest.mark.parametrize("mode", ["worker", "helpline"])
@pytest.mark.parametrize("kind", ["path", "level"])
def test_each_suggested_question_is_answered_by_its_rule(assistant, kind, mode):
    r, c = assistant.rules, assistant.catalog
    if kind == "path":
        for p in r.paths:
            got = assistant.conversation(mode=mode).ask(recognition_question(c, p, mode))
            assert got.verdict == "answered" and p.number in got.rule.get("paths", []), (p, got.rule)
    else:
        for h in r.levels:
            got = assistant.conversation(mode=mode).ask(level_question(c, h, mode))
            assert got.verdict == "answered" and got.rule.get("level") == h, (h, got.rule)


def test_suggestions_of_a_real_reply(assistant):
    conv = assistant.conversation()
    got = follow_ups(conv.ask("安监局发的低压电工证去工地考建筑电工还要培训吗"), assistant.rules, assistant.catalog)
    assert got and all("低压电工作业证" in s.question or "高压电工作业证" in s.question for s in got)


def test_helpline_examples_are_in_agent_wording(settings, assistant):
    agent = examples(settings.knowledge_dir, "helpline")
    assert agent and all(q.startswith("来电人") for q in agent)
    assert examples(settings.knowledge_dir, "worker") == assistant.examples
    for q in agent:
        assert assistant.conversation(mode="helpline").ask(q).verdict in ("answered", "not_covered")
