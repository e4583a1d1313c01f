"""Several hand-coded files read as one coding, refusing units that are coded twice.

`textmine evaluate dev-units.jsonl train-units.jsonl` scores the units of both
files together. Units of one document are one group whichever file they are
in (the group is the document: ``doc`` + ``record``, or ``doc_id``), so
grouped cross-validation never trains on a document in one file and tests on
it in the other.

A unit must be coded once. Refused (``InputError``, exit 2, naming file, line
and unit id):

* the same ``unit_id`` in two files (or twice in one: ``gold.read_coding``);
* a *shared unit*: the same span of the same document — same document and the
  same ``start``/``end`` offsets — in two places; where a unit has no offsets,
  the same document and the same text (whitespace ignored) in two places.

The same text at other offsets of a document (a document that repeats a
sentence: the shared gold has one such pair) or in two different documents
(boilerplate headings) is two units, and is kept.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Sequence

from textmine.coding.gold import Coding, read_coding
from textmine.coding.lexicon import Lexicon
from textmine.core.errors import InputError

SHOWN = 3


def read_golds(paths: Sequence, lexicons: Sequence[Lexicon], schemes: Sequence[str] | None = None) -> Coding:
    """Read one or more hand-coded files as one ``Coding`` (only the schemes every file holds)."""
    paths = [paths] if isinstance(paths, (str, Path)) else list(paths)
    if not paths:
        raise InputError("no hand-coded file given")
    codings = [read_coding(path, lexicons, schemes) for path in paths]
    if len(codings) == 1:
        coding = codings[0]
        _refuse_shared([coding])
        return coding
    common = [s for s in codings[0].schemes if all(s in c.schemes for c in codings[1:])]
    if not common:
        listed = "; ".join(f"{c.path}: {', '.join(c.schemes)}" for c in codings)
        raise InputError(f"the hand-coded files share no scheme ({listed})")
    _refuse_shared(codings)
    return _merge(codings, common)


def _where(coding: Coding, i: int) -> str:
    place = coding.places[i] if coding.places else f"unit {i + 1}"
    return f"{coding.path} {place} (unit '{coding.unit_ids[i]}')"


def _span(span) -> tuple | None:
    try:
        start, end = (int(float(v)) for v in span)
    except (TypeError, ValueError):
        return None
    return start, end


def _refuse_shared(codings: Sequence[Coding]) -> None:
    problems: list[str] = []
    ids: dict[str, tuple] = {}
    units: dict[tuple, tuple] = {}
    for coding in codings:
        spans = coding.spans or ((None, None),) * len(coding)
        for i, unit_id in enumerate(coding.unit_ids):
            if unit_id in ids and ids[unit_id][0] is not coding:
                problems.append(f"{_where(coding, i)}: unit_id '{unit_id}' is also in {_where(*ids[unit_id])}")
            ids.setdefault(unit_id, (coding, i))
            span = _span(spans[i])
            key = (coding.groups[i], "span", span) if span else (coding.groups[i], "text", " ".join(coding.texts[i].split()))
            if key in units:
                what = "the same span of" if span else "the same text in"
                problems.append(f"{_where(coding, i)}: {what} document {coding.groups[i]} as {_where(*units[key])}: "
                                "a unit coded twice (keep one)")
            units.setdefault(key, (coding, i))
    if problems:
        more = f" (and {len(problems) - SHOWN} more)" if len(problems) > SHOWN else ""
        raise InputError("; ".join(problems[:SHOWN]) + more)


def _merge(codings: Sequence[Coding], schemes: Sequence[str]) -> Coding:
    digest = hashlib.sha256("".join(c.sha256 for c in codings).encode("ascii")).hexdigest()
    groupings = list(dict.fromkeys(c.grouping for c in codings))

    def joined(name):
        return tuple(value for coding in codings for value in getattr(coding, name))

    return Coding(
        path=" + ".join(c.path for c in codings),
        sha256=digest,
        unit_ids=joined("unit_ids"),
        texts=joined("texts"),
        langs=joined("langs"),
        groups=joined("groups"),
        codes={s: tuple(unit for coding in codings for unit in coding.codes[s]) for s in schemes},
        grouping="/".join(groupings),
        places=tuple(f"{Path(c.path).name} {p}" for c in codings for p in (c.places or [""] * len(c))),
        spans=tuple(s for c in codings for s in (c.spans or [(None, None)] * len(c))),
    )

