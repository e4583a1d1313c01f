"""Coders decide the codes of units: the lexicons, and trained classifiers (models) under a mode.

A coder streams ``(unit, codes, scores)``: ``codes`` are Code records (the
evidence: term and offsets for lexicon hits, the probability for model codes,
whose start/end are -1), ``scores`` maps extra columns (model probabilities,
``<scheme>_<CODE>_p``) to values for that unit. ``code_columns`` and
``score_columns`` name the columns it fills in coded tables.

Modes, for each scheme that has a model (other schemes are always coded by
their lexicon):

* ``lexicon``: the lexicon's codes; the model only fills the ``_p`` columns;
* ``model``: the codes whose probability reaches the model's threshold;
* ``hybrid``: the lexicon's codes, plus a code the lexicon missed when its
  probability reaches the model's hybrid threshold (learned at training: see
  ``textmine.coding.classify``).

Units in a language the model was not trained on are coded by the lexicon in
every mode, and their ``_p`` cells stay empty.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Protocol, Sequence

import numpy as np

from textmine.core.constants import DEFAULT_MODE, MODES
from textmine.core.errors import InputError
from textmine.coding.lexicon import Lexicon
from textmine.coding.tag import Tagger
from textmine.core.types import Code, Unit

MODEL_BATCH = 512

Coded = tuple[Unit, list[Code], dict]  # a unit, its codes, and its score cells


class Coder(Protocol):
    """What every coder offers: the columns it fills in coded tables, and ``code`` streaming (unit, codes, scores)."""

    @property
    def code_columns(self) -> list[str]: ...

    @property
    def score_columns(self) -> list[str]: ...

    def code(self, units: Iterable[Unit]) -> Iterator[Coded]: ...


class LexiconCoder:
    """Codes units with lexicon hits only."""

    def __init__(self, lexicons: Sequence[Lexicon]):
        self.lexicons = list(lexicons)
        self.tagger = Tagger(self.lexicons)

    @property
    def code_columns(self) -> list[str]:
        return [column for lexicon in self.lexicons for column in lexicon.columns]

    @property
    def score_columns(self) -> list[str]:
        return []

    def code(self, units: Iterable[Unit]) -> Iterator[Coded]:
        for unit, codes in self.tagger.tag(units):
            yield unit, codes, {}


class ModelCoder(LexiconCoder):
    """Lexicon hits and model probabilities, combined per scheme under ``mode``."""

    def __init__(self, lexicons: Sequence[Lexicon], models: Sequence, mode: str):
        super().__init__(lexicons)
        self.models = {model.scheme: model for model in models}
        self.mode = mode

    @property
    def score_columns(self) -> list[str]:
        return [f"{column}_p" for model in self.models.values() for column in model.column_names]

    def code(self, units: Iterable[Unit]) -> Iterator[Coded]:
        batch: list[tuple[Unit, list[Code]]] = []
        for item in self.tagger.tag(units):
            batch.append(item)
            if len(batch) >= MODEL_BATCH:
                yield from self._combine(batch)
                batch = []
        if batch:
            yield from self._combine(batch)

    def _combine(self, batch: list[tuple[Unit, list[Code]]]) -> Iterator[Coded]:
        probabilities = {scheme: _probabilities(model, [u for u, _ in batch]) for scheme, model in self.models.items()}
        for row, (unit, lexicon_codes) in enumerate(batch):
            codes = [c for c in lexicon_codes if c.scheme not in self.models]
            scores: dict = dict.fromkeys(self.score_columns)  # empty cells where no model applies
            for scheme, model in self.models.items():
                own = [c for c in lexicon_codes if c.scheme == scheme]
                P = probabilities[scheme]
                if P is None or np.isnan(P[row, 0]):
                    codes += own
                    continue
                scores.update({f"{column}_p": round(float(p), 4) for column, p in zip(model.column_names, P[row])})
                codes += self._decide(unit, model, own, P[row])
            yield unit, codes, scores

    def _decide(self, unit: Unit, model, lexicon_codes: list[Code], p: np.ndarray) -> list[Code]:
        if self.mode == "lexicon":
            return lexicon_codes
        found = {c.code for c in lexicon_codes}
        if self.mode == "model":
            chosen, kept = p >= model.thresholds_, []
        else:
            chosen, kept = (p >= model.hybrid_thresholds_) & [code not in found for code in model.codes], lexicon_codes
        added = [
            Code(unit.doc_id, unit.unit_id, model.scheme, code, "model", "", -1, -1, unit.page, round(float(prob), 4))
            for code, prob, take in zip(model.codes, p, chosen) if take
        ]
        return kept + added


def _probabilities(model, units: list[Unit]) -> np.ndarray | None:
    """units x codes probabilities; NaN rows for units in languages the model has not seen."""
    covered = [i for i, unit in enumerate(units) if unit.lang in model.languages_]
    if not covered:
        return None
    P = np.full((len(units), len(model.codes)), np.nan)
    P[covered] = model.predict_proba([units[i].text for i in covered], [units[i].lang for i in covered])
    return P


def build_coder(lexicons: Sequence[Lexicon], models: Sequence[str] = (), mode: str = DEFAULT_MODE) -> Coder:
    """The coder for a run: lexicons, plus models (files or shipped model names) under ``mode``.

    Modes other than lexicon without ``models`` use the shipped models of the
    lexicons' schemes. Each model must code a scheme of a loaded lexicon, with
    the same codes, and at most one model per scheme.
    """
    if mode not in MODES:
        raise InputError(f"unknown mode '{mode}'; use one of: {', '.join(MODES)}")
    if not models and mode == "lexicon":
        return LexiconCoder(lexicons)
    loaded = load_models(models, lexicons)
    if not loaded:
        raise InputError(f"--mode {mode} needs a model: give --model FILE (textmine train makes one)")
    return ModelCoder(lexicons, loaded, mode)


def load_models(models: Sequence[str], lexicons: Sequence[Lexicon]) -> list:
    """Load model files (or shipped models of the lexicons' schemes when none is given) and check them against the lexicons."""
    from textmine.coding.classify import load_model, resolve_model, shipped_models

    schemes = {lexicon.scheme: lexicon for lexicon in lexicons}
    paths = [resolve_model(m) for m in models] if models else [p for s, p in shipped_models().items() if s in schemes]
    loaded = {}
    for path in paths:
        model = load_model(path)
        lexicon = schemes.get(model.scheme)
        if lexicon is None:
            raise InputError(f"{path}: the model codes scheme '{model.scheme}', which no loaded lexicon defines ({', '.join(schemes) or 'none'})")
        if tuple(lexicon.codes) != tuple(model.codes):
            raise InputError(f"{path}: the model's {model.scheme} codes ({', '.join(model.codes)}) differ from the lexicon's ({', '.join(lexicon.codes)}); retrain it")
        if model.scheme in loaded:
            raise InputError(f"{path}: a second model for scheme '{model.scheme}' (the first: {loaded[model.scheme][0]})")
        loaded[model.scheme] = (path, model)
    return [model for _, model in loaded.values()]


def lexicon_matrix(tagger: Tagger, texts: Sequence[str], langs: Sequence[str], scheme: str, codes: Sequence[str]) -> np.ndarray:
    """0/1 matrix (units x codes): the lexicon's coding of ``scheme`` (a code when at least one term matches)."""
    column = {code: j for j, code in enumerate(codes)}
    matrix = np.zeros((len(texts), len(codes)), dtype=np.int8)
    for i, found in enumerate(tagger.match_texts(list(texts), list(langs))):
        for match in found:
            if match.pattern.scheme == scheme and match.pattern.code in column:
                matrix[i, column[match.pattern.code]] = 1
    return matrix
