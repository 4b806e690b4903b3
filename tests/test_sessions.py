"""ConversationStore: a conversation and its mode survive a new store (a server restart).

Every test that is not about SQLite itself runs on both backends: the SQLite file (the default) and a
real PostgreSQL database (ASSISTANT_DB_URL's path; tests/pgserver.py, skipped where it is not installed)."""
from __future__ import annotations

import threading
import time

import pytest

from assistant.sessions import ConversationStore, new_id, valid_id

Q = "安监局发的低压电工证去工地考建筑电工还要培训吗"


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'conv.sqlite3'}"
    return request.getfixturevalue("pg_url")


@pytest.fixture
def store(url):
    s = ConversationStore(url)
    yield s
    s.engine.dispose()


def test_round_trip_through_a_new_store_resumes_the_conversation(assistant, url):
    conv = assistant.conversation(mode="helpline")
    conv.ask(Q)
    conv.ask("那高压电工呢?")
    cid = new_id()
    ConversationStore(url).save(cid, conv.to_record())

    from assistant.conversation import Conversation
    again = Conversation.from_record(assistant, ConversationStore(url).load(cid))   # "after a restart"
    assert again.mode == "helpline"
    assert [h["question"] for h in again.history] == [Q, "那高压电工呢?"]
    assert again.history[1]["reply"].lead == conv.history[1]["reply"].lead
    # the context carries on: a follow-up is understood against the stored state
    follow = again.ask("那建筑电工证反过来呢?")
    assert follow.verdict in ("answered", "not_covered", "clarify")


def test_save_is_an_upsert_and_ids_are_checked(store):
    cid = new_id()
    store.save(cid, {"mode": "worker", "state": {}, "history": []})
    store.save(cid, {"mode": "helpline", "state": {}, "history": [{"question": "x"}]})
    assert store.load(cid)["mode"] == "helpline"
    assert [r["turns"] for r in store.recent()] == [1]
    assert store.load("../../etc/passwd") is None and store.load(new_id()) is None
    assert not valid_id("ABC") and valid_id(cid)
    with pytest.raises(ValueError):
        store.save("not-an-id", {})


def test_sqlite_is_in_wal_mode(tmp_path):
    store = ConversationStore(f"sqlite:///{tmp_path / 'conv.sqlite3'}")
    with store.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar().lower() == "wal"


def test_concurrent_writers(store):
    ids = [new_id() for _ in range(8)]
    errors = []

    def write(cid):
        try:
            for k in range(10):
                store.save(cid, {"mode": "worker", "history": [{"question": str(i)} for i in range(k)]})
        except Exception as e:   # pragma: no cover - the assertion below reports it
            errors.append(e)

    threads = [threading.Thread(target=write, args=(cid,)) for cid in ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert all(len(store.load(cid)["history"]) == 9 for cid in ids)


def test_old_conversations_are_purged(url):
    s = ConversationStore(url, keep_days=0)
    cid = new_id()
    s.save(cid, {"mode": "worker", "history": []})
    assert s.purge(-1) == 1 and s.load(cid) is None


def test_default_url_follows_the_feedback_setting(monkeypatch, tmp_path):
    from assistant.sessions import default_url
    monkeypatch.delenv("ASSISTANT_DB_URL", raising=False)
    monkeypatch.setenv("ASSISTANT_AUDIT_DB", str(tmp_path / "audit.sqlite3"))
    assert default_url() == f"sqlite:///{tmp_path / 'conversations.sqlite3'}"
    monkeypatch.setenv("ASSISTANT_DB_URL", "postgresql+psycopg://u@h/db")
    assert default_url() == "postgresql+psycopg://u@h/db"


def test_merge_puts_the_turns_asked_meanwhile_after_the_stored_ones():
    from assistant.sessions import merge_records
    stored = {"mode": "helpline", "state": {"a": 1}, "history": [{"question": "1"}, {"question": "2"}]}
    assert merge_records(stored, {"mode": "worker", "state": {}, "history": []}) is stored
    merged = merge_records(stored, {"mode": "worker", "state": {"b": 2}, "history": [{"question": "3"}]})
    assert [h["question"] for h in merged["history"]] == ["1", "2", "3"]
    assert merged["mode"] == "worker" and merged["state"] == {"b": 2}     # the newest turn's context


def _answers_while_the_store_fails(conv, store, cid, limit: float) -> None:
    """Two more turns with the database out: each is answered, and the store's save and read fail, within `limit` s."""
    for question in ("那高压电工呢?", "建筑电工证能算几级工?"):
        t = time.perf_counter()
        reply = conv.ask(question)
        with pytest.raises(Exception):
            store.save(cid, conv.to_record())
        with pytest.raises(Exception):
            store.load(cid)
        elapsed = time.perf_counter() - t
        assert reply.verdict == "answered" and elapsed < limit, (question, elapsed)


def test_postgresql_killed_then_back_loses_no_conversation(assistant, postgres):
    """The database dies (SIGKILL) mid-conversation: the next answer still comes within a second and the
    store says at once that it cannot save; the conversation, kept by its session, is saved whole once
    the database is back."""
    from pgserver import PgServer
    server = PgServer().start()          # its own server: this test kills it
    try:
        url = server.new_database()
        store = ConversationStore(url, timeout=0.5)
        conv = assistant.conversation()
        conv.ask(Q)
        cid = new_id()
        store.save(cid, conv.to_record())
        server.kill()
        _answers_while_the_store_fails(conv, store, cid, limit=1.0)
        server.start()
        store.save(cid, conv.to_record())
        again = ConversationStore(url).load(cid)
        assert [h["question"] for h in again["history"]] == [Q, "那高压电工呢?", "建筑电工证能算几级工?"]
        store.engine.dispose()
    finally:
        server.close()


def test_postgresql_frozen_then_thawed_loses_no_conversation(assistant):
    """The database freezes (SIGSTOP: connections hang, nothing answers): each save and read gives up within
    the deadline (assistant/bounded.py) instead of hanging the session, answers keep coming, and once the
    server is thawed the whole conversation is saved; a save that was stuck meanwhile never replaces it."""
    from pgserver import PgServer

    from assistant.bounded import DEFAULT_TIMEOUT
    server = PgServer().start()
    try:
        url = server.new_database()
        store = ConversationStore(url)
        conv = assistant.conversation()
        conv.ask(Q)
        cid = new_id()
        store.save(cid, conv.to_record())
        server.freeze()
        _answers_while_the_store_fails(conv, store, cid, limit=2 * DEFAULT_TIMEOUT + 0.5)
        server.thaw()
        deadline = time.time() + 10
        while True:
            try:
                store.save(cid, conv.to_record())
                break
            except Exception:
                if time.time() > deadline:
                    raise
                time.sleep(0.2)
        time.sleep(1.0)      # the saves that were stuck on the frozen server finish now, late
        again = ConversationStore(url).load(cid)
        assert [h["question"] for h in again["history"]] == [Q, "那高压电工呢?", "建筑电工证能算几级工?"]
        store.engine.dispose()
    finally:
        try:
            server.thaw()
        except Exception:
            pass
        server.close()
