"""The cost of carrying customers' overdue balances (carrying): accrued to date and for a year,
each rounded half-up per customer, the rate from the call or the policy (SPEC §3)."""

from __future__ import annotations

import pandas as pd
import pytest
import test_behaviour
from conftest import ledger_of, write_ledger

import arbook
from arbook.core.errors import ParameterError
from arbook.measures.carrying import CARRYING_COLUMNS, carrying_cost, cost_of_capital

ledger = test_behaviour.ledger  # the ledger fixture of test_behaviour (pytest finds it by name)

# As of 2026-03-02 (February has 28 days):
#   A: A1 1,000.00 due 01-31 -> 30 days; A2 500.00 due 02-20 -> 10 days; A3 due 03-02 (on the
#      day: not past due), A4 due 03-10 and the credit note CA not counted.
#      overdue 150,000 cents; cent_days 100,000 x 30 + 50,000 x 10 = 3,500,000
#   Z and B: 2.50 due 02-25 -> 5 days: overdue 250, cent_days 1,250 (a tie: by id, B first)
#   C: 1.00 due 02-25 -> 5 days: overdue 100, cent_days 500
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    A1,A,2026-01-01,2026-01-31,1000.00
    A2,A,2026-01-21,2026-02-20,500.00
    CA,A,2026-02-01,,-200.00
    A3,A,2026-02-01,2026-03-02,300.00
    A4,A,2026-02-01,2026-03-10,700.00
    Z1,Z,2026-02-01,2026-02-25,2.50
    B1,B,2026-02-01,2026-02-25,2.50
    C1,C,2026-02-01,2026-02-25,1.00
"""
AS_OF = "2026-03-02"


@pytest.fixture
def book(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, customers="customer_id,name\nA,Alpha\n")


def test_carrying_cost(ledger):
    table = carrying_cost(ledger, "2026-03-20", 0.10).set_index("customer_id")
    # A: E4 200.00 x 20 days; E1/E2 settled. 20000 x 20 x 0.10 / 365 = 109.589... -> 110 cents.
    assert table.loc["A", ["overdue_cents", "cent_days", "carrying_cost_cents"]].tolist() == [
        20000,
        400000,
        110,
    ]
    # a year at today's overdue balance: 20000 x 0.10 = 2000 cents
    assert table.loc["A", "yearly_cost_cents"] == 2000
    assert "B" not in table.index
    with pytest.raises(ParameterError, match=r"fraction from 0 to 1; 10% is 0\.10, not 10"):
        carrying_cost(ledger, "2026-03-20", 12)


def test_accrued_and_yearly_hand_worked(book):
    table = carrying_cost(book, AS_OF, 0.10)
    assert list(table.columns) == CARRYING_COLUMNS
    assert table["customer_id"].tolist() == ["A", "B", "Z", "C"]  # largest overdue first
    assert table["name"].tolist() == ["Alpha", "B", "Z", "C"]  # the id where no name is known
    a = table.iloc[0]
    assert (a.overdue_cents, a.cent_days) == (150000, 3500000)
    assert a.avg_days_overdue == pytest.approx(3500000 / 150000)  # 23.33 days, amount-weighted
    # accrued: 3,500,000 x 0.10 / 365 = 958.90 -> 959; a year: 150,000 x 0.10 = 15,000
    assert (a.carrying_cost_cents, a.yearly_cost_cents) == (959, 15000)
    # B: 1,250 x 0.10 / 365 = 0.34 -> 0; 250 x 0.10 = 25
    assert table.iloc[1][["carrying_cost_cents", "yearly_cost_cents"]].tolist() == [0, 25]
    assert table[["overdue_cents", "cent_days"]].dtypes.tolist() == ["int64", "int64"]


def test_halves_round_up(book):
    # at 0.365 a day costs 0.001 of the balance: C accrues 500 x 0.001 = 0.5 -> 1 (not 0),
    # and a year of C is 100 x 0.365 = 36.5 -> 37 (not 36)
    c = carrying_cost(book, AS_OF, 0.365).set_index("customer_id").loc["C"]
    assert (c.carrying_cost_cents, c.yearly_cost_cents) == (1, 37)
    # at 0.05 a year of B is 250 x 0.05 = 12.5 -> 13; A accrues 3,500,000 x 0.05 / 365 = 479.45
    table = carrying_cost(book, AS_OF, 0.05).set_index("customer_id")
    assert table.loc["B", "yearly_cost_cents"] == 13
    assert table.loc["A", "carrying_cost_cents"] == 479


def test_nothing_past_due_gives_the_columns_and_no_rows(book):
    table = carrying_cost(book, "2026-01-31", 0.10)  # A1 falls due that day
    assert table.empty and list(table.columns) == CARRYING_COLUMNS


def test_items_given_are_used_whatever_their_basis(book):
    items = arbook.aging(book, AS_OF, basis="invoice")
    pd.testing.assert_frame_equal(
        carrying_cost(book, AS_OF, 0.10, items=items), carrying_cost(book, AS_OF, 0.10)
    )


def test_cost_of_capital_from_the_call_or_the_policy(book, tmp_path):
    assert cost_of_capital(book) == 0.10  # the shipped policy's cost_of_capital
    assert cost_of_capital(book, "") == 0.10
    assert cost_of_capital(book, 0.2) == 0.2 and cost_of_capital(book, 0) == 0.0
    assert cost_of_capital(book, policy={"cost_of_capital": 0.3}) == 0.3
    with pytest.raises(ParameterError, match="cost of capital 'ten' is not a number"):
        cost_of_capital(book, "ten")
    with pytest.raises(ParameterError, match=r"cost of capital -0\.1 must be a fraction"):
        cost_of_capital(book, -0.1)
    # the ledger's own policy is the default rate of carrying_cost
    own = arbook.read_ledger(
        write_ledger(tmp_path / "own", invoices=INVOICES), policy={"cost_of_capital": 0.365}
    )
    assert cost_of_capital(own) == 0.365
    a = carrying_cost(own, AS_OF).set_index("customer_id").loc["A"]
    assert (a.carrying_cost_cents, a.yearly_cost_cents) == (3500, 54750)  # 3,500,000 x 0.001
