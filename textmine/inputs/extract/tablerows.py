"""What every source shares about tables: a row as one line of text, and a table's name."""

from __future__ import annotations

import re
from typing import Iterable

from textmine.core.normalize import append_line

CELL_SEPARATOR = " | "
# "Table 3", "Table A-1:", "Tab. 2", "Tabelle 4", "Tableau 1", "表1", "表 3-2", "附表2", "续表1"
CAPTION = re.compile(r"^(?:table|tab\.|tabelle|tableau|tabla|附表|续表|續表|表)\s*[A-Z]?[-\s]?[\d一二三四五六七八九十]+", re.I)


def cell_text(text: str) -> str:
    """A cell's lines joined as a paragraph's lines are (no space between CJK characters), spaces folded."""
    joined = ""
    for line in str(text).splitlines():
        joined = append_line(joined, line)
    return " ".join(joined.split())


def row_text(cells: Iterable[str | None]) -> str:
    """The non-empty cells of a row joined with `` | ``."""
    return CELL_SEPARATOR.join(text for text in (cell_text(cell or "") for cell in cells) if text)


def is_caption(text: str) -> bool:
    return bool(CAPTION.match(text.strip())) and len(text.strip()) <= 200
