"""Does a change of the PDF code change what is extracted? Two source trees, the same PDFs, compared.

    mkdir -p /tmp/main_tree && git archive main textmine lexicons models | tar -x -C /tmp/main_tree
    python benchmarks/extract_same.py /tmp/main_tree .            # no OCR
    python benchmarks/extract_same.py /tmp/main_tree . --ocr      # with OCR (slow)

Each tree extracts every PDF of tests/data, corpora/sample and ../shared/corpora/pdf_* (when
present) in a fresh Python process with ``PYTHONPATH`` set to it, no cache; the documents (every
page's text, method, warnings, table rows and headings, the metadata) or the error of each file
are written to a temporary JSON file, and the two are compared. Prints the files that differ and
the first page where they do; exits 1 if any does. Nothing is kept: the texts of ../shared are
not ours.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DUMP = r"""
import json, sys
from textmine.core.errors import TextmineError
from textmine.inputs.extract import ExtractSettings, extract_documents
out, ocr, paths = sys.argv[1], sys.argv[2] == "ocr", sys.argv[3:]
result = {}
for path in paths:
    try:
        documents = list(extract_documents(path, "x", ExtractSettings(ocr=ocr)))
        result[path] = [{"pages": [[p.number, p.text, p.method, list(p.warnings), [repr(b) for b in p.tables],
                                    [list(h) for h in p.headings]] for p in d.pages],
                         "metadata": repr(sorted(d.metadata.items())), "lang": d.lang} for d in documents]
    except TextmineError as error:
        result[path] = f"{type(error).__name__}: {error}"
json.dump(result, open(out, "w"), ensure_ascii=False)
"""


def pdfs() -> list[Path]:
    found = sorted((REPO / "tests" / "data").glob("*.pdf")) + sorted((REPO / "corpora" / "sample").glob("*.pdf"))
    return found + sorted((REPO.parent / "shared" / "corpora").glob("pdf_*/*.pdf"))


def extract(tree: str, paths: list[Path], ocr: bool, out: Path) -> dict:
    subprocess.run([sys.executable, "-c", DUMP, str(out), "ocr" if ocr else "no", *map(str, paths)],
                   env={"PYTHONPATH": str(Path(tree).resolve()), "TEXTMINE_CACHE_DIR": str(out.parent / "cache")},
                   check=True, cwd="/")
    return json.loads(out.read_text(encoding="utf-8"))


def first_difference(a, b) -> str:
    if isinstance(a, str) or isinstance(b, str):
        return f"{a if isinstance(a, str) else 'read'} / {b if isinstance(b, str) else 'read'}"
    for doc_a, doc_b in zip(a, b):
        for page_a, page_b in zip(doc_a["pages"], doc_b["pages"]):
            if page_a != page_b:
                fields = ("number", "text", "method", "warnings", "tables", "headings")
                return f"page {page_a[0]}: " + ", ".join(f for f, x, y in zip(fields, page_a, page_b) if x != y)
    return "page count or metadata"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="source tree holding textmine/ (the baseline)")
    parser.add_argument("second", help="source tree holding textmine/ (the change)")
    parser.add_argument("--ocr", action="store_true", help="read pages that need it with Tesseract")
    args = parser.parse_args()
    paths = pdfs()
    with tempfile.TemporaryDirectory() as folder:
        first = extract(args.first, paths, args.ocr, Path(folder) / "first.json")
        second = extract(args.second, paths, args.ocr, Path(folder) / "second.json")
    differ = [path for path in first if first[path] != second[path]]
    for path in differ:
        print(f"differs: {Path(path).name}: {first_difference(first[path], second[path])}")
    print(f"{len(paths) - len(differ)} of {len(paths)} PDFs extracted identically "
          f"({'with' if args.ocr else 'without'} OCR; text, method, warnings, tables, headings, metadata of every page)")
    sys.exit(1 if differ else 0)


if __name__ == "__main__":
    main()
