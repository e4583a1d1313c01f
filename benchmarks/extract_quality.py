"""Extraction quality: whole paragraphs and spurious spaces on our test files; a profile of real PDFs.

    python benchmarks/extract_quality.py            # tests/data, and ../shared/corpora when present
    python benchmarks/extract_quality.py --no-ocr   # skip pages that need Tesseract

For every file of tests/data with known paragraphs (expected.json), prints the share of
paragraphs that come out intact (exactly as written, as ``segment`` assembles them; for
OCR'd files: at least 95 % of characters right) and the number of spurious spaces between
CJK characters (aim: 100 % and 0). For every PDF in ../shared/corpora/pdf_*, prints pages,
characters, methods and warnings, so that regressions show.
"""

from __future__ import annotations

import argparse
import json
import re
import time
from collections import Counter
from pathlib import Path

from textmine.core.errors import ExtractionError
from textmine.inputs.extract import ExtractSettings, extract_documents
from textmine.units.segment import _paragraphs

REPO = Path(__file__).resolve().parents[1]
DATA = REPO / "tests" / "data"
CORPORA = REPO.parent / "shared" / "corpora"
CJK = r"[\u3400-\u9fff\u3000-\u303f\uff00-\uffef]"
CJK_SPACE = re.compile(f"(?<={CJK}) +(?={CJK})")


def accuracy(got: str, want: str) -> float:
    got, want = "".join(got.split()), "".join(want.split())
    previous = list(range(len(want) + 1))
    for i, a in enumerate(got, start=1):
        current = [i]
        for j, b in enumerate(want, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b)))
        previous = current
    return 1 - previous[-1] / max(len(want), 1)


def intact(got: list[str], want: list[str], ocr: bool) -> int:
    if not ocr:
        return sum(1 for paragraph in want if paragraph in got)
    return sum(1 for g, w in zip(got, want) if accuracy(g, w) >= 0.95) if len(got) == len(want) else 0


def test_files(settings: ExtractSettings) -> None:
    expected = json.loads((DATA / "expected.json").read_text(encoding="utf-8"))
    print(f"{'file':34} {'intact':>12} {'CJK spaces':>10}  method")
    total = [0, 0, 0]
    for name, entry in expected.items():
        if "paragraphs" not in entry:
            continue
        try:
            document = next(extract_documents(DATA / name, name, ExtractSettings(
                password=entry.get("password") or None, ocr=settings.ocr)))
        except ExtractionError as error:
            print(f"{name:34} {'-':>12} {'-':>10}  failed: {error}")
            total[1] += len(entry["paragraphs"])
            continue
        got = [paragraph.text()[0] for paragraph in _paragraphs(document)]
        want = entry["paragraphs"]
        ok = intact(got, want, bool(entry.get("ocr") or entry.get("text_layer") == "unusable"))
        spurious = max(0, len(CJK_SPACE.findall("\n".join(got))) - len(CJK_SPACE.findall("\n".join(want))))
        methods = ",".join(sorted({page.method for page in document.pages}))
        print(f"{name:34} {ok:>5}/{len(want):<3} {ok / len(want):4.0%} {spurious:>10}  {methods}")
        total = [total[0] + ok, total[1] + len(want), total[2] + spurious]
    print(f"{'all':34} {total[0]:>5}/{total[1]:<3} {total[0] / total[1]:4.0%} {total[2]:>10}\n")


def real_pdfs(settings: ExtractSettings) -> None:
    pdfs = sorted(CORPORA.glob("pdf_*/*.pdf"))
    if not pdfs:
        print(f"{CORPORA} not present: real PDFs skipped")
        return
    print(f"{'file':64} {'pages':>5} {'chars':>7} {'s':>5}  methods; warnings")
    for path in pdfs:
        started = time.perf_counter()
        try:
            document = next(extract_documents(path, path.stem, settings))
        except ExtractionError as error:
            print(f"{path.parent.name + '/' + path.name:64} failed ({error.stage}): {error}")
            continue
        methods = Counter(page.method for page in document.pages)
        warnings = Counter(w.split(": ", 1)[1] for page in document.pages for w in page.warnings)
        described = "; ".join(f"{w} (x{n})" if n > 1 else w for w, n in warnings.items())
        print(f"{path.parent.name + '/' + path.name:64} {len(document.pages):>5} {len(document.text):>7} "
              f"{time.perf_counter() - started:5.1f}  {dict(methods)}" + (f"; {described}" if described else ""))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-ocr", action="store_true", help="do not OCR (pages that need it are reported)")
    args = parser.parse_args()
    settings = ExtractSettings(ocr=not args.no_ocr)
    test_files(settings)
    real_pdfs(settings)


if __name__ == "__main__":
    main()
