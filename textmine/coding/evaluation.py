"""Scores of out-of-fold codings by language, with 95% intervals by bootstrap over documents.

Units of one document share vocabulary and coding habits, so they are not
independent draws: the interval resamples *documents* with replacement
(``RESAMPLES`` times, fixed seed), pools the units of the drawn documents
(a document drawn twice counts twice), and recomputes micro-F1 and mean
Cohen's kappa over the codes; the 2.5th and 97.5th percentiles bound the
interval. Per language, the documents resampled are those with units in that
language. The scores follow ``textmine.coding.reliability``: a code neither coding
assigns is left out of mean kappa, and kappa is 1 when both codings are the
same constant.

Instrument sub-codes (``SUP.TAL``) are also scored as their types (``SUP``):
a unit carries a type when it carries any of its sub-codes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Sequence

import numpy as np

from textmine.coding.lexicon import code_group
from textmine.coding.reliability import MultiLabelReport, matrix_report

RESAMPLES = 1000
LEVEL = 0.95


@dataclass(frozen=True)
class Interval:
    low: float
    high: float

    def __str__(self) -> str:
        return f"[{self.low:.2f}, {self.high:.2f}]"


@dataclass(frozen=True)
class Scored:
    """One mode in one language: the report and the intervals of micro-F1 and mean kappa."""

    report: MultiLabelReport
    documents: int
    micro_f1: Interval
    kappa: Interval


def document_counts(gold: np.ndarray, decided: np.ndarray, groups: Sequence[str]) -> np.ndarray:
    """Confusion counts per document and code: documents x codes x (tp, fp, fn, tn), documents in sorted order."""
    gold, decided = np.asarray(gold, dtype=bool), np.asarray(decided, dtype=bool)
    names, member = np.unique(np.asarray(groups, dtype=str), return_inverse=True)
    cells = np.stack([gold & decided, ~gold & decided, gold & ~decided, ~gold & ~decided], axis=-1).astype(np.int64)
    counts = np.zeros((len(names), gold.shape[1], 4), dtype=np.int64)
    np.add.at(counts, member, cells)
    return counts


def scores(counts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Micro-F1 and mean kappa of pooled counts (... x codes x 4), as ``multilabel_report`` computes them."""
    counts = counts.astype(float)
    tp, fp, fn, tn = (counts[..., i] for i in range(4))
    errors = tp.sum(-1) * 2 + fp.sum(-1) + fn.sum(-1)
    micro = np.where(errors > 0, 2 * tp.sum(-1) / np.where(errors > 0, errors, 1), 1.0)
    n = tp + fp + fn + tn
    safe_n = np.where(n > 0, n, 1)
    observed = (tp + tn) / safe_n
    expected = ((tp + fp) * (tp + fn) + (fn + tn) * (fp + tn)) / safe_n**2
    with np.errstate(divide="ignore", invalid="ignore"):
        kappa = np.where(np.isclose(expected, 1.0), 1.0, (observed - expected) / (1 - expected))
    active = (tp + fp + fn) > 0  # vacuous codes are left out of the mean
    count = active.sum(-1)
    mean_kappa = np.where(count > 0, np.where(active, kappa, 0).sum(-1) / np.where(count > 0, count, 1), 1.0)
    return micro, mean_kappa


def bootstrap(counts: np.ndarray, resamples: int = RESAMPLES, seed: int = 0, level: float = LEVEL) -> tuple[Interval, Interval]:
    """Percentile intervals of micro-F1 and mean kappa over ``resamples`` draws of documents with replacement."""
    documents = counts.shape[0]
    rng = np.random.default_rng(seed)
    draws = rng.integers(0, documents, size=(resamples, documents))
    weights = np.zeros((resamples, documents))
    np.add.at(weights, (np.arange(resamples)[:, None], draws), 1.0)
    pooled = np.einsum("bd,dck->bck", weights, counts)
    micro, kappa = scores(pooled)
    tail = 100 * (1 - level) / 2
    bounds = lambda values: Interval(*(float(v) for v in np.percentile(values, [tail, 100 - tail])))  # noqa: E731
    return bounds(micro), bounds(kappa)


def score_by_language(gold: np.ndarray, decided: Mapping[str, np.ndarray], codes: Sequence[str], langs: Sequence[str],
                      groups: Sequence[str], resamples: int = RESAMPLES, seed: int = 0) -> dict[str, dict[str, Scored]]:
    """mode -> language (each, then "all") -> scores with intervals, of out-of-fold codings ``decided``."""
    unit_langs, unit_groups = np.asarray(langs, dtype=str), np.asarray(groups, dtype=str)
    subsets = {lang: unit_langs == lang for lang in sorted(set(unit_langs.tolist()))} | {"all": np.ones(len(unit_langs), dtype=bool)}
    result: dict[str, dict[str, Scored]] = {}
    for mode, matrix in decided.items():
        result[mode] = {}
        for lang, mask in subsets.items():
            counts = document_counts(gold[mask], matrix[mask], unit_groups[mask])
            micro, kappa = bootstrap(counts, resamples, seed)
            result[mode][lang] = Scored(matrix_report(gold[mask], matrix[mask], codes), counts.shape[0], micro, kappa)
    return result


def type_view(matrix: np.ndarray, codes: Sequence[str]) -> tuple[np.ndarray, list[str]]:
    """Sub-code columns (SUP.TAL, SUP.FUND …) collapsed into their types (SUP): a type when any sub-code."""
    types = list(dict.fromkeys(code_group(code) for code in codes))
    columns = np.array([[code_group(code) == t for t in types] for code in codes], dtype=np.int64)
    return (np.asarray(matrix, dtype=np.int64) @ columns > 0).astype(np.int8), types


def has_types(codes: Sequence[str]) -> bool:
    return any("." in code for code in codes)
