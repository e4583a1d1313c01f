"""Resource limits on what one input may make textmine expand, checked before the bytes are expanded.

A hostile or broken file must fail alone (a failures.csv row with stage ``limit``),
not take the machine's memory: these bound what a small file can declare.
"""

from __future__ import annotations

from textmine.core.errors import ExtractionError

MiB = 1 << 20
MAX_TEXT_FILE_BYTES = 32 * MiB  # .txt/.md/.html: a document, not a corpus (corpora go in .jsonl)
MAX_RECORD_CHARS = 16 * MiB  # one line of a .jsonl corpus
MAX_JSON_DEPTH = 64  # nesting of one .jsonl record
MAX_ZIP_PART_BYTES = 256 * MiB  # one part of a .docx, unpacked
MAX_ZIP_TOTAL_BYTES = 512 * MiB  # all parts of a .docx, unpacked
MAX_ZIP_PARTS = 10_000
MAX_PDF_STREAM_BYTES = 256 * MiB  # one decompressed PDF stream other than an image
MAX_PDF_TOTAL_BYTES = 1024 * MiB  # all of them


class LimitError(ExtractionError):
    """An input declares more than textmine expands for one document."""

    def __init__(self, message: str):
        super().__init__(message, "limit")


def size_text(n: int) -> str:
    """1 MiB, 4 GiB, 300 bytes: sizes in messages."""
    for unit, size in (("GiB", 1 << 30), ("MiB", MiB), ("KiB", 1 << 10)):
        if n >= size:
            return f"{n / size:.3g} {unit}"
    return f"{n} bytes"


def check_zip(data: bytes, what: str = ".docx") -> None:
    """Refuse a zip container whose entries declare more than the limits, before anything is unpacked.

    Python's zipfile never unpacks more than an entry's declared size, so the declared sizes bound
    what reading the container can expand to."""
    import io
    import zipfile

    try:
        entries = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except (zipfile.BadZipFile, ValueError, EOFError) as error:
        raise ExtractionError(f"corrupt {what} file ({error})", "open") from error
    if len(entries) > MAX_ZIP_PARTS:
        raise LimitError(f"{what} with {len(entries):,} parts, over the limit of {MAX_ZIP_PARTS:,}")
    biggest = max(entries, key=lambda e: e.file_size, default=None)
    if biggest is not None and biggest.file_size > MAX_ZIP_PART_BYTES:
        raise LimitError(f"{what} part {biggest.filename} unpacks to {size_text(biggest.file_size)}, over the limit of "
                         f"{size_text(MAX_ZIP_PART_BYTES)} (a zip bomb?)")
    total = sum(e.file_size for e in entries)
    if total > MAX_ZIP_TOTAL_BYTES:
        raise LimitError(f"{what} unpacks to {size_text(total)}, over the limit of {size_text(MAX_ZIP_TOTAL_BYTES)} (a zip bomb?)")
