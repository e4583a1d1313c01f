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
_PIECE = 1 << 16  # bytes inflated at a time
_DICT_WINDOW = 4096  # how far back a stream's dictionary is looked for
_LENGTH = re.compile(rb"/Length(?![0-9A-Za-z])\s*([^/>]*)")  # not /Length1 (fonts); the value up to the next key
MAX_RATIO = 1032  # deflate expands one byte to at most 1032 (258-byte matches coded in 2 bits)
_HELD = 16  # input bytes zlib may have taken but not yet expanded (its bit buffer, and a match half copied)


def check_streams(data: bytes, limit: int = MAX_PDF_STREAM_BYTES, total_limit: int = MAX_PDF_TOTAL_BYTES) -> None:
    """Raise LimitError when a non-image Flate stream of the PDF ``data`` inflates beyond the limits.

    A stream whose compressed length is known (see ``_compressed_bound``) inflates to at most
    ``MAX_RATIO`` times that: it is inflated only when that bound could break a limit (the biggest
    bounds first, until the sum of exact sizes and remaining bounds is within ``total_limit``), and
    only until what it inflated to so far and the bound on the rest are within the limits.
    """
    bounds: list[tuple[int, int, int]] = []  # (bound on the inflated size, start, compressed length), -1 when unknown
    for match in _STREAM.finditer(data):
        if data[max(0, match.start() - 3) : match.start()] == b"end":
            continue
        head = data[max(0, match.start() - _DICT_WINDOW) : match.start()]
        head = head[head.rfind(b" obj") :]
        if b"/Image" in head:
            continue
        length = _compressed_bound(data, head, match.end())
        bounds.append((-1, match.end(), -1) if length is None else (MAX_RATIO * (length + 1), match.end(), length))
    total = sum(bound for bound, _, _ in bounds if bound >= 0)
    for bound, start, length in sorted(bounds, key=lambda item: (item[0] >= 0, -item[0])):  # unknown first, then biggest
        if 0 <= bound <= limit and total <= total_limit:
            break  # this stream and all later ones (smaller bounds) are within the limits unread
        enough = min(limit, total_limit - total + bound) if length >= 0 else -1
        size = inflated_size(data, start, limit + 1, length, enough)
        if size > limit:
            raise LimitError(f"a compressed PDF stream (at byte {start:,}) expands to more than {size_text(limit)}, "
                             "the limit for one stream (a decompression bomb?)")
        total += size - max(bound, 0)
    if total > total_limit:
        raise LimitError(f"the compressed streams of this PDF expand to more than {size_text(total_limit)} (the limit)")


def _compressed_bound(data: bytes, head: bytes, start: int) -> int | None:
    """An upper bound on how many bytes of ``data`` from ``start`` PDFium reads as this stream, or None.

    PDFium takes ``/Length`` bytes when ``endstream`` follows them, else it reads up to the first
    ``endstream`` (or ``endobj``): with a direct ``/Length`` that does not reach past the first
    ``endstream``, the stream is no longer than the distance to it. An indirect ``/Length``
    (``12 0 R``) is not resolved here: None, and the stream is inflated.
    """
    end = data.find(b"endstream", start)
    lengths = _LENGTH.findall(head)
    if end < 0 or not lengths:
        return None
    values = [value.strip() for value in lengths]
    if not all(value.isdigit() for value in values) or any(int(value) > end - start for value in values):
        return None
    return end - start


def inflated_size(data: bytes, start: int, stop_at: int, length: int = -1, enough: int = -1) -> int:
    """How many bytes the zlib stream at ``data[start:]`` inflates to (0 if it is not zlib), counting at most to ``stop_at``.

    For a stream of at most ``length`` compressed bytes (-1: unknown), inflating stops as soon as the size so far
    plus ``MAX_RATIO`` times the bytes not inflated yet is at most ``enough``: that bound is returned.
    """
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
                if length >= 0:
                    unread = max(0, start + length - position + len(pending))
                    bound = size + MAX_RATIO * (unread + _HELD)
                    if bound <= enough and not inflater.eof:
                        return bound
    except zlib.error:
        return size if size else 0
    return size
