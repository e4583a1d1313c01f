"""What `textmine lexicon show` lists: the codes asked for, and their terms as a table."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.coding.lexicon import ANY_LANG, Lexicon, find_code
from textmine.core.errors import InputError


@dataclass(frozen=True)
class Selection:
    lexicon: Lexicon
    codes: tuple[str, ...]
    terms: bool  # a code was named: list its terms, not only counts


def select_codes(lexicons: Sequence[Lexicon], names: Sequence[str], files: Sequence[str] = ()) -> list[Selection]:
    """The codes named (pentagon:NET, NET, pentagon_NET) or the schemes named (pentagon); without names, every code
    of the schemes of ``files`` (lexicon files given), else of every lexicon."""
    if not names:
        wanted = {str(Path(f).resolve()) for f in files}
        chosen = [l for l in lexicons if not wanted or _paths(l) & wanted]
        return [Selection(l, tuple(l.codes), False) for l in chosen]
    selections: dict[str, Selection] = {}
    schemes = {l.scheme: l for l in lexicons}
    for name in names:
        if name in schemes:
            selections[name] = Selection(schemes[name], tuple(schemes[name].codes), False)
            continue
        found = find_code(lexicons, name)
        if found is None:
            listed = "; ".join(f"{l.scheme}: {' '.join(l.codes)}" for l in lexicons) or "(none loaded)"
            raise InputError(f"lexicon show: no code or scheme '{name}'; the codes are: {listed}")
        scheme, code = found
        before = selections.get(scheme)
        codes = (*before.codes, code) if before and before.terms else (code,)
        selections[scheme] = Selection(schemes[scheme], tuple(dict.fromkeys(codes)), True)
    return list(selections.values())


def _paths(lexicon: Lexicon) -> set[str]:
    return {str(Path(p).resolve()) for p in (lexicon.path, *(path for path, _ in lexicon.extended_by))}


def lexicon_terms(selections: Sequence[Selection], lang: str | None = None) -> pd.DataFrame:
    """One row per term, exclusion and policy-only term of the selected codes: scheme, code, column, name, kind, lang, term."""
    rows = []
    for selection in selections:
        lexicon = selection.lexicon
        for code in selection.codes:
            category = lexicon.category(code)
            for kind, table in (("term", category.terms), ("exclude", category.exclude), ("policy_only", category.policy_only)):
                for term_lang, terms in table.items():
                    if lang and term_lang not in (lang, ANY_LANG):
                        continue
                    rows += [{"scheme": lexicon.scheme, "code": code, "column": lexicon.column(code),
                              "name": category.name("en"), "kind": kind, "lang": term_lang, "term": term} for term in terms]
    return pd.DataFrame(rows, columns=["scheme", "code", "column", "name", "kind", "lang", "term"])
