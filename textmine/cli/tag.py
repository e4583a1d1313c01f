"""`textmine tag`: code a table of units, or one document with a readable summary."""

from __future__ import annotations

import atexit
import gc
import os
import sys
from collections import Counter, defaultdict
from pathlib import Path

import click

from textmine.cli.app import cli
from textmine.cli.options import lexicon_option, no_default_lexicons_option, password_option, verbose_option
from textmine.cli.options import mode_option, model_option
from textmine.core.constants import EXIT_SOME_FAILED, FILE_TIMEOUT, HIT_CONTEXT
from textmine.core.errors import InputError

# The stages are imported when the command runs, pandas only where a table is read or written:
# `textmine --help` and `textmine tag report.txt` start without them (tests/test_startup.py).

# what click.style puts around a text, built once rather than per unit and term
_CYAN, _END = click.style("\0", fg="cyan").split("\0")
_GREEN, _BOLD = click.style("\0", fg="green").split("\0")[0], click.style("\0", bold=True).split("\0")[0]


@cli.command("tag")
@click.argument("source", type=click.Path())
@click.option("--text-column", default="text", show_default=True, help="Column holding the unit text (tables).")
@click.option("--id-column", default=None, help="Column holding unit ids (tables); used in --hits.")
@click.option("--lang-column", default=None, help="Column holding ISO 639-1 languages (tables); detected per row if absent.")
@click.option("--out", type=click.Path(dir_okay=False), help="Write the coded table (.csv, .xlsx or .parquet).")
@click.option("--hits", "hits_path", type=click.Path(dir_okay=False), help="Also write one row per hit (the evidence) to this file.")
@click.option("--all", "show_all", is_flag=True, help="Documents: also list units without codes.")
@lexicon_option
@no_default_lexicons_option
@model_option
@mode_option
@password_option
@verbose_option
def tag_command(source, text_column, id_column, lang_column, out, hits_path, show_all, lexicons, no_default_lexicons, models, mode, password):
    """Code SOURCE: a table of units (CSV/XLSX/Parquet) or one document (PDF, TXT, DOCX, HTML).

    A table keeps its columns and rows and gains one <scheme>_<CODE> column per
    code (the number of hits). A document is printed as a summary of its units
    and codes; with --out its coded units are written as in coded_units.csv.
    """
    # before numpy is imported: OpenBLAS would start a thread per core that spins for a while, for no linear algebra
    # (the models limit theirs to one anyway, see coding.classify); a user's own setting stays
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from textmine.coding.coders import build_coder
    from textmine.coding.lexicon import resolve_lexicons
    from textmine.inputs.extract import ExtractSettings
    from textmine.inputs.tables import is_table

    coder = build_coder(resolve_lexicons(lexicons, not no_default_lexicons), models, mode)
    if is_table(source):
        if not out:
            raise InputError("give --out coded.csv (or .xlsx, .parquet) for the coded table")
        return _tag_table(source, coder, text_column, id_column, lang_column, out, hits_path)
    settings = ExtractSettings(password=password, ocr_timeout=FILE_TIMEOUT)
    return _tag_document(source, coder, settings, out, hits_path, show_all)


def _tag_table(source, coder, text_column, id_column, lang_column, out, hits_path) -> int:
    from textmine.core.export import write_table
    from textmine.inputs.tables import read_table, require_columns
    from textmine.run.table import code_table

    frame = read_table(source)
    require_columns(frame, source, text_column, id_column, lang_column)
    coded, hits = code_table(frame, coder, text_column, id_column, lang_column)
    write_table(coded, out)
    if hits_path:
        write_table(hits, hits_path)
    carrying = {c: int((coded[c] > 0).sum()) for c in coder.code_columns}
    click.echo(f"{len(coded)} rows coded -> {out}; units per code: " + ", ".join(f"{c} {n}" for c, n in carrying.items() if n), err=True)
    return 0


def _tag_document(source, coder, settings, out, hits_path, show_all) -> int:
    from textmine.inputs.corpus import InputFile
    from textmine.inputs.extract import kind_of
    from textmine.outputs.rows import coded_unit_row, hit_row
    from textmine.run.document import code_file

    path = Path(source)
    if not path.exists():
        raise InputError(f"file not found: {source}")
    if path.is_dir():
        raise InputError(f"{source} is a folder: tag takes one file (a document or a table); "
                         f"for a folder use `textmine run {source} --out OUT`")
    if kind_of(path) is None:
        raise InputError(f"{source}: tag reads documents (PDF, DOCX, HTML, TXT, JSONL) and tables (CSV, XLSX, Parquet), "
                         f"not {path.suffix or 'files without an extension'}")
    input_file = InputFile(path, path.stem.replace(" ", "_"), path.name)
    rows, hits, units, status = [], [], 0, 0
    columns = [*coder.code_columns, *coder.score_columns]
    schemes = list(dict.fromkeys(column.split("_", 1)[0] for column in coder.code_columns))  # lexicon order
    for item in code_file(input_file, settings, coder, coverage=False):
        if isinstance(item, dict):
            click.echo(f"textmine: {item['file']}: cannot be read ({item['stage']}): {item['reason']}", err=True)
            status = EXIT_SOME_FAILED
            continue
        document, tagged = item[:2]
        _print_summary(document, tagged, show_all, schemes)
        units += len(tagged)
        if out:
            rows.extend(coded_unit_row(unit, codes, {"file": path.name}, columns, scores) for unit, codes, scores in tagged)
        if hits_path:
            hits.extend(hit_row(unit, code, HIT_CONTEXT) for unit, codes, _ in tagged for code in codes)
    if units and (out or hits_path):
        _write_tables(rows if out else None, hits if hits_path else None, out, hits_path)
    # the document's units and codes live until the process ends: the collections of the interpreter's exit need not
    # go over them (half the time of that exit after a large document); frozen only then, so that a caller in the same
    # process keeps its collector
    atexit.register(gc.freeze)
    return status


def _write_tables(rows, hits, out, hits_path) -> None:
    import pandas as pd

    from textmine.core.export import write_table
    from textmine.outputs.rows import HIT_COLUMNS

    if rows is not None:
        write_table(pd.DataFrame(rows), out)
    if hits is not None:
        write_table(pd.DataFrame(hits, columns=list(HIT_COLUMNS)), hits_path)


def _print_summary(document, tagged, show_all, schemes) -> None:
    """The summary of a document, printed at once (one write, not two per unit: a large document prints fast)."""
    styled = _styled()
    text = _summary(document, tagged, show_all, schemes, styled)
    if not styled and "\x1b" in text:  # escape codes in the text itself: click strips them together with ours
        text = _summary(document, tagged, show_all, schemes, True)
    click.echo(text, color=styled)


def _styled() -> bool:
    """Whether click.echo keeps styles on stdout, by its own rule (--color, else a terminal, or a test runner's
    setting): when it strips them, none are made (most of the time of a large document printed to a file went to
    making and stripping them)."""
    return not click.utils.should_strip_ansi(sys.stdout, click.globals.resolve_color_default())


def _summary(document, tagged, show_all, schemes, styled: bool) -> str:
    style = click.style if styled else lambda text, **_: text
    cyan, green, bold, end = (_CYAN, _GREEN, _BOLD, _END) if styled else ("", "", "", "")
    units = len(tagged)
    shown = [(unit, codes, frozenset([(c.scheme, c.code) for c in codes])) for unit, codes, _ in tagged if codes or show_all]
    coded = sum(1 for _, codes, _ in tagged if codes)
    pages = f", {len(document.pages)} pages" if document.source_kind == "pdf" else ""
    lines = [style(f"{document.path}: {units} units, {coded} with codes, language {document.lang}{pages}", bold=True)]
    lines += [style(f"  warning: {warning}", fg="yellow") for page in document.pages for warning in page.warnings]
    sharing = Counter(pairs for _, _, pairs in shown)  # units carrying each set of (scheme, code): many share one
    per_scheme: dict[str, Counter] = defaultdict(Counter)  # units carrying each code
    for pairs, n in sharing.items():
        for scheme, code in pairs:
            per_scheme[scheme][code] += n
    rank = {scheme: _rank(schemes, scheme) for scheme in per_scheme}  # of every scheme a unit below has codes of
    for scheme, counter in sorted(per_scheme.items(), key=lambda item: rank[item[0]]):
        lines.append(f"  {scheme}: " + "  ".join(f"{code} {n}" for code, n in sorted(counter.items())))
    lines.append("")
    labels = {pairs: _labels(pairs, rank) for pairs in sharing}
    for unit, codes, pairs in shown:
        page = f"p.{unit.page}" if unit.page else ""
        lines.append(f"{cyan}{unit.unit_id}{end}  {page}  {green}{labels[pairs] or '-'}{end}")
        lines.append("  " + _highlight(unit.text, codes, bold, end))
    return "\n".join(lines)


def _labels(pairs, rank) -> str:
    """``scheme: CODE CODE | scheme: CODE``: a unit's codes, once each, by scheme."""
    by_scheme: dict[str, list[str]] = {}
    for scheme, code in pairs:
        by_scheme.setdefault(scheme, []).append(code)
    return " | ".join(f"{scheme}: " + " ".join(sorted(codes)) for scheme, codes in sorted(by_scheme.items(), key=lambda item: rank[item[0]]))


def _rank(schemes, scheme) -> tuple:
    """Schemes in lexicon order (pentagon, then instrument), any other after them by name."""
    return (schemes.index(scheme), "") if scheme in schemes else (len(schemes), scheme)


def _highlight(text: str, codes, bold: str = _BOLD, end: str = _END, limit: int = 300) -> str:
    """The unit text on one line, matched terms in bold [brackets], cut after about ``limit`` characters."""
    shown = text[:limit]
    out, position = [], 0
    for start, stop in sorted({(c.start, c.end) for c in codes if 0 <= c.start and c.end <= len(shown)}):
        if start < position:
            continue
        out += [shown[position:start], f"{bold}[{shown[start:stop]}]{end}"]
        position = stop
    out.append(shown[position:])
    return " ".join("".join(out).split()) + (" …" if len(text) > limit else "")
