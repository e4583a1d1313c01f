"""Speed and memory of `textmine matrix`, `report` and `terms` on a coded corpus of 100,000 units.

The corpus: ../shared/corpora/text_zh and text_en (or the sample corpus when
../shared is absent) coded once with `textmine run`, its units repeated under
new document ids until --units is reached, with countries, levels and years
spread over the documents. Each command runs in its own process (imports
included, as a user sees it); wall time and peak memory (max RSS) are those
of that process. Each is printed beside the obvious script doing part of the
job in the same run (pandas groupby; jieba + Counter), as a ratio.

    python benchmarks/analysis_speed.py [--units 100000] [--json figures.json]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
COUNTRIES = ("CN", "EU", "DE", "FR", "FI", "IE", "TW", "JP")
LEVELS = ("national", "regional", "municipal")
TARGET_SECONDS, TARGET_MB = 30, 2048

BASELINE_MATRIX = """
import sys, pandas as pd
units = pd.read_csv(sys.argv[1], encoding="utf-8-sig", dtype=str, keep_default_na=False)
codes = [c for c in units.columns if c.startswith(("pentagon_", "instrument_"))]
carrying = units[codes].astype(int).gt(0)
carrying["country"] = units["country"]
print(carrying.groupby("country").sum().shape)
"""

BASELINE_TERMS = """
import sys, collections, jieba, pandas as pd
jieba.setLogLevel(60)
counts = collections.defaultdict(collections.Counter)
for chunk in pd.read_csv(sys.argv[1], encoding="utf-8-sig", dtype=str, keep_default_na=False, usecols=["country", "lang", "text"], chunksize=20000):
    for country, lang, text in zip(chunk["country"], chunk["lang"], chunk["text"]):
        counts[country].update(jieba.lcut(text) if lang == "zh" else text.lower().split())
print(len(counts))
"""


def source_run(workdir: Path) -> Path:
    inputs = [SHARED / "text_zh", SHARED / "text_en"] if SHARED.is_dir() else [REPO / "corpora" / "sample"]
    out = workdir / "source"
    subprocess.run([sys.executable, "-m", "textmine", "run", *map(str, inputs), "--out", str(out), "--no-xlsx"],
                   check=True, capture_output=True)
    print(f"coded {', '.join(p.name for p in inputs)} -> {out}")
    return out


def build_corpus(source: Path, target: Path, units: int) -> Path:
    """coded_units.csv of ``units`` rows: the source units repeated under new doc ids, with grouping metadata."""
    import pandas as pd

    base = pd.read_csv(source / "coded_units.csv", encoding="utf-8-sig", dtype=str, keep_default_na=False)
    target.mkdir(parents=True, exist_ok=True)
    path = target / "coded_units.csv"
    written, copy = 0, 0
    while written < units:
        part = base.iloc[: units - written].copy()
        doc_numbers = part["doc_id"].astype("category").cat.codes.astype(int).to_numpy() + copy * 1000
        part["doc_id"] = part["doc_id"] + f"~{copy}"
        part["unit_id"] = part["unit_id"] + f"~{copy}"
        part["country"] = [COUNTRIES[n % len(COUNTRIES)] for n in doc_numbers]
        part["level"] = [LEVELS[n % len(LEVELS)] for n in doc_numbers]
        part["year"] = [str(2015 + n % 10) for n in doc_numbers]
        part.to_csv(path, mode="a" if written else "w", header=not written, index=False, encoding="utf-8-sig" if not written else "utf-8")
        written += len(part)
        copy += 1
    shutil.copy(source / "run.json", target / "run.json")
    print(f"corpus: {written:,} units in {path} ({path.stat().st_size / 1e6:.0f} MB)")
    return path


def measure(name: str, command: list[str]) -> dict:
    """Wall time and peak RSS of one process."""
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    error = process.stderr.read().decode(errors="replace")
    process.stderr.close()
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{name} failed: {error[-2000:]}")
    return {"name": name, "seconds": round(seconds, 2), "maxrss_mb": round(usage.ru_maxrss / 1024, 1)}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--units", type=int, default=100_000)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="textmine-bench-") as tmp:
        workdir = Path(tmp)
        coded = build_corpus(source_run(workdir), workdir / "corpus", args.units)
        textmine = [sys.executable, "-m", "textmine"]
        pairs = [
            (measure("baseline: pandas read_csv + groupby", [sys.executable, "-c", BASELINE_MATRIX, str(coded)]),
             measure("textmine matrix --by country", [*textmine, "matrix", str(coded), "--by", "country", "--normalize", "all",
                                                      "--out", str(workdir / "matrix.csv")])),
            (measure("baseline: pandas read_csv + groupby", [sys.executable, "-c", BASELINE_MATRIX, str(coded)]),
             measure("textmine report --by country", [*textmine, "report", str(coded), "--by", "country", "--out", str(workdir / "report")])),
            (measure("baseline: jieba.lcut + Counter", [sys.executable, "-c", BASELINE_TERMS, str(coded)]),
             measure("textmine terms --by country", [*textmine, "terms", str(coded), "--by", "country", "--out", str(workdir / "terms")])),
        ]
    results = []
    for baseline, ours in pairs:
        ours["baseline"], ours["baseline_seconds"] = baseline["name"], baseline["seconds"]
        ours["ratio_to_baseline"] = round(ours["seconds"] / baseline["seconds"], 2)
        ok = ours["seconds"] < TARGET_SECONDS and ours["maxrss_mb"] < TARGET_MB
        print(f"{ours['name']:32} {ours['seconds']:7.2f} s  peak RSS {ours['maxrss_mb']:7.1f} MB  "
              f"({ours['ratio_to_baseline']:.2f}x {baseline['name']}: {baseline['seconds']:.2f} s, {baseline['maxrss_mb']:.0f} MB)"
              f"  {'ok' if ok else 'OVER TARGET'} (< {TARGET_SECONDS} s, < {TARGET_MB} MB)")
        results.append(ours)
    if args.json:
        Path(args.json).write_text(json.dumps({"units": args.units, "results": results}, indent=2))


if __name__ == "__main__":
    main()
