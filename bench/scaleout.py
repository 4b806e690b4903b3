"""The helpline topology on one machine: one chroma server, one PostgreSQL, two app replicas, nginx in front.

    .venv/bin/python bench/scaleout.py [--sessions 32] [--turns 3]     # needs Debian's nginx and postgresql

Everything listens on 127.0.0.1 (free ports), lives in a temporary folder and is stopped at the end.
1. `python -m ingest` (the one writer) builds the index on the chroma server at 127.0.0.1.
2. `python -m assistant ready` for a replica that says CHROMA_HOST=localhost and has an empty data
   dir: it must be ready without building anything.
3. Two Streamlit replicas (feedback to PostgreSQL through ASSISTANT_DB_URL), nginx with websocket
   upgrade in front, round robin.
4. bench/load.py's sessions through nginx (both replicas serve); then one replica is SIGKILLed while
   sessions run: the sessions it held reconnect with their page's ?c=<id> and go on on the other one
   (every turn answered and right), and a new round of sessions is all served by the other one.
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
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from bench import benchmark  # noqa: E402
from bench.load import free_port, percentile, questions, run_level, run_sync, summarize  # noqa: E402

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
{upstreams}
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
    """bench/benchmark.py's wait, polled twice as often: the replicas' start-up time is a reported figure."""
    return benchmark.wait_http(url, timeout, interval=0.1)


def snapshot(port: int) -> dict:
    """Every collection on the chroma server with its chunk count and metadata: what replicas must leave alone."""
    import chromadb
    from chromadb.config import Settings as CS
    server = chromadb.HttpClient(host="127.0.0.1", port=port, settings=CS(anonymized_telemetry=False))
    return {c.name: (server.get_collection(c.name).count(), json.dumps(c.metadata, sort_keys=True))
            for c in server.list_collections()}


def nginx_binary() -> str | None:
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


class Topology:
    """The helpline on this machine: chroma server + PostgreSQL + `replicas` Streamlit replicas + nginx.

    Use as a context manager (everything is stopped and its folder removed on exit). After start():
    `url` is nginx's http URL, `db_url` the replicas' ASSISTANT_DB_URL, `before` the chroma server's
    collections right after ingest; kill(i) SIGKILLs replica i, restart(i) starts it again on its port,
    turns_served(i) counts the answered turns in its log."""

    def __init__(self, replicas: int = 2):
        self.n = replicas
        self.tmp = Path(tempfile.mkdtemp(prefix="assistant-scaleout-"))
        os.chmod(self.tmp, 0o755)
        self.procs: list[subprocess.Popen] = []
        self.replicas: list[subprocess.Popen | None] = [None] * replicas
        self.ports: list[int] = []
        self.pg = None
        self.nginx = nginx_binary()
        self.report: dict = {}
        env0 = {k: v for k, v in os.environ.items() if not k.startswith(("ASSISTANT_", "CHROMA_"))}
        env0.update(HF_HUB_OFFLINE="1", ANONYMIZED_TELEMETRY="False", PYTHONPATH=str(ROOT), PYTHONUNBUFFERED="1")
        self.env0 = env0

    def __enter__(self) -> "Topology":
        try:
            return self.start()
        except BaseException:
            self.close()
            raise

    def __exit__(self, *exc) -> None:
        self.close()

    # ------------------------------------------------------------------ parts
    def start(self) -> "Topology":
        if self.nginx is None:
            raise RuntimeError("nginx is not installed: apt-get install nginx-light")
        from pgserver import PgServer
        # 1. chroma server and PostgreSQL
        self.chroma_port = free_port()
        self.chroma = subprocess.Popen([str(Path(sys.executable).with_name("chroma")), "run", "--path",
                                        str(self.tmp / "chroma"), "--host", "127.0.0.1", "--port",
                                        str(self.chroma_port)],
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=self.env0)
        self.procs.append(self.chroma)
        wait_http(f"http://127.0.0.1:{self.chroma_port}/api/v2/heartbeat")
        self.pg = PgServer().start()
        self.db_url = self.pg.new_database()
        # 2. ingest, the one writer
        ingest_env = dict(self.env0, CHROMA_HOST="127.0.0.1", CHROMA_PORT=str(self.chroma_port),
                          ASSISTANT_DATA_DIR=str(self.tmp / "ingest-data"), ASSISTANT_LOG=str(self.tmp / "ingest.log"))
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "ingest"], cwd=ROOT, env=ingest_env, capture_output=True,
                           text=True, timeout=600)
        self.report["ingest"] = {"rc": r.returncode, "s": round(time.perf_counter() - t, 1), "out": r.stdout[-300:]}
        if r.returncode:
            raise RuntimeError(f"ingest failed: {r.stderr[-1500:]}")
        self.before = snapshot(self.chroma_port)
        # 3. readiness, as a probe would ask it: another host spelling, an empty data dir
        t = time.perf_counter()
        r = subprocess.run([sys.executable, "-m", "assistant", "ready"], cwd=ROOT, env=self.replica_env(0),
                           capture_output=True, text=True, timeout=300)
        self.report["ready"] = {"rc": r.returncode, "s": round(time.perf_counter() - t, 2),
                                "out": r.stdout.strip()[-500:]}
        # 4. the replicas, then nginx in front
        self.ports = [free_port() for _ in range(self.n)]
        for i in range(self.n):
            self.restart(i)
        self.report["first_page_s"] = [round(self.warm(i), 2) for i in range(self.n)]
        self.nginx_port = free_port()
        user = "user root;" if os.geteuid() == 0 else ""
        # A replica that refused a connection is left out for 3 s (a killed one refuses at once, so the next
        # one is tried within the same request; a restarted one is back in 3 s)
        upstreams = "\n".join(f"    server 127.0.0.1:{p} max_fails=1 fail_timeout=3s;" for p in self.ports)
        conf = NGINX_CONF.replace("{upstreams}", upstreams)
        (self.tmp / "nginx.conf").write_text(conf.format(user=user, tmp=self.tmp, port=self.nginx_port))
        r = subprocess.run([self.nginx, "-c", str(self.tmp / "nginx.conf")], capture_output=True, text=True,
                           timeout=30)
        if r.returncode:
            raise RuntimeError(f"nginx failed: {r.stderr[-1000:]}")
        self.url = f"http://127.0.0.1:{self.nginx_port}"
        wait_http(f"{self.url}/_stcore/health")
        return self

    def replica_env(self, i: int) -> dict:
        d = self.tmp / f"replica-{i}"
        return dict(self.env0, CHROMA_HOST="localhost", CHROMA_PORT=str(self.chroma_port),
                    ASSISTANT_DATA_DIR=str(d / "data"), ASSISTANT_DB_URL=self.db_url,
                    ASSISTANT_AUDIT_DB=str(d / "audit.sqlite3"), ASSISTANT_LOG=str(d / "assistant.log"))

    def log_path(self, i: int) -> Path:
        return self.tmp / f"replica-{i}" / "server.log"

    def restart(self, i: int, wait: bool = True) -> float:
        """Start replica i (again) on its port; the seconds until it is healthy."""
        (self.tmp / f"replica-{i}").mkdir(exist_ok=True)
        log = open(self.log_path(i), "a")
        started = time.perf_counter()
        proc = subprocess.Popen(
            [str(Path(sys.executable).with_name("streamlit")), "run", str(ROOT / "app.py"),
             "--server.address", "127.0.0.1", "--server.port", str(self.ports[i]), "--server.headless", "true",
             "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
            cwd=ROOT, env=self.replica_env(i), stdout=log, stderr=subprocess.STDOUT)
        log.close()
        self.replicas[i] = proc
        self.procs.append(proc)
        return wait_http(f"http://127.0.0.1:{self.ports[i]}/_stcore/health") if wait else time.perf_counter() - started

    def warm(self, i: int) -> float:
        """Open a page on replica i directly (it loads the assistant there, as a probe's `ready` would);
        the seconds it took."""
        t = time.perf_counter()
        first = run_sync(run_level(f"ws://127.0.0.1:{self.ports[i]}", 1, 0, questions(), 120, 0))[0]
        if first["error"]:
            raise RuntimeError(f"replica {i} first page: {first['error']}")
        return time.perf_counter() - t

    def kill(self, i: int) -> None:
        proc = self.replicas[i]
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)

    def alive(self, i: int) -> bool:
        return self.replicas[i] is not None and self.replicas[i].poll() is None

    def turns_served(self, i: int) -> int:
        """Answered turns in replica i's log (the one INFO line per turn), over all its lives."""
        path = self.log_path(i)
        return path.read_text(errors="replace").count(" assistant: turn ") if path.exists() else 0

    def snapshot(self) -> dict:
        return snapshot(self.chroma_port)

    def close(self) -> None:
        if self.nginx and (self.tmp / "nginx.pid").exists():
            subprocess.run([self.nginx, "-c", str(self.tmp / "nginx.conf"), "-s", "stop"], capture_output=True,
                           timeout=30)
        for proc in self.procs:
            if proc.poll() is None:
                proc.terminate()
        for proc in self.procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait(timeout=10)
        if self.pg is not None:
            self.pg.close()
            self.pg = None
        shutil.rmtree(self.tmp, ignore_errors=True)


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--sessions", type=int, default=32)
    p.add_argument("--turns", type=int, default=3)
    p.add_argument("--out", type=Path, default=ROOT / "artifacts" / "bench" / "scaleout.json")
    args = p.parse_args(argv)
    if nginx_binary() is None:
        print("nginx is not installed: apt-get install nginx-light", file=sys.stderr)
        return 2
    report: dict = {"checks": {}, "loadavg_before": os.getloadavg()}
    try:
        with Topology() as topo:
            report.update(topo.report)
            report["checks"]["ready_exit_0"] = topo.report["ready"]["rc"] == 0
            ws = topo.url.replace("http://", "ws://")
            pool = questions()
            # sessions through nginx
            t = time.perf_counter()
            results = asyncio.run(run_level(ws, args.sessions, args.turns, pool, 300, 0.5))
            row = summarize(args.sessions, results, time.perf_counter() - t, None, None)
            report["through_nginx"] = row
            report["checks"]["all_answers_right"] = not row["errors"] and row["right"] == row["turns"]
            report["checks"]["both_replicas_served"] = all(topo.turns_served(i) for i in range(topo.n))

            # kill one replica while sessions run: the sessions it held resume on the other (their ?c=<id>)
            async def with_kill():
                task = asyncio.ensure_future(run_level(ws, args.sessions, args.turns + 3, pool, 300, 2.0,
                                                       resume=True))
                await asyncio.sleep(1.0)
                topo.kill(0)
                return await task
            t = time.perf_counter()
            results = asyncio.run(with_kill())
            row = summarize(args.sessions, results, time.perf_counter() - t, None, None)
            gaps = [r["gap_s"] for x in results for r in x["resumed"]]
            row["sessions_resumed"] = sum(1 for x in results if x["resumed"])
            row["resume_gap_p50_s"] = round(percentile(gaps, 50), 3) if gaps else None
            row["resume_gap_max_s"] = max(gaps) if gaps else None
            report["during_kill"] = row
            report["checks"]["no_session_lost_in_kill"] = not row["errors"] and row["right"] == row["turns"]
            t = time.perf_counter()
            results = asyncio.run(run_level(ws, args.sessions, args.turns, pool, 300, 0.5))
            row = summarize(args.sessions, results, time.perf_counter() - t, None, None)
            report["after_kill"] = row
            report["checks"]["after_kill_all_served"] = not row["errors"] and row["right"] == row["turns"]
            report["checks"]["replicas_never_wrote"] = topo.snapshot() == topo.before
    except Exception as exc:
        report["error"] = f"{type(exc).__name__}: {str(exc)[:1500]}"
    report["loadavg_after"] = os.getloadavg()
    ok = not report.get("error") and all(report["checks"].values()) and report["checks"]
    report["ok"] = bool(ok)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps(report, ensure_ascii=False, indent=1))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
