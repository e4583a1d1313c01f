"""The compact result of one input file: the rows it adds to the run's files, as bytes.

A worker (a local process or a Dask worker) turns what ``filetask.process_file`` yields into
rows of coded_units.csv and hits.csv (as CSV text, so that the client has little to do with the most
numerous rows), documents.csv and warnings.csv (``render``), and sends
them as Zstandard-compressed JSON (``encode``), a fraction of the size of the Document, units and
codes it came from. The client writes the rows in input order (``decode``); the same bytes
are kept for ``--resume`` (``textmine.run.resume``). Every path decodes the bytes, so a
resumed run writes exactly what an uninterrupted one does.
"""

from __future__ import annotations

import json
from typing import Iterable

import zstandard

from textmine.core.failures import display_path
from textmine.core.types import Document
from textmine.core.names import record_field
from textmine.analysis.aggregate import text_size
from textmine.core.export import csv_cells, csv_text
from textmine.outputs.rows import HIT_COLUMNS, UNIT_COLUMNS, coded_unit_row, hit_row
from textmine.units.coverage import coverage_warning

LEVEL = 3  # Zstandard's: coded rows to 26% of their size, 3.6x as fast as zlib's level 3 (which leaves 44%)


def render(item, input_file, columns, context: int):
    """A failure record (a dict with ``stage``) as it is; a (document, coded units, coverage) as the rows it adds.

    A unit is [its cells before the metadata, its cells after them (CSV text), lang, values of ``columns``, chars,
    words]: the client adds the metadata cells of the document (``meta``), in the column order of the run."""
    if isinstance(item, dict):
        return item
    document, tagged, coverage = item
    units, hits = [], []
    for unit, codes, scores in tagged:
        hits.extend(hit_row(unit, code, context) for code in codes)
        row = coded_unit_row(unit, codes, {}, columns, scores)
        values = [row[column] for column in columns]
        units.append([csv_cells([row[column] for column in UNIT_COLUMNS]), csv_cells([unit.text, *values]), unit.lang,
                      values, *text_size(unit.text)])
    warnings = [w for page in document.pages for w in page.warnings]
    row = {
        "doc_id": document.doc_id,
        "file": input_file.relpath,
        "kind": document.source_kind,
        "lang": document.lang,
        "pages": len(document.pages) if document.source_kind == "pdf" else "",
        "title": str(document.metadata.get("title", "")),
        "units": len(units),
        **(coverage.row() if coverage else {}),
        "warnings": "; ".join(warnings),
        "sha256": document.sha256,
    }
    reason = coverage_warning(document.doc_id, coverage) if coverage else None
    warning = {"file": input_file.relpath, "doc_id": document.doc_id, "coverage": coverage.coverage, "reason": reason} if reason else None
    return {"document": row, "meta": {"file": input_file.relpath, **input_file.metadata, **_record_metadata(document)},
            "units": units, "hits": csv_text(hits, HIT_COLUMNS), "n_hits": len(hits), "warning": warning,
            "ocr_language": str(document.metadata.get("ocr_language") or ""), "langs": sorted({u[2] for u in units})}


def _record_metadata(document: Document) -> dict:
    """Fields of a JSON-lines record are metadata of its document (year, province …); reserved names get ``meta_``."""
    if document.source_kind != "jsonl":
        return {}
    return {(key if key == "record" else record_field(key)): value for key, value in document.metadata.items()}


def encode(sha256: str | None, results: Iterable) -> bytes:
    """The file's SHA-256 and its rendered results, compressed."""
    return zstandard.ZstdCompressor(level=LEVEL).compress(json.dumps([sha256, list(results)], ensure_ascii=False).encode("utf-8"))


def decode(data: bytes) -> tuple[str | None, list]:
    """(SHA-256, rendered results) of ``encode``'s bytes, or of several ``encode``s joined (the parts of a file)."""
    sha256, results = None, []
    while data:
        stream = zstandard.ZstdDecompressor().decompressobj()
        part_sha256, part = json.loads(stream.decompress(data))
        sha256 = sha256 or part_sha256
        results.extend(part)
        data = stream.unused_data
    return sha256, results


def shown_as(results: list, input_file) -> list:
    """``results`` with failure rows naming the file as this run was given it (a Dask worker reads it by its absolute path)."""
    given, absolute = display_path(input_file.path), display_path(input_file.path.absolute())
    for row in results:
        if "stage" in row and row["file"].startswith(absolute) and given != absolute:
            row["file"] = given + row["file"][len(absolute):]
    return results


def langs_of(results: Iterable) -> list[str]:
    """The languages of the coded units of rendered results (what decides which lexicon terms applied)."""
    return sorted({lang for r in results if "document" in r for lang in r["langs"]})
