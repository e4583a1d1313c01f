"""Worker processes die with the process that started them (no orphans after ``kill -9``).

On Linux the kernel is asked to SIGKILL the worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
elsewhere a thread of the worker checks every second that its parent is still there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def die_with_parent() -> None:
    """Make this (worker) process end as soon as its parent process ends."""
    parent = os.getppid()
    if not _kill_on_parent_death():
        threading.Thread(target=_watch, args=(parent,), name="textmine-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _kill_on_parent_death() -> bool:
    if not sys.platform.startswith("linux"):
        return False
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
        return libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _watch(parent: int) -> None:
    while os.getppid() == parent:
        time.sleep(WATCH_SECONDS)
    os._exit(1)
