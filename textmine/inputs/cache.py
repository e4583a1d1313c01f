"""A cache of extracted documents, so that a re-run or an interrupted run skips finished extraction.

An entry is the JSON of one extracted document, stored under a key made of
the file's SHA-256, the extraction settings that change the text (OCR on or
off, OCR language, whether Tesseract is there) and a hash of the extraction
code itself, so that a new textmine version never serves stale text. Entries
are written atomically (a temporary file renamed into place) and are plain
JSON: loading one cannot run code. Documents whose pages still need OCR are
not cached, so that installing Tesseract takes effect.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import asdict
from functools import lru_cache
from pathlib import Path

from textmine import __version__
from textmine.core.types import Block, Document, Page

FORMAT = 1
_CODE_FILES = ("inputs/extract", "inputs/cache.py", "core/normalize.py", "core/languages.py", "core/types.py")
_UNFINISHED = ("OCR is needed", "OCR failed")


def default_cache_dir() -> Path:
    """$TEXTMINE_CACHE_DIR, else $XDG_CACHE_HOME/textmine, else ~/.cache/textmine."""
    if os.environ.get("TEXTMINE_CACHE_DIR"):
        return Path(os.environ["TEXTMINE_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "textmine"


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of the source of everything that decides extracted text."""
    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(__version__.encode())
    for name in _CODE_FILES:
        path = root / name
        for file in sorted(path.rglob("*.py")) if path.is_dir() else [path]:
            digest.update(file.read_bytes())
    return digest.hexdigest()[:16]


class ExtractionCache:
    """Extracted documents on disk under ``folder/extract/``, keyed by content and settings."""

    def __init__(self, folder):
        self.folder = Path(folder) / "extract"

    def key(self, sha256: str, settings, ocr_ready: bool) -> str:
        """``ocr_ready``: whether OCR can run (it is on and Tesseract is installed)."""
        parts = [sha256, code_version(), str(settings.ocr), str(settings.ocr_lang), str(ocr_ready)]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def _path(self, key: str) -> Path:
        return self.folder / key[:2] / f"{key}.json"

    def get(self, sha256: str, settings, ocr_ready: bool, doc_id: str, path: str) -> Document | None:
        """The cached document for this content and settings, named ``doc_id`` at ``path``; None if absent or unreadable."""
        try:
            entry = json.loads(self._path(self.key(sha256, settings, ocr_ready)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return None
        if entry.get("format") != FORMAT:
            return None
        return _document(entry["document"], doc_id, path)

    def put(self, document: Document, settings, ocr_ready: bool) -> None:
        if any(flag in w for page in document.pages for w in page.warnings for flag in _UNFINISHED):
            return
        target = self._path(self.key(document.sha256, settings, ocr_ready))
        data = json.dumps({"format": FORMAT, "document": _record(document)}, ensure_ascii=False)
        try:
            target.parent.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                handle.write(data)
            os.replace(tmp, target)
        except OSError:  # a cache that cannot be written only costs time
            if "tmp" in locals() and os.path.exists(tmp):
                os.unlink(tmp)


def _record(document: Document) -> dict:
    record = asdict(document)
    del record["doc_id"], record["path"]
    record["metadata"] = dict(document.metadata)
    return record


def _document(record: dict, doc_id: str, path: str) -> Document:
    pages = tuple(Page(p["number"], p["text"], p["method"], tuple(p["warnings"]), _blocks(p.get("tables", ())),
                       tuple((h[0], h[1]) for h in p.get("headings", ())))
                  for p in record["pages"])
    blocks = _blocks(record["blocks"])
    return Document(doc_id, path, pages, record["lang"], record["sha256"], record["metadata"], blocks, record["source_kind"])


def _blocks(records) -> tuple[Block, ...]:
    return tuple(Block(b["text"], b["page"], b["style"], b.get("table", "")) for b in records)
