"""Rule results -> worded answers for workers and for helpline staff.

Wording lives in prompts/answers.toml; this module only fills placeholders with
the notice's metadata and the rule result, so both audiences get the same
verdict, the same lead and the same citations.
"""
from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path


@lru_cache(maxsize=4)
def templates(prompts_dir: Path) -> dict:
    with open(prompts_dir / "answers.toml", "rb") as f:
        return tomllib.load(f)


class Wording:
    def __init__(self, prompts_dir: Path, metadata: dict):
        self.t = templates(prompts_dir)
        self.meta = metadata

    def badge(self, key: str) -> str:
        return self.t["badge"][key]

    def fields(self, fields: dict) -> dict:
        base = {"short_title": self.meta.get("short_title", ""), "title": self.meta.get("title", ""),
                "doc_number": self.meta.get("doc_number", ""), "condition": "", "annex": "", "label": "",
                "labels": "", "known": "", "extra": ""}
        return base | fields

    def lead(self, key: str, **fields) -> str:
        return self.t["lead"][key].format(**self.fields(fields)).strip()

    def render(self, key: str, **fields) -> dict[str, str]:
        """{"worker": ..., "helpline": ...} bodies for one template key."""
        f = self.fields(fields)
        return {mode: self.t[mode][key].format(**f).strip() for mode in ("worker", "helpline")}
