"""Disputes (SPEC §7): the life of one in the contact log (open, note, resolve), the rule that
takes the disputed amount, and only it, out of the ladder and the ranking, the imported
``disputed = yes`` flag, and every refusal. Storage tests run against SQLite and, when
ARBOOK_TEST_POSTGRES_URL is set, PostgreSQL (the ``url`` fixture of test_contacts)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from conftest import ledger_fixture, ledger_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arbook.collections.contacts import ContactLog
from arbook.collections.ranking import POSITION_COLUMNS, chase_ranking, positions
from arbook.core.errors import ParameterError
from arbook.measures.disputes import (
    DISPUTE_COLUMNS,
    EVENT_COLUMNS,
    IMPORTED_REASON,
    LIST_COLUMNS,
    dispute_list,
    dispute_state,
    disputed_cents,
)
from tests.collections import test_contacts

# the fixtures of test_contacts: a contact log on a SQLite file or a PostgreSQL schema
url, log = test_contacts.url, test_contacts.log
AS_OF = "2026-10-31"
UTC = dt.UTC
OCT20 = dt.datetime(2026, 10, 20, 9, 0, tzinfo=UTC)
DAY = dt.timedelta(days=1)
# As of 2026-10-31 (age_month_days 30, so 30 days overdue doubles an item's weight):
#   A: A1 1,000.00 due 10-01 (30 days overdue); A2 200.00 due 11-14 (not due); AC a credit
#      note of 50.00. B: B1 500.00 due 09-01 (60 days), imported as disputed. C: C1 paid.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    A1,A,2026-09-01,2026-10-01,1000.00,no
    A2,A,2026-10-15,2026-11-14,200.00,no
    AC,A,2026-10-02,,-50.00,no
    B1,B,2026-08-01,2026-09-01,500.00,yes
    C1,C,2026-09-01,2026-10-01,100.00,no
"""
PAYMENTS = """
    PC,C,2026-10-20,100.00,C1
"""
CUSTOMERS = """
    A,Alpha Ltd
    B,Beta Ltd
    C,Gamma SA
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


def dispute(log, document="A1", customer="A", **fields):
    values = {"reason": "price", "who": "ann", "at": OCT20, **fields}
    return log.open_dispute(customer, document, **values)


# -- the life of a dispute -----------------------------------------------------------------------


def test_open_note_resolve(log, ledger):
    first = dispute(log, amount_cents=30000, owner="ann", note="says the price was 7.00")
    log.note_dispute(first, who="bob", note="sent the order", owner="bob", at=OCT20 + 3 * DAY)
    log.note_dispute(first, who="bob", note="they agree", at=OCT20 + 5 * DAY)
    open_ = log.disputes()
    assert list(open_.columns) == DISPUTE_COLUMNS
    row = open_.iloc[0]
    assert (row["dispute_id"], row["customer_id"], row["document_id"]) == (first, "A", "A1")
    assert (row["amount_cents"], row["reason"], row["opened_by"]) == (30000, "price", "ann")
    assert (row["owner"], row["status"], row["notes"], row["last_note"]) == (
        "bob",
        "open",
        2,
        "they agree",
    )
    assert row["opened_at"] == pd.Timestamp(OCT20) and pd.isna(row["resolved_at"])
    log.resolve_dispute(first, resolution="credited", who="ann", note="credit note 7", at=OCT20)
    assert log.disputes().empty
    done = log.disputes(status="all").iloc[0]
    assert (done["status"], done["resolved_by"], done["resolution_note"]) == (
        "credited",
        "ann",
        "credit note 7",
    )
    assert log.disputes(status="resolved")["dispute_id"].tolist() == [first]
    events = log.dispute_events()
    assert list(events.columns) == EVENT_COLUMNS
    assert events["kind"].tolist() == ["opened", "resolved", "note", "note"]  # by time


def test_a_dispute_is_as_it_stood_on_the_day(log, ledger):
    first = dispute(log, owner="ann")
    log.note_dispute(first, who="bob", note="", owner="bob", at=OCT20 + 2 * DAY)
    log.resolve_dispute(first, resolution="paid", who="bob", at=OCT20 + 5 * DAY)
    events = log.dispute_events()
    assert dispute_state(events, "2026-10-19").empty  # not opened yet
    on_21 = dispute_state(events, "2026-10-21").iloc[0]
    assert (on_21["status"], on_21["owner"], on_21["notes"]) == ("open", "ann", 0)
    on_23 = dispute_state(events, "2026-10-23").iloc[0]
    assert (on_23["status"], on_23["owner"], on_23["notes"]) == ("open", "bob", 1)
    assert on_23["last_note"] is None  # a new owner without a word is no note to show
    assert dispute_state(events, "2026-10-25").iloc[0]["status"] == "paid"
    # the list at a date: opened after it does not exist yet, resolved before it is gone
    assert "A1" not in set(dispute_list(ledger, "2026-10-19", log)["document_id"])
    assert "A1" in set(dispute_list(ledger, "2026-10-24", log)["document_id"])
    assert "A1" not in set(dispute_list(ledger, "2026-10-25", log)["document_id"])


def test_a_resolved_dispute_takes_no_more_and_one_document_has_one_open(log):
    first = dispute(log)
    with pytest.raises(ParameterError, match=f"A1 is already in dispute {first}"):
        dispute(log, reason="quantity")
    log.resolve_dispute(first, resolution="rejected", who="ann", at=OCT20)
    for again in (
        lambda: log.note_dispute(first, who="ann", note="more", at=OCT20),
        lambda: log.resolve_dispute(first, resolution="paid", who="ann", at=OCT20),
    ):
        with pytest.raises(ParameterError, match=f"dispute {first} was resolved \\(rejected\\)"):
            again()
    second = dispute(log, reason="quantity")  # taken up again: a new dispute
    assert log.disputes()["dispute_id"].tolist() == [second]


def test_unknown_disputes_and_dates_before_the_opening_are_refused(log):
    with pytest.raises(ParameterError, match="dispute 99 does not exist"):
        log.note_dispute(99, who="ann", note="x", at=OCT20)
    first = dispute(log)
    with pytest.raises(ParameterError, match=r"2026-10-19 is before dispute \d+ was opened"):
        log.resolve_dispute(first, resolution="paid", who="ann", at=OCT20 - DAY)
    with pytest.raises(ParameterError, match="the note is empty; write what happened"):
        log.note_dispute(first, who="ann", note="  ", at=OCT20)
    with pytest.raises(ParameterError, match="resolution is 'won'; use one of paid, credited"):
        log.resolve_dispute(first, resolution="won", who="ann", at=OCT20)
    assert log.dispute_events()["kind"].tolist() == ["opened"]  # nothing half-written


def test_every_bad_value_is_named_at_once(log):
    with pytest.raises(ParameterError) as caught:
        log.open_dispute(
            "A",
            "",
            reason=" ",
            who="x" * 81,
            amount_cents=12.5,
            at=dt.datetime(2026, 10, 20, 9),
        )
    text = str(caught.value)
    assert text.startswith("dispute not recorded: ")
    for part in (
        "document_id is ''; it must be non-empty text",
        "reason is ' '; it must be non-empty text",
        "who is 81 characters long; at most 80 are kept",
        "amount_cents is 12.5; it must be whole cents (an int)",
        "at is 2026-10-20T09:00:00 without a timezone",
    ):
        assert part in text
    with pytest.raises(ParameterError, match="amount_cents is 0; a disputed amount must be more"):
        dispute(log, amount_cents=0)
    assert log.dispute_events().empty


@pytest.mark.parametrize(
    "customer, document, amount, message",
    [
        ("Z", "A1", None, "customer 'Z' is not in the data"),
        ("A", "A11", None, "invoice 'A11' is not in the data; did you mean A1"),
        ("B", "A1", None, "document A1 is customer A's, not B's"),
        ("A", "AC", None, "document AC is a credit note; a dispute is on an invoice"),
        ("C", "C1", None, "nothing is owed on C1 on 2026-10-20 \\(it is settled\\)"),
        ("A", "A1", 100001, "amount 1,000.01 is more than the 1,000.00 owed on A1; dispute at"),
    ],
)
def test_the_data_refuses_a_dispute_it_cannot_hold(
    log, ledger, customer, document, amount, message
):
    with pytest.raises(ParameterError, match=message):
        dispute(log, document, customer, amount_cents=amount, ledger=ledger)
    assert log.dispute_events().empty
    dispute(log, "A1", "A", amount_cents=100000, ledger=ledger)  # all of it is fine


# -- what is in dispute, and the ladder ----------------------------------------------------------


def test_a_partial_dispute_leaves_its_undisputed_part_on_the_ladder(log, ledger):
    before = positions(ledger, AS_OF, log=log)
    assert before.loc["A", "overdue_cents"] == 100000  # nothing in the log yet: the flags
    dispute(log, amount_cents=30000)
    pos = positions(ledger, AS_OF, log=log)
    assert list(pos.columns) == POSITION_COLUMNS
    a = pos.loc["A"]
    # 1,000.00 - 300.00 overdue 30 days: weight 1 + 30/30 = 2
    assert (a["overdue_cents"], a["disputed_cents"], a["oldest_days"]) == (70000, 30000, 30)
    assert a["weighted_cents"] == pytest.approx(140000) and a["chased"]
    # the same through the series everything uses, and through the ranking
    series = disputed_cents(ledger, AS_OF, log)
    assert series.to_dict() == {"A1": 30000, "B1": 50000}
    pd.testing.assert_frame_equal(positions(ledger, AS_OF, disputed=series), pos)
    ranking = chase_ranking(ledger, AS_OF, log=log).set_index("customer_id")
    assert (
        ranking.loc["A", "disputed_cents"] == 30000 and ranking.loc["A", "overdue_cents"] == 70000
    )


def test_a_whole_dispute_takes_the_item_off_the_ladder(log, ledger):
    dispute(log)  # no amount: all that is owed on A1
    a = positions(ledger, AS_OF, log=log).loc["A"]
    # A2 is not due yet (14 days ahead): A is still chased, on A2's days, with nothing overdue
    assert (a["overdue_cents"], a["disputed_cents"], a["oldest_days"], a["chased"]) == (
        0,
        100000,
        -14,
        True,
    )


def test_a_disputed_amount_never_exceeds_what_is_owed(log, tmp_path):
    paid = PAYMENTS + "    PA,A,2026-10-25,500.00,A1\n"
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=paid, customers=CUSTOMERS)
    dispute(log, amount_cents=80000)  # disputed 800.00 when 1,000.00 was owed
    assert disputed_cents(ledger, "2026-10-24", log)["A1"] == 80000
    assert disputed_cents(ledger, AS_OF, log)["A1"] == 50000  # 500.00 left after the payment
    assert positions(ledger, AS_OF, log=log).loc["A", "overdue_cents"] == 0


def test_the_imported_flag_opens_a_dispute_and_a_resolution_closes_it(log, ledger):
    listed = dispute_list(ledger, AS_OF, log)
    assert list(listed.columns) == LIST_COLUMNS
    b = listed.set_index("document_id").loc["B1"]
    assert (b["dispute_id"], b["customer_id"], b["name"], b["source"]) == (
        "",
        "B",
        "Beta Ltd",
        "imported",
    )
    assert (b["outstanding_cents"], b["disputed_cents"], b["days_overdue"]) == (50000, 50000, 60)
    assert pd.isna(b["age_days"]) and b["reason"] == IMPORTED_REASON
    assert not positions(ledger, AS_OF, log=log).loc["B", "chased"]
    number = log.resolve_document("B", "B1", resolution="rejected", who="ann", at=OCT20)
    assert log.disputes(status="all").set_index("dispute_id").loc[number, "status"] == "rejected"
    assert "B1" not in set(dispute_list(ledger, AS_OF, log)["document_id"])
    b = positions(ledger, AS_OF, log=log).loc["B"]
    assert (b["chased"], b["overdue_cents"], b["disputed_cents"], b["oldest_days"]) == (
        True,
        50000,
        0,
        60,
    )
    # before the resolution's day the flag still held
    assert "B1" in set(dispute_list(ledger, "2026-10-19", log)["document_id"])


def test_a_log_dispute_takes_an_imported_one_over(log, ledger):
    number = dispute(log, "B1", "B", amount_cents=10000, owner="bob", reason="one box broken")
    rows = dispute_list(ledger, AS_OF, log)
    b = rows[rows["document_id"] == "B1"]
    assert len(b) == 1  # one row per disputed item
    b = b.iloc[0]
    assert (b["dispute_id"], b["source"], b["owner"], b["reason"]) == (
        number,
        "log",
        "bob",
        "one box broken",
    )
    assert (b["disputed_cents"], b["age_days"]) == (10000, 11)
    # resolving by document finds the log's dispute
    assert log.resolve_document("B", "B1", resolution="credited", who="bob", at=OCT20) == number
    dispute(log, "B1", "B")  # another one, and resolved by document as another customer's
    with pytest.raises(ParameterError, match="the dispute on B1 is customer B's, not A's"):
        log.resolve_document("A", "B1", resolution="paid", who="bob", at=OCT20)


def test_a_log_dispute_on_a_settled_invoice_stays_listed_until_resolved(log, ledger):
    dispute(log, "C1", "C", at=dt.datetime(2026, 10, 2, tzinfo=UTC))  # paid on 10-20 since
    c = dispute_list(ledger, AS_OF, log).set_index("document_id").loc["C1"]
    assert (c["outstanding_cents"], c["disputed_cents"], c["days_overdue"], c["age_days"]) == (
        0,
        0,
        30,
        29,
    )
    assert "C1" not in disputed_cents(ledger, AS_OF, log).index


def test_without_a_log_the_flags_alone(ledger):
    assert disputed_cents(ledger, AS_OF).to_dict() == {"B1": 50000}
    listed = dispute_list(ledger, AS_OF)
    assert listed["document_id"].tolist() == ["B1"] and listed["dispute_id"].tolist() == [""]


class _NoDisputes:
    """A log that keeps no disputes (an older or a stand-in log): the flags alone."""

    def history(self):
        return pd.DataFrame()


def test_a_log_without_disputes_counts_the_flags(ledger):
    pd.testing.assert_frame_equal(
        positions(ledger, AS_OF, log=_NoDisputes()), positions(ledger, AS_OF)
    )


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(amount=st.integers(min_value=1, max_value=100000))
def test_overdue_and_disputed_add_up_to_what_is_owed(ledger, amount):
    """Whatever part of A1 is disputed, the undisputed part is overdue and the two add up to
    the 1,000.00 owed on it (A2 is not due)."""
    series = pd.Series({"A1": amount, "B1": 50000}, dtype=np.int64)
    a = positions(ledger, AS_OF, disputed=series).loc["A"]
    assert a["overdue_cents"] + a["disputed_cents"] == 100000
    assert a["disputed_cents"] == amount
    assert a["oldest_days"] == (30 if amount < 100000 else -14)


def test_two_users_opening_the_same_dispute_at_once_record_one(url):
    """Two writers (each its own connection) race to open a dispute on A1: the lock makes one
    wait, see the other's, and be refused."""
    import threading

    barrier, results = threading.Barrier(2), []

    def open_one(who: str) -> None:
        with ContactLog(url) as mine:
            barrier.wait()
            try:
                results.append(dispute(mine, who=who))
            except ParameterError as exc:
                results.append(str(exc))

    threads = [threading.Thread(target=open_one, args=(who,)) for who in ("ann", "bob")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    numbers = [r for r in results if isinstance(r, int)]
    refused = [r for r in results if isinstance(r, str)]
    assert len(numbers) == 1 and len(refused) == 1 and "A1 is already in dispute" in refused[0]
    with ContactLog(url) as log:
        assert log.disputes()["dispute_id"].tolist() == numbers
