"""coded_units for statistics software: --format dta keeps text with line breaks; the CSV quotes them."""

from __future__ import annotations

import csv

import pandas as pd


def test_run_writes_coded_units_as_stata_dta_with_line_breaks_kept(textmine_cli, sample_dir, tmp_path):
    code, _, err = textmine_cli("run", sample_dir, "--out", tmp_path, "--format", "dta", "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    assert (tmp_path / "coded_units.dta").read_bytes().startswith(b"<stata_dta><header><release>118")  # Stata 14+, Unicode
    units = pd.read_csv(tmp_path / "coded_units.csv", encoding="utf-8-sig", dtype={"doc_id": str, "unit_id": str})
    stata = pd.read_stata(tmp_path / "coded_units.dta")
    assert list(stata["unit_id"]) == list(units["unit_id"])
    broken = units["text"].str.contains("\n")
    assert broken.sum() >= 1  # the sample has units whose text holds line breaks
    assert list(stata["text"]) == list(units["text"])
    assert (stata["pentagon_NET"] == units["pentagon_NET"]).all() and stata["pentagon_NET"].dtype.kind == "i"
    assert stata["year"].dtype.kind == "i" and pd.api.types.is_string_dtype(stata["country"])


def test_the_csv_quotes_cells_with_line_breaks_so_a_strict_reader_gets_one_row_per_unit(sample_dir, tmp_path, textmine_cli):
    code, _, err = textmine_cli("run", sample_dir, "--out", tmp_path, "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    text = (tmp_path / "coded_units.csv").read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines(keepends=True), strict=True))
    assert len(rows) - 1 == len(pd.read_csv(tmp_path / "coded_units.csv", encoding="utf-8-sig"))
    assert len(text.splitlines()) > len(rows)  # physical lines: what a reader that does not bind quotes would see as rows
