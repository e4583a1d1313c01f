"""report.xlsx and report.html of `run`: the run's output files, the lexicons and run.json as sheets, and the analysis."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.coding.lexicon import Lexicon
from textmine.core.export import write_xlsx


def write_run_report(out: Path, lexicons, files: dict, info: dict, analysis=None, figures=(), xlsx: bool = True) -> None:
    """report.xlsx (every table, charts, figures) and report.html of `run`, whose output files are ``files`` (updated)
    and whose record is ``info`` (run.json, which gets the analysis and notes added); without an analysis (no units)
    only the xlsx."""
    run_sheet = pd.DataFrame(
        [(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in info.items()],
        columns=["key", "value"],
    )
    names = ["coded_units", "hits", "documents", *[name for name in files if name.startswith(("emphasis_", "crosstab_"))]]
    before: list[tuple[str, object]] = [(name, files[name]) for name in names]
    after: list[tuple[str, object]] = [("failures", files["failures"]), ("warnings", files["warnings"]),
                                       ("lexicon", lexicon_table(lexicons)), ("run", run_sheet)]
    notes: list[str] = []
    if analysis is not None:
        from textmine.outputs.report import provenance, write_report  # scipy and matplotlib only when needed

        written, notes = write_report(analysis, out, figures, provenance(analysis, run_info=info), before, after, xlsx)
        files.update(written)
        info["analysis"] = {"by": analysis.by, "warnings": analysis.warnings}
    elif xlsx:
        notes = write_xlsx(out / "report.xlsx", [*before, *after])
        files["report"] = out / "report.xlsx"
    if notes:
        info["notes"] = notes


def lexicon_table(lexicons: Sequence[Lexicon]) -> pd.DataFrame:
    """Every term of every lexicon: scheme, code, name, kind (term/exclude/policy_only), lang, term."""
    rows = []
    for lexicon in lexicons:
        for category in lexicon.categories:
            for kind, table in (("term", category.terms), ("exclude", category.exclude), ("policy_only", category.policy_only)):
                for lang, terms in table.items():
                    for term in terms:
                        rows.append(
                            {"scheme": lexicon.scheme, "code": category.code, "column": lexicon.column(category.code),
                             "name": category.name("en"), "kind": kind, "lang": lang, "term": term}
                        )
    return pd.DataFrame(rows, columns=["scheme", "code", "column", "name", "kind", "lang", "term"])
