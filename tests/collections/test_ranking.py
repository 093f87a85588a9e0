"""Where each customer stands and who to chase first (ranking): positions by due date,
disputes counted apart and never chased, credits that cover the balance not chased, and the
order by expected loss avoided (SPEC §7)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ledger_of
from test_worklist import AS_OF, CUSTOMERS, INVOICES, PAYMENTS

from arbook.collections.ranking import (
    POSITION_COLUMNS,
    RANKING_COLUMNS,
    chase_ranking,
    positions,
    rank,
    risk_of,
)

# As of 2026-10-31, beside the worklist's customers (test_worklist):
#   H: only a disputed invoice, 50,000.00 due 09-11 (50 days): in dispute, never chased
#   J: 100.00 overdue but 150.00 unapplied cash: its credits cover it, not listed
#   K: 100.00 due 05-01 (183 days: the weight is capped at 5) less a 30.00 credit note: owes 70
#   X, Y: 10.00 due 10-01 (30 days: weight 1 + 30/30 = 2), the same history: a tie
OTHERS = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    H1,H,2026-08-01,2026-09-11,50000.00,yes
    J1,J,2026-08-01,2026-09-01,100.00,no
    K1,K,2026-04-01,2026-05-01,100.00,no
    KC,K,2026-04-01,,-30.00,no
    Y1,Y,2026-09-01,2026-10-01,10.00,no
    X1,X,2026-09-01,2026-10-01,10.00,no
"""


@pytest.fixture
def worklist_ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def others(tmp_path):
    return ledger_of(
        tmp_path,
        invoices=OTHERS,
        payments="payment_id,customer_id,payment_date,amount\nPJ,J,2026-09-15,150.00\n",
    )


def test_positions_hand_worked(worklist_ledger):
    pos = positions(worklist_ledger, AS_OF)
    assert list(pos.columns) == POSITION_COLUMNS
    # G paid in full: not owing. D and E are not due yet: owing, nothing overdue.
    assert pos.index.tolist() == ["A", "B", "C", "D", "E", "F"]
    assert pos["overdue_cents"].tolist() == [100000, 50000, 300000, 0, 0, 10000]
    assert pos["oldest_days"].tolist() == [10, 60, 1, -3, -10, 2]
    # A 100,000 x (1 + 10/30); B 50,000 x 3; C 300,000 x (1 + 1/30); F 10,000 x (1 + 2/30)
    assert pos["weighted_cents"].tolist() == pytest.approx(
        [100000 * 4 / 3, 150000, 310000, 0, 0, 10000 * 32 / 30]
    )
    # F's 9,000.00 in dispute (91 days) is counted apart and does not make it the oldest
    assert pos["disputed_cents"].tolist() == [0, 0, 0, 0, 0, 900000]
    assert pos["chased"].all()
    assert pos[["overdue_cents", "oldest_days", "disputed_cents"]].dtypes.tolist() == [np.int64] * 3


def test_disputes_and_covering_credits_are_not_chased(others):
    pos = positions(others, AS_OF)
    assert pos.index.tolist() == ["H", "K", "X", "Y"]  # J: its cash covers what it owes
    h = pos.loc["H"]
    assert (h.overdue_cents, h.weighted_cents, h.disputed_cents, h.chased) == (0, 0, 5000000, False)
    assert h.oldest_days == 50  # of its disputed invoice, having no other
    k = pos.loc["K"]
    # overdue is the invoice's 100.00 (the credit note only decides that K owes), weighted x 5
    assert (k.overdue_cents, k.oldest_days, k.weighted_cents) == (10000, 183, 50000)
    assert pos.loc["X", "weighted_cents"] == pos.loc["Y", "weighted_cents"] == 2000


def test_positions_follow_the_policy_and_count_by_due_date(worklist_ledger):
    quick = positions(worklist_ledger, AS_OF, policy={"collections": {"age_month_days": 15}})
    # B: min(1 + 60/15, 5) = 5 -> 250,000; A: 1 + 10/15 -> 166,666.67
    assert quick.loc["B", "weighted_cents"] == 250000
    assert quick.loc["A", "weighted_cents"] == pytest.approx(100000 * 25 / 15)
    by_invoice = positions(worklist_ledger, AS_OF, policy={"aging": {"basis": "invoice"}})
    pd.testing.assert_frame_equal(by_invoice, positions(worklist_ledger, AS_OF))


def test_chase_ranking_order(worklist_ledger):
    table = chase_ranking(worklist_ledger, AS_OF)
    assert list(table.columns) == RANKING_COLUMNS
    assert table["customer_id"].tolist() == ["C", "B", "A", "F", "D", "E"]
    assert table["name"].tolist()[:2] == ["Gamma SA", "Beta Ltd"]
    # priority = weighted x (1 + risk), risk = (100 - score) / 100, 0.5 without a score
    pos = positions(worklist_ledger, AS_OF).loc[table["customer_id"]]
    expected = pos["weighted_cents"].to_numpy() * (1 + table["risk"].to_numpy())
    assert table["priority"].to_numpy() == pytest.approx(expected)
    b = table.set_index("customer_id").loc["B"]
    assert (b.score, b.risk, b.priority) == pytest.approx((40, 0.6, 240000))  # 150,000 x 1.6
    unscored = table[table["score"].isna()]
    assert unscored["risk"].tolist() == [0.5] * len(unscored)


def test_in_dispute_comes_last_and_ties_go_by_id(others):
    table = chase_ranking(others, AS_OF)
    # K: 50,000 x (1 + risk) first; X and Y tie on priority and amount: by id, although Y
    # comes first in the file; H, all in dispute, last with priority 0 despite its 50,000.00
    assert table["customer_id"].tolist() == ["K", "X", "Y", "H"]
    assert table.loc[1, "priority"] == table.loc[2, "priority"]
    assert table.loc[3, "priority"] == 0 and table.loc[3, "disputed_cents"] == 5000000


def test_risk_of():
    scores = pd.Series([100.0, 0.0, 79.5, np.nan], index=list("abcd"))
    assert risk_of(scores, 0.5).tolist() == pytest.approx([0.0, 1.0, 0.205, 0.5])
    assert risk_of(scores, 0.9)["d"] == 0.9


def test_rank_of_given_positions(others):
    pos = pd.DataFrame(
        {
            "overdue_cents": [100, 300, 200, 0],
            "oldest_days": [5, 5, 5, 40],
            "weighted_cents": [400.0, 300.0, 200.0, 0.0],
            "disputed_cents": [0, 0, 0, 900],
            "chased": [True, True, True, False],
        },
        index=pd.Index(["Q", "R", "S", "T"], name="customer_id"),
    )
    # Q 400 x 1.5 (unscored) = 600; R 300 x 2 (score 0) = 600, more overdue: first; S 200 x 1
    table = rank(pos, pd.Series({"R": 0.0, "S": 100.0, "T": 0.0}), others, 0.5)
    assert table["customer_id"].tolist() == ["R", "Q", "S", "T"]
    assert table["priority"].tolist() == [600, 600, 200, 0]
    assert table["risk"].tolist() == [1.0, 0.5, 0.0, 1.0]
    assert np.isnan(table.loc[1, "score"])
    assert rank(pos.iloc[:0], pd.Series(dtype=float), others, 0.5).empty
