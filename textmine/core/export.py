"""Tables -> files that open safely in spreadsheets: CSV (UTF-8 with BOM), xlsx, Parquet.

Every file is written under a temporary name and renamed when complete, so an
output file only ever appears whole. Text cells that a spreadsheet would read
as a formula (leading ``= + - @``, tab or carriage return) get a leading
apostrophe.
"""

from __future__ import annotations

import contextlib
import csv
import io
import math
import os
import re
import tempfile
from pathlib import Path
from itertools import chain, islice
from typing import TYPE_CHECKING, Collection, Iterable, Iterator, NamedTuple, Sequence

import pandas as pd

from textmine.core.constants import TABLE_FORMATS, XLSX_MAX_CELL, XLSX_MAX_ROWS
from textmine.core.names import FORMULA_STARTS, as_number, column_names, safe_cell, unique_names  # noqa: F401  (safe_cell is used from here)

CSV_FIELD_LIMIT = 2**31 - 1  # the largest value csv.field_size_limit accepts on every platform
HEADER_FORMAT = {"bold": True, "bg_color": "#DDEBF7", "border": 1}
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read UTF-8 (and so Chinese) correctly

if TYPE_CHECKING:
    from textmine.core.xlsx_rows import Workbook, Written


@contextlib.contextmanager
def atomic_path(path) -> Iterator[Path]:
    """Yield a temporary path beside ``path``; rename it to ``path`` only if the block succeeds."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    os.close(fd)
    os.chmod(tmp, 0o666 & ~_umask())
    try:
        yield Path(tmp)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    for callback in _OBSERVERS:
        callback(path)


_OBSERVERS: list = []  # called with each path atomic_path completes (a run's output folder records them)


@contextlib.contextmanager
def observe_writes(callback) -> Iterator[None]:
    """Within the block, ``callback(path)`` is called for every file ``atomic_path`` completes."""
    _OBSERVERS.append(callback)
    try:
        yield
    finally:
        _OBSERVERS.remove(callback)


def announce(paths: Iterable) -> None:
    """Tell the ``observe_writes`` callbacks about files another process completed with ``atomic_path``."""
    for path in paths:
        for callback in _OBSERVERS:
            callback(Path(path))


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


class CsvWriter:
    """Streams rows to a CSV that appears under its name only when ``close`` is called."""

    def __init__(self, path, columns: Sequence[str]):
        self.path = Path(path)
        self.columns = list(columns)
        self._context = atomic_path(self.path)
        self._tmp = self._context.__enter__()
        self._file = open(self._tmp, "w", encoding=CSV_ENCODING, newline="")
        self._writer = csv.writer(self._file)
        self._writer.writerow(column_names(self.columns))
        self.rows = 0

    def write(self, row: dict) -> None:
        self._writer.writerow([_csv_value(row.get(column)) for column in self.columns])
        self.rows += 1

    def write_text(self, text: str, rows: int) -> None:
        """Add ``rows`` rows that ``csv_text`` rendered with this writer's columns (in another process)."""
        self._file.write(text)
        self.rows += rows

    def close(self) -> None:
        self._file.close()
        self._context.__exit__(None, None, None)

    def abort(self) -> None:
        self._file.close()
        with contextlib.suppress(Exception):
            self._context.__exit__(RuntimeError, RuntimeError("aborted"), None)


def csv_text(rows: Iterable[dict], columns: Sequence[str]) -> str:
    """The lines ``CsvWriter.write`` writes for ``rows``, as one text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_csv_value(row.get(column)) for column in columns])
    return buffer.getvalue()


def csv_cells(values: Sequence) -> str:
    """Cells as ``CsvWriter`` writes them, without the line end: a part of a line (joined to other parts by ",")."""
    buffer = io.StringIO()
    csv.writer(buffer).writerow([_csv_value(value) for value in values])  # the line end decides what is quoted
    return buffer.getvalue()[:-2]


def _csv_value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return safe_cell(value)


def write_csv(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        safe_frame(frame).to_csv(tmp, index=False, encoding=CSV_ENCODING)


def write_parquet(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        frame = typed_frame(frame)
        frame.columns = column_names(frame.columns)
        frame.to_parquet(tmp, index=False)


def write_dta(frame: pd.DataFrame, path) -> None:
    """Stata 14+ (.dta version 118, Unicode): names made Stata-safe, mixed columns as numbers or text."""
    frame = typed_frame(frame)
    frame.columns = stata_names(frame.columns)
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(lambda v: "" if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
    with atomic_path(path) as tmp:
        frame.to_stata(tmp, write_index=False, version=118, convert_strl=[c for c in frame.columns if _long_text(frame[c])])


def _long_text(values: pd.Series) -> bool:
    return values.dtype == object and bool(values.map(len).max() > 2045) if len(values) else False


def stata_names(columns) -> list[str]:
    """Valid, unique Stata variable names: letters, digits and _, not starting with a digit, at most 32 characters."""
    valid = (re.sub(r"[^A-Za-z0-9_]", "_", str(column)) or "v" for column in columns)
    return unique_names((("_" + name if name[0].isdigit() else name)[:32] for name in valid), width=32)


def typed_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy whose object columns holding only numbers (and blanks) are numeric, and the others text."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype != object:
            continue
        values = frame[column]
        numbers = pd.to_numeric(values, errors="coerce")
        blank = values.isna()
        if (numbers.notna() | blank).all() and not values.map(lambda v: isinstance(v, (str, bool))).any():
            frame[column] = numbers
        else:
            frame[column] = values.map(lambda v: None if v is None or (isinstance(v, float) and math.isnan(v)) else str(v))
    return frame


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as formulas."""
    frame = frame.copy()
    for column in frame.columns:
        values = frame[column]
        if (values.dtype == object or pd.api.types.is_string_dtype(values)) and _may_hold_text(values):
            # a list, not Series.map, which would turn integer cells of mixed columns into floats
            frame[column] = pd.Series([safe_cell(v) for v in values], index=frame.index, dtype=object)
    if not isinstance(frame.columns, pd.MultiIndex):
        frame.columns = column_names(frame.columns)
    return frame


def _may_hold_text(values: pd.Series) -> bool:
    """False for a column of numbers (and blanks) only, such as the counts and shares of an emphasis table."""
    return pd.api.types.infer_dtype(values, skipna=True) not in NUMBER_KINDS


NUMBER_KINDS = frozenset({"integer", "floating", "mixed-integer-float", "decimal", "boolean", "empty"})


def write_table(frame: pd.DataFrame, path, fmt: str | None = None) -> Path:
    """Write ``frame`` in format ``fmt`` (csv, xlsx, parquet, dta), by default the one its extension names.

    With ``fmt``, the extension of ``path`` is set to match. Returns the path written.
    """
    path = Path(path)
    fmt = (fmt or path.suffix.lower().lstrip(".")).lower()
    if fmt not in TABLE_FORMATS:
        from textmine.core.errors import InputError

        raise InputError(f"cannot write '{path}': use a .csv, .xlsx, .parquet or .dta file name (or --format)")
    path = path.with_suffix(f".{fmt}")
    if fmt == "csv":
        write_csv(frame, path)
    elif fmt == "xlsx":
        write_xlsx(path, [("data", frame)])
    elif fmt == "parquet":
        write_parquet(frame, path)
    else:
        write_dta(frame, path)
    return path


class Sheet(NamedTuple):
    """A sheet to write: its name, a DataFrame or CSV path, and (for a CSV written by textmine) the columns holding
    numbers: every other column is then text, whatever its cells look like."""

    name: str
    source: object
    numbers: Collection[str] | None = None


def write_xlsx(path, sheets: Iterable[tuple]) -> list[str]:
    """Write sheets (``Sheet``s, or (name, DataFrame or CSV path)) to one workbook; return notes on truncation.

    CSV sources are streamed row by row (constant memory); numbers stay numbers.
    Header rows are frozen and columns get widths that fit their content.
    """
    notes = []
    with atomic_path(path) as tmp:
        workbook = open_workbook(tmp)
        for sheet in sheets:
            notes += write_sheet(workbook, *sheet).notes
        workbook.close()
    return notes


def open_workbook(path) -> Workbook:
    """A workbook that streams rows (constant memory) and never turns text into formulas or links (``xlsx_rows``)."""
    from textmine.core.xlsx_rows import Workbook  # xlsxwriter only when a workbook is written

    return Workbook(path)


class SheetInfo(NamedTuple):
    sheet: object
    rows: int  # data rows written (without the header)
    columns: list[str]
    notes: list[str]


def write_sheet(workbook: Workbook, name: str, source, numbers: Collection[str] | None = None) -> SheetInfo:
    """One sheet from a DataFrame or CSV path: frozen header, autofilter, widths that fit the content.

    With ``numbers`` (a CSV textmine wrote), those columns are written as numbers and all others as text, by
    ``Workbook.add_rows``; without, each cell is written as what it looks like (a number or text)."""
    if numbers is not None and isinstance(source, pd.DataFrame):
        raise TypeError("numbers types the columns of a CSV file; a DataFrame's cells have their types")
    sheet = workbook.get_worksheet_by_name(name[:31]) or workbook.add_worksheet(name[:31])
    rows = _rows(source)
    header = column_names(next(rows, []))
    widths = [min(max(_display_width(h) + 2, 8), 60) for h in header]
    sheet.write_row(0, 0, header, workbook.add_format(HEADER_FORMAT))
    sheet.freeze_panes(1, 0)
    first = list(islice(rows, WIDTH_ROWS))
    for row in first:
        for col, value in enumerate(row[: len(widths)]):
            widths[col] = min(max(widths[col], _display_width(value) + 2), 60)
    rows = chain(first, rows)
    if numbers is not None and header:
        written = workbook.add_rows(sheet, rows, [str(h) in numbers for h in header], XLSX_MAX_ROWS - 1)
    else:
        written = _write_cells(sheet, rows, [str(h) in TEXT_COLUMNS for h in header], XLSX_MAX_ROWS - 1)
    notes = []
    if written.left_out:
        notes.append(f"sheet {name}: only the first {XLSX_MAX_ROWS - 1} rows fit in Excel; see the CSV")
    if written.cut:
        notes.append(f"sheet {name}: {written.cut} cells longer than {XLSX_MAX_CELL:,} characters (Excel's limit) were cut; see the CSV")
    for col, width in enumerate(widths):
        sheet.set_column(col, col, width)
    if header:
        sheet.autofilter(0, 0, max(written.rows, 1), len(header) - 1)
    return SheetInfo(sheet, written.rows, [str(h) for h in header], notes)


WIDTH_ROWS = 200  # the rows whose content sets the widths of the columns


def _write_cells(sheet, rows: Iterable[list], as_text: list[bool], limit: int) -> Written:
    """At most ``limit`` rows below the header, each cell written as what it looks like (``_write_cell``)."""
    from textmine.core.xlsx_rows import Written

    written = cut = 0
    for written, row in enumerate(rows, start=1):
        if written > limit:
            return Written(limit, cut, True)
        for col, value in enumerate(row):
            cut += _write_cell(sheet, written, col, value, col < len(as_text) and as_text[col])
    return Written(written, cut, False)


def _rows(source) -> Iterator[list]:
    if isinstance(source, pd.DataFrame):
        yield [str(c) for c in source.columns]
        for row in source.itertuples(index=False, name=None):
            yield list(row)
        return
    _allow_long_fields()
    with open(source, encoding=CSV_ENCODING, newline="") as handle:
        yield from csv.reader(handle)


def _allow_long_fields() -> None:
    """Our CSVs may hold cells of any length (a unit of a million characters); csv's default stops at 131,072."""
    if csv.field_size_limit() < CSV_FIELD_LIMIT:
        csv.field_size_limit(CSV_FIELD_LIMIT)


def _write_cell(sheet, row: int, col: int, value, as_text: bool = False) -> bool:
    """Write one cell; True if its text was cut to Excel's limit."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return False
    if as_text and isinstance(value, str):  # a unit whose text is "2020." stays text
        return bool(value) and _write_text(sheet, row, col, value)
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    elif hasattr(value, "item"):  # numpy scalars
        return _write_cell(sheet, row, col, value.item())
    else:
        text = str(value)
        number = as_number(text)
        if number is not None:
            sheet.write_number(row, col, number)
        elif text:
            return _write_text(sheet, row, col, text)
    return False


def _write_text(sheet, row: int, col: int, text: str) -> bool:
    """Write a text cell that cannot run as a formula, cut to Excel's limit; True if it was cut."""
    from textmine.core.xlsx_rows import excel_text

    text, cut = excel_text(safe_cell(text))
    sheet.write_string(row, col, text)
    return cut


# columns holding text that may look like a number ("2020.", "1.5"): never turned into numbers
TEXT_COLUMNS = frozenset({"text", "title", "section", "match", "left", "right", "term", "reason", "warnings", "file",
                          "doc_id", "unit_id"})


def _display_width(value) -> int:
    text = str(value)[:60]
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
