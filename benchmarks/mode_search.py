"""Searching for a coding mode that beats the lexicon (issue 8, point 4): nested grouped CV of candidate designs.

Every candidate is fitted on the training folds only; whatever it chooses (thresholds, a
decision rule per code) it chooses by *inner* grouped folds of those training documents, and
the outer folds score it (nested cross-validation). Units: ``../shared/gold`` dev + train,
documents of ``benchmarks/heldout_documents.txt`` left out (``--split cv``), or train on all
others and code those (``--split heldout``, the final check, run once).

Candidates, per scheme (pentagon, instrument):

* ``lexicon``: the shipped lexicon;
* ``hybrid``: the shipped hybrid rule (lexicon, plus model codes above a threshold);
* ``stack``: one logistic regression per code on character/word TF-IDF (as the shipped model)
  AND the lexicon's evidence (per-code counts of counted hits and of policy_only hits, the
  lexicon's decision, policy-cue counts, unit length; a copy per language), balanced class
  weights; per code a two-threshold rule "keep a lexicon code when p >= a, add a code the
  lexicon missed when p >= b" (lexicon, model, AND, OR are special cases) chosen by inner
  grouped folds, per code and language;
* ``stack+weak``: the same, trained also on units of ``../shared/corpora`` documents outside
  all gold, labelled by the lexicon (weak labels, weight ``--weak-weight``), keeping only units
  the lexicon codes with a counted hit or leaves without any hit (confidence filter);
* ``rule``: the same two-threshold rule on the shipped model's probabilities (TF-IDF only);
  ``rule+weak``: TF-IDF only, with the weak units (distilling the lexicon into the n-gram model).

Printed per scheme view (pentagon, instrument type), candidate and language: micro-F1 with a
95% interval (1,000 bootstrap resamples of documents) and its difference from the lexicon with
a paired bootstrap interval. The lexicon was revised on the ``cv`` documents: its figures there
are in-sample (optimistic), the learned parts are honest.

Figures of docs/quality.md ("Second round"): ``--candidates hybrid rule stack``, ``--candidates
rule+weak stack+weak``, ``--candidates rule stack --headroom --margin 0.02``, and once at the end
``--split heldout --candidates hybrid rule stack rule+weak stack+weak --headroom``.

    python benchmarks/mode_search.py [--split cv|heldout] [--candidates stack rule] [--weak-units 4000]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
for path in (REPO, REPO / "benchmarks"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import numpy as np  # noqa: E402
from scipy import sparse  # noqa: E402

from coding_quality import (  # noqa: E402
    GOLD, difference, figure, load_units, matrix, splits, types,
)
from textmine.coding.classify import (  # noqa: E402
    GRID, UnitClassifier, _prepared_features, _select, grouped_folds, prepare,
)
from textmine.coding.lexicon import load_lexicons  # noqa: E402
from textmine.coding.tag import Tagger, _batches, in_policy_context  # noqa: E402

SCHEMES = ("pentagon", "instrument")
CACHE = Path(tempfile.gettempdir()) / "textmine_mode_search"  # features and weak units, keyed by their inputs
KEEP = (0.0, *GRID)  # "keep a lexicon code when p >= a": 0 keeps all
ADD = (*GRID, np.inf)  # "add a missed code when p >= b": inf adds none


# --- lexicon evidence --------------------------------------------------------------------------


def raw_matches(tagger: Tagger, texts, langs) -> list[list]:
    """Every match of every unit, cues and policy_only terms included (before the policy filter)."""
    results: list[list] = [[] for _ in texts]
    by_lang: dict[str, list[int]] = {}
    for index, lang in enumerate(langs):
        by_lang.setdefault(lang, []).append(index)
    for lang, indexes in by_lang.items():
        matcher = tagger.matcher(lang)
        for batch in _batches(indexes, texts):
            tagger._find_batch(matcher, [texts[i] for i in batch], batch, results)
    return results


def evidence(lexicons, texts, langs) -> tuple[np.ndarray, dict[str, np.ndarray], np.ndarray]:
    """Dense lexicon features (units x features, a copy per language), the lexicon's 0/1 coding per scheme, and
    which units' lexicon coding is confident."""
    tagger = Tagger(lexicons)
    found = raw_matches(tagger, texts, langs)
    columns = [(lex.scheme, code) for lex in lexicons if lex.scheme in SCHEMES for code in lex.codes]
    where = {key: j for j, key in enumerate(columns)}
    counted, generic = np.zeros((len(texts), len(columns))), np.zeros((len(texts), len(columns)))
    cues = np.zeros((len(texts), len(SCHEMES)))
    for i, matches in enumerate(found):
        for _, _, p in matches:
            if p.cue and p.scheme in SCHEMES:
                cues[i, SCHEMES.index(p.scheme)] += 1
        for _, _, p in in_policy_context(matches):
            if (p.scheme, p.code) in where:
                (generic if p.policy_only else counted)[i, where[(p.scheme, p.code)]] += 1
    decided = (counted + generic) > 0
    # a weak label is trusted when no code rests on generic (policy_only) words alone
    confident = ~((generic > 0) & (counted == 0)).any(axis=1)
    length = np.log1p([len(t) for t in texts])[:, None] / 5
    base = np.hstack([np.log1p(counted), np.log1p(generic), decided, np.log1p(cues), length, np.ones((len(texts), 1))])
    lang_columns = [np.array([lang == name for lang in langs], dtype=float)[:, None] for name in ("zh", "en")]
    F = np.hstack([base * column for column in lang_columns])
    L = {scheme: decided[:, [s == scheme for s, _ in columns]].astype(np.int8) for scheme in SCHEMES}
    return F, L, confident


# --- weakly labelled units from ../shared/corpora ------------------------------------------------


def weak_units(gold_docs: set[str], limit: int, seed: int) -> list[dict]:
    """Units of corpus documents outside all gold (text_zh, text_en: plain texts, and .jsonl records no gold unit uses)."""
    from textmine.inputs.extract import extract_documents
    from textmine.units.segment import segment

    corpora = REPO.parent / "shared" / "corpora"
    units = []
    for folder in ("text_zh", "text_en"):
        for path in sorted((corpora / folder).iterdir()):
            name = f"{folder}/{path.name}"
            if path.suffix not in (".txt", ".jsonl") or name in gold_docs:
                continue
            for document in extract_documents(path, path.stem):
                number = document.metadata.get("record")
                # gold records count lines from 0, textmine from 1: leave out both readings
                if number is not None and {f"{name}#{number}", f"{name}#{number - 1}"} & gold_docs:
                    continue
                for unit in segment(document):
                    if unit.lang in ("zh", "en") and 20 <= len(unit.text) <= 1500:
                        units.append({"text": unit.text, "lang": unit.lang, "group": f"weak:{document.doc_id}"})
    rng = np.random.default_rng(seed)
    pick = rng.permutation(len(units))[:limit]
    return [units[i] for i in sorted(pick)]


# --- candidates ----------------------------------------------------------------------------------


class Features:
    """TF-IDF (vocabulary and idf from the training rows) plus weighted lexicon evidence."""

    def __init__(self, docs, F, weight: float, min_df: int = 2):
        self.docs, self.F, self.weight, self.min_df = docs, F, weight, min_df

    def fit(self, rows) -> "Features":
        part = self.docs.take(rows)
        char_columns, char_idf = _select(part.char_counts, self.min_df)
        word_columns, word_idf = _select(part.word_counts, self.min_df)
        self.weights = {"_columns": (char_columns, word_columns), "char_idf_": char_idf, "word_idf_": word_idf}
        return self

    def X(self, rows):
        blocks = [_prepared_features(self.docs.take(rows), self.weights)]
        if self.weight:
            blocks.append(sparse.csr_matrix(self.F[rows] * self.weight))
        return sparse.hstack(blocks, format="csr")


def fit_lr(X, Y, C: float, sample_weight=None) -> tuple[np.ndarray, np.ndarray]:
    from sklearn.linear_model import LogisticRegression

    coef, intercept = np.zeros((Y.shape[1], X.shape[1])), np.zeros(Y.shape[1])
    for j in range(Y.shape[1]):
        if Y[:, j].min() == Y[:, j].max():
            intercept[j] = 30.0 if Y[0, j] else -30.0
            continue
        lr = LogisticRegression(C=C, class_weight="balanced", solver="liblinear", random_state=0)
        lr.fit(X, Y[:, j], sample_weight=sample_weight)
        coef[j], intercept[j] = lr.coef_[0], lr.intercept_[0]
    return coef, intercept


def proba(features: Features, rows, train, Y, C, weak=None):
    """Probabilities of ``rows`` from a model fitted on ``train`` (+ weak rows, weighted)."""
    fit_rows, sample_weight = np.asarray(train), None
    labels = Y[train]
    if weak is not None:
        weak_rows, weak_Y, w = weak
        fit_rows = np.concatenate([fit_rows, weak_rows])
        labels = np.vstack([labels, weak_Y])
        sample_weight = np.concatenate([np.ones(len(train)), np.full(len(weak_rows), w)])
    features.fit(fit_rows)
    coef, intercept = fit_lr(features.X(fit_rows), labels, C, sample_weight)
    from scipy.special import expit

    return expit(features.X(rows) @ coef.T + intercept)


def f1(y, d) -> float:
    tp, wrong = int((y & d).sum()), int((y ^ d).sum())
    return 2 * tp / (2 * tp + wrong) if tp + wrong else 1.0


def best_rule(y, lex, p, margin: float = 0.0) -> tuple[float, float]:
    """(a, b) maximising F1 of (lex & p >= a) | (p >= b); the lexicon alone unless a rule beats it by more than
    ``margin``; ties go to stricter changes."""
    y, lex = y.astype(bool), lex.astype(bool)
    best, rule = f1(y, lex) + margin, (0.0, np.inf)
    for a in KEEP:
        kept = lex & (p >= a)
        for b in ADD:
            if b < a:
                continue
            score = f1(y, kept | (p >= b))
            if score > best + 1e-9:
                best, rule = score, (a, b)
    return rule


def apply_rule(lex, p, rule) -> np.ndarray:
    a, b = rule
    return ((lex.astype(bool) & (p >= a)) | (p >= b)).astype(np.int8)


def rule_decisions(features, train, test, Y, L, langs, groups, C, weak=None, inner=4, per_lang=True,
                   margin=0.0) -> tuple[np.ndarray, np.ndarray]:
    """Fit on ``train``; per code (and language) the rule chosen on inner grouped out-of-fold probabilities.
    Returns the decisions and the probabilities of the ``test`` units."""
    train = np.asarray(train)
    folds = grouped_folds([groups[i] for i in train], Y[train], inner, 1)
    oof = np.zeros((len(train), Y.shape[1]))
    for f in range(inner):
        inner_train, inner_test = train[folds != f], train[folds == f]
        oof[folds == f] = proba(features, inner_test, inner_train, Y, C, weak)
    P = proba(features, test, train, Y, C, weak)
    out = np.zeros((len(test), Y.shape[1]), dtype=np.int8)
    names = sorted(set(langs[test])) if per_lang else [None]
    for lang in names:
        tr = (langs[train] == lang) if lang else np.ones(len(train), dtype=bool)
        te = (langs[test] == lang) if lang else np.ones(len(test), dtype=bool)
        for j in range(Y.shape[1]):
            rule = best_rule(Y[train][tr, j], L[train][tr, j], oof[tr, j], margin)
            out[te, j] = apply_rule(L[test][te, j], P[te, j], rule)
    return out, P


def headroom(Y, L, P, langs, mask) -> np.ndarray:
    """Upper bound, not a result: the best rule per code and language chosen on the scored units themselves."""
    out = L.copy()
    for lang in ("zh", "en"):
        rows = mask & (langs == lang)
        for j in range(Y.shape[1]):
            out[rows, j] = apply_rule(L[rows, j], P[rows, j], best_rule(Y[rows, j], L[rows, j], P[rows, j]))
    return out


# --- the search ------------------------------------------------------------------------------------


def cached(name: str, key: str, make):
    CACHE.mkdir(exist_ok=True)
    path = CACHE / f"{name}-{hashlib.sha256(key.encode()).hexdigest()[:12]}.pickle"
    if path.exists():
        return pickle.loads(path.read_bytes())
    value = make()
    path.write_bytes(pickle.dumps(value))
    return value


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--split", choices=["cv", "heldout"], default="cv")
    parser.add_argument("--candidates", nargs="+", default=["hybrid", "rule", "stack", "stack+weak"])
    parser.add_argument("--C", type=float, default=10.0)
    parser.add_argument("--weight", type=float, default=1.0, help="scale of the lexicon evidence features")
    parser.add_argument("--weak-units", type=int, default=4000)
    parser.add_argument("--weak-weight", type=float, default=0.2)
    parser.add_argument("--margin", type=float, default=0.0,
                        help="a code departs from the lexicon only when its inner-fold F1 gains more than this")
    parser.add_argument("--headroom", action="store_true",
                        help="also candidate* : its rules chosen on the scored units themselves (an upper bound)")
    parser.add_argument("--global-rule", action="store_true", help="one rule per code for both languages")
    parser.add_argument("--lexicon", action="append", type=Path, help="lexicon files instead of the shipped ones")
    parser.add_argument("--score-train-only", action="store_true",
                        help="score only documents of train-units.jsonl that dev-units.jsonl does not use (those an "
                             "older lexicon revised on dev-units never saw)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    if not all(path.is_file() for path in GOLD):
        print(f"gold units not found: {GOLD[0].parent}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    lexicons = load_lexicons(args.lexicon)
    lexicon_key = "".join(lex.sha256 for lex in lexicons)
    units = load_units()
    weak = []
    if any("weak" in c for c in args.candidates):
        weak = cached("weak", f"{args.weak_units}", lambda: weak_units({u["group"] for u in units}, args.weak_units, 0))
    rows = units + weak
    texts, langs = [u["text"] for u in rows], np.array([u["lang"] for u in rows])
    groups = [u["group"] for u in rows]
    text_key = "\0".join(f"{lang}:{text}" for lang, text in zip(langs, texts))
    docs = cached("docs", text_key, lambda: prepare(texts, list(langs)))
    F, L_all, confident = cached("evidence", text_key + lexicon_key, lambda: evidence(lexicons, texts, list(langs)))
    n = len(units)
    weak_rows = np.arange(n, len(rows))
    train_of, test_of, mask = splits(units, args.split, 0)
    if args.score_train_only:
        dev = {json.loads(line)["doc"] for line in GOLD[0].read_text(encoding="utf-8").splitlines() if line.strip()}
        mask = mask & np.array([u["doc"] not in dev for u in units])
    print(f"split {args.split}: {int(mask.sum())} test units; {len(weak_rows)} weak units; features ready in "
          f"{time.perf_counter() - started:.0f} s (loaded machine)", flush=True)
    result = {}
    for scheme in SCHEMES:
        codes = next(lex for lex in lexicons if lex.scheme == scheme).codes
        Y, L = matrix(units, scheme, codes), L_all[scheme]
        Y_all = np.vstack([Y, L[n:]])
        decided = {c: np.zeros_like(Y) for c in ["lexicon", *args.candidates]}
        probabilities = {c: np.zeros(Y.shape) for c in args.candidates}
        for train, test in zip(train_of, test_of):
            decided["lexicon"][test] = L[test]
            for candidate in args.candidates:
                if candidate == "hybrid":
                    model = UnitClassifier(scheme, codes)
                    model.fit_prepared(docs.take(train), list(langs[train]), Y[train], [groups[i] for i in train], L[train])
                    decided[candidate][test] = model.decide(model.proba_prepared(docs.take(test)), L[test], "hybrid")
                    continue
                features = Features(docs, F, 0.0 if candidate.startswith("rule") else args.weight)
                extra = None
                if candidate.endswith("+weak"):
                    trusted = weak_rows[confident[weak_rows]]
                    extra = (trusted, Y_all[trusted], args.weak_weight)
                decided[candidate][test], probabilities[candidate][test] = rule_decisions(
                    features, train, test, Y_all, L, langs, groups, args.C, extra, per_lang=not args.global_rule,
                    margin=args.margin)
            print(f"  {scheme}: fold done, {time.perf_counter() - started:.0f} s", flush=True)
        if args.headroom:
            for candidate in [c for c in args.candidates if c != "hybrid"]:
                decided[f"{candidate}*"] = headroom(Y, L[:n], probabilities[candidate], langs[:n], mask)
        result[scheme] = {"gold": Y, "codes": codes, **decided}
    shown = [c for c in decided if c != "lexicon"]
    table = show(units, result, mask, ["lexicon", *shown])
    if args.json:
        args.json.write_text(json.dumps(table, indent=1), encoding="utf-8")
    return 0


def show(units, result, mask, candidates) -> dict:
    groups = np.array([u["group"] for u in units])
    langs = np.array([u["lang"] for u in units])
    pent, inst = result["pentagon"], result["instrument"]
    tgold, tnames = types(inst["gold"], inst["codes"])
    views = {"pentagon": (pent["codes"], pent["gold"], {c: pent[c] for c in candidates}),
             "type": (tnames, tgold, {c: types(inst[c], inst["codes"])[0] for c in candidates})}
    table = {}
    for view, (codes, gold, decided) in views.items():
        for lang in ("zh", "en"):
            rows = mask & (langs == lang)
            for candidate in candidates:
                f = figure(codes, gold[rows], decided[candidate][rows], groups[rows], np.random.default_rng(0))
                line = f"{view:9} {lang} {candidate:11} F1 {f['micro_f1']:.3f} [{f['f1_ci'][0]:.3f}, {f['f1_ci'][1]:.3f}]"
                entry = {"micro_f1": f["micro_f1"], "f1_ci": f["f1_ci"]}
                if candidate != "lexicon":
                    d, ci = difference(gold[rows], decided[candidate][rows], decided["lexicon"][rows], groups[rows],
                                       np.random.default_rng(0))
                    line += f"  minus lexicon {d:+.3f} [{ci[0]:+.3f}, {ci[1]:+.3f}]"
                    entry["minus_lexicon"] = [d, ci]
                print(line)
                table[f"{view}/{lang}/{candidate}"] = entry
    return table


if __name__ == "__main__":
    sys.exit(main())
