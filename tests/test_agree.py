"""`textmine agree` and `textmine suggest` against hand computations."""

from __future__ import annotations

import json

import pandas as pd
import pytest

HEADER = "unit_id,text,pentagon_NET,pentagon_INN,pentagon_ORG,pentagon_TRU,pentagon_EXC\n"


def write(path, rows):
    path.write_text(HEADER + "".join(f"{u},{t},{','.join(map(str, v))}\n" for u, t, v in rows), encoding="utf-8")
    return path


@pytest.fixture
def small_pair(tmp_path):
    """Six units in both files (NET differs on u2 and u4), one only in A, one only in B.

    NET  A: 1 1 0 0 1 0   B: 1 0 0 1 1 0
    INN  A: 1 1 1 1 1 1   B: 1 1 1 1 1 1   (constant and equal)
    others never used.
    """
    a = [("u1", "t1", [1, 1, 0, 0, 0]), ("u2", "t2", [1, 1, 0, 0, 0]), ("u3", "t3", [0, 1, 0, 0, 0]),
         ("u4", "t4", [0, 1, 0, 0, 0]), ("u5", "t5", [1, 1, 0, 0, 0]), ("u6", "t6", [0, 1, 0, 0, 0]), ("a7", "only a", [1, 0, 0, 0, 0])]
    b = [("u1", "t1", [1, 1, 0, 0, 0]), ("u2", "t2", [0, 1, 0, 0, 0]), ("u3", "t3", [0, 1, 0, 0, 0]),
         ("u4", "t4", [1, 1, 0, 0, 0]), ("u5", "t5", [1, 1, 0, 0, 0]), ("u6", "t6", [0, 1, 0, 0, 0]), ("b8", "only b", [0, 0, 1, 0, 0])]
    return write(tmp_path / "a.csv", a), write(tmp_path / "b.csv", b)


def test_agreement_by_hand(small_pair, lexicons):
    from textmine.coding.learning import agree

    result = agree(*small_pair, lexicons)
    net = result.reports["pentagon"].per_code["NET"]
    # percent agreement 4/6; kappa: p_o = 4/6, p_e = .5*.5 + .5*.5 = .5 -> (2/3 - 1/2) / (1/2) = 1/3
    # alpha: coincidences o_11 = 4, o_00 = 4, o_01 = o_10 = 2; n_0 = n_1 = 6, n = 12
    #        1 - (n - 1) * (o_01 + o_10) / (2 n_0 n_1) = 1 - 11 * 4 / 72 = 7/18
    # A as reference: tp 2, fp 1 (u4), fn 1 (u2): P = R = F1 = 2/3
    assert net.percent == pytest.approx(4 / 6)
    assert net.kappa == pytest.approx(1 / 3)
    assert net.alpha == pytest.approx(7 / 18)
    assert (net.precision, net.recall, net.f1) == pytest.approx((2 / 3, 2 / 3, 2 / 3))
    inn = result.reports["pentagon"].per_code["INN"]
    assert (inn.percent, inn.kappa, inn.alpha) == (1.0, 1.0, 1.0)  # both always 1: perfect agreement
    overall = result.reports["pentagon"]
    # 30 (unit, code) decisions, 2 disagree; 4 of 6 units have identical code sets
    assert overall.percent == pytest.approx(28 / 30) and overall.exact == pytest.approx(4 / 6)
    assert result.only_a == ["a7"] and result.only_b == ["b8"] and len(result.shared) == 6
    assert result.disagreements[["unit_id", "code", "A", "B", "text"]].values.tolist() == [["u2", "NET", 1, 0, "t2"], ["u4", "NET", 0, 1, "t4"]]


def test_agree_command_reports_unmatched_units_and_writes_workbook(small_pair, tmp_path, textmine_cli):
    out = tmp_path / "agreement.xlsx"
    code, stdout, err = textmine_cli("agree", *small_pair, "--out", out)
    assert code == 0, err
    assert "compared: 6 units in both" in stdout
    assert "not compared: 1 units only in A, 1 only in B (e.g. a7, b8)" in stdout
    assert "2 disagreements (unit, code)" in stdout
    sheets = pd.read_excel(out, sheet_name=None)
    assert set(sheets) == {"per_code", "overall", "disagreements", "unmatched", "files"}
    assert sheets["unmatched"]["unit_id"].tolist() == ["a7", "b8"]
    row = sheets["per_code"].set_index("code").loc["NET"]
    assert row["kappa"] == pytest.approx(1 / 3) and row["alpha"] == pytest.approx(7 / 18)


def test_agree_mixes_json_lines_and_spreadsheet(small_pair, tmp_path, lexicons):
    from textmine.coding.learning import agree

    a = pd.read_csv(small_pair[0])
    path = tmp_path / "a.jsonl"
    with path.open("w", encoding="utf-8") as handle:
        for _, row in a.iterrows():
            codes = [c for c in ("NET", "INN", "ORG", "TRU", "EXC") if row[f"pentagon_{c}"]]
            handle.write(json.dumps({"unit_id": row["unit_id"], "text": row["text"], "lang": "en", "pentagon": codes}) + "\n")
    result = agree(path, small_pair[1], lexicons)
    assert result.reports["pentagon"].per_code["NET"].kappa == pytest.approx(1 / 3)


def test_two_coders_of_our_sample(data_dir, textmine_cli):
    code, stdout, err = textmine_cli("agree", data_dir / "handcoded_units.csv", data_dir / "handcoded_units_b.csv")
    assert code == 0, err
    assert "compared: 47 units in both" in stdout and "(e.g. zh-c-8, en-f-9)" in stdout


def test_agree_refuses_files_without_common_units(tmp_path, small_pair, textmine_cli):
    other = write(tmp_path / "c.csv", [("x1", "t", [0, 0, 0, 0, 0])])
    code, _, err = textmine_cli("agree", small_pair[0], other)
    assert code == 2 and "no unit_id in common" in err


def test_agree_against_a_run(sample_dir, tmp_path, textmine_cli):
    """A person's coding of some units of a run against the run's coding (coded_units.csv)."""
    out = tmp_path / "run"
    code, _, err = textmine_cli("run", sample_dir / "en_eu_communication_world_class_clusters_2016.txt", "--out", out, "--no-xlsx", "--workers", "1")
    assert code == 0, err
    coded = pd.read_csv(out / "coded_units.csv", encoding="utf-8-sig")
    person = coded[["unit_id", "text", "pentagon_NET", "pentagon_INN", "pentagon_ORG", "pentagon_TRU", "pentagon_EXC"]].head(10).copy()
    columns = ["pentagon_NET", "pentagon_INN", "pentagon_ORG", "pentagon_TRU", "pentagon_EXC"]
    person[columns] = (person[columns] > 0).astype(int)
    person.loc[person.index[0], "pentagon_TRU"] = 1 - person.loc[person.index[0], "pentagon_TRU"]
    person.to_csv(tmp_path / "person.csv", index=False)
    code, stdout, err = textmine_cli("agree", tmp_path / "person.csv", out / "coded_units.csv", "--scheme", "pentagon")
    assert code == 0, err
    assert "compared: 10 units in both" in stdout and f"not compared: 0 units only in A, {len(coded) - 10} only in B" in stdout
    assert "1 disagreements (unit, code)" in stdout


def test_suggest_lists_the_least_certain_units_first(data_dir, tmp_path, textmine_cli):
    import numpy as np

    from textmine.coding.classify import load_model, resolve_model

    out = tmp_path / "next.xlsx"
    code, stdout, err = textmine_cli("suggest", data_dir / "handcoded_units.csv", "--n", "5", "--model", "pentagon", "--out", out)
    assert code == 0, err
    sheet = pd.read_excel(out, dtype=str, keep_default_na=False)
    assert len(sheet) == 5
    assert list(sheet.columns[:5]) == ["unit_id", "doc_id", "lang", "reason", "text"]
    assert {f"pentagon_{c}" for c in ("NET", "INN", "ORG", "TRU", "EXC")} <= set(sheet.columns)
    assert (sheet[[c for c in sheet.columns if c.startswith("pentagon_")]] == "").all().all()  # left for the coder
    assert all(("lexicon yes, model no" in r) or ("model yes, lexicon no" in r) or ("uncertain (p=" in r) for r in sheet["reason"])
    assert "5 units to code" in err
    # the five units whose probabilities lie nearest a threshold, nearest first
    units = pd.read_csv(data_dir / "handcoded_units.csv")
    model = load_model(resolve_model("pentagon"))
    margin = np.abs(model.predict_proba(units["text"].tolist(), units["lang"].tolist()) - model.thresholds_).min(axis=1)
    nearest = units["unit_id"].to_numpy()[np.argsort(margin, kind="stable")[:5]].tolist()
    assert sheet["unit_id"].tolist() == nearest
