"""One place that turns whatever went wrong with one input into its failures.csv row.

A row is ``file`` (the input, shown safely even when its name is not valid UTF-8, with
``#<line>`` for one record of a .jsonl file), ``stage`` (where it failed: see
``STAGES``) and ``reason`` (one line).
"""

from __future__ import annotations

import os

from textmine.core.errors import ExtractionError

COLUMNS = ("file", "stage", "reason")
STAGES = {
    "read": "the file could not be read: permissions, a broken symbolic link, not a regular file, a folder that cannot be listed",
    "detect": "the content is not what the extension says, or the file type is not supported",
    "limit": "the file declares more than textmine expands (a size, a decompressed stream, nesting): a bomb or a broken file",
    "open": "the file is corrupt, truncated or encrypted",
    "decode": "the text encoding or a JSON record cannot be read",
    "extract": "no text was found",
    "ocr": "pages need OCR that could not be done",
    "process": "an unexpected error while reading or coding the document (a bug or a library failure)",
    "timeout": "the file took longer than --timeout",
    "crash": "the worker process died reading the file (a crash in a library)",
    "worker": "every Dask worker that tried the file died (killed, out of memory)",
}


def display_path(path) -> str:
    """A path as text that can always be written (bytes that are not UTF-8 shown as \\xNN)."""
    return os.fsencode(path).decode("utf-8", "backslashreplace")


def error_row(file, error: BaseException) -> dict:
    """The failures.csv row for ``error`` raised while reading or coding ``file``."""
    if isinstance(error, ExtractionError):
        stage, reason = error.stage, str(error)
    elif isinstance(error, MemoryError):
        stage, reason = "limit", "ran out of memory reading this file"
    elif isinstance(error, RecursionError):
        stage, reason = "limit", "nested too deeply to read"
    elif isinstance(error, OSError):
        stage, reason = "read", f"cannot read file: {error.strerror or error}"
    else:
        stage, reason = "process", f"{type(error).__name__}: {error}"
    return {"file": file if isinstance(file, str) else display_path(file), "stage": stage, "reason": " ".join(reason.split())}
