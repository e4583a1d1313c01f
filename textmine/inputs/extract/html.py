"""HTML pages: block elements in order, headings kept, navigation and page furniture dropped."""

from __future__ import annotations

import re
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.inputs.extract.text import decode_text
from textmine.core.types import Block, Document, Page

BLOCK_TAGS = ["h1", "h2", "h3", "h4", "h5", "h6", "p", "li", "pre", "blockquote", "td", "th", "dd", "dt", "caption"]
FURNITURE_TAGS = ["script", "style", "noscript", "nav", "header", "footer", "aside", "form", "button", "select", "template"]
_FURNITURE_NAME = re.compile(
    r"(^|[-_\s])(nav|navbar|menu|breadcrumbs?|crumbs?|footer|header|top|sidebar|share|copyright|info|toolbar|banner|cookies?)($|[-_\s])",
    re.I,
)
# lines that government web pages put around the text: publication data, font-size switches, sharing, copyright
_FURNITURE_TEXT = re.compile(r"^(发布日期|發布日期|发布时间|来源[:：]|來源[:：]|【?字体|分享到|当前位置|當前位置|版权所有|版權所有|打印本页|关闭窗口)")
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)
_GB_ALIASES = {"gb2312", "gbk", "gb_2312-80", "x-gbk", "cp936"}


def read_html(path: Path, data: bytes, doc_id: str) -> Document:
    from bs4 import BeautifulSoup

    text = _decode(data)
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
    for element in body.find_all(BLOCK_TAGS + ["div"]):
        if element.name == "div":
            own = "".join(s for s in element.find_all(string=True, recursive=False)).strip()
            if own and not _FURNITURE_TEXT.match(own):
                blocks.append(Block(own))
            continue
        if element.find_parent(BLOCK_TAGS) or _FURNITURE_TEXT.match(element.get_text(strip=True)):
            continue
        content = "\n".join(line.strip() for line in element.get_text("").split("\n") if line.strip())
        if content:
            style = f"heading{element.name[1]}" if element.name[0] == "h" and element.name[1:].isdigit() else ""
            blocks.append(Block(content, None, style))
    if not blocks:
        raise ExtractionError("no text found in the HTML page", "extract")
    joined = "\n".join(block.text for block in blocks)
    return Document(doc_id, str(path), (Page(1, joined, "plain"),), metadata={"title": title}, blocks=tuple(blocks))


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
