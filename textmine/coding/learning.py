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
from textmine.core.constants import MODES
from textmine.core.errors import InputError
from textmine.core.export import atomic_path, write_table, write_xlsx
from textmine.coding.gold import Coding, read_coding, require_examples
from textmine.coding.lexicon import Lexicon
from textmine.coding.reliability import AgreementReport, MultiLabelReport, agreement_report, matrix_report
from textmine.inputs.tables import read_table, require_columns
from textmine.units.table_units import detect_langs
from textmine.coding.tag import Tagger

REPORT_COLUMNS = ("scheme", "mode", "lang", "code", "precision", "recall", "f1", "kappa", "support", "predicted")


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

    def table(self) -> pd.DataFrame:
        rows = []
        for mode, by_lang in self.reports.items():
            for lang, report in by_lang.items():
                for code, s in report.per_code.items():
                    rows.append([self.scheme, mode, lang, code, s.precision, s.recall, s.f1, s.kappa, s.support, s.predicted])
                rows.append([self.scheme, mode, lang, "micro", report.micro_precision, report.micro_recall, report.micro_f1, None, None, None])
                rows.append([self.scheme, mode, lang, "macro", None, None, report.macro_f1, report.mean_kappa, None, None])
        return pd.DataFrame(rows, columns=list(REPORT_COLUMNS))


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


def train(gold, scheme: str, out, lexicons: Sequence[Lexicon], folds: int = 5, seed: int = 0, min_examples: int = 3) -> Trained:
    """Cross-validate and train a classifier of ``scheme`` on a hand-coded file; write ``out`` and its card."""
    coding = read_coding(gold, lexicons, [scheme])
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
        "file": Path(coding.path).name, "sha256": coding.sha256, "units": len(coding),
        "documents": len(set(groups)), "grouping": coding.grouping,
        "languages": {lang: langs.count(lang) for lang in sorted(set(langs))},
        "positives": coding.positives(scheme, lexicon.codes),
    }
    card = model_card(model, data, training, lexicon, cv, _created())
    card_file = card_path(out)
    with atomic_path(card_file) as tmp:
        tmp.write_text(json.dumps(card, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    evaluation = _from_cv(coding, scheme, lexicon.codes, cv, k)
    return Trained(model, evaluation, Path(out), card_file, card)


def _from_cv(coding: Coding, scheme: str, codes, cv: CrossValidation, k: int) -> Evaluation:
    return Evaluation(scheme, list(codes), len(coding), len(set(coding.groups)), coding.grouping,
                      f"grouped {k}-fold cross-validation", cv.reports, cv.fold_micro_f1)


def evaluate(gold, lexicons: Sequence[Lexicon], schemes: Sequence[str] = (), models: Sequence[str] = (),
             folds: int = 5, seed: int = 0) -> list[Evaluation]:
    """Scores of lexicon, model and hybrid coding on a hand-coded file, one Evaluation per scheme.

    Without ``models``: grouped cross-validation (a classifier is trained per
    fold). With ``models``: the trained models code the file as held-out data.
    """
    if models:
        return [_held_out(gold, lexicons, path, schemes) for path in models]
    coding = read_coding(gold, lexicons, list(schemes) or None)
    results = []
    for scheme in coding.schemes:
        lexicon, Y, L = _prepare_scheme(coding, lexicons, scheme)
        require_examples(coding, scheme, lexicon.codes, 2)
        k = _folds(coding, folds)
        cv = cross_validate(UnitClassifier(scheme, lexicon.codes, seed=seed), coding.texts, list(coding.langs), Y,
                            list(coding.groups), L, folds=k, seed=seed)
        results.append(_from_cv(coding, scheme, lexicon.codes, cv, k))
    return results


def _held_out(gold, lexicons, model_name, schemes) -> Evaluation:
    path = resolve_model(model_name)
    model = load_model(path)
    if schemes and model.scheme not in schemes:
        raise InputError(f"{path}: this model codes scheme '{model.scheme}', not {', '.join(schemes)}")
    load_models([str(path)], lexicons)  # the same checks as a run: scheme and codes match a lexicon
    coding = read_coding(gold, lexicons, [model.scheme])
    lexicon, Y, L = _prepare_scheme(coding, lexicons, model.scheme)
    P = model.predict_proba(list(coding.texts), list(coding.langs))
    langs = np.array(coding.langs)
    subsets = {lang: langs == lang for lang in sorted(set(coding.langs))} | {"all": np.ones(len(langs), dtype=bool)}
    reports = {mode: {lang: matrix_report(Y[m], model.decide(P[m], L[m], mode), lexicon.codes) for lang, m in subsets.items()} for mode in MODES}
    notes = []
    card = card_path(path)
    if card.is_file() and json.loads(card.read_text(encoding="utf-8")).get("training_data", {}).get("sha256") == coding.sha256:
        notes.append("this file is the model's training data: these scores are in-sample (optimistic); omit --model for cross-validation")
    return Evaluation(model.scheme, list(lexicon.codes), len(coding), len(set(coding.groups)), coding.grouping,
                      f"held-out: {path.name} codes the file", reports, notes=notes)


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

    Units where lexicon and model disagree on more codes come first; among
    equals, the ones whose probability lies nearest a threshold (the model is
    least certain). The code columns are left empty for the coder.
    """
    frame = read_table(coded)
    require_columns(frame, coded, "text")
    texts = frame["text"].fillna("").astype(str).tolist()
    langs = frame["lang"].fillna("").astype(str).tolist() if "lang" in frame else detect_langs(texts)
    ids = frame["unit_id"].astype(str).tolist() if "unit_id" in frame else [str(i + 1) for i in range(len(frame))]
    loaded = load_models(models, lexicons)
    if not loaded:
        raise InputError("suggest needs a model: give --model FILE (or keep the shipped models)")
    disagree, margin, reasons = np.zeros(len(texts), dtype=int), np.full(len(texts), np.inf), [[] for _ in texts]
    tagger = Tagger(lexicons)
    for model in loaded:
        _rank(model, tagger, texts, langs, disagree, margin, reasons)
    order = sorted(range(len(texts)), key=lambda i: (-disagree[i], margin[i], i))[:n]
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


def _rank(model, tagger, texts, langs, disagree, margin, reasons) -> None:
    covered = [i for i, lang in enumerate(langs) if lang in model.languages_]
    if not covered:
        return
    P = model.predict_proba([texts[i] for i in covered], [langs[i] for i in covered])
    L = lexicon_matrix(tagger, [texts[i] for i in covered], [langs[i] for i in covered], model.scheme, model.codes).astype(bool)
    M = P >= model.thresholds_
    distance = np.abs(P - model.thresholds_)
    for row, i in enumerate(covered):
        for j in np.flatnonzero(L[row] != M[row]):
            side = "lexicon yes, model no" if L[row, j] else "model yes, lexicon no"
            reasons[i].append(f"{model.codes[j]}: {side} (p={P[row, j]:.2f})")
        disagree[i] += int((L[row] != M[row]).sum())
        nearest = int(np.argmin(distance[row]))
        margin[i] = min(margin[i], float(distance[row, nearest]))
        if not (L[row] != M[row]).any():
            reasons[i].append(f"{model.codes[nearest]} uncertain (p={P[row, nearest]:.2f}, threshold {model.thresholds_[nearest]:.2f})")
