"""Extraction + segmentation CPU time of two source trees on the seven RIS3 strategies, runs alternating.

    mkdir -p /tmp/main_tree && git archive main textmine lexicons models | tar -x -C /tmp/main_tree
    python benchmarks/extract_segment_ab.py /tmp/main_tree . --rounds 11

Each run is a fresh Python process with ``PYTHONPATH`` set to one tree; it warms up (imports,
language model) on the first document, then times its own CPU (``time.process_time``, which
other processes on a loaded machine disturb far less than wall time) over extraction (no OCR,
no cache) and segmentation of every ../shared/corpora/pdf_en/en_ris3_*.pdf. The trees alternate
so that changes in load hit both; printed: every run, and the ratios second/first of the fastest
and of the median runs.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from pathlib import Path

CORPORA = Path(__file__).resolve().parents[2] / "shared" / "corpora"
RUN = r"""
import glob, sys, time
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.units.segment import segment
paths = sorted(glob.glob(sys.argv[1] + "/pdf_en/en_ris3_*.pdf"))
list(segment(next(extract_documents(paths[0], "warm", ExtractSettings(ocr=False)))))
started = time.process_time()
for path in paths:
    for document in extract_documents(path, "x", ExtractSettings(ocr=False)):
        list(segment(document))
print(time.process_time() - started)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="source tree holding textmine/ (the baseline)")
    parser.add_argument("second", help="source tree holding textmine/ (the change)")
    parser.add_argument("--rounds", type=int, default=9)
    args = parser.parse_args()
    if not list((CORPORA / "pdf_en").glob("en_ris3_*.pdf")):
        sys.exit(f"{CORPORA}/pdf_en/en_ris3_*.pdf not found: this benchmark needs ../shared/corpora")
    trees = [str(Path(args.first).resolve()), str(Path(args.second).resolve())]
    times: dict[str, list[float]] = {tree: [] for tree in trees}
    for _ in range(args.rounds):
        for tree in trees:
            done = subprocess.run([sys.executable, "-c", RUN, str(CORPORA)], env={"PYTHONPATH": tree},
                                  capture_output=True, text=True, check=True, cwd="/")
            times[tree].append(float(done.stdout.strip()))
    for tree in trees:
        print(f"{tree}: " + " ".join(f"{t:.3f}" for t in times[tree]))
    first, second = times[trees[0]], times[trees[1]]
    print(f"second / first: fastest {min(second) / min(first):.3f}, "
          f"median {statistics.median(second) / statistics.median(first):.3f}")


if __name__ == "__main__":
    main()
