"""The worker pool: results in input order, a time limit per item, crashes survived, memory reported."""

from __future__ import annotations

import os
import time

import pytest

from textmine.run.workers import run_ordered


def slow_and_fragile(x):
    """Module-level so that worker processes can import it."""
    if x == "hang":
        time.sleep(60)
    if x == "crash":
        os._exit(11)
    if x == "bug":
        raise ValueError("a bug in the job")
    if isinstance(x, float):
        time.sleep(x)
    return x


@pytest.mark.parametrize("workers", [1, 2])
def test_results_come_in_input_order(workers):
    items = [0.3, 0.0, 0.2, 0.0, 0.1, 0.0]
    outcomes = list(run_ordered(slow_and_fragile, items, workers=workers))
    assert [o.index for o in outcomes] == list(range(6)) and [o.value for o in outcomes] == items
    assert all(o.ok and o.worker_peak_kb > 0 for o in outcomes)


def test_a_worker_that_hangs_is_stopped_and_the_rest_goes_on():
    started = time.monotonic()
    outcomes = list(run_ordered(slow_and_fragile, ["a", "hang", "b", "c"], workers=2, timeout=1.5))
    assert time.monotonic() - started < 20
    assert [(o.value, o.stage) for o in outcomes] == [("a", ""), (None, "timeout"), ("b", ""), ("c", "")]
    assert "time limit of 1.5 s" in outcomes[1].reason


def test_a_worker_that_dies_is_reported_and_replaced():
    outcomes = list(run_ordered(slow_and_fragile, ["a", "crash", "b", "crash", "c"], workers=2, timeout=30))
    assert [o.stage for o in outcomes] == ["", "crash", "", "crash", ""]
    assert [o.value for o in outcomes if o.ok] == ["a", "b", "c"]
    assert "exit status 11" in outcomes[1].reason


def test_an_exception_in_the_job_is_that_items_failure():
    outcomes = list(run_ordered(slow_and_fragile, ["a", "bug", "b"], workers=2))
    assert [o.stage for o in outcomes] == ["", "crash", ""] and "ValueError: a bug in the job" in outcomes[1].reason


def test_in_process_the_time_limit_interrupts_python_code():
    outcomes = list(run_ordered(slow_and_fragile, ["a", 5.0, "b"], workers=1, timeout=0.5))
    assert [o.stage for o in outcomes] == ["", "timeout", ""]


def test_time_limits_can_differ_per_item():
    limits = {"quick": 0.2, "free": None}
    outcomes = list(run_ordered(slow_and_fragile, [0.5, 0.5], workers=1, timeout=lambda item: limits["quick"]))
    assert [o.stage for o in outcomes] == ["timeout", "timeout"]
    outcomes = list(run_ordered(slow_and_fragile, [0.5], workers=1, timeout=lambda item: limits["free"]))
    assert outcomes[0].ok


def runs_a_long_program(x):
    import subprocess

    subprocess.run(["sleep", "31.4159"])
    return x


@pytest.mark.skipif(not os.path.isdir("/proc"), reason="needs /proc to list running programs")
def test_a_stopped_worker_takes_its_child_program_with_it():
    """A worker over time while Tesseract runs must not leave Tesseract running."""
    from pathlib import Path

    outcomes = list(run_ordered(runs_a_long_program, [1, 2], workers=2, timeout=1))
    assert [o.stage for o in outcomes] == ["timeout", "timeout"]
    time.sleep(0.3)
    running = [p for p in Path("/proc").glob("[0-9]*/cmdline") if b"31.4159" in _read(p)]
    assert running == []


def _read(path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:
        return b""


def test_workers_are_renewed_in_a_long_run_started_by_a_script_without_a_main_guard(tmp_path):
    """Workers are replaced every MAX_TASKS items while a thread keeps them busy; a script that calls textmine at
    its top level (no ``if __name__ == "__main__"``) is not run again to start the new ones."""
    import subprocess
    import sys

    script = tmp_path / "script.py"
    script.write_text(
        "import os\n"
        "from textmine.run.workers import MAX_TASKS, run_ordered\n"
        "def pid(_):\n"
        "    return os.getpid()\n"
        "print('started', flush=True)\n"
        "outcomes = list(run_ordered(pid, range(2 * MAX_TASKS + 50), workers=2))\n"
        "print(len(outcomes) == 2 * MAX_TASKS + 50, all(o.ok for o in outcomes), len({o.value for o in outcomes}) > 2)\n",
        encoding="utf-8")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.splitlines() == ["started", "True True True"]
