"""What `run` writes after its document loop: the emphasis and crosstab tables, the comparative analysis (its tables,
figures and report.html) and report.xlsx.

The analysis and the workbook need nothing of each other until the workbook reaches its analysis sheets, so the
analysis with its figures and report.html runs in a second process (``Background``) while this one writes the
workbook's first sheets: each takes one core of a small machine.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.analysis.aggregate import CrosstabAccumulator, EmphasisAccumulator, emphasis_table
from textmine.analysis.coded import CodeInfo
from textmine.analysis.grouping import Grouping
from textmine.coding.lexicon import SchemeRoles
from textmine.core.export import announce, write_csv
from textmine.outputs.run_report import notes_sheet, run_sheets, unit_sheets, write_run_workbook
from textmine.run.background import Background

NO_FIGURES = ("no figures: each group is one document (the data has no grouping column); give --by a metadata column "
              "to draw the comparison of groups")


@dataclass
class Analysed:
    """What the analysis process gives back: the analysis (with its warnings), its figures, the files it wrote."""

    analysis: object
    figures: list
    files: dict[str, Path]
    written: list[Path]  # every file, figures in both formats


def write_outputs(out: Path, lexicons, roles: SchemeRoles, codes: Sequence[CodeInfo], emphasis: EmphasisAccumulator,
                  crosstab: CrosstabAccumulator | None, result, info: dict, settings, grouping: Grouping | None,
                  unit_numbers: Sequence[str] | None) -> None:
    """The tables, the analysis grouped by ``grouping`` (None: no analysis) with report.html, and report.xlsx; the files
    go into ``result.files``, the analysis and notes into ``info`` (run.json)."""
    documents = emphasis.documents()
    write_emphasis(out, lexicons, roles, emphasis, crosstab, documents, result.files)
    notes: list[str] = []
    before, after = [], []
    if settings.xlsx:
        units, notes = unit_sheets(result.files, unit_numbers, settings.xlsx_units, result.units, result.hits)
        before, after = run_sheets(lexicons, result.files, info, units)
        before = [*notes_sheet(notes), *before]
    if grouping is None or documents.empty or not emphasis.code_columns:
        if settings.xlsx:
            notes += write_run_workbook(out, before, after, info)
            result.files["report"] = out / "report.xlsx"
    else:
        warnings = [w["reason"] for w in result.coverage_warnings]
        task = (documents, list(codes), list(grouping.by), roles, out, info, warnings, not grouping.fallback)
        if settings.xlsx:
            with Background(analyse_and_draw, *task) as job:
                notes += write_run_workbook(out, before, after, info, analysis=lambda: _for_workbook(job.result()))
                done = job.result()
            result.files["report"] = out / "report.xlsx"
        else:
            done = analyse_and_draw(*task)
        announce(done.written)
        result.files.update(done.files)
        info["analysis"] = {"by": done.analysis.by, "warnings": done.analysis.warnings}
    if notes:
        info["notes"] = notes


def _for_workbook(done: Analysed) -> tuple:
    return done.analysis, done.figures


def write_emphasis(out: Path, lexicons, roles: SchemeRoles, emphasis: EmphasisAccumulator, crosstab, documents: pd.DataFrame,
                   files: dict) -> None:
    """emphasis_<scheme>.csv and the units crosstab of the framework schemes."""
    for lexicon in lexicons:
        table = emphasis_table(documents, lexicon.columns, by=["doc_id", *emphasis.carry])
        path = out / f"emphasis_{lexicon.scheme}.csv"
        write_csv(table, path)
        files[f"emphasis_{lexicon.scheme}"] = path
    if crosstab is not None and roles.framework is not None:
        name = "crosstab_{}_{}_units".format(*roles.framework)  # units, unlike the framework table's unit-code pairs
        path = out / f"{name}.csv"
        write_csv(crosstab.table(row_name=roles.framework[0]), path)
        files[name] = path


def analyse_and_draw(documents: pd.DataFrame, codes: list[CodeInfo], by: list[str], roles: SchemeRoles, out: Path,
                     info: dict, warnings: list[str], draw: bool) -> Analysed:
    """The comparative analysis: its tables, figures (unless ``draw`` is false) and report.html."""
    from textmine.analysis.comparison import analyse, noted, write_figures, write_tables  # scipy and matplotlib only here
    from textmine.outputs.report import provenance, write_html

    analysis = analyse(documents, codes, by, roles)
    files = write_tables(analysis, out)
    figures, drawn = write_figures(analysis, out / "figures") if draw else ([], [NO_FIGURES])
    files.update({f"figure_{f.name}": path for f in figures if (path := f.png or f.svg) is not None})
    analysis = noted(analysis, [*warnings, *drawn])
    files["report_html"] = write_html(out / "report.html", analysis, figures, provenance(analysis, run_info=info))
    written = [*files.values(), *(f.svg for f in figures if f.png and f.svg)]
    return Analysed(analysis, [replace(f, svg_text="") for f in figures], files, written)
