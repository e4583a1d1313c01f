"""How many hand-coded units are worth coding: scores against the number of training units.

The units are split into grouped folds (whole documents, as in `evaluate`).
For each fold, the documents of the other folds are put in a seeded random
order and the first N units in that order train a classifier (whole
documents, the last one cut where N is reached, as a coder who stops in the
middle of a document), for N in ``SIZES`` below the fold's training units,
and all of them. Every unit is coded by the model of its own fold at each N;
the pooled out-of-fold codings are scored per language with 95% intervals by
bootstrap over documents (``textmine.coding.evaluation``). The lexicon does not
learn: its scores are the same at every N, drawn as a reference line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from textmine.coding.classify import UnitClassifier, grouped_folds, prepare
from textmine.coding.evaluation import RESAMPLES, has_types, score_by_language, type_view
from textmine.coding.gold import Coding
from textmine.core.constants import MODES
from textmine.core.errors import InputError

SIZES = (100, 200, 400, 800)
LINES = {"lexicon": "--", "model": "-", "hybrid": ":"}
COLUMNS = ("scheme", "mode", "lang", "size", "training_units", "documents", "micro_f1", "f1_low", "f1_high",
           "kappa", "kappa_low", "kappa_high")


def require_documents(coding: Coding) -> None:
    documents = len(set(coding.groups))
    if documents < 2:
        how = "" if coding.grouping != "none" else " (the file names no document: add a doc_id column, or doc in JSON lines)"
        raise InputError(
            f"{coding.path}: the learning curve trains on some documents and scores others, so it needs units of at least "
            f"2 documents; these units are all from {documents} document{how}"
        )


def training_order(groups: Sequence[str], train: np.ndarray, seed: int) -> np.ndarray:
    """The training units ``train`` ordered document by document, documents in a seeded random order."""
    unit_groups = np.asarray(groups, dtype=str)
    names = sorted(set(unit_groups[train].tolist()))
    order = np.random.default_rng(seed).permutation(len(names))
    rank = {names[i]: position for position, i in enumerate(order)}
    return np.array(sorted(train.tolist(), key=lambda i: (rank[unit_groups[i]], i)), dtype=int)


def learning_curve(coding: Coding, scheme: str, codes: Sequence[str], Y: np.ndarray, L: np.ndarray,
                   sizes: Sequence[int] = SIZES, folds: int = 5, seed: int = 0, resamples: int = RESAMPLES) -> pd.DataFrame:
    """The curve of one scheme (and of its types for sub-codes) as a table with the ``COLUMNS``."""
    require_documents(coding)
    langs, groups = list(coding.langs), list(coding.groups)
    k = min(folds, len(set(groups)))
    lang_columns = np.array([[lang == name for name in sorted(set(langs))] for lang in langs], dtype=float)
    fold_of = grouped_folds(groups, np.column_stack([Y, lang_columns]), k, seed)
    smallest = min(int((fold_of != f).sum()) for f in range(k))
    steps = sorted({int(n) for n in sizes if 0 < int(n) < smallest}) + [None]  # None: all training units
    docs = prepare(coding.texts, langs)
    decided = {n: {mode: np.zeros(Y.shape, dtype=np.int8) for mode in MODES} for n in steps}
    used = {n: [] for n in steps}
    for fold in range(k):
        test = np.flatnonzero(fold_of == fold)
        ordered = training_order(groups, np.flatnonzero(fold_of != fold), seed + fold)
        for n in steps:
            train = np.sort(ordered[:n] if n else ordered)
            model = UnitClassifier(scheme, codes, seed=seed)
            model.fit_prepared(docs.take(train), [langs[i] for i in train], Y[train], [groups[i] for i in train], L[train])
            P = model.proba_prepared(docs.take(test))
            for mode in MODES:
                decided[n][mode][test] = model.decide(P, L[test], mode)
            used[n].append(len(train))
    rows = []
    for n in steps:
        views = [(scheme, list(codes), Y, decided[n])]
        if has_types(codes):
            views.append((f"{scheme} types", type_view(Y, codes)[1], type_view(Y, codes)[0],
                          {mode: type_view(m, codes)[0] for mode, m in decided[n].items()}))
        for name, names, gold, by_mode in views:
            scored = score_by_language(gold, by_mode, names, langs, groups, resamples, seed)
            for mode, by_lang in scored.items():
                for lang, s in by_lang.items():
                    rows.append([name, mode, lang, "all" if n is None else str(n), round(float(np.mean(used[n]))), s.documents,
                                 s.report.micro_f1, s.micro_f1.low, s.micro_f1.high, s.report.mean_kappa, s.kappa.low, s.kappa.high])
    return pd.DataFrame(rows, columns=list(COLUMNS))


def curves(gold, lexicons, schemes: Sequence[str] = (), sizes: Sequence[int] = SIZES, folds: int = 5, seed: int = 0,
           resamples: int = RESAMPLES) -> pd.DataFrame:
    """The learning curve of every scheme in one or more hand-coded files (``textmine evaluate --learning-curve``)."""
    from textmine.coding.golds import read_golds
    from textmine.coding.learning import _paths, _prepare_scheme

    coding = read_golds(_paths(gold), lexicons, list(schemes) or None)
    require_documents(coding)
    parts = []
    for scheme in coding.schemes:
        lexicon, Y, L = _prepare_scheme(coding, lexicons, scheme)
        parts.append(learning_curve(coding, scheme, lexicon.codes, Y, L, sizes, folds, seed, resamples))
    return pd.concat(parts, ignore_index=True)


def write_curve(curve: pd.DataFrame, path) -> Path:
    """The figure to ``path`` (.png, .svg, .pdf) and the table beside it (.csv); returns the table's path."""
    from textmine.analysis.plot import close, save
    from textmine.core.export import write_table

    fig = figure(curve)
    save(fig, path)
    close(fig)
    return write_table(curve, Path(path).with_suffix(".csv"))


def figure(curve: pd.DataFrame, title: str = ""):
    """Micro-F1 and mean kappa against training units, one panel per scheme and measure; colour: language, line: mode."""
    from textmine.analysis.plot import PALETTE, _figure, style

    schemes = list(dict.fromkeys(curve["scheme"]))
    with style(None):
        fig = _figure(9.0, 3.0 * len(schemes) + 0.4)
        for row, scheme in enumerate(schemes):
            for col, (measure, low, high, label) in enumerate((("micro_f1", "f1_low", "f1_high", "micro-F1"),
                                                              ("kappa", "kappa_low", "kappa_high", "mean Cohen's kappa"))):
                axes = fig.add_subplot(len(schemes), 2, 2 * row + col + 1)
                part = curve[(curve["scheme"] == scheme) & (curve["lang"] != "all")]
                langs = list(dict.fromkeys(part["lang"]))
                for (mode, lang), line in part.groupby(["mode", "lang"], sort=False):
                    color = PALETTE[langs.index(lang) % len(PALETTE)]
                    x = line["training_units"].to_numpy()
                    axes.plot(x, line[measure], LINES.get(mode, "-"), color=color, marker="" if mode == "lexicon" else "o",
                              markersize=3, label=f"{mode} {lang}")
                    if mode == "model":
                        axes.fill_between(x, line[low], line[high], color=color, alpha=0.12, linewidth=0)
                axes.set_title(f"{scheme}: {label}")
                axes.set_xlabel("hand-coded training units")
                axes.set_ylim(min(0.0, float(part[measure].min()) - 0.05), 1)
                axes.grid(alpha=0.3)
        fig.legend(*fig.axes[0].get_legend_handles_labels(), loc="outside lower center", ncols=6, frameon=False)
        fig.suptitle(title or "Learning curve (grouped cross-validation; band: the model's 95% bootstrap interval over documents)")
    return fig
