"""Files that open safely in spreadsheets: BOM, escaped formulas, atomic writes, numbers stay numbers."""

import csv

import openpyxl
import pandas as pd
import pytest

from textmine.core.export import CsvWriter, atomic_path, safe_cell, write_csv, write_xlsx


@pytest.mark.parametrize(
    "value, expected",
    [("=SUM(A1)", "'=SUM(A1)"), ("+1", "'+1"), ("-cmd", "'-cmd"), ("@x", "'@x"), ("\tx", "'\tx"), ("集群", "集群"), (-3, -3), (None, None)],
)
def test_safe_cell(value, expected):
    assert safe_cell(value) == expected


def test_csv_has_a_bom_and_no_cell_runs_as_a_formula(tmp_path):
    frame = pd.DataFrame({"text": ["=HYPERLINK(\"x\")", "产业集群", "@SUM"], "n": [1, -2, 3]})
    path = tmp_path / "out.csv"
    write_csv(frame, path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(raw.decode("utf-8-sig").splitlines()))
    assert rows[1:] == [["'=HYPERLINK(\"x\")", "1"], ["产业集群", "-2"], ["'@SUM", "3"]]


def test_outputs_appear_only_when_complete(tmp_path):
    target = tmp_path / "coded_units.csv"
    with pytest.raises(RuntimeError):
        with atomic_path(target) as tmp:
            tmp.write_text("half", encoding="utf-8")
            raise RuntimeError("crash while writing")
    assert not target.exists() and list(tmp_path.iterdir()) == []
    writer = CsvWriter(target, ["a"])
    writer.write({"a": 1})
    assert not target.exists()
    writer.close()
    assert target.read_text(encoding="utf-8-sig").splitlines() == ["a", "1"]


def test_xlsx_keeps_numbers_text_and_ids_and_never_formulas(tmp_path):
    source = tmp_path / "units.csv"
    write_csv(pd.DataFrame({"unit_id": ["d-0-1", "0012"], "text": ["=1+1", "产学研"], "pentagon_NET": [2, 0]}), source)
    frame = pd.DataFrame({"measure": ["share"], "pentagon_NET": [0.25]})
    path = tmp_path / "report.xlsx"
    write_xlsx(path, [("coded_units", source), ("emphasis", frame)])
    book = openpyxl.load_workbook(path)
    sheet = book["coded_units"]
    assert [c.value for c in sheet[1]] == ["unit_id", "text", "pentagon_NET"]
    assert [c.value for c in sheet[2]] == ["d-0-1", "'=1+1", 2]
    assert sheet["A3"].value == "0012" and sheet["A3"].data_type == "s"
    assert sheet.freeze_panes == "A2"
    assert book["emphasis"]["B2"].value == 0.25
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f"
