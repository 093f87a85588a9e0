"""Payment-date prediction, the cash forecast and the backtest (SPEC §9)."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from conftest import SAMPLE, ledger_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbook
from arbook.core.errors import ParameterError
from arbook.measures.forecast import PREDICTION_COLUMNS, WEEK_COLUMNS, apportion, week_items

AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def _steady(tmp_path, *, late: int = 10, paid: int = 30, extra: str = ""):
    """Customer A: ``paid`` invoices of 100.00 on the 1st of each month from 2024-01, due in 30
    days, each paid ``late`` days after its due date; then ``extra`` invoice rows."""
    invoices = ["invoice_id,customer_id,invoice_date,due_date,amount,disputed"]
    payments = ["payment_id,customer_id,payment_date,amount,invoice_id"]
    for n in range(paid):
        day = pd.Timestamp("2024-01-01") + pd.DateOffset(months=n)
        due = day + pd.Timedelta(days=30)
        invoices.append(f"I{n},A,{day:%Y-%m-%d},{due:%Y-%m-%d},100.00,no")
        payments.append(f"P{n},A,{due + pd.Timedelta(days=late):%Y-%m-%d},100.00,I{n}")
    return ledger_of(
        tmp_path, invoices="\n".join(invoices) + extra, payments="\n".join(payments) + "\n"
    )


def test_one_row_per_open_positive_item(sample):
    predicted = arbook.predict_payments(sample, AS_OF)
    assert list(predicted.columns) == PREDICTION_COLUMNS
    items = arbook.aging(sample, AS_OF)
    owed = items[(items["outstanding_cents"] > 0) & (items["kind"] == "invoice")]
    assert sorted(predicted["document_id"]) == sorted(owed["document_id"])
    assert predicted["outstanding_cents"].sum() == owed["outstanding_cents"].sum()
    day = pd.Timestamp(AS_OF) + pd.Timedelta(days=1)
    assert (predicted["low_date"] >= day).all()
    assert (predicted["low_date"] <= predicted["predicted_date"]).all()
    assert (predicted["predicted_date"] <= predicted["high_date"]).all()
    assert predicted["predicted_date"].is_monotonic_increasing
    assert predicted["basis"].str.len().min() > 10  # a reason in words on every row


def test_a_steady_payer_is_predicted_at_its_own_pace(tmp_path):
    extra = "\nN1,A,2026-10-01,2026-10-31,250.00,no\n"  # open at 10-15, due 10-31
    ledger = _steady(tmp_path, extra=extra)
    row = arbook.predict_payments(ledger, "2026-10-15").set_index("document_id").loc["N1"]
    assert row["predicted_date"] == pd.Timestamp("2026-11-10")  # due + 10 days, as always
    assert row["basis"] == "pays 10 days late on average over 30 invoices"


def test_an_item_later_than_anything_seen_still_has_a_future(tmp_path):
    extra = "\nN1,A,2026-06-01,2026-07-01,250.00,no\n"  # 122 days overdue at 10-31
    ledger = _steady(tmp_path, extra=extra)
    row = arbook.predict_payments(ledger, AS_OF).set_index("document_id").loc["N1"]
    assert row["predicted_date"] > pd.Timestamp(AS_OF) + pd.Timedelta(days=7)
    assert row["high_date"] > row["predicted_date"] + pd.Timedelta(days=30)
    assert row["basis"].endswith("already later than any invoice paid so far")


def test_a_new_customer_gets_the_book_and_says_so(tmp_path):
    ledger = _steady(tmp_path, extra="\nN1,B,2026-10-01,2026-10-31,250.00,no\n")
    row = arbook.predict_payments(ledger, "2026-10-15").set_index("document_id").loc["N1"]
    assert row["basis"] == "new customer: the book's average (10 days late)"
    assert row["predicted_date"] == pd.Timestamp("2026-11-10")


def test_too_little_history_falls_back_to_due_dates(tmp_path):
    ledger = _steady(tmp_path, paid=4, extra="\nN1,A,2026-10-01,2026-10-31,250.00,no\n")
    row = arbook.predict_payments(ledger, "2026-10-15").set_index("document_id").loc["N1"]
    assert (
        row["predicted_date"] == row["low_date"] == row["high_date"] == pd.Timestamp("2026-10-31")
    )
    assert row["basis"] == "4 paid invoices in the data, too few to learn from: the due date"


def test_open_items_only_predicts_due_dates_and_says_why(sample):
    report = dataclasses.replace(sample, open_items_only=True, report_date=pd.Timestamp(AS_OF))
    predicted = arbook.predict_payments(report, AS_OF)
    due = predicted["due_date"].clip(lower=pd.Timestamp("2026-11-01"))
    assert (predicted["predicted_date"] == due).all()
    assert set(predicted["basis"]) == {
        "no payment history in the data (open items only): the due date"
    }


def test_it_learns_only_from_what_is_dated_by_the_as_of_date(sample):
    """The full ledger and the same ledger cut at the as-of date (nothing dated after it)
    give the same predictions and the same weeks."""
    as_of = "2026-03-31"
    inv = sample.invoices[sample.invoices["invoice_date"] <= as_of]
    pay = sample.payments[sample.payments["payment_date"] <= as_of]
    cut = dataclasses.replace(sample, invoices=inv.reset_index(drop=True), payments=pay)
    cut.__dict__.pop("arrays", None)
    pd.testing.assert_frame_equal(
        arbook.predict_payments(sample, as_of), arbook.predict_payments(cut, as_of)
    )
    pd.testing.assert_frame_equal(
        arbook.cash_forecast(sample, as_of), arbook.cash_forecast(cut, as_of)
    )


def test_it_never_reads_the_columns_that_hold_the_answer(ibm):
    """The IBM preset keeps DaysLate and DaysToSettle beside the canonical columns; scrambling
    them changes nothing."""
    rng = np.random.default_rng(0)
    invoices = ibm.invoices.assign(
        days_late=rng.permutation(ibm.invoices["days_late"].to_numpy()),
        days_to_settle=rng.integers(0, 90, len(ibm.invoices)),
    )
    scrambled = dataclasses.replace(ibm, invoices=invoices)
    scrambled.__dict__.pop("arrays", None)
    pd.testing.assert_frame_equal(
        arbook.predict_payments(ibm, "2013-06-30"),
        arbook.predict_payments(scrambled, "2013-06-30"),
    )


def test_weeks_add_up_to_what_is_open(sample):
    weeks = arbook.cash_forecast(sample, AS_OF)
    assert list(weeks.columns) == WEEK_COLUMNS
    assert len(weeks) == 14 and weeks["beyond"].tolist() == [False] * 13 + [True]
    assert weeks["week_start"].iloc[0] == pd.Timestamp("2026-11-01")
    assert (weeks["week_start"].diff().dropna() == pd.Timedelta(days=7)).all()
    open_cents = arbook.predict_payments(sample, AS_OF)["outstanding_cents"].sum()
    assert weeks["expected_cents"].sum() == open_cents
    assert (weeks["low_cents"] <= weeks["expected_cents"]).all()
    assert (weeks["expected_cents"] <= weeks["high_cents"]).all()
    for week in (1, 7, 14):
        items = week_items(sample, AS_OF, week)
        assert items["expected_cents"].sum() == weeks["expected_cents"].iloc[week - 1]
    assert len(arbook.cash_forecast(sample, AS_OF, weeks=4)) == 5


@pytest.mark.parametrize("weeks", [0, 105, 2.5, True])
def test_a_bad_horizon_is_refused_in_words(sample, weeks):
    with pytest.raises(ParameterError, match="give a whole number of weeks from 1 to 104"):
        arbook.cash_forecast(sample, AS_OF, weeks=weeks)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(0, 1e9), min_size=1, max_size=20), st.integers(0, 10**12))
def test_apportion_adds_up_exactly(values, total):
    cents = apportion(np.array(values), total)
    assert int(cents.sum()) == total and (cents >= 0).all()
    if sum(values) > 0:
        exact = np.array(values) * total / sum(values)
        assert np.all(np.abs(cents - exact) < 1 + 1e-6 * max(1.0, total))


BASE = pd.Timestamp("2026-01-01")


@st.composite
def books(draw):
    """Up to 30 invoices of 3 customers over 300 days, each paid in full (some days after its
    due date), in part, or not at all; an as-of date among them."""
    invoices, payments = [], []
    for i in range(draw(st.integers(1, 30))):
        day = draw(st.integers(0, 300))
        cents = draw(st.integers(1, 500_000))
        due = BASE + pd.Timedelta(days=day + draw(st.sampled_from([0, 15, 30])))
        invoices.append(
            {
                "invoice_id": f"I{i}",
                "customer_id": draw(st.sampled_from("ABC")),
                "invoice_date": f"{BASE + pd.Timedelta(days=day):%Y-%m-%d}",
                "due_date": f"{due:%Y-%m-%d}",
                "amount": f"{cents / 100:.2f}",
                "disputed": draw(st.sampled_from(["no", "no", "yes"])),
            }
        )
        paid = draw(st.sampled_from([0, cents, cents, max(cents // 2, 1)]))
        if paid:
            when = due + pd.Timedelta(days=draw(st.integers(-20, 200)))
            payments.append(
                {
                    "payment_id": f"P{i}",
                    "customer_id": invoices[-1]["customer_id"],
                    "payment_date": f"{max(when, BASE + pd.Timedelta(days=day)):%Y-%m-%d}",
                    "amount": f"{paid / 100:.2f}",
                    "invoice_id": f"I{i}",
                }
            )
    as_of = BASE + pd.Timedelta(days=draw(st.integers(0, 400)))
    columns = ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"]
    return pd.DataFrame(invoices), pd.DataFrame(payments, columns=columns), as_of


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(books(), st.integers(1, 20))
def test_forecast_identities_hold_to_the_cent(case, horizon):
    invoices, payments, as_of = case
    ledger = arbook.ledger_from_frames(invoices, payments)
    assert ledger.errors.empty
    predicted = arbook.predict_payments(ledger, as_of)
    weeks = arbook.cash_forecast(ledger, as_of, weeks=horizon)
    items = arbook.aging(ledger, as_of)
    owed = int(items.loc[items["outstanding_cents"] > 0, "outstanding_cents"].sum())
    assert int(predicted["outstanding_cents"].sum()) == owed
    assert int(weeks["expected_cents"].sum()) == owed
    assert (weeks[["low_cents", "expected_cents", "high_cents"]] >= 0).all().all()
    assert (predicted["predicted_date"] > as_of).all()
    assert (predicted["low_date"] <= predicted["predicted_date"]).all()
    assert (predicted["predicted_date"] <= predicted["high_date"]).all()
    if len(predicted):
        week = int(np.argmax(weeks["expected_cents"].to_numpy())) + 1
        behind = week_items(ledger, as_of, week, weeks=horizon)
        assert int(behind["expected_cents"].sum()) == int(weeks["expected_cents"].iloc[week - 1])
