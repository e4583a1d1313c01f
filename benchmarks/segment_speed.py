"""Segmentation and lexicon coding speed, against a baseline source tree, in the same run.

    git archive main | tar -x -C /tmp/textmine-main
    PYTHONPATH=$PWD python benchmarks/segment_speed.py /tmp/textmine-main [--repeat 5]

Extracts the seven ../shared/corpora/pdf_en/en_ris3_*.pdf strategies (extraction not timed),
then times segmenting them and coding their units with the shipped lexicons, ``--repeat``
times, in a fresh process for this tree and one for the baseline tree. Prints seconds and
the ratio current / baseline.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
PDFS = sorted((REPO.parent / "shared" / "corpora" / "pdf_en").glob("en_ris3_*.pdf"))

CHILD = r"""
import json, sys, time
from textmine.inputs.extract import extract_documents
from textmine.run.batch import RunSettings, make_coder
from textmine.units.segment import segment
paths, repeat = json.loads(sys.argv[1]), int(sys.argv[2])
documents = [next(extract_documents(p, f"d{i}")) for i, p in enumerate(paths)]
coder = make_coder(RunSettings())
list(coder.code(list(segment(documents[0]))))  # warm up: lexicon automata, language model
start = time.perf_counter()
units = 0
for _ in range(repeat):
    for document in documents:
        found = list(segment(document))
        units += len(found)
        list(coder.code(found))
print(json.dumps({"seconds": time.perf_counter() - start, "units": units}))
"""


def timed(tree: Path, repeat: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    out = subprocess.run([sys.executable, "-c", CHILD, json.dumps([str(p) for p in PDFS]), str(repeat)],
                         env=env, capture_output=True, text=True, check=True, cwd="/tmp")
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("baseline", type=Path, help="source tree of the textmine to compare with")
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    if not PDFS:
        sys.exit("needs ../shared/corpora/pdf_en")
    base = timed(args.baseline, args.repeat)
    current = timed(REPO, args.repeat)
    print(f"baseline: {base['seconds']:.2f} s for {base['units']} units")
    print(f"current:  {current['seconds']:.2f} s for {current['units']} units")
    print(f"ratio current / baseline: {current['seconds'] / base['seconds']:.2f}")


if __name__ == "__main__":
    main()
