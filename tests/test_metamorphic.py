"""The metamorphic suite: thousands of generated conversations whose right answer follows from
the pair they name, each asked alone and after 1–3 unrelated turns (tests/metamorphic.py).

Invariants: the verdict follows the pair; the answer names the certificates asked about and
cites the item that grants the path; the lead never says "yes" where the notice waives less;
the reply after unrelated turns equals the reply alone; and zero critical errors.
"""
from __future__ import annotations

from collections import Counter

import pytest
from metamorphic import LEVEL_PHRASINGS, NAMES, PHRASINGS, UNMODELLED, histories, items


@pytest.fixture(scope="module")
def generated():
    return items()


def test_the_generator_covers_pairs_phrasings_unmodelled_certificates_and_levels(generated):
    kinds = Counter(i.kind for i in generated)
    assert len(generated) * 2 >= 3000                       # each item alone and after unrelated turns
    assert {(i.held, i.wanted) for i in generated if i.kind == "pair"} == {(h, w) for h in NAMES for w in NAMES}
    assert len(PHRASINGS) >= 15 and len(LEVEL_PHRASINGS) >= 3
    assert {i.held for i in generated if i.kind == "level"} == set(NAMES)
    held_unmodelled = {i.held for i in generated if i.kind == "unmodelled"} & set(UNMODELLED)
    wanted_unmodelled = {i.wanted for i in generated if i.kind == "unmodelled"} & set(UNMODELLED)
    assert held_unmodelled == wanted_unmodelled == set(UNMODELLED)
    assert kinds["pair"] and kinds["unmodelled"] and kinds["level"]


def signature(reply) -> tuple:
    return (reply.verdict, reply.polarity, tuple(sorted({c["article"] for c in reply.citations})))


def problems(item, reply) -> list[str]:
    cited = {c["article"] for c in reply.citations}
    found = []
    if reply.verdict != item.verdict:
        found.append(f"verdict {reply.verdict} (want {item.verdict})")
    if item.article and item.article not in cited:
        found.append(f"does not cite {item.article}")
    missing = [n for n in item.names if n not in reply.answer]
    if missing and reply.verdict in ("answered", "not_covered"):
        found.append(f"does not name {missing}")
    if item.polarity and reply.verdict == "answered" and reply.polarity != item.polarity:
        found.append(f"lead {reply.polarity!r} (want {item.polarity!r})")
    return found


def critical(item, reply) -> bool:
    """A confident answer that is wrong: answered where the notice grants nothing, about another
    certificate or item, or a "yes" lead where less is waived."""
    if reply.verdict != "answered":
        return False
    cited = {c["article"] for c in reply.citations}
    return (item.verdict != "answered" or (item.article and item.article not in cited)
            or any(n not in reply.answer for n in item.names)
            or (item.polarity in ("no", "partial") and reply.polarity == "yes"))


def test_every_generated_conversation_alone_and_after_unrelated_turns(assistant, generated, capsys):
    wrong, critical_errors, context_changed = [], [], []
    for item, history in zip(generated, histories(len(generated))):
        alone = assistant.conversation().ask(item.question)
        conv = assistant.conversation()
        for turn in history:
            conv.ask(turn)
        after = conv.ask(item.question)
        for where, reply in (("alone", alone), ("after", after)):
            if found := problems(item, reply):
                wrong.append((where, item.question, reply.step, found))
            if critical(item, reply):
                critical_errors.append((where, item.question, reply.step, reply.verdict))
        if signature(alone) != signature(after):
            context_changed.append((item.question, history, signature(alone), signature(after)))
    with capsys.disabled():
        print(f"\nmetamorphic: {len(generated) * 2} conversations; {len(wrong)} wrong replies, "
              f"{len(critical_errors)} critical, {len(context_changed)} changed by earlier turns")
    assert not critical_errors, critical_errors[:20]
    assert not context_changed, context_changed[:20]
    assert not wrong, wrong[:30]
