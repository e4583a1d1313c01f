"""Keyword in context: every match of a term or a code, with the text around it."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Iterator, Sequence

from textmine.core.errors import InputError
from textmine.core.languages import LATIN_LANGUAGES
from textmine.coding.lexicon import Category, Lexicon, find_code
from textmine.core.normalize import HAN_CHAR, MatchingView
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


_CODE_LIKE = re.compile(r"^[A-Z][A-Z0-9_]*(\.[A-Z0-9_]+)*$")


def resolve_pattern(lexicons: Sequence[Lexicon], pattern: str) -> tuple[str, str] | None:
    """(scheme, code) when ``pattern`` names a code, None when it is a term to search for.

    A pattern written like a code (``NETT``, ``pentagon:NETT``, ``nato:N``, ``pentagon_NETT``) that names
    no code is an error listing the codes, rather than a term search that silently finds nothing.
    """
    code = find_code(lexicons, pattern)
    if code:
        return code
    schemes = {lexicon.scheme: lexicon for lexicon in lexicons}
    listed = "; ".join(f"{l.scheme}: {' '.join(l.codes)}" for l in lexicons) or "(none loaded)"
    scheme, sep, rest = pattern.partition(":")
    if sep and not re.search(r"\s", scheme):
        if scheme not in schemes:
            raise InputError(f"kwic: no scheme '{scheme}'; the schemes and their codes are: {listed}")
        raise InputError(f"kwic: no code '{rest}' in {scheme}; its codes are: {', '.join(schemes[scheme].codes)}")
    prefixed = next((s for s in schemes if pattern.startswith(s + "_")), None)
    if prefixed or _CODE_LIKE.match(pattern):
        raise InputError(f"kwic: '{pattern}' is not a code of the loaded lexicons ({listed}); "
                         "to search for it as a word, write it in lower case (matching ignores case)")
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
            left, match, right = context(unit.text, code.start, code.end, width)
            yield KwicLine(unit.doc_id, unit.unit_id, code.page, code.scheme, code.code, code.term, left, match, right)


def context(text: str, start: int, end: int, width: int) -> tuple[str, str, str]:
    """(left, match, right) of ``text[start:end]``, ``width`` characters each side, runs of white space as one space."""
    return _flat(text[max(0, start - width) : start]), _flat(text[start:end]), _flat(text[end : end + width])


def term_in_context(text: str, view: MatchingView, term: str, width: int) -> str:
    """``left[match]right`` for the first occurrence of ``term`` (a word; or two, for bigrams) in ``text``, or ''.

    ``view`` is the matching view of ``text``: Chinese anywhere, other terms as whole words.
    """
    if HAN_CHAR.search(term):
        start = view.text.find(term)
        found = (start, start + len(term)) if start >= 0 else None
    else:
        pattern = r"(?<!\w)" + r"\W+".join(map(re.escape, term.split())) + r"(?!\w)"
        match = re.search(pattern, view.text)
        found = match.span() if match else None
    if not found:
        return ""
    left, middle, right = context(text, *view.span(*found), width)
    return f"{left.strip()}[{middle.strip()}]{right.strip()}"


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text)
