"""A cache of what every command compiles from the lexicons at its start: the lexicon files read and checked
(``lexicon.load_lexicons``) and the matchers made of them for each unit language (``tag.Matcher``: every term form
of every lexicon language, normalised). Together most of the start of `textmine tag`.

An entry is plain JSON (loading one cannot run code) under ``<cache folder>/lexicons/`` (``TEXTMINE_CACHE_DIR``, else
the user's cache folder, as for extracted documents), keyed by a hash of what it was made from (the lexicon files'
bytes and paths, or the lexicons' terms and the unit language), textmine's and OpenCC's versions (OpenCC converts
Traditional terms) and the source of the code that reads lexicons and compiles terms, so that no edit of a lexicon
or of that code is ever served a stale entry. Entries are written atomically (a temporary file renamed into place);
a cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path

from textmine import __version__
from textmine.inputs.cache import default_cache_dir

FORMAT = 1
_CODE_FILES = ("coding/cache.py", "coding/lexicon.py", "coding/tag.py", "core/constants.py", "core/languages.py",
               "core/normalize.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of textmine's and OpenCC's versions and of the source of everything that reads lexicons and compiles terms."""
    import opencc

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{opencc.__version__}".encode())
    for name in _CODE_FILES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def entry_key(*parts) -> str:
    """The key of an entry made from ``parts`` (JSON values) by this code."""
    text = json.dumps([code_version(), *parts], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _path(key: str) -> Path:
    return default_cache_dir() / "lexicons" / f"{key}.json"


def load(key: str) -> dict | None:
    """The entry stored under ``key``, or None when there is none (or it cannot be read)."""
    try:
        entry = json.loads(_path(key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def store(key: str, entry: dict) -> None:
    """Write an entry atomically; nothing happens when the cache folder cannot be written."""
    target = _path(key)
    tmp = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(tmp, target)
    except OSError:
        if tmp is not None and os.path.exists(tmp):
            os.unlink(tmp)
