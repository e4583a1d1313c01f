"""Extraction speed and memory, against raw PDFium and the obvious pdfplumber loop, in the same run.

    python benchmarks/extract_speed.py            # needs ../shared/corpora (the RIS3 strategies)
    python benchmarks/extract_speed.py --repeat 3 --no-ocr   # fewer copies, no OCR
    python benchmarks/extract_speed.py --raw-only --rounds 7  # only textmine vs raw pypdfium2
    python benchmarks/extract_speed.py --stages               # where textmine's time goes, stage by stage

First, textmine against raw pypdfium2 on the 24 PDFs of ../shared/corpora/pdf_zh + pdf_en: the
text of every page with ``PdfTextPage.get_text_range()`` (opening each PDF and loading each page
included) against ``extract_documents`` without OCR (layout repair, quality checks, tables,
headers and footers, language), in this process after a warm-up, runs alternating; CPU time
(``time.process_time``, which other processes on a loaded machine disturb far less than wall
time). Printed: the median and fastest of ``--rounds`` runs of each and their ratios.

Then, for the seven ../shared/corpora/pdf_en/en_ris3_*.pdf strategies:

* the pdfplumber loop (``page.extract_text()`` for every page) and ``textmine extract --out``
  with 1 and with 2 worker processes, each as a fresh command (start-up included), and the
  same through the library (``extract_to_folder``, start-up of Python and imports excluded),
  also on ``--repeat`` copies of the corpus (links, not copies) so that start-up weighs less;
* the ratios pdfplumber / textmine and 1 worker / 2 workers;
* text-layer pages per second; OCR pages per second on the scans of tests/data and
  ../shared/corpora (with 1 and 2 workers);
* the peak memory of a worker process after 1x and after ``--repeat`` x the documents
  (it must not grow with the number of documents).

Nothing here uses the extraction cache.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"
PLUMBER_LOOP = """
import sys, pdfplumber
for path in sys.argv[1:]:
    with pdfplumber.open(path) as pdf:
        for page in pdf.pages:
            page.extract_text()
"""


def timed(command: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(command, check=False, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - started


def textmine_cli(paths, workers: int, ocr: bool = True) -> float:
    with tempfile.TemporaryDirectory() as out:
        command = [sys.executable, "-m", "textmine", "extract", *map(str, paths), "--out", out,
                   "--workers", str(workers), "--no-cache"] + ([] if ocr else ["--no-ocr"])
        return timed(command)


def library(folder: Path, workers: int, ocr: bool = True):
    from textmine.inputs.extract import ExtractSettings
    from textmine.run.extract import extract_to_folder

    with tempfile.TemporaryDirectory() as out:
        started = time.perf_counter()
        result = extract_to_folder([folder], out, ExtractSettings(ocr=ocr), workers=workers, timeout=600)
        return time.perf_counter() - started, result


def linked(paths, repeat: int) -> tempfile.TemporaryDirectory:
    """A folder of symbolic links to ``paths``, each ``repeat`` times (the corpora are used in place)."""
    folder = tempfile.TemporaryDirectory()
    for k in range(repeat):
        for path in paths:
            os.symlink(path, Path(folder.name) / f"{k}_{path.name}")
    return folder


def raw_pdfium(paths) -> float:
    """CPU seconds of the plain loop: every page's text with ``get_text_range()``."""
    import pypdfium2

    started = time.process_time()
    for path in paths:
        pdf = pypdfium2.PdfDocument(path)
        for page in pdf:
            textpage = page.get_textpage()
            textpage.get_text_range()
            textpage.close()
            page.close()
        pdf.close()
    return time.process_time() - started


def textmine_no_ocr(paths) -> float:
    """CPU seconds of textmine's extraction of the same files (no OCR, no cache; a PDF without text fails as it would)."""
    from textmine.core.errors import ExtractionError
    from textmine.inputs.extract import ExtractSettings, extract_documents

    settings = ExtractSettings(ocr=False)
    started = time.process_time()
    for path in paths:
        try:
            list(extract_documents(path, path.stem, settings))
        except ExtractionError:
            pass
    return time.process_time() - started


def versus_raw(rounds: int) -> None:
    paths = sorted((CORPORA / "pdf_zh").glob("*.pdf")) + sorted((CORPORA / "pdf_en").glob("*.pdf"))
    if not paths:
        sys.exit(f"{CORPORA}/pdf_zh and pdf_en not found: this benchmark needs ../shared/corpora")
    import pypdfium2

    pages = sum(len(pypdfium2.PdfDocument(p)) for p in paths)
    textmine_no_ocr(paths[:1]), raw_pdfium(paths[:1])  # warm up: imports, language model
    runs: dict[str, list[float]] = {"raw": [], "textmine": []}
    for _ in range(rounds):  # alternating, so that changes in load hit both
        runs["raw"].append(raw_pdfium(paths))
        runs["textmine"].append(textmine_no_ocr(paths))
    raw, ours = runs["raw"], runs["textmine"]
    print(f"textmine vs raw pypdfium2: {len(paths)} PDFs of pdf_zh + pdf_en, {pages} pages, {rounds} alternating rounds, "
          f"CPU seconds, load average {os.getloadavg()[0]:.1f}")
    print(f"  raw get_text_range()        median {statistics.median(raw):6.3f} s   fastest {min(raw):6.3f} s")
    print(f"  textmine, no OCR            median {statistics.median(ours):6.3f} s   fastest {min(ours):6.3f} s")
    ratios = sorted(o / r for o, r in zip(ours, raw))
    print(f"  textmine / raw: {statistics.median(ours) / statistics.median(raw):.2f}x (medians), "
          f"{min(ours) / min(raw):.2f}x (fastest), per round {' '.join(f'{x:.2f}' for x in ratios)}\n")


STAGES = ("check_streams", "raw_page_text", "assess", "text_turn", "read_lines", "make_horizontal", "_take_tables",
          "_ocr_layer_over_image", "_shows_image", "lay_out", "_page")


def stages(rounds: int) -> None:
    """CPU seconds of each stage of PDF extraction (the functions of ``textmine.inputs.extract.pdf`` it calls, and
    PDFium's page and text-page loading), per pass over the 24 PDFs: medians of ``rounds`` passes."""
    import pypdfium2

    import textmine.inputs.extract.pdf as pdf_module

    paths = sorted((CORPORA / "pdf_zh").glob("*.pdf")) + sorted((CORPORA / "pdf_en").glob("*.pdf"))
    if not paths:
        sys.exit(f"{CORPORA}/pdf_zh and pdf_en not found: this benchmark needs ../shared/corpora")
    spent: dict[str, float] = {}

    def timed_call(name, function):
        def call(*args, **kwargs):
            started = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - started
        return call

    for name in STAGES:
        setattr(pdf_module, name, timed_call(name, getattr(pdf_module, name)))
    pypdfium2.PdfDocument.__getitem__ = timed_call("load page (PDFium)", pypdfium2.PdfDocument.__getitem__)
    pypdfium2.PdfPage.get_textpage = timed_call("load text page (PDFium)", pypdfium2.PdfPage.get_textpage)
    textmine_no_ocr(paths[:1])  # warm up
    passes = []
    for _ in range(rounds):
        spent.clear()
        total = textmine_no_ocr(paths)
        passes.append({**spent, "everything else": total - sum(spent.values()), "total": total})
    print(f"textmine's extraction of the 24 PDFs of pdf_zh + pdf_en by stage, CPU seconds, median of {rounds} passes "
          f"(load average {os.getloadavg()[0]:.1f}):")
    medians = {name: statistics.median(p.get(name, 0.0) for p in passes) for name in passes[0]}
    for name in sorted(medians, key=lambda n: (n == "total", -medians[n])):
        print(f"  {name:28} {medians[name]:6.3f} s")


def best(measure, times: int = 3):
    """The fastest of a few runs (other processes on the machine only ever slow a run down)."""
    runs = [measure() for _ in range(times)]
    return min(runs, key=lambda r: r[0] if isinstance(r, tuple) else r)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=8, help="copies of the corpus for the larger run and the memory check (default 8)")
    parser.add_argument("--no-ocr", action="store_true", help="skip the OCR measurements")
    parser.add_argument("--rounds", type=int, default=5, help="alternating rounds of textmine vs raw pypdfium2 (default 5)")
    parser.add_argument("--raw-only", action="store_true", help="only textmine vs raw pypdfium2")
    parser.add_argument("--stages", action="store_true", help="only the CPU time of each stage of textmine's extraction")
    args = parser.parse_args()
    if args.stages:
        stages(args.rounds)
        return
    versus_raw(args.rounds)
    if args.raw_only:
        return
    ris3 = sorted((CORPORA / "pdf_en").glob("en_ris3_*.pdf"))
    if not ris3:
        sys.exit(f"{CORPORA}/pdf_en/en_ris3_*.pdf not found: this benchmark needs ../shared/corpora")
    import pypdfium2

    pages = sum(len(pypdfium2.PdfDocument(p)) for p in ris3)
    print(f"{len(ris3)} RIS3 strategies, {pages} pages, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}\n")

    plumber = timed([sys.executable, "-c", PLUMBER_LOOP, *map(str, ris3)])
    cli = {w: best(lambda w=w: textmine_cli(ris3, w)) for w in (1, 2)}
    print("as commands (a fresh Python each, start-up and imports included; textmine: best of 3):")
    print(f"  pdfplumber loop                 {plumber:7.2f} s")
    for w, seconds in cli.items():
        print(f"  textmine extract --workers {w}    {seconds:7.2f} s   {plumber / seconds:5.1f}x faster than pdfplumber")
    print(f"  1 worker / 2 workers            {cli[1] / cli[2]:7.2f}x")

    with linked(ris3, 1) as once:
        library(Path(once), 1)  # warm up (imports, language model) before timing
        lib = {w: best(lambda w=w: library(Path(once), w)) for w in (1, 2)}
    print("\nin this process (start-up and imports excluded, the pool's worker start-up included; best of 3):")
    for w, (seconds, result) in lib.items():
        print(f"  extract_to_folder, {w} worker(s)  {seconds:7.2f} s   {plumber / seconds:5.1f}x faster than pdfplumber"
              f"   {result.pages.get('text-layer', 0) / seconds:6.1f} text-layer pages/s")
    print(f"  1 worker / 2 workers            {lib[1][0] / lib[2][0]:7.2f}x")
    with linked(ris3, args.repeat) as many:
        runs = [(w, library(Path(many), w)) for _ in range(4) for w in (1, 2)]  # alternating, so that load hits both
        bigger = {w: min((r for v, r in runs if v == w), key=lambda r: r[0]) for w in (1, 2)}
    print(f"  the same on {args.repeat} copies ({len(ris3) * args.repeat} documents, best of 4): "
          f"{bigger[1][0]:.2f} s and {bigger[2][0]:.2f} s, 1 worker / 2 workers {bigger[1][0] / bigger[2][0]:.2f}x")
    print(f"\npeak memory of a worker: {lib[2][1].worker_peak_kb / 1024:.0f} MB after {len(ris3)} documents, "
          f"{bigger[2][1].worker_peak_kb / 1024:.0f} MB after {len(ris3) * args.repeat}")

    if not args.no_ocr:
        scans = [REPO / "tests" / "data" / n for n in ("zh_scanned.pdf", "en_scanned.pdf", "en_garbage_text_layer.pdf")]
        scans += [p for p in (CORPORA / "pdf_zh" / "zh_scanned_capital_vol1_ch1_8pages.pdf",
                              CORPORA / "pdf_en" / "en_scanned_with_poor_ocr_layer.pdf") if p.exists()]
        print(f"\nOCR: {', '.join(p.name for p in scans)}")
        with linked(scans, 1) as folder:
            for w in (1, 2):
                seconds, result = library(Path(folder), w)
                ocr_pages = result.pages.get("ocr", 0)
                print(f"  {w} worker(s): {ocr_pages} OCR pages in {seconds:.1f} s = {ocr_pages / seconds:.2f} pages/s, "
                      f"worker peak {result.worker_peak_kb / 1024:.0f} MB")


if __name__ == "__main__":
    main()
