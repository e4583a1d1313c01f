"""The work a worker does for one input file: extract, segment, code, and render the rows.

The same functions run in this process, in the local worker processes (``textmine.run.workers``)
and on Dask workers (``textmine.run.dask_cluster``): ``start_worker(settings)`` builds the coder
once per process, ``code_file(input_file)`` returns the file's compact result
(``textmine.run.docresult``). ``settings`` is a ``batch.RunSettings``.
"""

from __future__ import annotations

from typing import Iterator

from textmine.coding.coders import Coder, build_coder
from textmine.coding.lexicon import Lexicon, resolve_lexicons
from textmine.inputs.corpus import InputFile, file_sha256
from textmine.inputs.extract import warm_up
from textmine.run import document
from textmine.run.docresult import encode, render


def run_lexicons(settings) -> list[Lexicon]:
    return resolve_lexicons(settings.lexicons, settings.shipped_lexicons)


def make_coder(settings) -> Coder:
    return build_coder(run_lexicons(settings), settings.models, settings.mode)


def process_file(input_file: InputFile, settings, coder: Coder) -> Iterator:
    """(document, [(unit, codes, scores)], coverage) per document of the file, or a failure record (a dict: file, stage, reason)."""
    return document.code_file(input_file, settings.extract_settings(), coder)


def rendered(input_file: InputFile, settings, coder: Coder) -> Iterator:
    """The rows of every document of the file, or its failure records (``docresult.render``), as they are made."""
    columns = [*coder.code_columns, *coder.score_columns]
    for item in process_file(input_file, settings, coder):
        yield render(item, input_file, columns, settings.context_chars)


def encoded(input_file: InputFile, settings, coder: Coder) -> bytes:
    """The file's compact result: its SHA-256 and rendered rows, compressed."""
    results = list(rendered(input_file, settings, coder))
    return encode(input_file.records.sha256 if input_file.records else file_sha256(input_file.path), results)


_WORKER: dict = {}  # settings and coder of a worker process, built once by start_worker


def start_worker(settings) -> None:
    warm_up()
    _WORKER.update(settings=settings, coder=make_coder(settings))


def code_file(input_file: InputFile) -> bytes:
    """``encoded`` with the worker's settings and coder (``start_worker`` first)."""
    return encoded(input_file, _WORKER["settings"], _WORKER["coder"])


def code_file_with(task: tuple) -> bytes:
    """``encoded`` for (input file, settings), in a process that serves several runs (a Dask worker's): the coder is
    built again only when the settings that shape it change."""
    input_file, settings = task
    if _WORKER.get("shaping") != coder_shaping(settings):
        _WORKER.update(shaping=coder_shaping(settings), coder=make_coder(settings))
    return encoded(input_file, settings, _WORKER["coder"]) if input_file is not None else b""


def coder_shaping(settings) -> tuple:
    """The settings that make the coder."""
    return settings.lexicons, settings.shipped_lexicons, settings.models, settings.mode
