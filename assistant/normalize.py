"""Question text -> the notice's own vocabulary.

Workers write 繁體, full-width punctuation, stray spaces, and call departments by
their old or local names (安监局, 建委, 质监局). BM25, the embedding and the entity
reader all work better on the notice's wording, so every question passes through
here first. The alias table is data: knowledge/aliases.json.
"""
from __future__ import annotations

import json
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from opencc import OpenCC

from .config import Settings

_t2s = OpenCC("t2s")
CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\uff08\uff09()])\s+(?=[\u3400-\u9fff()\uff08\uff09])")
# Control and format characters, and lone surrogates (not encodable, so not searchable).
CONTROL = re.compile(r"[\u0000-\u0008\u000b-\u001f\u007f-\u009f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]")


class AliasTable:
    def __init__(self, mapping: dict[str, str], sentence_ends: tuple[str, ...] = (), openers: tuple[str, ...] = (),
                 pinyin: dict | None = None):
        self.mapping = mapping
        self.pinyin = {s: hanzi for hanzi, surfaces in (pinyin or {}).get("words", {}).items() for s in surfaces}
        self.pinyin_pattern = re.compile("|".join(_whole_word(s) for s in sorted(self.pinyin, key=len, reverse=True))) \
            if self.pinyin else None
        self.syllable = re.compile(f"^(?:{pinyin['syllable']})+$") if pinyin else None
        ends = "|".join(re.escape(w) for w in sorted(sentence_ends, key=len, reverse=True))
        self.sentence_end = re.compile(f"({ends})\\s+(?=[\\u3400-\\u9fff])") if ends else None
        starts = "|".join(re.escape(w) for w in sorted(openers, key=len, reverse=True))
        self.sentence_start = re.compile(f"(?<=[\\u3400-\\u9fff])\\s+(?=({starts}))") if starts else None
        surfaces = sorted(mapping, key=len, reverse=True)
        self.pattern = re.compile("|".join(_whole_word(s) for s in surfaces))

    @classmethod
    def load(cls, knowledge_dir: Path) -> "AliasTable":
        data = json.loads((knowledge_dir / "aliases.json").read_text(encoding="utf-8"))
        mapping = {}
        for group in ("departments", "terms", "english", "typos", "cantonese"):
            for canonical, surfaces in data[group].items():
                mapping[canonical] = canonical
                for s in surfaces:
                    mapping[s] = canonical
        ends = data["sentence_end_before_space"]
        return cls(mapping, tuple(ends["particles"]) + tuple(ends["words"]), tuple(ends.get("openers", ())),
                   data.get("pinyin"))

    def from_pinyin(self, text: str) -> str:
        """"wo you di ya dian gong zheng, ke yi mian pei xun ma": read as Chinese, when it has no Chinese
        characters and most of its words are pinyin syllables (an English question is left alone)."""
        if not self.pinyin_pattern:
            return text
        if re.search(r"[\u3400-\u9fff]", text):
            return self._pinyin_runs(text)
        # "wǒ yǒu gāoyā diàngōng zhèng": tone marks are read as the plain letters
        plain = "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))
        if plain != text and plain.isascii():
            text = plain
        words = re.findall(r"[a-z]+", text.lower())
        if len(words) < 3 or sum(bool(self.syllable.match(w)) for w in words) < 0.8 * len(words):
            return text
        return self.pinyin_pattern.sub(lambda m: self.pinyin[m.group(0)], text.lower())

    def _pinyin_runs(self, text: str) -> str:
        """"gaoya电工证 suan ji ji gong a": pinyin typed beside characters is read too, when every Latin word in the
        message is a pinyin syllable (so "low voltage证" or "ok" is left alone)."""
        words = re.findall(r"[A-Za-z]+", text)
        if len(words) < 2 or not all(self.syllable.match(w.lower()) for w in words):
            return text
        return re.sub(r"[A-Za-z][A-Za-z\s]*", lambda m: self.pinyin_pattern.sub(lambda p: self.pinyin[p.group(0)],
                                                                             m.group(0).lower()), text)

    def end_sentences(self, text: str) -> str:
        text = self.sentence_end.sub(r"\1,", text) if self.sentence_end else text
        return self.sentence_start.sub(",", text) if self.sentence_start else text

    def rewrite(self, text: str) -> str:
        # One left-to-right pass, longest surface first, so a canonical name is never rewritten again.
        return self.pattern.sub(lambda m: self.mapping[m.group(0)], text)


def _whole_word(surface: str) -> str:
    """An English surface matches whole words only ("test" is not rewritten inside "latest"), and not as a part
    of a web address ("mohrss" in "www.mohrss.gov.cn" stays, so the address can be checked against the notice's)."""
    rx = re.escape(surface)
    if surface[:1].isascii() and surface[:1].isalpha():
        rx = r"(?<![a-z.])" + rx
    if surface[-1:].isascii() and surface[-1:].isalpha():
        rx += r"(?![a-z]|\.[a-z])"
    return rx


@lru_cache(maxsize=4)
def alias_table(knowledge_dir: Path = Settings.knowledge_dir) -> AliasTable:
    return AliasTable.load(knowledge_dir)


def clean(text: str) -> str:
    """Width, script and whitespace only: what a quote comparison may also ignore."""
    text = CONTROL.sub(" ", unicodedata.normalize("NFKC", text))
    text = _t2s.convert(text)
    text = CJK_SPACE.sub("", text)
    return re.sub(r"\s+", " ", text).strip()


def normalize(text: str, aliases: AliasTable | None = None) -> str:
    # Lower-cased so "I have" and "DAN" meet the same aliases and patterns as "i have" and "dan".
    table = aliases or alias_table()
    return table.rewrite(clean(table.end_sentences(table.from_pinyin(text))).lower())
