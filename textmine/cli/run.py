"""`textmine run`: code a corpus and write the dataset."""

from __future__ import annotations

import os

import click

from textmine.core.constants import HIT_CONTEXT, UNIT_FORMATS, XLSX_UNIT_ROWS, XLSX_UNITS
from textmine.cli.app import cli
from textmine.cli.options import (
    ProgressBar, cluster_options, cluster_settings, execution_options, execution_settings, lexicon_option, no_default_lexicons_option, password_option,
    verbose_option,
)
from textmine.cli.options import mode_option, model_option


@cli.command("run")
@click.argument("inputs", nargs=-1, required=True, type=click.Path())
@click.option("--out", required=True, type=click.Path(file_okay=False), help="Folder for the outputs (created if needed).")
@lexicon_option
@no_default_lexicons_option
@model_option
@mode_option
@password_option
@click.option("--context", "context_chars", default=HIT_CONTEXT, show_default=True, type=click.IntRange(0), help="Characters of context on each side in hits.csv.")
@click.option("--no-xlsx", is_flag=True, help="Skip report.xlsx (faster on very large corpora).")
@click.option("--xlsx-units", type=click.Choice(XLSX_UNITS), default="auto", show_default=True,
              help=f"The coded_units and hits sheets of report.xlsx: auto includes them while together they have at most "
                   f"{XLSX_UNIT_ROWS:,} rows; all (each that fits in Excel); none. Left out, a notes sheet points to the CSV files.")
@click.option("--by", "by", multiple=True, help="Metadata column(s) to compare groups by (repeat to cross them); default: $TEXTMINE_BY, else the first of "
                   "country, region, province, state, city in metadata.csv, else documents.")
@click.option("--format", "formats", multiple=True, type=click.Choice(UNIT_FORMATS),
              help="Also write coded_units in this format: dta (Stata 14+; keeps line breaks in text) or parquet; repeatable.")
@execution_options
@cluster_options
@verbose_option
def run_command(inputs, out, lexicons, no_default_lexicons, models, mode, password, context_chars, no_xlsx, xlsx_units, by,
                formats, scheduler, scheduler_file, cluster, resume, **execution):
    """Code every document in INPUTS (files or folders) and write the coded dataset to OUT.

    Writes coded_units.csv, hits.csv, documents.csv, emphasis_<scheme>.csv,
    crosstab_instrument_pentagon_units.csv (units carrying both codes),
    failures.csv, warnings.csv (documents with under 95% of their text in units),
    report.xlsx and run.json, and the comparison by --by:
    matrix_<scheme>_by_<col>.csv,
    framework_instrument_pentagon[_by_<col>].csv, chisquare_ and
    residuals_<scheme>_by_<col>.csv, figures/ and report.html.
    Exit status 3 when some files could not be read (listed in failures.csv).
    """
    # before numpy is imported: the workers and this process share the cores, and an OpenBLAS thread per core in each
    # would only spin (4% of a run's CPU on 2 cores); a user's own setting stays
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from textmine.run.batch import RunSettings, run

    settings = RunSettings(
        lexicons=tuple(lexicons),
        shipped_lexicons=not no_default_lexicons,
        models=tuple(models),
        mode=mode,
        password=password,
        context_chars=context_chars,
        xlsx=not no_xlsx,
        xlsx_units=xlsx_units,
        by=tuple(by),
        formats=tuple(dict.fromkeys(formats)),
        **execution_settings(**execution),
        **cluster_settings(scheduler, scheduler_file, cluster, resume),
    )
    with ProgressBar("coding") as progress:
        result = run(inputs, out, settings, progress=progress, pages=progress.pages, status=progress.status,
                     notice=lambda text: click.echo(text, err=True))
    click.echo(
        f"{result.documents} documents, {result.units} units, {result.hits} hits -> {result.out}"
        + (f"; {len(result.failures)} files failed (see failures.csv)" if result.failures else ""),
        err=True,
    )
    for note in result.notes:
        click.echo(f"  note: {note}", err=True)
    if settings.resume:
        click.echo(f"  resumed: {result.files_resumed} files taken over from the earlier run, {result.files_processed} read",
                   err=True)
    for warning in result.coverage_warnings:
        click.echo(f"  warning: {warning['reason']} (see warnings.csv)", err=True)
    for failure in result.failures:
        click.echo(f"  failed: {failure['file']}: {failure['reason']}", err=True)
    for path, reason in result.skipped:
        click.echo(f"  skipped: {path}: {reason}", err=True)
    if result.grouping is not None and settings.report:
        click.echo(f"  {result.grouping.describe()}", err=True)
    for warning in result.warnings:
        click.echo(f"  warning: {warning}", err=True)
    return result.exit_code
