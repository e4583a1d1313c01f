"""The option tables of docs/commands.md, made from the commands' own help texts.

A table sits between `<!-- options: COMMAND -->` and `<!-- end options -->` (COMMAND as typed,
e.g. `run` or `lexicon show`). `--update` rewrites every table from the click definitions, so
an option's help is written once, in the code; a test fails when a table is out of date or a
command has no table.

    python tools/doc_options.py            # check
    python tools/doc_options.py --update   # rewrite the tables
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import click

REPO = Path(__file__).resolve().parents[1]
PAGE = REPO / "docs" / "commands.md"
TABLE = re.compile(r"(<!-- options: (?P<name>[a-z ]+) -->\n)(?P<body>.*?)(<!-- end options -->)", re.DOTALL)


def commands() -> dict[str, click.Command]:
    from textmine.cli import cli

    found: dict[str, click.Command] = {}

    def walk(command: click.Command, path: list[str]) -> None:
        if isinstance(command, click.Group):
            for name, sub in sorted(command.commands.items()):
                walk(sub, [*path, name])
        else:
            found[" ".join(path)] = command

    walk(cli, [])
    return found


def _cell(text: str) -> str:
    return " ".join(text.split()).replace("|", "\\|")


def option_table(command: click.Command) -> str:
    context = click.Context(command, info_name=command.name)
    rows = ["| argument or option | meaning |", "|---|---|"]
    for param in command.params:
        if isinstance(param, click.Argument):
            name = (param.name or "").upper() + ("…" if param.nargs == -1 else "")
            rows.append(f"| `{name}` | (argument) |")
            continue
        record = param.get_help_record(context)
        if record is None:
            continue
        names, help_text = record
        rows.append(f"| `{_cell(names)}` | {_cell(help_text)} |")
    return "\n".join(rows) + "\n"


def updated_page(text: str) -> tuple[str, list[str]]:
    """The page with every table rewritten, and the commands that have no table."""
    known = commands()
    seen: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        name = match.group("name").strip()
        seen.add(name)
        if name not in known:
            raise SystemExit(f"{PAGE.name}: no command '{name}'")
        return match.group(1) + option_table(known[name]) + match.group(4)

    return TABLE.sub(replace, text), sorted(set(known) - seen)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--update", action="store_true")
    args = parser.parse_args(argv)
    text = PAGE.read_text(encoding="utf-8")
    new, missing = updated_page(text)
    for name in missing:
        print(f"{PAGE.name}: command '{name}' has no options table")
    if args.update:
        PAGE.write_text(new, encoding="utf-8")
    elif new != text:
        print(f"{PAGE.name}: option tables are out of date: run python tools/doc_options.py --update")
        return 1
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
