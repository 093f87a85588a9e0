"""Collection activity for the month: contacts, promises, cash after contact, stuck customers."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ledger_fixture, log_contacts

from arbook.collections.activity import collection_summary, month_bounds, stuck_customers
from arbook.collections.contacts import ContactLog

AS_OF = "2026-10-31"  # the month is 2026-10-01 .. 2026-10-31; a month earlier is 2026-09-30
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    IA,A,2026-08-06,2026-09-05,1000.00,no
    IB,B,2026-06-01,2026-07-01,600.00,no
    IC,C,2026-07-02,2026-08-01,800.00,no
    ID,D,2026-10-01,2026-10-31,250.00,no
    IE,E,2026-10-16,2026-11-15,100.00,no
"""
PAYMENTS = """
    P1,A,2026-09-25,100.00,IA
    P2,A,2026-10-03,50.00,IA
    P3,A,2026-10-12,400.00,IA
    P4,C,2026-10-29,200.00,IC
    P5,D,2026-10-20,250.00,ID
    P6,E,2026-10-25,50.00,IE
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS)


def write_log(path) -> None:
    """The log of the worked example (see test_summary_counts_the_month)."""
    with ContactLog(path=path) as log:
        *_, wrong = log_contacts(
            log,
            ("A", "email", "promise", "ann", "2026-09-20 09:00", 10000, "2026-09-25"),
            ("A", "phone", "promise", "ann", "2026-10-05 10:00", 40000, "2026-10-15"),
            ("B", "phone", "promise", "ann", "2026-10-10 10:00", 30000, "2026-10-20"),
            ("D", "phone", "no_answer", "bo", "2026-10-15 11:00"),
        )
        log.correct(wrong, outcome="reached")
        log_contacts(
            log,
            ("B", "letter", "reached", "bo", "2026-10-21 08:00"),
            ("C", "phone", "no_answer", "bo", "2026-10-28 16:00"),
            ("C", "email", "promise", "bo", "2026-10-30 09:00", 50000, "2026-11-10"),
            # 00:30 UTC on 1 November: after the month, though still 31 October in New York.
            ("E", "visit", "reached", "bo", "2026-11-01 00:30"),
        )


@pytest.fixture
def log(tmp_path):
    write_log(tmp_path / "collections.db")
    with ContactLog(path=tmp_path / "collections.db") as opened:
        yield opened


def test_month_bounds_run_from_the_first_of_the_month_to_as_of():
    assert month_bounds("2026-10-31") == (pd.Timestamp("2026-10-01"), pd.Timestamp("2026-10-31"))
    assert month_bounds("2026-02-14") == (pd.Timestamp("2026-02-01"), pd.Timestamp("2026-02-14"))


def test_summary_counts_the_month(ledger, log):
    s = collection_summary(ledger, AS_OF, log)
    # In October (UTC days): A phone 5th, B phone 10th, D phone 15th (the no_answer corrected to
    # reached counts once, as reached), B letter 21st, C phone 28th, C email 30th = 6 contacts
    # by A, B, C, D. Left out: A's email of 20 September, E's visit at 00:30 UTC on 1 November.
    assert (s["contacts"], s["customers_contacted"]) == (6, 4)
    # phone A, B, D, C = 4; email C = 1; letter B = 1 (the log's channel order).
    assert s["by_channel"].values.tolist() == [["phone", 4], ["email", 1], ["letter", 1]]
    # reached D, B = 2; no_answer C = 1; promise A, B, C = 3.
    assert s["by_outcome"].values.tolist() == [["reached", 2], ["no_answer", 1], ["promise", 3]]


def test_summary_promises_made_in_the_month_and_their_status(ledger, log):
    s = collection_summary(ledger, AS_OF, log)
    # A: 400.00 made 5 Oct for 15 Oct; A paid 400.00 on 12 Oct (the 50.00 of 3 Oct was before
    #    the promise) -> kept, paid 40000.
    # B: 300.00 made 10 Oct for 20 Oct; B paid nothing; 31 Oct is past 20 Oct -> broken.
    # C: 500.00 made 30 Oct for 10 Nov; C's 200.00 of 29 Oct was before it -> open, paid 0.
    # A's promise of 20 September was made the month before: not counted.
    assert s["promises"][
        ["customer_id", "promise_cents", "paid_cents", "status"]
    ].values.tolist() == [
        ["A", 40000, 40000, "kept"],
        ["B", 30000, 0, "broken"],
        ["C", 50000, 0, "open"],
    ]
    assert (s["kept"], s["broken"], s["open"]) == (1, 1, 1)
    assert s["promise_status"].values.tolist() == [
        ["kept", 1, 40000, 40000],
        ["broken", 1, 30000, 0],
        ["open", 1, 50000, 0],
    ]


def test_summary_collected_after_contact(ledger, log):
    s = collection_summary(ledger, AS_OF, log)
    # A first contacted 5 Oct: 12 Oct 400.00 counts, 3 Oct 50.00 (before) and 25 Sep do not.
    # D first contacted 15 Oct: 20 Oct 250.00.  C first contacted 28 Oct: 29 Oct 200.00.
    # E paid 50.00 on 25 Oct but was not contacted in October.  Total 400 + 250 + 200 = 850.00.
    got = s["collected"]
    assert got[["customer_id", "collected_cents"]].values.tolist() == [
        ["A", 40000],
        ["D", 25000],
        ["C", 20000],
    ]
    assert got["first_contact"].tolist() == [
        pd.Timestamp(d) for d in ("2026-10-05", "2026-10-15", "2026-10-28")
    ]
    assert s["collected_cents"] == 85000


def test_stuck_customers_stay_on_a_step_of_15_days_or_more(ledger):
    stuck = stuck_customers(ledger, AS_OF)
    # B: due 1 Jul, 91 days overdue on 30 Sep and 122 on 31 Oct: "agency" (60) both times,
    #    122 - 60 = 62 days on it, owes 600.00.
    # C: due 1 Aug, 60 days on 30 Sep and 91 on 31 Oct: "agency" both, 31 days on it, owes
    #    800.00 - 200.00 = 600.00.
    # A moved from "second_call" (25 days) to "visit" (56); D is paid; E is not yet due.
    assert stuck.values.tolist() == [
        ["B", "B", "agency", 60, 62, 122, 60000],
        ["C", "C", "agency", 60, 31, 91, 60000],
    ]


def test_summary_without_a_log_has_zero_counts_and_the_stuck_customers(ledger):
    s = collection_summary(ledger, AS_OF, None)
    assert (s["contacts"], s["customers_contacted"], s["collected_cents"]) == (0, 0, 0)
    assert (s["kept"], s["broken"], s["open"]) == (0, 0, 0)
    assert s["by_channel"].empty and s["by_outcome"].empty and s["promises"].empty
    assert s["collected"].empty
    assert s["stuck"]["customer_id"].tolist() == ["B", "C"]
