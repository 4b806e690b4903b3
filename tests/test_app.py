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


def test_first_page_shows_metadata_examples_and_actions(at):
    side = text_of(at.sidebar)
    assert DOC in side and DATE in side and "全文有效" in side
    assert "关于推进职业技能证书互通互认的通知" in side
    # the main actions sit on the page, not in the sidebar
    assert at.button_group(key="mode_pick").value == "worker"
    assert at.button(key="new_conv") and at.download_button(key="export_txt")
    examples = [b for b in at.main.button if b.key and b.key.startswith("ex_")]
    assert 6 <= len(examples) <= 8
    assert any(lb.proto.url.startswith("http://osta.mohrss.gov.cn") for lb in at.sidebar.get("link_button"))
    # the index and its rebuild live on the operator page only
    assert not [b for b in at.button if b.key == "rebuild"] and "向量模型" not in side
    assert at.chat_input[0]
    assert at.query_params["c"] and at.query_params["mode"] == "worker"


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


def test_example_question_from_the_examples_menu(at):
    first = at.button(key="ex_0")
    question = plain(first.label)
    first.click().run()
    assert not at.exception
    assert len(at.chat_message) == 2
    assert question in text_of(at.chat_message[0])
    assert badge_of(last_reply(at)) in BADGES


def test_helpline_mode_shows_script(at):
    ask(at, Q_LOW)
    assert not at.code   # worker mode: no script block
    at.button_group(key="mode_pick").set_value("helpline").run()
    assert not at.exception
    assert at.session_state["conv"].mode == "helpline"
    assert at.query_params["mode"] == "helpline"
    scripts = [c.value for c in last_reply(at).code]
    assert scripts, text_of(last_reply(at))
    assert DOC in scripts[0] and LABEL_1_1.search(scripts[0].splitlines()[-1])
    assert "**" not in scripts[0] and not re.search(r"^\s*- ", scripts[0], re.M)
    # an always-visible copy button beside it (a real <button>, see ui.copy_button)
    assert any("复制话术" in h.proto.body for h in last_reply(at).get("html"))
    assert "坐席话术" in text_of(last_reply(at))
    # a new question in helpline mode is answered with a script as well
    ask(at, "那高压电工呢?")
    assert last_reply(at).code and "高压电工" in last_reply(at).code[0].value
    assert at.session_state["conv"].history[-1]["reply"].mode == "helpline"


def test_helpline_mode_from_url():
    app = AppTest.from_file(APP, default_timeout=60)
    app.query_params["mode"] = "helpline"
    app.run()
    assert app.button_group(key="mode_pick").value == "helpline"


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
    # 👎 offers quick reasons and a comment; the comment row is masked too
    tid = last_reply(at).feedback[0].key.removeprefix("fb_")
    at.button_group(key=f"rs_{tid}").set_value(["不准确"]).run()
    at.text_input(key=f"cm_{tid}").input("请回电0510-86855000").run()
    at.button(key=f"cmb_{tid}").click().run()
    assert not at.exception
    rows = sqlite3.connect(audit_db).execute("SELECT rating, comment, session_id FROM feedback ORDER BY id").fetchall()
    assert rows[-1][:2] == (None, "原因:不准确;请回电051********00")
    assert rows[-1][2] == rows[0][2] == f"{at.session_state['conv_id']}:0"   # leads back to the conversation
    assert any("已提交" in s.value for s in last_reply(at).success)


def test_export_buttons_are_ready_after_the_first_answer(at):
    """The files are made on click (deferred data, so a rerun costs the same at turn 100);
    their contents are checked in tests/test_render_forms.py and, downloaded, in test_browser.py."""
    assert at.button(key="new_conv").disabled
    ask(at, Q_LOW)
    ask(at, "那高压电工呢?")
    for key in ("export_txt", "export_html", "export"):
        assert not at.download_button(key=key).disabled
    assert "共 2 轮对话" in text_of(at.main)


def test_html_in_question_is_not_rendered(at):
    ask(at, "<script>alert(1)</script><img src=x onerror=alert(2)>低压电工证能换建筑电工证吗")
    for h in at.get("html"):   # only the page's own HTML; the question appears in it only escaped
        assert "<script>alert" not in h.proto.body and "<img src=x" not in h.proto.body, h.proto.body
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
    # read as typed (an invisible word joiner keeps the URL from being auto-linked)
    assert "[点我](http://example.com)" in text_of(at.chat_message[-2]).replace("\u2060", "")


def test_new_conversation_asks_first_and_can_be_undone(at):
    ask(at, Q_LOW)
    conv, cid = at.session_state["conv"], at.session_state["conv_id"]
    at.button(key="new_conv").click().run()
    assert at.session_state["conv"] is conv          # nothing cleared yet: it asks first
    at.button(key="confirm_new_no").click().run()
    assert at.session_state["turns"] and not [b for b in at.button if b.key == "confirm_new_yes"]
    at.button(key="new_conv").click().run()
    at.button(key="confirm_new_yes").click().run()
    assert not at.exception
    assert at.session_state["conv"] is not conv
    assert at.session_state["turns"] == []
    assert at.query_params["c"] != cid
    assert len(at.chat_message) == 1   # the welcome message only
    at.button(key="undo_new").click().run()
    assert at.session_state["conv_id"] == cid and len(at.session_state["turns"]) == 1
    assert at.query_params["c"] == cid


def test_reload_and_restart_resume_the_conversation_in_its_mode(at):
    import streamlit as st
    ask(at, Q_LOW)
    at.button_group(key="mode_pick").set_value("helpline").run()
    ask(at, "那高压电工呢?")
    cid = at.session_state["conv_id"]
    # a reload: a new browser session with the same URL
    again = AppTest.from_file(APP, default_timeout=60)
    again.query_params["c"] = cid
    again.run()
    assert not again.exception
    assert [t["question"] for t in again.session_state["turns"]] == [Q_LOW, "那高压电工呢?"]
    assert again.button_group(key="mode_pick").value == "helpline"
    assert "已恢复上次的对话" in text_of(again.main)
    # a server restart: every cached resource (store, audit log) is made anew; the stored record remains
    st.cache_resource.clear()
    restarted = AppTest.from_file(APP, default_timeout=120)
    restarted.query_params["c"] = cid
    restarted.run()
    assert len(restarted.session_state["turns"]) == 2 and restarted.session_state["mode"] == "helpline"
    # and the context carries on
    ask(restarted, "那建筑电工证反过来呢?")
    assert len(restarted.session_state["conv"].history) == 3


def test_follow_up_suggestions_are_tappable(at):
    ask(at, Q_LOW)
    buttons = [b for b in last_reply(at).button if b.key and b.key.startswith("sg_")]
    assert buttons and "低压电工作业证能算几级工?" in plain(buttons[0].label)
    buttons[0].click().run()
    assert not at.exception
    assert "低压电工作业证能算几级工" in text_of(at.chat_message[-2])
    assert badge_of(last_reply(at)) == "可视同相应技能等级"


def test_not_covered_offers_12333(at):
    ask(at, "我有叉车证能免考吗")
    assert any("tel:12333" in h.proto.body for h in last_reply(at).get("html"))
    ask(at, Q_LOW)
    assert not any("tel:12333" in h.proto.body for h in last_reply(at).get("html"))


def test_older_turns_are_collapsed(at):
    for q in [Q_LOW, "那高压电工呢?", "建筑电工证能算几级工?", "这份通知的文号是多少?", "我有叉车证能免考吗"]:
        ask(at, q)
    at.run()   # a rerun without a new question
    assert len(at.chat_message) == 6       # the newest three turns in full
    assert Q_LOW not in text_of(at.main)        # nothing of the older turns is sent until asked for
    at.button(key="show_older_btn").click().run()
    assert Q_LOW in text_of(at.main) and "较早的 2 轮对话" in text_of(at.main)


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


def test_database_down_and_back_loses_no_conversation_or_rating(audit_db, postgres, monkeypatch):
    """ASSISTANT_DB_URL on a PostgreSQL that is SIGKILLed mid-conversation and started again."""
    import time

    from pgserver import PgServer

    from assistant.audit import AuditLog
    from assistant.sessions import ConversationStore
    server = PgServer().start()          # its own server: this test kills it
    try:
        url = server.new_database()
        monkeypatch.setenv("ASSISTANT_DB_URL", url)
        at = AppTest.from_file(APP, default_timeout=60).run()
        ask(at, Q_LOW)
        cid = at.session_state["conv_id"]
        server.kill()
        # answered as usual, within a second; the page says the conversation is not saved yet
        t = time.perf_counter()
        ask(at, "那高压电工呢?")
        elapsed = time.perf_counter() - t
        assert badge_of(last_reply(at)) == "可以免予部分培训/考试" and elapsed < 1.0, elapsed
        assert any("没能保存" in w.value for w in at.warning)
        last_reply(at).feedback[0].set_value(1).run()           # the rating goes to the spool, on disk
        assert "反馈已保存" in text_of(last_reply(at))
        # a reload while the database is down cannot read the stored turn: it says so, answers, and never
        # saves over it
        again = AppTest.from_file(APP, default_timeout=60)
        again.query_params["c"] = cid
        again.run()
        assert any("暂时无法从服务器读取" in w.value for w in again.warning)
        ask(again, "建筑电工证能算几级工?")
        server.start()
        at.run()                     # the first tab's next run (or its retry timer) saves both its turns
        assert not any("没能保存" in w.value for w in at.warning)
        assert len(ConversationStore(url).load(cid)["history"]) == 2
        again.run()                  # the reloaded tab reads them and puts its own turn after them
        assert not again.warning
        assert [t["question"] for t in again.session_state["turns"]] == [Q_LOW, "那高压电工呢?", "建筑电工证能算几级工?"]
        stored = ConversationStore(url).load(cid)
        assert [h["question"] for h in stored["history"]] == [Q_LOW, "那高压电工呢?", "建筑电工证能算几级工?"]
        # the rating given during the outage reaches the database, once
        log = AuditLog(audit_db, url=url, drain_interval=0)
        assert [(r["session_id"], r["rating"]) for r in log.rows()] == [(f"{cid}:1", 1)] and log.pending == 0
        log.close()
    finally:
        server.close()


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
    assert app.chat_input and app.subheader        # the shell is drawn before (and whatever) the load


def test_an_index_that_is_not_ready_is_explained_and_the_page_serves_once_it_is(audit_db, fresh_server, monkeypatch):
    from assistant import Assistant, IndexUnavailable
    real_load = Assistant.load.__func__

    def not_ready(cls, settings=None, progress=None):
        raise IndexUnavailable("no index has been published on the chroma server yet")

    monkeypatch.setattr(Assistant, "load", classmethod(not_ready))
    app = AppTest.from_file(APP, default_timeout=60).run()
    assert not app.exception and app.chat_input
    assert any("政策知识库正在准备中" in w.value for w in app.warning)
    assert "published" not in text_of(app.main)
    monkeypatch.setattr(Assistant, "load", classmethod(real_load))     # ingest has published it
    app.run(timeout=120)
    assert not app.warning and not app.exception
    ask(app, Q_LOW)
    assert badge_of(last_reply(app)) == "可以免予部分培训/考试"


def test_the_assistant_loads_once_in_the_background_and_a_failed_load_is_tried_again(monkeypatch):
    """ui._Shared: pages that come while the assistant loads share one load, which runs in a thread of its
    own (a page that stops waiting, on a rerun or a closed tab, does not cut it short)."""
    import threading
    import time

    import ui
    from assistant import Assistant
    calls, release = [], threading.Event()

    def slow_shared(cls, progress=None, warm=False):
        calls.append(threading.current_thread().name)
        progress(0.5, "加载中")
        release.wait(10)
        if len(calls) == 1:
            raise RuntimeError("first load fails")
        return "the assistant"
    monkeypatch.setattr(Assistant, "shared", classmethod(slow_shared))
    sh = ui._Shared()
    first = sh.start_loading()
    assert sh.start_loading() is first and not first.done.is_set()
    time.sleep(0.1)
    assert (first.fraction, first.message) == (0.5, "加载中")
    release.set()
    assert first.done.wait(10) and isinstance(first.error, RuntimeError)
    second = sh.start_loading()                      # the failed load is not remembered
    assert second is not first and second.done.wait(10) and second.assistant == "the assistant"
    assert sh.start_loading() is second and calls == ["load-assistant", "load-assistant"]


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
    # the operator page's rebuild asks first, then re-indexes and reports it
    monkeypatch.setenv("ASSISTANT_OPERATOR_TOKEN", "s3cret")
    op = operator_page("s3cret")
    assert "条目数" in text_of(op.main) and "000_" in text_of(op.main)
    op.button(key="rebuild").click().run()
    assert not op.success and op.button(key="rebuild_yes")          # confirmation first
    op.button(key="rebuild_yes").click().run(timeout=120)
    assert not op.exception
    assert op.success and "重建完成" in op.success[0].value


# ----------------------------------------------------------------------------- operator page

OPERATOR = str(Path(__file__).resolve().parent.parent / "pages" / "operator.py")


def operator_page(token: str | None) -> AppTest:
    op = AppTest.from_file(OPERATOR, default_timeout=60).run()
    assert not op.exception, op.exception
    if token is not None:
        op.text_input(key="operator_token").input(token)
        op.button[0].click().run()
        assert not op.exception, op.exception
    return op


def test_operator_page_is_off_without_a_token(audit_db, monkeypatch):
    monkeypatch.delenv("ASSISTANT_OPERATOR_TOKEN", raising=False)
    op = operator_page(None)
    assert op.error and "未启用" in op.error[0].value
    assert not op.get("tab") and not op.text_input


def test_operator_page_refuses_a_wrong_token(audit_db, monkeypatch):
    monkeypatch.setenv("ASSISTANT_OPERATOR_TOKEN", "s3cret")
    op = operator_page("guess")
    assert op.error and "口令不对" in op.error[0].value
    assert not op.get("tab")


def test_operator_review_queue_shows_thumbs_down_with_its_conversation(at, monkeypatch):
    ask(at, Q_LOW)
    ask(at, "那高压电工呢?")
    last_reply(at).feedback[0].set_value(0).run()
    monkeypatch.setenv("ASSISTANT_OPERATOR_TOKEN", "s3cret")
    op = operator_page("s3cret")
    assert op.get("tab")
    # other tests of the session may have thumbed down the same follow-up (their conversations since removed):
    # this conversation's entry is the one that shows its first question
    queue = [text_of(e) for e in op.expander if "那高压电工呢" in plain(e.label)]
    assert queue
    shown = next((t for t in queue if Q_LOW in t), queue[0])
    assert Q_LOW in shown and "👎 2. 问:" in shown
    assert op.download_button(key="export_eval").disabled     # nothing marked yet
    # mark the expected verdict and item, then the evaluation export is ready
    op.multiselect[0].select("一(一)")
    next(b for b in op.button if "保存标注" in b.label).click().run()
    assert not op.exception
    assert not op.download_button(key="export_eval").disabled
    from assistant.review import ReviewMarks
    import ui
    marks = ReviewMarks(ui.conversation_store().engine).all()
    assert [m["items"] for m in marks.values()] == [["一(一)"]]


def test_operator_evaluation_shows_pass_rate_per_category(audit_db, monkeypatch):
    monkeypatch.setenv("ASSISTANT_OPERATOR_TOKEN", "s3cret")
    op = operator_page("s3cret")
    op.button(key="run_eval").click().run(timeout=600)
    assert not op.exception
    metrics = {m.label: m.value for m in op.get("metric")}
    assert metrics["通过"].endswith("/125") and metrics["严重错误"] == "0"
    assert len(op.get("vega_lite_chart")) == 2


def test_index_panel_lists_skipped_sources(audit_db, fresh_server, tmp_path, monkeypatch):
    import shutil
    sources = tmp_path / "sources"
    shutil.copytree(Path(APP).parent / "knowledge" / "sources", sources)
    (sources / "zz_binary.txt").write_bytes(b"\x00\xff\xfe" * 100)
    monkeypatch.setenv("ASSISTANT_SOURCES_DIR", str(sources))
    monkeypatch.setenv("ASSISTANT_DATA_DIR", str(tmp_path / "idx"))
    app = AppTest.from_file(APP, default_timeout=120).run()
    assert not app.exception and not app.error
    ask(app, Q_LOW)                                  # the good page is served
    assert badge_of(last_reply(app)) == "可以免予部分培训/考试"
    monkeypatch.setenv("ASSISTANT_OPERATOR_TOKEN", "s3cret")
    shown = text_of(operator_page("s3cret").main)     # the operator's index status names the skipped page
    assert "zz_binary.txt" in shown and "binary" in shown, shown
