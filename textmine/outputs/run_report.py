"""report.xlsx of `run`: a report, not a dump: the run's summary files, the lexicons and run.json as sheets around the
analysis, and the coded_units and hits sheets only while they fit (``--xlsx-units``)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.coding.lexicon import Lexicon
from textmine.core.constants import XLSX_UNIT_ROWS, XLSX_UNITS
from textmine.core.export import XLSX_MAX_ROWS, Sheet, write_xlsx
from textmine.outputs.rows import DOCUMENT_NUMBERS, HIT_NUMBERS, WARNING_NUMBERS


def unit_sheets(files: dict, unit_numbers: Sequence[str] | None, mode: str, units: int, hits: int) -> tuple[list[Sheet], list[str]]:
    """The coded_units and hits sheets ``mode`` (``XLSX_UNITS``) asks for, and a note on each left out.

    auto: both while together they have at most ``XLSX_UNIT_ROWS`` rows, else neither; all: each that fits in an
    Excel sheet; none: neither."""
    if mode not in XLSX_UNITS:
        raise ValueError(f"xlsx_units must be one of {', '.join(XLSX_UNITS)}")
    sheets = {"coded_units": (units, unit_numbers), "hits": (hits, HIT_NUMBERS)}
    if mode == "all":
        fits = {name: rows < XLSX_MAX_ROWS for name, (rows, _) in sheets.items()}
        why = f"an Excel sheet holds at most {XLSX_MAX_ROWS - 1:,} rows"
    else:
        fits = dict.fromkeys(sheets, mode == "auto" and units + hits <= XLSX_UNIT_ROWS)
        why = ("--xlsx-units none" if mode == "none" else
               f"--xlsx-units auto includes the coded_units and hits sheets while together they have at most "
               f"{XLSX_UNIT_ROWS:,} rows; --xlsx-units all includes them")
    included = [Sheet(name, files[name], numbers) for name, (_, numbers) in sheets.items() if fits[name]]
    left_out = [name for name in sheets if not fits[name]]
    if not left_out:
        return included, []
    counts = " and ".join(f"{name} ({sheets[name][0]:,} rows)" for name in left_out)
    where = " and ".join(Path(files[name]).name for name in left_out)
    more = [Path(files[name]).name for name in files if name.startswith("coded_units_")]  # --format parquet, dta
    also = f" (also {' and '.join(more)})" if more and "coded_units" in left_out else ""
    return included, [f"not in report.xlsx: {counts} ({why}); see {where}{also} beside it"]


def run_sheets(lexicons, files: dict, info: dict, units: Sequence[Sheet] = (), unit_numbers: Sequence[str] = ()
               ) -> tuple[list[Sheet], list[Sheet]]:
    """(sheets before the analysis, sheets after it) of report.xlsx: ``units`` (``unit_sheets``), documents, the
    emphasis and crosstab tables; then failures, warnings, every lexicon term and run.json. ``unit_numbers``: the
    columns of coded_units.csv holding numbers, which type the metadata columns of the emphasis tables."""
    run_sheet = pd.DataFrame(
        [(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (list, dict)) else v) for k, v in info.items()],
        columns=["key", "value"],
    )
    emphasis_numbers = ["n_documents", "n_units", "size", *unit_numbers]
    tables = [Sheet(name, files[name], emphasis_numbers if name.startswith("emphasis_") else None)
              for name in files if name.startswith(("emphasis_", "crosstab_"))]
    before = [*units, Sheet("documents", files["documents"], DOCUMENT_NUMBERS), *tables]
    after = [Sheet("failures", files["failures"], ()), Sheet("warnings", files["warnings"], WARNING_NUMBERS),
             Sheet("lexicon", lexicon_table(lexicons)), Sheet("run", run_sheet)]
    return before, after


def notes_sheet(notes: Sequence[str]) -> list[Sheet]:
    """A first sheet saying what the workbook leaves out, and where to find it (none when nothing is left out)."""
    return [Sheet("notes", pd.DataFrame({"note": list(notes)}))] if notes else []


def write_run_workbook(out: Path, before: Sequence[Sheet], after: Sequence[Sheet], info: dict, analysis=None,
                       figures=()) -> list[str]:
    """report.xlsx of `run`; ``analysis`` and ``figures`` as ``report.write_workbook`` takes them (no analysis: None).
    Returns notes."""
    if analysis is None:
        return write_xlsx(out / "report.xlsx", [*before, *after])
    from textmine.outputs.report import write_workbook  # scipy and matplotlib only when needed

    return write_workbook(out / "report.xlsx", analysis, figures, info, before, after)


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
