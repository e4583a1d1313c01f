"""`textmine extract --out`: every document of a corpus as one JSON file, read by worker processes.

Each worker writes the JSON of the documents it extracts itself (atomically),
so only a short summary travels back; failures.csv lists the files that could
not be read, in input order.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any, Callable, Sequence

from textmine import __version__
from textmine.core.constants import EXIT_OK, EXIT_SOME_FAILED, FILE_TIMEOUT
from textmine.core.export import CsvWriter
from textmine.core.types import Document
from textmine.inputs.corpus import find_inputs
from textmine.inputs.extract import PRELOAD, ExtractSettings, kind_of, warm_up
from textmine.inputs.guard import guarded
from textmine.outputs.rows import FAILURE_COLUMNS, failure_row
from textmine.outputs.writable import writable_folder
from textmine.run.workers import run_ordered


@dataclass
class ExtractResult:
    out: Path
    documents: int = 0
    pages: dict[str, int] = field(default_factory=dict)  # pages by method (text-layer, ocr, plain)
    failures: list[dict] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    worker_peak_kb: int = 0  # the largest peak memory of a process that extracted documents

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if self.failures else EXIT_OK


def document_record(document: Document, relpath: str) -> dict:
    """The JSON of one document: text per page with method, warnings and running headers; metadata."""
    metadata = {k: v for k, v in document.metadata.items() if k != "furniture"}
    metadata.setdefault("title", "")
    metadata["page_count"] = len(document.pages)
    furniture: Any = document.metadata.get("furniture") or [[] for _ in document.pages]
    pages = [
        {"number": p.number, "method": p.method, "warnings": list(p.warnings), "furniture": list(f), "text": p.text}
        for p, f in zip(document.pages, furniture)
    ]
    return {"doc_id": document.doc_id, "file": relpath, "kind": document.source_kind, "sha256": document.sha256,
            "lang": document.lang, "metadata": metadata, "pages": pages, "textmine_version": __version__}


def extract_to_folder(inputs: Sequence[str], out, settings: ExtractSettings = ExtractSettings(), workers: int = 1,
                      timeout: float | None = FILE_TIMEOUT, progress: Callable | None = None,
                      pages: Callable | None = None, follow_symlinks: bool = False) -> ExtractResult:
    """Extract every document under ``inputs`` into ``out/<doc_id>.json``; failures.csv lists the rest."""
    corpus = find_inputs(inputs, follow_symlinks, settings.encoding)
    out = writable_folder(out)
    result = ExtractResult(out, skipped=corpus.skipped)
    failures = CsvWriter(out / "failures.csv", FAILURE_COLUMNS)
    job = partial(extract_file, out=str(out), settings=settings)
    limit = partial(_limit, timeout=timeout)
    if progress:
        progress(0, len(corpus.files))  # the display starts before the first (perhaps long) file
    try:
        on_pages = (lambda index, done, total: pages(corpus.files[index].relpath, done, total)) if pages else None
        outcomes = run_ordered(job, corpus.files, workers, limit, initializer=warm_up, preload=PRELOAD, on_pages=on_pages)
        for done, outcome in enumerate(outcomes, start=1):
            input_file = corpus.files[outcome.index]
            items = outcome.value if outcome.ok else [failure_row(input_file.path, outcome.stage, outcome.reason)]
            for item in items:
                _count(item, result, failures)
            result.worker_peak_kb = max(result.worker_peak_kb, outcome.worker_peak_kb)
            if progress:
                progress(done, len(corpus.files))
    except BaseException:
        failures.abort()
        raise
    failures.close()
    return result


def _limit(input_file, timeout):
    return None if kind_of(input_file.path) == "jsonl" else timeout


def _count(item: dict, result: ExtractResult, failures) -> None:
    if "stage" in item:
        failures.write(item)
        result.failures.append(item)
        return
    result.documents += 1
    for method, count in item["pages"].items():
        result.pages[method] = result.pages.get(method, 0) + count


def extract_file(input_file, out: str, settings: ExtractSettings) -> list[dict]:
    """Extract one input file into JSON files; a summary per document, or a failure record."""
    def write(document: Document) -> dict:
        _write_json(Path(out) / f"{document.doc_id}.json", document_record(document, input_file.relpath))
        methods: dict[str, int] = {}
        for page in document.pages:
            methods[page.method] = methods.get(page.method, 0) + 1
        return {"doc_id": document.doc_id, "pages": methods}

    return list(guarded(input_file, settings, write))


def _write_json(path: Path, record: dict) -> None:
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(record, handle, ensure_ascii=False, indent=1)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
