"""Reading the bytes of one input file safely: regular files only, never blocking, bounded in size."""

from __future__ import annotations

import os
import stat
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.core.limits import LimitError, size_text

_NOT_REGULAR = ((stat.S_ISFIFO, "a FIFO (named pipe)"), (stat.S_ISCHR, "a character device"),
                (stat.S_ISBLK, "a block device"), (stat.S_ISSOCK, "a socket"), (stat.S_ISDIR, "a folder"))


def read_input(path: Path, limit: int | None = None) -> bytes:
    """The bytes of the regular file ``path`` (at most ``limit``), or an ExtractionError saying why not.

    The file is opened without blocking and checked after opening, so a FIFO or a device
    (a symlink to /dev/zero) is refused instead of read forever."""
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    except OSError as error:
        raise ExtractionError(_open_reason(path, error), "read") from error
    with os.fdopen(fd, "rb") as handle:
        mode = os.fstat(fd).st_mode
        what = next((name for test, name in _NOT_REGULAR if test(mode)), None)
        if what:
            raise ExtractionError(f"not a regular file but {what}: textmine reads only regular files", "read")
        size = os.fstat(fd).st_size
        if limit is not None and size > limit:
            raise LimitError(f"file of {size_text(size)} is over the limit of {size_text(limit)} for this kind of file")
        try:
            data = handle.read(-1 if limit is None else limit + 1)
        except OSError as error:
            raise ExtractionError(f"cannot read file: {error.strerror or error}", "read") from error
    if limit is not None and len(data) > limit:
        raise LimitError(f"file grew over the limit of {size_text(limit)} while it was read")
    return data


def _open_reason(path: Path, error: OSError) -> str:
    if os.path.islink(path) and not os.path.exists(path):
        return f"broken symbolic link (it points to {os.readlink(path)!r}, which does not exist)"
    return f"cannot read file: {error.strerror or error}"
