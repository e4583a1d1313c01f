"""Plain, immutable records that flow between the stages.

Ids are the join keys: ``doc_id`` names a document, ``unit_id`` a coding unit
(``<doc>-<chapter>-<article>[-<item>]``). Offsets in ``Code`` point into
``Unit.text``, the text users see and export.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping, NamedTuple


@dataclass(frozen=True)
class Page:
    number: int  # 1-based
    text: str
    method: str = "text-layer"  # "text-layer", "ocr" or "plain" (non-paged sources)
    warnings: tuple[str, ...] = ()
    # PDF: the table rows on this page in reading order (Block.table set); each row is also a line of ``text``
    tables: tuple["Block", ...] = ()
    # paragraphs set in a larger font (PDF): (level 1-3, the paragraph's lines joined by "\n")
    headings: tuple[tuple[int, str], ...] = ()


@dataclass(frozen=True)
class Block:
    """A paragraph-level piece of a document, in reading order, as extraction found it."""

    text: str
    page: int | None = None
    style: str = ""  # "heading1".."heading6" when the source marks headings (docx, html)
    table: str = ""  # non-empty: this block is one row (cells joined by " | ") of the table of this name


@dataclass(frozen=True)
class Document:
    doc_id: str
    path: str
    pages: tuple[Page, ...]
    lang: str = ""
    sha256: str = ""
    metadata: Mapping[str, object] = field(default_factory=dict)
    blocks: tuple[Block, ...] = ()  # set by sources that know their paragraphs (docx, html)
    source_kind: str = ""  # pdf, txt, docx, html, jsonl

    @property
    def text(self) -> str:
        """The document text, pages separated by form feeds (as pdftotext prints it)."""
        return "\f".join(page.text for page in self.pages)


@dataclass(frozen=True)
class Unit:
    doc_id: str
    unit_id: str
    text: str
    page: int | None
    section: tuple[str, ...] = ()
    lang: str = ""
    # (offset in text, page number) for every page that starts inside the unit
    page_breaks: tuple[tuple[int, int], ...] = ()

    def page_at(self, offset: int) -> int | None:
        page = self.page
        for start, number in self.page_breaks:
            if offset >= start:
                page = number
        return page


class Code(NamedTuple):
    """A code assigned to a unit, with its evidence. A NamedTuple rather than a
    dataclass because tagging creates millions of them and this is 4x cheaper."""

    doc_id: str
    unit_id: str
    scheme: str
    code: str
    source: str  # "lexicon" or "model"
    term: str = ""
    start: int = -1
    end: int = -1
    page: int | None = None
    score: float | None = None
