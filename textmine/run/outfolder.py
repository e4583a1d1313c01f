"""The output folder of `run`: one run at a time, and nothing left of the previous run.

While a run writes, it holds a lock on ``OUT/.textmine.lock`` (an OS lock, released when the
process ends, even by ``kill -9``): a second run into the same folder stops at once with a
one-line error (exit 2). Every file the run completes is listed in the manifest
``OUT/.textmine-run.json`` (state running / complete / failed); the next run into the folder
first deletes exactly the files listed there and the ``.part`` files an interrupted run left,
never anything else. A folder holding a manifest is never read as input.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from pathlib import Path
from types import ModuleType

from textmine import __version__
from textmine.core.constants import OUTPUT_MANIFEST
from textmine.core.errors import InputError
from textmine.core.export import observe_writes
from textmine.outputs.writable import writable_folder

LOCK_FILE = ".textmine.lock"
PART_FOLDERS = ("", "figures")  # where an interrupted run may leave .part files
_HELD: set[Path] = set()  # folders locked by this process (OS locks do not exclude the process itself)

fcntl: ModuleType | None
try:
    import fcntl
except ImportError:  # Windows: only runs within this process are excluded
    fcntl = None


class OutputFolder:
    """``with OutputFolder(out) as folder:`` … ``folder.start()`` locks ``out`` and clears the previous run's files;
    the block's end releases the lock."""

    def __init__(self, path):
        self.path = Path(path)
        self.files: list[str] = []
        self._lock = None
        self._owner = -1
        self._started = ""
        self._watch = None

    def __enter__(self) -> OutputFolder:
        return self

    def start(self) -> Path:
        """Lock the folder, delete the previous run's files and stale .part files, and record every file written from now on.

        Called once the run's inputs and options are known to be good, so that a refused run
        leaves the folder (or its absence) and the previous results as they were."""
        self._take_lock()
        self._remove_previous()
        self._started = dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")
        self._save("running")
        self._watch = observe_writes(self._written)
        self._watch.__enter__()
        return self.path

    def _take_lock(self) -> None:
        writable_folder(self.path)
        if self.path.resolve() in _HELD:  # checked first: closing a second handle would drop this process's lock
            raise _busy(self.path, os.getpid())
        self._lock = open(self.path / LOCK_FILE, "a+", encoding="ascii")
        if not _try_lock(self._lock):
            self._lock.seek(0)
            owner = self._lock.read().strip() or "?"
            self._lock.close()
            raise _busy(self.path, owner)
        _HELD.add(self.path.resolve())
        self._owner = os.getpid()
        self._lock.truncate(0)
        self._lock.write(str(self._owner))
        self._lock.flush()

    def __exit__(self, kind, error, trace) -> None:
        try:
            if self._watch is not None:
                self._watch.__exit__(None, None, None)
                self._save("failed" if kind else "complete")
        finally:
            if self._lock is not None and not self._lock.closed:
                _HELD.discard(self.path.resolve())
                self._lock.close()  # releases the OS lock

    def _written(self, path: Path) -> None:
        if os.getpid() != self._owner:  # a worker process writing its cache
            return
        try:
            relative = path.resolve().relative_to(self.path.resolve()).as_posix()
        except ValueError:
            return
        if relative not in self.files:
            self.files.append(relative)
            self._save("running")

    def _save(self, state: str) -> None:
        manifest = {"textmine_version": __version__, "state": state, "pid": os.getpid(), "started": self._started,
                    "files": self.files}
        tmp = self.path / f"{OUTPUT_MANIFEST}.tmp"
        tmp.write_text(json.dumps(manifest, indent=1), encoding="utf-8")
        os.replace(tmp, self.path / OUTPUT_MANIFEST)

    def _remove_previous(self) -> None:
        root = self.path.resolve()
        folders = {root / part for part in PART_FOLDERS}
        for relative in previous_files(self.path):
            target = (root / relative).resolve()
            if root in target.parents and target.is_file():
                target.unlink()
                folders.add(target.parent)
        for folder in folders:
            for part in folder.glob(".*.part"):
                part.unlink(missing_ok=True)
        for folder in sorted(folders - {root}, key=lambda f: len(f.parts), reverse=True):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()


def previous_files(path) -> list[str]:
    """The files the manifest of folder ``path`` lists (none when there is no readable manifest)."""
    try:
        manifest = json.loads((Path(path) / OUTPUT_MANIFEST).read_text(encoding="utf-8"))
        files = manifest.get("files", [])
    except (OSError, ValueError, AttributeError):
        return []
    return [f for f in files if isinstance(f, str) and f and not Path(f).is_absolute() and ".." not in Path(f).parts]


def _busy(path: Path, owner) -> InputError:
    return InputError(f"{path}: another textmine run (process {owner}) is writing into this folder; "
                      "wait for it to finish or choose another --out")


def _try_lock(handle) -> bool:
    if fcntl is None:
        return True
    try:  # a POSIX record lock: not inherited by forked workers, released when this process dies
        fcntl.lockf(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return False
    return True
