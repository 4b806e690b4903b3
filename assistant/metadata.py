"""Questions about the notice itself (文号, issuers, date, validity, annex…), answered from the parsed page."""
from __future__ import annotations

ANNEX_NOTE = "网页抓取丢失了连接号:“序号13”即序号1—3,“序号47”即序号4—7"


def describe(a, wanted: list) -> tuple[str, list]:
    """Plain-text sentences for each thing asked about, and the citations they rest on."""
    meta = a.metadata()
    doc = meta["doc_number"]
    parts, citations = [], []
    for what in wanted:
        text, cites = _ABOUT[what](a, meta, doc)
        parts.append(text)
        citations += cites
    return "".join(parts), citations


def _doc_number(a, meta, doc):
    return f"这份通知的文号是{doc}。", [a.citer.cite(doc, "文号", a.node_text(doc, "文号"))]


def _issuers(a, meta, doc):
    return (f"通知由{'、'.join(meta['issuers'])}联合印发。", [a.citer.cite(doc, "落款", a.node_text(doc, "落款"))])


def _date(a, meta, doc):
    return (f"通知的发布时间是{cn_date(meta['published'])}({meta['published']};落款日期{cn_date(meta['signature_date'])})。",
            [a.citer.cite(doc, "文号", a.node_text(doc, "文号"))])


def _status(a, meta, doc):
    return f"据收录网页标注,该通知的效力状态为“{meta['status']}”(发布时间{cn_date(meta['published'])})。", []


def _scope(a, meta, doc):
    q = "现就推进职业技能证书(含技能人员职业资格证书、职业技能等级证书)互通互认事项通知如下。"
    sentence = next((s for s in a.sentences(doc, "引言") if q in s), "")
    return "通知所说的职业技能证书,含技能人员职业资格证书和职业技能等级证书。", [a.citer.cite(doc, "引言", sentence)]


def _title(a, meta, doc):
    return f"通知全称是《{meta['title']}》({doc})。", [a.citer.cite(doc, "标题", a.node_text(doc, "标题"))]


def _purpose(a, meta, doc):
    sentence = a.sentences(doc, "引言")[0]
    return "通知开头说明了目的:减轻劳动者技能评价取证负担,提升技能评价服务效能。", [a.citer.cite(doc, "引言", sentence)]


def _annex(a, meta, doc):
    text = ("收录网页没有附件原文(只有“附件下载”链接)。正文提到:第一条第(一)项对应附件序号1—3(电工),"
            "第一条第(二)项对应序号4—7(焊工),第二条第(一)项对应序号1—7。下面的互认路径是按正文整理的,不是附件原表。")
    cites = []
    for art in ("一(一)", "一(二)"):
        ref = next((s for s in a.sentences(doc, art) if s.startswith("参见附件")), "")
        cites.append(a.citer.cite(doc, art, ref, derived=True, note=ANNEX_NOTE))
    return text, cites


def _addressees(a, meta, doc):
    text = a.node_text(doc, "主送")
    return f"通知的主送机关是:{text.rstrip(':')}。", [a.citer.cite(doc, "主送", text)]


def _structure(a, meta, doc):
    """"通知一共讲了几方面": each article with its own heading, as the page has it, and how many items it holds."""
    nodes = a.docs[doc]["nodes"]
    items = [n for n in nodes if n["kind"] == "item"]
    sections = [n for n in nodes if n["kind"] == "section"]
    return f"通知正文分{len(sections)}条、共{len(items)}项:" + ";".join(
        f"{n['text']}({sum(1 for i in items if i['article'][0] == n['article'])}项)" for n in sections) + "。", []


_ABOUT = {"doc_number": _doc_number, "issuers": _issuers, "date": _date, "status": _status, "scope": _scope,
          "title": _title, "purpose": _purpose, "annex": _annex, "addressees": _addressees, "structure": _structure}


def cn_date(iso: str) -> str:
    if not iso:
        return "(未载明)"
    y, m, d = iso.split("-")
    return f"{int(y)}年{int(m)}月{int(d)}日"
