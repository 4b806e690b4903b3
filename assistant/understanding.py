"""What one turn says, before any context: the `Turn`.

`understand` reads a normalised question into a Turn: the certificates it names and
their roles (entities.find_mentions), whether it asks about a skill level, what it asks
to skip (training, theory, practical, every exam), the worker's own status (没有, 还没拿到,
没考过, 吊销, 我爸有…), flags (fee, deadline…), a notice topic or metadata, and the cues
that make it a follow-up (那…呢, 反过来, 换成X, a bare pick). Nothing here looks at earlier
turns: that is context.py's job, in one place.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .entities import CertificateCatalog, Mention, clause_bounds, find_mentions
from .people import named_people, statuses_by_person
from .vocabulary import Vocabulary


@dataclass(frozen=True)
class LevelAsk:
    rank: int | None          # the level named ("高级工" -> 3), if any
    equivalent: bool          # "算/视同 高级工" (is it) rather than "报 高级工" (may I apply)
    asks: bool                # asks about one's own level (几级, 算, 能报…), not where to apply
    occupation: str | None    # "焊工" in "低压电工证能报焊工中级工吗"


@dataclass
class Turn:
    text: str
    mentions: list[Mention] = field(default_factory=list)
    level: LevelAsk | None = None
    flags: frozenset = frozenset()
    status: frozenset = frozenset()      # what the worker says of their own certificate (vocabulary: status_flags)
    asks: frozenset = frozenset()        # training / theory / practical / fire_exam / exam / all
    metadata: list[str] = field(default_factory=list)
    parts: list = field(default_factory=list)     # (topic, metadata) of each question in "文号多少?谁牵头?在哪查证?"
    topic: dict | None = None
    consequence: str | None = None       # "old_certificate" | "new_certificate"
    injection: bool = False
    injection_separated: bool = False
    whole: str = ""                      # the whole message, instruction sentences included
    illegal: bool = False
    off_topic: bool = False
    greeting: bool = False
    domain: bool = False
    elliptical: bool = False             # 那…呢, 换成X, 反过来, a bare certificate name
    bare: bool = False                   # nothing but a certificate's name ("住建那个", "低压的")
    answer_like: bool = False            # a name as an answer to our question ("我有的是低压电工证")
    substitute: bool = False             # 换成X / 如果是X: X replaces a slot, whatever marker it carries
    reverse: bool = False
    refers_back: bool = False            # "这个证"
    fresh_start: bool = False            # "问个别的,…": what follows stands on its own
    statuses_aside: tuple = ()           # ((ids, statuses), …) said of a certificate set aside ("低压证被注销了,不过高压证…")
    where_to_apply: bool = False         # "在哪报名", "去哪里申请"
    other_status: frozenset = frozenset()  # statuses said of another person's certificate ("他的证过期了")
    others_hold: bool = False            # "我爸有…": another person holds the certificate named
    person: str = ""                     # "self" | "other" | "": whose certificate or application it speaks of
    caller: bool = False                 # a helpline agent speaks of the caller ("来电人持有…")
    beyond_premise: bool = False         # "低压证考建筑电工免培训,考核考几门": the waiver said as known, something else asked
    by_pronoun: bool = False             # the other person is only a bare 他/她, who may be that caller
    names: tuple = ()                    # people named ("小陈", "老孔", "张师傅"), in order (assistant/people.py)
    asked_name: str = ""                 # the one named where the question is asked ("那老孔呢,他…行不行?")
    every_person: bool = False           # asked of each person named ("小蒋…小沈…,他俩分别能免什么")
    person_status: dict = field(default_factory=dict)   # name -> what was said of that person's certificate
    compare_paths: bool = False          # "分别…一样吗": answer each held certificate's path
    wants_level_certificate: str | None = None   # "想考电工中级工证书": the trade of the level certificate wanted
    overview: bool = False
    questioned: bool = False             # anything asked at all (a question word, a skip, a level), not only stated
    plan_order: bool = False             # "先考哪个,后面那个能免": a plan of two certificates, each in turn
    pick: int | None = None

    def role(self, role: str) -> list[Mention]:
        """Known certificates, departments and sites in `role`."""
        return [m for m in self.mentions if m.role == role and m.kind in ("cert", "generic", "dept", "site")]

    @property
    def pairs(self) -> list[tuple[frozenset, frozenset]]:
        """The pairs compared in one question ("X考Y跟Z考W一样吗"), each (held ids, wanted ids), in order."""
        paired = [m for m in self.mentions if m.pair >= 0]
        return [(h.ids, w.ids) for k in sorted({m.pair for m in paired})
                for h, w in [[m for m in paired if m.pair == k]]]

    @property
    def known(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind in ("cert", "generic", "dept", "site") and m.role not in ASIDE]

    @property
    def unmodelled(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "unmodelled" and m.role not in ASIDE]

    @property
    def corrected(self) -> list[Mention]:
        """"不是低压,是高压": the certificate being corrected."""
        return [m for m in self.mentions if m.role == "corrected" and m.certificate]

    @property
    def specific(self) -> bool:
        return any(m.kind == "cert" for m in self.known)

    @property
    def names_certificate(self) -> bool:
        return bool(self.known or self.unmodelled)


# Roles that take no part in the path asked about.
ASIDE = ("compare", "former", "corrected")
# Statuses said of one certificate: they hold for the certificate named in the same clause.
OF_ONE_CERTIFICATE = ("expired", "not_yet", "failed")
WAIVED_PARTS = ("training", "training_part", "theory", "practical", "fire_exam", "exam")


def understand(text: str, catalog: CertificateCatalog, topics=()) -> Turn:
    """`text` must already be normalised (assistant.normalize.normalize)."""
    vocab = catalog.vocab
    whole = text
    text, injected, separated, mention_text = _focus(_after_withdrawal(text, vocab), catalog)
    turn = Turn(text=text, injection=injected, injection_separated=separated, whole=whole)
    # A wanted "电工中级工证书" is the level asked about, not a certificate outside the notice.
    mentions = find_mentions(mention_text or text, catalog)
    wanted_level = [m for m in mentions if m.why == "level_cert" and m.role == "target"]
    turn.mentions = [m for m in mentions if m not in wanted_level]
    turn.wants_level_certificate = next((m.trade or "" for m in wanted_level), None)
    if turn.wants_level_certificate is None and vocab.rx("level_cert_wanted").search(text):
        turn.wants_level_certificate = ""      # "能直接拿到中级工证书吗", "等于中级工证吗"
    _region_mentions_have_no_role(turn.mentions, text, vocab)
    _hearsay_mentions_have_no_role(turn.mentions, text, vocab)
    turn.level = _level(text, mentions, vocab)
    turn.flags, turn.other_status = _flags(text, turn.mentions, vocab)
    turn.statuses_aside = _statuses_aside(text, turn.mentions, vocab)
    turn.flags |= _said_of_the_one_applying(turn)
    _lapsed_not_held(turn)
    _plans(turn, text, vocab)
    _whom(turn, text, vocab)
    turn.names, turn.asked_name, turn.every_person = named_people(mention_text or text, turn.mentions, vocab)
    turn.person_status = statuses_by_person(mention_text or text, turn.names, vocab) if turn.every_person else {}
    turn.where_to_apply = bool(vocab.rx("where").search(text) and vocab.rx("apply_verb").search(text))
    turn.asks = _asks(text, vocab)
    turn.beyond_premise = _asks_beyond_a_stated_waiver(text, turn.mentions, vocab)
    turn.flags = _without_side_remarks(turn.flags, text, turn.asks or (turn.level and turn.level.asks), vocab)
    if turn.asks & {"training", "exam", "theory", "practical", "fire_exam", "all"}:
        turn.flags -= {"combine"}    # "两个证叠加一下把考核也免掉": asks what the pair waives, answered by its rule
    _statuses_now(turn, text, vocab)
    if turn.level and turn.level.asks and turn.role("target") and vocab.rx("after_obtaining").search(text):
        # "我还没证,考下熔化焊以后能报高级工吗": asked of the certificate once obtained, not of having none now
        turn.flags, turn.status = turn.flags - {"not_held", "not_yet"}, turn.status - {"not_held", "not_yet"}
    turn.metadata = _metadata_asked(turn, text, vocab)
    turn.topic, turn.parts = _topics(text, topics, turn.metadata, vocab)
    turn.consequence = next((k for k, rx in vocab.consequence.items() if affirmed(rx, text, vocab)), None)
    _cues(turn, text, vocab)
    _sites_in_an_aside(turn)
    return turn


def _sites_in_an_aside(turn: Turn) -> None:
    """"今天工地停电了 烦死": where the worker is, said in an aside about nothing the notice covers; and the trade
    in "帮我写首诗夸夸电工", a task the notice has nothing to do with."""
    for m in turn.mentions:
        if (m.kind == "site" and not turn.domain) or (turn.off_topic and m.kind == "generic" and "证" not in m.text):
            m.kind, m.role = "occupation", None


def asked_after_the_story(text: str, vocab: Vocabulary) -> str:
    """"…前年该复审的时候人在外地没赶上…先问一下,这个通知是哪几个部门发的?": what follows "先问一下" is the question;
    the story before it asks nothing. The whole text when there is no such marker (or nothing after it)."""
    first = list(vocab.rx("asked_first").finditer(text))
    return text[first[-1].end():] if first and text[first[-1].end():].strip() else text


def _topics(text: str, topics, metadata: list, vocab: Vocabulary) -> tuple:
    """The notice topic the turn asks about (the first in topics.json that matches), and, when it asks several
    questions about the notice one after another ("问三个事:文号多少?谁牵头?在哪查证?"), each one's topic or
    metadata."""
    text = asked_after_the_story(text, vocab)
    topic = next((t for t in topics if t["rx"].search(text)), None)
    parts = []
    # "再问三个:证书哪里查、谁统筹协调、一试多证啥意思": announced as several, listed with 、 too
    # ... and "互认涉及哪些工种,今后会不会扩大范围": two questions, each with its own topic, joined by a comma
    asked = [c for c in re.split(r"[,]", text) if vocab.rx("question_cue").search(c)]
    each_asked = len({t["id"] for c in asked for t in topics if t["rx"].search(c)}) > 1 and len(asked) > 1
    for seg in re.split(r"[?;、,]" if vocab.rx("several_announced").search(text) or each_asked else r"[?;]", text):
        seg_topic = next((t for t in topics if t["rx"].search(seg)), None)
        seg_meta = [k for k in metadata if vocab.metadata[k].search(seg)]
        if (seg_topic or seg_meta) and (seg_topic, seg_meta) not in parts:
            parts.append((seg_topic, seg_meta))
    return topic, parts if len(parts) > 1 else []


def _focus(text: str, catalog: CertificateCatalog):
    """The question proper: after "我的问题是:", and without sentences that instruct the assistant."""
    vocab = catalog.vocab
    injected = bool(vocab.rx("injection").search(text))
    if focus := list(vocab.rx("question_focus").finditer(text)):
        return text[focus[-1].end():] or text, injected, True, None
    if not injected:
        return text, False, False, None
    # A certificate named only in an instruction ("…高压电工证视同技师。再告诉我这个证能报哪一级") is
    # still the one asked about, so mentions are then read from the whole text.
    kept = "".join(s for s in re.split(r"(?<=[。!?;])", text) if s and not vocab.rx("injection").search(s))
    if catalog.pattern.search(kept) or vocab.rx("domain").search(kept):
        return kept, True, True, None if catalog.pattern.search(kept) else text
    return text, True, False, None


def _region_mentions_have_no_role(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我们省不发建筑焊工证" says where the worker is, not which certificate they hold or want. "我们这边住建
    是发建筑焊工证的" says the wanted one can be had there: it is never the held one."""
    for key, role in (("region_no", "compare"), ("region_yes", "target")):
        for found in vocab.flags[key].finditer(text):
            for m in mentions:
                described = key == "region_yes" and vocab.rx("issued_by").search(m.text)   # "俺们那疙瘩住建发的建筑焊工证"
                if (m.start < found.end() and m.end > found.start() and (m.role != "target" or key == "region_yes")
                        and not described):
                    m.role = role


def _claimed_after_the_pair(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"熔焊证去住建考建筑电工证能免培训吗?熔焊证考建筑焊工不是可以免吗", "…,建筑电工证都可以的": a clause after
    the worker's own pair that points at another certificate's rule compares; it is not the question."""
    pair = [m for m in mentions if m.certificate and m.role in ("held", "target")]
    held = next((m for m in pair if m.role == "held"), None)
    target = next((m for m in pair if m.role == "target" and held and m.start > held.start), None)
    if target is None:
        return
    for lo, hi in _clauses(text, target.end):
        inside = [m for m in mentions if m.certificate and lo <= m.start < hi]
        if inside and vocab.rx("claimed_rule").search(text[lo:hi]):
            for m in inside:
                m.role = "compare"


def _clauses(text: str, start: int):
    """(start, end) of each comma-level clause that begins after `start`."""
    bounds = [b.end() for b in CLAUSE_MARK.finditer(text, start)]
    return list(zip(bounds, [b - 1 for b in bounds[1:]] + [len(text)]))


def _after_withdrawal(text: str, vocab: Vocabulary) -> str:
    """"换个问题:应急局高压电工证视同几级?": what follows is a question of its own, not a substitution (换);
    "我想问低压证考建筑电工的事,算了不问这个了,我想知道…": what came before it is withdrawn."""
    new = list(vocab.rx("new_question").finditer(text))
    return text[new[-1].end():] if new and text[new[-1].end():].strip() else text


def _hearsay_mentions_have_no_role(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我有低压电工证,听说有高压证就能算中级工,那我…": a certificate in a rule others claim is no part of
    the worker's own path, when the worker names one of their own elsewhere. What others report of the
    worker ("师傅说他有低压证", "老板说要低压证才让上岗") is not a claimed rule and keeps its role."""
    for m in mentions:
        # "我有特种设备焊接证,考建筑焊工能免培训吗?熔化焊接证的人不是能免吗": other holders, named beside the
        # worker's own certificate, are a comparison
        if (m.certificate and m.role == "held" and vocab.rx("holders_of").match(text[m.end:])
                and any(x.certificate and x.role == "held" and x.marked and x.ids != m.ids and x.end < m.start
                        and CLAUSE_MARK.search(text, x.end, m.start) for x in mentions)):
            m.role = "compare"
    _claimed_after_the_pair(mentions, text, vocab)
    said = [(h.start(), hi) for h in vocab.rx("hearsay").finditer(text)
            if vocab.rx("hearsay_claim").search(text, h.end(), hi := _span_bounds(h.start(), h.end(), text)[1])]
    inside = [m for m in mentions if m.certificate and any(lo <= m.start < hi for lo, hi in said)]
    # ... but "有低压电工证。听说现在考建筑电工证可以免培训,真的假的": a claim about the worker's own next step,
    # naming only the certificate to apply for, is the worker's question
    # ... as is "我有高压证,听说可以换低压证不用考": the worker's own certificate said, the claim names only the next one
    own = any(m.certificate and m.role == "held" and m.marked and m not in inside for m in mentions)
    checks_own = all(m.role == "target" for m in inside) and (vocab.rx("claim_check").search(text) or own)
    if inside and any(m.certificate and m not in inside for m in mentions) and not checks_own:
        for m in inside:
            m.role = "compare"


def _level(text: str, mentions: list[Mention], vocab: Vocabulary) -> LevelAsk | None:
    if vocab.rx("open_level_followup").match(text):
        return LevelAsk(None, True, True, None)     # "能直接算高级工吗" then "那能算啥": which level, none named
    if not vocab.level_words.search(text):
        return None
    asked = [(vocab.level_rank[m.group(0)], m.start()) for m in vocab.level_rank_rx.finditer(text)]
    if vocab.rx("open_level_ask").search(text):
        # "高压证能当几级工用啊 老板说评个高级工工资高点": a level named in a side remark is not the one asked
        asked = [(r, at) for r, at in asked if vocab.rx("question_cue").search(_clause_of_span(at, at + 1, text, vocab))]
    elif in_questions := [(r, at) for r, at in asked if _in_a_question(at, text, vocab)]:
        asked = in_questions     # not "特种设备焊接证算初级工吧?我准备给大刘报个中级工", a plan said after the question
    if (claim := vocab.rx("level_applied_claim").search(text)) and any(at >= claim.start() for _, at in asked):
        # "老师傅说有操作证就能报中级工认定,那我低压电工证也是报初级吧": the level claimed is the one asked
        asked = [next((r, at) for r, at in sorted(asked, key=lambda a: a[1]) if at >= claim.start())]
    rank = equivalent = None
    in_order = sorted(asked, key=lambda a: a[1])
    if any(r1 != r2 and vocab.rx("alternative").search(text[a1:a2]) for (r1, a1), (r2, a2) in zip(in_order, in_order[1:])):
        return LevelAsk(None, True, True, None)    # "视同初级还是中级": which level, not whether the higher one
    if asked:
        rank = max(r for r, _ in asked)
        # "项目部要求必须有中级工证,持低压证的可以直接认定为中级工吗": any naming of the highest level may ask it
        equivalent = any(_asks_equivalence(text, at, vocab) for r, at in asked if r == rank)
    occupation = next((m.trade for m in mentions if m.kind == "occupation"
                       or (m.why == "level_cert" and m.role == "target")), None)
    return LevelAsk(rank, bool(equivalent), bool(vocab.level_ask.search(text)), occupation)


def _in_a_question(at: int, text: str, vocab: Vocabulary) -> bool:
    """Whether the sentence around text[at] asks ("…能不能跳过中级,直接报高级工", "算初级工吧?"), not only states or
    plans ("我准备给大刘报个中级工")."""
    lo, hi = _span_bounds(at, at + 1, text, SENTENCE_MARK)
    return bool(vocab.rx("question_cue").search(text[lo:hi]) or text[hi:hi + 1] == "?")


def _asks_equivalence(text: str, at: int, vocab: Vocabulary) -> bool:
    """"能报高级工" asks to apply; "能算高级工" asks for equivalence: the verb just before the level decides."""
    before = text[max(0, at - 6):at]
    if vocab.level_equivalent.search(before) and not vocab.level_apply.search(before.rstrip("电焊工")):
        return True
    # "“视同达到相应职业(工种)初级工(五级)水平”的证书": the verb further back in the clause, with no
    # apply verb between it and the level
    wide = text[max([at - 16, 0] + [b.end() for b in CLAUSE_MARK.finditer(text, max(0, at - 16), at)]):at]
    eq = vocab.level_equivalent.search(wide)
    return bool(eq and not any(vocab.level_apply.search(wide[:k]) for k in range(eq.end(), len(wide) + 1)))


def _flags(text: str, mentions: list[Mention], vocab: Vocabulary) -> tuple[frozenset, frozenset]:
    """The turn's flags, and the statuses said of another person's certificate ("我师傅的证过期了")."""
    flags = {k for k, rx in vocab.flags.items() if rx.search(text) and k not in OF_ONE_CERTIFICATE}
    said = {k: _said_of_the_held(vocab.flags[k], text, mentions, vocab) for k in OF_ONE_CERTIFICATE}
    flags |= {k for k, (own, _) in said.items() if own}
    of_other = frozenset(k for k, (_, other) in said.items() if other)
    if "renewed" in flags and vocab.rx("expiry_supposed").search(text):
        flags.discard("renewed")   # "他那证明年到期,要是到期了没复审,还能拿来免培训不": the expiry supposed
    elif "renewed" in flags:
        flags.discard("expired")   # "复审换成有效的再去申请呢", "下个月才到期"
    if "renewed" in flags and "admin" in flags:
        # "那我要是复审通过了,证又合法有效了呢": the renewal said, not a question about how renewal works
        renewals = [r.span() for r in vocab.flags["renewed"].finditer(text) if re.search(r"(通过|合格|过了|完了|好了|换了)", r.group(0))]
        if all(any(a <= m.start() < b or m.start() <= a < m.end() for a, b in renewals) for m in vocab.flags["admin"].finditer(text)):
            flags.discard("admin")
    failed_held = any(m.certificate and m.role == "held" and vocab.rx("failed_right_after").match(text[m.end:]) for m in mentions)
    if "retake" in flags and failed_held:
        flags -= {"retake"}        # "高压电工考试没过,那我还能不能算中级工": the held certificate was never obtained
    elif "retake" in flags:
        flags.discard("failed")    # "要是考核没过,下次还能免培训吗": the wanted certificate's exam failed, not the held one
    if "other_person" in flags and vocab.rx("both_of_us").search(text) and vocab.rx("person.self").search(text):
        flags -= {"other_person", "third_party"}   # "我工友有X 我自己是Y 我们俩都想考Z 各自能免啥": each for his own
    own = any(m.kind in ("cert", "generic") and m.role == "held" and vocab.rx("person.self").search(_clause_of(m, text, vocab))
              for m in mentions)      # "师傅有熔化焊证,我有特设焊工证": the 师傅's is his
    if ("other_person" in flags or own) and vocab.rx("person.other_holds").search(text):
        _set_aside_others(text, mentions, vocab)
    if "other_person" in flags and own and not _uses_anothers(text, mentions, vocab):
        flags.discard("other_person")   # "我低压证没过期,我兄弟的被吊销了,那是他的事,我想考…": his is beside the point
    flags -= _said_of_the_asker_only(flags, text, mentions, vocab)
    held = [m for m in mentions if m.certificate and m.role == "held"]
    if "other_person" in flags and held and any(m.role == "former" for m in mentions):
        flags.discard("other_person")   # "我爸的低压证过期了,我的低压证有效": the father's was set aside
    negated = [m for m in held if m.negated]
    if negated and (len(negated) == len(held) or any(x.ids == m.ids for m in negated for x in held if not x.negated)):
        flags.add("not_held")      # "我没有低压电工证,想考…"; "我还没考低压电工证,能按低压电工的政策…"
    for m in negated:
        if len(negated) < len(held):
            m.role = "former"      # "我没有低压证,只有高压证": the held one is 高压
    return frozenset(flags), of_other


def _uses_anothers(text: str, mentions: list[Mention], vocab: Vocabulary) -> bool:
    """Whether what marks another person's certificate names one, or borrows it ("用我爸的"), rather than only
    saying something of it."""
    spans = [m.span() for m in vocab.flags["other_person"].finditer(text)]
    return any(vocab.rx("borrowing").search(text[a:b]) or any(a <= m.start < b for m in mentions if m.certificate)
               for a, b in spans)


def _said_of_the_asker_only(flags: set, text: str, mentions: list[Mention], vocab: Vocabulary) -> set:
    """"我没有证,想问问我爸的:他有建筑电工证…", "我自己考试没过,我师傅有熔化焊证,他考…": the asker's own
    status says nothing of the certificate another person holds and applies with."""
    held = [m for m in mentions if m.certificate and m.role == "held"]
    theirs = [m for m in held if vocab.rx("person.other_holds").search(_clause_of(m, text, vocab))]
    clauses = CLAUSE_MARK.split(text.rstrip("?!。 "))
    last = next((c for c in reversed(clauses) if vocab.rx("question_cue").search(c)), clauses[-1])   # the one asked
    if not held or len(theirs) < len(held) or vocab.rx("rides_along").search(text) or vocab.rx("person.self").search(last):
        # ... but "师傅有建筑焊工证…我啥证都没有,能跟着一起免吗", "俺家老头子有低压电工证,俺啥证没有,俺考建筑电工能免培训不":
        # the asker applies, with nothing
        return set()
    dropped = set()
    for k in flags & {"not_held", "failed", "not_yet", "expired"}:
        clauses = [_clause_of_span(m.start(), m.end(), text, vocab) for m in vocab.flags[k].finditer(text)]
        if clauses and all(vocab.rx("person.self").search(c) and not any(
                m.start >= text.find(c) and m.end <= text.find(c) + len(c) for m in held) for c in clauses):
            dropped.add(k)
    return dropped


def _set_aside_others(text: str, mentions: list[Mention], vocab: Vocabulary) -> None:
    """"我有高压电工证,我老婆有建筑焊工证,我考建筑电工…": a certificate in another person's clause is theirs."""
    held = [m for m in mentions if m.role == "held" and (m.certificate or m.kind == "unmodelled")]
    theirs = [m for m in held if vocab.rx("person.other_holds").search(_clause_of(m, text, vocab))]
    clauses = [_clause_of(m, text, vocab) for m in held]
    wanted_in = {_clause_of(m, text, vocab) for m in mentions if m.role == "target" and m.certificate}
    if len(set(clauses)) > 1 and set(clauses) <= wanted_in:
        return     # "我老公有低压证想考建筑电工,我有建筑电工证想考低压电工": each person's own pair, in its clause
    if theirs and len(theirs) < len(held):
        # ... but "…我媳妇有建筑电工证。她想考应急的低压电工证,她能免什么?": she applies, so hers is the one held
        wanted = [_clause_of(m, text, vocab) for m in mentions if m.role == "target" and m.certificate]
        theirs_apply = wanted and all(vocab.rx("person.other").search(c) and not vocab.rx("person.self").search(c)
                                      for c in wanted)
        for m in (held if theirs_apply else theirs):
            if (m in theirs) != bool(theirs_apply):
                m.role = "former"


def _negated(match, text: str, vocab: Vocabulary) -> bool:
    return bool(vocab.rx("negated_before").search(text[max(0, match.start() - 4):match.start()]))


def affirmed(rx, text: str, vocab: Vocabulary) -> bool:
    """A match that is not denied just before it ("不是假的" is no request for a fake)."""
    return any(not _negated(m, text, vocab) for m in rx.finditer(text))


def _clause_of(m: Mention, text: str, vocab: Vocabulary) -> str:
    lo, hi = clause_bounds(m.start, m.end, text, vocab)
    return text[lo:hi]


def _without_side_remarks(flags: frozenset, text: str, asks: frozenset, vocab: Vocabulary) -> frozenset:
    """"我有低压电工证,考建筑电工要培训吗?培训费好贵的", "费用啥的我不关心,…": a fee or the materials said
    in passing, or waved away, is not what is asked; the waiver question is."""
    if not asks:
        return flags
    dropped = set()
    for k in flags & set(vocab.not_stated_topics):
        # "培训费好几百": an amount, not a question
        clauses = [vocab.rx("amount").sub("", _clause_of_span(m.start(), m.end(), text, vocab))
                   for m in vocab.flags[k].finditer(text)]
        # ... but "有没有技能补贴可以领" asks it
        asked_here = lambda c: any(rx.search(c) for rx in vocab.asks.values()) or vocab.rx("whether_any").search(c)   # noqa: E731
        if clauses and all(vocab.rx("dismissed").search(c)
                           or not (vocab.rx("question_cue").search(c) or asked_here(c)) for c in clauses):
            dropped.add(k)
        # "办事大厅说可以免培训": the one who said it, not what is asked
        if all(vocab.rx("speaker_after").match(text[m.end():]) for m in vocab.flags[k].finditer(text)):
            dropped.add(k)
    return flags - dropped


def _clause_of_span(start: int, end: int, text: str, vocab: Vocabulary) -> str:
    lo, hi = _span_bounds(start, end, text)
    return text[lo:hi]


CLAUSE_MARK = re.compile(r"[,。?!;]")
SENTENCE_MARK = re.compile(r"[。?!]")


def _span_bounds(start: int, end: int, text: str, marks: re.Pattern = CLAUSE_MARK) -> tuple[int, int]:
    """Where the comma-level clause (or, with SENTENCE_MARK, the sentence) around text[start:end] begins and ends."""
    lo = max([0] + [b.end() for b in marks.finditer(text, 0, start)])
    hi = next((b.start() for b in marks.finditer(text, end)), len(text))
    return lo, hi


def _metadata_asked(turn: Turn, text: str, vocab: Vocabulary) -> list[str]:
    """Which facts about the notice itself are asked (文号, date, issuers…)."""
    # "证的效力一样吗", "我们这个是安监局发的,一直复审,现在还有效" are about a certificate, not the notice's force.
    of_a_certificate = turn.mentions and not vocab.rx("notice_or_policy").search(text)   # "安监局2018年发的"
    return [k for k, rx in vocab.metadata.items() if rx.search(text)
            and not (k == "status" and ("证" in text or "renewed" in turn.flags or turn.mentions))
            and not (k == "date" and (of_a_certificate or "deadline" in turn.flags      # "啥时候截止?过了日期…"
                                      or vocab.rx("on_the_certificate").search(text)))   # "证书上的日期写错了"
            and not (k == "issuers" and vocab.rx("issued_by_whom").search(text)
                     and not vocab.rx("notice_word").search(text))]     # "那等级证书由谁发"


def _statuses_now(turn: Turn, text: str, vocab: Vocabulary) -> None:
    """What the worker says of their own certificate. "我现在没证,…先考哪个后面那个能免" plans for after the first
    one is obtained, so "没证" says nothing of the plan (turn.plan_order: see _plans)."""
    if turn.plan_order:
        turn.flags -= {"not_held", "not_yet"}
    turn.status = turn.flags & vocab.status_flags


def _whom(turn: Turn, text: str, vocab: Vocabulary) -> None:
    """Who the turn speaks of: the worker, another person (by name or by a bare 他), or the caller."""
    turn.person = _person(text, vocab)
    turn.caller = bool(vocab.rx("person.caller").search(text))
    turn.by_pronoun = turn.person == "other" and not vocab.rx("person.other").search(vocab.rx("person.pronoun").sub("", text))
    turn.others_hold = bool(vocab.rx("person.other_holds").search(text))


def _person(text: str, vocab: Vocabulary) -> str:
    """"我爸有…" speaks of another person, "我考…" of the worker; both, or neither, is unknown."""
    other, own = (bool(vocab.rx(f"person.{k}").search(text)) for k in ("other", "self"))
    if vocab.rx("both_of_us").search(text):
        return ""      # "那我俩考试是不是也免了": each of the two, not the asker alone
    return "other" if other and not own else "self" if own and not other else ""


def _plans(turn: Turn, text: str, vocab: Vocabulary) -> None:
    """A plan of two certificates, one after the other ("先考哪个,后面那个能免"), gives their roles."""
    turn.plan_order = bool(vocab.rx("plan_order").search(text))
    if turn.plan_order:
        _first_of_a_plan_asked(turn, text, vocab)
        _two_in_an_order(turn)


def _first_of_a_plan_asked(turn: Turn, text: str, vocab: Vocabulary) -> None:
    """"我想先考低压再考建筑电工,低压那边能免培训吗": the first certificate of a plan, named again with a skip asked of
    it, is the one applied for now, with nothing held yet; the second is for later."""
    certs = [m for m in turn.mentions if m.certificate and len(m.ids) == 1]
    first = certs[0] if certs else None
    again = [m for m in certs[1:] if first and m.ids == first.ids and vocab.rx("plan_first_asked").match(text[m.end:])]
    if not again or any(m.ids != first.ids for m in turn.role("held") if m.certificate):
        return      # (not "我有高压证,先考低压再考建筑电工…": a certificate held besides the plan)
    for m in certs:
        m.role = "target" if m.ids == first.ids else "former"
    turn.flags |= {"not_held"}


def _two_in_an_order(turn: Turn) -> None:
    """"先考高压还是先考建筑电工,第二个能少上课": both are to be obtained, in an order asked; each order is answered
    (recognition.both_ways), so the first named stands as held and the second as wanted, whatever marker each has."""
    certs = [m for m in turn.mentions if m.certificate and len(m.ids) == 1 and m.role in ("held", "target")]
    if len(certs) != 2 or certs[0].ids == certs[1].ids or len([m for m in turn.mentions if m.certificate]) != 2:
        return
    certs[0].role, certs[1].role = "held", "target"


def _lapsed_not_held(turn: Turn) -> None:
    """"我有低压证和熔化焊证,低压的过期了,想考建筑电工能免培训吗": the one said to have lapsed is held no longer for
    the question; the others still are (so 低压→建筑电工 is not what the worker can use)."""
    lapsed = frozenset().union(*(ids for ids, said in turn.statuses_aside if said)) if turn.statuses_aside else frozenset()
    held = [m for m in turn.mentions if m.role == "held" and m.certificate]
    if lapsed and any(not m.ids <= lapsed for m in held):
        for m in held:
            if m.ids <= lapsed and not m.applied_with:
                m.role = "former"


def _said_of_the_one_applying(turn: Turn) -> frozenset:
    """"低压那个去年被吊销了。用低压证考建筑电工能免培训吗": what was said of it in an earlier sentence holds
    when the question applies with it ("用…"); not "我爸的低压证过期了,我的低压证有效"."""
    held = frozenset(i for m in turn.mentions if m.role == "held" and m.applied_with for i in m.ids)
    return frozenset().union(*(st for ids, st in turn.statuses_aside if held and held <= ids))


def _statuses_aside(text: str, mentions: list[Mention], vocab: Vocabulary) -> tuple:
    """"我低压证被注销了,不过高压证还在有效期内": the 低压证 is set aside for this question, but what was said of it
    still holds when it is asked about next."""
    aside = []
    for m in mentions:
        if m.role == "former" and m.ids:
            said = frozenset(k for k in OF_ONE_CERTIFICATE if vocab.flags[k].search(_clause_of(m, text, vocab)))
            aside += [(m.ids, said)] if said else []
    return tuple(aside)


def _said_of_the_held(rx, text: str, mentions: list[Mention], vocab: Vocabulary) -> tuple[bool, bool]:
    """"我的低压证吊销了,我的高压证没问题": a status holds for the certificate in its own clause. Said
    of a wanted certificate ("还没拿到建筑焊工证,只有熔化焊接证") or of a level ("没考过高级工") it says
    nothing of the held one; said of one held certificate among others, that one drops out. Said of
    another person ("我爸的过期了") it is returned apart: it matters only when that person's certificate is
    the one discussed."""
    found = of_other = False
    for match in rx.finditer(text):
        if _negated(match, text, vocab):
            continue            # "没有被吊销", "不是还没考", "并非过期": the status is denied
        lo, hi = clause_bounds(match.start(), match.end(), text, vocab)
        in_clause = [m for m in mentions if m.certificate and lo <= m.start < hi]
        here = _subject_of(match.start(), in_clause, text, vocab)
        if not here and vocab.rx("that_one").search(text[lo:match.start()]):
            # "还有一本应急局的熔化焊证,不过那本前年就过期了": the certificate just named
            here = [m for m in mentions if m.certificate and m.role == "held" and m.end <= lo][-1:]
        if here and all(m.kind == "generic" and m.role != "held" for m in here):
            # "焊工证被安监吊销了(熔化焊那个)": a bare trade name, then which one it is
            here = [h for h in in_clause if h.role == "held" and any(h.ids <= m.ids for m in here)] or here
        if not here:
            other = bool(vocab.rx("person.other").search(text[lo:hi]) or re.search(r"(他|她)的", text[lo:hi]))
            of_other = of_other or other
            found = found or not (vocab.level_rank_rx.search(text[lo:hi]) or other)
            continue
        held_here = [m for m in here if m.role == "held"]
        others_held = [m for m in mentions if m.certificate and m.role == "held" and m not in here]
        if (held_here and others_held and all(x.ids == held_here[0].ids for x in others_held + held_here)
                and not vocab.rx("person.other").search(text[lo:hi])):
            found = True        # "我还没考低压电工证,能按低压电工的政策…": the same certificate, named again
        elif held_here and others_held:
            for m in held_here:
                m.role = "former"
        elif held_here:
            found = True
    return found, of_other


def _subject_of(at: int, here: list[Mention], text: str, vocab: Vocabulary) -> list[Mention]:
    """Of the certificates in a status's clause, the ones it is said of: the nearest before it, with those joined
    to it by 和/跟 ("我的低压证和高压证都过期了"). Run-on and space-separated messages put several certificates
    in one clause: "我以前有个叉车证早就过期了不管它现在手上有熔化焊的证…", "我高压证被吊销了低压证还在…"."""
    before = [m for m in here if m.end <= at]
    if not before:
        return here
    subject = [before[-1]]
    for m in reversed(before[:-1]):
        between = text[m.end:subject[0].start]
        restated = not between.strip() and m.ids & subject[0].ids        # "low voltage 电工证": one certificate
        if not (restated or vocab.rx("conjunction").fullmatch(vocab.rx("certificate_suffix").sub("", between))):
            break
        subject.insert(0, m)
    return subject


def _asks_beyond_a_stated_waiver(text: str, mentions: list[Mention], vocab: Vocabulary) -> bool:
    """"低压证考建筑电工免培训,考核考几门": the waiver is said as already known, and the question, in the last clause,
    asks nothing about skipping, names no certificate and confirms nothing: it asks what the rule does not say."""
    clauses = [c for c in CLAUSE_MARK.split(text.rstrip("?!。 ")) if c.strip()]
    if len(clauses) < 2:
        return False
    asked = clauses[-1].strip()
    at = text.rfind(asked)
    premise, own = text[:at], re.sub(r"^(那么|那)", "", asked)   # "那考核会不会更难": 那 opens it, asks nothing
    # ... or the level is ("低压证视同初级工,那中级工考几门"), and the question asks no level of its own
    level_known = (vocab.rx("level_stated").search(premise) and not vocab.level_ask.search(own)
                   and not vocab.rx("level_own_ask").search(own))
    return bool(vocab.rx("question_cue").search(asked) and not vocab.rx("question_cue").search(premise)
                and (vocab.rx("waiver_stated").search(premise) or level_known) and not _asks(own, vocab)
                and not vocab.rx("confirm_only").match(asked) and not vocab.rx("claim_check").search(asked)
                and not vocab.rx("rule_source_ask").search(asked)      # "…免培训,是哪一条规定的": the rule's own source
                and not any(m.start >= at for m in mentions if m.certificate or m.kind == "dept"))


def _only_named(ask: str, text: str, said: str, vocab: Vocabulary) -> bool:
    """The exam (or the training) is only named as a noun, with nothing about needing, taking or skipping it."""
    named = [m.group(0) for m in vocab.asks[ask].finditer(text)]
    return (all(vocab.rx("skip_noun").fullmatch(w) for w in named) and not vocab.rx("skip_need").search(said)
            and not vocab.rx("skip_noun").fullmatch(said.strip("?!。 ")))    # not the bare answer "考试"


def _asks(text: str, vocab: Vocabulary) -> frozenset:
    if vocab.rx("open_question").search(text):
        # "可以免予哪些培训或考试?" asks what, not whether; "能直接跟…换不?换的话考啥" still asks whether, first
        rest = "".join(c for c in re.split(r"(?<=[,。?!;])", text) if not vocab.rx("open_question").search(c))
        if not vocab.rx("question_cue").search(rest):
            return frozenset()
        text = rest
    said = text
    text = vocab.rx("asks_ignore").sub("", text)   # "直接参加考核" is what remains, not something asked off
    asks = {k for k, rx in vocab.asks.items() if rx.search(text)}
    # "考核要穿工作服吗", "培训内容是啥": about the exam or the training, not whether it is waived
    asks -= {k for k in ("exam", "training") if k in asks and _only_named(k, text, said, vocab)}
    if vocab.asks["only"].search(said):
        asks.add("only")           # "直接去考实操就行?": what remains, read before 直接去考 is set aside
    asks = _the_certificate_itself(asks, text, vocab)
    if "even" in asks:             # "连安全技术考试都不用考了?": that exam, not every one
        asks -= {"even", "all"}
    m = vocab.asks["only_waived"].search(text) if "only_waived" in asks else None
    if m and text[:m.start()].endswith("还是"):   # "考核免吗还是只免培训": the first alternative is asked
        return frozenset(k for k in WAIVED_PARTS if k != "training_part" and vocab.asks[k].search(text[:m.start()]))
    if m:                          # "只免考核,对吧": a claim of exactly what is waived, named in its own clause
        clause = CLAUSE_MARK.split(text[m.start():])[0]
        return frozenset({"only_waived"} | {k for k, rx in vocab.asks.items() if k in WAIVED_PARTS and rx.search(clause)})
    asks.discard("training_part")  # "理论培训也免吗" asks the training; only a claim of "only that part" differs
    if "only" in asks:             # "只考实操对吗": a confirmation of what remains, not a request to skip it
        return frozenset({"only_practical" if "practical" in asks else "only_theory" if "theory" in asks else "only_exam"})
    if "others" in asks:           # "其他考试也都能免了吗": the exams left, not every exam
        asks -= {"all", "exam"}
        if except_ := vocab.rx("set_aside").search(text):
            # "除了动火那门,其他考试也都免了吗": the one set aside is not asked about
            set_aside = {k for k, rx in vocab.asks.items() if k != "others" and rx.search(except_.group(1))}
            return frozenset((asks - set_aside) | {f"except_{k}" for k in set_aside})
    if asks & {"theory", "practical", "fire_exam"}:
        asks.discard("exam")    # "理论不用考了" asks about the theory exam, not every exam
        asks.discard("all")     # "理论实操都不用考了?" asks about those two, each
    return frozenset(asks)


def _the_certificate_itself(asks: set, text: str, vocab: Vocabulary) -> set:
    """"能直接换吗", "能当建筑电工证用吗": all of it; "能直接换…不用考试": that exam; but "是不是直接发证,不用考", one sentence, asks for the
    certificate itself without any exam (lead partial, as BLIND_SPEC's "直接发证吗"), unless it names the 考核."""
    named = asks & {"exam", "training", "theory", "practical", "fire_exam"}
    if "swap" in asks:
        asks = (asks - {"swap"}) | (set() if named else {"all"})
    if "use_as" in asks and not named and not vocab.rx("work_without").search(text):
        # "就等于建筑电工证了,不用再办了?": the certificate itself, as "直接发证吗"; but "不另办Y证,直接在工地从事
        # Y作业" asks to work without it, which the notice never allows (no)
        asks = asks | {"all"}
    if asks != {"exam"}:
        return asks
    # one sentence each, but "…能直接换成建筑电工证吗?不用考的那种" describes the certificate asked
    sentences = SENTENCE_MARK.split(text)
    sentences = [s + (sentences[i + 1] if i + 1 < len(sentences) and vocab.rx("exam_kind_after").match(sentences[i + 1]) else "")
                 for i, s in enumerate(sentences)]
    if any(vocab.rx("certificate_without_exam").search(s) and vocab.asks["exam"].search(s)
           and "考核" not in s and "还是" not in s for s in sentences):
        return {"all"}
    return asks


def _cues(turn: Turn, text: str, vocab: Vocabulary) -> None:
    rx = vocab.rx
    turn.illegal = affirmed(rx("illegal"), text, vocab)
    turn.off_topic = bool(rx("off_topic_task").search(text))
    # "你好,我想问问证书的事": a greeting with an errand still to come is a greeting
    opened = rx("greeting_opener").match(text)
    turn.greeting = bool(rx("greeting").match(text) or (opened and rx("vague_ask").match(text[opened.end():])))
    turn.domain = bool(rx("domain").search(text))
    turn.reverse = bool(rx("reverse").search(text))
    turn.substitute = bool(rx("substitute").search(text))
    turn.refers_back = bool(rx("this_certificate").search(text))
    turn.fresh_start = bool(rx("new_question").search(text))
    turn.compare_paths = bool(rx("compare_paths").search(text))
    turn.questioned = bool(rx("question_cue").search(text) or turn.asks or (turn.level and turn.level.asks))
    turn.overview = bool(rx("overview").search(rx("reported_remark").sub("", text)))   # not "审核员提醒我们:互认的证书…。"
    turn.elliptical = bool(rx("elliptical_start").search(text) or rx("follow_up").search(text)
                           or turn.substitute or turn.reverse or rx("back_to_earlier").search(text))
    turn.bare = _bare(turn, text, vocab.fillers["bare"]) or bool(turn.corrected)   # "不是高压,是低压" corrects
    turn.answer_like = _bare(turn, text, vocab.fillers["answer"])
    turn.elliptical = turn.elliptical or turn.bare
    # "不好意思说错了,是低压的": one certificate put in place of one said before
    turn.elliptical = turn.elliptical or bool(rx("pair_restart").search(text) and len(turn.known) == 1)
    # "不对不对,是应急局的熔焊证" / "我记错了,其实是…": the one said before is taken back
    turn.elliptical = turn.elliptical or bool(len(turn.known) == 1 and rx("self_correction.before").search(text[:turn.known[0].start]))
    # "更正:来电人所持为…", "不对,我说错了,是培训学校发的结业证": one certificate put in place of the one before
    # ... and "不对不对,小陈是高压的,低压的是小林": one certificate for each person named, so one for the one asked of
    named = len([m for m in turn.known if not m.owner]) + bool(any(m.owner for m in turn.known))
    turn.elliptical = turn.elliptical or bool(named + len(turn.unmodelled) == 1 and rx("correction_opening").match(text))
    if m := rx("pick").match(text):
        turn.pick = "123456".find(m.group(1)) + 1 or "一二三四五六".find(m.group(1)) + 1
    elif m := rx("pick_english").match(text):     # "the first one", "No.2"
        words = ("first", "second", "third", "fourth", "fifth", "sixth")
        turn.pick = words.index(m.group(1)) + 1 if m.group(1) else int(m.group(2))


def _bare(turn: Turn, text: str, fillers: str) -> bool:
    """Only a certificate's name, with no question of its own ("住建那个", "低压的")."""
    rest = text
    for m in sorted(turn.mentions, key=lambda m: -m.start):
        rest = rest[:m.start] + rest[m.end:]
    return bool(turn.mentions) and len(re.sub(f"[{re.escape(fillers)},。.!?\\s]", "", rest)) <= 1
