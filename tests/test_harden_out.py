"""Regression tests of issue 10's output-side findings, each with its recipe on small generated files."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import openpyxl
import pytest

from textmine.export import XLSX_MAX_CELL, write_xlsx

EN = "The cluster programme funds research and development networks between universities and firms."


def read_csv(path) -> list[dict]:
    with open(path, encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def run_cli(textmine_cli, *args):
    return textmine_cli("run", *args, "--workers", "1", "--no-cache")


# --- finding 5: a cell longer than csv's field limit (131,072) -------------------------------


def test_xlsx_takes_a_csv_cell_longer_than_the_csv_field_limit(tmp_path):
    source = tmp_path / "long.csv"
    source.write_text("id,text\n1," + "集" * 200_000 + "\n", encoding="utf-8-sig")
    notes = write_xlsx(tmp_path / "out.xlsx", [("units", source)])
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx", read_only=True)["units"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][1] == "集" * XLSX_MAX_CELL
    assert notes and "cut" in notes[0] and "units" in notes[0]


def test_run_writes_report_xlsx_for_a_unit_longer_than_the_csv_field_limit(tmp_path, textmine_cli):
    inputs = tmp_path / "in"
    inputs.mkdir()
    (inputs / "long.txt").write_text("集" * 140_000, encoding="utf-8")
    code, _, err = run_cli(textmine_cli, inputs, "--out", tmp_path / "out")
    assert code == 0, err
    assert (tmp_path / "out" / "report.xlsx").is_file()
    notes = json.loads((tmp_path / "out" / "run.json").read_text(encoding="utf-8")).get("notes", [])
    assert any("cut" in note for note in notes)


# --- finding 8: `terms` on a small coded table -----------------------------------------------


def test_terms_on_a_small_coded_table_says_there_are_no_candidates(tmp_path, textmine_cli, data_dir):
    out = tmp_path / "out"
    code, _, err = run_cli(textmine_cli, data_dir / "en_crlf_hyphen.txt", data_dir / "zh_gbk.txt", "--out", out)
    assert code == 0, err
    code, stdout, err = textmine_cli("terms", out / "coded_units.csv")
    assert code == 0, err
    assert "(no term occurs --min-freq times)" in stdout and "(none: no term occurs --min-freq times" in stdout
    code, _, err = textmine_cli("terms", out / "coded_units.csv", "--out", tmp_path / "terms")
    assert code == 0, err
    assert list(read_csv(tmp_path / "terms" / "terms_candidates.csv")) == []
