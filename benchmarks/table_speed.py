"""What table detection costs: its share of extraction + segmentation time on the seven RIS3 strategies.

    python benchmarks/table_speed.py            # needs ../shared/corpora
    python benchmarks/table_speed.py --repeat 5

Runs extraction (no OCR, no cache) and segmentation of every ../shared/corpora/pdf_en/en_ris3_*.pdf
``--repeat`` times in this process and prints, per document, the CPU time of the whole and of
table detection inside it (``pdftables.take_tables``, timed around each call), the share, and the
tables and rows found. CPU time (``time.process_time``) is used because other processes on the
machine slow down wall time; the share is measured in the same run, so load affects both alike.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CORPORA = REPO.parent / "shared" / "corpora"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs over the corpus (default 3; the fastest counts)")
    args = parser.parse_args()
    paths = sorted((CORPORA / "pdf_en").glob("en_ris3_*.pdf"))
    if not paths:
        sys.exit(f"{CORPORA}/pdf_en/en_ris3_*.pdf not found: this benchmark needs ../shared/corpora")
    import textmine.inputs.extract.pdf as pdf
    from textmine.inputs.extract import ExtractSettings, extract_documents
    from textmine.units.segment import segment

    spent = [0.0]
    take_tables = pdf.take_tables

    def timed(*a, **kw):
        started = time.process_time()
        try:
            return take_tables(*a, **kw)
        finally:
            spent[0] += time.process_time() - started

    pdf.take_tables = timed
    list(segment(next(extract_documents(paths[0], "warm", ExtractSettings(ocr=False)))))  # imports, language model
    best: dict[str, tuple[float, float, int, int]] = {}
    for _ in range(args.repeat):
        for path in paths:
            spent[0] = 0.0
            started = time.process_time()
            document = next(extract_documents(path, path.stem, ExtractSettings(ocr=False)))
            units = list(segment(document))
            total = time.process_time() - started
            rows = sum(1 for unit in units if "-t" in unit.unit_id.removeprefix(unit.doc_id))
            tables = len({(page.number, block.table) for page in document.pages for block in page.tables})
            if path.name not in best or total < best[path.name][0]:
                best[path.name] = (total, spent[0], tables, rows)
    print(f"{'document':58} {'CPU s':>7} {'tables s':>8} {'share':>6} {'tables':>6} {'rows':>5}")
    for name, (total, tables_s, tables, rows) in best.items():
        print(f"{name:58} {total:7.3f} {tables_s:8.4f} {tables_s / total:6.1%} {tables:6d} {rows:5d}")
    total = sum(v[0] for v in best.values())
    tables_s = sum(v[1] for v in best.values())
    print(f"{'all seven (fastest of ' + str(args.repeat) + ' runs each)':58} {total:7.3f} {tables_s:8.4f} {tables_s / total:6.1%}")


if __name__ == "__main__":
    main()
