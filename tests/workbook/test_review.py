"""The as-of review (review.py) on a hand-worked ledger and on the sample."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import ROOT, ledger_of

import arbook
from arbook.core.errors import ParameterError
from arbook.workbook.review import (
    KPIS,
    bucket_items,
    build_review,
    customer_detail,
    default_as_of,
    month_end,
    month_ends,
    settings,
)

# X1 1000 to A in Jan (due 02-04), paid 400 on 02-20 and 600 on 03-20; X2 600 to B in Feb (due
# 03-12); X3 900 to A in Mar (due 04-14).
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    X1,A,2026-01-05,2026-02-04,1000.00
    X2,B,2026-02-10,2026-03-12,600.00
    X3,A,2026-03-15,2026-04-14,900.00
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    Q1,A,2026-02-20,400.00,X1
    Q2,A,2026-03-20,600.00,X1
"""
CUSTOMERS = """
    customer_id,name
    A,Alpha Ltd
    B,<b>Beta</b> & Co
"""


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def march(ledger):
    return build_review(ledger, "2026-03-31", cost_of_capital=0.10)


def kpi(review, key):
    return review.kpis.set_index("kpi").loc[key]


def test_month_ends_and_default(ledger):
    assert month_ends(ledger) == [pd.Timestamp("2026-01-31"), pd.Timestamp("2026-02-28")]
    # The last payment is 03-20: March is not complete, so the default is the end of February.
    assert default_as_of(ledger) == pd.Timestamp("2026-02-28")


def test_month_end_rejects_other_days():
    assert month_end("2026-02-28") == pd.Timestamp("2026-02-28")
    with pytest.raises(ParameterError, match=r"not a month end.*2026-10-31"):
        month_end("2026-10-15")
    with pytest.raises(ParameterError, match="not a date"):
        month_end("last month")


def test_settings_fill_blanks_from_policy_and_check_values(ledger):
    s = settings(ledger, "2026-03-31")
    assert (s.basis, s.edges, s.cost_of_capital) == ("due", (30, 60, 90, 120), 0.10)
    assert settings(ledger, "2026-03-31", edges="30, 60").edges == (30, 60)
    with pytest.raises(ParameterError, match="cost of capital 5 must be a fraction"):
        settings(ledger, "2026-03-31", cost_of_capital=5)
    with pytest.raises(ParameterError, match="'weekly'"):
        settings(ledger, "2026-03-31", basis="weekly")
    with pytest.raises(ParameterError, match="strictly increasing"):
        settings(ledger, "2026-03-31", edges="60,30")


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


def test_drill_down(march):
    detail = customer_detail(march, "A")
    assert detail["items"]["document_id"].tolist() == ["X3"]
    assert detail["payments"]["payment_id"].tolist() == ["Q2", "Q1"]  # newest first
    assert bucket_items(march, "1-30")["document_id"].tolist() == ["X2"]
    with pytest.raises(ParameterError, match="no customer 'Z'"):
        customer_detail(march, "Z")
    with pytest.raises(ParameterError, match="no bucket '999'"):
        bucket_items(march, "999")


def test_parts_are_computed_once(march):
    assert march.kpis is march.kpis
    assert march.summary is march.summary


def test_sample_review_matches_the_aging_command():
    ledger = arbook.read_ledger(ROOT / "data" / "sample")
    review = build_review(ledger)
    assert review.as_of == pd.Timestamp("2026-10-31")
    summary = arbook.aging_summary(ledger, "2026-10-31")
    pd.testing.assert_frame_equal(review.summary, summary)
    # Total receivable is the buckets' sum (SPEC §3), net receivable the aging's net total.
    assert kpi(review, "total_cents").value == summary["receivable_cents"].sum() == 112272520
    assert kpi(review, "unapplied_cents").value == summary["unapplied_cents"].sum() == -1991616
    assert summary["total_cents"].sum() == review.totals.net_cents == 110280904
    overdue = [c for c in summary.columns if c.endswith("_cents")][1:-3]  # past current
    assert kpi(review, "overdue_cents").value == summary[overdue].to_numpy().sum()
    assert len(review.trend) == 12 and review.trend["month"].iloc[-1] == "2026-10"
    assert review.top_overdue["customer_id"].iloc[0] == "C0140"  # the customer that goes bad
    # Year-ago values exist in the sample (24 months of history).
    assert not math.isnan(kpi(review, "total_cents").year_ago)
    year_ago = arbook.carrying_cost(ledger, "2025-10-31", 0.10)["carrying_cost_cents"].sum()
    assert kpi(review, "carrying_cost_cents").year_ago == year_ago


def test_review_of_the_ibm_ledger(ibm):
    # Real outside data: the review's tiles agree with the aging of the same month end.
    review = build_review(ibm, "2013-06-30")
    summary = arbook.aging_summary(ibm, "2013-06-30")
    assert kpi(review, "total_cents").value == summary["receivable_cents"].sum()
    late = [c for c in summary.columns if c.endswith("_cents")][1:-3]
    assert kpi(review, "overdue_cents").value == summary[late].to_numpy().sum()
    assert review.top_overdue["overdue_cents"].is_monotonic_decreasing
    assert month_ends(ibm)[0] == pd.Timestamp("2012-01-31")


def test_credit_parts_are_the_credit_functions_at_the_review_dates():
    from arbook.credit import credit_holds, credit_review, not_vetted, payment_scores
    from arbook.credit.penalties import late_charges

    ledger = arbook.read_ledger(ROOT / "data" / "sample")
    review = build_review(ledger, "2026-10-31", basis="invoice", edges="30,60")
    as_of, before = pd.Timestamp("2026-10-31"), pd.Timestamp("2026-09-30")
    pd.testing.assert_frame_equal(review.scores, payment_scores(ledger, as_of))
    pd.testing.assert_frame_equal(review.holds, credit_holds(ledger, as_of))
    pd.testing.assert_frame_equal(review.holds_before, credit_holds(ledger, before))
    pd.testing.assert_frame_equal(review.not_vetted, not_vetted(ledger, as_of))
    pd.testing.assert_frame_equal(review.credit_review, credit_review(ledger, as_of))
    pd.testing.assert_frame_equal(review.late_charges, late_charges(ledger, as_of))
    assert review.holds is review.holds  # computed once
    assert "C0140" in set(review.holds["customer_id"])
    assert review.late_charges.attrs["annual_rate"] == 0.0  # the default policy charges none
