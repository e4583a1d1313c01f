"""One function run in a second process while this one goes on: ``Background(func, *args).result()``; or started
before its arguments are known, to get ready meanwhile: ``Background(func, warm_up=ready)``, then ``.give(*args)``.

The process is forked when this one has a single thread (nothing to copy but memory, shared until written), else
started from a clean server ("forkserver", or "spawn"), which needs ``func`` importable and ``args`` picklable (those
of ``give`` are always pickled). It dies with this process (``lifeline``); ``stop`` ends it early. Its exception, if
any, is raised again by ``result``.
"""

from __future__ import annotations

import signal
import traceback
from typing import Callable

from textmine.run.lifeline import die_with_parent
from textmine.run.workers import process_context


class BackgroundError(RuntimeError):
    """The traceback of an error in the background process (the ``__cause__`` of the error raised again here)."""


class Background:
    def __init__(self, func, *args, warm_up: Callable[[], object] | None = None):
        """Start ``func(*args)``; with ``warm_up``, start ``warm_up()``, and ``func`` once ``give`` has its arguments."""
        context = process_context()
        self._receive, send = context.Pipe(duplex=False)
        later, self._give = context.Pipe(duplex=False) if warm_up is not None else (None, None)
        self._process = context.Process(target=_main, args=(send, func, args, warm_up, later), daemon=True,
                                        name="textmine-background")
        self._process.start()
        send.close()
        if later is not None:
            later.close()
        self._outcome: tuple | None = None

    def give(self, *args) -> None:
        """The arguments of the function of a process started with ``warm_up`` (pickled to it)."""
        if self._give is None:
            raise RuntimeError("this process was given its arguments when it started")
        self._give.send(args)
        self._give.close()
        self._give = None

    def result(self):
        """The function's value, once it has returned (waits); raises its error."""
        if self._outcome is None:
            try:
                self._outcome = self._receive.recv()
            except EOFError:
                self._process.join()
                self._outcome = (False, BackgroundError(f"the background process ended without a result "
                                                        f"(exit status {self._process.exitcode})"), "")
            self._receive.close()
            self._process.join()
        done, value, trace = self._outcome
        if done:
            return value
        raise value from BackgroundError(trace) if trace else None

    def stop(self) -> None:
        """End the process if it still runs."""
        if self._give is not None:
            self._give.close()
            self._give = None
        if self._process.is_alive():
            self._process.terminate()
        self._process.join()

    def __enter__(self) -> Background:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


def _main(send, func, args, warm_up, later) -> None:
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    try:
        if warm_up is not None:
            warm_up()
            args = later.recv()
        outcome = (True, func(*args), "")
    except BaseException as error:  # noqa: BLE001  (given to the parent, which raises it)
        outcome = (False, error, traceback.format_exc())
    try:
        send.send(outcome)
    except Exception as error:  # noqa: BLE001  (an unpicklable value or error)
        send.send((False, BackgroundError(f"{type(error).__name__}: {error}"), outcome[2]))
    send.close()
