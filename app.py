"""Streamlit front end of the certificate-notice assistant.

It only renders: every decision (verdict, badge, answer, citations, script, options)
comes from the `assistant` package. User text and retrieved text are shown with
Markdown escaped and HTML never enabled, so nothing typed or retrieved can run.

Run: streamlit run app.py      (add ?mode=helpline to the URL to open in 热线坐席 mode)
"""
from __future__ import annotations

import logging
import re
import threading
import uuid
from datetime import datetime, timezone
from typing import Any

import streamlit as st

log = logging.getLogger("assistant.app")
if not logging.getLogger().handlers:
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")

st.set_page_config(page_title="证书互通互认政策助手", page_icon="📜", layout="centered",
                   initial_sidebar_state="auto",
                   menu_items={"Get help": None, "Report a bug": None,
                               "About": "职业技能证书互通互认政策助手:回答依据人社厅发〔2026〕1号原文。"})

ERROR_MESSAGE = "抱歉,系统暂时出了点问题,请稍后再试。如需马上咨询,请拨打 12333 热线。"
LOAD_ERROR_MESSAGE = "抱歉,政策知识库暂时无法加载,请稍后刷新页面重试。"
MODES = {"worker": "劳动者", "helpline": "热线坐席"}
# Material icons (a web font shipped with Streamlit) rather than emoji: they look
# the same on every phone and in headless Chromium without an emoji font.
VERDICT_STYLE = {  # verdict -> (badge color, icon, fallback text)
    "answered": ("green", ":material/check_circle:", "有明确规定"),
    "not_covered": ("orange", ":material/warning:", "通知未规定"),
    "clarify": ("blue", ":material/help:", "需要补充信息"),
    "out_of_scope": ("gray", ":material/block:", "超出本通知范围"),
}
from assistant.conversation import MAX_QUESTION  # noqa: E402  (one limit, the assistant's)
MAX_EXAMPLES = 8

# ----------------------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:^&\"'])")


def md_escape(text: Any, *, brackets: bool = True) -> str:
    """Text shown literally by st.markdown: every Markdown/HTML-significant ASCII char escaped."""
    s = _MD_SPECIAL.sub(r"\\\1", "" if text is None else str(text))
    if not brackets:
        s = s.replace("\\[", "[").replace("\\]", "]")
    return s


def md_paragraphs(text: str) -> str:
    """Escaped text, one Markdown paragraph per source line."""
    return "\n\n".join(md_escape(line) for line in text.splitlines() if line.strip())


def md_quote(text: str) -> str:
    return "\n>\n".join("> " + md_escape(line) for line in text.splitlines() if line.strip()) or "> "


def _norm(s: str) -> str:
    return re.sub(r"\s+", "", s)


def highlight(text: str, quote: str) -> str:
    """Escaped Markdown of `text` with `quote` marked by :orange-background[…]; no HTML involved."""
    text = text or ""
    quote = (quote or "").strip()
    start = text.find(quote) if quote else -1
    end = start + len(quote)
    if start < 0 and quote:
        # Same sentence with different whitespace/line breaks: map back through a
        # whitespace-free copy of the item.
        idx = [i for i, ch in enumerate(text) if not ch.isspace()]
        flat, q = "".join(text[i] for i in idx), _norm(quote)
        pos = flat.find(q) if q else -1
        if pos >= 0:
            start, end = idx[pos], idx[pos + len(q) - 1] + 1
    if start < 0:
        return md_paragraphs(text)
    before, middle, after = text[:start], text[start:end], text[end:]
    lines_out: list[str] = []
    # Work line by line so a highlight never spans a paragraph break.
    segments = [(before, False), (middle, True), (after, False)]
    current = ""
    for seg, marked in segments:
        parts = seg.split("\n")
        for k, part in enumerate(parts):
            if k > 0:
                lines_out.append(current)
                current = ""
            if part:
                current += f":orange-background[**{md_escape(part)}**]" if marked and part.strip() else md_escape(part)
    lines_out.append(current)
    return "\n\n".join(line for line in lines_out if line.strip())


# ----------------------------------------------------------------------------- shared resources

class _Shared:
    """One per server process: the loaded Assistant and the locks around it."""

    def __init__(self) -> None:
        self.load_lock = threading.Lock()
        self.rebuild_lock = threading.Lock()
        self.assistant = None


@st.cache_resource(show_spinner=False)
def _shared() -> _Shared:
    return _Shared()


@st.cache_resource(show_spinner=False)
def _audit_log(path: str, url: str):
    from assistant.audit import AuditLog
    return AuditLog(path, url=url or None)


def audit_log():
    from assistant.audit import default_path, default_url
    return _audit_log(str(default_path()), default_url())


def _progress_callback(bar, default_text: str):
    def progress(fraction: float, message: str = "") -> None:
        try:
            value = min(max(float(fraction), 0.0), 1.0)
            bar.progress(value, text=md_escape(message or default_text))
        except Exception:  # called from a worker thread, or the page went away
            pass
    return progress


def get_assistant():
    """The server-wide Assistant; the first session to arrive builds/loads it with a visible progress bar."""
    shared = _shared()
    if shared.assistant is not None:
        return shared.assistant
    slot = st.empty()
    with slot.container():
        with st.status("首次启动:正在准备政策知识库,请稍候…", expanded=True):
            st.caption("首次启动需要建立索引,可能需要一两分钟;之后的访问会很快。")
            bar = st.progress(0.0, text="正在加载…")
            with shared.load_lock:
                if shared.assistant is None:
                    from assistant import Assistant
                    # the process's one Assistant (assistant.core): also what the CLI and the load tool share
                    shared.assistant = Assistant.shared(progress=_progress_callback(bar, "正在加载…"), warm=True)
    slot.empty()
    return shared.assistant


# ----------------------------------------------------------------------------- session

def init_session(a) -> None:
    ss = st.session_state
    if "conv" in ss:
        return
    mode = "helpline" if st.query_params.get("mode") == "helpline" else "worker"
    ss.mode = mode
    ss.conv = a.conversation(mode=mode)
    ss.turns = []
    ss.session_id = uuid.uuid4().hex
    ss.items = {}


def _queue_question(question: str) -> None:
    st.session_state.pending_question = question


def _on_mode_change() -> None:
    ss = st.session_state
    try:
        ss.conv.mode = ss.mode
    except Exception:
        log.exception("switching mode failed")


def _new_conversation(a) -> None:
    ss = st.session_state
    ss.conv = a.conversation(mode=ss.mode)
    ss.turns = []
    ss.pop("pending_question", None)


def _find_turn(turn_id: str) -> dict | None:
    return next((t for t in st.session_state.turns if t["id"] == turn_id), None)


def _store_feedback(turn_id: str, rating: int | None, comment: str | None) -> None:
    ss = st.session_state
    turn = _find_turn(turn_id)
    if turn is None:
        return
    reply = turn["reply"]
    try:
        status = audit_log().record(
            question=turn["question"], answer=_shown_answer(reply), verdict=reply.verdict,
            citations=reply.citations, mode=ss.mode, rating=rating,
            comment=comment, session_id=ss.session_id)
        # saved = in the log, or spooled to disk and written later (the message says which)
        ss[f"fbstatus_{turn_id}"] = (status.saved, status.message)
    except Exception:
        log.exception("storing feedback failed")
        ss[f"fbstatus_{turn_id}"] = (False, "抱歉,反馈暂时无法保存。")


def _shown_answer(reply) -> str:
    """The wording the reader sees now (the reply carries both modes' wording)."""
    return reply.text(st.session_state.mode)


def _on_feedback(turn_id: str) -> None:
    _store_feedback(turn_id, st.session_state.get(f"fb_{turn_id}"), None)


def _on_comment(turn_id: str) -> None:
    ss = st.session_state
    comment = (ss.get(f"cm_{turn_id}") or "").strip()
    if not comment:
        ss[f"fbstatus_{turn_id}"] = (False, "请先填写意见内容。")
        return
    _store_feedback(turn_id, ss.get(f"fb_{turn_id}"), comment)
    ss[f"cm_{turn_id}"] = ""


# ----------------------------------------------------------------------------- rendering

def item_text(a, citation: dict) -> str | None:
    """Full text of the cited item (cached per session); None when it cannot be had."""
    if citation.get("text"):
        return citation["text"]
    key = (citation.get("doc"), citation.get("article"))
    items = st.session_state.setdefault("items", {})
    if key not in items:
        try:
            items[key] = (a.item(*key) or {}).get("text")
        except Exception:
            log.warning("no item text for %s", key, exc_info=True)
            items[key] = None
    return items[key]


def render_citation(a, c: dict) -> None:
    label = c.get("label") or c.get("article") or "原文"
    doc, date = c.get("doc") or "", c.get("date") or ""
    with st.container(border=True):
        st.markdown(f":material/format_quote: **{md_escape(label)}** · {md_escape(doc)} · {md_escape(date)}")
        if c.get("quote"):
            st.markdown(md_quote(c["quote"]))
        if c.get("derived") or c.get("note"):
            note = c.get("note") or "此条由附件对照表整理,依据见正文。"
            st.caption(":material/info: " + md_escape(note))
        text = item_text(a, c)
        if text:
            with st.expander(f"查看{md_escape(label)}全文", expanded=False):
                st.markdown(highlight(text, c.get("quote", "")))
                title = c.get("doc_title") or ""
                st.caption(md_escape(f"《{title}》({doc},{date})" if title else f"{doc},{date}"))


def render_reply(a, turn: dict, latest: bool) -> None:
    ss = st.session_state
    reply, tid = turn["reply"], turn["id"]
    verdict = reply.verdict
    color, icon, fallback = VERDICT_STYLE.get(verdict, ("gray", ":material/info:", ""))
    badge = reply.badge or fallback
    if badge:
        st.badge(md_escape(badge, brackets=False), icon=icon, color=reply.tone or color)
    if ss.mode == "helpline":
        st.markdown(":material/support_agent: **坐席话术**(可直接朗读,点右上角按钮复制)")
        st.code(reply.script, language=None, wrap_lines=True)
    else:
        if reply.lead:
            st.markdown(f"**{md_escape(reply.lead)}**")
        body = reply.body.get("worker", "")
        if body:
            st.markdown(md_paragraphs(body))

    options = [o for o in reply.options if o]
    if verdict == "clarify" and options:
        if latest:
            st.caption("可直接点选:")
            for k, opt in enumerate(options):
                st.button(md_escape(opt), key=f"opt_{tid}_{k}", on_click=_queue_question, args=(opt,),
                          width="stretch")
        else:
            st.caption("可选项:" + ";".join(md_escape(o) for o in options))

    cites = reply.citations
    if cites:
        st.markdown(":material/menu_book: **依据原文**")
        for c in cites:
            render_citation(a, c)

    with st.container(horizontal=True, vertical_alignment="center", gap="medium"):
        st.feedback("thumbs", key=f"fb_{tid}", on_change=_on_feedback, args=(tid,))
        with st.popover("意见", key=f"pop_{tid}", icon=":material/rate_review:", type="tertiary"):
            st.text_input("补充意见(可选,请勿填写手机号、身份证号)", key=f"cm_{tid}", max_chars=500)
            st.button("提交意见", key=f"cmb_{tid}", on_click=_on_comment, args=(tid,))
        status = ss.get(f"fbstatus_{tid}")
        if status and status[0]:
            st.caption(":material/check: " + md_escape(status[1]))
    if status and not status[0]:
        st.warning(md_escape(status[1]))


def render_turn(a, turn: dict, latest: bool) -> None:
    with st.chat_message("user"):
        st.markdown(md_escape(turn["question"]))
    with st.chat_message("assistant"):
        render_reply(a, turn, latest)
        st.caption(_local_time(turn["time"]))


def _local_time(iso: str) -> str:
    try:
        from zoneinfo import ZoneInfo
        return datetime.fromisoformat(iso).astimezone(ZoneInfo("Asia/Shanghai")).strftime("%H:%M")
    except Exception:
        return ""


def _readable_time(value: Any) -> str:
    """'2026-11-27T05:35:24+0000' -> '2026-11-27 13:35' (Beijing time); anything else as is."""
    if not value:
        return ""
    try:
        from zoneinfo import ZoneInfo
        t = datetime.fromisoformat(str(value))
        if t.tzinfo is not None:
            t = t.astimezone(ZoneInfo("Asia/Shanghai"))
        return t.strftime("%Y-%m-%d %H:%M")
    except Exception:
        return str(value)


def ask(a, question: str) -> None:
    ss = st.session_state
    turn_id = uuid.uuid4().hex[:12]
    with st.chat_message("user"):
        st.markdown(md_escape(question))
    with st.chat_message("assistant"):
        try:
            with st.spinner("正在查找通知原文…"):
                if getattr(ss.conv, "mode", ss.mode) != ss.mode:
                    ss.conv.mode = ss.mode
                reply = ss.conv.ask(question)
            a.log_turn(reply)        # the one log line per turn
        except Exception:
            log.exception("answering failed")
            st.error(ERROR_MESSAGE)
            return
        turn = {"id": turn_id, "question": question, "reply": reply,
                "time": datetime.now(timezone.utc).isoformat(timespec="seconds")}
        ss.turns.append(turn)
        render_reply(a, turn, latest=True)
        st.caption(_local_time(turn["time"]))


def render_sidebar(a) -> None:
    ss = st.session_state
    with st.sidebar:
        st.radio("使用身份", list(MODES), format_func=MODES.get, key="mode", horizontal=True,
                 on_change=_on_mode_change, help="热线坐席模式会给出可直接朗读的话术。")

        st.markdown(":material/lightbulb: **常见问题**")
        for i, q in enumerate(list(getattr(a, "examples", []) or [])[:MAX_EXAMPLES]):
            st.button(md_escape(q), key=f"ex_{i}", on_click=_queue_question, args=(q,), width="stretch")

        c1, c2 = st.columns(2)
        with c1:
            st.button("新对话", key="new_conv", icon=":material/add_comment:", on_click=_new_conversation,
                      args=(a,), width="stretch")
        with c2:
            try:
                data = ss.conv.to_markdown() if ss.turns else ""
            except Exception:
                log.exception("export failed")
                data = ""
            st.download_button("导出", data=data or "", disabled=not data, key="export", icon=":material/download:",
                               file_name=f"政策咨询记录-{datetime.now():%Y%m%d-%H%M}.md",
                               mime="text/markdown", on_click="ignore", width="stretch",
                               help="导出本次对话(含引用原文、文号和日期),Markdown 格式")

        st.divider()
        render_metadata(a)
        st.divider()
        render_index_status(a)


def render_metadata(a) -> None:
    try:
        meta = a.metadata() or {}
    except Exception:
        log.exception("metadata failed")
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


def render_index_status(a) -> None:
    shared = _shared()
    with st.expander("索引状态", expanded=False, icon=":material/database:"):
        try:
            s = a.status() or {}
        except Exception:
            log.exception("status failed")
            s = {}
        built = _readable_time(s.get("built_at")) or "未知"
        st.caption(f"建立时间:{md_escape(built)}  \n向量模型:{md_escape(s.get('embedding_model', '未知'))}"
                   f"  \n条目数:{md_escape(s.get('chunks', '未知'))}")
        warnings = s.get("warnings") or []
        if warnings:   # skipped source pages, a rebuild that failed (the previous index is still served)
            st.warning("索引提示(请管理员处理):  \n" + "  \n".join(f"· {md_escape(w)}" for w in warnings[:20]))
        if st.button("重建索引", key="rebuild", icon=":material/refresh:", help="重新解析原文并建立索引(约需一两分钟)"):
            if not shared.rebuild_lock.acquire(blocking=False):
                st.info("索引正在由其他用户重建,请稍后再看。")
                return
            try:
                bar = st.progress(0.0, text="正在重建索引…")
                report = a.rebuild(progress=_progress_callback(bar, "正在重建索引…"))
                bar.empty()
                ok = str(getattr(report, "status", "ok")).lower() in {"ok", "built", "rebuilt", "updated", "up-to-date", "success", "done"}
                text = (f"重建完成:{getattr(report, 'chunks', '?')} 条,"
                        f"用时 {float(getattr(report, 'seconds', 0) or 0):.1f} 秒(状态:{getattr(report, 'status', '')})")
                (st.success if ok else st.warning)(md_escape(text))
            except Exception:
                log.exception("rebuild failed")
                st.error("索引重建失败,原索引继续使用。请稍后重试或联系管理员。")
            finally:
                shared.rebuild_lock.release()


def render_welcome(a) -> None:
    with st.chat_message("assistant"):
        st.markdown("您好!我可以解答**职业技能证书互通互认**的政策问题,例如电工证、焊工证能否免培训、"
                    "免考试,或比照认定技能等级。每个回答都会附上通知原文。")
        examples = list(getattr(a, "examples", []) or [])[:3]
        for i, q in enumerate(examples):
            st.button(md_escape(q), key=f"welcome_ex_{i}", on_click=_queue_question, args=(q,),
                      width="stretch")


NOT_READY_MESSAGE = ("政策知识库正在准备中(索引尚未建立或正在更新),暂时不能回答。请稍后刷新页面重试;"
                     "如长时间如此,请联系管理员运行索引程序。")


def main() -> None:
    try:
        a = get_assistant()
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

    st.subheader("证书互通互认政策助手", anchor=False)
    try:
        meta = a.metadata() or {}
    except Exception:
        meta = {}
    st.caption(md_escape(f"依据《{meta.get('short_title') or meta.get('title') or '关于推进职业技能证书互通互认的通知'}》"
                         f"({meta.get('doc_number', '人社厅发〔2026〕1号')},{meta.get('published', '2026-01-09')})"
                         f"原文作答,仅供参考,具体以当地主管部门解释为准。当前身份:{MODES.get(ss.mode, '')}"))

    render_sidebar(a)

    question = st.chat_input("请输入您的证书问题", max_chars=MAX_QUESTION,
                             key="chat")
    if not question:
        question = ss.pop("pending_question", None)
    question = (question or "").strip()

    if not ss.turns and not question:
        render_welcome(a)
    for i, turn in enumerate(ss.turns):
        render_turn(a, turn, latest=(i == len(ss.turns) - 1) and not question)
    if question:
        ask(a, question)


try:
    main()
except Exception:  # never a traceback on screen
    log.exception("page failed")
    st.error(ERROR_MESSAGE)
