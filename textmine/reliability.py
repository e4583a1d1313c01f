"""Agreement statistics between two codings of the same units.

A *coding* assigns codes to units. Two codings are compared unit by unit: a
gold (hand) coding against a lexicon or model, or two human coders against
each other. For one code, each coding is a binary vector over the units
(1 = the unit carries the code); for several codes, each coding is a sequence
of code sets, one per unit, in the same unit order.

Functions:

* ``binary_agreement(gold, pred)`` -> ``BinaryAgreement``: precision, recall,
  F1, Cohen's kappa and the confusion counts for one code;
* ``cohen_kappa(a, b)``: Cohen's kappa of two binary codings;
* ``multilabel_report(gold, pred, codes)`` -> ``MultiLabelReport``: the above
  per code, plus micro-F1, macro-F1 and mean kappa over the codes.

Degenerate cases never raise and never divide by zero. The conventions:

* A code that neither coding ever assigns (``tp = fp = fn = 0``) is in
  *perfect agreement*: precision, recall, F1 and kappa are all 1.0, and the
  code is flagged ``vacuous``. Vacuous codes are left out of macro-F1 and mean
  kappa (they would inflate them); when every code is vacuous those averages
  are 1.0.
* Otherwise a 0/0 ratio is 0.0: precision of a coding that never assigns the
  code (but the other one does) is 0.0; recall when the gold coding never
  assigns it (but the prediction does) is 0.0. F1 is computed as
  ``2tp / (2tp + fp + fn)``, which is then 0.0 as well.
* Kappa is undefined when both codings are the same constant (expected
  agreement 1): this only happens when they agree on every unit, so 1.0 is
  returned. Two different constant codings give 0.0 (from the formula).
* No units at all: every code is vacuous.

The data shapes (units in a fixed order, one coding per coder) are the ones
Krippendorff's alpha will take as well, generalised to more than two coders
and missing values; it belongs in this module.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Sequence

import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix

__all__ = [
    "BinaryAgreement",
    "MultiLabelReport",
    "binary_agreement",
    "cohen_kappa",
    "multilabel_report",
]


@dataclass(frozen=True)
class BinaryAgreement:
    """Agreement of a predicted (or second) coding with a gold coding for one code."""

    tp: int
    fp: int
    fn: int
    tn: int
    precision: float
    recall: float
    f1: float
    kappa: float

    @property
    def support(self) -> int:
        """Units that carry the code in the gold coding."""
        return self.tp + self.fn

    @property
    def predicted(self) -> int:
        """Units that carry the code in the predicted coding."""
        return self.tp + self.fp

    @property
    def n(self) -> int:
        return self.tp + self.fp + self.fn + self.tn

    @property
    def vacuous(self) -> bool:
        """Neither coding assigns the code to any unit."""
        return self.tp + self.fp + self.fn == 0

    def as_dict(self) -> dict[str, float | int | bool]:
        return {
            "precision": self.precision,
            "recall": self.recall,
            "f1": self.f1,
            "kappa": self.kappa,
            "support": self.support,
            "predicted": self.predicted,
            "tp": self.tp,
            "fp": self.fp,
            "fn": self.fn,
            "tn": self.tn,
            "vacuous": self.vacuous,
        }


@dataclass(frozen=True)
class MultiLabelReport:
    """Per-code agreement and its summaries over several codes."""

    per_code: Mapping[str, BinaryAgreement]
    micro_precision: float
    micro_recall: float
    micro_f1: float
    macro_f1: float
    mean_kappa: float
    n_units: int
    averaged_codes: tuple[str, ...] = field(default=())  # the non-vacuous codes behind macro-F1 and mean kappa

    def as_dict(self) -> dict:
        return {
            "n_units": self.n_units,
            "micro_precision": self.micro_precision,
            "micro_recall": self.micro_recall,
            "micro_f1": self.micro_f1,
            "macro_f1": self.macro_f1,
            "mean_kappa": self.mean_kappa,
            "averaged_codes": list(self.averaged_codes),
            "per_code": {code: scores.as_dict() for code, scores in self.per_code.items()},
        }


def _binary_vector(values: Iterable) -> np.ndarray:
    """0/1 vector of one binary coding (truthy = code present)."""
    return np.asarray([bool(v) for v in values], dtype=int)


def _ratio(numerator: int, denominator: int) -> float:
    """numerator / denominator, with 0/0 read as 0.0 (see the module docstring)."""
    return numerator / denominator if denominator else 0.0


def cohen_kappa(a: Sequence, b: Sequence) -> float:
    """Cohen's kappa of two binary codings of the same units (truthy = code present).

    Returns 1.0 when both codings are the same constant (kappa is undefined
    there, but the codings agree on every unit) and for empty input.
    """
    x, y = _binary_vector(a), _binary_vector(b)
    if len(x) != len(y):
        raise ValueError(f"the two codings cover different numbers of units ({len(x)} and {len(y)})")
    if len(x) == 0 or (x.min() == x.max() == y.min() == y.max()):
        return 1.0
    return float(cohen_kappa_score(x, y, labels=[0, 1]))


def binary_agreement(gold: Sequence, pred: Sequence) -> BinaryAgreement:
    """Precision, recall, F1 and Cohen's kappa of ``pred`` against ``gold`` for one code.

    ``gold`` and ``pred`` are sequences of truthy/falsy values, one per unit,
    in the same order. See the module docstring for the degenerate cases.
    """
    y_true, y_pred = _binary_vector(gold), _binary_vector(pred)
    if len(y_true) != len(y_pred):
        raise ValueError(f"the two codings cover different numbers of units ({len(y_true)} and {len(y_pred)})")
    if len(y_true):
        tn, fp, fn, tp = (int(v) for v in confusion_matrix(y_true, y_pred, labels=[0, 1]).ravel())
    else:
        tn = fp = fn = tp = 0
    if tp + fp + fn == 0:
        return BinaryAgreement(tp, fp, fn, tn, 1.0, 1.0, 1.0, 1.0)
    return BinaryAgreement(
        tp=tp,
        fp=fp,
        fn=fn,
        tn=tn,
        precision=_ratio(tp, tp + fp),
        recall=_ratio(tp, tp + fn),
        f1=_ratio(2 * tp, 2 * tp + fp + fn),
        kappa=cohen_kappa(y_true, y_pred),
    )


def multilabel_report(
    gold: Sequence[Collection[str]],
    pred: Sequence[Collection[str]],
    codes: Sequence[str],
) -> MultiLabelReport:
    """Agreement over several codes: per code, micro-F1, macro-F1 and mean kappa.

    ``gold`` and ``pred`` hold one collection of codes per unit, in the same
    unit order; only ``codes`` are scored (others in the collections are
    ignored). Micro scores pool the confusion counts of all codes; macro-F1 and
    mean kappa average the per-code values over the codes that at least one
    coding assigns (see the module docstring).
    """
    if len(gold) != len(pred):
        raise ValueError(f"the two codings cover different numbers of units ({len(gold)} and {len(pred)})")
    gold_sets = [set(item) for item in gold]
    pred_sets = [set(item) for item in pred]
    per_code = {
        code: binary_agreement([code in g for g in gold_sets], [code in p for p in pred_sets]) for code in codes
    }
    tp = sum(s.tp for s in per_code.values())
    fp = sum(s.fp for s in per_code.values())
    fn = sum(s.fn for s in per_code.values())
    if tp + fp + fn == 0:
        micro_p = micro_r = micro_f1 = 1.0
    else:
        micro_p, micro_r, micro_f1 = _ratio(tp, tp + fp), _ratio(tp, tp + fn), _ratio(2 * tp, 2 * tp + fp + fn)
    averaged = tuple(code for code, s in per_code.items() if not s.vacuous)
    macro_f1 = float(np.mean([per_code[c].f1 for c in averaged])) if averaged else 1.0
    mean_kappa = float(np.mean([per_code[c].kappa for c in averaged])) if averaged else 1.0
    return MultiLabelReport(
        per_code=per_code,
        micro_precision=micro_p,
        micro_recall=micro_r,
        micro_f1=micro_f1,
        macro_f1=macro_f1,
        mean_kappa=mean_kappa,
        n_units=len(gold_sets),
        averaged_codes=averaged,
    )
