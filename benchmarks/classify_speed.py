"""How fast do textmine's classifiers train and predict, and how much memory do they take?

Units: real policy units segmented from ``../shared/corpora/text_{zh,en}/*.txt`` (half Chinese,
half English; the corpus sample ``corpora/sample`` when ../shared is absent), labelled with the
lexicon's pentagon codes — the labels only give the classifier something to learn; quality is
measured in ``classify_quality.py``.

Measured in one process, one thread (BLAS limited to 1 with threadpoolctl, as textmine does):

* ``UnitClassifier.fit`` on N training units (default 1,000): the final model plus the inner
  grouped folds that set its thresholds — what `textmine train` does after cross-validation;
* `textmine train`'s whole job (5-fold grouped CV + the final fit) on the same units;
* ``predict_proba`` on M units (default 4,000) from text: units per second;
* peak memory of each step (tracemalloc: Python and numpy allocations) and the process's max RSS;
* baseline, in the same run: a plain scikit-learn pipeline (TfidfVectorizer char_wb 1-3 +
  OneVsRestClassifier(LogisticRegression)) with default BLAS threads, fitted and predicting on the
  same units; the ratios say how textmine compares.

    python benchmarks/classify_speed.py [--train 1000] [--predict 4000]
"""

from __future__ import annotations

import argparse
import resource
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))


from textmine.coding.classify import UnitClassifier, cross_validate, prepare  # noqa: E402
from textmine.coding.coders import LexiconCoder, lexicon_matrix  # noqa: E402
from textmine.inputs.corpus import find_inputs  # noqa: E402
from textmine.inputs.extract import ExtractSettings, extract_documents  # noqa: E402
from textmine.coding.lexicon import load_lexicons  # noqa: E402
from textmine.units.segment import segment  # noqa: E402

SHARED = REPO.parent / "shared" / "corpora"


def load_units(n: int) -> tuple[list[str], list[str], list[str]]:
    """(texts, langs, documents) of up to n units, half zh and half en, units of 20-1,500 characters."""
    folders = [SHARED / "text_zh", SHARED / "text_en"] if SHARED.is_dir() else [REPO / "corpora" / "sample"]
    per_lang: dict[str, list] = {"zh": [], "en": []}
    for folder in folders:
        for input_file in find_inputs([str(folder)]).files:
            if input_file.path.suffix != ".txt":
                continue
            for document in extract_documents(input_file.path, input_file.doc_id, ExtractSettings()):
                for unit in segment(document):
                    if unit.lang in per_lang and 20 <= len(unit.text) <= 1500:
                        per_lang[unit.lang].append((unit.text, unit.lang, unit.doc_id))
    half = n // 2
    chosen = per_lang["zh"][:half] + per_lang["en"][: n - half]
    if len(chosen) < n:  # the small sample: repeat to reach n
        chosen = (chosen * (n // max(len(chosen), 1) + 1))[:n]
    texts, langs, docs = (list(column) for column in zip(*chosen))
    return texts, langs, docs


def measure(step):
    """(result, seconds, tracemalloc peak MiB): step() timed alone, then run again under tracemalloc
    (which slows allocation-heavy code 2-3x, so it must not be in the timing)."""
    started = time.perf_counter()
    result = step()
    seconds = time.perf_counter() - started
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return result, seconds, peak


def baseline(texts, Y, predict_texts):
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.linear_model import LogisticRegression
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.pipeline import make_pipeline

    pipeline = make_pipeline(TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), sublinear_tf=True),
                             OneVsRestClassifier(LogisticRegression(max_iter=1000)))
    _, fit_seconds, fit_peak = measure(lambda: pipeline.fit(texts, Y))
    _, predict_seconds, predict_peak = measure(lambda: pipeline.predict_proba(predict_texts))
    return fit_seconds, fit_peak, predict_seconds, predict_peak


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--train", type=int, default=1000, help="training units")
    parser.add_argument("--predict", type=int, default=4000, help="units to predict")
    args = parser.parse_args(argv)

    lexicons = load_lexicons()
    pentagon = next(lexicon for lexicon in lexicons if lexicon.scheme == "pentagon")
    texts, langs, docs = load_units(max(args.train, args.predict))
    print(f"units: {len(texts)} ({langs.count('zh')} zh, {langs.count('en')} en) from {len(set(docs))} documents"
          f" of {'../shared/corpora' if SHARED.is_dir() else 'corpora/sample (repeated)'}")
    half = args.train // 2  # half zh, half en: take from both ends
    train_texts = texts[: half] + texts[-(args.train - half):] if args.train < len(texts) else texts
    train_langs = langs[: half] + langs[-(args.train - half):] if args.train < len(texts) else langs
    train_docs = docs[: half] + docs[-(args.train - half):] if args.train < len(texts) else docs
    tagger = LexiconCoder(lexicons).tagger
    Y = lexicon_matrix(tagger, train_texts, train_langs, "pentagon", pentagon.codes)
    L = Y.copy()
    print(f"training units: {len(train_texts)}, positives per code: {dict(zip(pentagon.codes, Y.sum(axis=0).tolist()))}")

    _ = prepare(train_texts[:5] + train_texts[-5:], train_langs[:5] + train_langs[-5:])  # load jieba/spaCy once, outside the timings
    model = UnitClassifier("pentagon", pentagon.codes)
    _, fit_seconds, fit_peak = measure(lambda: model.fit(train_texts, train_langs, Y, train_docs, L))
    _, cv_seconds, cv_peak = measure(lambda: cross_validate(UnitClassifier("pentagon", pentagon.codes), train_texts, train_langs, Y, train_docs, L,
                                                          folds=min(5, len(set(train_docs)))))
    predict_texts, predict_langs = texts[: args.predict], langs[: args.predict]
    model.predict_proba(predict_texts[:5] + predict_texts[-5:], predict_langs[:5] + predict_langs[-5:])  # vectorizers, jieba, spaCy loaded
    _, predict_seconds, predict_peak = measure(lambda: model.predict_proba(predict_texts, predict_langs))
    base_fit, base_fit_peak, base_predict, base_predict_peak = baseline(train_texts, Y, predict_texts)
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024

    rate, base_rate = len(predict_texts) / predict_seconds, len(predict_texts) / base_predict
    print(f"\n{'step':46} {'seconds':>8} {'peak MiB':>9}")
    print(f"{'fit (final model + inner folds), textmine':46} {fit_seconds:8.2f} {fit_peak:9.1f}")
    print(f"{'train = 5-fold grouped CV + fit, textmine':46} {cv_seconds + fit_seconds:8.2f} {max(cv_peak, fit_peak):9.1f}")
    print(f"{'fit, baseline sklearn pipeline (chars only)':46} {base_fit:8.2f} {base_fit_peak:9.1f}")
    print(f"{'predict ' + str(len(predict_texts)) + ' units, textmine':46} {predict_seconds:8.2f} {predict_peak:9.1f}")
    print(f"{'predict ' + str(len(predict_texts)) + ' units, baseline':46} {base_predict:8.2f} {base_predict_peak:9.1f}")
    print(f"\npredictions per second: textmine {rate:,.0f} (target >= 2,000), baseline {base_rate:,.0f}; ratio {rate / base_rate:.2f}")
    print(f"fit time ratio textmine / baseline: {fit_seconds / base_fit:.2f} (textmine also fits 4 inner folds and words)")
    print(f"train on {len(train_texts)} units: {cv_seconds + fit_seconds:.1f} s (target < 30 s); process max RSS {maxrss:.0f} MiB")
    return 0


if __name__ == "__main__":
    sys.exit(main())
