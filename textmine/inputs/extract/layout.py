"""Lines with geometry -> page texts a reader would write down.

Per document: running headers, footers and page numbers (the same text in
the top or bottom band of several pages, or a lone page number) are taken
out. Per page: vertical writing is turned into horizontal lines, columns
are found from the gutters between them and read one after the other, and
lines are grouped into paragraphs (a wider line gap, a change of font size,
a first-line indent, a line that ends early).

The page text this produces is what ``segment`` reads: paragraphs separated
by a blank line, the lines of a paragraph on their own lines, and a page
that ends inside a paragraph ends without a newline (its paragraph goes on
at the top of the next page).
"""

from __future__ import annotations

import re
import statistics
from bisect import bisect_left
from dataclasses import dataclass, field, replace
from itertools import accumulate
from typing import Iterator

from textmine.inputs.extract.textlayer import Line, same_band
from textmine.core.normalize import CJK_CHAR

BAND = 0.12  # share of the page height at top and bottom where running headers and footers sit
EDGE_LINES = 3  # how many lines from the top and bottom of a page may be furniture
_PAGE_NUMBER = re.compile(
    r"^[\s\-–—]*(?:page|p\.|seite|pág\.?|第)?\s*(?:\d{1,4}|[ivxlcdm]{1,7})\s*页?\s*"
    r"(?:(?:of|/|共|von|de|sur)\s*\d{1,4}\s*页?)?[\s\-–—]*$",
    re.IGNORECASE,
)
_LIST_MARKER = re.compile(r"^(?:[•·▪●◦■□◆◇▶►\-–—*]|\(?[0-9]{1,3}[.)]|\(?[a-z][.)]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、|[\u2460-\u2473])\s*")
_TERMINAL = tuple("。！？.!?")
_DIGITS = re.compile(r"\d+")


@dataclass
class PageLines:
    """The lines of one page, before layout."""

    number: int
    width: float
    height: float
    lines: list[Line]
    method: str = "text-layer"
    warnings: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class _Context:
    """Where the text of a column runs: left and right edges, font size, line pitch."""

    left: float
    right: float
    size: float
    pitch: float
    measured: bool = True  # False: no two lines of the flow are a line apart, ``pitch`` is a fallback

    @property
    def width(self) -> float:
        return self.right - self.left


@dataclass
class LaidOutPage:
    number: int
    paragraphs: list[list[str]]
    continues: bool  # the last paragraph goes on on the next page
    furniture: list[str]
    headings: list[tuple[int, str]] = field(default_factory=list)  # (level, lines) of paragraphs in a larger font


# --- vertical writing --------------------------------------------------------------------


def make_horizontal(page: PageLines) -> bool:
    """Turn vertical writing (columns top to bottom, right to left) into lines; True if it was vertical."""
    lines = page.lines
    counts = [len(line.text) - line.text.count(" ") for line in lines]
    chars = sum(counts)
    if chars < 8 or sum(n for n in counts if n <= 3) < 0.5 * chars:  # only lines of 1-3 characters are stacked
        return False
    stacked = [_stacked(a, b) for a, b in zip(lines, lines[1:])]
    if sum(n for n, s in zip(counts[1:], stacked) if s) < 0.5 * chars:
        return False
    columns: list[list[Line]] = [[lines[0]]]
    for line, joined in zip(lines[1:], stacked):
        if joined:
            columns[-1].append(line)
        else:
            columns.append([line])
    height = page.height
    page.lines = [_rotate(column, height) for column in columns]
    page.width, page.height = page.height, page.width
    return True


def _stacked(a: Line, b: Line) -> bool:
    """``b`` is the next character below ``a`` in a vertical column."""
    if len(a.text.replace(" ", "")) > 3 or len(b.text.replace(" ", "")) > 3:
        return False
    overlap = min(a.x1, b.x1) - max(a.x0, b.x0)
    size = max(a.size, b.size)
    return overlap >= 0.5 * min(a.width, b.width) and -0.3 * size <= a.y0 - b.y1 <= 1.5 * size


def _rotate(column: list[Line], page_height: float) -> Line:
    x0, x1 = min(l.x0 for l in column), max(l.x1 for l in column)
    y0, y1 = min(l.y0 for l in column), max(l.y1 for l in column)
    size = statistics.median(l.size for l in column)
    text = "".join(l.text for l in column)
    # reading direction (down) becomes x, columns (right to left) become lines (top to bottom)
    return Line(text, page_height - y1, x0, page_height - y0, x1, size, x0)


# --- running headers and footers -----------------------------------------------------------


def find_furniture(pages: list[PageLines]) -> list[set[int]]:
    """Per page, the indices of lines that are running headers, footers or page numbers."""
    candidates: list[list[tuple[int, tuple[str, str]]]] = []
    counts: dict[tuple[str, str], int] = {}
    for page in pages:
        found = []
        for index, zone in _edge_lines(page):
            key = (zone, _normal(page.lines[index].text))
            found.append((index, key))
        for key in {key for _, key in found}:
            counts[key] = counts.get(key, 0) + 1
        candidates.append(found)
    with_text = sum(1 for page in pages if page.lines)
    result = []
    for page, found in zip(pages, candidates):
        repeated = {i for i, key in found if counts[key] >= 2 and counts[key] >= 0.3 * with_text}
        numbers = {i for i, _ in found if _PAGE_NUMBER.match(page.lines[i].text)}
        result.append(repeated | numbers)
    return result


def _edge_lines(page: PageLines) -> Iterator[tuple[int, str]]:
    """(index, "top"/"bottom") of the lines in the top and bottom bands of a page."""
    order = sorted(range(len(page.lines)), key=lambda i: -page.lines[i].y1)
    for index in order[:EDGE_LINES]:
        if page.lines[index].y0 >= page.height * (1 - BAND):
            yield index, "top"
    for index in order[-EDGE_LINES:]:
        if page.lines[index].y1 <= page.height * BAND:
            yield index, "bottom"


def _normal(text: str) -> str:
    """Text of a header or footer with page numbers and spacing folded."""
    return _DIGITS.sub("#", "".join(text.lower().split()))


# --- columns ---------------------------------------------------------------------------------


def flows(lines: list[Line], size: float, text_width: float = 0.0) -> list[list[Line]]:
    """The lines of a page as flows in reading order: spanning lines, then columns left to right.

    ``text_width``: the width text usually takes on the document's pages (a page whose second
    column holds one line is not much wider than its first column)."""
    if not lines:
        return []
    if len(lines) < 6:
        return [_merge_pieces(lines)]
    gutters = _gutters(lines, size, text_width)
    if not gutters:
        return [_merge_pieces(lines)]
    spanning = sorted((l for l in lines if _crosses(l, gutters)), key=lambda l: -l.y1)
    spanning_ids = {id(s) for s in spanning}
    tops = sorted(s.y0 for s in spanning)  # a line's band: how many spanning lines sit above it (by bisection)
    bands: list[list[Line]] = [[] for _ in range(len(spanning) + 1)]
    for line in lines:
        if id(line) not in spanning_ids:
            bands[len(tops) - bisect_left(tops, line.y1 - 0.5 * line.size)].append(line)
    out: list[list[Line]] = []
    for k, band in enumerate(bands):
        columns: list[list[Line]] = [[] for _ in range(len(gutters) + 1)]
        for line in band:
            columns[_column(line, gutters)].append(line)
        out.extend(_merge_pieces(flow) for flow in columns if flow)
        if k < len(spanning):
            if out and out[-1] and id(out[-1][-1]) in spanning_ids:
                out[-1].append(spanning[k])
            else:
                out.append([spanning[k]])
    return [flow for flow in out if flow]


def _gutters(lines: list[Line], size: float, text_width: float) -> list[tuple[float, float]]:
    """Vertical strips of white space with a column of text on each side."""
    left, right = min(l.x0 for l in lines), max(l.x1 for l in lines)
    width = right - left
    most = 0.55 * max(width, text_width)
    narrow = [l for l in lines if l.x1 - l.x0 < most]
    if len(narrow) < 6:
        return []
    changes: dict[int, int] = {}  # at each x, how many more (or fewer) lines cover x than x - 1
    for line in narrow:
        start, end = int(line.x0 - left), int(line.x1 - left) + 1
        changes[start] = changes.get(start, 0) + 1
        changes[end] = changes.get(end, 0) - 1
    xs = sorted(changes)
    steps = list(zip(xs, accumulate(changes[x] for x in xs)))
    for allowed in (0, max(1, len(narrow) // 20)):  # then let a short centred line cross a gutter
        found = [g for g in _white_strips(steps, allowed, width, size) if _separates(narrow, (left + g[0], left + g[1]), lines)]
        if found:
            return [(left + a, left + b) for a, b in found]
    return []


def _white_strips(steps: list[tuple[int, int]], allowed: int, width: float, size: float) -> list[tuple[int, int]]:
    """Runs of x (away from the edges) covered by at most ``allowed`` lines, at least a gutter wide.

    ``steps``: (x, how many lines cover x and the points after it up to the next step's x), x ascending."""
    low, stop = int(0.15 * width), int(0.85 * width) + 1
    strips, start = [], None
    for (x, count), (end, _) in zip([(0, 0), *steps], [*steps, (stop, 0)]):
        x, end = max(x, low), min(end, stop)
        if x >= end:
            continue
        if count <= allowed and start is None:
            start = x
        elif count > allowed and start is not None:
            if x - start >= max(0.8 * size, 5):
                strips.append((start, x))
            start = None
    if start is not None and stop - start >= max(0.8 * size, 5):
        strips.append((start, stop))
    return strips


def _separates(lines: list[Line], gutter: tuple[float, float], all_lines: list[Line]) -> bool:
    """Whether a gutter has columns of prose on both sides that run side by side, not crossed by lines."""
    a, b = gutter
    left = [l for l in lines if l.x1 <= a + 1]
    right = [l for l in lines if l.x0 >= b - 1]
    if not left or not right or len(left) + len(right) < 6:
        return False
    if statistics.median(len(l.text) for l in left) < 10 or statistics.median(len(l.text) for l in right) < 10:
        return False
    top = min(max(l.y1 for l in left), max(l.y1 for l in right))
    bottom = max(min(l.y0 for l in left), min(l.y0 for l in right))
    shorter = min(max(l.y1 for l in side) - min(l.y0 for l in side) for side in (left, right))
    if top - bottom < 0.5 * shorter:
        return False
    inside = [l for l in all_lines if bottom <= (l.y0 + l.y1) / 2 <= top]
    crossing = sum(1 for l in inside if l.x0 < a and l.x1 > b)
    return crossing <= 0.2 * (len(inside) - crossing)


def _crosses(line: Line, gutters) -> bool:
    return any(line.x0 < a and line.x1 > b for a, b in gutters)


def _column(line: Line, gutters) -> int:
    return sum(1 for a, b in gutters if line.x0 >= b - 1)


def _merge_pieces(lines: list[Line]) -> list[Line]:
    """Join consecutive pieces on one baseline (table cells, gaps inside a line) into one line."""
    out: list[Line] = []
    for line in lines:
        prev = out[-1] if out else None
        if prev is not None and same_band(prev.y0, prev.y1, line.y0, line.y1) and line.x0 >= prev.x1 - 0.5 * line.size:
            gap = line.x0 - prev.x1
            glue = "" if CJK_CHAR.match(prev.text[-1:]) and CJK_CHAR.match(line.text[:1]) and gap < 2.5 * line.size else " "
            out[-1] = replace(prev, text=prev.text + glue + line.text, x0=min(prev.x0, line.x0), x1=max(prev.x1, line.x1),
                              y0=min(prev.y0, line.y0), y1=max(prev.y1, line.y1))
        else:
            out.append(line)
    return out


# --- paragraphs --------------------------------------------------------------------------------


def context(lines: list[Line], fallback: _Context | None = None) -> _Context:
    """Edges, font size and line pitch of a flow (the fallback's edges when it has few lines)."""
    if not lines:
        return fallback or _Context(0, 1, 10, 12)
    size = statistics.median(l.size for l in lines)
    close, low, high = 0.15 * size, 0.8 * size, 3 * size
    pitches = [pitch for a, b in zip(lines, lines[1:])
               if abs(a.size - b.size) < close and low < (pitch := a.baseline - b.baseline) < high]
    pitch = statistics.median(pitches) if pitches else (fallback.pitch if fallback else 1.2 * size)
    if len(lines) < 3 and fallback is not None:
        return _Context(fallback.left, fallback.right, size, pitch, bool(pitches))
    x0s, x1s = sorted(l.x0 for l in lines), sorted(l.x1 for l in lines)
    return _Context(x0s[len(x0s) // 10], x1s[(len(x1s) * 9) // 10], size, pitch, bool(pitches))


def paragraphs(flow: list[Line], ctx: _Context) -> list[list[Line]]:
    """Group the lines of one flow into paragraphs."""
    out: list[list[Line]] = []
    for line in flow:
        if out and not _breaks(out[-1], line, ctx):
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _breaks(paragraph: list[Line], cur: Line, ctx: _Context) -> bool:
    prev = paragraph[-1]
    if _size_changes(prev, cur):
        return True
    if _gap_before(prev, cur, ctx):
        return True
    if _right_aligned(prev, ctx) or _right_aligned(cur, ctx):
        return True
    if _ends_early(prev, cur, ctx):
        return True
    em = cur.size
    indented = em * 0.8 < cur.x0 - ctx.left < em * 5 and cur.x0 > prev.x0 + 0.8 * em
    if indented and not _LIST_MARKER.match(paragraph[0].text):
        return True
    return len(paragraph) > 1 and cur.x0 < prev.x0 - 0.8 * em and prev.x0 - ctx.left < em * 5


def _gap_before(prev: Line, cur: Line, ctx: _Context) -> bool:
    """A wider line gap than the flow's, or a jump back up. Text-layer baselines are exact; OCR ones are not."""
    pitch = prev.baseline - cur.baseline
    if pitch < -0.5 * cur.size:
        return True
    usual = ctx.pitch * cur.size / ctx.size  # a line of larger type sits lower under the line before
    if cur.block >= 0:
        return pitch > 1.15 * usual and pitch - usual > 0.3 * cur.size
    return pitch > 1.12 * usual and pitch - usual > 1.0


def _size_changes(a: Line, b: Line) -> bool:
    tolerance = 0.3 if a.block >= 0 and b.block >= 0 else 0.15  # OCR sizes come from word heights: rougher
    return abs(a.size - b.size) > tolerance * min(a.size, b.size)


def _right_aligned(line: Line, ctx: _Context) -> bool:
    return line.x0 - ctx.left > 5 * line.size and ctx.right - line.x1 < line.size and line.width < 0.6 * ctx.width


def _ends_early(prev: Line, cur: Line, ctx: _Context) -> bool:
    """Whether the first word of ``cur`` would have fitted at the end of ``prev`` (so ``prev`` ended its paragraph)."""
    left_room, room = prev.x0 - ctx.left, ctx.right - prev.x1
    if left_room > 4 * prev.size and abs(left_room - room) < 1.5 * prev.size:  # a centred line, not an indented one
        room += left_room
    if CJK_CHAR.match(cur.text[:1]):
        return room > (3 if prev.block >= 0 else 2) * cur.size  # OCR may miss a character at a line end
    words = cur.text.split(maxsplit=1)
    word = words[0] if words else cur.text
    char_width = cur.width / max(len(cur.text), 1)
    return room > (len(word) + 1) * char_width + 0.5 * cur.size


def continues(prev: Line, prev_ctx: _Context, cur: Line, cur_ctx: _Context) -> bool:
    """Whether a paragraph ending a column or page goes on with ``cur`` at the top of the next one."""
    if _size_changes(prev, cur) or _LIST_MARKER.match(cur.text) or prev.text.endswith(":"):
        return False
    if _ends_early(prev, cur, prev_ctx) or _right_aligned(prev, prev_ctx):
        return False
    if prev.text.endswith(_TERMINAL) and cur.text[:1].isupper():  # Latin script: a new sentence, likely a new paragraph
        return False
    return not (0.8 * cur.size < cur.x0 - cur_ctx.left < 5 * cur.size)


# --- pages -> texts ----------------------------------------------------------------------------


def lay_out(pages: list[PageLines]) -> list[LaidOutPage]:
    """Paragraphs of every page, with running headers and footers taken out."""
    furniture = find_furniture(pages)
    bodies = [[line for i, line in enumerate(page.lines) if i not in drop] for page, drop in zip(pages, furniture)]
    own = [context(body) if len(page.lines) >= 3 else None for page, body in zip(pages, bodies)]
    default = _document_context(pages, [ctx for ctx in own if ctx is not None])
    laid: list[LaidOutPage] = []
    tail: tuple[Line, _Context] | None = None  # last line of the text so far, and its flow
    for page, drop, body, page_own in zip(pages, furniture, bodies, own):
        page_ctx = default
        if len(body) >= 3 and page_own is not None:  # context(body, default), from the context computed for default
            page_ctx = page_own if page_own.measured else replace(page_own, pitch=default.pitch)
        texts: list[list[str]] = []
        headings: list[tuple[int, str]] = []
        for flow in flows(body, page_ctx.size, max(default.width, 0.75 * page.width)):
            ctx = context(flow, page_ctx)
            groups = paragraphs(flow, ctx)
            if tail is not None and continues(tail[0], tail[1], groups[0][0], ctx):
                if texts:  # from the previous column of this page
                    texts[-1].extend(line.text for line in groups[0])
                else:  # from the previous page
                    laid[-1].continues = True
                    texts.append([line.text for line in groups[0]])
                groups = groups[1:]
            texts.extend([line.text for line in group] for group in groups)
            headings.extend(h for h in (heading_level(group, default.size) for group in groups) if h)
            tail = (flow[-1], ctx)
        laid.append(LaidOutPage(page.number, texts, False, [page.lines[i].text for i in sorted(drop)], headings))
        if not body:
            tail = None
    return laid


HEADING_SIZE = 1.2  # a short paragraph in a font this much larger than the body text is a heading
HEADING_MAX_CHARS = 150


def heading_level(group: list[Line], body_size: float) -> tuple[int, str] | None:
    """(level, the lines joined by newlines) when a paragraph is a heading by its font size: larger than the body
    text, short, with letters; level 1 from 1.6x the body size, 2 from 1.35x, else 3."""
    if len(group) > 3 or body_size <= 0:
        return None
    ratio = statistics.median(line.size for line in group) / body_size
    if ratio < HEADING_SIZE or group[0].block >= 0:  # OCR font sizes are too rough to tell
        return None
    text = "\n".join(line.text.strip() for line in group)
    if len(text) > HEADING_MAX_CHARS or not any(c.isalpha() for c in text):
        return None
    return (1 if ratio >= 1.6 else 2 if ratio >= 1.35 else 3), text


def _document_context(pages: list[PageLines], contexts: list[_Context]) -> _Context:
    """The median context of the pages, from ``contexts``: those of the pages of at least three lines, without furniture."""
    if not contexts:
        return _Context(0, max((p.width for p in pages), default=600), 10, 12)
    return _Context(*(statistics.median(getattr(c, name) for c in contexts) for name in ("left", "right", "size", "pitch")))


def page_text(page: LaidOutPage) -> str:
    """Paragraphs separated by blank lines; a newline at the end unless the last paragraph goes on."""
    text = "\n\n".join("\n".join(lines) for lines in page.paragraphs)
    return text if page.continues or not text else text + "\n"
