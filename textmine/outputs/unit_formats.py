"""coded_units in formats for statistics software besides the CSV: Stata (.dta, keeps line breaks in text) and Parquet."""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.core.constants import UNIT_FORMATS  # noqa: F401  (batch.py takes it from here)
from textmine.core.export import write_table

TEXT_COLUMNS = ("doc_id", "unit_id", "section", "text", "file")  # text even when they look like numbers


def read_coded_units(path, code_columns: Sequence[str]) -> pd.DataFrame:
    """coded_units.csv as written: ids and text as text; pages, code counts and all-numeric metadata (year …) as numbers.

    The whole table is held in memory (the writers of these formats need it)."""
    frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    for column in frame.columns:
        if column in TEXT_COLUMNS:
            continue
        values = frame[column].replace("", None)
        numbers = pd.to_numeric(values, errors="coerce")
        if column in ("page", *code_columns) or numbers.notna().sum() == values.notna().sum():
            frame[column] = numbers
    return frame


def write_unit_formats(csv_path, code_columns: Sequence[str], formats: Sequence[str]) -> dict[str, Path]:
    """coded_units.<fmt> next to coded_units.csv for every format asked for; returns name -> path."""
    if not formats:
        return {}
    frame = read_coded_units(csv_path, code_columns)
    csv_path = Path(csv_path)
    return {f"coded_units_{fmt}": write_table(frame, csv_path.with_suffix(f".{fmt}"), fmt) for fmt in formats}
