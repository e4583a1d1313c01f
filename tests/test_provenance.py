"""run.json names the versions a result depends on: key libraries, Tesseract and the language data OCR used."""

from __future__ import annotations

import hashlib
import json
import re
import subprocess

import pdfplumber
import sklearn

from conftest import needs_tesseract


@needs_tesseract()
def test_run_json_records_library_versions_tesseract_and_traineddata_hashes(textmine_cli, data_dir, tmp_path):
    code, _, err = textmine_cli("run", data_dir / "zh_scanned.pdf", "--out", tmp_path, "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    environment = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["environment"]
    packages = environment["packages"]
    assert packages["pdfplumber"] == pdfplumber.__version__ and packages["scikit-learn"] == sklearn.__version__
    for name in ("pypdfium2", "opencc", "py3langid", "ahocorasick-rs", "jieba", "rjieba"):
        assert re.match(r"\d", packages[name] or ""), name
    tesseract = environment["tesseract"]
    assert tesseract["version"] == subprocess.run(["tesseract", "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    listing = subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout.splitlines()[0]
    folder = re.search(r'"(.+?)/?"', listing).group(1)
    used = tesseract["traineddata"]["chi_sim"]  # the scanned page is Chinese
    assert used["file"] == f"{folder}/chi_sim.traineddata"
    assert used["sha256"] == hashlib.sha256(open(used["file"], "rb").read()).hexdigest()


def test_without_ocr_no_language_data_is_listed(textmine_cli, data_dir, tmp_path):
    code, _, err = textmine_cli("run", data_dir / "en_text.pdf", "--out", tmp_path, "--workers", "1", "--no-cache", "--no-xlsx")
    assert code == 0, err
    environment = json.loads((tmp_path / "run.json").read_text(encoding="utf-8"))["environment"]
    assert environment["packages"]["pypdfium2"] and (environment["tesseract"] is None or environment["tesseract"]["traineddata"] == {})
