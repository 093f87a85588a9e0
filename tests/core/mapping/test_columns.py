"""A file's columns judged as arbook's fields (:mod:`arbook.core.mapping.columns`): what a
column's cells look like, how well they fit a field, and the choice of one column per field
with the money columns settled together."""

from __future__ import annotations

import pytest

from arbook.core.mapping import columns


def test_profile_counts_shares_of_the_filled_cells():
    found = columns.profile(0, "Amount", ["1,000.00", "250.50", "", "abc"])
    assert found.filled == 3  # the blank cell is not counted
    assert found.money == pytest.approx(2 / 3) and found.decimals == pytest.approx(2 / 3)
    assert found.codes == pytest.approx(1 / 3)  # "abc": three letters, like a currency code
    assert found.dates == 0 and found.unique == 1 and found.distinct == 3


def test_value_fit_says_why():
    dates = columns.profile(1, "Date", ["2026-01-05", "2026-02-04"])
    assert columns.value_fit("invoice_date", dates) == (1.0, "100% of its cells read as dates")
    assert columns.value_fit("amount", dates) == (0.05, "its cells are dates, not money")
    blank = columns.profile(2, "Note", ["", ""])
    assert columns.value_fit("invoice_id", blank) == (0.6, "its cells are blank in the first rows")


def test_an_open_balance_is_amount_and_the_total_beside_it_face_amount():
    profiles = [
        columns.profile(0, "Invoice", ["A1", "A2", "A3"]),
        columns.profile(1, "Total", ["100.00", "50.00", "80.00"]),
        columns.profile(2, "Balance due", ["100.00", "20.00", "0.00"]),
        columns.profile(3, "Date", ["2026-01-01", "2026-01-02", "2026-01-03"]),
        columns.profile(4, "Customer", ["Acme", "Bolt", "Acme"]),
    ]
    found = columns._candidates(profiles)
    assert found["amount"][0].column == "Balance due" and found["amount"][0].reason
    chosen, notes = columns._choose(profiles, found)
    assert chosen == {
        "invoice_id": "Invoice",
        "customer_name": "Customer",
        "invoice_date": "Date",
        "amount": "Balance due",
        "face_amount": "Total",
    }
    assert notes and "Balance due is mapped to amount" in notes[0]


def test_of_two_money_columns_named_alike_the_smaller_everywhere_is_owed():
    face = columns.profile(0, "A", ["100.00", "50.00"])
    smaller = columns.profile(1, "B", ["100.00", "20.00"])  # equal, then smaller
    assert columns._smaller_everywhere(face, smaller) == "B"
    crossing = columns.profile(1, "C", ["90.00", "60.00"])  # smaller, then larger
    assert columns._smaller_everywhere(face, crossing) is None
