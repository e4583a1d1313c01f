"""Large sheets in xlsx files, fast: rows whose column types are known are written as SpreadsheetML by textmine and put
into the workbook that xlsxwriter wrote.

xlsxwriter spends about 4 µs on each cell (a call, checks, an element formatted attribute by attribute), and the
sheets of a large corpus's report hold millions of cells. Here a row is formatted in one go into a temporary file
while its sheet is written; when the workbook is closed, the rows are put into the sheet's XML after its header row.
A cell comes out exactly as xlsxwriter writes it (tests/test_xlsx_rows.py compares the two).
"""

from __future__ import annotations

import io
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from math import isfinite
from pathlib import Path
from typing import IO, Iterable, NamedTuple, Sequence

import xlsxwriter
from xlsxwriter.utility import xl_col_to_name

from textmine.core.constants import XLSX_MAX_CELL
from textmine.core.names import safe_cell

WORKBOOK_OPTIONS = {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}

_LITERAL_ESCAPE = re.compile(r"(_x[0-9a-fA-F]{4}_)")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\ufffe\uffff]")
_ESCAPES = re.compile(f"{_LITERAL_ESCAPE.pattern}|{_CONTROL.pattern}")  # what Excel writes as _xHHHH_
_XML_SPECIAL = re.compile("[&<>]")
_DIMENSION = re.compile(r'<dimension ref="[^"]*"/>')
_NS = {"main": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
       "rel": "http://schemas.openxmlformats.org/package/2006/relationships"}
_ID = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
_CHUNK = 2_000  # rows formatted before they are written out
# The large sheets are compressed fast: three times faster than the usual level 6, for files about a fifth larger
ROWS_LEVEL = 1
ZIP64_FROM = 2**31 - 2**26  # bytes of a member from which it is written with ZIP64 sizes
_KEPT, _SHORT = 100_000, 64  # how many distinct cells are remembered as written, and texts up to which length


class Written(NamedTuple):
    rows: int  # data rows written
    cut: int  # text cells cut to Excel's limit
    left_out: bool  # rows beyond ``limit`` were left out


class Workbook(xlsxwriter.Workbook):
    """An xlsxwriter workbook that streams rows (constant memory), never turns text into formulas or links, and takes
    whole sheets of typed rows (``add_rows``), which it puts into the file when it is closed."""

    def __init__(self, path):
        self.path = Path(path)
        super().__init__(io.BytesIO(), WORKBOOK_OPTIONS)  # xlsxwriter's part is small: the large sheets come later
        self._rows: dict[str, tuple[IO[bytes], str]] = {}  # sheet name -> (its rows' XML, the range they fill)

    def add_rows(self, sheet, rows: Iterable[Sequence[str]], numbers: Sequence[bool], limit: int) -> Written:
        """Add ``rows`` (CSV cells, as text) below the header row of ``sheet``, which must hold that row only. Cells of
        the columns marked in ``numbers`` become numbers (when they are), the others text; empty cells stay empty.
        At most ``limit`` rows are written."""
        if sheet.name in self._rows:
            raise ValueError(f"sheet {sheet.name} already has its rows")
        buffer = tempfile.TemporaryFile()
        written = write_rows(rows, numbers, buffer, limit)
        self._rows[sheet.name] = (buffer, f"A1:{xl_col_to_name(max(len(numbers), 1) - 1)}{written.rows + 1}")
        return written

    def close(self) -> None:
        super().close()
        try:
            if self._rows:
                _splice(self.filename, self.path, self._rows)
            else:
                self.path.write_bytes(self.filename.getvalue())
        finally:
            for buffer, _ in self._rows.values():
                buffer.close()
            self._rows.clear()


def write_rows(rows: Iterable[Sequence[str]], numbers: Sequence[bool], out: IO[bytes], limit: int) -> Written:
    """``<row>`` elements for ``rows``, the first being the sheet's second row, into ``out``."""
    refs = [xl_col_to_name(col) for col in range(len(numbers))]
    lines: list[str] = []
    written = cut = 0
    left_out = False
    # ids, codes, terms and counts repeat: cell text -> the number as written (None: not a number), or the inline string
    as_numbers: dict[str, str | None] = {}
    as_texts: dict[str, str] = {}
    for written, row in enumerate(rows, start=1):
        if written > limit:
            written, left_out = limit, True
            break
        line = str(written + 1)
        cells = []
        for ref, number, value in zip(refs, numbers, row):
            if not value:
                continue
            if number:
                shown = as_numbers.get(value, "")
                if shown == "":
                    shown = _number(value)
                    if len(as_numbers) < _KEPT:
                        as_numbers[value] = shown
                if shown is not None:
                    cells.append(f'<c r="{ref}{line}"><v>{shown}</v></c>')
                    continue
            inline = as_texts.get(value)
            if inline is None:
                text, was_cut = excel_text(safe_cell(value))
                cut += was_cut
                inline = _inline(text)
                if len(value) <= _SHORT and len(as_texts) < _KEPT:
                    as_texts[value] = inline
            cells.append(f'<c r="{ref}{line}" t="inlineStr">{inline}</c>')
        lines.append(f'<row r="{line}">{"".join(cells)}</row>')
        if len(lines) == _CHUNK:
            out.write("".join(lines).encode("utf-8"))
            lines.clear()
    out.write("".join(lines).encode("utf-8"))
    return Written(written, cut, left_out)


def _number(text: str) -> str | None:
    """The text as xlsxwriter writes the number it is; None if it is none (or one Excel cannot hold)."""
    try:
        number = float(text)
    except ValueError:  # not a number after all: kept as text
        return None
    return f"{number:.16G}" if isfinite(number) else None


def excel_text(text: str) -> tuple[str, bool]:
    """The text cut to what a cell holds (32,767 UTF-16 units, never half a character); and whether it was cut."""
    if len(text) <= XLSX_MAX_CELL // 2 or len(text.encode("utf-16-le", "surrogatepass")) <= 2 * XLSX_MAX_CELL:
        return text, False
    kept = text[:XLSX_MAX_CELL]
    excess = len(kept.encode("utf-16-le", "surrogatepass")) // 2 - XLSX_MAX_CELL
    while excess > 0:
        excess -= 2 if ord(kept[-1]) > 0xFFFF else 1
        kept = kept[:-1]
    return kept, True


def _inline(text: str) -> str:
    """``<is>`` of an inline string: control characters as _xHHHH_ (and such a text as it is written as _x005F_xHHHH_),
    spaces at either end kept, XML escaped."""
    if _ESCAPES.search(text):
        text = _LITERAL_ESCAPE.sub(r"_x005F\1", text)
        text = _CONTROL.sub(lambda match: f"_x{ord(match.group()):04X}_", text)
    space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
    if _XML_SPECIAL.search(text):
        text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return f"<is><t{space}>{text}</t></is>"


def _splice(source: io.BytesIO, path: Path, rows: dict[str, tuple[IO[bytes], str]]) -> None:
    """Write the workbook in ``source`` to ``path`` with each sheet named in ``rows`` followed by its rows."""
    with zipfile.ZipFile(source) as book, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=ROWS_LEVEL) as out:
        members = _sheet_members(book)
        spliced = {members[name]: value for name, value in rows.items()}
        for info in book.infolist():
            if info.filename not in spliced:
                out.writestr(info, book.read(info))
                continue
            buffer, dimension = spliced[info.filename]
            before, after = book.read(info).decode("utf-8").rsplit("</sheetData>", 1)
            head = _DIMENSION.sub(f'<dimension ref="{dimension}"/>', before, count=1).encode("utf-8")
            tail = f"</sheetData>{after}".encode("utf-8")
            size = len(head) + buffer.seek(0, io.SEEK_END) + len(tail)
            buffer.seek(0)
            with out.open(info.filename, "w", force_zip64=size > ZIP64_FROM) as member:
                member.write(head)
                shutil.copyfileobj(buffer, member, 1 << 20)
                member.write(tail)


def _sheet_members(book: zipfile.ZipFile) -> dict[str, str]:
    """Sheet name -> the zip member holding the sheet, as xl/workbook.xml and its relationships say."""
    targets = {rel.get("Id"): rel.get("Target", "") for rel in
               ET.fromstring(book.read("xl/_rels/workbook.xml.rels")).iterfind("rel:Relationship", _NS)}
    sheets = ET.fromstring(book.read("xl/workbook.xml")).iterfind("main:sheets/main:sheet", _NS)
    return {sheet.get("name", ""): _member(targets[sheet.get(_ID)]) for sheet in sheets}


def _member(target: str) -> str:
    return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
