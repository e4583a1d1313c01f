"""The text layer of a PDF page as lines with geometry, read with pypdfium2.

PDFium already puts the characters of a page in content order, groups them
into lines (``\\r\\n``), drops most fake-bold duplicate glyphs and marks a
line-end hyphen (``\\x02`` / U+FFFE). We keep that order and ask for
geometry per line only: the rectangles of a line's text objects (one call)
tell whether the line is one piece of text. A line that is not (two columns
merged into one line, a hyphenated line pair, a bullet and its text) is cut
where its rectangles part, finding the first character of each piece by
position; only when that fails is it read character by character, which
costs 20 times more.
"""

from __future__ import annotations

import bisect
import ctypes
import math
import re
from dataclasses import dataclass

import pypdfium2.raw as pdfium_c

from textmine.core.normalize import CJK_CHAR

SPLIT_GAP_EM = 1.2  # a horizontal gap wider than this (in font sizes) separates two pieces of text
_PDFIUM_HYPHENS = "\x02\ufffe"
_LINE = re.compile("[^\r\n]+")  # PDFium ends a line with \r\n
_WORD_START = re.compile(r"(?<=\s)\S")
_SURROGATE = re.compile("[\ud800-\udfff]")
_MIDLINE_HYPHEN = re.compile(r"(?<=\w)[\x02\ufffe](?=(\w))")
# four or more single CJK characters separated by real spaces: a letter-spaced title
_SPACED_CJK = re.compile(f"(?:{CJK_CHAR.pattern} ){{3,}}{CJK_CHAR.pattern}")


def _by_address(function, *argtypes, returns=ctypes.c_int):
    """A PDFium function taking the text page and out-parameters as plain addresses: the per-line
    geometry calls cost half of what pypdfium2's typed bindings cost (they check every argument)."""
    return ctypes.CFUNCTYPE(returns, *argtypes)(ctypes.cast(function, ctypes.c_void_p).value)


_P, _I = ctypes.c_void_p, ctypes.c_int
_COUNT_RECTS = _by_address(pdfium_c.FPDFText_CountRects, _P, _I, _I)
_GET_RECT = _by_address(pdfium_c.FPDFText_GetRect, _P, _I, _P, _P, _P, _P)
_CHAR_BOX = _by_address(pdfium_c.FPDFText_GetCharBox, _P, _I, _P, _P, _P, _P)
_CHAR_ORIGIN = _by_address(pdfium_c.FPDFText_GetCharOrigin, _P, _I, _P, _P)
_LOOSE_BOX = _by_address(pdfium_c.FPDFText_GetLooseCharBox, _P, _I, _P)
_IS_GENERATED = _by_address(pdfium_c.FPDFText_IsGenerated, _P, _I)
_CHAR_ANGLE = _by_address(pdfium_c.FPDFText_GetCharAngle, _P, _I, returns=ctypes.c_float)


@dataclass(slots=True)
class Line:
    """A piece of text on one baseline, in PDF points (y grows upwards)."""

    text: str
    x0: float
    y0: float
    x1: float
    y1: float
    size: float  # font size (height of the font box), points
    baseline: float
    block: int = -1  # OCR lines: Tesseract's block and paragraph number; -1 for text layers

    @property
    def width(self) -> float:
        return self.x1 - self.x0


class _Turn:
    """The turn from page space to the page as shown."""

    def __init__(self, turn: int = 0, width: float = 0.0, height: float = 0.0):
        self.turn, self.w, self.h = turn, width, height  # clockwise degrees; page space width and height

    def point(self, x: float, y: float) -> tuple[float, float]:
        """A page-space point where it is shown on the turned page."""
        if self.turn == 90:
            return y, self.w - x
        if self.turn == 180:
            return self.w - x, self.h - y
        if self.turn == 270:
            return self.h - y, x
        return x, y

    def back(self, x: float, y: float) -> tuple[float, float]:
        """A point of the turned page in page space."""
        if self.turn == 90:
            return self.w - y, x
        if self.turn == 180:
            return self.w - x, self.h - y
        if self.turn == 270:
            return y, self.h - x
        return x, y

    def box(self, l: float, b: float, r: float, t: float) -> tuple[float, float, float, float]:
        if not self.turn:
            return l, b, r, t
        (x0, y0), (x1, y1) = self.point(l, b), self.point(r, t)
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)


class _Page(_Turn):
    """One text page as read_lines asks it: ctypes out-parameters allocated once, the turn to the page
    as shown, and PDFium's text index -> character index mapping.

    When the page text has as many UTF-16 units as the page has characters and no surrogate pair
    (nearly always), PDFium's text and character indices are the same (text indices map to character
    indices increasing and one-to-one, leaving out only characters the text does not show), and the
    per-line index calls are skipped. A character beyond U+FFFF is one text index but two UTF-16
    units: with one such character and one left out, the counts would match by chance."""

    def __init__(self, raw, text: str, turn: int = 0, width: float = 0.0, height: float = 0.0):
        super().__init__(turn, width, height)
        self.raw, self.text = raw, text
        self.handle = ctypes.cast(raw, ctypes.c_void_p).value
        self.l, self.t, self.r, self.b = (ctypes.c_double() for _ in range(4))
        self.x, self.y = ctypes.c_double(), ctypes.c_double()
        self.rect = pdfium_c.FS_RECTF()
        self.ltrb = tuple(map(ctypes.addressof, (self.l, self.t, self.r, self.b)))  # FPDFText_GetRect's order
        self.lrbt = tuple(map(ctypes.addressof, (self.l, self.r, self.b, self.t)))  # FPDFText_GetCharBox's order
        self.xy = (ctypes.addressof(self.x), ctypes.addressof(self.y))
        self.rect_address = ctypes.addressof(self.rect)
        surrogates = bool(_SURROGATE.search(text))
        self.same_indices = len(text) == pdfium_c.FPDFText_CountChars(raw) and not surrogates
        # nothing for clean() to do on any line but strip it: no CJK text, hyphen marks or surrogates on the page
        self.plain = not (surrogates or "\x02" in text or "\ufffe" in text or CJK_CHAR.search(text))

    def char_index(self, text_index: int) -> int:
        return text_index if self.same_indices else pdfium_c.FPDFText_GetCharIndexFromTextIndex(self.raw, text_index)

    def text_index(self, char_index: int) -> int:
        return char_index if self.same_indices else pdfium_c.FPDFText_GetTextIndexFromCharIndex(self.raw, char_index)

    def is_space(self, index: int) -> bool:
        """Whether a character is a space (U+0020 or U+3000)."""
        if self.same_indices:
            return self.text[index] in " \u3000"
        return pdfium_c.FPDFText_GetUnicode(self.raw, index) in (32, 0x3000)

    def char_box(self, index: int) -> tuple[float, float, float, float]:
        """(left, bottom, right, top) of a character on the turned page."""
        _CHAR_BOX(self.handle, index, *self.lrbt)
        return self.box(self.l.value, self.b.value, self.r.value, self.t.value)

    def origin_y(self, index: int) -> float:
        _CHAR_ORIGIN(self.handle, index, *self.xy)
        return self.point(self.x.value, self.y.value)[1] if self.turn else self.y.value

    def char_at(self, x: float, y: float, words: list[int], guess: int) -> tuple[int, tuple[float, float, float, float]]:
        """The first character whose box holds the point (x, y) of the page as shown, and its box.

        PDFium's own search runs through every character of the page. A piece of a line nearly
        always begins a word, so first the words of the line (their first characters, left to right)
        are walked from the one nearest ``guess`` towards x; PDFium is asked only when no word
        start holds the point."""
        k, step = min(bisect.bisect_left(words, guess), len(words) - 1), 0
        while 0 <= k < len(words):
            box = self.char_box(words[k])
            if box[0] <= x <= box[2] and box[1] <= y <= box[3]:
                return words[k], box
            direction = 1 if box[2] < x else -1 if box[0] > x else 0
            if direction == 0 or direction == -step:
                break
            step, k = direction, k + direction
        index = pdfium_c.FPDFText_GetCharIndexAtPos(self.raw, *self.back(x, y), 0.5, 0.5)
        return index, self.char_box(index) if index >= 0 else (0.0, 0.0, 0.0, 0.0)

    def rects(self, first: int, count: int) -> list[tuple[float, float, float, float]]:
        """The rectangles of the text objects of characters first .. first + count - 1."""
        handle, refs = self.handle, self.ltrb
        l, t, r, b = self.l, self.t, self.r, self.b
        count = _COUNT_RECTS(handle, first, count)
        if self.turn:
            return [self.box(l.value, b.value, r.value, t.value) for k in range(count) if _GET_RECT(handle, k, *refs)]
        return [(l.value, b.value, r.value, t.value) for k in range(count) if _GET_RECT(handle, k, *refs)]

    def measure(self, first: int, last: int) -> tuple[float, float | None]:
        """(font size, baseline) of a run of characters, from its first real characters: the height of
        the font box of the first that is not a space (0.0 if none), the origin of the first that PDFium
        did not generate (None if none)."""
        handle, rect, baseline = self.handle, self.rect, None
        for index in range(first, min(last + 1, first + 4)):
            if _IS_GENERATED(handle, index):
                continue
            if baseline is None:
                baseline = self.origin_y(index)
            if self.is_space(index) or not _LOOSE_BOX(handle, index, self.rect_address):
                continue
            height = rect.right - rect.left if self.turn in (90, 270) else rect.top - rect.bottom
            if height > 0.5:
                return height, baseline
        return 0.0, baseline


def page_text(textpage) -> str:
    """All text of a page in PDFium's text view; one Python character per UTF-16 unit."""
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    if count <= 0:
        return ""
    buffer = (ctypes.c_ushort * (count + 1))()
    written = pdfium_c.FPDFText_GetText(raw, 0, count, buffer)
    # surrogatepass keeps one character per UTF-16 unit, so text indices stay PDFium's
    return bytes(memoryview(buffer)[: max(written - 1, 0)]).decode("utf-16-le", "surrogatepass")


def turned_box(turn: int, width: float, height: float, box):
    """A page-space box (left, bottom, right, top) as shown on the page turned by ``turn`` degrees."""
    return _Turn(turn, width, height).box(*box)


def text_turn(textpage, rotation: int) -> int:
    """The page's /Rotate (clockwise degrees) when its text is drawn turned against it, so that it reads
    upright as shown (a landscape table on a portrait page); else 0."""
    if rotation % 360 == 0:
        return 0
    raw = textpage.raw
    count = pdfium_c.FPDFText_CountChars(raw)
    angles = [round(math.degrees(pdfium_c.FPDFText_GetCharAngle(raw, i))) % 360 for i in range(0, count, max(1, count // 50))]
    upright = (360 - rotation % 360) % 360  # PDFium measures a character's angle clockwise
    turned = sum(1 for a in angles if abs(a - upright) <= 2)
    return rotation % 360 if angles and turned * 2 > len(angles) else 0


def read_lines(textpage, text: str, turn: int = 0, width: float = 0.0, height: float = 0.0) -> list[Line]:
    """The lines of a page in content order, split where a line holds separate pieces of text.

    ``turn``: the page's rotation when its text is turned with it (``text_turn``); geometry is then given
    as the page is shown, from ``width`` and ``height`` of the unturned page."""
    return _read(_Page(textpage.raw, text, turn, width, height))


def _read(page: _Page) -> list[Line]:
    lines = []
    for match in _LINE.finditer(page.text):
        if not match.group().isspace():
            lines.extend(_line(page, *match.span()))
    return _without_overprint(lines)


def _line(page: _Page, start: int, end: int) -> list[Line]:
    first, last = (start, end - 1) if page.same_indices else (page.char_index(start), page.char_index(end - 1))
    if first < 0 or last < first:
        return []
    rects = page.rects(first, last + 1 - first)
    if not rects:
        return []
    size, baseline = page.measure(first, last)
    size = size or max(r[3] - r[1] for r in rects)
    if len(rects) == 1 or _turned(page, first):  # one piece; or a label set sideways (a figure, a table head), as PDFium joined it
        return [_make_line(page, start, end, rects, size, baseline)]
    groups = [[rects[0]]]
    for prev, rect in zip(rects, rects[1:]):
        if _joins(prev, rect, size):
            groups[-1].append(rect)
        else:
            groups.append([rect])
    if len(groups) == 1:
        return [_make_line(page, start, end, rects, size, baseline)]
    return _split(page, first, last, groups) or _pieces(page, first, last + 1)


def _turned(page: _Page, index: int) -> bool:
    """Whether a character is set at an angle to the page as shown (its line's boxes then never share a baseline)."""
    angle = math.degrees(_CHAR_ANGLE(page.handle, index)) % 360
    return 45 < (angle + page.turn) % 360 < 315  # PDFium measures angles clockwise; upright is -turn


def _joins(prev, rect, size: float) -> bool:
    """Whether two consecutive text objects of a line are one piece of text: same baseline, no wide gap."""
    (l0, b0, r0, t0), (l1, b1, _, t1) = prev, rect
    return same_band(b0, t0, b1, t1) and l1 - r0 <= SPLIT_GAP_EM * size and l1 >= l0 - size


def _make_line(page: _Page, start: int, end: int, rects, size: float, baseline: float | None) -> Line:
    if len(rects) == 1:
        x0, y0, x1, y1 = rects[0]
    else:
        lefts, bottoms, rights, tops = zip(*rects)
        x0, y0, x1, y1 = min(lefts), min(bottoms), max(rights), max(tops)
    text = page.text[start:end]
    text = text.strip() if page.plain else clean(_drop_generated_cjk_spaces(page, text, start))
    return Line(text, x0, y0, x1, y1, size, y0 if baseline is None else baseline)


def _split(page: _Page, first: int, last: int, groups) -> list[Line] | None:
    """Cut a line where its text objects part (a gutter, another baseline): find the first character of
    each group of rectangles by position. None when a position does not lead to the expected character."""
    starts = [first]
    words = [m.start() for m in _WORD_START.finditer(page.text, first + 1, last + 1)] if page.same_indices else []
    line_left, line_right = groups[0][0][0], groups[-1][-1][2]
    for group in groups[1:]:
        left, bottom, right, top = group[0]
        x, y = left + min(0.3, (right - left) / 2), (bottom + top) / 2
        guess = first + round((x - line_left) / max(line_right - line_left, 1e-6) * (last - first))
        index, box = page.char_at(x, y, words, guess)
        if index <= starts[-1] or index > last:
            return None
        if abs(box[0] - left) > 1:
            return None
        starts.append(index)
    lines = []
    for group, begin, stop in zip(groups, starts, starts[1:] + [last + 1]):
        t_start = page.text_index(begin)
        t_end = page.text_index(stop - 1) + 1
        if t_start < 0 or t_end <= t_start:
            return None
        size, baseline = page.measure(begin, stop - 1)
        line = _make_line(page, t_start, t_end, group, size or max(r[3] - r[1] for r in group), baseline)
        if line.text:
            lines.append(line)
    return lines


def _without_overprint(lines: list[Line]) -> list[Line]:
    """Drop a line that repeats an earlier one at the same place: fake bold painted again later in the page.

    Near-linear: kept lines whose text occurs more than once are filed by text and by a grid cell as
    large as their tolerance (a power of two, and the two next sizes, so twins of similar size meet);
    a line is compared only with the kept lines in the cells around it. Comparing it with every
    earlier line of the same text was quadratic (20,000 identical marks on a page: over a minute)."""
    first: dict[str, Line | None] = {}  # texts kept once so far (None once filed): filed in the grid only when they come again
    grid: dict[tuple, list[Line]] = {}
    out = []
    for line in lines:
        if line.text not in first:
            first[line.text] = line
            out.append(line)
            continue
        kept = first[line.text]
        if kept is not None:
            _file(grid, kept)
            first[line.text] = None
        if not _has_twin(grid, line):
            _file(grid, line)
            out.append(line)
    return out


def _level(line: Line) -> int:
    return math.floor(math.log2(max(0.3 * line.size, 1e-3)))


def _file(grid: dict, line: Line) -> None:
    level = _level(line)
    for k in (level - 1, level, level + 1):
        cell = 2.0 ** k
        grid.setdefault((line.text, k, math.floor(line.x0 / cell), math.floor(line.baseline / cell)), []).append(line)


def _has_twin(grid: dict, line: Line) -> bool:
    tolerance, level = 0.3 * line.size, _level(line)
    cell, x, y = 2.0 ** level, line.x0, line.baseline
    columns = range(math.floor((x - tolerance) / cell), math.floor((x + tolerance) / cell) + 1)  # the cells within reach
    rows = range(math.floor((y - tolerance) / cell), math.floor((y + tolerance) / cell) + 1)
    return any(abs(t.x0 - x) < tolerance and abs(t.baseline - y) < tolerance
               for cx in columns for cy in rows for t in grid.get((line.text, level, cx, cy), ()))


def same_band(b0: float, t0: float, b1: float, t1: float) -> bool:
    """Whether two boxes sit on the same line: the centre of the lower one lies in the other."""
    if t0 - b0 < t1 - b1:
        b0, t0, b1, t1 = b1, t1, b0, t0
    centre = (b1 + t1) / 2
    return b0 - 0.1 * (t0 - b0) <= centre <= t0 + 0.1 * (t0 - b0)


def _drop_generated_cjk_spaces(page: _Page, line: str, start: int) -> str:
    """Remove the spaces PDFium inserted between separately placed CJK characters (letter spacing)."""
    if " " not in line or not CJK_CHAR.search(line):
        return line
    chars = list(line)
    for k in range(len(chars) - 2, 0, -1):
        if chars[k] == " " and CJK_CHAR.match(chars[k - 1]) and CJK_CHAR.match(chars[k + 1]):
            index = page.char_index(start + k)
            if index < 0 or _IS_GENERATED(page.handle, index):
                del chars[k]
    return "".join(chars)


class _Piece:
    __slots__ = ("parts", "last", "x0", "y0", "x1", "y1", "size", "baseline", "left", "right")

    def __init__(self, char, l, b, r, t, size, baseline):
        self.parts, self.last = [char], char
        self.x0, self.y0, self.x1, self.y1 = l, b, r, t
        self.size, self.baseline, self.left, self.right = size, baseline, l, r

    def continues(self, l: float, b: float, r: float, t: float) -> bool:
        if not same_band(self.y0, self.y1, b, t):
            return False
        return l - self.right <= SPLIT_GAP_EM * self.size and l >= self.left - self.size

    def add(self, pending: str, char: str, l, b, r, t) -> None:
        if pending.strip() or not (CJK_CHAR.match(self.last) and CJK_CHAR.match(char)):
            self.parts.append(pending)  # PDFium's spaces between CJK characters are letter spacing
        self.parts.append(char)
        self.last = char
        self.x0, self.y0, self.x1, self.y1 = min(self.x0, l), min(self.y0, b), max(self.x1, r), max(self.y1, t)
        self.left, self.right = l, r

    def line(self) -> Line:
        return Line(clean("".join(self.parts)), self.x0, self.y0, self.x1, self.y1, self.size, self.baseline)


def _pieces(page: _Page, first: int, end: int) -> list[Line]:
    """Read a line character by character, cutting it where the baseline changes or a wide gap opens."""
    raw, pieces = page.raw, []
    pending = ""  # generated characters (spaces) waiting for the next real one
    for index in range(first, end):
        char = chr(pdfium_c.FPDFText_GetUnicode(raw, index))
        if pdfium_c.FPDFText_IsGenerated(raw, index):
            pending += " " if char.isspace() else char
            continue
        l, b, r, t = page.char_box(index)
        if r - l < 0.01 and t - b < 0.01:  # no geometry (a space, a mark): stays with its piece
            if pieces:
                pieces[-1].parts.append(pending + char)
            pending = ""
            continue
        if pieces and pieces[-1].continues(l, b, r, t):
            pieces[-1].add(pending, char, l, b, r, t)
        else:
            size, baseline = page.measure(index, index)  # the character is not generated: its origin is the baseline
            pieces.append(_Piece(char, l, b, r, t, size or (t - b), baseline))
        pending = ""
    lines = [piece.line() for piece in pieces]
    return [line for line in lines if line.text]


def clean(text: str) -> str:
    """One line of a text layer as readers see it: real characters, PDFium's hyphen marks resolved."""
    if _SURROGATE.search(text):
        text = text.encode("utf-16-le", "surrogatepass").decode("utf-16-le", "replace")
    if "\x02" in text or "\ufffe" in text:
        text = _MIDLINE_HYPHEN.sub(lambda m: "" if m.group(1).islower() else "-", text)
        if text.rstrip().endswith(tuple(_PDFIUM_HYPHENS)):
            text = text.rstrip()[:-1] + "-"
        text = text.replace("\x02", "").replace("\ufffe", "-")
    if " " in text and CJK_CHAR.search(text) and _SPACED_CJK.search(text):  # the first test is much faster
        text = _SPACED_CJK.sub(lambda m: m.group(0).replace(" ", ""), text)
    return text.strip()
