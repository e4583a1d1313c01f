"""Coverage of a finished run, measured from its outputs: the share of a document's letters and digits found in its units.

    python tools/coverage_check.py RUN_FOLDER INPUT...

Re-extracts every input (as `run` does), counts letters and digits (any script) of the
document text, and of its units in RUN_FOLDER/coded_units.csv (unit texts, plus each
section heading once). Independent of the counts `run` writes into documents.csv, so it
checks them; it also works on runs of older versions that had no such columns.
"""

from __future__ import annotations

import re
import sys

import pandas as pd

from textmine.inputs.corpus import find_inputs
from textmine.inputs.extract import ExtractSettings, extract_documents

WORD_CHAR = re.compile(r"[^\W_]")


def count(text: str) -> int:
    return len(WORD_CHAR.findall(text))


def unit_chars(units: pd.DataFrame) -> int:
    total = sum(count(t) for t in units["text"].fillna(""))
    seen = set()
    for section in units["section"].fillna(""):
        parts = section.split(" > ") if section else []
        for k in range(1, len(parts) + 1):
            seen.add(tuple(parts[:k]))
    return total + sum(count(path[-1]) for path in seen)


def main(out: str, inputs: list[str]) -> None:
    units = pd.read_csv(f"{out}/coded_units.csv", dtype=str, keep_default_na=False, usecols=["doc_id", "section", "text"])
    by_doc = dict(tuple(units.groupby("doc_id")))
    print("doc_id\tchars\tfurniture\tin_units\tcoverage")
    for input_file in find_inputs(inputs).files:
        for document in extract_documents(input_file.path, input_file.doc_id, ExtractSettings()):
            chars = count(document.text)
            furniture = sum(count(line) for page in document.metadata.get("furniture", []) for line in page)
            found = unit_chars(by_doc.get(document.doc_id, units.iloc[:0]))
            print(f"{document.doc_id}\t{chars}\t{furniture}\t{found}\t{found / max(chars, 1):.1%}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2:])
