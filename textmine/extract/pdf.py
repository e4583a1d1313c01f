"""PDF text layer with pypdfium2 (fast, and it drops fake-bold duplicate glyphs)."""

from __future__ import annotations

from pathlib import Path

from textmine.errors import ExtractionError
from textmine.types import Document, Page

MIN_PAGE_CHARS = 10


def read_pdf(path: Path, data: bytes, doc_id: str, password: str | None = None) -> Document:
    import pypdfium2 as pdfium

    try:
        pdf = pdfium.PdfDocument(data, password=password)
    except pdfium.PdfiumError as error:
        raise ExtractionError(_reason(str(error), password), "open") from error
    try:
        pages = tuple(_read_page(pdf[i], i + 1) for i in range(len(pdf)))
        metadata = {key.lower(): value for key, value in pdf.get_metadata_dict(skip_empty=True).items()}
    finally:
        pdf.close()
    metadata["page_count"] = len(pages)
    return Document(doc_id, str(path), pages, metadata=metadata)


def _read_page(page, number: int) -> Page:
    textpage = page.get_textpage()
    try:
        text = textpage.get_text_bounded().replace("\r\n", "\n").replace("\r", "\n")
    finally:
        textpage.close()
        page.close()
    warnings = ()
    if len(text.strip()) < MIN_PAGE_CHARS:
        warnings = (f"page {number}: no text layer (a scan?); OCR is needed to read it",)
    return Page(number, text, "text-layer", warnings)


def _reason(message: str, password: str | None) -> str:
    lowered = message.lower()
    if "password" in lowered:
        if password:
            return "encrypted PDF: the password given does not open it"
        return "encrypted PDF: a password is needed to open it (use --password)"
    if "format" in lowered or "file" in lowered:
        return f"corrupt or truncated PDF ({message.split('(')[-1].rstrip(')')})"
    return f"cannot open PDF: {message}"
