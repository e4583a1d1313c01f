"""Plain text (.txt, .md) and JSON-lines corpora, with reliable encoding detection.

UTF-8 (with or without BOM) and UTF-16 with BOM are recognised exactly; other
text is decoded by charset-normalizer among the encodings policy documents
come in (GB18030 covers GBK and GB2312; Big5; Windows-1252 …), and rejected
when no candidate decodes it coherently.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Iterator

from textmine.core.errors import ExtractionError
from textmine.core.types import Document, Page

CANDIDATE_ENCODINGS = ["gb18030", "big5", "cp1252", "cp1250", "shift_jis", "euc_kr", "utf_16"]
MAX_CHAOS = 0.3
TEXT_FIELDS = ("text", "content", "body", "fulltext")
MAX_METADATA_CHARS = 300


def decode_text(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a text file."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    if b"\x00" in data[:4096]:
        raise ExtractionError("binary file, not text", "detect")
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None or best.chaos > MAX_CHAOS:
        raise ExtractionError("unknown text encoding: save the file as UTF-8", "decode")
    return str(best), best.encoding


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)


def read_text(path: Path, data: bytes, doc_id: str) -> Document:
    text, encoding = decode_text(data)
    front = _FRONT_MATTER.match(text[:20_000])
    if front:  # YAML front matter of markdown files is metadata, not text
        text = text[front.end() :]
    pages = tuple(Page(number, page_text, "plain") for number, page_text in enumerate(text.split("\f"), start=1))
    return Document(doc_id, str(path), pages, metadata={"encoding": encoding})


def read_jsonl(path: Path, data: bytes, doc_id: str) -> Iterator[Document]:
    """One document per line; the text is in a `text` or `content` field, scalars become metadata."""
    text, _ = decode_text(data)
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise ExtractionError(f"line {number}: not valid JSON ({error.msg})", "decode") from error
        field = next((f for f in TEXT_FIELDS if isinstance(record, dict) and isinstance(record.get(f), str)), None)
        if field is None:
            raise ExtractionError(f"line {number}: no text field (one of {', '.join(TEXT_FIELDS)})", "decode")
        metadata = {
            key: value
            for key, value in record.items()
            if key != field and isinstance(value, (str, int, float, bool)) and len(str(value)) <= MAX_METADATA_CHARS
        }
        metadata["record"] = number
        pages = (Page(1, record[field], "plain"),)
        yield Document(f"{doc_id}_{number}", f"{path}#{number}", pages, metadata=metadata)


def jsonl_metadata_fields(path: Path) -> list[str]:
    """The metadata fields that `read_jsonl` will produce for a file (for table headers)."""
    fields: dict[str, None] = {}
    try:
        text, _ = decode_text(path.read_bytes())
    except (OSError, ExtractionError):
        return []
    for line in text.splitlines():
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            continue
        if not isinstance(record, dict):
            continue
        field = next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
        for key, value in record.items():
            if key != field and isinstance(value, (str, int, float, bool)) and len(str(value)) <= MAX_METADATA_CHARS:
                fields[key] = None
    return [*fields, "record"]
