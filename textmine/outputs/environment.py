"""What a result depends on besides textmine: versions of the key libraries, Tesseract and its language data.

Recorded in run.json (``environment``) so that a run can be reproduced: the libraries
that read PDFs, convert Chinese, detect languages, match terms, segment words and
classify; Tesseract's version and the SHA-256 of every traineddata file the run's
OCR used.
"""

from __future__ import annotations

import os
import re
import subprocess
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from typing import Iterable

KEY_PACKAGES = (
    "pypdfium2", "pdfplumber", "pdfminer.six", "opencc", "py3langid", "ahocorasick-rs", "jieba", "rjieba",
    "scikit-learn", "skops", "spacy", "numpy", "scipy", "pandas", "python-docx", "beautifulsoup4", "lxml",
    "charset-normalizer", "pyyaml", "matplotlib", "openpyxl", "xlsxwriter", "pyarrow",
)
_TESSDATA_LINE = re.compile(r'"([^"]+)"')


def package_versions(names: Iterable[str] = KEY_PACKAGES) -> dict[str, str | None]:
    """Installed version of each package (None when it is not installed)."""
    versions: dict[str, str | None] = {}
    for name in names:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = None
    return versions


@lru_cache(maxsize=4)
def _tesseract_output(program: str, flag: str) -> str:
    try:
        done = subprocess.run([program, flag], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout + done.stderr


def tessdata_dir(program: str) -> Path | None:
    """The folder Tesseract reads language data from, as it reports it (else $TESSDATA_PREFIX)."""
    first = _tesseract_output(program, "--list-langs").splitlines()[:1]
    match = _TESSDATA_LINE.search(first[0]) if first else None
    if match and Path(match.group(1)).is_dir():
        return Path(match.group(1))
    prefix = os.environ.get("TESSDATA_PREFIX")
    for folder in ([Path(prefix), Path(prefix) / "tessdata"] if prefix else []):
        if folder.is_dir():
            return folder
    return None


def tesseract_info(program: str | None, languages: Iterable[str] = ()) -> dict | None:
    """Tesseract's version and the SHA-256 of the traineddata of ``languages`` (e.g. chi_sim+eng); None without it."""
    if not program:
        return None
    version = _tesseract_output(program, "--version").splitlines()[:1]
    folder = tessdata_dir(program)
    data = {}
    for lang in sorted({part for spec in languages for part in spec.split("+") if part}):
        path = folder / f"{lang}.traineddata" if folder else None
        data[lang] = {"file": str(path), "sha256": _sha256(path)} if path and path.is_file() else None
    return {"program": program, "version": version[0].strip() if version else None,
            "tessdata": str(folder) if folder else None, "traineddata": data}


@lru_cache(maxsize=32)
def _sha256(path: Path) -> str | None:
    from textmine.inputs.corpus import file_sha256

    return file_sha256(path)


def environment(ocr_languages: Iterable[str] = ()) -> dict:
    """Library versions and Tesseract (with the language data used by ``ocr_languages``) for run.json."""
    from textmine.inputs.extract.ocr import tesseract

    return {"packages": package_versions(), "tesseract": tesseract_info(tesseract(), ocr_languages)}
