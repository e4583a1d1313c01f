"""Errors that textmine reports to users.

Every error a user can cause (bad input file, invalid lexicon, missing column)
is a TextmineError whose message says what went wrong and, where possible,
what to do. The CLI prints the message on one line and exits with
``exit_code``; anything else is a bug and shows a traceback.
"""

from textmine.core.constants import EXIT_USAGE


class TextmineError(Exception):
    """Base class of the errors textmine reports to users."""

    exit_code = EXIT_USAGE


class InputError(TextmineError):
    """A command-line argument, option or input table is unusable."""


class LexiconError(TextmineError):
    """A lexicon file is invalid; ``problems`` lists every problem with its location."""

    def __init__(self, message, problems=()):
        super().__init__(message)
        self.problems = list(problems)


class ExtractionError(TextmineError):
    """A document cannot be read (corrupt, encrypted, empty, not what its name says)."""

    def __init__(self, message, stage="extract"):
        super().__init__(message)
        self.stage = stage
