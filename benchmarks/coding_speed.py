"""How fast does each mode code units with the shipped lexicons and models, on one core?

Units: the texts of ``../shared/gold/dev-units.jsonl`` + ``train-units.jsonl`` (1,143, zh and en),
repeated to N units (default 5,000). For each mode (lexicon, model, hybrid) the coder of `textmine
run`/`tag` (``textmine.coding.build_coder`` with the shipped models, BLAS limited to one thread as
textmine does) codes them once to warm up, then again timed. Printed: units per second and the
ratio to the lexicon mode measured in the same run, plus the size of the shipped model files.

    python benchmarks/coding_speed.py [--units 5000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from textmine.coding.classify import shipped_models  # noqa: E402
from textmine.coding.coders import build_coder  # noqa: E402
from textmine.core.constants import MODES  # noqa: E402
from textmine.coding.lexicon import load_lexicons  # noqa: E402
from textmine.core.types import Unit  # noqa: E402

GOLD = [REPO.parent / "shared" / "gold" / name for name in ("dev-units.jsonl", "train-units.jsonl")]


def units(n: int) -> list[Unit]:
    rows = [json.loads(line) for path in GOLD for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return [Unit(doc_id="bench", unit_id=str(i), text=rows[i % len(rows)]["text"], page=None, lang=rows[i % len(rows)]["lang"])
            for i in range(n)]


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--units", type=int, default=5000)
    args = parser.parse_args(argv)
    if not all(path.is_file() for path in GOLD):
        print(f"gold units not found: {GOLD[0].parent}", file=sys.stderr)
        return 2
    from threadpoolctl import threadpool_limits

    batch, lexicons = units(args.units), load_lexicons()
    speed = {}
    with threadpool_limits(1):
        for mode in MODES:
            coder = build_coder(lexicons, mode=mode) if mode != "lexicon" else build_coder(lexicons)
            sum(1 for _ in coder.code(batch[:500]))  # load models, jieba, spaCy
            started = time.perf_counter()
            sum(1 for _ in coder.code(batch))
            speed[mode] = args.units / (time.perf_counter() - started)
    print(f"{args.units} units (gold texts repeated), one thread; timings on a shared machine")
    for mode, rate in speed.items():
        print(f"  {mode:8} {rate:8.0f} units/s   {rate / speed['lexicon']:.2f}x the lexicon mode")
    for scheme, path in shipped_models().items():
        print(f"  model {scheme}: {path.stat().st_size / 1e6:.1f} MB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
