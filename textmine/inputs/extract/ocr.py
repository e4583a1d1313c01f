"""OCR of PDF pages: render with PDFium, read with the Tesseract command-line program.

Tesseract runs as a subprocess (no Python wrapper: one less dependency, and
a hung or crashed OCR run is a process we can time out without harming the
batch). Pages are rendered at 300 dpi in grey and piped in as PGM; Tesseract
answers with TSV, whose line boxes go through the same layout as text
layers. ``OMP_THREAD_LIMIT=1``: documents already run in parallel, and
Tesseract's own threads make a single page slower, not faster, here.

The language is chosen from the document: its text layer on other pages,
else the PDF's /Lang entry, else Tesseract's script detection (OSD).
Nothing is ever downloaded: languages that are not installed are reported.
"""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
import subprocess
from functools import lru_cache

from textmine.core.errors import ExtractionError
from textmine.inputs.extract.textlayer import Line
from textmine.core.languages import OCR_LANGUAGES, detect_lang
from textmine.core.normalize import CJK_CHAR, HAN_CHAR, to_simplified

DPI, MIN_DPI = 300, 150
MAX_PIXELS = 25_000_000  # larger pages are rendered at a lower resolution
MIN_CONFIDENCE = 40  # lines Tesseract is less sure of than this (noise in pictures) are dropped
TESSERACT_LANGS = OCR_LANGUAGES
SCRIPT_LANGS = {"Han": "chi_sim", "Latin": "eng", "Japanese": "jpn", "Hangul": "kor", "Korean": "kor"}
_FULL_WIDTH = {",": "，", ":": "：", ";": "；", "?": "？", "!": "！", "(": "（", ")": "）"}
_HALF_PUNCT = re.compile(r"(?<=[\u3400-\u9fff])[,:;?!)]|[(](?=[\u3400-\u9fff])")
INSTALL_HINT = "install Tesseract (apt-get install tesseract-ocr tesseract-ocr-chi-sim tesseract-ocr-chi-tra tesseract-ocr-eng)"


class OcrUnavailable(ExtractionError):
    """Tesseract is not installed (or not the language data a page needs)."""

    def __init__(self, message):
        super().__init__(message, "ocr")


def tesseract() -> str | None:
    """Path of the tesseract program, or None."""
    return os.environ.get("TEXTMINE_TESSERACT") or shutil.which("tesseract")


@lru_cache(maxsize=4)
def installed_languages(program: str) -> frozenset[str]:
    try:
        result = subprocess.run([program, "--list-langs"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return frozenset()
    return frozenset(line.strip() for line in result.stdout.splitlines()[1:] if line.strip())


def language_for(sample: str, pdf_lang: str = "") -> str | None:
    """The Tesseract language for a document whose other text is ``sample``, or None when unknown."""
    lang = detect_lang(sample) if len("".join(sample.split())) >= 20 else ""
    if lang == "zh" and _mostly_traditional(sample):
        lang = "zh-Hant"
    if not lang and pdf_lang:
        tag = pdf_lang.replace("_", "-").lower()
        lang = "zh-Hant" if tag.startswith(("zh-tw", "zh-hk", "zh-mo", "zh-hant")) else tag.split("-")[0]
    return TESSERACT_LANGS.get(lang)


def _mostly_traditional(text: str) -> bool:
    han = HAN_CHAR.findall(text[:5000])
    if not han:
        return False
    sample = "".join(han)
    changed = sum(1 for a, b in zip(sample, to_simplified(sample)) if a != b)
    return changed >= 0.15 * len(sample)


def render(page):
    """The page as a grey PIL image and the scale used (points to pixels).

    300 dpi, or twice the resolution of the page's scanned images when that is less
    (upsampling further only slows Tesseract down); very large pages get fewer pixels.
    """
    width, height = page.get_size()
    dpi = min(DPI, max(MIN_DPI, 2 * _image_dpi(page)))
    scale = dpi / 72
    pixels = width * height * scale * scale
    if pixels > MAX_PIXELS:
        scale *= (MAX_PIXELS / pixels) ** 0.5
    return page.render(scale=scale, grayscale=True).to_pil(), scale


def _image_dpi(page) -> float:
    """Resolution of the largest image on the page (DPI when there is none)."""
    best, dpi = 0.0, DPI
    for image in page.get_objects(filter=(3,), max_depth=3):
        left, _, right, _ = image.get_bounds()
        pixels_wide = image.get_px_size()[0]
        if right - left > best and pixels_wide:
            best, dpi = right - left, pixels_wide / ((right - left) / 72)
    return dpi


def _run(program: str, image, args: list[str], timeout: float) -> str:
    buffer = io.BytesIO()
    image.convert("L").save(buffer, format="PPM")  # PGM: no compression, quick to write and read
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        result = subprocess.run([program, "stdin", "stdout", *args], input=buffer.getvalue(),
                                capture_output=True, timeout=timeout, env=env)
    except FileNotFoundError as error:
        raise OcrUnavailable(f"Tesseract not found ({program}); {INSTALL_HINT}") from error
    except subprocess.TimeoutExpired as error:
        raise ExtractionError(f"OCR took longer than {timeout:.0f} s", "ocr") from error
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise ExtractionError(f"Tesseract failed: {message[-1] if message else result.returncode}", "ocr")
    return result.stdout.decode("utf-8", "replace")


def detect_script(program: str, image, timeout: float = 60) -> str | None:
    """Tesseract's guess of the script of a page image (orientation and script detection)."""
    if "osd" not in installed_languages(program):
        return None
    small = image.reduce(2) if min(image.size) > 1600 else image
    try:
        out = _run(program, small, ["--psm", "0", "--dpi", str(DPI // 2)], timeout)
    except ExtractionError:
        return None
    for line in out.splitlines():
        if line.startswith("Script:"):
            return SCRIPT_LANGS.get(line.split(":", 1)[1].strip())
    return None


def read_page(program: str, image, scale: float, lang: str, page_height: float, timeout: float = 120) -> list[Line]:
    """OCR one page image into lines in PDF points (y upwards)."""
    missing = [part for part in lang.split("+") if part not in installed_languages(program)]
    if missing:
        raise OcrUnavailable(f"Tesseract language data not installed: {', '.join(missing)} "
                             f"(apt-get install tesseract-ocr-{missing[0].replace('_', '-')})")
    dpi = round(72 * scale)
    tsv = _run(program, image, ["-l", lang, "--dpi", str(dpi), "--psm", "3", "tsv"], timeout)
    return _lines_from_tsv(tsv, 72 / dpi, page_height)


def _lines_from_tsv(tsv: str, unit: float, page_height: float) -> list[Line]:
    """Tesseract words grouped into lines; coordinates converted from pixels (y down) to points (y up)."""
    words: dict[tuple[int, int, int], list[tuple[str, float, float, float, float, float]]] = {}
    boxes: dict[tuple[int, int, int], tuple[float, float]] = {}
    for row in csv.DictReader(io.StringIO(tsv), delimiter="\t", quoting=csv.QUOTE_NONE):
        key = (int(row["block_num"]), int(row["par_num"]), int(row["line_num"]))
        left, top, width, height = (float(row[k]) for k in ("left", "top", "width", "height"))
        if row["level"] == "4":
            boxes[key] = (top, top + height)
        elif row["level"] == "5" and (row.get("text") or "").strip():
            words.setdefault(key, []).append((row["text"].strip(), left, top, left + width, top + height, float(row["conf"])))
    out = []
    for key, line in words.items():
        if sum(w[5] for w in line) / len(line) < MIN_CONFIDENCE:
            continue
        top, bottom = boxes.get(key, (min(w[2] for w in line), max(w[4] for w in line)))
        x0, x1 = min(w[1] for w in line) * unit, max(w[3] for w in line) * unit
        text = _join_words([w[0] for w in line])
        out.append(Line(text, x0, page_height - bottom * unit, x1, page_height - top * unit,
                        (bottom - top) * unit, page_height - bottom * unit, key[0] * 1000 + key[1]))
    return out


def _join_words(words: list[str]) -> str:
    """Words of a line: no space next to a CJK character (Tesseract separates every one)."""
    text = words[0]
    for word in words[1:]:
        text += ("" if CJK_CHAR.match(text[-1]) or CJK_CHAR.match(word[0]) else " ") + word
    if HAN_CHAR.search(text):  # ASCII punctuation that Tesseract put in Chinese text
        text = _HALF_PUNCT.sub(lambda m: _FULL_WIDTH[m.group(0)], text)
    return text
