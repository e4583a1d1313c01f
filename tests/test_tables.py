"""Tables become one unit per row (cells joined by " | "), with a section naming the table."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.units.segment import segment

DATA = Path(__file__).parent / "data"
EXPECTED = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
SHARED = Path(__file__).resolve().parents[2] / "shared" / "corpora"
HYDROGEN = SHARED / "pdf_zh" / "en_zh_inner_mongolia_renewable_hydrogen_projects_table.pdf"


def units_of(path, **settings):
    document = next(extract_documents(path, Path(path).stem, ExtractSettings(ocr=False, **settings)))
    return document, list(segment(document))


def table_units(units):
    return [unit for unit in units if "-t" in unit.unit_id.removeprefix(unit.doc_id)]


def rows(expected_rows):
    return [" | ".join(row) for row in expected_rows]


def test_ruled_chinese_pdf_table_gives_one_unit_per_row_named_by_its_caption():
    expected = EXPECTED["zh_table_ruled.pdf"]
    document, units = units_of(DATA / "zh_table_ruled.pdf")
    table = table_units(units)
    assert [u.text for u in table] == rows(expected["table_rows"])  # row 3's cell wraps over two lines
    assert {u.section[-1] for u in table} == {expected["table_caption"]}
    # the table stands in 第一条 until 第二条 begins: its ids go under article 1, as a paragraph's would
    assert [u.unit_id for u in table] == [f"zh_table_ruled-1-t1-{n}" for n in range(1, 5)]
    texts = [u.text for u in units]
    first, last = expected["paragraphs"][0], expected["paragraphs"][-1]
    assert texts.index(first) < texts.index(table[0].text) < texts.index(last)  # reading order kept
    assert not [u.text for u in units if len(u.text) <= 5]


def test_unruled_english_pdf_table_found_by_its_aligned_columns():
    expected = EXPECTED["en_table_unruled.pdf"]
    document, units = units_of(DATA / "en_table_unruled.pdf")
    table = table_units(units)
    assert [u.text for u in table] == rows(expected["table_rows"])
    assert {u.section[-1] for u in table} == {"Table on page 1"}
    prose = [u.text for u in units if u not in table]
    assert expected["paragraphs"][-1] in prose and not any(" | " in text for text in prose)
    for unit in table:  # every row is a line of the extracted text too, so no character is lost
        assert unit.text in document.pages[0].text.split("\n")


@pytest.mark.parametrize("name", ["en_text.pdf", "zh_text.pdf", "en_two_column.pdf", "zh_two_column.pdf",
                                  "en_two_column_headers.pdf", "zh_headers_footers.pdf"])
def test_prose_pdfs_have_no_tables(name):
    document, units = units_of(DATA / name)
    assert not any(page.tables for page in document.pages)
    assert not table_units(units)


@pytest.mark.parametrize("name", ["zh.docx", "en.docx"])
def test_docx_table_rows_are_units(name):
    (expected_rows,) = EXPECTED[name]["tables"]
    _, units = units_of(DATA / name)
    table = table_units(units)
    assert [u.text for u in table] == rows(expected_rows)
    assert {u.section[-1] for u in table} == {"Table 1"}  # no caption in these files


def test_html_tables_named_by_caption_or_number_and_layout_table_read_as_text():
    expected = EXPECTED["tables.html"]
    _, units = units_of(DATA / "tables.html")
    table = table_units(units)
    assert [u.text for u in table] == rows(expected["table_rows"]) + rows(expected["second_table_rows"])
    assert [u.section[-1] for u in table] == [expected["table_caption"]] * 3 + ["Table 2"]
    texts = [u.text for u in units]
    assert "The council funds the clusters listed below." in texts and "Payments follow the annual report." in texts


def test_table_rows_survive_the_extraction_cache(tmp_path):
    _, fresh = units_of(DATA / "zh_table_ruled.pdf", cache_dir=str(tmp_path))
    _, cached = units_of(DATA / "zh_table_ruled.pdf", cache_dir=str(tmp_path))
    assert any((tmp_path / "extract").rglob("*.json"))
    assert [(u.unit_id, u.text, u.section) for u in cached] == [(u.unit_id, u.text, u.section) for u in fresh]


def test_failing_table_detection_falls_back_to_text_lines_with_a_warning(monkeypatch):
    """The one simulated failure: table detection is our own code and has no input that makes it raise."""
    import textmine.inputs.extract.pdf as pdf

    def broken(*args, **kwargs):
        raise ValueError("no tables today")

    monkeypatch.setattr(pdf, "take_tables", broken)
    document, units = units_of(DATA / "zh_table_ruled.pdf")
    assert document.pages[0].warnings == ("page 1: table extraction failed (ValueError: no tables today); "
                                          "the page is read as text lines",)
    assert not table_units(units)
    text = "".join(document.text.split())
    for row in EXPECTED["zh_table_ruled.pdf"]["table_rows"]:
        for cell in row:
            assert "".join(cell.split()) in text


@pytest.mark.skipif(not HYDROGEN.exists(), reason="needs ../shared/corpora")
def test_real_landscape_table_gives_its_rows():
    """A /Rotate 90 page with the text turned: it used to come out one letter per paragraph."""
    document, units = units_of(HYDROGEN)
    table = table_units(units)
    assert len(table) == 12  # the header, 11 projects and the "Total in production" line, as pdftotext -layout shows
    assert table[0].text.startswith("Status | Project name | Estimated hydrogen production capacity (tons/year) | SOE")
    assert ("In production | Ordos Jungar Banner Narisong Photovoltaic Hydrogen Industry Demonstration Project "
            "(准格尔旗纳日松光伏制氢产业示范项目) | 10,000 | Yes/No | Three Gorges Corporation & Manshi Investment Group "
            "| Ordos | 2023 | 64, 65, 66") in [u.text for u in table]
    assert {u.section[-1] for u in table} == {"Table A-1: Renewable hydrogen projects in Inner Mongolia"}
    assert not [u.text for u in units if len(u.text) <= 5]


BROKER = SHARED / "pdf_zh" / "zh_broker_company_report_financial_tables.pdf"


@pytest.mark.skipif(not BROKER.exists(), reason="needs ../shared/corpora")
def test_real_financial_tables_give_their_rows():
    """Unruled tables of figures: three continued from the page before, and 表 22 (a header and one row), which
    comes first in the page's text (PDFium's content order); uncaptioned tables count all tables of the page."""
    document, units = units_of(BROKER)
    table = table_units(units)
    names = list(dict.fromkeys(u.section[-1] for u in table))
    assert names == ["表 22：现金流量表（单位：百万元）", "Table 2 on page 1", "Table 3 on page 1", "Table 4 on page 1"]
    assert "短期借款 | 878 | 727 | 1,923 | 4,449 | 5,045 | 4,588" in [u.text for u in table]  # pdftotext -layout's first row
    assert [u.text for u in table if u.section[-1].startswith("表 22")][0] == "2018 | 2019 | 2020 | 2021E | 2022E | 2023E"
    assert len(table) == 38
