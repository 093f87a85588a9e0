"""What the Collections tab's form sends, read exactly
(:mod:`arbook.views.dashboard.collections_views`): amounts to whole cents, days as ISO dates,
anything else refused in a sentence."""

from __future__ import annotations

import datetime as dt

import pytest

from arbook.core.errors import ParameterError
from arbook.views.dashboard.collections_views import parse_amount, parse_day


@pytest.mark.parametrize(
    "text, cents",
    [
        ("12", 1200),
        ("12.3", 1230),
        ("12.34", 1234),
        ("1,234.50", 123450),
        (" 0.01 ", 1),
        ("", None),
    ],
)
def test_amounts_parse_exactly_to_cents(text, cents):
    assert parse_amount(text) == cents


@pytest.mark.parametrize("text", ["12.345", "-5", "1e3", "12,34", "abc", "0", "0.00", "1.2.3"])
def test_bad_amounts_are_refused(text):
    with pytest.raises(ParameterError, match="amount"):
        parse_amount(text)


def test_days_are_iso_or_refused():
    assert parse_day("2026-11-02", "next") == dt.date(2026, 11, 2)
    assert parse_day(" ", "next") is None
    for bad in ("2026-02-30", "02/11/2026", "tomorrow"):
        with pytest.raises(ParameterError, match="YYYY-MM-DD"):
            parse_day(bad, "next")
