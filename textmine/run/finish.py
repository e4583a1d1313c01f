"""What `run` writes after its document loop: the emphasis and crosstab tables, the comparative analysis (its tables,
figures and report.html) and report.xlsx.

The analysis itself is quick; its figures are not, and report.xlsx needs them only for its last sheets. So two
processes (``Background``) start as the document loop ends, import matplotlib while the analysis is computed, and then
draw half of the figures each while this one writes the tables and the workbook's first sheets; report.html is written
once all are drawn: the work after the document loop uses both cores of a small machine.
"""

from __future__ import annotations

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

FIGURE_PROCESSES = 2


def write_outputs(out: Path, lexicons, roles: SchemeRoles, codes: Sequence[CodeInfo], emphasis: EmphasisAccumulator,
                  crosstab: CrosstabAccumulator | None, result, info: dict, settings, grouping: Grouping | None,
                  unit_numbers: Sequence[str] | None) -> None:
    """The tables, the analysis grouped by ``grouping`` (None: no analysis) with report.html, and report.xlsx; the files
    go into ``result.files``, the analysis and notes into ``info`` (run.json)."""
    drawers = []
    if grouping is not None and not grouping.fallback and emphasis.code_columns:
        from textmine.analysis.comparison import write_figures
        from textmine.analysis.plot import warm_up

        # the figures take longest: their processes import matplotlib while the analysis is computed
        drawers = [Background(write_figures, warm_up=warm_up) for _ in range(FIGURE_PROCESSES)]
    try:
        documents = emphasis.documents()
        analysis = None
        if grouping is not None and not documents.empty and emphasis.code_columns:
            from textmine.analysis.comparison import analyse

            analysis = analyse(documents, list(codes), list(grouping.by), roles)
            for k, drawer in enumerate(drawers):
                drawer.give(analysis, out / "figures", (".png", ".svg"), (k, FIGURE_PROCESSES))
        write_emphasis(out, lexicons, roles, emphasis, crosstab, documents, result.files)
        notes: list[str] = []
        before, after = [], []
        if settings.xlsx:
            units, notes = unit_sheets(result.files, unit_numbers, settings.xlsx_units, result.units, result.hits)
            before, after = run_sheets(lexicons, result.files, info, units, unit_numbers or ())
            before = [*notes_sheet(notes), *before]
        if analysis is None:
            if settings.xlsx:
                notes += write_run_workbook(out, before, after, info)
                result.files["report"] = out / "report.xlsx"
        else:
            analysis, written = _report(out, analysis, drawers, settings, before, after, info, result, notes)
            announce(written)
            info["analysis"] = {"by": analysis.by, "warnings": analysis.warnings}
    finally:
        for drawer in drawers:
            drawer.stop()
    if notes:
        info["notes"] = notes


def _report(out: Path, analysis, drawers: list[Background], settings, before, after, info: dict, result,
            notes: list[str]) -> tuple:
    """The analysis's tables, report.xlsx (its figures sheet waits for the ``drawers``) and report.html; returns (the
    analysis with every warning, the files the drawing processes wrote)."""
    from textmine.analysis.comparison import noted, write_tables
    from textmine.outputs.report import provenance, write_html

    result.files.update(write_tables(analysis, out))
    if settings.xlsx:
        notes += write_run_workbook(out, before, after, info, analysis, lambda: _figures(drawers, analysis)[0])
        result.files["report"] = out / "report.xlsx"
    figures, warnings = _figures(drawers, analysis) if drawers else ([], [NO_FIGURES])
    result.files.update({f"figure_{f.name}": path for f in figures if (path := f.png or f.svg) is not None})
    analysis = noted(analysis, [*(w["reason"] for w in result.coverage_warnings), *warnings])
    result.files["report_html"] = write_html(out / "report.html", analysis, figures, provenance(analysis, run_info=info))
    return analysis, [path for f in figures for path in (f.png, f.svg) if path is not None]


def _figures(drawers: list[Background], analysis) -> tuple[list, list[str]]:
    """The figures of every drawing process, in the order of the figure plan, and their warnings."""
    from textmine.analysis.comparison import figure_plan

    order = {name: number for number, (name, _, _) in enumerate(figure_plan(analysis))}
    parts = [drawer.result() for drawer in drawers]
    figures = sorted((f for files, _ in parts for f in files), key=lambda f: order[f.name])
    return figures, list(dict.fromkeys(w for _, warnings in parts for w in warnings))


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
