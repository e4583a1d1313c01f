"""Options shared by several commands, defined once."""

from __future__ import annotations

import sys
import time
from typing import Any

import click

from textmine.core.constants import DEFAULT_MODE, MODES

STATUS_SECONDS = 30.0

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

model_option = click.option(
    "--model",
    "models",
    multiple=True,
    type=click.Path(dir_okay=False),
    help="Trained model (.skops from `textmine train`, or a shipped one: pentagon, instrument); repeatable, one per scheme.",
)

mode_option = click.option(
    "--mode",
    type=click.Choice(MODES),
    default=DEFAULT_MODE,
    show_default=True,
    help="How schemes with a model are coded: lexicon hits; model above threshold; or lexicon plus model additions. "
    "model/hybrid without --model use the shipped models.",
)


class ProgressBar:
    """A progress(done, total) callback drawing a tqdm bar on stderr, hidden when stderr is not a terminal."""

    def __init__(self, description: str):
        self.description = description
        self.bar: Any = None
        self.printed = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        if self.bar is None:
            from tqdm import tqdm

            tqdm.monitor_interval = 0  # no monitor thread: a process with one thread forks its workers (textmine.run.workers)
            self.bar = tqdm(total=total, desc=self.description, unit="file", file=sys.stderr, disable=not sys.stderr.isatty(), leave=False)
        self.bar.update(done - self.bar.n)

    def pages(self, name: str, done: int, total: int) -> None:
        """Pages of a long document read so far (OCR), shown beside the file count."""
        if self.bar is not None:
            self.bar.set_postfix_str(f"{name}: OCR page {done}/{total}" if done < total else "", refresh=True)

    def status(self, progress) -> None:
        """Files done / failed / remaining and pages per second (a ``run.progress.RunProgress``): beside the bar on a
        terminal, else a line every STATUS_SECONDS (a long run's log)."""
        if self.bar is not None and not self.bar.disable:
            self.bar.set_postfix_str(progress.describe(), refresh=False)
            return
        now = time.monotonic()
        if now - self.printed >= STATUS_SECONDS:
            self.printed = now
            click.echo(f"{self.description}: {progress.describe()}", err=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if self.bar is not None:
            self.bar.close()


def execution_options(command):
    """--workers, --timeout, --no-cache, --cache-dir, --no-ocr, --ocr-lang, --encoding, --follow-symlinks: how documents
    are found and read, shared by run and extract."""
    options = [
        click.option("--workers", type=click.IntRange(1), default=None,
                     help="Worker processes reading documents in parallel [default: all cores; 1 runs in this process]."),
        click.option("--timeout", type=click.FloatRange(0), default=120, show_default=True,
                     help="Seconds an input file may take before it is given up (failures.csv stage 'timeout'); 0: no limit."),
        click.option("--no-cache", is_flag=True, help="Do not reuse or keep extracted text (see --cache-dir)."),
        click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
                     help="Extraction cache folder [default: $TEXTMINE_CACHE_DIR, else ~/.cache/textmine]."),
        click.option("--no-ocr", is_flag=True, help="Do not OCR pages without usable text (they are reported instead)."),
        click.option("--ocr-lang", default=None, metavar="LANGS",
                     help="Tesseract language(s) for OCR, e.g. chi_sim, chi_tra, eng, chi_sim+eng [default: from the document]."),
        click.option("--encoding", default=None, metavar="NAME",
                     help="Text encoding of .txt/.md/.html/.jsonl inputs, e.g. gb18030, big5, utf-16-le [default: detected]."),
        click.option("--follow-symlinks", is_flag=True,
                     help="Follow symbolic links that point outside an input folder (default: listed in failures.csv)."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def execution_settings(workers, timeout, no_cache, cache_dir, no_ocr, ocr_lang, encoding, follow_symlinks) -> dict:
    """The RunSettings fields for the execution options."""
    from textmine.inputs.cache import default_cache_dir
    from textmine.run.workers import default_workers

    return {
        "workers": workers or default_workers(),
        "timeout": timeout or None,
        "cache_dir": None if no_cache else str(cache_dir or default_cache_dir()),
        "ocr": not no_ocr,
        "ocr_lang": ocr_lang,
        "encoding": encoding,
        "follow_symlinks": follow_symlinks,
    }


def _cluster(value: str | None) -> int:
    if value is None:
        return 0
    kind, _, count = value.partition(":")
    if kind != "local" or not count.isdigit() or int(count) < 1:
        raise click.BadParameter(f"'{value}': use local:N, N worker processes on this machine (e.g. local:4)")
    return int(count)


def cluster_options(command):
    """--scheduler, --scheduler-file, --cluster, --resume of `run`: where documents are read, and taking over an earlier run."""
    options = [
        click.option("--scheduler", default=None, metavar="ADDRESS",
                     help="Run the documents on this Dask cluster, e.g. tcp://10.0.0.5:8786 (needs pip install 'textmine[dask]')."),
        click.option("--scheduler-file", type=click.Path(dir_okay=False, exists=True), default=None,
                     help="Run the documents on the Dask cluster this scheduler file (dask scheduler --scheduler-file) names."),
        click.option("--cluster", default=None, metavar="local:N",
                     help="Run the documents on a Dask cluster of N worker processes started on this machine."),
        click.option("--resume", is_flag=True,
                     help="Keep the results of documents an earlier run into --out completed, with the same inputs, "
                          "lexicons, models and options; read only the others."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def cluster_settings(scheduler, scheduler_file, cluster, resume) -> dict:
    """The RunSettings fields for the cluster options."""
    if sum(map(bool, (scheduler, scheduler_file, cluster))) > 1:
        raise click.UsageError("give one of --scheduler, --scheduler-file and --cluster")
    if scheduler or scheduler_file or cluster:
        try:
            import distributed  # noqa: F401
        except ImportError:
            raise click.UsageError("--scheduler, --scheduler-file and --cluster need Dask: pip install 'textmine[dask]'") from None
    return {"scheduler": scheduler, "scheduler_file": scheduler_file, "cluster": _cluster(cluster), "resume": resume}
