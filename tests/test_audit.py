"""The SQLite audit log: masking, WAL, locked and read-only databases, no lost rows."""
from __future__ import annotations

import os
import sqlite3
import stat
import threading
from datetime import datetime, timezone

import pytest
from hypothesis import given, settings, strategies as st

from assistant.audit import AuditLog, RecordStatus, mask_pii

CITES = [{"doc": "人社厅发〔2026〕1号", "article": "一(一)", "label": "第一条第(一)项",
          "quote": "可免予安全作业培训,直接参加建筑电工特种作业人员考核。", "date": "2026-01-09",
          "derived": False, "note": ""}]


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

def test_record_masks_every_text_field_and_uses_utc(tmp_path):
    log = AuditLog(tmp_path / "a.sqlite3")
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
    raw = sqlite3.connect(tmp_path / "a.sqlite3").execute("SELECT * FROM feedback").fetchall()
    assert "13812345678" not in repr(raw) and "110101199003071234" not in repr(raw)


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


def test_concurrent_records_from_threads(tmp_path):
    log = AuditLog(tmp_path / "a.sqlite3")
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
    log = AuditLog(path, timeout=0.2, retries=2)
    assert rec(log, question="第一条").ok

    locker = sqlite3.connect(path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        status = rec(log, question="锁住时的反馈 13812345678", rating=0, comment="不满意")
        assert not status.ok and not status
        assert status.reason == "locked" and status.pending == 1 and status.written == 0
        assert "暂存" in status.message
        assert log.pending == 1
        status = rec(log, question="仍然锁住")
        assert not status.ok and status.pending == 2
    finally:
        locker.execute("COMMIT")
        locker.close()

    status = rec(log, question="解锁后")
    assert status.ok and status.written == 3 and status.pending == 0
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
    log = AuditLog(path, timeout=0.1, retries=1)
    try:
        status = rec(log)
        assert not status.ok and status.reason == "locked" and status.pending == 1
    finally:
        locker.execute("COMMIT")
        locker.close()
    status = log.flush()
    assert status.ok and status.written == 1 and log.pending == 0
    assert len(log.rows()) == 1


def test_read_only_file_reports_clearly_and_loses_nothing(tmp_path):
    path = tmp_path / "a.sqlite3"
    log = AuditLog(path, timeout=0.1)
    assert rec(log, question="只读前").ok
    for extra in ("-wal", "-shm"):
        p = path.with_name(path.name + extra)
        if p.exists():
            p.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    path.chmod(stat.S_IRUSR | stat.S_IRGRP | stat.S_IROTH)
    try:
        status = rec(log, question="只读时")
        assert not status.ok
        assert status.reason == "readonly" and "只读" in status.message
        assert status.pending == 1
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
    """What SQLite itself says for a read-only database (as a non-root user would see)."""
    log = AuditLog(tmp_path / "a.sqlite3", timeout=0.1)
    real_connect = log._connect

    def readonly():
        raise sqlite3.OperationalError("attempt to write a readonly database")

    monkeypatch.setattr(log, "_connect", readonly)
    status = rec(log, question="x")
    assert (status.ok, status.reason, status.pending) == (False, "readonly", 1)
    monkeypatch.setattr(log, "_connect", real_connect)
    assert log.flush().written == 1
    assert [r["question"] for r in log.rows()] == ["x"]


def test_unreachable_path_keeps_rows(tmp_path):
    blocker = tmp_path / "not-a-dir"
    blocker.write_text("x")
    log = AuditLog(blocker / "audit.sqlite3", timeout=0.1)
    status = rec(log)
    assert not status.ok and status.pending == 1 and status.message
    assert status.reason in {"readonly", "error"}


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
