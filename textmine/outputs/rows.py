"""The row formats of the coded dataset: coded_units.csv, hits.csv, documents.csv, failures.csv and warnings.csv."""

from __future__ import annotations

import math
from typing import Sequence

from textmine.coding.lexicon import code_column
from textmine.core.failures import display_path
from textmine.core.names import safe_cell
from textmine.core.types import Code, Unit

UNIT_COLUMNS = ("doc_id", "unit_id", "page", "section", "lang")
HIT_COLUMNS = ("doc_id", "unit_id", "page", "scheme", "code", "source", "term", "match", "score", "start", "end", "left", "right")
DOCUMENT_COLUMNS = ("doc_id", "file", "kind", "lang", "pages", "title", "units", "chars", "chars_in_units", "chars_furniture",
                    "coverage", "warnings", "sha256")
FAILURE_COLUMNS = ("file", "stage", "reason")
WARNING_COLUMNS = ("file", "doc_id", "coverage", "reason")
# the columns holding numbers (the others hold text), so that report.xlsx types cells by column, never by guessing
HIT_NUMBERS = ("page", "score", "start", "end")
DOCUMENT_NUMBERS = ("pages", "units", "chars", "chars_in_units", "chars_furniture", "coverage")
WARNING_NUMBERS = ("coverage",)


def coded_unit_row(unit: Unit, codes: Sequence[Code], metadata: dict, columns: Sequence[str], scores=None) -> dict:
    """A row of coded_units.csv: unit fields, metadata, text, hit count per code column (and scores)."""
    counts = dict.fromkeys(columns, 0)
    for code in codes:
        counts[code_column(code.scheme, code.code)] += 1
    counts.update(scores or {})
    return {
        "doc_id": unit.doc_id,
        "unit_id": unit.unit_id,
        "page": unit.page,
        "section": " > ".join(unit.section),
        "lang": unit.lang,
        **metadata,
        "text": unit.text,
        **counts,
    }


def hit_row(unit: Unit, code: Code, context: int) -> dict:
    text = unit.text
    return {
        "doc_id": code.doc_id,
        "unit_id": code.unit_id,
        "page": code.page,
        "scheme": code.scheme,
        "code": code.code,
        "source": code.source,
        "term": code.term,
        "match": text[code.start : code.end] if code.start >= 0 else "",
        "score": code.score,
        "start": code.start if code.start >= 0 else None,
        "end": code.end if code.end >= 0 else None,
        "left": text[max(0, code.start - context) : code.start].replace("\n", " ") if code.start >= 0 else "",
        "right": text[code.end : code.end + context].replace("\n", " ") if code.end >= 0 else "",
    }


def failure_row(path, stage: str, reason: str) -> dict:
    """A row of failures.csv (``core.failures`` makes them from errors)."""
    return {"file": path if isinstance(path, str) else display_path(path), "stage": stage, "reason": reason}


class CodedCells:
    """The cells of coded_units.csv and hits.csv rows as lists in column order, text made spreadsheet-safe: what
    ``CsvWriter.write`` makes of ``coded_unit_row`` and ``hit_row``, without a dict per row (a run writes millions)."""

    def __init__(self, meta_columns: Sequence[str], code_columns: Sequence[str], score_columns: Sequence[str], context: int):
        self.meta_columns = list(meta_columns)
        self.code_columns = list(code_columns)
        self.score_columns = list(score_columns)
        self.context = context
        self._index: dict[tuple[str, str], int] = {}
        self._ids: tuple = (None, [])  # (doc_id, unit_id) of the last hit, and their cells
        self._fixed: dict[tuple, list] = {}  # cells of scheme, code, source and term
        self._text: set[str] = {"file"}  # metadata columns holding text (the others hold numbers or nothing)

    def metadata(self, metadata: dict) -> list:
        """The cells of the metadata columns of one document's units."""
        values = [metadata.get(column) for column in self.meta_columns]
        for column, value in zip(self.meta_columns, values):
            if column not in self._text and not _number_or_empty(value):
                self._text.add(column)
        return [cell(value) for value in values]

    def numbers(self) -> list[str]:
        """The columns of coded_units.csv holding numbers: page, the metadata columns whose every value so far is a
        number (year …), the code and score columns."""
        return ["page", *(c for c in self.meta_columns if c not in self._text), *self.code_columns, *self.score_columns]

    def counts(self, codes: Sequence[Code]) -> list[int]:
        """Hits per code column."""
        counts = [0] * len(self.code_columns)
        for code in codes:
            key = (code.scheme, code.code)
            index = self._index.get(key)
            if index is None:
                index = self._index[key] = self.code_columns.index(code_column(*key))
            counts[index] += 1
        return counts

    def unit(self, unit: Unit, meta: list, counts: list[int], scores=None) -> list:
        scored = [cell(scores.get(c, 0)) for c in self.score_columns] if scores else [0] * len(self.score_columns)
        return [safe_cell(unit.doc_id), safe_cell(unit.unit_id), unit.page, safe_cell(" > ".join(unit.section)),
                safe_cell(unit.lang), *meta, safe_cell(unit.text), *counts, *scored]

    def hit(self, unit: Unit, code: Code) -> list:
        text, start, end, context = unit.text, code.start, code.end, self.context
        found = start >= 0
        ids = (code.doc_id, code.unit_id)
        if self._ids[0] != ids:  # the hits of a unit come together
            self._ids = (ids, [safe_cell(code.doc_id), safe_cell(code.unit_id)])
        what = (code.scheme, code.code, code.source, code.term)
        fixed = self._fixed.get(what)
        if fixed is None:
            fixed = self._fixed[what] = [safe_cell(value) for value in what]
        return [*self._ids[1], code.page, *fixed, safe_cell(text[start:end]) if found else "", cell(code.score),
                start if found else None, end if end >= 0 else None,
                safe_cell(text[max(0, start - context) : start].replace("\n", " ")) if found else "",
                safe_cell(text[end : end + context].replace("\n", " ")) if end >= 0 else ""]


def cell(value):
    """A CSV cell: empty for None and NaN, spreadsheet-safe text, anything else as it is."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return safe_cell(value)


def _number_or_empty(value) -> bool:
    """None, "", a finite number, or text that reads as one (not an id such as "0012")."""
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    from textmine.core.export import as_number  # pandas: only when `run` writes rows, never for `tag`

    return isinstance(value, str) and as_number(value) is not None
