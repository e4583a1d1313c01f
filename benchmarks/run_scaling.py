"""`textmine run` as the corpus grows: units/s, wall time, peak memory and where the time goes, 1 and 2 workers.

Runs `textmine run --no-cache` (default outputs: report.xlsx, figures, report.html) over ../shared/corpora/text_zh +
text_en copied 1x, 4x and 16x (copies under new names in a temporary folder), each run in a fresh process, with
``--workers 1`` and ``--workers 2``, repeated (alternating sizes and worker counts, so that a change in the machine's
load hits all alike) and summarised by medians. Prints per size and worker count: units, median wall time (the whole
command, start-up included), units/s, peak RSS (the largest process: the command or one of its workers) and the
stages' shares of the command's time; then the ratios the targets are about:

* units/s at 4x and 16x with 2 workers (target >= 3,000);
* peak RSS growth from 1x to the largest size (target <= 10%);
* 2 workers against 1 (target >= 1.6x).

    python benchmarks/run_scaling.py                    # 1x, 4x, 16x, 3 runs each (about half an hour on 2 cores)
    python benchmarks/run_scaling.py --max-factor 4 --repeat 1    # a quick look
    python benchmarks/run_scaling.py --baseline /tmp/main-src     # also the code in that folder (e.g. `git archive main`)

``cpu main`` and ``cpu rest`` are the CPU seconds of the command's process and of the processes it started (workers,
the analysis process): on a loaded machine, where wall times say little, they show what the work costs.
Stages (in the command's process): ``rows`` writing coded_units.csv/hits.csv/documents.csv rows, ``aggregate`` feeding
the emphasis and crosstab sums, ``code`` segmenting and tagging (in this process only with 1 worker), ``outputs`` the
tables, analysis, figures, report.html and report.xlsx after the document loop; ``other`` is the rest: start-up,
lexicons, extraction with 1 worker, waiting for workers. Timings on a loaded machine vary: compare ratios of one run.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
FOLDERS = ("text_zh", "text_en")
FACTORS = (1, 4, 16)
STAGES = ("rows", "aggregate", "code", "outputs", "other")

# Runs `textmine run` in this process, timing its stages by wrapping functions of textmine.run.batch (those present:
# the baseline may be older code), and prints one JSON line.
CHILD = r"""
import functools, json, resource, sys, time
import textmine.run.batch as batch
from textmine.cli import main
STAGE_OF = {"_write_document": "rows", "_flush": "aggregate", "_code_document": "code", "_code_here": "code", "write_outputs": "outputs",
            "_write_tables": "outputs", "write_run_report": "outputs"}
seconds = dict.fromkeys(STAGE_OF.values(), 0.0)
def timed(function, stage):
    @functools.wraps(function)
    def wrapper(*args, **kwargs):
        start = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            seconds[stage] += time.perf_counter() - start
    return wrapper
for name, stage in STAGE_OF.items():
    if hasattr(batch, name):
        setattr(batch, name, timed(getattr(batch, name), stage))
start = time.perf_counter()
try:
    main(sys.argv[1:])
except SystemExit as end:
    code = end.code
total = time.perf_counter() - start
usage = {who: resource.getrusage(getattr(resource, f"RUSAGE_{who.upper()}")) for who in ("self", "children")}
print(json.dumps({"exit": code, "seconds": total, "stages": seconds, "rss_self_kb": usage["self"].ru_maxrss,
                  "rss_children_kb": usage["children"].ru_maxrss,
                  "cpu_self": usage["self"].ru_utime + usage["self"].ru_stime,
                  "cpu_children": usage["children"].ru_utime + usage["children"].ru_stime}))
"""


def sources() -> list[Path]:
    return sorted(p for folder in FOLDERS for p in (SHARED / folder).iterdir() if p.is_file() and p.name != "metadata.csv")


def corpus(folder: Path, files: list[Path], factor: int) -> Path:
    """``factor`` copies of every file, under new names (c1_…, c2_…), so that every copy is a document of its own."""
    folder.mkdir()
    for k in range(1, factor + 1):
        for file in files:
            shutil.copyfile(file, folder / f"c{k}_{file.name}")
    return folder


def measure(source: Path, folder: Path, out: Path, workers: int) -> dict:
    """One `textmine run` in a fresh process; its wall time includes the interpreter's start and imports."""
    env = {**os.environ, "PYTHONPATH": str(source) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    command = [sys.executable, "-c", CHILD, "run", str(folder), "--out", str(out), "--no-cache", "--workers", str(workers)]
    start = time.perf_counter()
    done = subprocess.run(command, capture_output=True, text=True, env=env, cwd=source)
    wall = time.perf_counter() - start
    if done.returncode != 0 or not done.stdout.strip():
        sys.exit(f"textmine run failed ({done.returncode}):\n{done.stderr[-2000:]}")
    record = json.loads(done.stdout.strip().splitlines()[-1])
    if record["exit"] not in (0, None):
        sys.exit(f"textmine run exited {record['exit']}:\n{done.stderr[-2000:]}")
    info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    record.update(wall=wall, units=info["units"], documents=info["documents"],
                  peak_mb=max(record["rss_self_kb"], record["rss_children_kb"]) / 1024)
    shutil.rmtree(out)
    return record


def summary(runs: list[dict]) -> dict:
    wall = statistics.median(r["wall"] for r in runs)
    inside = statistics.median(r["seconds"] for r in runs)
    stages = {s: statistics.median(r["stages"].get(s, 0.0) for r in runs) for s in STAGES[:-1]}
    stages["other"] = max(inside - sum(stages.values()), 0.0)
    return {"units": runs[0]["units"], "documents": runs[0]["documents"], "wall": wall, "units_s": runs[0]["units"] / wall,
            "cpu_self": statistics.median(r["cpu_self"] for r in runs), "cpu_children": statistics.median(r["cpu_children"] for r in runs),
            "peak_mb": statistics.median(r["peak_mb"] for r in runs), "shares": {s: v / inside for s, v in stages.items()},
            "runs": len(runs)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--max-factor", type=int, default=16, help="largest corpus size (1, 4 or 16; default 16)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each size and worker count (default 3)")
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2], help="worker counts to compare (default 1 2)")
    parser.add_argument("--baseline", type=Path, default=None,
                        help="a folder holding other textmine source (e.g. `git archive main | tar -x -C DIR`), run alike")
    args = parser.parse_args()
    if not all((SHARED / folder).is_dir() for folder in FOLDERS):
        print(f"skipped: {SHARED} has no {' and '.join(FOLDERS)} (the shared corpora are not here)")
        return
    factors = [f for f in FACTORS if f <= args.max_factor]
    versions = {"current": REPO, **({"baseline": args.baseline.resolve()} if args.baseline else {})}
    files = sources()
    runs: dict[tuple, list[dict]] = {}
    with tempfile.TemporaryDirectory(prefix="textmine-scaling-") as tmp:
        folders = {f: corpus(Path(tmp) / f"x{f}", files, f) for f in factors}
        for repeat in range(args.repeat):
            order = [(v, f, w) for f in factors for w in args.workers for v in versions]
            if repeat % 2:
                order.reverse()  # alternate, so that neither side always runs first
            for version, factor, workers in order:
                record = measure(versions[version], folders[factor], Path(tmp) / "out", workers)
                runs.setdefault((version, factor, workers), []).append(record)
                print(f"  run {repeat + 1}/{args.repeat}: {version} {factor}x --workers {workers}: {record['wall']:.1f} s",
                      file=sys.stderr, flush=True)
    report(runs, versions, factors, args.workers)


def report(runs: dict, versions: dict, factors: list[int], workers: list[int]) -> None:
    rows = {key: summary(value) for key, value in runs.items()}
    print(f"textmine run --no-cache over {' + '.join(FOLDERS)} (medians of {max(r['runs'] for r in rows.values())} runs; "
          f"{os.cpu_count()} cores; load average {os.getloadavg()[0]:.1f})")
    print(f"{'version':9} {'size':>4} {'workers':>7} {'docs':>6} {'units':>8} {'wall s':>7} {'units/s':>8} {'peak MB':>8} "
          f"{'cpu main':>8} {'cpu rest':>8}  " + " ".join(f"{s:>9}" for s in STAGES))
    for (version, factor, n), row in sorted(rows.items(), key=lambda item: (item[0][0] != "current", item[0][1], item[0][2])):
        print(f"{version:9} {factor:>3}x {n:>7} {row['documents']:>6,} {row['units']:>8,} {row['wall']:>7.1f} "
              f"{row['units_s']:>8,.0f} {row['peak_mb']:>8.0f} {row['cpu_self']:>8.1f} {row['cpu_children']:>8.1f}  "
              + " ".join(f"{row['shares'][s]:>9.0%}" for s in STAGES))
    for version in versions:
        print(f"\n{version}:")
        most = max(workers)
        for factor in [f for f in factors if f >= 4]:
            print(f"  units/s at {factor}x, --workers {most}: {rows[(version, factor, most)]['units_s']:,.0f} (target >= 3,000)")
        if len(factors) > 1:
            for n in workers:
                low, high = rows[(version, factors[0], n)]["peak_mb"], rows[(version, factors[-1], n)]["peak_mb"]
                print(f"  peak RSS {factors[0]}x -> {factors[-1]}x, --workers {n}: {low:.0f} -> {high:.0f} MB, "
                      f"{high / low - 1:+.1%} (target <= +10%)")
        if len(workers) > 1:
            for factor in factors:
                one, many = rows[(version, factor, min(workers))]["wall"], rows[(version, factor, most)]["wall"]
                print(f"  --workers {most} vs {min(workers)} at {factor}x: {one / many:.2f}x (target >= 1.6x)")
    if "baseline" in versions:
        print("\ncurrent vs baseline (wall time ratio, > 1 = current faster):")
        for factor in factors:
            for n in workers:
                ratio = rows[("baseline", factor, n)]["wall"] / rows[("current", factor, n)]["wall"]
                print(f"  {factor}x --workers {n}: {ratio:.2f}x")


if __name__ == "__main__":
    main()
