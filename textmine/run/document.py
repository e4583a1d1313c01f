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


def code_file(input_file, settings: ExtractSettings, coder: Coder) -> Iterator:
    """(document, [(unit, codes, scores)], coverage) per document of the file, or a failure record (a dict: file, stage, reason)."""
    return guarded(input_file, settings, lambda document: code_document(document, coder))


def code_document(document: Document, coder: Coder) -> tuple:
    """(document, coded units, coverage) of one document."""
    segmented = segment_document(document)
    coverage = measure(document, segmented.units, segmented.furniture, segmented.headings)
    return document, list(coder.code(segmented.units)), coverage
