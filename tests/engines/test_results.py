"""The engines' frames (:mod:`arbook.engines.results`) are the in-memory ones exactly, down to the
dtypes of an empty result and the order of ties (worked ledgers; the random ones are in
test_expressions.py)."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ledger_of

from arbook.core.dates import day_number
from arbook.engines import results, source
from arbook.measures.aging import aging, aging_summary
from arbook.measures.metrics import _monthly_sales, monthly_metrics

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to
    X1,A,2026-01-10,2026-02-09,100.00,
    C1,A,2026-01-20,,-30.00,X1
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    X1,A,2026-01-10,25.00,
    P2,B,2026-01-15,5.00,X1
"""


@pytest.fixture
def ledger(tmp_path):
    found = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS)
    assert found.errors.empty
    return found


@pytest.mark.parametrize(
    "as_of",
    [
        "2025-12-31",  # nothing exists yet: empty frames
        "2026-01-12",  # invoice X1 and payment X1 share customer, date and id: the invoice first
        "2026-02-28",
    ],
)
def test_frames_equal_memory_exactly(ledger, as_of):
    ours = source("duckdb", ledger)
    pd.testing.assert_frame_equal(aging(ours, as_of), aging(ledger, as_of))
    pd.testing.assert_frame_equal(aging_summary(ours, as_of), aging_summary(ledger, as_of))


def test_ties_keep_the_in_memory_order(ledger):
    items = aging(source("duckdb", ledger), "2026-01-12")
    assert items["kind"].tolist() == ["invoice", "payment"]
    assert items["document_id"].tolist() == ["X1", "X1"]


def test_only_cash_open(tmp_path):
    """Every invoice paid: the only items are unapplied cash (another dtype path in memory)."""
    ledger = ledger_of(
        tmp_path,
        invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,10.00",
        payments="""
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,A,2026-01-02,10.00,I1
            P2,B,2026-01-03,4.00,
        """,
    )
    ours = source("duckdb", ledger)
    pd.testing.assert_frame_equal(aging(ours, "2026-01-31"), aging(ledger, "2026-01-31"))
    pd.testing.assert_frame_equal(
        aging_summary(ours, "2026-01-31"), aging_summary(ledger, "2026-01-31")
    )


def test_sales_and_month_states(ledger):
    ours = source("duckdb", ledger)
    pd.testing.assert_series_equal(results.sales(ours), _monthly_sales(ledger), check_names=False)
    # 31 Jan: X1 100 - 5 (P2 is B's, so B's cash) - 30 credited = 70, not yet due; B's 5.00
    # and A's X1 25.00 unapplied
    day = day_number("2026-01-31")
    state = results.states(ours, [pd.Period("2026-01", "M")], "due", (30, 60, 90, 120))[day]
    assert state["ar"] == 7_000 and state["not_due"] == 7_000
    assert state["unapplied"] == -3_000
    assert state["buckets"].tolist() == [7_000, 0, 0, 0, 0, 0]
    assert results.states(ours, [], "due", (30,)) == {}
    pd.testing.assert_frame_equal(
        monthly_metrics(ours, "2025-11", "2026-04"), monthly_metrics(ledger, "2025-11", "2026-04")
    )
