"""Streamlit front end of the certificate-notice assistant (the chat page).

It only renders: every decision (verdict, badge, answer, citations, script, options, follow-ups,
export forms) comes from the `assistant` package; shared glue lives in ui.py. User text and
retrieved text are shown with Markdown escaped and HTML never enabled, so nothing typed or
retrieved can run.

The conversation is stored server-side (assistant.sessions) under the id in the URL (`?c=…`):
a reload or a server restart resumes it, in its mode. `?mode=helpline` opens in 热线坐席 mode.
Only the last FULL_TURNS turns are drawn in full; earlier ones are one collapsed block drawn from
stored text, so a rerun costs the same at turn 100 as at turn 1.

Run: streamlit run app.py
"""
from __future__ import annotations

import logging
import uuid
from contextlib import nullcontext
from datetime import datetime, timezone

import streamlit as st

import ui
from ui import MODES, md_escape, md_paragraphs, md_quote

log = logging.getLogger("assistant.app")
if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

ERROR_MESSAGE = "抱歉,系统暂时出了点问题,请稍后再试。如需马上咨询,请拨打 12333 热线。"
LOAD_ERROR_MESSAGE = "抱歉,政策知识库暂时无法加载,请稍后刷新页面重试。"
SAVE_WARNING = "对话暂时没能保存到服务器:刷新页面可能会丢失本次对话,可先用“导出/分享”保存。"
UNREAD_WARNING = "之前的对话暂时无法从服务器读取,恢复后会自动接上;新的问题照常回答。"
VERDICT_STYLE = {  # verdict -> (badge color, icon, fallback text)
    "answered": ("green", ":material/check_circle:", "有明确规定"),
    "not_covered": ("orange", ":material/warning:", "通知未规定"),
    "clarify": ("blue", ":material/help:", "需要补充信息"),
    "out_of_scope": ("gray", ":material/block:", "超出本通知范围"),
}
QUICK_REASONS = ["答非所问", "不准确", "看不懂"]
FULL_TURNS = 3          # the newest turns drawn in full; older ones collapsed
MAX_EXAMPLES = 8
from assistant.conversation import MAX_QUESTION  # noqa: E402  (one limit, the assistant's)


def _mode_from_url() -> str:
    return "helpline" if st.query_params.get("mode") == "helpline" else "worker"


def _initial_mode() -> str:
    ss = st.session_state
    if "mode" in ss:
        return ss.mode
    return _mode_from_url()


st.set_page_config(page_title="证书互通互认政策助手", page_icon="📜",
                   layout="wide" if _initial_mode() == "helpline" else "centered",
                   initial_sidebar_state="collapsed",
                   menu_items={"Get help": None, "Report a bug": None,
                               "About": "职业技能证书互通互认政策助手:回答依据人社厅发〔2026〕1号原文。"
                                        "急需咨询请拨打 12333。"})


# ----------------------------------------------------------------------------- session

def _turns_from_history(conv_id: str, history: list[dict]) -> list[dict]:
    return [{"id": f"{conv_id[:8]}{i:04d}", "index": i, "question": h["question"], "reply": h["reply"],
             "time": h.get("time")} for i, h in enumerate(history)]


def _start(a, conv_id: str | None, mode: str) -> None:
    """A conversation for this browser session: the stored one of `conv_id`, else a new one."""
    from assistant.conversation import Conversation
    from assistant.sessions import new_id, valid_id
    ss = st.session_state
    record, unread = None, False
    if conv_id and valid_id(conv_id):
        try:
            record = ui.conversation_store().load(conv_id)
        except Exception:
            log.exception("loading conversation failed")
            unread = True
    # The database did not answer (down, restarting): the conversation of this id may be stored there. It is
    # never saved over; _catch_up() reads it as soon as it can and puts what is asked meanwhile after it.
    ss.unread = unread
    if record is not None:
        ss.conv = Conversation.from_record(a, record)
        ss.conv_id = conv_id
        ss.mode = ss.conv.mode
        ss.resumed = bool(ss.conv.history)
    else:
        ss.conv = a.conversation(mode=mode)
        ss.conv_id = conv_id if conv_id and valid_id(conv_id) else new_id()
        ss.mode = mode
        ss.resumed = False
    ss.turns = _turns_from_history(ss.conv_id, ss.conv.history)
    st.query_params["c"] = ss.conv_id
    st.query_params["mode"] = ss.mode


def _catch_up() -> None:
    """Read the stored turns that could not be read when this session started (ss.unread); turns asked
    since go after them. Nothing happens while the database still does not answer."""
    from assistant.conversation import Conversation
    from assistant.sessions import merge_records
    ss = st.session_state
    if not ss.get("unread"):
        return
    try:
        record = ui.conversation_store().load(ss.conv_id)
    except Exception:
        return
    if record is not None:
        fresh = not ss.conv.history
        ss.conv = Conversation.from_record(ss.conv.a, merge_records(record, ss.conv.to_record()))
        ss.turns = _turns_from_history(ss.conv_id, ss.conv.history)
        if fresh:
            ss.mode = ss.conv.mode
            st.query_params["mode"] = ss.mode
            ss.resumed = bool(ss.conv.history)
    ss.unread = False
    log.info("conversation %s read after the database came back", ss.conv_id[:8])


RETRY_STORE_S = 5       # while the database does not answer, a session tries again this often on its own


@st.fragment(run_every=RETRY_STORE_S)
def _retry_store() -> None:
    """Shown only while the conversation could not be saved or read: try again without waiting for the
    reader, and redraw the page once it worked (the warning goes, stored turns appear)."""
    ss = st.session_state
    if ss.get("unread") and not ss.get("turns"):
        _catch_up()
    elif ss.get("unread") or ss.get("save_failed"):
        _save()
    if not ss.get("unread") and not ss.get("save_failed"):
        st.rerun()


def init_session(a) -> None:
    ss = st.session_state
    if "conv" in ss:
        _catch_up()
        return
    ss.items = {}
    ss.session_id = uuid.uuid4().hex
    _start(a, st.query_params.get("c"), _mode_from_url())


def _save() -> None:
    ss = st.session_state
    _catch_up()
    if ss.get("unread"):          # saving now would replace the stored turns this session could not read
        ss.save_failed = True
        return
    try:
        ui.conversation_store().save(ss.conv_id, ss.conv.to_record())
        ss.pop("save_failed", None)
    except Exception:
        log.exception("saving conversation failed")
        ss.save_failed = True


def _queue_question(question: str) -> None:
    st.session_state.pending_question = question


def _on_mode_change() -> None:
    ss = st.session_state
    mode = ss.get("mode_pick") or ss.mode
    ss.mode = mode
    try:
        ss.conv.mode = mode
    except Exception:
        log.exception("switching mode failed")
    st.query_params["mode"] = mode
    if ss.turns:
        _save()


def _ask_new_conversation() -> None:
    st.session_state.confirm_new = True


def _cancel_new() -> None:
    st.session_state.confirm_new = False


def _new_conversation(a) -> None:
    from assistant.sessions import new_id
    ss = st.session_state
    if ss.turns:
        _save()
        ss.undo = {"conv_id": ss.conv_id, "turns": len(ss.turns)}
    ss.confirm_new = False
    ss.conv = a.conversation(mode=ss.mode)
    ss.conv_id = new_id()
    ss.turns = []
    ss.resumed = False
    ss.pop("pending_question", None)
    st.query_params["c"] = ss.conv_id
    st.query_params["mode"] = ss.mode


def _undo_new_conversation(a) -> None:
    ss = st.session_state
    undo = ss.pop("undo", None)
    if undo:
        _start(a, undo["conv_id"], ss.mode)
        ss.resumed = False


def _find_turn(turn_id: str) -> dict | None:
    return next((t for t in st.session_state.turns if t["id"] == turn_id), None)


def _store_feedback(turn_id: str, rating: int | None, comment: str | None) -> None:
    ss = st.session_state
    turn = _find_turn(turn_id)
    if turn is None:
        return
    reply = turn["reply"]
    try:
        status = ui.audit_log().record(
            question=turn["question"], answer=reply.text(ss.mode), verdict=reply.verdict,
            citations=reply.citations, mode=ss.mode, rating=rating,
            comment=comment, session_id=f"{ss.conv_id}:{turn['index']}")
        ss[f"fbstatus_{turn_id}"] = (status.saved, status.message)
    except Exception:
        log.exception("storing feedback failed")
        ss[f"fbstatus_{turn_id}"] = (False, "抱歉,反馈暂时无法保存。")


def _on_feedback(turn_id: str) -> None:
    # recorded at once (nothing lost if the reader leaves); 👎 then offers reasons and a comment
    _store_feedback(turn_id, st.session_state.get(f"fb_{turn_id}"), None)


def _on_comment(turn_id: str) -> None:
    ss = st.session_state
    reasons = ss.get(f"rs_{turn_id}") or []
    comment = (ss.get(f"cm_{turn_id}") or "").strip()
    if not comment and not reasons:
        ss[f"fbstatus_{turn_id}"] = (False, "请先选择原因或填写意见。")
        return
    text = "".join([f"原因:{'、'.join(reasons)}" if reasons else "",
                    (";" if reasons and comment else ""), comment])
    _store_feedback(turn_id, None, text)     # a comment row; the rating was recorded when it was given
    ss[f"cm_{turn_id}"] = ""
    ss[f"sent_{turn_id}"] = True


# ----------------------------------------------------------------------------- rendering

def item_text(a, group: dict) -> str | None:
    """Full text of the cited item (cached per session); None when it cannot be had."""
    if group.get("text"):
        return group["text"]
    key = (group.get("doc"), group.get("article"))
    items = st.session_state.setdefault("items", {})
    if key not in items:
        try:
            items[key] = (a.item(*key) or {}).get("text")
        except Exception:
            log.warning("no item text for %s", key, exc_info=True)
            items[key] = None
    return items[key]


def render_citation(a, g: dict) -> None:
    """One card per cited item: label, the first quote; the other quotes and the full item inside."""
    label = g["label"]
    with st.container(border=True):
        st.markdown(f":material/format_quote: **{md_escape(label)}** · {md_escape(g['doc'])} · {md_escape(g['date'])}")
        if g["quotes"]:
            st.markdown(md_quote(g["quotes"][0]))
        more = g["quotes"][1:]
        text = item_text(a, g)
        if more or text or g["notes"]:
            title = f"查看{label}全文" + (f"(另有 {len(more)} 处引文)" if more else "")
            with st.expander(md_escape(title), expanded=False):
                for q in more:
                    st.markdown(md_quote(q))
                for note in g["notes"]:
                    st.caption(":material/info: " + md_escape(note))
                if text:
                    st.markdown(ui.highlight(text, g["quotes"][0] if g["quotes"] else ""))
                    doc_title = g.get("doc_title") or ""
                    st.caption(md_escape(f"《{doc_title}》({g['doc']},{g['date']})" if doc_title
                                         else f"{g['doc']},{g['date']}"))


def render_badge(reply) -> None:
    color, icon, fallback = VERDICT_STYLE.get(reply.verdict, ("gray", ":material/info:", ""))
    badge = reply.badge or fallback
    if badge:
        st.badge(md_escape(badge, brackets=False), icon=icon, color=reply.tone or color)


def render_worker_answer(reply) -> None:
    from assistant.render import answer_sections
    sec = answer_sections(reply, "worker")
    if sec["lead"]:
        st.markdown(f"**{md_escape(sec['lead'])}**")
    for p in sec["next"]:
        st.info(md_paragraphs(p), icon=":material/directions_walk:")
    for p in sec["rest"]:
        st.markdown(md_paragraphs(p))


def render_options(reply, tid: str, latest: bool) -> None:
    options = [o for o in reply.options if o]
    if reply.verdict == "clarify" and options:
        if latest:
            st.caption("可直接点选:")
            for k, opt in enumerate(options):
                st.button(md_escape(opt), key=f"opt_{tid}_{k}", on_click=_queue_question, args=(opt,),
                          width="stretch")
        else:
            st.caption("可选项:" + ";".join(md_escape(o) for o in options))


def render_followups(a, reply, tid: str) -> None:
    from assistant.suggestions import follow_ups
    try:
        items = follow_ups(reply, a.rules, a.catalog, mode=st.session_state.mode)
    except Exception:
        log.exception("follow-ups failed")
        items = []
    if not items:
        return
    st.caption("接着问:")
    for k, s in enumerate(items):
        st.button(md_escape(s.question), key=f"sg_{tid}_{k}", on_click=_queue_question, args=(s.question,),
                  icon=":material/subdirectory_arrow_right:", width="stretch", type="secondary")


def render_feedback(reply, tid: str) -> None:
    ss = st.session_state
    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.feedback("thumbs", key=f"fb_{tid}", on_change=_on_feedback, args=(tid,))
        status = ss.get(f"fbstatus_{tid}")
        if status and status[0] and not ss.get(f"sent_{tid}"):
            st.caption(":material/check: " + md_escape(status[1]))
    rating = ss.get(f"fb_{tid}")
    if ss.get(f"sent_{tid}") and status and status[0]:
        st.success("已提交,谢谢您的反馈!" + ("" if status[1].startswith("反馈已记录") else md_escape(status[1])),
                   icon=":material/task_alt:")
    elif rating == 0 or ss.get(f"more_{tid}"):
        with st.container(border=True):
            st.pills("哪里不好?(可多选)", QUICK_REASONS, selection_mode="multi", key=f"rs_{tid}")
            st.text_input("补充意见(可选,请勿填写手机号、身份证号)", key=f"cm_{tid}", max_chars=500)
            st.button("提交反馈", key=f"cmb_{tid}", on_click=_on_comment, args=(tid,), type="primary")
    else:
        st.button("写意见", key=f"more_btn_{tid}", icon=":material/rate_review:", type="tertiary",
                  on_click=lambda: ss.__setitem__(f"more_{tid}", True))
    if status and not status[0]:
        st.warning(md_escape(status[1]))


def render_reply(a, turn: dict, latest: bool) -> None:
    from assistant.render import group_citations, share_text, spoken_script
    ss = st.session_state
    reply, tid = turn["reply"], turn["id"]
    meta = _meta(a)
    groups = group_citations(reply.citations)
    ui.anchor(f"ans-{tid}")
    if ss.mode == "helpline":
        left, right = st.columns([3, 2], gap="large")
        with left:
            render_badge(reply)
            script = spoken_script(reply, meta)
            st.markdown(":material/support_agent: **坐席话术**(可直接朗读)")
            st.code(script, language=None, wrap_lines=True)
            ui.copy_button(script, "复制话术", key=tid)
            render_options(reply, tid, latest)
            if reply.verdict in ("not_covered", "out_of_scope"):
                st.caption(":material/call: 通知未涉及的问题,可按流程转人工(业务专席)或请来电人咨询发证部门。")
        with right:
            if groups:
                st.markdown(":material/menu_book: **依据原文**")
                for g in groups:
                    render_citation(a, g)
    else:
        render_badge(reply)
        render_worker_answer(reply)
        render_options(reply, tid, latest)
        if reply.verdict in ("not_covered", "out_of_scope") or reply.nearest:
            ui.tel_link("不清楚?拨打 12333 转人工咨询")
        if groups:
            st.markdown(":material/menu_book: **依据原文**")
            for g in groups:
                render_citation(a, g)
        ui.copy_button(share_text(turn["question"], reply, "worker", meta), "复制回答(含依据)", key=tid)
    if latest:
        render_followups(a, reply, tid)
    render_feedback(reply, tid)


def _meta(a) -> dict:
    try:
        return a.metadata() or {}
    except Exception:
        return {}


def render_turn(a, turn: dict, latest: bool) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(turn["question"]))
    with st.chat_message("assistant"):
        render_reply(a, turn, latest)
        st.caption(_local_time(turn.get("time")))


def render_older(turns: list[dict]) -> None:
    """Earlier turns: a button; on request, one block of stored text (question, badge, lead).
    Nothing of them is sent to the browser until asked for, so a rerun costs the same at turn 100."""
    if not turns:
        return
    ss = st.session_state
    if not ss.get("show_older"):
        st.button(f"显示较早的 {len(turns)} 轮对话", key="show_older_btn", icon=":material/history:",
                  type="tertiary", on_click=lambda: ss.__setitem__("show_older", True))
        return
    lines = []
    for t in turns:
        r = t["reply"]
        lead = r.lead or (r.body.get(r.mode, "") or "").split("\n")[0]
        lines.append(f"**{t['index'] + 1}. 问:** {md_escape(t['question'])}  \n"
                     f"【{md_escape(r.badge)}】{md_escape(lead)}")
    with st.container(border=True, key="older_box"):
        st.caption(f"较早的 {len(turns)} 轮对话(完整内容见“导出/分享”)")
        st.markdown("\n\n".join(lines))
        st.button("收起", key="hide_older_btn", type="tertiary", on_click=lambda: ss.__setitem__("show_older", False))


def _local_time(value) -> str:
    from assistant.render import china_time
    try:
        return china_time(value).strftime("%H:%M") if value else ""
    except Exception:
        return ""


def ask(a, question: str) -> None:
    ss = st.session_state
    with st.chat_message("user"):
        st.markdown(md_escape(question))
    with st.chat_message("assistant"):
        try:
            # Only an LLM's wording takes long enough for a spinner; without one the answer takes milliseconds,
            # and st.spinner (a delta and a timer thread per turn) was ~5% of a turn's time under 64 sessions.
            waiting = st.spinner("正在查找通知原文…") if getattr(ss.conv, "llm", None) is not None else nullcontext()
            with waiting:
                if getattr(ss.conv, "mode", ss.mode) != ss.mode:
                    ss.conv.mode = ss.mode
                reply = ss.conv.ask(question)
            a.log_turn(reply)        # the one log line per turn
        except Exception:
            log.exception("answering failed")
            st.error(ERROR_MESSAGE)
            return
        h = ss.conv.history[-1]
        index = len(ss.conv.history) - 1
        turn = {"id": f"{ss.conv_id[:8]}{index:04d}", "index": index, "question": question, "reply": h["reply"],
                "time": h.get("time") or datetime.now(timezone.utc).isoformat(timespec="seconds")}
        ss.turns.append(turn)
        _save()
        render_reply(a, turn, latest=True)
        st.caption(_local_time(turn["time"]))
    ui.scroll_to(f"ans-{turn['id']}")


def render_actions(a) -> None:
    """新对话, 导出/分享, examples and the mode switch, on the page itself (no sidebar needed)."""
    from assistant.render import conversation_markdown, conversation_text, export_stem, printable_html
    from assistant.suggestions import examples
    ss = st.session_state
    with st.container(horizontal=True, gap="small", vertical_alignment="center", key="actions"):
        st.segmented_control("身份", list(MODES), format_func=MODES.get, key="mode_pick", default=ss.mode,
                             on_change=_on_mode_change, label_visibility="collapsed", required=True,
                             help="热线坐席模式给出可直接朗读的话术")
        st.button("新对话", key="new_conv", icon=":material/add_comment:", on_click=_ask_new_conversation,
                  disabled=not ss.turns)
        with st.popover("导出/分享", icon=":material/ios_share:", disabled=not ss.turns, key="share_pop"):
            meta = _meta(a)
            stem = export_stem()
            history = ss.conv.history
            st.caption(f"共 {len(history)} 轮对话,含引用原文、文号和日期。")
            history = list(history)     # the files are made on click (deferred), from this run's turns
            try:
                st.download_button("纯文本(手机可直接查看)", data=lambda: conversation_text(meta, history),
                                   file_name=f"{stem}.txt", mime="text/plain", key="export_txt", on_click="ignore",
                                   icon=":material/description:", width="stretch")
                st.download_button("可打印网页(可存为 PDF)", data=lambda: printable_html(meta, history),
                                   file_name=f"{stem}.html", mime="text/html", key="export_html",
                                   on_click="ignore", icon=":material/print:", width="stretch")
                st.download_button("Markdown", data=lambda: conversation_markdown(meta, history), file_name=f"{stem}.md",
                                   mime="text/markdown", key="export", on_click="ignore",
                                   icon=":material/download:", width="stretch")
            except Exception:
                log.exception("export failed")
                st.warning("导出暂时不可用,请稍后再试。")
            if history:
                from assistant.render import share_text
                last = ss.conv.history[-1]
                ui.copy_button(share_text(last["question"], last["reply"], ss.mode, meta), "复制最新回答(含依据)",
                               key="share-last")
        with st.popover("常见问题", icon=":material/lightbulb:", key="examples_pop"):
            for i, q in enumerate(examples(a.settings.knowledge_dir, ss.mode)[:MAX_EXAMPLES]):
                st.button(md_escape(q), key=f"ex_{i}", on_click=_queue_question, args=(q,), width="stretch")
    if ss.get("confirm_new"):
        with st.container(border=True, key="confirm_box"):
            st.markdown(f"**开始新对话?** 当前 {len(ss.turns)} 轮对话会保存,开始后可以撤销。")
            with st.container(horizontal=True):
                st.button("确定,开始新对话", key="confirm_new_yes", type="primary", on_click=_new_conversation,
                          args=(a,))
                st.button("取消", key="confirm_new_no", on_click=_cancel_new)
    elif ss.get("undo") and not ss.turns:
        with st.container(horizontal=True, vertical_alignment="center", key="undo_box"):
            st.caption(f"已开始新对话(上一段对话共 {ss.undo['turns']} 轮)。")
            st.button("撤销", key="undo_new", icon=":material/undo:", on_click=_undo_new_conversation, args=(a,))
    if ss.get("unread"):
        st.warning(UNREAD_WARNING)
    elif ss.get("save_failed"):
        st.warning(SAVE_WARNING)
    if ss.get("unread") or ss.get("save_failed"):
        _retry_store()


def render_sidebar(a) -> None:
    with st.sidebar:
        render_metadata(a)
        st.divider()
        ui.tel_link("拨打 12333 人工咨询")


def render_metadata(a) -> None:
    import re
    meta = _meta(a)
    if not meta:
        return
    st.markdown(":material/description: **政策文件**")
    lines = [f"**《{md_escape(meta.get('short_title') or meta.get('title', ''))}》**"]
    if meta.get("doc_number"):
        lines.append(f"文号:{md_escape(meta['doc_number'])}")
    if meta.get("published"):
        lines.append(f"发布日期:{md_escape(meta['published'])}")
    if meta.get("status"):
        lines.append(f"效力状态:{md_escape(meta['status'])}")
    issuers = meta.get("issuers") or []
    if issuers:
        lines.append("发文单位:" + md_escape("、".join(issuers)))
    st.markdown("  \n".join(lines))
    if meta.get("short_title") and meta.get("title") and meta["title"] != meta["short_title"]:
        st.caption("全称:" + md_escape(meta["title"]))
    url = meta.get("verify_url") or "http://osta.mohrss.gov.cn/"
    if re.match(r"^https?://[\w.\-/:?=&%#]+$", url):
        st.link_button("证书查询(osta.mohrss.gov.cn)", url, icon=":material/verified:", width="stretch",
                       help="职业技能等级证书、职业资格证书的全国查询")


def render_welcome(a) -> None:
    from assistant.suggestions import examples
    ss = st.session_state
    with st.chat_message("assistant"):
        if ss.mode == "helpline":
            st.markdown("坐席您好!输入来电人的问题,我会给出**可直接朗读的话术**,并附通知原文条款。")
        else:
            st.markdown("您好!我可以解答**职业技能证书互通互认**的政策问题,例如电工证、焊工证能否免培训、"
                        "免考试,或比照认定技能等级。每个回答都会附上通知原文。")
        for i, q in enumerate(examples(a.settings.knowledge_dir, ss.mode)[:3]):
            st.button(md_escape(q), key=f"welcome_ex_{i}", on_click=_queue_question, args=(q,),
                      width="stretch")


NOT_READY_MESSAGE = ("政策知识库正在准备中(索引尚未建立或正在更新),暂时不能回答。请稍后刷新页面重试;"
                     "如长时间如此,请联系管理员运行索引程序。")


def main() -> None:
    ui.page_shell()
    # The shell first: title and chat input reach the browser before the assistant is loaded (a cold
    # process loads it in the background, ui.get_assistant); a question typed meanwhile waits for it.
    st.subheader("证书互通互认政策助手", anchor=False)
    caption = st.empty()
    question = st.chat_input("请输入您的证书问题", max_chars=MAX_QUESTION, key="chat")
    try:
        a = ui.get_assistant()
    except Exception as exc:
        from assistant import IndexUnavailable
        if isinstance(exc, IndexUnavailable):    # a replica waiting for ingest: say so, retry on the next load
            log.warning("index not ready: %s", exc)
            st.warning(NOT_READY_MESSAGE)
            return
        log.exception("loading the assistant failed")
        st.error(LOAD_ERROR_MESSAGE)
        return
    init_session(a)
    ss = st.session_state

    meta = _meta(a)
    caption.caption(md_escape(f"依据《{meta.get('short_title') or meta.get('title') or '关于推进职业技能证书互通互认的通知'}》"
                         f"({meta.get('doc_number', '人社厅发〔2026〕1号')},{meta.get('published', '2026-01-09')})"
                         f"原文作答,仅供参考,具体以当地主管部门解释为准。当前身份:{MODES.get(ss.mode, '')}"))
    actions = st.container()          # filled last, so its export holds the turn asked in this run
    render_sidebar(a)

    if not question:
        question = ss.pop("pending_question", None)
    question = (question or "").strip()
    if question:
        ss.pop("undo", None)
        ss.confirm_new = False
        ss.show_older = False

    if not ss.turns and not question:
        render_welcome(a)
    if ss.get("resumed") and ss.turns and not question:
        st.caption(f":material/restore: 已恢复上次的对话(共 {len(ss.turns)} 轮)。")
    older, recent = ss.turns[:-FULL_TURNS], ss.turns[-FULL_TURNS:]
    render_older(older)
    for i, turn in enumerate(recent):
        render_turn(a, turn, latest=(i == len(recent) - 1) and not question)
    if question:
        ask(a, question)
    with actions:
        render_actions(a)


try:
    main()
except Exception:  # never a traceback on screen
    log.exception("page failed")
    st.error(ERROR_MESSAGE)
