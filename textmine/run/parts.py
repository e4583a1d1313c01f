"""A large JSON-lines corpus file read as several tasks, so that workers share it.

One .jsonl file can hold most of a corpus (a database export); as one task it would keep one
worker busy while the others wait. ``split`` cuts such a file into tasks of about
``PART_BYTES`` bytes of records (``InputFile.records``), each reading only its bytes, and ``joined`` puts the
outcomes of a file's tasks back together, in order, as the one outcome of the file, so that
what follows (writing rows, ``--resume``) sees files as before and the outputs do not change.
"""

from __future__ import annotations

import codecs
from dataclasses import replace
from typing import Iterable, Iterator, Sequence

from textmine.core.failures import display_path
from textmine.inputs.corpus import InputFile
from textmine.inputs.extract import ExtractSettings, jsonl_parts, kind_of
from textmine.outputs.rows import failure_row
from textmine.run.docresult import decode
from textmine.run.workers import Outcome

PART_BYTES = 300_000  # about 100,000 Chinese characters, 0.1 s of coding: small next to a corpus, large next to a task


def split(files: Sequence[InputFile], settings: ExtractSettings) -> list[tuple[int, InputFile]]:
    """(index of its file, task) for every task: a UTF-8 .jsonl file of more than ``PART_BYTES`` bytes in parts
    (``textmine.inputs.extract.records``), unless ``--encoding`` names another encoding."""
    utf8 = settings.encoding is None or codecs.lookup(settings.encoding).name in ("utf-8", "utf-8-sig")
    tasks = []
    for index, input_file in enumerate(files):
        readable = utf8 and kind_of(input_file.path) == "jsonl" and not input_file.problem
        ranges = jsonl_parts(input_file.path, PART_BYTES) if readable else []
        if len(ranges) > 1:
            tasks.extend((index, replace(input_file, records=r)) for r in ranges)
        else:
            tasks.append((index, input_file))
    return tasks


def joined(tasks: Sequence[tuple[int, InputFile]], outcomes: Iterable[Outcome]) -> Iterator[Outcome]:
    """One Outcome per file from the Outcomes of its tasks (given in task order).

    A file whose tasks all succeeded gets their compact results joined (``docresult.decode`` reads
    them as one); a task that failed (its worker crashed) becomes a failures.csv row naming its
    lines (``file#first-last``) between the rows of the others, which are kept."""
    outcomes = iter(outcomes)
    position = 0
    while position < len(tasks):
        index = tasks[position][0]
        mine = []
        while position < len(tasks) and tasks[position][0] == index:
            mine.append((tasks[position][1], next(outcomes)))
            position += 1
        yield _join(index, mine)


def _join(index: int, parts: list[tuple[InputFile, Outcome]]) -> Outcome:
    if len(parts) == 1:
        return replace(parts[0][1], index=index)
    seconds = sum(outcome.seconds for _, outcome in parts)
    peak = max(outcome.worker_peak_kb for _, outcome in parts)
    if all(outcome.ok for _, outcome in parts):
        return Outcome(index, b"".join(outcome.value for _, outcome in parts), seconds=seconds, worker_peak_kb=peak)
    items: list = []
    for task, outcome in parts:
        if outcome.ok:
            items.extend(decode(outcome.value)[1])
        else:
            lines = f"#{task.records.first}-{task.records.last}" if task.records else ""
            items.append(failure_row(f"{display_path(task.path)}{lines}", outcome.stage, outcome.reason))
    return Outcome(index, items, seconds=seconds, worker_peak_kb=peak)

