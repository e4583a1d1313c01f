"""Tables on PDF pages, found in PDFium's lines: one line of text per row, cells joined with `` | ``.

A table is a run of lines (bands of pieces on one baseline) where most bands hold several short
pieces whose edges line up in columns. Ruling lines, when the page has them between most rows,
decide which bands make one row (a cell of several lines); otherwise a band is a row and a lone
short line under it continues its cells. Everything is read from what PDFium already gave
(lines with geometry; the page's path objects only on pages with a table candidate): asking
pdfplumber instead costs 0.2-0.3 s per page plus 0.36 s of imports, more than a whole RIS3
strategy takes to extract (see docs/_incoming/tables.md).

``take_tables`` replaces the lines of each table by one placeholder line, so that the layout puts
the table in reading order; ``put_rows`` writes the rows where the placeholder ended up.
"""

from __future__ import annotations

import ctypes
import re
import statistics
from bisect import bisect_right
from dataclasses import dataclass
from operator import attrgetter

import numpy as np

from textmine.inputs.extract.tablerows import is_caption, row_text
from textmine.inputs.extract.textlayer import Line, turned_box
from textmine.core.normalize import CJK_CHAR
from textmine.core.types import Block

MIN_BANDS = 3  # bands of several pieces a table needs
WIDE_ROW = 4  # ... or two bands of this many pieces each, mostly figures (a header and one row)
PROSE_WIDTH = 25  # pieces this long (CJK counts 2) are lines of prose; a table has mostly shorter cells
PROSE_LINE = 60  # a piece this long is a line of prose whatever the page width
WIDE = 0.35  # a piece wider than this share of the text width is prose, not a cell (one per band allowed)
_MARKER = re.compile(r"^(?:[•·▪●◦■□◆◇▶►\-–—*]|\(?\d{1,2}[.)]?|\(?[a-zA-Z][.)]|[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+、)$")
_PATH = 2  # FPDF_PAGEOBJ_PATH
_BULLETS = frozenset("•·▪●◦■□◆◇▶►")  # a piece starting with one is a list item
_END = tuple(".。:：;；!?！？")  # a lone line ending so closes prose, it does not head a column
_TOKEN = "\ue000{}\ue001"  # placeholder text; private-use characters never in real text


@dataclass
class Table:
    name: str
    rows: list[str]
    token: str


def take_tables(page, lines: list[Line], number: int, turn: int = 0) -> list[Table]:
    """Find the tables among ``lines`` (PDFium lines of page ``number``, changed in place: a table's
    lines give way to a placeholder) and return them. ``page``: the open pypdfium2 page, read for
    ruling lines only when there is a candidate."""
    if len(lines) < MIN_BANDS * 2:
        return []
    width = _text_width(lines)
    bands = _bands(lines)
    cells = [_is_cells(band, width) for band in bands]
    if sum(cells) < 2:  # a table has two bands of cells at least (see _aligned)
        return []
    regions = _regions(bands, cells, width)
    if not regions:
        return []
    rulings = _rulings(page, turn)
    if len(regions) > 1:
        order = {id(line): i for i, line in enumerate(lines)}
        regions.sort(key=lambda region: min(order[id(line)] for band in region for line in band))  # as the text will read
    tables, taken = [], set()
    for k, region in enumerate(regions):
        members = [line for band in region for line in band]
        member_ids = {id(line) for line in members}
        token = _TOKEN.format(chr(0xE100 + number % 3000) + chr(0xF000 + k))
        size = statistics.median(line.size for line in members)
        top = max(line.y1 for line in members)
        placeholder = Line(token, min(l.x0 for l in members), min(l.y0 for l in members), max(l.x1 for l in members),
                           top, size, top - size)
        tables.append(Table(_name(lines, placeholder, member_ids, number, k, len(regions)), _rows(region, rulings), token))
        taken |= member_ids
        lines.insert(next(i for i, line in enumerate(lines) if id(line) in member_ids), placeholder)
    lines[:] = [line for line in lines if id(line) not in taken]
    return tables


def put_rows(paragraphs: list[list[str]], tables: list[Table], number: int) -> tuple[list[list[str]], list[Block]]:
    """The paragraphs with each placeholder replaced by its table's rows (a paragraph of their own), and
    the rows as Blocks in the order they now appear."""
    by_token = {table.token: table for table in tables}
    out: list[list[str]] = []
    blocks: list[Block] = []
    for paragraph in paragraphs:
        current: list[str] = []
        for line in paragraph:
            token = next((t for t in by_token if t in line), None)
            while token:
                before, _, line = line.partition(token)
                if before.strip():
                    current.append(before.strip())
                if current:
                    out.append(current)
                    current = []
                table = by_token.pop(token)
                out.append(list(table.rows))
                blocks.extend(Block(row, number, table=table.name) for row in table.rows)
                token = next((t for t in by_token if t in line), None)
            if line.strip():
                current.append(line.strip())
        if current:
            out.append(current)
    for table in by_token.values():  # a placeholder the layout lost: the rows still count
        out.append(list(table.rows))
        blocks.extend(Block(row, number, table=table.name) for row in table.rows)
    return out, blocks


# --- bands and regions -------------------------------------------------------------------------


def _bands(lines: list[Line]) -> list[list[Line]]:
    """Lines grouped by baseline, top to bottom, pieces left to right."""
    bands: list[list[Line]] = []
    for line in sorted(lines, key=attrgetter("baseline"), reverse=True):
        head = bands[-1][0] if bands else line
        gap = abs(head.baseline - line.baseline)
        if bands and (gap <= 0.35 * line.size or gap <= 0.35 * head.size):  # within 0.35 of the larger size
            bands[-1].append(line)
        else:
            bands.append([line])
    x0 = attrgetter("x0")
    for band in bands:
        if len(band) > 1:
            band.sort(key=x0)
    return bands


def _text_width(lines: list[Line]) -> float:
    return max(map(attrgetter("x1"), lines)) - min(map(attrgetter("x0"), lines))


def _is_cells(band: list[Line], width: float) -> bool:
    if len(band) < 2 or (len(band) == 2 and _MARKER.match(band[0].text)):  # a list item, not two cells
        return False
    if _bullets(band) >= 2:  # lists side by side (boxes of a figure)
        return False
    wide = WIDE * width
    return len([piece for piece in band if piece.x1 - piece.x0 > wide or _long(piece.text, PROSE_LINE)]) <= 1


def _bullets(pieces: list[Line]) -> int:
    return len([piece for piece in pieces if piece.text[:1] in _BULLETS])


def _regions(bands: list[list[Line]], cells: list[bool], width: float) -> list[list[list[Line]]]:
    """Runs of bands that form tables: cell bands (``cells``: which bands are), with the short lone lines of
    multi-line cells (a header cell above the first cell band, a cell's next lines, a row of one merged cell)
    close by."""
    regions, current, held = [], [], []  # held: lone bands that join ``current`` if a cell band follows
    cell_bands = {id(band) for band, is_cells in zip(bands, cells) if is_cells}
    for band, is_cells in zip(bands, cells):
        size = band[0].size
        previous = (held or current or [None])[-1]
        gap = previous[0].baseline - band[0].baseline if previous else 0.0
        close = previous is not None and gap <= 1.6 * min(size, previous[0].size)
        within = previous is not None and gap <= 3 * min(size, previous[0].size)
        if is_cells:
            if current and held and within:
                current.extend(held)
            elif held and within:  # lines of a header cell above the first band of cells
                current = held
            elif current and not within and gap > 3 * size:
                regions.append(current)
                current = []
            current.append(band)
            held = []
        elif _lone(band, width) and ((current or held) and within or not band[0].text.endswith(_END)):
            if (current or held) and not within:
                if current:
                    regions.append(current)
                current, held = [], []
            if current and not held and close:
                current.append(band)  # a cell's next line
            else:
                held.append(band)
        else:
            if current and not (close and _goes_on(current[-1], band, width)):
                regions.append(current)
            current, held = [], []
    if current:
        regions.append(current)
    return [region for region in regions if _aligned(region, [band for band in region if id(band) in cell_bands])]


def _lone(band: list[Line], width: float) -> bool:
    return len(band) == 1 and band[0].width < 0.45 * width and not is_caption(band[0].text)


def _goes_on(last: list[Line], band: list[Line], width: float) -> bool:
    """Whether a line of prose right under the last band starts where one of its pieces starts: that
    piece began a paragraph (a body column beside a sidebar), it was not a cell."""
    return any(piece.width > 0.45 * width or _long(piece.text, PROSE_LINE) for piece in band) and any(
        abs(piece.x0 - other.x0) < piece.size for piece in band for other in last)


def _aligned(region: list[list[Line]], cells: list[list[Line]]) -> bool:
    """Enough cell bands (``cells``, those of ``region``) of short pieces that line up (left or right edges)
    with pieces of other bands."""
    enough = len(cells) >= MIN_BANDS or (len(cells) == 2 and min(len(band) for band in cells) >= WIDE_ROW
                                         and _mostly_figures(cells))
    if not enough or len(cells) < 0.4 * len(region) or _is_contents(cells):
        return False
    pieces = [piece for band in cells for piece in band]
    if _bullets(pieces) >= 0.1 * len(pieces):
        return False  # lists side by side
    if sum(1 for piece in pieces if _long(piece.text, PROSE_WIDTH)) >= 0.5 * len(pieces):
        return False  # half the cells long: columns of prose side by side (or a sidebar), not a table
    needed = min(max(2, len(cells) // 4), len(cells) - 1)  # a column has a piece in a good share of the rows
    return int(np.count_nonzero(_rows_aligned(cells, pieces) >= needed)) >= 0.8 * len(pieces)


def _rows_aligned(cells: list[list[Line]], pieces: list[Line]) -> np.ndarray:
    """For each piece, the number of other bands holding a piece whose left or right edge is within 0.8
    font sizes of its own (all pairs at once: a loop over them was most of the time of table detection)."""
    x0 = np.array([piece.x0 for piece in pieces])
    x1 = np.array([piece.x1 for piece in pieces])
    tolerance = 0.8 * np.array([piece.size for piece in pieces])
    # piece j (row) against piece i (column): distances are the same both ways, so a band's pieces are
    # contiguous rows, which reduceat joins fastest; the large arrays are reused in place
    distance = np.subtract(x0[:, None], x0)
    near = np.abs(distance, out=distance) < tolerance
    near |= np.abs(np.subtract(x1[:, None], x1, out=distance), out=distance) < tolerance
    lengths = [len(band) for band in cells]
    by_band = np.logical_or.reduceat(near, np.cumsum([0] + lengths[:-1]), axis=0)  # band x piece
    by_band[np.repeat(np.arange(len(cells)), lengths), np.arange(len(pieces))] = False
    return by_band.sum(axis=0)


def _mostly_figures(cells: list[list[Line]]) -> bool:
    """Most pieces are short (numbers, years, codes): a small table of figures, not fragments of text."""
    pieces = [piece for band in cells for piece in band]
    return sum(1 for piece in pieces if _width(piece.text) <= 8) >= 0.6 * len(pieces)


def _is_contents(cells: list[list[Line]]) -> bool:
    """Title | page number, page numbers going up: a table of contents, not a table."""
    numbers = [band[1].text for band in cells if len(band) == 2]
    if len(numbers) < len(cells) or not all(n.isdigit() and len(n) <= 4 for n in numbers):
        return False
    return all(int(a) <= int(b) for a, b in zip(numbers, numbers[1:]))


def _width(text: str) -> int:
    return len(text) + len(CJK_CHAR.findall(text))


def _long(text: str, width: int) -> bool:
    """``_width(text) >= width``, counting CJK characters only when it can tell (most pieces are short)."""
    return len(text) >= width or (2 * len(text) >= width and _width(text) >= width)


# --- rows -------------------------------------------------------------------------------------


def _columns(region: list[list[Line]]) -> list[tuple[float, float]]:
    """Column extents: the x-ranges that pieces of several bands overlap into."""
    spans = sorted((p.x0, p.x1) for band in region if len(band) > 1 for p in band)
    columns: list[list[float]] = []
    for x0, x1 in spans:
        if columns and x0 < columns[-1][1]:
            columns[-1][1] = max(columns[-1][1], x1)
        else:
            columns.append([x0, x1])
    return [(a, b) for a, b in columns]


def _rows(region: list[list[Line]], rulings: list[float]) -> list[str]:
    columns = _columns(region)
    top, bottom = region[0][0].y1, region[-1][0].y0
    inside = sorted(y for y in rulings if bottom < y < top)
    by_rulings = len(inside) >= 0.3 * len(region)
    groups: list[list[list[Line]]] = []
    for band in region:
        if not groups:
            groups.append([band])
        elif by_rulings:
            above, here = groups[-1][-1][0].baseline, band[0].baseline
            lowest = bisect_right(inside, here + 0.5 * band[0].size)  # the lowest ruling above this band
            if lowest < len(inside) and inside[lowest] < above:  # a ruling between the two bands
                groups.append([band])
            else:
                groups[-1].append(band)
        elif len(band) > 1:
            groups.append([band])
        else:
            groups[-1].append(band)
    rows = []
    column_of = iter(_columns_of([piece for band in region for piece in band], columns))  # in the order of the loop below
    for group in groups:
        cells = [[] for _ in columns]
        for band in group:
            for piece in band:
                cells[next(column_of)].append(piece.text)
        text = row_text("\n".join(cell) for cell in cells)
        if text:
            rows.append(text)
    return rows


def _columns_of(pieces: list[Line], columns: list[tuple[float, float]]) -> list[int]:
    """The column each piece overlaps most (else the nearest; the first of equals)."""
    x0 = np.array([piece.x0 for piece in pieces])[:, None]
    x1 = np.array([piece.x1 for piece in pieces])[:, None]
    left, right = np.array(columns).T
    overlap = np.minimum(right, x1) - np.maximum(left, x0)
    fit = np.where(overlap > 0, overlap, overlap - (x1 - x0))  # negative: the distance, worse than any overlap
    return fit.argmax(axis=1).tolist()


def _rulings(page, turn: int) -> list[float]:
    """Heights of the page's horizontal ruling lines (thin wide path objects), as the page is shown."""
    import pypdfium2.raw as pdfium_c

    if page is None:
        return []
    raw = page.raw
    width, height = page.get_width(), page.get_height()
    if turn in (90, 270):
        width, height = height, width  # page space, before the turn
    l, b, r, t = (ctypes.c_float() for _ in range(4))
    out = []
    for index in range(pdfium_c.FPDFPage_CountObjects(raw)):
        obj = pdfium_c.FPDFPage_GetObject(raw, index)
        if pdfium_c.FPDFPageObj_GetType(obj) != _PATH or not pdfium_c.FPDFPageObj_GetBounds(obj, l, b, r, t):
            continue
        x0, y0, x1, y1 = turned_box(turn, width, height, (l.value, b.value, r.value, t.value))
        if y1 - y0 < 2.5 and x1 - x0 > 15:
            out.append((y0 + y1) / 2)
    return out


def _name(lines: list[Line], box: Line, member_ids: set[int], number: int, k: int, count: int) -> str:
    """The caption just above (else just below) the table (``box``: its placeholder, ``member_ids``: its lines),
    else "Table on page N"."""
    top, bottom, left, right, size = box.y1, box.y0, box.x0, box.x1, box.size
    near = []
    for line in lines:
        if line.x1 < left or line.x0 > right or id(line) in member_ids or not is_caption(line.text):
            continue
        above, below = line.y0 - top, bottom - line.y1
        if -0.5 * size <= above <= 4 * size:
            near.append((0, above, line.text))
        elif -0.5 * size <= below <= 3 * size:
            near.append((1, below, line.text))
    if near:
        return min(near)[2].strip()
    return f"Table {k + 1} on page {number}" if count > 1 else f"Table on page {number}"
