"""The worklist (SPEC §7): its order, what the contact log changes in it, its changes since the
last working day, the day it is made for, the command and the sample."""

from __future__ import annotations

import pandas as pd
from conftest import ROOT, ledger_fixture, ledger_of

import arbook
from arbook.cli.commands import main
from arbook.collections.contacts import HISTORY_COLUMNS
from arbook.collections.promises import PROMISE_COLUMNS
from arbook.collections.worklist import (
    WORKLIST_COLUMNS,
    previous_working_day,
    work_day,
    worklist,
    worklist_changes,
)

AS_OF = "2026-10-31"  # a Saturday
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    IA,A,2026-09-21,2026-10-21,1000.00,no
    IB,B,2026-08-02,2026-09-01,500.00,no
    IC,C,2026-09-30,2026-10-30,3000.00,no
    ID,D,2026-10-04,2026-11-03,200.00,no
    IE,E,2026-10-11,2026-11-10,10000.00,no
    IF1,F,2026-07-02,2026-08-01,9000.00,yes
    IF2,F,2026-09-29,2026-10-29,100.00,no
    IG,G,2026-09-01,2026-10-01,100.00,no
"""
PAYMENTS = """
    PG,G,2026-10-05,100.00,IG
"""
CUSTOMERS = """
    customer_id,name,phone,email,language,contact
    A,Alpha Ltd,+1 555 0100,a@example.com,en,Ann
    B,Beta Ltd,+1 555 0101,b@example.com,en,Bob
    C,Gamma SA,+34 900 000 000,c@example.es,es,Carla
    D,Delta,555,d@example.com,en,Dan
    E,Epsilon,556,e@example.com,en,Eve
    F,Phi,557,f@example.com,en,Fay
    G,Gee,558,g@example.com,en,Gus
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


class FakeLog:
    """Stand-in for arbook.collections.contacts.ContactLog: history() and promises()."""

    def __init__(self, entries=(), promises=()):
        cols = HISTORY_COLUMNS
        rows = [{**dict.fromkeys(cols), "id": i + 1, **e} for i, e in enumerate(entries)]
        self.frame = pd.DataFrame(rows, columns=cols)
        self.promise_rows = pd.DataFrame(
            list(promises),
            columns=PROMISE_COLUMNS,
        )

    def history(self, customer_id=None):
        return self.frame.iloc[::-1]

    def promises(self, ledger, as_of):
        return self.promise_rows


# --- worklist -------------------------------------------------------------------------------


def test_worklist_order(ledger):
    # priority = sum(overdue x min(1 + days/30, 5)) x (1 + (100 - score)/100):
    # C: 3000.00 1 day, score 79.33 -> 300000 x 1.0333 x 1.2067 = 374,067 -> rank 1
    # B:  500.00 60 days, score 40  -> 50000 x 3 x 1.6          = 240,000 -> rank 2
    # A: 1000.00 10 days, score 73.33 -> 100000 x 1.3333 x 1.2667 = 168,889 -> rank 3
    # F:  100.00 2 days (the 9000.00 disputed item is left out), score 29.99
    #     -> 10000 x 1.0667 x 1.7001 = 18,134 -> rank 4
    # D: due in 3 days: pre_due step, nothing overdue -> 0 -> rank 5
    # E (due in 10 days) is on no step; G paid.
    frame = worklist(ledger, AS_OF)
    assert list(frame.columns) == WORKLIST_COLUMNS
    assert list(frame["customer_id"]) == ["C", "B", "A", "F", "D"]
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]
    assert list(frame["step"]) == ["reminder", "agency", "first_call", "reminder", "pre_due"]
    row = frame.set_index("customer_id").loc["A"]
    assert row["overdue_cents"] == 100000 and row["oldest_days"] == 10
    assert row["next_date"] == pd.Timestamp("2026-11-05")  # second call at 15 days
    assert "Ann" in row["script"] and "1,000.00" in row["script"]
    assert frame.set_index("customer_id").loc["F", "oldest_days"] == 2
    assert pd.isna(frame.set_index("customer_id").loc["B", "next_date"])  # last step
    assert "Carla" in worklist(ledger, AS_OF, lang="es").loc[0, "script"]


def test_a_script_without_a_contact_speaks_to_the_customer_by_name(tmp_path):
    # B's contact cell is blank and A's is spaces: B is on the agency step (60 days), whose
    # script opens "{contact}, ..." and would otherwise open with a bare comma
    customers = CUSTOMERS.replace("en,Bob", "en,").replace("en,Ann", "en,   ")
    frame = worklist(
        ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=customers), AS_OF
    )
    scripts = frame.set_index("customer_id")["script"]
    assert scripts["B"].startswith("Beta Ltd, ") and "Alpha Ltd" in scripts["A"]
    assert not any(script.startswith(",") or ", ," in script for script in frame["script"])


def _at(day):
    return pd.Timestamp(f"{day} 09:30", tz="UTC")


def test_logged_action_not_listed_and_follow_up_listed(ledger):
    log = FakeLog(
        [
            # A reached first_call on 2026-10-28; called on the 29th -> done
            {"at": _at("2026-10-29"), "customer_id": "A", "outcome": "reached"},
            # B called before reaching agency (2026-10-31) -> still due
            {"at": _at("2026-10-20"), "customer_id": "B", "outcome": "reached"},
            # F reached reminder on the 30th, was called that day, follow-up due today
            {
                "at": _at("2026-10-30"),
                "customer_id": "F",
                "excuse": "cheque_in_post",
                "next_date": pd.Timestamp("2026-10-31"),
            },
        ]
    )
    frame = worklist(ledger, AS_OF, log=log).set_index("customer_id")
    assert "A" not in frame.index
    assert "reached 'agency'" in frame.loc["B", "reason"]
    # F's 9,000.00 is in dispute: shown, never chased
    assert frame.loc["F", "reason"] == (
        "follow-up due 2026-10-31 (excuse: The cheque is in the post); "
        "9,000.00 more in dispute (not chased)"
    )
    assert frame.loc["F", "action"] == "follow-up call"
    assert frame.loc["F", "script"].startswith("Watch for the payment")
    assert frame.loc["F", "last_contact"] == pd.Timestamp("2026-10-30")
    assert "reached 'reminder'" in frame.loc["C", "reason"]  # reached today, not yet called


def test_promises_first_and_pausing(ledger):
    log = FakeLog(
        promises=[
            (1, "A", 100000, "2026-11-05", "2026-10-29", 0, "open"),  # pauses A until the 5th
            (2, "F", 10000, "2026-10-31", "2026-10-28", 0, "open"),  # due today -> first
            (3, "D", 20000, "2026-10-20", "2026-10-10", 0, "broken"),  # broken -> first
        ]
    )
    frame = worklist(ledger, AS_OF, log=log)
    # urgent ones first, by priority: F (18,134) before D (0); then C, B as before
    assert list(frame["customer_id"]) == ["F", "D", "C", "B"]
    assert frame.loc[0, "reason"].startswith("promise of 100.00 due today")
    # D also reached pre_due today: both reasons
    assert frame.loc[1, "reason"].startswith("promise of 200.00 due 2026-10-20 broken; reached")


def test_empty_log_lists_every_customer_on_a_step(ledger):
    assert list(worklist(ledger, AS_OF, log=FakeLog())["customer_id"]) == list(
        worklist(ledger, AS_OF)["customer_id"]
    )


def test_worklist_with_the_real_contact_log(ledger, tmp_path):
    from arbook.collections.contacts import ContactLog

    with ContactLog(path=tmp_path / "log.db") as log:
        log.add("A", channel="phone", outcome="reached", who="me", at=_at("2026-10-29"))
        log.add(
            "B",
            channel="phone",
            outcome="promise",
            who="me",
            promise_cents=50000,
            promise_date="2026-11-04",
            at=_at("2026-10-30"),
        )
        frame = worklist(ledger, AS_OF, log=log)
    assert list(frame["customer_id"]) == ["C", "F", "D"]  # A done, B paused by its promise


def test_worklist_changes(ledger):
    assert previous_working_day(AS_OF) == pd.Timestamp("2026-10-30")  # Friday
    assert previous_working_day("2026-11-02") == pd.Timestamp("2026-10-30")  # Monday
    log = FakeLog(
        promises=[
            (1, "B", 50000, "2026-10-30", "2026-10-20", 0, "broken"),
            (2, "A", 50000, "2026-10-10", "2026-10-01", 0, "broken"),
        ]
    )
    changes = worklist_changes(ledger, AS_OF, log=log)
    # IC fell due on the 30th: 1 day overdue on the 31st
    assert list(changes["newly_overdue"]["document_id"]) == ["IC"]
    assert list(changes["promises_broken"]["customer_id"]) == ["B"]  # A's broke long ago
    crossed = changes["crossed_step"].set_index("customer_id")
    # C: pre_due -> reminder; B: visit (59) -> agency (60); D: none (-4) -> pre_due (-3)
    assert crossed.loc["C", "from_step"] == "pre_due" and crossed.loc["C", "to_step"] == "reminder"
    assert crossed.loc["B", "to_step"] == "agency" and set(crossed.index) == {"B", "C", "D"}
    assert worklist_changes(ledger, AS_OF)["promises_broken"].empty


def test_collections_work_from_the_newest_data(tmp_path):
    """The dashboard's as-of is a month end; collections are daily: for the last month end the
    worklist is as of the data's latest day, for an earlier month end as of that month end."""
    ledger = ledger_of(
        tmp_path,
        invoices="""
        X1,A,2026-01-05,2026-02-04,1000.00
        X2,A,2026-03-18,2026-04-17,50.00
    """,
    )
    assert work_day(ledger, "2026-02-28") == pd.Timestamp("2026-03-18")
    assert work_day(ledger, "2026-01-31") == pd.Timestamp("2026-01-31")


# --- CLI and the sample ---------------------------------------------------------------------


def test_cli_worklist_and_playbook(ledger, tmp_path, capsys):
    data = str(tmp_path / "ledger")
    assert main(["worklist", data, "--as-of", AS_OF, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(WORKLIST_COLUMNS)
    assert main(["worklist", data, "--as-of", AS_OF, "--xlsx", str(tmp_path / "w.xlsx")]) == 0
    assert "Gamma SA" in capsys.readouterr().out and (tmp_path / "w.xlsx").exists()
    assert main(["worklist", data, "--as-of", AS_OF, "--log", str(tmp_path / "no.db")]) == 2
    assert "no.db': no such file" in capsys.readouterr().err
    assert main(["playbook", "--lang", "es"]) == 0
    assert "[unopened_mail] Su factura está en el montón" in capsys.readouterr().out


def test_sample_c0140_on_a_late_step():
    sample = arbook.read_ledger(ROOT / "data" / "sample")
    frame = worklist(sample, AS_OF).set_index("customer_id")
    assert frame.loc["C0140", "step"] in ("visit", "agency")
    assert frame.loc["C0140", "oldest_days"] >= 60


def test_worklist_changes_over_limit_holds_and_instalments(tmp_path):
    # A: limit 1,000.00; an invoice of 600.00 on the 31st takes it from 800.00 to 1,400.00
    # B: 61 days overdue on the 31st, 60 on the 30th: put on hold (61+ days, the ladder's
    #    credit-hold step is +30 days... B was on hold before too: not new)
    # C: on hold on the 30th for its limit, paid down on the 31st: taken off hold
    ledger = ledger_of(
        tmp_path,
        invoices="""
        A1,A,2026-10-01,2026-11-30,800.00
        A2,A,2026-10-31,2026-11-30,600.00
        C1,C,2026-10-01,2026-11-30,2000.00
        """,
        payments="""
        PC,C,2026-10-31,1500.00,C1
        """,
        customers="""
        customer_id,name,credit_limit
        A,Alpha,1000.00
        C,Gamma,1000.00
        """,
    )

    class Plans(FakeLog):
        def instalments(self, ledger, as_of):
            return pd.DataFrame(
                [
                    (7, "C", 1, pd.Timestamp("2026-10-30"), 50000, 0, "broken"),
                    (7, "C", 2, pd.Timestamp("2026-10-15"), 50000, 0, "broken"),  # long ago
                    (7, "C", 3, pd.Timestamp("2026-11-30"), 50000, 0, "open"),
                ],
                columns=["plan_id", "customer_id", "number", "due_date", "amount_cents",
                         "paid_cents", "status"],
            )  # fmt: skip

    changes = worklist_changes(ledger, AS_OF, log=Plans())
    over = changes["over_limit"]
    assert list(over["customer_id"]) == ["A"]
    assert over.loc[0, "exposure_cents"] == 140000 and over.loc[0, "over_cents"] == 40000
    assert list(changes["put_on_hold"]["customer_id"]) == ["A"]
    assert list(changes["taken_off_hold"]["customer_id"]) == ["C"]
    broke = changes["instalments_broken"]
    assert list(broke["number"]) == [1] and broke.loc[0, "name"] == "Gamma"
    assert worklist_changes(ledger, AS_OF)["instalments_broken"].empty  # no log, no plans


def test_worklist_says_labels_not_codes_and_never_negative_days(ledger):
    frame = worklist(ledger, AS_OF).set_index("customer_id")
    # D is 3 days before its due date, on the pre-due step
    assert frame.loc["D", "step_label"] == "pre due"
    assert "oldest item due in 3 days" in frame.loc["D", "reason"]
    assert "-3 days" not in frame.loc["D", "reason"] and "pre_due" not in frame.loc["D", "reason"]
    assert frame.loc["D", "step_due"] and frame.loc["D", "template"] == "statement"
    assert frame.loc["A", "template"] == ""  # first call: a phone call, no document


def test_the_log_disputes_and_plans_move_the_worklist(tmp_path):
    """A dispute opened in the log takes its part out of the chase; a plan kept so far pauses
    its items; a broken instalment puts the customer back first."""
    from arbook.collections.contacts import ContactLog

    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    with ContactLog(path=tmp_path / "log.db") as log:
        # C owes 3,000.00 one day overdue: 2,000.00 of it disputed
        log.open_dispute(
            "C", "IC", reason="short delivery", who="me", amount_cents=200000, at=_at("2026-10-30")
        )
        # B owes 500.00, 60 days overdue: two instalments of 250.00 on Nov 5 and Nov 20
        log.add_plan(
            "B",
            instalments=[("2026-11-05", 25000), ("2026-11-20", 25000)],
            documents=["IB"],
            who="me",
            at=_at("2026-10-30"),
        )
        frame = worklist(ledger, AS_OF, log=log).set_index("customer_id")
        assert (
            frame.loc["C", "overdue_cents"] == 100000 and frame.loc["C", "disputed_cents"] == 200000
        )
        assert "2,000.00 more in dispute (not chased)" in frame.loc["C", "reason"]
        assert "B" not in frame.index  # its only debt is on a plan kept so far
        # on Nov 5 its first instalment falls due: a call about the plan, no ladder step
        due = worklist(ledger, "2026-11-05", log=log).set_index("customer_id").loc["B"]
        assert due["reason"] == "plan instalment 1 of 250.00 due today"
        assert due["action"] == "call about the payment plan" and due["step"] == ""
        assert not due["step_due"] and pd.isna(due["next_date"])
        # on Nov 6 the first instalment (nothing paid) broke: B is back, first, with the reason
        later = worklist(ledger, "2026-11-06", log=log)
        assert later.loc[0, "customer_id"] == "B"
        assert "plan instalment 1 of 250.00 due 2026-11-05 broken" in later.loc[0, "reason"]
        changes = worklist_changes(ledger, "2026-11-06", log=log)
        assert list(changes["instalments_broken"]["customer_id"]) == ["B"]
