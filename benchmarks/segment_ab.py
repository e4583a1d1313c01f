"""Segmentation of two source trees on the same documents: same units? and the CPU time of each.

    mkdir -p /tmp/main_tree && git archive main textmine lexicons models | tar -x -C /tmp/main_tree
    PYTHONPATH=$PWD python benchmarks/segment_ab.py /tmp/main_tree . [--rounds 5]

Extracts once (this tree, no OCR, no cache) every document of corpora/sample, tests/data and,
when present, ../shared/corpora (text_zh, text_en, text_de, pdf_zh, pdf_en, pdf_cjk_other),
then, in a fresh Python process per tree and round (trees alternating, so that changes in load
hit both), times ``segment_document`` over all of them (``time.process_time``) and records every
unit (id, text, language, page, section, page breaks), the furniture and the headings. Prints
each document whose segmentation differs between the trees (and how), then the CPU times and
the ratio second / first of the medians. Exit status 1 when any document differs.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import pickle
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared" / "corpora"
FOLDERS = [REPO / "corpora" / "sample", REPO / "tests" / "data",
           *(SHARED / name for name in ("text_zh", "text_en", "text_de", "pdf_zh", "pdf_en", "pdf_cjk_other"))]

CHILD = r"""
import json, pickle, sys, time
from textmine.units.segment import segment_document
documents = pickle.load(open(sys.argv[1], "rb"))
segment_document(documents[0])  # warm up: imports, the language model
started = time.process_time()
results = [segment_document(document) for document in documents]
seconds = time.process_time() - started
units = {
    d.doc_id: {"units": [[u.unit_id, u.text, u.lang, u.page, list(u.section), [list(b) for b in u.page_breaks]]
                         for u in r.units], "furniture": r.furniture, "headings": r.headings}
    for d, r in zip(documents, results)
}
json.dump({"seconds": seconds, "units": units}, open(sys.argv[2], "w"), ensure_ascii=False)
"""


def extract_all() -> list:
    """Every document the folders hold, extracted once by this tree (no OCR)."""
    from textmine.inputs.corpus import find_inputs
    from textmine.inputs.extract import ExtractSettings, extract_documents

    documents = []
    for source in FOLDERS:
        if not source.is_dir():
            print(f"skipped (absent): {source}")
            continue
        for input_file in find_inputs([source]).files:
            if input_file.problem:
                continue
            try:
                for k, document in enumerate(extract_documents(input_file.path, f"{source.name}/{input_file.doc_id}",
                                                               ExtractSettings(ocr=False))):
                    documents.append(document if k == 0 else _renamed(document, k))
            except Exception as error:  # files made to fail (tests/data): not segmentation's concern
                print(f"not extracted: {input_file.path.name}: {type(error).__name__}")
    return documents


def _renamed(document, k: int):
    from dataclasses import replace

    return replace(document, doc_id=f"{document.doc_id}#{k}")


def segment_in(tree: str, documents_file: Path, out: Path) -> dict:
    subprocess.run([sys.executable, "-c", CHILD, str(documents_file), str(out)], env={"PYTHONPATH": tree},
                   check=True, cwd="/")
    return json.loads(out.read_text())


def differences(first: dict, second: dict) -> list[str]:
    lines = []
    for doc_id, a in first.items():
        b = second[doc_id]
        if a == b:
            continue
        if a["furniture"] != b["furniture"] or a["headings"] != b["headings"]:
            lines.append(f"{doc_id}: furniture or headings differ")
        if len(a["units"]) != len(b["units"]):
            lines.append(f"{doc_id}: {len(a['units'])} units vs {len(b['units'])}")
        fields = ("id", "text", "lang", "page", "section", "page breaks")
        for ua, ub in zip(a["units"], b["units"]):
            changed = [f"{name} {x!r:.60} -> {y!r:.60}" for name, x, y in zip(fields, ua, ub) if x != y]
            if changed:
                lines.append(f"{doc_id} {ua[0]}: " + "; ".join(changed))
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("first", help="source tree holding textmine/ (the baseline)")
    parser.add_argument("second", help="source tree holding textmine/ (the change)")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--documents", type=Path, help="keep the extracted documents in this file, and reuse them")
    args = parser.parse_args()
    trees = [str(Path(args.first).resolve()), str(Path(args.second).resolve())]
    with tempfile.TemporaryDirectory() as tmp:
        documents_file = args.documents or Path(tmp) / "documents.pickle"
        if not documents_file.exists():
            documents_file.write_bytes(pickle.dumps(extract_all()))
        documents = pickle.loads(documents_file.read_bytes())
        print(f"{len(documents)} documents, {sum(len(d.text) for d in documents):,} characters")
        times: dict[str, list[float]] = {tree: [] for tree in trees}
        outputs: dict[str, dict] = {}
        for _ in range(args.rounds):
            for tree in trees:
                result = segment_in(tree, documents_file, Path(tmp) / "units.json")
                times[tree].append(result["seconds"])
                outputs[tree] = result["units"]
    diff = differences(outputs[trees[0]], outputs[trees[1]])
    units = sum(len(d["units"]) for d in outputs[trees[1]].values())
    digest = hashlib.sha256(json.dumps(outputs[trees[1]], sort_keys=True).encode()).hexdigest()[:16]
    print("\n".join(diff) if diff else f"same segmentation: {units:,} units in both trees (sha256 {digest}…)")
    for tree in trees:
        print(f"{tree}: CPU s " + " ".join(f"{t:.3f}" for t in times[tree]))
    first, second = times[trees[0]], times[trees[1]]
    print(f"second / first: median {statistics.median(second) / statistics.median(first):.3f}, "
          f"fastest {min(second) / min(first):.3f}")
    sys.exit(1 if diff else 0)


if __name__ == "__main__":
    main()
