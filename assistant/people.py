"""Named people in one message: "小陈是高压的,低压的是小林", "那老孔呢,他要是报焊工中级工行不行?".

A labour-dispatch coordinator or a helpline agent may ask about several workers in one conversation.
A certificate belongs to the person named in its clause, and the question is about the person named
where it is asked. The conversation (assistant/context.py) keeps what was said of each person, so a
status said of one worker ("老孔的证过期了") is never carried to another, and "那老孔呢" comes back to his.
"""
from __future__ import annotations

import re

from .entities import Mention
from .vocabulary import Vocabulary

CLAUSE = re.compile(r"[^,。?!;]+[,。?!;]?")


def named_people(text: str, mentions: list[Mention], vocab: Vocabulary) -> tuple[tuple[str, ...], str, bool]:
    """The people named, in order; the one the question is asked about ("" when no clause asks); and whether it
    is asked of each of them ("他俩…分别能免什么"). Each certificate or department named in a clause with exactly
    one person gets that person as owner."""
    rx = vocab.rx("person_name.pattern")
    clauses = [(c.start(), c.end(), [n.group(0) for n in rx.finditer(c.group(0))]) for c in CLAUSE.finditer(text)]
    names = tuple(dict.fromkeys(n for _, _, found in clauses for n in found))
    if not names:
        return (), "", False
    for m in mentions:
        found = next((set(f) for lo, hi, f in clauses if lo <= m.start < hi), set())
        if len(found) == 1 and (m.certificate or m.kind == "dept"):
            m.owner = found.pop()
    # "那老孔呢,他要是报焊工中级工行不行?": the last person named at or before the clause that asks
    asking = [i for i, (lo, hi, _) in enumerate(clauses) if vocab.rx("question_cue").search(text[lo:hi])]
    if not asking:
        return names, "", False
    named_up_to_it = [i for i, (_, _, f) in enumerate(clauses[:asking[-1] + 1]) if f]
    if not named_up_to_it:
        return names, "", False
    last_named = named_up_to_it[-1]
    # "小蒋是…,小沈是…,他俩都想考对方那个证,分别能免什么": asked of each of them
    after = text[clauses[last_named][1]:]
    if vocab.rx("person_name.plural").search(after):
        return names, "", True
    return names, clauses[last_named][2][-1], False
