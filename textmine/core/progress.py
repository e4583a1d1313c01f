"""Progress within one document (pages read by OCR), reported to whoever listens, never printed here.

The stage that does slow work per page calls ``page_done(done, total)``; the code running a batch
listens with ``listening(callback)`` (in a worker process the callback sends the numbers to the
parent, see ``textmine.run.workers``). Nothing is reported when nobody listens.
"""

from __future__ import annotations

import contextlib
from typing import Callable, Iterator

_listeners: list[Callable[[int, int], None]] = []


def page_done(done: int, total: int) -> None:
    """``done`` of ``total`` slow pages of the current document are read."""
    if _listeners:
        _listeners[-1](done, total)


@contextlib.contextmanager
def listening(callback: Callable[[int, int], None] | None) -> Iterator[None]:
    """Send ``page_done`` calls made inside the block to ``callback`` (None: keep them silent)."""
    if callback is None:
        yield
        return
    _listeners.append(callback)
    try:
        yield
    finally:
        _listeners.remove(callback)
