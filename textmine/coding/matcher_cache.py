"""A cache of compiled matchers: the patterns and normalised keys that ``tag.Matcher`` makes of the lexicons for a unit
language (every term form of every lexicon language: most of the start of `textmine tag`).

An entry is plain JSON (loading one cannot run code) under ``<cache folder>/matchers/`` (``TEXTMINE_CACHE_DIR``, else
the user's cache folder, as for extracted documents), keyed by a hash of the lexicons' content, the unit language,
textmine's version, OpenCC's (it converts Traditional terms) and the source of the code that compiles terms, so that
no edit of a lexicon or of that code is ever served a stale entry. Entries are written atomically (a temporary file
renamed into place); a cache that cannot be read or written only costs time.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Sequence

from textmine import __version__
from textmine.coding.lexicon import Lexicon
from textmine.inputs.cache import default_cache_dir

FORMAT = 1
_CODE_FILES = ("coding/tag.py", "coding/matcher_cache.py", "core/normalize.py", "core/languages.py")


@lru_cache(maxsize=1)
def code_version() -> str:
    """A hash of textmine's and OpenCC's versions and of the source of everything that compiles terms."""
    import opencc

    root = Path(__file__).resolve().parents[1]
    digest = hashlib.sha256(f"{FORMAT}\0{__version__}\0{opencc.__version__}".encode())
    for name in _CODE_FILES:
        digest.update((root / name).read_bytes())
    return digest.hexdigest()


def key(lexicons: Sequence[Lexicon], lang: str) -> str:
    """The entry of these lexicons' terms, exclusions and cues, in their order, for units of ``lang``."""
    content = [[lexicon.scheme, _table(lexicon.policy_cues),
                [[c.code, _table(c.terms), _table(c.exclude), _table(c.policy_only)] for c in lexicon.categories]]
               for lexicon in lexicons]
    text = json.dumps([code_version(), lang, content], ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _table(terms) -> list:
    return [[lang, list(items)] for lang, items in terms.items()]


def _path(entry_key: str) -> Path:
    return default_cache_dir() / "matchers" / f"{entry_key}.json"


def load(entry_key: str) -> dict | None:
    """The entry stored under ``entry_key``, or None when there is none (or it cannot be read)."""
    try:
        entry = json.loads(_path(entry_key).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return entry if isinstance(entry, dict) else None


def store(entry_key: str, entry: dict) -> None:
    """Write an entry atomically; nothing happens when the cache folder cannot be written."""
    target = _path(entry_key)
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
