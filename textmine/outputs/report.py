"""report.xlsx and report.html: every table of an analysis, its figures, and where the data came from.

report.xlsx streams its sheets (constant memory): the tables, the two-dimensional
framework as printed in papers, native Excel charts (a radar chart per group
and 100% stacked instrument-type bars) over share tables coloured as heatmaps,
and the figures as images. report.html is one self-contained page (inline CSS
and SVG, no scripts, nothing fetched) that opens offline in any browser.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from pathlib import Path
from typing import Callable, Iterable, Sequence

import numpy as np
import pandas as pd

from textmine import __version__
from textmine.analysis import aggregate
from textmine.inputs.corpus import file_sha256
from textmine.analysis.comparison import Analysis, FigureFile, table_files
from textmine.core.export import atomic_path, open_workbook, write_sheet

MAX_CHART_GROUPS = 10  # series in one Excel chart; every group stays in the tables
RESIDUAL_COLOURS = {"over": "#f4b6b0", "under": "#b7d3ee"}


def provenance(analysis: Analysis, coded_path=None, run_info: dict | None = None) -> dict:
    """What a reader needs to trace the report: textmine version, time, grouping, the coded file and the run."""
    info: dict[str, object] = {"textmine_version": __version__, "generated": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds"),
            "grouped_by": " × ".join(analysis.by)}
    if coded_path is not None:
        info["coded_file"] = str(coded_path)
        info["coded_file_sha256"] = file_sha256(coded_path)
    if run_info:
        info["run"] = run_info
    return info


def write_report(analysis: Analysis, out, figures: Sequence[FigureFile], info: dict, before: Iterable = (),
                 after: Iterable = (), xlsx: bool = True) -> tuple[dict[str, Path], list[str]]:
    """Write report.xlsx (unless ``xlsx`` is false) and report.html into ``out``; returns (name -> path, notes).

    ``before`` and ``after`` are extra (sheet name, DataFrame or CSV path) placed around the analysis sheets.
    """
    out = Path(out)
    files, notes = {}, []
    if xlsx:
        notes = write_workbook(out / "report.xlsx", analysis, figures, info, before, after)
        files["report"] = out / "report.xlsx"
    files["report_html"] = write_html(out / "report.html", analysis, figures, info)
    return files, notes


def write_html(path, analysis: Analysis, figures: Sequence[FigureFile], info: dict) -> Path:
    with atomic_path(path) as tmp:
        tmp.write_text(report_html(analysis, figures, info), encoding="utf-8")
    return Path(path)


# report.xlsx ------------------------------------------------------------------------------------


def sheet_tables(analysis: Analysis) -> list[tuple[str, pd.DataFrame]]:
    """(sheet name, table) of the analysis, names short enough for Excel (31 characters)."""
    sheets = [("groups", groups_table(analysis))]
    for name, frame in table_files(analysis).items():
        kind, rest = name.split("_", 1)
        if kind == "framework":
            sheets.append(("framework_by_group" if rest.endswith(analysis.suffix) else "framework_long", frame))
        else:
            sheets.append((f"{kind}_{rest.replace('_' + analysis.suffix, '')}"[:31], frame))
    return sheets


def groups_table(analysis: Analysis) -> pd.DataFrame:
    """Per group: documents, units, units coded in each scheme, size, and what to know (one document, empty …)."""
    table = analysis.sums[["n_documents", "n_units"]].astype(int)
    for scheme in analysis.schemes:
        table[f"n_coded_{scheme}"] = analysis.sums[f"{scheme}#any"].astype(int)
    table["size"], table["size_unit"] = analysis.sums["size"], analysis.sums["size_unit"]
    table["note"] = [aggregate.group_note(row) for _, row in analysis.sums.iterrows()]
    return table.reset_index()


def write_workbook(path, analysis: Analysis, figures: Sequence[FigureFile] | Callable[[], Sequence[FigureFile]], info: dict,
                   before=(), after=()) -> list[str]:
    """report.xlsx: the sheets ``before``, the analysis, its charts and figures, the sheets ``after``; returns notes.

    ``figures`` may be a function returning them, called when the figures sheet is written, so that they can be drawn
    meanwhile in other processes. ``before`` and ``after`` are ``Sheet``s (or (name, source))."""
    notes = []
    with atomic_path(path) as tmp:
        workbook = open_workbook(tmp)
        for sheet in before:
            notes += write_sheet(workbook, *sheet).notes
        for name, frame in sheet_tables(analysis):
            written = write_sheet(workbook, name, frame)
            if name.startswith("residuals_"):
                _colour_residuals(written)
        if analysis.framework is not None:
            _framework_sheet(workbook, analysis)
        _charts_sheet(workbook, analysis)
        _figures_sheet(workbook, figures() if callable(figures) else figures)
        for sheet in after:
            notes += write_sheet(workbook, *sheet).notes
        if not any(sheet[0] == "run" for sheet in after):
            write_sheet(workbook, "provenance", _provenance_rows(info))
        workbook.close()
    return notes


def _provenance_rows(info: dict) -> pd.DataFrame:
    rows = [(k, json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v) for k, v in info.items()]
    return pd.DataFrame(rows, columns=["key", "value"])


def _colour_residuals(written) -> None:
    column = written.columns.index("adjusted_residual")
    written.sheet.conditional_format(1, column, max(written.rows, 1), column, {
        "type": "3_color_scale", "min_type": "num", "min_value": -3, "mid_type": "num", "mid_value": 0,
        "max_type": "num", "max_value": 3, "min_color": "#5B9BD5", "mid_color": "#FFFFFF", "max_color": "#F8696B"})


def _framework_sheet(workbook, analysis: Analysis) -> None:
    """The framework table as papers print it: counts, then row and column percentages, in blocks."""
    sheet = workbook.add_worksheet("framework")
    bold = workbook.add_format({"bold": True})
    header = workbook.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": True})
    percent = workbook.add_format({"num_format": "0.0"})
    rows_scheme, cols_scheme = analysis.framework_schemes or ("", "")
    cols = analysis.schemes[cols_scheme]
    titles = {"count": "Units carrying both codes (unit-code pairs)", "row_pct": "Row percentages (% of the row total)",
              "col_pct": "Column percentages (% of the column total)"}
    line = 0
    assert analysis.framework is not None
    for measure, block in analysis.framework.groupby("measure", sort=False):
        sheet.write(line, 0, titles[str(measure)], bold)
        labels = ["type 类型", "code 代码", "名称", "name", *[f"{c.code} {c.name('zh')}".strip() for c in cols], "total 合计"]
        sheet.write_row(line + 1, 0, labels + (["units"] if measure == "count" else []), header)
        for offset, row in enumerate(block.itertuples(index=False), start=2):
            values = list(row)[2:]  # without measure, level
            cells = values[: 4 + len(cols) + 1] + ([values[-1]] if measure == "count" else [])
            for col, value in enumerate(cells):
                if value is None or (isinstance(value, float) and np.isnan(value)):
                    continue
                fmt = percent if measure != "count" and 4 <= col < 4 + len(cols) + 1 else None
                sheet.write(line + offset, col, value, fmt) if fmt else sheet.write(line + offset, col, value)
        line += len(block) + 3
    sheet.set_column(0, 1, 16)
    sheet.set_column(2, 3, 22)
    sheet.set_column(4, 4 + len(cols) + 1, 11)


def _charts_sheet(workbook, analysis: Analysis) -> None:
    """Share tables (coloured as heatmaps) with a native radar chart and 100% stacked type bars."""
    sheet = workbook.add_worksheet("charts")
    formats = workbook.add_format({"bold": True}), workbook.add_format({"num_format": "0%"})
    labels = [_group_label(key) for key in analysis.sums.index]
    line = 0
    for scheme, infos in analysis.schemes.items():
        values = aggregate.group_matrix(analysis.sums, [i.column for i in infos], "share")[[i.column for i in infos]]
        values.columns = [i.code for i in infos]
        top, bottom = _share_block(sheet, line, f"{scheme}: share of units carrying each code", values, labels, formats)
        sheet.conditional_format(top + 1, 1, bottom, len(infos), {"type": "2_color_scale", "min_color": "#FFFFFF", "max_color": "#2E75B6"})
        if scheme == analysis.roles.radar:
            sheet.insert_chart(line, len(infos) + 3, _radar_chart(workbook, scheme, top, bottom, len(infos)))
            bottom = max(bottom, line + 20)
        line = bottom + 3
    shares = _type_shares(analysis)
    if shares is not None:
        rows_scheme = analysis.roles.rows
        top, bottom = _share_block(sheet, line, f"{rows_scheme} types: share of type assignments", shares, labels, formats)
        sheet.insert_chart(line, shares.shape[1] + 3, _bars_chart(workbook, f"{rows_scheme}", top, bottom, shares.shape[1]))
    sheet.set_column(0, 0, 18)


def _share_block(sheet, line: int, title: str, values: pd.DataFrame, labels: Sequence[str], formats) -> tuple[int, int]:
    """A title, a header and one row per group (the totals row last); returns (header row, last row)."""
    bold, share = formats
    sheet.write(line, 0, title, bold)
    sheet.write_row(line + 1, 0, ["group", *map(str, values.columns)], bold)
    for offset, (label, row) in enumerate(zip(labels, values.itertuples(index=False)), start=2):
        sheet.write(line + offset, 0, label)
        for col, value in enumerate(row, start=1):
            if value is not None and np.isfinite(value):
                sheet.write_number(line + offset, col, float(value), share)
    return line + 1, line + 1 + len(values)


def _radar_chart(workbook, scheme: str, top: int, bottom: int, n_codes: int):
    chart = workbook.add_chart({"type": "radar"})
    for row in range(top + 1, min(bottom, top + MAX_CHART_GROUPS) + 1):
        chart.add_series({"name": ["charts", row, 0], "categories": ["charts", top, 1, top, n_codes],
                          "values": ["charts", row, 1, row, n_codes], "marker": {"type": "circle", "size": 4}})
    chart.set_title({"name": f"{scheme}: share of units per group"})
    chart.set_size({"width": 620, "height": 420})
    return chart


def _bars_chart(workbook, scheme: str, top: int, bottom: int, n_types: int):
    chart = workbook.add_chart({"type": "bar", "subtype": "percent_stacked"})
    for col in range(1, n_types + 1):
        chart.add_series({"name": ["charts", top, col], "categories": ["charts", top + 1, 0, bottom, 0],
                          "values": ["charts", top + 1, col, bottom, col]})
    chart.set_title({"name": f"{scheme} types per group"})
    chart.set_y_axis({"reverse": True})
    chart.set_size({"width": 620, "height": 80 + 26 * (bottom - top)})
    return chart


def _type_shares(analysis: Analysis) -> pd.DataFrame | None:
    """Per group (and all), the share of each type of the rows scheme (instrument) among the type assignments."""
    scheme = analysis.roles.rows
    types = list(dict.fromkeys(i.group for i in analysis.schemes.get(scheme or "", []) if "." in i.code))
    if not types or scheme is None:
        return None
    counts = analysis.sums[[f"{aggregate.type_key(scheme, t)}#any" for t in types]].astype(float)
    shares = counts.div(counts.sum(axis=1).where(lambda total: total > 0), axis=0)
    shares.columns = types
    return shares.reset_index(drop=True)


def _figures_sheet(workbook, figures: Sequence[FigureFile]) -> None:
    if not any(f.png for f in figures):
        return
    sheet = workbook.add_worksheet("figures")
    line = 0
    for figure in figures:
        if figure.png is None:
            continue
        sheet.write(line, 0, figure.title)
        sheet.insert_image(line + 1, 0, str(figure.png), {"x_scale": 0.6, "y_scale": 0.6, "object_position": 3})
        line += _image_rows(figure.png) + 3


def _image_rows(path: Path, scale: float = 0.6) -> int:
    from PIL import Image

    with Image.open(path) as image:
        return int(image.height * scale / 20) + 1


# report.html ------------------------------------------------------------------------------------

CSS = """
body{font-family:"Noto Sans CJK SC","Source Han Sans SC","Microsoft YaHei","PingFang SC","WenQuanYi Zen Hei",
"Helvetica Neue",Arial,sans-serif;margin:2rem auto;max-width:1200px;color:#222;line-height:1.45;padding:0 1rem}
h1{font-size:1.6rem}h2{margin-top:2.2rem;border-bottom:2px solid #2E75B6;padding-bottom:.2rem}
table{border-collapse:collapse;margin:.6rem 0 1rem;font-size:.85rem}
th,td{border:1px solid #ccc;padding:.25rem .45rem;text-align:right;vertical-align:top}
th{background:#DDEBF7}td.l,th.l{text-align:left}tr.total td{font-weight:bold;border-top:2px solid #777}
tr.type td{background:#f3f7fb;font-weight:bold}small{color:#666}.note{color:#8a5a00}
td.over{background:#f4b6b0}td.under{background:#b7d3ee}figure{margin:1rem 0}figure svg{max-width:100%;height:auto}
.warn{background:#fff4e0;border-left:4px solid #f0a020;padding:.5rem .8rem}dl.prov dt{font-weight:bold}
dl.prov dd{margin:0 0 .4rem 1rem;font-family:monospace;font-size:.8rem;word-break:break-all}
div.scroll{overflow-x:auto;max-width:100%}h1,h2,h3,p,li{overflow-wrap:anywhere}
"""


def report_html(analysis: Analysis, figures: Sequence[FigureFile], info: dict) -> str:
    by = " × ".join(analysis.by)
    parts = [f"<h1>textmine report: 政策文本比较 / comparison by {_e(by)}</h1>", _summary_html(analysis)]
    figure_by_kind = {f"{f.kind}:{f.scheme}": f for f in figures}
    schemes = sorted(analysis.schemes.items(), key=lambda item: item[0] != analysis.roles.radar)  # the radar scheme (pentagon) first
    for scheme, infos in schemes:
        parts.append(f"<h2>{_e(scheme)} — emphasis by {_e(by)}</h2>")
        parts.append(_figure_html(figure_by_kind.get(f"heatmap:{scheme}")))
        parts.append(_matrix_html(analysis, scheme, infos))
        parts.append(_tests_html(analysis, scheme, infos))
        parts.append(_figure_html(figure_by_kind.get(f"radar:{scheme}")))
    if analysis.framework is not None:
        parts.append(_framework_html(analysis))
    parts.append(_figure_html(figure_by_kind.get(f"bars:{analysis.roles.rows}")))
    parts.append(METHOD_HTML)
    parts.append(_provenance_html(info))
    body = "\n".join(p for p in parts if p)
    body = body.replace("<table>", '<div class="scroll"><table>').replace("</table>", "</table></div>")  # a wide table scrolls, not the page
    return (f'<!DOCTYPE html>\n<html lang="zh-Hans"><head><meta charset="utf-8"><title>textmine report: {_e(by)}</title>'
            f"<style>{CSS}</style></head>\n<body>\n{body}\n</body></html>\n")


def _e(value) -> str:
    return html.escape(str(value))


def _group_label(key) -> str:
    return " / ".join(map(str, key)) if isinstance(key, tuple) else str(key)


def _num(value, digits: int = 0) -> str:
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return ""
    return f"{value:,.{digits}f}"


def _summary_html(analysis: Analysis) -> str:
    rows = []
    for key, row in analysis.sums.iterrows():
        css = ' class="total"' if key == aggregate.TOTAL or (isinstance(key, tuple) and aggregate.TOTAL in key) else ""
        coded = "".join(f"<td>{_num(row[f'{s}#any'])}</td>" for s in analysis.schemes)
        note = aggregate.group_note(row)
        rows.append(f"<tr{css}><td class=l>{_e(_group_label(key))}</td><td>{_num(row['n_documents'])}</td>"
                    f"<td>{_num(row['n_units'])}</td>{coded}<td>{_num(row['size'])}</td><td class=l>{_e(row['size_unit'])}</td>"
                    f"<td class='l note'>{_e(note)}</td></tr>")
    head = "".join(f"<th>units coded ({_e(s)})</th>" for s in analysis.schemes)
    warnings = "".join(f"<li>{_e(w)}</li>" for w in analysis.warnings)
    return (f"<h2>Groups 分组</h2><table><tr><th class=l>{_e(' × '.join(analysis.by))}</th><th>documents</th><th>units</th>{head}"
            f"<th>size</th><th class=l>size unit</th><th class=l>note</th></tr>{''.join(rows)}</table>"
            + (f"<div class=warn><b>Read with care</b><ul>{warnings}</ul></div>" if warnings else ""))


def _figure_html(figure: FigureFile | None) -> str:
    if figure is None:
        return ""
    return f'<figure class="chart" data-name="{_e(figure.name)}">{figure.svg_text}<figcaption>{_e(figure.title)}</figcaption></figure>'


def _matrix_html(analysis: Analysis, scheme: str, infos) -> str:
    columns = [i.column for i in infos]
    shares = aggregate.group_matrix(analysis.sums, columns, "share")
    counts = aggregate.group_matrix(analysis.sums, columns, "count")
    per10k = aggregate.group_matrix(analysis.sums, columns, "per10k")
    head = "".join(f"<th>{_e(i.code)}<br><small>{_e(i.name('zh'))}</small></th>" for i in infos)
    rows = []
    for (key, _), (_, s), (_, c), (_, p) in zip(analysis.sums.iterrows(), shares.iterrows(), counts.iterrows(), per10k.iterrows()):
        css = ' class="total"' if _group_label(key).startswith(aggregate.TOTAL) else ""
        cells = "".join(f"<td>{_pct(s[col])}<br><small>{_num(c[col])} · {_num(p[col], 1)}</small></td>" for col in columns)
        rows.append(f"<tr{css}><td class=l>{_e(_group_label(key))}</td><td>{_num(c['n_units'])}</td>{cells}</tr>")
    return (f"<h3>Group matrix: share of units carrying each code <small>(below: units · hits per 10,000 characters/words)</small></h3>"
            f"<table><tr><th class=l>group</th><th>units</th>{head}</tr>{''.join(rows)}</table>")


def _pct(value) -> str:
    return "" if value is None or (isinstance(value, float) and np.isnan(value)) else f"{value:.1%}"


def _tests_html(analysis: Analysis, scheme: str, infos) -> str:
    test = analysis.tests[scheme]
    if test.table is None:
        return f"<p class=note>No chi-square test: {_e('; '.join(test.notes))}</p>"
    t = test.table
    summary = (f"<p><b>Chi-square test, groups × codes</b> (units carrying each code): χ² = {t.statistic:.2f}, df = {t.dof}, "
               f"p = {_p(t.p_value)} ({_e(t.method)}), Cramér's V = {t.cramers_v:.3f}, n = {t.n:,} unit-code assignments.</p>")
    if t.warning:
        summary += f"<p class=warn>{_e(t.warning)}</p>"
    return summary + _residuals_html(analysis, test, infos) + _per_code_html(test, infos)


def _p(value: float) -> str:
    if value is None or not np.isfinite(value):
        return "n/a"
    return "< .001" if value < 0.001 else f"{value:.3f}"


def _residuals_html(analysis: Analysis, test, infos) -> str:
    cells = test.cells.set_index([*analysis.by, "code"])
    head = "".join(f"<th>{_e(i.code)}</th>" for i in infos)
    rows = []
    for key in analysis.groups.index:
        prefix = key if isinstance(key, tuple) else (key,)
        tds = []
        for info in infos:
            index = (*prefix, info.column)
            if index not in cells.index:
                tds.append("<td></td>")
                continue
            cell = cells.loc[index]
            css = f' class="{cell["direction"]}"' if cell["direction"] else ""
            sign = {"over": "+", "under": "−"}.get(cell["direction"], "")
            tds.append(f"<td{css}>{cell['adjusted_residual']:+.2f}{sign}{_e(cell['stars'])}<br><small>{cell['observed']} / {cell['expected']:.1f}</small></td>")
        rows.append(f"<tr><td class=l>{_e(_group_label(key))}</td>{''.join(tds)}</tr>")
    return ("<h3>Adjusted standardized residuals <small>(below: observed / expected units)</small></h3>"
            f"<table><tr><th class=l>group</th>{head}</tr>{''.join(rows)}</table>")


def _per_code_html(test, infos) -> str:
    names = {i.column: i for i in infos}
    rows = "".join(
        f"<tr><td class=l>{_e(names[r.test].code if r.test in names else r.test)}</td><td>{r.statistic:.2f}</td><td>{r.dof}</td>"
        f"<td>{_p(r.p_value)}</td><td>{_p(r.p_adjusted)}</td><td>{r.cramers_v:.3f}</td><td class=l>{_e(r.method)}</td></tr>"
        for r in test.per_code
    )
    return ("<h3>Per code: does the share of units carrying it differ between groups?</h3>"
            "<table><tr><th class=l>code</th><th>χ²</th><th>df</th><th>p</th><th>p (FDR)</th><th>Cramér's V</th>"
            f"<th class=l>method</th></tr>{rows}</table>")


def _framework_html(analysis: Analysis) -> str:
    rows_scheme, cols_scheme = analysis.framework_schemes or ("", "")
    cols = analysis.schemes[cols_scheme]
    table = analysis.framework
    assert table is not None
    blocks = {m: table[table["measure"] == m].reset_index(drop=True) for m in aggregate.FRAMEWORK_MEASURES}
    head = "".join(f"<th>{_e(c.code)}<br><small>{_e(c.name('zh'))}</small></th>" for c in cols)
    rows = []
    for i, row in blocks["count"].iterrows():
        css = {"type": ' class="type"', "total": ' class="total"'}.get(row["row_kind"], "")
        label = f"{_e(row[rows_scheme])}<br><small>{_e(row['name_zh'])} {_e(row['name_en'])}</small>"
        cells = "".join(
            f"<td>{_num(row[c.column])}<br><small>{_num(blocks['row_pct'].at[i, c.column], 1)}% · {_num(blocks['col_pct'].at[i, c.column], 1)}%</small></td>"
            for c in cols
        )
        total = f"<td>{_num(row['total'])}<br><small>{_num(blocks['col_pct'].at[i, 'total'], 1)}%</small></td>"
        rows.append(f"<tr{css}><td class=l>{_e(row[f'{rows_scheme}_type'])}</td><td class=l>{label}</td>{cells}{total}<td>{_num(row['units'])}</td></tr>")
    return (f"<h2>Two-dimensional framework: {_e(rows_scheme)} × {_e(cols_scheme)} 二维分析框架</h2>"
            "<p>Cells: units carrying both codes; below, row % · column %. Type rows are subtotals of their sub-instruments; "
            "the total column shows each row's share of all pairs; <i>units</i> counts units carrying the row's code.</p>"
            f"<table><tr><th class=l>type</th><th class=l>{_e(rows_scheme)}</th>{head}<th>total 合计</th><th>units</th></tr>{''.join(rows)}</table>")


METHOD_HTML = """<h2>How to read the tests</h2>
<p><b>Adjusted standardized residuals</b> compare each cell's units with what independence of group and code would give
(Haberman's residual; approximately standard normal). |r| &gt; 1.96 means p &lt; .05 for that cell alone (marked + when
the group has more units with the code than expected, − when fewer; ** p &lt; .01, *** p &lt; .001). With many cells some will
pass 1.96 by chance: the residuals CSV flags the cells that stay significant after a Bonferroni correction for the number
of cells, and per-code p-values are also given adjusted for the number of codes (Benjamini–Hochberg).</p>
<p>The groups × codes test counts unit-code assignments: a unit carrying two codes counts twice, so its observations are
not fully independent. The per-code tests (carrying vs. not carrying, every unit once) are exact in that respect.
When expected counts are small (any below 1, or more than 20% below 5), p-values come from Fisher's exact test (2 × 2)
or a Monte Carlo test on random tables with the same margins.</p>"""


def _provenance_html(info: dict) -> str:
    items = []
    for key, value in info.items():
        if key == "run" and isinstance(value, dict):
            for k in ("started", "inputs", "options", "lexicons", "documents", "units", "hits", "failures"):
                if k in value:
                    items.append((f"run.{k}", value[k]))
        else:
            items.append((key, value))
    body = "".join(f"<dt>{_e(k)}</dt><dd>{_e(json.dumps(v, ensure_ascii=False) if isinstance(v, (dict, list)) else v)}</dd>" for k, v in items)
    return f"<h2>Provenance 数据来源</h2><dl class=prov>{body}</dl>"


def report_from_file(path, by: Sequence[str], out, schemes: Sequence[str] = (), lexicons=(), xlsx: bool = True,
                     fmt: str = "csv") -> tuple[dict[str, Path], list[str]]:
    """Analyse a coded table grouped by ``by`` and write its tables, figures, report.xlsx and report.html into ``out``."""
    from textmine.analysis.comparison import analyse_file, noted, write_figures, write_tables

    analysis, table = analyse_file(path, by, schemes, lexicons)
    out = Path(out)
    files = write_tables(analysis, out, fmt)
    figures, warnings = write_figures(analysis, out / "figures")
    analysis = noted(analysis, warnings)
    written, notes = write_report(analysis, out, figures, provenance(analysis, table.path, table.provenance), xlsx=xlsx)
    return {**files, **written}, [analysis.grouping, *analysis.warnings, *notes]
