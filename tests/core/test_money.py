"""Money (money): the one rounding rule (half-up, away from zero), the reader of amounts people
type, and the formatter of cents for people; exact int cents throughout."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arbook.core.money import NA, format_cents, half_up, parse_money

#: Every amount parse_money takes: fewer than 13 digits of whole units (MAX_UNITS_DIGITS).
CENTS = st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1)


@pytest.mark.parametrize(
    "value, cents",
    [
        ("0.5", 1),  # a half goes away from zero ...
        ("-0.5", -1),  # ... on both sides
        ("2.5", 3),  # not to the even neighbour (banker's rounding would give 2)
        ("-2.5", -3),
        ("2.4999", 2),
        ("-2.4999", -2),
        ("2.5001", 3),
        ("0.4", 0),
        ("-0.4", 0),
        ("1e2", 100),
    ],
)
def test_half_up(value, cents):
    assert half_up(Decimal(value)) == cents


@given(CENTS)
def test_half_up_of_a_half_cent_is_away_from_zero(cents):
    half = Decimal("0.5")
    assert half_up(Decimal(cents) + half) == (cents + 1 if cents >= 0 else cents)
    assert half_up(Decimal(cents) - half) == (cents if cents > 0 else cents - 1)
    assert half_up(-(Decimal(cents) + half)) == -half_up(Decimal(cents) + half)  # symmetric


@pytest.mark.parametrize(
    "value, cents",
    [
        ("1234.5", 123450),
        ("1,234.56", 123456),
        ("12,345,678.90", 1234567890),
        ("$ 12", 1200),
        ("€5", 500),
        ("+5", 500),
        (" 7 ", 700),
        ("(99.95)", -9995),  # accounting parentheses are negative
        ("-0.01", -1),
        (12, 1200),  # a TOML integer is whole units
        (12.5, 1250),  # a TOML float, by its text
        (Decimal("3.10"), 310),
    ],
)
def test_parse_money_reads_what_people_write(value, cents):
    assert parse_money(value) == cents


@pytest.mark.parametrize(
    "value, message",
    [
        ("1.005", "'1.005' has more than 2 decimals; round it to the cent, like 1.01"),
        ("-2.345", "'-2.345' has more than 2 decimals; round it to the cent, like -2.35"),
        ("1.2.3", "'1.2.3' is not an amount of money; write it like 1234.56"),
        ("", "'' is not an amount of money"),
        ("1e3", "'1e3' is not an amount of money"),  # no exponents
        ("1,23", "'1,23' is not an amount of money"),  # a misplaced thousands separator
        (True, "True is not an amount of money"),  # a TOML boolean is no amount
        (None, "None is not an amount of money"),
        ([1], r"\[1\] is not an amount of money"),
        (float("nan"), "nan is not an amount of money"),
        (10**13, "10000000000000 is too large an amount; check the figure"),
        (-(10**13), "is too large an amount"),
        ("1e300", "'1e300' is too large an amount"),  # was decimal.InvalidOperation
        (1e300, r"1e\+300 is too large an amount"),
        (Decimal("1E+400"), "is too large an amount"),  # a TOML float read as Decimal
        ("12345678901234.5", "is too large an amount"),
    ],
)
def test_parse_money_says_what_to_write_instead(value, message):
    with pytest.raises(ValueError, match=message):
        parse_money(value)


def test_parse_money_least_and_example():
    assert parse_money("0.01", least=1) == 1
    assert parse_money(0, least=0) == 0
    with pytest.raises(ValueError, match=r"^0 must be above 0; write the amount like 1234\.56$"):
        parse_money(0, least=1)
    with pytest.raises(ValueError, match=r"^'-1' must be 0 or more; write the amount like 5$"):
        parse_money("-1", least=0, example="like 5")
    with pytest.raises(ValueError, match="write it like 5,000"):
        parse_money("five", example="like 5,000")
    assert parse_money(10**13 - 1) == (10**13 - 1) * 100  # the largest whole amount


@pytest.mark.parametrize(
    "cents, text, signed",
    [
        (0, "0.00", "0.00"),  # zero has no sign, ever
        (5, "0.05", "+0.05"),
        (-5, "-0.05", "-0.05"),  # below a unit the sign is kept: never "0.05" nor "-0.00"
        (-100, "-1.00", "-1.00"),
        (99, "0.99", "+0.99"),
        (123456, "1,234.56", "+1,234.56"),
        (-123456, "-1,234.56", "-1,234.56"),
        (10**12, "10,000,000,000.00", "+10,000,000,000.00"),
        (np.int64(7), "0.07", "+0.07"),
        (None, NA, NA),
        (pd.NA, NA, NA),
        (float("nan"), NA, NA),
    ],
)
def test_format_cents(cents, text, signed):
    assert format_cents(cents) == text
    assert format_cents(cents, sign=True) == signed


@given(CENTS)
def test_formatted_cents_have_one_sign_grouped_units_and_two_decimals(cents):
    text = format_cents(cents)
    assert text != "-0.00" and text.startswith("-") == (cents < 0)
    units, _, decimals = text.lstrip("-").partition(".")
    assert len(decimals) == 2 and all(len(g) == 3 for g in units.split(",")[1:])
    assert 1 <= len(units.split(",")[0]) <= 3
    assert int(units.replace(",", "") + decimals) == abs(cents)


# each parse goes through the column parser (a few ms): fewer examples keep this test fast
@settings(max_examples=30)
@given(CENTS)
def test_what_is_formatted_reads_back_to_the_cent(cents):
    assert parse_money(format_cents(cents)) == cents
    assert parse_money(format_cents(cents, sign=True)) == cents


def test_format_money_names_the_currency_when_known():
    from arbook.core.money import format_money

    assert format_money(123456, "EUR") == "1,234.56 EUR"
    assert format_money(-5, None) == "-0.05" and format_money(500, "") == "5.00"
    assert format_money(None, "EUR") == "n/a"  # no currency on a missing amount
    assert format_money(100, "USD", sign=True) == "+1.00 USD"
