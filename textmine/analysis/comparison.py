"""One comparative analysis of a coded corpus: every table, test and figure for one grouping.

``analyse`` turns per-document sums (``EmphasisAccumulator.documents()``, from
`run`'s streaming pass or from reading a coded table in chunks) into group
matrices per scheme, the two-dimensional framework table (overall and per
group) and chi-square tests; ``write_tables`` and ``write_figures`` put them
in files; ``report.write_report`` gathers everything into report.xlsx and
report.html.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Sequence

import pandas as pd

from textmine.analysis import aggregate, plot
from textmine.analysis.grouping import DOCUMENTS, choose_grouping
from textmine.coding.lexicon import SchemeRoles
from textmine.core.constants import FIGURE_KINDS
from textmine.analysis.coded import CodeInfo, CodedTable, by_scheme, open_coded
from textmine.inputs.tables import iter_chunks
from textmine.core.export import write_table
from textmine.analysis.stats import ChiSquare, chi_square
from textmine.core.names import file_part

MAX_FIGURE_GROUPS = 20  # the largest groups are drawn; every group stays in the tables
MAX_RADAR_GROUPS = 9
NO_MONTE_CARLO = "no Monte Carlo test: the groups are single documents"
WHY_NO_MONTE_CARLO = ("each group is one document, so a test could only say that documents differ, which they do; a Monte Carlo "
                      "p-value over so many small groups would take long and tell nothing. To compare groups of documents, "
                      "give --by a metadata column")


@dataclass
class Analysis:
    by: list[str]
    codes: list[CodeInfo]
    sums: pd.DataFrame  # aggregate.group_sums: one row per group, the totals row last
    matrices: dict[str, pd.DataFrame] = field(default_factory=dict)  # scheme -> group matrix, every measure
    framework: pd.DataFrame | None = None  # all units
    framework_by: pd.DataFrame | None = None  # per group
    tests: dict[str, ChiSquare] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)
    roles: SchemeRoles = SchemeRoles()  # which schemes make the framework table, the radar and the type bars
    grouping: str = ""  # which rule chose ``by`` (textmine.analysis.grouping), as printed by the commands

    @property
    def schemes(self) -> dict[str, list[CodeInfo]]:
        return by_scheme(self.codes)

    @property
    def framework_schemes(self) -> tuple[str, str] | None:
        """(rows scheme, columns scheme) of the framework table, when both are in the analysis."""
        framework = self.roles.framework
        return framework if framework and all(s in self.schemes for s in framework) else None

    @property
    def groups(self) -> pd.DataFrame:
        """The group rows of ``sums`` (without the totals row)."""
        return self.sums.iloc[:-1]

    @property
    def suffix(self) -> str:
        """``by_<column>[_<column>…]``, as in file names (made safe there: no folder, no ``..``)."""
        return "by_" + "_".join(map(file_part, self.by))


def analyse(documents: pd.DataFrame, codes: Sequence[CodeInfo], by: Sequence[str], roles: SchemeRoles = SchemeRoles(),
            tests: bool = True) -> Analysis:
    """Group matrices, framework tables (schemes of ``roles``) and (unless ``tests`` is false) tests for ``documents``
    grouped by ``by``."""
    by = list(by)
    sums = aggregate.group_sums(documents, by)
    analysis = Analysis(by, list(codes), sums, warnings=aggregate.group_warnings(sums, by), roles=roles)
    for scheme, infos in analysis.schemes.items():
        columns = [i.column for i in infos]
        analysis.matrices[scheme] = aggregate.group_matrix(sums, columns, aggregate.ALL_MEASURES, coded_any=scheme)
        if not tests:
            continue
        carrying = analysis.groups[[f"{c}#units" for c in columns]].set_axis(columns, axis=1)
        carrying.index = carrying.index.set_names(by)
        single = list(by) == [DOCUMENTS]
        test = analysis.tests[scheme] = chi_square(carrying, analysis.groups["n_units"], no_monte_carlo=NO_MONTE_CARLO if single else "")
        analysis.warnings += [f"chi-square {scheme}: {note}" for note in test.notes]
        if test.table is not None and test.table.warning:
            analysis.warnings.append(f"chi-square {scheme}: {test.table.warning}")
        if any(t.method == "none" for t in [test.table, *test.per_code] if t is not None) and single:
            analysis.warnings.append(f"chi-square {scheme}: tests with small expected counts have no p-value: {WHY_NO_MONTE_CARLO}")
    rows, cols = (analysis.schemes.get(s, []) for s in (analysis.framework_schemes or ("", "")))
    if rows and cols and any("&" in c for c in sums.columns):
        analysis.framework = aggregate.framework_table(sums.iloc[-1], rows, cols)
        analysis.framework_by = aggregate.framework_by_group(analysis.groups, rows, cols)
    return analysis


def analyse_file(path, by: Sequence[str] = (), schemes: Sequence[str] = (), lexicons=(),
                 chunksize: int = 20_000, tests: bool = True) -> tuple[Analysis, CodedTable]:
    """Read a coded table in chunks (bounded memory) and analyse it grouped by ``by`` (default: textmine.analysis.grouping).

    A table without doc_id (a table coded by `tag`) counts every row as a document; one
    without text has no sizes (no per10k).
    """
    table = open_coded(path, schemes, lexicons)
    grouping = choose_grouping(by, table.columns)
    by = list(grouping.by)
    table.require([c for c in by if c != "doc_id" or "doc_id" in table.columns])
    keys = list(dict.fromkeys(["doc_id", *by]))
    accumulator = aggregate.accumulator_for(table.codes, keys=keys, pairs=table.roles.framework)
    columns = [c for c in dict.fromkeys(["text", "lang", *keys, *[i.column for i in table.codes]]) if c in table.columns]
    rows = 0
    for chunk in iter_chunks(table.path, columns, chunksize, numeric=[i.column for i in table.codes]):
        if "doc_id" not in chunk:
            chunk["doc_id"] = [f"row {n}" for n in range(rows + 1, rows + len(chunk) + 1)]
        if "text" not in chunk:
            chunk["text"] = ""
        accumulator.add(chunk)
        rows += len(chunk)
    analysis = analyse(accumulator.documents(), table.codes, by, table.roles, tests)
    analysis.grouping = grouping.describe()
    for column, what in (("doc_id", "every row counts as a document"), ("text", "sizes and per10k are empty")):
        if column not in table.columns:
            analysis.warnings.insert(0, f"{path}: no {column} column: {what}")
    return analysis, table


def matrix_from_file(path, by: Sequence[str] = (), schemes: Sequence[str] = (), normalize: str = "count",
                     framework: bool = False, lexicons=()) -> tuple[pd.DataFrame, list[str]]:
    """(table, notes): the group x code matrix of a coded table, or with ``framework`` its two-dimensional table.

    The first note says which grouping was used (unless it is the framework of the whole corpus)."""
    if normalize not in (*aggregate.NORMALIZATIONS, aggregate.ALL_MEASURES):
        raise ValueError(f"normalize must be one of {', '.join(aggregate.NORMALIZATIONS)} or all")
    analysis, _ = analyse_file(path, by, () if framework else schemes, lexicons, tests=False)
    if framework:
        if analysis.framework is None:
            from textmine.core.errors import InputError

            needs = " and ".join(analysis.roles.framework or ()) or "a scheme with the role rows and one with columns (lexicon 'roles:')"
            raise InputError(f"{path}: the framework table needs the code columns of both {needs}")
        if not by:
            return analysis.framework, analysis.warnings
        assert analysis.framework_by is not None  # framework and framework_by are made together
        return analysis.framework_by, [analysis.grouping, *analysis.warnings]
    columns = {scheme: [i.column for i in infos] for scheme, infos in analysis.schemes.items()}
    return aggregate.combined_matrix(analysis.sums, columns, normalize), [analysis.grouping, *analysis.warnings]


def figure_from_file(path, kind: str, by: Sequence[str] = (), scheme: str | None = None, measure: str = "share",
                     out=None, lexicons=()) -> tuple[Path, list[str]]:
    """Draw one figure of a coded table into ``out`` (.png, .svg or .pdf); returns (path, notes: the grouping, warnings)."""
    analysis, _ = analyse_file(path, by, lexicons=lexicons, tests=kind == "heatmap")
    font = plot.cjk_font()
    drawing, labels = figure(analysis, kind, scheme, measure, font)
    written = plot.save(drawing, out, font)
    return written, list(dict.fromkeys([analysis.grouping, *analysis.warnings, *labels.warnings]))


def table_files(analysis: Analysis) -> dict[str, pd.DataFrame]:
    """Every table of the analysis by its file name stem."""
    files = {}
    for scheme, matrix in analysis.matrices.items():
        files[f"matrix_{scheme}_{analysis.suffix}"] = matrix
    if analysis.framework is not None and analysis.framework_by is not None:
        rows, cols = analysis.framework_schemes or ("", "")
        files[f"framework_{rows}_{cols}"] = analysis.framework
        files[f"framework_{rows}_{cols}_{analysis.suffix}"] = analysis.framework_by
    for scheme, test in analysis.tests.items():
        files[f"chisquare_{scheme}_{analysis.suffix}"] = test.tests_frame()
        files[f"residuals_{scheme}_{analysis.suffix}"] = test.cells
    return files


def write_tables(analysis: Analysis, out, fmt: str = "csv") -> dict[str, Path]:
    """Write every table into folder ``out``; returns name -> path."""
    out = Path(out)
    return {name: write_table(frame, out / f"{name}.{fmt}", fmt) for name, frame in table_files(analysis).items()}


# Figures: the numbers they show are chosen here; plot.py only draws.


@dataclass
class FigureFile:
    name: str
    kind: str
    scheme: str
    title: str
    png: Path | None
    svg: Path | None
    svg_text: str  # for inlining in report.html


def _group_labels(groups: pd.DataFrame, labels: plot.Labels) -> list[str]:
    keys = [k if isinstance(k, tuple) else (k,) for k in groups.index]
    return [labels(" / ".join(map(str, key)), f"G{i + 1}") for i, key in enumerate(keys)]


def _code_labels(infos: Sequence[CodeInfo], labels: plot.Labels, sep: str = " ") -> list[str]:
    return [labels(f"{i.code}{sep}{i.name('zh')}" if i.name("zh") else i.code, i.code) for i in infos]


def _largest(analysis: Analysis, limit: int, labels: plot.Labels) -> pd.DataFrame:
    """The ``limit`` largest groups; a warning in ``labels`` when some are left out."""
    groups = analysis.groups
    if len(groups) <= limit:
        return groups
    keep = groups["n_units"].sort_values(ascending=False, kind="stable").index[:limit]
    labels.warnings.append(f"figures show the {limit} largest of {len(groups)} groups; the tables have them all")
    return groups.loc[[k for k in groups.index if k in set(keep)]]


def heatmap_figure(analysis: Analysis, scheme: str, measure: str = "share", font: str | None = None):
    """Share (or another measure) of units per group and code, marked + / − where the adjusted residual is significant."""
    labels = plot.Labels(font)
    infos = analysis.schemes[scheme]
    groups = _largest(analysis, MAX_FIGURE_GROUPS, labels)
    columns = [i.column for i in infos]
    values = aggregate.group_matrix(groups, columns, measure).set_index(analysis.by)[columns]
    annotations = values.map(lambda v: "" if pd.isna(v) else f"{v:.0%}" if measure == "share" else f"{v:g}")
    marks = _marks(analysis.tests.get(scheme), values, analysis.by)
    title = f"{scheme}: {_MEASURE_TITLES.get(measure, measure)} by {' × '.join(analysis.by)}"
    if marks is not None:
        title += "\n+ / − significantly more / fewer units than expected (adjusted residual, p < .05)"
    figure = plot.heatmap(values, _group_labels(groups, labels), _code_labels(infos, labels), annotations=annotations,
                          marks=marks, title=title, colorbar=_MEASURE_TITLES.get(measure, measure), font=font)
    return figure, labels


_MEASURE_TITLES = {"count": "units carrying the code", "share": "share of units", "hits": "hits",
                   "per10k": "hits per 10,000 characters/words", "presence": "presence"}


def _marks(test: ChiSquare | None, values: pd.DataFrame, by: Sequence[str]) -> pd.DataFrame | None:
    if test is None or test.table is None:
        return None
    cells = test.cells.set_index([*by, "code"])
    marks = values.copy().astype(object)
    for key in values.index:
        for code in values.columns:
            index = (*(key if isinstance(key, tuple) else (key,)), code)
            direction = cells["direction"].get(index, "")
            marks.loc[key, code] = {"over": "+", "under": "−"}.get(direction, "")
    return marks


def radar_figure(analysis: Analysis, scheme: str, font: str | None = None):
    """Share of units carrying each code, one pentagon per group, the whole corpus dashed."""
    labels = plot.Labels(font)
    infos = analysis.schemes[scheme]
    groups = _largest(analysis, MAX_RADAR_GROUPS, labels)
    columns = [i.column for i in infos]
    shares = aggregate.group_matrix(groups, columns, "share")[columns]
    total = aggregate.group_matrix(analysis.sums.iloc[[-1]], columns, "share")[columns].iloc[0].to_numpy()
    titles = [f"{name} (n={n})" for name, n in zip(_group_labels(groups, labels), groups["n_units"])]
    figure = plot.radar(shares, titles, _code_labels(infos, labels, "\n"), reference=total, reference_label="all documents",
                        title=f"{scheme}: share of units carrying each code", font=font)
    return figure, labels


def bars_figure(analysis: Analysis, scheme: str, font: str | None = None):
    """Instrument types (or codes) per group as 100% stacked bars of units carrying each type."""
    labels = plot.Labels(font)
    infos = analysis.schemes[scheme]
    groups = _largest(analysis, MAX_FIGURE_GROUPS, labels)
    types = list(dict.fromkeys(i.group for i in infos if "." in i.code))
    if types:
        columns = [f"{aggregate.type_key(scheme, t)}#any" for t in types]
        first = {i.group: i for i in infos}
        names = [labels(f"{t} {first[t].group_names.get('zh', '')} {first[t].group_names.get('en', '')}".strip(), t) for t in types]
    else:
        columns, names = [f"{i.column}#units" for i in infos], _code_labels(infos, labels)
    counts = groups[columns].astype(float)
    shares = counts.div(counts.sum(axis=1).where(lambda s: s > 0), axis=0)
    figure = plot.stacked_bars(shares, _group_labels(groups, labels), names, counts=groups[f"{scheme}#any"].astype(int).tolist(),
                               title=f"{scheme} types by {' × '.join(analysis.by)}",
                               xlabel="share of type assignments (a unit carrying two types counts for both); n = units with an instrument",
                               font=font)
    return figure, labels


def figure(analysis: Analysis, kind: str, scheme: str | None = None, measure: str = "share", font: str | None = None):
    """(matplotlib Figure, Labels) of one kind: heatmap, radar or bars."""
    if kind not in FIGURE_KINDS:
        raise ValueError(f"kind must be one of {', '.join(FIGURE_KINDS)}")
    default = {"heatmap": analysis.roles.radar, "radar": analysis.roles.radar, "bars": analysis.roles.rows}[kind]
    scheme = scheme or (default if default in analysis.schemes else next(iter(analysis.schemes)))
    if scheme not in analysis.schemes:
        from textmine.core.errors import InputError

        raise InputError(f"no scheme '{scheme}'; the schemes are: {', '.join(analysis.schemes)}")
    if kind == "heatmap":
        return heatmap_figure(analysis, scheme, measure, font)
    if kind == "radar":
        return radar_figure(analysis, scheme, font)
    return bars_figure(analysis, scheme, font)


def figure_plan(analysis: Analysis) -> list[tuple[str, str, str]]:
    """(file name stem, kind, scheme) of the figures a report has: a heatmap per scheme, the radar, the type bars."""
    plan = [(f"heatmap_{scheme}_{analysis.suffix}", "heatmap", scheme) for scheme in analysis.schemes]
    radar, rows = analysis.roles.radar, analysis.roles.rows
    if radar in analysis.schemes:
        plan.append((f"radar_{radar}_{analysis.suffix}", "radar", radar))
    if rows in analysis.schemes:
        plan.append((f"bars_{rows}_types_{analysis.suffix}", "bars", rows))
    return plan


def write_figures(analysis: Analysis, folder, formats: Sequence[str] = (".png", ".svg"),
                  share: tuple[int, int] = (0, 1)) -> tuple[list[FigureFile], list[str]]:
    """Draw every figure of ``figure_plan`` into ``folder`` (PNG and SVG); keeps the SVG text for report.html.
    ``share`` (k, n): only every n-th figure from the k-th, so that n processes can draw them all.

    Returns (figures, warnings of drawing them).
    """
    folder = Path(folder)
    font = plot.cjk_font()
    files, warnings = [], []
    for number, (name, kind, scheme) in enumerate(figure_plan(analysis), start=1):
        if (number - 1) % share[1] != share[0]:
            continue
        drawing, labels = figure(analysis, kind, scheme, font=font)
        document = plot.svg_document(drawing, font)
        svg = plot.write_svg(document, folder / f"{name}.svg") if ".svg" in formats else None
        png = plot.save(drawing, folder / f"{name}.png", font) if ".png" in formats else None
        title = _figure_title(kind, scheme, analysis)
        files.append(FigureFile(name, kind, scheme, title, png, svg, plot.inline_svg(document, f"f{number}")))
        plot.close(drawing)
        warnings.extend(labels.warnings)
    return files, list(dict.fromkeys(warnings))


def noted(analysis: Analysis, warnings: Sequence[str]) -> Analysis:
    """A copy of ``analysis`` whose warnings also hold ``warnings`` (each once)."""
    return replace(analysis, warnings=list(dict.fromkeys([*analysis.warnings, *warnings])))


def _figure_title(kind: str, scheme: str, analysis: Analysis) -> str:
    by = " × ".join(analysis.by)
    return {"heatmap": f"Emphasis heatmap: {scheme} by {by}", "radar": f"{scheme.capitalize()} radar by {by}",
            "bars": f"{scheme.capitalize()} types by {by}"}[kind]
