"""`textmine matrix`, `plot`, `report` and `terms`: comparative analysis of a coded corpus."""

from __future__ import annotations

import click

from textmine.cli.app import cli
from textmine.cli.options import lexicon_option, no_default_lexicons_option, verbose_option
from textmine.coding.tokenize import ENGINES
from textmine.core.constants import ALL_MEASURES, FIGURE_KINDS, NORMALIZATIONS, TABLE_FORMATS

NORMALIZE_CHOICES = (*NORMALIZATIONS, ALL_MEASURES)

by_option = click.option(
    "--by", "by", multiple=True,
    help="Grouping column (country, level, year … any metadata column; repeat to cross several). Default: $TEXTMINE_BY, "
         "else the first of country, region, province, state, city in the data, else documents (doc_id); the output says which.",
)
scheme_option = click.option("--scheme", "schemes", multiple=True, help="Only this scheme's codes (pentagon, instrument …); repeatable.")
format_option = click.option("--format", "fmt", type=click.Choice(TABLE_FORMATS), default=None,
                             help="File format (default: the extension of --out, else csv). dta is Stata 14+.")


def _lexicons(lexicons, no_default_lexicons):
    from textmine.coding.lexicon import resolve_lexicons

    return resolve_lexicons(lexicons, not no_default_lexicons)


def _warn(warnings) -> None:
    for warning in dict.fromkeys(warnings):
        click.echo(f"  note: {warning}", err=True)


@cli.command("matrix")
@click.argument("coded", type=click.Path(dir_okay=False))
@by_option
@scheme_option
@click.option("--normalize", type=click.Choice(NORMALIZE_CHOICES), default="count", show_default=True,
              help="Cells: units carrying the code (count), their share of the group's units, hits, hits per 10,000 "
                   "Han characters plus words of other scripts (per10k), 0/1 presence, or all of them in long form.")
@click.option("--framework", is_flag=True, help="Write the two-dimensional table instead: the codes of the lexicon with role rows (instruments) x "
                   "those with role columns (pentagon), per group with --by.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the table here (.csv, .xlsx, .parquet, .dta); else print it.")
@format_option
@lexicon_option
@no_default_lexicons_option
@verbose_option
def matrix_command(coded, by, schemes, normalize, framework, out, fmt, lexicons, no_default_lexicons):
    """Group x code matrix (or the framework table) of CODED, the coded_units.csv of `run` or a table coded by `tag`.

    Every row shows n_documents, n_units and n_coded_units of its group; the last row, (all), is the whole corpus.
    """
    from textmine.analysis.comparison import matrix_from_file
    from textmine.core.export import write_table

    table, warnings = matrix_from_file(coded, by, schemes, normalize, framework, _lexicons(lexicons, no_default_lexicons))
    if out or fmt:
        path = write_table(table, out or f"matrix.{fmt}", fmt)
        click.echo(f"{len(table)} rows x {table.shape[1]} columns -> {path}", err=True)
    else:
        click.echo(table.to_string(index=False, max_colwidth=40))
    _warn(warnings)


@cli.command("plot")
@click.argument("coded", type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(FIGURE_KINDS), required=True,
              help="heatmap: groups x codes; radar: the radar scheme (pentagon) per group; bars: types of the rows scheme "
                   "(instruments) per group (100% stacked).")
@by_option
@click.option("--scheme", default=None, help="Scheme to draw (default: the lexicons' radar scheme, pentagon, for heatmap and radar; their rows "
                   "scheme, instrument, for bars).")
@click.option("--measure", type=click.Choice(("share", *[n for n in NORMALIZATIONS if n != "share"])), default="share", show_default=True,
              help="Heatmap cells.")
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="Figure file: .png, .svg or .pdf.")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def plot_command(coded, kind, by, scheme, measure, out, lexicons, no_default_lexicons):
    """Draw a figure of CODED grouped by --by."""
    from textmine.analysis.comparison import figure_from_file

    path, warnings = figure_from_file(coded, kind, by, scheme, measure, out, _lexicons(lexicons, no_default_lexicons))
    click.echo(f"{kind} -> {path}", err=True)
    _warn(warnings)


@cli.command("report")
@click.argument("coded", type=click.Path(dir_okay=False))
@by_option
@scheme_option
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for report.xlsx, report.html, the tables and figures/.")
@format_option
@click.option("--no-xlsx", is_flag=True, help="Skip report.xlsx.")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def report_command(coded, by, schemes, out, fmt, no_xlsx, lexicons, no_default_lexicons):
    """Every table, test and figure of CODED grouped by --by, in report.xlsx and a self-contained report.html."""
    from textmine.outputs.report import report_from_file

    files, warnings = report_from_file(coded, by, out, schemes, _lexicons(lexicons, no_default_lexicons),
                                       xlsx=not no_xlsx, fmt=fmt or "csv")
    click.echo(f"{len(files)} files -> {out} (open {out}/report.html)", err=True)
    _warn(warnings)


@cli.command("terms")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@by_option
@click.option("--out", type=click.Path(file_okay=False), help="Folder for terms_frequencies, terms_keyness_by_<col> and terms_candidates.")
@format_option
@click.option("--top", default=30, show_default=True, type=click.IntRange(1), help="Terms per group and per code.")
@click.option("--min-freq", default=5, show_default=True, type=click.IntRange(1), help="Ignore terms rarer than this in the whole corpus.")
@click.option("--bigrams", is_flag=True, help="Also count pairs of adjacent content words (languages other than Chinese).")
@click.option("--engine", type=click.Choice(ENGINES), default="auto", show_default=True,
              help="Chinese segmentation: rjieba (fast, when installed) or jieba (the reference).")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def terms_command(paths, by, out, fmt, top, min_freq, bigrams, engine, lexicons, no_default_lexicons):
    """Word frequencies, keyness between --by groups, and candidate terms per code (with KWIC) to grow lexicons.

    PATHS is a coded table (coded_units.csv of `run`) or documents and folders (coded on the fly).
    """
    from textmine.analysis.terms import write_terms
    from textmine.run.terms import discover_terms

    results = discover_terms(paths, _lexicons(lexicons, no_default_lexicons), by, top, min_freq, engine, 2 if bigrams else 1)
    click.echo(f"  note: {results.grouping}", err=True)
    if out:
        files = write_terms(results, out, results.by, fmt or "csv")
        click.echo(f"{results.n_units} units ({results.engine}) -> " + ", ".join(str(p) for p in files.values()), err=True)
        return
    _echo_terms(results, top)


def _echo_terms(results, top: int) -> None:
    from textmine.analysis.terms import ALL

    shown = min(top, 10)
    frequencies = results.frequencies
    overall = frequencies[frequencies[results.by[0]] == ALL] if results.by else frequencies
    click.secho(f"Most frequent terms ({results.n_units} units, {results.engine}):", bold=True)
    shown_terms = "  ".join(f"{t} {n}" for t, n in zip(overall["term"][:20], overall["freq"][:20]))
    click.echo("  " + (shown_terms or "(no term occurs --min-freq times)"))
    if results.keyness is not None and len(results.keyness):
        click.secho("Key terms per group (log-likelihood, log ratio):", bold=True)
        group = results.keyness.columns[0]
        for key, rows in results.keyness.groupby(group, sort=False):
            click.echo(f"  {key}: " + "  ".join(f"{t} ({g:.1f}, {r:+.1f})" for t, g, r in
                                                zip(rows["term"][:shown], rows["log_likelihood"], rows["log_ratio"])))
    click.secho("Candidate terms per code (not in its lexicon yet):", bold=True)
    if not len(results.candidates):
        click.echo("  (none: no term occurs --min-freq times in the units of a code)")
    for (scheme, code), rows in results.candidates.groupby(["scheme", "code"], sort=False):
        click.echo(f"  {scheme}:{code}: " + "  ".join(f"{t} ({n}/{u} units)" for t, n, u in
                                                       zip(rows["term"][:shown], rows["units_with_term"], rows["units_code"])))
