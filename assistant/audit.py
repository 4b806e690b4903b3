"""SQLite audit log of answers and user feedback.

One row per feedback event: the question, the answer, its verdict and citations,
the mode (worker / helpline), the rating (1 = 👍, 0 = 👎, None = comment only), an
optional comment, the browser-session id and the UTC time of the event.

Personal data never reaches the disk: every stored text field goes through
`mask_pii` (Chinese mobile and landline numbers, 15/18-digit ID-card numbers).

The log must never lose feedback while the process lives, nor break the UI:
a locked database (another writer, a backup holding `BEGIN EXCLUSIVE`) is retried
for `timeout` seconds; a read-only or unreachable file is reported at once. In
both cases the row stays in an in-memory pending queue and is written, in order,
with the next successful `record` (or an explicit `flush`). `record` never
raises for storage problems: it returns a `RecordStatus` the UI can show.
"""
from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import stat
import threading
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Iterable

log = logging.getLogger(__name__)

__all__ = ["AuditLog", "RecordStatus", "mask_pii", "default_path"]

# --------------------------------------------------------------------------- masking

# Digits on either side would make the match part of a longer number (an order
# number, a timestamp...), so every pattern is fenced by "no digit".
_ID = r"\d{17}[\dXx]|\d{15}"                       # 18-digit (last may be X) and old 15-digit IDs
_MOBILE = r"(?:\+?86[- ]?)?1[3-9]\d(?:[- ]?\d{4}){2}"   # 13812345678, 138-1234-5678, +86 138...
_LANDLINE = r"(?:\(0\d{2,3}\)|0\d{2,3})[- ]?[2-9]\d{6,7}(?:-\d{1,6})?"  # 0510-86855000, (010)12345678-123

_PII = re.compile(r"(?<!\d)(?:" + "|".join([_ID, _MOBILE, _LANDLINE]) + r")(?!\d)")
# Phones type full-width digits and signs too (１３８…, －, ＋, （）): match on a 1:1
# ASCII-folded copy so the spans line up with the original text.
_FOLD = str.maketrans({**{chr(0xFF10 + i): str(i) for i in range(10)},
                       "－": "-", "＋": "+", "（": "(", "）": ")", "ｘ": "x", "Ｘ": "X", "\u3000": " "})


def _star(s: str, keep_head: int = 3, keep_tail: int = 2) -> str:
    if len(s) <= keep_head + keep_tail:
        return "*" * len(s)
    return s[:keep_head] + "*" * (len(s) - keep_head - keep_tail) + s[-keep_tail:]


def mask_pii(text: Any) -> Any:
    """Star the middle of phone and ID-card numbers; keeps the first 3 and last 2 chars.

    >>> mask_pii("电话13812345678,身份证110101199003071234")
    '电话138******78,身份证110*************34'

    Non-strings (None, numbers) are returned unchanged.
    """
    if not isinstance(text, str) or not text:
        return text
    folded = text.translate(_FOLD)
    spans = [m.span() for m in _PII.finditer(folded)]
    if not spans:
        return text
    out, last = [], 0
    for a, b in spans:
        out += [text[last:a], _star(text[a:b])]
        last = b
    out.append(text[last:])
    return "".join(out)


def _mask_deep(value: Any) -> Any:
    if isinstance(value, str):
        return mask_pii(value)
    if isinstance(value, dict):
        return {k: _mask_deep(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_mask_deep(v) for v in value]
    return value


# --------------------------------------------------------------------------- log

def default_path() -> Path:
    """settings.audit_db (env ASSISTANT_AUDIT_DB; default var/audit.sqlite3)."""
    try:
        from .config import Settings
        return Path(Settings.from_env().audit_db)
    except Exception:  # config unavailable: same default, read directly
        env = os.environ.get("ASSISTANT_AUDIT_DB")
        return Path(env) if env else Path(__file__).resolve().parent.parent / "var" / "audit.sqlite3"


@dataclass(frozen=True)
class RecordStatus:
    """What happened to a `record` call, for the UI.

    ok       the row of this call is on disk
    written  rows written by this call (earlier pending rows included)
    pending  rows still waiting in memory
    reason   "" | "locked" | "readonly" | "error"
    message  short Chinese sentence for the user
    """
    ok: bool
    written: int
    pending: int
    reason: str = ""
    message: str = ""
    error: str = ""

    def __bool__(self) -> bool:
        return self.ok


_SCHEMA = """
CREATE TABLE IF NOT EXISTS feedback (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    time        TEXT NOT NULL,               -- UTC, ISO 8601
    session_id  TEXT,
    mode        TEXT,
    question    TEXT,
    answer      TEXT,
    verdict     TEXT,
    citations   TEXT,                        -- JSON list
    rating      INTEGER CHECK (rating IN (0, 1) OR rating IS NULL),
    comment     TEXT
)
"""
_COLUMNS = ("time", "session_id", "mode", "question", "answer", "verdict", "citations", "rating", "comment")

_MESSAGES = {
    "": "反馈已记录,谢谢!",
    "locked": "反馈已收到,日志暂时被占用,已暂存,稍后自动写入。",
    "readonly": "反馈已收到,但日志文件当前只读,已暂存在内存中,请联系管理员。",
    "error": "反馈已收到,日志暂时无法写入,已暂存,稍后自动重试。",
}


class AuditLog:
    """Append-only SQLite log of feedback; thread-safe; never loses a row while the process lives."""

    def __init__(self, path: str | os.PathLike | None = None, *, timeout: float = 1.0,
                 retries: int = 3, max_pending: int = 10_000):
        self.path = Path(path) if path is not None else default_path()
        self.timeout = float(timeout)
        self.retries = max(1, int(retries))
        self.max_pending = max_pending
        self._pending: list[tuple] = []
        self._lock = threading.Lock()
        self._ready = False          # schema created and WAL set on this file
        self.last_status: RecordStatus | None = None

    # ----------------------------------------------------------------- public
    @property
    def pending(self) -> int:
        return len(self._pending)

    def record(self, question: str | None, answer: str | None, verdict: str | None,
               citations: Iterable[dict] | None, mode: str | None, rating: int | None,
               comment: str | None = None, session_id: str | None = None) -> RecordStatus:
        """Store one feedback event (masked, UTC time). Never raises for storage errors."""
        if rating is not None:
            rating = 1 if int(rating) else 0
        try:
            cites = json.dumps(_mask_deep(list(citations or [])), ensure_ascii=False, default=str)
        except Exception:  # an odd citation object must not lose the feedback
            cites = json.dumps(mask_pii(str(citations)), ensure_ascii=False)
        row = (
            datetime.now(timezone.utc).isoformat(timespec="milliseconds"),
            mask_pii(session_id),
            mask_pii(mode),
            mask_pii(question),
            mask_pii(answer),
            mask_pii(verdict),
            cites,
            rating,
            mask_pii(comment) or None,
        )
        with self._lock:
            self._pending.append(row)
            if len(self._pending) > self.max_pending:   # bounded memory: keep the newest
                dropped = len(self._pending) - self.max_pending
                del self._pending[:dropped]
                log.error("audit log: %d pending rows dropped (queue full)", dropped)
            status = self._flush_locked()
        self.last_status = status
        return status

    def flush(self) -> RecordStatus:
        """Try to write the pending rows now."""
        with self._lock:
            status = self._flush_locked()
        self.last_status = status
        return status

    def rows(self) -> list[dict]:
        """All stored rows, oldest first (citations decoded). For tests and review."""
        if not self.path.exists():
            return []
        con = sqlite3.connect(self._uri(readonly=True), uri=True, timeout=self.timeout)
        try:
            con.row_factory = sqlite3.Row
            try:
                cur = con.execute("SELECT * FROM feedback ORDER BY id")
            except sqlite3.OperationalError as e:
                if "no such table" in str(e):
                    return []
                raise
            out = []
            for r in cur.fetchall():
                d = dict(r)
                try:
                    d["citations"] = json.loads(d["citations"]) if d["citations"] else []
                except ValueError:
                    pass
                out.append(d)
            return out
        finally:
            con.close()

    # ----------------------------------------------------------------- internals
    def _uri(self, readonly: bool) -> str:
        p = self.path.resolve().as_posix().replace("?", "%3f").replace("#", "%23")
        return f"file:{p}?mode={'ro' if readonly else 'rwc'}"

    def _file_readonly(self) -> bool:
        """A log file without any write bit is treated as read-only even for root,
        so an operator can freeze it with `chmod a-w` and get the same behaviour."""
        try:
            mode = self.path.stat().st_mode
        except FileNotFoundError:
            return False
        return not (mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH))

    def _connect(self) -> sqlite3.Connection:
        if self._file_readonly():
            raise sqlite3.OperationalError("attempt to write a readonly database (file mode)")
        self.path.parent.mkdir(parents=True, exist_ok=True)
        con = sqlite3.connect(self._uri(readonly=False), uri=True, timeout=self.timeout,
                              isolation_level=None, check_same_thread=False)
        try:
            if not self._ready:
                con.execute("PRAGMA journal_mode=WAL")
                con.execute(_SCHEMA)
                self._ready = True
            con.execute("PRAGMA synchronous=NORMAL")
        except BaseException:
            con.close()
            raise
        return con

    def _write(self, rows: list[tuple]) -> None:
        con = self._connect()
        try:
            con.execute("BEGIN IMMEDIATE")
            try:
                con.executemany(
                    f"INSERT INTO feedback ({', '.join(_COLUMNS)}) VALUES ({', '.join('?' * len(_COLUMNS))})",
                    rows)
                con.execute("COMMIT")
            except BaseException:
                try:
                    con.execute("ROLLBACK")
                except sqlite3.Error:
                    pass
                raise
        finally:
            con.close()

    @staticmethod
    def _reason(exc: BaseException) -> str:
        msg = str(exc).lower()
        if "locked" in msg or "busy" in msg:
            return "locked"
        if "readonly" in msg or "read-only" in msg or "unable to open" in msg or isinstance(exc, PermissionError):
            return "readonly"
        return "error"

    def _flush_locked(self) -> RecordStatus:
        if not self._pending:
            return RecordStatus(True, 0, 0, "", _MESSAGES[""])
        batch = list(self._pending)
        last_exc: BaseException | None = None
        reason = "error"
        for attempt in range(self.retries):
            try:
                self._write(batch)
            except (sqlite3.Error, OSError) as e:
                last_exc = e
                reason = self._reason(e)
                self._ready = self._ready and reason == "locked"
                if reason != "locked":          # read-only/unreachable: retrying now will not help
                    break
                time.sleep(min(0.05 * (attempt + 1), self.timeout))
                continue
            del self._pending[:len(batch)]
            if len(batch) > 1:
                log.info("audit log: wrote %d rows (%d were pending)", len(batch), len(batch) - 1)
            return RecordStatus(True, len(batch), len(self._pending), "", _MESSAGES[""])
        log.warning("audit log %s not writable (%s): %d row(s) kept pending in memory",
                    self.path, last_exc, len(self._pending))
        return RecordStatus(False, 0, len(self._pending), reason, _MESSAGES[reason], str(last_exc))

    def __repr__(self) -> str:
        return f"AuditLog({str(self.path)!r}, pending={self.pending})"
