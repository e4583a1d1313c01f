"""Does `textmine suggest` pick units worth coding? Its learning curve against random picks, simulated on the gold.

The gold (``../shared/gold/dev-units.jsonl`` + ``train-units.jsonl``, without the documents of
``benchmarks/heldout_documents.txt``, which no tuning may see) is split into 5 grouped folds
(whole documents). For each test fold and seed, the other folds are the pool a scholar could
code: coding starts with 100 units of whole documents in a seeded random order; then 50 units
at a time are added, chosen either

* by ``suggest`` (``textmine.coding.selection``: a model trained on the units coded so far ranks the
  rest of the pool, exactly as `textmine suggest` does), or
* at random (seeded),

and after each addition a classifier is retrained on the coded units and codes the test fold.
Printed per scheme and step: micro-F1 and mean kappa of the model and hybrid modes, pooled
over the test folds and averaged over seeds, for both strategies, and the gain of suggest over
random averaged over the steps after the start (its spread over seeds).

    python benchmarks/suggest_curve.py [--seeds 0 1 2] [--steps 8] [--scheme pentagon]
    python benchmarks/suggest_curve.py --final     # once, at the end: the held-out documents are the test set
    python benchmarks/suggest_curve.py --figure docs/suggest_curve.png   # also draw the model-mode curves
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

import numpy as np  # noqa: E402

from textmine.analysis.learning_curve import training_order  # noqa: E402
from textmine.coding.classify import UnitClassifier, grouped_folds, prepare  # noqa: E402
from textmine.coding.coders import lexicon_matrix  # noqa: E402
from textmine.coding.evaluation import document_counts, scores  # noqa: E402
from textmine.coding.golds import read_golds  # noqa: E402
from textmine.coding.lexicon import load_lexicons  # noqa: E402
from textmine.coding.selection import choose, priorities  # noqa: E402
from textmine.coding.tag import Tagger  # noqa: E402

GOLD = [REPO.parent / "shared" / "gold" / name for name in ("dev-units.jsonl", "train-units.jsonl")]
HELDOUT = REPO / "benchmarks" / "heldout_documents.txt"
START, STEP = 100, 50
MODES = ("model", "hybrid")


def heldout_documents() -> set[str]:
    lines = HELDOUT.read_text(encoding="utf-8").splitlines()
    return {line.strip() for line in lines if line.strip() and not line.startswith("#")}


def fit(docs, langs, Y, groups, L, rows, scheme, codes, seed) -> UnitClassifier:
    rows = np.sort(np.asarray(rows))
    model = UnitClassifier(scheme, codes, seed=seed)
    return model.fit_prepared(docs.take(rows), [langs[i] for i in rows], Y[rows], [groups[i] for i in rows], L[rows])


def pick(strategy: str, model, docs, L, pool: np.ndarray, groups, rng) -> np.ndarray:
    if strategy == "random":
        return rng.choice(pool, size=min(STEP, len(pool)), replace=False)
    P = model.proba_prepared(docs.take(pool))
    chosen = choose(priorities(P, model.thresholds_), STEP)
    return pool[chosen]


def simulate(scheme, coding, lexicons, tests: list[np.ndarray], pools: list[np.ndarray], seeds, steps) -> dict:
    """curve[strategy][mode] -> array (seeds x steps+1) of micro-F1 and kappa pooled over the test sets."""
    lexicon = next(lex for lex in lexicons if lex.scheme == scheme)
    codes, langs, groups = lexicon.codes, list(coding.langs), list(coding.groups)
    Y = coding.matrix(scheme, codes)
    L = lexicon_matrix(Tagger(lexicons), coding.texts, langs, scheme, codes)
    docs = prepare(coding.texts, langs)
    result = {s: {m: np.zeros((len(seeds), steps + 1, 2)) for m in MODES} for s in ("suggest", "random")}
    for si, seed in enumerate(seeds):
        for strategy in ("suggest", "random"):
            decided = {m: [np.zeros(Y.shape, dtype=np.int8) for _ in range(steps + 1)] for m in MODES}
            for fi, (test, pool) in enumerate(zip(tests, pools)):
                rng = np.random.default_rng([seed, fi])
                coded = training_order(groups, pool, seed * 100 + fi)[:START]
                for step in range(steps + 1):
                    model = fit(docs, langs, Y, groups, L, coded, scheme, codes, seed)
                    P = model.proba_prepared(docs.take(test))
                    for m in MODES:
                        decided[m][step][test] = model.decide(P, L[test], m)
                    rest = np.setdiff1d(pool, coded)
                    if step < steps and len(rest):
                        coded = np.concatenate([coded, pick(strategy, model, docs, L, rest, groups, rng)])
            everything = np.concatenate(tests)
            for m in MODES:
                for step in range(steps + 1):
                    counts = document_counts(Y[everything], decided[m][step][everything], [groups[i] for i in everything])
                    micro, kappa = scores(counts.sum(axis=0))
                    result[strategy][m][si, step] = (float(micro), float(kappa))
    return result


def show(scheme: str, result: dict, seeds) -> None:
    for m in MODES:
        print(f"\n{scheme}, {m} mode: micro-F1 / mean kappa on the test documents (mean of seeds {seeds})")
        print(f"  {'coded units':>11} {'suggest F1':>10} {'random F1':>9} {'suggest κ':>9} {'random κ':>8}")
        s, r = result["suggest"][m].mean(axis=0), result["random"][m].mean(axis=0)
        for step in range(len(s)):
            print(f"  {START + STEP * step:11d} {s[step, 0]:10.3f} {r[step, 0]:9.3f} {s[step, 1]:9.3f} {r[step, 1]:8.3f}")
        gain = (result["suggest"][m][:, 1:] - result["random"][m][:, 1:]).mean(axis=1)  # per seed, steps after the start
        print(f"  suggest - random, mean over the steps after the start: micro-F1 {gain[:, 0].mean():+.3f} "
              f"(seeds {' '.join(f'{g:+.3f}' for g in gain[:, 0])}), kappa {gain[:, 1].mean():+.3f} "
              f"(seeds {' '.join(f'{g:+.3f}' for g in gain[:, 1])})")


def draw(results: dict, seeds, path: Path) -> None:
    """Model-mode micro-F1 against coded units, suggest vs random, one panel per scheme (band: range over seeds)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, axes = plt.subplots(1, len(results), figsize=(4.2 * len(results), 3.4), sharey=True, squeeze=False)
    for ax, (scheme, result) in zip(axes[0], results.items()):
        for strategy, colour in (("suggest", "tab:blue"), ("random", "tab:grey")):
            f1 = result[strategy]["model"][:, :, 0]
            x = START + STEP * np.arange(f1.shape[1])
            ax.plot(x, f1.mean(axis=0), marker="o", color=colour, label="chosen by suggest" if strategy == "suggest" else "chosen at random")
            ax.fill_between(x, f1.min(axis=0), f1.max(axis=0), color=colour, alpha=0.15, linewidth=0)
        ax.set_title(f"{scheme}, model mode")
        ax.set_xlabel("hand-coded training units")
        ax.grid(alpha=0.3)
    axes[0][0].set_ylabel("micro-F1 on unseen documents")
    axes[0][0].legend(loc="lower right", fontsize=8)
    fig.suptitle(f"textmine suggest vs random picks (grouped folds; mean and range of seeds {' '.join(map(str, seeds))})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(fig)
    print(f"figure -> {path}")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1, 2])
    parser.add_argument("--steps", type=int, default=8, help=f"additions of {STEP} units after the first {START}")
    parser.add_argument("--scheme", action="append", choices=["pentagon", "instrument"], help="default: both")
    parser.add_argument("--final", action="store_true", help="test on the held-out documents (once, at the end; never tune on it)")
    parser.add_argument("--figure", type=Path, help="also draw the model-mode curves into this PNG")
    args = parser.parse_args(argv)
    if not all(path.is_file() for path in GOLD):
        print(f"gold units not found: {GOLD[0].parent}", file=sys.stderr)
        return 2
    lexicons = load_lexicons()
    coding = read_golds(GOLD, lexicons)
    heldout = heldout_documents()
    is_heldout = np.array([group in heldout or group.split("#")[0] in heldout for group in coding.groups])
    rows = np.arange(len(coding))
    if args.final:
        tests, pools = [rows[is_heldout]], [rows[~is_heldout]]
        print(f"FINAL: test = the {len(set(np.array(coding.groups)[is_heldout]))} held-out documents ({is_heldout.sum()} units)")
    else:
        kept = rows[~is_heldout]
        groups = [coding.groups[i] for i in kept]
        Y = np.column_stack([coding.matrix(s, next(x for x in lexicons if x.scheme == s).codes) for s in coding.schemes])
        folds = grouped_folds(groups, Y[kept], 5, 0)
        tests = [kept[folds == f] for f in range(5)]
        pools = [kept[folds != f] for f in range(5)]
        print(f"{len(kept)} units of {len(set(groups))} documents (held-out documents left out); 5 grouped folds")
    results = {}
    for scheme in args.scheme or ["pentagon", "instrument"]:
        started = time.perf_counter()
        results[scheme] = simulate(scheme, coding, lexicons, tests, pools, args.seeds, args.steps)
        show(scheme, results[scheme], args.seeds)
        print(f"  ({time.perf_counter() - started:.0f} s)")
    if args.figure:
        draw(results, args.seeds, args.figure)
    return 0


if __name__ == "__main__":
    sys.exit(main())
