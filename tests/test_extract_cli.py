"""`textmine extract`: print one document, or write one JSON per document with failures.csv."""

from __future__ import annotations

import csv
import json
import shutil

import pytest


def test_extract_prints_the_text_with_form_feeds_between_pages(textmine_cli, data_dir):
    code, out, err = textmine_cli("extract", data_dir / "zh_headers_footers.pdf", "--no-cache")
    assert code == 0
    pages = out.split("\f")
    assert len(pages) == 3 and "江海市人民政府文件" not in out
    assert pages[1].startswith("最高五百万元运营补助。")


def test_extract_of_an_unreadable_file_is_a_one_line_error(textmine_cli, data_dir):
    code, out, err = textmine_cli("extract", data_dir / "encrypted_user_pw.pdf", "--no-cache")
    assert code == 2 and out == ""
    assert err.strip() == "textmine: error: encrypted PDF: a password is needed to open it (use --password)"


def test_extract_with_a_password(textmine_cli, data_dir):
    code, out, _ = textmine_cli("extract", data_dir / "encrypted_user_pw.pdf", "--password", "secret", "--no-cache")
    assert code == 0 and "Draft Cluster Partnership Agreement" in out


def test_several_files_need_an_output_folder(textmine_cli, data_dir):
    code, _, err = textmine_cli("extract", data_dir / "en_text.pdf", data_dir / "zh_text.pdf")
    assert code == 2 and "--out" in err


def test_extract_out_writes_a_json_per_document_and_lists_failures(textmine_cli, data_dir, tmp_path):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in ("zh_headers_footers.pdf", "en_text.pdf", "zh_trad_bom.txt", "empty.pdf", "not_a_pdf.pdf"):
        shutil.copy(data_dir / name, corpus / name)
    code, _, err = textmine_cli("extract", corpus, "--out", tmp_path / "out", "--workers", "1", "--no-cache")
    assert code == 3 and "3 documents" in err and "2 files failed" in err
    record = json.loads((tmp_path / "out" / "zh_headers_footers.json").read_text(encoding="utf-8"))
    assert record["metadata"]["title"] == "江海市人民政府关于加快建设世界级智能装备产业集群的意见"
    assert record["metadata"]["page_count"] == 3 and len(record["pages"]) == 3
    assert record["lang"] == "zh" and len(record["sha256"]) == 64 and record["kind"] == "pdf"
    assert record["pages"][0]["method"] == "text-layer" and record["pages"][0]["warnings"] == []
    assert record["pages"][0]["furniture"] == ["江海市人民政府文件", "— 1 —"]
    assert [p["method"] for p in json.loads((tmp_path / "out" / "zh_trad_bom.json").read_text("utf-8"))["pages"]] == ["plain"]
    with open(tmp_path / "out" / "failures.csv", encoding="utf-8-sig") as handle:
        rows = list(csv.DictReader(handle))
    assert [(r["file"].rsplit("/", 1)[-1], r["stage"]) for r in rows] == [("empty.pdf", "read"), ("not_a_pdf.pdf", "detect")]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_extract_out_gives_the_same_files_with_any_number_of_workers(textmine_cli, data_dir, tmp_path, workers):
    corpus = tmp_path / "in"
    corpus.mkdir()
    for name in ("zh_text.pdf", "en_two_column.pdf", "zh_gb18030.txt"):
        shutil.copy(data_dir / name, corpus / name)
    code, _, _ = textmine_cli("extract", corpus, "--out", tmp_path / "out", "--workers", workers, "--no-cache")
    assert code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["en_two_column.json", "failures.csv", "zh_gb18030.json", "zh_text.json"]
    text = json.loads((tmp_path / "out" / "zh_text.json").read_text(encoding="utf-8"))["pages"][1]["text"]
    assert text.startswith("照服务量给予运营补助。")
