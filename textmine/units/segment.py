"""Document -> coding units, as the codebook defines them.

Chinese documents: an article (第X条) or a numbered item (一、 （一） 1. （1） ①),
otherwise a paragraph. English and other documents: a numbered paragraph or
list item, otherwise a paragraph; paragraphs longer than ``MAX_UNIT_CHARS``
are split at sentence ends. Headings (第X章, 第X节, markdown/docx/html
headings, short numbered titles) are not units: they form each unit's section
path.

Unit ids follow the Chinese convention ``<doc>-<chapter>-<article>[-<item>]``:
the numbers of the numbered elements the unit sits in (第X节 is left out, as
articles are numbered through a whole law), ``0`` for a missing chapter, and
``p<n>`` for the n-th unnumbered paragraph of its container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterator

from textmine.core.languages import detect_lang
from textmine.core.normalize import CJK_CHAR, append_line
from textmine.core.types import Block, Document, Unit

MAX_UNIT_CHARS = 1500
TITLE_RANK, PLAIN_HEADING_RANK = -1, 50
UNIT_LANG_MIN_LETTERS = 80  # shorter Latin-script units take their document's language
UNWRAPPED_WIDTH = 220  # lines wider than this (CJK counts 2) are whole paragraphs, not hard wraps
# pages whose extractor laid them out from geometry: a blank line ends a paragraph, a page that does not
# end with a newline goes on on the next page; the other lines of a paragraph join (see extract/layout.py)
LAID_OUT = ("text-layer", "ocr")
_CN_NUM = "零〇一二三四五六七八九十百千两"
_TERMINAL = tuple("。！？；.!?;:：…\"”’）)")

# (name, rank, pattern); rank orders nesting: a smaller rank contains larger ones.
_MARKERS = (
    ("part", 0, re.compile(rf"^第([{_CN_NUM}\d]+)[编篇部]\s*")),
    ("chapter", 1, re.compile(rf"^第([{_CN_NUM}\d]+)章\s*")),
    ("section", 2, re.compile(rf"^第([{_CN_NUM}\d]+)节\s*")),
    ("article", 3, re.compile(rf"^第([{_CN_NUM}\d]+)条\s*")),
    ("cn0", 3.5, re.compile(r"^([壹贰貳叁參肆伍陆陸柒捌玖拾]+)[、．.]\s*")),  # Taiwan: 壹、 above 一、
    ("cn1", 4, re.compile(rf"^([{_CN_NUM}]+)[、．.]\s*")),
    ("cn2", 5, re.compile(rf"^[（(]([{_CN_NUM}]+)[）)]\s*")),
    ("num", 6, re.compile(r"^(\d{1,3})[.．、)](?![\d%])\s*")),
    ("num", 6, re.compile(r"^(\d{1,2}(?:\.\d{1,2}){1,3})\s+(?=[A-Z\u4e00-\u9fff])")),
    ("pnum", 7, re.compile(r"^[（(](\d+)[）)]\s*")),
    ("circled", 8, re.compile(r"^([\u2460-\u2473])\s*")),
    ("letter", 9, re.compile(r"^[（(]?([a-z])[）)]\s+")),
)
_BULLET = re.compile(r"^[•·▪●◦■□◆◇▶►\-–—*+]\s*")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_FURNITURE = re.compile(
    r"^(?:[-—–\s]*\d{1,4}[-—–\s]*|page\s+\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*/\s*\d+|<!--.*-->|[\W_]+|.{0,120}?\.{4,}\s*\d+)$",
    re.IGNORECASE,
)
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-Z\u4e00-\u9fff])")
_TOC_TITLE = re.compile(r"^(table of contents|contents|目\s*录|inhaltsverzeichnis|inhalt|sommaire|table des matières)$", re.I)
_TOC_LINE = re.compile(r"^\S.*?[\s.…·]\d{1,4}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")


@dataclass
class _Paragraph:
    lines: list[str]
    page: int | None
    style: str = ""
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (line index, page)
    table: str = ""  # one row of the table of this name (see _table_row)

    def text(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """Joined text and (offset, page) for each page that starts inside it."""
        text, breaks = "", []
        starts = dict(self.page_breaks)
        for index, line in enumerate(self.lines):
            text = append_line(text, line)
            if index in starts:
                breaks.append((len(text) - len(line.strip()), starts[index]))
        return text.rstrip("\ufffe\u00ad"), tuple(breaks)


def segment(document: Document) -> Iterator[Unit]:
    """Yield the coding units of ``document`` in reading order."""
    builder = _UnitBuilder(document)
    for paragraph in _paragraphs(document):
        builder.add(paragraph)
    yield from builder.finish()


# --- lines -> paragraphs --------------------------------------------------------------


def _paragraphs(document: Document) -> Iterator[_Paragraph]:
    if document.blocks:
        for block in document.blocks:
            yield from _block_paragraphs(block)
        return
    current: _Paragraph | None = None
    for page in document.pages:
        lines = page.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        typical = _typical_width(lines)
        laid_out = page.method in LAID_OUT
        rows = list(page.tables)  # table rows are lines of the page text too: matched in order
        for raw in lines:
            line = raw.strip().strip("\u3000")
            if rows and line == rows[0].text:
                if current:
                    yield current
                current = None
                yield _Paragraph([line], page.number, table=rows.pop(0).table)
                continue
            if not line:
                if current:
                    yield current
                current = None
                continue
            if _FURNITURE.match(line):  # page numbers and the like never split or join paragraphs
                continue
            new_page = current is not None and page.number != (current.page_breaks[-1][1] if current.page_breaks else current.page)
            if current and not _starts_paragraph(line) and (laid_out or _continues(current.lines[-1], line, typical, new_page)):
                if new_page:
                    current.page_breaks.append((len(current.lines), page.number))
                current.lines.append(line)
                continue
            if current:
                yield current
            current = _Paragraph([line], page.number)
    if current:
        yield current


def _block_paragraphs(block: Block) -> Iterator[_Paragraph]:
    if block.table:
        yield _Paragraph([block.text], block.page, table=block.table)
        return
    lines = [line.strip() for line in block.text.split("\n")]
    if block.style.startswith("heading") or block.style == "title":
        yield _Paragraph([" ".join(l for l in lines if l)], block.page, block.style)
        return
    current: list[str] = []
    for line in lines:
        if current and (not line or _starts_paragraph(line)):
            yield _Paragraph(current, block.page)
            current = []
        if line:
            current.append(line)
    if current:
        yield _Paragraph(current, block.page)


def _width(line: str) -> int:
    """Display width: CJK characters count twice."""
    return len(line) + len(CJK_CHAR.findall(line))


def _typical_width(lines: list[str]) -> int:
    widths = sorted(_width(line.strip()) for line in lines if line.strip())
    if not widths:
        return 0
    return widths[int(len(widths) * 0.8)]


def _starts_paragraph(line: str) -> bool:
    if _MARKDOWN_HEADING.match(line) or (_BULLET.match(line) and not line.startswith("--")):
        return True
    return _marker(line) is not None


def _continues(previous: str, line: str, typical: int, new_page: bool = False) -> bool:
    """Whether ``line`` continues the paragraph whose last line is ``previous`` (hard-wrapped text)."""
    if _MARKDOWN_HEADING.match(previous):
        return False
    if new_page and not previous.endswith(_TERMINAL) and not _looks_like_title(previous):
        return True  # a sentence cut by a page break
    if typical == 0 or typical > UNWRAPPED_WIDTH:
        return False
    full = _width(previous) >= typical * 0.8
    if full:
        return True
    return not previous.endswith(_TERMINAL) and line[:1].islower()


# --- paragraphs -> units -----------------------------------------------------------------


@dataclass
class _Node:
    rank: float
    number: str | None  # None for headings without a number
    in_id: bool
    paragraphs: int = 0  # unnumbered paragraph units counted so far inside this node


@dataclass
class _Open:
    unit_id: str
    texts: list[str]
    page: int | None
    section: tuple[str, ...]
    page_breaks: list[tuple[int, int]]
    rank: float


class _UnitBuilder:
    def __init__(self, document: Document):
        self.document = document
        self.stack: list[_Node] = []
        self.headings: list[tuple[float, str]] = []  # (rank, heading text)
        self.root = _Node(-1, None, False)
        self.open: _Open | None = None
        self.units: list[Unit] = []
        self.used_ids: set[str] = set()
        self.in_toc = False  # inside a table of contents, whose entries are not units
        self.table_run: list | None = None  # [table name, id numbers, table number, rows so far]
        self.tables: dict[str, int] = {}  # id numbers -> tables counted so far under them

    def add(self, paragraph: _Paragraph) -> None:
        if paragraph.table:
            _table_row(self, paragraph)
            return
        self.table_run = None
        text, breaks = paragraph.text()
        text = _BULLET.sub("", text, count=1) if _BULLET.match(text) and not text.startswith("--") else text
        if not text or _FURNITURE.match(text):
            return
        if self.in_toc:
            if _is_toc_entry(paragraph):
                return
            self.in_toc = False
        heading = _heading(text, paragraph.style)
        if heading and _TOC_TITLE.match(heading[2]):
            self.in_toc = True
            return
        if heading:
            rank, number, title, in_id = heading
            if rank == PLAIN_HEADING_RANK and not self.units and self.open is None and not self.stack:
                rank = TITLE_RANK  # the first plain heading of a document is its title: it heads every section path
            self._close()
            self._push(rank, number, title, in_id)
            return
        marker = _marker(text)
        if marker:
            name, rank, number = marker
            self._close()
            self._push(rank, number, None, in_id=name != "section")
            self._start(self._id(), text, paragraph.page, breaks, rank)
            return
        if self.open and self.open.rank == 3:  # further paragraphs of an article (款) stay in it
            self._append(text, breaks)
            return
        self._close()
        container = self.stack[-1] if self.stack else self.root
        container.paragraphs += 1
        self._start(self._id(f"p{container.paragraphs}"), text, paragraph.page, breaks, 99)

    def _push(self, rank: float, number: str | None, title: str | None, in_id: bool = True) -> None:
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.stack.append(_Node(rank, number, in_id and number is not None))
        self.headings = [(r, h) for r, h in self.headings if r < rank]
        if title:
            self.headings.append((rank, title))

    def _id(self, last: str | None = None) -> str:
        parts = [node.number for node in self.stack if node.in_id and node.number is not None]
        depth = len("-".join(parts).split("-")) if parts else 0
        if last:
            parts.append(last)
            depth += 1
        if depth < 2:
            parts.insert(0, "0")
        unit_id = "-".join([self.document.doc_id, *parts])
        candidate, n = unit_id, 1
        while candidate in self.used_ids:
            n += 1
            candidate = f"{unit_id}_{n}"
        self.used_ids.add(candidate)
        return candidate

    def _start(self, unit_id, text, page, breaks, rank) -> None:
        section = tuple(h for _, h in self.headings)
        self.open = _Open(unit_id, [text], page, section, list(breaks), rank)

    def _append(self, text, breaks) -> None:
        assert self.open is not None
        offset = sum(len(t) + 1 for t in self.open.texts)
        self.open.page_breaks.extend((offset + o, p) for o, p in breaks)
        self.open.texts.append(text)

    def _close(self) -> None:
        if self.open is None:
            return
        item, self.open = self.open, None
        text = "\n".join(item.texts)
        pieces = [(0, len(text))] if _mostly_cjk(text) else _split_long(text)
        for k, (start, end) in enumerate(pieces):
            unit_id = item.unit_id if len(pieces) == 1 else f"{item.unit_id}.{k + 1}"
            breaks = tuple((o - start, p) for o, p in item.page_breaks if start < o < end)
            page = item.page
            for o, p in item.page_breaks:
                if o <= start:
                    page = p
            piece = text[start:end]
            lang = detect_lang(piece, min_latin_letters=UNIT_LANG_MIN_LETTERS) or self.document.lang
            self.units.append(Unit(self.document.doc_id, unit_id, piece, page, item.section, lang, breaks))

    def finish(self) -> list[Unit]:
        self._close()
        return self.units


def _table_row(builder: _UnitBuilder, paragraph: _Paragraph) -> None:
    """One unit for one table row: the row text unchanged, section = heading path + table name,
    id ``<numbers>-t<k>-<row>`` (the k-th table under the same numbered chapter/article/item)."""
    builder._close()
    container = "-".join(node.number for node in builder.stack if node.in_id and node.number is not None)  # as the id
    run = builder.table_run
    if run is None or run[0] != paragraph.table or run[1] != container:
        builder.tables[container] = builder.tables.get(container, 0) + 1
        run = builder.table_run = [paragraph.table, container, builder.tables[container], 0]
    run[3] += 1
    text, breaks = paragraph.text()
    section = tuple(h for _, h in builder.headings)
    if section[-1:] != (paragraph.table,):
        section += (paragraph.table,)
    lang = detect_lang(text, min_latin_letters=UNIT_LANG_MIN_LETTERS) or builder.document.lang
    unit_id = builder._id(f"t{run[2]}-{run[3]}")
    builder.units.append(Unit(builder.document.doc_id, unit_id, text, paragraph.page, section, lang, breaks))


def _is_toc_entry(paragraph: _Paragraph) -> bool:
    """Table-of-contents lines end with a page number (wrapped entries continue on the next line)."""
    ends = [bool(_TOC_LINE.match(line)) for line in paragraph.lines]
    return ends[-1] and sum(ends) * 2 >= len(ends)


def _heading(text: str, style: str):
    """(rank, number, title, in_id) when ``text`` is a heading, else None."""
    md = _MARKDOWN_HEADING.match(text)
    if md:
        style, text = f"heading{len(md.group(1))}", md.group(2)
    marker = _marker(text)
    if marker and marker[0] in ("part", "chapter", "section") and (style.startswith("heading") or len(text) <= 40):
        name, rank, number = marker
        return rank, number, text, name != "section"  # articles are numbered through a law: 第X节 stays out of ids
    if style == "title":
        return TITLE_RANK, None, text, False
    if style.startswith("heading"):
        # outside the Chinese numbering ranks, so that "# Title" contains "## 第一章"
        return int(style[7:] or 1) - 0.5, None, text, False
    if marker:
        name, rank, number = marker
        return (rank, number, text, True) if name != "article" and _looks_like_title(text) else None
    titled = _NUMBERED_TITLE.match(text)
    if titled and _looks_like_title(text):  # "2 Cluster policy", "2.3 Funding"
        depth = titled.group(1).count(".")
        return 1 + depth / 10, titled.group(1).split(".")[-1], text, True
    if _looks_like_title(text) and not text[:1].islower():
        return PLAIN_HEADING_RANK, None, text, False
    return None


def _looks_like_title(text: str) -> bool:
    limit = 30 if _mostly_cjk(text) else 80
    return len(text) <= limit and not text.endswith(_TERMINAL) and "\n" not in text


def _marker(text: str):
    """(name, rank, number) of the numbering that opens ``text``, else None."""
    for name, rank, pattern in _MARKERS:
        match = pattern.match(text)
        if match:
            return name, rank, _number(match.group(1))
    return None


def _number(token: str) -> str:
    if token.isdigit() or re.fullmatch(r"\d+(\.\d+)*", token):
        return token.replace(".", "-")
    if len(token) == 1 and "\u2460" <= token <= "\u2473":
        return str(ord(token) - 0x2460 + 1)
    if token.isalpha() and token.isascii():
        return str(ord(token) - ord("a") + 1)
    return str(chinese_number(token))


def chinese_number(token: str) -> int:
    """一 -> 1, 十二 -> 12, 二十 -> 20, 一百零五 -> 105."""
    digits = {"零": 0, "〇": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9,
              "壹": 1, "贰": 2, "貳": 2, "叁": 3, "參": 3, "肆": 4, "伍": 5, "陆": 6, "陸": 6, "柒": 7, "捌": 8, "玖": 9}
    units = {"十": 10, "拾": 10, "百": 100, "千": 1000}
    if token.isdigit():
        return int(token)
    total, current = 0, 0
    for char in token:
        if char in digits:
            current = digits[char]
        elif char in units:
            total += (current or 1) * units[char]
            current = 0
    return total + current


def _mostly_cjk(text: str) -> bool:
    sample = text[:200]
    return len(CJK_CHAR.findall(sample)) * 2 >= len(sample) - sample.count(" ")


def _split_long(text: str) -> list[tuple[int, int]]:
    """Spans of ``text`` cut at sentence ends so that none exceeds MAX_UNIT_CHARS (if possible)."""
    if len(text) <= MAX_UNIT_CHARS:
        return [(0, len(text))]
    spans, start, last_cut = [], 0, None
    for match in _SENTENCE_END.finditer(text):
        if match.start() - start > MAX_UNIT_CHARS and last_cut:
            spans.append((start, last_cut[0]))
            start = last_cut[1]
        last_cut = (match.start(), match.end())
    if len(text) - start > MAX_UNIT_CHARS and last_cut and last_cut[1] > start:
        spans.append((start, last_cut[0]))
        start = last_cut[1]
    spans.append((start, len(text)))
    return spans
