"""The lines of a large .jsonl file as byte ranges, so that several workers read one file, each only its part.

``record_ranges`` cuts a valid UTF-8 file (the encoding of JSON Lines) after a newline about every
``part_bytes`` bytes; ``read_range`` gives a part's text. A part decodes to exactly the lines the whole file
has there: in UTF-8 the byte of a newline is never inside a character. Other files are not cut (one task
reads them, and says what is wrong with them).
"""

from __future__ import annotations

import codecs
import hashlib
import mmap
import os
from dataclasses import dataclass

BOM = codecs.BOM_UTF8
CHECK_BYTES = 1 << 24  # UTF-8 is checked in blocks of this size, so that a file of any size is never held whole


@dataclass(frozen=True)
class RecordRange:
    """Bytes ``start``..``end`` of a .jsonl file: its lines ``first``..``last``; ``sha256`` of the whole file (the
    documents of its records carry it)."""

    first: int
    last: int
    start: int
    end: int
    sha256: str


def record_ranges(path, part_bytes: int) -> list[RecordRange]:
    """The parts of a UTF-8 .jsonl file of more than ``part_bytes`` bytes, in order; [] for any other file."""
    try:
        with open(path, "rb") as handle:
            if os.fstat(handle.fileno()).st_size <= part_bytes:
                return []
            with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as data:
                return _ranges(data, part_bytes)
    except (OSError, ValueError):
        return []


def _ranges(data, part_bytes: int) -> list[RecordRange]:
    position = len(BOM) if data[:3] == BOM else 0
    if b"\x00" in data[:4096] or not _is_utf8(data, position):
        return []
    sha256 = hashlib.sha256(data).hexdigest()
    ranges, first = [], 1
    while position < len(data):
        newline = data.find(b"\n", position + part_bytes)
        end = len(data) if newline < 0 else newline + 1
        lines = data[position:end].count(b"\n") + (newline < 0 and data[-1:] != b"\n")
        ranges.append(RecordRange(first, first + lines - 1, position, end, sha256))
        first += lines
        position = end
    return ranges


def _is_utf8(data, offset: int) -> bool:
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        for start in range(offset, len(data), CHECK_BYTES):
            decoder.decode(data[start : start + CHECK_BYTES])
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def read_range(path, part: RecordRange) -> str:
    with open(path, "rb") as handle:
        handle.seek(part.start)
        data = handle.read(part.end - part.start)
    return data.decode("utf-8")
