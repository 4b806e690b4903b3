"""Follow-up questions after an answer, derived from the rule tables only.

Nothing here is invented: every suggestion names a recognition path (knowledge/annex_derived.json,
via `Rules.paths`) or a level row (knowledge/levels.json, via `Rules.levels`) that the notice
grants, related to the rule the reply was decided by (`Reply.rule`):

- level    the skill level of the certificate just discussed (第二条第(一)项)
- reverse  the same pair the other way round, when the notice grants that direction too
- sibling  the path next to it: another certificate recognised for the same target, or the
           same certificate recognised for another target; for a level answer, the level of
           the other certificate of the same trade
- nearby   for a pair the notice does not grant: the paths it does grant for those certificates

Each suggestion is a full question (it names both certificates), so it is understood the same
way whatever was asked before. Pure functions of (reply, rules, catalog); the app only renders.
"""
from __future__ import annotations

import functools

from dataclasses import dataclass

MAX_SUGGESTIONS = 3


@dataclass(frozen=True)
class Suggestion:
    kind: str            # "level" | "reverse" | "sibling" | "nearby"
    question: str
    label: str           # short button text, e.g. "反过来:…"


def _short(catalog, cert_id: str) -> str:
    return catalog.certs[cert_id].short


def recognition_question(catalog, path, mode: str = "worker") -> str:
    who = "来电人" if mode == "helpline" else ""
    return f"{who}持有{_short(catalog, path.held)},申请{_short(catalog, path.target)},可以免什么培训或考试?"


def level_question(catalog, cert_id: str, mode: str = "worker") -> str:
    if mode == "helpline":
        return f"来电人持{_short(catalog, cert_id)},可视同什么技能等级?"
    return f"{_short(catalog, cert_id)}能算几级工?"


def _rule_of(reply) -> dict:
    rule = getattr(reply, "rule", None) if not isinstance(reply, dict) else reply.get("rule")
    return rule if isinstance(rule, dict) else {}


def _verdict_of(reply) -> str:
    return reply.get("verdict", "") if isinstance(reply, dict) else getattr(reply, "verdict", "")


def follow_ups(reply, rules, catalog, limit: int = MAX_SUGGESTIONS, mode: str = "worker") -> list[Suggestion]:
    """Up to `limit` follow-up questions for `reply` (a Reply or its to_dict()); [] when none applies.
    mode "helpline" words them as an agent types a caller's question (来电人…)."""
    if _verdict_of(reply) not in ("answered", "not_covered"):
        return []
    rule = _rule_of(reply)
    by_number = {p.number: p for p in rules.paths}
    out: list[Suggestion] = []

    def add(kind: str, question: str, label: str) -> None:
        if question not in {s.question for s in out}:
            out.append(Suggestion(kind, question, label))

    paths = [by_number[n] for n in rule.get("paths") or [] if n in by_number]
    if rule.get("level") in catalog.certs:
        cert = rule["level"]
        trade = catalog.certs[cert].trade
        for p in rules.paths_from(cert)[:1]:
            add("sibling", recognition_question(catalog, p, mode), f"持{_short(catalog, cert)}还能免什么")
        for other in catalog.certs:
            if other != cert and catalog.certs[other].trade == trade and rules.level_for(other):
                if rules.level_for(other).equivalent != rules.level_for(cert).equivalent:
                    add("sibling", level_question(catalog, other, mode), f"{_short(catalog, other)}算几级")
                    break
    elif paths:
        p = paths[0]
        if rules.level_for(p.held):
            add("level", level_question(catalog, p.held, mode), f"{_short(catalog, p.held)}算几级工")
        back = rules.recognition_for(p.target, p.held)
        if back is not None:
            add("reverse", recognition_question(catalog, back, mode),
                f"反过来:{_short(catalog, p.target)}申请{_short(catalog, p.held)}")
        shown = {x.number for x in paths}
        siblings = [x for x in rules.paths_to(p.target) if x.number not in shown] + \
                   [x for x in rules.paths_from(p.held) if x.number not in shown]
        for x in siblings[:1]:
            add("sibling", recognition_question(catalog, x, mode),
                f"{_short(catalog, x.held)}申请{_short(catalog, x.target)}")
    else:
        for n in rule.get("nearby") or []:
            if n in by_number:
                p = by_number[n]
                add("nearby", recognition_question(catalog, p, mode),
                    f"{_short(catalog, p.held)}申请{_short(catalog, p.target)}")
    return out[:limit]


def examples(knowledge_dir, mode: str = "worker") -> list[str]:
    """Example questions for the audience: knowledge/examples.json `helpline` (agent wording) or `examples`."""
    data = _examples_file(str(knowledge_dir))
    if mode == "helpline" and data.get("helpline"):
        return list(data["helpline"])
    return list(data.get("examples", []))


@functools.lru_cache(maxsize=8)
def _examples_file(knowledge_dir: str) -> dict:
    """Read once per process: the page draws the examples on every run of every session."""
    import json
    from pathlib import Path
    return json.loads((Path(knowledge_dir) / "examples.json").read_text(encoding="utf-8"))
