"""Typed sheets written by textmine's row writer (``xlsx_rows``) come out as xlsxwriter writes them, and open in Excel's
readers with the right values, types, ranges and filters."""

from __future__ import annotations

import csv
import io
import re
import zipfile

import openpyxl
import pytest
import xlsxwriter

from textmine.core.export import XLSX_MAX_CELL, Sheet, write_xlsx
from textmine.core.names import safe_cell
from textmine.core.xlsx_rows import WORKBOOK_OPTIONS, excel_text, write_rows

HEADER = ["doc_id", "text", "year", "pentagon_NET", "share"]
NUMBERS = {"year", "pentagon_NET", "share"}
ROWS = [
    ["d1", "产学研 cooperation & <networks>", "2020", "3", "0.077505"],
    ["d2", "=SUM(A1:A9)", "n/a", "", "1e-05"],
    ["d3", "  leading and trailing spaces ", "2021", "-4", "1.5E+20"],
    ["d4", "tab\there, bell\x07 and a literal _x0041_ escape", "0012", "0", "0.1"],
    ["d5", "+49 30 1234 and @user and -minus", "inf", "12345678901234567", "nan"],
    ["0012", "2020.", " 7", "1_000", ""],
    ["d7", "line one\nline two\r\n", "", "", "3.14159265358979323846"],
    ["d8", "ends with a newline\n", "1.0", "2.50", "-0"],
    ["d9", "\ufffe non-characters \uffff", "1e400", "0x10", "7"],
]


def write_csv(path, header, rows) -> None:
    with open(path, "w", encoding="utf-8-sig", newline="") as handle:
        csv.writer(handle).writerows([header, *rows])


def sheet_xml(path, member="xl/worksheets/sheet1.xml") -> str:
    with zipfile.ZipFile(path) as book:
        return book.read(member).decode("utf-8")


def sheet_data(xml: str) -> str:
    return re.search(r"<dimension[^>]*>", xml).group() + re.search(r"<sheetData>.*</sheetData>", xml, re.S).group()


def xlsxwriter_sheet(header, rows, numbers) -> str:
    """The sheet as xlsxwriter writes it, cell by cell, with the same rules: text safe and cut, numbers where they are."""
    output = io.BytesIO()
    book = xlsxwriter.Workbook(output, WORKBOOK_OPTIONS)
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, header, book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1}))
    for r, row in enumerate(rows, start=1):
        for c, (name, value) in enumerate(zip(header, row)):
            if not value:
                continue
            if name in numbers:
                try:
                    number = float(value)
                    if number not in (float("inf"), float("-inf")) and number == number:
                        sheet.write_number(r, c, number)
                        continue
                except ValueError:
                    pass
            sheet.write_string(r, c, excel_text(safe_cell(value))[0])
    book.close()
    output.seek(0)
    return sheet_xml(output)


def test_typed_rows_are_written_as_xlsxwriter_writes_them(tmp_path):
    source = tmp_path / "units.csv"
    write_csv(source, HEADER, ROWS)
    write_xlsx(tmp_path / "out.xlsx", [Sheet("data", source, NUMBERS)])
    assert sheet_data(sheet_xml(tmp_path / "out.xlsx")) == sheet_data(xlsxwriter_sheet(HEADER, ROWS, NUMBERS))


def test_typed_rows_read_back_with_their_types_range_and_filter(tmp_path):
    source = tmp_path / "units.csv"
    write_csv(source, HEADER, ROWS)
    notes = write_xlsx(tmp_path / "out.xlsx", [Sheet("data", source, NUMBERS), ("after", source)])
    assert notes == []
    with zipfile.ZipFile(tmp_path / "out.xlsx") as book:
        assert book.testzip() is None
    workbook = openpyxl.load_workbook(tmp_path / "out.xlsx")
    sheet = workbook["data"]
    assert sheet.dimensions == f"A1:E{len(ROWS) + 1}"
    assert sheet.auto_filter.ref == f"A1:E{len(ROWS) + 1}"
    assert sheet.freeze_panes == "A2"
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    assert values[0] == HEADER
    assert values[1] == ["d1", "产学研 cooperation & <networks>", 2020, 3, 0.077505]
    assert values[2] == ["d2", "'=SUM(A1:A9)", "n/a", None, 1e-05]  # a formula stays text; a non-number stays as it is
    assert values[3][1] == "  leading and trailing spaces " and values[3][4] == 1.5e20
    # Excel reads _xHHHH_ as the character it names (openpyxl shows it as written): the bell, and the literal text
    assert values[4][1] == "tab\there, bell_x0007_ and a literal _x005F_x0041_ escape"
    assert values[5][1:3] == ["'+49 30 1234 and @user and -minus", "inf"]  # not a number Excel can hold: text
    assert values[6][0:4] == ["0012", "2020.", 7, 1000]  # ids and text columns stay text
    assert values[8][1] == "ends with a newline\n"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
    assert [c.value for c in workbook["after"][2]] == [c.value for c in sheet[2]]  # the untyped sheet beside it


def test_a_cell_is_cut_to_what_excel_holds_without_splitting_a_character(tmp_path):
    source = tmp_path / "long.csv"
    long_text = "集" * 20_000 + "𠀀" * 10_000  # 30,000 characters, 40,000 UTF-16 units
    write_csv(source, ["doc_id", "text"], [["d1", long_text], ["d2", "short"]])
    notes = write_xlsx(tmp_path / "out.xlsx", [Sheet("units", source, ())])
    assert len(notes) == 1 and "1 cells longer than 32,767 characters" in notes[0] and "units" in notes[0]
    cell = openpyxl.load_workbook(tmp_path / "out.xlsx")["units"]["B2"].value
    assert len(cell.encode("utf-16-le")) // 2 == XLSX_MAX_CELL - 1  # one more unit would split a character
    assert long_text.startswith(cell)


def test_rows_beyond_the_limit_are_left_out_and_said_so():
    out = io.BytesIO()
    written = write_rows(iter([["a", "1"]] * 5), [False, True], out, limit=3)
    assert written == (3, 0, True)
    assert out.getvalue().decode().count("<row ") == 3


def test_an_empty_typed_sheet_has_its_header_only(tmp_path):
    source = tmp_path / "empty.csv"
    write_csv(source, ["file", "stage", "reason"], [])
    write_xlsx(tmp_path / "out.xlsx", [Sheet("failures", source, ())])
    sheet = openpyxl.load_workbook(tmp_path / "out.xlsx")["failures"]
    assert [list(r) for r in sheet.iter_rows(values_only=True)] == [["file", "stage", "reason"]]


def test_a_sheet_takes_its_rows_once(tmp_path):
    from textmine.core.xlsx_rows import Workbook

    book = Workbook(tmp_path / "out.xlsx")
    sheet = book.add_worksheet("data")
    sheet.write_row(0, 0, ["a"])
    book.add_rows(sheet, [["1"]], [True], 10)
    with pytest.raises(ValueError, match="already"):
        book.add_rows(sheet, [["2"]], [True], 10)
    book.close()
    assert [c.value for c in openpyxl.load_workbook(tmp_path / "out.xlsx")["data"]["A"]] == ["a", 1]
