"""Dates (dates): day numbers since 1970-01-01, ISO text only, months and month ends, and the
message that says how to write a date that is not one."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from arbook.core.dates import (
    as_date,
    day_number,
    day_stamp,
    days_of,
    days_text,
    iso,
    month_end,
    month_end_day,
    months_before,
    parse_month,
    previous_month_end,
)
from arbook.core.errors import ParameterError


@pytest.mark.parametrize(
    "value, day",
    [
        ("1970-01-01", 0),
        ("1970-01-02", 1),
        ("1969-12-31", -1),
        # 2026-10-31: 56 years with 14 leap days (1972..2024) = 20,454, + 303 days of 2026
        ("2026-10-31", 20757),
        (" 2026-10-31 ", 20757),
        (dt.date(2026, 10, 31), 20757),
        (dt.datetime(2026, 10, 31, 23, 59), 20757),  # the time of day is dropped
        (pd.Timestamp("2026-10-31 15:00"), 20757),
        (np.datetime64("2026-10-31"), 20757),
        (20757, 20757),  # already a day number
        (np.int64(5), 5),
    ],
)
def test_day_number(value, day):
    assert day_number(value) == day
    assert type(day_number(value)) is int


@pytest.mark.parametrize(
    "value",
    [
        "03/04/2026",  # March 4th or April 3rd: refused, never guessed
        "2026-13-01",
        "2026-02-30",
        "2026-1-1",
        "20261031",
        "2026-10-31T00:00",
        "yesterday",
        "",
        None,
        True,  # a bool is no day number
        pd.NaT,
        [1],
    ],
)
def test_day_number_refuses_with_how_to_write_it(value):
    with pytest.raises(
        ParameterError, match=r"^as-of date .* is not a date; write it as YYYY-MM-DD$"
    ):
        day_number(value)


def test_the_message_quotes_what_was_given():
    with pytest.raises(ParameterError) as err:
        day_number("31/10/2026")
    assert str(err.value) == "as-of date '31/10/2026' is not a date; write it as YYYY-MM-DD"


def test_a_float_is_not_a_day_number():
    with pytest.raises(ParameterError):
        day_number(20757.0)


def test_day_stamp_iso_and_as_date():
    assert day_stamp(20757) == pd.Timestamp("2026-10-31")
    assert day_stamp("2026-10-31") == pd.Timestamp("2026-10-31 00:00")
    assert iso(0) == "1970-01-01" and iso(dt.date(2024, 2, 29)) == "2024-02-29"
    assert as_date("2026-02-28") == dt.date(2026, 2, 28)
    with pytest.raises(ParameterError, match="write it as YYYY-MM-DD"):
        iso("2026/02/28")


def test_days_of_a_column():
    column = pd.Series(
        pd.to_datetime(["1970-01-01", "2026-10-31", "2026-10-31 12:00"], format="ISO8601")
    )
    days = days_of(column)
    assert days.tolist() == [0, 20757, 20757] and days.dtype == np.int64


@pytest.mark.parametrize("text", ["2026-10", " 2026-10 ", pd.Period("2026-10", "M")])
def test_parse_month(text):
    assert parse_month(text) == pd.Period("2026-10", freq="M")


@pytest.mark.parametrize("text", ["2026-1", "2026-13", "202610", "2026-10-01", ["2026-10"]])
def test_parse_month_refuses_with_how_to_write_it(text):
    with pytest.raises(
        ParameterError, match=r"is not a month; write it as YYYY-MM, e\.g\. 2026-10"
    ):
        parse_month(text)


def test_parse_month_refuses_none():
    with pytest.raises(ParameterError):
        parse_month(None)


def test_month_end_day():
    assert iso(month_end_day(pd.Period("2024-02", "M"))) == "2024-02-29"  # a leap year
    assert iso(month_end_day(pd.Period("2026-02", "M"))) == "2026-02-28"
    assert month_end_day(pd.Period("2026-10", "M")) == 20757


@pytest.mark.parametrize(
    "value", ["2026-10-31", "2024-02-29", "2026-02-28", dt.date(2026, 12, 31), "2026-11-30"]
)
def test_month_end_takes_month_ends(value):
    day = month_end(value)
    assert day.is_month_end and day == day.normalize() and day == pd.Timestamp(value)


def test_month_end_names_the_month_end_to_write():
    with pytest.raises(ParameterError) as err:
        month_end("2026-10-30")
    assert str(err.value) == (
        "as-of date 2026-10-30 is not a month end; a review is as of a month end, e.g. 2026-10-31"
    )
    with pytest.raises(ParameterError, match=r"2024-02-28 is not a month end.*e\.g\. 2024-02-29$"):
        month_end("2024-02-28")  # a leap year's February


@pytest.mark.parametrize("value", ["10/31/2026", "31/10/2026"])
def test_month_end_refuses_text_that_is_not_iso(value):
    with pytest.raises(ParameterError, match="write it as YYYY-MM-DD"):
        month_end(value)


@pytest.mark.parametrize("value", ["nope", None, pd.NaT, "2026-10-31 12:00"])
def test_month_end_refuses_what_is_not_a_date(value):
    with pytest.raises(ParameterError, match="is not a date; write it as YYYY-MM-DD"):
        month_end(value)


@pytest.mark.parametrize(
    "value, months, back",
    [
        ("2026-03-31", 1, "2026-02-28"),  # the day clamped to the shorter month
        ("2024-03-31", 1, "2024-02-29"),
        ("2026-10-31", 12, "2025-10-31"),
        ("2026-01-15", 1, "2025-12-15"),  # across the year
        ("2026-01-15", 0, "2026-01-15"),
    ],
)
def test_months_before(value, months, back):
    assert months_before(value, months) == pd.Timestamp(back)


@pytest.mark.parametrize(
    "value, end",
    [
        ("2026-03-15", "2026-02-28"),
        ("2026-03-31", "2026-02-28"),  # a month end's previous one, not itself
        ("2026-01-01", "2025-12-31"),
        ("2024-03-01", "2024-02-29"),
    ],
)
def test_previous_month_end(value, end):
    got = previous_month_end(value)
    assert got == pd.Timestamp(end) and got == got.normalize()


@pytest.mark.parametrize(
    "count, text, signed",
    [
        (1, "1 day", "+1 day"),  # one day is singular, either sign
        (-1, "-1 day", "-1 day"),
        (0, "0 days", "+0 days"),
        (30, "30 days", "+30 days"),
        (-5, "-5 days", "-5 days"),
        (1234, "1,234 days", "+1,234 days"),
    ],
)
def test_days_text(count, text, signed):
    assert days_text(count) == text
    assert days_text(count, sign=True) == signed
