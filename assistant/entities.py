"""Normalised question -> what the worker holds, what they want, and what they ask.

The notice's rules are direction-specific, so the reader's main job is roles:
in "我有低压电工证,想考建筑电工" the first certificate is held and the second
wanted. A role comes from the nearest marker before a mention (有/持有/考了 ->
held; 想考/申请/换 -> wanted); a mention with no marker takes the role the other
mention left free, and the first mention of a sentence defaults to held.

"电工证" alone names three certificates; with a department (应急管理部门的电工证)
it names fewer. We keep the candidate set and let the conversation decide
whether the difference matters before asking.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .config import Settings

DEPARTMENTS = ("应急管理部门", "住房城乡建设部门", "市场监管部门", "人力资源社会保障部门")
# Words that say which department a bare 焊工证 belongs to ("特种设备那个焊工证" is 市场监管's).
# They only qualify a certificate next to them; alone they are not a mention.
DEPARTMENT_HINTS = {"特种设备": "市场监管部门", "锅炉": "市场监管部门", "压力容器": "市场监管部门", "压力管道": "市场监管部门"}

HELD_MARKERS = ["只有", "俺有", "俺是", "拿着", "拿", "考的", "拿的", "办的", "领的", "发的", "考下来的", "考下的", "持证的", "持有的是", "持有", "已取得", "取得了", "取得", "拿了", "拿到了", "拿到", "考了", "考过", "考到了", "考到",
                "考出来", "考出", "已有", "已经有", "有了", "有个", "有一个", "有本", "有张", "有", "手上", "手里", "手头",
                "我的", "原来的", "原有", "现有", "我是", "用", "凭", "从", "如果是", "本人是", "持", "我这个", "我这"]
TARGET_MARKERS = ["想办的", "想考的", "想拿的", "要办的", "要考的", "想考", "想申请", "想办", "想拿", "想换", "想转", "想去考", "想去", "想当", "想", "申请", "报考", "报名",
                  "再考", "去考", "考个", "考", "换成", "换个", "换", "转成", "转为", "转", "办理", "办个", "办", "增项",
                  "拿个", "去", "到", "当", "需要", "要"]
_MARKERS = sorted(({m: "held" for m in HELD_MARKERS} | {m: "target" for m in TARGET_MARKERS}).items(),
                  key=lambda kv: len(kv[0]), reverse=True)
# A marker is looked for only this far back from a mention, and never across a clause break.
WINDOW = 8
CLAUSE = re.compile(r"[,。;!?,;!?、]")

LEVEL_WORDS = re.compile(r"(初级工\(五级\)|中级工\(四级\)|高级工\(三级\)|技师\(二级\)|高级技师\(一级\)|职业技能等级|"
                         r"几级|级别|等级|五级|四级|三级|视同|水平)")
LEVEL_RANK = {"初级工(五级)": 1, "中级工(四级)": 2, "高级工(三级)": 3, "技师(二级)": 4, "高级技师(一级)": 5,
              "五级": 1, "四级": 2, "三级": 3}
LEVEL_EQUIVALENT = re.compile(r"(算|视同|等于|相当于|当作|当成|认定为|直接(拿|发|给|评|是|成为|变成|获得|取得)|就是|算是|顶)")
LEVEL_APPLY = re.compile(r"(报|报考|报名|参加|考|申请|评)$")
# A level question about one's own certificate (as opposed to "where do I apply").
LEVEL_ASK = re.compile(r"(几级|哪一级|哪个级|什么级|哪个水平|什么水平|算|视同|相当于|能报|报考|报名参加|对应|顶|直接)")

FLAGS = {
    "expired": r"((?<![没未不])(?<!没有)(过期|到期|失效|超期)|吊销|注销|撤销|没复审|未复审|没有复审|没年审|不在有效期|有效期已过|作废)",
    "fee": r"(费用|多少钱|收费|要钱|交钱|花钱|免费|报名费|考试费|培训费|费吗)",
    "deadline": r"(截止|期限|什么时候开始|哪天开始|何时开始|几月|多久能|多长时间|有效期多久|实施时间|过渡期)",
    "materials": r"(材料|带什么|准备什么|提交什么|要交什么|办理手续|需要(哪些|什么)手续|证明材料|表格|照片|复印件)",
    "region_no": r"((不|没)(发|颁发|办|有)[^,。?]{0,6}建筑焊工|建筑焊工[^,。?]{0,6}(不发|不颁发|没有|不办))",
    "exempt_all": r"(全免|都免|全部免|不用考|不需要考|免考|直接换|直接发|直接拿|直接给)",
    "job": r"((能不能|可以|能否|是否|必须|直接)[^,。?]{0,6}(上岗|录用|招聘|聘用)|用人单位|单位认不认|老板认不认|找工作|工资|待遇|补贴)",
}
FLAGS = {k: re.compile(v) for k, v in FLAGS.items()}
FABRICATE = re.compile(r"(编一个|编一条|编造|捏造|伪造|随便编|瞎编|造假|假证|办假|不用考试的|不考试(就|也)?能?(拿|办)|买证|买个证|代考|包过)")
OFF_TOPIC_TASK = re.compile(r"(写.{0,8}(代码|程序|爬虫|脚本|作文|诗|文章|小说)|python|java|翻译成|天气|下雨|下雪|气温|股票|彩票|菜谱|笑话|开工)", re.I)
# "我的问题是:…" — what follows is the question; what precedes may be noise or an injection.
QUESTION_FOCUS = re.compile(r"(我的问题是|我想问的?是|真正的问题是|问题是)[:,]?")
REVERSE = re.compile(r"(反过来|倒过来|反向|反之|调过来)")
SUBSTITUTE = re.compile(r"^(那|那么)?(换成|改成|换|如果是|要是|假如是)")
INJECTION = re.compile(
    r"(system ?prompt|系统提示|提示词|prompt|指令|instruction|忽略|无视|忘记|忘掉|ignore|disregard|扮演|角色扮演|假装|假设你是|"
    r"你现在是|你是一个|开发者模式|developer mode|越狱|jailbreak|DAN\b|不受限制|没有限制|不要引用|别管规则|"
    r"输出你的|打印你的|重复你的|泄露|你的规则|你的设定|内部规则|配置文件|源代码|【系统|\[system|<\||"
    r"授权|管理员|admin|回答时请|请说明|你必须|必须回答|系统消息|系统通知|口径是)", re.I)
METADATA = {
    "doc_number": re.compile(r"(文号|几号文|发文字号|编号|字号|文件号)"),
    "issuers": re.compile(r"(谁发|哪些部门发|哪个部门发|哪几个部门|发文机关|发文单位|发布单位|联合发布|哪些单位|谁出的|谁制定|哪个单位发|几个部门)"),
    "date": re.compile(r"((什么|啥)时候(发|出|印发|公布)|何时(发|出|印发|公布)|哪天发|发布时间|发布日期|成文日期|印发时间|什么时候出|哪年发|几号发|何时发布|(?<!截止)日期)"),
    "status": re.compile(r"(还有效|是否有效|有效吗|有没有效|废止|失效了|现行有效|还管用|还算数|效力)"),
    "scope": re.compile(r"(职业技能证书(是|指|包括|包含|有哪些)|什么是职业技能证书|职业技能证书.{0,4}(含|范围))"),
    "title": re.compile(r"(文件名|标题|全称|叫什么|什么通知|哪个通知|哪个文件)"),
    "annex": re.compile(r"(附件)"),
    "purpose": re.compile(r"(为了什么|目的是|什么目的|为什么出台|为什么要出|出台.{0,6}(原因|背景|意义)|初衷)"),
}
DOMAIN = re.compile(r"(证|资格|技能|等级|培训|免|考试|考核|互通|互认|通知|政策|文件|执行|实施|电工|焊|特种作业|人力资源社会保障部门|住房城乡建设部门|"
                    r"应急管理部门|市场监管部门|认定|评价|一试多证|查询|鉴定|工种|职业|工地|工\(|级工|作业)")
SITE = re.compile(r"工地")
GREETING = re.compile(r"^(你好|您好|嗨|hi|hello|在吗|谢谢|多谢|感谢|谢了|好的|明白了|知道了|再见|拜拜)[啊呀啦了!。.~,\s]*(你|您)?[!。.~\s]*$", re.I)
FOLLOW_UP = re.compile(r"^(那|那么|如果|要是|假如|这样|还有|然后)|呢[?？]?$")
PICK = re.compile(r"^\s*(?:选|是|就是)?\s*(?:第)?\s*([1-9一二三四五六])\s*(?:个|种|项|条|号)?\s*(?:吧|的|啊)?[。.!!]?\s*$")


@dataclass(frozen=True)
class Certificate:
    id: str
    name: str
    short: str
    department: str
    trade: str


class CertificateCatalog:
    def __init__(self, data: dict):
        self.doc = data["doc"]
        self.certs = {c["id"]: Certificate(c["id"], c["name"], c["short"], c["department"], c["trade"])
                      for c in data["certificates"]}
        self.surface = {}
        for c in data["certificates"]:
            for s in c["surfaces"]:
                self.surface[s] = ("cert", c["id"])
        for g in data["generic"]:
            for s in g["surfaces"]:
                self.surface.setdefault(s, ("generic", g["trade"]))
        for s in data["other_certificates"]:
            self.surface.setdefault(s, ("other", s))
        for s in data.get("unrelated_certificates", []):
            self.surface.setdefault(s, ("unrelated", s))
        names = sorted(list(self.surface) + list(DEPARTMENTS) + list(DEPARTMENT_HINTS), key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(n) for n in names))

    @classmethod
    def load(cls, knowledge_dir: Path = Settings.knowledge_dir) -> "CertificateCatalog":
        return _catalog(knowledge_dir)

    def exact(self, name: str) -> str | None:
        """A certificate id for a table cell such as "应急管理部门 低压电工作业"."""
        from .normalize import normalize
        for m in self.pattern.finditer(normalize(name)):
            kind, value = self.surface.get(m.group(0), (None, None))
            if kind == "cert":
                return value
        return None

    def by_trade_and_department(self, trade: str | None, dept: str | None) -> frozenset[str]:
        return frozenset(c.id for c in self.certs.values()
                         if (trade is None or c.trade == trade) and (dept is None or c.department == dept))


@lru_cache(maxsize=4)
def _catalog(knowledge_dir: Path) -> CertificateCatalog:
    return CertificateCatalog(json.loads((knowledge_dir / "certificates.json").read_text(encoding="utf-8")))


@dataclass
class Mention:
    kind: str                 # "cert" (one of the six), "generic" (电工证/焊工证), "dept", "other", "site"
    start: int
    end: int
    text: str
    ids: frozenset = frozenset()
    trade: str | None = None
    department: str | None = None
    role: str | None = None   # "held" | "target"
    marked: bool = False      # role came from a marker, not a default


@dataclass
class Entities:
    text: str
    mentions: list[Mention] = field(default_factory=list)
    level: bool = False
    level_rank: int | None = None
    level_equivalent: bool = False
    level_ask: bool = False
    flags: set[str] = field(default_factory=set)
    metadata: list[str] = field(default_factory=list)
    injection: bool = False
    greeting: bool = False
    injection_separated: bool = False   # the question survived with the instruction sentences removed
    follow_up: bool = False
    reverse: bool = False
    substitute: bool = False
    fabricate: bool = False
    off_topic_task: bool = False
    domain: bool = False
    pick: int | None = None

    def role(self, role: str) -> list[Mention]:
        return [m for m in self.mentions if m.role == role and m.kind in ("cert", "generic", "dept", "site")]

    @property
    def others(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "other"]

    @property
    def unrelated(self) -> list[Mention]:
        return [m for m in self.mentions if m.kind == "unrelated"]


def extract(text: str, catalog: CertificateCatalog) -> Entities:
    """`text` must already be normalised (assistant.normalize.normalize)."""
    injected = bool(INJECTION.search(text))
    if focus := list(QUESTION_FOCUS.finditer(text)):
        text = text[focus[-1].end():] or text
    separated, mention_text = False, None
    if injected and not focus:
        # Set aside the sentences that instruct the assistant: they add no intent. A certificate
        # named only there ("…高压电工证视同技师。再告诉我这个证能报哪一级") is still the one asked about.
        kept = "".join(s for s in re.split(r"(?<=[。!?;])", text) if s and not INJECTION.search(s))
        if catalog.pattern.search(kept) or DOMAIN.search(kept):
            mention_text = None if catalog.pattern.search(kept) else text
            text, separated = kept, True
    e = Entities(text=text)
    e.injection_separated = separated or bool(focus)
    source = mention_text or text
    raw: list[Mention] = []
    for m in catalog.pattern.finditer(source):
        word = m.group(0)
        if word in DEPARTMENTS:
            raw.append(Mention("dept", m.start(), m.end(), word, department=word))
            continue
        if word in DEPARTMENT_HINTS:
            raw.append(Mention("hint", m.start(), m.end(), word, department=DEPARTMENT_HINTS[word]))
            continue
        kind, value = catalog.surface[word]
        if kind == "cert":
            c = catalog.certs[value]
            raw.append(Mention("cert", m.start(), m.end(), word, frozenset([value]), c.trade, c.department))
        elif kind == "generic":
            raw.append(Mention("generic", m.start(), m.end(), word, trade=value))
        elif kind == "unrelated":
            raw.append(Mention("unrelated", m.start(), m.end(), word))
        else:
            raw.append(Mention("other", m.start(), m.end(), word))
    for m in SITE.finditer(source):
        if not any(x.start <= m.start() < x.end for x in raw):
            raw.append(Mention("site", m.start(), m.end(), m.group(0), department="住房城乡建设部门"))
    raw.sort(key=lambda m: m.start)
    e.mentions = _attach_departments(raw, source, catalog)
    _assign_roles(e.mentions, source)

    e.level = bool(LEVEL_WORDS.search(text))
    e.level_ask = bool(LEVEL_ASK.search(text))
    asked = [(LEVEL_RANK[m.group(0)], m.start()) for m in re.finditer("|".join(re.escape(k) for k in LEVEL_RANK), text)]
    if asked:
        e.level_rank, at = max(asked)
        # "能报高级工" asks to apply; "能算高级工" asks for equivalence: the verb just before decides.
        before = text[max(0, at - 6):at]
        e.level_equivalent = bool(LEVEL_EQUIVALENT.search(before)) and not LEVEL_APPLY.search(before.rstrip("电焊工"))
    e.flags = {k for k, rx in FLAGS.items() if rx.search(text)}
    e.metadata = [k for k, rx in METADATA.items() if rx.search(text)]
    e.injection = injected
    e.greeting = bool(GREETING.match(text))
    e.reverse = bool(REVERSE.search(text))
    e.substitute = bool(SUBSTITUTE.search(text))
    e.follow_up = bool(FOLLOW_UP.search(text))
    e.fabricate = bool(FABRICATE.search(text))
    e.off_topic_task = bool(OFF_TOPIC_TASK.search(text))
    e.domain = bool(DOMAIN.search(text))
    if m := PICK.match(text):
        e.pick = "123456".find(m.group(1)) + 1 or "一二三四五六".find(m.group(1)) + 1
    return e


def _attach_departments(raw: list[Mention], text: str, catalog: CertificateCatalog) -> list[Mention]:
    """Fold "应急管理部门的电工证" into one mention; keep a lone department as its own."""
    out: list[Mention] = []
    used = set()
    for i, m in enumerate(raw):
        if m.kind != "generic":
            continue
        # Department just before ("应急管理部门发的电工证") or just after ("电工证是住建发的").
        before = next((j for j in range(i - 1, -1, -1) if raw[j].kind in ("dept", "site", "hint") and j not in used
                       and not CLAUSE.search(text[raw[j].end:m.start]) and m.start - raw[j].end <= 6), None)
        if before is not None and any(raw[k].kind in ("cert", "generic") for k in range(before + 1, i)):
            before = None
        after = next((j for j in range(i + 1, len(raw)) if raw[j].kind == "dept" and j not in used
                      and not CLAUSE.search(text[m.end:raw[j].start]) and raw[j].start - m.end <= 4
                      and not any(raw[k].kind in ("cert", "generic") for k in range(i + 1, j))), None)
        j = before if before is not None else after
        if j is not None:
            used.add(j)
            m.department = raw[j].department
            m.start, m.end = min(m.start, raw[j].start), max(m.end, raw[j].end)
            m.text = text[m.start:m.end]
    for i, m in enumerate(raw):
        if i in used or m.kind == "hint":
            continue
        if m.kind == "generic":
            m.ids = catalog.by_trade_and_department(m.trade, m.department)
            m.kind = "cert" if len(m.ids) == 1 else "generic"
        if m.kind == "dept" and m.department == "人力资源社会保障部门":
            continue  # 人社 issues none of the six certificates; it runs the level assessment
        out.append(m)
    # A specific certificate right after its own department ("应急管理部门的低压电工证") is one mention.
    merged: list[Mention] = []
    for m in out:
        prev = merged[-1] if merged else None
        if (prev and prev.kind == "dept" and m.kind == "cert" and m.department == prev.department
                and m.start - prev.end <= 6 and not CLAUSE.search(text[prev.end:m.start])):
            merged[-1] = Mention("cert", prev.start, m.end, text[prev.start:m.end], m.ids, m.trade, m.department)
        elif (prev and prev.kind in ("cert", "generic") and m.kind == "dept" and m.department == prev.department
                and m.start - prev.end <= 3):
            prev.end, prev.text = m.end, text[prev.start:m.end]
        else:
            merged.append(m)
    return merged


def _assign_roles(mentions: list[Mention], text: str) -> None:
    roleable = [m for m in mentions if m.kind in ("cert", "generic", "dept", "site", "other")]
    prev_end = 0
    for m in roleable:
        lo = max(prev_end, m.start - WINDOW)
        window = text[lo:m.start]
        cut = max((b.end() for b in CLAUSE.finditer(window)), default=0)
        window = window[cut:]
        # The marker that ends nearest the mention wins; of those, the longest ("想办的" over "办的").
        found = [(at + len(marker), len(marker), role) for marker, role in _MARKERS
                 for at in range(len(window)) if window.startswith(marker, at)]
        best = max(found)[2] if found else None
        if m.kind == "site" and best is None:
            best = "target"   # "去工地": where the worker wants to work
        if best:
            m.role, m.marked = best, True
        prev_end = m.end
    # Unmarked mentions take the free role; the first defaults to held. One that only
    # restates an earlier certificate ("应急局的焊工证,就是熔化焊接那个") shares its role.
    for i, m in enumerate(roleable):
        if m.role:
            continue
        same = next((x for x in roleable[:i] if x.role and m.ids and x.ids and (m.ids <= x.ids or x.ids <= m.ids)), None)
        if same:
            m.role = same.role
            continue
        taken = {x.role for x in roleable if x.role and x is not m and x.kind not in ("site", "other")}
        if "held" not in taken:
            m.role = "held"
        elif "target" not in taken:
            m.role = "target"
        else:
            m.role = "held"
