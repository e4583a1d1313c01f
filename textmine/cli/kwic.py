"""`textmine kwic`: matches of a term or a code in context."""

from __future__ import annotations

from pathlib import Path

import click

from textmine.cli.app import cli
from textmine.cli.options import lexicon_option, no_default_lexicons_option, password_option, verbose_option


@cli.command("kwic")
@click.argument("pattern")
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@click.option("--width", default=35, show_default=True, type=click.IntRange(5, 500), help="Characters of context on each side.")
@click.option("--limit", default=0, type=click.IntRange(0), help="Show at most this many lines (0: all).")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the lines to a table (.csv, .xlsx, .parquet).")
@lexicon_option
@no_default_lexicons_option
@password_option
@verbose_option
def kwic_command(pattern, paths, width, limit, out, lexicons, no_default_lexicons, password):
    """Show every match of PATTERN in PATHS, in context.

    PATTERN is a code of a loaded lexicon (NET, SUP.TECH, pentagon:NET or
    pentagon_NET), showing every hit of that code with its term (a pattern written
    like a code that names none is an error listing the codes), or a term,
    matched by the lexicon rules (Chinese anywhere, other languages as whole
    words with inflections; a trailing * matches any ending). PATHS are
    documents, folders, or tables with a `text` column such as coded_units.csv.
    """
    from textmine.analysis.kwic import concordance, resolve_pattern, term_lexicon
    from textmine.coding.coders import LexiconCoder
    from textmine.coding.lexicon import resolve_lexicons
    from textmine.run.batch import RunSettings

    settings = RunSettings(lexicons=tuple(lexicons), shipped_lexicons=not no_default_lexicons, password=password)
    loaded = resolve_lexicons(lexicons, not no_default_lexicons)
    code = resolve_pattern(loaded, pattern)
    coder = LexiconCoder(loaded if code else [term_lexicon(pattern)])
    keep = (lambda c: (c.scheme, c.code) == code) if code else None
    lines = []
    for path in paths:
        for line in concordance(_tagged(path, coder, settings), width, keep):
            lines.append(line)
            if not out:
                _echo(line, width)
            if limit and len(lines) >= limit:
                break
        if limit and len(lines) >= limit:
            break
    if out:
        import pandas as pd

        from textmine.core.export import write_table

        write_table(pd.DataFrame([vars(line) for line in lines]), out)
    units = {(line.doc_id, line.unit_id) for line in lines}
    click.echo(f"{len(lines)} matches in {len(units)} units of {len({d for d, _ in units})} documents", err=True)


def _tagged(path, coder, settings):
    """(unit, codes) for every unit of a document, folder or table."""
    from textmine.inputs.corpus import find_inputs
    from textmine.inputs.tables import is_table, read_table, require_columns
    from textmine.run.batch import process_file
    from textmine.units.table_units import table_units

    if is_table(path):
        frame = read_table(path)
        require_columns(frame, path, "text")
        present = {c: c if c in frame.columns else None for c in ("unit_id", "lang", "doc_id")}
        units = table_units(frame, "text", present["unit_id"], present["lang"], Path(path).stem, present["doc_id"])
        yield from ((unit, codes) for unit, codes, _ in coder.code(units))
        return
    for input_file in find_inputs([path]).files:
        for item in process_file(input_file, settings, coder):
            if isinstance(item, dict):
                click.echo(f"textmine: {item['file']}: cannot be read: {item['reason']}", err=True)
                continue
            yield from ((unit, codes) for unit, codes, _ in item[1])


def _echo(line, width) -> None:
    where = f"{line.unit_id}" + (f" p.{line.page}" if line.page else "")
    left = line.left.rjust(width) if line.left.isascii() else line.left
    source = "" if line.code == line.term else click.style(f"  ({line.code}: {line.term})", dim=True)
    click.echo(f"{click.style(where, fg='cyan')}  {left}" + click.style(f"[{line.match}]", bold=True) + f"{line.right}{source}")
