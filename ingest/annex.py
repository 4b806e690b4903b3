"""The recognition table (the notice's annex) and the level table.

The scraped page carries no annex, only a "附件下载" link. Until an official table
is placed beside the page (knowledge/sources/<page-stem>.annex.csv|xlsx|html),
the rows come from knowledge/annex_derived.json: the seven paths restated from
第一条第(一)(二)项, each row flagged derived=true and pointing at the body
sentence it restates. Here we check those rows against the parsed tree, so a
re-scraped page that no longer says what a row claims fails the build loudly.
"""
from __future__ import annotations

import csv
import json
import re
from html.parser import HTMLParser
from pathlib import Path


class AnnexError(ValueError):
    pass


def load_tables(doc: dict, knowledge_dir: Path, sources_dir: Path) -> dict | None:
    """The annex and level tables for `doc`, or None when `doc` has none."""
    derived = json.loads((knowledge_dir / "annex_derived.json").read_text(encoding="utf-8"))
    levels = json.loads((knowledge_dir / "levels.json").read_text(encoding="utf-8"))
    if doc["metadata"]["doc_number"] != derived["doc"]:
        return None
    sentences = {}
    for n in doc["nodes"]:
        if n["kind"] == "sentence":
            sentences.setdefault(n["article"], []).append(n)

    official = official_annex_file(sources_dir, doc["doc_id"])
    if official:
        paths = official_paths(official, knowledge_dir)
        source = f"official:{official.name}"
    else:
        paths = derived["paths"]
        source = "derived_from_body"
        for row in paths:
            _check_derived(row, sentences, f"annex path {row['path']}")
    for row in levels["rows"]:
        _check_derived(row, sentences, f"level row {row['held']}")
    return {"doc": derived["doc"], "source": source, "paths": paths,
            "levels": levels["rows"], "level_ranks": levels["levels"]}


def _check_derived(row: dict, sentences: dict, what: str) -> None:
    frm = row["derived_from"]
    texts = [s["text"] for s in sentences.get(frm["article"], [])]
    if frm["quote"] not in texts:
        raise AnnexError(f"{what}: its derived_from quote is not a sentence of {frm['article']} any more")
    refs = [s["annex_ref"] for s in sentences[frm["article"]] if "annex_ref" in s]
    if not refs or refs[0]["raw"] not in frm["annex_sentence"]:
        raise AnnexError(f"{what}: {frm['article']} no longer ends with {frm['annex_sentence']!r}")
    rows = row.get("annex_rows")
    if rows and rows != refs[0]["repaired"].removeprefix("序号"):
        raise AnnexError(f"{what}: claims annex rows {rows}, the body says {refs[0]['repaired']}")


def official_annex_file(sources_dir: Path, doc_id: str) -> Path | None:
    for ext in ("csv", "xlsx", "html", "htm"):
        p = sources_dir / f"{doc_id}.annex.{ext}"
        if p.exists():
            return p
    return None


def read_table(path: Path) -> list[list[str]]:
    if path.suffix == ".csv":
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [[c.strip() for c in row] for row in csv.reader(f) if any(c.strip() for c in row)]
    if path.suffix == ".xlsx":
        from openpyxl import load_workbook
        sheet = load_workbook(path, read_only=True, data_only=True).active
        return [["" if c is None else str(c).strip() for c in row]
                for row in sheet.iter_rows(values_only=True) if any(c not in (None, "") for c in row)]
    parser = _TableParser()
    parser.feed(path.read_text(encoding="utf-8"))
    return [r for r in parser.rows if any(r)]


class _TableParser(HTMLParser):
    def __init__(self):
        super().__init__()
        self.rows, self._cell = [], None

    def handle_starttag(self, tag, attrs):
        if tag == "tr":
            self.rows.append([])
        elif tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None and self.rows:
            self.rows[-1].append(re.sub(r"\s+", " ", "".join(self._cell)).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


COLUMNS = {"no": ("序号",), "held": ("持有", "已取得", "原证书"), "target": ("申请", "拟取得", "目标"),
           "waived": ("免予", "免"), "then": ("参加", "需", "考核内容")}


def official_paths(path: Path, knowledge_dir: Path) -> list[dict]:
    """Rows of an official annex table as recognition paths (derived=false)."""
    from assistant.entities import CertificateCatalog
    catalog = CertificateCatalog.load(knowledge_dir)
    table = read_table(path)
    if len(table) < 2:
        raise AnnexError(f"{path.name}: no rows under the header")
    header = table[0]
    col = {}
    for key, words in COLUMNS.items():
        at = next((i for i, h in enumerate(header) if any(w in h for w in words) and i not in col.values()), None)
        if at is None:
            raise AnnexError(f"{path.name}: no column for {key} (header {header})")
        col[key] = at
    paths = []
    for line_no, row in enumerate(table[1:], start=2):
        cell = {k: row[i] if i < len(row) else "" for k, i in col.items()}
        held, target = catalog.exact(cell["held"]), catalog.exact(cell["target"])
        if not held or not target:
            raise AnnexError(f"{path.name} row {line_no}: unknown certificate in {cell['held']!r} / {cell['target']!r}")
        no = int(re.sub(r"\D", "", cell["no"]) or line_no - 1)
        paths.append({"path": no, "held": held, "target": target, "waived": cell["waived"], "then": cell["then"],
                      "condition": "", "article": f"附件序号{no}", "derived": False, "annex_rows": str(no),
                      "derived_from": {"file": path.name, "row": line_no, "quote": " ".join(c for c in row if c)},
                      "note": f"附件{path.name}第{line_no}行"})
    return paths
