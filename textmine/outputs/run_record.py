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
from textmine.inputs.corpus import Corpus, file_sha256


def run_info(inputs, corpus: Corpus, lexicons, settings, result, started: float) -> dict:
    """The record of a run: ``settings`` a RunSettings, ``result`` a RunResult."""
    return {
        "textmine_version": __version__,
        "python": platform.python_version(),
        "started": dt.datetime.fromtimestamp(started, dt.timezone.utc).isoformat(timespec="seconds"),
        "seconds": round(time.time() - started, 3),
        "inputs": [str(p) for p in inputs],
        "options": {k: v for k, v in asdict(settings).items() if k != "password"} | {"password": bool(settings.password)},
        "lexicons": [{"scheme": l.scheme, "path": l.path, "version": l.version, "sha256": l.sha256} for l in lexicons],
        "input_files": [{"file": str(f.path), "doc_id": f.doc_id, "sha256": result.input_hashes.get(f.path) or file_sha256(f.path)}
                        for f in corpus.files],  # files that failed are hashed here; the others were hashed when read
        "documents": result.documents,
        "units": result.units,
        "hits": result.hits,
        "failures": len(result.failures),
        "skipped": [{"file": f, "reason": r} for f, r in corpus.skipped],
    }


def write_run_json(out: Path, info: dict) -> Path:
    """Write ``info`` to out/run.json (atomically); return its path."""
    with atomic_path(out / "run.json") as tmp:
        tmp.write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return out / "run.json"
