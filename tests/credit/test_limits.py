"""The credit-limit review (SPEC §5): raise, cut, keep, held, unscored and new customers worked
by hand, the limit unit and peak months from the policy file, and ``arbook credit-review``."""

from __future__ import annotations

import numpy as np
import pandas as pd
from conftest import SAMPLE, ledger_of
from test_scores import run

import arbook
from arbook.credit import credit_review
from arbook.credit.limits import REVIEW_COLUMNS

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


def test_cli_credit_review(capsys):
    code, out, _ = run(capsys, "credit-review", SAMPLE, "--as-of", "2026-10-31")
    assert code == 0 and "suggested limit" in out.splitlines()[0] and "C0140" in out
