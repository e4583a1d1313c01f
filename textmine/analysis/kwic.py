"""Keyword in context: every match of a term or a code, with the text around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from textmine.core.languages import LATIN_LANGUAGES
from textmine.coding.lexicon import Category, Lexicon
from textmine.core.normalize import HAN_CHAR
from textmine.core.types import Code, Unit

KWIC_SCHEME = "kwic"
_SPACES = re.compile(r"\s+")


@dataclass(frozen=True)
class KwicLine:
    doc_id: str
    unit_id: str
    page: int | None
    scheme: str
    code: str
    term: str
    left: str
    match: str
    right: str


def find_code(lexicons: Sequence[Lexicon], pattern: str) -> tuple[str, str] | None:
    """(scheme, code) if ``pattern`` names a code: ``NET``, ``pentagon:NET`` or ``pentagon_NET``."""
    for lexicon in lexicons:
        for code in lexicon.codes:
            if pattern in (code, f"{lexicon.scheme}:{code}", lexicon.column(code)):
                return lexicon.scheme, code
    return None


def term_lexicon(term: str) -> Lexicon:
    """A one-term lexicon that matches ``term`` by the usual rules in every language it can occur in."""
    langs = ("zh",) if HAN_CHAR.search(term) else LATIN_LANGUAGES
    category = Category(term, terms={lang: (term,) for lang in langs})
    return Lexicon(KWIC_SCHEME, (category,))


def concordance(tagged: Iterable[tuple[Unit, list[Code]]], width: int = 30, keep=None) -> Iterator[KwicLine]:
    """KWIC lines for the codes of each unit (only those ``keep(code)`` accepts, when given)."""
    for unit, codes in tagged:
        for code in codes:
            if code.start < 0 or (keep is not None and not keep(code)):
                continue
            text = unit.text
            yield KwicLine(
                unit.doc_id,
                unit.unit_id,
                code.page,
                code.scheme,
                code.code,
                code.term,
                _flat(text[max(0, code.start - width) : code.start]),
                _flat(text[code.start : code.end]),
                _flat(text[code.end : code.end + width]),
            )


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)
