"""Runs the stages over a corpus and writes the coded dataset.

extract -> segment -> tag, one document at a time (units are streamed to the
output files, never held for the whole corpus), then emphasis matrices, the
cross-table of the framework schemes (instrument x pentagon), report.xlsx and run.json. A file that
cannot be read is recorded in failures.csv with its stage and reason; the
rest of the batch goes on.

Files are read by ``settings.workers`` processes (``textmine.run.workers``), or by the
workers of a Dask cluster (``textmine.run.dask_cluster``), each file within
``settings.timeout`` seconds; their compact results (``textmine.run.docresult``) are
written in input order, so outputs do not depend on the number of workers or where they
run. Extracted documents are kept in ``settings.cache_dir`` (``textmine.inputs.cache``) for
re-runs; each file's result is kept in the output folder for ``--resume``
(``textmine.run.resume``).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from functools import partial
from typing import Callable, Iterable, Iterator, Sequence

from textmine.analysis import stats
from textmine.analysis.aggregate import CrosstabAccumulator, accumulator_for
from textmine.analysis.coded import CodeInfo, code_infos
from textmine.analysis.grouping import Grouping, choose_grouping
from textmine.coding.coders import Coder, build_coder
from textmine.coding.lexicon import Lexicon, SchemeRoles, scheme_roles
from textmine.core.constants import DEFAULT_MODE, EXIT_OK, EXIT_SOME_FAILED, FILE_TIMEOUT, HIT_CONTEXT, XLSX_UNITS
from textmine.core.errors import InputError
from textmine.core.export import CsvWriter
from textmine.inputs.corpus import InputFile, find_inputs
from textmine.inputs.extract import PRELOAD, ExtractSettings, kind_of, warm_up
from textmine.outputs.rows import (
    DOCUMENT_COLUMNS, FAILURE_COLUMNS, HIT_COLUMNS, UNIT_COLUMNS, WARNING_COLUMNS, failure_row,
)
from textmine.outputs.run_record import run_info, write_run_json
from textmine.outputs.unit_formats import UNIT_FORMATS, write_unit_formats
from textmine.run.docresult import decode, langs_of, shown_as
from textmine.run.filetask import code_file, encoded, make_coder, process_file, rendered, run_lexicons, start_worker
from textmine.run.progress import RunProgress
from textmine.run.resume import ResumeStore
from textmine.run.finish import write_outputs
from textmine.run import parts
from textmine.run.workers import run_ordered
from textmine.run.outfolder import OutputFolder
from textmine.run.sink import DocumentSink

__all__ = ["RunResult", "RunSettings", "make_coder", "process_file", "run", "run_lexicons"]


@dataclass(frozen=True)
class RunSettings:
    """What `textmine run` does; ``lexicons`` are extra lexicon files added to the shipped ones."""

    lexicons: tuple[str, ...] = ()
    shipped_lexicons: bool = True
    models: tuple[str, ...] = ()
    mode: str = DEFAULT_MODE
    password: str | None = None
    context_chars: int = HIT_CONTEXT
    xlsx: bool = True
    xlsx_units: str = "auto"  # the coded_units and hits sheets of report.xlsx: auto (while they are small), all, none
    by: tuple[str, ...] = ()  # grouping columns of the comparative analysis; default: textmine.analysis.grouping
    formats: tuple[str, ...] = ()  # coded_units also in these formats (dta, parquet), besides coded_units.csv
    report: bool = True  # the comparative analysis: matrices, framework, tests, figures/, report.html
    # execution: worker processes (1: in this process), time limit per input file in seconds (None: none),
    # extraction cache folder (None: no cache), OCR of pages without usable text, OCR language (None: automatic)
    workers: int = 1
    timeout: float | None = FILE_TIMEOUT
    cache_dir: str | None = None
    ocr: bool = True
    ocr_lang: str | None = None
    encoding: str | None = None  # of plain-text inputs (None: detected)
    follow_symlinks: bool = False  # follow symbolic links that leave an input folder
    # a Dask cluster runs the files instead of ``workers``: an existing scheduler (address, or scheduler file) or a
    # LocalCluster of ``cluster`` worker processes; ``resume``: take over what an earlier run into the folder completed
    scheduler: str | None = None
    scheduler_file: str | None = None
    cluster: int = 0
    resume: bool = False

    def __post_init__(self):
        if self.context_chars < 0:
            raise ValueError("context_chars must be >= 0")
        if self.workers < 1:
            raise ValueError("workers must be >= 1")
        if set(self.formats) - set(UNIT_FORMATS):
            raise ValueError(f"formats must be among {', '.join(UNIT_FORMATS)}")
        if self.xlsx_units not in XLSX_UNITS:
            raise ValueError(f"xlsx_units must be one of {', '.join(XLSX_UNITS)}")
        if self.timeout is not None and self.timeout <= 0:
            raise ValueError("timeout must be > 0 seconds (or None for no limit)")
        if self.cluster < 0:
            raise ValueError("cluster must be >= 0 worker processes")
        if sum(map(bool, (self.scheduler, self.scheduler_file, self.cluster))) > 1:
            raise ValueError("give one of scheduler, scheduler_file and cluster")
        self.extract_settings()  # checks the OCR language and encoding names

    @property
    def on_dask(self) -> bool:
        return bool(self.scheduler or self.scheduler_file or self.cluster)

    def extract_settings(self) -> ExtractSettings:
        """The extraction part of these settings (the one place that builds it)."""
        return ExtractSettings(password=self.password, ocr=self.ocr, ocr_lang=self.ocr_lang, ocr_timeout=self.timeout,
                               cache_dir=self.cache_dir, encoding=self.encoding)


@dataclass
class RunResult:
    out: Path
    documents: int = 0
    units: int = 0
    hits: int = 0
    failures: list[dict] = field(default_factory=list)
    coverage_warnings: list[dict] = field(default_factory=list)  # documents with little of their text in units (warnings.csv)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)  # about the inputs: metadata rows matching no file …
    grouping: Grouping | None = None  # of the comparative analysis
    ocr_languages: set[str] = field(default_factory=set)  # Tesseract languages the documents were read with
    files: dict[str, Path] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)  # about the outputs: sheets left out of report.xlsx …
    input_hashes: dict[Path, str] = field(default_factory=dict)  # SHA-256 of the files read, as extraction found it
    files_resumed: int = 0  # input files whose results an earlier run into the folder completed (--resume)
    files_processed: int = 0  # input files this run read

    @property
    def exit_code(self) -> int:
        return EXIT_SOME_FAILED if self.failures else EXIT_OK


def run(inputs: Sequence[str], out, settings: RunSettings = RunSettings(), progress: Callable | None = None,
        pages: Callable | None = None, status: Callable[[RunProgress], None] | None = None,
        notice: Callable[[str], None] | None = None) -> RunResult:
    """Code every document under ``inputs`` and write the dataset into folder ``out``.

    ``progress(done, total)`` is called at the start and after each input file; ``pages(file, done, total)`` while a
    long document's pages are read by OCR; ``status(RunProgress)`` after each file (done, failed, remaining, pages/s);
    ``notice(text)`` with the Dask dashboard's address. ``out`` is locked while the run writes and cleared of the
    previous run's files first (``textmine.run.outfolder``), except, with ``settings.resume``, the results it keeps.
    """
    with OutputFolder(out) as folder:
        return _run(inputs, folder, settings, progress, pages, status, notice)


def _run(inputs: Sequence[str], folder: OutputFolder, settings: RunSettings, progress: Callable | None,
         pages: Callable | None, status: Callable | None = None, notice: Callable | None = None) -> RunResult:
    started = time.time()
    lexicons = run_lexicons(settings)
    corpus = find_inputs(inputs, settings.follow_symlinks, settings.encoding, exclude=[folder.path])
    out = folder.path
    result = RunResult(out, skipped=corpus.skipped, warnings=list(corpus.warnings))
    coder = build_coder(lexicons, settings.models, settings.mode)
    columns = [*coder.code_columns, *coder.score_columns]
    meta_columns = ["file", *[c for c in corpus.metadata_columns if c not in (*UNIT_COLUMNS, "text", "file")]]
    unit_columns = [*UNIT_COLUMNS, *meta_columns, "text", *columns]
    for clash in set(meta_columns) & set(columns):
        raise InputError(f"metadata column '{clash}' has the name of a code column; rename it in metadata.csv or the .jsonl")
    result.grouping = analysis_by(settings.by, meta_columns)
    by = list(result.grouping.by)
    folder.start()
    store = ResumeStore(out, lexicons, coder, settings)
    if not settings.resume:
        store.clear()
    writers = {
        "coded_units": CsvWriter(out / "coded_units.csv", unit_columns),
        "hits": CsvWriter(out / "hits.csv", HIT_COLUMNS),
        "documents": CsvWriter(out / "documents.csv", DOCUMENT_COLUMNS),
        "failures": CsvWriter(out / "failures.csv", FAILURE_COLUMNS),
        "warnings": CsvWriter(out / "warnings.csv", WARNING_COLUMNS),
    }
    roles = scheme_roles(lexicons)
    codes = _code_infos(lexicons, coder.code_columns)
    emphasis = accumulator_for(
        codes, keys=["doc_id", *[c for c in by if c not in meta_columns and c != "doc_id"]], carry=meta_columns,
        pairs=roles.framework,
    )
    crosstab = _crosstab_for(lexicons, roles)
    sink = DocumentSink(writers, meta_columns, columns, result, emphasis, crosstab)
    tally = RunProgress(len(corpus.files))
    if progress:
        progress(0, len(corpus.files))  # the display starts before the first (perhaps long) file
    tests_ahead = settings.report and bool(coder.code_columns)  # the analysis will import SciPy: done after the first file
    try:
        for done, (input_file, items) in enumerate(_coded_files(corpus.files, settings, coder, pages, store, result, notice), start=1):
            for item in items:
                tally.count(item)
                if "stage" in item:
                    sink.failure(item)
                else:
                    sink.document(item, input_file)
            tally.file_done()
            if tests_ahead:
                stats.warm_up()
                tests_ahead = False
            if progress:
                progress(done, len(corpus.files))
            if status:
                status(tally)
        sink.flush()
    except BaseException:
        for writer in writers.values():
            writer.abort()
        raise
    finally:
        store.close()
    for name, writer in writers.items():
        writer.close()
        result.files[name] = writer.path
    result.files.update(write_unit_formats(out / "coded_units.csv", columns, settings.formats))
    info = run_info(inputs, corpus, lexicons, settings, result, started)
    write_outputs(out, lexicons, roles, codes, emphasis, crosstab, result, info,
                  settings, result.grouping if settings.report else None, sink.numbers.columns())
    result.notes = info.get("notes", [])
    info["seconds"] = round(time.time() - started, 3)
    result.files["run"] = write_run_json(out, info)
    return result


def _coded_files(files: Sequence[InputFile], settings: RunSettings, coder: Coder, pages, store: ResumeStore, result: RunResult,
                 notice=None) -> Iterator[tuple[InputFile, Iterable[dict]]]:
    """(input file, its rendered results: ``docresult.render``) for every file, in order.

    With ``settings.resume`` the files an earlier run completed come from ``store``; the others run
    (``_outcomes``), and each completed result is kept in ``store``. A file that takes longer than
    ``settings.timeout`` or kills its worker gets a failure record (stage "timeout", "crash" or "worker"),
    which a resumed run tries again."""
    kept = store.completed(files) if settings.resume else {}
    result.files_resumed, result.files_processed = len(kept), len(files) - len(kept)
    todo = [input_file for index, input_file in enumerate(files) if index not in kept]
    outcomes = iter(_outcomes(todo, settings, coder, pages, notice))
    for index, input_file in enumerate(files):
        if index in kept:
            yield input_file, shown_as(decode(kept[index].read_bytes())[1], input_file)
            continue
        outcome = next(outcomes)
        if not outcome.ok:
            yield input_file, [failure_row(input_file.path, outcome.stage, outcome.reason)]
        elif isinstance(outcome.value, bytes):
            sha256, items = decode(outcome.value)
            store.save(input_file, outcome.value, sha256, langs_of(items))
            yield input_file, shown_as(items, input_file)
        else:  # a JSON-lines corpus read in this process streams, or one a worker lost a part of (not kept)
            yield input_file, shown_as(outcome.value, input_file) if isinstance(outcome.value, list) else outcome.value


def _outcomes(files: Sequence[InputFile], settings: RunSettings, coder: Coder, pages=None, notice=None):
    """workers.Outcome of every file, in order, run by ``settings.workers`` processes or on Dask (large .jsonl
    files in parts: ``textmine.run.parts``)."""
    limit = partial(_time_limit, settings=settings)
    if settings.workers <= 1 and not settings.on_dask:
        on_pages = (lambda index, done, total: pages(files[index].relpath, done, total)) if pages else None
        func = partial(_code_here, settings=settings, coder=coder)
        return run_ordered(func, files, 1, limit, initializer=warm_up, on_pages=on_pages)
    owned = parts.split(files, settings.extract_settings())
    tasks = [task for _, task in owned]
    if settings.on_dask and tasks:
        from textmine.run.dask_cluster import dask_outcomes  # dask is an optional extra, imported only here

        return parts.joined(owned, dask_outcomes(tasks, settings, limit, notice))
    on_pages = (lambda index, done, total: pages(tasks[index].relpath, done, total)) if pages else None
    return parts.joined(owned, run_ordered(code_file, tasks, settings.workers, limit, initializer=start_worker,
                                           initargs=(settings,), preload=PRELOAD, on_pages=on_pages))


def _time_limit(input_file: InputFile, settings: RunSettings) -> float | None:
    return None if kind_of(input_file.path) == "jsonl" else settings.timeout


def _code_here(input_file: InputFile, settings: RunSettings, coder: Coder):
    if kind_of(input_file.path) == "jsonl":  # a corpus file streams; others run in the time limit
        return rendered(input_file, settings, coder)
    return encoded(input_file, settings, coder)


def _crosstab_for(lexicons: Sequence[Lexicon], roles: SchemeRoles) -> CrosstabAccumulator | None:
    """Units carrying a code of the rows scheme and one of the columns scheme, when both roles are taken."""
    if roles.framework is None:
        return None
    schemes = {lexicon.scheme: lexicon for lexicon in lexicons}
    rows, cols = (schemes[scheme] for scheme in roles.framework)
    return CrosstabAccumulator({c: rows.column(c) for c in rows.codes}, {c: cols.column(c) for c in cols.codes})


def analysis_by(by: Sequence[str], meta_columns: Sequence[str]) -> Grouping:
    """The grouping of `run`'s comparative analysis, by the rule of ``textmine.analysis.grouping``."""
    allowed = ["doc_id", "lang", *meta_columns]
    for column in by:
        if column not in allowed:
            raise InputError(f"--by: no column '{column}'; the columns are: {', '.join(allowed)} (metadata.csv adds more)")
    return choose_grouping(by, allowed)


def _code_infos(lexicons: Sequence[Lexicon], columns: Sequence[str]) -> list[CodeInfo]:
    known = {info.column: info for info in code_infos(lexicons)}
    return [known.get(c) or CodeInfo(c, c.split("_", 1)[0], c.split("_", 1)[-1]) for c in columns]
