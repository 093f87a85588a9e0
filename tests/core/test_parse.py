"""Cell parsers: exact money, strict dates, flags."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import ledger_of
from hypothesis import given
from hypothesis import strategies as st

from arbook.core.parse import (
    amount_currency,
    decimal_of,
    infer_date_order,
    misread_decimal,
    parse_cents,
    parse_dates,
    parse_flag,
    parse_whole,
)


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
        ("(1,234.50)", -123450),
        ("($1,234.50)", -123450),
        ("€(5.00)", -500),
        ("- $ 5", -500),
        ("$-5", -500),
        ("RUB 5", 500),
        ("5 ₽", 500),
        ("£5", 500),
        ("GBP 5", 500),
        ("1\u00a0234.50", 123450),  # no-break space
        ("9,999,999,999,999.99", 10**15 - 1),
        ("(9999999999999.99)", -(10**15 - 1)),
    ],
)
def test_amounts_read(text, cents):
    values, blank, bad = parse_cents(pd.Series([text], dtype="str"))
    assert (values[0], blank[0], bad[0]) == (cents, False, False)


@pytest.mark.parametrize(
    "text",
    ["12.345", "1,23.45", "abc", "1e5", "12..5", "--5", "1.2.3", "-(100.00)", "(100.00-)"]
    + ["(100.00", "100.00)", "100.00--", "-100.00-", "1,234,5", "1,23,4.00", "1 23.00", "$.50"]
    + ["5 xy", "0x10", "NaN", "inf", "-", "10000000000000.00", "(10,000,000,000,000.00)"]
    + ["10000000000000.00-", "-10 000 000 000 000"],
)
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
    values, _blank, bad = parse_cents(
        pd.Series(["1\u00a0234,50 ₽", "1'234,5", "EUR 12", "1.234,5.0", "1.23,45"], dtype="str"),
        decimal=",",
    )
    assert values.tolist()[:3] == [123450, 123450, 1200] and bad.tolist()[2:] == [False, True, True]


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


@given(
    st.lists(st.text(alphabet="0123456789,.-", min_size=1, max_size=22), min_size=1, max_size=30),
    st.sampled_from([".", ","]),
)
def test_the_one_cast_of_common_amounts_reads_them_as_the_patterns_do(cells, decimal):
    # most cells take one test and one cast; the general reader, which reads every form, must
    # give each the same cents and the same verdict
    import pyarrow as pa

    from arbook.core import parse

    values, _blank, bad = parse_cents(pd.Series(cells, dtype="str"), decimal)
    general, good = parse._cents_general(pa.array(cells, pa.large_string()), decimal)
    assert bad.tolist() == (~good).tolist()
    assert values.tolist() == general.tolist()


@given(
    st.lists(
        st.tuples(
            st.booleans(),
            st.text(alphabet="0123456789", min_size=1, max_size=13),
            st.text(alphabet="0123456789", max_size=2),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([".", ","]),
)
def test_a_column_of_plain_amounts_reads_to_the_cent(cells, decimal):
    # a column of plain amounts is read by one cast, its cents taken off the decimal's storage:
    # exactly what Decimal says, negatives, leading zeros and thirteen digits of units included
    from decimal import Decimal

    texts = [
        ("-" if minus else "") + units + (decimal + frac if frac else "")
        for minus, units, frac in cells
    ]
    values, blank, bad = parse_cents(pd.Series(texts, dtype="str"), decimal)
    expected = [int(Decimal(t.replace(",", ".")) * 100) for t in texts]
    assert values.tolist() == expected and not bad.any() and not blank.any()


@pytest.mark.parametrize("decimal", [".", ","])
def test_thirteen_digits_of_units_are_the_most_even_grouped(decimal):
    group = "," if decimal == "." else "."
    cells = [f"9{group}999{group}999{group}999{group}999{decimal}99", "10" + f"{group}000" * 4]
    values, _blank, bad = parse_cents(pd.Series(cells + ["1" * 14, "1" * 40], dtype="str"), decimal)
    assert values.tolist()[0] == 999_999_999_999_999 and bad.tolist() == [False, True, True, True]


def test_dates_iso_and_reported_cells():
    values, blank, bad, ambiguous, mixed = parse_dates(
        pd.Series(
            ["2025-01-03", "2025-1-3", "03/04/2025", "2025-02-30", "", "2025-01-03 00:00:00"]
            + ["2024-02-29", "2025-02-29"],
            dtype="str",
        )
    )
    assert values[0] == pd.Timestamp("2025-01-03") and values[5] == pd.Timestamp("2025-01-03")
    assert values[6] == pd.Timestamp("2024-02-29") and values[[1, 2, 3, 4, 7]].isna().all()
    assert bad.tolist() == [False, True, True, True, False, False, False, True]
    # 03/04/2025 is the only day/month date and nothing else in the column settles its order
    assert ambiguous.tolist() == [False, False, True, False, False, False, False, False]
    assert blank.tolist()[4] and not mixed.any()


def test_dates_in_a_declared_order():
    values, _, bad, _, _ = parse_dates(
        pd.Series(["1/2/2013", "12/31/2013", "2/30/2013"], dtype="str"), "mdy"
    )
    assert values[1] == pd.Timestamp("2013-12-31") and bad.tolist() == [False, False, True]
    values, _, bad, _, _ = parse_dates(pd.Series(["1/2/2013"], dtype="str"), "dmy")
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


# -- issue 11 item 8: signs, currency marks, separators -----------------------------------------


@pytest.mark.parametrize(
    "text,cents",
    [
        ("(5.00 €)", -500),
        ("100.00-", -10000),  # trailing minus, as SAP and 1C write it
        ("1,234.50- USD", -123450),
        ("\u2212100.00", -10000),  # U+2212 MINUS SIGN
        ("5 руб.", 500),
        ("5 руб", 500),
        ("5 р.", 500),
        ("РУБ. 7", 700),
        ("US$ 12.00", 1200),
        ("12 Kč", 1200),
        ("zł 3", 300),
        ("4 kr", 400),
        ("Fr. 1'234.50", 123450),  # Swiss apostrophe
        ("1\u2019234.50", 123450),  # ... typed as a right single quote
        ("1\u202f234\u202f567.89", 123456789),  # narrow no-break space
        ("1 234 567.89 EUR", 123456789),
    ],
)
def test_signs_marks_and_separators(text, cents):
    values, blank, bad = parse_cents(pd.Series([text], dtype="str"))
    assert (values[0], blank[0], bad[0]) == (cents, False, False)


@pytest.mark.parametrize(
    "text",
    [
        "(-100.00)",  # minus twice: contradictory, never guessed either way
        "(+100.00)",
        "1,234 567.00",  # two kinds of separator
        "$ 5 USD",  # two marks
        "1 EUR 234",  # a mark inside the number
        "€€5",
    ],
)
def test_contradictory_or_unreadable_amounts_are_bad(text):
    values, blank, bad = parse_cents(pd.Series([text], dtype="str"))
    assert (values[0], blank[0], bad[0]) == (0, False, True)


@pytest.mark.parametrize(
    "text,cents",
    [
        ("130 500,00 руб.", 13050000),
        ("1.234.567,89-", -123456789),
        ("(1 234,50 €)", -123450),
    ],
)
def test_decimal_comma_forms(text, cents):
    values, _blank, bad = parse_cents(pd.Series([text], dtype="str"), decimal=",")
    assert (values[0], bad[0]) == (cents, False)


def test_a_cell_with_the_other_decimal_mark_is_named():
    cells = pd.Series(
        ["1.234,50", "12,50", "abc", "1,234.5", "130 500,00 руб.", "", "10.005"], dtype="str"
    )
    _values, _blank, bad = parse_cents(cells)
    assert bad.tolist() == [True, True, True, False, True, False, True]
    # 10.005 would read with a decimal comma (as 10005), but it has no comma: three decimals
    assert misread_decimal(cells, bad).tolist() == [True, True, False, False, True, False, False]
    _values, _blank, bad = parse_cents(cells, ",")
    assert misread_decimal(cells, bad, ",").tolist() == [False] * 3 + [True] + [False] * 3


def test_the_currency_an_amount_names():
    cells = pd.Series(
        ["130 500,00 руб.", "US$ 5", "5 eur", "$5", "5 kr", "5", None, "5 xy", "€ 5 $"],
        dtype="str",
    )
    codes = amount_currency(cells, ",").tolist()
    assert codes[:3] == ["RUB", "USD", "EUR"] and pd.isna(codes[3:]).all()


@given(
    st.integers(min_value=-(10**15) + 1, max_value=10**15 - 1),
    st.sampled_from([".", ","]),
    st.sampled_from(["", ",", " ", "\u00a0", "\u202f", "'"]),
    st.sampled_from(["-{}", "\u2212{}", "({})", "{}-", "- {}"]),
    st.sampled_from(["", "$", "€", "£", "₽", "руб.", "р.", "RUB", "US$", "kr", "zł", "Kč", "EUR"]),
    st.booleans(),
    st.sampled_from(["", " "]),
    st.booleans(),
)
def test_any_cent_amount_reads_back_in_every_accepted_style(
    cents, decimal, sep, negative, mark, before, space, trim
):
    units, rest = divmod(abs(cents), 100)
    sep = "." if sep == "," and decimal == "," else sep
    body = f"{units:,}".replace(",", sep)
    body += "" if trim and rest == 0 else decimal + f"{rest:02d}"
    signed = negative.format(body) if cents < 0 else body
    if mark:  # "руб.5" is refused: is the dot the word's or the decimal point?
        space = " " if before and mark.endswith(".") else space
        signed = mark + space + signed if before else signed + space + mark
    values, _blank, bad = parse_cents(pd.Series([signed], dtype="str"), decimal)
    assert (values[0], bad[0]) == (cents, False), signed


@given(
    st.lists(
        st.tuples(
            st.integers(min_value=-(10**12), max_value=10**12),
            st.sampled_from(
                ["{:.2f}", "{:,.2f}", "({:,.2f})", "{:.2f}-", "$ {:,.2f}", "{:,.2f} ₽"]
            ),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_a_column_of_mixed_styles_reads_each_cell_alone(rows):
    def written(cents: int, style: str) -> str:
        text = style.format(abs(cents) / 100) if "(" in style or "-" in style else None
        if text is None:  # a sign in front
            return style.format(cents / 100).replace("$ -", "-$ ")
        return (
            text
            if cents < 0
            else style.replace("(", "").replace(")", "").rstrip("-").format(cents / 100)
        )

    # cents up to 10**12 are exact as floats over 100, so the formatting does not round
    cells = pd.Series([written(c, s) for c, s in rows], dtype="str")
    values, _blank, bad = parse_cents(cells)
    assert values.tolist() == [c for c, _ in rows] and not bad.any(), cells.tolist()


# -- issue 11 item 8: dates --------------------------------------------------------------------


@pytest.mark.parametrize(
    "text,date",
    [
        ("2026-01-06 00:00:00", "2026-01-06"),
        ("2026-01-06T10:15:03", "2026-01-06"),
        ("2026-01-06T23:59:59Z", "2026-01-06"),  # the date as written: no shift to UTC
        ("2026-01-06T23:30:00-08:00", "2026-01-06"),
        ("2026-01-06 10:15:03.125+05:30", "2026-01-06"),
        ("2026-01-06 10:15 PM", "2026-01-06"),
        ("20260106", "2026-01-06"),
        ("6-Jan-2026", "2026-01-06"),
        ("06-JAN-2026", "2026-01-06"),
        ("15 Jul 2026", "2026-07-15"),
        ("15 July 2026", "2026-07-15"),
        ("Jul 15, 2026", "2026-07-15"),
        ("July 15th, 2026", "2026-07-15"),
        ("Jan 6 2026", "2026-01-06"),
        ("15 jul 2026", "2026-07-15"),  # Spanish
        ("15-ene-2026", "2026-01-15"),
        ("15 de julio de 2026", "2026-07-15"),
        ("3 dic. 2026", "2026-12-03"),
        ("15 июля 2026 г.", "2026-07-15"),  # Russian, as 1C writes it
        ("15 июля 2026г.", "2026-07-15"),
        ("1 марта 2026 года", "2026-03-01"),
        ("15 ИЮЛ 2026", "2026-07-15"),
        ("15\u00a0янв.\u00a02026", "2026-01-15"),
        ("15.07.2026", "2026-07-15"),  # 15 cannot be a month: the column is day first
        ("15.07.2026 0:00:00", "2026-07-15"),
        ("15.07.2026 г.", "2026-07-15"),
        ("19/04/2026", "2026-04-19"),
        ("04/19/2026", "2026-04-19"),
        ("05/05/2026", "2026-05-05"),  # one date whichever way round
        ("29 Feb 2024", "2024-02-29"),
    ],
)
def test_date_forms_read(text, date):
    values, blank, bad, ambiguous, mixed = parse_dates(pd.Series([text], dtype="str"))
    assert values[0] == pd.Timestamp(date)
    assert not (blank[0] or bad[0] or ambiguous[0] or mixed[0])


@pytest.mark.parametrize(
    "text",
    [
        "06-Jan-26",  # two-digit year: the century would be a guess
        "06/01/26",
        "6 Foo 2026",
        "Foo 6, 2026",
        "31 февраля 2026",
        "29 Feb 2026",
        "2026-01-06 25:00",  # not a time of day, so not dropped
        "2026-01-06 10:15 tomorrow",
        "2026-01-06T",
        "2026-1-6",
        "46028",  # a spreadsheet's day number
        "yesterday",
        "13/13/2026",
        "32.01.2026",
    ],
)
def test_unreadable_dates_are_bad(text):
    values, _blank, bad, ambiguous, _mixed = parse_dates(pd.Series([text], dtype="str"))
    assert bad[0] and not ambiguous[0] and pd.isna(values[0])


def test_a_time_zone_aware_column_keeps_its_wall_date():
    stamps = pd.Series(pd.to_datetime(["2026-01-06 23:30", None]).tz_localize("America/New_York"))
    values, blank, bad, _, _ = parse_dates(stamps)
    assert values[0] == pd.Timestamp("2026-01-06") and blank.tolist() == [False, True]
    assert not bad.any()


ES = "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre"
RU = "января февраля марта апреля мая июня июля августа сентября октября ноября декабря"


@given(
    st.datetimes(min_value=dt.datetime(1900, 1, 1), max_value=dt.datetime(2099, 12, 31)),
    st.sampled_from(
        ["%Y-%m-%d", "%Y-%m-%d %H:%M:%S", "%Y-%m-%dT%H:%M:%SZ", "%Y%m%d", "%d-%b-%Y"]
        + ["%d %B %Y", "%b %d, %Y", "%d.%m.%Y", "%m/%d/%Y", "es", "ru"]
    ),
)
def test_any_date_reads_back_in_every_accepted_form(when, form):
    if form == "es":
        text = f"{when.day} de {ES.split()[when.month - 1]} de {when.year}"
    elif form == "ru":
        text = f"{when.day} {RU.split()[when.month - 1]} {when.year} г."
    else:
        text = when.strftime(form)
    order = {"%d.%m.%Y": "dmy", "%m/%d/%Y": "mdy"}.get(form, "iso")
    values, _blank, bad, _, _ = parse_dates(pd.Series([text], dtype="str"), order)
    assert values[0] == pd.Timestamp(when.date()) and not bad[0], text


# -- issue 11 item 8: the day/month order from the column --------------------------------------


@pytest.mark.parametrize(
    "cells,order",
    [
        (["03/04/2026", "19/04/2026"], "dmy"),
        (["03/04/2026", "04/19/2026"], "mdy"),
        (["03/04/2026", "05/06/2026"], None),  # every one could be either
        (["19/04/2026", "04/19/2026"], None),  # both settled
        (["2026-04-19", "15 Jul 2026"], None),  # nothing numeric
        (["31/02/2026", "03/04/2026"], None),  # not a real date either way: settles nothing
        (["05/05/2026", "03/04/2026"], None),
    ],
)
def test_infer_date_order(cells, order):
    assert infer_date_order(pd.Series(cells, dtype="str")) == order


def test_one_settling_date_gives_the_whole_column_its_order():
    values, _, bad, ambiguous, _ = parse_dates(
        pd.Series(["03/04/2026", "19/04/2026", "2026-05-01", "", "05/05/2026"], dtype="str")
    )
    assert values[0] == pd.Timestamp("2026-04-03") and values[1] == pd.Timestamp("2026-04-19")
    assert not bad.any() and not ambiguous.any()
    values, _, bad, _, _ = parse_dates(pd.Series(["03/04/2026", "12/31/2026"], dtype="str"))
    assert values[0] == pd.Timestamp("2026-03-04") and not bad.any()


def test_a_column_every_value_of_which_reads_both_ways_stays_ambiguous():
    values, _, bad, ambiguous, mixed = parse_dates(
        pd.Series(["03/04/2026", "05/06/2026", "05/05/2026"], dtype="str")
    )
    assert ambiguous.tolist() == [True, True, False] and bad.tolist() == [True, True, False]
    assert values[2] == pd.Timestamp("2026-05-05") and not mixed.any()


def test_a_column_settling_both_orders_reports_the_dates_out_of_step():
    cells = ["19/04/2026", "20/04/2026", "04/21/2026", "03/04/2026", "2026-01-07"]
    values, _, bad, ambiguous, mixed = parse_dates(pd.Series(cells, dtype="str"))
    # two dates say day first, one says month first: that one is reported; 03/04 stays unread
    assert mixed.tolist() == [False, False, True, False, False]
    assert ambiguous.tolist() == [False, False, False, True, False]
    assert bad.tolist() == [False, False, True, True, False]
    assert values[0] == pd.Timestamp("2026-04-19") and values[4] == pd.Timestamp("2026-01-07")
    # on a tie the order settled first stands
    _, _, _, _, mixed = parse_dates(pd.Series(["04/21/2026", "19/04/2026"], dtype="str"))
    assert mixed.tolist() == [False, True]


def test_a_declared_order_always_wins():
    cells = pd.Series(["03/04/2026", "19/04/2026", "2026-05-01"], dtype="str")
    values, _, bad, ambiguous, mixed = parse_dates(cells, "mdy")
    assert values[0] == pd.Timestamp("2026-03-04") and values[2] == pd.Timestamp("2026-05-01")
    assert bad.tolist() == [False, True, False] and not ambiguous.any() and not mixed.any()
    values, _, bad, _, _ = parse_dates(cells, "dmy")
    assert values[0] == pd.Timestamp("2026-04-03") and not bad.any()


# -- issue 11 items 8 and 14, through read_ledger ----------------------------------------------


def test_ledger_reads_parentheses_marks_and_an_inferred_day_first_column(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,amount
        I1,A,05/01/2026,"1,000.00"
        I2,A,19/01/2026,(100.00)
        I3,B,2026-01-20T10:15:03,250.00 USD
        I4,B,20 Jan 2026,(-5.00)
        """,
    )
    inv = ledger.invoices.set_index("invoice_id")
    assert inv["amount_cents"].to_dict() == {"I1": 100000, "I2": -10000, "I3": 25000}
    assert inv.loc["I1", "invoice_date"] == pd.Timestamp("2026-01-05")  # day first, as 19/01 says
    assert inv.loc["I3", "invoice_date"] == pd.Timestamp("2026-01-20")
    assert ledger.issues[["source_line", "column", "code"]].values.tolist() == [
        [5, "amount", "bad_amount"]
    ]


def test_ledger_names_the_flags_a_user_types(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,amount
        I1,A,03/04/2026,"1.234,50"
        I2,A,04/19/2026,10.00
        I3,A,19/04/2026,10.00
        I4,A,2026-02-30,10.00
        """,
    )
    issues = ledger.issues.set_index(["source_line", "column"])
    assert issues["code"].to_dict() == {
        (2, "amount"): "bad_amount",
        (2, "invoice_date"): "ambiguous_date",  # 04/19 and 19/04 settle nothing between them
        (4, "invoice_date"): "bad_date",  # 04/19/2026 came first: 19/04/2026 is out of step
        (5, "invoice_date"): "bad_date",
    }
    assert "--decimal ," in issues.loc[(2, "amount"), "hint"]
    assert "--date-order dmy" in issues.loc[(2, "invoice_date"), "hint"]
    assert "--date-order dmy" in issues.loc[(5, "invoice_date"), "hint"]
    assert "'19/04/2026' contradicts the day/month order" in issues.loc[(4, "invoice_date")].message
    hints = ledger.issues["hint"].tolist()
    assert not any("date_order=" in h or "decimal=" in h for h in hints)


def test_repeats_finds_later_rows_and_the_first_they_repeat_among_ok_rows_only():
    from arbook.core.parse import repeats

    ids = pd.Series(["A", "B", "A", " B ", None, "C", "A", "D"], dtype="str")
    ok = np.array([False, True, True, True, True, True, True, True])
    dup, first = repeats(ids, ok)
    # row 0 is not ok: row 2 is the first A and row 6 repeats it; " B " is B once trimmed
    assert dup.tolist() == [False, False, False, True, False, False, True, False]
    assert first[3] == 1 and first[6] == 2 and (first[~dup] == -1).all()
    assert not repeats(pd.Series(["x"], dtype="str"), np.array([True]))[0].any()


@pytest.mark.parametrize("many", [3, 400])  # a few ids, or many more ids than values
def test_index_of_takes_the_first_position_whichever_side_is_hashed(many):
    from arbook.core.parse import index_of, same_text

    ids = pd.Series([f"I{i}" for i in range(many)] + ["I1", None], dtype="str")
    values = pd.Series(["I1", "nope", None, "I2", " I0 "], dtype="str")
    got = index_of(values, ids)
    assert got.tolist() == [1, -1, -1, 2, 0]
    owners = pd.Series(["C"] * len(ids), dtype="str")
    payers = pd.Series(["C", "C", "C", "D", "C"], dtype="str")
    assert same_text(owners, payers, got).tolist() == [True, False, False, False, True]
    assert index_of(pd.Series([None], dtype="str"), ids).tolist() == [-1]


@pytest.mark.parametrize(
    ("cells", "mark"),
    [
        (["1234,50", "12"], ","),  # a decimal comma, and a whole number either way
        (["1.234,50", "10.005"], ","),
        (["1 418 600,00"], ","),  # 1C: no-break spaces between thousands
        (["12.50", "3"], "."),
        (["1,234.50", "1234,5"], None),  # both marks settled: the cells are reported
        (["1.234"], None),  # a thousand and more, or a slip: no comma, no evidence
        (["100", "200", ""], None),
    ],
)
def test_the_decimal_mark_is_the_one_the_amounts_settle(cells, mark):
    assert decimal_of(pd.Series(cells)) == mark


def test_parquet_decimals_are_read_as_numbers_exactly():
    from decimal import Decimal

    import pyarrow as pa

    from arbook.core.parse import parse_cents

    def column(values, kind):
        return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(values, kind)))

    cents, blank, bad = parse_cents(
        column([Decimal("12.50"), None, Decimal("-3.07"), Decimal("0")], pa.decimal128(18, 2))
    )
    assert cents.tolist() == [1250, 0, -307, 0]
    assert blank.tolist() == [False, True, False, False] and not bad.any()
    # three decimals: whole cents read as numbers; a sub-cent digit goes to the text reader
    whole = parse_cents(column([Decimal("1.000"), Decimal("2.500")], pa.decimal128(10, 3)))
    assert whole[0].tolist() == [100, 250] and not whole[2].any()
    cents, blank, bad = parse_cents(
        column([Decimal("1.005"), Decimal("2.50")], pa.decimal128(10, 3))
    )
    assert bad.tolist() == [True, False] and cents.tolist() == [0, 250]
    # 10**13 units is past what an amount may be (as for text)
    big = parse_cents(column([Decimal("10000000000000.00")], pa.decimal128(20, 2)))
    assert big[2].tolist() == [True]
