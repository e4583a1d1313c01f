"""Tagging speed and memory: textmine against the obvious script, on the same Chinese text.

The obvious script segments every unit with ``jieba.lcut`` and counts the
lexicon's Chinese words with a ``Counter``. textmine matches every term form
with Aho-Corasick over a normalised view (Traditional -> Simplified, widths,
spaces) and records offsets.

1. The Tagger alone: both on the same units (at least --chars characters),
   each in a fresh process so that peak memory (max RSS) is their own.
2. End to end: the command `textmine tag FILE` (start-up, reading, segmentation,
   tagging and the printed summary) against the obvious script as a command
   (start-up, jieba's dictionary, reading the file, counting), on one .txt of at
   least --e2e-chars characters (the units, a blank line between them), each a
   fresh process, alternating for --rounds rounds; medians of wall and CPU time.
   With --baseline TREE, `textmine tag` of that source tree runs too, and its
   printed output must be the same bytes. Commands run as an installed textmine
   does: with compiled bytecode (PYTHONDONTWRITEBYTECODE unset; a warm-up run of
   each writes it).

    python benchmarks/tagging_speed.py [--chars 1000000] [--e2e-chars 3200000] [--rounds 3] [--baseline TREE]

Units come from ../shared/corpora/text_zh when present, else from the
sample corpus, repeated until the characters are reached.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import multiprocessing as mp
import os
import resource
import statistics
import subprocess
import sys
import tempfile
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


NAIVE_SCRIPT = r"""
import sys
from collections import Counter
import jieba
jieba.setLogLevel(60)
words = open(sys.argv[2], encoding="utf-8").read().split()
totals = Counter()
for unit in open(sys.argv[1], encoding="utf-8").read().split("\n\n"):
    counts = Counter(jieba.lcut(unit))
    totals.update({w: counts[w] for w in words if w in counts})
for word, n in totals.most_common():
    print(word, n)
"""


def end_to_end(units, min_chars: int, rounds: int, baseline: str | None) -> dict:
    """Medians of `textmine tag FILE` and of the obvious script as commands on one file of >= min_chars characters."""
    from textmine.coding.lexicon import load_lexicons

    texts, total = [], 0
    while total < min_chars:
        for text, _ in units:
            texts.append(text)
            total += len(text)
            if total >= min_chars:
                break
    with tempfile.TemporaryDirectory() as tmp:
        source, words = Path(tmp) / "zh_units.txt", Path(tmp) / "words.txt"
        source.write_text("\n\n".join(texts) + "\n", encoding="utf-8")
        words.write_text("\n".join(sorted({t for lex in load_lexicons() for c in lex.categories for t in c.terms.get("zh", ())})),
                         encoding="utf-8")
        chars = len(source.read_text(encoding="utf-8"))
        print(f"end to end: one .txt of {chars:,} characters ({len(texts):,} units), {rounds} alternating rounds")
        commands = {
            "jieba.lcut + Counter (script)": ([sys.executable, "-c", NAIVE_SCRIPT, str(source), str(words)], str(REPO)),
            "textmine tag FILE": ([sys.executable, "-m", "textmine", "tag", str(source)], str(REPO)),
        }
        if baseline:
            commands["textmine tag FILE [baseline]"] = commands["textmine tag FILE"][0], str(Path(baseline).resolve())
        runs: dict[str, list[tuple[float, float]]] = {name: [] for name in commands}
        for name, (command, tree) in commands.items():
            if name.startswith("textmine"):
                _command(command, tree)  # warm-up: writes textmine's bytecode (jieba's is installed)
        outputs: dict[str, set[str]] = {name: set() for name in commands}
        for _ in range(rounds):
            for name, (command, tree) in commands.items():
                wall, cpu, digest = _command(command, tree)
                runs[name].append((wall, cpu))
                outputs[name].add(digest)
    results = {name: {"wall": statistics.median(w for w, _ in r), "cpu": statistics.median(c for _, c in r)}
               for name, r in runs.items()}
    for name, r in results.items():
        print(f"{name:32} wall {r['wall']:7.2f} s   CPU {r['cpu']:7.2f} s   {chars / r['wall'] / 1e6:5.2f} M chars/s (wall)")
    naive, tag = results["jieba.lcut + Counter (script)"], results["textmine tag FILE"]
    print(f"speed-up of `textmine tag` over the obvious script: {naive['wall'] / tag['wall']:.1f}x wall, "
          f"{naive['cpu'] / tag['cpu']:.1f}x CPU (target: at least 8x)")
    if baseline:
        same = outputs["textmine tag FILE"] == outputs["textmine tag FILE [baseline]"] and len(outputs["textmine tag FILE"]) == 1
        base = results["textmine tag FILE [baseline]"]
        print(f"baseline tree: {base['wall'] / tag['wall']:.2f}x the wall time, {base['cpu'] / tag['cpu']:.2f}x the CPU time; "
              f"printed output {'the same' if same else 'DIFFERENT'}")
        if not same:
            sys.exit(1)
    return {"chars": chars, "results": results}


def _command(command: list[str], tree: str) -> tuple[float, float, str]:
    """Wall and CPU (user + system) seconds of one run, and the SHA-256 of what it printed."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    env = {**os.environ, "PYTHONPATH": tree}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # as an installed package runs
    done = subprocess.run(command, env=env, capture_output=True, check=True, cwd="/")
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return wall, cpu, hashlib.sha256(done.stdout).hexdigest()


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
    parser.add_argument("--e2e-chars", type=int, default=3_200_000, help="characters of the end-to-end file")
    parser.add_argument("--rounds", type=int, default=3, help="end to end: alternating runs of each command")
    parser.add_argument("--baseline", help="end to end: also run `textmine tag` of this source tree (same output?)")
    parser.add_argument("--no-tagger", action="store_true", help="only the end-to-end comparison")
    parser.add_argument("--json", help="also write the figures to this file")
    args = parser.parse_args()
    units = load_units(args.chars)
    e2e = end_to_end(units, args.e2e_chars, args.rounds, args.baseline)
    if args.no_tagger:
        return
    chars = sum(len(t) for t, _ in units)
    results = [measure(baseline, units), measure(textmine_tagger, units)]
    for r in results:
        r["chars_per_second"] = chars / r["seconds"]
        print(f"{r['name']:24} {r['seconds']:8.3f} s  {r['chars_per_second'] / 1e6:7.2f} M chars/s  "
              f"peak RSS {r['maxrss_mb']:7.1f} MB  ({r['hits']:,} hits)")
    ratio = results[0]["seconds"] / results[1]["seconds"]
    print(f"speed-up of textmine over the obvious script: {ratio:.1f}x (target: at least 20x)")
    if args.json:
        Path(args.json).write_text(json.dumps({"chars": chars, "results": results, "ratio": ratio, "end_to_end": e2e}, indent=2))


if __name__ == "__main__":
    main()
