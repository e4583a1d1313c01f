"""Term discovery over documents: they are coded into a temporary coded_units.csv first."""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Sequence

from textmine.analysis.terms import TermResults, discover
from textmine.coding.lexicon import Lexicon
from textmine.core.errors import InputError
from textmine.inputs.tables import is_table
from textmine.run.batch import RunSettings, run


def units_from(paths: Sequence, lexicons: Sequence[Lexicon], workdir: Path) -> Path:
    """The coded table to read: ``paths`` itself when it is one table, else the documents coded into workdir/coded_units.csv."""
    if len(paths) == 1 and is_table(paths[0]):
        return Path(paths[0])
    if any(is_table(p) for p in paths):
        raise InputError("give either one coded table (coded_units.csv) or documents and folders, not both")
    files = tuple(path for l in lexicons for path in (l.path, *(e for e, _ in l.extended_by)) if path)  # extensions too
    settings = RunSettings(lexicons=files, shipped_lexicons=False, xlsx=False, report=False)
    run([str(p) for p in paths], workdir, settings)
    return workdir / "coded_units.csv"


def discover_terms(paths: Sequence, lexicons: Sequence[Lexicon], by: Sequence[str] = (), top: int = 50, min_freq: int = 5,
                   engine: str = "auto", ngrams: int = 1, chunksize: int = 20_000) -> TermResults:
    """Frequencies, keyness and candidate terms (``textmine.analysis.terms.discover``) of a coded table or of documents."""
    with tempfile.TemporaryDirectory(prefix="textmine-terms-") as workdir:
        path = units_from(paths, lexicons, Path(workdir))
        return discover(path, lexicons, by, top, min_freq, engine, ngrams, chunksize)
