"""Database calls that give up waiting.

A server database that is frozen (SIGSTOP, a hung host, a full disk on the server) accepts the TCP
connection and then never answers: neither libpq's connect_timeout nor a server-side
statement_timeout help once a query is on its way. So calls to a server database run in a few
worker threads and the caller waits at most `timeout` seconds, then gets TimeoutError and takes
the same path as for a database that is down (the app warns and retries; feedback is spooled).
A worker stuck on the frozen server finishes, or fails, when the server comes back; writes are
idempotent (conversations keep the record with the most turns, feedback rows are keyed by uid),
so a late write never undoes a newer one.
"""
from __future__ import annotations

import os
from concurrent.futures import ThreadPoolExecutor

DEFAULT_TIMEOUT = float(os.environ.get("ASSISTANT_DB_TIMEOUT", "0.8") or 0.8)   # a save precedes the answer on the page
# libpq: give up on a connection that gets no startup reply (seconds; libpq's minimum is 2)
CONNECT_ARGS = {"connect_timeout": 2}


class Bounded:
    def __init__(self, timeout: float | None = None, workers: int = 4, name: str = "db"):
        self.timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        self._pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix=name)

    def __call__(self, fn, *args, **kwargs):
        """fn(*args, **kwargs) in a worker; TimeoutError after `timeout` seconds."""
        return self._pool.submit(fn, *args, **kwargs).result(timeout=self.timeout)


def caller(is_sqlite: bool, name: str):
    """How a store calls its database: a local SQLite file directly (it has its own busy timeout), a server
    database through a Bounded pool of its own."""
    return (lambda fn, *args, **kwargs: fn(*args, **kwargs)) if is_sqlite else Bounded(name=name)
