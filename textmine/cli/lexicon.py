"""`textmine lexicon …`: check, list and import lexicons."""

from __future__ import annotations

import click

from textmine.cli.app import cli
from textmine.cli.options import verbose_option
from textmine.core.errors import LexiconError
from textmine.core.export import atomic_path
from textmine.coding.lexicon import ANY_LANG, check_lexicon, lexicon_to_yaml, load_lexicons, read_lexicon, shipped_lexicon_paths


@cli.group("lexicon")
def lexicon_group():
    """Check, list and import lexicons."""


@lexicon_group.command("check")
@click.argument("files", nargs=-1, type=click.Path())
@verbose_option
def check_command(files):
    """Report every problem of lexicon FILES (the shipped lexicons if none) with its line.

    Exit status 2 when a file has errors; warnings alone exit 0.
    """
    paths = files or [str(p) for p in shipped_lexicon_paths()]
    errors = 0
    for path in paths:
        problems = check_lexicon(path)
        for problem in problems:
            click.echo(str(problem))
        errors += sum(p.severity == "error" for p in problems)
        if not problems:
            click.echo(f"{path}: ok")
    return 2 if errors else 0


@lexicon_group.command("show")
@click.argument("files", nargs=-1, type=click.Path())
@verbose_option
def show_command(files):
    """List the codes of lexicon FILES (the shipped ones if none) with their term counts per language."""
    for lexicon in load_lexicons(files or None):
        click.secho(f"{lexicon.scheme}  ({lexicon.path})", bold=True)
        for category in lexicon.categories:
            counts = ", ".join(f"{lang} {len(terms)}" for lang, terms in category.terms.items())
            excluded = sum(len(t) for t in category.exclude.values())
            click.echo(f"  {lexicon.column(category.code):24} {category.name('en')[:34]:34} {counts}" + (f"; {excluded} exclusions" if excluded else ""))


@lexicon_group.command("import")
@click.argument("source", type=click.Path(exists=True, dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="The lexicon to write (YAML).")
@click.option("--scheme", default=None, help="Scheme name (default: from the file name).")
@click.option("--lang", default=ANY_LANG, show_default=True, help="Language of non-Chinese terms (ISO 639-1), or 'any'.")
@verbose_option
def import_command(source, out, scheme, lang):
    """Convert a quanteda YAML dictionary or a LIWC .dic file into a textmine lexicon."""
    lexicon, problems = read_lexicon(source, scheme=scheme, default_lang=lang)
    for problem in problems:
        click.echo(str(problem), err=True)
    if lexicon is None:
        errors = [p for p in problems if p.severity == "error"]
        raise LexiconError(f"{source}: cannot import ({len(errors)} errors above)", errors)
    with atomic_path(out) as tmp:
        tmp.write_text(lexicon_to_yaml(lexicon), encoding="utf-8")
    click.echo(f"{len(lexicon.categories)} codes, {sum(len(t) for c in lexicon.categories for t in c.terms.values())} terms -> {out}", err=True)
