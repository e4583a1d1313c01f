"""Walking an input folder without losing anything silently and without leaving it.

Every entry that is not a folder is yielded, in sorted order, with a ``problem`` when it
cannot be read as an input: a folder that cannot be listed, a symbolic link pointing
outside the input folder (followed only with ``follow_symlinks``). Broken links, FIFOs
and devices are yielded like files; reading them fails with the reason (``extract.source``).
Hidden entries (``.name``, ``~$name``) are left out. A link to a folder inside the input folder
is not walked (its files are found where they are); a followed link to a folder outside is
walked once (links back up cannot loop).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator


@dataclass(frozen=True)
class Entry:
    path: Path
    problem: str | None = None  # why it cannot be read, found while walking
    folder: bool = False  # a folder that could not be listed or followed


def hidden(name: str) -> bool:
    return name.startswith((".", "~$"))


def walk(root: Path, follow_symlinks: bool = False) -> Iterator[Entry]:
    """The entries under folder ``root`` (see the module docstring)."""
    real_root = os.path.realpath(root)
    yield from _walk(Path(root), real_root, follow_symlinks, {real_root})


def _walk(folder: Path, real_root: str, follow: bool, seen: set[str]) -> Iterator[Entry]:
    try:
        with os.scandir(folder) as listing:
            entries = sorted(listing, key=lambda e: e.name)
    except OSError as error:
        yield Entry(folder, f"cannot list folder: {error.strerror or error}; its files were not read", folder=True)
        return
    for entry in entries:
        if hidden(entry.name):
            continue
        path = Path(entry.path)
        if entry.is_symlink():
            target = os.path.realpath(path)
            inside = target == real_root or target.startswith(real_root.rstrip(os.sep) + os.sep)
            is_dir = os.path.isdir(path)
            if not inside and not follow and os.path.exists(path):
                what = "folder" if is_dir else "file"
                yield Entry(path, f"symbolic link to the {what} {target}, outside the input folder: not followed "
                                  "(use --follow-symlinks)", folder=is_dir)
            elif is_dir and not inside and target not in seen:  # inside, its files are walked where they are
                seen.add(target)
                yield from _walk(path, real_root, follow, seen)
            elif not is_dir:
                yield Entry(path)
        elif entry.is_dir(follow_symlinks=False):
            yield from _walk(path, real_root, follow, seen)
        else:
            yield Entry(path)
