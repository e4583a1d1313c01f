"""Worker processes die with the process that started them (no orphans after ``kill -9``).

On Linux the kernel is asked to SIGKILL the worker when its parent dies (``prctl(PR_SET_PDEATHSIG)``);
a thread of the worker also waits for the process that started it (a fork server's workers are
the server's children), and without either a thread checks every second that its parent is there.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import multiprocessing
import os
import signal
import sys
import threading
import time
from multiprocessing.connection import wait

PR_SET_PDEATHSIG = 1
WATCH_SECONDS = 1.0


def die_with_parent() -> None:
    """Make this (worker) process end as soon as the process that started it ends.

    A worker of a fork server is the server's child: the kernel's signal covers only a forked
    worker, so a thread also waits for the starting process (multiprocessing's parent sentinel)."""
    parent = os.getppid()
    starter = multiprocessing.parent_process()
    if starter is not None and starter.sentinel is not None:
        threading.Thread(target=_wait_for, args=(starter.sentinel,), name="textmine-lifeline", daemon=True).start()
    if not _kill_on_parent_death() and starter is None:
        threading.Thread(target=_watch, args=(parent,), name="textmine-lifeline", daemon=True).start()
    if os.getppid() != parent:  # the parent died before the request took effect
        os._exit(1)


def _wait_for(sentinel) -> None:
    wait([sentinel])
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
