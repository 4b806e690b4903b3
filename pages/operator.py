"""Operator page (/operator): the 👎 review queue, the index, the evaluation.

Off unless ASSISTANT_OPERATOR_TOKEN is set; then the token must be entered first. It renders
only: the queue and the evaluation JSONL come from assistant/review.py, the index status and
rebuild from the Assistant, the evaluation from assistant/evaluate.py.
"""
from __future__ import annotations

import hmac
import json
import logging
import os
from pathlib import Path

import streamlit as st

import ui
from ui import md_escape

log = logging.getLogger("assistant.operator")
st.set_page_config(page_title="运维页 · 证书互通互认政策助手", page_icon="🛠️", layout="wide",
                   initial_sidebar_state="collapsed", menu_items={"Get help": None, "Report a bug": None,
                                                                  "About": "证书互通互认政策助手 · 运维页"})
ROOT = Path(__file__).resolve().parent.parent
EVAL_SETS = {"开发集": ROOT / "tests" / "data" / "dev_conversations.jsonl",
             "盲测集(holdout)": ROOT / "tests" / "data" / "holdout_conversations.jsonl",
             "盲测集三": ROOT / "tests" / "data" / "blind3_conversations.jsonl"}


def gate() -> bool:
    token = os.environ.get("ASSISTANT_OPERATOR_TOKEN", "")
    if not token:
        st.error("运维页未启用:服务器没有设置 ASSISTANT_OPERATOR_TOKEN。")
        return False
    if st.session_state.get("operator_ok"):
        return True
    with st.form("login"):
        given = st.text_input("运维口令", type="password", key="operator_token")
        ok = st.form_submit_button("进入")
    if ok:
        if hmac.compare_digest(given.encode(), token.encode()):
            st.session_state.operator_ok = True
            st.rerun()
        st.error("口令不对。")
    return False


def queue_tab(a) -> None:
    from assistant.review import ITEMS, ReviewMarks, eval_jsonl, review_queue
    from assistant.evaluate import VERDICTS
    store = ui.conversation_store()
    marks = ReviewMarks(store.engine)
    try:
        rows = ui.audit_log().rows()
    except Exception:
        log.exception("reading feedback failed")
        st.warning("反馈日志暂时无法读取。")
        rows = []
    queue = review_queue(rows, store, marks.all())
    st.caption(f"👎 共 {len(queue)} 条;已标注 {sum(1 for e in queue if e['mark'])} 条。")
    data = eval_jsonl(queue)
    st.download_button("导出已标注的为评测 JSONL(开发集格式)", data=data or "", disabled=not data,
                       file_name="feedback_conversations.jsonl", mime="application/jsonl", key="export_eval",
                       on_click="ignore", icon=":material/download:")
    for e in queue[:100]:
        head = f"{'✅ ' if e['mark'] else ''}{(e['question'] or '')[:40]} · {e['verdict']} · {e['mode']} · {e['time'][:16]}"
        with st.expander(md_escape(head)):
            for c in e["comments"]:
                st.caption("意见:" + md_escape(c))
            if e["history"]:
                for i, h in enumerate(e["history"]):
                    mark = "👎 " if i == e["turn"] else ""
                    st.markdown(f"**{mark}{i + 1}. 问:** {md_escape(h['question'])}  \n"
                                f"【{md_escape(h['reply'].get('badge', ''))}】{md_escape(h['reply'].get('lead', ''))}")
            else:
                st.markdown(f"**问:** {md_escape(e['question'])}")
                st.caption("(对话记录已不在库中)")
            st.text(e["answer"] or "")
            cited = [c.get("article") for c in e["citations"] if isinstance(c, dict)]
            st.caption("当时引用:" + md_escape("、".join(x for x in cited if x) or "无"))
            m = e["mark"] or {}
            uid = e["uid"]
            with st.form(f"mark_{uid}"):
                st.selectbox("应有的结论", VERDICTS, index=VERDICTS.index(m.get("verdict", "answered")), key=f"mv_{uid}")
                st.multiselect("应引用的条款", ITEMS, default=m.get("items", []), key=f"mi_{uid}")
                st.text_input("答案中必须出现的要点(用 | 分隔,可空)", value="|".join(m.get("facts", [])), key=f"mf_{uid}")
                st.text_input("类别", value=m.get("category", "feedback"), key=f"mc_{uid}")
                st.form_submit_button("保存标注", on_click=_save_mark, args=(marks, uid))
            if st.session_state.get(f"marked_{uid}"):
                st.success("已保存标注。")


def _save_mark(marks, uid: str) -> None:
    """Before the rerun, so the export above already holds the new mark."""
    ss = st.session_state
    facts = [f for f in (ss.get(f"mf_{uid}") or "").split("|") if f.strip()]
    marks.mark(uid, ss[f"mv_{uid}"], ss.get(f"mi_{uid}") or [], ss.get(f"mc_{uid}") or "feedback", facts)
    ss[f"marked_{uid}"] = True


def index_tab(a) -> None:
    sh = ui.shared()
    try:
        s = a.status() or {}
    except Exception:
        log.exception("status failed")
        s = {}
    from assistant.render import china_time
    built = s.get("built_at")
    try:
        built = f"{china_time(built):%Y-%m-%d %H:%M}(北京时间)" if built else "未知"
    except Exception:
        pass
    st.markdown(md_escape(f"建立时间:{built}") + "  \n" + md_escape(f"条目数:{s.get('chunks', '未知')}") + "  \n"
                + md_escape(f"向量模型:{s.get('embedding_model', '未知')}"))
    st.caption(md_escape(f"存储:{s.get('store', '')};附件来源:{s.get('annex', '')}"))
    st.markdown("**来源文件**")
    docs = s.get("docs") or []
    # Assistant.status() on this branch has no parse warnings; the manifest (and, after the ingest
    # work, status()) carries them.
    warnings = s.get("warnings") or getattr(a, "manifest", {}).get("warnings") or []
    for d in docs:
        d = d if isinstance(d, dict) else {"source": str(d)}
        st.markdown("- " + md_escape(f"{d.get('source', '')} · {d.get('doc_number', '')} · {d.get('title', '')}"))
    if warnings:
        st.warning("解析警告:\n\n" + "\n\n".join(
            "- " + md_escape(w if isinstance(w, str) else json.dumps(w, ensure_ascii=False)) for w in warnings))
    else:
        st.caption("没有解析警告。")
    if not st.session_state.get("confirm_rebuild"):
        st.button("重建索引…", key="rebuild", icon=":material/refresh:",
                  on_click=lambda: st.session_state.__setitem__("confirm_rebuild", True))
        return
    st.warning("重建会重新解析原文并建立索引,约需一两分钟;期间问答继续使用原索引。确定吗?")
    col1, col2 = st.columns(2)
    go = col1.button("确定重建", key="rebuild_yes", type="primary")
    if col2.button("取消", key="rebuild_no"):
        st.session_state.confirm_rebuild = False
        st.rerun()
    if go:
        st.session_state.confirm_rebuild = False
        if not sh.rebuild_lock.acquire(blocking=False):
            st.info("索引正在重建中,请稍后再看。")
            return
        try:
            bar = st.progress(0.0, text="正在重建索引…")
            report = a.rebuild(progress=ui.progress_callback(bar, "正在重建索引…"))
            bar.empty()
            st.success(md_escape(f"重建完成:{getattr(report, 'chunks', '?')} 条,"
                                 f"用时 {float(getattr(report, 'seconds', 0) or 0):.1f} 秒。"))
        except Exception:
            log.exception("rebuild failed")
            st.error("索引重建失败,原索引继续使用。请查看服务器日志。")
        finally:
            sh.rebuild_lock.release()


def eval_tab(a) -> None:
    from assistant.evaluate import evaluate
    from assistant.review import eval_chart_rows
    name = st.selectbox("评测集", [k for k, p in EVAL_SETS.items() if p.exists()])
    if st.button("运行评测", key="run_eval", icon=":material/play_arrow:"):
        with st.spinner("正在评测…(约一两分钟)"):
            st.session_state.eval_result = evaluate(a, EVAL_SETS[name])
    r = st.session_state.get("eval_result")
    if not r:
        return
    c1, c2, c3 = st.columns(3)
    c1.metric("通过", f"{r['passed']}/{r['conversations']}", f"{r['pass_rate']:.1%}", delta_color="off")
    c2.metric("严重错误", r["critical_errors"], delta_color="off")
    c3.metric("伪造引文", r["fabricated_quotes"], delta_color="off")
    rows = eval_chart_rows(r)
    st.bar_chart(rows, x="类别", y="通过率(%)", horizontal=True)
    st.bar_chart([{"指标": "严重错误", "数量": r["critical_errors"]}, {"指标": "伪造引文", "数量": r["fabricated_quotes"]},
                  {"指标": "未覆盖却回答", "数量": r["answered_on_not_covered"]}], x="指标", y="数量")
    if r["failures"]:
        st.dataframe([{k: f[k] for k in ("id", "question", "gold_verdict", "verdict", "critical")} for f in r["failures"]],
                     hide_index=True)


def main() -> None:
    ui.page_shell()
    st.subheader("运维页", anchor=False)
    if not gate():
        return
    a = ui.get_assistant()
    t1, t2, t3 = st.tabs(["反馈审核", "索引", "评测"])
    with t1:
        queue_tab(a)
    with t2:
        index_tab(a)
    with t3:
        eval_tab(a)


try:
    main()
except Exception:
    log.exception("operator page failed")
    st.error("运维页出错了,请查看服务器日志。")
