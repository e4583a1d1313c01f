"""Names that come from users and end up in outputs: column names and parts of file names.

Column names come from metadata.csv headers, .jsonl keys and the tables given to `tag`; group
names from ``--by``. ``column_names`` makes the header of every table textmine writes safe in a
spreadsheet (no formula, no line break); ``file_part`` makes a name safe inside a file name (no
folder, no ``..``). Metadata may not use the names of the columns textmine writes itself
(``RESERVED_COLUMNS``): metadata.csv is refused, .jsonl fields get the prefix ``meta_``.
"""

from __future__ import annotations

import math
import re
from typing import Iterable

from textmine.core.errors import InputError

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
RESERVED_COLUMNS = (
    "doc_id", "unit_id", "page", "section", "lang", "file", "text", "record", "sha256",  # coded_units.csv, documents.csv
    "n_documents", "n_units", "n_coded_units", "size", "size_unit", "measure", "total", "note",  # matrices, emphasis_*.csv
)
RECORD_PREFIX = "meta_"
FILE_PART_CHARS = 60


def safe_cell(value):
    """The value, with a leading apostrophe if it is text that would run as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def as_number(text: str):
    """Numbers written by our CSVs come back as numbers; ids such as '0012' or '3-2-4' stay text."""
    if not text or len(text) > 20 or (text[0] == "0" and len(text) > 1 and text[1] != "."):
        return None
    try:
        number = float(text) if any(c in text for c in ".eE") else int(text)
    except ValueError:
        return None
    return number if math.isfinite(number) else None


def column_name(name) -> str:
    """A header cell: control characters (line breaks, tabs) become spaces, formulas get a leading apostrophe."""
    return safe_cell(re.sub(r"[\x00-\x1f\x7f]+", " ", str(name)).strip()) or "column"


def column_names(names: Iterable) -> list[str]:
    """``column_name`` of every name, kept unique (``name_2`` … where two become equal)."""
    return unique_names(column_name(name) for name in names)


def unique_names(names: Iterable[str], width: int | None = None) -> list[str]:
    """``names`` with a suffix ``_2``, ``_3`` … on each repeat; with ``width``, the base is cut so the result fits."""
    result, seen = [], set()
    for base in names:
        name, k = base, 1
        while name in seen:
            k += 1
            suffix = f"_{k}"
            name = (base[: width - len(suffix)] if width else base) + suffix
        seen.add(name)
        result.append(name)
    return result


def file_part(name) -> str:
    """``name`` as part of a file name: letters (any script), digits, ``-`` and ``_`` only; never empty."""
    return re.sub(r"[^\w-]+", "_", str(name)).strip("_")[:FILE_PART_CHARS] or "x"


def reserved(name: str, code_columns: Iterable[str] = ()) -> bool:
    return name in RESERVED_COLUMNS or name in set(code_columns) or any(c in name for c in "#&")


def check_metadata_columns(path, names: Iterable[str], code_columns: Iterable[str] = ()) -> None:
    """Refuse a metadata.csv whose columns would overwrite columns textmine writes (InputError, exit 2)."""
    clashes = [name for name in names if reserved(name, code_columns)]
    if clashes:
        raise InputError(
            f"{path}: column '{clashes[0]}' is reserved (textmine writes it, or it holds # or &); "
            f"rename it, e.g. to '{RECORD_PREFIX}{file_part(clashes[0])}'"
        )


def record_field(name: str, code_columns: Iterable[str] = ()) -> str:
    """A .jsonl field as a metadata column: reserved names get the prefix ``meta_``, # and & become _."""
    name = re.sub("[#&]", "_", name)
    return f"{RECORD_PREFIX}{name}" if reserved(name, code_columns) else name
