"""The extraction cache: JSON entries keyed by content and settings, written atomically, safe to load."""

from __future__ import annotations

import json
import shutil

from textmine.inputs.cache import ExtractionCache, code_version
from textmine.inputs.extract import ExtractSettings, extract_documents


def extract(path, cache_dir, doc_id="doc", **settings):
    return next(extract_documents(path, doc_id, ExtractSettings(cache_dir=str(cache_dir), **settings)))


def entries(cache_dir):
    return sorted((cache_dir / "extract").rglob("*.json"))


def test_a_second_extraction_comes_from_the_cache_with_the_new_name(data_dir, tmp_path):
    first = extract(data_dir / "zh_text.pdf", tmp_path, "a")
    [entry] = entries(tmp_path)
    record = json.loads(entry.read_text(encoding="utf-8"))
    record["document"]["pages"][0]["text"] = "from the cache"  # prove the second read uses the entry
    entry.write_text(json.dumps(record), encoding="utf-8")
    second = extract(data_dir / "zh_text.pdf", tmp_path, "b")
    assert second.pages[0].text == "from the cache" and second.doc_id == "b"
    assert second.pages[1] == first.pages[1] and second.metadata == first.metadata and second.sha256 == first.sha256


def test_the_key_is_the_content_not_the_file_name(data_dir, tmp_path):
    copy = tmp_path / "renamed.pdf"
    shutil.copy(data_dir / "en_text.pdf", copy)
    extract(data_dir / "en_text.pdf", tmp_path / "cache")
    extract(copy, tmp_path / "cache")
    assert len(entries(tmp_path / "cache")) == 1


def test_settings_that_change_the_text_have_their_own_entries(data_dir, tmp_path):
    extract(data_dir / "en_text.pdf", tmp_path)
    extract(data_dir / "en_text.pdf", tmp_path, ocr=False)
    extract(data_dir / "en_text.pdf", tmp_path, ocr_lang="eng")
    assert len(entries(tmp_path)) == 3


def test_entries_are_plain_json_with_no_temporary_files_left(data_dir, tmp_path):
    extract(data_dir / "zh_headers_footers.pdf", tmp_path)
    files = [p for p in (tmp_path / "extract").rglob("*") if p.is_file()]
    assert len(files) == 1 and files[0].suffix == ".json"
    record = json.loads(files[0].read_text(encoding="utf-8"))
    assert record["format"] == 1 and record["document"]["source_kind"] == "pdf"


def test_a_damaged_entry_is_ignored_and_replaced(data_dir, tmp_path):
    good = extract(data_dir / "zh_text.pdf", tmp_path)
    [entry] = entries(tmp_path)
    entry.write_text("{not json", encoding="utf-8")
    assert extract(data_dir / "zh_text.pdf", tmp_path).text == good.text
    assert json.loads(entry.read_text(encoding="utf-8"))["format"] == 1


def test_documents_still_waiting_for_ocr_are_not_cached(tmp_path):
    from textmine.core.types import Document, Page

    waiting = Page(2, "", "text-layer", ("page 2: no text layer (a scan?); OCR is needed but Tesseract is not installed",))
    cache = ExtractionCache(tmp_path)
    cache.put(Document("d", "d.pdf", (Page(1, "text\n"), waiting), sha256="0" * 64), ExtractSettings(), True)
    assert entries(tmp_path) == []
    cache.put(Document("d", "d.pdf", (Page(1, "text\n"),), sha256="0" * 64), ExtractSettings(), True)
    assert len(entries(tmp_path)) == 1


def test_the_key_includes_the_extraction_code(data_dir, tmp_path):
    settings = ExtractSettings()
    cache = ExtractionCache(tmp_path)
    assert len(code_version()) == 16
    assert cache.key("0" * 64, settings, True) != cache.key("1" * 64, settings, True)
