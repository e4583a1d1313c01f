"""Classifiers: features, grouped folds, thresholds, safe and reproducible model files, models in runs."""

from __future__ import annotations

import hashlib
import io
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from textmine.coding.classify import (
    ALLOWED_TYPES, MODEL_TYPE, UnitClassifier, best_addition, best_threshold, card_path, grouped_folds, load_model,
    save_model, shipped_models,
)
from textmine.core.errors import InputError
from textmine.coding.gold import read_coding

CODES = ["NET", "INN", "ORG", "TRU", "EXC"]


@pytest.fixture(scope="session")
def coding(data_dir, lexicons):
    return read_coding(data_dir / "handcoded_units.csv", lexicons)


@pytest.fixture(scope="session")
def trained(tmp_path_factory, data_dir):
    """`textmine train` on our small hand-coded CSV, once per session: (model path, card, stdout)."""
    from textmine.cli import main

    out = tmp_path_factory.mktemp("model") / "small.skops"
    buffer = io.StringIO()
    from contextlib import redirect_stdout

    with redirect_stdout(buffer), pytest.raises(SystemExit) as exit_:
        main(["train", str(data_dir / "handcoded_units.csv"), "--scheme", "pentagon", "--out", str(out)])
    assert exit_.value.code == 0
    return out, json.loads(card_path(out).read_text(encoding="utf-8")), buffer.getvalue()


def test_features_are_what_tfidf_vectorizer_computes(coding):
    from sklearn.feature_extraction.text import TfidfVectorizer

    from textmine.coding.classify import _identity, normalise, words_of

    model = UnitClassifier("pentagon", CODES, min_df=2)
    model.fit(coding.texts, coding.langs, coding.matrix("pentagon", CODES))
    chars = normalise(coding.texts)
    char = TfidfVectorizer(analyzer="char_wb", ngram_range=(1, 3), lowercase=False, sublinear_tf=True, min_df=2).fit(chars)
    word = TfidfVectorizer(analyzer=_identity, lowercase=False, sublinear_tf=True, min_df=2).fit(words_of(chars, coding.langs))
    assert model.char_vocab_.tolist() == char.get_feature_names_out().tolist()
    assert model.word_vocab_.tolist() == word.get_feature_names_out().tolist()
    np.testing.assert_allclose(model.char_idf_, char.idf_)
    expected = np.hstack([char.transform(chars).toarray(), word.transform(words_of(chars, coding.langs)).toarray()])
    model.predict_proba(coding.texts[:1], coding.langs[:1])  # builds the vectorizers of new texts
    np.testing.assert_allclose(model._vectors.transform(coding.texts, coding.langs).toarray(), expected, atol=1e-12)


def test_chinese_words_and_english_tokens():
    from textmine.coding.tokenize import word_tokens

    assert "产学研" in word_tokens("推动产学研合作", "zh") or "合作" in word_tokens("推动产学研合作", "zh")
    assert word_tokens("joint labs, shared by firms.", "en") == ["joint", "labs", "shared", "by", "firms"]


def test_grouped_folds_keep_documents_whole_and_balance_codes():
    groups = [f"d{i // 5}" for i in range(60)]  # 12 documents of 5 units
    Y = np.zeros((60, 2), dtype=int)
    Y[::6, 0] = 1  # a common code on every 6th unit
    Y[[0, 25, 50], 1] = 1  # a rare code in three documents
    folds = grouped_folds(groups, Y, 3, seed=0)
    for g in set(groups):
        assert len({folds[i] for i, h in enumerate(groups) if h == g}) == 1
    assert sorted(np.bincount(folds).tolist()) == [20, 20, 20]
    assert sorted(Y[:, 1][folds == f].sum() for f in range(3)) == [1, 1, 1]
    with pytest.raises(InputError, match="cannot make 13 folds from 12 documents"):
        grouped_folds(groups, Y, 13)


def test_threshold_rules():
    y = np.array([1, 1, 0, 0, 0, 0])
    p = np.array([0.3, 0.2, 0.1, 0.05, 0.15, 0.12])
    # at 0.2: both positives, no negative -> F1 1.0; 0.3 misses one; 0.15 adds a false positive
    assert best_threshold(y, p) == 0.2
    assert best_threshold(np.zeros(3), p[:3]) == 0.5
    lexicon = np.array([1, 0, 0, 0, 0, 0], dtype=bool)
    # lexicon alone: tp 1, fn 1 -> F1 2/3; adding p >= 0.2 finds unit 2 -> F1 1
    assert best_addition(y, lexicon, p) == 0.2
    # when no threshold beats the lexicon, the model never adds
    assert best_addition(np.array([1, 0]), np.array([1, 0], dtype=bool), np.array([0.1, 0.9])) == np.inf


def test_train_writes_model_and_card(trained, coding):
    path, card, stdout = trained
    assert "grouped 5-fold cross-validation; 48 units, 6 documents (grouped by doc_id)" in stdout
    for mode in ("lexicon", "model", "hybrid"):
        assert f"\n{mode}, per code (all languages, then each):" in stdout
    assert card["scheme"] == "pentagon" and card["codes"] == CODES
    assert card["model_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert card["training_data"]["sha256"] == coding.sha256 and card["training_data"]["units"] == 48
    assert card["training_data"]["positives"]["TRU"] == 6
    results = card["cross_validation"]["results"]
    assert set(results) == {"lexicon", "model", "hybrid"} and set(results["model"]) == {"zh", "en", "all"}
    assert results["model"]["all"]["n_units"] == 48 and len(results["model"]["all"]["micro_f1_by_fold"]) == 5
    assert card["textmine_version"] and card["created"]


def test_rare_codes_are_predicted(trained, coding):
    model = load_model(trained[0], "pentagon")
    predicted = model.predict(coding.texts, coding.langs)
    assert all(predicted[:, CODES.index(code)].sum() > 0 for code in ("ORG", "TRU"))


def test_loaded_model_predicts_as_trained(coding, tmp_path):
    model = UnitClassifier("pentagon", CODES).fit(coding.texts, coding.langs, coding.matrix("pentagon", CODES), coding.groups)
    save_model(model, tmp_path / "m.skops")
    loaded = load_model(tmp_path / "m.skops")
    np.testing.assert_array_equal(loaded.predict_proba(coding.texts, coding.langs), model.predict_proba(coding.texts, coding.langs))
    np.testing.assert_array_equal(loaded.thresholds_, model.thresholds_)


def test_model_files_are_byte_for_byte_reproducible(trained, data_dir, tmp_path):
    """Train again in a fresh interpreter with another hash seed: the same bytes."""
    script = (
        "import sys; from textmine.cli import main; "
        f"main(['train', {str(data_dir / 'handcoded_units.csv')!r}, '--scheme', 'pentagon', '--out', {str(tmp_path / 'again.skops')!r}])"
    )
    env = dict(os.environ, PYTHONHASHSEED="4711")
    done = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert (tmp_path / "again.skops").read_bytes() == trained[0].read_bytes()
    with zipfile.ZipFile(trained[0]) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}


# --- refusing what is not a textmine model -----------------------------------------------------


def test_refuses_a_file_that_is_not_a_model(tmp_path):
    path = tmp_path / "notes.skops"
    path.write_text("hello", encoding="utf-8")
    with pytest.raises(InputError, match=r"notes.skops: not a textmine model \(not a skops/zip file, or truncated\)"):
        load_model(path)


def test_refuses_a_truncated_model(trained, tmp_path):
    path = tmp_path / "cut.skops"
    path.write_bytes(trained[0].read_bytes()[:5000])
    with pytest.raises(InputError, match="cut.skops: not a textmine model"):
        load_model(path)


def test_refuses_other_skops_objects_with_their_types(tmp_path):
    import skops.io
    from sklearn.linear_model import LogisticRegression

    path = tmp_path / "foreign.skops"
    skops.io.dump(LogisticRegression().fit([[0.0], [1.0]], [0, 1]), path)
    with pytest.raises(InputError) as error:
        load_model(path)
    message = str(error.value)
    assert "refused: not a textmine model" in message and "sklearn.linear_model._logistic.LogisticRegression" in message
    assert "\n" not in message


def test_refuses_a_model_that_smuggles_a_function(trained, tmp_path):
    """A file edited to call os.system on load is refused before skops constructs anything."""
    with zipfile.ZipFile(trained[0]) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    schema = json.loads(entries["schema.json"])
    schema["content"]["scheme"] = {"__class__": "system", "__module__": "os", "__loader__": "FunctionNode", "content": {}}
    entries["schema.json"] = json.dumps(schema).encode()
    path = tmp_path / "evil.skops"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match=r"refused: .*os\.system"):
        load_model(path)


def test_refuses_a_model_of_another_scheme(trained):
    with pytest.raises(InputError, match="this model codes scheme 'pentagon', not 'instrument'"):
        load_model(trained[0], "instrument")


def test_refuses_corrupt_arrays(trained, tmp_path):
    with zipfile.ZipFile(trained[0]) as archive:
        entries = {name: archive.read(name) for name in archive.namelist()}
    entries["array0001.npy"] = b"\x93NUMPY garbage"
    path = tmp_path / "bad.skops"
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries.items():
            archive.writestr(name, data)
    with pytest.raises(InputError, match="bad.skops: corrupt model file"):
        load_model(path)


def test_run_refuses_a_model_for_a_scheme_without_lexicon(trained, tmp_path, sample_dir, textmine_cli):
    lexicon = tmp_path / "nato.yaml"
    lexicon.write_text("scheme: nato\ncategories:\n  - code: N\n    terms: {en: [information]}\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", sample_dir / "en_eu_communication_world_class_clusters_2016.txt", "--no-default-lexicons",
                                "--lexicon", lexicon, "--model", trained[0], "--mode", "hybrid")
    assert code == 2 and "the model codes scheme 'pentagon', which no loaded lexicon defines (nato)" in err


# --- shipped models ----------------------------------------------------------------------------


def test_shipped_models_load_and_match_their_cards_and_lexicons(lexicons):
    shipped = shipped_models()
    assert set(shipped) == {"pentagon", "instrument"}
    by_scheme = {lexicon.scheme: lexicon for lexicon in lexicons}
    for scheme, path in shipped.items():
        model = load_model(path, scheme)
        card = json.loads(card_path(path).read_text(encoding="utf-8"))
        assert card["model_sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert list(model.codes) == by_scheme[scheme].codes == card["codes"]
        assert set(model.languages_) == {"zh", "en"}
        assert card["training_data"]["units"] == 1143 and card["training_data"]["documents"] == 72  # dev + train gold


def test_shipped_models_rebuild_byte_for_byte(shared_dir, tmp_path):
    """The documented command (tools/build_models.sh) rebuilds the shipped model and card exactly
    (pentagon only: the instrument model takes longer and goes through the same code path)."""
    repo = Path(__file__).resolve().parents[1]
    env = os.environ | {"SOURCE_DATE_EPOCH": "1764115200", "PYTHONPATH": str(repo),
                        "TEXTMINE": f"{sys.executable} -m textmine"}
    done = subprocess.run(["sh", str(repo / "tools" / "build_models.sh"), str(tmp_path), "pentagon"], env=env,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    shipped = shipped_models()["pentagon"]
    assert (tmp_path / "pentagon.skops").read_bytes() == shipped.read_bytes()
    assert (tmp_path / "pentagon.card.json").read_bytes() == card_path(shipped).read_bytes()


def test_allow_list_is_exactly_what_models_hold(trained):
    from textmine.coding.classify import _types_in

    with zipfile.ZipFile(trained[0]) as archive:
        found = _types_in(json.loads(archive.read("schema.json")))
    assert found <= ALLOWED_TYPES and MODEL_TYPE in found


# --- models in tag and run ---------------------------------------------------------------------


@pytest.fixture
def units_table(tmp_path):
    path = tmp_path / "units.csv"
    pd.DataFrame({
        "unit_id": ["u1", "u2", "u3"],
        "text": ["支持企业与高校共建联合实验室，开展产学研合作。", "The cluster organisation appoints a cluster manager.",
                 "Die Clusterinitiative fördert die Zusammenarbeit."],
        "lang": ["zh", "en", "de"],
    }).to_csv(path, index=False)
    return path


@pytest.mark.parametrize("mode", ["lexicon", "model", "hybrid"])
def test_tag_with_a_model(units_table, tmp_path, trained, mode, textmine_cli):
    out, hits = tmp_path / f"coded_{mode}.csv", tmp_path / f"hits_{mode}.csv"
    code, _, err = textmine_cli("tag", units_table, "--out", out, "--hits", hits, "--id-column", "unit_id", "--lang-column", "lang",
                                "--model", trained[0], "--mode", mode)
    assert code == 0, err
    coded, hit_rows = pd.read_csv(out, encoding="utf-8-sig"), pd.read_csv(hits, encoding="utf-8-sig")
    p_columns = [f"pentagon_{c}_p" for c in CODES]
    assert all(c in coded for c in p_columns)
    assert coded.loc[:1, p_columns].notna().all().all() and coded.loc[2, p_columns].isna().all()  # German: not the model's language
    model = load_model(trained[0])
    P = coded.loc[:1, p_columns].to_numpy()
    pentagon_hits = hit_rows[hit_rows["scheme"] == "pentagon"]
    from_model = pentagon_hits[pentagon_hits["source"] == "model"]
    assert from_model["term"].isna().all() and from_model["start"].isna().all() and from_model["score"].notna().all()
    if mode == "lexicon":
        assert from_model.empty
    if mode == "model":
        expected = {(f"u{i + 1}", code) for i in range(2) for j, code in enumerate(CODES) if P[i, j] >= model.thresholds_[j]}
        assert set(zip(from_model["unit_id"], from_model["code"])) == expected
        assert (pentagon_hits[pentagon_hits["unit_id"] != "u3"]["source"] == "model").all()
        for unit_id, code in expected:
            assert coded.loc[coded["unit_id"] == unit_id, f"pentagon_{code}"].item() == 1
    if mode == "hybrid":
        lexicon_codes = set(zip(pentagon_hits[pentagon_hits["source"] == "lexicon"]["unit_id"], pentagon_hits[pentagon_hits["source"] == "lexicon"]["code"]))
        assert ("u1", "NET") in lexicon_codes  # 产学研合作: the lexicon's hits stay
        assert not set(zip(from_model["unit_id"], from_model["code"])) & lexicon_codes


def test_run_with_shipped_models_in_hybrid_mode(sample_dir, tmp_path, textmine_cli):
    out = tmp_path / "run"
    code, _, err = textmine_cli("run", sample_dir / "en_eu_communication_world_class_clusters_2016.txt", "--out", out,
                                "--mode", "hybrid", "--no-xlsx", "--workers", "1")
    assert code == 0, err
    coded = pd.read_csv(out / "coded_units.csv", encoding="utf-8-sig")
    assert {"pentagon_NET_p", "instrument_SUP_TAL_p"} <= set(coded.columns)
    assert coded["pentagon_NET_p"].between(0, 1).all()
    run_info = json.loads((out / "run.json").read_text(encoding="utf-8"))
    assert run_info["options"]["mode"] == "hybrid"


def test_mode_without_model_and_no_shipped_scheme(tmp_path, units_table, textmine_cli):
    lexicon = tmp_path / "nato.yaml"
    lexicon.write_text("scheme: nato\ncategories:\n  - code: N\n    terms: {en: [information]}\n", encoding="utf-8")
    code, _, err = textmine_cli("tag", units_table, "--out", tmp_path / "x.csv", "--no-default-lexicons", "--lexicon", lexicon,
                                "--mode", "model")
    assert code == 2 and "--mode model needs a model" in err


def test_evaluate_held_out_and_cross_validated(trained, data_dir, tmp_path, textmine_cli):
    code, out, err = textmine_cli("evaluate", data_dir / "handcoded_units.csv", "--model", trained[0], "--mode", "model")
    assert code == 0, err
    assert "held-out: small.skops codes the file" in out
    assert "this file is the model's training data: these scores are in-sample" in out
    assert "\nmodel, per code (all languages" in out and "\nlexicon, per code" not in out
    table = tmp_path / "scores.csv"
    code, out, err = textmine_cli("evaluate", data_dir / "handcoded_units.csv", "--folds", "3", "--out", table)
    assert code == 0, err and "grouped 3-fold cross-validation" in out
    scores = pd.read_csv(table, encoding="utf-8-sig")
    assert set(scores["mode"]) == {"lexicon", "model", "hybrid"} and set(scores["lang"]) == {"zh", "en", "all"}
    assert {"micro", "macro", "TRU"} <= set(scores["code"])
