"""The question reader's vocabulary (knowledge/vocabulary.json), checked as it loads.

Markers, flags, nicknames and hints are data, so adding a word changes no Python.
The file is checked against SCHEMA when it loads: a missing key, a list holding a
number or a pattern that does not compile stops the start with a message naming
the key, instead of a question later being misread.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import Settings

WORDS, REGEX, INT, NAMES = "words", "regex", "int", "names"
# key -> kind; a dict is a nested object whose keys are checked the same way.
# ("map", kind): an object of any keys (those starting with "_" are comments) whose values are `kind`.
SCHEMA = {
    "departments": WORDS,
    "department_hints": ("map", "str"),
    "level_certificate_department": "str",
    "held_markers": WORDS,
    "target_markers": WORDS,
    "negated_held": {"words": WORDS},
    "role_window": INT,
    "clause_break": REGEX,
    "comparison": {"before": REGEX, "after": REGEX},
    "label_markers": {"held": WORDS, "target": WORDS},
    "fillers": {"bare": "str", "answer": "str"},
    "apposition": {"words": WORDS},
    "former_markers": {"words": WORDS},
    "correction": {"before": REGEX},
    "self_correction": {"before": REGEX},
    "duty_ask": {"asks": REGEX, "parties": REGEX},
    "word_groups": {"relatives": WORDS},
    "hint_as_issuer": {"before": REGEX, "after": REGEX},
    "person": {"other": REGEX, "self": REGEX, "other_holds": REGEX, "caller": REGEX, "pronoun": REGEX},
    "negated_held_around": {"before": REGEX, "after": REGEX},
    "equated_before": {"before": REGEX},
    "issuer_correction": REGEX,
    "other_issuers": {"words": WORDS},
    "issued_by": REGEX,
    "level_cert_wanted": REGEX,
    "article_ref": REGEX,
    "annex_row": REGEX,
    "scripted_reply": REGEX,
    "broadcast_claim": REGEX,
    "substitute_markers": {"words": WORDS},
    "question_cue": REGEX,
    "article_ask": REGEX,
    "on_subject": {"words": WORDS},
    "foreign_places": WORDS,
    "certificate_like": {"suffix": REGEX, "cut": WORDS, "stop": WORDS, "generic_terms": WORDS},
    "level_certificate": {"after_trade": REGEX, "before_trade": REGEX},
    "level_words": REGEX,
    "level_rank": ("map", INT),
    "level_equivalent": REGEX,
    "level_apply": REGEX,
    "level_ask": REGEX,
    "flags": ("map", REGEX),
    "status_flags": WORDS,
    "asks": ("map", REGEX),
    "asks_ignore": REGEX,
    "open_question": REGEX,
    "target_after": REGEX,
    "consequence": ("map", REGEX),
    "illegal": REGEX,
    "off_topic_task": REGEX,
    "question_focus": REGEX,
    "reverse": REGEX,
    "substitute": REGEX,
    "injection": REGEX,
    "metadata": ("map", REGEX),
    "domain": REGEX,
    "site": REGEX,
    "greeting": REGEX,
    "follow_up": REGEX,
    "elliptical_start": REGEX,
    "this_certificate": REGEX,
    "pick": REGEX,
    "overview": REGEX,
    "compare_paths": REGEX,
    "asks_same": REGEX,
    "holds_some": REGEX,
    "where": REGEX,
    "pick_last": REGEX,
    "which_certificates": REGEX,
    "asks_the_notice": REGEX,
    "dont_know": REGEX,
    "benefit_question": REGEX,
    "dismissed": REGEX,
    "vague_ask": REGEX,
    "occupation_before": REGEX,
    "apposition_restate": REGEX,
    "obtain_markers": {"words": WORDS},
    "conjunction": REGEX,
    "held_after": REGEX,
    "reveal_prompt": REGEX,
    "forced_answer": REGEX,
    "negated_before": REGEX,
    "marker_false_friends": {"words": WORDS},
    "double_negation": {"words": WORDS},
    "pick_english": REGEX,
    "apply_verb": REGEX,
    "occupation_after": REGEX,
    "after_obtaining": REGEX,
    "holds_both": REGEX,
    "not_stated_topics": ("map", "str"),
    "heading_words": ("map", REGEX),
}


class VocabularyError(ValueError):
    """knowledge/vocabulary.json does not have the shape SCHEMA asks for."""


def check(data: dict, schema: dict = SCHEMA, where: str = "vocabulary.json") -> None:
    for key, kind in schema.items():
        if key not in data:
            raise VocabularyError(f"{where}: missing key {key!r}")
        _check_value(data[key], kind, f"{where}: {key}")


def _check_value(value, kind, where: str) -> None:
    if isinstance(kind, dict):
        if not isinstance(value, dict):
            raise VocabularyError(f"{where}: expected an object")
        check(value, kind, where)
    elif isinstance(kind, tuple):
        if not isinstance(value, dict):
            raise VocabularyError(f"{where}: expected an object")
        for k, v in value.items():
            if not k.startswith("_"):
                _check_value(v, kind[1], f"{where}.{k}")
    elif kind == WORDS:
        if not (isinstance(value, list) and value and all(isinstance(w, str) and w for w in value)):
            raise VocabularyError(f"{where}: expected a non-empty list of non-empty strings")
    elif kind == INT:
        if not isinstance(value, int) or isinstance(value, bool):
            raise VocabularyError(f"{where}: expected an integer")
    elif kind == "str":
        if not isinstance(value, str) or not value:
            raise VocabularyError(f"{where}: expected a non-empty string")
    elif kind == REGEX:
        if not isinstance(value, str) or not value:
            raise VocabularyError(f"{where}: expected a regular expression")
        try:
            re.compile(value)
        except re.error as exc:
            raise VocabularyError(f"{where}: the pattern does not compile ({exc})") from exc


def _with_word_groups(data: dict) -> dict:
    """Every "{name}" of `word_groups` in a string stands for any word of that group, longest first, so a list
    several patterns share (who counts as another person) is written once."""
    groups = data.get("word_groups")
    if not isinstance(groups, dict):
        raise VocabularyError("vocabulary.json: missing key 'word_groups'")
    alternation = {}
    for name, words in groups.items():
        if not name.startswith("_"):
            _check_value(words, WORDS, f"vocabulary.json: word_groups.{name}")
            alternation["{" + name + "}"] = "(?:" + "|".join(map(re.escape, sorted(words, key=len, reverse=True))) + ")"

    def expand(value):
        if isinstance(value, dict):
            return {k: v if k == "word_groups" else expand(v) for k, v in value.items()}
        if isinstance(value, list):
            return [expand(v) for v in value]
        if isinstance(value, str):
            for token, alt in alternation.items():
                value = value.replace(token, alt)
        return value
    return expand(data)


def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


def _rx_map(entries: dict) -> dict[str, re.Pattern]:
    return {k: _rx(v) for k, v in entries.items() if not k.startswith("_")}


def _str_map(entries: dict) -> dict:
    return {k: v for k, v in entries.items() if not k.startswith("_")}


@dataclass(frozen=True)
class Vocabulary:
    raw: dict
    departments: tuple[str, ...]
    department_hints: dict
    level_certificate_department: str
    markers: tuple[tuple[str, str], ...]      # (marker, role: held / target / former), longest first
    negations: tuple[str, ...]
    role_window: int
    clause: re.Pattern
    compare_before: re.Pattern
    compare_after: re.Pattern
    correction_before: re.Pattern
    label_markers: tuple[tuple[str, str], ...]   # ("目标证书", "target"): a role before a colon
    foreign_places: tuple[str, ...]
    cert_like: re.Pattern
    cert_like_cut: tuple[str, ...]
    cert_like_stop: frozenset
    cert_like_generic: tuple[str, ...]
    level_certificate: re.Pattern
    fillers: dict                            # "bare" / "answer" -> the characters that may stand around a name
    apposition: frozenset
    other_issuers: tuple[str, ...]
    substitute_markers: frozenset
    on_subject: tuple[str, ...]
    level_words: re.Pattern
    level_rank: dict
    level_rank_rx: re.Pattern
    level_equivalent: re.Pattern
    level_apply: re.Pattern
    level_ask: re.Pattern
    flags: dict
    status_flags: frozenset
    asks: dict
    consequence: dict
    metadata: dict
    not_stated_topics: dict
    heading_words: dict                  # article -> the words of its heading ("二(一)": 比照认定)
    patterns: dict                            # the single patterns (SINGLE, and NESTED as "key.field"), by key
    word_lists: dict                          # WORD_LISTS, by key

    def rx(self, key: str) -> re.Pattern:
        return self.patterns[key]

    def words(self, key: str) -> tuple[str, ...]:
        return self.word_lists[key]


SINGLE = ("negated_before", "dismissed", "forced_answer", "reveal_prompt", "held_after", "conjunction", "vague_ask", "occupation_before", "apposition_restate", "benefit_question", "dont_know", "pick_english", "asks_the_notice", "which_certificates", "apply_verb", "pick_last", "occupation_after", "after_obtaining", "holds_both", "annex_row", "scripted_reply", "broadcast_claim", "question_cue", "article_ref", "article_ask", "issuer_correction", "issued_by", "level_cert_wanted", "asks_ignore", "open_question", "target_after", "illegal", "off_topic_task", "question_focus", "reverse", "substitute", "injection", "domain", "site",
          "greeting", "follow_up", "elliptical_start", "this_certificate", "pick", "overview", "compare_paths",
          "holds_some", "where", "held_subject_after", "source_ask", "back_to_earlier", "hearsay", "hearsay_claim", "pair_restart", "also_holds", "mutual", "mind_change", "obtain_first",
          "not_taking", "level_exam_applied", "trade_scope", "annex_table", "alternative", "waiver_word", "exam_after_name", "applying_after_name", "goes_to_apply", "applies_next", "certificate_suffix", "place_after", "which_clause", "relevance", "recognition_words", "each_pair", "notice_or_policy", "notice_word", "issued_by_whom", "open_level_ask", "amount", "set_aside", "asks_same", "new_question", "holders_of", "both_of_us", "apply_only", "site_background", "level_prerequisite", "which_target", "whole_item", "which_higher", "vague_certificate", "level_certificate_word", "notice_scope_ask", "claimed_rule", "ends_as_certificate", "site_of_work", "fetched_from", "classified_as", "failed_right_after", "being_obtained", "rides_along", "owner_before", "claim_check", "obtain_another", "writing_task", "bare_certificate_word", "expiry_supposed", "unmodelled_name_joint", "unmodelled_name_break", "correction_opening", "conditions_ask", "level_to_take", "greeting_opener", "described_as", "everywhere_ask", "foreign_certificate_word", "level_after_trade", "points_back", "issued_directly", "exam_named_by_trade", "used_to_obtain", "borrowing", "skip_noun", "skip_need", "counted_before", "which_one", "coordinator", "exemption_word", "issuer_ask", "either_way", "unnamed_wanted", "instrument_before", "sentence_break", "several_announced", "errand_tail", "supposing", "trade_unsaid", "welding_word", "issuer_label", "waiver_stated", "confirm_only", "rule_source_ask", "level_stated", "level_own_ask", "open_level_followup", "rules_asked", "stands_in_for", "swapped_for", "not_an_answer", "held_list", "plan_order", "on_the_certificate", "that_one", "asked_first", "one_of_them", "place_copula", "level_applied_claim", "speaker_after", "single_issuer_claim", "plan_first_asked", "whether_any", "certificate_without_exam", "both_ways_asked", "all_held_after", "exam_kind_after", "job_title_before", "reported_remark", "waived_named_claim", "notice_has_it", "issuer_claim", "addressee_included", "level_yes_no", "issuer_restated", "issuer_included", "work_without")
# Patterns inside an object, compiled once like the single ones and looked up as "key.field".
NESTED = ("level_certificate.before_trade", "person.other", "person.self", "person.other_holds", "person.caller",
          "person.pronoun", "hint_as_issuer.before", "hint_as_issuer.after", "self_correction.before",
          "negated_held_around.before", "negated_held_around.after", "equated_before.before", "duty_ask.asks",
          "duty_ask.parties", "person_name.pattern", "person_name.plural", "person_name.kin", "person_name.self")
WORD_LISTS = ("marker_false_friends", "obtain_markers", "double_negation", "wanted_joiners", "female_relatives", "level_markers")


def from_data(data: dict) -> Vocabulary:
    data = _with_word_groups(data)
    check(data)
    markers = ({m: "held" for m in data["held_markers"]} | {m: "target" for m in data["target_markers"]}
               | {m: "former" for m in data["former_markers"]["words"]})
    ranks = data["level_rank"]
    return Vocabulary(
        raw=data,
        departments=tuple(data["departments"]),
        department_hints=_str_map(data["department_hints"]),
        level_certificate_department=data["level_certificate_department"],
        markers=tuple(sorted(markers.items(), key=lambda kv: len(kv[0]), reverse=True)),
        negations=tuple(sorted(data["negated_held"]["words"], key=len, reverse=True)),
        role_window=data["role_window"],
        clause=re.compile(data["clause_break"]),
        compare_before=_rx(data["comparison"]["before"]),
        compare_after=_rx(data["comparison"]["after"]),
        correction_before=_rx(data["correction"]["before"]),
        label_markers=tuple((w, role) for role in ("held", "target") for w in data["label_markers"][role]),
        foreign_places=tuple(data["foreign_places"]),
        cert_like=_rx(data["certificate_like"]["suffix"]),
        cert_like_cut=tuple(sorted(data["certificate_like"]["cut"], key=len, reverse=True)),
        cert_like_stop=frozenset(data["certificate_like"]["stop"]),
        cert_like_generic=tuple(data["certificate_like"]["generic_terms"]),
        level_certificate=_rx(data["level_certificate"]["after_trade"]),
        fillers={k: v for k, v in data["fillers"].items() if not k.startswith("_")},
        apposition=frozenset(data["apposition"]["words"]),
        other_issuers=tuple(sorted(data["other_issuers"]["words"], key=len, reverse=True)),
        substitute_markers=frozenset(data["substitute_markers"]["words"]),
        on_subject=tuple(data["on_subject"]["words"]),
        level_words=_rx(data["level_words"]),
        level_rank=_str_map(ranks),
        level_rank_rx=re.compile("|".join(re.escape(k) for k in sorted(_str_map(ranks), key=len, reverse=True))),
        level_equivalent=_rx(data["level_equivalent"]),
        level_apply=_rx(data["level_apply"]),
        level_ask=_rx(data["level_ask"]),
        flags=_rx_map(data["flags"]),
        status_flags=frozenset(data["status_flags"]),
        asks=_rx_map(data["asks"]),
        consequence=_rx_map(data["consequence"]),
        metadata=_rx_map(data["metadata"]),
        not_stated_topics=_str_map(data["not_stated_topics"]),
        heading_words=_rx_map(data["heading_words"]),
        patterns={k: _rx(data[k]) for k in SINGLE} | {k: _rx(data[k.split(".")[0]][k.split(".")[1]]) for k in NESTED},
        word_lists={k: tuple(data[k]["words"]) for k in WORD_LISTS},
    )


@lru_cache(maxsize=4)
def vocabulary(knowledge_dir: Path = Settings.knowledge_dir) -> Vocabulary:
    path = knowledge_dir / "vocabulary.json"
    return from_data(json.loads(path.read_text(encoding="utf-8")))
