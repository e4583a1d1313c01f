"""Lexicon vs model vs hybrid coding of held-out documents: grouped cross-validation on the gold.

For each scheme (pentagon, instrument) and fold seed, ``textmine.coding.classify.cross_validate``
splits ``../shared/gold/dev-units.jsonl`` + ``train-units.jsonl`` — without the documents of
``benchmarks/heldout_documents.txt``, kept for final checks — into 5 folds of whole documents
(doc + record), trains a classifier on 4 folds (thresholds and the hybrid rule from inner folds
of those 4 only) and codes the fifth under each mode. Printed per scheme, mode and language:

* micro-F1 and macro-F1 pooled over all held-out units, as the mean over fold seeds, with the
  lowest and highest seed (spread over seeds), and the 95% interval of micro-F1 by bootstrap
  over documents (first seed; ``textmine.coding.evaluation``, 1,000 resamples);
* the spread over folds: the standard deviation of the folds' micro-F1 (mean over seeds), and
  the lowest and highest fold;
* hybrid minus lexicon, micro-F1, per seed and its lowest and highest fold;
* headroom: the best micro-F1 of "lexicon OR p >= t" and "lexicon AND p >= t" for one threshold
  t per language chosen *on the held-out units themselves* (t = 0 for AND and t = inf for OR,
  the lexicon alone, included). That choice peeks at the test folds, so it is an upper bound for
  any such rule on these probabilities, not a result: equal to the lexicon means no threshold
  on the model's probabilities improves on it;
* the same without word features (characters only), which decided whether word features stay.

Caveat printed with the figures: the shipped lexicons were revised while looking at these very
documents, so the lexicon's figures (and the hybrid's, which keeps every lexicon code) are
labelled in-sample (optimistic); the model's are honest held-out figures.

    python benchmarks/classify_quality.py [--seeds 0 1 2] [--scheme pentagon] [--json figures.json]
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

import numpy as np  # noqa: E402

from textmine.coding.classify import UnitClassifier, cross_validate, prepare  # noqa: E402
from textmine.coding.coders import lexicon_matrix  # noqa: E402
from textmine.coding.evaluation import score_by_language  # noqa: E402
from textmine.coding.golds import read_golds  # noqa: E402
from textmine.coding.lexicon import load_lexicons  # noqa: E402
from textmine.coding.tag import Tagger  # noqa: E402
from textmine.core.constants import MODES  # noqa: E402

GOLDS = [REPO.parent / "shared" / "gold" / name for name in ("dev-units.jsonl", "train-units.jsonl")]
HELDOUT = REPO / "benchmarks" / "heldout_documents.txt"
IN_SAMPLE = {"lexicon": "in-sample", "hybrid": "in-sample", "model": "held-out"}
HEADROOM_GRID = (*np.round(np.arange(0.0, 1.0, 0.02), 2), np.inf)  # AND p >= 0 and OR p >= inf: the lexicon alone


def micro_f1(gold: np.ndarray, decided: np.ndarray) -> float:
    tp = int((gold & decided).sum())
    wrong = int((gold ^ decided).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def headroom(gold, lexicon, P) -> dict:
    """Best micro-F1 of lexicon OR / AND a probability threshold, t chosen on these very units (an upper bound)."""
    gold, lexicon = gold.astype(bool), lexicon.astype(bool)
    return {"or": max(micro_f1(gold, lexicon | (P >= t)) for t in HEADROOM_GRID),
            "and": max(micro_f1(gold, lexicon & (P >= t)) for t in HEADROOM_GRID)}


def run(scheme: str, seeds, word_features: bool, lexicons) -> dict:
    """figures[mode][lang] -> lists over seeds (micro, macro, folds); figures["headroom"][lang] too."""
    lexicon = next(lex for lex in lexicons if lex.scheme == scheme)
    coding = read_golds(GOLDS, lexicons, [scheme])
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    heldout = {line.strip() for line in lines if line.strip() and not line.startswith("#")}
    keep = np.array([g not in heldout and g.split("#")[0] not in heldout for g in coding.groups])
    langs, groups = list(np.array(coding.langs)[keep]), list(np.array(coding.groups)[keep])
    texts = list(np.array(coding.texts, dtype=object)[keep])
    Y = coding.matrix(scheme, lexicon.codes)[keep]
    L = lexicon_matrix(Tagger(lexicons), texts, langs, scheme, lexicon.codes)
    docs = prepare(texts, langs, word_features)
    figures: dict = {}
    for seed in seeds:
        model = UnitClassifier(scheme, lexicon.codes, word_features=word_features, seed=seed)
        cv = cross_validate(model, texts, langs, Y, groups, L, folds=5, seed=seed, docs=docs)
        if seed == seeds[0]:
            scored = score_by_language(cv.gold, cv.decided, lexicon.codes, langs, groups, seed=seed)
            figures["intervals"] = {m: {lang: [s.micro_f1.low, s.micro_f1.high] for lang, s in by.items()} for m, by in scored.items()}
        for mode in MODES:
            for lang, report in cv.reports[mode].items():
                entry = figures.setdefault(mode, {}).setdefault(lang, {"micro": [], "macro": [], "folds": []})
                entry["micro"].append(report.micro_f1)
                entry["macro"].append(report.macro_f1)
                entry["folds"].append([v for v in cv.fold_micro_f1[mode][lang] if v is not None])
        for lang in sorted(set(langs)):
            mask = np.array(langs) == lang
            bound = headroom(Y[mask], L[mask], cv.probabilities[mask])
            entry = figures.setdefault("headroom", {}).setdefault(lang, {"or": [], "and": []})
            entry["or"].append(bound["or"])
            entry["and"].append(bound["and"])
    return figures


def show(scheme: str, figures: dict, label: str) -> None:
    print(f"\n{scheme} ({label})")
    print(f"  {'mode':8} {'lang':4} {'micro-F1':>8} {'95% (docs)':>12} {'seeds min-max':>14} {'macro-F1':>8} {'fold sd':>7} "
          f"{'folds min-max':>14}  documents")
    for mode in MODES:
        for lang, e in figures[mode].items():
            folds = [v for per_seed in e["folds"] for v in per_seed]
            fold_sd = np.mean([np.std(per_seed) for per_seed in e["folds"]])
            low, high = figures["intervals"][mode][lang]
            print(f"  {mode:8} {lang:4} {np.mean(e['micro']):8.3f} [{low:.2f}, {high:.2f}] {min(e['micro']):7.3f}-{max(e['micro']):.3f} "
                  f"{np.mean(e['macro']):8.3f} {fold_sd:7.3f} {min(folds):7.3f}-{max(folds):.3f}  {IN_SAMPLE[mode]}")
    for lang in figures["headroom"]:
        hybrid, lexicon = figures["hybrid"][lang], figures["lexicon"][lang]
        seeds = np.subtract(hybrid["micro"], lexicon["micro"])
        folds = [h - x for hs, xs in zip(hybrid["folds"], lexicon["folds"]) for h, x in zip(hs, xs)]
        print(f"  hybrid - lexicon, micro-F1, {lang}: per seed " + " ".join(f"{d:+.3f}" for d in seeds)
              + f"; folds {min(folds):+.3f} to {max(folds):+.3f}")
    for lang, bound in figures["headroom"].items():
        lexicon = np.mean(figures["lexicon"][lang]["micro"])
        print(f"  headroom, {lang} (t chosen on the test folds: an upper bound): lexicon {lexicon:.3f}, "
              f"OR p>=t {np.mean(bound['or']):.3f}, AND p>=t {np.mean(bound['and']):.3f}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2], help="fold seeds")
    parser.add_argument("--scheme", action="append", choices=["pentagon", "instrument"], help="default: both")
    parser.add_argument("--json", type=Path, help="save the figures")
    args = parser.parse_args(argv)
    if not all(gold.is_file() for gold in GOLDS):
        print(f"gold units not found: {GOLDS[0].parent}", file=sys.stderr)
        return 2
    lexicons = load_lexicons()
    print(f"grouped 5-fold cross-validation on {' + '.join(g.name for g in GOLDS)} without the documents of {HELDOUT.name}; "
          f"fold seeds {args.seeds}")
    print("caveat: the lexicons were revised on these documents: lexicon and hybrid figures are in-sample (optimistic)")
    result = {}
    for scheme in args.scheme or ["pentagon", "instrument"]:
        for words in (True, False):
            started = time.perf_counter()
            figures = run(scheme, args.seeds, words, lexicons)
            label = f"{'characters + words' if words else 'characters only'}; {time.perf_counter() - started:.0f} s"
            show(scheme, figures, label)
            result[f"{scheme}/{'words' if words else 'chars'}"] = figures
    if args.json:
        args.json.write_text(json.dumps(result, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
