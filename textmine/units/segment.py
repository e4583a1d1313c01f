"""Document -> coding units, as the codebook defines them.

Chinese documents: an article (第X条) or a numbered item (一、 （一） 1. （1） ①),
otherwise a paragraph. English and other documents: a numbered paragraph or
list item, otherwise a paragraph; paragraphs longer than ``MAX_UNIT_CHARS``
are split at sentence ends (no part under ``MIN_SPLIT_CHARS``), and no unit
exceeds ``UNIT_CAP``. Headings are decided by structure (``decide_headings``):
第X章/节, markdown/docx/html heading styles, larger fonts in PDFs, all-caps lines,
and numbered or short lines that head what follows; they are not units but each
unit's section path. Runs of short lines are lists, one unit per line.

Nothing is lost: every paragraph is in a unit, is a heading of units, or is
named furniture (``Segmentation.furniture``: page numbers, table-of-contents
lines); a heading that heads nothing becomes a unit (see ``textmine.units.coverage``).

Unit ids follow the Chinese convention ``<doc>-<chapter>-<article>[-<item>]``:
the numbers of the numbered elements the unit sits in (第X节 is left out, as
articles are numbered through a whole law), ``0`` for a missing chapter, and
``p<n>`` for the n-th unnumbered paragraph of its container.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Iterator

from textmine.core.languages import MOSTLY_LATIN_SAMPLE, Scripts, lang_of, mostly_latin, scripts_of, uses_characters
from textmine.core.normalize import CJK_CHAR, append_line
from textmine.core.types import Block, Document, Unit

MAX_UNIT_CHARS = 1500
MIN_SPLIT_CHARS = 200  # a long paragraph is never cut so that a part is shorter than this
# no unit is longer than this, so that every output holds it whole (an xlsx cell holds 32,767 characters)
UNIT_CAP = 32_000
TITLE_RANK, PLAIN_HEADING_RANK = -1, 50
UNIT_LANG_MIN_LETTERS = 80  # shorter Latin-script units take their document's language
UNIT_LANG_SAMPLE = 1000  # characters of a unit its language is told from (py3langid's time grows with the text)
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
# The markers as one pattern: its alternatives are tried in the order above, so the first that matches wins, as
# in a loop over them, in one call instead of up to twelve. Each has one group (the number): lastindex says which.
_ANY_MARKER = re.compile("^(?:" + "|".join(pattern.pattern.removeprefix("^") for _, _, pattern in _MARKERS) + ")")
_BULLET = re.compile(r"^[•·▪●◦■□◆◇▶►\-–—*+]\s*")
_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+(.*?)\s*#*$")
_FURNITURE = re.compile(  # page numbers (- 3 -, page 3 of 9, 3 / 9), punctuation-only lines, dot-leader TOC lines
    r"^(?:[-—–]\s*\d{1,4}\s*[-—–]|page\s+\d+(?:\s*(?:of|/)\s*\d+)?|\d+\s*/\s*\d+|<!--.*-->|[\W_]+|.{0,120}?\.{4,}\s*\d+)$",
    re.IGNORECASE,
)
# a bare number is a page number in plain text (a lone 0012 is not one); laid-out PDF pages had theirs taken
# out by layout, so a lone number left there is content (a table cell)
_PAGE_NUMBER = re.compile(r"^[-—–\s]*[1-9]\d{0,3}[-—–\s]*$")
_NUMBERED_TITLE = re.compile(r"^(\d{1,2}(?:\.\d{1,2}){0,3})\.?\s+(?=[A-Z\u4e00-\u9fff])")
_TOC_TITLE = re.compile(r"^(table of contents|contents|目\s*录|inhaltsverzeichnis|inhalt|sommaire|table des matières)$", re.I)
_TOC_LINE = re.compile(r"^\S.*?[\s.…·]\d{1,4}$")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9\"“(])")
_CJK_RUN = re.compile(CJK_CHAR.pattern + "+")


def _is_furniture(text: str) -> bool:
    """Whether _FURNITURE matches ``text``; not tried on a text that none of its alternatives can match: one that
    starts with a letter or digit (\\w, not _) that starts no page number (\\d, "page") and has no dot leader."""
    first = text[:1]
    if first.isalnum() and not first.isdecimal() and first not in "pP" and "...." not in text:
        return False
    return _FURNITURE.match(text) is not None


def _cjk_chars(text: str) -> int:
    """CJK characters in ``text``: what it loses without them (one pass, no list of matches)."""
    return len(text) - len(_CJK_RUN.sub("", text))


@dataclass
class _Paragraph:
    lines: list[str]
    page: int | None
    style: str = ""
    page_breaks: list[tuple[int, int]] = field(default_factory=list)  # (line index, page)
    table: str = ""  # one row of the table of this name (see _table_row)
    plain: bool = False  # from plain text, where page numbers are still in the text
    screened: bool = False  # its first line was found not to be furniture (``_paragraphs``)

    def known_not_furniture(self, text: str) -> bool:
        """Whether ``text`` is this paragraph's one line, already found not to be furniture (no second look)."""
        return self.screened and len(self.lines) == 1 and text == self.lines[0]

    def text(self) -> tuple[str, tuple[tuple[int, int], ...]]:
        """Joined text and (offset, page) for each page that starts inside it."""
        if len(self.lines) == 1 and not self.page_breaks:  # most paragraphs: what the loop below makes of them
            return self.lines[0].strip().rstrip("\ufffe\u00ad"), ()
        text, breaks = "", []
        starts = dict(self.page_breaks)
        for index, line in enumerate(self.lines):
            text = append_line(text, line)
            if index in starts:
                breaks.append((len(text) - len(line.strip()), starts[index]))
        return text.rstrip("\ufffe\u00ad"), tuple(breaks)


@dataclass(frozen=True)
class Segmentation:
    """The units of a document, and the text segmentation named furniture (page numbers, table-of-contents lines)."""

    units: list[Unit]
    furniture: list[str]
    headings: list[str]  # every heading that heads units, once per place it stands in the text


def segment(document: Document) -> Iterator[Unit]:
    """Yield the coding units of ``document`` in reading order."""
    yield from segment_document(document).units


def segment_document(document: Document) -> Segmentation:
    """The units of ``document``, and every piece of its text that is in none (furniture)."""
    furniture: list[str] = []
    builder = _UnitBuilder(document, furniture)
    paragraphs = _with_font_headings(document, list(_paragraphs(document, furniture)))
    texts = [_paragraph_text(p) for p in paragraphs]
    # bullets and table rows are always units, never headings or lines of a list
    bulleted = [bool(p.table) or (bool(_BULLET.match(p.lines[0])) and not p.lines[0].startswith("--")) if p.lines else False
                for p in paragraphs]
    decisions = decide_headings([t for t, _ in texts], [p.style for p in paragraphs], bulleted)
    for paragraph, text, heading in zip(paragraphs, texts, decisions):
        builder.add(paragraph, text, heading)
    return Segmentation(builder.finish(), furniture, builder.heading_texts)


def _with_font_headings(document: Document, paragraphs: list["_Paragraph"]) -> list["_Paragraph"]:
    """Paragraphs that extraction found set in a larger font (PDF) get a heading style of their level."""
    levels = {(page.number, _strip_lines(text)): level for page in document.pages for level, text in page.headings}
    if not levels:
        return paragraphs
    for paragraph in paragraphs:
        level = levels.get((paragraph.page, "\n".join(paragraph.lines))) if paragraph.page is not None else None
        if level and not paragraph.style and not _BULLET.match(paragraph.lines[0]):
            paragraph.style = f"heading{level}"
    return paragraphs


def _strip_lines(text: str) -> str:
    return "\n".join(line.strip().strip("\u3000") for line in text.split("\n"))


def _paragraph_text(paragraph: "_Paragraph") -> tuple[str, tuple[tuple[int, int], ...]]:
    """The paragraph's text without a bullet, and its page breaks."""
    text, breaks = paragraph.text()
    if _BULLET.match(text) and not text.startswith("--"):
        stripped = _BULLET.sub("", text, count=1)
        breaks = tuple((max(0, o - (len(text) - len(stripped))), p) for o, p in breaks)
        text = stripped
    return text, breaks


# --- lines -> paragraphs --------------------------------------------------------------


def _paragraphs(document: Document, furniture: list[str] | None = None) -> Iterator[_Paragraph]:
    """The paragraphs of a document; lines that are page furniture go to ``furniture`` instead."""
    furniture = [] if furniture is None else furniture
    if document.blocks:
        for block in document.blocks:
            yield from _block_paragraphs(block)
        return
    current: _Paragraph | None = None
    for page in document.pages:
        lines = page.text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        typical = -1  # the page's typical line width, measured when first needed (not for paragraphs set apart by blank lines)
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
            if _is_furniture(line) or (not laid_out and _PAGE_NUMBER.match(line)):  # never split or join paragraphs
                furniture.append(line)
                continue
            new_page = current is not None and page.number != (current.page_breaks[-1][1] if current.page_breaks else current.page)
            if current and not _starts_paragraph(line):
                if typical < 0 and not laid_out:
                    typical = _typical_width(lines)
                if laid_out or _continues(current.lines[-1], line, typical, new_page):
                    if new_page:
                        current.page_breaks.append((len(current.lines), page.number))
                    current.lines.append(line)
                    continue
            if current:
                yield current
            current = _Paragraph([line], page.number, plain=not laid_out, screened=True)
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
    return len(line) + _cjk_chars(line)


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


@dataclass
class _Heading:
    rank: float
    title: str
    page: int | None
    number: str | None
    used: bool = False  # whether a unit sits under it (a heading over nothing becomes a unit itself)


class _UnitBuilder:
    def __init__(self, document: Document, furniture: list[str] | None = None):
        self.document = document
        self.furniture = [] if furniture is None else furniture
        self.stack: list[_Node] = []
        self.headings: list[_Heading] = []
        self.root = _Node(-1, None, False)
        self.open: _Open | None = None
        # (unit id, text, page, section, page breaks) of each unit: made Units at the end, when the languages of all
        # are told at once
        self.units: list[tuple] = []
        self.used_ids: set[str] = set()
        self.id_suffix: dict[str, int] = {}  # id -> the last n of <id>_<n> given (the next free one is found at once)
        self.in_toc = False  # inside a table of contents, whose entries are furniture, not units
        self.pending_marker = ""  # a paragraph holding only a number ("1."): it opens the next paragraph
        self.heading_texts: list[str] = []
        self.table_run: list | None = None  # [table name, id numbers, table number, rows so far]
        self.tables: dict[str, int] = {}  # id numbers -> tables counted so far under them

    def add(self, paragraph: _Paragraph, text_breaks=None, heading=False) -> None:
        """Add a paragraph; ``heading`` is its heading decision (see ``decide_headings``), False to decide alone."""
        if paragraph.table:
            _table_row(self, paragraph)
            return
        self.table_run = None
        text, breaks = text_breaks or _paragraph_text(paragraph)
        if not text or (not paragraph.known_not_furniture(text)
                        and (_is_furniture(text) or (paragraph.plain and _PAGE_NUMBER.match(text)))):
            if text:
                self.furniture.append(text)
            return
        if self.in_toc:
            if _is_toc_entry(paragraph):
                self.furniture.append(text)
                return
            self.in_toc = False
        if heading is False:
            heading = _heading(text, paragraph.style)
        if _TOC_TITLE.match(heading[2] if heading else text):
            self.in_toc = True
            self.furniture.append(text)
            return
        if _bare_marker(text):
            self.pending_marker += text + " "
            return
        if self.pending_marker:
            shift = len(self.pending_marker)
            text, breaks = self.pending_marker + text, tuple((o + shift, p) for o, p in breaks)
            heading = _heading(text, paragraph.style) if heading else None
            self.pending_marker = ""
        if heading:
            rank, number, title, in_id = heading
            if rank == PLAIN_HEADING_RANK and not self.units and self.open is None and not self.stack:
                rank = TITLE_RANK  # the first plain heading of a document is its title: it heads every section path
            self._close()
            self._push(rank, number, title, in_id, paragraph.page)
            return
        self._add_unit(paragraph, text, breaks)

    def _add_unit(self, paragraph: _Paragraph, text: str, breaks) -> None:
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
        self._start(self._paragraph_id(), text, paragraph.page, breaks, 99)

    def _paragraph_id(self) -> str:
        # numbered by the innermost numbered container: unnumbered headings do not restart the count (no p1_2 ids)
        container = next((node for node in reversed(self.stack) if node.in_id), self.root)
        container.paragraphs += 1
        return self._id(f"p{container.paragraphs}")

    def _push(self, rank: float, number: str | None, title: str | None, in_id: bool = True, page=None) -> None:
        self._emit_unused_headings(rank)
        while self.stack and self.stack[-1].rank >= rank:
            self.stack.pop()
        self.stack.append(_Node(rank, number, in_id and number is not None))
        self.headings = [h for h in self.headings if h.rank < rank]
        if title:
            self.headings.append(_Heading(rank, title, page, number if in_id else None))

    def _emit_unused_headings(self, rank: float) -> None:
        """Headings about to close that head no unit become one unit (their lines), so that no text is lost."""
        unused = [h for h in self.headings if h.rank >= rank and not h.used]
        if not unused:
            return
        first = unused[0]
        stack = self.stack
        self.stack = [n for n in stack if n.rank <= first.rank]
        if self.stack and self.stack[-1].rank == first.rank and self.stack[-1].in_id:
            unit_id = self._id()  # a numbered heading: its own number
        else:
            self.stack = [n for n in stack if n.rank < first.rank]
            unit_id = self._paragraph_id()
        self.stack = stack
        above = [h for h in self.headings if h.rank < first.rank]
        self._use(above)
        section = tuple(h.title for h in above)
        for heading in unused:
            heading.used = True
        self.open = _Open(unit_id, [h.title for h in unused], first.page, section, [], 99)
        self._close()

    def _id(self, last: str | None = None) -> str:
        parts = [node.number for node in self.stack if node.in_id and node.number is not None]
        depth = len("-".join(parts).split("-")) if parts else 0
        if last:
            parts.append(last)
            depth += 1
        if depth < 2:
            parts.insert(0, "0")
        unit_id = "-".join([self.document.doc_id, *parts])
        n = self.id_suffix.get(unit_id, 1)  # <id>, <id>_2 … <id>_n are taken: counting again from 1 was quadratic
        candidate = unit_id if n == 1 else f"{unit_id}_{n}"
        while candidate in self.used_ids:
            n += 1
            candidate = f"{unit_id}_{n}"
        self.id_suffix[unit_id] = n
        self.used_ids.add(candidate)
        return candidate

    def _start(self, unit_id, text, page, breaks, rank) -> None:
        self._use(self.headings)
        section = tuple(h.title for h in self.headings)
        self.open = _Open(unit_id, [text], page, section, list(breaks), rank)

    def _use(self, headings: list[_Heading]) -> None:
        """Mark headings as heading a unit; each is counted once as text in units."""
        for heading in headings:
            if not heading.used:
                self.heading_texts.append(heading.title)
            heading.used = True

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
        pieces = split_long(text)
        for k, (start, end) in enumerate(pieces):
            unit_id = item.unit_id if len(pieces) == 1 else f"{item.unit_id}.{k + 1}"
            breaks: tuple[tuple[int, int], ...] = ()
            page = item.page
            if item.page_breaks:
                breaks = tuple((o - start, p) for o, p in item.page_breaks if start < o < end)
                for o, p in item.page_breaks:
                    if o <= start:
                        page = p
            self.units.append((unit_id, text[start:end], page, item.section, breaks))

    def finish(self) -> list[Unit]:
        self._close()
        if self.pending_marker:
            self._add_unit(_Paragraph([], None), self.pending_marker.strip(), ())
            self._close()
        self._emit_unused_headings(TITLE_RANK)
        doc_id, units = self.document.doc_id, self.units
        langs = unit_langs([text for _, text, _, _, _ in units], self.document.lang)
        return [Unit(doc_id, unit_id, text, page, section, lang, breaks)
                for (unit_id, text, page, section, breaks), lang in zip(units, langs)]


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
    builder._use(builder.headings)  # the headings above a table head its rows (counted once as text in units)
    section = tuple(h.title for h in builder.headings)
    if section[-1:] != (paragraph.table,):
        section += (paragraph.table,)
    unit_id = builder._id(f"t{run[2]}-{run[3]}")
    builder.units.append((unit_id, text, paragraph.page, section, breaks))


def unit_langs(texts: list[str], document_lang: str) -> list[str]:
    """Each unit's language by script majority, then py3langid; too short to tell: the document's, unless
    the scripts disagree (a short English line in a Chinese document is English, not Chinese)."""
    samples = [text[:UNIT_LANG_SAMPLE] for text in texts]
    # the scripts of every sample counted in one pass, and once: for the language, and for the majority when too short
    return [_unit_lang(text, sample, counts, document_lang) for text, sample, counts in zip(texts, samples, scripts_of(samples))]


def _unit_lang(text: str, sample: str, counts: Scripts, document_lang: str) -> str:
    lang = lang_of(sample, counts, UNIT_LANG_MIN_LETTERS)
    if lang:
        return lang
    latin = counts.latin > counts.cjk if sample == text[:MOSTLY_LATIN_SAMPLE] else mostly_latin(text)
    if latin and uses_characters(document_lang):
        return "en"
    return document_lang


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
    if len(text) > 80 or text.endswith(_TERMINAL) or "\n" in text:  # too long whatever its script
        return False
    return len(text) <= (30 if _mostly_cjk(text) else 80)


# a paragraph is asked several times in a row (is it a heading, a numbered one?); few kept: they may be long
@lru_cache(maxsize=128)
def _marker(text: str):
    """(name, rank, number) of the numbering that opens ``text``, else None."""
    match = _ANY_MARKER.match(text)
    if match is None or match.lastindex is None:  # (a match always has its alternative's group)
        return None
    name, rank, _ = _MARKERS[match.lastindex - 1]
    return name, rank, _number(match.group(match.lastindex))


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
    return _cjk_chars(sample) * 2 >= len(sample) - sample.count(" ")


def split_long(text: str) -> list[tuple[int, int]]:
    """Spans of a unit's text: long non-CJK paragraphs cut at sentence ends, then every part cut to UNIT_CAP."""
    if len(text) <= MAX_UNIT_CHARS:  # (< UNIT_CAP) most units: neither cut applies, whatever the script
        return [(0, len(text))]
    spans = [(0, len(text))] if _mostly_cjk(text) else _split_sentences(text)
    return [piece for start, end in spans for piece in _cap(text, start, end)]


def _split_sentences(text: str) -> list[tuple[int, int]]:
    """Cut at sentence ends so that parts stay under MAX_UNIT_CHARS where possible, none under MIN_SPLIT_CHARS."""
    if len(text) <= MAX_UNIT_CHARS:
        return [(0, len(text))]
    cuts = [(m.start(), m.end()) for m in _SENTENCE_END.finditer(text)
            if m.start() >= MIN_SPLIT_CHARS and len(text) - m.end() >= MIN_SPLIT_CHARS]
    spans, start, last_cut = [], 0, None
    for cut in cuts:
        if cut[0] - start > MAX_UNIT_CHARS and last_cut and last_cut[0] - start >= MIN_SPLIT_CHARS:
            spans.append((start, last_cut[0]))
            start = last_cut[1]
        last_cut = cut
    if len(text) - start > MAX_UNIT_CHARS and last_cut and last_cut[0] - start >= MIN_SPLIT_CHARS:
        spans.append((start, last_cut[0]))
        start = last_cut[1]
    spans.append((start, len(text)))
    return spans


_CAP_CUTS = (re.compile(r"(?<=[。！？；.!?;])\s*"), re.compile(r"\s+"))


def _cap(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """[start, end) in parts of at most UNIT_CAP characters, cut at a sentence end, else a space, else anywhere."""
    spans = []
    while end - start > UNIT_CAP:
        window = text[start + UNIT_CAP // 2 : start + UNIT_CAP]
        cut = None
        for pattern in _CAP_CUTS:
            found = [m for m in pattern.finditer(window) if m.end() > m.start() or pattern is _CAP_CUTS[0]]
            if found:
                cut = (start + UNIT_CAP // 2 + found[-1].start(), start + UNIT_CAP // 2 + found[-1].end())
                break
        cut = cut or (start + UNIT_CAP, start + UNIT_CAP)
        spans.append((start, cut[0]))
        start = cut[1]
    spans.append((start, end))
    return spans


# --- headings and lists, decided by structure ------------------------------------------------

_ALL_CAPS = re.compile(r"^(?=(?:[^a-z]*[A-Z]){4})[^a-z.!?;:。]{4,80}$")
_LEAD_IN = ("：", ":")
_DANGLING = re.compile(r"\b(?:and|or|of|the|for|to|in|on|with|by|from|a|an|und|oder|der|die|das|et|ou|de|des|du|la|le|les)$", re.I)


def decide_headings(texts: list[str], styles: list[str], bulleted: list[bool]) -> list:
    """For each paragraph, its heading (rank, number, title, in_id), or None when it is (part of) a unit.

    Headings by what they are: Markdown/docx/HTML heading styles, 第X编/章/节, all-caps English lines.
    By what follows them: a numbered title (一、… 2.3 …) heads the paragraphs after it unless the next
    one is numbered at its own level or above (then it is an item of a list); a short unpunctuated
    line heads the content after it. Runs of short lines are lists: each line a unit, the first the
    list's heading unless a heading or a lead-in ending with a colon comes before it.
    """
    kinds = [_kind(text, style, bullet) for text, style, bullet in zip(texts, styles, bulleted)]
    decisions: list = [None] * len(texts)
    i = 0
    while i < len(texts):
        kind, heading = kinds[i]
        if kind == "explicit":
            decisions[i] = heading
        elif kind == "numbered":
            following = kinds[i + 1] if i + 1 < len(kinds) else None
            decisions[i] = heading if _heads(heading, following, texts[i + 1 : i + 2]) else None
        elif kind == "short":
            j = i
            while j < len(texts) and kinds[j][0] == "short":
                j += 1
            _decide_run(texts, kinds, decisions, i, j)
            i = j
            continue
        i += 1
    return decisions


def _kind(text: str, style: str, bullet: bool):
    """("explicit"|"numbered", heading), ("short", None) or ("body", None)."""
    if not text or bullet:
        return "body", None
    heading = _heading(text, style)
    marker = _marker(text)
    if heading and (style or _MARKDOWN_HEADING.match(text) or (marker and marker[0] in ("part", "chapter", "section"))):
        return "explicit", heading
    if heading and heading[0] != PLAIN_HEADING_RANK:
        return "numbered", heading
    if len(text) <= 80 and _ALL_CAPS.match(text) and "\n" not in text and _wordy(text):  # (its pattern: at most 80)
        return "explicit", (PLAIN_HEADING_RANK - 1, None, text, False)
    if heading and _wordy(text) and not _DANGLING.search(text) and text.count("(") <= text.count(")"):
        return "short", None  # nor a line cut in mid-sentence
    return "body", None


def _wordy(text: str) -> bool:
    """Mostly letters: not 0012, TOTAL 4 605 (counted only for candidates: long paragraphs are many)."""
    return sum(c.isalpha() for c in text) * 2 >= len(text.replace(" ", ""))


def _heads(heading, following, following_text) -> bool:
    """Whether a numbered title heads what follows it (not when a sibling or a higher heading follows, or nothing)."""
    if following is None:
        return False
    kind, other = following
    if kind in ("explicit", "numbered"):
        return other[0] > heading[0]
    marker = _marker(following_text[0]) if following_text else None
    return marker is None or marker[1] > heading[0]


def _decide_run(texts, kinds, decisions, start: int, end: int) -> None:
    """Decide a run of short unpunctuated lines [start, end)."""
    previous = next((k for k in range(start - 1, -1, -1) if texts[k]), None)
    after_heading = previous is not None and decisions[previous] is not None
    lead_in = previous is not None and texts[previous].rstrip().endswith(_LEAD_IN)
    content_follows = end < len(texts) and kinds[end][0] in ("body", "numbered")
    length = end - start
    if lead_in or (after_heading and length >= 2):
        return  # the items of a list that a heading or lead-in introduced
    if length == 1:
        if content_follows:
            decisions[start] = (PLAIN_HEADING_RANK, None, texts[start], False)
        return
    decisions[start] = (PLAIN_HEADING_RANK, None, texts[start], False)
    if length == 2 and content_follows:
        decisions[start + 1] = (PLAIN_HEADING_RANK + 0.5, None, texts[start + 1], False)


def _bare_marker(text: str) -> bool:
    """A paragraph holding only a number such as ``1.`` or ``（一）``: it belongs to the paragraph after it."""
    if _marker(text) is None:  # (cached: the paragraph's marker is asked for next) no marker, no bare one
        return False
    match = _ANY_MARKER.match(text)
    return match is not None and match.end() == len(text.rstrip())
