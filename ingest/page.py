"""A scraped notice page -> the notice's own text, plus what the page says about it.

The site wraps each document in the same chrome: a long category list, an opaque
id, the validity status, two dates, then the title and a "文号  发布时间:" line;
after the signature come "附件下载", a QR prompt, print/close links and the
copyright footer. We anchor on the 发布时间 line because it is the one line the
site always emits, and cut the footer at its first marker. Nothing in between is
edited except whitespace, so every quote we later take is the page's own text.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

HEADER = re.compile(r"^(?P<docno>\S.*?〔\d{4}〕\s*\d+\s*号)?\s*发布时间[:：]\s*(?P<date>\d{4}-\d{1,2}-\d{1,2})")
STATUSES = ("全文有效", "部分有效", "全文失效", "全文废止", "已废止", "失效", "废止")
FOOTER_MARKERS = ("• 附件下载", "附件下载", "扫一扫", "相关文章", "【打印】", "版权所有")
ISSUER = re.compile(r"^[\u4e00-\u9fff]{2,30}(办公厅|办公室|部|局|总局|委员会|委|厅|院|署|会|政府)$")
ISSUERS_LINE = re.compile(r"^([\u4e00-\u9fff]{2,30}(办公厅|办公室|部|局|总局|委员会|委|厅|院|署|政府)\s*)+$")
SEAL = re.compile(r"\s*[((]盖章[))]$")
SIGNATURE_DATE = re.compile(r"^(\d{4})\s*年?\s*(\d{1,2})\s*月?\s*(\d{1,2})\s*日?$")
# Lines under the date such as "(此件主动公开)": part of the signature block, not of the last item.
TRAILER = re.compile(r"^[((][^()()]{1,24}[))]$")
ADDRESSEE = re.compile(r"^(各|有关|国务院|中央)|(厅|局|委|部|院|政府|部门|单位|公司|机构)([((][^()()]*[))])?[:：]$")


class PageError(ValueError):
    """The page does not look like a notice from this site."""


@dataclass
class Page:
    source: str              # file name under knowledge/sources/
    sha256: str
    cleaned: str             # the notice: title line, 文号 line, body, signature
    metadata: dict = field(default_factory=dict)


def _clean_line(line: str) -> str:
    return re.sub(r"\s+", " ", line.replace("\xa0", " ")).strip()


def read_page(path: Path, max_bytes: int | None = None) -> Page:
    """Read and parse one saved page. PageError says why a file is not a usable page:
    over `max_bytes`, empty, binary (NUL bytes; UTF-16 text has them too), not UTF-8, not a notice."""
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        raise PageError(f"{path.name}: {size / 2**20:.1f} MiB, over the {max_bytes / 2**20:g} MiB limit for one page")
    raw = path.read_bytes()
    if not raw.strip():
        raise PageError(f"{path.name}: the file is empty")
    if b"\x00" in raw:
        raise PageError(f"{path.name}: a binary file, not a text page (it holds NUL bytes; "
                        "if it is UTF-16 text, save it as UTF-8)")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise PageError(f"{path.name}: not UTF-8 text (byte 0x{raw[exc.start]:02x} at offset {exc.start}); "
                        "save the page as UTF-8 (a GBK/GB18030 page must be converted)") from None
    return parse_page(text.removeprefix("\ufeff"), source=path.name, sha256=hashlib.sha256(raw).hexdigest())


def parse_page(raw: str, source: str = "<text>", sha256: str = "") -> Page:
    lines = [_clean_line(line) for line in raw.splitlines()]
    header_at = next((i for i, line in enumerate(lines) if HEADER.match(line)), None)
    if header_at is None:
        raise PageError(f"{source}: no '发布时间:' line, so the notice cannot be located on the page")
    header = HEADER.match(lines[header_at])
    above = [i for i in range(header_at) if lines[i]]
    if not above:
        raise PageError(f"{source}: no title above the 发布时间 line")
    title_lines = [above[-1]]
    # A title the scraper wrapped: "A办公厅 B厅" on one line, "关于…的通知" on the next.
    if lines[above[-1]].startswith("关于") and len(above) > 1 and ISSUERS_LINE.match(lines[above[-2]]):
        title_lines.insert(0, above[-2])
    status = next((lines[i] for i in reversed(above[-7:-len(title_lines)]) if lines[i] in STATUSES), "")

    end = next((i for i in range(header_at + 1, len(lines))
                if any(lines[i].startswith(m) for m in FOOTER_MARKERS)), len(lines))
    body = [line for line in lines[header_at + 1:end] if line]
    if not body:
        raise PageError(f"{source}: the page has a title but no body")
    has_annex_link = any("附件下载" in line for line in lines[end:])

    # The signature is the run of issuing offices above the date line, near the very end.
    issuers, signature_date_raw, signature_lines = [], "", 0
    date_at = len(body) - 1
    while date_at > 0 and TRAILER.match(body[date_at]):
        date_at -= 1
    if SIGNATURE_DATE.match(body[date_at]) or re.fullmatch(r"\d{5,8}", body[date_at]):
        signature_date_raw = body[date_at]
        k = date_at - 1
        while k >= 0 and ISSUER.match(SEAL.sub("", body[k])):
            k -= 1
        issuers = [SEAL.sub("", line) for line in body[k + 1:date_at]]
        signature_lines = len(body) - (k + 1)

    published = _iso(header.group("date"))
    title = "".join(lines[i] for i in title_lines)
    cleaned = "\n".join([*(lines[i] for i in title_lines), lines[header_at], *body])
    addressee = body[0] if is_addressee(body[0]) else ""
    metadata = {
        "title": title,
        "short_title": _short_title(title),
        "doc_number": re.sub(r"\s+", "", header.group("docno") or ""),
        "published": published,
        "status": status,
        "issuers": issuers,
        "addressees": addressee.rstrip(":："),
        "signature_date_raw": signature_date_raw,
        "signature_date": _signature_date(signature_date_raw, published),
        "title_lines": len(title_lines),
        "signature_lines": signature_lines,
        "has_annex_link": has_annex_link,
        "source": source,
    }
    return Page(source=source, sha256=sha256, cleaned=cleaned, metadata=metadata)


def is_addressee(line: str) -> bool:
    """"各省…厅(局):" is an addressee; "…现将有关事项通知如下:" is a preamble."""
    return line.endswith((":", "：")) and "通知如下" not in line and "。" not in line and bool(ADDRESSEE.search(line))


def _iso(date: str) -> str:
    y, m, d = (int(x) for x in date.split("-"))
    return f"{y:04d}-{m:02d}-{d:02d}"


def _short_title(title: str) -> str:
    # "A办公厅 B办公厅关于X的通知" -> "关于X的通知": the form people quote in 《》.
    at = title.rfind("关于")
    return title[at:] if at > 0 else title


def _signature_date(raw: str, published: str) -> str:
    """Read the signature date; the scraper drops 年月日, so "202619" is 2026年1月9日.

    Digits alone are ambiguous ("2026111" is 1月11日 or 11月1日), so we accept the
    reading that agrees with 发布时间 and otherwise report none rather than guess.
    """
    if not raw:
        return ""
    m = SIGNATURE_DATE.match(raw)
    if m and not raw.isdigit():
        return _iso("-".join(m.groups()))
    y, mo, d = (int(x) for x in published.split("-"))
    if raw in (f"{y}{mo}{d}", published.replace("-", "")):
        return published
    if len(raw) == 8:   # zero-padded YYYYMMDD is unambiguous
        try:
            return _iso(f"{raw[:4]}-{raw[4:6]}-{raw[6:]}")
        except ValueError:
            return ""
    return ""
