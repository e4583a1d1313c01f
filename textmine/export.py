"""Tables -> files that open safely in spreadsheets: CSV (UTF-8 with BOM), xlsx, Parquet.

Every file is written under a temporary name and renamed when complete, so an
output file only ever appears whole. Text cells that a spreadsheet would read
as a formula (leading ``= + - @``, tab or carriage return) get a leading
apostrophe.
"""

from __future__ import annotations

import contextlib
import csv
import math
import os
import tempfile
from pathlib import Path
from typing import Iterable, Iterator, Sequence

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX_MAX_ROWS = 1_048_576
XLSX_MAX_CELL = 32_767
CSV_ENCODING = "utf-8-sig"  # the BOM makes Excel read UTF-8 (and so Chinese) correctly


def safe_cell(value):
    """The value, with a leading apostrophe if it is text that would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


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
        self._writer.writerow(self.columns)
        self.rows = 0

    def write(self, row: dict) -> None:
        self._writer.writerow([_csv_value(row.get(column)) for column in self.columns])
        self.rows += 1

    def close(self) -> None:
        self._file.close()
        self._context.__exit__(None, None, None)

    def abort(self) -> None:
        self._file.close()
        with contextlib.suppress(Exception):
            self._context.__exit__(RuntimeError, RuntimeError("aborted"), None)


def _csv_value(value):
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return safe_cell(value)


def write_csv(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        safe_frame(frame).to_csv(tmp, index=False, encoding=CSV_ENCODING)


def write_parquet(frame: pd.DataFrame, path) -> None:
    with atomic_path(path) as tmp:
        frame.to_parquet(tmp, index=False)


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose text cells cannot run as formulas."""
    frame = frame.copy()
    for column in frame.columns:
        if frame[column].dtype == object or pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].map(safe_cell)
    return frame


def write_table(frame: pd.DataFrame, path) -> None:
    """Write ``frame`` in the format its extension names (.csv, .xlsx, .parquet)."""
    suffix = Path(path).suffix.lower()
    if suffix == ".csv":
        write_csv(frame, path)
    elif suffix == ".xlsx":
        write_xlsx(path, [("data", frame)])
    elif suffix == ".parquet":
        write_parquet(frame, path)
    else:
        from textmine.errors import InputError

        raise InputError(f"cannot write '{path}': use a .csv, .xlsx or .parquet file name")


def write_xlsx(path, sheets: Iterable[tuple[str, object]]) -> list[str]:
    """Write sheets (name, DataFrame or CSV path) to one workbook; return notes on truncation.

    CSV sources are streamed row by row (constant memory); numbers stay numbers.
    Header rows are frozen and columns get widths that fit their content.
    """
    import xlsxwriter

    notes = []
    with atomic_path(path) as tmp:
        workbook = xlsxwriter.Workbook(
            str(tmp), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
        )
        header_format = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1})
        for name, source in sheets:
            sheet = workbook.add_worksheet(name[:31])
            rows = _rows(source)
            header = next(rows, [])
            widths = [min(max(len(str(h)) + 2, 8), 60) for h in header]
            sheet.write_row(0, 0, header, header_format)
            sheet.freeze_panes(1, 0)
            written = 0
            for written, row in enumerate(rows, start=1):
                if written >= XLSX_MAX_ROWS:
                    notes.append(f"sheet {name}: only the first {XLSX_MAX_ROWS - 1} rows fit in Excel; see the CSV")
                    break
                for col, value in enumerate(row):
                    _write_cell(sheet, written, col, value)
                    if col < len(widths) and written < 200:
                        widths[col] = min(max(widths[col], _display_width(value) + 2), 60)
            for col, width in enumerate(widths):
                sheet.set_column(col, col, width)
            if header:
                sheet.autofilter(0, 0, max(written, 1), len(header) - 1)
        workbook.close()
    return notes


def _rows(source) -> Iterator[list]:
    if isinstance(source, pd.DataFrame):
        yield [str(c) for c in source.columns]
        for row in source.itertuples(index=False, name=None):
            yield list(row)
        return
    with open(source, encoding=CSV_ENCODING, newline="") as handle:
        yield from csv.reader(handle)


def _write_cell(sheet, row: int, col: int, value) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, bool):
        sheet.write_boolean(row, col, value)
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        sheet.write_number(row, col, value)
    elif hasattr(value, "item"):  # numpy scalars
        _write_cell(sheet, row, col, value.item())
    else:
        text = str(value)
        number = _as_number(text)
        if number is not None:
            sheet.write_number(row, col, number)
        elif text:
            sheet.write_string(row, col, safe_cell(text)[:XLSX_MAX_CELL])


def _as_number(text: str):
    """Numbers written by our CSVs come back as numbers; ids such as '0012' or '3-2-4' stay text."""
    if not text or len(text) > 20 or (text[0] == "0" and len(text) > 1 and text[1] != "."):
        return None
    try:
        number = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def _display_width(value) -> int:
    text = str(value)[:60]
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text)
