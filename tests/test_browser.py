"""The page in a real browser: `streamlit run app.py` + headless Chromium (Playwright).

Run:  pytest -m browser tests/test_browser.py -s     (-s shows the measured latency)
Screenshots (desktop 1440x900, phone 390x844) go to artifacts/screenshots/; the accessibility
audit (axe-core, via axe-playwright-python) to artifacts/axe-*.json; the latency by conversation
length to artifacts/latency-turns.txt.
"""
from __future__ import annotations

import contextlib
import json
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
from conftest import notice_page

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent
SHOTS = ROOT / "artifacts" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"]
DOC = "人社厅发〔2026〕1号"
LABEL_1_1 = re.compile(r"第一条第[((]一[))]项")
QUOTE_FRAGMENT = "可免予安全作业培训,直接参加建筑电工特种作业人员考核"
BADGE = re.compile(r"可以免予部分培训/考试|有明确规定|可视同相应技能等级|通知未规定|需要补充信息|超出本通知范围|只能免一部分"
                   r"|通知未直接规定|所问项目不免")
OPERATOR_TOKEN = "op-token-for-browser-tests"
SERVER: dict = {}
FIRST_LOAD_MS = 120_000
ANSWER_MS = 60_000


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def streamlit_server(env: dict, var: Path):
    """`streamlit run app.py` with `env`, yielding its URL once healthy; stopped afterwards, with no traceback logged."""
    port = _free_port()
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
def server(assistant, settings, tmp_path_factory):
    """streamlit run app.py over the session's index (built by conftest's `assistant` fixture)."""
    var = tmp_path_factory.mktemp("browser-var")
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_LOG=str(var / "assistant.log"),
               ASSISTANT_AUDIT_DB=str(var / "audit.sqlite3"), PYTHONUNBUFFERED="1",
               ASSISTANT_OPERATOR_TOKEN=OPERATOR_TOKEN)
    env.pop("ASSISTANT_DB_URL", None)
    SERVER["var"] = var
    with streamlit_server(env, var) as url:
        yield url


@pytest.fixture(scope="session", autouse=True)
def shots_dir():
    SHOTS.mkdir(parents=True, exist_ok=True)
    return SHOTS


def open_page(browser, url, **context_args):
    context = browser.new_context(locale="zh-CN", **context_args)
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    page.goto(url, wait_until="domcontentloaded")
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


def scroll_top(page):
    """Scroll the chat to its top as a reader would (a wheel event ends the answer's own scrolling)."""
    page.evaluate("document.dispatchEvent(new WheelEvent('wheel'))")
    page.get_by_test_id("stAppScrollToBottomContainer").evaluate("e => e.scrollTo(0, 0)")
    page.wait_for_timeout(200)


def click_in_popover(page, name) -> None:
    """Click a button in an open popover. Streamlit may scroll the chat back to its bottom under an open
    popover (its stick-to-bottom), taking the popover's anchor, and so the popover, out of view: scroll
    the chat to its top again and retry."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout
    button = page.get_by_role("button", name=name)
    for _ in range(3):
        try:
            button.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            scroll_top(page)
    button.click()


def settle(page):
    """Wait until Streamlit has finished its run (no running indicator)."""
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')"
        " || !/Running|正在处理/.test(document.querySelector('[data-testid=\"stStatusWidget\"]').innerText)",
        timeout=ANSWER_MS)
    page.wait_for_timeout(300)


SIZES = {
    "phone": dict(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True, device_scale_factor=2),
    "desktop": dict(viewport={"width": 1440, "height": 900}),
}
MARKDOWN = re.compile(r"\*\*|__|`|^\s*#|^\s*>|^\s*[-*•]\s|\|", re.M)


def in_view(page, locator) -> bool:
    """The element is on screen: below Streamlit's header and above the chat input."""
    box = locator.bounding_box()
    header = page.get_by_test_id("stHeader").bounding_box() or {"y": 0, "height": 0}
    bottom = page.get_by_test_id("stChatInput").bounding_box() or {"y": page.viewport_size["height"]}
    return box is not None and box["y"] >= header["y"] + header["height"] - 1 and \
        box["y"] + box["height"] <= bottom["y"] + 1


def small_targets(page) -> list[dict]:
    """Visible controls in the page smaller than 44x44 px (the visually hidden skip link aside)."""
    return page.evaluate("""() => [...document.querySelectorAll(
        'button, a[href], [role=button], summary, [role=radio], [role=tab], input:not([type=hidden]), textarea')]
      .filter(e => e.getAttribute('data-testid') !== 'stSkipToContent')
      .filter(e => { const r = e.getBoundingClientRect(); const s = getComputedStyle(e);
                     return r.width > 0 && r.height > 0 && s.visibility !== 'hidden' && s.display !== 'none'; })
      .map(e => { const r = e.getBoundingClientRect();
                  return {tag: e.tagName, id: e.getAttribute('data-testid') || '', text: (e.innerText || '').slice(0, 20),
                          w: Math.round(r.width), h: Math.round(r.height)}; })
      .filter(x => x.w < 44 || x.h < 44)""")


def axe_audit(page, name: str) -> list[dict]:
    from axe_playwright_python.sync_playwright import Axe
    result = Axe().run(page)
    violations = result.response["violations"]
    (SHOTS.parent / f"axe-{name}.json").write_text(json.dumps(violations, ensure_ascii=False, indent=1), encoding="utf-8")
    return violations


def test_conversation_examples_helpline_and_screenshots(server, browser, assistant):
    context, page = open_page(browser, server, viewport={"width": 1440, "height": 900})
    dialogs = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    try:
        page.screenshot(path=str(SHOTS / "desktop-0-welcome.png"))
        ask(page, "安监局发的低压电工证去工地考建筑电工还要培训吗", 1)
        first = messages(page).nth(1)
        assert "可以免予部分培训/考试" in first.inner_text()
        assert LABEL_1_1.search(first.inner_text()) and QUOTE_FRAGMENT in first.inner_text()
        ask(page, "那高压电工呢?", 3)
        second = messages(page).nth(3)
        text = second.inner_text()
        assert "可以免予部分培训/考试" in text and "高压电工" in text
        assert LABEL_1_1.search(text) and QUOTE_FRAGMENT in text and DOC in text
        settle(page)
        page.screenshot(path=str(SHOTS / "desktop-1-two-turns.png"))

        # the whole item, quote highlighted, in the card's expander
        second.get_by_test_id("stExpander").first.locator("summary").click()
        page.wait_for_timeout(500)
        expander = second.get_by_test_id("stExpander").first
        assert "取得住房城乡建设部门颁发的合法有效的建筑电工特种作业操作证" in expander.inner_text()
        expander.scroll_into_view_if_needed()
        page.screenshot(path=str(SHOTS / "desktop-2-item-expanded.png"))

        latency = ask(page, "建筑电工证能换应急管理部门的低压电工证吗", 5)
        print(f"\n[browser] Enter -> answer visible: {latency:.0f} ms")
        (SHOTS.parent / "latency.txt").write_text(f"{latency:.0f} ms Enter->answer visible\n", encoding="utf-8")
        settle(page)

        # an example question from the 常见问题 menu on the page
        example = assistant.examples[0]
        scroll_top(page)
        page.get_by_role("button", name=re.compile("常见问题")).click()
        page.get_by_role("button", name=example).click()
        messages(page).last.get_by_text(BADGE).first.wait_for(state="visible")
        settle(page)
        assert example in "\n".join(messages(page).all_inner_texts())

        # HTML typed by a user is shown as text, never run
        box = page.get_by_test_id("stChatInputTextArea")
        box.fill("<script>alert(1)</script><img src=x onerror=alert(2)>低压电工证能换建筑电工证吗")
        box.press("Enter")
        page.wait_for_function(
            """rx => { const m = [...document.querySelectorAll('[data-testid=stChatMessage]')];
                return m.length >= 2 && m[m.length - 2].innerText.includes('<script>alert(1)')
                       && new RegExp(rx).test(m[m.length - 1].innerText); }""", arg=BADGE.pattern)
        settle(page)
        user = messages(page).nth(messages(page).count() - 2)
        assert "<script>alert(1)</script>" in user.inner_text()
        assert user.locator("img, script").count() == 0
        page.wait_for_timeout(500)
        assert dialogs == []
    finally:
        context.close()


def test_phone_clarify_options(server, browser):
    context, page = open_page(browser, server, **SIZES["phone"])
    try:
        page.screenshot(path=str(SHOTS / "phone-0-welcome.png"))
        ask(page, "我有电工证能免培训吗", 1)
        settle(page)
        reply = messages(page).nth(1)
        assert "需要补充信息" in reply.inner_text()
        page.screenshot(path=str(SHOTS / "phone-1-clarify.png"))
        reply.get_by_role("button", name=re.compile("低压电工")).first.click()
        messages(page).nth(3).get_by_text(BADGE).first.wait_for(state="visible")
        settle(page)
        text = messages(page).nth(3).inner_text()
        assert LABEL_1_1.search(text) or "通知" in text
        page.screenshot(path=str(SHOTS / "phone-2-answer.png"))
        overflow = page.evaluate("() => document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 1, overflow
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_answer_start_in_view_actions_targets_and_audit(server, browser, size):
    """After each answer its badge and lead are on screen; actions without the sidebar;
    44 px targets; lang zh-CN; axe finds no serious or critical violation."""
    context, page = open_page(browser, server, **SIZES[size])
    try:
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        questions = ["安监局发的低压电工证去工地考建筑电工还要培训吗", "电工证和焊工证有哪些互认?", "那高压电工呢?"]
        for i, q in enumerate(questions):
            ask(page, q, 2 * i + 1)
            page.wait_for_timeout(1200)     # past Streamlit's own scrolling
            reply = messages(page).nth(2 * i + 1)
            badge = reply.get_by_text(BADGE).first
            lead = reply.locator("strong").first
            assert in_view(page, badge), (size, q, badge.bounding_box())
            assert in_view(page, lead), (size, q, lead.bounding_box())
            page.screenshot(path=str(SHOTS / f"{size}-answer-{i + 1}-start-in-view.png"))
        settle(page)
        # one card per cited item: labels do not repeat within an answer
        labels = reply.get_by_test_id("stVerticalBlockBorderWrapper").locator("strong").all_inner_texts()
        cards = [x for x in labels if x.startswith("第")]
        assert len(cards) == len(set(cards)), cards
        # the main actions are on the page; the sidebar stays closed
        scroll_top(page)
        for name in ("新对话", "导出", "常见问题"):
            control = page.get_by_role("button", name=re.compile(name)).first
            assert control.is_visible() and control.is_enabled(), name
        for name in ("劳动者", "热线坐席"):
            assert page.locator(".st-key-mode_pick").get_by_text(name).is_visible(), name
        assert not page.get_by_test_id("stSidebar").is_visible() or \
            page.get_by_test_id("stSidebar").get_attribute("aria-expanded") == "false"
        page.get_by_role("button", name=re.compile("常见问题")).click()
        page.get_by_role("button", name=re.compile("高压电工证能算几级工")).wait_for(state="visible")
        assert not small_targets(page), small_targets(page)
        page.screenshot(path=str(SHOTS / f"{size}-actions.png"))
        page.keyboard.press("Escape")
        # open the 👎 reasons too, so the audit sees them
        messages(page).last.get_by_test_id("stFeedback").locator("button").nth(1).click()
        messages(page).last.get_by_role("button", name="不准确").wait_for(state="visible")
        settle(page)
        small = small_targets(page)
        assert not small, small
        violations = axe_audit(page, size)
        bad = [(v["id"], v["impact"], len(v["nodes"])) for v in violations if v["impact"] in ("serious", "critical")]
        print(f"\n[axe {size}] violations: {[(v['id'], v['impact']) for v in violations]}")
        assert not bad, bad
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_export_holds_every_turn_and_reload_resumes(server, browser, size):
    context, page = open_page(browser, server, accept_downloads=True, **SIZES[size])
    try:
        questions = ["安监局发的低压电工证去工地考建筑电工还要培训吗", "那高压电工呢?"]
        for i, q in enumerate(questions):
            ask(page, q, 2 * i + 1)
        settle(page)
        scroll_top(page)
        page.get_by_role("button", name=re.compile("导出")).click()
        for label, suffix in (("纯文本", ".txt"), ("可打印网页", ".html")):
            with page.expect_download() as info:
                click_in_popover(page, re.compile(label))
            download = info.value
            assert re.match(r"政策咨询记录-\d{8}-\d{4}" + re.escape(suffix), download.suggested_filename)
            data = Path(download.path()).read_text(encoding="utf-8")
            for q in questions:
                assert q.rstrip("?") in data, (label, q)
            assert DOC in data and LABEL_1_1.search(data)
        page.screenshot(path=str(SHOTS / f"{size}-export-open.png"))
        page.keyboard.press("Escape")
        url = page.url
        assert "c=" in url
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("已恢复上次的对话").wait_for(state="visible", timeout=FIRST_LOAD_MS)
        messages(page).filter(has_text=questions[-1]).first.wait_for(state="visible")   # drawn after the caption
        shown = "\n".join(messages(page).all_inner_texts())
        assert all(q in shown for q in questions)
        page.screenshot(path=str(SHOTS / f"{size}-reloaded.png"))
        # and the conversation goes on with its context
        ask(page, "那建筑电工证反过来呢?", 5)
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_helpline_script_is_plain_copyable_and_survives_a_reload(server, browser, size):
    context, page = open_page(browser, server, **SIZES[size])
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server)
    try:
        page.locator(".st-key-mode_pick").get_by_text("热线坐席").click()
        page.get_by_text("坐席您好").wait_for(state="visible")
        ask(page, "来电人持熔化焊接与热切割作业证,申请建筑焊工证,能否免培训?", 1)
        settle(page)
        reply = messages(page).nth(1)
        script = reply.get_by_test_id("stCode").inner_text()
        assert not MARKDOWN.search(script), script
        assert "推定" not in script and "附件原表" not in script
        last = script.strip().splitlines()[-1]
        assert last.startswith("依据:《") and DOC in last and re.search(r"第一条第[((]二[))]项", last)
        copy = reply.locator("button.zh-copy")
        assert copy.is_visible()
        box = copy.bounding_box()
        assert box["height"] >= 44 and box["width"] >= 44
        # keyboard: it takes focus like any button, and Enter copies the script
        copy.focus()
        assert page.evaluate("document.activeElement.classList.contains('zh-copy')")
        page.keyboard.press("Enter")
        reply.get_by_text("已复制").first.wait_for(state="visible")
        copied = page.evaluate("navigator.clipboard.readText()")
        assert copied.strip() == script.strip()
        if size == "desktop":     # the source sits beside the script
            code_box = reply.get_by_test_id("stCode").bounding_box()
            card = reply.get_by_text("依据原文").bounding_box()
            assert card["x"] > code_box["x"] + code_box["width"] - 1
        page.screenshot(path=str(SHOTS / f"{size}-helpline.png"))
        page.reload(wait_until="domcontentloaded")
        page.get_by_text("已恢复上次的对话").wait_for(state="visible", timeout=FIRST_LOAD_MS)
        assert "坐席话术" in messages(page).nth(1).inner_text()      # still in 热线坐席 mode
    finally:
        context.close()


def test_thumbs_down_offers_reasons_and_confirms(server, browser):
    context, page = open_page(browser, server, **SIZES["phone"])
    try:
        ask(page, "我有叉车证能免考吗", 1)
        settle(page)
        reply = messages(page).nth(1)
        assert reply.locator('a[href="tel:12333"]').count() == 1
        reply.get_by_test_id("stFeedback").locator("button").nth(1).click()
        reply.get_by_role("button", name="不准确").wait_for(state="visible")
        settle(page)
        reply.get_by_role("button", name="不准确").click()
        settle(page)
        reply.get_by_role("button", name="提交反馈").click()
        reply.get_by_text("已提交,谢谢您的反馈").wait_for(state="visible")
        page.screenshot(path=str(SHOTS / "phone-feedback-sent.png"))
    finally:
        context.close()


@pytest.mark.parametrize("size", list(SIZES))
def test_operator_page_refuses_without_the_token(server, browser, size):
    context = browser.new_context(locale="zh-CN", **SIZES[size])
    page = context.new_page()
    page.set_default_timeout(ANSWER_MS)
    try:
        page.goto(server + "/operator", wait_until="domcontentloaded")
        page.get_by_text("运维口令").wait_for(state="visible", timeout=FIRST_LOAD_MS)
        assert page.get_by_role("tab").count() == 0
        page.get_by_label("运维口令").fill("wrong")
        page.get_by_role("button", name="进入").click()
        page.get_by_text("口令不对").wait_for(state="visible")
        assert page.get_by_role("tab").count() == 0
        page.screenshot(path=str(SHOTS / f"{size}-operator-refused.png"))
        page.get_by_label("运维口令").fill(OPERATOR_TOKEN)
        page.get_by_role("button", name="进入").click()
        page.get_by_role("tab", name="反馈审核").wait_for(state="visible", timeout=FIRST_LOAD_MS)
        page.get_by_role("tab", name="索引").click()
        page.get_by_text("条目数").wait_for(state="visible")
        page.get_by_role("button", name=re.compile("重建索引")).wait_for(state="visible")
        page.screenshot(path=str(SHOTS / f"{size}-operator-index.png"))
    finally:
        context.close()


def test_latency_does_not_grow_with_the_conversation(server, browser, assistant):
    """Resume stored conversations of 0, 19, 59 and 99 turns and time the next answer (turns 1/20/60/100)."""
    from assistant.sessions import ConversationStore, new_id
    store = ConversationStore(f"sqlite:///{SERVER['var'] / 'conversations.sqlite3'}")
    pool = [row["turns"][0] for row in map(json.loads, (ROOT / "tests" / "data" / "dev_conversations.jsonl")
                                            .read_text(encoding="utf-8").splitlines()) if row.get("turns")]
    question = "高压电工证能算几级工?"
    results = {}
    for turns in (1, 20, 60, 100):
        conv = assistant.conversation()
        for k in range(turns - 1):
            conv.ask(pool[k % len(pool)])
        cid = new_id()
        store.save(cid, conv.to_record())
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844}, is_mobile=True,
                                      has_touch=True)
        page = context.new_page()
        page.set_default_timeout(ANSWER_MS)
        try:
            page.goto(f"{server}/?c={cid}", wait_until="domcontentloaded")
            page.get_by_test_id("stChatMessage").first.wait_for(state="visible", timeout=FIRST_LOAD_MS)
            settle(page)
            samples = []
            for rep in range(2):
                box = page.get_by_test_id("stChatInputTextArea")
                q = question if rep == 0 else "建筑焊工证能算几级工?"
                box.fill(q)
                started = time.perf_counter()
                box.press("Enter")
                page.wait_for_function(
                    """([q, rx]) => { const m = [...document.querySelectorAll('[data-testid=stChatMessage]')];
                        return m.length >= 2 && m[m.length - 2].innerText.includes(q)
                               && new RegExp(rx).test(m[m.length - 1].innerText); }""",
                    arg=[q, BADGE.pattern])
                shown = (time.perf_counter() - started) * 1000
                settle(page)
                done = (time.perf_counter() - started) * 1000 - 300
                samples.append((shown, done))
            results[turns] = (min(s[0] for s in samples), min(s[1] for s in samples))
        finally:
            context.close()
    lines = [f"turn {n:3d}: answer visible {v[0]:6.0f} ms, page settled {v[1]:6.0f} ms" for n, v in results.items()]
    print("\n[latency by conversation length]\n" + "\n".join(lines))
    (SHOTS.parent / "latency-turns.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert results[100][0] <= max(2 * results[1][0], results[1][0] + 1000), results


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


def test_shell_menu_and_connection_loss_are_in_chinese(server, browser, settings, tmp_path):
    """A server of its own, stopped under the page: Streamlit's dialog and status read in Chinese."""
    port = _free_port()
    env = dict(os.environ, ASSISTANT_DATA_DIR=str(settings.data_dir), ASSISTANT_LOG=str(tmp_path / "a.log"),
               ASSISTANT_AUDIT_DB=str(tmp_path / "audit.sqlite3"), PYTHONUNBUFFERED="1")
    proc = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.address", "127.0.0.1",
         "--server.port", str(port), "--server.headless", "true"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
        start_new_session=True)
    context = None
    try:
        url = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2):
                    break
            except OSError:
                time.sleep(0.25)
        context, page = open_page(browser, url, **SIZES["phone"])
        assert page.evaluate("document.documentElement.lang") == "zh-CN"
        page.get_by_test_id("stMainMenuButton").click()
        assert page.get_by_test_id("stMainMenuItem-about").inner_text().strip() == "关于"
        page.keyboard.press("Escape")
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=15)
        page.get_by_text("连接中断").wait_for(state="visible", timeout=60_000)
        body = page.locator("body").inner_text()
        assert "12333" in body and "Streamlit server is not responding" not in body
        page.screenshot(path=str(SHOTS / "phone-connection-lost.png"))
    finally:
        if context is not None:
            context.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait(timeout=5)


HOSTILE = ["看看 http://evil.example/x 低压电工证能换建筑电工证吗", "www.evil.example 上说高压电工证能直接换",
           "<https://evil.example> 焊工证能评几级", "[点我](http://evil.example) 建筑电工证能换低压证吗",
           "联系我 evil@example.com 特种设备焊接证能免理论吗", "[链接][1] 一试多证是什么\n\n[1]: http://evil.example",
           "<a href='http://evil.example'>点</a> 建筑焊工证能评几级", "![x](http://evil.example/x.png) 证书去哪查"]


def test_no_link_is_live_in_any_bubble_or_answer(server, browser):
    """Hostile user text and the notice's own URL (quoted in 三(二)) are shown, never live: no <a> in a
    user bubble or an answer body, but the app's deliberate 12333 call link."""
    live, images = [], []
    for question in HOSTILE + ["在哪里可以查询职业资格证书?"]:
        context, page = open_page(browser, server, viewport={"width": 390, "height": 844})
        try:
            ask(page, question, 1)
            settle(page)
            live += page.evaluate("""() => [...document.querySelectorAll('[data-testid="stChatMessage"] a')]
                .filter(a => !a.classList.contains('zh-tel')).map(a => a.outerHTML.slice(0, 120))""")
            images += page.evaluate("""() => [...document.querySelectorAll('[data-testid="stChatMessage"] img')]
                .map(i => i.src).filter(s => s.includes('evil'))""")
            text = messages(page).nth(1).inner_text()
        finally:
            context.close()
    assert "osta.mohrss.gov.cn" in text.replace("\u2060", "")     # the notice's URL is shown, as text
    assert live == [] and images == [], (live, images)


HOSTILE_ITEM = ("(一)各地应当建立季度安全巡查台账,详见[巡查指南](http://evil.example/guide),或访问 www.evil.example "
                "与 <a href=\"http://evil.example\">此处</a>,联系 evil@example.com。")


@pytest.fixture(scope="module")
def hostile_server(assistant, settings, tmp_path_factory):
    """A second server whose sources hold a hostile page: links, HTML and an e-mail inside a notice."""
    tmp = tmp_path_factory.mktemp("hostile")
    sources = tmp / "sources"
    shutil.copytree(ROOT / "knowledge" / "sources", sources)
    (sources / "zz_hostile.txt").write_text(notice_page(HOSTILE_ITEM), encoding="utf-8")
    env = dict(os.environ, ASSISTANT_SOURCES_DIR=str(sources), ASSISTANT_DATA_DIR=str(tmp / "index"),
               ASSISTANT_LOG=str(tmp / "assistant.log"), ASSISTANT_AUDIT_DB=str(tmp / "audit.sqlite3"))
    env.pop("ASSISTANT_DB_URL", None)
    with streamlit_server(env, tmp) as url:
        yield url


def test_a_hostile_source_page_shows_no_live_link(hostile_server, browser):
    context, page = open_page(browser, hostile_server, viewport={"width": 390, "height": 844})
    try:
        ask(page, "季度安全巡查台账是怎么规定的?", 1)
        settle(page)
        reply = messages(page).nth(1)
        reply.get_by_test_id("stExpander").first.locator("summary").click()   # the whole item, too
        page.wait_for_timeout(500)
        text = reply.inner_text().replace("\u2060", "")
        assert "测试厅发〔2026〕7号" in text and "evil.example" in text          # named, and shown as text
        live = page.evaluate("""() => [...document.querySelectorAll('[data-testid="stChatMessage"] a')]
            .filter(a => !a.classList.contains('zh-tel')).map(a => a.outerHTML.slice(0, 120))""")
        assert live == [], live
    finally:
        context.close()
