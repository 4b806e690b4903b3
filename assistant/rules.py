"""The notice's recognition and level rules as lookups over knowledge tables.

The tables come from ingest (knowledge/annex_derived.json and levels.json, checked
against the parsed body, or an official annex if one is placed in sources/).
Anything not in a table is not provided for by the notice: recognition_for
returns None and the caller says so.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Path:
    number: int
    held: str
    target: str
    waived: str
    then: str
    condition: str
    article: str
    quote: str            # the body sentence (or official annex row) the path restates
    derived: bool
    annex_rows: str
    note: str


@dataclass(frozen=True)
class Level:
    held: str
    equivalent: str
    may_apply_for: str
    occupation: str
    article: str
    quote: str
    rank: int


class Rules:
    def __init__(self, tables: dict):
        self.doc = tables["doc"]
        self.source = tables["source"]
        self.paths = [Path(p["path"], p["held"], p["target"], p["waived"], p["then"], p.get("condition", ""),
                           p["derived_from"].get("article", p["article"]), p["derived_from"]["quote"],
                           p["derived"], p["annex_rows"], p["note"]) for p in tables["paths"]]
        ranks = tables["level_ranks"]
        self.rank_names = {v: k for k, v in ranks.items()}
        self.levels = {r["held"]: Level(r["held"], r["equivalent"], r["may_apply_for"], r["occupation"],
                                        r["article"], r["derived_from"]["quote"], ranks[r["equivalent"]])
                       for r in tables["levels"]}

    def recognition_for(self, held: str, target: str) -> Path | None:
        return next((p for p in self.paths if p.held == held and p.target == target), None)

    def paths_from(self, held: str) -> list[Path]:
        return [p for p in self.paths if p.held == held]

    def paths_to(self, target: str) -> list[Path]:
        return [p for p in self.paths if p.target == target]

    def level_for(self, held: str) -> Level | None:
        return self.levels.get(held)
