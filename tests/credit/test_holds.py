"""Credit holds (SPEC §5): each rule alone and together, the ladder's hold step, broken promises
from the contact log, the policy's rules, the not-vetted list, the sample and ``arbook holds``."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from conftest import ROOT, SAMPLE, ledger_fixture, ledger_of
from test_scores import run

import arbook
from arbook.collections.ladder import Ladder, load_ladder
from arbook.core.config import load_policy
from arbook.credit import credit_holds, credit_review, not_vetted
from arbook.credit.holds import HOLD_COLUMNS

# As of 2026-06-30, default rules (over limit, 61+ days overdue, score below 40).
# OVER: 150.00 not yet due, limit 100.00 -> over by 50.00; unscored, never below the floor.
# LATE61: L1 100.00 due 04-30 open: 61 days; L2 10,000.00 paid 30 days early keeps the score
#   high: (100*61 - 10000*30) / 10100 = -29.1 -> 99.1.
# EDGE: E1 100.00 due 05-01 open: 60 days, and paydex(60) = 40 exactly: no rule fires.
# LOW: W1 100.00 due 01-31 paid 05-01, 90 days late -> score 30; nothing owed.
# ALL: A1 100.00 due 03-01 open: 121 days -> paydex = 20 - 20/120 = 19.83; limit 50.00.
# DISP: D1 100.00 due 03-22, 100 days overdue but disputed (not counted); D2 paid early.
# PROM: PR1 100.00 not yet due; only the broken promises can hold it.
HOLD_CUSTOMERS = """
    customer_id,name,credit_limit
    OVER,Over Ltd,100.00
    LATE61,Late Ltd,10000.00
    EDGE,Edge Ltd,10000.00
    LOW,Low Ltd,10000.00
    ALL,All Ltd,50.00
    DISP,Disputing Ltd,10000.00
    PROM,Promising Ltd,10000.00
"""
HOLD_INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    O1,OVER,2026-06-20,2026-07-20,150.00,no
    L1,LATE61,2026-03-31,2026-04-30,100.00,no
    L2,LATE61,2026-05-01,2026-06-30,10000.00,no
    E1,EDGE,2026-04-01,2026-05-01,100.00,no
    W1,LOW,2026-01-01,2026-01-31,100.00,no
    A1,ALL,2026-01-30,2026-03-01,100.00,no
    D1,DISP,2026-02-20,2026-03-22,100.00,yes
    D2,DISP,2026-05-01,2026-06-30,10000.00,no
    PR1,PROM,2026-06-01,2026-07-01,100.00,no
"""
HOLD_PAYMENTS = """
    P1,LATE61,2026-05-31,10000.00,L2
    P2,LOW,2026-05-01,100.00,W1
    P3,DISP,2026-05-31,10000.00,D2
"""


class ContactLog:
    """Stands in for the contact log: promises as its ``promises`` method gives them."""

    def __init__(self, frame):
        self.frame = frame

    def promises(self, ledger, as_of):
        return self.frame


# 90 days back from 2026-06-30 is 2026-04-01: PROM broke two promises inside it; EDGE one
# inside (06-01) and one before it (03-01); a kept promise never counts.
PROMISES = pd.DataFrame(
    {
        "customer_id": ["PROM", "PROM", "EDGE", "EDGE", "EDGE"],
        "status": ["broken", "broken", "broken", "broken", "kept"],
        "promise_date": ["2026-05-10", "2026-06-20", "2026-03-01", "2026-06-01", "2026-06-10"],
    }
)


hold_ledger = ledger_fixture(
    invoices=HOLD_INVOICES, payments=HOLD_PAYMENTS, customers=HOLD_CUSTOMERS
)


def ladder_holding_at(days: int, action: str = "credit hold"):
    """The shipped ladder with its hold moved to a step of its own at ``days`` overdue."""
    shipped = load_ladder()
    steps = [s.model_copy(update={"credit_hold": False}) for s in shipped.steps if s.days < days]
    hold = shipped.hold_step.model_copy(update={"key": "hold", "days": days, "action": action})
    return Ladder(steps=(*steps, hold))


# The hand-worked cases below hold at 61 days overdue (SPEC §5's example), a ladder whose
# credit-hold step is +61; the shipped ladder holds from its +30 final notice.
HOLD_AT_61 = ladder_holding_at(61)


def test_the_shipped_ladder_and_the_hold_agree(hold_ledger):
    """The step whose script tells the customer the account is on hold is where holds start."""
    step = load_ladder().hold_step
    assert (step.key, step.days) == ("final_notice", 30)
    assert "credit hold" in step.script.en
    held = credit_holds(hold_ledger, "2026-06-30").set_index("customer_id")
    # EDGE's item is 60 days overdue: on hold from day 30 under the shipped ladder
    assert held.loc["EDGE", "reasons"].startswith(
        "30+ days overdue (oldest 60 days), where the ladder puts the account on hold"
    )


def test_each_rule_alone_and_together(hold_ledger):
    holds = credit_holds(hold_ledger, "2026-06-30", ladder=HOLD_AT_61)
    assert list(holds.columns) == HOLD_COLUMNS
    # Largest exposure first: OVER 150.00, then ALL and LATE61 at 100.00 (by id), LOW 0.
    assert holds["customer_id"].tolist() == ["OVER", "ALL", "LATE61", "LOW"]
    rows = holds.set_index("customer_id")
    assert rows.loc["OVER", "reasons"] == "over its limit by 50.00"
    assert rows.loc["LATE61", "reasons"] == OVERDUE_61.format(61)
    assert rows.loc["LOW", "reasons"] == "score 30 below the floor 40"
    assert rows.loc["ALL", "reasons"] == (
        f"over its limit by 50.00; {OVERDUE_61.format(121)}; score 19.8 below the floor 40"
    )
    assert rows["oldest_days_overdue"].tolist() == [0, 121, 61, 0]
    assert rows.loc["ALL", "score"] == pytest.approx(20 - 20 / 120)
    assert rows.loc["LATE61", "score"] == pytest.approx(100 - (30 - 293900 / 10100) * 1, abs=1e-9)
    assert math.isnan(rows.loc["OVER", "score"])
    assert rows.loc["OVER", "credit_limit_cents"] == 10000


OVERDUE_61 = (
    "61+ days overdue (oldest {} days), where the ladder puts the account on hold (credit hold)"
)


def test_edges_disputes_and_no_log(hold_ledger):
    held = set(credit_holds(hold_ledger, "2026-06-30", ladder=HOLD_AT_61)["customer_id"])
    assert "EDGE" not in held  # 60 days (< 61) and a score of exactly 40 (not below the floor)
    assert "DISP" not in held  # its only overdue item is disputed
    assert "PROM" not in held  # without a contact log the broken-promise rule is skipped
    # A day later EDGE's item is 61 days overdue and its score 40 - 10/30 = 39.67 is below the
    # floor (shown to one decimal).
    later = credit_holds(hold_ledger, "2026-07-01", ladder=HOLD_AT_61).set_index("customer_id")
    assert later.loc["EDGE", "reasons"] == f"{OVERDUE_61.format(61)}; score 39.7 below the floor 40"


def test_broken_promises_with_a_log(hold_ledger):
    holds = credit_holds(hold_ledger, "2026-06-30", log=ContactLog(PROMISES), ladder=HOLD_AT_61)
    rows = holds.set_index("customer_id")
    assert rows.loc["PROM", "reasons"] == "2 broken promises in 90 days"
    assert "EDGE" not in rows.index  # one broken promise in the window (the other is older)
    bad = ContactLog(PROMISES.drop(columns="status"))
    with pytest.raises(arbook.ParameterError, match="status"):
        credit_holds(hold_ledger, "2026-06-30", log=bad)


def test_rules_follow_the_policy_and_the_ladder(hold_ledger, tmp_path):
    file = tmp_path / "policy.toml"
    file.write_text("[credit]\nhold_over_limit = false\nscore_floor = 20\n")
    policy = load_policy(file)
    rows = credit_holds(
        hold_ledger, "2026-06-30", policy=policy, ladder=ladder_holding_at(100, "stop supplies")
    ).set_index("customer_id")
    assert rows.index.tolist() == ["ALL"]  # 121 >= 100 days; 19.8 below 20
    assert rows.loc["ALL", "reasons"] == (
        "100+ days overdue (oldest 121 days), where the ladder puts the account on hold "
        "(stop supplies); score 19.8 below the floor 20"
    )


def test_the_clients_own_ladder_in_its_folder_is_followed(tmp_path):
    folder = tmp_path / "client"
    ledger = ledger_of(folder, invoices=HOLD_INVOICES, customers=HOLD_CUSTOMERS)
    before = set(credit_holds(ledger, "2026-06-30")["customer_id"])
    (ledger.folder / "ladder.toml").write_text(three_step_ladder_at_100())
    after = set(credit_holds(ledger, "2026-06-30")["customer_id"])
    assert "EDGE" in before and "EDGE" not in after  # 60 days: held from 30, not from 100


def three_step_ladder_at_100() -> str:
    from arbook.collections.ladder_file import three_step_ladder

    steps = [
        {"key": s.key, "days": s.days, "action": s.action, "owner": s.owner}
        for s in ladder_holding_at(100).steps
    ]
    return three_step_ladder(steps, base=ladder_holding_at(100))


# The open items of tests/credit/test_scores.py's score ledger as of 2026-03-31 (its paid
# invoices change nobody's exposure): A owes 600.00 on a 1,000.00 limit, B 400.00 (in dispute)
# on 500.00, C 250.00 with no limit; D has no limit and owes nothing.
VETTING_CUSTOMERS = """
    customer_id,name,credit_limit
    A,Alpha Ltd,1000.00
    B,Beta Ltd,500.00
    C,Gamma Ltd,
    D,Delta Ltd,
"""
VETTING_INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    A3,A,2026-03-01,2026-03-31,600.00,no
    B1,B,2026-01-15,2026-02-14,400.00,yes
    C1,C,2026-03-10,2026-04-09,250.00,no
"""


score_ledger = ledger_fixture(invoices=VETTING_INVOICES, customers=VETTING_CUSTOMERS)


def test_not_vetted(score_ledger):
    # C owes 250.00 with no limit; D has no limit but owes nothing; A and B have limits.
    table = not_vetted(score_ledger, "2026-03-31")
    assert list(table.columns) == ["customer_id", "name", "exposure_cents"]
    assert table.values.tolist() == [["C", "Gamma Ltd", 25000]]


# ----------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def test_sample_holds(sample):
    assert sample.customers["credit_limit_cents"].notna().sum() > 100  # most have limits
    holds = credit_holds(sample, "2026-10-31").set_index("customer_id")
    reasons = holds.loc["C0140", "reasons"]
    assert reasons.startswith("over its limit by ") and "30+ days overdue" in reasons
    assert holds.loc["C0140", "exposure_cents"] > holds.loc["C0140", "credit_limit_cents"]
    review = credit_review(sample, "2026-10-31").set_index("customer_id")
    assert review.loc["C0140", "change_cents"] <= 0  # on hold: never raised
    unvetted = not_vetted(sample, "2026-10-31")
    assert (
        len(unvetted)
        and sample.customers.set_index("customer_id")
        .loc[unvetted["customer_id"], "credit_limit_cents"]
        .isna()
        .all()
    )


# -------------------------------------------------------------------------------- the CLI


def test_cli_holds(capsys):
    code, out, _ = run(capsys, "holds", SAMPLE, "--as-of", "2026-10-31")
    assert code == 0
    assert "C0140" in out and "over its limit by" in out
    assert "Owing with no credit limit set (" in out
    code, out, _ = run(capsys, "holds", SAMPLE, "--as-of", "2026-10-31", "--format", "json")
    records = {r["customer_id"]: r for r in json.loads(out)}
    assert code == 0 and "30+ days overdue" in records["C0140"]["reasons"]
    assert isinstance(records["C0140"]["exposure_cents"], int)
    code, out, _ = run(
        capsys, "holds", SAMPLE, "--as-of", "2026-10-31", "--not-vetted", "--format", "csv"
    )
    assert code == 0 and out.splitlines()[0] == "customer_id,name,exposure_cents"


def test_cli_holds_on_data_with_issues(capsys, tmp_path):
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,amount\n"
        "I1,A,2026-01-01,100.00\nI2,A,2026-02-30,50.00\n"
    )
    code, out, err = run(capsys, "holds", bad, "--as-of", "2026-06-30")
    assert code == 1 and "arbook check" in err and "Owing with no credit limit set (1)" in out


def test_cli_holds_reads_broken_promises_from_the_contact_log(tmp_path, capsys):
    # Two promises of a customer the sample holds for nothing else, both broken by 2026-10-31
    # (nothing paid by C0001 could meet 999,999.00): the hold lists them.
    import datetime as dt

    from arbook.cli.commands import main
    from arbook.collections.contacts import ContactLog

    path = tmp_path / "collections.db"
    with ContactLog(path=str(path)) as log:
        for day in (1, 8):
            log.add(
                "C0001",
                channel="phone",
                outcome="promise",
                who="ana",
                promise_cents=99_999_900,
                promise_date=dt.date(2026, 10, day + 5),
                at=dt.datetime(2026, 10, day, 10, tzinfo=dt.UTC),
            )
    assert (
        main(
            [
                "holds",
                str(ROOT / "data" / "sample"),
                "--as-of",
                "2026-10-31",
                "--log",
                str(path),
                "--format",
                "json",
            ]
        )
        == 0
    )
    held = {row["customer_id"]: row["reasons"] for row in json.loads(capsys.readouterr().out)}
    assert "2 broken promises in 90 days" in held["C0001"]


def test_a_dispute_opened_in_the_log_counts_as_an_imported_one(tmp_path):
    """Holds and the credit check read what is in dispute from one rule
    (arbook.measures.disputes.disputed_cents): a dispute opened in the contact log takes the
    item out of the days overdue, as `disputed = yes` does; a partial one leaves the rest."""
    import datetime as dt

    from conftest import ledger_of

    import arbook
    from arbook.collections.contacts import ContactLog

    ledger = ledger_of(
        tmp_path,
        invoices="""
        X1,X,2026-07-01,2026-08-01,1000.00
        """,
        customers="""
        customer_id,name,credit_limit
        X,Xeno,5000.00
        """,
    )
    as_of, at = "2026-10-31", dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    pol = {"credit": {"score_floor": 0}}  # the days overdue alone, not the score
    with ContactLog(path=tmp_path / "log.db") as log:
        assert list(credit_holds(ledger, as_of, log=log, policy=pol)["customer_id"]) == [
            "X"
        ]  # 91 days
        number = log.open_dispute("X", "X1", reason="quality", who="me", at=at)
        assert credit_holds(ledger, as_of, log=log, policy=pol).empty
        check = arbook.credit_check(ledger, "X", 10000, as_of, log=log, policy=pol)
        assert "overdue" not in [r.code for r in check.reasons]
        log.resolve_dispute(number, resolution="rejected", who="me", at=at)
        log.open_dispute("X", "X1", reason="price", who="me", amount_cents=40000, at=at)
        assert list(credit_holds(ledger, as_of, log=log, policy=pol)["customer_id"]) == [
            "X"
        ]  # 600.00 left
        check = arbook.credit_check(ledger, "X", 10000, as_of, log=log, policy=pol)
        overdue = [r for r in check.reasons if r.code == "overdue"]
        assert overdue and "400.00" in overdue[0].label and "600.00" in overdue[0].label
