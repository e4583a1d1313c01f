"""One input file through the stages, extract -> segment -> code: what `run` does for each file, and `tag` for one.

Kept apart from ``batch`` (the corpus, its tables and reports) so that coding one document
imports neither pandas nor the analysis.
"""

from __future__ import annotations

from typing import Iterator

from textmine.coding.coders import Coder
from textmine.core.types import Document
from textmine.inputs.extract import ExtractSettings
from textmine.inputs.guard import guarded
from textmine.units.coverage import measure
from textmine.units.segment import segment_document


def code_file(input_file, settings: ExtractSettings, coder: Coder, coverage: bool = True) -> Iterator:
    """(document, [(unit, codes, scores)], coverage) per document of the file, or a failure record (a dict: file, stage,
    reason); coverage None unless asked for."""
    return guarded(input_file, settings, lambda document: code_document(document, coder, coverage))


def code_document(document: Document, coder: Coder, coverage: bool = True) -> tuple:
    """(document, coded units, coverage or None) of one document."""
    segmented = segment_document(document)
    covered = measure(document, segmented.units, segmented.furniture, segmented.headings) if coverage else None
    return document, list(coder.code(segmented.units)), covered
