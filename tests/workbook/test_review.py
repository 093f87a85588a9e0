"""The as-of review (review.py) on a hand-worked ledger and on the sample."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import ROOT, ledger_of

import arbook
from arbook.core.errors import ParameterError
from arbook.workbook.review import (
    bucket_items,
    build_review,
    customer_detail,
    default_as_of,
    month_end,
    month_ends,
    review_dates,
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


def test_drill_down(march):
    detail = customer_detail(march, "A")
    assert detail["items"]["document_id"].tolist() == ["X3"]
    assert detail["payments"]["payment_id"].tolist() == ["Q2", "Q1"]  # newest first
    assert bucket_items(march, "1-30")["document_id"].tolist() == ["X2"]
    with pytest.raises(ParameterError, match="customer 'Z' is not in the data"):
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


# -- an aging report is not a history (SPEC §3) ----------------------------------------------------


@pytest.fixture
def report(ledger):
    """The ledger marked as an aging report of 2026-03-31."""
    import dataclasses

    return dataclasses.replace(
        ledger,
        open_items_only=True,
        report_date=pd.Timestamp("2026-03-31"),
        lacks="payments and their dates",
    )


NOTE = "n/a (the data holds the items open on 2026-03-31, not payments and their dates)"


def test_a_review_of_an_aging_report_is_at_its_date_only(ledger, report):
    assert review_dates(report) == [pd.Timestamp("2026-03-31")]
    assert review_dates(ledger) == list(reversed(month_ends(ledger)))
    assert build_review(report).as_of == pd.Timestamp("2026-03-31")
    mid_month = dataclasses_replace(report, report_date=pd.Timestamp("2026-03-20"))
    assert build_review(mid_month).as_of == pd.Timestamp("2026-03-20")  # not a month end
    with pytest.raises(ParameterError, match="before the report's date 2026-03-31"):
        build_review(report, "2026-02-28")


def dataclasses_replace(ledger, **changes):
    import dataclasses

    return dataclasses.replace(ledger, **changes)


def test_a_review_of_an_aging_report_gives_history_kpis_as_nan_with_the_reason(ledger, report):
    review, full = build_review(report), build_review(ledger, "2026-03-31")
    kpis = review.kpis.set_index("kpi")
    for key in ("dso_countback", "best_possible_dso", "add", "cei"):
        assert math.isnan(kpis.at[key, "value"]), key
        assert kpis.at[key, "why"] == f"{kpis.at[key, 'label']}: {NOTE}"
    for key in ("total_cents", "unapplied_cents", "overdue_cents", "pct_current"):
        assert kpis.at[key, "value"] == kpi(full, key)["value"], key  # the same at the date
        assert kpis.at[key, "why"] == ""
    assert kpis[["previous", "year_ago"]].isna().all().all()  # no earlier month is known
    assert (full.kpis["why"] == "").all()
    # the buckets a month ago are NA, never the zeros of an empty aging
    buckets = review.buckets
    assert buckets["now_cents"].tolist() == full.buckets["now_cents"].tolist()
    assert buckets[["previous_cents", "change_cents"]].isna().all().all()
    assert review.movers.empty and review.holds_added.empty and review.holds_lifted.empty
    assert review.behaviour.empty and review.scores["score"].isna().all()
    assert review.why_na("Roll rates") == f"Roll rates: {NOTE}"
    assert full.why_na("Roll rates") is None and full.has_history and not review.has_history
