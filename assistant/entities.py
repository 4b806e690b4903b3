"""Normalised question -> the certificates it names, and the role each plays.

The notice's rules are direction-specific, so the reader's main job is roles:
in "我有低压电工证,想考建筑电工" the first certificate is held and the second
wanted. A role comes from the nearest marker before a mention (有/持有/考了 ->
held; 想考/申请/换 -> wanted); a mention with no marker takes the role the other
mention left free, and the first mention of a sentence defaults to held. A
certificate named only for comparison ("跟考低压的一样吗") gets the role
"compare" and takes no part in the path asked about.

Every certificate-like mention is kept, known or not: one the notice does not
model (叉车证, 审计师证, 香港的电工牌, a 人社 skill-level certificate) becomes an
`unmodelled` mention with its role, so the answer steps can account for it
instead of answering about some other pair. "电工证" alone names three
certificates; with a department (应急管理部门的电工证) it names fewer. We keep the
candidate set and let the conversation decide whether the difference matters.

All words live in knowledge/vocabulary.json and certificates.json.
"""
from __future__ import annotations

import itertools
import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from .config import Settings
from .vocabulary import Vocabulary, vocabulary

ROLEABLE = ("cert", "generic", "dept", "site", "unmodelled")


@dataclass(frozen=True)
class Certificate:
    id: str
    name: str
    short: str
    department: str
    trade: str


class CertificateCatalog:
    def __init__(self, data: dict, vocab: Vocabulary):
        self.doc = data["doc"]
        self.vocab = vocab
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
        names = sorted(list(self.surface) + list(vocab.departments) + list(vocab.department_hints), key=len, reverse=True)
        self.pattern = re.compile("|".join(re.escape(n) for n in names))

    @classmethod
    def load(cls, knowledge_dir: Path = Settings.knowledge_dir) -> "CertificateCatalog":
        return _catalog(knowledge_dir)

    def exact(self, name: str) -> str | None:
        """A certificate id for a table cell such as "应急管理部门 低压电工作业"."""
        from .normalize import normalize
        return next(iter(self.named_in(normalize(name))), None)

    def named_in(self, text: str) -> list[str]:
        """The certificates named in normalised text by their own names, in order, whatever the text around them
        says (a department said beside one does not widen it, as it does for a worker's mention)."""
        return [value for m in self.pattern.finditer(text) for kind, value in [self.surface.get(m.group(0), (None, None))]
                if kind == "cert"]

    def by_trade_and_department(self, trade: str | None, dept: str | None) -> frozenset[str]:
        return frozenset(c.id for c in self.certs.values()
                         if (trade is None or c.trade == trade) and (dept is None or c.department == dept))

    def ordered(self, ids) -> list[str]:
        order = list(self.certs)
        return sorted(ids, key=order.index)

    def names(self, ids, joiner: str = "或") -> str:
        return joiner.join(self.certs[i].short for i in self.ordered(ids))


@lru_cache(maxsize=4)
def _catalog(knowledge_dir: Path) -> CertificateCatalog:
    data = json.loads((knowledge_dir / "certificates.json").read_text(encoding="utf-8"))
    return CertificateCatalog(data, vocabulary(knowledge_dir))


@dataclass
class Mention:
    kind: str                 # "cert" (one of the six), "generic" (电工证/焊工证), "dept", "site", "hint", "unmodelled", "issuer",
                              # "occupation" (the trade of a level: "焊工中级工")
    start: int
    end: int
    text: str
    ids: frozenset = frozenset()
    trade: str | None = None
    department: str | None = None
    role: str | None = None   # "held" | "target" | "compare" | "former" ("以前有") | "corrected" ("不是低压")
    marked: bool = False      # role came from a marker, not a default
    applied_with: bool = False  # named right after 用/拿/凭 ("用低压证考…"): what the question applies with
    negated: bool = False     # "我没有低压电工证": named as held, but not held
    why: str = ""             # for an unmodelled mention: "other", "unrelated", "cert_like", "level_cert", "foreign";
                              # for a department: "trade_unsaid" ("特种设备证", see _trade_unsaid)
    core: int = -1            # where the certificate word itself starts (after a folded-in department)
    marker: str = ""          # the marker that gave the role ("想考", "换成")
    pair: int = -1            # which of several compared pairs ("X考Y跟Z考W一样吗") it belongs to
    owner: str = ""           # the person named in its clause ("小陈是高压的": 小陈), see assistant/people.py

    def __post_init__(self):
        if self.core < 0:
            self.core = self.start

    @property
    def certificate(self) -> bool:
        return self.kind in ("cert", "generic", "unmodelled")


def find_mentions(text: str, catalog: CertificateCatalog) -> list[Mention]:
    """Every certificate, department and certificate-like phrase in `text`, with its role."""
    vocab = catalog.vocab
    raw = _catalogue_mentions(text, catalog)
    raw += _site_mentions(text, raw, vocab)
    raw += _certificate_like_mentions(text, raw, vocab)
    raw.sort(key=lambda m: m.start)
    raw = _suffix_of_unmodelled(raw, text, vocab)
    raw = _bracket_names_which(raw, text)
    _hints_after_a_verb(raw, text, vocab)
    mentions = _attach_departments(raw, text, catalog)
    _trade_unsaid(mentions, text, vocab)
    _mark_wrong_issuer(mentions, raw, text, catalog)
    _mark_issuer_of_unmodelled(mentions, text)
    _mark_level_certificates(mentions, text, vocab)      # "电工中级工证书": a 人社 certificate
    _mark_occupations(mentions, text, vocab)             # "报考电工中级工": the occupation assessed
    _mark_foreign(mentions, text, vocab)
    mentions = _said_to_be_foreign(mentions, text, vocab)
    _assign_roles(mentions, text, vocab)
    return mentions


def _suffix_of_unmodelled(raw: list[Mention], text: str, vocab: Vocabulary) -> list[Mention]:
    """"防爆电气作业操作证": the 操作证 that ends a certificate the notice does not name is part of its name,
    not a second certificate of no trade; the 电工 that begins "电工进网作业许可证" is part of its name too, and
    so is a bracket after it that names its class ("(高压类)")."""
    out: list[Mention] = []
    for m in raw:
        prev = out[-1] if out else None
        if (prev and prev.kind == "unmodelled" and m.kind == "generic" and not m.trade and not m.department
                and vocab.rx("unmodelled_name_joint").fullmatch(text[prev.end:m.start])):
            prev.end, prev.text = m.end, text[prev.start:m.end]
            continue
        if (prev and prev.kind == "generic" and not prev.department and m.kind == "unmodelled"
                and not vocab.rx("ends_as_certificate").search(prev.text)
                and re.fullmatch(r"[\u4e00-\u9fff]{0,3}", text[prev.end:m.start])
                and not vocab.rx("unmodelled_name_break").search(text[prev.end:m.start])):
            # "电工进网作业许可证": a trade word that begins the name of a certificate the notice does not name
            m.start, m.text = prev.start, text[prev.start:m.end]
            out[-1] = m
            continue
        if (prev and prev.kind == "unmodelled" and m.kind in ("cert", "generic")
                and re.fullmatch(r"\s*\(", text[prev.end:m.start]) and (close := re.match(r"(类|的|那种|那类)?\)", text[m.end:]))):
            # "电工进网作业许可证(高压类)": the bracket says which class of that certificate, not a second one held
            prev.end = m.end + close.end()
            prev.text = text[prev.start:prev.end]
            continue
        if (prev and prev.kind in ("cert", "generic") and m.kind == "unmodelled"
                and re.fullmatch(r"\s*\(", text[prev.end:m.start]) and (close := re.match(r"[^()]{0,6}\)", text[m.end:]))):
            # "特种设备作业人员证(电梯修理)": the bracket names a class the notice does not cover; so is the whole
            m.start, m.end = prev.start, m.end + close.end()
            m.text = text[m.start:m.end]
            out[-1] = m
            continue
        out.append(m)
    return out


def _bracket_names_which(raw: list[Mention], text: str) -> list[Mention]:
    """"我焊工证(安监的熔化焊接与热切割)被吊销了": a trade's certificate, then in brackets which one it is (with its
    department, perhaps): one certificate, the one in the brackets, so what is said of it after the bracket holds."""
    out: list[Mention] = []
    i = 0
    while i < len(raw):
        g = raw[i]
        inner = list(itertools.takewhile(lambda x: x.kind in ("dept", "hint"), raw[i + 1:]))
        k = i + 1 + len(inner)
        c = raw[k] if k < len(raw) else None
        opened = text[g.end:(inner[0].start if inner else c.start if c else g.end)]
        close = c and re.match(r"[^()]{0,6}?(那个|那种|的)?\)", text[c.end:])
        if (g.kind == "generic" and c and c.kind == "cert" and c.trade == g.trade and re.fullmatch(r"\s*\(", opened)
                and all(re.fullmatch(r"(发|颁发)?的?", text[x.end:(inner[n + 1].start if n + 1 < len(inner) else c.start)])
                        for n, x in enumerate(inner))
                and (inner or not text[g.end + len(opened):c.start]) and close):
            c.core, c.start, c.end = c.start, g.start, c.end + close.end()
            c.text = text[c.start:c.end]
            out.append(c)
            i = k + 1
            continue
        out.append(g)
        i += 1
    return out


def _hints_after_a_verb(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"熔化焊考特种设备的呢", "去考锅炉那个": a hint word right after a target marker names the department's
    certificate as the one wanted, as "考市场监管的" would."""
    targets = [w for w, role in vocab.markers if role == "target" and len(w) <= 3]
    for m in mentions:
        if m.kind == "hint" and any(text[:m.start].endswith(w) for w in targets) and \
                not any(x is not m and x.certificate and 0 <= x.start - m.end <= 3 for x in mentions):
            m.kind = "dept"
        # "我的证是建筑的": said as what the certificate is
        elif (m.kind == "hint" and vocab.rx("hint_as_issuer.before").search(text[max(0, m.start - 4):m.start])
              and vocab.rx("hint_as_issuer.after").match(text[m.end:])):
            m.kind = "dept"


def _catalogue_mentions(text: str, catalog: CertificateCatalog) -> list[Mention]:
    vocab, out = catalog.vocab, []
    for m in catalog.pattern.finditer(text):
        word, at = m.group(0), (m.start(), m.end())
        kind, value = catalog.surface.get(word, (None, None))
        if kind == "generic" and value is None and out and out[-1].end == at[0]:
            continue   # "叉车操作证": the suffix of the name before it
        if word in vocab.departments:
            # "不是住建发的": a department named only to be denied issues nothing here
            out.append(Mention("dept", *at, word, department=word, negated=bool(vocab.correction_before.search(text[:at[0]]))))
        elif word in vocab.department_hints:
            out.append(Mention("hint", *at, word, department=vocab.department_hints[word]))
        else:
            if kind == "cert":
                c = catalog.certs[value]
                out.append(Mention("cert", *at, word, frozenset([value]), c.trade, c.department))
            elif kind == "generic":
                out.append(Mention("generic", *at, word, trade=value))
            else:
                out.append(Mention("unmodelled", *at, word, why=kind))
    return out


def _site_mentions(text: str, found: list[Mention], vocab: Vocabulary) -> list[Mention]:
    return [Mention("site", m.start(), m.end(), m.group(0), department="住房城乡建设部门")
            for m in vocab.rx("site").finditer(text) if not _inside(m.start(), found)]


def _certificate_like_mentions(text: str, found: list[Mention], vocab: Vocabulary) -> list[Mention]:
    """"审计师证", "电工牌": a certificate the catalogue does not know, named by the words before its suffix."""
    out = []
    for m in vocab.cert_like.finditer(text):
        if _inside(m.start(), found) or (m.start() > 0 and _inside(m.start() - 1, found)):
            continue   # the suffix of a known certificate ("低压电工" + "证")
        lo = max([0] + [x.end for x in found if x.end <= m.start()] + [b.end() for b in vocab.clause.finditer(text, 0, m.start())])
        if any(x.end == lo for x in found) and (m.start() - lo <= 2 or vocab.level_words.search(text[lo:m.start()])):
            continue   # "电工四级证书" continues the mention before it (see _mark_level_certificates)
        name = _cut_name(text[lo:m.start()], vocab)
        generic = (any(g in name + m.group(0) for g in vocab.cert_like_generic)
                   or any(name.endswith(w) for w in vocab.cert_like_stop if len(w) >= 2))
        if len(name) >= 2 and name not in vocab.cert_like_stop and not name.isascii() and not generic:
            why = "level_cert" if vocab.level_words.search(name) or re.search("级工|技师", name) else "cert_like"
            out.append(Mention("unmodelled", m.start() - len(name), m.end(), name + m.group(0), why=why))
    return out


def _cut_name(before: str, vocab: Vocabulary) -> str:
    """The noun just before a certificate suffix: "我还有一个审计师" -> "审计师"."""
    name = re.split(r"[^\w]|\d|_", re.sub(r"\([^)]*\)", "", before))[-1]   # "初级工(五级)" names a level
    while True:
        cut = max(((name.rfind(w), w) for w in vocab.cert_like_cut if w in name), default=(-1, ""))
        if cut[0] < 0:
            return name.strip()
        name = name[cut[0] + len(cut[1]):].strip()


def _inside(pos: int, mentions: list[Mention]) -> bool:
    return any(x.start <= pos < x.end for x in mentions)


def _attach_departments(raw: list[Mention], text: str, catalog: CertificateCatalog) -> list[Mention]:
    """Fold "应急管理部门的电工证" into one mention; keep a lone department as its own."""
    used = set()
    for i, m in enumerate(raw):
        if m.kind == "generic":
            j = _department_for(raw, i, text, catalog.vocab, used)
            if j is not None:
                used.add(j)
                m.department = raw[j].department
                m.core = m.start if raw[j].start < m.start else m.core
                m.start, m.end = min(m.start, raw[j].start), max(m.end, raw[j].end)
                m.text = text[m.start:m.end]
    out: list[Mention] = []
    for i, m in enumerate(raw):
        if i in used or m.kind == "hint":
            continue
        if m.kind == "generic":
            m.ids = catalog.by_trade_and_department(m.trade, m.department)
            if not m.ids:   # "人社发的电工证": no operating certificate of that trade from that department
                m.kind, m.why = "unmodelled", "level_cert"
            elif len(m.ids) == 1:
                m.kind = "cert"
        if m.kind == "dept" and m.department == catalog.vocab.level_certificate_department:
            continue  # 人社 issues none of the six certificates; it runs the level assessment
        out.append(m)
    return _merge_department_and_certificate(out, text, catalog.vocab)


def _trade_unsaid(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我有特种设备证,能免考吗": 市场监管 issues many special-equipment certificates (电梯、叉车、锅炉…) and the notice
    names only the welding one; with no word of welding in the turn, the name says the department, not the certificate."""
    if vocab.rx("welding_word").search(text):
        return
    for m in mentions:
        if m.kind == "cert" and vocab.rx("trade_unsaid").search(m.text):
            m.kind, m.ids, m.trade, m.why = "dept", frozenset(), None, "trade_unsaid"


def _department_for(raw, i, text, vocab, used) -> int | None:
    """The department just before ("应急管理部门发的电工证") or just after ("电工证是住建发的") a generic mention."""
    m = raw[i]
    before = next((j for j in range(i - 1, -1, -1) if raw[j].kind in ("dept", "site", "hint") and j not in used
                   and not raw[j].negated and not vocab.clause.search(text[raw[j].end:m.start])
                   # "建筑焊工证(住建的)可以去报焊工…": the bracket's own; "安监局(应急)的电工证" is one name
                   and (")" not in text[raw[j].end:m.start] or re.fullmatch(r"[)\s]*的?", text[raw[j].end:m.start]))
                   and m.start - raw[j].end <= 6), None)
    if before is not None and any(raw[k].kind in ("cert", "generic") for k in range(before + 1, i)):
        before = None
    between = text[raw[before].end:m.start] if before is not None else ""
    if before is not None and raw[before].kind == "site" and (vocab.rx("site_of_work").match(between)
                                                                or vocab.rx("site_background").search(between)):
        before = None      # "工地上的焊工证": any welder's certificate; "在工地干了十几年电工": the trade, no certificate
    # "电工证是住建发的", and "焊工证不是住建发的,是质监发的"
    after = next((j for j in range(i + 1, len(raw)) if raw[j].kind == "dept" and j not in used and not raw[j].negated
                  and (re.fullmatch(r"子?[是的由在(\s]{0,3}", text[m.end:raw[j].start])   # "焊工证(安监局发的)", "电焊的证在住建考的", "焊工本子是质监发的"
                       or vocab.rx("issuer_correction").search(text[m.end:raw[j].start])
                       or vocab.rx("issuer_label").match(text[m.end:raw[j].start]))    # "焊工证发证机关是住建局"
                  and not any(raw[k].kind in ("cert", "generic") for k in range(i + 1, j))
                  # not "焊工 安监熔化焊的本子": a department right before a certificate is that certificate's
                  and not (j + 1 < len(raw) and raw[j + 1].kind in ("cert", "generic")
                           and re.fullmatch(r"(发|颁发)?的?", text[raw[j].end:raw[j + 1].start]))), None)
    return before if before is not None else after


def _merge_department_and_certificate(out: list[Mention], text: str, vocab: Vocabulary) -> list[Mention]:
    """A specific certificate right after its own department ("应急管理部门的低压电工证") is one mention."""
    merged: list[Mention] = []
    for m in out:
        prev = merged[-1] if merged else None
        if (prev and prev.kind == "dept" and m.kind in ("cert", "unmodelled")
                and (m.department == prev.department or m.kind == "unmodelled")
                and (m.start - prev.end <= 6 or re.fullmatch(r"(颁发|核发|发放|发)的(合法有效的|有效的)?", text[prev.end:m.start]))
                and not vocab.clause.search(text[prev.end:m.start])):
            m.core, m.start, m.text = m.start, prev.start, text[prev.start:m.end]
            m.department = m.department or prev.department
            merged[-1] = m
        elif (prev and prev.kind in ("cert", "generic") and m.kind == "dept" and m.department == prev.department
                and (re.fullmatch(r"[是的由\s]{0,3}|\s*(cert|certificate|licen[cs]e|permit)?\s*[((]\s*", text[prev.end:m.start])
                     # "低压电工作业证,应急局的,这个呢": its issuer said again after a comma
                     or (text[prev.end:m.start] == "," and re.match(r"(发|颁发)?的([,。?!]|$|这个|那个)", text[m.end:]))
                     or vocab.rx("issuer_label").match(text[prev.end:m.start]))):     # "低压电工作业,发证机关是应急管理局"
            # "电工证是住建发的", "welder cert (住建)"; not "证想弄个住建的"
            prev.end, prev.text = m.end, text[prev.start:m.end]
        else:
            merged.append(m)
    return merged


def _mark_wrong_issuer(mentions: list[Mention], raw: list[Mention], text: str, catalog: CertificateCatalog) -> None:
    """"电力公司发的低压电工证", "市场监管局发的低压电工证", "高压电工证,是单位内部发的": the notice's
    certificates are the named departments' own; one issued by anyone else is not one of the six. A department
    of the notice that issues certificates of the same trade makes it one of those or the one named ("安监局发的
    建筑电工证": 低压, 高压 or 建筑电工), and the answer asks when they differ."""
    vocab = catalog.vocab
    certs = [m for m in mentions if m.kind in ("cert", "generic")]
    for i, m in enumerate(certs):
        ends_as_certificate = bool(vocab.rx("ends_as_certificate").search(m.text))
        if m.kind == "generic" and not ends_as_certificate:
            continue      # "我们公司的电工都是…": the company's electricians, not a certificate it issued
        lo = max([0] + [x.end for x in certs[:i]] + [b.end() for b in vocab.clause.finditer(text, 0, m.start)])
        hi = next((x.start for x in certs[i + 1:]), len(text))
        hi = next((b.start() for b in re.finditer(r"[。?!]", text[m.end:hi])), hi - m.end) + m.end
        # "低压电工证去考建筑电工要培训吗(应急发的)": a bracket after the question speaks of the first one
        trailing = re.search(r"[(]([^()]{1,14})[)][。?!\s]*$", text)
        trailing = trailing if trailing and trailing.start() >= m.end else None
        if i > 0:
            # "低压电工证考建筑电工要培训不,证是应急局发的": a clause about "the certificate" speaks of the first one
            hi = next((b.start() for b in vocab.clause.finditer(text, m.end, hi)), hi)
            hi = min(hi, trailing.start()) if trailing else hi
        issuer = (_issuer(text, lo, m.core, raw, vocab, before=True, bare=ends_as_certificate)
                  or _issuer(text, m.end, hi, raw, vocab, before=False)
                  or (_issuer(text, trailing.start(1), trailing.end(1), raw, vocab, before=False) if trailing and i == 0 else None))
        if issuer and issuer[1] is None and m.department and m.department in text[m.core:m.end]:
            issuer = None     # "在厂里考的高压证是应急局发的": where it was taken, when the department it is from is said
        # a bare 电工证 from 电力局 or a company is none of the six; from 应急管理局 it is only narrowed down
        named_dept = issuer[1] if issuer else None       # None: an issuer outside the notice (电力公司, 单位内部)
        if m.kind == "generic" and not m.department and named_dept and (
                narrowed := catalog.by_trade_and_department(m.trade, named_dept)):
            # "焊工证 建筑的 住建发的": a trade's certificate, its issuer said a few words later
            m.ids, m.department, m.kind = narrowed, named_dept, "cert" if len(narrowed) == 1 else "generic"
            continue
        mixed = catalog.by_trade_and_department(m.trade, named_dept) if named_dept and m.kind == "cert" else None
        if mixed and named_dept != m.department:
            m.kind, m.ids, m.why = "generic", m.ids | mixed, "misissued"
        elif issuer and (issuer[1] is None or (m.kind == "cert" and issuer[1] != m.department)):
            m.kind, m.why, m.ids = "unmodelled", "wrong_issuer", frozenset()
            start = min(issuer[0], m.start)
            m.start, m.text = start, text[start:m.end] if issuer[0] < m.start else m.text + "(" + issuer[2] + ")"


def _issuer(text, lo, hi, raw, vocab, before: bool, bare: bool = False):
    """(position, department or None, name) of who issued a certificate, said in text[lo:hi]."""
    issued = vocab.rx("issued_by").pattern
    for word_at, dept, name, mention in _issuer_words(text, lo, hi, raw, vocab):
        tail = text[word_at + len(name):hi]
        # "船级社焊工证": an issuer right before a certificate's name; "公司电工" is the company's electricians
        said = (re.fullmatch(f"(那边|那里|那儿|自己|内部|里)?({issued}|的){'?' if bare else ''}", tail) if before
                else re.match(issued, tail))
        if said and not vocab.correction_before.search(text[:word_at]):
            if mention is not None:
                mention.kind = "issuer"       # said who issued it; no role of its own
            return word_at, dept, name
    return None


def _issuer_words(text, lo, hi, raw, vocab):
    for d in raw:
        if d.kind == "dept" and lo <= d.start < hi:
            yield d.start, d.department, d.text, d
    for w in vocab.other_issuers:
        at = text.find(w, lo, hi)
        if at >= 0:
            yield at, None, w, None


def _mark_issuer_of_unmodelled(mentions: list[Mention], text: str) -> None:
    """"防爆电气作业证(应急管理局发的)": the department says who issued that certificate; it names none of its own.
    So does "...permit from emergency management" (由 应急管理部门) after a certificate."""
    for prev, m in zip(mentions, mentions[1:]):
        if prev.certificate and m.kind == "dept" and re.search(r"由\s*$", text[prev.end:m.start]):
            m.kind = "issuer"
        if (prev.kind == "unmodelled" and m.kind == "dept"
                and re.fullmatch(r"[^,。?!]{0,4}[(]?", text[prev.end:m.start])):
            m.kind = "issuer"


def _mark_level_certificates(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"电工中级工(四级)职业技能等级证书" is a 人社 skill-level certificate, not the operating certificate."""
    for m in mentions:
        head = vocab.rx("level_certificate.before_trade").search(text[max(0, m.start - 10):m.start])
        if m.kind == "generic" and not m.department and head and vocab.rx("ends_as_certificate").search(m.text):
            m.kind, m.why, m.ids = "unmodelled", "level_cert", frozenset()     # "人社的中级电工证"
            m.start -= len(head.group(0))
            m.text = text[m.start:m.end]
            continue
        tail = vocab.level_certificate.search(text[m.end:m.end + 24]) if m.kind == "generic" and not m.department else None
        if tail:
            m.kind, m.why, m.ids = "unmodelled", "level_cert", frozenset()
            m.end += tail.end()
            m.text = text[m.start:m.end]


def _mark_occupations(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"报考焊工中级工", "报焊工的中级工认定": a trade right before a level names the occupation assessed, not a
    certificate."""
    for m in mentions:
        at = m.end + 1 if text[m.end:m.end + 1] == "的" else m.end
        # ... and "能报焊工几级": the occupation whose level is asked; "焊接操作技能考试也免吗": an exam's name
        bare = not m.text.endswith("证")
        if m.kind == "generic" and not m.department and (vocab.level_rank_rx.match(text, at) or (bare and (
                vocab.rx("level_after_trade").match(text, at) or vocab.rx("exam_named_by_trade").match(text, m.end)))):
            m.kind = "occupation"
        # "建筑电工特种作业人员考核是否同样可以免予?": the exam the notice names after a certificate, not the certificate
        elif m.kind == "cert" and bare and vocab.rx("exam_named_by_trade").match(text, m.end):
            m.kind = "occupation"
        # "hi 我是安全员": the asker's job, not a certificate outside the notice
        elif (m.kind == "unmodelled" and not re.search(r"(证|书|照|资格)$", m.text)
              and not re.match(r"[^,。?!]{0,8}(证|书|照|资格)", text[m.end:])      # not "我是电梯作业证", "我是…中级工证书"
              and vocab.rx("job_title_before").search(text[max(0, m.start - 4):m.start])):
            m.kind = "occupation"


def _said_to_be_foreign(mentions: list[Mention], text: str, vocab: Vocabulary) -> list[Mention]:
    """"我有熔化焊证,不过是英文的外国证": the certificate named is then said to be foreign, so it is not one of the six."""
    out: list[Mention] = []
    for m in mentions:
        prev = out[-1] if out else None
        if (prev and prev.kind in ("cert", "generic") and m.kind == "unmodelled" and any(p in m.text for p in vocab.foreign_places)
                and re.fullmatch(r"(证书|证)?,?(不过|但是|但|只是|就是)?(是)?[^,。?!]{0,6}", text[prev.end:m.start])):
            prev.kind, prev.why, prev.ids = "unmodelled", "foreign", frozenset()
            prev.end, prev.text = m.end, text[prev.start:m.end]
            continue
        out.append(m)
    return out


def _mark_foreign(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"香港的电工牌", "日本の…资格": a certificate from outside the mainland departments is not one of the six."""
    for m in mentions:
        if not m.certificate:
            continue
        # The place must qualify this certificate: in its clause, and after any other certificate.
        clause_start = max([0] + [b.end() for b in vocab.clause.finditer(text, 0, m.start)]
                           + [x.end for x in mentions if x.certificate and x.end <= m.start])
        places = [text.find(p, clause_start, m.start) for p in vocab.foreign_places]
        after = text[m.end:m.end + 24]
        # ... or "我的焊工证是新加坡考的": the place right after a copula
        copula = vocab.rx("place_copula").match(after)
        said_of_it = copula and next((p for p in vocab.foreign_places if after.startswith(p, copula.end())), None)
        if said_of_it or (vocab.rx("place_after").match(after) and any(p in after for p in vocab.foreign_places)):
            place = said_of_it or next(p for p in vocab.foreign_places if p in after)
            m.kind, m.why, m.ids = "unmodelled", "foreign", frozenset()   # "a welder certificate from Germany"
            named = text[m.start:m.end]
            m.end += after.index(place) + len(place)       # so the place qualifies no certificate after it
            m.text = f"{place}的{named}" if said_of_it else text[m.start:m.end]
            continue
        at = min((x for x in places if x >= 0), default=None)
        if at is not None and (word := vocab.rx("foreign_certificate_word").search(text, at, m.start)):
            # "a Hong Kong registered electrical worker 证 (EMSD). Can I … for the 建筑电工 certificate": the place
            # qualifies the certificate word after it, which is held; the one named later is another
            mentions.append(Mention("unmodelled", at, word.end(), text[at:word.end()], why="foreign"))
            mentions.sort(key=lambda x: x.start)
            continue
        if at:
            m.kind, m.why, m.ids = "unmodelled", "foreign", frozenset()
            m.start, m.text = at, text[at:m.end]     # the answer names "香港的电工", not "电工"
        elif at == 0:
            m.kind, m.why, m.ids, m.text = "unmodelled", "foreign", frozenset(), text[:m.end]


def _assign_roles(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    roleable = [m for m in mentions if m.kind in ROLEABLE]
    prev_end, prev = 0, None
    for m in roleable:
        if _is_comparison(m, text, vocab, prev):
            m.role, m.marked = "compare", True
        elif vocab.correction_before.search(text[max(0, m.start - 4):m.start]):
            m.role, m.marked = "corrected", True         # "不是低压,是高压"
        elif prev and prev.kind == "unmodelled" and vocab.rx("described_as").search(text[max(prev.end, m.start - 6):m.start]):
            m.role, m.marked = "compare", True           # "培训学校发的结业证,上面写着建筑电工": what the paper says
        elif prev and prev.kind == "unmodelled" and vocab.rx("stands_in_for").search(text[max(prev.end, m.start - 4):m.start]):
            m.role, m.marked = "compare", True           # "人社局的电工职业资格证,能顶低压电工证…": what it would stand in for
        elif not _role_of_neighbour(m, prev, text, vocab):
            _marker_role(m, text, max(prev_end, m.start - vocab.role_window), vocab)
        prev_end, prev = m.end, m
    _markers_after(roleable, text, vocab)
    for m in roleable:
        # "干了二十年电工": a bare trade word with no marker is the worker's trade, not a certificate,
        # when the question names a certificate too.
        if (m.kind == "generic" and not m.department and not re.search(r"(证|本|书)", m.text)
                and (not m.role or vocab.rx("occupation_after").match(text[m.end:])
                     or vocab.rx("occupation_before").search(text[max(0, m.start - 3):m.start]))   # "我是干电焊的"
                # not "两个证,一个低压一个焊工": one of the certificates counted
                and not vocab.rx("counted_before").search(text[max(0, m.start - 4):m.start])
                and any(x is not m and x.certificate for x in roleable)):
            m.kind = "occupation"     # "我是电焊工出身,现在有低压电工证": a background, not a certificate
    _default_roles([m for m in roleable if m.kind != "occupation"], text, vocab)
    for rule in (_listed_as_held, _named_owner_before, _department_said_twice, _unsure_between, _self_corrections, _restated_pair):
        rule(roleable, text, vocab)
    _substitute_then_target(roleable, vocab)
    for rule in (_obtained_first, _being_obtained, _revoked_before, _instrument_named, _swapped_for):
        rule(roleable, text, vocab)
    _lacked_and_equated(mentions, text, vocab)
    _failed_attempts(roleable, text, vocab)
    _compared_pairs(roleable, text, vocab)


def _listed_as_held(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我有两个证:1. 应急局的低压电工作业证 2. 住建的建筑焊工证,想考个新证…": every certificate listed after the
    count is held, up to one a marker says is wanted."""
    listed = vocab.rx("held_list").search(text)
    if not listed:
        return
    for m in (m for m in roleable if m.certificate and m.start >= listed.end()):
        if m.marked and m.role == "target":
            return
        if m.role == "target":
            m.role = "held"


def _named_owner_before(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"老王高压电工证,小李建筑电工证,大刘熔化焊证": a certificate said right after a worker's name, with no marker,
    is the one that worker holds."""
    for m in roleable:
        if m.certificate and not m.marked and m.role == "target" and re.search(
                f"(?:{vocab.rx('person_name.pattern').pattern})(的|是|:)?$", text[max(0, m.start - 6):m.start]):
            m.role, m.marked = "held", True


def _department_said_twice(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"说错了,是特设的,锅炉那个,市监发的": one department said twice with no marker of its own is one certificate,
    not a held one and a wanted one."""
    depts = [m for m in roleable if m.kind == "dept"]
    for prev, m in zip(depts, depts[1:]):
        if (m.department == prev.department and prev.role == "held" and m.role == "target" and not m.marked
                and len([x for x in roleable if x.certificate or x.kind == "dept"]) == 2):
            m.role = "held"


def _instrument_named(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我有两个证:低压和高压。低压那个去年被吊销了。用低压证考建筑电工能免培训吗": the one the question applies
    with is the one held for it; the others said in earlier sentences are background."""
    for m in roleable:
        m.applied_with = m.certificate and bool(vocab.rx("instrument_before").search(text[max(0, m.start - 2):m.start]))
    held = [m for m in roleable if m.certificate and m.role == "held"]
    used = [m for m in held if m.applied_with]
    if len(used) != 1 or len(held) < 2:
        return
    for m in held:
        if m.ids != used[0].ids and m.start < used[0].start and vocab.rx("sentence_break").search(text[m.end:used[0].start]):
            m.role = "former"


def _swapped_for(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我想拿低压电工证直接换一本建筑电工证": what is handed over in the exchange is held, even after 想拿."""
    certs = [m for m in roleable if m.certificate]
    for a, b in zip(certs, certs[1:]):
        if (a.role == b.role == "target" and vocab.rx("instrument_before").search(text[max(0, a.start - 2):a.start])
                and vocab.rx("swapped_for").fullmatch(text[a.end:b.start])):
            a.role = "held"


def _markers_after(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """A role said after the certificate, when none came before it."""
    for i, m in enumerate(roleable):
        # "建筑电工证想考一个": the marker comes after, when no other certificate follows it in the clause.
        clause_end = next((b.start() for b in vocab.clause.finditer(text, m.end)), len(text))
        follows = any(m.end <= x.start < clause_end for x in roleable[i + 1:])
        if not m.role and not follows and vocab.rx("target_after").search(text[m.end:clause_end]):
            m.role, m.marked = "target", True
        elif (not m.role and vocab.rx("exam_after_name").match(text[m.end:])
              and any(x is not m and x.role == "held" and x.marked for x in roleable)):
            m.role, m.marked = "target", True    # "我有低压电工证,焊工考试能免吗": the exam of the one wanted
        elif not m.role and vocab.rx("held_after").search(text[m.end:clause_end]):
            m.role, m.marked = "held", True      # "建筑电工特种作业操作证持证人申领…"
            before = roleable[i - 1] if i else None
            if (before and not before.role and before.certificate
                    and vocab.rx("conjunction").fullmatch(vocab.rx("certificate_suffix").sub("", text[before.end:m.start]))):
                before.role, before.marked = "held", True     # "电工证和焊工证我都有": both held


def _compared_pairs(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"建筑电工考低压证免的是培训,跟特种设备焊工考熔焊证免的东西一样吗": pairs said one after another, each as
    "X考Y", and compared. Each pair keeps its own roles, whatever the markers and the 跟 between them suggested."""
    certs = [m for m in roleable if m.certificate and m.role not in ("corrected", "former")]
    if len(certs) < 4 or len(certs) % 2 or not vocab.rx("compare_paths").search(text):
        return
    pairs = list(zip(certs[::2], certs[1::2]))
    if not all(vocab.rx("goes_to_apply").match(text[h.end:w.start]) for h, w in pairs):
        return
    for k, (h, w) in enumerate(pairs):
        h.role, w.role, h.marked, w.marked, h.pair, w.pair, h.negated = "held", "target", True, True, k, k, False


def clause_bounds(start: int, end: int, text: str, vocab: Vocabulary) -> tuple[int, int]:
    """Where the clause holding text[start:end] begins and ends (clause breaks from the vocabulary)."""
    lo = max([0] + [b.end() for b in vocab.clause.finditer(text, 0, start)])
    hi = next((b.start() for b in vocab.clause.finditer(text, end)), len(text))
    return lo, hi


def _failed_attempts(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """A certificate whose exam was failed is not held: "我考低压电工证没考过,能不能先免培训考建筑电工"
    when nothing else is held; beside a held one and another wanted one ("我考高压电工没考过,不过应急的低压
    电工证我有,考建筑电工…") it is neither held nor the one asked about. A retake question is about the
    wanted certificate's exam, so it leaves the roles alone."""
    if vocab.flags["retake"].search(text):
        return
    targets = [m for m in roleable if m.certificate and m.role == "target"]
    held = [m for m in roleable if m.certificate and m.role == "held"]
    for m in targets:
        lo, hi = clause_bounds(m.start, m.end, text, vocab)
        if not vocab.flags["failed"].search(text[lo:hi]):
            continue
        if not held:
            m.role, m.negated = "held", True   # "我考低压电工证没考过,能不能先免培训考建筑电工": it is not held
        elif len(targets) > 1:
            m.role = "former"


def _substitute_then_target(roleable: list[Mention], vocab: Vocabulary) -> None:
    """"换成建筑焊工证去考质监的呢": the certificate put in by 换成 is the one that goes to apply."""
    wanted = [m for m in roleable if m.role == "target" and m.marked]
    if len(wanted) == 2 and wanted[0].marker in vocab.substitute_markers and wanted[1].marker not in vocab.substitute_markers:
        wanted[0].role = "held"


def _obtained_first(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"先考个低压证,再考建筑电工能免培训吗": of two certificates to get, the first one obtained is the one held
    when the second is applied for."""
    wanted = [m for m in roleable if m.certificate and m.role == "target"]
    # "先考低压电工再考高压电工,高压那边…": the second named again is still the second
    wanted = [m for i, m in enumerate(wanted) if not any(x.ids == m.ids for x in wanted[:i])] if all(m.ids for m in wanted) else wanted
    between = text[wanted[0].end:wanted[1].start] if len(wanted) == 2 else ""
    # ... and "能拿熔化焊接与热切割证免培训考建筑焊工": the first goes to apply for the second
    if len(wanted) == 2 and (vocab.rx("obtain_first").search(between)
                             or vocab.rx("goes_to_apply").match(between)):
        wanted[0].role = "held"
    pair = [m for m in roleable if m.certificate and m.role in ("held", "target")]
    if len(pair) != 2 or [m.role for m in pair] != ["target", "held"]:
        return
    between = text[pair[0].end:pair[1].start]
    # ... and "重新考回熔化焊接与热切割证,证有效了,再报建筑焊工": the one obtained first is held, the next one wanted
    if not pair[1].marked and vocab.rx("obtain_first").search(between):
        pair[0].role, pair[1].role = "held", "target"
    # ... and "建筑电工证免培训考了低压证": the first got the second, and both are held now
    elif vocab.rx("used_to_obtain").match(between):
        pair[0].role = "held"


def _revoked_before(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我之前的建筑焊工证被住建撤销了": the department after 被 revoked it (no certificate of its own), and the
    certificate 之前的 is still the worker's, with that status, when no other is held."""
    for m in roleable:
        if m.kind == "dept" and text[max(0, m.start - 1):m.start] == "被":
            m.kind, m.role = "issuer", None
    held = [m for m in roleable if m.certificate and m.role == "held"]
    for m in roleable:
        clause_end = clause_bounds(m.start, m.end, text, vocab)[1]
        if m.certificate and m.role == "former" and not held and vocab.flags["expired"].search(text[m.end:clause_end]):
            m.role = "held"


def _being_obtained(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我在考高压电工证,还没拿到,能先报电工高级工吗": the certificate being taken is the one the worker will hold,
    not one wanted from another department; its status (not yet) decides."""
    wanted = [m for m in roleable if m.certificate and m.role == "target"]
    taking = [m for m in wanted if vocab.rx("being_obtained").search(text[max(0, m.start - 4):m.start])
              and vocab.flags["not_yet"].search(text[m.end:])]
    # ... and "还在考低压,下个月才出成绩,能先报建筑电工免培训吗": the other one named is the one wanted
    if len(taking) == 1 and len(wanted) <= 2:
        taking[0].role = "held"


def _restated_pair(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"建筑电工证考低压,哦我说反了,是应急局低压证考建筑电工": a whole pair said again after 说反了 / 说错了
    replaces everything named before it."""
    restarts = list(vocab.rx("pair_restart").finditer(text))
    if not restarts:
        return
    at = restarts[-1].end()
    after = [m for m in roleable if m.certificate and m.start >= at and m.role in ("held", "target")]
    if len(after) > 1 and len({m.role for m in after}) == 1:
        after[0].role = "held"      # "…说反了,是低压证考建筑电工": the first of the pair said again is the one held
    if len({m.role for m in after}) == 2:
        for m in roleable:
            if m.certificate and m.end <= restarts[-1].start():
                m.role = "corrected"


def _unsure_between(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"具体高压低压我忘了", "低压还是高压记不清了": two certificates the worker cannot tell apart are one
    certificate, either of them, in the first one's role."""
    certs = [m for m in roleable if m.certificate]
    for a, b in zip(certs, certs[1:]):
        joint = vocab.rx("certificate_suffix").sub("", text[a.end:b.start])
        if ((not joint or vocab.rx("alternative").fullmatch(joint)) and a.role
                and vocab.rx("dont_know").search(text[b.end:clause_bounds(b.start, b.end, text, vocab)[1]])):
            b.role, b.marked = a.role, a.marked


def _self_corrections(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我有低压电工证,我是说高压电工证": the later certificate takes the earlier one's role, and the
    earlier one drops out. So does "我有建筑电工证,不是建筑电工证,是高压电工证": the one repeated after
    不是 is the slip, and the one after 是 replaces it where it was first named."""
    for slip, m in zip(roleable, roleable[1:]):
        # "住建发的那个 哦不对 是市场监管的", "是住建发的……哦不对,他刚翻了一下,是市场监管局发的特种设备焊接证"
        if slip.kind == "dept" and m.kind in ("dept", "cert") and vocab.rx("self_correction.before").search(text[slip.end:m.start]):
            m.role, m.marked, slip.role = slip.role or m.role, True, "corrected"
    certs = [m for m in roleable if m.certificate]
    for i, m in enumerate(certs):
        # (from the certificate before it on: "我是说低压电工证,想考高压电工证" corrects nothing with 想考)
        window = text[max(0, m.start - 12, certs[i - 1].end if i else 0):m.start]
        if vocab.rx("self_correction.before").search(window) and i and certs[i - 1].role != "corrected":
            # The slip is the last one named ("我有低压电工证,想考建筑电工证,我是说高压电工证": the wanted one), unless
            # the correction is said again with its role: "…想去考建筑电工……不对不对,是高压的,我拿的是高压电工作业证"
            again = next((x for x in certs[i + 1:] if x.ids == m.ids and x.marked and x.role in ("held", "target")), None)
            same_role = [p for p in certs[:i] if again and p.role == again.role and p.ids != m.ids]
            slip = same_role[-1] if same_role else certs[i - 1]
            m.role, m.marked, slip.role = slip.role or m.role, True, "corrected"
        # ... and "应急局发的焊工证,不过不是熔化焊那个,是压力焊作业证"
        elif (m.role == "corrected" and i + 1 < len(certs)
              and re.match(r"^(那个|这个|那种|那本|的)?[,。]?\s*(而)?是", text[m.end:certs[i + 1].start])):
            first = [p for p in certs[:i] if p.ids == m.ids and p.role in ("held", "target")]
            if first:
                certs[i + 1].role, certs[i + 1].marked = first[-1].role, True
                for p in first:
                    p.role = "corrected"


def _lacked_and_equated(mentions: list[Mention], text: str, vocab: Vocabulary) -> None:
    """"我连高压电工证都没有", "缺一个建筑焊工证": not held. "我有电梯证,会计证也算建筑电工证": the known
    certificate after an unmodelled one is only claimed to equal it, and plays no part in the path."""
    for m in mentions:
        if not m.certificate or m.role in ("compare", "corrected", "former"):
            continue
        if m.role in ("held", None) and (vocab.rx("negated_held_around.before").search(text[max(0, m.start - 5):m.start])
                                         or vocab.rx("negated_held_around.after").search(text[m.end:])):
            m.role, m.negated = "held", True
        elif m.kind in ("cert", "generic") and vocab.rx("equated_before.before").search(text[max(0, m.start - 5):m.start]) and any(
                x.kind == "unmodelled" and x.end <= m.start for x in mentions):
            m.role, m.marked = "compare", True
        elif m.kind in ("cert", "generic") and any(x.kind == "unmodelled" and x.end <= m.start
                                                  and vocab.rx("classified_as").fullmatch(text[x.end:m.start]) for x in mentions):
            m.role, m.marked = "compare", True     # "防爆电气作业证也是应急发的电工类": a class claimed for it


def _role_of_neighbour(m: Mention, prev: Mention | None, text: str, vocab: Vocabulary) -> bool:
    """A certificate that only restates or joins the one before it takes its role."""
    if prev is None or not prev.role:
        return False
    between = text[prev.end:m.start]
    if prev.kind == "generic" and between in vocab.apposition:
        m.role, m.marked = prev.role, prev.marked    # "焊工的熔化焊接与热切割作业证": one certificate, named twice
    elif (prev.role in ("held", "target") and prev.marked and prev.certificate and m.certificate
          and vocab.rx("conjunction").fullmatch(joint := vocab.rx("certificate_suffix").sub("", between))
          and (prev.role == "held" or (joint in vocab.words("wanted_joiners")      # "跟" after a wanted one compares
                                       and not vocab.rx("applies_next").match(text[m.end:])))
          and not _marker_before(m, text, vocab)):
        m.role, m.marked = prev.role, True           # "我有高压电工证和特种设备焊工证": both held; "想考X和Y": both wanted
    elif prev.kind == "site" and prev.marker and m.certificate and re.fullmatch(r"(上|里|那边)?(用|要|要求)?的", between):
        m.role, m.marked = prev.role, prev.marked    # "想再弄个工地用的建筑电工证": the site qualifies the certificate
    elif (prev.kind == "dept" and m.certificate and m.department == prev.department
          and not _marker_before(m, text, vocab) and not vocab.clause.search(between)):
        m.role, m.marked = prev.role, prev.marked    # "想去考市场监管那边锅炉压力容器用的特种设备焊接操作人员证"
    elif (prev.certificate and m.certificate and m.ids and prev.ids and (m.ids <= prev.ids or prev.ids <= m.ids)
          and (vocab.rx("apposition_restate").search(between) or not between.strip())):   # "应急的焊工证熔化焊那个"
        m.role, m.marked = prev.role, prev.marked    # "锅炉压力容器那种焊工证就是特种设备焊接操作人员证"
    else:
        return False
    return True


def _marker_before(m: Mention, text: str, vocab: Vocabulary) -> bool:
    window = text[max(0, m.start - 3):m.start]
    return any(window.endswith(marker) for marker, _ in vocab.markers if len(marker) > 1)


def _is_comparison(m: Mention, text: str, vocab: Vocabulary, prev=None) -> bool:
    """"跟考低压的一样吗": named only to compare. But "高压电工证和低压电工证视同的等级一样吗" joins two
    certificates with 和, and both are what is compared."""
    clause_end = next((b.start() for b in vocab.clause.finditer(text, m.end)), len(text))
    if prev is not None and prev.certificate and vocab.rx("conjunction").fullmatch(text[prev.end:m.start]):
        return False
    return bool(vocab.compare_before.search(text[max(0, m.start - 4):m.start])
                and vocab.compare_after.search(text[m.end:clause_end]))


def _marker_role(m: Mention, text: str, lo: int, vocab: Vocabulary) -> None:
    """The marker that ends nearest the mention wins; of those, the longest ("想办的" over "办的").
    A folded-in department is looked through: "在安监局考了高压电工证" is held by "考了"."""
    window = text[lo:m.core]
    window = window[max((b.end() for b in vocab.clause.finditer(window)), default=0):]
    false_friends = vocab.words("marker_false_friends")
    found = [(at + len(marker), len(marker), role, at) for marker, role in vocab.markers
             for at in range(len(window)) if window.startswith(marker, at)
             and not any(window.startswith(w, at) and len(w) > len(marker) for w in false_friends)]
    label = next((role for word, role in vocab.label_markers
                  if re.search(re.escape(word) + r"\s*:\s*$", text[max(0, m.start - len(word) - 3):m.start])), None)
    if label:
        m.role, m.marked = label, True
    elif found:
        end, length, role, at = max(found)
        m.role, m.marked, m.marker = role, True, window[at:at + length]
        neg = next((n for n in vocab.negations if window[:at].endswith(n)), None)
        if role == "target" and m.marker in vocab.words("level_markers") and m.kind != "cert":
            m.role, m.marked = None, False     # "能分别报电工、焊工的中级工吗": a trade's level applied for, no certificate
        elif role == "target" and neg and m.marker in vocab.words("obtain_markers"):
            m.role = "held"     # "我还没考低压电工证": not held yet, rather than wanted
        elif role == "held" and m.marker == "拿" and vocab.rx("fetched_from").search(window[:at]):
            m.role = "target"   # "去应急局拿熔化焊证": fetched there, not used to apply
        # "我不是没有低压电工证": a denied negation ("不是没有") holds it after all
        m.negated = bool(m.role == "held" and neg and not window[:at - len(neg)].endswith(vocab.words("double_negation")))
    elif m.kind == "site" and text[max(0, m.start - 1):m.start] == "在" and vocab.rx("site_background").match(text[m.end:]):
        m.kind = "occupation"               # "我在工地是带班的": where the worker works now, no certificate
    elif m.kind == "site":
        m.role, m.marked = "target", True   # "去工地": where the worker wants to work


def _default_roles(roleable: list[Mention], text: str, vocab: Vocabulary) -> None:
    """Unmarked mentions take the free role; the first defaults to held. One that only restates a
    certificate named in another clause ("应急局的焊工证,就是熔化焊接那个") shares its role; in one
    clause ("低压电工证能换低压证吗") the two are a pair, even if it is the same certificate. Certificates
    only listed, with no marker and nothing asked ("低压电工作业证和熔化焊接与热切割作业证,都是应急的"), are
    what the worker holds."""
    certs = [m for m in roleable if m.certificate]
    # ... and so are several said of people with no wanted one and nothing asked ("赵强是高压电工证,钱亮是建筑焊工证。",
    # "低压 建筑电工 都有", "我老公建筑焊工 我低压")
    all_held = vocab.rx("all_held_after").match(text[certs[-1].end:]) if certs else None
    if (len(certs) > 1 and not vocab.rx("question_cue").search(text)
            and (all(m.role is None for m in certs) or all(m.role in (None, "held") for m in certs) and all_held)):
        for m in roleable:
            m.role, m.marked = m.role or "held", m.marked or bool(all_held)     # "低压 高压 都有": each one held
        return
    for m in roleable:
        if m.role:
            continue
        others = [x for x in roleable if x.role and x is not m and m.ids and x.ids
                  and vocab.clause.search(text[min(m.end, x.end):max(m.start, x.start)])]
        same = next((x for x in others if x.ids == m.ids), None) or next(
            (x for x in others if m.ids <= x.ids or x.ids <= m.ids), None)
        if same:
            m.role = same.role
            continue
        taken = {x.role for x in roleable if x.role and x is not m and x.kind != "site"}
        m.role = "target" if "held" in taken and "target" not in taken else "held"
