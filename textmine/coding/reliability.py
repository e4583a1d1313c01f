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
  per code, plus micro-F1, macro-F1 and mean kappa over the codes;
* ``krippendorff_alpha(codings)``: Krippendorff's alpha (nominal) of any
  number of codings, ``None`` marking a missing value;
* ``agreement_report(a, b, codes)`` -> ``AgreementReport``: what `textmine
  agree` prints for two codings: per code percent agreement, Cohen's kappa,
  Krippendorff's alpha and F1 taking ``a`` as the reference, and overall
  figures.

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

* Alpha, like kappa, is undefined when every pairable value is the same
  (expected disagreement 0): that is perfect agreement, so 1.0. Fewer than
  two pairable values (no unit coded twice) give 1.0 as well.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Collection, Iterable, Mapping, Sequence

import numpy as np
from sklearn.metrics import cohen_kappa_score, confusion_matrix

__all__ = [
    "AgreementReport",
    "BinaryAgreement",
    "CodeAgreement",
    "MultiLabelReport",
    "agreement_report",
    "binary_agreement",
    "cohen_kappa",
    "krippendorff_alpha",
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


def cohen_kappa(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> float:
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


# --- Krippendorff's alpha and two-coder agreement tables ------------------------------


def krippendorff_alpha(codings: Sequence[Sequence]) -> float:
    """Krippendorff's alpha, nominal level, of one or more codings of the same units.

    ``codings`` holds one sequence per coder, all of the same length (one value
    per unit, any hashable values); ``None`` is a missing value. Units with
    fewer than two values are not pairable and are left out. With the
    coincidence matrix ``o`` (each ordered pair of values within a unit adds
    ``1 / (m_u - 1)``, ``m_u`` the values of that unit) and ``n_c`` its margins,
    ``alpha = 1 - (n - 1) * sum_{c != k} o_ck / sum_{c != k} n_c n_k``.
    """
    lengths = {len(coding) for coding in codings}
    if len(lengths) > 1:
        raise ValueError(f"the codings cover different numbers of units ({', '.join(map(str, sorted(lengths)))})")
    values = sorted({v for coding in codings for v in coding if v is not None}, key=repr)
    index = {value: i for i, value in enumerate(values)}
    coincidence = np.zeros((len(values), len(values)))
    for unit in zip(*codings):
        present = [index[v] for v in unit if v is not None]
        if len(present) < 2:
            continue
        counts = np.bincount(present, minlength=len(values)).astype(float)
        coincidence += (np.outer(counts, counts) - np.diag(counts)) / (len(present) - 1)
    margins = coincidence.sum(axis=1)
    n = margins.sum()
    observed = coincidence.sum() - np.trace(coincidence)
    expected = n * n - (margins**2).sum()
    if n < 2 or expected == 0:
        return 1.0
    return float(1 - (n - 1) * observed / expected)


def percent_agreement(a: Sequence | np.ndarray, b: Sequence | np.ndarray) -> float:
    """Share of units on which two binary codings agree (1.0 for no units)."""
    x, y = _binary_vector(a), _binary_vector(b)
    if len(x) != len(y):
        raise ValueError(f"the two codings cover different numbers of units ({len(x)} and {len(y)})")
    return float((x == y).mean()) if len(x) else 1.0


@dataclass(frozen=True)
class CodeAgreement:
    """Agreement of coding B with coding A on one code (A is the reference for precision/recall/F1)."""

    code: str
    units: int
    a_count: int  # units A gives the code
    b_count: int
    both: int
    percent: float
    kappa: float
    alpha: float
    precision: float
    recall: float
    f1: float

    def as_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.__dataclass_fields__}


@dataclass(frozen=True)
class AgreementReport:
    """Per-code agreement of two codings, and the figures over all codes.

    Overall: ``percent`` over every (unit, code) decision; ``exact`` is the
    share of units given exactly the same codes; ``alpha`` pools every (unit,
    code) decision as one binary item; micro-F1 pools the counts of all codes,
    macro-F1, mean kappa and mean alpha average the codes that either coding
    uses.
    """

    per_code: Mapping[str, CodeAgreement]
    units: int
    percent: float
    exact: float
    kappa: float
    alpha: float
    mean_alpha: float
    micro_f1: float
    macro_f1: float

    def overall(self) -> dict:
        return {
            "units": self.units,
            "percent agreement": self.percent,
            "exact match": self.exact,
            "mean kappa": self.kappa,
            "alpha (pooled)": self.alpha,
            "mean alpha": self.mean_alpha,
            "micro-F1": self.micro_f1,
            "macro-F1": self.macro_f1,
        }


def code_agreement(code: str, a: Sequence, b: Sequence) -> CodeAgreement:
    """Percent agreement, kappa, alpha and F1 (``a`` as reference) of two binary codings of one code."""
    scores = binary_agreement(a, b)
    x, y = _binary_vector(a), _binary_vector(b)
    return CodeAgreement(
        code=code,
        units=len(x),
        a_count=scores.support,
        b_count=scores.predicted,
        both=scores.tp,
        percent=percent_agreement(x, y),
        kappa=scores.kappa,
        alpha=krippendorff_alpha([x.tolist(), y.tolist()]),
        precision=scores.precision,
        recall=scores.recall,
        f1=scores.f1,
    )


def matrix_report(gold, decided, codes: Sequence[str]) -> MultiLabelReport:
    """``multilabel_report`` of two 0/1 matrices whose rows are units and whose columns are ``codes``."""

    def sets(matrix):
        return [{c for c, v in zip(codes, row) if v} for row in matrix]

    return multilabel_report(sets(gold), sets(decided), codes)


def agreement_report(a: Sequence[Collection[str]], b: Sequence[Collection[str]], codes: Sequence[str]) -> AgreementReport:
    """Agreement of two codings of the same units (one code collection per unit, same order)."""
    if len(a) != len(b):
        raise ValueError(f"the two codings cover different numbers of units ({len(a)} and {len(b)})")
    a_sets, b_sets = [set(item) & set(codes) for item in a], [set(item) & set(codes) for item in b]
    per_code = {c: code_agreement(c, [c in s for s in a_sets], [c in s for s in b_sets]) for c in codes}
    summary = multilabel_report(a_sets, b_sets, codes)
    used = [c for c in codes if per_code[c].a_count or per_code[c].b_count]
    pooled_a = [c in s for s in a_sets for c in codes]
    pooled_b = [c in s for s in b_sets for c in codes]
    return AgreementReport(
        per_code=per_code,
        units=len(a_sets),
        percent=percent_agreement(pooled_a, pooled_b),
        exact=float(np.mean([x == y for x, y in zip(a_sets, b_sets)])) if a_sets else 1.0,
        kappa=summary.mean_kappa,
        alpha=krippendorff_alpha([[int(v) for v in pooled_a], [int(v) for v in pooled_b]]),
        mean_alpha=float(np.mean([per_code[c].alpha for c in used])) if used else 1.0,
        micro_f1=summary.micro_f1,
        macro_f1=summary.macro_f1,
    )
