"""Which units to hand-code next (`textmine suggest`): the units the model is least sure about.

Per unit and code, the model's probability ``p`` and the code's threshold
``t``. A unit's *margin* is its smallest ``|p - t|`` over the codes: how near
the model is to changing its mind about one of them. Units of the smallest
margin come first (uncertainty sampling); with several models (pentagon and
instrument), a unit's priorities add up. Where the model and the lexicon
disagree is shown as the reason, not used for the order.

Chosen by ``benchmarks/suggest_curve.py`` (pentagon, model mode, 100 units to
start, +50 a step, 6 steps, grouped test folds without the held-out documents;
micro-F1 of suggest minus random, mean over the steps, seeds 1 and 2): the
former order, most lexicon/model disagreements first, +0.008 with at most five
units per document (and +0.001 without, seed 0); rare codes first +0.006;
smallest margin with at most five units per document +0.012; closeness to
the thresholds summed over the codes -0.003; summed binary entropy +0.009;
smallest margin alone +0.030 (+0.027 and +0.033).
"""

from __future__ import annotations

import numpy as np


def disagreements(P: np.ndarray, L: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """units x codes, True where the model (``p >= t``) and the lexicon's 0/1 coding ``L`` differ."""
    return (np.asarray(P) >= np.asarray(thresholds)) != np.asarray(L, dtype=bool)


def margins(P: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """The smallest distance of each unit's probabilities from their thresholds."""
    distance = np.abs(np.asarray(P, dtype=float) - np.asarray(thresholds, dtype=float))
    return distance.min(axis=1) if distance.shape[1] else np.full(len(distance), 1.0)


def priorities(P: np.ndarray, thresholds: np.ndarray) -> np.ndarray:
    """How much coding each unit is worth to the model (higher first): 1 minus its margin."""
    return 1.0 - margins(P, thresholds)


def choose(priority: np.ndarray, n: int) -> list[int]:
    """The ``n`` units of highest priority (ties: the first)."""
    return sorted(range(len(priority)), key=lambda i: (-float(priority[i]), i))[:n]
