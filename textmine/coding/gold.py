"""Hand-coded units ("gold"), read from either form scholars have, with validation.

Two forms, one result (``Coding``):

* JSON lines (``.jsonl``/``.json``), one unit per line, as in
  ``../shared/gold/dev-units.jsonl``: ``text``, optional ``unit_id``, ``lang``,
  ``doc`` (and ``record``, the record of a JSON-lines source document) or
  ``doc_id``, and one list of codes per scheme under the scheme's name
  (``"pentagon": ["NET", "INN"]``);
* a spreadsheet (``.csv``, ``.tsv``, ``.xlsx``, ``.parquet``) with a ``text``
  column, optional ``unit_id``, ``lang`` and ``doc_id`` (or ``doc``/``record``)
  columns, and one column per code named ``<scheme>_<CODE>`` (dots as
  underscores) holding 1 when the unit carries the code and 0 or nothing when
  not. Whole numbers above 1 count as 1, so ``coded_units.csv`` written by
  `textmine run` reads as a coding too; ``…_p`` columns are ignored.

The document of a unit (``group``) keeps units of one document together in
cross-validation: ``doc`` plus ``record`` when there is a record (a JSON-lines
source holds many documents, one per record), else ``doc_id``/``doc``.

Every problem (invalid JSON, missing column, unknown code, a value that is not
0/1, duplicate unit ids) is collected with its line, row or column, and
reported in one ``InputError``.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import numpy as np
import pandas as pd

from textmine.inputs.corpus import file_sha256
from textmine.core.errors import InputError
from textmine.coding.lexicon import Lexicon
from textmine.inputs.tables import TABLE_SUFFIXES, read_table
from textmine.units.table_units import detect_langs

JSON_SUFFIXES = (".jsonl", ".json", ".ndjson")
SHOWN_PROBLEMS = 3


@dataclass(frozen=True)
class Coding:
    """Units with their codes per scheme, as one coder (a person, the lexicon, a model) coded them."""

    path: str
    sha256: str
    unit_ids: tuple[str, ...]
    texts: tuple[str, ...]
    langs: tuple[str, ...]
    groups: tuple[str, ...]  # the document of each unit; the unit id when the file names no document
    codes: Mapping[str, tuple[frozenset, ...]]  # scheme -> the codes of each unit
    grouping: str  # what ``groups`` come from: "doc+record", "doc_id", "doc" or "none"
    places: tuple[str, ...] = ()  # where each unit is in the file: "line 3" (JSON lines) or "row 4" (spreadsheets)
    spans: tuple[tuple, ...] = ()  # (start, end) character offsets of each unit in its document, (None, None) when not given

    def __len__(self) -> int:
        return len(self.unit_ids)

    @property
    def schemes(self) -> list[str]:
        return list(self.codes)

    def matrix(self, scheme: str, codes: Sequence[str]) -> np.ndarray:
        """0/1 matrix (units x codes) of ``scheme``."""
        return np.array([[code in unit for code in codes] for unit in self.codes[scheme]], dtype=np.int8).reshape(len(self), len(codes))

    def positives(self, scheme: str, codes: Sequence[str]) -> dict[str, int]:
        return dict(zip(codes, self.matrix(scheme, codes).sum(axis=0).tolist()))


class _Problems:
    """Problems found in one file; ``fail`` raises them as one InputError."""

    def __init__(self, path):
        self.path = str(path)
        self.items: list[str] = []

    def add(self, where: str, message: str) -> None:
        self.items.append(f"{where}: {message}" if where else message)

    def fail(self) -> None:
        if not self.items:
            return
        shown = "; ".join(self.items[:SHOWN_PROBLEMS])
        more = f" (and {len(self.items) - SHOWN_PROBLEMS} more problems)" if len(self.items) > SHOWN_PROBLEMS else ""
        raise InputError(f"{self.path}: {shown}{more}")


def read_coding(path, lexicons: Sequence[Lexicon], schemes: Sequence[str] | None = None) -> Coding:
    """Read a hand-coded file in either form; ``schemes`` must be in it (default: every lexicon scheme found).

    Raises InputError naming every problem (up to three in the message).
    """
    path = Path(path)
    if not path.is_file():
        raise InputError(f"file not found: {path}")
    known = {lexicon.scheme: lexicon for lexicon in lexicons}
    for scheme in schemes or ():
        if scheme not in known:
            raise InputError(f"unknown scheme '{scheme}'; the loaded lexicons define: {', '.join(known) or 'none'}")
    suffix = path.suffix.lower()
    if suffix in JSON_SUFFIXES:
        coding = _read_jsonl(path, known, schemes)
    elif suffix in TABLE_SUFFIXES:
        coding = _read_sheet(path, known, schemes)
    else:
        raise InputError(f"{path}: not a coded file; use JSON lines (.jsonl) or a spreadsheet (.csv, .xlsx)")
    if not coding.codes:
        expected = ", ".join(f"'{s}'" for s in (schemes or known))
        raise InputError(f"{path}: holds codes of no known scheme (looked for {expected})")
    return coding


def require_examples(coding: Coding, scheme: str, codes: Sequence[str], minimum: int) -> None:
    """Refuse to learn ``scheme`` when a code has fewer than ``minimum`` positive units, naming each."""
    counts = coding.positives(scheme, codes)
    few = [f"{code} has {n}" for code, n in counts.items() if n < minimum]
    if few:
        raise InputError(
            f"{coding.path}: too few examples of {scheme} codes (need at least {minimum} units each): {', '.join(few)}; "
            "hand-code more units carrying them (`textmine suggest` finds candidates) or lower --min-examples"
        )


# --- JSON lines ----------------------------------------------------------------------------


def _read_jsonl(path: Path, known: Mapping[str, Lexicon], schemes) -> Coding:
    problems = _Problems(path)
    records = []
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise InputError(f"{path}: cannot read as UTF-8 JSON lines ({error})") from error
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            problems.add(f"line {number}", f"not valid JSON ({error.msg})")
            continue
        if not isinstance(record, dict):
            problems.add(f"line {number}", "each line must be a JSON object")
            continue
        records.append((number, record))
    wanted = list(schemes) if schemes else [s for s in known if any(s in r for _, r in records)]
    rows = [_json_unit(number, record, known, wanted, problems) for number, record in records]
    ids = [row["unit_id"] for row in rows]
    _check_duplicates(ids, [f"line {n}" for n, _ in records], problems)
    if not records:
        problems.add("", "no units (the file is empty)")
    problems.fail()
    docs = [row["doc"] for row in rows]
    grouping = "doc+record" if any(row["record"] for row in rows) else ("doc" if any(docs) else "none")
    groups = [f"{row['doc']}#{row['record']}" if row["record"] else (row["doc"] or row["unit_id"]) for row in rows]
    return _coding(path, rows, groups, grouping, {s: [row["codes"][s] for row in rows] for s in wanted})


def _json_unit(number: int, record: dict, known, wanted, problems: _Problems) -> dict:
    where = f"line {number}"
    text = record.get("text")
    if not isinstance(text, str):
        problems.add(where, "no 'text' (the unit's text is required)")
    codes = {}
    for scheme in wanted:
        value = record.get(scheme)
        if not isinstance(value, list) or not all(isinstance(c, str) for c in value):
            problems.add(where, f"no '{scheme}' list of codes (write [] for a unit without {scheme} codes)")
            codes[scheme] = frozenset()
            continue
        twice = sorted({c for c in value if value.count(c) > 1})
        if twice:
            problems.add(where, f"unit '{record.get('unit_id', number)}' names {scheme} code {', '.join(map(repr, twice))} twice")
        unknown = [c for c in value if c not in known[scheme].codes]
        if unknown:
            problems.add(where, f"unknown {scheme} code {', '.join(map(repr, unknown))} (known: {', '.join(known[scheme].codes)})")
        codes[scheme] = frozenset(value)
    record_id = record.get("record")
    doc = record.get("doc", record.get("doc_id"))
    return {
        "unit_id": str(record.get("unit_id", number)),
        "text": text if isinstance(text, str) else "",
        "lang": str(record.get("lang") or ""),
        "doc": str(doc) if doc not in (None, "") else "",
        "record": str(record_id) if record_id not in (None, "") else "",
        "codes": codes,
        "place": where,
        "span": (record.get("start"), record.get("end")),
    }


# --- spreadsheets -----------------------------------------------------------------------------


def _read_sheet(path: Path, known: Mapping[str, Lexicon], schemes) -> Coding:
    frame = read_table(path)
    problems = _Problems(path)
    if "text" not in frame.columns:
        problems.add("", f"no column 'text'; the columns are: {', '.join(map(str, frame.columns))}")
        problems.fail()
    wanted = list(schemes) if schemes else [s for s in known if any(_scheme_columns(frame, s))]
    codes = {scheme: _sheet_codes(frame, known[scheme], problems) for scheme in wanted}
    ids = frame["unit_id"].astype(str).str.strip().tolist() if "unit_id" in frame else [str(i + 1) for i in range(len(frame))]
    if "unit_id" in frame:
        _check_duplicates(ids, [f"row {i + 2}" for i in range(len(frame))], problems)
    if not len(frame):
        problems.add("", "no units (the table has no rows)")
    problems.fail()
    groups, grouping = _sheet_groups(frame, ids)
    spans = list(zip(_column(frame, "start"), _column(frame, "end")))
    rows = [
        {"unit_id": unit_id, "text": text, "lang": lang, "place": f"row {i + 2}", "span": tuple(v or None for v in span)}
        for i, (unit_id, text, lang, span) in enumerate(zip(ids, _column(frame, "text"), _column(frame, "lang"), spans))
    ]
    return _coding(path, rows, groups, grouping, codes)


def _column(frame: pd.DataFrame, name: str) -> list[str]:
    if name not in frame:
        return [""] * len(frame)
    return ["" if pd.isna(v) else str(v) for v in frame[name].tolist()]


def _scheme_columns(frame: pd.DataFrame, scheme: str) -> list[str]:
    return [str(c) for c in frame.columns if str(c).startswith(f"{scheme}_") and not str(c).endswith("_p")]


def _sheet_codes(frame: pd.DataFrame, lexicon: Lexicon, problems: _Problems) -> list[frozenset]:
    columns = {lexicon.column(code): code for code in lexicon.codes}
    present = _scheme_columns(frame, lexicon.scheme)
    for column in present:
        if column not in columns:
            problems.add(f"column {column}", f"unknown {lexicon.scheme} code (known columns: {', '.join(columns)})")
    missing = [c for c in columns if c not in frame.columns]
    if missing:
        problems.add("", f"missing {lexicon.scheme} code columns {', '.join(missing)} (one 0/1 column per code)")
    per_unit: list[set] = [set() for _ in range(len(frame))]
    for column, code in columns.items():
        if column not in frame.columns:
            continue
        for row, value in enumerate(frame[column].tolist()):
            flag = _flag(value)
            if flag is None:
                problems.add(f"row {row + 2}, column {column}", f"{value!r} is not 0 or 1")
            elif flag:
                per_unit[row].add(code)
    return [frozenset(codes) for codes in per_unit]


def _flag(value) -> bool | None:
    """1/0 (or a whole-number count, or blank for 0) -> bool; anything else -> None."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    text = str(value).strip()
    if text == "":
        return False
    try:
        number = float(text)
    except ValueError:
        return None
    if number < 0 or number != int(number):
        return None
    return number > 0


def _sheet_groups(frame: pd.DataFrame, ids: list[str]) -> tuple[list[str], str]:
    if "doc" in frame and "record" in frame:
        return [f"{d}#{r}" if r else (d or u) for d, r, u in zip(_column(frame, "doc"), _column(frame, "record"), ids)], "doc+record"
    for name in ("doc_id", "doc"):
        if name in frame:
            return [d or u for d, u in zip(_column(frame, name), ids)], name
    return list(ids), "none"


# --- shared -------------------------------------------------------------------------------------


def _check_duplicates(ids: list[str], places: list[str], problems: _Problems) -> None:
    first: dict[str, str] = {}
    for unit_id, place in zip(ids, places):
        if unit_id in first:
            problems.add(place, f"duplicate unit_id '{unit_id}' (first on {first[unit_id]})")
        else:
            first[unit_id] = place


def _coding(path: Path, rows: list[dict], groups, grouping: str, codes: dict) -> Coding:
    texts = [row["text"] for row in rows]
    langs = [row["lang"] for row in rows]
    if not all(langs):
        detected = detect_langs(texts)
        langs = [lang or found for lang, found in zip(langs, detected)]
    sha256 = file_sha256(path)
    if sha256 is None:  # read a moment ago, but no longer a readable regular file
        raise InputError(f"{path}: cannot be read")
    return Coding(
        path=str(path),
        sha256=sha256,
        unit_ids=tuple(row["unit_id"] for row in rows),
        texts=tuple(texts),
        langs=tuple(langs),
        groups=tuple(groups),
        codes={scheme: tuple(values) for scheme, values in codes.items()},
        grouping=grouping,
        places=tuple(row["place"] for row in rows),
        spans=tuple(row["span"] for row in rows),
    )
