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
from typing import Callable, Iterator

from textmine.core.errors import ExtractionError
from textmine.core.limits import MAX_JSON_DEPTH, MAX_RECORD_CHARS, LimitError
from textmine.core.types import Document, Page

CANDIDATE_ENCODINGS = ["gb18030", "big5", "cp1252", "cp1250", "shift_jis", "euc_jp", "euc_kr", "utf_16"]
MAX_CHAOS = 0.3
TEXT_FIELDS = ("text", "content", "body", "fulltext")
MAX_METADATA_CHARS = 300
# below this many bytes outside ASCII (in a file under SHORT_FILE bytes) detection is a coin toss
# (GBK of 5-9 characters: 12 of 16 read as EUC-KR or Big5): decodings that disagree are refused
MIN_DETECT_BYTES, SHORT_FILE = 48, 1024


def decode_text(data: bytes, encoding: str | None = None) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of a text file; ``encoding`` (e.g. --encoding) skips detection."""
    if encoding:
        return _decode_as(data, encoding), encoding
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    if b"\x00" in data[:4096]:
        found = _utf16_without_bom(data)
        if found is None:
            raise ExtractionError("binary file, not text", "detect")
        return found
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    return _detect(data)


def _decode_as(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding).removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        raise ExtractionError(f"not valid {encoding} at byte {error.start} (--encoding {encoding})", "decode") from error


def _utf16_without_bom(data: bytes) -> tuple[str, str] | None:
    """UTF-16 text without a byte-order mark: NUL bytes on one side of every pair (ASCII characters)."""
    sample = data[:4096]
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    encoding = "utf-16-le" if odd > even else "utf-16-be"
    if len(data) % 2 or max(even, odd) < 4 * min(even, odd) + 1:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = sum(1 for char in text[:4096] if char < " " and char not in "\t\n\r\f")
    return (text, encoding) if controls <= 0.01 * min(len(text), 4096) else None


def _detect(data: bytes) -> tuple[str, str]:
    from charset_normalizer import from_bytes

    matches = [m for m in from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS) if m.chaos <= MAX_CHAOS]
    if not matches:
        raise ExtractionError("unknown text encoding: save the file as UTF-8, or give it with --encoding", "decode")
    best = matches[0]
    outside_ascii = len(data.translate(None, bytes(range(128))))
    if outside_ascii < MIN_DETECT_BYTES and len(data) < SHORT_FILE:
        readings = list(dict.fromkeys(m.encoding for m in matches if str(m) != str(best)))
        if readings:
            raise ExtractionError(
                f"too short to tell the text encoding ({outside_ascii} bytes outside ASCII): it reads as {best.encoding} "
                f"or {' or '.join(readings[:3])}; give it with --encoding (e.g. --encoding {best.encoding})", "decode")
    return str(best), best.encoding


_FRONT_MATTER = re.compile(r"\A---[ \t]*\n.*?\n(?:---|\.\.\.)[ \t]*\n", re.S)


def read_text(path: Path, data: bytes, doc_id: str, encoding: str | None = None) -> Document:
    text, encoding = decode_text(data, encoding)
    front = _FRONT_MATTER.match(text[:20_000])
    if front:  # YAML front matter of markdown files is metadata, not text
        text = text[front.end() :]
    pages = tuple(Page(number, page_text, "plain") for number, page_text in enumerate(text.split("\f"), start=1))
    return Document(doc_id, str(path), pages, metadata={"encoding": encoding})


def read_jsonl(path: Path, data: bytes, doc_id: str, encoding: str | None = None,
               on_bad_record: Callable[[dict], None] | None = None) -> Iterator[Document]:
    """One document per line; the text is in a `text` or `content` field, scalars become metadata.

    A line that is not a usable record is passed to ``on_bad_record`` as a failures.csv row
    (file ``<path>#<line>``) and reading goes on; without ``on_bad_record`` it raises."""
    text, _ = decode_text(data, encoding)
    return jsonl_records(path, text, doc_id, 1, on_bad_record)


def jsonl_records(path: Path, text: str, doc_id: str, first: int = 1,
                  on_bad_record: Callable[[dict], None] | None = None) -> Iterator[Document]:
    """The documents of the JSON lines of ``text``, the first of them line ``first`` of the file (``read_jsonl``).
    Lines end at "\n" (JSON Lines): a line separator inside a JSON string (U+2028) does not cut a record."""
    from textmine.core.failures import display_path, error_row

    for number, line in enumerate(text.split("\n"), start=first):
        if not line.strip():
            continue
        try:
            yield _record_document(path, doc_id, number, line)
        except ExtractionError as error:
            if on_bad_record is None:
                raise
            on_bad_record(error_row(f"{display_path(path)}#{number}", error))


def _record_document(path: Path, doc_id: str, number: int, line: str) -> Document:
    record = parse_record(line, number)
    field = next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
    if field is None:
        raise ExtractionError(f"line {number}: no text field (one of {', '.join(TEXT_FIELDS)}) holding a string", "decode")
    if not record[field].strip():
        raise ExtractionError(f"line {number}: the text field '{field}' is empty", "extract")
    metadata = _metadata(record, field)
    metadata["record"] = number
    return Document(f"{doc_id}_{number}", f"{path}#{number}", (Page(1, record[field], "plain"),), metadata=metadata)


def _metadata(record: dict, field: str | None) -> dict:
    return {key: value for key, value in record.items()
            if key != field and isinstance(value, (str, int, float, bool)) and len(str(value)) <= MAX_METADATA_CHARS}


def parse_record(line: str, number: int) -> dict:
    """One .jsonl line as a dict, within the size and nesting limits; ExtractionError naming the line otherwise."""
    if len(line) > MAX_RECORD_CHARS:
        raise LimitError(f"line {number}: a record of {len(line):,} characters is over the limit of {MAX_RECORD_CHARS:,}")
    if line.count("[") + line.count("{") > MAX_JSON_DEPTH:  # else it cannot nest deeper; most records have few brackets
        _check_depth(line, number)
    try:
        record = json.loads(line)
    except json.JSONDecodeError as error:
        raise ExtractionError(f"line {number}, column {error.colno}: not valid JSON ({error.msg})", "decode") from error
    if not isinstance(record, dict):
        raise ExtractionError(f"line {number}: a JSON {type(record).__name__}, not an object with a text field", "decode")
    return record


def _check_depth(line: str, number: int) -> None:
    from textmine.core.untrusted import json_depth  # numpy, for the few records with many brackets

    depth = json_depth(line.encode("utf-8"))
    if depth > MAX_JSON_DEPTH:
        raise LimitError(f"line {number}: JSON nested {depth} deep, over the limit of {MAX_JSON_DEPTH}")


def jsonl_metadata_fields(path: Path, encoding: str | None = None) -> list[str]:
    """The metadata fields that `read_jsonl` will produce for a file (for table headers)."""
    from textmine.inputs.extract.source import read_input

    fields: dict[str, None] = {}
    try:
        text, _ = decode_text(read_input(path), encoding)
    except (OSError, ExtractionError):
        return []
    for line in text.split("\n"):
        try:
            record = parse_record(line, 0)
        except ExtractionError:
            continue
        field = next((f for f in TEXT_FIELDS if isinstance(record.get(f), str)), None)
        fields.update(dict.fromkeys(_metadata(record, field)))
    return [*fields, "record"]
