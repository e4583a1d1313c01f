"""The `textmine` command group and its entry point; the command modules add their commands to ``cli``.

Exit status: 0 success; 2 bad input (invalid lexicon, missing column, unknown
option …), reported on one line; 3 when a batch finished but some files could
not be read (see failures.csv); 1 for an unexpected error (a bug: rerun with
--verbose for the traceback).
"""

from __future__ import annotations

import gc
import sys
import traceback

import click

from textmine import __version__
from textmine.core.constants import EXIT_BUG, EXIT_INTERRUPTED, EXIT_USAGE
from textmine.core.errors import TextmineError


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="textmine")
@click.option("--verbose", "-v", is_flag=True, help="Show tracebacks and details on errors.")
def cli(verbose):
    """Code policy documents against the pentagon and policy-instrument schemes."""


def main(argv=None) -> None:
    # A command allocates many small objects (units, codes, rows) that live until it ends; at CPython's default
    # thresholds the cycle collector scans them again and again (15% of `tag` on a large document): collect rarer.
    gc.set_threshold(50_000, 20, 20)
    argv = list(sys.argv[1:] if argv is None else argv)
    verbose = "--verbose" in argv or "-v" in argv
    try:
        code = cli.main(args=argv, prog_name="textmine", standalone_mode=False)
    except click.exceptions.UsageError as error:
        hint = f" (see `{error.ctx.command_path} --help`)" if error.ctx else ""
        _fail(f"{error.format_message()}{hint}", EXIT_USAGE)
    except click.exceptions.Abort:
        _fail("aborted", EXIT_INTERRUPTED)
    except click.ClickException as error:
        _fail(error.format_message(), error.exit_code)
    except TextmineError as error:
        if verbose:
            traceback.print_exc()
        _fail(str(error), error.exit_code)
    except KeyboardInterrupt:
        _fail("interrupted", EXIT_INTERRUPTED)
    except Exception as error:  # a bug: say so briefly unless asked for details
        if verbose:
            traceback.print_exc()
            sys.exit(EXIT_BUG)
        _fail(f"unexpected {type(error).__name__}: {error} (rerun with --verbose for the traceback)", EXIT_BUG)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(message: str, code: int) -> None:
    click.echo(f"textmine: error: {message}", err=True)
    sys.exit(code)

