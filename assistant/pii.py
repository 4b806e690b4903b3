"""Find and mask personal data in free text before anything is written to disk.

Kinds found (`find_pii`) and how `mask_pii` stars them (the length never changes):

  phone    phonenumbers' PhoneNumberMatcher (regions CN, HK, MO, TW) on a folded copy of
           the text, plus a digit-run scanner for what the matcher does not see (digits
           split by odd separators, one digit per space, 11 Chinese numerals such as
           一三八零零一三八零零零); every candidate is checked by phonenumbers'
           `is_valid_number`.                               keeps the first 3 and last 2 chars
  id       18-character 居民身份证号 with a correct check digit (`stdnum.cn.ric`, which also
           checks the birth date and the birth place code); a number that fails only the
           check digit, and 15-digit old numbers, count when 身份证/证件号 stands just
           before them (a mistyped ID is still an ID).        first 3 and last 2 chars
  bank     16-19 digits passing the Luhn check (`stdnum.luhn`) and starting like a card
           (3-6, 9); or 16-19 digits right after 卡号/银行卡/账号.   first 3 and last 2
  email    local@domain.tld                                     keeps the first char and @domain
  address  a street address: [省/市/区/县/镇…] road (路/街/大道/巷/弄/胡同) + number 号
           [+ 栋/单元/室…], or a 小区/花园/大厦… + building/unit/room; the divisions down
           to the county stay readable, the rest is starred
  name     a Chinese name (common surname + 1-2 chars) right before or after a phone
           number (张三13800138000, 王小明电话…), or after 联系人/姓名/我叫/本人…   all starred

Decided and tested look-alikes (tests/data/pii_corpus.jsonl): document numbers such as
人社厅发〔2026〕1号, dates (2026-01-09, 2026年1月9日, 202619, 20260109), 序号1—3, 序号13,
12333 and other short service numbers, article numbers, URLs, and certificate numbers
after 证书编号/编号/证号 are left alone. One exception, on purpose: the number of a
特种作业操作证 is "T" + the holder's 身份证号, so "证书编号T320102199001011234" has its ID
digits masked (they are a valid ID number, whatever the label).

Digits adjacent to the match make it part of a longer number; letters adjacent make it a code
(S0000...), which is not taken for a bank card (a phone glued to letters, wx13800138000, still
counts). An 11-digit 1[3-9]… mobile counts by its shape even where phonenumbers' metadata does not
know the block yet.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

__all__ = ["PiiSpan", "find_pii", "mask_pii", "KINDS"]

KINDS = ("phone", "id", "bank", "email", "address", "name")
_REGIONS = ("CN", "HK", "MO", "TW")

# --------------------------------------------------------------------------- folding
# A 1:1 character map, so that spans found in the folded text line up with the original.
_FOLD = {chr(0xFF01 + i): chr(0x21 + i) for i in range(0x5E)}      # full-width ASCII (１, －, ＋, ＠, Ｘ…)
_FOLD.update({"\u3000": " ", "\u00a0": " ", "\u2007": " ", "\u202f": " "})
_FOLD_TABLE = str.maketrans(_FOLD)
# Chinese numerals are folded only inside a run that spells out a long number
# (>= 7 digits, >= 3 of them Chinese), so that 张三13800138000 keeps its 三.
_CN_DIGITS = {"零": "0", "〇": "0", "○": "0", "洞": "0", "幺": "1", "一": "1", "二": "2", "三": "3", "四": "4",
              "五": "5", "六": "6", "七": "7", "八": "8", "九": "9", "壹": "1", "贰": "2", "叁": "3",
              "肆": "4", "伍": "5", "陆": "6", "柒": "7", "捌": "8", "玖": "9"}
_SEP = " .\\-‐‑‒–—―−_·~～ー"                       # what people put between digit groups
_CN_RUN = re.compile("[0-9%s](?:[%s]{0,2}[0-9%s])+" % (("".join(_CN_DIGITS),) + (_SEP,) + ("".join(_CN_DIGITS),)))


def _fold(text: str) -> str:
    folded = text.translate(_FOLD_TABLE)
    if not any(c in _CN_DIGITS for c in folded):
        return folded
    out = list(folded)
    for m in _CN_RUN.finditer(folded):
        run = m.group()
        n_cn = sum(c in _CN_DIGITS for c in run)
        n_all = n_cn + sum(c.isdigit() for c in run if c.isascii())
        if n_cn >= 3 and n_all >= 7:
            for i in range(m.start(), m.end()):
                out[i] = _CN_DIGITS.get(out[i], out[i])
    return "".join(out)


# --------------------------------------------------------------------------- spans

@dataclass(frozen=True)
class PiiSpan:
    start: int
    end: int
    kind: str
    keep_head: int = 0      # characters left readable at the start of the span
    keep_tail: int = 0      # ... and at its end

    def value(self, text: str) -> str:
        return text[self.start:self.end]


_PRIORITY = {"email": 0, "id": 1, "bank": 2, "phone": 3, "address": 4, "name": 5}


def _numeric(start: int, end: int, kind: str) -> PiiSpan:
    n = end - start
    head, tail = (3, 2) if n > 5 else (0, 0)
    return PiiSpan(start, end, kind, head, tail)


# --------------------------------------------------------------------------- context words
_ID_CONTEXT = re.compile(r"(?:身份证|身份證|证件号|證件號|公民身份号码|身份号码|ID\s*(?:No|number)?)\s*(?:号码|号|號|码|碼)?\s*(?:是|为|:|：)?\s*$",
                         re.I)
_BANK_CONTEXT = re.compile(r"(?:卡号|卡號|银行卡|銀行卡|账号|帳號|账户|帳戶|帐号|工资卡|社保卡号)[^\d]{0,6}$")
_CODE_CONTEXT = re.compile(r"(?:证书编号|证书号|證書編號|证号|编号|編號|文号|序号|订单号|流水号|单号|准考证号|考号|登记号|"
                           r"批次号|条码|版本号|邮编|邮政编码)[^\d]{0,4}$")
_PHONE_WORDS = re.compile(r"(?:电话|電話|手机|手機|联系|聯繫|聯絡|致电|致電|热线|熱線|号码|號碼|座机|座機|微信|"
                          r"打|拨|撥|call|tel|phone|mobile|香港|澳门|澳門|台湾|臺灣|台灣|HK|Macau|Taiwan)",
                          re.I)
_MOBILE_SHAPE = re.compile(r"(?:\+?86[-\s]?)?1[3-9]\d(?:[-\s.—]?\d){8}")
_TEL_LETTERS = re.compile(r"(?:tel|phone|mobile|mob|cell|fax|no|id|hk|tw|mo)$", re.I)


# --------------------------------------------------------------------------- phones (phonenumbers)

@lru_cache(maxsize=1)
def _pn():
    import phonenumbers
    return phonenumbers


def _matcher_phones(folded: str) -> list[PiiSpan]:
    pn = _pn()
    spans: dict[tuple[int, int], PiiSpan] = {}
    # bare HK/MO/TW numbers count only after a phone or region word; without any, and
    # without a "+" or "00", those three matchers cannot add anything
    others = "+" in folded or "00" in folded or bool(_PHONE_WORDS.search(folded))
    for region in _REGIONS if others else ("CN",):
        try:
            matches = list(pn.PhoneNumberMatcher(folded, region, leniency=pn.Leniency.VALID))
        except Exception:   # the library must never take masking down with it
            continue
        for m in matches:
            raw = m.raw_string
            international = raw.lstrip("(（[").startswith(("+", "00"))
            if region != "CN" and not international:
                # bare HK/MO/TW national numbers are 8-10 digits, like many other numbers:
                # only with a region or phone word just before them
                if not _PHONE_WORDS.search(folded[max(0, m.start - 10):m.start]):
                    continue
            if _CODE_CONTEXT.search(folded[max(0, m.start - 12):m.start]) and not _MOBILE_SHAPE.search(raw):
                continue
            spans[(m.start, m.end)] = _numeric(m.start, m.end, "phone")
    return list(spans.values())


def _is_phone(digits: str) -> bool:
    """A Chinese mobile, or a landline with its area code (phonenumbers' metadata)."""
    pn = _pn()
    plus = digits.startswith("+")
    d = digits.lstrip("+")
    if not d.isdigit():
        return False
    if plus or d.startswith("00"):
        candidate = "+" + d.lstrip("0") if not plus else digits
        region = None
    elif d.startswith("86") and len(d) == 13:
        candidate, region = "+" + d, None
    elif len(d) == 11 and d[0] == "1" and d[1] in "3456789":
        # the mobile shape is enough: phonenumbers' metadata lags newly opened blocks
        return True
    elif d[0] == "0" and 10 <= len(d) <= 12:
        candidate, region = d, "CN"
    else:
        return False
    try:
        return pn.is_valid_number(pn.parse(candidate, region))
    except Exception:
        return False


# --------------------------------------------------------------------------- id / bank (stdnum)

_PROVINCES = {"11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
              "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64",
              "65", "71", "81", "82", "83", "91"}


def _date_ok(y: int, m: int, d: int) -> bool:
    import datetime
    try:
        datetime.date(y, m, d)
        return True
    except ValueError:
        return False


def _id_kind(digits: str, context: str) -> bool:
    """True when `digits` (separators removed) is a 居民身份证号."""
    from stdnum.cn import ric
    d = digits.upper()
    if len(d) == 18 and d[:17].isdigit() and (d[17].isdigit() or d[17] == "X"):
        if ric.is_valid(d):
            return True
        plausible = (d[:2] in _PROVINCES and 1900 <= int(d[6:10]) <= 2100
                     and _date_ok(int(d[6:10]), int(d[10:12]), int(d[12:14])))
        if plausible and ric.calc_check_digit(d) == d[17]:
            # stdnum also wants the county code to have existed in the birth year; many
            # people born before their district was (re)named carry such numbers
            return True
        # a wrong check digit right after 身份证: a mistyped ID is still an ID
        return plausible and bool(_ID_CONTEXT.search(context))
    if len(d) == 15 and d.isdigit():        # pre-1999 15-digit numbers: yymmdd, no check digit
        return (d[:2] in _PROVINCES and _date_ok(1900 + int(d[6:8]), int(d[8:10]), int(d[10:12]))
                and bool(_ID_CONTEXT.search(context) or _known_county(d[:6])))
    return False


def _known_county(code: str) -> bool:
    """A birth-place code in stdnum's table (province and county both known)."""
    try:
        from stdnum import numdb
        info = {k for _, props in numdb.get("cn/loc").info(code) for k in props}
        return {"province", "county"} <= info
    except Exception:
        return False


def _bank_kind(digits: str, context: str) -> bool:
    from stdnum import luhn
    if not (16 <= len(digits) <= 19 and digits.isdigit()):
        return False
    if _BANK_CONTEXT.search(context):
        return True
    return digits[0] in "345769" and luhn.is_valid(digits)


# --------------------------------------------------------------------------- digit-run scanner

_SEP_CLASS = "[%s]" % re.escape(_SEP)
_RUN = re.compile(r"\+?\d(?:%s{0,3}\d)*(?:%s{0,2}[Xx](?![A-Za-z]))?" % (_SEP_CLASS, _SEP_CLASS))
_GROUP = re.compile(r"\+?\d+|[Xx]")
_MAX_DIGITS = 20
_MIN_DIGITS = 10      # the shortest thing the scanner classifies: a landline with its area code


def _scan_numbers(folded: str, text: str) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    for run in _RUN.finditer(folded):
        a, b = run.span()
        if b - a < 5:
            continue
        found = _scan_run(folded, a, b)
        # 林一一三八零零…: the name's last character may be a numeral glued to the number
        drop = 1
        while not found and drop <= 2 and text[a + drop - 1] in _CN_DIGITS and b - a - drop >= 5:
            found = _scan_run(folded, a + drop, b)
            drop += 1
        out += found
    return out


def _scan_run(folded: str, a: int, b: int) -> list[PiiSpan]:
    out: list[PiiSpan] = []
    after = folded[b] if b < len(folded) else ""
    # letters glued on make an alphanumeric code; only an ID may hide in one (T + 身份证号)
    letters = re.search(r"[A-Za-z]+$", folded[max(0, a - 8):a])
    glued_before = bool(letters and not _TEL_LETTERS.search(letters.group()))
    glued_after = after.isascii() and after.isalpha()
    groups = [(g.start(), g.end(), g.group()) for g in _GROUP.finditer(folded, a, b)]
    i = 0
    while i < len(groups):
        found = None
        # candidate ends j with their digit strings, shortest first, up to _MAX_DIGITS digits
        ends, digits = [], ""
        for j in range(i, len(groups)):
            digits += groups[j][2]
            if len(digits.lstrip("+")) > _MAX_DIGITS:
                break
            ends.append((j, digits))
        for j, digits in reversed(ends):
            if len(digits.lstrip("+")) < _MIN_DIGITS:
                break
            s, e = groups[i][0], groups[j][1]
            # a sub-run must not cut into digits glued to it
            if j + 1 < len(groups) and groups[j + 1][0] == e:
                continue
            kind = _classify(digits, folded[max(0, s - 16):s], glued_before and i == 0,
                             glued_after and j == len(groups) - 1)
            if kind:
                found = (s, e, kind, j)
                break
        if found:
            s, e, kind, j = found
            out.append(_numeric(s, e, kind))
            i = j + 1
        else:
            i += 1
    return out


def _classify(digits: str, context: str, glued_before: bool, glued_after: bool) -> str | None:
    n = len(digits) - digits.startswith("+")
    if n < _MIN_DIGITS or n > 19:
        return None
    if n in (15, 18) or digits[-1] in "Xx":
        pass
    elif not (digits[0] in "+0" or (n == 11 and digits[0] == "1") or n == 13 or 16 <= n <= 19):
        return None          # no kind has this length and start
    if "X" in digits.upper()[:-1]:
        return None
    if digits.upper().endswith("X"):
        return "id" if _id_kind(digits, context) else None
    plain = digits.lstrip("+")
    if _id_kind(plain, context) and not digits.startswith("+"):
        return "id"
    code = bool(_CODE_CONTEXT.search(context))
    if not (code or glued_before or glued_after) and not digits.startswith("+") and _bank_kind(plain, context):
        return "bank"
    if _is_phone(digits) and (not code or _MOBILE_SHAPE.fullmatch(plain)):
        return "phone"        # after 编号/证号 only a mobile-shaped number still counts
    return None


# --------------------------------------------------------------------------- email

_EMAIL = re.compile(r"(?<![A-Za-z0-9._%+\-])[A-Za-z0-9](?:[A-Za-z0-9._%+\-]{0,63})@"
                    r"[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9\-]{0,62}[A-Za-z0-9])?)*"
                    r"\.[A-Za-z]{2,24}(?![A-Za-z0-9\-])")


def _emails(folded: str) -> list[PiiSpan]:
    out = []
    for m in _EMAIL.finditer(folded):
        at = folded.index("@", m.start())
        out.append(PiiSpan(m.start(), m.end(), "email", 1 if at - m.start() >= 3 else 0, m.end() - at))
    return out


# --------------------------------------------------------------------------- address

_HAN = "\u4e00-\u9fff"
_NUM = r"(?:\d{1,5}|[一二三四五六七八九十百零〇两]{1,6})"
_ADMIN = r"(?>[%s]{1,8}?(?:特别行政区|自治区|自治州|自治县|地区|省|市|州|盟|区|县|旗|镇|乡|街道))" % _HAN
_UNIT = r"(?:%s|[A-Za-z])(?:-%s)?(?:号楼|栋|幢|座|单元|层|楼|室|号|户|排|门|期)" % (_NUM, _NUM)
_TAIL = r"(?:[ ,，]?%s)*(?:\d{3,4}(?![\d号]))?" % _UNIT
_ADDRESS = re.compile(
    r"(?P<admin>%s{0,4})(?:"
    r"(?P<road>(?P<rname>[%s\d]{1,10}?(?:大道|大街|路|街|巷|弄|胡同))(?:[一二三四五六七八九十\d]{1,3}段)?%s(?:-%s)?(?:号|弄)(?:院)?%s)"
    r"|(?P<estate>(?P<ename>[%s]{2,10}?(?:小区|花园|公寓|大厦|新村|家园|苑|社区|广场|宿舍|村))(?:[ ,，]?%s)+(?:\d{3,4}(?!\d))?))"
    % (_ADMIN, _HAN, _NUM, _NUM, _TAIL, _HAN, _UNIT))
# words that cannot be inside a place name: the address starts after the last of them
_ADDR_STOP = re.compile(r".*(?:我|你|他|她|在|住|是|到|位于|址|为|的|了|去|从|往|寄|送|搬|请|或|及|与|\s)")
_NOT_ROAD_BEFORE = re.compile(r"[〔\[(（【第令]$")


def _addresses(folded: str) -> list[PiiSpan]:
    out = []
    for m in _ADDRESS.finditer(folded):
        part = "road" if m.group("road") else "estate"
        name_end = m.end("rname" if part == "road" else "ename")
        start = m.start()
        stop = _ADDR_STOP.match(folded, start, name_end - 2)
        if stop:
            start = stop.end()
        body = max(m.start(part), start)
        if name_end - body < 2 or _NOT_ROAD_BEFORE.search(folded[max(0, start - 1):start]):
            continue
        out.append(PiiSpan(start, m.end(), "address", body - start, 0))
    return out


# --------------------------------------------------------------------------- names

_SURNAMES = set(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢"
    "姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔汤温康施"
    "牛樊葛邢齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌毕单季裴霍涂苗谷盛"
    "曲翁冉骆蓝游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳穆卓古吉缪简车项连芦麦褚娄窦戚岑景党宫费卜冷晏席"
    "卫米柏宗瞿桂佟臧闵苟邬边卞姬仇栾隋刁沙巫寇桑郎甄丛仲虞敖巩佘池查麻苑迟邝封谈匡鞠惠荆冀郁胥班储栗燕"
    "楚鄢谌奚皮粟冼蔺楼闻厉伊仝郜阚权帅屠豆朴盖练廉禹井祖漆巴丰卿狄宣晋初扈晁芮阙浦戈伏鹿薄邸雍辜裘亓邰"
    "赫杭况宿逯茹诸慕嵇湛宾戎勾茅揭尉檀衣展昝智幸植衡尧")
_COMPOUND = ("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "令狐", "夏侯",
             "司徒", "西门", "南宫", "宇文", "轩辕", "端木", "独孤", "申屠", "呼延")
# characters that do not occur in a given name in this setting (roles, verbs, function words)
_NOT_GIVEN = set(
    "电话手机号码的是在我你他她们请打拨联系找询问员工证师傅先生女士老板经理主任科长局厅处站部门司公室所院校"
    "会队组区市省县镇村路街楼和与或及想要能可吗呢吧啊呀了过办考换申领取补发核验查说给帮让把被从到对向往为因"
    "以如果但这那些个位名叫姓收寄送住家有没不也都还就再又很太更最已曾将才本该此其之于得地着么什怎哪谁几多"
    "少年日时分秒号级类种项条款第共各每旧省热线座微信十百千万")
# two Han characters that start like a name but are words seen next to phone numbers
_NOT_NAMES = {
    "方式", "方法", "方面", "单位", "安全", "高压", "低压", "金额", "余额", "关于", "管理", "任务", "任何", "周末",
    "平时", "明天", "谢谢", "尚未", "齐全", "程序", "项目", "曾经", "史上", "温馨", "宁可", "华为", "苏宁",
    "江苏", "江西", "湖南", "湖北", "河南", "河北", "山东", "山西", "广东", "广西", "云南", "贵州", "四川", "福建",
    "浙江", "安徽", "吉林", "辽宁", "海南", "甘肃", "青海", "宁夏", "新疆", "西藏", "北京", "上海", "天津", "重庆",
    "香港", "澳门", "台湾", "常州", "苏州", "杭州", "温州", "福州", "广州", "成都", "武汉", "南京", "长沙", "郑州",
    "济南", "沈阳", "太原", "西安", "兰州", "银川", "西宁", "昆明", "贵阳", "南宁", "海口", "合肥", "南昌", "拉萨",
    "长春", "大连", "青岛", "宁波", "厦门", "深圳", "东莞", "佛山", "无锡", "徐州", "唐山", "包头", "鞍山", "邵阳",
    "柳州", "桂林", "江门", "惠州", "汕头", "潮州", "梅州", "韶关", "湛江", "茂名", "肇庆", "清远", "阳江", "云浮",
}
_NAME_AFTER_KEY = re.compile(r"(?:联系人|聯繫人|姓名|名字|我叫|本人|持证人|持證人|申请人|收件人|户主|名叫|叫做|签名)"
                             r"[:：\s]*(?:是|为|叫)?[:：\s]*([%s]{2,8})" % _HAN)
_CONNECTORS = re.compile(r"(?:[\s:：,，(（]*(?:的)?(?:联系电话|手机号码|电话号码|手机号|电话|手机|座机|tel|Tel|TEL)?"
                         r"(?:是|为)?[\s:：(（]*)$")
_HAN_RUN_END = re.compile(r"[%s]{1,6}$" % _HAN)
_HAN_RUN_START = re.compile(r"^[%s]{1,6}" % _HAN)


def _name_at(run: str, from_end: bool) -> tuple[int, int] | None:
    """The longest plausible name at the end (or start) of a run of Han characters."""
    for length in (4, 3, 2):
        if len(run) < length:
            continue
        cand = run[-length:] if from_end else run[:length]
        compound = cand[:2] in _COMPOUND
        if length == 4 and not compound:
            continue
        if not compound and cand[0] not in _SURNAMES:
            continue
        given = cand[2:] if compound else cand[1:]
        if not given or any(c in _NOT_GIVEN for c in given) or cand[:2] in _NOT_NAMES:
            continue
        if not from_end and len(run) > length and run[length] not in _NOT_GIVEN:
            continue        # the name would run on into more Han text
        return (len(run) - length, len(run)) if from_end else (0, length)
    return None


def _names(text: str, phones: list[PiiSpan]) -> list[PiiSpan]:
    out = []
    for p in phones:
        # before the phone: 张三13800138000, 王小明 电话:138…, 李四的手机号是…
        before = text[max(0, p.start - 24):p.start]
        conn = _CONNECTORS.search(before)
        head = before[:conn.start()] if conn else before
        run = _HAN_RUN_END.search(head)
        if run:
            hit = _name_at(run.group(), from_end=True)
            if hit:
                base = p.start - len(before) + run.start()
                out.append(PiiSpan(base + hit[0], base + hit[1], "name"))
        # after the phone: 13800138000(张三) / 13800138000 王小明
        after = text[p.end:p.end + 12]
        lead = re.match(r"[\s(（]*", after).end()
        run = _HAN_RUN_START.search(after[lead:])
        if run:
            hit = _name_at(run.group(), from_end=False)
            if hit and hit[1] == len(run.group()):
                base = p.end + lead
                out.append(PiiSpan(base + hit[0], base + hit[1], "name"))
    # after a key word: 联系人王小明, 姓名:李华, 我叫张三想问…
    for m in _NAME_AFTER_KEY.finditer(text):
        run = m.group(1)
        for conn in ("电话", "手机", "联系", "的"):
            cut = run.find(conn)
            if cut > 0:
                run = run[:cut]
        hit = _name_at(run, from_end=False)
        if hit:
            out.append(PiiSpan(m.start(1) + hit[0], m.start(1) + hit[1], "name"))
    return out


# --------------------------------------------------------------------------- public

def _resolve(spans: list[PiiSpan]) -> list[PiiSpan]:
    """Non-overlapping spans: the longer wins, then the more sensitive kind."""
    chosen: list[PiiSpan] = []
    for s in sorted(spans, key=lambda s: (-(s.end - s.start), _PRIORITY[s.kind], s.start)):
        if all(s.end <= c.start or s.start >= c.end for c in chosen):
            chosen.append(s)
    return sorted(chosen, key=lambda s: s.start)


def find_pii(text: Any) -> list[PiiSpan]:
    """Spans of personal data in `text`, sorted, non-overlapping. Never raises."""
    if not isinstance(text, str) or not text:
        return []
    try:
        folded = _fold(text)
        spans: list[PiiSpan] = []
        phones: list[PiiSpan] = []
        if any(c.isdigit() for c in folded):
            numbers = _resolve(_matcher_phones(folded) + _scan_numbers(folded, text))
            phones = [s for s in numbers if s.kind == "phone"]
            spans += numbers
        if "@" in folded:
            spans += _emails(folded)
        if _ADDRESS_HINT.search(folded):
            spans += _addresses(folded)
        if phones or _NAME_KEYS_ANYWHERE.search(text):
            spans += _names(text, phones)
        return _resolve(spans)
    except RecursionError:
        return []


_NAME_KEYS_ANYWHERE = re.compile(r"联系人|聯繫人|姓名|名字|我叫|本人|持证人|持證人|申请人|收件人|户主|名叫|叫做|签名")
_ADDRESS_HINT = re.compile(r"[号號弄栋幢座单层楼室户排门期]")


def _star(s: str, head: int, tail: int) -> str:
    head = min(head, len(s))
    tail = min(tail, len(s) - head)
    return s[:head] + "*" * (len(s) - head - tail) + (s[len(s) - tail:] if tail else "")


def mask_pii(text: Any) -> Any:
    """Star personal data in `text`; its length and everything else stay as they were.

    >>> mask_pii("电话13812345678,身份证110101199003071234")
    '电话138******78,身份证110*************34'

    Non-strings (None, numbers) are returned unchanged.
    """
    if not isinstance(text, str) or not text:
        return text
    spans = find_pii(text)
    if not spans:
        return text
    out, last = [], 0
    for s in spans:
        out += [text[last:s.start], _star(text[s.start:s.end], s.keep_head, s.keep_tail)]
        last = s.end
    out.append(text[last:])
    return "".join(out)
