"""One conversation: its state, and the reply to each new turn.

Flow of a turn, in one direction:
    question -> normalise -> understand (Turn) -> context policy (Situation, context.py)
    -> retrieval (the cross-check) -> answer steps (steps.py) -> Reply
The CLI, the batch command and the Streamlit app all drive this same object; the
conversation's state (context.State) and history live here and nowhere else.
"""
from __future__ import annotations

import logging
import time
import unicodedata

from .compose import Kit
from .context import Pending, State, resolve, state_from_dict, state_to_dict
from .normalize import normalize
from .reply import Reply
from .steps import Question, answer
from .understanding import understand

log = logging.getLogger("assistant.conversation")

MAX_QUESTION = 2000


class Conversation:
    def __init__(self, assistant, mode: str = "worker", llm=None):
        self.a = assistant
        self.llm = llm if llm is not None else assistant.llm
        self.mode = mode if mode in ("worker", "helpline") else "worker"
        self.state = State()
        self.history: list[dict] = []

    def ask(self, question) -> Reply:
        started = time.perf_counter()
        question = question if isinstance(question, str) else str(question)
        try:
            reply = self._answer(question)
            if self.llm is not None and not reply.error:
                from .llm import reword
                reply = reword(self.llm, question, reply, self.mode, self.a.system_prompt, self.a.citer)
        except Exception:  # never a traceback to a worker; the log keeps it
            log.exception("answer failed")
            reply = _plain("clarify", "internal", "抱歉,系统出了点问题,这个问题暂时答不了。请换个说法再问一次,或拨打12333。",
                           "系统暂时无法答复该问题,请稍后重试或按常规口径答复。")
        reply.mode = self.mode
        reply.latency_ms = round((time.perf_counter() - started) * 1000, 2)
        self.history.append({"question": question, "reply": reply, "time": time.strftime("%Y-%m-%dT%H:%M:%S")})
        return reply

    def to_record(self) -> dict:
        """Everything needed to resume this conversation elsewhere (another process, after a restart)."""
        # A reply does not change once it is in the history, so its plain form is made once: the app saves
        # the whole record after every turn, and asdict() over every earlier reply was a fifth of a turn.
        for h in self.history:
            if "reply_dict" not in h:
                h["reply_dict"] = h["reply"].to_dict()
        return {"mode": self.mode, "state": state_to_dict(self.state),
                "history": [{"question": h["question"], "time": h["time"], "reply": h["reply_dict"]}
                            for h in self.history]}

    @classmethod
    def from_record(cls, assistant, record: dict) -> "Conversation":
        conv = cls(assistant, record.get("mode", "worker"))
        conv.state = state_from_dict(record.get("state") or {})
        conv.history = [{"question": h["question"], "time": h["time"], "reply": Reply.from_dict(h["reply"]),
                         "reply_dict": h["reply"]} for h in record.get("history", [])]
        return conv

    def reset(self) -> None:
        self.state = State()
        self.history = []

    def to_markdown(self) -> str:
        from .render import conversation_markdown
        return conversation_markdown(self.a.metadata(), self.history)

    # -- the turn -----------------------------------------------------------
    def _answer(self, question: str) -> Reply:
        if bad := bad_input(question):
            return bad
        text = normalize(question.strip(), self.a.aliases)
        turn = understand(text, self.a.catalog, self.a.topics)
        sit = resolve(turn, self.state, self.a.catalog, has_path=self.a.rules.recognition_for)
        # A question about certificates or levels is answered from the certificate notice only.
        about_certs = turn.names_certificate or bool(turn.level) or bool(sit.held or sit.wanted)
        retrieved, down = self._retrieve(turn.text, self.a.rules.doc if about_certs else None)
        reply = answer(Question(turn, sit, retrieved, retrieval_down=down), Kit(self.a))
        self._remember(reply, turn)
        self._cross_check(reply, retrieved)
        reply.injection_suspected = turn.injection
        return reply

    def _remember(self, reply: Reply, turn) -> None:
        """Our question back stays open through a detour (a date, another certificate's topic) and closes
        when it is answered or the worker asks about a certificate of the six anew."""
        p, st = reply.pending, self.state
        if reply.verdict == "answered" and reply.rule_articles:
            st.last_articles = tuple(reply.rule_articles[:3])
        st.last_step = reply.step
        st.last_topic = reply.rule.get("topic", "") if isinstance(reply.rule.get("topic"), str) else ""
        if listed := reply.rule.get("listed"):
            # "视同中级工的证书有哪些" then "持上述证书可以报名参加什么等级": the certificates just listed
            st.held, st.wanted, st.kind, st.holds_each, st.held_stated = frozenset(listed), None, "level", True, False
        if p:
            st.pending = Pending(p["slot"], p["choices"], p["kind"], st.held, st.wanted, st.asks, st.status, turn.questioned)
        elif turn.known or reply.step in ANSWERS_ABOUT_A_PAIR:
            st.pending = None

    def _cross_check(self, reply: Reply, retrieved) -> None:
        reply.retrieved = [h.doc.metadata["article"] for h in retrieved]
        if reply.rule_articles and retrieved and not set(reply.rule_articles) & set(reply.retrieved):
            reply.disagreement = {"rule": reply.rule_articles, "retrieved": reply.retrieved}
            self.a.log_event({"event": "rule_retrieval_disagreement", **reply.disagreement})

    def _retrieve(self, text: str, doc_number: str | None):
        """Hits, and whether retrieval was down: the rules still answer without it (it is their cross-check),
        but a question only retrieval could answer gets "稍后再试", not a verdict."""
        try:
            return self.a.retrieve(text, doc_number=doc_number), False
        except Exception as exc:
            log.warning("retrieval failed: %s", exc)
            return [], True


# Steps whose answer is about the worker's certificates: after one, an earlier question back is settled.
ANSWERS_ABOUT_A_PAIR = frozenset({"recognition", "level", "held_only", "wanted_only", "where_to_apply", "listing",
                                  "status", "topic_about_held"})


def bad_input(question: str) -> Reply | None:
    """Empty, huge or wordless input gets a clear message instead of a guess."""
    stripped = question.strip()
    if not stripped:
        return _plain("clarify", "empty", "问题是空的。请输入你的证书问题,例如:“我有低压电工证,想考建筑电工证,还要培训吗?”")
    if len(stripped) > MAX_QUESTION:
        return _plain("clarify", "too_long", f"问题太长了({len(stripped)}字)。请把问题缩短到{MAX_QUESTION}字以内,"
                                             "说清楚你持有什么证、想申请什么证。")
    if not any(unicodedata.category(ch)[0] in "LN" for ch in stripped):
        # "？？？" or ".:." has nothing to retrieve on; any match would be noise scored as a hit.
        return _plain("clarify", "no_words", "没有看到问题的文字。请用文字写出你的证书问题,例如:"
                                             "“我有低压电工证,想考建筑电工证,还要培训吗?”")
    return None


def _plain(verdict: str, error: str, worker: str, helpline: str | None = None) -> Reply:
    return Reply(verdict=verdict, step="bad_input" if error != "internal" else "internal", lead="",
                 body={"worker": worker, "helpline": helpline or worker}, badge="需要补充信息", error=error)
