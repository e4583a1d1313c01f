"""The PDF stream pre-check: streams too small to break a limit are skipped, the rest are inflated and counted."""

from __future__ import annotations

import zlib

import pytest

from textmine.core.limits import LimitError
from textmine.inputs.extract.pdfstreams import check_streams, inflated_size


def _pdf(*streams: tuple[bytes, bytes]) -> bytes:
    """A PDF body of stream objects, each (its /Length value, its inflated content)."""
    parts = [b"%PDF-1.4\n"]
    for number, (length, content) in enumerate(streams, start=1):
        data = zlib.compress(content, 9)
        parts.append(b"%d 0 obj\n<< /Length %s /Filter /FlateDecode >>\nstream\n" % (number, length or b"%d" % len(data)))
        parts.append(data + b"\nendstream\nendobj\n")
    return b"".join(parts)


def test_a_stream_over_the_limit_is_refused_whatever_its_length_says():
    content = b"0" * 200_000
    for length in (None, b"1", b"3 0 R"):  # true, lying short, indirect
        with pytest.raises(LimitError, match="one stream"):
            check_streams(_pdf((length, content)), limit=100_000, total_limit=10**9)


def test_streams_under_the_limits_pass():
    check_streams(_pdf((None, b"0" * 90_000), (b"1", b"x" * 1000), (b"7 0 R", b"y" * 1000)),
                  limit=100_000, total_limit=200_000)


def test_the_total_counts_exact_sizes_when_the_bounds_are_too_big():
    streams = [(None, b"0" * 5_000)] * 20  # 100,000 bytes inflated; each bound about 30,000
    check_streams(_pdf(*streams), limit=50_000, total_limit=150_000)
    with pytest.raises(LimitError, match="the limit"):
        check_streams(_pdf(*streams), limit=50_000, total_limit=90_000)


def test_a_stream_inflated_in_part_is_bounded_by_what_it_inflates_to():
    random = bytes(range(256)) * 40 + zlib.compress(bytes(range(256)) * 400)  # hard to compress
    contents = [b"0" * 3_000_000, random + b"0" * 2_000_000, b"0" * 2_000_000 + random, random * 20]
    for content in contents:
        data = b"stream\n" + zlib.compress(content, 9) + b"\nendstream"
        length = len(data) - len(b"stream\n\nendstream")
        for enough in (10**5, 10**6, 10**7, 10**8, 10**9):
            bound = inflated_size(data, len(b"stream\n"), 10**10, length, enough)
            assert bound >= len(content)
            assert bound == len(content) or bound <= enough


def test_a_bomb_behind_a_harmless_start_is_refused():
    random = zlib.compress(bytes(range(256)) * 4000)
    with pytest.raises(LimitError, match="one stream"):
        check_streams(_pdf((None, random * 4 + b"0" * 30_000_000)), limit=10_000_000, total_limit=10**9)
