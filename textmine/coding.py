"""Coders decide the codes of units: the lexicons (and, with trained models, classifiers).

A coder streams ``(unit, codes, scores)``: ``codes`` are Code records (the
evidence: term and offsets for lexicon hits), ``scores`` maps extra columns
(such as model probabilities) to values for that unit. ``code_columns`` and
``score_columns`` name the columns it fills in coded tables.
"""

from __future__ import annotations

from typing import Iterable, Iterator, Sequence

from textmine.lexicon import Lexicon
from textmine.tag import Tagger
from textmine.types import Code, Unit


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

    def code(self, units: Iterable[Unit]) -> Iterator[tuple[Unit, list[Code], dict]]:
        for unit, codes in self.tagger.tag(units):
            yield unit, codes, {}


def build_coder(lexicons: Sequence[Lexicon], models: Sequence[str] = (), mode: str = "lexicon") -> LexiconCoder:
    """The coder for a run: lexicons, plus models when given (``mode``: lexicon, model or hybrid)."""
    if models or mode != "lexicon":
        from textmine.errors import InputError

        raise InputError("models are not supported yet: use --mode lexicon")
    return LexiconCoder(lexicons)
