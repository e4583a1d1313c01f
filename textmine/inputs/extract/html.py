"""HTML pages: block elements in order, headings kept, navigation and page furniture dropped."""

from __future__ import annotations

import re
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.inputs.extract.tablerows import is_caption, row_text
from textmine.inputs.extract.text import decode_text
from textmine.core.types import Block, Document, Page

BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dd", "dt", "caption"]
FURNITURE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select", "template"]
_FURNITURE_NAME = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|top|sidebar|share|copyright|info|toolbar|banner|cookies?)($|[-_\s])",
    re.I,
)
# lines that government web pages put around the text: publication data, font-size switches, sharing, copyright
# (also cells of a data table: the 信息公开 box of index number, publisher, date)
_FURNITURE_TEXT = re.compile(r"^(索引号|索引號|发布日期|發布日期|发布时间|来源[:：]|來源[:：]|【?字体|分享到|当前位置|當前位置|版权所有|版權所有|打印本页|关闭窗口)")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"}


def read_html(path: Path, data: bytes, doc_id: str, encoding: str | None = None) -> Document:
    from bs4 import BeautifulSoup

    text = decode_text(data, encoding)[0] if encoding else _decode(data)
    soup = BeautifulSoup(text, "lxml")
    title = soup.title.get_text(" ", strip=True) if soup.title else ""
    for element in soup.find_all(FURNITURE_TAGS):
        element.decompose()
    for element in soup.find_all(_is_furniture_container):
        element.decompose()
    for br in soup.find_all("br"):
        br.replace_with("\n")
    body = soup.body or soup
    blocks = []
    data_tables = {id(table) for table in body.find_all("table") if _is_data_table(table)}
    tables = 0
    for element in body.find_all(BLOCK_TAGS + ["div", "table"]):
        if element.name == "table" and id(element) in data_tables:
            tables += 1
            blocks.extend(_table_blocks(element, blocks, tables))
            continue
        if element.name == "table" or any(id(parent) in data_tables for parent in element.find_parents("table")):
            continue
        if element.name == "div" or _layout_cell(element):
            own = "".join(s for s in element.find_all(string=True, recursive=False)).strip()
            if own and not _FURNITURE_TEXT.match(own):
                blocks.append(Block(own))
            continue
        if any(not _layout_cell(parent) for parent in element.find_parents(BLOCK_TAGS)) or \
                _FURNITURE_TEXT.match(element.get_text(strip=True)):
            continue
        content = "\n".join(line.strip() for line in element.get_text("").split("\n") if line.strip())
        if content:
            style = f"heading{element.name[1]}" if element.name[0] == "h" and element.name[1:].isdigit() else ""
            blocks.append(Block(content, None, style))
    if not blocks:
        raise ExtractionError("no text found in the HTML page", "extract")
    joined = "\n".join(block.text for block in blocks)
    return Document(doc_id, str(path), (Page(1, joined, "plain"),), metadata={"title": title}, blocks=tuple(blocks))


def _layout_cell(element) -> bool:
    """A cell of a table that lays out the page (it holds other blocks): read like a <div>."""
    return element.name in ("td", "th") and element.find(BLOCK_TAGS + ["div", "table"]) is not None


def _is_data_table(table) -> bool:
    """A table of data, not one that lays out a page: no table inside, rows of several cells, short cells."""
    if table.find("table") is not None:
        return False
    rows = [row for row in table.find_all("tr") if row.find_parent("table") is table]
    cells = [cell for row in rows for cell in row.find_all(["td", "th"], recursive=False)]
    return len(rows) >= 1 and len(cells) > len(rows) and all(len(cell.get_text(strip=True)) <= 500 for cell in cells)


def _table_blocks(table, blocks: list[Block], number: int) -> list[Block]:
    """One Block per row (cells joined by " | "), named by the <caption>, a caption-like line just before, else "Table N"."""
    out = []
    caption = table.find("caption")
    name = caption.get_text(" ", strip=True) if caption is not None else ""
    if name:
        out.append(Block(name))  # the caption's text stays a paragraph of the document
    elif blocks and is_caption(blocks[-1].text) and not blocks[-1].table:
        name = blocks[-1].text
    name = name or f"Table {number}"
    for row in table.find_all("tr"):
        if row.find_parent("table") is not table:
            continue
        cells = (cell.get_text("") for cell in row.find_all(["td", "th"], recursive=False))
        text = row_text(cell for cell in cells if not _FURNITURE_TEXT.match(cell.strip()))
        if text:
            out.append(Block(text, None, table=name))
    return out


def _is_furniture_container(tag) -> bool:
    if tag.name not in ("div", "section", "ul", "ol", "span", "p"):
        return False
    names = " ".join([*tag.get("class", []), tag.get("id", ""), tag.get("role", "")])
    return bool(names.strip()) and bool(_FURNITURE_NAME.search(names))


def _decode(data: bytes) -> str:
    """Decode with the declared charset (GB2312/GBK read as their superset GB18030), else detect."""
    match = _CHARSET.search(data[:4096])
    if match:
        declared = match.group(1).decode("ascii", "ignore").lower()
        encoding = "gb18030" if declared in _GB_ALIASES else declared
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(data)[0]
