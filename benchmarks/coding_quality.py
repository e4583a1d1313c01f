"""Lexicon vs model vs hybrid on documents the coder never saw, dev + train gold, by document.

Units: ``../shared/gold/dev-units.jsonl`` + ``train-units.jsonl`` (1,143). A document is
``doc`` (+ ``#record`` for .jsonl corpora); Luxembourg and South Ostrobothnia appear in both
files and are one document each. Two splits:

* ``cv`` (tuning): grouped 5-fold cross-validation over the documents NOT in
  ``benchmarks/heldout_documents.txt``; each fold trains the pentagon and instrument models on
  the other folds (thresholds from inner grouped folds of those only) and codes its documents;
* ``heldout`` (final check, run once): train on every other document, code the held-out ones.
* ``all``: grouped 5-fold cross-validation over every document (the issue's Targets).

Printed per mode and language: pentagon micro-F1 and mean kappa, instrument-type micro-F1
(a unit has a type when it has any of its sub-codes), and instrument sub-code micro-F1, each
with a 95% interval from 1,000 bootstrap resamples of documents, and for model and hybrid
their difference from the lexicon with a paired bootstrap interval (same resamples for both). The lexicon figures on the
``cv`` documents are in-sample for the documents the lexicon revision looked at (see the
lexicon headers); ``heldout`` is the honest one.

    python benchmarks/coding_quality.py [--split cv|heldout|all] [--seed 0] [--per-code] [--lexicon FILE ...]
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

from textmine.coding.classify import UnitClassifier, grouped_folds, prepare  # noqa: E402
from textmine.coding.coders import lexicon_matrix  # noqa: E402
from textmine.coding.lexicon import code_group, load_lexicons  # noqa: E402
from textmine.coding.reliability import multilabel_report  # noqa: E402
from textmine.coding.tag import Tagger  # noqa: E402
from textmine.core.constants import MODES  # noqa: E402

GOLD = [REPO.parent / "shared" / "gold" / name for name in ("dev-units.jsonl", "train-units.jsonl")]
HELDOUT = REPO / "benchmarks" / "heldout_documents.txt"
SCHEMES = ("pentagon", "instrument")
BOOTSTRAP = 1000


def heldout_documents() -> set[str]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def load_units() -> list[dict]:
    units = []
    for path in GOLD:
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                row = json.loads(line)
                row["group"] = row["doc"] + (f"#{row['record']}" if row.get("record") is not None else "")
                units.append(row)
    return units


def matrix(units, scheme, codes) -> np.ndarray:
    return np.array([[code in (u.get(scheme) or ()) for code in codes] for u in units], dtype=np.int8)


def decisions(units, lexicons, train_of, test_of, seed=0, docs=None) -> dict:
    """scheme -> mode -> units x codes, for the test units of each (train, test) split."""
    langs, texts, groups = [u["lang"] for u in units], [u["text"] for u in units], [u["group"] for u in units]
    tagger = Tagger(lexicons)
    docs = docs or prepare(texts, langs)
    out = {}
    for scheme in SCHEMES:
        codes = next(lex for lex in lexicons if lex.scheme == scheme).codes
        Y, L = matrix(units, scheme, codes), lexicon_matrix(tagger, texts, langs, scheme, codes)
        decided = {mode: np.zeros_like(Y) for mode in MODES}
        for train, test in zip(train_of, test_of):
            model = UnitClassifier(scheme, codes, seed=seed)
            model.fit_prepared(docs.take(train), [langs[i] for i in train], Y[train], [groups[i] for i in train], L[train])
            P = model.proba_prepared(docs.take(test))
            for mode in MODES:
                decided[mode][test] = model.decide(P, L[test], mode)
        out[scheme] = {"gold": Y, "codes": codes, **decided}
    return out


def splits(units, split: str, seed: int):
    held = heldout_documents()
    inside = np.array([u["group"] not in held for u in units])
    if split == "heldout":
        return [np.flatnonzero(inside)], [np.flatnonzero(~inside)], ~inside
    mask = inside if split == "cv" else np.ones(len(units), dtype=bool)
    index = np.flatnonzero(mask)
    langs = sorted({u["lang"] for u in units})
    strata = np.array([[u["lang"] == lang for lang in langs] + [bool(u.get("pentagon"))] for u in units], dtype=int)
    folds = grouped_folds([units[i]["group"] for i in index], strata[index], 5, seed)
    return [index[folds != f] for f in range(5)], [index[folds == f] for f in range(5)], mask


def types(Y: np.ndarray, codes) -> tuple[np.ndarray, list[str]]:
    names = list(dict.fromkeys(code_group(c) for c in codes))
    return np.column_stack([Y[:, [code_group(c) == t for c in codes]].any(axis=1) for t in names]).astype(np.int8), names


def views(result) -> dict:
    """view -> (codes, gold, {mode: decided})"""
    pent, inst = result["pentagon"], result["instrument"]
    tgold, tnames = types(inst["gold"], inst["codes"])
    return {
        "pentagon": (pent["codes"], pent["gold"], {m: pent[m] for m in MODES}),
        "type": (tnames, tgold, {m: types(inst[m], inst["codes"])[0] for m in MODES}),
        "subcode": (inst["codes"], inst["gold"], {m: inst[m] for m in MODES}),
    }


def micro(gold, pred) -> float:
    tp, wrong = int((gold & pred).sum()), int((gold ^ pred).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def as_sets(M, codes):
    return [{c for c, v in zip(codes, row) if v} for row in M]


def figure(codes, gold, pred, groups, rng) -> dict:
    """micro-F1 and mean kappa with 95% intervals over bootstrap resamples of documents."""
    report = multilabel_report(as_sets(gold, codes), as_sets(pred, codes), codes)
    names = sorted(set(groups))
    rows = {g: np.flatnonzero(groups == g) for g in names}
    f1s, kappas = [], []
    for _ in range(BOOTSTRAP):
        pick = np.concatenate([rows[names[k]] for k in rng.integers(0, len(names), len(names))])
        f1s.append(micro(gold[pick], pred[pick]))
        kappas.append(_mean_kappa(gold[pick], pred[pick]))
    return {"micro_f1": report.micro_f1, "f1_ci": np.percentile(f1s, [2.5, 97.5]).tolist(),
            "kappa": report.mean_kappa, "kappa_ci": np.percentile(kappas, [2.5, 97.5]).tolist(), "report": report}


def difference(gold, pred, base, groups, rng) -> tuple[float, list[float]]:
    """micro-F1 of ``pred`` minus that of ``base`` on the same units, with a paired bootstrap interval over documents."""
    names = sorted(set(groups))
    rows = {g: np.flatnonzero(groups == g) for g in names}
    diffs = []
    for _ in range(BOOTSTRAP):
        pick = np.concatenate([rows[names[k]] for k in rng.integers(0, len(names), len(names))])
        diffs.append(micro(gold[pick], pred[pick]) - micro(gold[pick], base[pick]))
    return micro(gold, pred) - micro(gold, base), np.percentile(diffs, [2.5, 97.5]).tolist()


def _mean_kappa(gold, pred) -> float:
    values = []
    for j in range(gold.shape[1]):
        a, b = gold[:, j].astype(bool), pred[:, j].astype(bool)
        if not (a.any() or b.any()):
            continue
        po = (a == b).mean()
        pe = a.mean() * b.mean() + (1 - a.mean()) * (1 - b.mean())
        values.append(1.0 if pe == 1 else (po - pe) / (1 - pe))
    return float(np.mean(values)) if values else 1.0


def show(units, result, mask, per_code=False) -> dict:
    groups = np.array([u["group"] for u in units])
    langs = np.array([u["lang"] for u in units])
    table = {}
    print(f"{'view':9} {'mode':8} {'lang':4} {'micro-F1':>8} {'95% CI':>13} {'kappa':>6} {'95% CI':>13}")
    for view, (codes, gold, decided) in views(result).items():
        for mode in MODES:
            for lang in ("zh", "en"):
                rows = mask & (langs == lang)
                f = figure(codes, gold[rows], decided[mode][rows], groups[rows], np.random.default_rng(0))
                table[f"{view}/{mode}/{lang}"] = {k: v for k, v in f.items() if k != "report"}
                print(f"{view:9} {mode:8} {lang:4} {f['micro_f1']:8.3f} {f['f1_ci'][0]:6.3f}-{f['f1_ci'][1]:.3f} "
                      f"{f['kappa']:6.3f} {f['kappa_ci'][0]:6.3f}-{f['kappa_ci'][1]:.3f}")
                if mode != "lexicon":
                    d, ci = difference(gold[rows], decided[mode][rows], decided["lexicon"][rows], groups[rows], np.random.default_rng(0))
                    table[f"{view}/{mode}/{lang}"]["minus_lexicon"] = [d, ci]
                    print(f"{'':9} {mode + ' - lexicon':17} {d:+8.3f} {ci[0]:+6.3f} to {ci[1]:+.3f} (paired bootstrap)")
                if per_code and view != "type":
                    for code, s in f["report"].per_code.items():
                        print(f"      {code:10} P {s.precision:.2f} R {s.recall:.2f} F1 {s.f1:.2f} true {s.support:3d} pred {s.predicted:3d}")
    return table


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["cv", "heldout", "all"], default="cv")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--per-code", action="store_true")
    parser.add_argument("--lexicon", action="append", type=Path, help="lexicon files instead of the shipped ones (e.g. an older revision)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not all(path.is_file() for path in GOLD):
        print(f"gold units not found: {GOLD[0].parent}", file=sys.stderr)
        return 2
    units = load_units()
    lexicons = load_lexicons(args.lexicon)
    started = time.perf_counter()
    train_of, test_of, mask = splits(units, args.split, args.seed)
    result = decisions(units, lexicons, train_of, test_of, args.seed)
    print(f"split {args.split}: {int(mask.sum())} test units, {len({u['group'] for u, m in zip(units, mask) if m})} documents; "
          f"{time.perf_counter() - started:.0f} s (loaded machine)")
    table = show(units, result, mask, args.per_code)
    if args.json:
        args.json.write_text(json.dumps(table, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
