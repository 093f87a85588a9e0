"""Payment experiences and payment behaviour (SPEC §3); the cost of carrying is tested in
test_carrying."""

from __future__ import annotations

import math

import pytest
from conftest import ledger_fixture, ledger_of

from arbook.measures.behaviour import experiences, payment_behaviour
from arbook.measures.carrying import carrying_cost

# A pays E1 (due 01-31) on 02-10 in two parts; E2 (due 02-28) on 02-20, early. E3 is cleared by a
# credit note only. E4 is open and 20 days overdue at 03-20. B's F1 paid 10 days late, disputed.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,disputed
    E1,A,2026-01-01,2026-01-31,300.00,,no
    E2,A,2026-01-29,2026-02-28,100.00,,no
    E3,A,2026-01-15,2026-02-14,50.00,,no
    C3,A,2026-01-20,,-50.00,E3,no
    E4,A,2026-01-29,2026-02-28,200.00,,no
    F1,B,2026-01-10,2026-02-09,100.00,,yes
"""
PAYMENTS = """
    P1,A,2026-02-05,100.00,E1
    P2,A,2026-02-10,200.00,E1
    P3,A,2026-02-20,100.00,E2
    P4,B,2026-02-19,100.00,F1
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS)


def test_experiences(ledger):
    exp = experiences(ledger, "2026-03-20").set_index("invoice_id")
    assert sorted(exp.index) == ["E1", "E2", "E4", "F1"]  # E3: credit note only, no experience
    assert exp.loc["E1", "paid_day"] - exp.loc["E1", "due_day"] == 10  # cleared 02-10
    assert not exp.loc["E4", "paid"]  # open and overdue, counted as paid on the as-of date


def test_behaviour_hand_worked(ledger):
    table = payment_behaviour(ledger, "2026-03-20").set_index("customer_id")
    a = table.loc["A"]
    assert (a.experiences, a.invoices_paid, a.open_overdue) == (3, 2, 1)
    # paid: E1 40 days after its invoice, E2 22 days -> 31.
    assert a.avg_days_to_pay == pytest.approx(31)
    # weights 300, 100, 200; late: E1 +10, E2 -8, E4 +20 (open, counted to 03-20).
    assert a.days_beyond_terms == pytest.approx((300 * 10 + 200 * 20) / 600)
    assert a.signed_days_to_due == pytest.approx((300 * 10 - 100 * 8 + 200 * 20) / 600)
    assert a.share_paid_late == pytest.approx(0.5)
    b = table.loc["B"]
    assert (b.days_beyond_terms, b.share_paid_late, b.disputed) == (10, 1.0, 1)
    assert table.index[0] == "A"  # slowest first


def test_window_excludes_old_payments(ledger):
    # 12 months back from 2027-02-15 is 2026-02-15: E1 (cleared 02-10) drops out; E2 (02-20)
    # and F1 (02-19) stay; E4 is still open, overdue, and always counts.
    table = payment_behaviour(ledger, "2027-02-15").set_index("customer_id")
    assert (table.loc["A", "invoices_paid"], table.loc["A", "open_overdue"]) == (1, 1)
    assert table.loc["B", "invoices_paid"] == 1
    everything = payment_behaviour(ledger, "2027-02-15", window_months="all").set_index(
        "customer_id"
    )
    assert everything.loc["A", "invoices_paid"] == 2  # E1 and E2


def test_no_experience_is_not_a_row(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="invoice_id,customer_id,invoice_date,due_date,amount\nN1,A,2026-01-01,2026-03-01,5.00",
    )
    assert payment_behaviour(ledger, "2026-02-01").empty
    assert math.isclose(carrying_cost(ledger, "2026-02-01", 0.1)["carrying_cost_cents"].sum(), 0)
