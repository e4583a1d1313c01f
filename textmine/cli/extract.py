"""`textmine extract`: the text textmine codes, printed or written as one JSON per document."""

from __future__ import annotations

import click

from textmine.cli.app import cli
from textmine.cli.options import ProgressBar, execution_options, execution_settings, password_option, verbose_option


@cli.command("extract")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--out", type=click.Path(file_okay=False), help="Write <doc_id>.json per document (and failures.csv) to this folder.")
@password_option
@execution_options
@verbose_option
def extract_command(paths, out, password, **execution):
    """Print the text of FILE, pages separated by form feeds; with --out, extract PATHS (files or folders).

    Each JSON holds the pages (text, method text-layer/ocr/plain, warnings,
    running headers and footers taken out), the language, the file's SHA-256
    and metadata (title, page count). Exit status 3 when some files could not
    be read (listed in failures.csv).
    """
    from textmine.run.batch import RunSettings

    run_settings = RunSettings(password=password, **execution_settings(**execution))
    settings = run_settings.extract_settings()
    if out is None:
        return _print(paths, settings)
    from textmine.run.extract import extract_to_folder

    with ProgressBar("extracting") as progress:
        result = extract_to_folder(paths, out, settings, run_settings.workers, run_settings.timeout, progress, progress.pages,
                                   run_settings.follow_symlinks)
    pages = ", ".join(f"{n} {method}" for method, n in sorted(result.pages.items()))
    click.echo(f"{result.documents} documents ({pages or 'no'} pages) -> {result.out}"
               + (f"; {len(result.failures)} files failed (see failures.csv)" if result.failures else ""), err=True)
    for failure in result.failures:
        click.echo(f"  failed: {failure['file']}: {failure['reason']}", err=True)
    for path, reason in result.skipped:
        click.echo(f"  skipped: {path}: {reason}", err=True)
    return result.exit_code


def _print(paths, settings) -> int:
    from pathlib import Path

    from textmine.core.errors import InputError
    from textmine.core.failures import display_path
    from textmine.inputs.extract import extract_documents

    if len(paths) != 1 or Path(paths[0]).is_dir():
        raise InputError("give one FILE to print, or --out DIR to extract several files or folders")
    path = Path(paths[0])
    if not path.exists():
        raise InputError(f"input not found: {display_path(path)}")
    documents = list(extract_documents(path, path.stem, settings))
    text = "\f".join(document.text for document in documents)
    click.echo(text, nl=not text.endswith("\n"))
    for document in documents:
        for page in document.pages:
            for warning in page.warnings:
                click.echo(f"warning: {warning}", err=True)
    return 0
