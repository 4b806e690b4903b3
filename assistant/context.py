"""The context policy, in one place: what a turn inherits from the conversation.

A question that names its own certificate(s) is answered on what it names. Only
elliptical follow-ups inherit: 那…呢, 反过来, 换成X, a bare certificate name, an answer
to our clarifying question, or a question with no certificate that asks about the pair
just discussed ("那考试呢", "实操也免吗", "要交钱吗", "证已经被吊销了"). A turn that
names no certificate and asks something else (a topic, the document number, the
weather) starts afresh.

The invariant the metamorphic suite checks: for any fully stated question Q and any
earlier turns H, the reply to Q after H equals the reply to Q alone.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from .entities import CertificateCatalog, Mention
from .people import people_in
from .understanding import Turn


@dataclass
class Pending:
    slot: str            # "held" | "wanted"
    choices: list[str]   # certificate ids offered, in order
    kind: str            # the kind of question that is waiting for the answer
    # The question asked back keeps what it was about, so the answer still fits after a detour
    # ("我有电工证,想考建筑电工证" -> which? -> "通知哪天发的" -> "我的是低压的").
    held: frozenset | None = None
    wanted: frozenset | None = None
    asks: frozenset = frozenset()
    status: frozenset = frozenset()
    asked: bool = True   # the turn we asked back about asked something ("焊工证能免什么"), not only stated ("我是住建发的证")


@dataclass
class State:
    """What the conversation knows so far; the one place a conversation keeps state."""
    held: frozenset | None = None
    wanted: frozenset | None = None
    status: frozenset = frozenset()      # what the worker said of the held certificate
    kind: str = ""                       # "recognition" | "level" | "" : the last question's kind
    asks: frozenset = frozenset()        # what the last question asked to skip ("还要培训吗")
    level: object = None                 # the last level question (understanding.LevelAsk), for "换成低压的呢"
    held_stated: bool = False            # the worker said it ("我有…"), rather than a question implying it
    holds_each: bool = False             # the worker holds each of several held certificates
    pairs: tuple = ()                    # (held id, wanted id) of each person or each trade, for "那考核呢" of them all
    holder: str = ""                     # whose the held certificate is: "self" | "other" | "" (not said)
    caller: bool = False                 # an agent speaks of the caller ("来电人持有…"), so a bare 他 is the caller
    held_other: str = ""                 # a certificate outside the notice the worker holds ("香港机电署的电工牌照")
    own: tuple | None = None             # the worker's own (held, wanted, status), kept while another person's is discussed
    earlier: tuple | None = None         # (held, wanted, status, kind, asks) before a new topic, for "回到刚才"
    last_articles: tuple = ()            # the items the last answer stood on, for "原话怎么说的"
    last_step: str = ""                  # the step that gave the last answer ("article_text": "电工呢" asks the same of 电工)
    levels: tuple = ()                   # the certificates whose level was asked, in order, for "这两个哪个更高"
    held_vague: bool = False             # the held one was a bare "电工证", maybe none of the six
    last_changed: str = ""               # the slot the last turn set anew ("held" | "target"), for a bare "说错了,是X"
    aside: tuple = ()                    # ((ids, statuses), …) said of certificates set aside, for when they come up
    last_topic: str = ""                 # the notice topic the last answer gave, for "那职业技能等级证书呢"
    person: str = ""                     # the named person under discussion ("小陈"), see assistant/people.py
    people: dict = field(default_factory=dict)   # name -> (held, wanted, status) said of each named person
    pending: Pending | None = None


def state_to_dict(state: State) -> dict:
    """The state as plain JSON data, for a conversation stored server-side."""
    ids = lambda s: sorted(s) if s is not None else None   # noqa: E731
    p = state.pending
    return {"held": ids(state.held), "wanted": ids(state.wanted), "status": sorted(state.status), "kind": state.kind,
            "asks": sorted(state.asks), "held_stated": state.held_stated, "holder": state.holder,
            "pairs": [list(x) for x in state.pairs],
            "caller": state.caller,
            "held_other": state.held_other,
            "own": [ids(state.own[0]), ids(state.own[1]), sorted(state.own[2])] if state.own else None,
            "earlier": [ids(e[0]), ids(e[1]), sorted(e[2]), e[3], sorted(e[4])] if (e := state.earlier) else None,
            "last_articles": list(state.last_articles), "last_step": state.last_step, "levels": list(state.levels),
            "last_topic": state.last_topic, "held_vague": state.held_vague, "last_changed": state.last_changed,
            "aside": [[sorted(i), sorted(st)] for i, st in state.aside],
            "person": state.person,
            "people": {n: [ids(h), ids(w), sorted(st)] for n, (h, w, st) in state.people.items()},
            "pending": {"slot": p.slot, "choices": p.choices, "kind": p.kind, "held": ids(p.held), "wanted": ids(p.wanted),
                        "asks": sorted(p.asks), "status": sorted(p.status), "asked": p.asked} if p else None}


def state_from_dict(d: dict) -> State:
    ids = lambda s: frozenset(s) if s is not None else None   # noqa: E731
    p = d.get("pending")
    return State(held=ids(d.get("held")), wanted=ids(d.get("wanted")), status=frozenset(d.get("status", ())),
                 kind=d.get("kind", ""), asks=frozenset(d.get("asks", ())), held_stated=d.get("held_stated", False),
                 pairs=tuple(tuple(x) for x in d.get("pairs", ())),
                 held_other=d.get("held_other", ""),
                 holder=d.get("holder", ""), caller=d.get("caller", False),
                 own=(ids(o[0]), ids(o[1]), frozenset(o[2])) if (o := d.get("own")) else None,
                 earlier=(ids(e[0]), ids(e[1]), frozenset(e[2]), e[3], frozenset(e[4])) if (e := d.get("earlier")) else None,
                 last_articles=tuple(d.get("last_articles", ())), last_step=d.get("last_step", ""),
                 levels=tuple(d.get("levels", ())), last_topic=d.get("last_topic", ""), held_vague=d.get("held_vague", False),
                 last_changed=d.get("last_changed", ""),
                 aside=tuple((frozenset(i), frozenset(st)) for i, st in d.get("aside", ())),
                 person=d.get("person", ""),
                 people={n: (ids(h), ids(w), frozenset(st)) for n, (h, w, st) in d.get("people", {}).items()},
                 pending=Pending(p["slot"], list(p["choices"]), p["kind"], ids(p.get("held")), ids(p.get("wanted")),
                                 frozenset(p.get("asks", ())), frozenset(p.get("status", ())), p.get("asked", True)) if p else None)


@dataclass
class Situation:
    """What this turn is about, after the context policy."""
    held: frozenset | None
    wanted: frozenset | None
    kind: str
    status: frozenset = frozenset()
    trade: str | None = None
    inherited: bool = False
    asks: frozenset = frozenset()        # what is asked to skip: this turn's, or a follow-up's predecessor's
    level: object = None                 # the level asked about: this turn's, or a level follow-up's predecessor's
    held_stated: bool = False
    policy: str = ""                     # which rule of the policy decided (for logs and tests)
    keeps_state: bool = False            # an aside (off topic, a greeting): answered alone, the pair is kept
    own_held: frozenset | None = None    # the held one discussed, when another is set beside it ("跟拿低压证的一样吗")
    holds_each: bool = False             # the worker holds every one of the held certificates ("低压和高压都有")
    pairs: tuple = ()                    # pairs compared in one question ("X考Y跟Z考W一样吗"): (held id, wanted id)
    held_other: str = ""                 # the held certificate outside the notice, said earlier, for "那考建筑电工证呢"
    around: frozenset | None = None      # the held certificate(s) a topic question is asked around ("可报名参加哪一级别的认定,由谁组织?")
    topic_again: str = ""                # "外省认不认" then "那职业技能等级证书呢": the same topic, of the level certificate
    reask: tuple | None = None           # (slot, choices, kind) of our question, when the worker could not tell
    source: tuple = ()                   # "原话怎么说的" after an answer on these items: quote them
    opening: bool = False                # the conversation's first question
    after: tuple = ()                    # the items a clause-text answer just quoted ("电工呢" after "焊工互认在第几条")
    answered_before: bool = False        # the conversation has had an answer from the notice ("is it free?" then)
    followed: bool = False               # a held certificate or our question came before: "安监局2018年发的" restates it
    held_vague: bool = False             # the held one is a bare "电工证" said now or before, maybe none of the six
    items_before: tuple = ()             # the notice items the last answer quoted when it was not about a pair
    step_before: str = ""                # the step that gave the last answer ("trade_rules": "那电工呢" asks the same)
    nothing_asked: bool = False          # this turn answers our question about a turn that asked nothing ("我是住建发的证")
    notes: list[str] = field(default_factory=list)

    @property
    def compared(self) -> bool:
        """Another held certificate set beside the one discussed; its rule answers what is asked to skip."""
        return self.own_held is not None


# Answers about the notice's subject that stand on no item ("通知没有规定办理期限"): what follows them
# ("要交什么材料") is still asked of the notice.
ON_SUBJECT_WITHOUT_ITEMS = ("not_stated", "status", "consequence", "unmodelled", "where_to_apply")


def resolve(turn: Turn, state: State, catalog: CertificateCatalog, has_path=None) -> Situation:
    """Merge the turn with the state by the policy above; the state is updated to match.
    `has_path(held_id, wanted_id)` (the rules' table) settles which slot a follow-up certificate
    replaces when its department does not."""
    _back_to_earlier(turn, state, catalog)
    _caller_spoken_of(turn, state)
    _people_named_before(turn, state, catalog)
    _the_person_asked_about(turn, state)
    followed, asked_back = state.pending is not None or bool(state.held), state.pending.asks if state.pending else frozenset()
    for rule in (_answers_pending, _compared, _pair_beside_the_last, _levels_compared, _no_certificate, _level_follow_up,
                 _unmodelled_in_place, _elliptical, _fresh):
        sit = rule(turn, state, catalog, has_path)
        if sit is not None:
            sit.policy = rule.__name__.lstrip("_")
            sit.opening = not (state.last_step or state.pending or state.held or state.wanted)
            sit.after = state.last_articles if state.last_step == "article_text" else ()
            sit.step_before = state.last_step
            sit.items_before = state.last_articles if state.last_step in ("topic", "article_text", "retrieval", "duties") else ()
            if (state.last_topic and turn.elliptical and not turn.topic and not turn.known
                    and catalog.vocab.rx("level_certificate_word").search(turn.text)):
                sit.topic_again = state.last_topic
            sit.answered_before, sit.followed = bool(state.last_articles) or state.last_step in ON_SUBJECT_WITHOUT_ITEMS, followed
            # "那高压的呢" after "…还要培训吗?" asks the same thing of the new certificate.
            # ... but "那起码能报名吧" after "不用考就能拿高级工证吗" asks only whether one may apply.
            # ... and "能报焊工中级工认定吗", a level question of its own, asks only that
            applies = (sit.kind == "level" and (catalog.vocab.rx("apply_only").search(turn.text)
                                                or (turn.level and turn.level.asks and not turn.elliptical))
                       or bool(catalog.vocab.rx("which_target").search(turn.text)))   # "…到底有啥用": all it brings
            # ... and "我有个证能免考试吗?" -> which one? -> "住建的建筑焊工证,想考应急的…证" still asks that
            sit.asks = (turn.asks or (state.asks if sit.inherited and sit.kind == state.kind and not applies else frozenset())
                        or (asked_back if not catalog.vocab.rx("question_cue").search(turn.text) else frozenset()))
            # ... but "请提供相关条款原文" after "能否直接申报技师" asks for the clause, not the level again
            quoting = catalog.vocab.rx("source_ask").search(turn.text) and not turn.asks
            sit.level = turn.level or (_level_of(state.level, sit.held, catalog) if sit.inherited and sit.kind == "level" and not quoting else None)
            if turn.elliptical and turn.unmodelled and not (sit.held or sit.wanted) and state.kind == "level":
                sit.kind = "level"    # "持防爆电气作业操作证的呢?" after a level answer: asked of its level
            if not sit.keeps_state:
                _keep(turn, state, sit, catalog)
            return sit
    raise AssertionError("_fresh always decides")


def _back_to_earlier(turn: Turn, state: State, catalog: CertificateCatalog) -> None:
    """"回到刚才,那考核能免不" after a detour to another topic: the pair before it. So is "直接给技师(二级)行不行"
    right after "那是去哪类机构报名认定?", a topic asked around the held certificate."""
    level_again = state.last_step == "topic" and turn.level and not turn.names_certificate
    if state.earlier and not (state.held or state.wanted) and (
            catalog.vocab.rx("back_to_earlier").search(turn.text) or level_again):
        state.held, state.wanted, state.status, state.kind, state.asks = state.earlier


def _caller_spoken_of(turn: Turn, state: State) -> None:
    """"来电人持住建部门建筑焊工证,申请…" then "他问考试费能不能减免?": a helpline agent speaks of the caller, the
    applicant, as 他; only a person named otherwise ("他同事", "他爸") is someone else."""
    if turn.caller and turn.person != "other":
        state.caller = True
    elif turn.person == "self":
        state.caller = False      # the agent, or a worker, now speaks in the first person
    if state.caller and turn.person == "other" and turn.by_pronoun:
        turn.person = "self"
        turn.flags = turn.flags - {"third_party", "other_person"}
        turn.status = turn.status - {"other_person"}


def _people_named_before(turn: Turn, state: State, catalog: CertificateCatalog) -> None:
    """"我老公是建筑电工证,我儿子是熔化焊证…" then "那我儿子想考建筑焊工证呢": a relative (or the asker) whom an
    earlier message made one of several people is that person again."""
    if turn.names or not state.people:
        return
    again = [p for p in people_in(turn.text, catalog.vocab, kin=True) if p in state.people]
    if not again:
        # ... and "她那个考核也免吗" after "我老婆有低压证,我有熔化焊证": the one person 她 (or 他) can be
        said = catalog.vocab.rx("person.pronoun").search(turn.text)
        others = [p for p in state.people if p != "我"]
        women = [p for p in others if p in catalog.vocab.words("female_relatives")]
        one = women if said and said.group(0) == "她" and women else others if said else []
        # (only among several people, for one not already under discussion: "老罗的证吊销了…" "那他…" stays his)
        again = one if len(one) == 1 and len(state.people) > 1 and one[0] != state.person else []
    if again:
        # each of them asks of their own certificate, not of another's
        turn.names, turn.asked_name = tuple(dict.fromkeys(again)), again[-1]
        turn.person = state.holder = "self" if again[-1] == "我" else "other"
        _of_their_own(turn)


def _of_their_own(turn: Turn) -> None:
    """The person asked about holds the certificate applied with: "another person's certificate" does not apply."""
    turn.status, turn.flags = turn.status - {"other_person"}, turn.flags - {"other_person"}


def _the_person_asked_about(turn: Turn, state: State) -> None:
    """"小陈是高压的,低压的是小林": each named person's certificate is theirs; the question is about the one asked
    of (else the one under discussion, else the last named). Another person's certificate is set aside and kept
    for them; "那老孔呢" comes back to what was said of 老孔; a person named anew with a certificate of their own
    starts afresh (nothing said of the last person's certificate holds for theirs)."""
    if not turn.names:
        return
    for m in turn.mentions:
        if m.owner and m.kind in ("cert", "generic") and not (m.marked and m.role == "target"):
            state.people[m.owner] = (m.ids, None, frozenset())
    if turn.every_person:
        state.person = ""      # "他俩分别能免什么": each one's certificate is in the question
        for m in turn.mentions:
            if m.owner and m.role == "former" and m.certificate:
                m.role = "held"      # "我老婆有低压证,我有熔化焊证": hers was set aside as another's; it is hers
        _of_their_own(turn)
        return
    subject = turn.asked_name or (state.person if state.person in turn.names else turn.names[-1])
    for m in turn.mentions:
        if m.owner and m.owner != subject:
            m.role = "former"
    if any(m.owner == subject and m.role == "held" for m in turn.mentions):
        # "我老公有低压证想考建筑电工,我有建筑电工证…我能免什么": the asker's own is the one applied with
        _of_their_own(turn)
    if subject == state.person:
        return
    if state.person and state.held:
        state.people[state.person] = (state.held, state.wanted, state.status)
    if turn.role("held"):
        turn.fresh_start = True
    elif subject in state.people:
        # "我叔想考特种设备焊接证…" then "那我爸考同样这个证呢?": the one under discussion, unless his own was said
        held, wanted, state.status = state.people[subject]
        state.held, state.wanted = held, wanted or state.wanted
    else:
        state.held, state.status = None, frozenset()
    state.person = subject


def _keep(turn: Turn, state: State, sit: Situation, cat: CertificateCatalog) -> None:
    """The state takes what this turn settled."""
    # "我低压证被注销了,不过高压证…" then "那低压证还能拿来报中级工吗": what was said of it still holds
    said_aside = next((st for ids, st in state.aside if sit.held == ids), frozenset())
    if said_aside and not sit.status and not (turn.status or turn.flags & {"renewed", "another_person"} or turn.fresh_start):
        sit.status = said_aside
    # ... and "低压那个被吊销了。用低压证…" then "那用高压的呢": what was said of the one set aside is kept for it
    # (not "我还没证" said of another trade beside a certificate the worker said they hold: that one is still held)
    kept = state.status - {"other_person"} - ({"not_held"} if state.held_stated else set())
    left = ((state.held, kept),) if state.held and sit.held != state.held and kept else ()
    state.aside = tuple((ids, st) for ids, st in state.aside + left if ids != sit.held) + turn.statuses_aside
    _another_asks_too(turn, state, sit)
    _whose(turn, state, sit)
    sit.held_stated = (any(m.marked for m in turn.role("held")) or sit.policy == "answers_pending"
                       or (sit.inherited and sit.held == state.held and state.held_stated))
    _vague_held(turn, state, sit)
    held_new, wanted_new = sit.held != state.held, sit.wanted != state.wanted
    state.last_changed = "held" if held_new and not wanted_new else "target" if wanted_new and not held_new else ""
    state.held, state.wanted, state.status, state.kind = sit.held, sit.wanted, sit.status, sit.kind
    state.asks, state.level, state.held_stated = sit.asks, sit.level, sit.held_stated
    if sit.kind == "level" and sit.held and len(sit.held) == 1 and not sit.status:
        state.levels = (tuple(i for i in state.levels if i not in sit.held) + tuple(sit.held))[-3:]
    state.holds_each, state.pairs = sit.holds_each, sit.pairs
    if state.person:
        state.people[state.person] = (sit.held, sit.wanted, sit.status)
    _held_outside(turn, state, sit, cat)


def _vague_held(turn: Turn, state: State, sit: Situation) -> None:
    """"电工证能互认吗?" then "想去考建筑电工,要培训吗?": the held one is still any electrician's certificate, which
    may be none of the six, until the worker names it."""
    named = turn.role("held")
    if named or sit.policy == "answers_pending":
        state.held_vague = any(m.kind == "generic" and not m.department for m in named)
    elif sit.held != state.held:
        state.held_vague = False
    sit.held_vague = state.held_vague


def _held_outside(turn: Turn, state: State, sit: Situation, cat: CertificateCatalog) -> None:
    """"我持有香港机电署的电工牌照,来内地考低压电工证能免培训吗" then "那考建筑电工证呢": the held certificate is
    still the one outside the notice, until the worker names one of the six as held."""
    named = [m for m in turn.unmodelled if m.role == "held"]
    restated = cat.vocab.rx("issuer_restated").search(turn.text) if not turn.known and state.held else None
    if named and not turn.role("held"):
        state.held_other = named[0].text
    elif restated and len(state.held) == 1:
        # "低压证考建筑电工能免培训吗" then "他补充说这个证是人社局发的": not the 应急管理部门's certificate the
        # notice names, so the held one is now outside the notice
        held = cat.certs[next(iter(state.held))]
        state.held_other = sit.held_other = f"{held.short}({restated.group('who')})"
        state.held = sit.held = None
    elif sit.held:
        state.held_other = ""
    elif state.held_other and sit.wanted and not sit.held and (sit.inherited or not (turn.role("held") or turn.person == "other")):
        # ... and "我有熔化焊证,不过是英文的外国证" then "能免培训考建筑焊工吗": still asked of the foreign one
        sit.held_other = state.held_other


def _another_asks_too(turn: Turn, state: State, sit: Situation) -> None:
    """"低压电工证考建筑电工要培训吗" then "我朋友也能吗": a new person, whose certificate is not said; the
    rule depends on it, so it is asked rather than assumed to be the same one."""
    if (sit.inherited and sit.held and turn.person == "other" and not turn.by_pronoun and state.holder != "other"
            and not turn.role("held") and not turn.known and "other_person" not in turn.flags
            and not (turn.status or turn.other_status or turn.flags & {"obtained", "renewed"})):
        sit.held, sit.status = None, frozenset()
        state.holder = "other"


def _whose(turn: Turn, state: State, sit: Situation) -> None:
    """Whose certificate the held one is. "我爸有低压电工证" then "我考建筑电工证": the held certificate
    is the father's, so the worker holds none the notice can count; "我朋友的过期了,他能免吗" then
    "那我呢": back to the worker's own. "我爸有低压电工证,我能免培训吗" then "那我爸自己去考呢": the holder
    applies himself, so the certificate counts. "我师傅的证过期了" about the 师傅's certificate under
    discussion: that status holds."""
    if sit.inherited and turn.person == "other" and state.holder != "other" and turn.flags & {"obtained", "renewed"}:
        # "我低压电工考试没过…" then "我工友过了,拿到证了,他能免吗": the asker's status is not the coworker's
        sit.status = sit.status - {"failed", "not_yet", "not_held", "expired", "other_person"}
        state.holder = "other"
        return
    if sit.inherited and turn.person == "self" and "renewed" in turn.flags and state.holder == "other":
        # "我爸有低压电工证,我能拿他的证去免吗" then "那我自己考到低压电工证以后呢": the worker's own, once obtained
        sit.status = sit.status - {"other_person", "not_held", "not_yet"}
        state.holder = "self"
        return
    if turn.other_status and (state.holder == "other" or turn.person == "other") and (
            sit.held or sit.inherited or turn.level or turn.asks):      # "我弟还没考过任何证,能直接报中级工吗"
        sit.status = sit.status | turn.other_status
    if (sit.inherited and "other_person" in sit.status and turn.person and turn.person == state.holder
            and "other_person" not in turn.status):      # not "那我自己没证,能用他的证免吗"
        # "我爸有熔化焊证,我自己没证…" then "那他自己去考呢": the holder applies; the asker's 没证 is not his
        sit.status = sit.status - {"other_person", "not_held", "not_yet"}
        return
    if "other_person" in turn.status:
        state.holder = "other" if turn.others_hold else "self"
        return
    if sit.inherited and sit.held == state.held and turn.person and state.holder and turn.person != state.holder:
        if turn.person == "self" and state.own:
            sit.held, sit.wanted, sit.status = state.own
        else:
            sit.status = sit.status | {"other_person"}
        if turn.person == "other" and state.holder == "self":
            state.own = (state.held, state.wanted, state.status)
        return
    if turn.role("held") or (not sit.inherited and sit.held):
        if turn.person == "other" and state.holder == "self" and state.held:
            state.own = (state.held, state.wanted, state.status)
        state.holder = turn.person or ("other" if turn.others_hold else "")   # "帮我哥问 他有熔化焊证…我自己没证"


def _answers_pending(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    p = state.pending
    # ... and "2018年考的", "35": a number where we asked which certificate, so the question stands
    if p is not None and not (turn.known or turn.unmodelled) and (
            cat.vocab.rx("dont_know").search(turn.text) or cat.vocab.rx("not_an_answer").match(turn.text)):
        # "我也不知道是哪个": the question stands; ask it again, about what it was about.
        sit = _situation(turn, p.held, p.wanted, p.kind, p.status, cat, inherited=True)
        sit.reask = (p.slot, p.choices, p.kind)
        return sit
    chosen, by_name = _chosen(turn, state, p, cat) if p is not None else (frozenset(), False)
    if (p is not None and p.slot == "held" and p.kind == "recognition" and not turn.known and turn.unmodelled
            and not (turn.asks or turn.level and turn.level.asks or cat.vocab.rx("question_cue").search(turn.text))):
        # "电工证能免培训考建筑电工吗" -> which one? -> "劳动局发的中级电工证": one the notice does not name, held
        # for the same wanted certificate (its rule is the closest, not the level item)
        state.pending = None
        return _situation(turn, None, p.wanted, "recognition", p.status | turn.status, cat, inherited=True)
    if not chosen:
        return None
    state.pending = None
    before_held, before_wanted = (p.held, p.wanted) if (p.held or p.wanted) else (state.held, state.wanted)
    state.asks, state.kind = p.asks or state.asks, p.kind
    held, wanted = (chosen, before_wanted) if p.slot == "held" else (before_held, chosen)
    if p.slot == "held" and len(p.choices) == 2 and wanted and chosen <= frozenset(p.choices) and chosen & wanted:
        # "低压证和建筑电工证哪个能免培训?" -> which is held? -> "建筑电工证": the other one is the one wanted
        wanted = frozenset(p.choices) - chosen
    if p.slot == "wanted" and not chosen & frozenset(p.choices) and any(m.role == "held" and m.marked for m in turn.known):
        held, wanted = chosen, before_wanted     # "我是建筑焊工" to "你想申请哪个?": which one is held, the question stands
    status = p.status | state.status | turn.status
    if p.slot == "wanted":
        status -= {"not_held"}      # "我没有建筑焊工证" in answer to "你想申请哪个?": the one lacked is the one wanted
    sit = _situation(turn, held, wanted, p.kind, status, cat, inherited=True)
    sit.nothing_asked = not p.asked
    turn.questioned = turn.questioned or p.asked     # "我有证,能免啥" -> "电工证" -> "低压的": asked at the start
    # "低压和高压都有" holds each; "电工证" names three certificates, one of which is held
    both = cat.vocab.rx("holds_both").search(turn.text)      # "都有,住建的和市场监管的都有": each department's one
    sit.holds_each = (p.slot == "held" and len(chosen) > 1 and by_name
                      and all(m.kind == "cert" or (both and m.kind == "dept") for m in turn.known)
                      and not cat.vocab.rx("dont_know").search(turn.text))
    sit.pairs = _pairs_by_trade(held, wanted, cat)     # "老王是低压电工,小李是熔化焊" to "办建筑的证": a pair each
    return sit


def _a_question_of_its_own(known: list, p: Pending) -> bool:
    """"想考特种设备焊接证" to which one is held names what is wanted; "他们都有住建发的建筑焊工证,想考应急管理局的"
    to which one is wanted states the whole pair. Neither picks among our choices."""
    if p.slot == "held":
        return any(m.marked and m.role == "target" and m.kind != "site" for m in known)
    return (any(m.marked and m.role == "held" and m.kind == "cert" for m in known)
            and any(m.marked and m.role == "target" for m in known))


def _chosen(turn: Turn, state: State, p: Pending, cat: CertificateCatalog) -> tuple[frozenset, bool]:
    """Which of our choices the turn picks, and whether it named them; nothing when it is a question of its own.
    Only a pick or a name with no question of its own answers ("住建那个", "质监局发的,特种设备焊接那个");
    "高压电工证能评几级?" is new."""
    known = turn.known
    unsure = cat.vocab.rx("dont_know").search(turn.text)      # "我也不知道是哪的,就写着特种设备焊接操作人员"
    plain = known and not (turn.asks or turn.level or (cat.vocab.rx("question_cue").search(turn.text) and not unsure))
    pick = len(p.choices) if cat.vocab.rx("pick_last").search(turn.text) else turn.pick
    hinted = _hinted(turn, p, cat) if not known else frozenset()
    if p.slot == "held" and not (known or turn.unmodelled) and cat.vocab.rx("holds_both").match(turn.text.strip()) and len(turn.text) <= 8:
        return frozenset(p.choices), True     # "都有", "两个都有" in answer to which one is held: each of them
    if p.slot == "held" and (p.wanted or p.kind == "level") and not known and (person := next((n for n in turn.names if n in state.people), None)):
        return state.people[person][0], True    # "我说的是大刘": the certificate said of him
    if p.slot == "held" and known and all(m.kind == "dept" for m in known) and not turn.level:
        # "市场监管局发的,锅炉压力容器那种,能免啥" to which welder's one: the department picks it, whatever is asked;
        # "都有,住建的和市场监管的都有": each of those
        each = [frozenset(p.choices) & _ids(m, _trade(turn, state, cat), cat) for m in known]
        both = cat.vocab.rx("holds_both").search(turn.text)
        picked = frozenset().union(*each) if both else frozenset.intersection(*each)
        if picked and (len(picked) == 1 or both):
            return picked, True
    if turn.unmodelled or not (pick or hinted or (known and (turn.answer_like or plain))):
        return frozenset(), False
    if _a_question_of_its_own(known, p):
        return frozenset(), False
    named_ids = frozenset().union(*(m.ids for m in known if m.kind == "cert")) if known else frozenset()
    if pick and not named_ids:      # "第二个,是市场监管部门颁发的…证书": the name, when one is given, decides
        return (frozenset([p.choices[pick - 1]]) if 1 <= pick <= len(p.choices) else frozenset()), False
    if hinted:
        return hinted, False          # "特种设备的": a department hint alone picks among the choices offered
    named = [ids for ids in (_ids(m, _trade(turn, state, cat), cat) for m in known) if ids]
    # "证上写的是特种作业操作证…准操项目:低压电工作业": the general name and the one it narrows to are one certificate
    named = [ids for ids in named if not any(other < ids for other in named)]
    # "低压和高压都有": both are held; otherwise the names narrow one choice down ("住建那个,建筑电工")
    # ... and "具体高压低压我忘了": either of them, which the answer settles when they agree
    # ... and "老王是安监局的低压电工,小李是安监局的熔化焊": each person's own
    both = len(named) > 1 and (cat.vocab.rx("holds_both").search(turn.text) or unsure or turn.every_person)
    ids = (frozenset().union(*named) if both else frozenset.intersection(*named)) if named else frozenset()
    return (ids & frozenset(p.choices)) or ids, True


def _compared(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    """"跟拿低压证去考的人待遇一样吗" after 高压→建筑电工: the certificate named for comparison is set beside
    the held one, for the same wanted certificate; the answer compares the two."""
    named = [m for m in turn.role("compare") if m.certificate]
    if not (turn.compare_paths and named and not turn.known and not turn.unmodelled
            and state.held and state.wanted and state.kind == "recognition"):
        return None
    held = state.held | frozenset().union(*(_ids(m, _trade(turn, state, cat), cat) for m in named))
    sit = _situation(turn, held, state.wanted, "recognition", state.status, cat, inherited=True)
    sit.own_held = state.held if held != state.held else None
    return sit if sit.compared else None


def _hinted(turn: Turn, p: Pending, cat: CertificateCatalog) -> frozenset:
    """The choices whose department a hint word names, when the reply is only that ("特种设备的", "工地那个")."""
    depts = {dept for word, dept in cat.vocab.department_hints.items() if word in turn.text}
    rest = turn.text
    for word in cat.vocab.department_hints:
        rest = rest.replace(word, "")
    if not depts or len(re.sub(f"[{re.escape(cat.vocab.fillers['answer'])},。.!?\\s]", "", rest)) > 2:
        return frozenset()
    return frozenset(c for c in p.choices if cat.certs[c].department in depts)


def _no_certificate(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    if turn.names_certificate:
        return None
    # "在哪报名" right after a pair is about applying for that pair, not the notice's topic of level assessment.
    where = turn.where_to_apply and state.kind == "recognition" and state.held and state.wanted
    # "请提供条款原文及文号", "这是第几条规定的": the pair's clause, with its number
    source = cat.vocab.rx("source_ask").search(turn.text) or cat.vocab.rx("which_clause").search(turn.text)
    about_pair = (state.held or state.wanted) is not None and not (
        (turn.topic and not where) or (turn.metadata and not source) or turn.off_topic or turn.greeting or turn.illegal
        or turn.consequence == "new_certificate")
    # "能免啥", "原文是怎么写的": asked of the pair just discussed
    of_the_pair = cat.vocab.rx("open_question").search(turn.text) or source
    # ... and "不好意思我看错了,还有一年才到期" lifts a status said before; "哪个免得多" compares the pair's again
    lifts = turn.flags & {"renewed", "obtained"} and state.status
    continues = about_pair and (turn.elliptical or turn.refers_back or turn.asks or turn.status or turn.level or lifts
                                or turn.flags - {"renewed"} or turn.consequence or where or of_the_pair or turn.compare_paths)
    if not continues:
        sit = _situation(turn, None, None, "level" if turn.level else "", turn.status, cat)
        short_follow_up = (len(turn.text) <= 12 and cat.vocab.rx("question_cue").search(turn.text)
                           # "没有自建网站的呢?", "那个网站是哪个部门的?" after a topic's answer: asked of that item
                           and (turn.domain or ((turn.elliptical or cat.vocab.rx("points_back").match(turn.text))
                                                and state.last_step == "topic"))
                           and not (state.held or turn.asks or turn.level or turn.flags))
        if (source or short_follow_up) and not (turn.topic or turn.metadata):
            sit.source = state.last_articles      # "通知里原话怎么说的", "适用所有证书吗" after an answer on that item
        # An aside ("帮我写首诗") is answered alone but does not end the certificate conversation. A new
        # topic does; the pair is kept aside for a worker who says "回到刚才".
        sit.keeps_state = not turn.domain or turn.greeting or turn.off_topic
        sit.around = state.held if turn.topic else None
        if not sit.keeps_state and (state.held or state.wanted):
            state.earlier = (state.held, state.wanted, state.status, state.kind, state.asks)
        return sit
    held, wanted = _continued_pair(turn, state, cat)
    kind = "level" if turn.level and not turn.asks else "recognition" if turn.asks and not turn.level else state.kind
    status = _kept_status(turn, state) | turn.status
    if kind == "level" and state.wanted and cat.vocab.rx("after_obtaining").search(turn.text):
        held, wanted, status = state.wanted, None, frozenset()   # "拿到以后能报几级": the certificate being applied for
    sit = _situation(turn, held, wanted, kind, status, cat, inherited=True)
    _each_held_kept(sit, state, cat)
    return sit


def _each_held_kept(sit: Situation, state: State, cat: CertificateCatalog) -> None:
    """"我同时有低压证和熔焊证…" then "都能报中级吗": still each of them; "老王是低压电工,小李是熔化焊" (for the
    construction certificates) then "那考核呢": still a pair each."""
    sit.holds_each = state.holds_each and sit.held == state.held
    same = (sit.held, sit.wanted) == (state.held, state.wanted)
    sit.pairs = state.pairs if same else _pairs_by_trade(sit.held, sit.wanted, cat) if sit.holds_each else ()


def _continued_pair(turn: Turn, state: State, cat: CertificateCatalog) -> tuple:
    """The pair a follow-up with no certificate of its own asks about: "反过来呢" swaps it; "那这个证能换啥" keeps
    only the held one; "我有高压证和特种设备焊接证…" then "这两个证之间能不能互相免培训" pairs the two."""
    held, wanted = (state.wanted, state.held) if turn.reverse else (state.held, state.wanted)
    if held and cat.vocab.rx("which_target").search(turn.text):
        wanted = None
    if held and len(held) == 2 and not wanted and turn.asks and cat.vocab.rx("mutual").search(turn.text):
        a, b = sorted(held)
        held, wanted = frozenset([a]), frozenset([b])
    if held and state.kind == "level" and not turn.asks and turn.compare_paths:
        # "高压电工证算几级" then "跟低压的一样吗": each one's level, side by side
        held = held | frozenset().union(*(m.ids for m in turn.role("compare") if m.kind == "cert"))
    # "那我师傅的呢": someone newly named, whose certificate is not said ("那他…" speaks of the one before)
    named = any(m.group(0)[:1] not in "他她" for m in cat.vocab.rx("person.other").finditer(turn.text))
    if turn.elliptical and turn.person == "other" and state.holder != "other" and named and not turn.refers_back:
        held = None
    return held, wanted


def _pair_beside_the_last(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    """"建筑电工证考低压电工证能免培训吗" then "那跟低压考建筑电工免的一样吗": a new pair set beside the one
    discussed; the answer gives each pair's rule."""
    named = [m for m in turn.mentions if m.kind == "cert" and m.role in ("compare", "held", "target")]
    set_beside = bool(named) and (named[0].role == "compare"      # "那跟建筑焊工证考熔化焊接与热切割比,哪个免得多"
                                  or cat.vocab.compare_before.search(turn.text[max(0, named[0].start - 4):named[0].start]))
    if not (turn.compare_paths and len(named) == 2 and state.held and state.wanted and len(state.held) == len(state.wanted) == 1
            and set_beside and named[1].role == "target" and len(named[0].ids) == len(named[1].ids) == 1
            and cat.vocab.rx("goes_to_apply").match(turn.text[named[0].end:named[1].start])):
        return None
    new = (next(iter(named[0].ids)), next(iter(named[1].ids)))
    last = (next(iter(state.held)), next(iter(state.wanted)))
    sit = _situation(turn, frozenset({last[0], new[0]}), frozenset({last[1], new[1]}), "recognition", state.status, cat,
                     inherited=True)
    sit.pairs = (last, new)
    return sit


def _levels_compared(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    """"熔化焊接证算几级" then "特种设备焊接证呢" then "这两个哪个更高": the last two certificates whose level was
    given, each with its level. "两个证都有的话,能直接报高级工吗" after them: the one asker holds both."""
    both = turn.level and cat.vocab.rx("holds_both").search(turn.text)
    if turn.names_certificate or len(state.levels) < 2 or not (cat.vocab.rx("which_higher").search(turn.text) or both):
        return None
    sit = _situation(turn, frozenset(state.levels[-2:]), None, "level", frozenset(), cat, inherited=True)
    sit.holds_each = True
    return sit


def _level_follow_up(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    """"高压电工证和特种设备焊工证都视同中级吗" then "那低压跟熔化焊呢": certificates named together in a follow-up
    to a level answer are each asked the same, not paired as held and wanted."""
    named = [m for m in turn.known if m.kind == "cert"]
    if not (turn.elliptical and state.kind == "level" and len(named) > 1 and not turn.asks and not turn.unmodelled
            and not any(m.marked and m.role == "target" for m in named)):
        return None
    sit = _situation(turn, frozenset().union(*(m.ids for m in named)), None, "level", turn.status, cat, inherited=True)
    sit.holds_each = True
    return sit


def _unmodelled_in_place(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    """"叉车证能免建筑电工的培训吗" then "那电梯证呢": another certificate the notice does not name, held in the last
    one's place; the wanted one stays for "那应急局的高压电工证呢"."""
    if not (turn.elliptical and not turn.known and len(turn.unmodelled) == 1 and state.wanted and state.kind == "recognition"):
        return None
    if turn.unmodelled[0].role == "target" and turn.unmodelled[0].marked:
        return None
    return _situation(turn, None, state.wanted, "recognition", turn.status, cat, inherited=True)


def _elliptical(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation | None:
    known = turn.known
    # "那高压的呢?我还有个应急发的高压电工证": one certificate, named twice
    if not (turn.elliptical and len({m.ids or m.text for m in known}) == 1 and not turn.unmodelled
            and (state.held or state.wanted)):
        return None
    m = known[-1]
    new = _of_the_trade_held(turn, m, _ids(m, _trade(turn, state, cat), cat), state)
    if turn.reverse and state.held and state.wanted and (new <= state.held or new <= state.wanted):
        # "那反过来呢 特种设备的去考熔化焊": the one named is one of the pair, in the reversed pair
        return _situation(turn, state.wanted, state.held, "recognition", turn.status, cat, inherited=True)
    slot = _slot_in_place(turn, m, new, state, cat, has_path)
    if slot == "either":
        # Both slots together: the recognition step finds the outcomes differ and asks which is held.
        held, wanted, status = (state.held or frozenset()) | new, (state.wanted or frozenset()) | new, state.status
    elif slot == "held":     # "那他高压证还算中级工吗" after "老罗的高压电工证被吊销了": named again, still revoked
        held, wanted, status = new, state.wanted, _status_named_again(turn, state, new)
    else:     # "要是我去把复审弄好了,证恢复有效了,再考建筑电工呢": a renewal lifts what was said of the held one
        held, wanted, status = state.held, new, _kept_status(turn, state) | turn.status
    if held and wanted and held == wanted and state.held and slot != "held":
        held = state.held
    if slot == "held" and cat.vocab.rx("which_target").search(turn.text):
        wanted = None     # "那建筑焊工证能换啥": what it brings, not the wanted one of the last question
    # "反过来,有电工中级工等级证书能换高压电工证吗": a level named in a certificate's name asks no level
    asks_level = turn.level and (turn.level.asks or slot != "target")
    another = cat.vocab.rx("obtain_another").search(turn.text)     # "那我要是再考下高压电工作业证呢?" after a level
    kind = "level" if asks_level or (state.kind == "level" and not turn.asks and (wanted is None or another)) else "recognition"
    if kind == "level" and slot == "target" and (another or cat.vocab.rx("after_obtaining").search(turn.text) or not held):
        # "那我去考个低压电工证呢,考到以后算几级": the one being obtained; "那熔化焊作业证能算焊工几级": the one named
        held, status = new, turn.status
    if kind == "level":
        wanted = None
    sit = _situation(turn, held, wanted, kind, status, cat, inherited=True)
    # "我有低压电工证和熔化焊证" … "那建筑焊工呢": still holds each of them, so the welder's one applies
    sit.holds_each = state.holds_each and held == state.held
    return sit


def _level_of(level, held, cat: CertificateCatalog):
    """The level asked before, of the certificate now: "焊工呢" after "电工几级" asks the welder's level."""
    if level and level.occupation and held and all(cat.certs[i].trade != level.occupation for i in held):
        return replace(level, occupation=None)
    return level


def _of_the_trade_held(turn: Turn, m, new: frozenset, state: State) -> frozenset:
    """A trade named in a level follow-up is the worker's certificate of that trade: "那我电工这边也能报高级工吗"
    after the 低压 one's level is that one; "焊工呢" after "我有低压、建筑电工和锅炉压力容器焊工证,电工几级" is
    the welder's one they hold."""
    if m.kind != "generic" or state.kind != "level" or len({x.trade for x in turn.mentions if x.trade}) > 1:
        return new      # (not "那能分别报电工、焊工的中级工吗", both trades)
    asked = [i for i in state.levels if i in new]
    mine = new & state.held if state.held and state.held_stated else frozenset()
    return frozenset(asked) if len(asked) == 1 else mine or new


def _slot_in_place(turn: Turn, m, new: frozenset, state: State, cat: CertificateCatalog, has_path=None) -> str:
    """Which slot the one certificate of a follow-up takes: its marker's, else the one it resembles, unless the
    turn says otherwise."""
    # "换成高压的呢" substitutes by resemblance; "要是考X呢" still names X as wanted.
    by_marker = m.marked and m.role in ("held", "target") and m.marker not in cat.vocab.substitute_markers
    slot = m.role if by_marker else _resembles(new, state, cat, has_path)
    slot = "held" if cat.vocab.rx("owner_before").search(turn.text[:m.start]) else slot   # "要是他那个是市场监管的呢"
    if not by_marker and state.wanted and cat.vocab.rx("held_subject_after").match(turn.text[m.end:]):
        slot = "held"     # "X能换Y吗" then "那Z可以吗" / "那Z去呢": Z is what goes to apply, in X's place
    # "是应急局的熔化焊" then "说错了,是市场监管局的": what was just said is taken back, unless the correction
    # itself names the role ("哦不对,我其实想考的是…")
    takes_back = (cat.vocab.rx("self_correction.before").search(turn.text[:m.start])
                  or cat.vocab.rx("correction_opening").match(turn.text))
    if state.last_changed and not turn.corrected and not by_marker and takes_back:
        slot = state.last_changed
        if turn.level and state.held:
            slot = "held"     # "不对,我说错了,是低压的证,那算几级": a level is asked only of what is held
    for c in turn.corrected:     # "不是低压,是高压": the new one takes the corrected one's slot
        ids = _ids(c, _trade(turn, state, cat), cat)
        slot = "held" if state.held and ids <= state.held else "target" if state.wanted and ids <= state.wanted else slot
    if "renewed" in turn.flags and state.held and new <= state.held:
        slot = "held"     # "我的低压证吊销了…" then "那我要是重新考下来一个有效的低压电工证呢": the held one, renewed
    # "质监局发的那个" (what is held, in answer to us) then "那要是应急的熔化焊接证呢": another guess at what is held
    if (not by_marker and slot != "held" and state.last_changed == "held" and state.wanted
            and cat.vocab.rx("supposing").search(turn.text[:m.start])):
        slot = "held"     # ... even when that guess has no rule: "no rule" is safer than reading it as a new wanted one
    if state.last_step == "trade_rules" and not by_marker:
        slot = "held"     # "焊工证互认有哪几种情况" then "那电工呢": the rules of another trade's certificates
    if slot == "either" and "fire_exam" in state.asks:
        slot = "held"     # "建筑焊工证去考特种设备焊工证,能免动火作业那门不" then "那要是熔化焊证呢": 动火 belongs to the wanted one
    if new == state.held and cat.vocab.rx("which_target").search(turn.text):
        slot = "held"     # "那高压证按通知到底有啥用": what the one held brings, not the pair asked before
    return slot


def _resembles(new: frozenset, state: State, cat: CertificateCatalog, has_path=None) -> str:
    """Which slot a lone follow-up certificate replaces ("那高压的呢", "那建筑电工呢"): the one from the
    same department; when it is like neither, the one that makes a pair the notice provides for; when
    both or neither do, the wanted one — what the worker holds is a fact, what they might apply for
    is the open choice."""
    # "想考焊工证" then "熔化焊接与热切割的": one of a vague name's certificates narrows that slot
    if state.wanted and new < state.wanted and not (state.held and new <= state.held):
        return "target"
    if state.held and new < state.held and not (state.wanted and new <= state.wanted):
        return "held"
    depts = {cat.certs[i].department for i in new}
    wanted_depts = {cat.certs[i].department for i in state.wanted or ()}
    held_depts = {cat.certs[i].department for i in state.held or ()}
    if state.wanted and depts <= wanted_depts and not depts <= held_depts:
        return "target"
    if state.held and depts <= held_depts and not depts <= wanted_depts:
        return "held"
    if has_path and state.held and state.wanted:
        as_target = any(has_path(h, n) for h in state.held for n in new)
        as_held = any(has_path(n, w) for n in new for w in state.wanted)
        if as_held and not as_target and not state.held_stated:
            # "那特种设备焊工证的呢,理论能免吗", "换成建筑焊工证呢?" (three blind authors read these as the held one
            # replaced; one read the bare "那建筑焊工呢" as the wanted one: DISPUTED r97-081)
            return "held"     # never in place of a certificate the worker said they hold ("我有市场监管局的焊工证")
        if as_held and as_target and not state.held_stated:
            # "建筑焊工证能免考特种设备焊接证的啥吗" -> "那熔化焊的呢": a path either way, and the worker never
            # said which they hold, so ask. After "我有高压电工证" the held one is a fact.
            return "either"
    if state.held and not state.wanted and not state.held_stated and not {cat.certs[i].trade for i in new} & {
            cat.certs[i].trade for i in state.held}:
        return "held"     # "电工证的互认是哪几个证书之间" then "焊工呢": the same question of the other trade
    if state.held and state.kind != "level":
        return "target"
    return "held"


def _fresh(turn: Turn, state: State, cat: CertificateCatalog, has_path=None) -> Situation:
    trade = _trade(turn, state if _by_departments_only(turn) else None, cat)
    if lacked := _lacked_is_wanted(turn, state, cat, trade):
        return lacked
    held_m, wanted_m, obtaining = _level_roles(turn, cat)
    held, wanted = _union(held_m, trade, cat), _union(wanted_m, trade, cat)
    kind = _kind_of_fresh(turn, state, held, obtaining, cat)
    if kind == "level":
        wanted = None
    held, wanted = _by_reference(turn, state, *_restates_the_pair(turn, state, held, wanted, kind, cat), kind, cat)
    own = held
    held, compared = _with_compared(turn, held, wanted, kind, cat)
    status, inherited = _status_named_again(turn, state, held), _by_departments_again(turn, state, held, wanted)
    if (held and held == state.held and wanted is None and state.wanted and kind == "recognition"
            # ... and "补充:其建筑焊工证已过期两年,是否仍适用?", the caller's own; not "我朋友的X过期了"
            and (turn.asks or "renewed" in turn.flags or (turn.status and turn.person != "other"
                                                          and not turn.status & {"other_person"}))):
        # "过期了,还能免建筑电工培训吗" then "我重新考了一本低压电工作业证,有效的,现在能免了吗": the same pair
        wanted, inherited = state.wanted, True
    if held and wanted is None and (more := _one_more_held(turn, state, held, kind, cat)):
        return more
    if held is None and wanted and state.held and turn.refers_back and kind == "recognition":
        held, status, inherited = state.held, state.status | turn.status, True   # "能否凭该证申请…"
    # "我有低压电工证。" then "想考建筑电工证,要培训吗?": the second completes the first.
    # ... and "我有熔化焊证,想考建筑焊工" then "考建筑焊工要培训吗": the same wanted one, asked again.
    # ... and "算了,我想考个低压的,能免培训不": a change of mind about the wanted one keeps the held one.
    # ... and "咨询四:申请建筑焊工证是否有相应减免?" from the one who said what they hold: asked of that one.
    said_held = (state.held_stated and turn.person != "other" and (turn.asks or cat.vocab.rx("waiver_word").search(turn.text))
                 or state.person in turn.names or (turn.by_pronoun and (state.holder == "other" or bool(state.people))))   # "我老公要是想考高压电工证呢", "那他们去工地办…呢": theirs, said before
    if (held is None and wanted and kind == "recognition" and state.held and not turn.unmodelled
            and (state.wanted in (None, wanted) or cat.vocab.rx("mind_change").search(turn.text) or said_held)):
        held, status, inherited = state.held, _kept_status(turn, state) | turn.status, True
        sit = _situation(turn, held, wanted, kind, status, cat, inherited=inherited)
        sit.holds_each = state.holds_each      # "我有两个,熔化焊和建筑焊工" then "想考特种设备焊接证"
        return sit
    sit = _situation(turn, held, wanted, kind, status, cat, inherited=inherited)
    sit.own_held = own if compared else None
    sit.pairs = tuple((next(iter(h)), next(iter(w))) for h, w in turn.pairs if len(h) == len(w) == 1) or _pairs_of_people(turn) or _pairs_by_trade(held, wanted, cat)
    sit.holds_each = len([m for m in turn.role("held") if m.kind == "cert" and m.marked]) > 1 and len(turn.names) < 2   # "我同时有低压证和熔焊证", not two people's
    return sit


def _by_reference(turn: Turn, state: State, held, wanted, kind: str, cat: CertificateCatalog) -> tuple:
    """Certificates named by reference. "老钱有低压电工证,小孙有高压电工证,他俩想互相考对方那个证": two certificates
    and each wants the other; the pair is taken one way and the recognition step answers both ways, as for "这两个证
    能不能互相免". "电工那两个证加一起能不能报高级工" after the worker said which they hold: a trade's level asked of
    their own certificates of that trade."""
    if (kind == "recognition" and held and len(held) == 2 and not wanted and cat.vocab.rx("mutual").search(turn.text)
            and not cat.vocab.rx("one_of_them").search(turn.text)):     # not "他想考对方那种证": which of them is asked
        a, b = sorted(held)
        return frozenset([a]), frozenset([b])
    named = turn.role("held")
    if (kind == "level" and held and named and all(m.kind == "generic" for m in named) and state.held_stated
            and state.held and held & state.held):
        return held & state.held, wanted
    return held, wanted


def _pairs_of_people(turn: Turn) -> tuple:
    """"老王有高压证想考建筑电工,小李有建筑电工证想考低压电工,他俩都能免培训吗": each person's own pair, when each
    of two or more people holds one certificate and wants one."""
    if not turn.every_person:
        return ()
    own = [[[m for m in turn.mentions if m.owner == n and m.certificate and len(m.ids) == 1 and m.role == r]
            for r in ("held", "target")] for n in turn.names]
    # "老王、老刘都是低压电工证,老王想考建筑电工证,老刘想考高压证": the one said of them all is each one's
    shared = [m for m in turn.mentions if not m.owner and m.certificate and len(m.ids) == 1 and m.role == "held"]
    own = [(h or (shared if len(shared) == 1 else []), w) for h, w in own]
    pairs = [(next(iter(h[0].ids)), next(iter(w[0].ids))) for h, w in own if len(h) == len(w) == 1]
    return tuple(pairs) if len(pairs) == len(turn.names) > 1 else ()


def _pairs_by_trade(held, wanted, cat: CertificateCatalog) -> tuple:
    """"电工是住建的建筑电工 焊工是市场监管的特种设备焊接 我想考应急局的低压电工和熔化焊": one pair per trade, when
    each trade has one held and one wanted certificate."""
    if not (held and wanted and len(held) == len(wanted) > 1):
        return ()
    trades = {cat.certs[i].trade for i in held}
    if len(trades) != len(held) or trades != {cat.certs[i].trade for i in wanted}:
        return ()
    of = lambda ids, trade: next(i for i in ids if cat.certs[i].trade == trade)    # noqa: E731
    return tuple((of(held, t), of(wanted, t)) for t in sorted(trades))


def _kind_of_fresh(turn: Turn, state: State, held, obtaining, cat: CertificateCatalog) -> str:
    # "我有低压电工证,能算几级" then "我还有个高压的": the level of the one added
    levels_go_on = state.kind == "level" and not turn.asks and cat.vocab.rx("also_holds").search(turn.text)
    # ... and "我有电工进网作业许可证,能视同初级工吗": a level asked of a certificate the notice does not name
    outside_held = turn.level and turn.level.asks and not held and any(m.role == "held" for m in turn.unmodelled)
    level = ((turn.level or levels_go_on) and held and (obtaining or not _names_wanted(turn))) or outside_held
    return "level" if level else "recognition"


def _status_named_again(turn: Turn, state: State, held) -> frozenset:
    """"我的低压证被吊销了" still holds when the 低压证 is named again, by the same person; not once it is renewed,
    not for another caller's, and not for "我自己也考下来了X" after "我爸有X"."""
    # ... and "老罗的高压证被吊销了…" then "那他高压证还算中级工吗": 他 is the person already spoken of
    # (not "我爸有熔焊证,我能用吗" then "那我爸自己拿他的证去考呢": that status was the asker's use of another's)
    same_other = ((state.person or state.holder == "other") and not turn.names and turn.person != "self"
                  and "other_person" not in state.status)
    lifted = {"renewed", "another_person"} | (set() if same_other else {"third_party"})
    if (held and held == state.held and not turn.status and not turn.flags & lifted
            and not (turn.person == "self" and state.holder == "other") and not turn.fresh_start):
        return state.status
    return turn.status


def _kept_status(turn: Turn, state: State) -> frozenset:
    """What was said of the held certificate still holds, unless lifted ("我同事的没过期,他考熔化焊能免啥")."""
    # ... and "另一来电人持…" is someone else, whose certificate the first one's status says nothing of
    # ... and "证下来了,现在能免吗" after "还没下来": the worker's own, now obtained
    obtained = "obtained" in turn.flags and turn.person != "other"
    return frozenset() if turn.flags & {"renewed", "another_person"} or turn.fresh_start or obtained else state.status


def _restates_the_pair(turn: Turn, state: State, held, wanted, kind: str, cat: CertificateCatalog) -> tuple:
    """A turn that only restates the pair under discussion keeps it: "我们这个是安监局2018年发的,一直复审" (the
    held one's department), "那个低压电工的考试能免吗" (the wanted one's exam), "外地住建发的证在四川应急那边也认吗"
    (both by their departments)."""
    named, targets = turn.role("held"), turn.role("target")
    issuers = {cat.certs[i].department for i in held or ()}
    if held and targets and all(m.kind == "dept" and not m.marked and m.department in issuers for m in targets):
        wanted = None      # "那特种设备焊接证呢?同样是市场监管部门发的": who issued it, not a certificate wanted
    by_department = bool(named) and all(m.kind == "dept" for m in named) and bool(state.held) and state.held <= held
    if kind == "level" and by_department and len(state.held) > 1:
        return state.held, wanted     # "这两个应急的证各视同几级": the two held, named by their department
    if not (state.held and state.wanted and kind == "recognition" and held):
        return held, wanted
    if wanted is not None:
        by_departments = by_department and all(m.kind == "dept" for m in targets) and state.wanted <= wanted
        return (state.held, state.wanted) if by_departments else (held, wanted)
    exam_of_wanted = held == state.wanted and all(
        cat.vocab.rx("exam_after_name").match(turn.text[m.end:]) for m in named)
    return (state.held, state.wanted) if by_department or exam_of_wanted else (held, wanted)


def _by_departments_again(turn: Turn, state: State, held, wanted) -> bool:
    """"外地住建发的证在四川应急那边也认吗": the pair under discussion, named again by its two departments only."""
    return bool(held and wanted) and (held, wanted) == (state.held, state.wanted) and all(
        m.kind == "dept" for m in turn.known)


def _lacked_is_wanted(turn: Turn, state: State, cat: CertificateCatalog, trade) -> Situation | None:
    """"我有熔化焊证" then "我没有建筑焊工证": the one lacked is the one to get, not a denial of the first."""
    held_m = turn.role("held")
    lacked = [m for m in held_m if m.negated]
    if not (lacked and len(lacked) == len(held_m) and not turn.role("target") and state.held and not state.wanted
            and not turn.level):
        return None
    ids = _union(lacked, trade, cat)
    if ids and not ids & state.held:
        return _situation(turn, state.held, ids, "recognition", state.status, cat, inherited=True)
    return None


def _level_roles(turn: Turn, cat: CertificateCatalog) -> tuple[list, list, bool]:
    """The held and wanted mentions, and whether the held one is still being obtained. In a level question
    every certificate not explicitly wanted is one the worker holds ("我有两个证 一个低压电工 一个建筑电工
    能算几级"); "去考个低压电工证,考到以后算几级" asks of the one being obtained."""
    held_m, wanted_m = turn.role("held"), turn.role("target")
    if not turn.level:
        return held_m, wanted_m, False
    held_m, wanted_m = held_m + [m for m in wanted_m if not m.marked], [m for m in wanted_m if m.marked]
    if cat.vocab.rx("after_obtaining").search(turn.text) and wanted_m and (not held_m or cat.vocab.rx("holds_both").search(turn.text)):
        # ... and "先考建筑电工再考低压,等两个都有了…能报高级工吗": every one of them, once obtained
        return held_m + wanted_m, [], True
    return held_m, wanted_m, False


def _with_compared(turn: Turn, held, wanted, kind: str, cat: CertificateCatalog) -> tuple:
    """"高压电工证去考建筑电工,跟低压电工证的待遇一样吗": the certificate set beside the held one is answered
    too. One compared as the wanted ("跟考低压的时候一样吗") is not held."""
    named = [m for m in turn.role("compare") if m.kind == "cert"
             and not any(turn.text[:m.start].endswith(w) for w, r in cat.vocab.markers if r == "target")
             and not cat.vocab.rx("applying_after_name").match(turn.text[m.end:])]    # "跟特种设备焊工证考的时候一样吗"
    if not (turn.compare_paths and named and held and wanted and kind == "recognition"):
        return held, False
    more = frozenset().union(*(m.ids for m in named)) - wanted
    return (held | more, True) if more - held else (held, False)


def _one_more_held(turn: Turn, state: State, held: frozenset, kind: str, cat: CertificateCatalog) -> Situation | None:
    """"来电人补充:其同时持有…熔化焊接与热切割作业证": one more held certificate for the same wanted one. Asked its
    own level ("我还有个高压的" after a level), it is that one's; "他还有一张熔化焊证,两个证加在一起能不能直接算
    高级工" holds both."""
    together = cat.vocab.rx("holds_both").search(turn.text) or cat.vocab.flags["combine"].search(turn.text)
    if (kind == "level" and not together) or not (
            (state.wanted or state.kind == "level") and cat.vocab.rx("also_holds").search(turn.text)):
        return None
    kind = "recognition" if state.wanted else "level"     # "我还有个高压的" after "我有低压电工证,能算几级"
    sit = _situation(turn, (state.held or frozenset()) | held, state.wanted, kind, state.status | turn.status, cat,
                     inherited=True)
    sit.holds_each = True
    return sit


def _names_wanted(turn: Turn) -> bool:
    return any(m.kind in ("cert", "dept") and m.marked for m in turn.role("target"))


def _situation(turn, held, wanted, kind, status, cat, inherited=False) -> Situation:
    trades = {cat.certs[i].trade for s in (held, wanted) if s for i in s}
    return Situation(held=held or None, wanted=wanted or None, kind=kind, status=frozenset(status),
                     trade=next(iter(trades)) if len(trades) == 1 else None, inherited=inherited)


def _by_departments_only(turn: Turn) -> bool:
    """"那质监的考安监的呢" after welders' certificates: departments only, of the trade under discussion."""
    return turn.elliptical and bool(turn.known) and all(m.kind == "dept" for m in turn.known)


def _trade(turn: Turn, state: State | None, cat: CertificateCatalog) -> str | None:
    trades = {m.trade for m in turn.known if m.trade}
    if not trades and state is not None:
        trades = {cat.certs[i].trade for s in (state.held, state.wanted) if s for i in s}
    return next(iter(trades)) if len(trades) == 1 else None


def _ids(m: Mention, trade: str | None, cat: CertificateCatalog) -> frozenset:
    if m.kind in ("cert", "generic"):
        return m.ids or cat.by_trade_and_department(m.trade, m.department)
    # "建筑电工证能换质监局的证吗": no electrician certificate of 市场监管, so the department's own one
    return cat.by_trade_and_department(trade, m.department) or cat.by_trade_and_department(None, m.department)


def _union(mentions: list[Mention], trade, cat) -> frozenset | None:
    specific = {m.trade for m in mentions if m.kind == "cert"}
    # "应急管理局的焊工证,熔化焊接那个": the vaguer mention restates the specific one.
    kept = [m for m in mentions if not (m.kind in ("generic", "dept", "site") and specific and m.trade in specific | {None})]
    ids = frozenset().union(*(_ids(m, trade, cat) for m in kept)) if kept else frozenset()
    return ids or None
