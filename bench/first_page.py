"""Cold start of the chat page in a real browser: process start -> first chat input -> first answer.

    .venv/bin/python bench/first_page.py [--runs 5] [--data-dir DIR]

Each run starts `streamlit run app.py` exactly as `./run app` does, over an index that is already
built (DIR, or a temporary one built first by `python -m ingest`, not timed). Headless Chromium
(Debian's /usr/bin/chromium, started once, before the clock) opens the page as soon as
/_stcore/health answers. Times are from just before the server process is started:

    healthy_s       /_stcore/health answers
    chat_input_s    the chat input is visible in the browser (the page's first paint a worker can use)
    first_answer_s  a question typed into that first chat input the moment it appeared has its answer
                    (the badge) on the page; typed before the assistant is loaded, it waits for it
    warm_page_s     then a second tab: from opening it to its welcome message (a page of a warm process)

Prints one line per run, the median of each figure and the load average; writes
artifacts/bench/first_page.json.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import free_port  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
QUESTION = "低压电工证能换建筑电工证吗"
BADGE = re.compile(r"可以免予部分培训/考试|有明确规定|可视同相应技能等级|通知未规定|需要补充信息|超出本通知范围|只能免一部分"
                   r"|通知未直接规定|所问项目不免")


def serve_cmd(port: int) -> list[str]:
    """./run app's command line."""
    return [str(Path(sys.executable).with_name("streamlit")), "run", "app.py", "--server.address", "127.0.0.1",
            "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
            "--server.fileWatcherType", "none"]


def one_run(browser, env: dict, timeout: float = 120) -> dict:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    out: dict = {}
    t0 = time.perf_counter()
    proc = subprocess.Popen(serve_cmd(port), cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL, start_new_session=True)
    context = None
    try:
        deadline = time.monotonic() + timeout
        while True:
            if proc.poll() is not None:
                raise RuntimeError(f"streamlit exited with {proc.returncode}")
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=1) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("not healthy in time")
            time.sleep(0.02)
        out["healthy_s"] = time.perf_counter() - t0
        context = browser.new_context(locale="zh-CN")
        page = context.new_page()
        page.set_default_timeout(timeout * 1000)
        page.goto(url, wait_until="commit")
        box = page.get_by_test_id("stChatInputTextArea")
        box.wait_for(state="visible")
        out["chat_input_s"] = time.perf_counter() - t0
        box.fill(QUESTION)
        box.press("Enter")
        # the question's reply: the last chat message that shows a verdict badge
        page.get_by_test_id("stChatMessage").filter(has_text=QUESTION).first.wait_for(state="visible")
        page.get_by_test_id("stChatMessage").last.get_by_text(BADGE).first.wait_for(state="visible")
        out["first_answer_s"] = time.perf_counter() - t0
        # a second tab: the page of a process that has loaded everything (welcome shown)
        again = context.new_page()
        t1 = time.perf_counter()
        again.goto(url, wait_until="commit")
        again.get_by_test_id("stChatMessage").first.wait_for(state="visible")
        out["warm_page_s"] = time.perf_counter() - t1
    finally:
        if context is not None:
            context.close()
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
    return {k: round(v, 2) for k, v in out.items()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--runs", type=int, default=5)
    p.add_argument("--data-dir", type=Path, help="a built index (ASSISTANT_DATA_DIR); default: build one in a temp dir")
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench" / "first_page.json")
    args = p.parse_args(argv)
    tmp = Path(tempfile.mkdtemp(prefix="assistant-first-page-"))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", ASSISTANT_LOG=str(tmp / "assistant.log"),
               ASSISTANT_AUDIT_DB=str(tmp / "audit.sqlite3"),
               ASSISTANT_DATA_DIR=str(args.data_dir or tmp / "index"))
    if args.data_dir is None:
        subprocess.run([sys.executable, "-m", "ingest"], cwd=ROOT, env=env, check=True, capture_output=True)
    from playwright.sync_api import sync_playwright
    runs = []
    report = {"loadavg_before": os.getloadavg(), "cpus": os.cpu_count(), "runs": runs}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
        try:
            for i in range(args.runs):
                r = one_run(browser, env)
                r["loadavg_1m"] = round(os.getloadavg()[0], 2)
                runs.append(r)
                print(json.dumps(r), flush=True)
        finally:
            browser.close()
    keys = ["healthy_s", "chat_input_s", "first_answer_s", "warm_page_s"]
    report["median"] = {k: round(statistics.median(r[k] for r in runs), 2) for k in keys}
    report["range"] = {k: [min(r[k] for r in runs), max(r[k] for r in runs)] for k in keys}
    report["loadavg_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=1), encoding="utf-8")
    print("median: " + ", ".join(f"{k} {v}" for k, v in report["median"].items()))
    print("range:  " + ", ".join(f"{k} {a}-{b}" for k, (a, b) in report["range"].items()))
    print(f"load average before {report['loadavg_before'][0]:.2f}, after {report['loadavg_after'][0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
