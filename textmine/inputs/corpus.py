"""Finding the documents of a corpus: walk inputs, name documents, join metadata.csv.

A ``metadata.csv`` in an input folder maps file names (first column, or a
column named ``file``) to any further columns (country, level, year …), which
are joined onto every unit of that file. File names may be given relative to
the folder of the metadata.csv or as bare names. The nearest metadata.csv
(walking up from the file to the input folder) wins.
"""

from __future__ import annotations

import csv
import hashlib
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from textmine.core.constants import OUTPUT_MANIFEST
from textmine.core.errors import InputError
from textmine.inputs.extract import kind_of
from textmine.inputs.extract.records import RecordRange
from textmine.core.failures import display_path
from textmine.inputs.extract.text import decode_text, jsonl_metadata_fields
from textmine.inputs.walk import walk
from textmine.core.names import check_metadata_columns, record_field

METADATA_FILE = "metadata.csv"
METADATA_OTHER_FORMATS = (".xlsx", ".xls", ".ods", ".tsv")  # a metadata table textmine does not read: say how to fix it
FILE_COLUMNS = ("file", "filename", "file_name", "path", "document")


@dataclass(frozen=True)
class InputFile:
    path: Path
    doc_id: str
    relpath: str  # relative to its input folder (the file name for single files)
    metadata: dict = field(default_factory=dict)
    problem: tuple[str, str] | None = None  # (stage, reason) found while walking: a failure without reading it
    records: RecordRange | None = None  # of a .jsonl file: read only this part of its lines (a task of a split file)


@dataclass
class Corpus:
    files: list[InputFile]
    skipped: list[tuple[str, str]]  # (path, reason) for files textmine does not read
    metadata_columns: list[str]
    warnings: list[str] = field(default_factory=list)  # metadata rows matching no document, metadata.xlsx …


def find_inputs(paths, follow_symlinks: bool = False, encoding: str | None = None, exclude=()) -> Corpus:
    """Collect the files under ``paths`` (files or folders, walked recursively, in sorted order).

    Entries that cannot be read (a folder that cannot be listed, a link leaving the input
    folder unless ``follow_symlinks``) are kept as files with a ``problem``, so that they
    become failures.csv rows instead of disappearing. Folders in ``exclude`` (the run's output
    folder) and output folders of earlier runs are not read."""
    found: list[tuple[Path, Path, tuple[str, str] | None]] = []  # (file, its input root, problem)
    skipped: list[tuple[str, str]] = []
    warnings: list[str] = []
    for raw in paths:
        path = Path(raw)
        if not path.exists():
            raise InputError(f"input not found: {display_path(raw)}")
        if not path.is_dir():
            found.append((path, path.parent, None))
            continue
        for entry in walk(path, follow_symlinks):
            if entry.path.name == METADATA_FILE and not entry.folder:
                continue
            name = entry.path
            if name.stem.lower() == "metadata" and name.suffix.lower() in METADATA_OTHER_FORMATS and not entry.folder:
                warnings.append(f"{display_path(name)}: not used: metadata must be a CSV file; save it as {METADATA_FILE} "
                                "(UTF-8) in the same folder")
                continue
            if kind_of(entry.path) is None and not entry.folder:
                skipped.append((display_path(entry.path), f"not a supported file type ({entry.path.suffix or 'no extension'})"))
                continue
            found.append((entry.path, path, ("read", entry.problem) if entry.problem else None))
    found = _without_output_folders(found, exclude, skipped)
    if not found:
        where = ", ".join(display_path(p) for p in paths)
        detail = f" ({len(skipped)} files of types textmine does not read, e.g. {skipped[0][0]})" if skipped else ""
        raise InputError(f"no documents to read in {where}{detail}; textmine reads PDF, DOCX, HTML, TXT and JSONL files")
    metadata_tables: dict[Path, dict[str, dict]] = {}
    columns: dict[str, None] = {}
    files = []
    ids = _doc_ids([(f, root) for f, root, _ in found])
    for (file, root, problem), doc_id in zip(found, ids):
        metadata = {} if problem else _metadata_for(file, root, metadata_tables, columns)
        files.append(InputFile(file, doc_id, display_path(file.relative_to(root).as_posix()), metadata, problem))
        if kind_of(file) == "jsonl" and not problem:
            for field_name in jsonl_metadata_fields(file, encoding):
                columns.setdefault(field_name if field_name == "record" else record_field(field_name), None)
    walked = [Path(p) for p in paths if Path(p).is_dir()]  # a file given alone uses its row, not the whole table
    walked_tables = {t: rows for t, rows in metadata_tables.items() if any(t.parent.is_relative_to(w) for w in walked)}
    warnings += unmatched_metadata(walked_tables, [f for f, _, _ in found])
    return Corpus(files, skipped, list(columns), warnings)


def unmatched_metadata(tables: dict[Path, dict[str, dict]], files: list[Path]) -> list[str]:
    """A warning for every metadata.csv row whose file name matches no input file below its folder."""
    warnings = []
    for table_path, table in tables.items():
        folder = table_path.parent
        names = set()
        for file in files:
            if file.is_relative_to(folder):
                names.update((file.relative_to(folder).as_posix(), file.name))
        for name in table:
            if name not in names:
                warnings.append(f"{table_path}: row '{name}' matches no input file; its metadata is not used "
                                "(check the file name and its extension)")
    return warnings


def _without_output_folders(found: list[tuple], exclude, skipped: list) -> list[tuple]:
    """``found`` without files inside ``exclude`` or inside a folder holding a run manifest (listed once in ``skipped``)."""
    excluded = {Path(folder).resolve() for folder in exclude}
    verdicts: dict[Path, Path | None] = {}  # folder -> the output folder it is in, or None

    def output_folder(folder: Path, root: Path) -> Path | None:
        if folder not in verdicts:
            own = folder.resolve() in excluded or (folder / OUTPUT_MANIFEST).is_file()
            parent = None if folder == root or folder.parent == folder else output_folder(folder.parent, root)
            verdicts[folder] = folder if own else parent
        return verdicts[folder]

    kept, reported = [], {}
    for entry in found:
        file, root = entry[0], entry[1]
        folder = output_folder(file.parent, root) if root in file.parents else None
        if folder is None:
            kept.append(entry)
        else:
            reported[folder] = None
    roots = {entry[1] for entry in found}
    skipped[:] = [(name, why) for name, why in skipped
                  if not any(root in Path(name).parents and output_folder(Path(name).parent, root) for root in roots)]
    skipped.extend((display_path(folder), "a textmine output folder (not read as input)") for folder in reported)
    return kept


def _doc_ids(found: list[tuple[Path, Path]]) -> list[str]:
    """File stems; where stems collide, stem and extension, then the relative path, then both."""

    def clean(text: str) -> str:
        return re.sub(r"[\s\\]+", "_", display_path(text).strip())

    def ext(file: Path) -> str:
        return "_" + file.suffix.lstrip(".").lower()

    namings = (
        lambda f, root: clean(f.stem),
        lambda f, root: clean(f.stem) + ext(f),
        lambda f, root: clean(f.relative_to(root).with_suffix("").as_posix().replace("/", "_")),
        lambda f, root: clean(f.relative_to(root).with_suffix("").as_posix().replace("/", "_")) + ext(f),
    )
    ids = [namings[0](f, root) for f, root in found]
    for naming in namings[1:]:
        counts = Counter(i.casefold() for i in ids)
        ids = [naming(f, root) if counts[i.casefold()] > 1 else i for (f, root), i in zip(found, ids)]
    return _unique(ids, [kind_of(f) == "jsonl" for f, _ in found])


def _unique(ids: list[str], jsonl: list[bool]) -> list[str]:
    """Ids made unique by construction: ``~2``, ``~3`` … after an id already taken (ignoring case, as some file
    systems do) or one that a .jsonl file's records take (``<id>_<n>``)."""
    records_of = {i.casefold() for i, is_jsonl in zip(ids, jsonl) if is_jsonl}

    def taken(candidate: str, is_jsonl: bool) -> bool:
        if candidate.casefold() in used:
            return True
        stem, _, number = candidate.rpartition("_")
        return not is_jsonl and number.isdigit() and stem.casefold() in records_of

    used: set[str] = set()
    out = []
    for doc_id, is_jsonl in zip(ids, jsonl):
        candidate, n = doc_id, 1
        while taken(candidate, is_jsonl):
            n += 1
            candidate = f"{doc_id}~{n}"
        used.add(candidate.casefold())
        out.append(candidate)
    return out


def _metadata_for(file: Path, root: Path, cache: dict, columns: dict) -> dict:
    for folder in (file.parent, *file.parent.parents):
        table_path = folder / METADATA_FILE
        if table_path.is_file():
            if table_path not in cache:
                cache[table_path] = read_metadata(table_path)
                for row in cache[table_path].values():
                    for name in row:
                        columns.setdefault(name, None)
            table = cache[table_path]
            row = table.get(file.relative_to(folder).as_posix()) or table.get(file.name)
            if row is not None:
                return row
        if folder == root:
            break
    return {}


def read_metadata(path: Path) -> dict[str, dict]:
    """file name -> {column: value} from a metadata.csv (UTF-8, UTF-8 with BOM or GB18030)."""
    text, _ = decode_text(path.read_bytes())
    rows = list(csv.reader(text.splitlines()))
    if not rows:
        return {}
    header = [h.strip() for h in rows[0]]
    lowered = [h.lower() for h in header]
    key = next((lowered.index(c) for c in FILE_COLUMNS if c in lowered), 0)
    if len(set(header)) != len(header):
        raise InputError(f"{path}: duplicate column names in the header")
    check_metadata_columns(path, [name for i, name in enumerate(header) if i != key])
    table = {}
    for line_number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(header):
            raise InputError(f"{path}:{line_number}: {len(row)} cells but the header has {len(header)} columns")
        values = {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header) if i != key}
        table[row[key].strip().replace("\\", "/")] = values
    return table


def file_sha256(path) -> str | None:
    """SHA-256 of a regular file, read in blocks (input files can be large); None when it cannot be read."""
    import os
    import stat

    digest = hashlib.sha256()
    try:
        with open(os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0)), "rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return None
            for block in iter(lambda: handle.read(1 << 20), b""):
                digest.update(block)
    except OSError:
        return None
    return digest.hexdigest()
