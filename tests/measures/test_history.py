"""An aging report is not a history (SPEC §3, last bullet): on a ledger of open items only,
every figure computed from the history is NaN / n/a with the reason, other as-of dates are
refused, and what the open items give (aging, totals, the carrying cost at the report's date,
exposure and limits) is the same as on the full ledger."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import ledger_fixture

import arbook
from arbook.core.errors import ParameterError
from arbook.credit.holds import credit_holds
from arbook.credit.scores import payment_scores, scores_at
from arbook.measures.behaviour import experiences, payment_behaviour
from arbook.measures.carrying import carrying_cost
from arbook.measures.history import check_as_of, dated, na_text, needs_history, open_date
from arbook.measures.metrics import HISTORY_COLUMNS, allowance, monthly_metrics, roll_rates

INVOICES = """
    I1,A,2026-01-05,2026-02-04,100.00
    I2,A,2026-02-10,2026-03-12,250.00
    I3,B,2026-03-01,2026-03-31,80.00
    I4,B,2026-03-20,2026-04-19,40.00
    CN,B,2026-03-25,,-15.00
"""
PAYMENTS = """
    P1,A,2026-02-20,100.00,I1
    P2,A,2026-03-30,50.00,I2
    P3,B,2026-03-28,10.00,
"""
CUSTOMERS = """
    customer_id,name,credit_limit
    A,Alpha Ltd,150.00
    B,Beta SA,
"""
REPORT = pd.Timestamp("2026-03-31")
NOTE = "the data holds the items open on 2026-03-31, not payments and their dates"


full = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def open_items(full):
    """The same ledger marked as an aging report of 2026-03-31 (what a preset of an aging
    export gives): the figures at that date are the same, the history is not to be used."""
    return dataclasses.replace(
        full, open_items_only=True, report_date=REPORT, lacks="payments and their dates"
    )


def test_the_reason_is_one_sentence_naming_the_date_and_what_is_missing(full, open_items):
    assert needs_history(full, "DSO") is None and na_text(full) is None
    assert needs_history(open_items, "DSO") == f"DSO: n/a ({NOTE})"
    assert na_text(open_items) == f"n/a ({NOTE})"
    assert open_date(open_items) == REPORT and open_date(full) is None


def test_other_as_of_dates_are_refused_naming_the_report_date(full, open_items):
    check_as_of(full, "2025-12-31")  # a ledger with its history takes any date
    check_as_of(open_items, "2026-03-31")
    with pytest.raises(ParameterError) as earlier:
        arbook.aging(open_items, "2026-02-28")
    assert str(earlier.value) == (
        f"as of 2026-02-28 is before the report's date 2026-03-31: {NOTE}, so it cannot say "
        "what was open on 2026-02-28 (what was paid before 2026-03-31 is not in it); use the "
        "as-of date 2026-03-31"
    )
    # later: decided to refuse too (the items would age without what was paid since)
    with pytest.raises(
        ParameterError,
        match=r"is after the report's date 2026-03-31: .* what "
        r"was paid after 2026-03-31; use the as-of date 2026-03-31 or read a "
        r"newer report",
    ):
        arbook.aging_summary(open_items, "2026-04-30")
    for refused in (
        lambda d: arbook.receivable_totals(open_items, d),
        lambda d: carrying_cost(open_items, d),
        lambda d: payment_scores(open_items, d),
        lambda d: credit_holds(open_items, d),
        lambda d: allowance(open_items, d),
    ):
        with pytest.raises(ParameterError, match="the report's date 2026-03-31"):
            refused("2026-02-28")


def test_without_a_report_date_dates_before_the_latest_in_the_data_are_refused(open_items):
    undated = dataclasses.replace(open_items, report_date=None)
    assert open_date(undated) == pd.Timestamp("2026-03-30")  # P2, the latest date
    assert dated(undated, "2026-03-30") and dated(undated, "2026-04-30")
    with pytest.raises(ParameterError, match=r"before 2026-03-30, the latest date in the data"):
        arbook.aging(undated, "2026-03-29")


def test_aging_totals_carrying_and_exposure_at_the_report_date_are_the_full_ledgers(
    full, open_items
):
    pd.testing.assert_frame_equal(arbook.aging(open_items, REPORT), arbook.aging(full, REPORT))
    assert arbook.receivable_totals(open_items, REPORT) == arbook.receivable_totals(full, REPORT)
    # the carrying cost follows from the open items at the date: both forms are shown
    pd.testing.assert_frame_equal(carrying_cost(open_items, REPORT), carrying_cost(full, REPORT))
    scores = payment_scores(open_items, REPORT).set_index("customer_id")
    known = payment_scores(full, REPORT).set_index("customer_id")
    assert scores["exposure_cents"].equals(known["exposure_cents"])
    assert scores["utilisation"].equals(known["utilisation"])


def test_dso_cei_turnover_and_sales_are_nan_and_only_the_report_month_has_an_aging(
    full, open_items
):
    m = monthly_metrics(open_items, "2026-01", "2026-03").set_index("month")
    known = monthly_metrics(full, "2026-01", "2026-03").set_index("month")
    for column in HISTORY_COLUMNS:
        assert m[column].isna().all(), column
    assert not np.isnan(known.loc["2026-03", "cei"])  # the full ledger has one
    # the month end that is the report's date: its aging, the same as the full ledger's
    for column in ("ar_end_cents", "current_cents", "not_due_cents", "unapplied_cents"):
        assert m.loc["2026-03", column] == known.loc["2026-03", column], column
    assert m.loc["2026-03", "pct_current"] == known.loc["2026-03", "pct_current"]
    # earlier month ends are not known: NA, never the zeros or the partial balances
    assert m.loc[["2026-01", "2026-02"], ["ar_end_cents", "overdue_cents"]].isna().all().all()
    assert m.loc[["2026-01", "2026-02"], "pct_current"].isna().all()
    assert str(m["ar_end_cents"].dtype) == "Int64"


def test_roll_rates_and_the_roll_rate_allowance_are_nan(full, open_items):
    rolls = roll_rates(open_items, "2026-01", "2026-03")
    assert list(rolls.columns) == list(roll_rates(full, "2026-01", "2026-03").columns)
    assert rolls.drop(columns="month").isna().all().all()
    a = allowance(open_items, REPORT)
    assert a["roll_allowance_cents"].isna().all() and a["roll_loss_rate"].isna().all()
    # the aging method needs only the balances at the date
    pd.testing.assert_series_equal(
        a["aging_allowance_cents"], allowance(full, REPORT)["aging_allowance_cents"]
    )


def test_no_payment_experience_so_behaviour_is_empty_and_nobody_is_scored(full, open_items):
    assert len(experiences(full, REPORT)) > 0
    assert experiences(open_items, REPORT).empty
    assert list(experiences(open_items, REPORT).columns) == list(experiences(full, REPORT).columns)
    assert payment_behaviour(open_items, REPORT).empty
    scores = payment_scores(open_items, REPORT)
    assert scores[["score", "score_3m", "score_12m"]].isna().all().all()
    assert scores_at(open_items, REPORT).empty
    # holds by limit and days overdue still work: A owes 200.00 on a limit of 150.00
    holds = credit_holds(open_items, REPORT).set_index("customer_id")
    assert holds.loc["A", "reasons"] == "over its limit by 50.00"


def test_the_discount_cannot_be_simulated_without_payments(full, open_items):
    from arbook.credit.discounts import simulate_discount

    simulate_discount(full, REPORT)
    with pytest.raises(ParameterError) as exc:
        simulate_discount(open_items, REPORT)
    assert str(exc.value) == f"The discount simulated on your customers' payments: n/a ({NOTE})"


def test_a_suggested_limit_is_from_the_balance_at_the_report_date_alone(full, open_items):
    from arbook.credit.limits import credit_review

    # B has no limit: 80.00 + 40.00 - 15.00 credit (not exposure) - 10.00 cash = 120.00 owed
    row = credit_review(open_items, REPORT).set_index("customer_id").loc["B"]
    assert row["reasons"] == (
        "no limit set: peak balance 120.00 on 2026-03-31, the report's date (no earlier "
        "balance is known) x 1 (unscored)"
    )
    assert (
        "over 12 months" in credit_review(full, REPORT).set_index("customer_id").at["B", "reasons"]
    )
