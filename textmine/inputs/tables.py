"""Reading users' own tables (CSV, TSV, XLSX, Parquet): whole (``read_table``), or header and chunks of large
coded tables (``read_header``, ``iter_chunks``)."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

from textmine.core.errors import InputError
from textmine.inputs.extract.text import decode_text

if TYPE_CHECKING:
    import pandas as pd  # imported where a table is read: deciding that a file is one needs no pandas

TABLE_SUFFIXES = (".csv", ".tsv", ".xlsx", ".parquet")


def is_table(path) -> bool:
    return Path(path).suffix.lower() in TABLE_SUFFIXES


def read_table(path) -> pd.DataFrame:
    """A table of units; CSV in UTF-8 (with or without BOM) or GB18030, XLSX (first sheet) or Parquet."""
    import pandas as pd

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


def read_header(path: Path) -> list[str]:
    """The column names of a table (CSV and TSV in UTF-8)."""
    import pandas as pd

    suffix = path.suffix.lower()
    try:
        if suffix in (".csv", ".tsv"):
            with open(path, encoding="utf-8-sig", newline="") as handle:
                return next(csv.reader(handle, delimiter="\t" if suffix == ".tsv" else ","), [])
        if suffix == ".parquet":
            import pyarrow.parquet as pq

            return list(pq.ParquetFile(path).schema_arrow.names)
        return [str(c) for c in pd.read_excel(path, nrows=0).columns]
    except UnicodeDecodeError as error:
        raise InputError(f"{path}: not UTF-8 text (byte {error.start}); save it as UTF-8 CSV") from error
    except (OSError, ValueError) as error:
        raise InputError(f"{path}: cannot read the table ({error})") from error


def iter_chunks(path, columns: Sequence[str], chunksize: int = 20_000, numeric: Sequence[str] | None = None) -> Iterator[pd.DataFrame]:
    """Chunks of a coded table with ``columns``; ``numeric`` columns (default: all but unit fields and text-like ones) as numbers.

    Other columns are read as text, so that ids such as 0012 and years stay as written.
    """
    import pandas as pd

    path = Path(path)
    suffix = path.suffix.lower()
    numeric = [c for c in (numeric if numeric is not None else []) if c in columns]
    if suffix in (".csv", ".tsv"):
        reader = pd.read_csv(
            path, sep="\t" if suffix == ".tsv" else ",", encoding="utf-8-sig", usecols=list(columns), chunksize=chunksize,
            dtype={c: str for c in columns if c not in numeric}, keep_default_na=False, na_values=[""],
        )
        yield from (_as_numbers(chunk, numeric) for chunk in reader)
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        for batch in pq.ParquetFile(path).iter_batches(batch_size=chunksize, columns=list(columns)):
            yield _as_text(_as_numbers(batch.to_pandas(), numeric), numeric)
    else:
        yield _as_text(_as_numbers(pd.read_excel(path, usecols=list(columns), dtype=str), numeric), numeric)


def _as_numbers(chunk: pd.DataFrame, numeric: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    for column in numeric:
        chunk[column] = pd.to_numeric(chunk[column], errors="coerce").fillna(0)
    return chunk


def _as_text(chunk: pd.DataFrame, numeric: Sequence[str]) -> pd.DataFrame:
    import pandas as pd

    for column in chunk.columns:
        if column not in numeric:
            chunk[column] = chunk[column].map(lambda v: v if v is None or isinstance(v, str) or pd.isna(v) else str(v))
    return chunk
