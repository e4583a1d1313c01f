"""`textmine lexicon …`: check, list and import lexicons."""

from __future__ import annotations

import click

from pathlib import Path

from textmine.cli.app import cli
from textmine.cli.options import lexicon_option, no_default_lexicons_option, verbose_option
from textmine.core.errors import LexiconError
from textmine.core.constants import ANY_LANG


@cli.group("lexicon")
def lexicon_group():
    """Check, list and import lexicons."""


@lexicon_group.command("check")
@click.argument("files", nargs=-1, type=click.Path())
@no_default_lexicons_option
@verbose_option
def check_command(files, no_default_lexicons):
    """Report every problem of lexicon FILES (the shipped lexicons if none) with its line.

    FILES are checked as `run --lexicon FILE` will use them: together with the
    shipped lexicons, so that a file with `extends: pentagon` is checked merged
    into pentagon. Exit status 2 when a file has errors; warnings alone exit 0.
    """
    from textmine.coding.lexicon import check_lexicons, shipped_lexicon_paths

    paths = list(files) or [str(p) for p in shipped_lexicon_paths()]
    problems = check_lexicons(files or None, shipped=not no_default_lexicons)
    for path in paths:
        mine = [p for p in problems if Path(p.path).resolve() == Path(path).resolve()]
        for problem in mine:
            click.echo(str(problem))
        if not mine:
            click.echo(f"{path}: ok")
    return 2 if any(p.severity == "error" for p in problems) else 0


@lexicon_group.command("show")
@click.argument("items", nargs=-1)
@click.option("--lang", default=None, help="Only terms of this language (ISO 639-1; terms for any language are always shown).")
@click.option("--format", "fmt", type=click.Choice(["text", "csv"]), default="text", show_default=True,
              help="csv: one row per term (scheme, code, column, name, kind, lang, term) on standard output.")
@lexicon_option
@no_default_lexicons_option
@verbose_option
def show_command(items, lang, fmt, lexicons, no_default_lexicons):
    """List codes, or the terms and exclusions of codes.

    ITEMS are codes (pentagon:NET, NET, pentagon_NET), schemes (pentagon) or
    lexicon files. Without a code, every code of the loaded lexicons (or of the
    files given) is listed with its full name and term counts; with a code, its
    terms and exclusions. Lexicons are the shipped ones plus --lexicon files,
    extensions (`extends:`) merged.
    """
    from textmine.coding.lexicon import resolve_lexicons
    from textmine.coding.lexicon_show import lexicon_terms, select_codes
    from textmine.core.export import safe_frame

    files = [item for item in items if Path(item).is_file()]
    loaded = resolve_lexicons((*lexicons, *files), not no_default_lexicons)
    selection = select_codes(loaded, [item for item in items if item not in files], files)
    if fmt == "csv":
        table = lexicon_terms(selection, lang)
        click.echo(safe_frame(table).to_csv(index=False), nl=False)
        return 0
    for chosen in selection:
        lexicon = chosen.lexicon
        extended = "".join(f" + {path}" for path, _ in lexicon.extended_by)
        click.secho(f"{lexicon.scheme}  ({lexicon.path}{extended})", bold=True)
        for category in (lexicon.category(c) for c in chosen.codes):
            (_echo_terms if chosen.terms else _echo_summary)(lexicon, category, lang)
    return 0


def _echo_summary(lexicon, category, lang) -> None:
    counts = ", ".join(f"{term_lang} {len(terms)}" for term_lang, terms in category.terms.items()
                       if not lang or term_lang in (lang, ANY_LANG))
    excluded = sum(len(t) for t in category.exclude.values())
    policy_only = sum(len(t) for t in category.policy_only.values())
    names = " / ".join(dict.fromkeys(category.names.values())) or category.code
    click.echo(f"  {lexicon.column(category.code):24} {names}  ({counts}" + (f"; {excluded} exclusions" if excluded else "")
               + (f"; {policy_only} policy-only" if policy_only else "") + ")")


def _echo_terms(lexicon, category, lang) -> None:
    names = " / ".join(dict.fromkeys(category.names.values()))
    click.secho(f"{lexicon.scheme}:{category.code}  {names}", bold=True)
    for kind, table in (("terms", category.terms), ("exclude", category.exclude), ("policy_only", category.policy_only)):
        for term_lang, terms in table.items():
            if lang and term_lang not in (lang, ANY_LANG):
                continue
            click.echo(f"  {kind} ({term_lang}, {len(terms)}): " + ", ".join(terms))


@lexicon_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The lexicon to write (YAML).")
@click.option("--scheme", default=None, help="Scheme name (default: from the file name).")
@click.option("--lang", default=ANY_LANG, show_default=True, help="Language of non-Chinese terms (ISO 639-1), or 'any'.")
@verbose_option
def import_command(source, out, scheme, lang):
    """Convert a quanteda YAML dictionary or a LIWC .dic file into a textmine lexicon."""
    from textmine.coding.lexicon import lexicon_to_yaml, read_lexicon
    from textmine.core.export import atomic_path

    lexicon, problems = read_lexicon(source, scheme=scheme, default_lang=lang)
    for problem in problems:
        click.echo(str(problem), err=True)
    if lexicon is None:
        errors = [p for p in problems if p.severity == "error"]
        raise LexiconError(f"{source}: cannot import ({len(errors)} errors above)", errors)
    with atomic_path(out) as tmp:
        tmp.write_text(lexicon_to_yaml(lexicon), encoding="utf-8")
    click.echo(f"{len(lexicon.categories)} codes, {sum(len(t) for c in lexicon.categories for t in c.terms.values())} terms -> {out}", err=True)
