"""Cell parsers: exact money, strict dates, flags."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from arbook.core.parse import parse_cents, parse_dates, parse_flag, parse_whole


@pytest.mark.parametrize(
    "text,cents",
    [
        ("1234.50", 123450),
        ("-1,234.5", -123450),
        ("(99.95)", -9995),
        ("$ 12", 1200),
        ("12.3400", 1234),
        ("1 234.56", 123456),
        ("EUR 5", 500),
        ("5 USD", 500),
        ("+3.1", 310),
        ("12.", 1200),
        ("-$5", -500),
        ("€1,000,000.00", 100000000),
    ],
)
def test_amounts_read(text, cents):
    values, blank, bad = parse_cents(pd.Series([text], dtype="str"))
    assert (values[0], blank[0], bad[0]) == (cents, False, False)


@pytest.mark.parametrize("text", ["12.345", "1,23.45", "abc", "1e5", "12..5", "--5", "1.2.3"])
def test_bad_amounts_are_reported_not_guessed(text):
    values, _blank, bad = parse_cents(pd.Series([text], dtype="str"))
    assert bad[0] and values[0] == 0


def test_blank_amounts_and_decimal_comma():
    values, blank, bad = parse_cents(pd.Series(["", None, "  "], dtype="str"))
    assert blank.all() and not bad.any()
    values, blank, bad = parse_cents(
        pd.Series(["1.234,50", "1 234,50 €", "12,5", "12.5"], dtype="str"), decimal=","
    )
    assert values.tolist()[:3] == [123450, 123450, 1250] and bad.tolist() == [
        False,
        False,
        False,
        True,
    ]


@pytest.mark.parametrize("dtype", ["int64", "Int64", "uint64"])
def test_whole_number_amounts_are_range_checked_like_text(dtype):
    # Parquet and DataFrames bring integer columns; 10**17 units would wrap int64 cents.
    units = [12, 10**13 - 1, 10**13, 10**17]
    values, blank, bad = parse_cents(pd.Series(units, dtype=dtype))
    assert values.tolist() == [1200, (10**13 - 1) * 100, 0, 0]
    assert bad.tolist() == [False, False, True, True] and not blank.any()
    text = parse_cents(pd.Series([str(u) for u in units], dtype="str"))[2]
    assert text.tolist() == bad.tolist()


def test_negative_and_blank_whole_number_amounts():
    values, blank, bad = parse_cents(pd.Series([-5, None, -(2**63)], dtype="Int64"))
    assert values.tolist() == [-500, 0, 0]
    assert blank.tolist() == [False, True, False] and bad.tolist() == [False, False, True]


@given(st.integers(min_value=-(10**14), max_value=10**14))
def test_any_cent_amount_round_trips(cents):
    sign = "-" if cents < 0 else ""
    text = f"{sign}{abs(cents) // 100:,}.{abs(cents) % 100:02d}"
    assert parse_cents(pd.Series([text], dtype="str"))[0][0] == cents


def test_dates_strict_iso():
    values, blank, bad, ambiguous = parse_dates(
        pd.Series(
            [
                "2025-01-03",
                "2025-1-3",
                "03/04/2025",
                "25/04/2025",
                "2025-02-30",
                "",
                "2025-01-03 00:00:00",
                "2024-02-29",
            ],
            dtype="str",
        )
    )
    assert values[0] == pd.Timestamp("2025-01-03") and values[6] == pd.Timestamp("2025-01-03")
    assert bad.tolist() == [False, True, True, True, True, False, False, False]
    assert ambiguous.tolist() == [False, False, True, False, False, False, False, False]
    assert blank.tolist()[5]


def test_dates_in_a_declared_order():
    values, _, bad, _ = parse_dates(
        pd.Series(["1/2/2013", "12/31/2013", "2/30/2013"], dtype="str"), "mdy"
    )
    assert values[1] == pd.Timestamp("2013-12-31") and bad.tolist() == [False, False, True]
    values, _, bad, _ = parse_dates(pd.Series(["1/2/2013"], dtype="str"), "dmy")
    assert values[0] == pd.Timestamp("2013-02-01")


def test_flags_and_whole_numbers():
    yes, bad = parse_flag(pd.Series(["Yes", "no", "", None, "maybe", "TRUE"], dtype="str"))
    assert yes.tolist() == [True, False, False, False, False, True]
    assert bad.tolist() == [False, False, False, False, True, False]
    values, _blank, bad = parse_whole(
        pd.Series(["30", "45.0", "x", "", "-1", "99999"], dtype="str")
    )
    assert values[:2].tolist() == [30, 45] and bad.tolist() == [
        False,
        False,
        True,
        False,
        True,
        True,
    ]


def test_a_cell_is_judged_alone_not_by_its_neighbours():
    for neighbours in ([], ["1,000.00"]):
        _values, _, bad = parse_cents(
            pd.Series([".5", "12345678901234.00"] + neighbours, dtype="str")
        )
        assert bad[:2].tolist() == [True, True]
