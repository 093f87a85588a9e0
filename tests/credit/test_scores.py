"""Payment-history score, credit holds, the not-vetted list and the limit review (SPEC §5)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, ledger_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbook
from arbook.cli.commands import main
from arbook.collections.ladder import Ladder, load_ladder
from arbook.core.config import load_policy
from arbook.credit import (
    credit_holds,
    credit_review,
    not_vetted,
    paydex,
    payment_scores,
)
from arbook.credit.holds import HOLD_COLUMNS
from arbook.credit.limits import REVIEW_COLUMNS
from arbook.credit.scores import SCORE_COLUMNS
from arbook.measures.behaviour import payment_behaviour

SAMPLE = ROOT / "data" / "sample"

# ---------------------------------------------------------------------------------- paydex

ANCHORS = [
    (-30, 100),
    (-20, 90),
    (0, 80),
    (15, 70),
    (22, 60),
    (30, 50),
    (60, 40),
    (90, 30),
    (120, 20),
    (240, 0),
]


@pytest.mark.parametrize(("days", "score"), ANCHORS)
def test_paydex_at_every_anchor(days, score):
    assert paydex(days) == pytest.approx(score)


@pytest.mark.parametrize(
    ("days", "score"),
    [
        (7.5, 75.0),  # halfway from 0 -> 80 to 15 -> 70
        (-25, 95.0),  # halfway from -30 -> 100 to -20 -> 90
        (26, 55.0),  # halfway from 22 -> 60 to 30 -> 50
        (180, 10.0),  # halfway from 120 -> 20 to 240 -> 0
        (5, 80 - 10 / 3),  # a third of the way from 0 -> 80 to 15 -> 70
    ],
)
def test_paydex_between_anchors(days, score):
    assert paydex(days) == pytest.approx(score)


def test_paydex_outside_the_anchors_and_nan():
    assert paydex(-31) == 100 and paydex(-400) == 100  # earlier than -30: 100
    assert paydex(241) == 0 and paydex(10_000) == 0  # later than 240: 0
    assert math.isnan(paydex(float("nan")))  # unscored stays unscored
    out = paydex(np.array([-45, 0, np.nan, 300]))
    assert isinstance(out, np.ndarray) and isinstance(paydex(0), float)
    np.testing.assert_allclose(out, [100, 80, np.nan, 0])


# -------------------------------------------------------------------------- payment_scores

# As of 2026-03-31 (window: paid after 2025-03-31).
# A (limit 1,000.00): A0 100.00 paid 2025-12-30, 90 days after its due date 2025-10-01;
#   A1 300.00 due 01-31 paid 02-10 (+10); A2 100.00 due 03-03 paid 02-21 (-10);
#   A3 600.00 due 03-31 (the as-of date: current, no experience). PA 50.00 unapplied cash.
#   signed = (100*90 + 300*10 - 100*10) / 500 = 22 -> score 60; late: A0, A1 of 3.
#   exposure = A3 600.00 (the unapplied 50.00 does not lower it); utilisation 0.6.
#   3 months earlier (2025-12-31): only A0 (+90) -> 30; trend_3m = +30.
#   12 months earlier (2025-03-31): nothing invoiced yet -> unscored.
# B (limit 500.00): B0 100.00 due 2025-01-31 paid 2025-01-11 (-20), out of today's window;
#   B1 400.00 due 02-14, disputed, open: 45 days at 03-31; B2 200.00 due and paid 02-19 (0).
#   signed = (400*45 + 200*0) / 600 = 30 -> 50; exposure 400.00, utilisation 0.8.
#   3 and 12 months earlier only B0 counts (-20) -> 90; both trends -40.
# C (no limit): C1 250.00 not yet due -> unscored; D is listed and has nothing.
SCORE_CUSTOMERS = """
    customer_id,name,credit_limit
    A,Alpha Ltd,1000.00
    B,Beta Ltd,500.00
    C,Gamma Ltd,
    D,Delta Ltd,
"""
SCORE_INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    B0,B,2025-01-01,2025-01-31,100.00,no
    A0,A,2025-09-01,2025-10-01,100.00,no
    A1,A,2026-01-01,2026-01-31,300.00,no
    A2,A,2026-02-01,2026-03-03,100.00,no
    A3,A,2026-03-01,2026-03-31,600.00,no
    B1,B,2026-01-15,2026-02-14,400.00,yes
    B2,B,2026-01-20,2026-02-19,200.00,no
    C1,C,2026-03-10,2026-04-09,250.00,no
"""
SCORE_PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P0,B,2025-01-11,100.00,B0
    P1,A,2025-12-30,100.00,A0
    P2,A,2026-02-10,300.00,A1
    P3,A,2026-02-21,100.00,A2
    P4,B,2026-02-19,200.00,B2
    PA,A,2026-03-15,50.00,
"""


@pytest.fixture
def score_ledger(tmp_path):
    return ledger_of(
        tmp_path, invoices=SCORE_INVOICES, payments=SCORE_PAYMENTS, customers=SCORE_CUSTOMERS
    )


def test_payment_scores_hand_worked(score_ledger):
    table = payment_scores(score_ledger, "2026-03-31")
    assert list(table.columns) == SCORE_COLUMNS
    assert table["customer_id"].tolist() == ["B", "A", "C", "D"]  # lowest first, unscored last
    rows = table.set_index("customer_id")
    a, b = rows.loc["A"], rows.loc["B"]
    assert a["score"] == pytest.approx(60) and b["score"] == pytest.approx(50)
    assert (a["invoices"], a["share_late"], a["disputes"]) == (3, pytest.approx(2 / 3), 0)
    assert (b["invoices"], b["share_late"], b["disputes"]) == (2, pytest.approx(0.5), 1)
    assert (a["exposure_cents"], a["credit_limit_cents"], a["utilisation"]) == (60000, 100000, 0.6)
    assert (b["exposure_cents"], b["credit_limit_cents"], b["utilisation"]) == (40000, 50000, 0.8)
    c, d = rows.loc["C"], rows.loc["D"]
    assert math.isnan(c["score"]) and c["invoices"] == 0 and math.isnan(c["share_late"])
    assert c["exposure_cents"] == 25000 and pd.isna(c["credit_limit_cents"])
    assert math.isnan(c["utilisation"])
    assert d["exposure_cents"] == 0 and d["name"] == "Delta Ltd"
    assert str(table["credit_limit_cents"].dtype) == "Int64"
    assert table["exposure_cents"].dtype == np.int64 and table["invoices"].dtype == np.int64


def test_payment_scores_trends(score_ledger):
    rows = payment_scores(score_ledger, "2026-03-31").set_index("customer_id")
    a, b = rows.loc["A"], rows.loc["B"]
    assert (a["score_3m"], a["trend_3m"]) == (pytest.approx(30), pytest.approx(30))
    assert math.isnan(a["score_12m"]) and math.isnan(a["trend_12m"])
    assert (b["score_3m"], b["score_12m"]) == (pytest.approx(90), pytest.approx(90))
    assert (b["trend_3m"], b["trend_12m"]) == (pytest.approx(-40), pytest.approx(-40))


def test_bad_as_of_is_refused(score_ledger):
    with pytest.raises(arbook.ParameterError, match="YYYY-MM-DD"):
        payment_scores(score_ledger, "03/31/2026")


def _paid_history(rows, shift=None):
    """Invoices of customer X from ``(invoice day, terms, cents, paid after days or None)``."""
    start = pd.Timestamp("2026-01-01")
    invoices, payments = [], []
    for i, (day, terms, cents, paid_after) in enumerate(rows):
        invoices.append(
            {
                "invoice_id": f"I{i}",
                "customer_id": "X",
                "invoice_date": (start + pd.Timedelta(days=day)).date().isoformat(),
                "due_date": (start + pd.Timedelta(days=day + terms)).date().isoformat(),
                "amount": f"{cents / 100:.2f}",
            }
        )
        if paid_after is not None:
            later = shift[1] if shift and shift[0] == i else 0
            paid = start + pd.Timedelta(days=day + paid_after + later)
            payments.append(
                {
                    "payment_id": f"P{i}",
                    "customer_id": "X",
                    "payment_date": paid.date().isoformat(),
                    "amount": f"{cents / 100:.2f}",
                    "invoice_id": f"I{i}",
                }
            )
    return arbook.ledger_from_frames(pd.DataFrame(invoices), pd.DataFrame(payments))


@st.composite
def histories(draw):
    # Invoices dated 2026-01-01 + 0..200 days, paid 0..150 days after their date (so within
    # the window of 2026-12-31 and before it) or left open; one payment moves later, no
    # further than the as-of date, so the invoice stays a paid experience in the window.
    rows = draw(
        st.lists(
            st.tuples(
                st.integers(0, 200),
                st.integers(0, 60),
                st.integers(100, 1_000_000),
                st.one_of(st.none(), st.integers(0, 150)),
            ),
            min_size=1,
            max_size=4,
        )
    )
    paid = [i for i, row in enumerate(rows) if row[3] is not None]
    if not paid:
        rows[0] = rows[0][:3] + (0,)
        paid = [0]
    which = draw(st.sampled_from(paid))
    room = 364 - rows[which][0] - rows[which][3]  # days from the payment to 2026-12-31
    return rows, (which, draw(st.integers(1, room)))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(histories())
def test_paying_later_never_raises_the_score(case):
    rows, shift = case
    before = payment_scores(_paid_history(rows), "2026-12-31").set_index("customer_id")
    after = payment_scores(_paid_history(rows, shift), "2026-12-31").set_index("customer_id")
    assert after.loc["X", "invoices"] == before.loc["X", "invoices"]
    assert after.loc["X", "score"] <= before.loc["X", "score"] + 1e-9


# ----------------------------------------------------------------------------- credit holds

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
    payment_id,customer_id,payment_date,amount,invoice_id
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


@pytest.fixture
def hold_ledger(tmp_path):
    return ledger_of(
        tmp_path, invoices=HOLD_INVOICES, payments=HOLD_PAYMENTS, customers=HOLD_CUSTOMERS
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


def test_not_vetted(score_ledger):
    # C owes 250.00 with no limit; D has no limit but owes nothing; A and B have limits.
    table = not_vetted(score_ledger, "2026-03-31")
    assert list(table.columns) == ["customer_id", "name", "exposure_cents"]
    assert table.values.tolist() == [["C", "Gamma Ltd", 25000]]


# ---------------------------------------------------------------------------- credit review

# As of 2026-06-30, default policy (raise 25% at score >= 80 and use >= 80%; cut 50% below 50;
# limits rounded half-up to 100.00).
# RAISE: R1 paid on its due date (score 80), R2 900.00 not yet due on a 1,000.00 limit (90%):
#   1,000.00 x 1.25 = 1,250.00 -> half-up to 1,300.00.
# CUT: C1 paid 60 days late -> 40 < 50: 1,100.00 x 0.5 = 550.00 -> half-up to 600.00.
# SAME: S1 paid 30 days late -> exactly 50, not cut; owes nothing: no change.
# HELD: score 80, owes 1,100.00 on 1,000.00 (110%) but is over its limit: on hold, not raised.
# IDLE: a 500.00 limit and no history: unscored, no change.
# NEW: no limit; month-end balances 2,040.00 (03-31), 0, 0, 250.00 (06-30): peak 2,040.00,
#   score 80 -> x 1.25 = 2,550.00 -> half-up to 2,600.00.
# NONE: no limit and nothing owed: not reviewed.
REVIEW_CUSTOMERS = """
    customer_id,name,credit_limit
    RAISE,Raise Ltd,1000.00
    CUT,Cut Ltd,1100.00
    SAME,Same Ltd,1000.00
    HELD,Held Ltd,1000.00
    IDLE,Idle Ltd,500.00
    NEW,New Ltd,
    NONE,None Ltd,
"""
REVIEW_INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    R1,RAISE,2026-04-01,2026-05-01,500.00
    R2,RAISE,2026-06-15,2026-07-15,900.00
    C1,CUT,2026-03-01,2026-03-31,100.00
    S1,SAME,2026-03-01,2026-03-31,100.00
    H1,HELD,2026-04-01,2026-05-01,500.00
    H2,HELD,2026-06-15,2026-07-15,1100.00
    N1,NEW,2026-03-15,2026-04-14,2040.00
    N2,NEW,2026-06-15,2026-07-15,250.00
"""
REVIEW_PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,RAISE,2026-05-01,500.00,R1
    P2,CUT,2026-05-30,100.00,C1
    P3,SAME,2026-04-30,100.00,S1
    P4,HELD,2026-05-01,500.00,H1
    P5,NEW,2026-04-14,2040.00,N1
"""


def test_credit_review_cases(tmp_path):
    ledger = ledger_of(
        tmp_path, invoices=REVIEW_INVOICES, payments=REVIEW_PAYMENTS, customers=REVIEW_CUSTOMERS
    )
    review = credit_review(ledger, "2026-06-30")
    assert list(review.columns) == REVIEW_COLUMNS
    assert review["customer_id"].tolist() == ["CUT", "HELD", "IDLE", "NEW", "RAISE", "SAME"]
    rows = review.set_index("customer_id")
    money = ["credit_limit_cents", "suggested_limit_cents", "change_cents"]
    assert rows.loc["RAISE", money].tolist() == [100000, 130000, 30000]
    assert rows.loc["RAISE", "reasons"] == "score 80 and 90% of the limit used: raise by 25%"
    assert rows.loc["CUT", money].tolist() == [110000, 60000, -50000]
    assert rows.loc["CUT", "reasons"] == "score 40 below 50: cut by 50%"
    assert rows.loc["SAME", money].tolist() == [100000, 100000, 0]
    assert rows.loc["SAME", "reasons"] == "score 50, 0% of the limit used: no change"
    assert rows.loc["HELD", money].tolist() == [100000, 100000, 0]
    assert rows.loc["HELD", "reasons"] == (
        "score 80 and 110% used, but on hold (over its limit by 100.00): not raised"
    )
    assert rows.loc["IDLE", "change_cents"] == 0 and "unscored" in rows.loc["IDLE", "reasons"]
    assert pd.isna(rows.loc["NEW", "credit_limit_cents"])
    assert rows.loc["NEW", ["suggested_limit_cents", "change_cents"]].tolist() == [260000, 260000]
    assert rows.loc["NEW", "reasons"] == (
        "no limit set: peak balance 2,040.00 over 12 months x 1.25 (score 80)"
    )
    assert review["suggested_limit_cents"].dtype == np.int64


def test_limit_unit_in_the_policy_file(tmp_path):
    path = tmp_path / "client.toml"
    path.write_text("[credit]\nlimit_unit = 1000.00\npeak_months = 3\n")
    policy = arbook.load_policy(path)
    assert (policy.credit.limit_unit_cents, policy.credit.peak_months) == (100000, 3)
    ledger = ledger_of(
        tmp_path, invoices=REVIEW_INVOICES, payments=REVIEW_PAYMENTS, customers=REVIEW_CUSTOMERS
    )
    rows = credit_review(ledger, "2026-06-30", policy=path).set_index("customer_id")
    # 1,250.00 -> 1,000.00; 550.00 -> 1,000.00 (half-up of 0.55 units); NEW: month ends
    # 04-30, 05-31 and 06-30 (03-31 is out) -> peak 250.00 x 1.25 = 312.50 -> 0 units, but at
    # least one: 1,000.00.
    assert rows["suggested_limit_cents"].to_dict() == {
        "CUT": 100000,
        "HELD": 100000,
        "IDLE": 50000,
        "NEW": 100000,
        "RAISE": 100000,
        "SAME": 100000,
    }


# ----------------------------------------------------------------------------- the sample


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def test_sample_scores_agree_with_behaviour_and_aging(sample):
    as_of = "2026-10-31"
    scores = payment_scores(sample, as_of).set_index("customer_id")
    assert len(scores) == len(sample.customers)
    behaviour = payment_behaviour(sample, as_of).set_index("customer_id")
    expected = paydex(behaviour["signed_days_to_due"].to_numpy())
    np.testing.assert_allclose(scores.loc[behaviour.index, "score"], expected)
    summary = arbook.aging_summary(sample, as_of).set_index("customer_id")
    exposure = summary["receivable_cents"]  # what the customer owes: the sum of its buckets
    assert (scores.loc[exposure.index, "exposure_cents"] == exposure).all()


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


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


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


def test_cli_scores_and_review(capsys, tmp_path):
    code, out, _ = run(capsys, "scores", SAMPLE, "--as-of", "2026-10-31", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == ",".join(SCORE_COLUMNS)
    assert len(out.splitlines()) == 151  # header + every customer
    code, out, _ = run(capsys, "credit-review", SAMPLE, "--as-of", "2026-10-31")
    assert code == 0 and "suggested_limit" in out.splitlines()[0] and "C0140" in out
    code, _, err = run(capsys, "scores", SAMPLE, "--as-of", "31/10/2026")
    assert code == 2 and "YYYY-MM-DD" in err
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
