"""The `textmine` command. Commands only wire options to one library call each.

``app`` defines the command group and ``main``; importing each command module
registers its commands on the group.
"""

from textmine.cli import analysis, extract, kwic, lexicon, models, run, tag  # noqa: F401  (registers the commands)
from textmine.cli.app import cli, main

__all__ = ["cli", "main"]
