"""The audit log: masking, WAL, locked / read-only / unreachable databases, the spool, no lost rows.

Tests that count `written` turn the drain timer off (drain_interval=0) so that only the
calls under test write; the timer has its own test.
"""
from __future__ import annotations

import json
import os
import sqlite3
import stat
import threading
import time
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from assistant.audit import AuditLog, RecordStatus, mask_pii

CITES = [{"doc": "人社厅发〔2026〕1号", "article": "一(一)", "label": "第一条第(一)项",
          "quote": "可免予安全作业培训,直接参加建筑电工特种作业人员考核。", "date": "2026-01-09",
          "derived": False, "note": ""}]


@pytest.fixture(params=["sqlite", "postgresql"])
def backend(request, tmp_path):
    """Make an AuditLog on SQLite (the default) or on a real PostgreSQL database (ASSISTANT_DB_URL's path)."""
    if request.param == "sqlite":
        return lambda **kw: AuditLog(tmp_path / "a.sqlite3", **kw)
    url = request.getfixturevalue("pg_url")
    return lambda **kw: AuditLog(tmp_path / "a.sqlite3", url=url, **kw)


def raw_rows(log: AuditLog) -> list:
    """The feedback table as stored, read past AuditLog."""
    from sqlalchemy import create_engine, text
    engine = create_engine(log.url)
    try:
        with engine.connect() as con:
            return [tuple(r) for r in con.execute(text("SELECT * FROM feedback"))]
    finally:
        engine.dispose()


def rec(log: AuditLog, question="低压电工证能换建筑电工证吗", rating=1, comment=None, **kw) -> RecordStatus:
    return log.record(question=question, answer=kw.get("answer", "可以免予安全作业培训。"),
                      verdict=kw.get("verdict", "answered"), citations=kw.get("citations", CITES),
                      mode=kw.get("mode", "worker"), rating=rating, comment=comment,
                      session_id=kw.get("session_id", "sess-1"))


# ----------------------------------------------------------------------------- masking

@pytest.mark.parametrize("text, expected", [
    ("我的电话13812345678", "我的电话138******78"),
    ("手机:199-0000-1234。", "手机:199********34。"),
    ("+86 13812345678", "+86**********78"),
    ("单位座机0510-86855000", "单位座机051********00"),
    ("座机(010)62345678", "座机(01********78"),
    ("身份证号110101199003071234", "身份证号110*************34"),
    ("身份证号11010119900307123X", "身份证号110*************3X"),
    ("身份证号11010119900307123x。", "身份证号110*************3x。"),
    ("老身份证110101900307123", "老身份证110**********23"),
    ("全角１３８１２３４５６７８", "全角１３８******７８"),
])
def test_mask_pii_masks(text, expected):
    assert mask_pii(text) == expected


@pytest.mark.parametrize("text", [
    "人社厅发〔2026〕1号,2026-01-09 发布",
    "请拨打12333咨询",
    "附件序号13,第一条第(一)项",
    "1234567890",            # 10 digits: not a mobile
    "23812345678",           # does not start with 1
    "12812345678",           # 12x is not a mobile prefix
    "",
])
def test_mask_pii_leaves_other_numbers(text):
    assert mask_pii(text) == text


def test_mask_pii_non_strings_unchanged():
    assert mask_pii(None) is None
    assert mask_pii(5) == 5


@settings(max_examples=200, deadline=None)
@given(prefix=st.text(alphabet="电工证问我的号码是:, ab", max_size=8),
       second=st.sampled_from("3456789"), rest=st.from_regex(r"\A\d{9}\Z"),
       suffix=st.text(alphabet="电工证问我的号码是:, ab", max_size=8))
def test_mask_pii_never_leaks_a_mobile(prefix, second, rest, suffix):
    phone = "1" + second + rest
    masked = mask_pii(prefix + phone + suffix)
    assert phone not in masked
    assert len(masked) == len(prefix + phone + suffix)
    assert masked.startswith(prefix + phone[:3]) and masked.endswith(phone[-2:] + suffix)


# ----------------------------------------------------------------------------- storing

def test_record_masks_every_text_field_and_uses_utc(backend):
    log = backend()
    cites = [dict(CITES[0], note="热线 0510-86855000")]
    status = rec(log, question="我电话13812345678,身份证110101199003071234,能免培训吗",
                 answer="请致电0510-86855000", comment="回电13900001111", citations=cites, rating=0)
    assert status.ok and status.written == 1 and status.pending == 0 and status.message
    [row] = log.rows()
    assert row["question"] == "我电话138******78,身份证110*************34,能免培训吗"
    assert row["answer"] == "请致电051********00"
    assert row["comment"] == "回电139******11"
    assert row["citations"][0]["note"] == "热线 051********00"
    assert row["citations"][0]["quote"] == CITES[0]["quote"]
    assert row["citations"][0]["doc"] == "人社厅发〔2026〕1号"
    assert (row["verdict"], row["mode"], row["rating"], row["session_id"]) == ("answered", "worker", 0, "sess-1")
    t = datetime.fromisoformat(row["time"])
    assert t.utcoffset().total_seconds() == 0
    assert abs((datetime.now(timezone.utc) - t).total_seconds()) < 60
    raw = raw_rows(log)
    assert len(raw) == 1 and "13812345678" not in repr(raw) and "110101199003071234" not in repr(raw)


def test_typed_citations_are_stored_as_objects(backend):
    from dataclasses import dataclass

    @dataclass
    class Cite:
        doc: str
        article: str
        note: str

    class WithToDict:
        def to_dict(self):
            return {"article": "二(一)", "note": "回电13900001111"}

    log = backend(drain_interval=0)
    assert rec(log, citations=[Cite("人社厅发〔2026〕1号", "一(一)", "电话13812345678"), WithToDict()]).ok
    assert log.rows()[0]["citations"] == [
        {"doc": "人社厅发〔2026〕1号", "article": "一(一)", "note": "电话138******78"},
        {"article": "二(一)", "note": "回电139******11"}]


def test_wal_mode_and_table_created_in_missing_dir(tmp_path):
    path = tmp_path / "var" / "nested" / "audit.sqlite3"
    log = AuditLog(path)
    assert log.rows() == []
    assert rec(log, rating=None, comment="只有意见").ok
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA journal_mode").fetchone()[0].lower() == "wal"
    assert con.execute("SELECT rating, comment FROM feedback").fetchall() == [(None, "只有意见")]


def test_default_path_from_env(tmp_path, monkeypatch):
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(tmp_path / "env.sqlite3"))
    log = AuditLog()
    assert log.path == tmp_path / "env.sqlite3"
    assert rec(log).ok and (tmp_path / "env.sqlite3").exists()


def test_concurrent_records_from_threads(backend):
    log = backend()
    errors = []

    def worker(n):
        try:
            for i in range(10):
                assert rec(log, question=f"t{n}-{i}", session_id=f"s{n}").ok
        except BaseException as e:  # pragma: no cover - reported below
            errors.append(e)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(5)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    assert len(log.rows()) == 50


# ----------------------------------------------------------------------------- locked / read-only

def test_locked_db_keeps_row_pending_then_writes_it(tmp_path):
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.2, retries=2, drain_interval=0)
    assert rec(log, question="第一条").ok

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        status = rec(log, question="锁住时的反馈 13812345678", rating=0, comment="不满意")
        assert not status.ok and not status
        assert status.reason == "locked" and status.pending == 1 and status.written == 0
        # the row is on disk in the spool, and the message says so (it used to sit in memory: "暂存")
        assert status.where == "spool" and status.saved
        assert "已保存" in status.message and "自动写入" in status.message
        assert log.pending == 1
        assert [r["question"] for r in log.spooled()] == ["锁住时的反馈 138******78"]
        assert b"13812345678" not in log.spool_path.read_bytes()
        status = rec(log, question="仍然锁住")
        assert not status.ok and status.pending == 2
    finally:
        locker.execute("COMMIT")
        locker.close()

    status = rec(log, question="解锁后")
    assert status.ok and status.written == 3 and status.pending == 0
    assert log.spool_path.read_bytes() == b""
    rows = log.rows()
    assert [r["question"] for r in rows] == ["第一条", "锁住时的反馈 138******78", "仍然锁住", "解锁后"]
    assert rows[1]["rating"] == 0 and rows[1]["comment"] == "不满意"
    # the time is when the feedback was given, not when it was finally written
    assert rows[1]["time"] < rows[3]["time"]


def test_locked_before_first_write_then_flush(tmp_path):
    """The very first record finds a new file locked (no WAL yet): nothing lost, flush() writes it."""
    path = tmp_path / "a.sqlite3"
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    locker.execute("CREATE TABLE other (x)")
    log = AuditLog(path, timeout=0.1, retries=1, drain_interval=0)
    try:
        status = rec(log)
        assert not status.ok and status.reason == "locked" and status.pending == 1 and status.where == "spool"
    finally:
        locker.execute("COMMIT")
        locker.close()
    status = log.flush()
    assert status.ok and status.written == 1 and log.pending == 0
    assert len(log.rows()) == 1


def test_read_only_file_reports_clearly_and_loses_nothing(tmp_path):
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.1, drain_interval=0)
    assert rec(log, question="只读前").ok
    for extra in ("-wal", "-shm"):
        p = path.with_name(path.name + extra)
        if p.exists():
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        status = rec(log, question="只读时")
        assert not status.ok
        assert status.reason == "readonly" and "只读" in status.message and "已保存" in status.message
        assert status.pending == 1 and status.where == "spool"
        assert [r["question"] for r in log.rows()] == ["只读前"]   # still readable
    finally:
        for extra in ("", "-wal", "-shm"):
            p = path.with_name(path.name + extra)
            if p.exists():
                p.chmod(0o644)
    status = rec(log, question="恢复后")
    assert status.ok and status.written == 2 and status.pending == 0
    assert [r["question"] for r in log.rows()] == ["只读前", "只读时", "恢复后"]


def test_sqlite_readonly_error_is_reported(tmp_path, monkeypatch):
    """What SQLite itself says for a read-only database (as a non-root user would see).
    (Patches `_insert`: the log no longer opens sqlite3 connections itself.)"""
    log = AuditLog(tmp_path / "a.sqlite3", timeout=0.1, drain_interval=0)
    real_insert = log._insert

    def readonly(rows):
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(log, "_insert", readonly)
    status = rec(log, question="x")
    assert (status.ok, status.reason, status.pending, status.where) == (False, "readonly", 1, "spool")
    monkeypatch.setattr(log, "_insert", real_insert)
    assert log.flush().written == 1
    assert [r["question"] for r in log.rows()] == ["x"]


def test_unreachable_path_keeps_rows(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    log = AuditLog(blocker / "audit.sqlite3", timeout=0.1, drain_interval=0)
    status = rec(log)
    assert not status.ok and status.pending == 1 and status.message
    assert status.reason in {"readonly", "error"}
    # neither the database nor a spool beside it can be written: said plainly, kept in memory
    assert status.where == "memory" and not status.saved
    assert "未能保存" in status.message and "已保存" not in status.message
    blocker.unlink()
    status = log.flush()
    assert status.ok and status.written == 1 and status.pending == 0
    assert len(log.rows()) == 1


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root ignores directory permissions")
def test_read_only_directory_as_normal_user(tmp_path):  # pragma: no cover - CI runs as root
    d = tmp_path / "ro"
    d.mkdir()
    d.chmod(0o555)
    try:
        status = rec(AuditLog(d / "audit.sqlite3", timeout=0.1))
        assert not status.ok and status.pending == 1
    finally:
        d.chmod(0o755)


# ----------------------------------------------------------------------------- spool and drains

def _locked(path):
    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    return locker


def test_spool_is_drained_when_a_new_log_starts(tmp_path):
    path = tmp_path / "a.sqlite3"
    first = AuditLog(path, timeout=0.05, drain_interval=0)
    assert rec(first, question="开锁前").ok
    locker = _locked(path)
    try:
        statuses = [rec(first, question=f"锁住 {i}") for i in range(3)]
    finally:
        locker.execute("COMMIT")
        locker.close()
    assert [s.where for s in statuses] == ["spool"] * 3
    first.close()
    del first                                   # the process that spooled is gone
    second = AuditLog(path, drain_interval=0)   # construction drains
    assert second.pending == 0 and second.spool_path.read_bytes() == b""
    assert [r["question"] for r in second.rows()] == ["开锁前", "锁住 0", "锁住 1", "锁住 2"]


def test_timer_drains_without_another_record(tmp_path):
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.05, drain_interval=0.2)
    assert rec(log, question="先写一条").ok
    locker = _locked(path)
    try:
        assert rec(log, question="等定时器").where == "spool"
    finally:
        locker.execute("COMMIT")
        locker.close()
    deadline = time.monotonic() + 10
    while log.pending and time.monotonic() < deadline:
        time.sleep(0.05)
    assert log.pending == 0
    assert [r["question"] for r in log.rows()] == ["先写一条", "等定时器"]
    log.close()


def test_drain_is_idempotent(tmp_path):
    """Rows already committed but still in the spool (a crash between the two) are not doubled."""
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.05, drain_interval=0)
    locker = _locked(path)
    try:
        for i in range(5):
            rec(log, question=f"q{i}")
    finally:
        locker.execute("COMMIT")
        locker.close()
    copy = log.spool_path.read_bytes()
    assert log.flush().written == 5
    log.spool_path.write_bytes(copy + copy)     # as if the spool had never been emptied, twice
    status = log.flush()
    assert status.ok and status.written == 0 and status.pending == 0
    rows = log.rows()
    assert sorted(r["question"] for r in rows) == [f"q{i}" for i in range(5)]
    assert len({r["uid"] for r in rows}) == 5


def test_torn_spool_line_is_set_aside_and_later_rows_survive(tmp_path):
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.05, drain_interval=0)
    assert rec(log, question="first").ok
    log.spool_path.write_bytes(b'{"uid":"abc","time":"2026-')     # a write cut short by a crash
    locker = _locked(path)
    try:
        assert rec(log, question="after the tear").where == "spool"
    finally:
        locker.execute("COMMIT")
        locker.close()
    assert log.flush().ok
    assert [r["question"] for r in log.rows()] == ["first", "after the tear"]
    rejected = log.spool_path.with_name(log.spool_path.name + ".rejected").read_bytes()
    assert rejected == b'{"uid":"abc","time":"2026-\n'


def test_old_log_without_uid_column_is_upgraded(tmp_path):
    path = tmp_path / "old.sqlite3"
    con = sqlite3.connect(path)
    con.execute("""CREATE TABLE feedback (id INTEGER PRIMARY KEY AUTOINCREMENT, time TEXT NOT NULL,
                   session_id TEXT, mode TEXT, question TEXT, answer TEXT, verdict TEXT, citations TEXT,
                   rating INTEGER CHECK (rating IN (0, 1) OR rating IS NULL), comment TEXT)""")
    con.execute("INSERT INTO feedback (time, question, citations) VALUES ('2026-01-09T00:00:00+00:00', 'old', '[]')")
    con.commit()
    con.close()
    log = AuditLog(path, drain_interval=0)
    assert rec(log, question="new").ok
    rows = log.rows()
    assert [(r["question"], bool(r["uid"])) for r in rows] == [("old", False), ("new", True)]


def test_db_url_setting(tmp_path, monkeypatch):
    target = tmp_path / "by-url.sqlite3"
    monkeypatch.setenv("ASSISTANT_DB_URL", f"sqlite:///{target}")
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(tmp_path / "unused.sqlite3"))
    log = AuditLog(drain_interval=0)
    assert rec(log).ok and target.exists() and not (tmp_path / "unused.sqlite3").exists()
    assert log.spool_path == tmp_path / "by-url.sqlite3.spool.jsonl"


def test_unreachable_server_spools_beside_the_sqlite_path(tmp_path):
    """A server database that cannot be reached (here: a driver that is not installed)."""
    log = AuditLog(tmp_path / "audit.sqlite3", url="postgresql+nosuchdriver://u:p@127.0.0.1:1/db",
                   drain_interval=0)
    status = rec(log, question="服务器不可用 13812345678")
    assert status.where == "spool" and status.saved and "已保存" in status.message
    assert log.spool_path == tmp_path / "audit.sqlite3.spool.jsonl"
    assert [r["question"] for r in log.spooled()] == ["服务器不可用 138******78"]
    assert "p@127" not in repr(log)


def test_postgresql_killed_then_back_loses_no_row(tmp_path, postgres):
    """The server database dies mid-stream (SIGKILL): rows go to the spool, none is lost or doubled."""
    from pgserver import PgServer
    server = PgServer().start()          # its own server: this test kills it
    try:
        url = server.new_database()
        log = AuditLog(tmp_path / "a.sqlite3", url=url, timeout=0.5, drain_interval=0)
        before = [rec(log, question=f"before {i}") for i in range(3)]
        server.kill()
        during, took = [], []
        for i in range(3):                   # each told within a second that it is kept (in the spool)
            t = time.monotonic()
            during.append(rec(log, question=f"during {i}", comment="回电13812345678"))
            took.append(time.monotonic() - t)
        assert max(took) < 1.0, took
        server.start()
        after = rec(log, question="after")          # the next record drains the spool first
        assert all(s.ok for s in before) and all(s.saved and s.where == "spool" for s in during) and after.ok
        log.flush()
        rows = log.rows()
        assert sorted(r["question"] for r in rows) == sorted(
            [f"before {i}" for i in range(3)] + [f"during {i}" for i in range(3)] + ["after"])
        assert len({r["uid"] for r in rows}) == 7 and log.pending == 0
        assert "13812345678" not in repr(raw_rows(log))
        log.close()
    finally:
        server.close()


def test_postgresql_frozen_then_thawed_loses_no_row(tmp_path, postgres):
    """SIGSTOP on the whole server: a record is told within a second that its row is kept (spooled), instead
    of hanging on a connection that never answers; thawed, every row is in the database exactly once."""
    from pgserver import PgServer
    server = PgServer().start()
    try:
        log = AuditLog(tmp_path / "a.sqlite3", url=server.new_database(), drain_interval=0)
        assert rec(log, question="before").ok
        server.freeze()
        took, during = [], []
        for i in range(3):
            t = time.monotonic()
            during.append(rec(log, question=f"during {i}"))
            took.append(time.monotonic() - t)
        assert max(took) < 1.0 and all(s.saved and s.where == "spool" for s in during), (took, during)
        server.thaw()
        deadline = time.monotonic() + 10
        while not rec(log, question="after").ok and time.monotonic() < deadline:
            time.sleep(0.2)
        log.flush()
        questions = [r["question"] for r in log.rows()]
        assert sorted(set(questions)) == sorted(["before", "after"] + [f"during {i}" for i in range(3)])
        assert all(questions.count(q) == 1 for q in questions if q != "after") and log.pending == 0
        log.close()
    finally:
        server.thaw()
        server.close()


def test_log_lines_are_masked(tmp_path, caplog):
    folder = tmp_path / "13812345678"       # a phone number in the path reaches the warning
    folder.mkdir()
    log = AuditLog(folder / "a.sqlite3", timeout=0.05, drain_interval=0)
    assert rec(log).ok
    locker = _locked(folder / "a.sqlite3")
    try:
        with caplog.at_level("INFO", logger="assistant.audit"):
            assert rec(log).where == "spool"
    finally:
        locker.execute("COMMIT")
        locker.close()
    assert caplog.records and "13812345678" not in caplog.text and "138******78" in caplog.text


# ----------------------------------------------------------------------------- never raises

class _Nasty:
    def __str__(self):
        raise RuntimeError("no str")

    def __repr__(self):
        raise RuntimeError("no repr")


_odd = st.one_of(
    st.none(), st.text(), st.text(st.characters(codec=None, categories=None)),
    st.integers(0xD800, 0xDFFF).map(chr), st.binary(), st.integers(), st.floats(), st.booleans(),
    st.just("\x00"), st.just("电话13812345678," * 4000), st.just(_Nasty()), st.just(object()),
    st.lists(st.integers(), max_size=3), st.dictionaries(st.text(max_size=3), st.text(max_size=5), max_size=3),
)
_cites = st.one_of(
    _odd, st.lists(st.dictionaries(st.one_of(st.text(max_size=4), st.integers(), st.tuples(st.integers())),
                                   _odd, max_size=3), max_size=3),
    st.just(iter([{"quote": "13812345678"}])), st.just([[[[[[[[[[[["deep"]]]]]]]]]]]]),
    st.just([float("nan"), float("inf")]), st.just(_Nasty()),
)


@pytest.fixture(scope="module")
def shared_log(tmp_path_factory):
    log = AuditLog(tmp_path_factory.mktemp("odd") / "a.sqlite3", drain_interval=0)
    yield log
    log.close()


def _count_and_last(path):
    con = sqlite3.connect(path)
    try:
        con.row_factory = sqlite3.Row
        count = con.execute("SELECT count(*) FROM feedback").fetchone()[0]
        return count, dict(con.execute("SELECT * FROM feedback ORDER BY id DESC LIMIT 1").fetchone())
    finally:
        con.close()


@settings(max_examples=100, deadline=None)
@given(question=_odd, answer=_odd, verdict=_odd, citations=_cites, mode=_odd, rating=_odd, comment=_odd,
       session_id=_odd)
def test_record_never_raises(shared_log, question, answer, verdict, citations, mode, rating, comment, session_id):
    before = _count_and_last(shared_log.path)[0] if shared_log.path.exists() else 0
    status = shared_log.record(question=question, answer=answer, verdict=verdict, citations=citations, mode=mode,
                               rating=rating, comment=comment, session_id=session_id)
    assert status.ok and status.written == 1 and status.message == "反馈已记录,谢谢!"
    count, last = _count_and_last(shared_log.path)
    assert count == before + 1 and len(last["uid"]) == 32
    assert "13812345678" not in repr(last)
    assert last["rating"] in (0, 1, None)
    json.loads(last["citations"])


def test_record_never_raises_when_nothing_can_be_written(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    log = AuditLog(blocker / "a.sqlite3", timeout=0.05, drain_interval=0)
    status = log.record(question=_Nasty(), answer="\ud800", citations=_Nasty(), rating="👍", comment=b"\xff")
    assert not status.saved and status.where == "memory" and "未能保存" in status.message
