"""The one place where what goes wrong with one input becomes failures.csv rows (``core.failures``)."""

from __future__ import annotations

from typing import Any, Callable, Iterator

from textmine.core.failures import display_path, error_row
from textmine.core.types import Document


def guarded(input_file, settings, work: Callable[[Document], Any]) -> Iterator:
    """``work(document)`` for every document of ``input_file``, else failures.csv rows: each input ends up
    as documents or as rows, never both and never neither.

    A problem found while walking, a file that cannot be read, a .jsonl record that cannot be read (its
    row, and the next records go on) and an error in ``work`` for one document all become rows here."""
    from textmine.inputs.extract import extract_documents

    if input_file.problem:
        stage, reason = input_file.problem
        yield {"file": display_path(input_file.path), "stage": stage, "reason": reason}
        return
    bad: list[dict] = []
    try:
        for document in extract_documents(input_file.path, input_file.doc_id, settings, bad.append, input_file.records):
            yield from _drain(bad)
            try:
                result = work(document)
            except Exception as error:  # a bug or a library failure on one document must not stop the batch
                yield error_row(document.path, error)
                continue
            yield result
    except Exception as error:
        yield from _drain(bad)
        yield error_row(input_file.path, error)
        return
    yield from _drain(bad)


def _drain(rows: list[dict]) -> Iterator[dict]:
    while rows:
        yield rows.pop(0)
