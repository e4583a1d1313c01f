"""A coded table (``coded_units.csv`` of `run`, or the output of `tag`): its code columns, read in chunks.

Code columns are named ``<scheme>_<CODE>`` (scheme: letters and digits; dots of
codes written as underscores) and hold hit counts. The rule that finds them:

1. when ``run.json`` lies beside the file and lists lexicons, every column
   named ``<scheme>_…`` for one of those schemes;
2. otherwise every column named ``<scheme>_<CODE>`` whose values are whole
   numbers >= 0 (read from the first rows);

in both cases without ``…_p`` columns (model probabilities). Codes and their
names come from the lexicon of each scheme: the files run.json names, else the
shipped lexicons; a column of an unknown scheme keeps its suffix as code.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from textmine.core.errors import InputError, TextmineError
from textmine.coding.lexicon import Lexicon, SchemeRoles, code_group, load_lexicons, read_lexicon, scheme_roles
from textmine.inputs.tables import is_table, iter_chunks, read_header

CODE_COLUMN = re.compile(r"^([A-Za-z][A-Za-z0-9]*)_([A-Za-z][A-Za-z0-9_]*)$")
PROBABILITY_SUFFIX = "_p"
UNIT_FIELDS = ("doc_id", "unit_id", "page", "section", "lang", "file", "text")
SAMPLE_ROWS = 2000
HOW_TO_MAKE = (
    "code columns are named <scheme>_<CODE> (pentagon_NET, instrument_SUP_TECH) and written by "
    "`textmine run DOCS --out DIR` (DIR/coded_units.csv) or `textmine tag TABLE --out coded.csv`"
)


@dataclass(frozen=True)
class CodeInfo:
    """One code column: its scheme, code (with dots), names per language, and its type's names."""

    column: str
    scheme: str
    code: str
    names: Mapping[str, str] = field(default_factory=dict)
    group_names: Mapping[str, str] = field(default_factory=dict)

    @property
    def group(self) -> str:
        return code_group(self.code)

    def name(self, lang: str = "en") -> str:
        return self.names.get(lang, "")


def code_infos(lexicons: Sequence[Lexicon]) -> list[CodeInfo]:
    """Every code of ``lexicons`` as a CodeInfo."""
    infos = []
    for lexicon in lexicons:
        for category in lexicon.categories:
            group = lexicon.groups.get(code_group(category.code), {})
            infos.append(CodeInfo(lexicon.column(category.code), lexicon.scheme, category.code, dict(category.names), dict(group)))
    return infos


def by_scheme(codes: Sequence[CodeInfo]) -> dict[str, list[CodeInfo]]:
    """Codes grouped by scheme, in order."""
    found: dict[str, list[CodeInfo]] = {}
    for info in codes:
        found.setdefault(info.scheme, []).append(info)
    return found


@dataclass(frozen=True)
class CodedTable:
    path: Path
    columns: tuple[str, ...]
    codes: tuple[CodeInfo, ...]
    provenance: dict  # run.json beside the file, or {}
    roles: SchemeRoles = SchemeRoles()  # declared by the lexicons of its schemes

    @property
    def schemes(self) -> dict[str, list[CodeInfo]]:
        return by_scheme(self.codes)

    @property
    def grouping_columns(self) -> list[str]:
        """Columns a user may group by: everything but code, probability and text columns."""
        codes = {info.column for info in self.codes}
        return [c for c in self.columns if c not in codes and c != "text" and not c.endswith(PROBABILITY_SUFFIX)]

    def require(self, columns: Sequence[str]) -> None:
        missing = [c for c in columns if c not in self.columns]
        if missing:
            raise InputError(
                f"{self.path}: no column '{missing[0]}' to group by; the columns are: {', '.join(self.grouping_columns)}"
            )


def open_coded(path, schemes: Sequence[str] = (), lexicons: Sequence[Lexicon] = ()) -> CodedTable:
    """Read the header of a coded table and find its code columns (only those of ``schemes`` when given)."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    if not is_table(path):
        raise InputError(f"{path}: not a coded table; use the coded_units.csv of `textmine run` (or .xlsx, .parquet)")
    header = read_header(path)
    provenance = _run_json(path)
    listed = [entry.get("scheme") for entry in provenance.get("lexicons", [])]
    columns = _code_columns(path, header, listed)
    if schemes:
        available = sorted({_scheme_of(c) for c in columns})
        columns = [c for c in columns if _scheme_of(c) in schemes]
        if not columns:
            raise InputError(f"{path}: no code columns of scheme {', '.join(schemes)}; the schemes are: {', '.join(available) or 'none'}")
    if not columns:
        raise InputError(f"{path}: no code columns; {HOW_TO_MAKE}")
    known = _lexicons_by_scheme(provenance, lexicons)
    codes = tuple(_info(c, known) for c in columns)
    roles = scheme_roles(list(known.values()), present={info.scheme for info in codes})
    return CodedTable(path, tuple(header), codes, provenance, roles)


def _run_json(path: Path) -> dict:
    beside = path.with_name("run.json")
    try:
        info = json.loads(beside.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return info if isinstance(info, dict) else {}


def _code_columns(path: Path, header: Sequence[str], listed: Sequence[str]) -> list[str]:
    named = [c for c in header if CODE_COLUMN.match(c) and not c.endswith(PROBABILITY_SUFFIX) and c not in UNIT_FIELDS]
    if listed:
        return [c for c in named if _scheme_of(c) in listed]
    if not named:
        return []
    sample = next(iter_chunks(path, named, chunksize=SAMPLE_ROWS, numeric=()))
    return [c for c in named if _whole_numbers(sample[c])]


def _whole_numbers(values: pd.Series) -> bool:
    numbers = pd.to_numeric(values.replace("", np.nan), errors="coerce")
    if numbers.isna().any() and values.replace("", np.nan).notna()[numbers.isna()].any():
        return False
    numbers = numbers.dropna()
    return bool(((numbers >= 0) & (numbers == np.floor(numbers))).all())


def _logged_lexicon(entry: dict) -> Lexicon | None:
    """The lexicon a run.json entry names, with the extensions it names merged (None when a file is gone or invalid)."""
    if not entry.get("path"):
        return None
    extensions = [e.get("path", "") for e in entry.get("extended_by", [])]
    if not extensions:
        return read_lexicon(entry["path"])[0]
    try:
        return next(iter(load_lexicons([entry["path"], *extensions])), None)
    except TextmineError:
        return None


def _lexicons_by_scheme(provenance: dict, given: Sequence[Lexicon]) -> dict[str, Lexicon]:
    known: dict[str, Lexicon] = {}
    for entry in provenance.get("lexicons", []):
        lexicon = _logged_lexicon(entry)
        if lexicon is not None:
            known.setdefault(lexicon.scheme, lexicon)
    for lexicon in [*given, *load_lexicons()]:
        known.setdefault(lexicon.scheme, lexicon)
    return known


def _scheme_of(column: str) -> str:
    """The scheme of a code column (one that CODE_COLUMN matches)."""
    return column.split("_", 1)[0]


def _info(column: str, known: Mapping[str, Lexicon]) -> CodeInfo:
    scheme, suffix = column.split("_", 1)
    lexicon = known.get(scheme)
    if lexicon is not None:
        for info in code_infos([lexicon]):
            if info.column == column:
                return info
    return CodeInfo(column, scheme, suffix)
