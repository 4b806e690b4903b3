"""The parse of the scraped page: chrome stripped, metadata, tree, verbatim nodes, annex references."""
from pathlib import Path

import pytest

from ingest.page import PageError, parse_page
from ingest.tree import annex_range

ROOT = Path(__file__).resolve().parent.parent


def test_site_chrome_is_stripped(notice):
    cleaned = notice["cleaned"]
    assert cleaned.startswith("人力资源社会保障部办公厅 住房城乡建设部办公厅")
    assert cleaned.endswith("202619")
    for chrome in ("税费法规", "企业会计准则", "扫一扫", "版权所有", "附件下载", "ivz7pilduik9", "苏ICP备"):
        assert chrome not in cleaned


def test_metadata_is_read_from_the_page(notice):
    m = notice["metadata"]
    assert m["doc_number"] == "人社厅发〔2026〕1号"
    assert m["published"] == "2026-01-09"
    assert m["signature_date"] == "2026-01-09" and m["signature_date_raw"] == "202619"
    assert m["status"] == "全文有效"
    assert m["issuers"] == ["人力资源社会保障部办公厅", "住房城乡建设部办公厅", "应急管理部办公厅", "市场监管总局办公厅"]
    assert m["short_title"] == "关于推进职业技能证书互通互认的通知"
    assert m["addressees"].startswith("各省、自治区、直辖市及新疆生产建设兵团")
    assert m["has_annex_link"] is True


def test_tree_has_three_sections_and_seven_items(notice):
    sections = [n for n in notice["nodes"] if n["kind"] == "section"]
    items = [n for n in notice["nodes"] if n["kind"] == "item"]
    assert [s["label"] for s in sections] == ["第一条", "第二条", "第三条"]
    assert [i["article"] for i in items] == ["一(一)", "一(二)", "二(一)", "二(二)", "三(一)", "三(二)", "三(三)"]
    assert items[0]["label"] == "第一条第(一)项" and items[0]["heading"] == "推进电工职业资格证书互通互认"
    kinds = {n["kind"] for n in notice["nodes"]}
    assert {"title", "docinfo", "addressee", "preamble", "signature", "sentence"} <= kinds


def test_every_node_is_a_verbatim_slice_of_the_cleaned_text(notice):
    cleaned = notice["cleaned"]
    for n in notice["nodes"]:
        assert cleaned[n["start"]:n["end"]] == n["text"], n["id"]
    # and the cleaned text is the page's own text: every sentence occurs in the raw page
    raw = (ROOT / "knowledge" / "sources" / notice["source"]).read_text(encoding="utf-8")
    for n in notice["nodes"]:
        if n["kind"] == "sentence":
            assert n["text"] in raw, n["id"]


def test_node_ids_are_stable_and_unique(notice):
    ids = [n["id"] for n in notice["nodes"]]
    assert len(ids) == len(set(ids))
    assert "sec1.item2.s4" in ids and "sec2.item1" in ids


def test_annex_references_are_repaired_but_quotes_keep_the_original(notice):
    refs = {n["article"]: n for n in notice["nodes"] if "annex_ref" in n}
    assert refs["一(一)"]["annex_ref"]["repaired"] == "序号1—3"
    assert refs["一(二)"]["annex_ref"]["repaired"] == "序号4—7"
    assert refs["二(一)"]["annex_ref"]["repaired"] == "序号1—7"
    assert refs["一(一)"]["text"] == "参见附件中序号13"   # the quote itself is not rewritten


@pytest.mark.parametrize("digits,first,last", [("13", 1, 3), ("47", 4, 7), ("17", 1, 7), ("5", 5, 5), ("1012", 10, 12)])
def test_annex_range_reading(digits, first, last):
    r = annex_range(digits)
    assert (r["first"], r["last"]) == (first, last)


def test_derived_annex_rows_point_at_body_sentences(notice):
    tables = notice["tables"]
    assert tables["source"] == "derived_from_body"
    assert len(tables["paths"]) == 7
    sentences = {n["text"] for n in notice["nodes"] if n["kind"] == "sentence"}
    for row in tables["paths"]:
        assert row["derived"] is True
        assert row["derived_from"]["quote"] in sentences
        assert row["annex_rows"] == ("1—3" if row["article"] == "一(一)" else "4—7")


def test_page_without_a_notice_is_rejected_with_a_reason():
    with pytest.raises(PageError, match="发布时间"):
        parse_page("首页\n关于我们\n版权所有", source="nav.txt")


ANNEX_HEADER = ["序号", "持有证书", "申请证书", "免予内容", "需参加"]
ANNEX_ROW = ["1", "应急管理部门 低压电工作业", "住房城乡建设部门 建筑电工", "免予安全作业培训", "直接参加建筑电工特种作业人员考核"]


def _write_csv(path):
    path.write_text(",".join(ANNEX_HEADER) + "\n" + ",".join(ANNEX_ROW) + "\n", encoding="utf-8")


def _write_xlsx(path):
    from openpyxl import Workbook
    wb = Workbook()
    wb.active.append(ANNEX_HEADER)
    wb.active.append([int(ANNEX_ROW[0])] + ANNEX_ROW[1:])
    wb.save(path)


def _cells(tag, row):
    return "".join(f"<{tag}>{c}</{tag}>" for c in row)


def _write_html(path):
    path.write_text(f"<html><body><p>附件</p><table><tr>{_cells('th', ANNEX_HEADER)}</tr>"
                    f"<tr>{_cells('td', ANNEX_ROW)}</tr></table></body></html>", encoding="utf-8")


@pytest.mark.parametrize("ext,write", [("csv", _write_csv), ("xlsx", _write_xlsx), ("html", _write_html)])
def test_official_annex_table_replaces_the_derived_rows(settings, sources_copy, ext, write):
    from dataclasses import replace

    from ingest.build import parse_sources
    write(sources_copy / f"000_5f5264133ce7bb69.annex.{ext}")
    doc = next(d for d in parse_sources(replace(settings, sources_dir=sources_copy)) if d["tables"])
    assert doc["tables"]["source"] == f"official:000_5f5264133ce7bb69.annex.{ext}"
    [row] = doc["tables"]["paths"]
    assert (row["held"], row["target"], row["derived"]) == ("em_low_voltage", "mohurd_electrician", False)
    node = next(n for n in doc["nodes"] if n["kind"] == "annex_row")
    assert doc["cleaned"][node["start"]:node["end"]] == row["derived_from"]["quote"]
