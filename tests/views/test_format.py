"""Formatting for people: money, ratios, missing values."""

from __future__ import annotations

import math

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from arbook.views.format import format_cents, format_ratio, human_table, to_json


def test_money():
    assert format_cents(123456) == "1,234.56"
    assert format_cents(-5) == "-0.05"
    assert format_cents(0) == "0.00"
    assert format_cents(pd.NA) == "n/a"
    assert format_cents(100, sign=True) == "+1.00"


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_money_round_trips_exactly(cents):
    text = format_cents(cents).replace(",", "")
    units, frac = text.lstrip("-").split(".")
    assert (int(units) * 100 + int(frac)) * (-1 if text.startswith("-") else 1) == cents


def test_ratios_and_nan():
    assert format_ratio(0.4567, percent=True) == "45.7%"
    assert format_ratio(math.nan) == "n/a"


def test_table_titles_and_total():
    frame = pd.DataFrame(
        {"customer_id": ["A", "B"], "total_cents": [100, 250050], "dso": [1.0, math.nan]}
    )
    text = human_table(frame, total=True).splitlines()
    # titles as every screen gives them: total_cents is the net receivable (SPEC §3)
    assert text[0].split() == ["customer", "net", "receivable", "dso"]
    assert text[-1].split() == ["TOTAL", "2,501.50"]
    assert "n/a" in text[3]


def test_json_nulls_and_ints():
    frame = pd.DataFrame(
        {"a_cents": [1, 2], "x": [math.nan, 1.5], "d": pd.to_datetime(["2026-01-01", None])}
    )
    assert (
        to_json(frame).replace(" ", "").replace("\n", "")
        == '[{"a_cents":1,"x":null,"d":"2026-01-01"},{"a_cents":2,"x":1.5,"d":null}]'
    )


def test_a_table_for_people_in_russian():
    from arbook.core.i18n import using

    frame = pd.DataFrame({"customer_id": ["A"], "bucket": ["unapplied"], "total_cents": [-102]})
    with using("ru"):
        text = human_table(frame, total=True).splitlines()
        empty = human_table(frame.iloc[:0])
    assert text[0].split()[:2] == ["клиент", "интервал"]
    assert "нераспределённые" in text[2] and text[-1].split() == ["ИТОГО", "-1,02"]
    assert empty == "(нет данных)"
