"""Evaluation over a conversations file: the batch input format plus gold fields.

Each line: {"id", "category", "turns": [...], "gold": [{"verdict", "items", "facts"}, ...]}.
A turn passes when its verdict is the gold one, every gold item is cited, every
gold fact appears in the answer or a quote, and, where the gold names the `lead`
(yes / no / partial: the short answer to the user's literal question), the reply's
polarity is that one. A conversation passes when all its turns do.

Two figures must be zero on every set:
- fabricated quotes (not verbatim in the indexed text);
- critical errors: `answered` where the gold verdict is not, an `answered` that misses a
  gold item or fact (an answer about another certificate or item), or a "yes" lead where
  the gold lead is "no" or "partial" (a confident "可以" on what the notice does not grant).
"""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from pathlib import Path

from .reply import VERDICTS
ITEM_ARTICLES = {"一(一)", "一(二)", "二(一)", "二(二)", "三(一)", "三(二)", "三(三)"}


def load(path) -> list[dict]:
    return [json.loads(line) for line in Path(path).read_text(encoding="utf-8").splitlines() if line.strip()]


def judge_turn(reply: dict, gold: dict, citer) -> dict:
    cited = {c["article"] for c in reply["citations"]}
    cited_items = cited & ITEM_ARTICLES
    gold_items = set(gold.get("items", []))
    text = reply["answer"] + "".join(c["quote"] for c in reply["citations"])
    missing_facts = [f for f in gold.get("facts", []) if f not in text]
    fabricated = [c for c in reply["citations"] if not citer.verify(c["doc"], c["article"], c["quote"])]
    polarity = reply_polarity(reply)
    wrong_lead = bool(gold.get("lead")) and gold["verdict"] == "answered" and polarity != gold["lead"]
    ok = (reply["verdict"] == gold["verdict"] and gold_items <= cited_items and not missing_facts and not fabricated
          and not wrong_lead)
    answered = reply["verdict"] == "answered"
    critical = answered and (gold["verdict"] != "answered" or not gold_items <= cited_items or bool(missing_facts)
                             or (wrong_lead and polarity == "yes"))
    return {"ok": ok, "critical": critical, "verdict": reply["verdict"], "gold_verdict": gold["verdict"],
            "step": reply.get("step", ""), "polarity": polarity, "gold_lead": gold.get("lead"),
            "cited_items": sorted(cited_items), "gold_items": sorted(gold_items), "missing_facts": missing_facts,
            "fabricated": len(fabricated)}


def reply_polarity(reply: dict) -> str:
    """The short answer the reply's lead gives: "yes", "no", "partial" or ""."""
    if reply.get("polarity") is not None:
        return reply["polarity"]
    # Replies from before the typed lead: read the first words the way a worker would.
    head = reply.get("answer", "").lstrip("*")
    if head.startswith("可以"):
        return "yes"
    if head.startswith("不能完全免考"):
        return "partial"
    return ""


def evaluate(assistant, path) -> dict:
    rows = load(path)
    per_category = defaultdict(lambda: [0, 0])
    confusion = Counter()
    tp = fp = fn = fabricated = 0
    failures = []
    answered_uncovered = critical = 0
    per_step = Counter()
    failing_steps = Counter()
    for row in rows:
        conv = assistant.conversation(mode=row.get("mode", "worker"))
        turns_ok = True
        for question, gold in zip(row["turns"], row["gold"]):
            reply = conv.ask(question).to_dict()
            j = judge_turn(reply, gold, assistant.citer)
            confusion[(j["gold_verdict"], j["verdict"])] += 1
            ci, gi = set(j["cited_items"]), set(j["gold_items"])
            if gold["verdict"] in ("answered", "not_covered") and gi:
                tp += len(ci & gi); fp += len(ci - gi); fn += len(gi - ci)
            fabricated += j["fabricated"]
            if gold["verdict"] == "not_covered" and reply["verdict"] == "answered":
                answered_uncovered += 1
            critical += j["critical"]
            per_step[j["step"]] += 1
            if not j["ok"]:
                turns_ok = False
                failing_steps[j["step"]] += 1
                failures.append({"id": row["id"], "question": question, **j})
        cat = row.get("category", "all")
        per_category[cat][0] += turns_ok
        per_category[cat][1] += 1
    passed = sum(v[0] for v in per_category.values())
    return {"file": str(path), "conversations": len(rows), "passed": passed, "pass_rate": passed / max(1, len(rows)),
            "per_category": {k: {"passed": v[0], "total": v[1], "rate": v[0] / v[1]} for k, v in sorted(per_category.items())},
            "citation_precision": tp / max(1, tp + fp), "citation_recall": tp / max(1, tp + fn),
            "confusion": {g: {p: confusion[(g, p)] for p in VERDICTS} for g in VERDICTS},
            "fabricated_quotes": fabricated, "answered_on_not_covered": answered_uncovered,
            "critical_errors": critical,
            "per_step": {k: {"turns": per_step[k], "failing": failing_steps[k]} for k in sorted(per_step)},
            "failures": failures}


def print_report(r: dict) -> None:
    print(f"evaluation of {r['file']}: {r['passed']}/{r['conversations']} conversations pass ({r['pass_rate']:.1%})")
    print("\nper category:")
    for k, v in r["per_category"].items():
        print(f"  {k:14s} {v['passed']:3d}/{v['total']:<3d} {v['rate']:.1%}")
    print(f"\ncitations at item level: precision {r['citation_precision']:.3f}, recall {r['citation_recall']:.3f}")
    print(f"CRITICAL ERRORS: {r['critical_errors']}; fabricated quotes: {r['fabricated_quotes']}; "
          f"'answered' on gold not_covered: {r['answered_on_not_covered']}")
    if any(k for k in r["per_step"]):
        print("\nturns by the step that answered (failing / all):")
        for k, v in r["per_step"].items():
            print(f"  {k or '-':22s} {v['failing']:3d} / {v['turns']}")
    print("\nverdict confusion (rows gold, columns predicted):")
    print(" " * 14 + "".join(f"{p:>14s}" for p in VERDICTS))
    for g in VERDICTS:
        print(f"{g:14s}" + "".join(f"{r['confusion'][g][p]:>14d}" for p in VERDICTS))
    if r["failures"]:
        print(f"\nfailing turns ({len(r['failures'])}):")
        for f in r["failures"]:
            flag = "CRITICAL " if f["critical"] else ""
            lead = f" lead={f['polarity']!r} vs {f['gold_lead']!r}" if f["gold_lead"] else ""
            print(f"  {flag}{f['id']}: {f['question'][:60]!r} gold={f['gold_verdict']} got={f['verdict']} "
                  f"step={f['step'] or '-'} items {f['cited_items']} vs {f['gold_items']} missing={f['missing_facts']}{lead}")
