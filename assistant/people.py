"""Named people in one message: "小陈是高压的,低压的是小林", "那老孔呢,他要是报焊工中级工行不行?".

A labour-dispatch coordinator or a helpline agent may ask about several workers in one conversation.
A certificate belongs to the person named in its clause, and the question is about the person named
where it is asked. The conversation (assistant/context.py) keeps what was said of each person, so a
status said of one worker ("老孔的证过期了") is never carried to another, and "那老孔呢" comes back to his.
Relatives and the asker ("我老公是建筑电工证,我儿子是熔化焊证", "我老婆有低压证,我有熔化焊证") are people the same
way, but only where two or more of them hold a certificate of their own: alone, "我爸有低压证,我能免吗" is another
person's certificate, which the status step answers.
"""
from __future__ import annotations

import re

from .entities import Mention
from .vocabulary import Vocabulary

CLAUSE = re.compile(r"[^,。?!;]+[,。?!;]?")
HOLDING = ("held", "former")


def named_people(text: str, mentions: list[Mention], vocab: Vocabulary) -> tuple[tuple[str, ...], str, bool]:
    """The people named, in order; the one the question is asked about ("" when no clause asks); and whether it
    is asked of each of them ("他俩…分别能免什么"). Each certificate or department named in a clause with exactly
    one person gets that person as owner. Relatives and the asker count as people only where two or more of
    the people in the message hold a certificate of their own ("我老婆有低压证,我有熔化焊证")."""
    spans = list(CLAUSE.finditer(text))
    clauses = [(c.start(), c.end(), people_in(c.group(0), vocab, kin=True)) for c in spans]
    if not _relatives_count(text, clauses, mentions, vocab):
        clauses = [(c.start(), c.end(), people_in(c.group(0), vocab, kin=False)) for c in spans]
    names = tuple(dict.fromkeys(n for _, _, found in clauses for n in found))
    if not names:
        return (), "", False
    held_by = _carried(clauses)
    for m in mentions:
        # "我老婆在电子厂,有低压电工证": a clause without a person goes on about the last one, for what is held
        found = next((set(f) for lo, hi, f in (held_by if m.role in HOLDING else clauses) if lo <= m.start < hi), set())
        if len(found) == 1 and (m.certificate or m.kind == "dept"):
            m.owner = found.pop()
    # "那老孔呢,他要是报焊工中级工行不行?": the last person named at or before the clause that asks
    asking = [i for i, (lo, hi, _) in enumerate(clauses) if vocab.rx("question_cue").search(text[lo:hi])]
    if not asking:     # "我老婆有低压证,我有熔化焊证,我俩都想去工地干": of each of them
        # ... and so is "老王高压电工证,小李建筑电工证,大刘熔化焊证。", said before asking anything of them
        last = max(hi for _, hi, found in clauses if found)
        return names, "", bool(vocab.rx("person_name.plural").search(text[last:])) or len(_holders(clauses, mentions)) > 1
    named_up_to_it = [i for i, (_, _, f) in enumerate(clauses[:asking[-1] + 1]) if f]
    if not named_up_to_it:
        return names, "", False
    last_named = named_up_to_it[-1]
    # "小蒋是…,小沈是…,他俩都想考对方那个证,分别能免什么": asked of each of them
    after = text[clauses[last_named][1]:]
    if vocab.rx("person_name.plural").search(after):
        return names, "", True
    return names, clauses[last_named][2][-1], False


def people_in(clause: str, vocab: Vocabulary, kin: bool) -> list[str]:
    """The people a clause names, in order: names ("小陈", "张师傅"), and with `kin` relatives ("我老公" as 老公) and
    the asker ("我")."""
    found = [(n.start(), n.group(0)) for n in vocab.rx("person_name.pattern").finditer(clause)]
    if kin:
        found += [(k.start(), k.group("who")) for k in vocab.rx("person_name.kin").finditer(clause)]
        found += [(m.start(), "我") for m in vocab.rx("person_name.self").finditer(clause)]
    return [n for _, n in sorted(found)]


def _relatives_count(text: str, clauses, mentions: list[Mention], vocab: Vocabulary) -> bool:
    """Relatives and the asker are people of their own when two or more people each hold a certificate in the
    message, and the question does not ask of a bare 他 that could be either of them ("我老公有高压证,我哥有
    建筑电工证,他想考对方那种证": the held_only step asks which)."""
    plain = {n for _, _, found in clauses for n in found if vocab.rx("person_name.pattern").fullmatch(n)}
    holders = _holders(clauses, mentions)
    if len(holders) < 2 or holders <= plain:
        return False
    # ... but "先问我老公,他想考…" says which one 他 is
    last = max((c for c in clauses if c[2]), key=lambda c: c[1])
    after = text[last[1]:]
    if (_holders([last], mentions) and vocab.rx("person.pronoun").search(after)
            and vocab.rx("question_cue").search(after)):
        return bool(vocab.rx("person_name.plural").search(text))
    return True


def _holders(clauses, mentions: list[Mention]) -> set:
    """The people who are the one person of a clause that names a certificate they hold ("former": set aside as
    another's beside the asker's own)."""
    return {found[0] for lo, hi, found in _carried(clauses)
            if len(set(found)) == 1 and any(m.certificate and m.role in HOLDING and lo <= m.start < hi for m in mentions)}


def _carried(clauses) -> list:
    """Each clause with its people, a clause naming none taking the last one's."""
    out, last = [], []
    for lo, hi, found in clauses:
        last = found or last
        out.append((lo, hi, last))
    return out


LAPSES = ("expired", "not_yet", "failed", "not_held")


def statuses_by_person(text: str, names: tuple, vocab: Vocabulary) -> dict:
    """What was said of each named person's certificate, when the question is asked of them all ("老王的低压证过期了,
    小李的是有效的,他俩考建筑电工能免培训吗"; "老王有低压证,小李没有证"): {name: statuses}, or {} when nothing lapsed
    for anyone. A clause naming nobody goes on about the last person named."""
    spans = list(CLAUSE.finditer(text))
    said = {}
    for lo, hi, found in _carried([(c.start(), c.end(), people_in(c.group(0), vocab, kin=len(names) > 1)) for c in spans]):
        if len(set(found)) == 1 and found[0] in names:
            said.setdefault(found[0], set()).update(k for k in LAPSES if vocab.flags[k].search(text[lo:hi]))
    return {n: frozenset(said.get(n, ())) for n in names} if any(said.values()) else {}
