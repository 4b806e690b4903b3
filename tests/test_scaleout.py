"""The helpline topology, for real, on this machine (bench/scaleout.py's Topology):

one chroma server (written only by `python -m ingest`), one PostgreSQL (tests/pgserver.py), two
`streamlit run app.py` replicas with CHROMA_HOST=localhost (ingest said 127.0.0.1), an empty data dir
and ASSISTANT_DB_URL on that PostgreSQL, and nginx in front (round robin, websocket upgrade).

- a replica is ready (`python -m assistant ready`) without a copy of ingest's data dir;
- sessions through nginx reach both replicas and every answer is right;
- a real browser (Chromium) asks, rates the answer and loses the replica that served it (SIGKILL):
  in the same browser the conversation comes back with its turns from PostgreSQL, the other replica
  answers an elliptical follow-up in context, and the rating is in PostgreSQL exactly once;
- websocket sessions cut by a killed replica reconnect with their page's ?c=<id> and go on on the
  other replica: no turn, conversation or answer lost; one cut session is answered again within 1 s;
- after all of it the chroma server's collections are as ingest left them: replicas never write.

Needs Debian's nginx and postgresql (`./run test` installs both); skipped without them, except on CI.
Takes about a minute.
"""
from __future__ import annotations

import os
import re
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load import questions, run_level, run_sync  # noqa: E402
from bench.scaleout import Topology, nginx_binary  # noqa: E402

pytestmark = pytest.mark.scaleout

Q1 = "安监局发的低压电工证去工地考建筑电工还要培训吗"
Q2 = "那高压的呢?"          # elliptical: only the first turn says what is wanted (建筑电工证)


def _missing() -> list[str]:
    from pgserver import bindir
    missing = []
    if nginx_binary() is None:
        missing.append("nginx")
    if bindir() is None:
        missing.append("PostgreSQL")
    return missing


@pytest.fixture(scope="module")
def topo():
    missing = _missing()
    if missing:
        reason = f"{' and '.join(missing)} not installed (./run test installs Debian's nginx-light and postgresql)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    with Topology(replicas=2) as t:
        yield t


@pytest.fixture()
def both_up(topo):
    """Both replicas running at the start of a test (one that killed a replica starts it again)."""
    for i in range(topo.n):
        if not topo.alive(i):
            topo.restart(i)
            topo.warm(i)       # as a readiness probe would, before nginx sends it users
    return topo


def _ws(topo) -> str:
    return topo.url.replace("http://", "ws://")


def _sql(topo, query: str, **params) -> list[tuple]:
    from sqlalchemy import create_engine, text
    engine = create_engine(topo.db_url)
    try:
        with engine.connect() as con:
            return [tuple(r) for r in con.execute(text(query), params)]
    finally:
        engine.dispose()


def test_a_replica_is_ready_without_a_copy_of_the_index(topo):
    assert topo.report["ready"]["rc"] == 0, topo.report["ready"]
    assert '"state": "reader"' in topo.report["ready"]["out"]
    assert topo.snapshot() == topo.before


def test_sessions_through_nginx_reach_both_replicas_and_every_answer_is_right(both_up):
    topo = both_up
    served = [topo.turns_served(i) for i in range(topo.n)]
    results = run_sync(run_level(_ws(topo), 12, 3, questions(), 180, 0.5))
    assert [r["error"] for r in results if r["error"]] == []
    turns = [t for r in results for t in r["turns"]]
    assert len(turns) == 36 and all(t["right"] for t in turns), [t["id"] for t in turns if not t["right"]]
    assert all(topo.turns_served(i) > served[i] for i in range(topo.n)), "nginx sent every session to one replica"
    # every conversation is in PostgreSQL with its three turns
    ids = [r["conversation"] for r in results]
    rows = dict(_sql(topo, "SELECT id, turns FROM conversations"))
    assert all(rows.get(c) == 3 for c in ids), {c: rows.get(c) for c in ids}
    assert topo.snapshot() == topo.before


# ----------------------------------------------------------------------------- one real browser



def _first_paragraph(reply) -> str:
    return reply.body["worker"].split("\n\n")[0].strip()


def test_browser_conversation_goes_on_after_its_replica_is_killed(both_up, browser, assistant):
    from assistant.sessions import ConversationStore
    from test_browser import ANSWER_MS, BADGE, FIRST_LOAD_MS, ask, messages, open_page, settle
    topo = both_up
    # what the engine says to the follow-up in context, and alone: the page must show the first
    engine = assistant.conversation()
    engine.ask(Q1)
    in_context = _first_paragraph(engine.ask(Q2))
    alone = _first_paragraph(assistant.conversation().ask(Q2))
    assert in_context and in_context != alone

    context, page = open_page(browser, topo.url)
    try:
        served = [topo.turns_served(i) for i in range(topo.n)]
        ask(page, Q1, 1)
        first = messages(page).nth(1).inner_text()
        by = [i for i in range(topo.n) if topo.turns_served(i) > served[i]]
        assert len(by) == 1, by
        victim, survivor = by[0], 1 - by[0]
        # 👍 before the kill: the page confirms it was recorded
        messages(page).nth(1).get_by_test_id("stFeedback").locator("button").first.click()
        messages(page).nth(1).get_by_text("反馈已记录").wait_for(state="visible")
        settle(page)
        cid = re.search(r"[?&]c=([0-9a-f]{32})", page.url)[1]

        # Streamlit's client notices the lost connection and connects again at once, through nginx to the
        # other replica; the page still shows what it had. The next question goes to that replica, which
        # knows nothing of this browser session: it reads the conversation of the page's ?c=<id> from
        # PostgreSQL and answers in its context.
        with page.expect_websocket(timeout=30_000):
            topo.kill(victim)
        served = [topo.turns_served(i) for i in range(topo.n)]
        ask(page, Q2, 3)
        settle(page)
        reply = messages(page).nth(3)
        reply.get_by_text(BADGE).first.wait_for(state="visible", timeout=ANSWER_MS)
        text = reply.inner_text()
        assert in_context in text and alone not in text, text
        assert messages(page).count() == 4
        shown = "\n".join(messages(page).all_inner_texts()[:2])      # the earlier turn, as the survivor drew it
        assert Q1 in shown and all(line in shown for line in first.splitlines()[:3]), (first, shown)
        # and a reload of the page's URL shows both turns
        page.goto(f"{topo.url}/?c={cid}", wait_until="domcontentloaded")
        page.get_by_text("已恢复上次的对话").wait_for(state="visible", timeout=FIRST_LOAD_MS)
        shown = "\n".join(messages(page).all_inner_texts())
        assert Q1 in shown and Q2 in shown and in_context in shown
        assert topo.turns_served(survivor) == served[survivor] + 1 and not topo.alive(victim)
        print(f"\nreplica {victim} served turn 1 and was killed; replica {survivor} answered the follow-up "
              "in context in the same page")
    finally:
        context.close()

    # (b) the rating given before the kill is in PostgreSQL, once; the conversation holds both turns
    rows = _sql(topo, "SELECT rating, verdict FROM feedback WHERE session_id = :s", s=f"{cid}:0")
    assert rows == [(1, "answered")], rows
    record = ConversationStore(topo.db_url).load(cid)
    assert [h["question"] for h in record["history"]] == [Q1, Q2]
    # (c) replicas never wrote to the chroma server
    assert topo.snapshot() == topo.before


# ----------------------------------------------------------------------------- the wire, with a kill

def test_sessions_cut_by_a_killed_replica_go_on_on_the_other(both_up):
    topo = both_up
    pool = questions()
    served = [topo.turns_served(i) for i in range(topo.n)]
    killed: list[int] = []
    answered = [0]

    def after_turn(_n: int) -> None:      # a third of the way in, the replica that has served most dies
        answered[0] += 1
        if answered[0] == 20 and not killed:
            killed.append(max(range(topo.n), key=lambda i: topo.turns_served(i) - served[i]))
            topo.kill(killed[0])
    results = run_sync(run_level(_ws(topo), 12, 5, pool, 180, 1.0, resume=True, after_turn=after_turn))
    assert [r["error"] for r in results if r["error"]] == []
    turns = [t for r in results for t in r["turns"]]
    assert len(turns) == 60 and all(t["right"] for t in turns), [t["id"] for t in turns if not t["right"]]
    resumed = [r for r in results if r["resumed"]]
    assert resumed, "no session was on the killed replica"
    # a resumed session found its earlier turns on the other replica (the one being answered when the
    # replica died may have been saved too); nothing of any conversation is lost
    assert all(r["resumed"][0]["restored_turns"] >= r["resumed"][0]["turns_before"] for r in resumed), \
        [r["resumed"] for r in resumed]
    rows = dict(_sql(topo, "SELECT id, turns FROM conversations"))
    assert all(rows.get(r["conversation"], 0) >= 5 for r in results), \
        {r["conversation"]: rows.get(r["conversation"]) for r in results}
    print(f"\nreplica {killed[0]} killed under 12 sessions: {len(resumed)} resumed on the other, "
          f"gaps {sorted(x['gap_s'] for r in resumed for x in r['resumed'])} s, 60/60 turns right")
    assert topo.snapshot() == topo.before


def test_a_cut_session_is_answered_again_within_a_second(both_up):
    """One conversation, its replica SIGKILLed between two turns: from the cut to the next answer on the
    other replica (reconnect through nginx, the conversation read from PostgreSQL, the turn) in under 1 s."""
    from bench.load import one_session
    topo = both_up
    served = [topo.turns_served(i) for i in range(topo.n)]
    victim: list[int] = []

    def after_turn(n: int) -> None:
        if n == 1:
            victim.append(next(i for i in range(topo.n) if topo.turns_served(i) > served[i]))
            topo.kill(victim[0])
    result = run_sync(one_session(_ws(topo), questions()[:3], time.monotonic() + 120, 0, resume=True,
                                     after_turn=after_turn))
    assert result["error"] is None and len(result["turns"]) == 3 and all(t["right"] for t in result["turns"])
    assert [(r["turns_before"], r["restored_turns"]) for r in result["resumed"]] == [(1, 1)], result["resumed"]
    gap = result["resumed"][0]["gap_s"]
    print(f"\nreplica {victim[0]} killed after turn 1: turn 2 answered by the other {gap:.3f} s after the cut")
    assert gap < 1.0, gap
