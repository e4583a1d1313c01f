"""A bound on what a PDF's compressed streams expand to, checked before PDFium expands them.

PDFium inflates a page's whole content stream into memory (a 1 MB file with a 1 GiB
stream took 2.2 GB). Here every Flate stream that is not an image is inflated in small
pieces that are counted and dropped, so memory stays constant; a stream over
``MAX_PDF_STREAM_BYTES`` (or all of them over ``MAX_PDF_TOTAL_BYTES``) refuses the file.
Images are left out: they are decoded only when a page is rendered for OCR, and a scan's
lossless images are legitimately large. Encrypted streams cannot be inflated and pass.
"""

from __future__ import annotations

import re
import zlib

from textmine.core.limits import MAX_PDF_STREAM_BYTES, MAX_PDF_TOTAL_BYTES, LimitError, size_text

_STREAM = re.compile(rb"stream\r?\n")  # not after "end": checked in Python, a lookbehind here scans 30x slower
_PIECE = 1 << 20  # bytes inflated at a time
_DICT_WINDOW = 4096  # how far back a stream's dictionary is looked for


def check_streams(data: bytes, limit: int = MAX_PDF_STREAM_BYTES, total_limit: int = MAX_PDF_TOTAL_BYTES) -> None:
    """Raise LimitError when a non-image Flate stream of the PDF ``data`` inflates beyond the limits."""
    total = 0
    for match in _STREAM.finditer(data):
        if data[max(0, match.start() - 3) : match.start()] == b"end":
            continue
        head = data[max(0, match.start() - _DICT_WINDOW) : match.start()]
        if b"/Image" in head[head.rfind(b" obj") :]:
            continue
        size = inflated_size(data, match.end(), limit + 1)
        if size > limit:
            raise LimitError(f"a compressed PDF stream (at byte {match.end():,}) expands to more than {size_text(limit)}, "
                             "the limit for one stream (a decompression bomb?)")
        total += size
        if total > total_limit:
            raise LimitError(f"the compressed streams of this PDF expand to more than {size_text(total_limit)} (the limit)")


def inflated_size(data: bytes, start: int, stop_at: int) -> int:
    """How many bytes the zlib stream at ``data[start:]`` inflates to (0 if it is not zlib), counting at most to ``stop_at``."""
    inflater = zlib.decompressobj()
    size, position = 0, start
    try:
        while position < len(data) and not inflater.eof and size < stop_at:
            pending = data[position : position + (64 << 10)]
            position += len(pending)
            while pending and size < stop_at and not inflater.eof:
                piece = inflater.decompress(pending, _PIECE)
                if not piece and inflater.unconsumed_tail == pending:
                    break
                size += len(piece)
                pending = inflater.unconsumed_tail
    except zlib.error:
        return size if size else 0
    return size
