"""The payment-history score (SPEC §5): paydex at and between its anchors, payment_scores worked
by hand, its trends, a property, the sample and ``arbook scores``."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from conftest import ROOT, ledger_fixture
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import arbook
from arbook.cli.commands import main
from arbook.credit import paydex, payment_scores
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
    P0,B,2025-01-11,100.00,B0
    P1,A,2025-12-30,100.00,A0
    P2,A,2026-02-10,300.00,A1
    P3,A,2026-02-21,100.00,A2
    P4,B,2026-02-19,200.00,B2
    PA,A,2026-03-15,50.00,
"""


score_ledger = ledger_fixture(
    invoices=SCORE_INVOICES, payments=SCORE_PAYMENTS, customers=SCORE_CUSTOMERS
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


# -------------------------------------------------------------------------------- the CLI


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_scores(capsys):
    code, out, _ = run(capsys, "scores", SAMPLE, "--as-of", "2026-10-31", "--format", "csv")
    assert code == 0 and out.splitlines()[0] == ",".join(SCORE_COLUMNS)
    assert len(out.splitlines()) == 151  # header + every customer
    code, _, err = run(capsys, "scores", SAMPLE, "--as-of", "31/10/2026")
    assert code == 2 and "YYYY-MM-DD" in err
