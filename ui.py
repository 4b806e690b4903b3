"""Streamlit glue shared by the chat page (app.py) and the operator page (pages/operator.py).

Only rendering helpers and the per-process resources (the Assistant, the feedback log, the
conversation store); every decision lives in the `assistant` package. Text from users and from
the index is shown with Markdown escaped and HTML off; the only HTML here is our own (the page
shell: language, Chinese labels for Streamlit's own controls, contrast and touch-target CSS, the
copy buttons), with every piece of reply text HTML-escaped.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
from functools import lru_cache
from html import escape
from typing import Any

import streamlit as st

log = logging.getLogger("assistant.app")

MODES = {"worker": "劳动者", "helpline": "热线坐席"}

# ----------------------------------------------------------------------------- escaping

_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~=$:^&\"'])")


# GFM turns bare URLs, "www." names and e-mail addresses into live links even when their dots are
# escaped. A word joiner (U+2060, invisible) after the scheme, after "www" and before "@" leaves the
# text as it reads but gives the autolinker nothing to match.
_AUTOLINK = re.compile(r"(?i)(?<=[a-z])(?=://)|(?<=\bwww)(?=\.)|(?=@)")


def md_escape(text: Any, *, brackets: bool = True) -> str:
    """Text shown literally by st.markdown: every Markdown/HTML-significant ASCII char escaped, and
    nothing a GFM autolinker would make live."""
    s = _AUTOLINK.sub("\u2060", "" if text is None else str(text))
    s = _MD_SPECIAL.sub(r"\\\1", s)
    if not brackets:
        s = s.replace("\\[", "[").replace("\\]", "]")
    return s


def md_paragraphs(text: str) -> str:
    """Escaped text, one Markdown paragraph per source line; '- ' lines stay list items."""
    out = []
    for line in text.splitlines():
        if not line.strip():
            continue
        m = re.match(r"^\s*-\s+(.*)$", line)
        out.append("- " + md_escape(m[1]) if m else md_escape(line))
    return "\n\n".join(out)


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
        idx = [i for i, ch in enumerate(text) if not ch.isspace()]
        flat, q = "".join(text[i] for i in idx), _norm(quote)
        pos = flat.find(q) if q else -1
        if pos >= 0:
            start, end = idx[pos], idx[pos + len(q) - 1] + 1
    if start < 0:
        return md_paragraphs(text)
    lines_out: list[str] = []
    current = ""
    for seg, marked in [(text[:start], False), (text[start:end], True), (text[end:], False)]:
        for k, part in enumerate(seg.split("\n")):
            if k > 0:
                lines_out.append(current)
                current = ""
            if part:
                current += f":orange-background[**{md_escape(part)}**]" if marked and part.strip() else md_escape(part)
    lines_out.append(current)
    return "\n\n".join(line for line in lines_out if line.strip())


# ----------------------------------------------------------------------------- shared resources

class _Loader:
    """One load of the process's Assistant, in a thread of its own.

    The page that waits for it only watches (progress bar), so a rerun or a closed tab interrupts the
    waiting, never the load; and the page shell (title, chat input) is drawn before anything is loaded."""

    def __init__(self) -> None:
        self.done = threading.Event()
        self.fraction, self.message = 0.0, "正在加载…"
        self.assistant = None
        self.error: BaseException | None = None
        threading.Thread(target=self._run, name="load-assistant", daemon=True).start()

    def progress(self, fraction: float, message: str = "") -> None:
        self.fraction, self.message = float(fraction), message or self.message

    def _run(self) -> None:
        try:
            from assistant import Assistant
            # the process's one Assistant (assistant.core): also what the CLI and the load tool share
            self.assistant = Assistant.shared(progress=self.progress, warm=True)
        except BaseException as exc:      # handed to the pages that wait (a failed load is tried again)
            self.error = exc
        finally:
            self.done.set()


class _Shared:
    """One per server process: the loaded Assistant, its loader and the locks around them."""

    def __init__(self) -> None:
        self.load_lock = threading.Lock()
        self.rebuild_lock = threading.Lock()
        self.assistant = None
        self.loader: _Loader | None = None
        self.rebuilding = False

    def start_loading(self) -> _Loader:
        """The running (or finished) load; a new one if none ran yet or the last one failed."""
        with self.load_lock:
            if self.loader is None or (self.loader.done.is_set() and self.loader.error is not None):
                self.loader = _Loader()
            return self.loader


@st.cache_resource(show_spinner=False)
def shared() -> _Shared:
    return _Shared()


@st.cache_resource(show_spinner=False)
def _audit_log(path: str, url: str):
    from assistant.audit import AuditLog
    return AuditLog(path, url=url or None)


def audit_log():
    from assistant.audit import default_path, default_url
    return _audit_log(str(default_path()), default_url())


@st.cache_resource(show_spinner=False)
def _store(url: str):
    from assistant.sessions import ConversationStore
    return ConversationStore(url)


def _settings_key() -> tuple:
    return tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("ASSISTANT_")))


@lru_cache(maxsize=8)
def _store_url(settings_key: tuple) -> str:
    """The database URL of one configuration: reading the settings took 2 ms of every turn."""
    from assistant.sessions import default_url
    return default_url()


def conversation_store():
    return _store(_store_url(_settings_key()))


def progress_callback(bar, default_text: str):
    def progress(fraction: float, message: str = "") -> None:
        try:
            bar.progress(min(max(float(fraction), 0.0), 1.0), text=md_escape(message or default_text))
        except Exception:  # called from a worker thread, or the page went away
            pass
    return progress


def get_assistant():
    """The server-wide Assistant. The first page to ask starts its load (in the background, see _Loader) and
    shows its progress until it is ready; raises what the load raised (IndexUnavailable: not ready yet)."""
    sh = shared()
    if sh.assistant is not None:
        return sh.assistant
    loader = sh.start_loading()
    slot = st.empty()
    with slot.container():
        with st.status("首次启动:正在准备政策知识库,请稍候…", expanded=True):
            st.caption("首次启动需要建立索引,可能需要一两分钟;之后的访问会很快。")
            bar = st.progress(0.0, text="正在加载…")
            shown = None
            while True:
                finished = loader.done.wait(0.1)
                now = (min(max(loader.fraction, 0.0), 1.0), loader.message)
                if now != shown:
                    bar.progress(now[0], text=md_escape(now[1]))
                    shown = now
                if finished:
                    break
    if loader.error is not None:
        raise loader.error
    sh.assistant = loader.assistant
    slot.empty()
    return sh.assistant


# ----------------------------------------------------------------------------- page shell

# Streamlit's own labels (status widget, menu, connection dialog, sidebar and code buttons) in Chinese.
SHELL_TEXT = {
    "Running...": "正在处理…", "Stop": "停止", "Rerun": "重新运行", "Always rerun": "总是重新运行",
    "Connecting": "正在连接", "Connection error": "连接中断", "Please wait...": "请稍候…",
    "Is Streamlit still running? If you accidentally stopped Streamlit, just restart it in your terminal:":
        "与服务器的连接中断了,正在自动重连。如长时间没有恢复,请刷新页面;急需咨询请拨打 12333。",
    "Streamlit server is not responding. Are you connected to the internet?":
        "服务器暂时没有响应,正在自动重连。请检查网络;如长时间没有恢复,请刷新页面,急需咨询请拨打 12333。",
    "Unable to connect to Streamlit server": "无法连接服务器", "Connection closed": "连接已关闭",
    "Connection timed out.": "连接超时。", "Reconnected to server.": "已重新连接服务器。",
    "Network error": "网络错误", "Close": "关闭", "Copy": "复制", "Main menu": "主菜单",
    "Collapse sidebar": "收起侧栏", "Expand sidebar": "展开侧栏", "Print": "打印", "About": "关于",
    "Settings": "设置", "Clear cache": "清除缓存", "Record a screencast": "录制屏幕",
    "Copy to clipboard": "复制", "Skip to main content": "跳到主要内容", "Fullscreen": "全屏", "Close fullscreen": "退出全屏",
}

# Contrast >= 4.5:1 for captions and quotes, >= 44 px touch targets, a visible keyboard focus.
SHELL_CSS = """
<style>
:root { --zh-muted: #4a4f57; }
[data-testid="stChatMessage"] { scroll-margin-top: 4.5rem; }
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p,
[data-testid="stMarkdownContainer"] blockquote, [data-testid="stMarkdownContainer"] blockquote p,
[data-testid="stChatMessage"] small { color: var(--zh-muted) !important; opacity: 1 !important; }
button, [role="button"], a[data-testid^="stBaseLinkButton"], summary, [role="radio"], [role="tab"],
[data-baseweb="popover"] button { min-height: 44px !important; min-width: 44px !important; }
[data-testid="stFeedback"] button, [data-testid="stButtonGroup"] button { min-height: 44px; min-width: 52px; }
[data-testid="stButtonGroup"] > div { gap: 12px; }
[data-testid="stChatInputTextArea"], [data-testid="stTextInputField"] { min-height: 44px !important; }
[data-baseweb="input"], [data-baseweb="base-input"] { height: auto !important; }
.stApp :focus-visible { outline: 3px solid #1d4ed8 !important; outline-offset: 2px; }
.zh-copy { display: inline-flex; align-items: center; gap: .4em; min-height: 44px; padding: 0 1em;
  border: 1px solid #1d4ed8; border-radius: .5rem; background: #fff; color: #1d4ed8; font: inherit;
  font-size: 1rem; cursor: pointer; }
.zh-copy:hover { background: #eef2ff; }
.zh-copy-status { margin-left: .6em; }
.zh-copy[data-done="1"] { color: #065f46; border-color: #065f46; }
.zh-tel { display: inline-flex; align-items: center; min-height: 44px; padding: 0 1em; border-radius: .5rem;
  background: #fff7ed; border: 1px solid #9a3412; color: #9a3412 !important; text-decoration: none; font-weight: 600; }
@media (max-width: 640px) { .block-container { padding-left: .75rem; padding-right: .75rem; padding-top: 2.5rem; } }
</style>
"""

SHELL_JS = """
<script>
(function () {
  const doc = window.parent && window.parent.document ? window.parent.document : document;
  doc.documentElement.lang = "zh-CN";
  if (window.__zhShell) return;
  window.__zhShell = true;
  const T = %s;
  function fix(root) {
    const walker = doc.createTreeWalker(root, NodeFilter.SHOW_TEXT);
    let n;
    while ((n = walker.nextNode())) {
      const t = n.nodeValue.trim();
      if (t && Object.prototype.hasOwnProperty.call(T, t)) n.nodeValue = n.nodeValue.replace(t, T[t]);
    }
    root.querySelectorAll && root.querySelectorAll("[aria-label],[title]").forEach(function (el) {
      ["aria-label", "title"].forEach(function (a) {
        const v = el.getAttribute(a);
        if (v && Object.prototype.hasOwnProperty.call(T, v)) el.setAttribute(a, T[v]);
      });
    });
  }
  fix(doc.body);
  new MutationObserver(function (muts) {
    if (doc.documentElement.lang !== "zh-CN") doc.documentElement.lang = "zh-CN";
    muts.forEach(function (m) {
      if (m.type === "characterData") { if (m.target.parentNode) fix(m.target.parentNode); }
      else m.addedNodes.forEach(function (x) { if (x.nodeType === 1) fix(x); else if (x.parentNode) fix(x.parentNode); });
      if (m.type === "attributes") fix(m.target);
    });
  }).observe(doc.documentElement, {subtree: true, childList: true, characterData: true,
                                    attributes: true, attributeFilter: ["aria-label", "title", "lang"]});
  // copy buttons (.zh-copy): clipboard API where allowed, else a selected textarea
  doc.addEventListener("click", function (e) {
    const b = e.target.closest && e.target.closest(".zh-copy");
    if (!b) return;
    const text = JSON.parse(b.getAttribute("data-text") || '""');
    const done = function () {
      b.setAttribute("data-done", "1");
      const l = b.querySelector(".zh-copy-label"); if (l) l.textContent = "已复制";
      const s = b.parentNode.querySelector(".zh-copy-status"); if (s) s.textContent = "已复制到剪贴板";
    };
    const fallback = function () {
      const ta = doc.createElement("textarea"); ta.value = text; ta.setAttribute("readonly", "");
      ta.style.position = "fixed"; ta.style.opacity = "0"; doc.body.appendChild(ta); ta.select();
      try { doc.execCommand("copy"); done(); } finally { doc.body.removeChild(ta); }
    };
    if (navigator.clipboard && window.isSecureContext) navigator.clipboard.writeText(text).then(done, fallback);
    else fallback();
  });
})();
</script>
""" % json.dumps(SHELL_TEXT, ensure_ascii=False)


def page_shell() -> None:
    """CSS and the shell script (once per page; st.html runs it in the page)."""
    st.html(SHELL_CSS)
    st.html(SHELL_JS, unsafe_allow_javascript=True)


def scroll_to(anchor_id: str) -> None:
    """Bring the element with id `anchor_id` to the top of the view once it exists, overriding
    Streamlit's stick-to-bottom for a moment; a user's own scroll or touch stops it."""
    safe = re.sub(r"[^a-zA-Z0-9_-]", "", anchor_id)
    st.html("""<script>(function(){
      const doc = document; let n = 0, stop = false;
      const quit = function(){ stop = true; };
      ["wheel","touchstart","keydown","pointerdown"].forEach(function(e){ doc.addEventListener(e, quit, {once:true, passive:true}); });
      (function tick(){
        if (stop || n++ > 40) return;
        const el = doc.getElementById("%s");
        if (el) {
          const msg = el.closest('[data-testid="stChatMessage"]') || el;
          msg.scrollIntoView({block: "start"});
        }
        setTimeout(tick, 50);
      })();
    })();</script>""" % safe, unsafe_allow_javascript=True)


def anchor(anchor_id: str) -> None:
    st.html(f'<span id="{escape(re.sub(r"[^a-zA-Z0-9_-]", "", anchor_id))}"></span>')


def copy_button(text: str, label: str = "复制", key: str = "") -> None:
    """A real <button> (keyboard-reachable, always visible, 44 px) that copies `text` as plain text."""
    data = escape(json.dumps(text, ensure_ascii=False), quote=True)
    st.html(f'<div class="zh-copy-wrap"><button type="button" class="zh-copy" data-key="{escape(key)}" '
            f'data-text="{data}" aria-label="{escape(label)}">'
            f'<span class="zh-copy-label">{escape(label)}</span></button>'
            f'<span class="zh-copy-status" role="status" aria-live="polite"></span></div>')


def tel_link(label: str = "拨打 12333 人工咨询") -> None:
    st.html(f'<a class="zh-tel" href="tel:12333">{escape(label)}</a>')
