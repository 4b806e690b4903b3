"""The helpline topology on one machine: one chroma server, one PostgreSQL, two app replicas, nginx in front.

    .venv/bin/python bench/scaleout.py [--sessions 32] [--turns 3]     # needs Debian's nginx and postgresql

Everything listens on 127.0.0.1 (free ports), lives in a temporary folder and is stopped at the end.
1. `python -m ingest` (the one writer) builds the index on the chroma server at 127.0.0.1.
2. `python -m assistant ready` for a replica that says CHROMA_HOST=localhost and has an empty data
   dir: it must be ready without building anything.
3. Two Streamlit replicas (feedback to PostgreSQL through ASSISTANT_DB_URL), nginx with websocket
   upgrade in front, round robin.
4. bench/load.py's sessions through nginx; then one replica is SIGKILLed while sessions run, and a
   new round of sessions must all be served by the other one.
5. The server's collections are compared before and after: replicas never write.
Prints a JSON report (also artifacts/bench/scaleout.json); exit status 1 if a check failed.
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench.load import free_port, questions, run_level, summarize  # noqa: E402

NGINX_CONF = """
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log;
events {{ worker_connections 1024; }}
http {{
  access_log off;
  client_body_temp_path {tmp}/nginx-body;
  proxy_temp_path {tmp}/nginx-proxy;
  fastcgi_temp_path {tmp}/nginx-fastcgi;
  uwsgi_temp_path {tmp}/nginx-uwsgi;
  scgi_temp_path {tmp}/nginx-scgi;
  map $http_upgrade $connection_upgrade {{ default upgrade; '' close; }}
  upstream replicas {{
    server 127.0.0.1:{a} max_fails=1 fail_timeout=10s;
    server 127.0.0.1:{b} max_fails=1 fail_timeout=10s;
  }}
  server {{
    listen 127.0.0.1:{port};
    location / {{
      proxy_pass http://replicas;
      proxy_http_version 1.1;
      proxy_set_header Upgrade $http_upgrade;
      proxy_set_header Connection $connection_upgrade;
      proxy_set_header Host $host;
      proxy_read_timeout 3600s;
      proxy_next_upstream error timeout http_502 http_503;
      proxy_connect_timeout 2s;
    }}
  }}
}}
"""


def wait_http(url: str, timeout: float = 120) -> float:
    started = time.perf_counter()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=1) as r:
                if r.status == 200:
                    return time.perf_counter() - started
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"{url} did not answer in {timeout} s")


def snapshot(port: int) -> dict:
    import chromadb
    from chromadb.config import Settings as CS
    server = chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False))
    return {c.name: (server.get_collection(c.name).count(), json.dumps(c.metadata, sort_keys=True))
            for c in server.list_collections()}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=int, default=32)
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench" / "scaleout.json")
    args = p.parse_args(argv)
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(nginx).exists():
        print("nginx is not installed: apt-get install nginx-light", file=sys.stderr)
        return 2
    from pgserver import PgServer
    tmp = Path(tempfile.mkdtemp(prefix="assistant-scaleout-"))
    os.chmod(tmp, 0o755)
    procs: list[subprocess.Popen] = []
    pg = None
    report: dict = {"checks": {}}
    env0 = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
    env0.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", PYTHONPATH=str(ROOT))
    try:
        # 1. chroma server and PostgreSQL
        cport = free_port()
        procs.append(subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path",
                                       str(tmp / "chroma"), "--host", "127.0.0.1", "--port", str(cport)],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env0))
        wait_http(f"http://127.0.0.1:{cport}/api/v2/heartbeat")
        pg = PgServer().start()
        db_url = pg.new_database()

        # 2. ingest, the one writer
        ingest_env = dict(env0, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(cport),
                          ASSISTANT_DATA_DIR=str(tmp / "ingest-data"), ASSISTANT_LOG=str(tmp / "ingest.log"))
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "ingest"], cwd=ROOT, env=ingest_env, capture_output=True,
                           text=True, timeout=600)
        report["ingest"] = {"rc": r.returncode, "s": round(time.perf_counter() - t, 1), "out": r.stdout[-300:]}
        if r.returncode:
            raise RuntimeError(f"ingest failed: {r.stderr[-1500:]}")
        before = snapshot(cport)

        def replica_env(i: int) -> dict:
            d = tmp / f"replica-{i}"
            return dict(env0, CHROMA_HOST="localhost", CHROMA_PORT=str(cport), ASSISTANT_DATA_DIR=str(d / "data"),
                        ASSISTANT_DB_URL=db_url, ASSISTANT_AUDIT_DB=str(d / "audit.sqlite3"),
                        ASSISTANT_LOG=str(d / "assistant.log"))

        # 3. readiness, as a probe would ask it
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "assistant", "ready"], cwd=ROOT, env=replica_env(0),
                           capture_output=True, text=True, timeout=300)
        report["ready"] = {"rc": r.returncode, "s": round(time.perf_counter() - t, 2), "out": r.stdout.strip()[-500:]}
        report["checks"]["ready_exit_0"] = r.returncode == 0

        # 4. two replicas and nginx
        ports = [free_port(), free_port()]
        starts = []
        for i, port in enumerate(ports):
            (tmp / f"replica-{i}").mkdir()
            log = open(tmp / f"replica-{i}" / "server.log", "w")
            starts.append(time.perf_counter())
            procs.append(subprocess.Popen(
                [str(Path(sys.executable).with_name("streamlit")), "run", str(ROOT / "app.py"),
                 "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
                 "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
                cwd=ROOT, env=replica_env(i), stdout=log, stderr=subprocess.STDOUT))
        replicas = procs[-2:]
        for port in ports:
            wait_http(f"http://127.0.0.1:{port}/_stcore/health")
        nport = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        (tmp / "nginx.conf").write_text(NGINX_CONF.format(user=user, tmp=tmp, a=ports[0], b=ports[1], port=nport))
        r = subprocess.run([nginx, "-c", str(tmp / "nginx.conf")], capture_output=True, text=True, timeout=30)
        if r.returncode:
            raise RuntimeError(f"nginx failed: {r.stderr[-1000:]}")
        wait_http(f"http://127.0.0.1:{nport}/_stcore/health")
        url = f"ws://127.0.0.1:{nport}"
        pool = questions()
        # first page on each replica directly: its load and warm-up
        for i, port in enumerate(ports):
            first = asyncio.run(run_level(f"ws://127.0.0.1:{port}", 1, 0, pool, 120, 0))[0]
            report.setdefault("first_page_s", []).append(round(time.perf_counter() - starts[i], 2))
            if first["error"]:
                raise RuntimeError(f"replica {i} first page: {first['error']}")

        # 5. sessions through nginx
        t = time.perf_counter()
        results = asyncio.run(run_level(url, args.sessions, args.turns, pool, 300, 0.5))
        row = summarize(args.sessions, results, time.perf_counter() - t, None, None)
        report["through_nginx"] = row
        report["checks"]["all_answers_right"] = not row["errors"] and row["right"] == row["turns"]

        # 6. kill one replica while sessions run; then every new session is served by the other
        async def with_kill():
            task = asyncio.ensure_future(run_level(url, args.sessions, args.turns + 3, pool, 300, 2.0))
            await asyncio.sleep(1.0)
            os.kill(replicas[0].pid, signal.SIGKILL)
            return await task
        t = time.perf_counter()
        results = asyncio.run(with_kill())
        report["during_kill"] = summarize(args.sessions, results, time.perf_counter() - t, None, None)
        report["during_kill"]["sessions_cut"] = sum(1 for x in results if x["error"])
        t = time.perf_counter()
        results = asyncio.run(run_level(url, args.sessions, args.turns, pool, 300, 0.5))
        row = summarize(args.sessions, results, time.perf_counter() - t, None, None)
        report["after_kill"] = row
        report["checks"]["after_kill_all_served"] = not row["errors"] and row["right"] == row["turns"]
        report["checks"]["replicas_never_wrote"] = snapshot(cport) == before
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    finally:
        if (tmp / "nginx.pid").exists():
            subprocess.run([nginx, "-c", str(tmp / "nginx.conf"), "-s", "stop"], capture_output=True, timeout=30)
        for proc in procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if pg is not None:
            pg.close()
        shutil.rmtree(tmp, ignore_errors=True)
    ok = not report.get("error") and all(report["checks"].values()) and report["checks"]
    report["ok"] = bool(ok)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
