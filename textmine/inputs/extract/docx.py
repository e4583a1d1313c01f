"""Word .docx: paragraphs and tables in body order, headings from paragraph styles."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.core.limits import LimitError, check_zip
from textmine.inputs.extract.tablerows import is_caption, row_text
from textmine.core.types import Block, Document, Page

_HEADING_STYLE = re.compile(r"^(?:heading|标题)\s*(\d)", re.IGNORECASE)


def read_docx(path: Path, data: bytes, doc_id: str) -> Document:
    import docx
    from docx.oxml.ns import qn
    from docx.table import Table
    from docx.text.paragraph import Paragraph

    from lxml.etree import XMLSyntaxError

    check_zip(data)
    try:
        document = docx.Document(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as error:
        raise ExtractionError(f"corrupt .docx file ({error})", "open") from error
    except XMLSyntaxError as error:  # libxml2 itself stops entity bombs and excessive nesting
        if any(word in str(error) for word in ("amplification", "depth", "huge")):
            raise LimitError(f"the XML of this .docx is over a limit ({error})") from error
        raise ExtractionError(f"corrupt .docx file (XML: {error})", "open") from error
    blocks, tables = [], 0
    for element in document.element.body.iterchildren():
        if element.tag == qn("w:p"):
            paragraph = Paragraph(element, document)
            text = paragraph.text.strip()
            if text:
                blocks.append(Block(text, None, _style(paragraph)))
        elif element.tag == qn("w:tbl"):
            tables += 1
            name = _caption(element, blocks, qn, document, Paragraph) or f"Table {tables}"
            for row in Table(element, document).rows:
                cells = {id(cell._tc): cell.text for cell in row.cells}  # a merged cell is listed once per grid column
                text = row_text(cells.values())
                if text:
                    blocks.append(Block(text, None, table=name))
    text = "\n".join(block.text for block in blocks)
    metadata = {"title": document.core_properties.title or ""}
    return Document(doc_id, str(path), (Page(1, text, "plain"),), metadata=metadata, blocks=tuple(blocks))


def _caption(table, blocks: list[Block], qn, document, Paragraph) -> str:
    """The table's caption: the paragraph just before it (else just after) in the Caption style or starting "Table 3"/"表3"."""
    before = blocks[-1] if blocks and not blocks[-1].table else None
    if before is not None and (before.style == "caption" or is_caption(before.text)):
        return before.text
    after = table.getnext()
    if after is not None and after.tag == qn("w:p"):
        paragraph = Paragraph(after, document)
        if _style(paragraph) == "caption" or is_caption(paragraph.text):
            return paragraph.text.strip()
    return ""


def _style(paragraph) -> str:
    name = paragraph.style.name if paragraph.style is not None else ""
    if name == "Title":
        return "title"
    if name in ("Caption", "题注"):
        return "caption"
    match = _HEADING_STYLE.match(name or "")
    return f"heading{match.group(1)}" if match else ""
