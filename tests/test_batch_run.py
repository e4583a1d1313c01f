"""`textmine run` over a messy folder: every readable file coded, every unreadable one in failures.csv.

The folder of the issue's "done when": good PDFs, a scan, a truncated PDF, an empty file, a PNG
named .pdf, a password-protected PDF, a GB18030 .txt and a UTF-8-with-BOM Traditional Chinese .txt.
"""

from __future__ import annotations

import csv
import shutil
import time

import pytest

from textmine.run.batch import RunSettings, run

GOOD = ["en_text.pdf", "zh_text.pdf", "zh_two_column.pdf", "zh_gb18030.txt", "zh_trad_bom.txt"]
UNREADABLE = {"broken_truncated.pdf": "open", "empty.pdf": "read", "not_a_pdf.pdf": "detect", "encrypted_user_pw.pdf": "open"}
needs_tesseract = pytest.mark.skipif(shutil.which("tesseract") is None, reason="Tesseract is not installed (see README)")


def rows(path):
    with open(path, encoding="utf-8-sig") as handle:
        return list(csv.DictReader(handle))


@pytest.fixture
def messy(data_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in [*GOOD, "zh_scanned.pdf", *UNREADABLE]:
        shutil.copy(data_dir / name, folder / name)
    return folder


@needs_tesseract
def test_a_messy_folder_runs_to_the_end_with_worker_processes(textmine_cli, messy, tmp_path):
    code, _, err = textmine_cli("run", messy, "--out", tmp_path / "out", "--workers", "2", "--no-xlsx",
                                "--cache-dir", tmp_path / "cache")
    assert code == 3, err
    failures = rows(tmp_path / "out" / "failures.csv")
    assert {r["file"].rsplit("/", 1)[-1]: r["stage"] for r in failures} == UNREADABLE
    documents = {r["doc_id"]: r for r in rows(tmp_path / "out" / "documents.csv")}
    assert sorted(documents) == sorted(name.split(".")[0] for name in [*GOOD, "zh_scanned.pdf"])
    assert "read by OCR (chi_sim)" in documents["zh_scanned"]["warnings"]
    scan_units = [r["text"] for r in rows(tmp_path / "out" / "coded_units.csv") if r["doc_id"] == "zh_scanned"]
    assert any("产学研合作" in text for text in scan_units)
    assert all(int(documents[d]["units"]) > 0 for d in documents)


def test_outputs_are_the_same_in_process_and_with_workers(textmine_cli, data_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in [*GOOD, "empty.pdf", "not_a_pdf.pdf"]:
        shutil.copy(data_dir / name, folder / name)
    outputs = {}
    for workers in ("1", "2"):
        out = tmp_path / f"out{workers}"
        code, _, _ = textmine_cli("run", folder, "--out", out, "--workers", workers, "--no-xlsx", "--no-cache")
        assert code == 3
        outputs[workers] = {name: (out / name).read_bytes() for name in ("coded_units.csv", "hits.csv", "failures.csv")}
        outputs[workers]["documents"] = [{k: v for k, v in r.items()} for r in rows(out / "documents.csv")]
    assert outputs["1"] == outputs["2"]


def scan_of_pages(source, target, pages: int) -> None:
    """A PDF of ``pages`` copies of our one-page scan (OCR takes seconds per page)."""
    import pypdfium2

    scan = pypdfium2.PdfDocument(source)
    pdf = pypdfium2.PdfDocument.new()
    for _ in range(pages):
        pdf.import_pages(scan)
    pdf.save(target)


@needs_tesseract
def test_a_file_over_the_time_limit_is_a_timeout_failure_and_the_batch_goes_on(data_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(data_dir / "zh_text.pdf", folder / "a.pdf")
    scan_of_pages(data_dir / "zh_scanned.pdf", folder / "b_scan.pdf", 6)  # OCR: several seconds
    shutil.copy(data_dir / "zh_gb18030.txt", folder / "c.txt")
    started = time.monotonic()
    result = run([folder], tmp_path / "out", RunSettings(workers=2, timeout=1.5, xlsx=False, report=False))
    assert [(f["file"].rsplit("/", 1)[-1], f["stage"]) for f in result.failures] == [("b_scan.pdf", "timeout")]
    assert "time limit of 1.5 s" in result.failures[0]["reason"] and result.documents == 2
    assert time.monotonic() - started < 30


def test_a_rerun_reads_extracted_text_from_the_cache(data_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    for name in ("zh_text.pdf", "en_text.pdf"):
        shutil.copy(data_dir / name, folder / name)
    settings = RunSettings(cache_dir=str(tmp_path / "cache"), xlsx=False, report=False)
    first = run([folder], tmp_path / "out1", settings)
    entries = sorted((tmp_path / "cache").rglob("*.json"))
    assert len(entries) == 2
    stamps = [entry.stat().st_mtime_ns for entry in entries]
    second = run([folder], tmp_path / "out2", settings)
    assert [entry.stat().st_mtime_ns for entry in entries] == stamps  # read, not written again
    assert (tmp_path / "out1" / "coded_units.csv").read_bytes() == (tmp_path / "out2" / "coded_units.csv").read_bytes()
    assert (first.documents, first.units) == (second.documents, second.units)


def test_a_password_given_to_run_opens_the_encrypted_file(data_dir, tmp_path):
    folder = tmp_path / "corpus"
    folder.mkdir()
    shutil.copy(data_dir / "encrypted_user_pw.pdf", folder / "agreement.pdf")
    shutil.copy(data_dir / "encrypted_owner_only.pdf", folder / "report.pdf")
    result = run([folder], tmp_path / "out", RunSettings(password="secret", xlsx=False, report=False))
    assert result.failures == [] and result.documents == 2


def test_run_settings_check_their_values():
    with pytest.raises(ValueError):
        RunSettings(workers=0)
    with pytest.raises(ValueError):
        RunSettings(timeout=-1)
    from textmine.core.errors import InputError
    with pytest.raises(InputError):
        RunSettings(ocr_lang="chi sim; rm")
