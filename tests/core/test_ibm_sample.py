"""The IBM accounts-receivable sample, end to end (real outside data)."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import IBM

import arbook


def test_reads_clean(ibm):
    assert ibm.issues.empty
    assert (len(ibm.invoices), len(ibm.payments), len(ibm.customers)) == (2466, 2466, 100)
    assert (
        ibm.invoices["amount_cents"].sum()
        == pd.read_csv(IBM)["InvoiceAmount"].mul(100).round().sum()
    )


def test_877_of_2466_paid_late(ibm):
    exp = arbook.experiences(ibm, "2014-01-31", window_months="all")
    assert len(exp) == 2466 and exp["paid"].all()
    assert int((exp["paid_day"] > exp["due_day"]).sum()) == 877
    # and the same per invoice as the file's own DaysLate column
    raw = pd.read_csv(IBM, dtype={"invoiceNumber": str}).set_index("invoiceNumber")
    late = (exp.set_index("invoice_id")["paid_day"] - exp.set_index("invoice_id")["due_day"]).clip(
        lower=0
    )
    assert (late.sort_index() == raw["DaysLate"].sort_index()).all()


def test_everything_is_settled_at_the_end(ibm):
    assert arbook.aging(ibm, "2014-01-31").empty


def test_monthly_metrics_are_sane(ibm):
    m = arbook.monthly_metrics(ibm, "2012-01", "2013-11")
    assert len(m) == 23
    # identity at each month end: buckets sum to AR; AR rolls forward month to month
    buckets = [
        c for c in m.columns if (c.endswith("_cents") and c[0].isdigit()) or c == "current_cents"
    ]
    assert (m[buckets].sum(axis=1) == m["ar_end_cents"]).all()
    assert (m["ar_begin_cents"].iloc[1:].to_numpy() == m["ar_end_cents"].iloc[:-1].to_numpy()).all()
    # net-30 terms, a fifth of invoices paid a few days late: DSO between 20 and 40 days
    full = m.iloc[1:]
    assert full["dso"].between(20, 40).all() and full["dso_countback"].between(20, 40).all()
    assert (full["best_possible_dso"] <= full["dso"]).all()
    assert full["cei"].between(0.8, 1.0).all()
    assert (full["pct_over_60"] == 0).all()  # nobody in this sample paid 60+ days late
    assert np.isnan(m.loc[0, "dso_3m"]) and np.isnan(m.loc[10, "ar_turnover"])
    assert m["ar_turnover"].iloc[11:].between(10, 16).all()


def test_payment_behaviour_matches_the_file(ibm):
    table = arbook.payment_behaviour(ibm, "2014-01-31", window_months="all")
    raw = pd.read_csv(IBM)
    assert table["invoices_paid"].sum() == 2466
    mean_days = raw.groupby("customerID")["DaysToSettle"].mean()
    got = table.set_index("customer_id")["avg_days_to_pay"]
    assert np.allclose(got.sort_index(), mean_days.sort_index())
    assert table["disputed"].sum() == (raw["Disputed"] == "Yes").sum()


def test_carrying_cost_total(ibm):
    cost = arbook.carrying_cost(ibm, "2013-06-30", 0.10)
    items = arbook.aging(ibm, "2013-06-30")
    overdue = items[(items.outstanding_cents > 0) & (items.days_overdue > 0)]
    assert cost["overdue_cents"].sum() == overdue["outstanding_cents"].sum()
    exact = (overdue.outstanding_cents * overdue.days_overdue).sum() * 0.10 / 365
    assert abs(cost["carrying_cost_cents"].sum() - exact) <= len(cost) / 2  # rounding per customer
