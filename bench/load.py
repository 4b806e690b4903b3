"""Drive N concurrent chat sessions against the Streamlit app over its own websocket protocol.

No browser: each session is what the browser's client does on the wire. It opens
/_stcore/stream (subprotocol "streamlit"), sends a BackMsg rerun_script for the
first page, finds the st.chat_input widget among the ForwardMsg deltas, then for
each turn sends a rerun with the question as that widget's chat_input_value and
waits for script_finished. A turn's latency is from sending the rerun to
script_finished. Questions come from tests/data/dev_conversations.jsonl (the
single-turn ones), three per session; an answer counts as right when every gold
fact string of that conversation appears in the text the turn rendered.

The server process is measured from /proc: CPU seconds per turn (utime+stime over
the run / turns) and RSS (current, and the high-water mark).

    .venv/bin/python bench/load.py                        # starts a server; N = 1, 8, 32, 64; 3 turns each
    .venv/bin/python bench/load.py --sessions 8,32 --turns 3 --gc on    # Streamlit's postScriptGC back on
    .venv/bin/python bench/load.py --url ws://127.0.0.1:8501 --sessions 16   # an app already running (no /proc figures
                                                                              #   unless --pid)
Writes artifacts/bench/load.json and prints a table. Bounded: every session has a deadline.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "dev_conversations.jsonl"


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    xs = sorted(values)
    k = (len(xs) - 1) * p / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def questions() -> list[dict]:
    """Single-turn dev conversations with gold facts: (question, facts)."""
    out = []
    for line in DEV.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        c = json.loads(line)
        if len(c["turns"]) == 1 and c.get("gold") and c["gold"][0].get("facts"):
            out.append({"id": c["id"], "question": c["turns"][0], "facts": c["gold"][0]["facts"]})
    return out


# ----------------------------------------------------------------------------- the wire protocol

def _strings(msg, out: list[str]) -> None:
    """Every string field in a protobuf message, recursively (the text a turn rendered)."""
    for _field, value in msg.ListFields():
        if isinstance(value, str):
            out.append(value)
        elif hasattr(value, "ListFields"):
            _strings(value, out)
        elif not isinstance(value, (bytes, int, float)) and hasattr(value, "__iter__"):   # repeated fields
            for v in value:
                if isinstance(v, str):
                    out.append(v)
                elif hasattr(v, "ListFields"):
                    _strings(v, out)


def _chat_input_id(msg) -> str | None:
    if msg.WhichOneof("type") != "delta":
        return None
    d = msg.delta
    if d.WhichOneof("type") == "new_element" and d.new_element.WhichOneof("type") == "chat_input":
        return d.new_element.chat_input.id
    return None


class Session:
    def __init__(self, url: str, deadline: float, query_string: str = ""):
        self.url = url.rstrip("/") + "/_stcore/stream"
        self.deadline = deadline
        self.ws = None
        self.chat_id: str | None = None
        self.query_string = query_string      # what the page's URL says (the app keeps ?c=<id> there)

    async def __aenter__(self):
        import websockets
        self.ws = await websockets.connect(self.url, subprotocols=["streamlit"], max_size=None,
                                           open_timeout=max(1.0, self.deadline - time.monotonic()))
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()

    async def rerun(self, question: str | None = None) -> tuple[float, list[str], bool]:
        """One script run; (seconds, rendered strings, finished successfully)."""
        from streamlit.proto.BackMsg_pb2 import BackMsg
        from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
        back = BackMsg()
        state = back.rerun_script
        state.query_string = self.query_string
        state.page_script_hash = ""
        if question is not None:
            w = state.widget_states.widgets.add()
            w.id = self.chat_id
            w.chat_input_value.data = question
        started = time.perf_counter()
        await self.ws.send(back.SerializeToString())
        texts: list[str] = []
        while True:
            left = self.deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError("session deadline")
            raw = await asyncio.wait_for(self.ws.recv(), timeout=left)
            msg = ForwardMsg()
            msg.ParseFromString(raw)
            kind = msg.WhichOneof("type")
            if kind == "delta":
                cid = _chat_input_id(msg)
                if cid:
                    self.chat_id = cid
                _strings(msg.delta, texts)
            elif kind == "page_info_changed":
                self.query_string = msg.page_info_changed.query_string
            elif kind == "script_finished":
                if msg.script_finished == ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    continue          # the app asked for a rerun: the turn ends with the next run
                ok = msg.script_finished in (ForwardMsg.FINISHED_SUCCESSFULLY,
                                             ForwardMsg.FINISHED_FRAGMENT_RUN_SUCCESSFULLY)
                return time.perf_counter() - started, texts, ok


def _cut(exc: BaseException) -> bool:
    """The connection to the server was lost (a replica killed under it) or a proxy had no replica to give
    it for a moment (502/503), as opposed to a slow or failing server."""
    import websockets
    from websockets.exceptions import InvalidStatus
    if isinstance(exc, InvalidStatus):
        return exc.response.status_code in (502, 503)
    return isinstance(exc, (websockets.ConnectionClosed, ConnectionError, EOFError))


async def one_session(url: str, turns: list[dict], deadline: float, jitter: float, resume: bool = False,
                      after_turn=None) -> dict:
    """One conversation. With resume, a cut connection is opened again (through a proxy: to another replica) with
    the page's URL, as the browser's client does, the conversation is restored from its ?c=<id> and the turn
    that was cut is asked again; `resumed` records, per cut, the turns answered before it, the turns the page
    showed as restored, and the seconds from the cut to the next answer. after_turn(n) is called after the
    n-th answered turn (a test kills a replica there)."""
    await asyncio.sleep(random.uniform(0, jitter))
    out = {"page_s": None, "turns": [], "error": None, "resumed": [], "conversation": None}
    query = ""
    pending = list(turns)
    cut_at, before = None, 0
    attempts = 0
    try:
        while True:
            try:
                async with Session(url, deadline, query) as s:
                    page_s, texts, ok = await s.rerun()
                    out["page_s"] = out["page_s"] if out["page_s"] is not None else page_s
                    if not s.chat_id:
                        raise RuntimeError("no chat_input on the first page")
                    restored = None
                    if cut_at is not None:
                        m = re.search(r"已恢复上次的对话(?:\\)?[((]共 (\d+) 轮", "".join(texts))
                        restored = int(m[1]) if m else 0
                    while pending:
                        t = pending[0]
                        query = s.query_string
                        seconds, texts, ok = await s.rerun(t["question"])
                        page = "\n".join(texts).replace("\\", "")     # the app escapes Markdown: "\(" -> "("
                        right = ok and all(f in page for f in t["facts"])
                        out["turns"].append({"id": t["id"], "s": seconds, "right": right})
                        pending.pop(0)
                        if cut_at is not None:
                            out["resumed"].append({"turns_before": before, "restored_turns": restored,
                                                   "gap_s": round(time.perf_counter() - cut_at, 3)})
                            cut_at = None
                        if after_turn is not None:
                            after_turn(len(out["turns"]))
                    query = s.query_string
                    break
            except Exception as exc:
                attempts += 1
                if not (resume and _cut(exc)) or attempts > 20 or time.monotonic() > deadline:
                    raise
                if cut_at is None:
                    cut_at, before = time.perf_counter(), len(out["turns"])
                else:
                    await asyncio.sleep(0.1 * attempts)     # the new connection failed too: try again shortly
    except Exception as exc:       # reported, never raised: the other sessions go on
        out["error"] = f"{type(exc).__name__}: {str(exc)[:200]}"
    m = re.search(r"(?:^|&)c=([0-9a-f]{32})", query)
    out["conversation"] = m[1] if m else None
    return out


async def run_level(url: str, n: int, turns: int, pool: list[dict], timeout: float, jitter: float,
                    resume: bool = False, after_turn=None) -> list[dict]:
    deadline = time.monotonic() + timeout
    rng = random.Random(n)
    tasks = [one_session(url, rng.sample(pool, turns), deadline, jitter, resume, after_turn) for _ in range(n)]
    return await asyncio.gather(*tasks)


def run_sync(coro):
    """asyncio.run(coro) in a thread of its own: callable where an event loop already runs (Playwright's sync API)."""
    import threading
    out: dict = {}

    def target():
        try:
            out["value"] = asyncio.run(coro)
        except BaseException as exc:      # re-raised in the caller
            out["error"] = exc
    t = threading.Thread(target=target, name="load-driver")
    t.start()
    t.join()
    if "error" in out:
        raise out["error"]
    return out["value"]


# ----------------------------------------------------------------------------- the server

def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def proc_figures(pid: int) -> dict:
    """CPU seconds (utime+stime, all threads) and RSS / high-water mark in MiB, from /proc."""
    ticks = os.sysconf("SC_CLK_TCK")
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    cpu = (int(fields[11]) + int(fields[12])) / ticks
    status = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines() if ":" in line)
    mib = lambda k: int(status[k].split()[0]) / 1024 if k in status else None  # noqa: E731
    return {"cpu_s": cpu, "rss_mib": mib("VmRSS"), "hwm_mib": mib("VmHWM")}


def start_server(port: int, gc_on: bool, env: dict) -> tuple[subprocess.Popen, float]:
    cmd = [str(Path(sys.executable).with_name("streamlit")), "run", str(ROOT / "app.py"),
           "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    if gc_on:
        cmd += ["--runner.postScriptGC", "true"]
    log = open(env.get("LOAD_SERVER_LOG", os.devnull), "w")
    started = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.status == 200:
                    return proc, started
        except OSError:
            time.sleep(0.1)
    proc.kill()
    raise RuntimeError("streamlit did not become healthy in 120 s")


def summarize(n: int, results: list[dict], wall: float, before: dict | None, after: dict | None) -> dict:
    lat = [t["s"] for r in results for t in r["turns"]]
    pages = [r["page_s"] for r in results if r["page_s"] is not None]
    turns = len(lat)
    row = {"sessions": n, "turns": turns, "errors": [r["error"] for r in results if r["error"]],
           "right": sum(t["right"] for r in results for t in r["turns"]),
           "wrong": sorted({t["id"] for r in results for t in r["turns"] if not t["right"]}),
           "p50_s": round(percentile(lat, 50), 3), "p95_s": round(percentile(lat, 95), 3),
           "max_s": round(max(lat), 3) if lat else None,
           "page_p95_s": round(percentile(pages, 95), 3) if pages else None,
           "wall_s": round(wall, 2), "turns_per_s": round(turns / wall, 2) if wall else None}
    if before and after:
        row["cpu_per_turn_ms"] = round(1000 * (after["cpu_s"] - before["cpu_s"]) / max(1, turns + len(pages)), 1)
        row["rss_mib"] = round(after["rss_mib"], 1)
        row["hwm_mib"] = round(after["hwm_mib"], 1)
    return row


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", default="1,8,32,64", help="comma list of concurrent session counts")
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--gc", choices=["off", "on"], default="off",
                   help="Streamlit's runner.postScriptGC: off as in .streamlit/config.toml, or on (its default)")
    p.add_argument("--url", help="an app already running (ws://host:port); default: start one")
    p.add_argument("--pid", type=int, help="with --url: the server's pid, for CPU and RSS")
    p.add_argument("--timeout", type=float, default=300, help="deadline for each level, seconds")
    p.add_argument("--jitter", type=float, default=0.5, help="sessions start spread over this many seconds")
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench" / "load.json")
    args = p.parse_args(argv)
    levels = [int(x) for x in args.sessions.split(",") if x]
    pool = questions()
    report = {"gc": args.gc, "turns_per_session": args.turns, "cpus": os.cpu_count(),
              "loadavg_before": os.getloadavg(), "levels": []}
    proc = None
    try:
        if args.url:
            url, pid = args.url, args.pid
        else:
            port = free_port()
            env = {**os.environ, "HF_HUB_OFFLINE": "1", "ANONYMIZED_TELEMETRY": "False"}
            proc, started = start_server(port, args.gc == "on", env)
            url, pid = f"ws://127.0.0.1:{port}", proc.pid
            report["server_healthy_s"] = round(time.perf_counter() - started, 2)
            # the first page after start: the assistant loads (and warms up) here
            first = asyncio.run(run_level(url, 1, 0, pool, args.timeout, 0))[0]
            report["first_page_s"] = round(time.perf_counter() - started, 2)
            report["first_page_error"] = first["error"]
            print(f"server healthy {report['server_healthy_s']} s; first page {report['first_page_s']} s "
                  f"after start", flush=True)
        for n in levels:
            before = proc_figures(pid) if pid else None
            t = time.perf_counter()
            results = asyncio.run(run_level(url, n, args.turns, pool, args.timeout, args.jitter))
            wall = time.perf_counter() - t
            after = proc_figures(pid) if pid else None
            row = summarize(n, results, wall, before, after)
            report["levels"].append(row)
            print(json.dumps(row, ensure_ascii=False), flush=True)
    finally:
        if proc is not None:
            proc.terminate()
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
    report["loadavg_after"] = os.getloadavg()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print("\n| sessions | turns | p50 s | p95 s | max s | CPU/turn ms | RSS MiB | right |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in report["levels"]:
        print(f"| {r['sessions']} | {r['turns']} | {r['p50_s']} | {r['p95_s']} | {r['max_s']} | "
              f"{r.get('cpu_per_turn_ms', '')} | {r.get('rss_mib', '')} | {r['right']}/{r['turns']} |")
    return 0 if all(not r["errors"] for r in report["levels"]) else 1


if __name__ == "__main__":
    sys.exit(main())
