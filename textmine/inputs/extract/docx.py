"""Word .docx: paragraphs and tables in body order, headings from paragraph styles."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.core.types import Block, Document, Page

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)", re.IGNORECASE)


def read_docx(path: Path, data: bytes, doc_id: str) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError(f"corrupt .docx file ({error})", "open") from error
    blocks = []
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if text:
                blocks.append(Block(text, None, _style(paragraph)))
        elif element.tag == qn("w:tbl"):
            for row in Table(element, document).rows:
                cells = list(dict.fromkeys(cell.text.strip() for cell in row.cells if cell.text.strip()))
                if cells:
                    blocks.append(Block(" | ".join(cells)))
    text = "\n".join(block.text for block in blocks)
    metadata = {"title": document.core_properties.title or ""}
    return Document(doc_id, str(path), (Page(1, text, "plain"),), metadata=metadata, blocks=tuple(blocks))


def _style(paragraph) -> str:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return "title"
    match = _HEADING_STYLE.match(name or "")
    return f"heading{match.group(1)}" if match else ""
