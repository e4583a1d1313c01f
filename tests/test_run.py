"""`textmine run` end to end on the sample corpus and on a folder of bad files."""

import csv
import json
import shutil

import openpyxl
import pandas as pd
import pytest

from textmine.core.export import FORMULA_STARTS

UNIT_HEAD = ["doc_id", "unit_id", "page", "section", "lang"]


@pytest.fixture(scope="module")
def sample_run(tmp_path_factory, sample_dir):
    from textmine.cli import main

    out = tmp_path_factory.mktemp("results")
    with pytest.raises(SystemExit) as exit_:
        main(["run", str(sample_dir), "--out", str(out)])
    assert exit_.value.code == 0
    return out


def read(path):
    return pd.read_csv(path, encoding="utf-8-sig", dtype={"unit_id": str, "doc_id": str}, keep_default_na=False)


def test_run_writes_every_promised_file(sample_run):
    for name in ["coded_units.csv", "hits.csv", "documents.csv", "failures.csv", "emphasis_pentagon.csv",
                 "emphasis_instrument.csv", "crosstab_instrument_pentagon_units.csv", "report.xlsx", "run.json"]:
        assert (sample_run / name).is_file(), name
    assert not list(sample_run.glob("*.part"))


def test_coded_units_columns_and_encoding(sample_run, lexicons):
    raw = (sample_run / "coded_units.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # Excel reads the BOM as UTF-8
    header = next(csv.reader([raw.decode("utf-8-sig").splitlines()[0]]))
    codes = [column for lexicon in lexicons for column in lexicon.columns]
    assert header[:5] == UNIT_HEAD
    assert header[header.index("text") + 1 :] == codes
    assert {"country", "region", "level", "year", "file"} <= set(header[5 : header.index("text")])
    assert "pentagon_NET" in codes and "instrument_SUP_TECH" in codes


def test_every_document_is_coded_with_its_metadata_and_languages(sample_run, sample_dir):
    units = read(sample_run / "coded_units.csv")
    metadata = read(sample_dir / "metadata.csv")
    assert set(units["file"]) == set(metadata["file"])
    joined = units.merge(metadata, on="file", suffixes=("", "_meta"))
    assert (joined["country"] == joined["country_meta"]).all()
    assert units["unit_id"].is_unique
    assert {"zh", "en", "de", "fr"} <= set(units["lang"])
    traditional = units[units["doc_id"] == "zh_tw_beiyu_cluster_programme_2018"]
    assert traditional["text"].str.contains("產業").any()  # users see the original characters
    assert traditional["pentagon_NET"].sum() > 0  # while matching works on Simplified forms
    pdf_units = units[units["file"].str.endswith(".pdf")]
    assert set(pdf_units["page"].astype(int)) >= {1, 2, 3}


def test_hits_are_evidence_that_points_into_the_unit_text(sample_run):
    units = read(sample_run / "coded_units.csv").set_index("unit_id")
    hits = read(sample_run / "hits.csv")
    assert len(hits) > 200
    for hit in hits.itertuples():
        text = units.loc[hit.unit_id, "text"]
        assert text[hit.start : hit.end] == hit.match
        assert hit.source == "lexicon" and hit.term
    counts = hits.groupby(["unit_id", "scheme", "code"]).size()
    for (unit_id, scheme, code), n in counts.items():
        assert units.loc[unit_id, f"{scheme}_{code.replace('.', '_')}"] == n


def test_emphasis_matches_a_hand_count_from_coded_units(sample_run):
    units = read(sample_run / "coded_units.csv")
    emphasis = read(sample_run / "emphasis_pentagon.csv")
    doc = "zh_jianghai_cluster_regulation_2023"
    mine = units[units["doc_id"] == doc]
    rows = emphasis[emphasis["doc_id"] == doc].set_index("measure")
    han = r"[\u3400-\u4dbf\u4e00-\u9fff]"  # per10k counts Han characters, and the words of other scripts (numbers here)
    chars = int(mine["text"].str.count(han).sum() + mine["text"].str.replace(han, " ", regex=True).str.split().map(
        lambda words: sum(1 for w in words if any(c.isalnum() for c in w))).sum())
    assert rows.loc["units", "n_units"] == len(mine)
    assert rows.loc["units", "size"] == pytest.approx(chars, rel=0.01)
    chars = rows.loc["units", "size"]
    for column in ["pentagon_NET", "pentagon_INN", "pentagon_EXC"]:
        carrying = int((mine[column] > 0).sum())
        assert rows.loc["units", column] == carrying
        assert rows.loc["share", column] == pytest.approx(carrying / len(mine), abs=1e-6)
        assert rows.loc["hits", column] == mine[column].sum()
        assert rows.loc["per10k", column] == pytest.approx(mine[column].sum() * 10_000 / chars, rel=1e-5)
    english = emphasis[(emphasis["doc_id"] == "en_eu_communication_world_class_clusters_2016")]
    assert set(english["size_unit"]) == {"words"}


def test_crosstab_counts_units_carrying_both_codes(sample_run):
    units = read(sample_run / "coded_units.csv")
    table = read(sample_run / "crosstab_instrument_pentagon_units.csv").set_index("instrument")
    both = ((units["instrument_SUP_TECH"] > 0) & (units["pentagon_INN"] > 0)).sum()
    assert table.loc["SUP.TECH", "pentagon_INN"] == both
    supply = units[[c for c in units.columns if c.startswith("instrument_SUP_")]].gt(0).any(axis=1)
    assert table.loc["SUP (all)", "pentagon_NET"] == (supply & (units["pentagon_NET"] > 0)).sum()
    assert table.loc["SUP (all)", "units"] == supply.sum()


def test_report_workbook_has_every_table_and_safe_cells(sample_run):
    book = openpyxl.load_workbook(sample_run / "report.xlsx", read_only=True)
    for sheet in ["coded_units", "hits", "emphasis_pentagon", "emphasis_instrument", "crosstab_instrument_pentagon_un", "lexicon", "run"]:
        assert sheet in book.sheetnames, sheet
    units = read(sample_run / "coded_units.csv")
    sheet = book["coded_units"]
    assert sheet.max_row == len(units) + 1
    for row in book["hits"].iter_rows(values_only=True):
        for value in row:
            assert not (isinstance(value, str) and value.startswith(FORMULA_STARTS))


def test_run_json_records_provenance(sample_run, sample_dir):
    info = json.loads((sample_run / "run.json").read_text(encoding="utf-8"))
    from textmine import __version__

    assert info["textmine_version"] == __version__
    assert {lex["scheme"] for lex in info["lexicons"]} == {"pentagon", "instrument"}
    assert all(len(lex["sha256"]) == 64 for lex in info["lexicons"])
    assert len(info["input_files"]) == len(list(p for p in sample_dir.iterdir() if p.name != "metadata.csv"))
    assert info["failures"] == 0 and info["units"] > 100


def test_a_batch_with_unreadable_files_finishes_and_reports_them(tmp_path, data_dir, sample_dir, textmine_cli):
    folder = tmp_path / "in"
    folder.mkdir()
    for name in ["zh_gb18030.txt", "zh_trad_bom.txt", "empty.pdf", "not_a_pdf.pdf", "broken_truncated.pdf", "encrypted_user_pw.pdf"]:
        shutil.copy(data_dir / name, folder / name)
    shutil.copy(sample_dir / "en_lakemoor_s3_cluster_programme_2021.pdf", folder)
    code, _, err = textmine_cli("run", folder, "--out", tmp_path / "out")
    assert code == 3
    failures = read(tmp_path / "out" / "failures.csv")
    assert sorted(failures["file"].map(lambda p: p.rsplit("/", 1)[-1])) == sorted(
        ["empty.pdf", "not_a_pdf.pdf", "broken_truncated.pdf", "encrypted_user_pw.pdf"]
    )
    assert failures["reason"].str.len().min() > 5
    units = read(tmp_path / "out" / "coded_units.csv")
    assert set(units["file"]) == {"zh_gb18030.txt", "zh_trad_bom.txt", "en_lakemoor_s3_cluster_programme_2021.pdf"}
    assert "encrypted_user_pw.pdf" in err and "password" in err
