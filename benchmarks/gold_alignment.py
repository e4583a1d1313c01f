"""How well segmentation reproduces the hand-coded gold units (../shared/gold): a quality check, not a speed one.

    PYTHONPATH=$PWD python benchmarks/gold_alignment.py [../shared [VERDICTS.tsv]]

For every gold unit, the document it comes from is segmented and the gold text is looked up
among the units (letters and digits compared): ``exact`` when one unit has exactly its text, ``inside`` when
one unit holds it with more around it, ``spread`` when it runs over several units. Prints the
shares per language and in all.
"""

from __future__ import annotations

import json
import re
import sys
from collections import Counter, defaultdict
from pathlib import Path

from textmine.inputs.extract import extract_documents
from textmine.units.segment import segment

_NOT_WORD = re.compile(r"[\W_]+")


def squeeze(text: str) -> str:
    """Letters and digits only: spaces, bullets and line-end hyphens differ between the gold and units."""
    return _NOT_WORD.sub("", text)


def document_units(corpora: Path, doc: str, record, sample: str) -> list[str]:
    """Squeezed unit texts of the gold unit's document (a record of a .jsonl file: the one holding ``sample``)."""
    for document in extract_documents(corpora / doc, Path(doc).stem):
        if record is None or (document.metadata.get("record") in (record, record + 1) and sample in squeeze(document.text)):
            return [squeeze(u.text) for u in segment(document)]
    return []


def main(shared: Path, dump=None) -> None:
    gold = [json.loads(line) for name in ("dev-units.jsonl", "train-units.jsonl")
            for line in (shared / "gold" / name).read_text(encoding="utf-8").splitlines() if line.strip()]
    by_doc = defaultdict(list)
    for unit in gold:
        by_doc[(unit["doc"], unit["record"])].append(unit)
    counts: dict[str, Counter] = defaultdict(Counter)
    for (doc, record), units in sorted(by_doc.items(), key=lambda item: (item[0][0], item[0][1] or 0)):
        texts = document_units(shared / "corpora", doc, record, squeeze(units[0]["text"]))
        joined = set(texts)
        for unit in units:
            text = squeeze(unit["text"])
            verdict = "exact" if text in joined else "inside" if any(text in t for t in texts) else "spread"
            counts[unit["lang"]][verdict] += 1
            if dump:
                dump.write(f"{unit['unit_id']}\t{verdict}\n")
            counts["all"][verdict] += 1
    for lang, counter in counts.items():
        total = sum(counter.values())
        shares = "  ".join(f"{k} {counter[k] / total:.1%}" for k in ("exact", "inside", "spread"))
        print(f"{lang:4} {total:5} units  {shares}")


if __name__ == "__main__":
    with open(sys.argv[2], "w", encoding="utf-8") if len(sys.argv) > 2 else open("/dev/null", "w") as verdicts:
        main(Path(sys.argv[1] if len(sys.argv) > 1 else "../shared"), verdicts)
