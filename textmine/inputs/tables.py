"""Reading users' own tables of units (CSV, TSV, XLSX, Parquet)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from textmine.core.errors import InputError
from textmine.inputs.extract.text import decode_text

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".parquet")


def is_table(path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def read_table(path) -> pd.DataFrame:
    """A table of units; CSV in UTF-8 (with or without BOM) or GB18030, XLSX (first sheet) or Parquet."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            import io

            text, _ = decode_text(path.read_bytes())
            return pd.read_csv(io.StringIO(text), sep="\t" if suffix == ".tsv" else ",", dtype=str, keep_default_na=False)
        if suffix == ".xlsx":
            return pd.read_excel(path, dtype=str, keep_default_na=False)
        if suffix == ".parquet":
            return pd.read_parquet(path)
    except (ValueError, OSError, pd.errors.ParserError) as error:
        raise InputError(f"{path}: cannot read the table ({error})") from error
    raise InputError(f"{path}: not a table; use .csv, .tsv, .xlsx or .parquet")


def require_columns(frame: pd.DataFrame, path, *columns: str | None) -> None:
    for column in columns:
        if column is not None and column not in frame.columns:
            raise InputError(f"{path}: no column '{column}'; the columns are: {', '.join(map(str, frame.columns))}")
