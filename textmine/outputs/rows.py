"""The row formats of the coded dataset: coded_units.csv, hits.csv, documents.csv, failures.csv and warnings.csv."""

from __future__ import annotations

import math
from typing import Sequence

from textmine.coding.lexicon import code_column
from textmine.core.failures import display_path
from textmine.core.names import as_number
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


class UnitNumbers:
    """The columns of coded_units.csv holding numbers, so that report.xlsx types its cells by column: page, the code
    and score columns, and the metadata columns whose every value (``see`` the metadata of each document) is a number
    (year …) or empty."""

    def __init__(self, meta_columns: Sequence[str], value_columns: Sequence[str]):
        self.meta_columns, self.value_columns = list(meta_columns), list(value_columns)
        self._text = {"file"}

    def see(self, metadata: dict) -> None:
        for column in self.meta_columns:
            if column not in self._text and not _number_or_empty(metadata.get(column)):
                self._text.add(column)

    def columns(self) -> list[str]:
        return ["page", *(c for c in self.meta_columns if c not in self._text), *self.value_columns]


def _number_or_empty(value) -> bool:
    """None, "", a finite number, or text that reads as one (not an id such as "0012")."""
    if value is None or value == "":
        return True
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return math.isfinite(value)
    return isinstance(value, str) and as_number(value) is not None


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
