"""The review's analytics (:mod:`arbook.workbook.analytics`) on the hand-worked ledger of
tests/workbook/test_review.py: the KPI table, total receivable and credits as two lines, the
bucket change, the movers and the top overdue."""

from __future__ import annotations

import math

import pytest
from conftest import ledger_fixture, ledger_of
from test_review import CUSTOMERS, INVOICES, PAYMENTS, kpi

from arbook.workbook.analytics import KPIS
from arbook.workbook.review import build_review

ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def march(ledger):
    return build_review(ledger, "2026-03-31", cost_of_capital=0.10)


def test_kpis_against_the_hand_worked_month(march):
    # March 31: X1 paid off; X2 600 is 19 days overdue; X3 900 current. AR 1500, a month
    # earlier 1200 (X1 600 overdue, X2 600 current).
    assert [k for k, _, _ in KPIS] == list(march.kpis["kpi"])
    total = kpi(march, "total_cents")
    assert (total.value, total.previous, total.change) == (150000, 120000, 30000)
    assert math.isnan(total.year_ago)  # March 2025 is before the data starts: not 0
    assert kpi(march, "overdue_cents").value == 60000
    assert kpi(march, "pct_current").value == pytest.approx(0.6)
    # Count-back: 1500 - March's 900 leaves 600 after 31 days; February's 600 covers it: 59.
    assert kpi(march, "dso_countback").value == pytest.approx(59)
    assert kpi(march, "best_possible_dso").value == pytest.approx(31)  # 900 / 900 x 31
    assert kpi(march, "add").value == pytest.approx(1500 / 900 * 31 - 31)
    assert kpi(march, "cei").value == pytest.approx(0.5)  # (1200+900-1500) / (1200+900-900)
    # Carrying cost at 10%: 600.00 x 19 days x 0.10 / 365 = 3.12; in February
    # 600.00 x 24 days -> 3.95 (rounded half-up per customer).
    cost = kpi(march, "carrying_cost_cents")
    assert (cost.value, cost.previous, cost.change) == (312, 395, -83)
    assert math.isnan(cost.year_ago)
    # A year at today's overdue balance: 600.00 x 0.10 = 60.00, in February too (600.00).
    yearly = kpi(march, "yearly_cost_cents")
    assert (yearly.value, yearly.previous, yearly.change) == (6000, 6000, 0)
    assert kpi(march, "unapplied_cents").value == 0


def test_total_receivable_and_credits_are_two_lines(tmp_path):
    # As March, plus 50.00 received from B on 03-25 with no invoice named: unapplied cash.
    payments = PAYMENTS + "    Q3,B,2026-03-25,50.00,\n"
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=payments, customers=CUSTOMERS)
    review = build_review(ledger, "2026-03-31")
    # SPEC §3: total receivable is what customers owe (the buckets); credits are their own line
    assert kpi(review, "total_cents").value == 150000
    assert kpi(review, "unapplied_cents").value == -5000
    assert kpi(review, "overdue_cents").value == 60000
    t = review.totals
    assert (t.receivable_cents, t.unapplied_cents, t.net_cents) == (150000, -5000, 145000)
    assert review.summary["total_cents"].sum() == 145000  # the aging's net column


def test_bucket_change_movers_and_top_overdue(march):
    b = march.buckets.set_index("bucket")
    assert b.loc["current"].tolist() == [90000, 60000, 30000]
    assert b.loc["1-30"].tolist() == [60000, 60000, 0]
    assert b.loc["total receivable"].tolist() == [150000, 120000, 30000]
    assert b.loc["unapplied"].tolist() == [0, 0, 0]
    assert b.loc["net receivable"].tolist() == [150000, 120000, 30000]
    # A went from 1-30 (X1) to current (X3): better. B went from current to 1-30: worse.
    movers = march.movers
    assert movers[
        ["customer_id", "bucket_before", "bucket_now", "overdue_cents"]
    ].values.tolist() == [["B", "current", "1-30", 60000]]
    top = march.top_overdue
    assert top[["customer_id", "overdue_cents", "oldest_bucket"]].values.tolist() == [
        ["B", 60000, "1-30"]
    ]
