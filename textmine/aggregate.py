"""Coded units -> policy-emphasis matrices and instrument x pentagon cross-tables.

Works on chunks of a coded-units table (as written to ``coded_units.csv``), so
that a corpus of any size aggregates in bounded memory. Code columns hold hit
counts; a unit *carries* a code when its count is above zero.

Measures (one row per group and measure in emphasis tables):

* ``units``  — number of units carrying the code;
* ``share``  — units carrying the code / all units of the group;
* ``hits``   — number of lexicon (or model) hits;
* ``per10k`` — hits per 10,000 characters (Chinese and Japanese documents) or
  words (other languages). A group mixing character- and word-measured
  documents gets no per10k value (``size_unit`` says ``mixed``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Iterable, Sequence

import numpy as np
import pandas as pd

from textmine.langid import uses_characters

MEASURES = ("units", "share", "hits", "per10k")
_WORD = re.compile(r"[^\W_]+(?:[-'’][^\W_]+)*")
_SPACE = re.compile(r"\s")


def unit_sizes(text: pd.Series, lang: pd.Series) -> pd.DataFrame:
    """Characters (non-space), words, and whether the unit is measured in characters."""
    text = text.fillna("").astype(str)
    chars = text.str.len() - text.str.count(_SPACE.pattern)
    words = text.str.count(_WORD.pattern)
    by_chars = lang.fillna("").astype(str).map(uses_characters)
    return pd.DataFrame({"chars": chars, "words": words, "by_chars": by_chars})


@dataclass
class EmphasisAccumulator:
    """Sums what emphasis tables need, chunk by chunk, per document."""

    code_columns: Sequence[str]
    carry: Sequence[str] = ()  # document-level columns kept with the first value seen (metadata)
    _docs: dict = field(default_factory=dict)
    _order: list = field(default_factory=list)

    def add(self, chunk: pd.DataFrame) -> None:
        sizes = unit_sizes(chunk["text"], chunk["lang"])
        counts = chunk[list(self.code_columns)].fillna(0).astype(np.int64)
        frame = pd.concat(
            [
                chunk[["doc_id"]].reset_index(drop=True),
                sizes.reset_index(drop=True),
                counts.reset_index(drop=True).add_suffix("#hits"),
                (counts > 0).astype(np.int64).reset_index(drop=True).add_suffix("#units"),
            ],
            axis=1,
        )
        frame["cjk_chars"] = frame["chars"].where(frame["by_chars"], 0)
        frame["other_chars"] = frame["chars"].where(~frame["by_chars"], 0)
        frame["n_units"] = 1
        sums = frame.drop(columns=["by_chars"]).groupby("doc_id", sort=False).sum()
        first = chunk.groupby("doc_id", sort=False)[list(self.carry)].first() if self.carry else None
        for doc_id, row in sums.iterrows():
            if doc_id in self._docs:
                self._docs[doc_id]["sums"] += row.to_numpy()
            else:
                carry = first.loc[doc_id].to_dict() if first is not None else {}
                self._docs[doc_id] = {"sums": row.to_numpy().astype(np.float64), "carry": carry}
                self._order.append(doc_id)
        self._columns = list(sums.columns)

    def documents(self) -> pd.DataFrame:
        """One row per document: carried columns, sizes, and hits/units per code."""
        if not self._docs:
            return pd.DataFrame(columns=["doc_id", *self.carry, "n_units", "size", "size_unit"])
        rows = []
        for doc_id in self._order:
            entry = self._docs[doc_id]
            sums = dict(zip(self._columns, entry["sums"]))
            by_chars = sums["cjk_chars"] >= sums["other_chars"]
            rows.append(
                {
                    "doc_id": doc_id,
                    **entry["carry"],
                    "n_units": int(sums["n_units"]),
                    "size": int(sums["chars"] if by_chars else sums["words"]),
                    "size_unit": "characters" if by_chars else "words",
                    **{k: int(v) for k, v in sums.items() if "#" in k},
                }
            )
        return pd.DataFrame(rows)


def emphasis_table(documents: pd.DataFrame, code_columns: Sequence[str], by: Sequence[str] = ("doc_id",)) -> pd.DataFrame:
    """Groups x codes in long-by-measure form: group columns, n_documents, n_units, size, size_unit, measure, codes."""
    by = list(by)
    groups = documents.groupby(by, sort=False, dropna=False)
    rows = []
    for key, group in groups:
        key = key if isinstance(key, tuple) else (key,)
        units = group["n_units"].sum()
        size_units = set(group["size_unit"])
        size_unit = size_units.pop() if len(size_units) == 1 else "mixed"
        size = group["size"].sum() if size_unit != "mixed" else np.nan
        base = {**dict(zip(by, key)), "n_documents": len(group), "n_units": int(units), "size": size, "size_unit": size_unit}
        hits = {c: group[f"{c}#hits"].sum() for c in code_columns}
        carrying = {c: group[f"{c}#units"].sum() for c in code_columns}
        per_measure = {
            "units": {c: int(carrying[c]) for c in code_columns},
            "share": {c: _ratio(carrying[c], units) for c in code_columns},
            "hits": {c: int(hits[c]) for c in code_columns},
            "per10k": {c: _ratio(hits[c] * 10_000, size) for c in code_columns},
        }
        for measure in MEASURES:
            rows.append({**base, "measure": measure, **per_measure[measure]})
    return pd.DataFrame(rows, columns=[*by, "n_documents", "n_units", "size", "size_unit", "measure", *code_columns])


def _ratio(numerator, denominator) -> float:
    if not denominator or (isinstance(denominator, float) and np.isnan(denominator)):
        return np.nan
    return round(float(numerator) / float(denominator), 6)


@dataclass
class CrosstabAccumulator:
    """Counts units carrying both a row code and a column code (e.g. instrument x pentagon).

    Row codes with a dot (SUP.TAL) also count toward their type (SUP): a unit
    carrying SUP.TAL and SUP.FUND counts once for SUP.
    """

    row_columns: dict[str, str]  # code -> column
    col_columns: dict[str, str]
    _both: np.ndarray = None
    _rows_total: np.ndarray = None

    def __post_init__(self):
        self.row_labels = _with_types(list(self.row_columns))
        self._both = np.zeros((len(self.row_labels), len(self.col_columns) + 1), dtype=np.int64)

    def add(self, chunk: pd.DataFrame) -> None:
        rows = self._row_presence(chunk)
        cols = (chunk[list(self.col_columns.values())].fillna(0).to_numpy() > 0).astype(np.int64)
        cols = np.hstack([cols, np.ones((len(chunk), 1), dtype=np.int64)])  # last column: all units
        self._both += rows.T @ cols

    def _row_presence(self, chunk: pd.DataFrame) -> np.ndarray:
        presence = {code: chunk[column].fillna(0).to_numpy() > 0 for code, column in self.row_columns.items()}
        matrix = []
        for label, kind in self.row_labels:
            if kind == "type":
                members = [presence[c] for c in self.row_columns if c.split(".", 1)[0] == label]
                matrix.append(np.logical_or.reduce(members))
            else:
                matrix.append(presence[label])
        return np.array(matrix, dtype=np.int64).T

    def table(self, row_name: str = "instrument", total_name: str = "units") -> pd.DataFrame:
        frame = pd.DataFrame(self._both, columns=[*self.col_columns.values(), total_name])
        frame.insert(0, f"{row_name}_type", [label.split(".", 1)[0] for label, _ in self.row_labels])
        frame.insert(1, row_name, [label if kind == "code" else f"{label} (all)" for label, kind in self.row_labels])
        return frame


def _with_types(codes: list[str]) -> list[tuple[str, str]]:
    """Codes in order, each group's type row (SUP) before its sub-codes (SUP.TAL …)."""
    labels, seen = [], set()
    for code in codes:
        if "." in code:
            group = code.split(".", 1)[0]
            if group not in seen:
                seen.add(group)
                labels.append((group, "type"))
        labels.append((code, "code"))
    return labels


def read_chunks(path, columns: Iterable[str] | None = None, chunksize: int = 20_000):
    """Chunks of a coded-units CSV with the columns aggregation needs."""
    return pd.read_csv(
        path, encoding="utf-8-sig", usecols=list(columns) if columns else None, chunksize=chunksize,
        dtype={"doc_id": str, "unit_id": str, "text": str, "lang": str}, keep_default_na=False, na_values=[""],
    )
