"""The one rule every comparative command (run, report, plot, matrix, terms) uses to choose its grouping.

1. the columns given with ``--by``;
2. else the configured default: the environment variable ``TEXTMINE_BY`` (columns separated by commas),
   used when the data has those columns;
3. else the first of ``DEFAULT_COLUMNS`` (country, region …) that the data has;
4. else documents (doc_id).

Every command prints ``Grouping.describe()`` so that a reader knows which rule applied.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence

CONFIG_VARIABLE = "TEXTMINE_BY"
DEFAULT_COLUMNS = ("country", "region", "province", "state", "city")
DOCUMENTS = "doc_id"


@dataclass(frozen=True)
class Grouping:
    by: tuple[str, ...]
    reason: str
    fallback: bool = False  # nothing asked for a grouping and the data has no grouping column: one group per document

    def describe(self) -> str:
        return f"grouped by {' × '.join(self.by)} ({self.reason})"


def configured_default() -> tuple[str, ...]:
    """The columns of ``TEXTMINE_BY``, if set."""
    value = os.environ.get(CONFIG_VARIABLE, "")
    return tuple(c.strip() for c in value.split(",") if c.strip())


def choose_grouping(by: Sequence[str], columns: Sequence[str], configured: Sequence[str] | None = None) -> Grouping:
    """The grouping for data with ``columns``: ``by`` if given, else the configured default, else the first of
    DEFAULT_COLUMNS present, else documents. ``configured`` defaults to ``TEXTMINE_BY``."""
    if by:
        return Grouping(tuple(by), "--by")
    configured = configured_default() if configured is None else tuple(configured)
    present = set(columns)
    if configured and all(c in present for c in configured):
        return Grouping(tuple(configured), f"the configured default {CONFIG_VARIABLE}")
    for column in DEFAULT_COLUMNS:
        if column in present:
            return Grouping((column,), f"the default: the first of {', '.join(DEFAULT_COLUMNS)} in the data; change with --by")
    missing = f"; {CONFIG_VARIABLE}={','.join(configured)} names columns the data does not have" if configured else ""
    return Grouping((DOCUMENTS,), f"the default: the data has none of {', '.join(DEFAULT_COLUMNS)}{missing}; change with --by",
                    fallback=True)
