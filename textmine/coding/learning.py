"""Learning from hand-coding, one library call per step: train, evaluate, agree, suggest.

* ``train``: read a hand-coded file, cross-validate (grouped by document),
  fit on everything, write the model (skops) and its card (JSON).
* ``evaluate``: grouped cross-validation of lexicon, model and hybrid coding
  on a hand-coded file; or, given trained models, their scores on it as
  held-out data.
* ``agree``: agreement of two codings of the same units, joined on unit id.
* ``suggest``: the units most worth hand-coding next: where lexicon and model
  disagree, then where the model is least certain.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Sequence

import numpy as np
import pandas as pd

from textmine.coding.classify import (
    CrossValidation, UnitClassifier, card_path, cross_validate, load_model, model_card, prepare, resolve_model,
    save_model,
)
from textmine.coding.coders import lexicon_matrix, load_models
from textmine.coding.evaluation import RESAMPLES, Scored, has_types, score_by_language, type_view
from textmine.coding.gold import Coding, read_coding, require_examples
from textmine.coding.golds import read_golds
from textmine.coding.lexicon import Lexicon
from textmine.coding.reliability import AgreementReport, MultiLabelReport, agreement_report
from textmine.coding.selection import choose, disagreements, priorities
from textmine.coding.tag import Tagger
from textmine.core.constants import MODES
from textmine.core.errors import InputError
from textmine.core.export import atomic_path, write_table, write_xlsx
from textmine.inputs.corpus import file_sha256
from textmine.inputs.tables import read_table, require_columns
from textmine.units.table_units import detect_langs

REPORT_COLUMNS = ("scheme", "mode", "lang", "code", "precision", "recall", "f1", "kappa", "support", "predicted",
                  "documents", "f1_low", "f1_high", "kappa_low", "kappa_high")
COUNT_COLUMNS = ("support", "predicted", "documents")


def _lexicon(lexicons: Sequence[Lexicon], scheme: str) -> Lexicon:
    for lexicon in lexicons:
        if lexicon.scheme == scheme:
            return lexicon
    raise InputError(f"unknown scheme '{scheme}'; the loaded lexicons define: {', '.join(l.scheme for l in lexicons)}")


def _created() -> str:
    """Now, or SOURCE_DATE_EPOCH (reproducible builds) when set."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    moment = dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc) if epoch else dt.datetime.now(dt.timezone.utc)
    return moment.isoformat(timespec="seconds")


# --- train and evaluate ------------------------------------------------------------------------------


@dataclass
class Evaluation:
    """Scores of one scheme under each mode, per language (and "all")."""

    scheme: str
    codes: list[str]
    units: int
    documents: int
    grouping: str
    method: str  # "grouped 5-fold cross-validation" or "held-out (trained model)"
    reports: dict[str, dict[str, MultiLabelReport]]  # mode -> lang -> report
    fold_micro_f1: dict[str, dict[str, list]] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    scored: dict[str, dict[str, Scored]] = field(default_factory=dict)  # mode -> lang -> scores with 95% intervals
    resamples: int = 0  # bootstrap resamples of documents behind the intervals (0: none)

    def table(self) -> pd.DataFrame:
        """One row per code, plus "micro" (micro-F1 and its interval) and "macro" (macro-F1, mean kappa and its interval)."""
        rows = []
        none = [None] * 5
        for mode, by_lang in self.reports.items():
            for lang, report in by_lang.items():
                for code, s in report.per_code.items():
                    rows.append([self.scheme, mode, lang, code, s.precision, s.recall, s.f1, s.kappa, s.support, s.predicted, *none])
                scored = self.scored.get(mode, {}).get(lang)
                docs = scored.documents if scored else None
                f1_ci = [scored.micro_f1.low, scored.micro_f1.high] if scored else [None, None]
                kappa_ci = [scored.kappa.low, scored.kappa.high] if scored else [None, None]
                rows.append([self.scheme, mode, lang, "micro", report.micro_precision, report.micro_recall, report.micro_f1, None,
                             None, None, docs, *f1_ci, None, None])
                rows.append([self.scheme, mode, lang, "macro", None, None, report.macro_f1, report.mean_kappa, None, None, docs,
                             None, None, *kappa_ci])
        frame = pd.DataFrame(rows, columns=list(REPORT_COLUMNS))
        for column in COUNT_COLUMNS:  # whole numbers, blank where there is none (not 6.0)
            frame[column] = frame[column].astype("Int64")
        return frame


@dataclass
class Trained:
    model: UnitClassifier
    evaluation: Evaluation
    model_path: Path
    card_path: Path
    card: dict


def _prepare_scheme(coding: Coding, lexicons, scheme: str):
    lexicon = _lexicon(lexicons, scheme)
    Y = coding.matrix(scheme, lexicon.codes)
    L = lexicon_matrix(Tagger(lexicons), coding.texts, coding.langs, scheme, lexicon.codes)
    return lexicon, Y, L


def _folds(coding: Coding, folds: int) -> int:
    documents = len(set(coding.groups))
    if documents < 2:
        raise InputError(f"{coding.path}: cross-validation needs units of at least 2 documents; the file has {documents}")
    return min(folds, documents)


def _paths(gold) -> list:
    return [gold] if isinstance(gold, (str, Path)) else list(gold)


def train(gold, scheme: str, out, lexicons: Sequence[Lexicon], folds: int = 5, seed: int = 0, min_examples: int = 3,
          resamples: int = RESAMPLES) -> Trained:
    """Cross-validate and train a classifier of ``scheme`` on one or more hand-coded files; write ``out`` and its card."""
    coding = read_golds(_paths(gold), lexicons, [scheme])
    lexicon, Y, L = _prepare_scheme(coding, lexicons, scheme)
    require_examples(coding, scheme, lexicon.codes, min_examples)
    langs, groups = list(coding.langs), list(coding.groups)
    model = UnitClassifier(scheme, lexicon.codes, seed=seed)
    docs = prepare(coding.texts, langs, model.word_features)
    k = _folds(coding, folds)
    cv = cross_validate(model, coding.texts, langs, Y, groups, L, folds=k, seed=seed, docs=docs)
    model.fit_prepared(docs, langs, Y, groups, L)
    data = save_model(model, out)
    training = {
        "file": " + ".join(Path(p).name for p in _paths(gold)), "sha256": coding.sha256, "units": len(coding),
        "documents": len(set(groups)), "grouping": coding.grouping,
        "languages": {lang: langs.count(lang) for lang in sorted(set(langs))},
        "positives": coding.positives(scheme, lexicon.codes),
    }
    if len(_paths(gold)) > 1:
        training["files"] = [{"file": Path(p).name, "sha256": file_sha256(p)} for p in _paths(gold)]
    card = model_card(model, data, training, lexicon, cv, _created())
    card_file = card_path(out)
    with atomic_path(card_file) as tmp:
        tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    evaluation = _from_cv(coding, scheme, lexicon.codes, cv, k, resamples, seed)[0]
    return Trained(model, evaluation, Path(out), card_file, card)


def _from_cv(coding: Coding, scheme: str, codes, cv: CrossValidation, k: int, resamples: int = RESAMPLES,
             seed: int = 0) -> list[Evaluation]:
    """The cross-validation's scores with intervals; for sub-codes (SUP.TAL) also their types (SUP)."""
    method = f"grouped {k}-fold cross-validation"
    views = [(scheme, list(codes), cv.gold, cv.decided)]
    if has_types(codes):
        gold, types = type_view(cv.gold, codes)
        views.append((f"{scheme} types", types, gold, {mode: type_view(m, codes)[0] for mode, m in cv.decided.items()}))
    results = []
    for name, names, gold, decided in views:
        scored = score_by_language(gold, decided, names, coding.langs, coding.groups, resamples, seed)
        reports = {mode: {lang: s.report for lang, s in by_lang.items()} for mode, by_lang in scored.items()}
        folds = cv.fold_micro_f1 if name == scheme else {}
        results.append(Evaluation(name, names, len(coding), len(set(coding.groups)), coding.grouping, method, reports, folds,
                                  scored=scored, resamples=resamples))
    return results


def evaluate(gold, lexicons: Sequence[Lexicon], schemes: Sequence[str] = (), models: Sequence[str] = (),
             folds: int = 5, seed: int = 0, resamples: int = RESAMPLES) -> list[Evaluation]:
    """Scores of lexicon, model and hybrid coding on one or more hand-coded files, per scheme (and instrument types).

    Without ``models``: grouped cross-validation (a classifier is trained per
    fold; folds keep documents whole, across files too), with 95% intervals by
    bootstrap over documents. With ``models``: the trained models code the
    units as held-out data.
    """
    if models:
        return [e for path in models for e in _held_out(_paths(gold), lexicons, path, schemes, resamples, seed)]
    coding = read_golds(_paths(gold), lexicons, list(schemes) or None)
    results = []
    for scheme in coding.schemes:
        lexicon, Y, L = _prepare_scheme(coding, lexicons, scheme)
        require_examples(coding, scheme, lexicon.codes, 2)
        k = _folds(coding, folds)
        cv = cross_validate(UnitClassifier(scheme, lexicon.codes, seed=seed), coding.texts, list(coding.langs), Y,
                            list(coding.groups), L, folds=k, seed=seed)
        results += _from_cv(coding, scheme, lexicon.codes, cv, k, resamples, seed)
    return results


def _held_out(paths, lexicons, model_name, schemes, resamples: int = RESAMPLES, seed: int = 0) -> list[Evaluation]:
    path = resolve_model(model_name)
    model = load_model(path)
    if schemes and model.scheme not in schemes:
        raise InputError(f"{path}: this model codes scheme '{model.scheme}', not {', '.join(schemes)}")
    load_models([str(path)], lexicons)  # the same checks as a run: scheme and codes match a lexicon
    coding = read_golds(paths, lexicons, [model.scheme])
    lexicon, Y, L = _prepare_scheme(coding, lexicons, model.scheme)
    P = model.predict_proba(list(coding.texts), list(coding.langs))
    decided = {mode: model.decide(P, L, mode) for mode in MODES}
    cv = CrossValidation(list(lexicon.codes), np.zeros(len(coding), dtype=int), list(coding.langs), Y, decided, P)
    results = _from_cv(coding, model.scheme, lexicon.codes, cv, 1, resamples, seed)
    notes = []
    if _trained_on(card_path(path), coding, paths):
        notes.append("this file is the model's training data: these scores are in-sample (optimistic); omit --model for cross-validation")
    for evaluation in results:
        evaluation.method = f"held-out: {path.name} codes the file"
        evaluation.fold_micro_f1 = {}
        evaluation.notes = notes
    return results


def _trained_on(card, coding: Coding, paths) -> bool:
    """Whether the model's card names the evaluated data (or one of its files) as training data."""
    if not card.is_file():
        return False
    training = json.loads(card.read_text(encoding="utf-8")).get("training_data", {})
    trained = {training.get("sha256")} | {f.get("sha256") for f in training.get("files", [])}
    return bool(trained & ({coding.sha256} | {file_sha256(p) for p in paths}))


def write_evaluations(evaluations: Sequence[Evaluation], out) -> None:
    """Per-code scores of every scheme, mode and language as one table (.csv, .xlsx, .parquet)."""
    write_table(pd.concat([e.table() for e in evaluations], ignore_index=True), out)


# --- agree ----------------------------------------------------------------------------------------------


@dataclass
class Agreement:
    a: Coding
    b: Coding
    reports: dict[str, AgreementReport]  # scheme -> report over the units in both files
    shared: list[str]  # unit ids in both files, in A's order
    only_a: list[str]
    only_b: list[str]
    disagreements: pd.DataFrame
    different_texts: int = 0

    def tables(self) -> list[tuple[str, pd.DataFrame]]:
        per_code = pd.DataFrame(
            [{"scheme": scheme, **row.as_dict()} for scheme, report in self.reports.items() for row in report.per_code.values()]
        ).rename(columns={"a_count": "A", "b_count": "B"})
        overall = pd.DataFrame([{"scheme": scheme, **report.overall()} for scheme, report in self.reports.items()])
        files = pd.DataFrame([{"coding": "A", "file": self.a.path, "units": len(self.a), "only here": len(self.only_a)},
                              {"coding": "B", "file": self.b.path, "units": len(self.b), "only here": len(self.only_b)}])
        unmatched = pd.DataFrame([{"in": "A only", "unit_id": u, "text": self._text(self.a, u)} for u in self.only_a]
                                 + [{"in": "B only", "unit_id": u, "text": self._text(self.b, u)} for u in self.only_b],
                                 columns=["in", "unit_id", "text"])
        return [("per_code", per_code), ("overall", overall), ("disagreements", self.disagreements),
                ("unmatched", unmatched), ("files", files)]

    @staticmethod
    def _text(coding: Coding, unit_id: str) -> str:
        return coding.texts[coding.unit_ids.index(unit_id)]


def agree(a_path, b_path, lexicons: Sequence[Lexicon], schemes: Sequence[str] = ()) -> Agreement:
    """Agreement of coding B with coding A (the reference for F1) on the units both have, per scheme."""
    a = read_coding(a_path, lexicons, list(schemes) or None)
    b = read_coding(b_path, lexicons, list(schemes) or None)
    common = [s for s in a.schemes if s in b.schemes]
    if not common:
        raise InputError(f"{a_path} and {b_path} share no scheme ({', '.join(a.schemes)} vs {', '.join(b.schemes)})")
    b_index = {unit_id: i for i, unit_id in enumerate(b.unit_ids)}
    shared = [u for u in a.unit_ids if u in b_index]
    if not shared:
        raise InputError(f"{a_path} and {b_path} have no unit_id in common; agreement joins the two files on unit_id")
    a_index = {unit_id: i for i, unit_id in enumerate(a.unit_ids)}
    a_rows = [a_index[u] for u in shared]
    b_rows = [b_index[u] for u in shared]
    reports, disagreements = {}, []
    for scheme in common:
        codes = _lexicon(lexicons, scheme).codes
        a_codes, b_codes = [a.codes[scheme][i] for i in a_rows], [b.codes[scheme][i] for i in b_rows]
        reports[scheme] = agreement_report(a_codes, b_codes, codes)
        disagreements += _disagreements(scheme, codes, shared, a_codes, b_codes, [a.texts[i] for i in a_rows])
    different = sum(" ".join(a.texts[i].split()) != " ".join(b.texts[j].split()) for i, j in zip(a_rows, b_rows) if b.texts[j])
    frame = pd.DataFrame(disagreements, columns=["scheme", "code", "unit_id", "A", "B", "text"])
    return Agreement(a, b, reports, shared, [u for u in a.unit_ids if u not in b_index],
                     [u for u in b.unit_ids if u not in a_index], frame, different)


def _disagreements(scheme, codes, ids, a_codes, b_codes, texts) -> list[list]:
    rows = []
    for unit_id, x, y, text in zip(ids, a_codes, b_codes, texts):
        for code in codes:
            if (code in x) != (code in y):
                rows.append([scheme, code, unit_id, int(code in x), int(code in y), text])
    return rows


def write_agreement(agreement: Agreement, out) -> None:
    if Path(out).suffix.lower() != ".xlsx":
        raise InputError(f"cannot write '{out}': the agreement report is a workbook; use a .xlsx file name")
    write_xlsx(out, agreement.tables())


# --- suggest ----------------------------------------------------------------------------------------------


def suggest(coded, lexicons: Sequence[Lexicon], models: Sequence[str] = (), n: int = 50) -> pd.DataFrame:
    """The ``n`` units most worth hand-coding next, as a spreadsheet ready to code.

    The units whose probability lies nearest a code's threshold come first
    (the model is least certain: ``textmine.coding.selection``, chosen because the
    model learns faster from them than from random units); the reason column
    says where lexicon and model disagree, or which code is uncertain. The
    code columns are left empty for the coder.
    """
    frame = read_table(coded)
    require_columns(frame, coded, "text")
    texts = frame["text"].fillna("").astype(str).tolist()
    langs = frame["lang"].fillna("").astype(str).tolist() if "lang" in frame else detect_langs(texts)
    ids = frame["unit_id"].astype(str).tolist() if "unit_id" in frame else [str(i + 1) for i in range(len(frame))]
    loaded = load_models(models, lexicons)
    if not loaded:
        raise InputError("suggest needs a model: give --model FILE (or keep the shipped models)")
    priority, reasons = np.zeros(len(texts)), [[] for _ in texts]
    tagger = Tagger(lexicons)
    for model in loaded:
        _rank(model, tagger, texts, langs, priority, reasons)
    order = choose(priority, n)
    columns = [c for model in loaded for c in model.column_names]
    out = pd.DataFrame({
        "unit_id": [ids[i] for i in order],
        "doc_id": [str(frame["doc_id"].iloc[i]) for i in order] if "doc_id" in frame else "",
        "lang": [langs[i] for i in order],
        "reason": ["; ".join(reasons[i]) for i in order],
        "text": [texts[i] for i in order],
    })
    for column in columns:
        out[column] = ""
    return out


def _rank(model, tagger, texts, langs, priority, reasons) -> None:
    covered = [i for i, lang in enumerate(langs) if lang in model.languages_]
    if not covered:
        return
    P = model.predict_proba([texts[i] for i in covered], [langs[i] for i in covered])
    L = lexicon_matrix(tagger, [texts[i] for i in covered], [langs[i] for i in covered], model.scheme, model.codes).astype(bool)
    differ = disagreements(P, L, model.thresholds_)
    nearest = np.argmin(np.abs(P - model.thresholds_), axis=1)
    for row, i in enumerate(covered):
        for j in np.flatnonzero(differ[row]):
            side = "lexicon yes, model no" if L[row, j] else "model yes, lexicon no"
            reasons[i].append(f"{model.codes[j]}: {side} (p={P[row, j]:.2f})")
        if not differ[row].any():
            best = int(nearest[row])
            reasons[i].append(f"{model.codes[best]} uncertain (p={P[row, best]:.2f}, threshold {model.thresholds_[best]:.2f})")
    priority[covered] += priorities(P, model.thresholds_)
