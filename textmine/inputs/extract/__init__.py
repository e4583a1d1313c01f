"""Files -> Documents. One module per source kind behind ``extract_documents``.

The kind of a file is decided by its content (magic bytes), checked against its
extension, so that a PNG named ``.pdf`` or an empty file fails with a clear
reason instead of producing empty output.
"""

from __future__ import annotations

import hashlib
import importlib
import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Iterator

from textmine.inputs.cache import ExtractionCache
from textmine.core.errors import ExtractionError, InputError
from textmine.core.languages import detect_lang
from textmine.core.types import Document

KINDS = {
    ".pdf": "pdf",
    ".txt": "txt",
    ".text": "txt",
    ".md": "txt",
    ".docx": "docx",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".jsonl": "jsonl",
}
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (docx, xlsx …)"),
    (b"\xd0\xcf\x11\xe0", "an old Office file (.doc/.xls)"),
)


@dataclass(frozen=True)
class ExtractSettings:
    """Options of extraction.

    ``password`` opens encrypted PDFs; ``ocr`` reads pages without usable text
    with Tesseract, in ``ocr_lang`` (Tesseract names such as ``chi_sim``,
    ``chi_tra+eng``; None: chosen from the document) with at most
    ``ocr_timeout`` seconds per page; ``cache_dir`` keeps extracted documents
    keyed by file content and settings (None: no cache).
    """

    password: str | None = None
    ocr: bool = True
    ocr_lang: str | None = None
    ocr_timeout: float | None = None
    cache_dir: str | None = None

    def __post_init__(self):
        if self.ocr_lang is not None and not re.fullmatch(r"[A-Za-z_]+(\+[A-Za-z_]+)*", self.ocr_lang):
            raise InputError(f"invalid OCR language '{self.ocr_lang}': use Tesseract names such as chi_sim, eng or chi_sim+eng")


PRELOAD = ("textmine.inputs.extract.preload",)  # for the fork server of worker processes


def warm_up() -> None:
    """Load what the first document would otherwise load (PDFium, the language model), e.g. in a new worker process."""
    importlib.import_module("pypdfium2")
    detect_lang("Policy documents are read, coded and compared by textmine.")


def kind_of(path: Path) -> str | None:
    """The source kind for a file name, or None when textmine does not read such files."""
    return KINDS.get(path.suffix.lower())


def extract_documents(path, doc_id: str, settings: ExtractSettings = ExtractSettings()) -> Iterator[Document]:
    """Yield the documents in ``path`` (one, or one per record of a .jsonl file).

    Raises ExtractionError with a reason a user can act on when the file cannot be read.
    """
    path = Path(path)
    kind = kind_of(path)
    if kind is None:
        raise ExtractionError(f"unsupported file type '{path.suffix}'; textmine reads {', '.join(sorted(KINDS))}", "detect")
    try:
        data = path.read_bytes()
    except OSError as error:
        raise ExtractionError(f"cannot read file: {error.strerror}", "read") from error
    _check_content(data, kind)
    sha256 = hashlib.sha256(data).hexdigest()
    cache = ExtractionCache(settings.cache_dir) if settings.cache_dir and kind != "jsonl" else None
    ocr_ready = bool(cache) and _ocr_ready(settings)
    cached = cache.get(sha256, settings, ocr_ready, doc_id, str(path)) if cache else None
    if cached is not None:
        yield cached
        return
    for document in _read(kind, path, data, doc_id, settings):
        text = document.text
        if not text.strip():
            raise ExtractionError("no text found in the document", "extract")
        document = replace(document, sha256=sha256, source_kind=kind, lang=document.lang or detect_lang(text[:5000]))
        if cache:
            cache.put(document, settings, ocr_ready)
        yield document


def _ocr_ready(settings: ExtractSettings) -> bool:
    from textmine.inputs.extract.ocr import tesseract

    return bool(settings.ocr and tesseract())


def _read(kind, path, data, doc_id, settings) -> Iterator[Document]:
    if kind == "pdf":
        from textmine.inputs.extract.pdf import read_pdf

        yield read_pdf(path, data, doc_id, settings)
    elif kind == "txt":
        from textmine.inputs.extract.text import read_text

        yield read_text(path, data, doc_id)
    elif kind == "docx":
        from textmine.inputs.extract.docx import read_docx

        yield read_docx(path, data, doc_id)
    elif kind == "html":
        from textmine.inputs.extract.html import read_html

        yield read_html(path, data, doc_id)
    else:
        from textmine.inputs.extract.text import read_jsonl

        yield from read_jsonl(path, data, doc_id)


def _check_content(data: bytes, kind: str) -> None:
    if not data.strip():
        raise ExtractionError("empty file", "read")
    found = next((name for magic, name in _MAGIC if data[:1024].lstrip().startswith(magic)), None)
    if kind == "pdf" and found != "a PDF":
        if b"%PDF-" in data[:1024]:
            return
        raise ExtractionError(f"not a PDF: the file is {found or 'not a PDF'} (check its extension)", "detect")
    if kind == "docx" and found != "a ZIP archive (docx, xlsx …)":
        raise ExtractionError(f"not a .docx file: the file is {found or 'plain text or unknown'}", "detect")
    if kind in ("txt", "html", "jsonl") and found is not None:
        raise ExtractionError(f"not a text file: the file is {found}", "detect")
