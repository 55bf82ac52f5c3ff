"""Parsing HTTP Range headers."""

from __future__ import annotations

import pytest

from media.ranges import ByteRange, RangeNotSatisfiable, parse_range


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("bytes=0-99", ByteRange(0, 99)),
        ("bytes=500-", ByteRange(500, 999)),
        ("bytes=-100", ByteRange(900, 999)),
        ("bytes=-5000", ByteRange(0, 999)),
        ("bytes=900-5000", ByteRange(900, 999)),
        ("bytes=0-0", ByteRange(0, 0)),
        ("bytes=10-5", None),  # invalid: answered with the whole file
        ("bytes=0-1,5-6", None),  # several ranges: whole file, as the RFC allows
        ("items=0-5", None),
        ("bytes=-", None),
    ],
)
def test_it_parses(header, expected):
    assert parse_range(header, 1000) == expected


@pytest.mark.parametrize("header", ["bytes=1000-", "bytes=5000-6000", "bytes=-0"])
def test_it_refuses_ranges_past_the_end(header):
    with pytest.raises(RangeNotSatisfiable):
        parse_range(header, 1000)


def test_it_formats_content_range():
    assert ByteRange(0, 99).content_range(1000) == "bytes 0-99/1000"
