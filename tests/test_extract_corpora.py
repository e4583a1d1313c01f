"""Real policy PDFs from ../shared/corpora (not ours: used in place, skipped when absent)."""

from __future__ import annotations

import pytest

from textmine.core.errors import ExtractionError
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.units.segment import _paragraphs


@pytest.fixture(scope="module")
def corpora(shared_dir):
    folder = shared_dir / "corpora"
    if not folder.is_dir():
        pytest.skip("../shared/corpora is not present")
    return folder


def extract(path, **settings):
    return next(extract_documents(path, path.stem, ExtractSettings(**settings)))


def test_every_real_pdf_is_read_or_fails_with_a_reason(corpora):
    pdfs = sorted(corpora.glob("pdf_*/*.pdf"))
    assert pdfs
    for path in pdfs:
        try:
            document = extract(path, ocr=False)  # OCR is tested elsewhere; here: no crash, no silent emptiness
        except ExtractionError as error:
            assert path.name.startswith("zh_scanned") and error.stage == "ocr" and "OCR is needed" in str(error)
            continue
        assert document.text.strip() and len(document.pages) == document.metadata["page_count"]


def test_running_headers_of_a_real_strategy_are_taken_out(corpora):
    document = extract(corpora / "pdf_en" / "en_ris3_estonia_smart_specialisation_qualitative_analysis.pdf")
    assert all("Draft, February 20, 2013" not in page.text for page in document.pages[1:])  # the cover has it as text
    assert sum("Draft, February 20, 2013" in page for page in document.metadata["furniture"]) >= 15


def test_three_columns_of_the_federal_register_are_read_column_by_column(corpora):
    document = extract(corpora / "pdf_en" / "en_us_federal_register_2020_17221.pdf")
    paragraphs = [p.text()[0] for p in _paragraphs(document)]
    assert ("The FAA is proposing this AD because the agency evaluated all the relevant information and "
            "determined the unsafe condition described previously is likely to exist or develop in other "
            "products of the same type design.") in paragraphs


def test_letter_spaced_gbk_text_without_tounicode_reads_as_chinese(corpora):
    text = extract(corpora / "pdf_zh" / "zh_mao_works_toc_gbk_no_tounicode.pdf").text
    assert "关于红军作战的原则" in text and "（一九三七年八月一日）" in text


def test_vertical_japanese_is_flagged(corpora):
    document = extract(corpora / "pdf_cjk_other" / "ja_kanpo_official_gazette_vertical.pdf")
    assert "vertical writing" in " ".join(document.pages[0].warnings)
