"""run.json: what a run read, with which settings and lexicons, and what it produced."""

from __future__ import annotations

import datetime as dt
import json
import platform
import time
from dataclasses import asdict
from pathlib import Path

from textmine import __version__
from textmine.core.export import atomic_path
from textmine.core.failures import display_path
from textmine.inputs.corpus import Corpus, file_sha256
from textmine.outputs.environment import environment


def run_info(inputs, corpus: Corpus, lexicons, settings, result, started: float) -> dict:
    """The record of a run: ``settings`` a RunSettings, ``result`` a RunResult."""
    return {
        "textmine_version": __version__,
        "python": platform.python_version(),
        "started": dt.datetime.fromtimestamp(started, dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "inputs": [display_path(p) for p in inputs],
        "options": {k: v for k, v in asdict(settings).items() if k != "password"} | {"password": bool(settings.password)},
        "lexicons": [_lexicon_entry(lexicon) for lexicon in lexicons],
        "input_files": [{"file": display_path(f.path), "doc_id": f.doc_id, "sha256": result.input_hashes.get(f.path) or file_sha256(f.path)}
                        for f in corpus.files],  # files that failed are hashed here; the others were hashed when read
        "files_processed": result.files_processed,  # input files read by this run
        "files_resumed": result.files_resumed,  # input files whose results an earlier run completed (--resume)
        "documents": result.documents,
        "units": result.units,
        "hits": result.hits,
        "failures": len(result.failures),
        "coverage_warnings": len(result.coverage_warnings),
        "skipped": [{"file": f, "reason": r} for f, r in corpus.skipped],
        "warnings": result.warnings,
        "environment": environment(_ocr_data(result.ocr_languages, settings.ocr_lang)),
    }


def _lexicon_entry(lexicon) -> dict:
    entry = {"scheme": lexicon.scheme, "path": lexicon.path, "version": lexicon.version, "sha256": lexicon.sha256}
    if lexicon.extended_by:  # files with `extends:` merged into this scheme
        entry["extended_by"] = [{"path": path, "sha256": digest} for path, digest in lexicon.extended_by]
    return entry


def _ocr_data(languages: set[str], ocr_lang: str | None) -> set[str]:
    """The language data OCR used: the documents' languages, and script detection (osd) when none was given."""
    return languages | ({"osd"} if languages and not ocr_lang else set())


def write_run_json(out: Path, info: dict) -> Path:
    """Write ``info`` to out/run.json (atomically); return its path."""
    with atomic_path(out / "run.json") as tmp:
        tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return out / "run.json"
