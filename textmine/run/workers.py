"""Run a function over many inputs in worker processes, each input with a time limit.

``run_ordered(func, items, ...)`` yields one ``Outcome`` per item, in the
order of ``items`` whatever order the workers finish in, so that outputs are
the same on every run. A worker that exceeds the time limit is killed, one
that dies (a crash in a PDF library) is noticed; both give an Outcome with
``stage`` "timeout" or "crash", a fresh worker takes its place and the run
goes on. At most ``window`` items are in flight or waiting to be yielded, so
memory does not grow with the number of items; workers are replaced after
``max_tasks`` items to bound what a leaky library can hold.

With ``workers=1`` (or a single item) everything runs in this process (simple
to debug); the time limit then uses SIGALRM, which cannot interrupt a hang
inside C code. A worker stopped for its time limit gets SIGTERM first, which
unwinds it so that a program it runs (Tesseract) is killed with it.
Worker processes are forked from this process when it has a single thread,
else from a clean server process ("forkserver");
``initializer`` (such as building a coder) runs once per worker. A thread of
this process keeps the workers busy while the caller handles each Outcome
(``_ahead``); new workers are still forked by the calling thread.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import queue
import resource
import signal
import sys
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from functools import partial
from multiprocessing.connection import wait
from typing import Any, Callable, Iterable, Iterator, Sequence

from textmine.core.progress import listening
from textmine.run.lifeline import die_with_parent

MAX_TASKS = 200
KILL_GRACE = 2.0  # seconds a worker gets to stop after SIGTERM before SIGKILL
STOP_POLL = 0.2  # seconds between looks at whether the caller stopped the run


@dataclass
class Outcome:
    """The result of one item: ``value``, or ``stage`` ("timeout", "crash") and ``reason``."""

    index: int
    value: Any = None
    stage: str = ""
    reason: str = ""
    seconds: float = 0.0
    worker_peak_kb: int = 0  # peak resident memory of the process that ran the item, kB

    @property
    def ok(self) -> bool:
        return not self.stage


def run_ordered(func: Callable, items: Iterable, workers: int = 1, timeout: Callable[[Any], float | None] | float | None = None,
                initializer: Callable | None = None, initargs: tuple = (), window: int | None = None,
                preload: Sequence[str] = (), on_pages: Callable[[int, int, int], None] | None = None) -> Iterator[Outcome]:
    """``func(item)`` for every item, as Outcomes in item order (see the module docstring).

    ``preload``: modules the fork server imports once, before it forks workers (they must not
    initialise PDFium); only the first pool of a process starts the server.
    ``on_pages(index, done, total)``: progress within item ``index`` (``textmine.core.progress``),
    called in this process, from whichever worker runs the item."""
    limit = timeout if callable(timeout) else (lambda item: timeout)
    items = list(items)
    if min(workers, len(items)) <= 1:  # one item gains nothing from a pool
        yield from _in_process(func, items, limit, initializer, initargs, on_pages)
    else:
        pool = _Pool(func, workers, limit, initializer, initargs, window or 4 * workers, preload)
        yield from _ahead(pool, items, on_pages)


# --- in process --------------------------------------------------------------------------


class _Timeout(BaseException):
    """Raised by the alarm; a BaseException so that code catching Exception lets it through."""


def _in_process(func, items, limit, initializer, initargs, on_pages=None) -> Iterator[Outcome]:
    if initializer is not None:
        initializer(*initargs)
    for index, item in enumerate(items):
        started = time.perf_counter()
        seconds = limit(item)
        try:
            with _alarm(seconds), listening(partial(on_pages, index) if on_pages else None):
                value = func(item)
        except _Timeout:
            yield Outcome(index, stage="timeout", reason=_late(seconds), seconds=time.perf_counter() - started)
            continue
        yield Outcome(index, value, seconds=time.perf_counter() - started, worker_peak_kb=_peak_kb())


class _alarm:
    """Raise _Timeout in this thread after ``seconds`` (where signals allow it: main thread, Unix)."""

    def __init__(self, seconds: float | None):
        usable = seconds and hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
        self.seconds = seconds if usable else None

    def __enter__(self):
        if self.seconds:
            self.previous = signal.signal(signal.SIGALRM, self._fire)
            signal.setitimer(signal.ITIMER_REAL, self.seconds)

    def __exit__(self, *exc):
        if self.seconds:
            signal.setitimer(signal.ITIMER_REAL, 0)
            signal.signal(signal.SIGALRM, self.previous)

    @staticmethod
    def _fire(signum, frame):
        raise _Timeout()


def _late(seconds) -> str:
    return f"took longer than the time limit of {seconds:g} s (--timeout)"


def _peak_kb() -> int:
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak // 1024 if sys.platform == "darwin" else peak


# --- worker processes ---------------------------------------------------------------------


def process_context():
    """"fork" when this process has one thread (safe to copy); else a fork server, else spawn.
    Forking skips the server's start-up, which is most of the cost of two workers on a short run
    (1.71x against 1.51x for 2 workers over 1 on the seven RIS3 strategies)."""
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")


def _worker_main(conn, func, initializer, initargs) -> None:
    """Loop of a worker process: receive (index, item), send (index, value, seconds, peak kB)."""
    die_with_parent()
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C and stops us
    signal.signal(signal.SIGTERM, _stop)  # unwinds, so that a running Tesseract is killed too
    if initializer is not None:
        initializer(*initargs)
    conn.send("ready")  # time limits count from here, not from the start of the process
    while True:
        try:
            message = conn.recv()
        except EOFError:  # the process that started us closed the pipe without a word (a Dask worker ending)
            return
        if message is None:
            return
        index, item = message
        started = time.perf_counter()
        try:
            with listening(partial(_send_pages, conn, index)):
                value = func(item)
        except Exception as error:  # func's own bug: report it as this item's failure
            conn.send((index, None, f"{type(error).__name__}: {error}", time.perf_counter() - started, _peak_kb()))
            traceback.print_exc()
            continue
        conn.send((index, value, "", time.perf_counter() - started, _peak_kb()))


def _send_pages(conn, index: int, done: int, total: int) -> None:
    conn.send(("pages", index, done, total))


def _stop(signum, frame):
    raise SystemExit(128 + signum)


class _Worker:
    def __init__(self, context, func, initializer, initargs):
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, func, initializer, initargs), daemon=True)
        self.process.start()
        child.close()
        self.task: tuple[int, float, float | None] | None = None  # (index, started, time limit)
        self.done = 0
        self.ready = False

    def stop(self, force: bool = False) -> None:
        """Ask an idle worker to finish; terminate a busy one (or any, with ``force``); kill what stays."""
        if force or self.task is not None:
            self.process.terminate()
        else:
            try:
                self.conn.send(None)
            except (BrokenPipeError, OSError):
                pass
        self.process.join(KILL_GRACE)
        if self.process.is_alive():
            self.process.kill()
            self.process.join()
        self.conn.close()


def _ahead(pool: "_Pool", items: list, on_pages=None) -> Iterator[Outcome]:
    """The pool's Outcomes, while a thread of this process keeps its workers busy: the caller may take its time with
    each Outcome (writing rows) without the workers waiting for it. At most ``pool.window`` Outcomes wait.

    Workers are forked by this (the calling) thread only, between Outcomes: a process is copied while none of its
    threads is inside anything the copy could need (a lock held mid-write stays locked in a copy). The pool's thread
    asks for a new worker through ``handed`` and waits for it."""
    handed: queue.Queue = queue.Queue(maxsize=pool.window)
    spawned: queue.Queue = queue.Queue()
    pool.on_pages = lambda *progress: _hand(handed, ("pages", progress), pool.stopping)

    def spawn() -> _Worker:
        _hand(handed, ("spawn", None), pool.stopping)
        while not pool.stopping.is_set():
            try:
                return spawned.get(timeout=STOP_POLL)
            except queue.Empty:
                continue
        raise _Stopped()

    def drive():
        try:
            for outcome in pool.run(items):
                _hand(handed, ("outcome", outcome), pool.stopping)
        except BaseException as error:  # given to the caller, who raises it
            _hand(handed, ("error", error), pool.stopping)
        else:
            _hand(handed, ("end", None), pool.stopping)

    pool.start(len(items))
    pool.spawn = spawn
    thread = threading.Thread(target=drive, name="textmine-pool", daemon=True)
    thread.start()
    try:
        while True:
            kind, value = handed.get()
            if kind == "outcome":
                yield value
            elif kind == "spawn":
                spawned.put(pool.new_worker())
            elif kind == "pages":
                if on_pages is not None:
                    on_pages(*value)
            elif kind == "error":
                raise value
            else:
                return
    finally:
        pool.stopping.set()
        thread.join()
        while not spawned.empty():  # made for the pool's thread after it stopped
            spawned.get().stop(force=True)


class _Stopped(BaseException):
    """The caller stopped the run while the pool's thread waited for it."""


def _hand(handed: queue.Queue, message: tuple, stopping: threading.Event) -> None:
    while not stopping.is_set():
        try:
            handed.put(message, timeout=STOP_POLL)
            return
        except queue.Full:
            continue


class _Pool:
    def __init__(self, func, workers, limit, initializer, initargs, window, preload=()):
        self.context = process_context()
        if preload and self.context.get_start_method() == "forkserver":
            self.context.set_forkserver_preload(["__main__", *preload])
        elif self.context.get_start_method() == "fork":
            for module in preload:  # loaded once here, inherited by every forked worker
                importlib.import_module(module)
        self.args = (func, initializer, initargs)
        self.size, self.limit, self.window = workers, limit, window
        self.workers: list[_Worker] = []
        self.ready: dict[int, Outcome] = {}
        self.on_pages: Callable | None = None
        self.stopping = threading.Event()  # set by the caller: the run ends, its workers are stopped
        self.spawn: Callable[[], _Worker] = self.new_worker  # how the pool's thread gets a worker (``_ahead``)

    def start(self, items: int) -> None:
        self.workers = [self.new_worker() for _ in range(min(self.size, items))]

    def new_worker(self) -> _Worker:
        return _Worker(self.context, *self.args)

    def run(self, items) -> Iterator[Outcome]:
        pending = deque(enumerate(items))
        next_out = 0
        total = len(pending)
        try:
            while next_out < total and not self.stopping.is_set():
                self._dispatch(pending, next_out)
                self._collect()
                while next_out in self.ready:
                    yield self.ready.pop(next_out)
                    next_out += 1
        finally:  # normally every worker is idle here; after an error or Ctrl-C some are busy
            for worker in self.workers:
                worker.stop()

    def _dispatch(self, pending: deque, next_out: int) -> None:
        for worker in list(self.workers):
            if worker.task is not None or not worker.ready or not pending:
                continue
            index, item = pending[0]
            if index - next_out >= self.window:
                return
            if worker.done >= MAX_TASKS or not worker.process.is_alive():
                self._replace(worker)
                continue
            pending.popleft()
            worker.task = (index, time.monotonic(), self.limit(item))
            try:
                worker.conn.send((index, item))
            except (BrokenPipeError, OSError):
                pass  # the worker died: _collect reports it through its sentinel

    def _collect(self) -> None:
        busy = [w for w in self.workers if w.task is not None or not w.ready]
        if not busy:
            return
        deadlines = [w.task[1] + w.task[2] for w in busy if w.task is not None and w.task[2]]
        now = time.monotonic()
        wait_for = max(0.0, min([now + STOP_POLL, *deadlines]) - now)
        ready = wait([w.conn for w in busy] + [w.process.sentinel for w in busy], timeout=wait_for)
        for worker in busy:
            if worker.conn in ready:
                self._receive(worker)
            elif worker.process.sentinel in ready:
                self._lost(worker, "crash", _death(worker.process))
            elif worker.task is not None and worker.task[2] and time.monotonic() - worker.task[1] >= worker.task[2]:
                self._lost(worker, "timeout", _late(worker.task[2]))

    def _receive(self, worker: _Worker) -> None:
        try:
            message = worker.conn.recv()
        except (EOFError, OSError):
            self._lost(worker, "crash", _death(worker.process))
            return
        if message == "ready":
            worker.ready = True
            return
        if message[0] == "pages":  # progress within the worker's item; the item goes on
            if self.on_pages is not None:
                self.on_pages(*message[1:])
            return
        index, value, error, seconds, peak = message
        stage = "crash" if error else ""
        self.ready[index] = Outcome(index, value, stage, error, seconds, peak)
        worker.task = None
        worker.done += 1

    def _lost(self, worker: _Worker, stage: str, reason: str) -> None:
        if worker.task is None:  # died before taking an item (its initializer failed)
            raise RuntimeError(f"a worker process could not start: {reason}")
        index, started, _ = worker.task
        self.ready[index] = Outcome(index, stage=stage, reason=reason, seconds=time.monotonic() - started)
        self._replace(worker)

    def _replace(self, worker: _Worker) -> None:
        self.workers.remove(worker)
        worker.stop(force=worker.task is not None or not worker.process.is_alive())
        worker.task = None
        self.workers.append(self.spawn())


def _death(process) -> str:
    process.join(KILL_GRACE)
    code = process.exitcode
    if code is not None and code < 0:
        try:
            return f"the worker process was killed by signal {signal.Signals(-code).name} (a crash in a library?)"
        except ValueError:
            return f"the worker process was killed by signal {-code}"
    return f"the worker process died (exit status {code})"


def default_workers() -> int:
    """All cores this process may use."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except AttributeError:
        return os.cpu_count() or 1


class OneAtATime:
    """One worker process that runs items one at a time, each within its time limit, replaced when it
    dies or is stopped for its limit: the isolation of the pool for a caller that gets items one by
    one (a Dask worker's thread). The process starts on the first item and is reused."""

    def __init__(self, func: Callable, initializer: Callable | None = None, initargs: tuple = ()):
        self.args = (func, initializer, initargs)
        self.worker: _Worker | None = None
        self.starts = 0  # processes started so far

    def call(self, item, seconds: float | None) -> Outcome:
        if self.worker is None or not self.worker.process.is_alive():
            self._start()
        worker = self.worker
        assert worker is not None
        started = time.monotonic()
        worker.task = (0, started, seconds)
        worker.conn.send((0, item))
        while True:
            left = None if not seconds else max(0.0, started + seconds - time.monotonic())
            ready = wait([worker.conn, worker.process.sentinel], timeout=left)
            if worker.conn in ready:
                try:
                    message = worker.conn.recv()
                except (EOFError, OSError):
                    return self._lost("crash", _death(worker.process), started)
                if message[0] == "pages":
                    continue
                _, value, error, spent, peak = message
                worker.task = None
                return Outcome(0, value, "crash" if error else "", error, spent, peak)
            if worker.process.sentinel in ready:
                return self._lost("crash", _death(worker.process), started)
            if seconds and time.monotonic() - started >= seconds:
                return self._lost("timeout", _late(seconds), started)

    def _start(self) -> None:
        self.close()
        # A Dask worker is a daemonic process, which multiprocessing forbids to start children; this child
        # ends with it anyway (``lifeline``), so the flag is lifted while it starts.
        config = multiprocessing.current_process()._config  # type: ignore[attr-defined]
        daemon = config.pop("daemon", None)
        try:
            self.worker = _Worker(process_context(), *self.args)
            self.starts += 1
        finally:
            if daemon is not None:
                config["daemon"] = daemon
        try:
            message = self.worker.conn.recv()
        except (EOFError, OSError):
            message = None
        if message != "ready":
            raise RuntimeError(f"a worker process could not start: {_death(self.worker.process)}")
        self.worker.ready = True

    def _lost(self, stage: str, reason: str, started: float) -> Outcome:
        self.close()
        return Outcome(0, stage=stage, reason=reason, seconds=time.monotonic() - started)

    def close(self) -> None:
        if self.worker is not None:
            self.worker.stop(force=self.worker.task is not None or not self.worker.process.is_alive())
            self.worker = None
