"""Run the per-file work (extract, OCR, segment, code) as Dask tasks.

``dask_outcomes`` is ``workers.run_ordered`` on a Dask cluster: an existing scheduler
(``--scheduler ADDRESS``, ``--scheduler-file FILE``) or a ``LocalCluster`` of N worker
processes (``--cluster local:N``). Imported only for these options: dask is an optional
extra (``pip install 'textmine[dask]'``).

Each Dask task runs its file in a textmine process that the Dask worker thread keeps
(``workers.OneAtATime``), so the time limit (``--timeout``) holds and a PDF that crashes its
process gives a ``crash`` row, as in a local run, while the Dask worker lives on. A Dask worker
that dies (killed, out of memory) has its task run again on another worker by the scheduler;
a file that stops ``distributed.scheduler.allowed-failures`` + 1 workers is given up
(failures.csv stage ``worker``). Tasks return compact results (``docresult``): the client
holds at most ``window`` of them, written in input order. Workers get absolute paths (of the inputs,
lexicons, models and cache), which must name the same files on every machine (shared storage).
"""

from __future__ import annotations

import logging
import threading
import uuid
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Callable, Iterator, Sequence

from textmine.inputs.extract import warm_up
from textmine.run.filetask import code_file_with, coder_shaping
from textmine.run.workers import OneAtATime, Outcome

ALLOWED_FAILURES = 3  # of a LocalCluster; an existing scheduler has its own setting (default 3)
_LOCAL = threading.local()  # the textmine process of a Dask worker thread


def dask_outcomes(files: Sequence, settings, limit: Callable, notice: Callable[[str], None] | None = None) -> Iterator[Outcome]:
    """One Outcome per file, in the order of ``files``; ``notice`` gets the dashboard address when there is one."""
    from distributed import as_completed

    with _client(settings) as client:
        dashboard = client.scheduler_info().get("services", {}).get("dashboard")
        if notice is not None and dashboard:
            notice(f"Dask dashboard: {client.dashboard_link}")
        window = max(8, 4 * sum(client.nthreads().values()))
        task_settings = _absolute(settings)
        run = uuid.uuid4().hex[:12]
        futures = as_completed()
        index_of: dict[str, int] = {}
        ready: dict[int, Outcome] = {}
        next_submit = next_out = 0
        while next_out < len(files):
            while next_submit < len(files) and next_submit - next_out < window:
                item = files[next_submit]
                future = client.submit(_task, replace(item, path=item.path.absolute()), task_settings, limit(item),
                                       key=f"textmine-{run}-{next_submit}", pure=False)
                index_of[future.key] = next_submit
                futures.add(future)
                next_submit += 1
            future = next(futures)
            index = index_of.pop(future.key)
            ready[index] = _outcome(index, future)
            future.release()
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1


@contextmanager
def _client(settings):
    import dask
    from distributed import Client, LocalCluster

    if settings.cluster:
        with dask.config.set({"distributed.scheduler.allowed-failures": ALLOWED_FAILURES}):
            cluster = LocalCluster(n_workers=settings.cluster, threads_per_worker=1, processes=True, silence_logs=logging.ERROR,
                                   dashboard_address=":0")
        with cluster, Client(cluster) as client:
            yield client
    else:
        with Client(settings.scheduler, scheduler_file=settings.scheduler_file) as client:
            yield client


def _absolute(settings):
    """``settings`` with the paths it names absolute: a worker does not run in this process's folder."""
    def absolute(path: str) -> str:
        return str(Path(path).absolute()) if Path(path).exists() else path  # a model may be a shipped one's name

    return replace(settings, lexicons=tuple(map(absolute, settings.lexicons)), models=tuple(map(absolute, settings.models)),
                   cache_dir=settings.cache_dir and str(Path(settings.cache_dir).absolute()))


def _outcome(index: int, future) -> Outcome:
    from distributed import KilledWorker

    try:
        stage, reason, value, seconds = future.result()
    except KilledWorker:
        return Outcome(index, stage="worker", reason="the file stopped every Dask worker that tried it (killed, out of memory "
                       "or a crash); given up after the cluster's allowed-failures")
    except Exception as error:  # textmine's own guard catches the document's errors; this is the task's
        return Outcome(index, stage="crash", reason=f"{type(error).__name__}: {error}")
    return Outcome(index, value, stage, reason, seconds)


def _task(input_file, settings, seconds: float | None) -> tuple:
    """Run on a Dask worker: the file's compact result, or the stage and reason it failed."""
    if getattr(_LOCAL, "runner", None) is None:  # kept for the next tasks, and the next runs
        _LOCAL.runner = OneAtATime(code_file_with, warm_up)
    runner = _LOCAL.runner
    if getattr(_LOCAL, "ready_for", None) != (runner.starts, coder_shaping(settings)):  # the coder is built outside the time limit
        runner.call((None, settings), None)
        _LOCAL.ready_for = (runner.starts, coder_shaping(settings))
    outcome = runner.call((input_file, settings), seconds)
    return outcome.stage, outcome.reason, outcome.value, outcome.seconds
