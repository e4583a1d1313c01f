"""PDF text layers read faithfully: the paragraphs of expected.json come out whole, furniture does not.

Paragraphs are compared as ``segment`` assembles them (blank lines end paragraphs,
lines of a paragraph joined), which is the text that gets coded.
"""

from __future__ import annotations

import json
import re

import pytest

from textmine.core.errors import ExtractionError
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.units.segment import _paragraphs, segment

TEXT_LAYER_PDFS = [
    "zh_text.pdf", "en_text.pdf", "zh_fake_bold.pdf", "zh_fake_bold_overprint.pdf", "zh_letter_spaced.pdf",
    "en_two_column.pdf", "zh_two_column.pdf", "en_two_column_headers.pdf", "zh_headers_footers.pdf",
    "vertical_zh.pdf", "encrypted_owner_only.pdf", "zh_gbk_mojibake.pdf",
]
CJK_SPACE = re.compile(r"(?<=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]) +(?=[\u3400-\u9fff\u3000-\u303f\uff00-\uffef])")


@pytest.fixture(scope="module")
def expected(data_dir):
    return json.loads((data_dir / "expected.json").read_text(encoding="utf-8"))


def extract(data_dir, name, **settings):
    return next(extract_documents(data_dir / name, name.split(".")[0], ExtractSettings(**settings)))


def paragraphs(document) -> list[str]:
    return [paragraph.text()[0] for paragraph in _paragraphs(document)]


@pytest.mark.parametrize("name", TEXT_LAYER_PDFS)
def test_every_paragraph_comes_out_whole_and_in_order(data_dir, expected, name):
    got = paragraphs(extract(data_dir, name, password=expected[name].get("password") or None))
    assert got == expected[name]["paragraphs"]


@pytest.mark.parametrize("name", ["zh_headers_footers.pdf", "en_text.pdf", "en_two_column_headers.pdf"])
def test_running_headers_and_page_numbers_leave_the_text_but_stay_in_metadata(data_dir, expected, name):
    document = extract(data_dir, name)
    removed = [text for page in document.metadata["furniture"] for text in page]
    for furniture in expected[name]["furniture"]:
        assert furniture not in document.text
        assert furniture in removed
    assert len(document.pages) == expected[name]["pages"] == document.metadata["page_count"]


def test_a_signature_like_the_running_header_stays(data_dir):
    text = extract(data_dir, "zh_headers_footers.pdf").text
    assert "\n江海市人民政府\n" in text  # the signature, not the header 江海市人民政府文件


def test_paragraphs_go_on_across_pages_and_columns(data_dir, expected):
    for name, key in [("zh_text.pdf", "continued_across_pages"), ("zh_headers_footers.pdf", "continued_across_pages"),
                      ("en_text.pdf", "continued_across_pages"), ("en_two_column_headers.pdf", "continued_across_columns")]:
        document = extract(data_dir, name)
        got = paragraphs(document)
        for index in expected[name][key]:
            assert expected[name]["paragraphs"][index] in got, (name, index)


def test_a_paragraph_across_a_page_break_is_one_unit_that_knows_both_pages(data_dir, expected):
    units = list(segment(extract(data_dir, "zh_text.pdf")))
    article = expected["zh_text.pdf"]["paragraphs"][expected["zh_text.pdf"]["continued_across_pages"][0]]
    unit = next(u for u in units if u.text == article)
    assert unit.page == 1 and [page for _, page in unit.page_breaks] == [2]
    assert unit.page_at(unit.text.index("照服务量")) == 2


def test_hyphenated_line_ends_are_joined_without_the_hyphen(data_dir, expected):
    for name in ("en_text.pdf", "en_two_column_headers.pdf"):
        text = " ".join(paragraphs(extract(data_dir, name)))
        for line in expected[name]["hyphenated_line_ends"]:
            head = line.rsplit(" ", 1)[-1].rstrip("-")
            assert re.search(rf"\b{head}[a-z]", text), (name, head)
            assert f"{head}-" not in text and "\x02" not in text and "\ufffe" not in text


@pytest.mark.parametrize("name", ["zh_letter_spaced.pdf", "zh_text.pdf", "zh_two_column.pdf", "vertical_zh.pdf"])
def test_no_spaces_appear_between_chinese_characters(data_dir, expected, name):
    got = "\n".join(paragraphs(extract(data_dir, name)))
    want = "\n".join(expected[name]["paragraphs"])
    assert len(CJK_SPACE.findall(got)) == len(CJK_SPACE.findall(want))


def test_real_spaces_in_chinese_headings_are_kept(data_dir):
    assert "第一章 总则" in extract(data_dir, "zh_fake_bold.pdf").text  # an ASCII space in the source


def test_fake_bold_painted_later_in_the_page_appears_once(data_dir):
    text = extract(data_dir, "zh_fake_bold_overprint.pdf").text
    assert text.count("江海市集群发展促进机构管理办法") == 1 and text.count("第二章 认定条件") == 1


def test_vertical_writing_is_read_in_order_and_flagged(data_dir):
    document = extract(data_dir, "vertical_zh.pdf")
    assert any("vertical writing" in warning for warning in document.pages[0].warnings)


def test_gbk_read_as_latin1_is_recovered_with_a_warning(data_dir):
    document = extract(data_dir, "zh_gbk_mojibake.pdf")
    assert document.lang == "zh"
    assert any("GBK" in warning and "recovered" in warning for warning in document.pages[0].warnings)


def test_pages_keep_their_method_and_documents_their_metadata(data_dir):
    document = extract(data_dir, "zh_text.pdf")
    assert [page.method for page in document.pages] == ["text-layer", "text-layer"]
    assert document.metadata["title"] == "海澄市先进制造业集群培育办法"
    assert len(document.sha256) == 64 and document.lang == "zh" and document.source_kind == "pdf"


def test_a_page_that_ends_inside_a_paragraph_ends_without_a_newline(data_dir):
    pages = extract(data_dir, "zh_text.pdf").pages
    assert not pages[0].text.endswith("\n") and pages[1].text.endswith("\n")


@pytest.mark.parametrize("name, password", [("encrypted_user_pw.pdf", "secret"), ("encrypted_user_pw.pdf", "textmine-owner")])
def test_a_password_opens_an_encrypted_pdf(data_dir, expected, name, password):
    assert paragraphs(extract(data_dir, name, password=password)) == expected[name]["paragraphs"]


@pytest.mark.parametrize("name, password, stage, reason", [
    ("encrypted_user_pw.pdf", None, "open", "a password is needed to open it (use --password)"),
    ("encrypted_user_pw.pdf", "wrong", "open", "the password given does not open it"),
    ("broken_truncated.pdf", None, "open", "corrupt or truncated PDF"),
    ("empty.pdf", None, "read", "empty file"),
    ("not_a_pdf.pdf", None, "detect", "a PNG image"),
])
def test_unreadable_files_fail_with_a_clear_reason(data_dir, name, password, stage, reason):
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir, name, password=password)
    assert raised.value.stage == stage and reason in str(raised.value)


def test_without_ocr_a_scan_is_a_failure_that_says_ocr_is_needed(data_dir):
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir, "zh_scanned.pdf", ocr=False)
    assert raised.value.stage == "ocr" and "OCR is needed" in str(raised.value)


def test_an_unmapped_font_is_reported_with_its_page_not_read_as_text(data_dir):
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir, "zh_cid_no_unicode.pdf", ocr=False)
    assert "page 1: fonts without a Unicode mapping" in str(raised.value)
    assert "\x01" not in str(raised.value)
