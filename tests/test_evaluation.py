"""Evaluation by document: several gold files, grouped folds, bootstrap intervals, learning curve, bad gold."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from textmine.coding.evaluation import bootstrap, document_counts, scores
from textmine.coding.golds import read_golds
from textmine.coding.reliability import multilabel_report

CODES = ["NET", "INN", "ORG", "TRU", "EXC"]


@pytest.fixture
def split_gold(data_dir, tmp_path):
    """Our 48 hand-coded units in two files; documents zh-a and en-d have units in both."""
    frame = pd.read_csv(data_dir / "handcoded_units.csv", dtype=str)
    second = frame["unit_id"].str.endswith(("-2", "-5", "-7")) | frame["doc_id"].isin(["zh-c", "en-f"])
    first_path, second_path = tmp_path / "first.csv", tmp_path / "second.csv"
    frame[~second].to_csv(first_path, index=False)
    frame[second].to_csv(second_path, index=False)
    return first_path, second_path


def _jsonl(path, units):
    path.write_text("".join(json.dumps(unit, ensure_ascii=False) + "\n" for unit in units), encoding="utf-8")
    return path


def _unit(unit_id, text, doc="d1.txt", start=None, end=None, pentagon=()):
    return {"unit_id": unit_id, "lang": "en", "doc": doc, "record": None, "start": start, "end": end, "text": text,
            "pentagon": list(pentagon), "instrument": []}


# --- grouping across files ------------------------------------------------------------------------------


def test_units_of_one_document_in_two_files_are_one_group_and_folds_never_split_it(split_gold, lexicons):
    from textmine.coding.classify import UnitClassifier, cross_validate
    from textmine.coding.coders import lexicon_matrix
    from textmine.coding.gold import read_coding
    from textmine.coding.tag import Tagger

    first, second = (set(read_coding(path, lexicons).groups) for path in split_gold)
    assert {"zh-a", "en-d"} <= first & second
    coding = read_golds(split_gold, lexicons, ["pentagon"])
    assert len(coding) == 48 and len(set(coding.groups)) == 6
    Y = coding.matrix("pentagon", CODES)
    L = lexicon_matrix(Tagger(lexicons), coding.texts, coding.langs, "pentagon", CODES)
    cv = cross_validate(UnitClassifier("pentagon", CODES), coding.texts, list(coding.langs), Y, list(coding.groups), L, folds=3)
    for group in set(coding.groups):
        folds_of_group = {int(cv.folds[i]) for i, g in enumerate(coding.groups) if g == group}
        assert len(folds_of_group) == 1, f"document {group} split over folds {folds_of_group}"
    assert len(set(cv.folds.tolist())) == 3


def test_learning_curve_trains_only_on_documents_outside_the_test_fold(split_gold, lexicons):
    from textmine.analysis.learning_curve import training_order
    from textmine.coding.classify import grouped_folds

    coding = read_golds(split_gold, lexicons, ["pentagon"])
    groups = np.array(coding.groups)
    folds = grouped_folds(list(groups), coding.matrix("pentagon", CODES), 3, 0)
    for fold in range(3):
        ordered = training_order(list(groups), np.flatnonzero(folds != fold), seed=fold)
        assert sorted(ordered.tolist()) == np.flatnonzero(folds != fold).tolist()
        assert not set(groups[ordered]) & set(groups[folds == fold])
        first_seen = list(dict.fromkeys(groups[ordered]))  # whole documents, one after the other
        assert [g for g in groups[ordered]] == [g for g in first_seen for _ in range((groups[ordered] == g).sum())]


# --- bootstrap over documents --------------------------------------------------------------------------


def _simulated(documents: int, seed: int, units: int = 12, codes: int = 4):
    """Gold and a coding that gets each (unit, code) cell wrong with probability 0.15, documents of ``units`` units."""
    rng = np.random.default_rng(seed)
    gold = rng.random((documents * units, codes)) < 0.3
    wrong = rng.random(gold.shape) < 0.15
    groups = [f"doc{i // units}" for i in range(documents * units)]
    return gold, gold ^ wrong, groups


def test_pooled_scores_are_those_of_multilabel_report():
    gold, decided, groups = _simulated(10, seed=1)
    decided[:, 3] = gold[:, 3] = False  # a vacuous code: left out of mean kappa, as the report does
    names = ["A", "B", "C", "D"]
    report = multilabel_report([{c for c, v in zip(names, row) if v} for row in gold],
                               [{c for c, v in zip(names, row) if v} for row in decided], names)
    micro, kappa = scores(document_counts(gold, decided, groups).sum(axis=0))
    assert micro == pytest.approx(report.micro_f1) and kappa == pytest.approx(report.mean_kappa)


def test_bootstrap_interval_holds_the_estimate_and_narrows_with_more_documents():
    widths = []
    for documents in (10, 160):
        gold, decided, groups = _simulated(documents, seed=documents)
        counts = document_counts(gold, decided, groups)
        assert counts.shape[0] == documents
        micro, kappa = scores(counts.sum(axis=0))
        f1_ci, kappa_ci = bootstrap(counts, resamples=500, seed=0)
        assert f1_ci.low <= micro <= f1_ci.high and kappa_ci.low <= kappa <= kappa_ci.high
        assert f1_ci.low < f1_ci.high
        widths.append((f1_ci.high - f1_ci.low, kappa_ci.high - kappa_ci.low))
    assert widths[1][0] < widths[0][0] / 2 and widths[1][1] < widths[0][1] / 2  # 16x the documents: about 1/4 the width
    again = bootstrap(document_counts(*_simulated(10, seed=10)), resamples=500, seed=0)
    assert again[0].low == pytest.approx(bootstrap(document_counts(*_simulated(10, seed=10)), resamples=500, seed=0)[0].low)


def test_evaluate_two_files_prints_intervals_and_writes_whole_counts(split_gold, tmp_path, textmine_cli):
    out = tmp_path / "scores.csv"
    code, stdout, err = textmine_cli("evaluate", *split_gold, "--folds", "3", "--resamples", "200", "--out", out)
    assert code == 0, err
    assert "48 units, 6 documents" in stdout and "200 bootstrap resamples of documents" in stdout
    for mode in ("lexicon", "model", "hybrid"):
        row = next(line for line in stdout.splitlines() if line.startswith(f"{mode:8} all"))
        low, high = (float(v) for v in row.split("[")[1].split("]")[0].split(","))
        assert low <= float(row.split()[4]) <= high
    text = out.read_text(encoding="utf-8-sig")
    scores_ = pd.read_csv(out, encoding="utf-8-sig", dtype=str, keep_default_na=False)
    assert not scores_["support"].str.contains(r"\.").any() and "6.0" not in text.split("\n")[1]
    micro = scores_[(scores_["code"] == "micro") & (scores_["lang"] == "all")]
    assert (micro["documents"] == "6").all() and (micro["f1_low"] != "").all()


# --- learning curve ---------------------------------------------------------------------------------------


def test_learning_curve_table_and_figure(split_gold, tmp_path, textmine_cli):
    figure = tmp_path / "curve" / "lc.png"
    figure.parent.mkdir()
    code, stdout, err = textmine_cli("evaluate", *split_gold, "--folds", "3", "--resamples", "100", "--learning-curve",
                                     "--sizes", "8,16,100", "--figure", figure)
    assert code == 0, err
    assert figure.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    curve = pd.read_csv(figure.with_suffix(".csv"), encoding="utf-8-sig", dtype={"size": str})
    # 100 is more than any fold trains on (32 units): sizes 8, 16, then all
    assert list(dict.fromkeys(curve["size"])) == ["8", "16", "all"]
    assert len(curve) == 3 * 3 * 3  # sizes x modes (lexicon, model, hybrid) x languages (en, zh, all)
    model = curve[(curve["mode"] == "model") & (curve["lang"] == "all")]
    assert model["training_units"].tolist() == [8, 16, 32]
    assert (model["f1_low"] <= model["micro_f1"]).all() and (model["micro_f1"] <= model["f1_high"]).all()
    lexicon = curve[(curve["mode"] == "lexicon") & (curve["lang"] == "all")]
    assert lexicon["micro_f1"].nunique() == 1  # the lexicon does not learn
    assert "learning curve: grouped 3-fold cross-validation" in stdout and f"{'model':8} all " in stdout


# --- bad input ---------------------------------------------------------------------------------------------


def test_unit_id_in_two_files(tmp_path, textmine_cli):
    a = _jsonl(tmp_path / "a.jsonl", [_unit("u1", "Clusters cooperate."), _unit("u2", "Firms innovate.", doc="d2.txt")])
    b = _jsonl(tmp_path / "b.jsonl", [_unit("u3", "Other text.", doc="d3.txt"), _unit("u2", "Another text.", doc="d4.txt")])
    code, _, err = textmine_cli("evaluate", a, b)
    assert code == 2
    assert f"{b} line 2 (unit 'u2'): unit_id 'u2' is also in {a} line 2 (unit 'u2')" in err


def test_same_span_of_a_document_in_two_files(tmp_path, textmine_cli):
    a = _jsonl(tmp_path / "a.jsonl", [_unit("a1", "Clusters cooperate.", start=0, end=19)])
    b = _jsonl(tmp_path / "b.jsonl", [_unit("b0", "x", doc="d2.txt"), _unit("b1", "Clusters  cooperate.", start=0, end=19)])
    code, _, err = textmine_cli("evaluate", a, b)
    assert code == 2
    assert f"{b} line 2 (unit 'b1'): the same span of document d1.txt as {a} line 1 (unit 'a1'): a unit coded twice" in err


def test_same_text_of_a_document_without_offsets(tmp_path, textmine_cli):
    a = tmp_path / "a.csv"
    a.write_text("unit_id,doc_id,text,pentagon_NET,pentagon_INN,pentagon_ORG,pentagon_TRU,pentagon_EXC\n"
                 "a1,d1,Clusters cooperate.,1,0,0,0,0\n", encoding="utf-8")
    b = tmp_path / "b.csv"
    b.write_text("unit_id,doc_id,text,pentagon_NET,pentagon_INN,pentagon_ORG,pentagon_TRU,pentagon_EXC\n"
                 "b1,d2,Clusters cooperate.,1,0,0,0,0\nb2,d1,Clusters   cooperate.,0,0,0,0,0\n", encoding="utf-8")
    code, _, err = textmine_cli("evaluate", a, b)
    assert code == 2
    assert f"{b} row 3 (unit 'b2'): the same text in document d1 as {a} row 2 (unit 'a1')" in err
    assert "unit 'b1'" not in err  # the same text in another document is another unit


def test_the_same_sentence_twice_in_a_document_is_two_units(tmp_path, lexicons):
    a = _jsonl(tmp_path / "a.jsonl", [_unit("a1", "Clusters cooperate.", start=0, end=19)])
    b = _jsonl(tmp_path / "b.jsonl", [_unit("b1", "Clusters cooperate.", start=400, end=419)])
    assert read_golds([a, b], lexicons).unit_ids == ("a1", "b1")


def test_code_named_twice_in_one_unit(tmp_path, textmine_cli):
    a = _jsonl(tmp_path / "a.jsonl", [_unit("a1", "Clusters cooperate."), _unit("a2", "Firms.", pentagon=["NET", "INN", "NET"])])
    code, _, err = textmine_cli("evaluate", a)
    assert code == 2 and f"{a}: line 2: unit 'a2' names pentagon code 'NET' twice" in err


def test_learning_curve_needs_two_documents(tmp_path, textmine_cli):
    a = _jsonl(tmp_path / "a.jsonl", [_unit(f"a{i}", f"Clusters cooperate {i}.", pentagon=["NET"] * (i % 2)) for i in range(6)])
    code, _, err = textmine_cli("evaluate", a, "--learning-curve")
    assert code == 2
    assert "the learning curve trains on some documents and scores others, so it needs units of at least 2 documents" in err
    assert "all from 1 document" in err


# --- the real gold -------------------------------------------------------------------------------------------


def test_evaluate_the_shared_gold_by_document(shared_dir, textmine_cli):
    gold = shared_dir / "gold"
    code, stdout, err = textmine_cli("evaluate", gold / "dev-units.jsonl", gold / "train-units.jsonl", "--scheme", "pentagon",
                                     "--folds", "3", "--resamples", "200")
    assert code == 0, err
    assert "pentagon: grouped 3-fold cross-validation; 1143 units, 72 documents" in stdout
    for mode in ("lexicon", "model", "hybrid"):
        for lang in ("zh", "en", "all"):
            row = next(line for line in stdout.splitlines() if line.startswith(f"{mode:8} {lang:4}"))
            low, high = (float(v) for v in row.split("[")[1].split("]")[0].split(","))
            assert 0 <= low <= float(row.split()[4]) <= high <= 1 and low < high


def test_train_on_two_files_records_both_and_knows_them_again(split_gold, tmp_path, textmine_cli):
    from textmine.inputs.corpus import file_sha256

    model = tmp_path / "two.skops"
    code, stdout, err = textmine_cli("train", *split_gold, "--scheme", "pentagon", "--out", model, "--folds", "3",
                                     "--resamples", "100", "--min-examples", "2")
    assert code == 0, err
    assert "grouped 3-fold cross-validation; 48 units, 6 documents" in stdout and "100 bootstrap resamples" in stdout
    card = json.loads(model.with_suffix(".card.json").read_text(encoding="utf-8"))
    assert card["training_data"]["files"] == [{"file": p.name, "sha256": file_sha256(p)} for p in split_gold]
    code, stdout, err = textmine_cli("evaluate", split_gold[1], "--model", model, "--resamples", "100")
    assert code == 0, err
    assert "this file is the model's training data: these scores are in-sample" in stdout
