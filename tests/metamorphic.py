"""A generator of conversations whose right answer follows from the pair they name.

Every ordered pair of the six certificates, and certificates the notice does not model
in either role, each asked in many phrasings (department nicknames, typos, traditional
characters, fillers, run-ons, comparison clauses, formal helpline wording), plus a level
question per certificate. Each item is asked alone and after 1–3 unrelated turns; the
expected reply is the same either way (the context policy's invariant).

The expectations come from the notice's own table (knowledge/annex_derived.json and
levels.json), not from the code under test.
"""
from __future__ import annotations

import json
import random
from dataclasses import dataclass
from pathlib import Path

from opencc import OpenCC

KNOWLEDGE = Path(__file__).resolve().parent.parent / "knowledge"
_s2t = OpenCC("s2t")

# How workers and agents name each certificate (nicknames, departments, typos).
NAMES = {
    "em_low_voltage": ["低压电工证", "安监局发的低压电工证", "应急管理局的低压电工作业证", "低压电工作业特种作业操作证",
                       "安监那边的低压证", "应急的低压电工操作证"],
    "em_high_voltage": ["高压电工证", "安监局的高压电工作业证", "应急管理部门颁发的高压电工作业特种作业操作证", "应急局高压证",
                        "安监发的高压电工操作证", "高压电工作业证"],
    "em_welding": ["熔化焊接与热切割作业证", "应急局的熔焊证", "安监发的焊接与热切割证", "熔化焊接证",
                   "应急管理部门的熔化焊接与热切割作业特种作业操作证", "安监的熔化焊接作业证"],
    "mohurd_electrician": ["建筑电工证", "住建的建筑电工证", "建委发的建筑电工操作证", "建筑电工特种作业操作证",
                           "住建局的建筑施工电工证", "住建部门的建筑电工证"],
    "mohurd_welder": ["建筑焊工证", "住建局的建筑焊工证", "建委的建筑焊工操作证", "建筑焊工特种作业操作证",
                      "住建发的建筑焊工证", "建筑施工焊工证"],
    "samr_welder": ["特种设备焊接操作人员证书", "质监局的特种设备焊工证", "锅炉压力容器焊工证", "市场监管局发的特设焊工证",
                    "特种设备焊接证", "压力管道焊工证"],
}
SHORT = {"em_low_voltage": "低压", "em_high_voltage": "高压", "em_welding": "熔化焊接", "mohurd_electrician": "建筑电工",
         "mohurd_welder": "建筑焊工", "samr_welder": "特种设备焊接"}
# Certificates the notice does not model, and the word the answer must name.
UNMODELLED = {"叉车证": "叉车", "电梯作业证": "电梯", "登高架设作业证": "登高架设", "审计师证": "审计师",
              "香港的电工牌": "香港", "制冷与空调作业证": "制冷与空调", "人社发的电工中级工证书": "电工",
              "会计证": "会计"}

# {h}: held, {w}: wanted, {c}: a third certificate named only for comparison.
# asks: what the phrasing asks to skip ("" = no specific item, "training", "all").
PHRASINGS = [
    ("我有{h},想考{w},还要培训吗?", "training"),
    ("{h}能换{w}吗", "all"),        # the certificate itself: part is waived, never a plain 可以
    ("持有{h}的人员申请{w},可以免予哪些培训或考试?", ""),
    ("我手上有个{h},现在想去办{w},能不能少考点", ""),
    ("请问:来电人持{h},拟申请{w},是否可以免培训?", "training"),
    ("俺有{h} 想弄个{w} 要上课不", "training"),
    ("{h}去考{w}有没有什么优惠政策", ""),
    ("我持有{h}。想申请{w}。培训能免吗?", "training"),
    ("拿着{h}申请{w}要不要重新培训啊", "training"),
    ("嗯嗯 那个 我有{h} 然后呢 想考{w} 培训还用去吗", "training"),
    ("我有{h}想考{w}培训免不免啊师傅麻烦快点回我一下谢谢", "training"),
    ("我已经取得{h},现在申请{w},培训能免吗?跟考{c}的时候一样吗?", "training"),
    ("我有{h}，想考{w}，要培训吗？", "training"),
    ("您好,咨询一下,本人持{h},准备报考{w},是不是全都不用考了?", "all"),
    ("{w}想考一个,我已经有{h}了,能免培训不", "training"),
    ("TRAD:我有{h},想考{w},还要培训吗?", "training"),
    ("我有{h},想考{w},還要陪訓嗎", "training"),
]
LEVEL_PHRASINGS = ["{h}能评几级?", "我有{h},算几级工", "拿{h}可以报什么等级的技能等级认定?"]
UNRELATED = ["今天天气怎么样", "这个通知的文号是多少?", "一试多证是什么意思?", "你好", "在哪里可以查询职业资格证书?",
             "帮我写首诗吧", "这份通知是哪几个部门发的?"]


@dataclass(frozen=True)
class Item:
    question: str
    kind: str                 # "pair" | "unmodelled" | "level"
    held: str                 # certificate id, or an unmodelled surface
    wanted: str
    verdict: str
    article: str              # the item a right answer cites ("" when none is required)
    names: tuple              # words the answer must contain
    polarity: str             # "yes" | "no" | "partial" | "" (not a yes/no question)


def tables():
    paths = json.loads((KNOWLEDGE / "annex_derived.json").read_text(encoding="utf-8"))["paths"]
    levels = json.loads((KNOWLEDGE / "levels.json").read_text(encoding="utf-8"))["rows"]
    return {(p["held"], p["target"]): p for p in paths}, {r["held"]: r for r in levels}


def expected_polarity(path: dict, asks: str) -> str:
    """From the notice's table: what the lead must say to the question as asked."""
    if asks == "all":
        return "partial"
    if asks == "training":
        return "yes" if "培训" in path["waived"] else "no"
    return "yes"


def _question(template: str, h: str, w: str, c: str) -> str:
    if template.startswith("TRAD:"):
        return _s2t.convert(template[5:].format(h=h, w=w, c=c))
    return template.format(h=h, w=w, c=c)


def items(seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    paths, levels = tables()
    ids = list(NAMES)
    out = []
    for h in ids:
        for w in ids:
            for template, asks in PHRASINGS * 2:    # two draws of names per phrasing
                c = rng.choice([x for x in ids if x not in (h, w)])
                q = _question(template, rng.choice(NAMES[h]), rng.choice(NAMES[w]), rng.choice(NAMES[c]))
                p = paths.get((h, w))
                out.append(Item(q, "pair", h, w, "answered" if p else "not_covered", p["article"] if p else "",
                                (SHORT[h], SHORT[w]), expected_polarity(p, asks) if p else "no"))
    for name, word in UNMODELLED.items():
        for known in ids:
            for template, asks in rng.sample(PHRASINGS, 6):
                c = rng.choice([x for x in ids if x != known])
                for held, wanted in ((name, rng.choice(NAMES[known])), (rng.choice(NAMES[known]), name)):
                    q = _question(template, held, wanted, rng.choice(NAMES[c]))
                    out.append(Item(q, "unmodelled", held, wanted, "not_covered", "", (word,), "no"))
    for h in ids:
        for template in LEVEL_PHRASINGS:
            for name in NAMES[h][:3]:
                lv = levels[h]
                out.append(Item(template.format(h=name), "level", h, "", "answered", "二(一)",
                                (SHORT[h], lv["equivalent"]), ""))
    return out


def histories(n: int, seed: int = 11) -> list[list[str]]:
    """n histories of 1–3 unrelated turns: asides, other topics, and other certificates' questions."""
    rng = random.Random(seed)
    pool = UNRELATED + [i.question for i in items(seed)[::37]]
    return [rng.sample(pool, rng.randint(1, 3)) for _ in range(n)]
