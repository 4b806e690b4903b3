"""Durable conversations: `Conversation.to_record()` stored server-side, keyed by an id.

The app keeps the id in the URL query string (`?c=<id>`), so a reload, a second tab or a
server restart resumes the same conversation in the same mode.

Where it goes, the same setting as the feedback log (assistant/audit.py):
`ASSISTANT_DB_URL` (any SQLAlchemy URL, e.g. postgresql+psycopg://…) if set, else the
SQLite file `conversations.sqlite3` beside `ASSISTANT_AUDIT_DB` (default var/), in WAL mode
with a busy timeout. One row per conversation: id, mode, turn count, UTC created/updated
times and the record as JSON. A save is an upsert of the whole record (a conversation is at
most a few hundred KB), so it is idempotent and a crash mid-save leaves the previous version.

Conversations older than `keep_days` (env ASSISTANT_CONVERSATION_DAYS, default 30) are
deleted when a store is opened; the feedback log keeps its own masked copy of rated turns.
"""
from __future__ import annotations

import json
import logging
import os
import re
import threading
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

log = logging.getLogger(__name__)

__all__ = ["ConversationStore", "new_id", "valid_id", "default_url", "merge_records"]

_ID = re.compile(r"^[0-9a-f]{32}$")
MAX_RECORD = 5_000_000        # characters of JSON kept for one conversation


def new_id() -> str:
    return uuid.uuid4().hex


def valid_id(value) -> bool:
    """Ids come from the URL: only what new_id() makes is accepted."""
    return isinstance(value, str) and bool(_ID.match(value))


def default_url() -> str:
    """ASSISTANT_DB_URL if set, else a SQLite file beside the audit log."""
    from .audit import default_path
    from .audit import default_url as audit_url
    url = audit_url()
    if url:
        return url
    return "sqlite:///" + str(default_path().with_name("conversations.sqlite3"))


def merge_records(stored: dict, ours: dict) -> dict:
    """The stored record of a conversation that a session could not read when it started (the database was
    down), followed by the turns that session answered meanwhile. With no turns of its own, the stored one."""
    if not ours.get("history"):
        return stored
    return {"mode": ours.get("mode", stored.get("mode", "worker")), "state": ours.get("state") or {},
            "history": list(stored.get("history", [])) + list(ours["history"])}


def _now() -> datetime:
    return datetime.now(timezone.utc)


def _table():
    from sqlalchemy import Column, Index, Integer, MetaData, String, Table, Text
    meta = MetaData()
    table = Table(
        "conversations", meta,
        Column("id", String(32), primary_key=True),
        Column("mode", String(16), nullable=False),
        Column("turns", Integer, nullable=False, default=0),
        Column("created", String(40), nullable=False),     # UTC, ISO 8601
        Column("updated", String(40), nullable=False),
        Column("record", Text, nullable=False),             # Conversation.to_record() as JSON
    )
    Index("ix_conversations_updated", table.c.updated)
    return meta, table


_META, CONVERSATIONS = _table()


class ConversationStore:
    """Thread-safe; one per process is enough (the app caches it)."""

    def __init__(self, url: str | None = None, *, timeout: float = 5.0, keep_days: float | None = None):
        from sqlalchemy import create_engine, event
        from sqlalchemy.engine import make_url
        from sqlalchemy.pool import NullPool
        self.url = make_url(url or default_url())
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if keep_days is None:
            keep_days = float(os.environ.get("ASSISTANT_CONVERSATION_DAYS", "30") or 30)
        self.keep_days = keep_days
        self._lock = threading.Lock()
        if self.is_sqlite:
            db = self.url.database
            if db and db != ":memory:" and not db.startswith("file:"):
                Path(db).parent.mkdir(parents=True, exist_ok=True)
            # Pooled connections: opening one (and its PRAGMAs) on every save was most of a save's cost.
            pool = {"poolclass": NullPool} if db in (None, "", ":memory:") or str(db).startswith("file:") else {}
            self.engine = create_engine(self.url, hide_parameters=True, **pool,
                                        connect_args={"timeout": timeout, "check_same_thread": False})
            busy_ms = int(timeout * 1000)

            @event.listens_for(self.engine, "connect")
            def _pragmas(dbapi_con, _record):
                cur = dbapi_con.cursor()
                try:
                    cur.execute(f"PRAGMA busy_timeout={busy_ms}")
                    cur.execute("PRAGMA journal_mode=WAL")
                    cur.execute("PRAGMA synchronous=NORMAL")   # WAL + NORMAL: durable across a process crash
                finally:
                    cur.close()
        else:
            from .bounded import CONNECT_ARGS
            self.engine = create_engine(self.url, hide_parameters=True, pool_pre_ping=True,
                                        pool_timeout=max(timeout, 1.0), connect_args=dict(CONNECT_ARGS))
        # A server database is called through worker threads with a deadline (assistant/bounded.py).
        from .bounded import caller
        self._call = caller(self.is_sqlite, "conversations")
        self._call(_META.create_all, self.engine)
        if self.keep_days and self.keep_days > 0:
            try:
                self.purge(self.keep_days)
            except Exception as e:  # never keep the app from starting
                log.warning("conversation store: purge failed (%s)", type(e).__name__)

    # ------------------------------------------------------------------ public
    def save(self, conv_id: str, record: dict) -> None:
        """Insert or replace the record of one conversation. Raises on a bad id, a database error or
        TimeoutError (a server database that does not answer in time)."""
        self._call(self._save, conv_id, record)

    def _save(self, conv_id: str, record: dict) -> None:
        if not valid_id(conv_id):
            raise ValueError("bad conversation id")
        data = json.dumps(record, ensure_ascii=False, allow_nan=False)
        if len(data) > MAX_RECORD:
            raise ValueError("conversation record too large")
        now = _now().isoformat(timespec="seconds")
        row = {"id": conv_id, "mode": str(record.get("mode", "worker"))[:16],
               "turns": len(record.get("history", [])), "updated": now, "record": data}
        with self._lock, self.engine.begin() as conn:
            name = self.engine.dialect.name
            if name in ("sqlite", "postgresql"):
                if name == "sqlite":
                    from sqlalchemy.dialects.sqlite import insert
                else:
                    from sqlalchemy.dialects.postgresql import insert
                stmt = insert(CONVERSATIONS).values(created=now, **row)
                # A save that arrives late (its worker was stuck on a frozen server) never replaces a
                # record with more turns.
                stmt = stmt.on_conflict_do_update(index_elements=["id"], set_={
                    "mode": stmt.excluded.mode, "turns": stmt.excluded.turns,
                    "updated": stmt.excluded.updated, "record": stmt.excluded.record},
                    where=CONVERSATIONS.c.turns <= stmt.excluded.turns)
                conn.execute(stmt)
                return
            from sqlalchemy import insert, select, update
            exists = conn.execute(select(CONVERSATIONS.c.id).where(CONVERSATIONS.c.id == conv_id)).first()
            if exists:
                conn.execute(update(CONVERSATIONS).where(CONVERSATIONS.c.id == conv_id).values(**row))
            else:
                conn.execute(insert(CONVERSATIONS).values(created=now, **row))

    def load(self, conv_id: str) -> dict | None:
        """The stored record, or None (unknown id, malformed id or unreadable row). Raises on a database
        error or TimeoutError."""
        if not valid_id(conv_id):
            return None
        from sqlalchemy import select

        def read():
            with self.engine.connect() as conn:
                return conn.execute(select(CONVERSATIONS.c.record).where(CONVERSATIONS.c.id == conv_id)).first()
        row = self._call(read)
        if row is None:
            return None
        try:
            record = json.loads(row[0])
        except ValueError:
            log.error("conversation store: unreadable record %s", conv_id)
            return None
        return record if isinstance(record, dict) else None

    def delete(self, conv_id: str) -> None:
        from sqlalchemy import delete
        if not valid_id(conv_id):
            return
        with self._lock, self.engine.begin() as conn:
            conn.execute(delete(CONVERSATIONS).where(CONVERSATIONS.c.id == conv_id))

    def recent(self, limit: int = 50) -> list[dict]:
        """Newest first: id, mode, turns, created, updated (no records). For the operator page."""
        from sqlalchemy import select
        c = CONVERSATIONS.c

        def read():
            with self.engine.connect() as conn:
                return conn.execute(select(c.id, c.mode, c.turns, c.created, c.updated)
                                    .order_by(c.updated.desc()).limit(limit)).mappings().all()
        return [dict(r) for r in self._call(read)]

    def purge(self, older_than_days: float) -> int:
        from sqlalchemy import delete
        cutoff = (_now() - timedelta(days=older_than_days)).isoformat(timespec="seconds")

        def run():
            with self._lock, self.engine.begin() as conn:
                return conn.execute(delete(CONVERSATIONS).where(CONVERSATIONS.c.updated < cutoff)).rowcount or 0
        return self._call(run)
