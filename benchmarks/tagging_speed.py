"""Tagging speed and memory: textmine's Tagger against the obvious script, on the same units.

The obvious script segments every unit with ``jieba.lcut`` and counts the
lexicon's Chinese words with a ``Counter``. textmine matches every term form
with Aho-Corasick over a normalised view (Traditional -> Simplified, widths,
spaces) and records offsets. Both run on the same Chinese units (at least
1M characters) in this run, each in a fresh process so that peak memory
(max RSS) is their own.

    python benchmarks/tagging_speed.py [--chars 1000000]

Units come from ../shared/corpora/text_zh when present, else from the
sample corpus, repeated until --chars is reached.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing as mp
import resource
import sys
import time
from collections import Counter
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED_ZH = REPO.parent / "shared" / "corpora" / "text_zh"
SAMPLE = REPO / "corpora" / "sample"


def load_units(min_chars: int) -> list[tuple[str, str]]:
    from textmine.inputs.corpus import find_inputs
    from textmine.inputs.extract import extract_documents
    from textmine.units.segment import segment

    source = SHARED_ZH if SHARED_ZH.is_dir() else SAMPLE
    units, total = [], 0
    files = find_inputs([source]).files
    for input_file in files:
        for document in extract_documents(input_file.path, input_file.doc_id):
            for unit in segment(document):
                if unit.lang == "zh":
                    units.append((unit.text, unit.lang))
                    total += len(unit.text)
    if not units:
        sys.exit(f"no Chinese units found in {source}")
    base = list(units)
    while total < min_chars:
        units.extend(base)
        total += sum(len(t) for t, _ in base)
    print(f"units: {len(units):,} Chinese units, {total:,} characters (from {source})")
    return units


def baseline(units, queue) -> None:
    import jieba

    from textmine.coding.lexicon import load_lexicons

    jieba.setLogLevel(60)
    jieba.initialize()
    words = {term for lex in load_lexicons() for c in lex.categories for term in c.terms.get("zh", ())}
    start = time.perf_counter()
    hits = 0
    for text, _ in units:
        counts = Counter(jieba.lcut(text))
        hits += sum(counts[w] for w in words if w in counts)
    seconds = time.perf_counter() - start
    queue.put({"name": "jieba.lcut + Counter", "seconds": seconds, "hits": hits, "maxrss_mb": _maxrss_mb()})


def textmine_tagger(units, queue) -> None:
    from textmine.coding.lexicon import load_lexicons
    from textmine.coding.tag import Tagger
    from textmine.core.types import Unit

    tagger = Tagger(load_lexicons())
    tagger.matcher("zh")  # build the automaton before timing, as a batch run does once
    unit_objects = [Unit("d", str(i), text, 1, (), lang) for i, (text, lang) in enumerate(units)]
    start = time.perf_counter()
    hits = sum(len(codes) for _, codes in tagger.tag(unit_objects))
    seconds = time.perf_counter() - start
    queue.put({"name": "textmine Tagger", "seconds": seconds, "hits": hits, "maxrss_mb": _maxrss_mb()})


def _maxrss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(target, units) -> dict:
    context = mp.get_context("fork")
    queue = context.Queue()
    process = context.Process(target=target, args=(units, queue))
    process.start()
    result = queue.get()
    process.join()
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--chars", type=int, default=1_000_000)
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    units = load_units(args.chars)
    chars = sum(len(t) for t, _ in units)
    results = [measure(baseline, units), measure(textmine_tagger, units)]
    for r in results:
        r["chars_per_second"] = chars / r["seconds"]
        print(f"{r['name']:24} {r['seconds']:8.3f} s  {r['chars_per_second'] / 1e6:7.2f} M chars/s  "
              f"peak RSS {r['maxrss_mb']:7.1f} MB  ({r['hits']:,} hits)")
    ratio = results[0]["seconds"] / results[1]["seconds"]
    print(f"speed-up of textmine over the obvious script: {ratio:.1f}x (target: at least 20x)")
    if args.json:
        Path(args.json).write_text(json.dumps({"chars": chars, "results": results, "ratio": ratio}, indent=2))


if __name__ == "__main__":
    main()
