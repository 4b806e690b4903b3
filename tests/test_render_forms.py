"""The plain-text forms of a reply: the helpline script, the share text, the exports."""
from __future__ import annotations

import json
import re
from datetime import datetime, timezone

import pytest

from assistant.render import (citation_summary, conversation_text, export_stem, group_citations, plain_text,
                              printable_html, share_text, spoken_script)

DOC = "人社厅发〔2026〕1号"
MARKDOWN = re.compile(r"\*\*|__|`|^\s*#|^\s*>|^\s*[-*•]\s|\|", re.M)
JARGON = re.compile(r"推定|附件原表|收录网页|本系统|derived|索引|检索")


def dev_questions():
    from pathlib import Path
    path = Path(__file__).parent / "data" / "dev_conversations.jsonl"
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [row["turns"] for row in rows]


def test_scripts_of_the_whole_dev_set_are_plain_and_end_with_the_citation_line(assistant):
    meta = assistant.metadata()
    for turns in dev_questions():
        conv = assistant.conversation(mode="helpline")
        for q in turns:
            r = conv.ask(q)
            script = spoken_script(r, meta)
            assert not MARKDOWN.search(script), (q, script)
            assert not JARGON.search(script), (q, script)
            last = script.splitlines()[-1]
            assert last.startswith("依据:《") and DOC in last, (q, last)
            for g in group_citations(r.citations):
                assert g["label"] in last, (q, last)
            assert "2026年1月9日" in last


def test_annex_question_script_drops_the_internal_note(assistant):
    r = assistant.conversation(mode="helpline").ask("附件里一共有哪些互认路径?")
    script = spoken_script(r, assistant.metadata())
    assert "网页" not in script and "附件原表" not in script


def test_citations_are_grouped_by_item():
    c = {"doc": DOC, "article": "一(一)", "label": "第一条第(一)项", "date": "2026-01-09", "quote": "甲。"}
    groups = group_citations([c, dict(c, quote="乙。"), dict(c), dict(c, article="二(一)", label="第二条第(一)项")])
    assert [g["article"] for g in groups] == ["一(一)", "二(一)"]
    assert groups[0]["quotes"] == ["甲。", "乙。"]
    assert citation_summary([c]).endswith("第一条第(一)项。")


def test_plain_text_removes_markdown_and_bullets():
    assert plain_text("**要点**\n- 第一条\n- 第二条。\n> 引文") == "要点\n第一条。\n第二条。\n引文"


def test_share_text_has_the_answer_and_the_citation_line(assistant):
    q = "安监局发的低压电工证去工地考建筑电工还要培训吗"
    r = assistant.conversation().ask(q)
    text = share_text(q, r, "worker", assistant.metadata())
    assert text.startswith("问:" + q) and r.lead in text and "下一步" in text
    assert text.splitlines()[-1].startswith("依据:《") and "第一条第(一)项" in text.splitlines()[-1]
    assert not MARKDOWN.search(text)


@pytest.fixture(scope="module")
def long_history(assistant):
    conv = assistant.conversation()
    for q in ["安监局发的低压电工证去工地考建筑电工还要培训吗", "那高压电工呢?", "<b>建筑焊工证</b>能算几级工?"]:
        conv.ask(q)
    return conv


def test_exports_hold_every_turn(assistant, long_history):
    meta = assistant.metadata()
    text = conversation_text(meta, long_history.history)
    html = printable_html(meta, long_history.history)
    md = long_history.to_markdown()
    for form in (text, md):
        assert "那高压电工呢" in form and "建筑焊工证" in form and "安监局" in form
    assert html.count("<section>") == 3 and "&lt;b&gt;建筑焊工证&lt;/b&gt;" in html and "<b>建筑焊工证" not in html
    assert "<script" not in html and 'lang="zh-CN"' in html


def test_file_names_are_in_china_time():
    assert export_stem(datetime(2026, 11, 27, 17, 30, tzinfo=timezone.utc).isoformat()) == "政策咨询记录-20261128-0130"
