"""Limits on model and lexicon files, checked before their content is expanded.

A model (.skops, a zip) is refused when it declares more members or more bytes than any model
textmine writes, or when its schema.json is too large or nested too deeply; a lexicon (YAML)
when it is too large, nested too deeply, uses an explicit tag other than the plain YAML types
(``!!python/…``), or when its aliases would expand into too many values (an alias bomb). The
checks read only the zip directory and the YAML event stream, so a small file that would expand
into gigabytes is refused in constant memory. The limits are far above what real files need
(the shipped models: 9 members, 2.4 MB unpacked, schema.json 9 kB nested 6 deep).
"""

from __future__ import annotations

import zipfile

import numpy as np

MAX_MODEL_FILE_BYTES = 256 << 20
MAX_MODEL_MEMBERS = 1000
MAX_MODEL_UNPACKED_BYTES = 512 << 20
MAX_SCHEMA_BYTES = 8 << 20
MAX_SCHEMA_DEPTH = 64

MAX_LEXICON_BYTES = 32 << 20
MAX_YAML_DEPTH = 32
MAX_YAML_VALUES = 1_000_000  # after expanding aliases; the shipped lexicons have 1,223 and 1,771
PLAIN_TAGS = {None, "!"} | {f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")}

_OPEN, _CLOSE = np.frombuffer(b"[{", dtype=np.uint8), np.frombuffer(b"]}", dtype=np.uint8)


def model_problem(archive: zipfile.ZipFile) -> str | None:
    """Why a model zip is refused, judged from its directory (declared sizes), or None."""
    members = archive.infolist()
    if len(members) > MAX_MODEL_MEMBERS:
        return f"{len(members)} files inside (at most {MAX_MODEL_MEMBERS})"
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_MODEL_UNPACKED_BYTES:
        return f"it unpacks to {unpacked:,} bytes (at most {MAX_MODEL_UNPACKED_BYTES:,})"
    schema = next((m for m in members if m.filename == "schema.json"), None)
    if schema is not None and schema.file_size > MAX_SCHEMA_BYTES:
        return f"schema.json has {schema.file_size:,} bytes (at most {MAX_SCHEMA_BYTES:,})"
    return None


def json_depth(data: bytes) -> int:
    """How deeply JSON text nests arrays and objects, counted in linear time without parsing it."""
    chars = np.frombuffer(data, dtype=np.uint8)
    if not len(chars):
        return 0
    index = np.arange(len(chars), dtype=np.int32)
    last_other = np.maximum.accumulate(np.where(chars == ord("\\"), -1, index))  # last position not a backslash
    backslashes_before = index - 1 - np.concatenate(([-1], last_other[:-1]))
    quotes = (chars == ord('"')) & (backslashes_before % 2 == 0)
    outside = np.cumsum(quotes, dtype=np.int32) % 2 == 0  # not within a string
    steps = (np.isin(chars, _OPEN) & outside).astype(np.int32) - (np.isin(chars, _CLOSE) & outside)
    return int(np.cumsum(steps).max())


def fast_yaml_loader() -> type:
    """libyaml when PyYAML has it: the same events and marks as the pure-Python loader, ~15x faster. (PyYAML is
    imported here, when a lexicon file is read: a start that finds its lexicons cached does without it.)"""
    import yaml

    return getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_problem(text: str) -> tuple[int | None, str] | None:
    """(line, why) if a YAML text breaks a limit, else None; reads events only, builds nothing."""
    import yaml

    if len(text) > MAX_LEXICON_BYTES:
        return None, f"the file has {len(text):,} characters (at most {MAX_LEXICON_BYTES:,})"
    sizes: dict[str, int] = {}  # anchor -> values it stands for, aliases expanded
    stack: list[tuple[str | None, int]] = [(None, 0)]  # per open collection: its anchor, values in it so far
    try:
        for event in yaml.parse(text, Loader=fast_yaml_loader()):
            line = event.start_mark.line + 1 if event.start_mark is not None else None
            tag = getattr(event, "tag", None)
            if tag is not None and tag not in PLAIN_TAGS:
                tag = tag.replace("tag:yaml.org,2002:", "!!")
                return line, f"tag {tag} is not allowed in a lexicon (only plain text, numbers, lists and mappings)"
            if isinstance(event, yaml.CollectionStartEvent):
                stack.append((event.anchor, 1))
                if len(stack) > MAX_YAML_DEPTH:
                    return line, f"nested more than {MAX_YAML_DEPTH} levels deep"
                continue
            if isinstance(event, yaml.CollectionEndEvent):
                anchor, size = stack.pop()
            elif isinstance(event, yaml.ScalarEvent):
                anchor, size = event.anchor, 1
            elif isinstance(event, yaml.AliasEvent):
                anchor, size = None, sizes.get(event.anchor, 1) if event.anchor is not None else 1
            else:
                continue
            if anchor is not None:
                sizes[anchor] = size
            stack[-1] = (stack[-1][0], stack[-1][1] + size)
            if stack[-1][1] > MAX_YAML_VALUES:
                return line, f"its aliases (*name) expand to more than {MAX_YAML_VALUES:,} values"
    except yaml.YAMLError:
        return None  # a syntax error: the reader reports it with its line
    return None
