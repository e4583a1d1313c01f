"""Options shared by several commands, defined once."""

from __future__ import annotations

import sys

import click

verbose_option = click.option("--verbose", "-v", is_flag=True, expose_value=False, help="Show tracebacks on errors.")

lexicon_option = click.option(
    "--lexicon",
    "lexicons",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Extra lexicon (YAML, quanteda YAML or LIWC .dic); repeatable. Added to the shipped ones.",
)

no_default_lexicons_option = click.option(
    "--no-default-lexicons", is_flag=True, help="Use only the --lexicon files, not the shipped pentagon/instrument ones."
)

password_option = click.option("--password", default=None, help="Password for encrypted PDFs.")


class ProgressBar:
    """A progress(done, total) callback drawing a tqdm bar on stderr, hidden when stderr is not a terminal."""

    def __init__(self, description: str):
        self.description = description
        self.bar = None

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            self.bar = tqdm(total=total, desc=self.description, unit="file", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
        self.bar.update(done - self.bar.n)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()
