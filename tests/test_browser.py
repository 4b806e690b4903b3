"""The page in a real browser: `streamlit run app.py` + headless Chromium (Playwright).

Run:  pytest -m browser tests/test_browser.py -s     (-s shows the measured latency)
Screenshots (desktop 1280x900, phone 390x844) go to artifacts/screenshots/.
"""
from __future__ import annotations

import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
DOC = "人社厅发〔2026〕1号"
LABEL_1_1 = re.compile(r"第一条第[((]一[))]项")
QUOTE_FRAGMENT = "可免予安全作业培训,直接参加建筑电工特种作业人员考核"
BADGE = re.compile(r"可以免予部分培训/考试|有明确规定|可视同相应技能等级|通知未规定|需要补充信息|超出本通知范围")
FIRST_LOAD_MS = 120_000
ANSWER_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def server(assistant, settings, tmp_path_factory):
    """streamlit run app.py over the session's index (built by conftest's `assistant` fixture)."""
    port = _free_port()
    var = tmp_path_factory.mktemp("browser-var")
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_LOG=str(var / "assistant.log"),
               ASSISTANT_AUDIT_DB=str(var / "audit.sqlite3"), PYTHONUNBUFFERED="1")
    log_path = var / "streamlit.log"
    log = open(log_path, "wb")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
         "--server.fileWatcherType", "none"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"streamlit exited ({proc.returncode}):\n{log_path.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("streamlit did not become healthy in 60 s")
            time.sleep(0.25)
        yield url
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=5)
        log.close()
        text = log_path.read_text(errors="replace")
        assert "Traceback" not in text, text[-3000:]


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists() and not shutil.which("chromium"):
        pytest.skip("no chromium")
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture(scope="session", autouse=True)
def shots_dir():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def open_page(browser, url, **context_args):
    context = browser.new_context(locale="zh-CN", **context_args)
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    page.goto(url + context_args.pop("path", ""), wait_until="domcontentloaded")
    page.get_by_test_id("stChatInputTextArea").wait_for(state="visible", timeout=FIRST_LOAD_MS)
    # the welcome message marks the end of the first script run (Assistant loaded)
    page.get_by_test_id("stChatMessage").first.wait_for(state="visible", timeout=FIRST_LOAD_MS)
    return context, page


def messages(page):
    return page.get_by_test_id("stChatMessage")


def ask(page, question: str, index: int) -> float:
    """Type + Enter; wait until the reply at chat-message `index` shows its badge. Returns ms."""
    box = page.get_by_test_id("stChatInputTextArea")
    box.fill(question)
    started = time.perf_counter()
    box.press("Enter")
    messages(page).nth(index).get_by_text(BADGE).first.wait_for(state="visible")
    elapsed = (time.perf_counter() - started) * 1000
    page.wait_for_load_state("networkidle")
    return elapsed


def settle(page):
    """Wait until Streamlit has finished its run (no running indicator)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !document.querySelector('[data-testid=\"stStatusWidget\"]').innerText.includes('Running')",
        timeout=ANSWER_MS)
    page.wait_for_timeout(300)


def test_conversation_examples_helpline_and_screenshots(server, browser, assistant):
    context, page = open_page(browser, server, viewport={"width": 1280, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.screenshot(path=str(SHOTS / "desktop-0-welcome.png"))

        # two-turn conversation
        ask(page, "安监局发的低压电工证去工地考建筑电工还要培训吗", 1)
        first = messages(page).nth(1)
        assert "可以免予部分培训/考试" in first.inner_text()
        assert LABEL_1_1.search(first.inner_text())
        assert QUOTE_FRAGMENT in first.inner_text()
        ask(page, "那高压电工呢?", 3)
        second = messages(page).nth(3)
        text = second.inner_text()
        assert "可以免予部分培训/考试" in text and "高压电工" in text
        assert LABEL_1_1.search(text) and QUOTE_FRAGMENT in text and DOC in text
        settle(page)
        second.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "desktop-1-two-turns.png"))

        # the whole item, quote highlighted, in the expander
        second.get_by_test_id("stExpander").first.locator("summary").click()
        page.wait_for_timeout(500)
        expander = second.get_by_test_id("stExpander").first
        assert "取得住房城乡建设部门颁发的合法有效的建筑电工特种作业操作证" in expander.inner_text()
        assert expander.locator("span[class*=Highlight], span[style*=background], mark").count() >= 1 or \
            expander.locator("strong").count() >= 1
        expander.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "desktop-2-item-expanded.png"))

        # latency of one more question once everything is loaded
        latency = ask(page, "建筑电工证能换应急管理部门的低压电工证吗", 5)
        print(f"\n[browser] Enter -> answer visible: {latency:.0f} ms")
        (SHOTS.parent / "latency.txt").write_text(f"{latency:.0f} ms Enter->answer visible\n", encoding="utf-8")

        # an example question from the sidebar
        example = assistant.examples[0]
        sidebar = page.get_by_test_id("stSidebar")
        sidebar.get_by_role("button", name=example).click()
        ask_index = 7
        messages(page).nth(ask_index).get_by_text(BADGE).first.wait_for(state="visible")
        assert example in messages(page).nth(ask_index - 1).inner_text()
        settle(page)

        # helpline mode: the ready-to-read script with its copy button
        sidebar.get_by_text("热线坐席").click()
        page.get_by_text("坐席话术").first.wait_for(state="visible")
        settle(page)
        code = page.get_by_test_id("stCode").last
        assert DOC in code.inner_text()
        code.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "desktop-3-helpline.png"))

        # the sidebar's lower half: notice metadata, verification link, index status
        sidebar.get_by_text("索引状态").click()
        sidebar.get_by_text("条目数").wait_for(state="visible")
        sidebar.get_by_role("button", name=re.compile("重建索引")).scroll_into_view_if_needed()
        assert DOC in sidebar.inner_text() and "2026-01-09" in sidebar.inner_text()
        assert sidebar.get_by_role("link", name=re.compile("osta.mohrss.gov.cn")).count() == 1
        page.screenshot(path=str(SHOTS / "desktop-4-sidebar.png"))

        # HTML typed by a user is shown as text, never run
        ask(page, "<script>alert(1)</script><img src=x onerror=alert(2)>低压电工证能换建筑电工证吗", 9)
        assert "<script>alert(1)</script>" in messages(page).nth(8).inner_text()
        assert messages(page).nth(8).locator("img, script").count() == 0
        page.wait_for_timeout(500)
        assert dialogs == []
    finally:
        context.close()


def test_phone_layout(server, browser):
    context, page = open_page(browser, server, viewport={"width": 390, "height": 844}, is_mobile=True,
                              has_touch=True, device_scale_factor=2)
    try:
        page.screenshot(path=str(SHOTS / "phone-0-welcome.png"))
        ask(page, "我有电工证能免培训吗", 1)
        settle(page)
        reply = messages(page).nth(1)
        assert "需要补充信息" in reply.inner_text()
        reply.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "phone-1-clarify.png"))
        # tap an option
        reply.get_by_role("button", name=re.compile("低压电工")).first.click()
        messages(page).nth(3).get_by_text(BADGE).first.wait_for(state="visible")
        settle(page)
        text = messages(page).nth(3).inner_text()
        assert LABEL_1_1.search(text) or "通知" in text
        messages(page).nth(3).scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "phone-2-answer.png"))
        # the sidebar opens over the chat on a phone
        opener = page.get_by_test_id("stExpandSidebarButton")
        if opener.count():
            opener.first.click()
            page.get_by_test_id("stSidebar").get_by_text("热线坐席").wait_for(state="visible")
            page.wait_for_timeout(500)
            page.screenshot(path=str(SHOTS / "phone-3-sidebar.png"))
        # nothing wider than the screen
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
    finally:
        context.close()


def test_browser_sessions_are_isolated(server, browser):
    """Three sessions at once: each sees only its own questions, and a follow-up uses its own context."""
    sessions = [open_page(browser, server, viewport={"width": 1000, "height": 800}) for _ in range(3)]
    questions = ["低压电工证能换建筑电工证吗", "建筑焊工证申请熔化焊接与热切割作业证要培训吗", "这份通知的文号是多少?"]
    try:
        for (_, page), q in zip(sessions, questions):   # all three in flight before any is awaited
            page.get_by_test_id("stChatInputTextArea").fill(q)
            page.get_by_test_id("stChatInputTextArea").press("Enter")
        for (_, page), q in zip(sessions, questions):
            messages(page).nth(1).get_by_text(BADGE).first.wait_for(state="visible")
        _, first = sessions[0]
        ask(first, "那高压电工呢?", 3)
        assert "高压电工" in messages(first).nth(3).inner_text()
        for i, (_, page) in enumerate(sessions):
            settle(page)
            shown = "\n".join(messages(page).all_inner_texts())
            assert questions[i] in shown
            for j, other in enumerate(questions):
                if j != i:
                    assert other not in shown, (i, other)
        assert "那高压电工呢" not in "\n".join(messages(sessions[1][1]).all_inner_texts())
    finally:
        for context, _ in sessions:
            context.close()
