"""Non-PDF inputs made by us: text encodings, Word, HTML, JSON lines, and files that are not what they claim."""

import json

import pytest

from textmine.core.errors import ExtractionError
from textmine.inputs.extract import extract_documents
from textmine.units.segment import segment


def expected(data_dir, name):
    return json.loads((data_dir / "expected.json").read_text(encoding="utf-8"))[name]


def coded_text(path):
    """Everything textmine keeps of a file: unit texts and their headings (sections)."""
    document = next(extract_documents(path, path.stem))
    units = list(segment(document))
    pieces = [u.text for u in units] + [heading for u in units for heading in u.section]
    return document, units, "\n".join(pieces)


def squash(text):
    return "".join(text.split())


@pytest.mark.parametrize(
    "name, encoding",
    [
        ("zh_gb18030.txt", "gb18030"),
        ("zh_gbk.txt", "gb18030"),  # GB18030 is the superset that decodes GBK exactly
        ("zh_big5.txt", "big5"),
        ("zh_trad_bom.txt", "utf-8-sig"),
        ("en_crlf_hyphen.txt", "utf-8"),
    ],
)
def test_text_files_are_decoded_by_detection_not_luck(data_dir, name, encoding):
    document, units, kept = coded_text(data_dir / name)
    assert document.metadata["encoding"] == encoding
    assert not kept.startswith("\ufeff")
    for paragraph in expected(data_dir, name)["paragraphs"]:
        assert squash(paragraph) in squash(kept), paragraph
    assert document.lang == "zh" if name.startswith("zh") else "en"


def test_hard_wrapped_english_is_rejoined_with_its_hyphenation_repaired(data_dir):
    _, units, _ = coded_text(data_dir / "en_crlf_hyphen.txt")
    texts = [u.text for u in units]
    for paragraph in expected(data_dir, "en_crlf_hyphen.txt")["paragraphs"][1:]:
        assert paragraph in texts
    assert "technological" in texts[0] and "\r" not in "".join(texts)


@pytest.mark.parametrize("name", ["zh.docx", "en.docx", "zh.html", "en.html"])
def test_word_and_html_keep_paragraphs_and_drop_furniture(data_dir, name):
    info = expected(data_dir, name)
    _, units, kept = coded_text(data_dir / name)
    for paragraph in info["paragraphs"]:
        assert squash(paragraph) in squash(kept), paragraph
    for furniture in info.get("furniture", []):
        assert squash(furniture) not in squash(kept), furniture
    assert len({u.unit_id for u in units}) == len(units)


def test_docx_headings_become_section_paths(data_dir):
    _, units, _ = coded_text(data_dir / "zh.docx")
    first_article = next(u for u in units if u.text.startswith("第一条"))
    assert first_article.section[-1].startswith("第一章")
    assert first_article.unit_id == "zh-1-1"


def test_json_lines_give_one_document_per_record_with_its_fields(tmp_path):
    path = tmp_path / "reports.jsonl"
    records = [
        {"title": "甲省政府工作报告", "year": 2024, "province": "甲省", "text": "一、工作回顾\n推进产学研合作。"},
        {"title": "乙省政府工作报告", "year": 2025, "province": "乙省", "content": "培育世界级产业集群。"},
    ]
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in records), encoding="utf-8")
    documents = list(extract_documents(path, "reports"))
    assert [d.doc_id for d in documents] == ["reports_1", "reports_2"]
    assert documents[1].metadata == {"title": "乙省政府工作报告", "year": 2025, "province": "乙省", "record": 2}
    assert documents[0].text == records[0]["text"]


@pytest.mark.parametrize(
    "name, stage, reason",
    [
        ("empty.pdf", "read", "empty file"),
        ("not_a_pdf.pdf", "detect", "PNG image"),
        ("broken_truncated.pdf", "open", "corrupt or truncated"),
        ("encrypted_user_pw.pdf", "open", "password"),
    ],
)
def test_unreadable_files_fail_with_a_reason(data_dir, name, stage, reason):
    with pytest.raises(ExtractionError) as raised:
        list(extract_documents(data_dir / name, "x"))
    assert raised.value.stage == stage
    assert reason in str(raised.value)


@pytest.mark.parametrize("name", ["blank.pdf", "blank.txt"])
def test_a_file_of_white_space_only_is_an_empty_file(tmp_path, name):
    path = tmp_path / name
    path.write_bytes(b" \t\r\n\x0b\x0c" * 100)
    with pytest.raises(ExtractionError, match="empty file") as raised:
        list(extract_documents(path, "x"))
    assert raised.value.stage == "read"


def test_a_binary_file_named_txt_is_refused(tmp_path):
    path = tmp_path / "image.txt"
    path.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    with pytest.raises(ExtractionError, match="not a text file"):
        list(extract_documents(path, "x"))
