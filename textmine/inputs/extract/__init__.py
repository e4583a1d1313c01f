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
from typing import Callable, Iterator

from textmine.inputs.cache import ExtractionCache
from textmine.core.errors import ExtractionError, InputError
from textmine.core.languages import detect_lang
from textmine.core.limits import MAX_TEXT_FILE_BYTES
from textmine.core.types import Document
from textmine.inputs.extract.records import RecordRange, read_range, record_ranges
from textmine.inputs.extract.source import read_input

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
    keyed by file content and settings (None: no cache); ``encoding`` is the
    text encoding of plain-text files (None: detected).
    """

    password: str | None = None
    ocr: bool = True
    ocr_lang: str | None = None
    ocr_timeout: float | None = None
    cache_dir: str | None = None
    encoding: str | None = None

    def __post_init__(self):
        if self.encoding is not None:
            check_encoding(self.encoding)
        if self.ocr_lang is not None and not re.fullmatch(r"[A-Za-z_]+(\+[A-Za-z_]+)*", self.ocr_lang):
            raise InputError(f"invalid OCR language '{self.ocr_lang}': use Tesseract names such as chi_sim, eng or chi_sim+eng")


def check_encoding(name: str) -> str:
    """``name`` if Python knows the encoding, else an InputError (for --encoding)."""
    import codecs

    try:
        return codecs.lookup(name).name
    except LookupError:
        raise InputError(f"--encoding: unknown encoding '{name}' (e.g. utf-8, gb18030, big5, utf-16-le, euc-jp, cp1252)") from None


PRELOAD = ("textmine.inputs.extract.preload",)  # for the fork server of worker processes


def warm_up() -> None:
    """Load what the first document would otherwise load (PDFium, the language model), e.g. in a new worker process."""
    importlib.import_module("pypdfium2")
    detect_lang("Policy documents are read, coded and compared by textmine.")


def kind_of(path: Path) -> str | None:
    """The source kind for a file name, or None when textmine does not read such files."""
    return KINDS.get(path.suffix.lower())


def extract_documents(path, doc_id: str, settings: ExtractSettings = ExtractSettings(),
                      on_bad_record: Callable[[dict], None] | None = None,
                      records: RecordRange | None = None) -> Iterator[Document]:
    """Yield the documents in ``path`` (one, or one per record of a .jsonl file: of the part ``records`` of its
    lines when given, ``textmine.inputs.extract.records``).

    Raises ExtractionError with a reason a user can act on when the file cannot be read.
    A .jsonl record that cannot be read is passed to ``on_bad_record`` as its failures.csv
    row and the records after it are read; without ``on_bad_record`` it raises.
    """
    path = Path(path)
    if records is not None:
        yield from _record_range(path, doc_id, records, on_bad_record)
        return
    kind = kind_of(path)
    if kind is None:
        raise ExtractionError(f"unsupported file type '{path.suffix}'; textmine reads {', '.join(sorted(KINDS))}", "detect")
    data = read_input(path, MAX_TEXT_FILE_BYTES if kind in ("txt", "html") else None)
    _check_content(data, kind)
    sha256 = hashlib.sha256(data).hexdigest()
    # the text of an encrypted PDF must not be kept where it can be read without the password
    cacheable = settings.cache_dir and kind != "jsonl" and not (kind == "pdf" and b"/Encrypt" in data)
    cache = ExtractionCache(settings.cache_dir) if cacheable else None
    ocr_ready = bool(cache) and _ocr_ready(settings)
    cached = cache.get(sha256, settings, ocr_ready, doc_id, str(path)) if cache else None
    if cached is not None:
        yield cached
        return
    for document in _read(kind, path, data, doc_id, settings, on_bad_record):
        document = replace(document, sha256=sha256, source_kind=kind, lang=document.lang or detect_lang(document.text[:5000]))
        if cache:
            cache.put(document, settings, ocr_ready)
        yield document


def jsonl_parts(path, part_bytes: int) -> list[RecordRange]:
    """``records.record_ranges`` of a .jsonl file that begins as text; [] for one that does not (its one task says why)."""
    try:
        with open(path, "rb") as handle:
            _check_content(handle.read(1024), "jsonl")
    except (OSError, ExtractionError):
        return []
    return record_ranges(path, part_bytes)


def _record_range(path: Path, doc_id: str, part: RecordRange, on_bad_record) -> Iterator[Document]:
    from textmine.inputs.extract.text import jsonl_records

    try:
        text = read_range(path, part)
    except UnicodeDecodeError as error:
        raise ExtractionError(f"not valid UTF-8 at byte {part.start + error.start} (the file changed while it was read)", "decode") from error
    for document in jsonl_records(path, text, doc_id, part.first, on_bad_record):
        yield replace(document, sha256=part.sha256, source_kind="jsonl", lang=document.lang or detect_lang(document.text[:5000]))


def _ocr_ready(settings: ExtractSettings) -> bool:
    from textmine.inputs.extract.ocr import tesseract

    return bool(settings.ocr and tesseract())


def _read(kind, path, data, doc_id, settings, on_bad_record) -> Iterator[Document]:
    if kind == "jsonl":
        from textmine.inputs.extract.text import read_jsonl

        yield from read_jsonl(path, data, doc_id, settings.encoding, on_bad_record)
        return
    if kind == "pdf":
        from textmine.inputs.extract.pdf import read_pdf

        document = read_pdf(path, data, doc_id, settings)
    elif kind == "txt":
        from textmine.inputs.extract.text import read_text

        document = read_text(path, data, doc_id, settings.encoding)
    elif kind == "docx":
        from textmine.inputs.extract.docx import read_docx

        document = read_docx(path, data, doc_id)
    else:
        from textmine.inputs.extract.html import read_html

        document = read_html(path, data, doc_id, settings.encoding)
    if not document.text.strip():
        raise ExtractionError("no text found in the document", "extract")
    yield document


def _check_content(data: bytes, kind: str) -> None:
    if not data or data.isspace():  # not data.strip(): that copies the whole file
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
