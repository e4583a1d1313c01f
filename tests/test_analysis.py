"""Group matrices and the two-dimensional framework table, checked against counts made by hand from coded_units.csv."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from analysis_support import read_csv, sample_results

PENTAGON = ["pentagon_NET", "pentagon_INN", "pentagon_ORG", "pentagon_TRU", "pentagon_EXC"]


@pytest.fixture(scope="module")
def results():
    return sample_results()


@pytest.fixture(scope="module")
def units(results):
    return read_csv(results / "coded_units.csv")


def test_run_writes_what_the_issue_promises(results):
    promised = ["coded_units.csv", "hits.csv", "emphasis_pentagon.csv", "crosstab_instrument_pentagon_units.csv", "report.xlsx", "run.json",
                "matrix_pentagon_by_country.csv", "matrix_instrument_by_country.csv", "framework_instrument_pentagon.csv",
                "framework_instrument_pentagon_by_country.csv", "chisquare_pentagon_by_country.csv",
                "residuals_pentagon_by_country.csv", "report.html"]
    for name in promised:
        assert (results / name).is_file(), name
    for figure in ["heatmap_pentagon_by_country", "radar_pentagon_by_country", "bars_instrument_types_by_country"]:
        for suffix in (".png", ".svg"):
            assert (results / "figures" / f"{figure}{suffix}").stat().st_size > 10_000, figure
    info = json.loads((results / "run.json").read_text(encoding="utf-8"))
    assert info["analysis"]["by"] == ["country"]


def test_group_matrix_counts_match_a_hand_count(results, units):
    matrix = read_csv(results / "matrix_pentagon_by_country.csv")
    count = matrix[matrix["measure"] == "count"].set_index("country")
    share = matrix[matrix["measure"] == "share"].set_index("country")
    presence = matrix[matrix["measure"] == "presence"].set_index("country")
    for country, group in units.groupby("country"):
        carrying = (group[PENTAGON] > 0).sum()
        assert count.loc[country, "n_documents"] == group["doc_id"].nunique()
        assert count.loc[country, "n_units"] == len(group)
        assert count.loc[country, "n_coded_units"] == (group[PENTAGON] > 0).any(axis=1).sum()
        assert list(count.loc[country, PENTAGON]) == list(carrying)
        assert count.loc[country, "total"] == carrying.sum()
        assert share.loc[country, PENTAGON].to_numpy() == pytest.approx((carrying / len(group)).to_numpy(), abs=1e-6)
        assert list(presence.loc[country, PENTAGON]) == list((carrying > 0).astype(int))
    total = count.loc["(all)"]
    assert total["n_units"] == len(units) and total["n_documents"] == units["doc_id"].nunique()
    assert list(total[PENTAGON]) == list((units[PENTAGON] > 0).sum())


HAN = r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]"


def size_of(texts: pd.Series) -> int:
    """Han characters plus the words of the rest, counted by hand."""
    return int(texts.str.count(HAN).sum() + texts.str.replace(HAN, " ", regex=True).str.split().map(
        lambda words: sum(1 for w in words if any(c.isalnum() for c in w))).sum())


def test_per10k_counts_han_characters_and_words_of_other_scripts(results, units):
    matrix = read_csv(results / "matrix_pentagon_by_country.csv")
    per10k = matrix[matrix["measure"] == "per10k"].set_index("country")
    chinese = units[units["country"] == "CN"]
    size = size_of(chinese["text"])
    assert per10k.loc["CN", "size"] == pytest.approx(size, rel=0.01)  # words with inner punctuation (R&D) may count twice
    assert per10k.loc["CN", "pentagon_NET"] == pytest.approx(chinese["pentagon_NET"].sum() * 10_000 / per10k.loc["CN", "size"], rel=1e-5)
    assert per10k.loc["EU", "size_unit"] == "words"
    # a group of Chinese and English documents has a size and per10k figures (no longer blocked)
    assert per10k.loc["(all)", "size_unit"] == "characters+words"
    assert per10k.loc["(all)", "size"] == per10k.loc[[c for c in per10k.index if c != "(all)"], "size"].sum()
    assert not pd.isna(per10k.loc["(all)", "pentagon_NET"]) and "no per10k" not in str(per10k.loc["(all)", "note"])
    assert "one document" in per10k.loc["EU", "note"]


def test_framework_cells_count_unit_code_pairs_and_add_up(results, units):
    table = read_csv(results / "framework_instrument_pentagon.csv")
    count = table[table["measure"] == "count"].set_index("instrument")
    tech_inn = ((units["instrument_SUP_TECH"] > 0) & (units["pentagon_INN"] > 0)).sum()
    assert count.loc["SUP.TECH", "pentagon_INN"] == tech_inn
    supply = [c for c in count.index if c.startswith("SUP.")]
    assert count.loc["SUP (subtotal)", PENTAGON].tolist() == count.loc[supply, PENTAGON].sum().tolist()
    codes = count[count["row_kind"] == "code"]
    assert count.loc["Total", PENTAGON].tolist() == codes[PENTAGON].sum().tolist()
    assert count.loc["SUP.TECH", "units"] == (units["instrument_SUP_TECH"] > 0).sum()
    row_pct = table[(table["measure"] == "row_pct") & (table["row_kind"] == "code")]
    assert row_pct.dropna(subset=["pentagon_NET"])[PENTAGON].sum(axis=1).to_numpy() == pytest.approx(100, abs=0.05)
    col_pct = table[(table["measure"] == "col_pct") & (table["row_kind"] == "code")]
    assert col_pct[PENTAGON].sum().to_numpy() == pytest.approx(100, abs=0.1)


def test_framework_per_group_sums_to_the_overall_table(results):
    overall = read_csv(results / "framework_instrument_pentagon.csv")
    by_country = read_csv(results / "framework_instrument_pentagon_by_country.csv")
    counts = by_country[(by_country["measure"] == "count") & (by_country["country"] != "(all)")]
    summed = counts.groupby("instrument", sort=False)[PENTAGON].sum()
    expected = overall[overall["measure"] == "count"].set_index("instrument")[PENTAGON]
    assert summed.loc[expected.index].to_numpy().tolist() == expected.to_numpy().tolist()


def test_matrix_command_normalisations_and_formats(results, textmine_cli, tmp_path):
    coded = results / "coded_units.csv"
    code, _, err = textmine_cli("matrix", coded, "--by", "level", "--scheme", "pentagon", "--normalize", "share", "--out", tmp_path / "m.csv")
    assert code == 0, err
    csv_table = read_csv(tmp_path / "m.csv")
    assert list(csv_table.columns[:6]) == ["level", "n_documents", "n_units", "n_coded_units", "size", "size_unit"]
    assert csv_table.iloc[-1]["level"] == "(all)"
    assert "note" in csv_table.columns and "total" in csv_table.columns
    code, _, err = textmine_cli("matrix", coded, "--by", "level", "--scheme", "pentagon", "--normalize", "share", "--out", tmp_path / "m.dta")
    assert code == 0, err
    stata = pd.read_stata(tmp_path / "m.dta")
    assert stata["pentagon_NET"].to_numpy() == pytest.approx(csv_table["pentagon_NET"].to_numpy())
    code, _, err = textmine_cli("matrix", coded, "--by", "level", "--format", "parquet", "--out", tmp_path / "both")
    assert code == 0, err
    both = pd.read_parquet(tmp_path / "both.parquet")
    assert {"n_coded_pentagon", "n_coded_instrument", "pentagon_NET", "instrument_SUP_TAL"} <= set(both.columns)


def test_several_grouping_columns_are_crossed(results, textmine_cli, tmp_path):
    code, _, err = textmine_cli("matrix", results / "coded_units.csv", "--by", "country", "--by", "level", "--out", tmp_path / "x.csv")
    assert code == 0, err
    table = read_csv(tmp_path / "x.csv")
    units = read_csv(results / "coded_units.csv")
    pairs = units.groupby(["country", "level"]).size()
    rows = table[table["country"] != "(all)"].set_index(["country", "level"])
    assert rows["n_units"].sort_index().tolist() == pairs.sort_index().tolist()


@pytest.mark.parametrize(
    "args, message",
    [
        (["--by", "province"], "no column 'province' to group by; the columns are: doc_id"),
        (["--scheme", "hood"], "no code columns of scheme hood; the schemes are: instrument, pentagon"),
    ],
)
def test_bad_matrix_input_says_what_to_do(results, textmine_cli, args, message):
    code, _, err = textmine_cli("matrix", results / "coded_units.csv", *args)
    assert code == 2 and message in err and "Traceback" not in err


def test_a_file_without_code_columns_says_what_makes_one(results, textmine_cli):
    code, _, err = textmine_cli("matrix", results / "documents.csv", "--by", "kind")
    assert code == 2
    assert "no code columns" in err and "textmine run" in err and "textmine tag" in err


def test_code_columns_without_run_json(tmp_path):
    from textmine.analysis.coded import open_coded

    table = pd.DataFrame({
        "doc_id": ["a", "a", "b"], "doc_type": ["plan", "plan", "law"], "text": ["x", "y", "z"],
        "pentagon_NET": [1, 0, 2], "pentagon_NET_p": [0.9, 0.1, 0.8], "hood_NODALITY": [0, 1, 0], "gdp_growth": [1.5, 1.5, 2.0],
    })
    table.to_csv(tmp_path / "coded.csv", index=False)
    found = open_coded(tmp_path / "coded.csv")
    assert [i.column for i in found.codes] == ["pentagon_NET", "hood_NODALITY"]
    assert found.codes[0].code == "NET" and found.codes[0].name("zh") == "合作网络"  # named by the shipped lexicon
    (tmp_path / "run.json").write_text(json.dumps({"lexicons": [{"scheme": "pentagon", "path": ""}]}), encoding="utf-8")
    assert [i.column for i in open_coded(tmp_path / "coded.csv").codes] == ["pentagon_NET"]


def test_groups_of_one_document_and_empty_texts_are_reported_not_divided_by_zero(tmp_path, textmine_cli):
    table = pd.DataFrame({
        "doc_id": ["a", "a", "b", "c"], "unit_id": ["a-1", "a-2", "b-1", "c-1"], "lang": ["en", "en", "en", "en"],
        "country": ["X", "X", "Y", None], "text": ["cluster cooperation", "funding", "", "trust"],
        "pentagon_NET": [1, 0, 0, 0], "pentagon_TRU": [0, 0, 0, 1],
    })
    table.to_csv(tmp_path / "coded.csv", index=False)
    code, _, err = textmine_cli("matrix", tmp_path / "coded.csv", "--by", "country", "--normalize", "all", "--out", tmp_path / "m.csv")
    assert code == 0, err
    matrix = read_csv(tmp_path / "m.csv")
    per10k = matrix[matrix["measure"] == "per10k"].set_index("country")
    assert pd.isna(per10k.loc["Y", "pentagon_NET"]) and "size 0" in per10k.loc["Y", "note"]
    assert "one document" in per10k.loc["Y", "note"] and "(missing)" in per10k.index
    assert "group(s) of one document" in err and "(missing)" in err


def test_analysis_sums_do_not_depend_on_the_chunk_size(results):
    from textmine.analysis.comparison import analyse_file

    small, _ = analyse_file(results / "coded_units.csv", ["level"], chunksize=7, tests=False)
    large, _ = analyse_file(results / "coded_units.csv", ["level"], chunksize=100_000, tests=False)
    assert small.sums.drop(columns=["size_unit"]).fillna(-1).to_numpy().tolist() == \
        large.sums.drop(columns=["size_unit"]).fillna(-1).to_numpy().tolist()
    assert np.array_equal(small.framework.iloc[:, 6:].fillna(-1).to_numpy(dtype=float), large.framework.iloc[:, 6:].fillna(-1).to_numpy(dtype=float))


def test_a_table_coded_by_tag_compares_its_rows(tmp_path, textmine_cli):
    pd.DataFrame({"province": ["江苏", "江苏", "浙江"], "text": ["推动产学研合作和产业联盟建设", "设立专项资金支持研发平台", "加强知识产权保护"]}).to_csv(
        tmp_path / "units.csv", index=False)
    code, _, err = textmine_cli("tag", tmp_path / "units.csv", "--out", tmp_path / "coded.csv")
    assert code == 0, err
    code, _, err = textmine_cli("matrix", tmp_path / "coded.csv", "--by", "province", "--scheme", "pentagon", "--out", tmp_path / "m.csv")
    assert code == 0, err
    matrix = read_csv(tmp_path / "m.csv").set_index("province")
    assert matrix.loc["江苏", "n_documents"] == 2 and matrix.loc["江苏", "size_unit"] == "characters"
    assert matrix.loc["江苏", "pentagon_NET"] == 1 and "every row counts as a document" in err
