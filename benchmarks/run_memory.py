"""Peak memory of `textmine run` must not grow with the number of documents.

Runs `textmine run` (one worker, no xlsx) in fresh processes over the same
documents copied 1x and 4x (symbolic links under new names), and prints each
run's peak RSS and speed, and the ratio of the two peaks.

    python benchmarks/run_memory.py [--copies 4]
    python benchmarks/run_memory.py --dask 2    # the client's memory when a Dask LocalCluster of 2 workers reads

With ``--dask N`` the documents are read on a Dask cluster of N worker processes (``--cluster local:N``) and the
peak is the client's: the process that writes the outputs (the scheduler runs in it too).

Documents: ../shared/corpora/text_zh and text_en when present, else the sample corpus.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
CHILD = """
import resource, sys, time
from textmine.run.batch import RunSettings, run
extra = {"workers": 1} if "workers" in RunSettings.__dataclass_fields__ else {}
if "follow_symlinks" in RunSettings.__dataclass_fields__:  # the copies are links to the corpus
    extra["follow_symlinks"] = True
if int(sys.argv[3]):
    extra["cluster"] = int(sys.argv[3])
settings = RunSettings(xlsx=False, **extra)
start = time.perf_counter()
result = run([sys.argv[1]], sys.argv[2], settings)
seconds = time.perf_counter() - start
print(result.documents, result.units, seconds, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""


def sources() -> list[Path]:
    folders = [SHARED / "text_zh", SHARED / "text_en"] if SHARED.is_dir() else [REPO / "corpora" / "sample"]
    return sorted(p for folder in folders for p in folder.iterdir() if p.is_file() and p.name != "metadata.csv")


def corpus(folder: Path, files: list[Path], copies: int) -> Path:
    folder.mkdir()
    for k in range(copies):
        for file in files:
            (folder / f"c{k}_{file.name}").symlink_to(file)
    return folder


def measure(folder: Path, out: Path, dask: int = 0) -> tuple[int, int, float, float]:
    result = subprocess.run([sys.executable, "-c", CHILD, str(folder), str(out), str(dask)], capture_output=True, text=True, check=True)
    documents, units, seconds, peak = result.stdout.split()
    return int(documents), int(units), float(seconds), float(peak)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--copies", type=int, default=4)
    parser.add_argument("--dask", type=int, default=0, metavar="N", help="read on a Dask cluster of N local workers")
    args = parser.parse_args()
    files = sources()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        rows = []
        for copies in (1, args.copies):
            folder = corpus(tmp / f"x{copies}", files, copies)
            rows.append((copies, *measure(folder, tmp / f"out{copies}", args.dask)))
    for copies, documents, units, seconds, peak in rows:
        print(f"{copies}x: {documents:6,} documents {units:8,} units  {seconds:6.1f} s  {units / seconds:8,.0f} units/s  peak RSS {peak:7.1f} MB")
    print(f"peak memory ratio {args.copies}x / 1x: {rows[1][4] / rows[0][4]:.2f} (1.0 = does not grow with the corpus)")


if __name__ == "__main__":
    main()
