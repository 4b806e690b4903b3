"""Audit log of answers and user feedback, on SQLAlchemy (SQLite by default).

One row per feedback event: a uuid (`uid`), the UTC time of the event, the browser-session
id, the mode (worker / helpline), the question, the answer, its verdict and citations
(JSON), the rating (1 = 👍, 0 = 👎, None = comment only) and an optional comment.

Where it goes: `ASSISTANT_DB_URL` (any SQLAlchemy URL, e.g. postgresql+psycopg://…) if set,
else the SQLite file `ASSISTANT_AUDIT_DB` (default var/audit.sqlite3), in WAL mode with
synchronous=FULL and a busy timeout, so a committed row is on disk before `record` says so.

Nothing is lost: when the database cannot take a row (locked by another writer or a backup
holding BEGIN EXCLUSIVE, read-only, unreachable), the row is appended to an append-only,
fsynced JSON-lines spool beside the database (`<db>.spool.jsonl`) before `record` returns.
The spool is drained into the database when an AuditLog is created, by a daemon thread every
`drain_interval` seconds and by every later `record`. Each row carries a uuid that is unique
in the table and inserted with INSERT … ON CONFLICT DO NOTHING, so a drain cut short by a
crash (rows committed, spool not yet emptied) only repeats harmlessly. Only when neither the
database nor the spool can be written is a row kept in memory (and retried); the user is
told plainly that it was not saved.

Nothing leaks: every text field goes through `assistant.pii.mask_pii` before it is written
anywhere (database, spool), and so does every line this module logs.

`record` never raises, whatever it is given (lone surrogates, NUL, huge strings, odd types):
it returns a `RecordStatus` whose message says what really happened.
"""
from __future__ import annotations

import dataclasses
import itertools
import json
import logging
import math
import os
import stat
import threading
import uuid
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterator

from .pii import mask_pii

try:  # POSIX advisory locks serialise spool appends and drains across processes
    import fcntl
except ImportError:  # pragma: no cover - not on Linux
    fcntl = None

log = logging.getLogger(__name__)

__all__ = ["AuditLog", "RecordStatus", "mask_pii", "default_path", "default_url"]

MAX_TEXT = 20_000          # characters kept of one text field
MAX_CITATIONS = 200        # citations kept of one reply
MAX_CITATIONS_JSON = 200_000


class _MaskingFilter(logging.Filter):
    """Masks personal data in every record this module logs (message and traceback)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            record.msg, record.args = mask_pii(record.getMessage()), None
            if record.exc_info and not record.exc_text:
                record.exc_text = mask_pii(logging.Formatter().formatException(record.exc_info))
        except Exception:  # a logging filter must not break logging
            pass
        return True


log.addFilter(_MaskingFilter())


# --------------------------------------------------------------------------- configuration

def default_path() -> Path:
    """settings.audit_db (env ASSISTANT_AUDIT_DB; default var/audit.sqlite3)."""
    try:
        from .config import Settings
        return Path(Settings.from_env().audit_db)
    except Exception:  # config unavailable: same default, read directly
        env = os.environ.get("ASSISTANT_AUDIT_DB")
        return Path(env) if env else Path(__file__).resolve().parent.parent / "var" / "audit.sqlite3"


def default_url() -> str:
    """settings.audit_db_url (env ASSISTANT_DB_URL); "" means the SQLite file default_path()."""
    try:
        from .config import Settings
        return Settings.from_env().audit_db_url or ""
    except Exception:
        return os.environ.get("ASSISTANT_DB_URL", "")


# --------------------------------------------------------------------------- status

@dataclass(frozen=True)
class RecordStatus:
    """What happened to a `record` (or `flush`) call, for the UI.

    ok       the row of this call is in the database
    written  rows written to the database by this call (spooled rows drained included)
    pending  rows still waiting (in the spool file, or in memory)
    reason   "" | "locked" | "readonly" | "error"  (why the database did not take it)
    message  short Chinese sentence for the user, true to `where`
    error    the database error (masked), for the operator
    where    "db" | "spool" (on disk, written to the database later) | "memory" (not saved)
    """
    ok: bool
    written: int
    pending: int
    reason: str = ""
    message: str = ""
    error: str = ""
    where: str = "db"

    @property
    def saved(self) -> bool:
        """The row is on disk (in the database or the spool)."""
        return self.where in ("db", "spool")

    def __bool__(self) -> bool:
        return self.ok


MESSAGE_OK = "反馈已记录,谢谢!"
MESSAGES_SPOOLED = {
    "locked": "反馈已保存。日志暂时被占用,稍后会自动写入日志。",
    "readonly": "反馈已保存。日志文件当前只读,恢复可写后会自动写入日志。",
    "error": "反馈已保存。日志暂时无法写入,稍后会自动写入日志。",
}
MESSAGE_UNSAVED = "抱歉,反馈未能保存:日志和备用文件都无法写入。请稍后再试,或联系管理员。"


# --------------------------------------------------------------------------- schema

def _table():
    from sqlalchemy import CheckConstraint, Column, Index, Integer, MetaData, String, Table, Text
    meta = MetaData()
    table = Table(
        "feedback", meta,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("time", String(40), nullable=False),          # UTC, ISO 8601
        Column("session_id", Text),
        Column("mode", Text),
        Column("question", Text),
        Column("answer", Text),
        Column("verdict", Text),
        Column("citations", Text),                          # JSON list
        Column("rating", Integer),
        Column("comment", Text),
        Column("uid", String(32)),                          # uuid4 hex: drains are idempotent
        CheckConstraint("rating IN (0, 1) OR rating IS NULL", name="feedback_rating"),
        sqlite_autoincrement=True,
    )
    index = Index("ux_feedback_uid", table.c.uid, unique=True)
    return meta, table, index


_META, FEEDBACK, _UID_INDEX = _table()
_COLUMNS = ("uid", "time", "session_id", "mode", "question", "answer", "verdict", "citations", "rating", "comment")


class _ReadOnlyFile(PermissionError):
    pass


# --------------------------------------------------------------------------- cleaning input

def _plain(value: Any) -> str | None:
    """Any value as a plain str (None stays None); never raises."""
    if value is None:
        return None
    if type(value) is str:
        return value
    try:
        if isinstance(value, str):
            return str.__str__(value)
        if isinstance(value, (bytes, bytearray, memoryview)):
            return bytes(value[:MAX_TEXT * 4]).decode("utf-8", "replace")
        return str(value)
    except Exception:
        try:
            return repr(value)
        except Exception:
            return f"<{type(value).__name__}>"


def _valid_unicode(s: str) -> str:
    """Lone surrogates (not UTF-8 encodable) and NUL (refused by PostgreSQL) become U+FFFD."""
    try:
        s.encode("utf-8")
    except UnicodeEncodeError:
        s = s.encode("utf-16", "surrogatepass").decode("utf-16", "replace")
    return s.replace("\x00", "\ufffd")


def _text(value: Any, limit: int = MAX_TEXT) -> str | None:
    s = _plain(value)
    if s is None:
        return None
    cut = len(s) > limit
    if cut:  # mask a little beyond the cut, so a number straddling it is masked whole
        s = s[:limit + 256]
    s = mask_pii(_valid_unicode(s))
    return s[:limit] + "…[已截断]" if cut else s


def _rating(value: Any) -> int | None:
    if value is None:
        return None
    try:
        if isinstance(value, float) and math.isnan(value):
            return None
        return 1 if int(value) else 0
    except Exception:
        return None


def _deep(value: Any, depth: int = 0) -> Any:
    """A JSON-safe, masked copy of a citation (bounded in depth and size)."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and not isinstance(value, bool):
        return value if abs(value) < 2 ** 63 else _text(value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str) or depth > 8:
        return _text(value)
    if isinstance(value, dict):
        return {_text(k, 200) or "": _deep(v, depth + 1) for k, v in itertools.islice(value.items(), 100)}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [_deep(v, depth + 1) for v in itertools.islice(value, MAX_CITATIONS)]
    try:   # a typed citation: a dataclass, or anything with to_dict()
        if dataclasses.is_dataclass(value) and not isinstance(value, type):
            return {f.name: _deep(getattr(value, f.name, None), depth + 1) for f in dataclasses.fields(value)}
        if callable(getattr(value, "to_dict", None)):
            return _deep(value.to_dict(), depth + 1)
    except Exception:
        pass
    return _text(value)


def _citations(citations: Any) -> str:
    try:
        if citations is None:
            items: list = []
        elif isinstance(citations, (str, bytes, bytearray, dict)):
            items = [citations]
        else:
            items = list(itertools.islice(iter(citations), MAX_CITATIONS))
        clean = [_deep(c) for c in items]
        out = json.dumps(clean, ensure_ascii=False, allow_nan=False)
        while len(out) > MAX_CITATIONS_JSON and clean:
            clean = clean[:len(clean) // 2]
            out = json.dumps(clean, ensure_ascii=False, allow_nan=False)
        return out
    except Exception:  # an odd citation object must not lose the feedback
        return json.dumps([_text(citations)], ensure_ascii=False)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds")


# --------------------------------------------------------------------------- the log

class AuditLog:
    """Durable, masked feedback log; thread-safe; see the module docstring."""

    def __init__(self, path: str | os.PathLike | None = None, *, url: str | None = None,
                 timeout: float = 1.0, retries: int = 1, drain_interval: float = 5.0,
                 spool_path: str | os.PathLike | None = None, max_pending: int = 10_000):
        """path: the SQLite file (default: settings, ASSISTANT_AUDIT_DB). url: a SQLAlchemy URL used
        instead (default: ASSISTANT_DB_URL, read only when neither is given). The spool goes beside
        the SQLite file (for a server database, beside `path`). timeout: SQLite busy timeout, s.
        retries: attempts on a locked database before spooling. drain_interval: seconds between
        drains by the daemon thread (0: no thread)."""
        from sqlalchemy.engine import URL, make_url
        if url is None and path is None:
            url = default_url() or None
        spool_beside = Path(path) if path is not None else default_path()
        if url:
            self.url = make_url(url)
            db = self.url.database if self.url.get_backend_name() == "sqlite" else None
            self.path = Path(db) if db and db != ":memory:" and not db.startswith("file:") else None
        else:
            self.path = Path(path) if path is not None else default_path()
            self.url = URL.create("sqlite", database=str(self.path))
        self.is_sqlite = self.url.get_backend_name() == "sqlite"
        if spool_path is not None:
            self.spool_path = Path(spool_path)
        elif self.path is not None:
            self.spool_path = self.path.with_name(self.path.name + ".spool.jsonl")
        else:   # a server database: the spool lives beside the configured SQLite path
            self.spool_path = spool_beside.with_name(spool_beside.name + ".spool.jsonl")
        self.timeout = float(timeout)
        self.retries = max(1, int(retries))
        self.drain_interval = float(drain_interval or 0)
        self.max_pending = max_pending
        self._memory: list[dict] = []       # only what neither the database nor the spool took
        self._lock = threading.RLock()
        self._engine = None
        from .bounded import caller
        self._call = caller(self.is_sqlite, "audit")    # a server database gets a deadline (assistant/bounded.py)
        self._ready = False                 # schema checked on this database
        self.last_status: RecordStatus | None = None
        self._stop = threading.Event()
        with self._lock:
            self._drain_quietly("start")
        if self.drain_interval > 0:
            threading.Thread(target=_drain_timer, args=(weakref.ref(self), self._stop, self.drain_interval),
                             name="audit-drain", daemon=True).start()

    # ----------------------------------------------------------------- public
    @property
    def pending(self) -> int:
        """Rows not yet in the database (spool file + memory)."""
        return self._spooled_count() + len(self._memory)

    def record(self, question: Any = None, answer: Any = None, verdict: Any = None, citations: Any = None,
               mode: Any = None, rating: Any = None, comment: Any = None, session_id: Any = None) -> RecordStatus:
        """Store one feedback event (masked, UTC time). Never raises."""
        try:
            row = self._row(question, answer, verdict, citations, mode, rating, comment, session_id)
        except Exception as e:  # pragma: no cover - _row is built not to raise
            log.error("audit log: could not build a row (%s)", type(e).__name__)
            row = {"uid": uuid.uuid4().hex, "time": _now(), **{c: None for c in _COLUMNS[2:]}}
        try:
            with self._lock:
                status = self._record_locked(row)
        except Exception as e:
            log.error("audit log: unexpected %s while recording", type(e).__name__)
            status = RecordStatus(False, 0, len(self._memory), "error", MESSAGE_UNSAVED, type(e).__name__, "memory")
        self.last_status = status
        return status

    def flush(self) -> RecordStatus:
        """Write what is waiting (spool, memory) into the database now."""
        try:
            with self._lock:
                written, exc = self._drain_locked()
                pending = self.pending
        except Exception as e:
            written, exc, pending = 0, e, self.pending
        if exc is None:
            status = RecordStatus(pending == 0, written, pending, "", MESSAGE_OK if not pending else "")
        else:
            reason = self._reason(exc)
            status = RecordStatus(False, written, pending, reason, MESSAGES_SPOOLED[reason], self._err(exc), "spool")
        self.last_status = status
        return status

    def rows(self) -> list[dict]:
        """All rows in the database, oldest first (citations decoded). For tests and review."""
        from sqlalchemy import inspect, select
        if self.is_sqlite and self.path is not None and not self.path.exists():
            return []
        with self._get_engine().connect() as conn:
            if not inspect(conn).has_table("feedback"):
                return []
            out = []
            for r in conn.execute(select(FEEDBACK).order_by(FEEDBACK.c.id)):
                d = dict(r._mapping)
                try:
                    d["citations"] = json.loads(d["citations"]) if d["citations"] else []
                except ValueError:
                    pass
                out.append(d)
            return out

    def spooled(self) -> list[dict]:
        """Rows waiting in the spool file (not yet in the database)."""
        rows, _ = self._parse(self._read_spool())
        return rows

    def close(self) -> None:
        """Stop the drain thread and release the database connections."""
        self._stop.set()
        if self._engine is not None:
            self._engine.dispose()

    def __repr__(self) -> str:
        where = self.path if self.path is not None else self.url.render_as_string(hide_password=True)
        return f"AuditLog({str(where)!r}, pending={self.pending})"

    # ----------------------------------------------------------------- rows
    @staticmethod
    def _row(question, answer, verdict, citations, mode, rating, comment, session_id) -> dict:
        return {
            "uid": uuid.uuid4().hex,
            "time": _now(),
            "session_id": _text(session_id, 200),
            "mode": _text(mode, 50),
            "question": _text(question),
            "answer": _text(answer),
            "verdict": _text(verdict, 50),
            "citations": _citations(citations),
            "rating": _rating(rating),
            "comment": _text(comment) or None,
        }

    def _record_locked(self, row: dict) -> RecordStatus:
        written, exc = 0, None
        if self._memory or self._spooled_count():
            written, exc = self._drain_locked()
        if exc is None:              # the database took the waiting rows (or there were none)
            for attempt in range(self.retries):
                try:
                    written += self._insert([row])
                    return RecordStatus(True, written, self.pending, "", MESSAGE_OK)
                except Exception as e:
                    exc = e
                    if self._reason(e) != "locked":
                        break
        reason = self._reason(exc)
        self._ready = self._ready and reason == "locked"
        try:
            self._spool_append([row])
        except Exception as spool_exc:
            self._memory.append(row)
            if len(self._memory) > self.max_pending:   # bounded memory: keep the newest
                dropped = len(self._memory) - self.max_pending
                del self._memory[:dropped]
                log.error("audit log: %d unsaved rows dropped (memory queue full)", dropped)
            log.error("audit log %s not writable (%s) and spool %s not writable (%s): row kept in memory only",
                      self._where(), self._err(exc), self.spool_path, self._err(spool_exc))
            return RecordStatus(False, written, self.pending, reason, MESSAGE_UNSAVED, self._err(exc), "memory")
        log.warning("audit log %s not writable (%s): row spooled to %s",
                    self._where(), self._err(exc), self.spool_path)
        return RecordStatus(False, written, self.pending, reason, MESSAGES_SPOOLED[reason], self._err(exc), "spool")

    # ----------------------------------------------------------------- database
    def _get_engine(self):
        if self._engine is None:
            from sqlalchemy import create_engine, event
            from sqlalchemy.pool import NullPool
            if self.is_sqlite:
                engine = create_engine(self.url, poolclass=NullPool, hide_parameters=True,
                                       connect_args={"timeout": self.timeout, "check_same_thread": False})
                busy_ms = int(self.timeout * 1000)

                @event.listens_for(engine, "connect")
                def _pragmas(dbapi_con, _record):
                    cur = dbapi_con.cursor()
                    try:
                        cur.execute(f"PRAGMA busy_timeout={busy_ms}")
                        cur.execute("PRAGMA synchronous=FULL")     # a commit is on disk when it returns
                    finally:
                        cur.close()
            else:
                from .bounded import CONNECT_ARGS
                engine = create_engine(self.url, hide_parameters=True, pool_pre_ping=True,
                                       pool_timeout=max(self.timeout, 1.0), connect_args=dict(CONNECT_ARGS))
            self._engine = engine
        return self._engine

    def _file_readonly(self) -> bool:
        """A log file without any write bit is treated as read-only even for root,
        so an operator can freeze it with `chmod a-w` and get the same behaviour."""
        if not self.is_sqlite or self.path is None:
            return False
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return False
        return not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    def _ensure_schema(self) -> None:
        from sqlalchemy import inspect
        if self._ready:
            return
        engine = self._get_engine()
        with engine.connect() as conn:
            if self.is_sqlite:
                conn.exec_driver_sql("PRAGMA journal_mode=WAL")
            _META.create_all(conn, checkfirst=True)
            if "uid" not in {c["name"] for c in inspect(conn).get_columns("feedback")}:
                conn.exec_driver_sql("ALTER TABLE feedback ADD COLUMN uid VARCHAR(32)")   # a log from before uids
            _UID_INDEX.create(conn, checkfirst=True)
            conn.commit()
        self._ready = True

    def _insert(self, rows: list[dict]) -> int:
        """Insert rows whose uid is not in the table yet; returns how many were new. A server database
        gets a deadline (assistant/bounded.py): past it, TimeoutError, and the rows are spooled."""
        if not rows:
            return 0
        return self._call(self._insert_now, rows)

    def _insert_now(self, rows: list[dict]) -> int:
        if self._file_readonly():
            raise _ReadOnlyFile("attempt to write a readonly database (file mode)")
        if self.is_sqlite and self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        self._ensure_schema()
        engine = self._get_engine()
        rows = [{c: r.get(c) for c in _COLUMNS} for r in rows]
        with engine.begin() as conn:
            name = engine.dialect.name
            if name in ("sqlite", "postgresql"):
                if name == "sqlite":
                    from sqlalchemy.dialects.sqlite import insert
                else:
                    from sqlalchemy.dialects.postgresql import insert
                stmt = insert(FEEDBACK).on_conflict_do_nothing(index_elements=["uid"])
                if name == "postgresql":
                    # psycopg reports no rowcount for a many-row insert: count the rows it returns instead
                    stmt = stmt.returning(FEEDBACK.c.uid)
                count = 0
                for i in range(0, len(rows), 500):
                    result = conn.execute(stmt, rows[i:i + 500])
                    if name == "postgresql":
                        count += len(result.all())
                    else:
                        count += result.rowcount if result.rowcount is not None and result.rowcount >= 0 else 0
                return count
            # any other database: skip the uids already there (same transaction)
            from sqlalchemy import insert, select
            count = 0
            for i in range(0, len(rows), 500):
                chunk = rows[i:i + 500]
                have = set(conn.execute(select(FEEDBACK.c.uid).where(FEEDBACK.c.uid.in_([r["uid"] for r in chunk])))
                           .scalars())
                new = [r for r in chunk if r["uid"] not in have]
                if new:
                    conn.execute(insert(FEEDBACK), new)
                count += len(new)
            return count

    @staticmethod
    def _reason(exc: BaseException | None) -> str:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            return "locked"
        if isinstance(exc, PermissionError) or "readonly" in msg or "read-only" in msg:
            return "readonly"
        return "error"

    @staticmethod
    def _err(exc: BaseException | None) -> str:
        if exc is None:
            return ""
        return mask_pii(f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}")[:500]

    def _where(self) -> str:
        return str(self.path) if self.path is not None else self.url.render_as_string(hide_password=True)

    # ----------------------------------------------------------------- spool
    @contextmanager
    def _spool_lock(self) -> Iterator[None]:
        """Exclusive across threads and processes: appends, and a whole drain (read, insert, rewrite)."""
        if fcntl is None:  # pragma: no cover
            yield
            return
        fd = os.open(str(self.spool_path) + ".lock", os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
            yield
        finally:
            os.close(fd)       # closing releases the lock

    def _fsync_dir(self) -> None:
        try:
            fd = os.open(self.spool_path.parent, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
        except OSError:
            pass

    def _spool_append(self, rows: list[dict]) -> None:
        """Append rows as JSON lines and fsync before returning (raises OSError if it cannot)."""
        data = "".join(json.dumps(r, ensure_ascii=True, separators=(",", ":")) + "\n" for r in rows).encode("ascii")
        self.spool_path.parent.mkdir(parents=True, exist_ok=True)
        with self._spool_lock():
            created = not self.spool_path.exists()
            fd = os.open(self.spool_path, os.O_RDWR | os.O_APPEND | os.O_CREAT, 0o600)
            try:
                size = os.fstat(fd).st_size
                if size and os.pread(fd, 1, size - 1) != b"\n":
                    data = b"\n" + data        # a line torn by a crash stays a line of its own
                view = memoryview(data)
                while view:
                    view = view[os.write(fd, view):]
                os.fsync(fd)
            finally:
                os.close(fd)
            if created:
                self._fsync_dir()

    def _read_spool(self) -> bytes:
        try:
            return self.spool_path.read_bytes()
        except (FileNotFoundError, NotADirectoryError):
            return b""

    def _spooled_count(self) -> int:
        try:
            if self.spool_path.stat().st_size == 0:
                return 0
        except OSError:
            return 0
        return self._read_spool().count(b"\n")

    @staticmethod
    def _parse(data: bytes) -> tuple[list[dict], list[bytes]]:
        rows, bad = [], []
        for line in data.splitlines():
            if not line.strip():
                continue
            try:
                row = json.loads(line)
                if not isinstance(row, dict) or not row.get("uid") or not row.get("time"):
                    raise ValueError("not a feedback row")
                rows.append(row)
            except ValueError:
                bad.append(line)
        return rows, bad

    def _rewrite_spool(self, rest: bytes) -> None:
        """Replace the spool by what was appended after the drained part (atomically)."""
        if not rest:
            fd = os.open(self.spool_path, os.O_WRONLY)
            try:
                os.ftruncate(fd, 0)
                os.fsync(fd)
            finally:
                os.close(fd)
            return
        tmp = self.spool_path.with_name(self.spool_path.name + ".tmp")
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        try:
            os.write(fd, rest)
            os.fsync(fd)
        finally:
            os.close(fd)
        os.replace(tmp, self.spool_path)
        self._fsync_dir()

    def _drain_locked(self) -> tuple[int, BaseException | None]:
        """Move memory rows and spooled rows into the database. Returns (rows written, error)."""
        written = 0
        if self._memory:
            try:
                written += self._insert(self._memory)
                self._memory.clear()
            except Exception as e:
                try:                          # at least get them onto disk
                    self._spool_append(self._memory)
                    self._memory.clear()
                except Exception:
                    pass
                return written, e
        try:
            if not self.spool_path.exists() or self.spool_path.stat().st_size == 0:
                return written, None
        except OSError:
            return written, None
        rows: list[dict] = []
        try:
            with self._spool_lock():
                data = self._read_spool()
                end = data.rfind(b"\n") + 1
                rows, bad = self._parse(data[:end])
                if rows:
                    try:
                        written += self._insert(rows)
                    except Exception as e:
                        return written, e
                if bad:
                    self._reject(bad)
                self._after_commit()
                self._rewrite_spool(data[end:])
        except OSError as e:     # the spool itself: rows stay there, duplicates are ignored next time
            log.warning("audit log: spool %s could not be emptied (%s)", self.spool_path, e)
        if rows:
            log.info("audit log: %d spooled row(s) written to the database", len(rows))
        return written, None

    def _after_commit(self) -> None:
        """Between the database commit and emptying the spool (tests kill a process here)."""

    def _reject(self, lines: list[bytes]) -> None:
        path = self.spool_path.with_name(self.spool_path.name + ".rejected")
        with open(path, "ab") as f:
            f.write(b"".join(line + b"\n" for line in lines))
            f.flush()
            os.fsync(f.fileno())
        log.error("audit log: %d unreadable spool line(s) moved to %s", len(lines), path)

    def _drain_quietly(self, when: str) -> None:
        try:
            if self._memory or self._spooled_count():
                written, exc = self._drain_locked()
                if exc is not None:
                    log.warning("audit log: spool not drained at %s (%s); %d row(s) waiting",
                                when, self._err(exc), self.pending)
        except Exception as e:
            log.warning("audit log: drain at %s failed (%s)", when, self._err(e))


def _drain_timer(ref: "weakref.ref[AuditLog]", stop: threading.Event, interval: float) -> None:
    """Daemon loop: drain the spool every `interval` seconds while the AuditLog lives."""
    while not stop.wait(interval):
        audit = ref()
        if audit is None:
            return
        try:
            if audit._memory or audit._spooled_count():
                with audit._lock:
                    audit._drain_quietly("timer")
        except Exception:  # pragma: no cover - keep the timer alive
            pass
        del audit
