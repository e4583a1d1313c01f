"""Start-up: `textmine --help` (and `textmine tag` on a small file) against `python -c pass`, in the same run.

    PYTHONPATH=$PWD python benchmarks/startup.py [--rounds 11] [--baseline /tmp/main_tree]

Each command is a fresh process; the commands alternate round by round so that changes in
the machine's load hit all of them. Printed per command: the median wall time and the median
CPU time (user + system of the process, which other processes on a loaded machine disturb
less), and the difference to `python -c pass` (the interpreter's own start-up). With
``--baseline TREE`` the same commands also run with ``PYTHONPATH=TREE`` (e.g. the main branch).
As an installed textmine runs: with compiled bytecode (PYTHONDONTWRITEBYTECODE is unset for
the commands, and each runs once untimed first, which writes it).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SMALL = REPO / "corpora" / "sample" / "zh_huayue_opinion_world_class_clusters_2021.txt"


def command_env(tree: str) -> dict:
    """The environment of a timed command: textmine from ``tree``, bytecode cached as in an installed package."""
    env = {**os.environ, "PYTHONPATH": tree}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def timed(command: list[str], tree: str) -> tuple[float, float]:
    """(wall, CPU) seconds of one run of ``command`` with ``PYTHONPATH=tree``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run(command, env=command_env(tree), stdout=subprocess.DEVNULL, check=True, cwd="/")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=11)
    parser.add_argument("--baseline", help="another source tree holding textmine/, run alongside")
    args = parser.parse_args()
    python = sys.executable
    cases = {"python -c pass": ([python, "-c", "pass"], str(REPO))}
    trees = [("", str(REPO))] + ([(" [baseline]", str(Path(args.baseline).resolve()))] if args.baseline else [])
    for label, tree in trees:
        cases[f"textmine --help{label}"] = ([python, "-m", "textmine", "--help"], tree)
        cases[f"textmine tag {SMALL.name[:12]}…{label}"] = ([python, "-m", "textmine", "tag", str(SMALL)], tree)
    times: dict[str, list[tuple[float, float]]] = {name: [] for name in cases}
    for command, tree in cases.values():
        timed(command, tree)  # warm-up: writes the bytecode
    for _ in range(args.rounds):
        for name, (command, tree) in cases.items():
            times[name].append(timed(command, tree))
    base_wall = statistics.median(w for w, _ in times["python -c pass"])
    base_cpu = statistics.median(c for _, c in times["python -c pass"])
    print(f"medians of {args.rounds} alternating runs (wall; CPU = user + system), and minus `python -c pass`:")
    for name, runs in times.items():
        wall, cpu = statistics.median(w for w, _ in runs), statistics.median(c for _, c in runs)
        print(f"  {name:44} wall {wall:6.3f} s (+{wall - base_wall:6.3f})   CPU {cpu:6.3f} s (+{cpu - base_cpu:6.3f})")


if __name__ == "__main__":
    main()
