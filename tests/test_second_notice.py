"""With a second notice in sources/, an answer quoting it names that notice (title and 文号), in its
wording as well as in its citation card; the certificate rules still come from 人社厅发〔2026〕1号."""
from __future__ import annotations

import shutil

from conftest import ROOT, notice_page
from test_steps import HashingEmbeddings



def test_an_answer_quoting_a_second_notice_names_that_notice(tmp_path):
    from assistant import Assistant
    from assistant.config import Settings
    sources = tmp_path / "sources"
    shutil.copytree(ROOT / "knowledge" / "sources", sources)
    (sources / "zz_second.txt").write_text(notice_page("(一)各地应当建立季度安全巡查台账,由巡查小组逐月记录巡查结果。"),
                                           encoding="utf-8")
    a = Assistant(Settings.from_env(sources_dir=sources, data_dir=tmp_path / "index", chroma_host="",
                                    audit_db=tmp_path / "a.sqlite3", log_path=tmp_path / "log.jsonl"), HashingEmbeddings())
    r = a.conversation(mode="helpline").ask("季度安全巡查台账由谁逐月记录?")
    assert r.citations and r.citations[0]["doc"] == "测试厅发〔2026〕7号", r.citations
    for text in (r.text("worker"), r.script):
        assert "测试厅发〔2026〕7号" in text and "焊接作业安全巡查制度" in text, text
        assert "人社厅发〔2026〕1号" not in text
    rule = a.conversation().ask("低压电工证能换建筑电工证吗")
    assert rule.verdict == "answered" and rule.citations[0]["doc"] == "人社厅发〔2026〕1号"
