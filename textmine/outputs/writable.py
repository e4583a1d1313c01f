"""An output folder that can be written, or a clear error before any work is done."""

from __future__ import annotations

import tempfile
from pathlib import Path

from textmine.core.errors import InputError
from textmine.core.failures import display_path


def writable_folder(out, option: str = "--out") -> Path:
    """Create ``out`` if needed and check that files can be written in it."""
    out = Path(out)
    try:
        out.mkdir(parents=True, exist_ok=True)
        with tempfile.TemporaryFile(dir=out):
            pass
    except OSError as error:
        raise InputError(f"{option} {display_path(out)}: cannot write there ({error.strerror or error})") from error
    return out
