"""The contact log's value checks (shared by contacts, disputes and plans): each bad value is
named with its fix, a good one comes back normalised."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

from arbook.collections.log_fields import cents_value, date_value, moment_value, text_value


def test_text_is_checked_and_stripped_where_blanks_are_not_the_value():
    problems: list[str] = []
    assert text_value("customer_id", "  C1 ", problems, required=True) == "C1"
    assert text_value("note", "  keep  ", problems, required=False) == "  keep  "
    assert text_value("owner", None, problems, required=False) is None and not problems
    assert text_value("who", "   ", problems, required=True) is None
    text_value("reason", "x" * 201, problems, required=True)
    text_value("note", "a\x00b", problems, required=False)
    assert problems == [
        "who is '   '; it must be non-empty text",
        "reason is 201 characters long; at most 200 are kept, shorten it",
        "note 'a\\x00b' holds a NUL character; remove it",
    ]


def test_dates_are_real_iso_dates():
    problems: list[str] = []
    assert date_value("next_date", "2026-11-05", problems) == dt.date(2026, 11, 5)
    assert date_value("next_date", dt.date(2026, 1, 2), problems) == dt.date(2026, 1, 2)
    assert date_value("next_date", None, problems) is None and not problems
    assert date_value("due_date", "2026-02-30", problems) is None
    assert date_value("due_date", "05/11/2026", problems) is None
    assert "write a real date as YYYY-MM-DD" in problems[0]
    assert (
        problems[1] == "due_date is '05/11/2026'; it must be a date (datetime.date or YYYY-MM-DD)"
    )


def test_moments_need_a_time_zone_and_come_back_in_utc():
    problems: list[str] = []
    madrid = dt.timezone(dt.timedelta(hours=1))
    at = moment_value(dt.datetime(2026, 11, 5, 10, 0, tzinfo=madrid), problems)
    assert at == dt.datetime(2026, 11, 5, 9, 0, tzinfo=dt.UTC) and at.tzinfo == dt.UTC
    assert moment_value(dt.datetime(2026, 11, 5, 10, 0), problems) is None
    assert "without a timezone" in problems[0]


@pytest.mark.parametrize(
    ("value", "said"),
    [
        (12.5, "it must be whole cents (an int)"),
        (True, "it must be whole cents (an int)"),
        (0, "a promised amount must be more than 0"),
        (-5, "a promised amount must be more than 0"),
    ],
)
def test_cents_are_whole_and_positive(value, said):
    problems: list[str] = []
    assert cents_value(value, problems) is None
    assert said in problems[0]


def test_cents_accept_numpy_integers():
    problems: list[str] = []
    assert cents_value(np.int64(12550), problems) == 12550 and not problems
    assert cents_value(None, problems) is None
