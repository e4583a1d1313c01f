"""OCR of scans, of unusable and of garbage text layers, with the real Tesseract.

Every scan is OCR'd once per test session: the extraction cache lives in a folder
shared by the whole session (tests that need a fresh OCR run use their own folder).
"""

from __future__ import annotations

import json
import shutil

import pytest

from textmine.core.errors import ExtractionError
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.inputs.extract.ocr import language_for
from textmine.units.segment import _paragraphs

needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None,
                                     reason="Tesseract is not installed (see README: Extraction, OCR and large batches)")


@pytest.fixture(scope="module")
def expected(data_dir):
    return json.loads((data_dir / "expected.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def ocr_cache(tmp_path_factory):
    return tmp_path_factory.getbasetemp() / "textmine-ocr-cache"


def extract(path, cache, **settings):
    return next(extract_documents(path, path.stem, ExtractSettings(cache_dir=str(cache), **settings)))


def accuracy(got: str, want: str) -> float:
    """Share of characters right (1 - edit distance / length), whitespace removed."""
    got, want = "".join(got.split()), "".join(want.split())
    previous = list(range(len(want) + 1))
    for i, a in enumerate(got, start=1):
        current = [i]
        for j, b in enumerate(want, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return 1 - previous[-1] / len(want)


@needs_tesseract
@pytest.mark.parametrize("name", ["zh_scanned.pdf", "en_scanned.pdf", "en_garbage_text_layer.pdf", "zh_cid_no_unicode.pdf"])
def test_pages_without_usable_text_are_read_by_ocr(data_dir, expected, ocr_cache, name):
    document = extract(data_dir / name, ocr_cache)
    assert [page.method for page in document.pages] == ["ocr"]
    assert accuracy(document.text, "".join(expected[name]["paragraphs"])) >= 0.95


@needs_tesseract
@pytest.mark.parametrize("name", ["zh_scanned.pdf", "en_scanned.pdf", "en_garbage_text_layer.pdf"])
def test_ocr_text_keeps_its_paragraphs(data_dir, expected, ocr_cache, name):
    got = [p.text()[0] for p in _paragraphs(extract(data_dir / name, ocr_cache))]
    want = expected[name]["paragraphs"]
    assert len(got) == len(want)
    assert all(accuracy(g, w) >= 0.9 for g, w in zip(got, want))


@needs_tesseract
def test_chinese_ocr_has_no_spaces_between_characters(data_dir, ocr_cache):
    text = extract(data_dir / "zh_scanned.pdf", ocr_cache).text
    assert "组织集群内龙头企业与高等学校" in text


@needs_tesseract
@pytest.mark.parametrize("name, warning", [
    ("en_garbage_text_layer.pdf", "page 1: the text layer is garbage (a failed OCR layer?); read by OCR (eng)"),
    ("zh_cid_no_unicode.pdf", "page 1: fonts without a Unicode mapping (unreadable text layer); read by OCR (chi_sim)"),
    ("zh_scanned.pdf", "page 1: no text layer (a scan?); read by OCR (chi_sim)"),
])
def test_what_was_wrong_and_that_ocr_read_it_is_a_page_warning(data_dir, ocr_cache, name, warning):
    assert extract(data_dir / name, ocr_cache).pages[0].warnings == (warning,)


def test_the_ocr_language_comes_from_the_document():
    assert language_for("第一条 为了培育具有国际竞争力的先进制造业集群，推动产业链、创新链深度融合，制定本办法。") == "chi_sim"
    assert language_for("第一條 為了培育具有國際競爭力的先進製造業集群，推動產業鏈、創新鏈深度融合，制定本辦法。") == "chi_tra"
    assert language_for("The programme sets out how the Region will support its industrial clusters in 2021.") == "eng"
    assert language_for("", pdf_lang="zh-TW") == "chi_tra" and language_for("", pdf_lang="en-GB") == "eng"
    assert language_for("") is None  # then Tesseract's script detection decides


@needs_tesseract
def test_a_named_ocr_language_is_used(data_dir, tmp_path):
    document = extract(data_dir / "en_scanned.pdf", tmp_path, ocr_lang="eng")
    assert document.metadata["ocr_language"] == "eng" and "Cluster Board Minutes" in document.text


@needs_tesseract
def test_language_data_that_is_not_installed_is_reported_not_downloaded(data_dir, tmp_path):
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir / "en_scanned.pdf", tmp_path, ocr_lang="xyz")
    assert "language data not installed: xyz" in str(raised.value)


def test_without_tesseract_scans_fail_as_needing_ocr(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))  # a PATH where no tesseract program is found
    monkeypatch.delenv("TEXTMINE_TESSERACT", raising=False)
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir / "zh_scanned.pdf", tmp_path)
    assert raised.value.stage == "ocr"
    assert "page 1: no text layer (a scan?); OCR is needed but Tesseract is not installed" in str(raised.value)


def test_without_tesseract_other_pages_are_still_read_and_the_page_is_flagged(data_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    monkeypatch.delenv("TEXTMINE_TESSERACT", raising=False)
    with pytest.raises(ExtractionError) as raised:
        extract(data_dir / "en_garbage_text_layer.pdf", tmp_path)
    assert "the text layer is garbage" in str(raised.value)  # never its junk as text


@needs_tesseract
def test_a_poor_ocr_layer_of_a_real_scan_is_read_again(shared_dir, ocr_cache):
    path = shared_dir / "corpora" / "pdf_en" / "en_scanned_with_poor_ocr_layer.pdf"
    if not path.exists():
        pytest.skip(f"{path} is not present")
    document = extract(path, ocr_cache)
    assert document.pages[0].method == "ocr"
    assert "«POAH" not in document.text and "Foundation" in document.text
