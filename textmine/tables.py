"""Reading and coding users' own tables of units (CSV, XLSX, Parquet).

``code_table`` keeps the input columns and rows in order and adds one
``<scheme>_<CODE>`` column per code holding the number of hits.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.batch import HIT_COLUMNS, coded_unit_row, hit_row
from textmine.errors import InputError
from textmine.extract.text import decode_text
from textmine.langid import detect_lang
from textmine.types import Unit

HIT_CONTEXT = 40
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


def detect_langs(texts: Sequence[str]) -> list[str]:
    """Language per text; texts too short to tell get the table's most common language."""
    langs = [detect_lang(text) for text in texts]
    common = Counter(lang for lang in langs if lang).most_common(1)
    fallback = common[0][0] if common else "en"
    return [lang or fallback for lang in langs]


def table_units(frame: pd.DataFrame, text_column: str, id_column: str | None = None, lang_column: str | None = None,
                doc_id: str = "", doc_column: str | None = None) -> list[Unit]:
    """The rows of a table as Units: ids from ``id_column`` (else row numbers from 1), languages from
    ``lang_column`` (else detected per row), documents from ``doc_column`` (else ``doc_id``)."""
    texts = frame[text_column].fillna("").astype(str).tolist()
    langs = frame[lang_column].fillna("").astype(str).tolist() if lang_column else detect_langs(texts)
    ids = frame[id_column].astype(str).tolist() if id_column else [str(i + 1) for i in range(len(frame))]
    docs = frame[doc_column].astype(str).tolist() if doc_column else [doc_id] * len(frame)
    return [Unit(d, unit_id, text, None, (), lang) for d, unit_id, text, lang in zip(docs, ids, texts, langs)]


def code_table(frame: pd.DataFrame, coder, text_column: str, id_column: str | None = None, lang_column: str | None = None):
    """(coded frame, hits frame): the input with the coder's columns appended, and one row per hit.

    Code columns hold the number of hits per row; rows keep their order.
    """
    columns = [*coder.code_columns, *coder.score_columns]
    existing = [c for c in columns if c in frame.columns]
    if existing:
        raise InputError(f"the table already has code columns ({', '.join(existing[:3])} …); rename them first")
    units = table_units(frame, text_column, id_column, lang_column)
    values = {column: [] for column in columns}
    hits = []
    for unit, codes, scores in coder.code(units):
        row = coded_unit_row(unit, codes, {}, columns, scores)
        for column in columns:
            values[column].append(row[column])
        hits.extend(hit_row(unit, code, HIT_CONTEXT) for code in codes)
    coded = frame.copy()
    for column in columns:
        coded[column] = values[column]
    hits_frame = pd.DataFrame(hits, columns=list(HIT_COLUMNS)).drop(columns=["doc_id"])
    return coded, hits_frame
