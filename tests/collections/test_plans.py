"""Payment plans (SPEC §7): the instalment rule (kept when the payments by its date reach the
instalments up to it; broken the day after), worked by hand and held by hypothesis against a
plain loop; a plan's life in the contact log (on track, broken, completed, cancelled) against
SQLite and, when ARBOOK_TEST_POSTGRES_URL is set, PostgreSQL; and every refusal."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
import test_contacts
from conftest import ledger_fixture
from hypothesis import given, settings
from hypothesis import strategies as st

from arbook.collections.plans import (
    INSTALMENT_COLUMNS,
    PLAN_COLUMNS,
    SCHEDULE_COLUMNS,
    STATUS_COLUMNS,
    instalment_status,
    paused_documents,
    plan_status,
)
from arbook.core.errors import ParameterError

# the fixtures of test_contacts: a contact log on a SQLite file or a PostgreSQL schema
url, log = test_contacts.url, test_contacts.log
UTC = dt.UTC
NOV1 = dt.datetime(2026, 11, 1, 10, 0, tzinfo=UTC)
# A owes 1,000.00 on A1 and 500.00 on A2, both overdue on 2026-11-01; B owes 100.00 on B1;
# C1 is settled. A pays 150.00 on 10-30 (before any plan), 150.00 on 11-05, 50.00 on 12-20.
INVOICES = """
    A1,A,2026-08-01,2026-09-01,1000.00
    A2,A,2026-09-01,2026-10-01,500.00
    B1,B,2026-09-01,2026-10-01,100.00
    C1,C,2026-09-01,2026-10-01,100.00
"""
PAYMENTS = """
    P0,A,2026-10-30,150.00,
    P1,A,2026-11-05,150.00,
    P2,A,2026-12-20,50.00,
    PC,C,2026-10-10,100.00,C1
"""
CUSTOMERS = """
    A,Alpha Ltd
    B,Beta Ltd
    C,Gamma SA
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


def schedule(rows, agreed="2026-11-01 10:00", cancelled=None, customer="A") -> pd.DataFrame:
    """A one-plan schedule of (due date, cents) rows."""
    return pd.DataFrame(
        {
            "plan_id": 1,
            "customer_id": customer,
            "number": np.arange(1, len(rows) + 1),
            "due_date": pd.to_datetime([d for d, _ in rows]),
            "amount_cents": np.array([c for _, c in rows], dtype=np.int64),
            "agreed_at": pd.Timestamp(agreed, tz="UTC"),
            "cancelled_at": pd.Timestamp(cancelled, tz="UTC") if cancelled else pd.NaT,
        }
    )[SCHEDULE_COLUMNS]


TWO = [("2026-11-10", 10000), ("2026-12-10", 10000)]


# -- the rule, by hand ---------------------------------------------------------------------------


def test_an_instalment_is_kept_by_its_date_and_the_surplus_goes_to_the_next(ledger):
    # From 11-01 A paid 150.00 on 11-05: the first 100.00 is kept, 50.00 goes to the second,
    # which is open until 12-10 and broken from 12-11 (the 50.00 of 12-20 comes too late).
    on_20 = instalment_status(schedule(TWO), ledger.payments, "2026-11-20")
    assert list(on_20.columns) == INSTALMENT_COLUMNS
    assert on_20["status"].tolist() == ["kept", "open"]
    assert on_20["paid_cents"].tolist() == [10000, 5000]
    assert instalment_status(schedule(TWO), ledger.payments, "2026-12-10")["status"].tolist() == [
        "kept",
        "open",
    ]
    late = instalment_status(schedule(TWO), ledger.payments, "2026-12-31")
    assert late["status"].tolist() == ["kept", "broken"] and late["paid_cents"].tolist() == [
        10000,
        5000,
    ]


def test_payments_before_the_plan_or_after_as_of_do_not_count(ledger):
    # the 150.00 of 10-30 came before the plan: 11-04 sees nothing paid yet
    found = instalment_status(schedule(TWO), ledger.payments, "2026-11-04")
    assert found["paid_cents"].tolist() == [0, 0] and found["status"].tolist() == ["open"] * 2
    agreed_later = schedule(TWO, agreed="2026-11-06 09:00")
    assert instalment_status(agreed_later, ledger.payments, "2026-11-05").empty  # not yet agreed
    assert instalment_status(agreed_later, ledger.payments, "2026-11-11")["status"].tolist() == [
        "broken",
        "open",
    ]


def test_a_late_payment_settles_the_oldest_instalment_first(ledger):
    # 100.00 due 11-03 gets nothing by then (broken), so the 150.00 of 11-05 pays it first:
    # only 50.00 is left for the 100.00 due 11-30, which breaks too.
    rows = [("2026-11-03", 10000), ("2026-11-30", 10000)]
    found = instalment_status(schedule(rows), ledger.payments, "2026-12-01")
    assert found["status"].tolist() == ["broken", "broken"]
    assert found["paid_cents"].tolist() == [0, 5000]


def test_a_cancelled_plan_is_judged_on_its_cancellation_day(ledger):
    plan = schedule(TWO, cancelled="2026-11-20 12:00")
    found = instalment_status(plan, ledger.payments, "2026-12-31")
    assert found["status"].tolist() == ["kept", "cancelled"]
    assert found["paid_cents"].tolist() == [10000, 5000]  # what had come by the cancellation
    # before the cancellation it was an ordinary plan
    assert instalment_status(plan, ledger.payments, "2026-11-19")["status"].tolist() == [
        "kept",
        "open",
    ]


# -- the rule, by hypothesis ---------------------------------------------------------------------

DAYS = pd.date_range("2026-11-01", "2026-12-31")


def plain_rule(rows, pays, agreed, as_of):
    """The SPEC sentence as a loop: (status, paid) of each instalment in date order."""
    out, needed = [], 0
    for due, amount in rows:
        stop = min(due, as_of)
        paid = sum(c for d, c in pays if agreed <= d <= stop)
        before, needed = needed, needed + amount
        status = "kept" if paid >= needed else ("broken" if as_of > due else "open")
        out.append((status, max(0, min(amount, paid - before))))
    return out


instalments = st.lists(
    st.tuples(st.sampled_from(list(DAYS)), st.integers(1, 10**6)), min_size=1, max_size=6
).map(lambda rows: sorted(dict(rows).items()))
payments = st.lists(
    st.tuples(
        st.sampled_from(list(pd.date_range("2026-10-25", "2027-01-05"))), st.integers(1, 10**6)
    ),
    max_size=8,
)


def _payments(pays) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "customer_id": ["A"] * len(pays),
            "payment_date": pd.to_datetime([d for d, _ in pays]),
            "amount_cents": np.array([c for _, c in pays], dtype=np.int64),
        }
    )


@settings(max_examples=150, deadline=None)
@given(rows=instalments, pays=payments, as_of=st.sampled_from(list(DAYS)))
def test_the_rule_is_the_cumulative_sentence(rows, pays, as_of):
    found = instalment_status(schedule(rows), _payments(pays), as_of)
    expected = plain_rule(rows, pays, pd.Timestamp("2026-11-01"), as_of)
    assert list(zip(found["status"], found["paid_cents"])) == expected
    # what is attributed never exceeds what came in, nor what was asked
    window = sum(c for d, c in pays if pd.Timestamp("2026-11-01") <= d <= as_of)
    assert found["paid_cents"].sum() <= min(window, sum(c for _, c in rows))


@settings(max_examples=60, deadline=None)
@given(rows=instalments, extra=st.integers(0, 10**6))
def test_paying_the_total_on_day_one_keeps_every_instalment(rows, extra):
    total = sum(c for _, c in rows) + extra
    found = instalment_status(
        schedule(rows), _payments([(pd.Timestamp("2026-11-01"), total)]), "2027-01-31"
    )
    assert set(found["status"]) == {"kept"}
    assert found["paid_cents"].tolist() == [c for _, c in rows]


# -- plans in the log ----------------------------------------------------------------------------


def agree(log, customer="A", rows=TWO, documents=("A1",), **fields):
    values = {"who": "ann", "at": NOV1, **fields}
    return log.add_plan(customer, instalments=list(rows), documents=list(documents), **values)


def test_a_plan_on_track_pauses_its_items_then_breaks(log, ledger):
    number = agree(log, documents=("A1", "A2"), note="two instalments", ledger=ledger)
    plans = log.plans()
    assert list(plans.columns) == PLAN_COLUMNS
    row = plans.iloc[0]
    assert (row["plan_id"], row["customer_id"], row["documents"], row["instalments"]) == (
        number,
        "A",
        ("A1", "A2"),
        2,
    )
    assert (row["planned_cents"], row["agreed_by"], row["note"]) == (
        20000,
        "ann",
        "two instalments",
    )
    assert row["first_due"] == pd.Timestamp("2026-11-10") and pd.isna(row["cancelled_at"])
    assert log.instalments(ledger, "2026-11-20")["status"].tolist() == ["kept", "open"]
    status = plan_status(ledger, "2026-11-20", log)
    assert list(status.columns) == STATUS_COLUMNS
    s = status.iloc[0]
    assert (s["status"], s["paused"], s["kept"], s["broken"], s["paid_cents"]) == (
        "on track",
        True,
        1,
        0,
        15000,
    )
    assert (s["next_due"], s["next_cents"]) == (pd.Timestamp("2026-12-10"), 10000)
    assert paused_documents(ledger, "2026-11-20", log).tolist() == ["A1", "A2"]
    broken = plan_status(ledger, "2026-12-11", log).iloc[0]
    assert (broken["status"], broken["paused"], broken["broken"]) == ("broken", False, 1)
    assert paused_documents(ledger, "2026-12-11", log).empty
    assert plan_status(ledger, "2026-10-31", log).empty  # not agreed yet


def test_a_plan_kept_to_the_end_is_completed(log, ledger):
    agree(log, rows=[("2026-11-10", 10000), ("2026-12-20", 10000)])
    done = plan_status(ledger, "2026-12-20", log).iloc[0]
    assert (done["status"], done["kept"], done["paused"]) == ("completed", 2, False)
    assert pd.isna(done["next_due"]) and pd.isna(done["next_cents"])


def test_a_cancelled_plan_and_the_next_one(log, ledger):
    first = agree(log)
    with pytest.raises(ParameterError, match=f"customer A has plan {first} with instalments until"):
        agree(log, rows=[("2026-12-01", 5000)])
    log.cancel_plan(first, who="bob", note="renegotiated", at=NOV1 + dt.timedelta(days=2))
    with pytest.raises(ParameterError, match=f"payment plan {first} was cancelled on 2026-11-03"):
        log.cancel_plan(first, who="bob", at=NOV1 + dt.timedelta(days=3))
    row = log.plans().iloc[0]
    assert (row["cancelled_by"], row["cancel_note"]) == ("bob", "renegotiated")
    cancelled = plan_status(ledger, "2026-11-20", log).iloc[0]
    assert (cancelled["status"], cancelled["paused"]) == ("cancelled", False)
    assert log.instalments(ledger, "2026-11-20")["status"].tolist() == ["cancelled", "cancelled"]
    second = agree(log, rows=[("2026-12-01", 5000)], at=NOV1 + dt.timedelta(days=3))
    assert plan_status(ledger, "2026-11-20", log)["plan_id"].tolist() == [first, second]
    assert log.plans(customer_id="B").empty and len(log.schedule(customer_id="A")) == 3


def test_unknown_plans_and_dates_before_the_plan_are_refused(log):
    with pytest.raises(ParameterError, match="payment plan 7 does not exist"):
        log.cancel_plan(7, who="ann", at=NOV1)
    first = agree(log)
    with pytest.raises(ParameterError, match=r"2026-10-31 is before payment plan \d+ was agreed"):
        log.cancel_plan(first, who="ann", at=NOV1 - dt.timedelta(days=1))


def test_every_bad_value_of_a_plan_is_named_at_once(log):
    with pytest.raises(ParameterError) as caught:
        log.add_plan(
            "A",
            instalments=[("2026-10-15", 100), ("2026-11-31", 100), ("2026-12-01", -5), "x"],
            documents=[],
            who="",
            at=NOV1,
        )
    text = str(caught.value)
    assert text.startswith("payment plan not recorded: ")
    for part in (
        "who is ''; it must be non-empty text",
        "documents is []; list the invoices the plan pays",
        "instalment 1 is due 2026-10-15, before the plan (agreed 2026-11-01)",
        "instalment 2 date is '2026-11-31'; day is out of range for month",
        "instalment 3 amount is -5; an instalment must be more than 0",
        "instalment 4 is 'x'; it must be a (date, cents) pair",
    ):
        assert part in text
    with pytest.raises(ParameterError, match="more than one instalment on 2026-11-10"):
        agree(log, rows=[("2026-11-10", 100), ("2026-11-10", 200)])
    with pytest.raises(ParameterError, match="give at least one"):
        agree(log, rows=[])
    assert log.plans().empty


@pytest.mark.parametrize(
    "customer, documents, rows, message",
    [
        ("Z", ("A1",), TWO, "customer 'Z' is not in the data"),
        ("A", ("B1",), TWO, "document 'B1' is not an open invoice of A on 2026-11-01"),
        ("C", ("C1",), TWO, "document 'C1' is not an open invoice of C"),
        (
            "A",
            ("A2",),
            [("2026-11-10", 40000), ("2026-12-10", 10001)],
            "the instalments add up to 500.01, more than the 500.00 owed on A2; lower them",
        ),
    ],
)
def test_the_data_refuses_a_plan_it_cannot_hold(log, ledger, customer, documents, rows, message):
    with pytest.raises(ParameterError, match=message):
        agree(log, customer, rows, documents, ledger=ledger)
    assert log.plans().empty


def test_a_plan_for_less_than_is_owed_is_recorded(log, ledger):
    from arbook.collections.plans import plan_problems

    agree(log, "A", [("2026-11-10", 50000)], ("A2",), ledger=ledger)  # all of A2: fine
    problems, notes = plan_problems(ledger, "A", ["A1", "A2"], 20000, "2026-11-01")
    assert problems == [] and notes == [
        "the instalments add up to 200.00 of the 1,500.00 owed on A1, A2; the other 1,300.00 "
        "is not in the plan"
    ]


def test_without_a_log_there_are_no_plans(ledger):
    assert plan_status(ledger, "2026-11-20", None).empty
    assert list(plan_status(ledger, "2026-11-20", None).columns) == STATUS_COLUMNS
