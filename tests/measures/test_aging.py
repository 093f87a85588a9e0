"""Aging (SPEC §2) on a hand-worked ledger, bucket edges, and the §2.8 identity."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from conftest import ledger_fixture, ledger_of
from hypothesis import HealthCheck, given, settings
from strategies import ledgers

import arbook
from arbook.core.errors import ParameterError
from arbook.core.schemas import OpenItems, check
from arbook.measures.aging import bucket_codes, bucket_labels, exact_sums, summarise_items

CUSTOMERS = """
    customer_id,name,credit_limit,terms_days
    A,Alpha Ltd,"1,000.00",30
    B,Beta SA,,15
"""
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,disputed
    I1,A,2026-01-01,2026-01-31,100.00,,no
    I2,A,2026-01-10,,200.00,,no
    CN1,A,2026-01-20,,-50.00,I2,no
    CN2,A,2026-02-01,,-30.00,,no
    I3,B,2026-02-01,,80.00,,yes
    I4,B,2026-02-20,2026-03-01,50.00,,no
    I5,C,2025-10-01,2025-10-31,300.00,,no
    I6,C,2026-03-05,2026-04-04,70.00,,no
"""
PAYMENTS = """
    P1,A,2026-02-10,40.00,I1
    P2,B,2026-02-20,90.00,I3
    P3,B,2026-02-28,49.99,I4
    P4,C,2026-02-15,25.00,
    P5,A,2026-03-02,60.00,I1
    P6,C,2026-02-25,70.00,I6
"""


ledger = ledger_fixture(customers=CUSTOMERS, invoices=INVOICES, payments=PAYMENTS)


def test_hand_worked_items_as_of_march_first(ledger):
    assert ledger.issues.empty
    items = arbook.aging(ledger, "2026-03-01").set_index("document_id")
    check(items.reset_index(), OpenItems)
    # I1: 100 - 40 paid (P5 on 03-02 is in the future) = 60; due 01-31 -> 29 days -> 1-30.
    assert items.loc["I1", ["outstanding_cents", "paid_cents", "days_overdue"]].tolist() == [
        6000,
        4000,
        29,
    ]
    assert items.loc["I1", "bucket"] == "1-30"
    # I2: 200 - credit note CN1 50 = 150; blank due date = 01-10 + A's 30 days = 02-09 -> 20 days.
    assert items.loc["I2", ["outstanding_cents", "credited_cents", "days_overdue"]].tolist() == [
        15000,
        5000,
        20,
    ]
    assert items.loc["I2", "due_date"] == pd.Timestamp("2026-02-09")
    assert "CN1" not in items.index  # applied, so not an item of its own
    # CN2 standalone: -30 unapplied.
    assert items.loc["CN2", ["kind", "outstanding_cents", "bucket"]].tolist() == [
        "credit_note",
        -3000,
        "unapplied",
    ]
    # I3 overpaid: 80 - 90 = -10, unapplied, still an invoice.
    assert items.loc["I3", ["kind", "outstanding_cents", "bucket"]].tolist() == [
        "invoice",
        -1000,
        "unapplied",
    ]
    # I4: one cent left, due on the as-of date -> current.
    assert items.loc["I4", ["outstanding_cents", "days_overdue", "bucket"]].tolist() == [
        1,
        0,
        "current",
    ]
    # I5: due 2025-10-31, 121 days -> 121+.
    assert items.loc["I5", ["days_overdue", "bucket"]].tolist() == [121, "121+"]
    # I6 is dated after the as-of date: it does not exist; P6 paid against it is standalone cash.
    assert "I6" not in items.index
    assert items.loc["P6", ["kind", "outstanding_cents", "bucket"]].tolist() == [
        "payment",
        -7000,
        "unapplied",
    ]
    assert items.loc["P4", ["kind", "outstanding_cents"]].tolist() == ["payment", -2500]
    assert "P5" not in items.index
    # SPEC 2.8: 650.00 invoiced to date - 274.99 paid to date = 375.01.
    assert items["outstanding_cents"].sum() == 37501


def test_summary_rows_and_names(ledger):
    summary = arbook.aging_summary(ledger, "2026-03-01").set_index("customer_id")
    assert summary.loc["A", ["name", "1-30_cents", "unapplied_cents", "total_cents"]].tolist() == [
        "Alpha Ltd",
        21000,
        -3000,
        18000,
    ]
    assert summary.loc["B", ["current_cents", "unapplied_cents", "total_cents"]].tolist() == [
        1,
        -1000,
        -999,
    ]
    # C is not listed in customers: it is still a customer, shown by its id.
    assert summary.loc["C", ["name", "121+_cents", "unapplied_cents", "total_cents"]].tolist() == [
        "C",
        30000,
        -9500,
        20500,
    ]
    buckets = [c for c in summary.columns if c.endswith("_cents")][:-3]
    assert (summary[buckets].sum(axis=1) == summary["receivable_cents"]).all()
    assert (
        summary["receivable_cents"] + summary["unapplied_cents"] == summary["total_cents"]
    ).all()


def test_future_payment_counts_once_its_date_comes(ledger):
    items = arbook.aging(ledger, "2026-03-02").set_index("document_id")
    assert "I1" not in items.index  # P5 settled the last 60.00


def test_invoice_basis(ledger):
    items = arbook.aging(ledger, "2026-03-01", basis="invoice").set_index("document_id")
    assert items.loc["I1", ["days_overdue", "bucket"]].tolist() == [59, "31-60"]
    assert items.loc["I4", ["days_overdue", "bucket"]].tolist() == [9, "1-30"]
    assert items.loc["I5", ["days_overdue", "bucket"]].tolist() == [151, "121+"]


def test_custom_edges(ledger):
    assert bucket_labels((15, 45)) == ["current", "1-15", "16-45", "46+"]
    items = arbook.aging(ledger, "2026-03-01", edges=(15, 45)).set_index("document_id")
    assert items.loc["I2", "bucket"] == "16-45" and items.loc["I5", "bucket"] == "46+"
    summary = arbook.aging_summary(ledger, "2026-03-01", edges=(15, 45))
    assert [c for c in summary.columns if c.endswith("_cents")] == [
        "current_cents",
        "1-15_cents",
        "16-45_cents",
        "46+_cents",
        "receivable_cents",
        "unapplied_cents",
        "total_cents",
    ]


@pytest.mark.parametrize(
    "days,label",
    [
        (-5, "current"),
        (0, "current"),
        (1, "1-30"),
        (30, "1-30"),
        (31, "31-60"),
        (60, "31-60"),
        (61, "61-90"),
        (90, "61-90"),
        (91, "91-120"),
        (120, "91-120"),
        (121, "121+"),
        (999, "121+"),
    ],
)
def test_every_bucket_boundary(days, label):
    labels = bucket_labels()
    assert labels[bucket_codes(np.array([days]), (30, 60, 90, 120))[0]] == label


def test_item_on_each_boundary_through_the_ledger(tmp_path):
    rows = "\n".join(
        f"D{d},X,2025-01-01,{(pd.Timestamp('2026-06-30') - pd.Timedelta(days=d)).date()},1.00"
        for d in (0, 1, 30, 31, 60, 61, 90, 91, 120, 121)
    )
    ledger = ledger_of(
        tmp_path, invoices="invoice_id,customer_id,invoice_date,due_date,amount\n" + rows
    )
    items = arbook.aging(ledger, "2026-06-30").set_index("document_id")
    assert items["bucket"].astype(str).to_dict() == {
        "D0": "current",
        "D1": "1-30",
        "D30": "1-30",
        "D31": "31-60",
        "D60": "31-60",
        "D61": "61-90",
        "D90": "61-90",
        "D91": "91-120",
        "D120": "91-120",
        "D121": "121+",
    }


def test_bad_parameters_are_clear(ledger):
    with pytest.raises(ParameterError, match="YYYY-MM-DD"):
        arbook.aging(ledger, "31/03/2026")
    with pytest.raises(ParameterError, match="strictly increasing"):
        arbook.aging(ledger, "2026-03-01", edges=(60, 30))
    with pytest.raises(ParameterError, match="basis"):
        arbook.aging(ledger, "2026-03-01", basis="paid")


def test_no_open_items_gives_empty_frames(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,10.00",
        payments="payment_id,customer_id,payment_date,amount,invoice_id\nP1,A,2026-01-02,10.00,I1",
    )
    assert arbook.aging(ledger, "2026-02-01").empty
    assert arbook.aging_summary(ledger, "2026-02-01").empty
    assert len(arbook.aging(ledger, "2025-12-31")) == 0  # before anything existed


# --- SPEC §2.8: sum over buckets + unapplied = invoices to date - payments to date ----------


def _cents(text: str) -> int:
    units, _, frac = text.lstrip("-").partition(".")
    value = int(units) * 100 + int(frac)
    return -value if text.startswith("-") else value


# 60 ledgers of up to 12 invoices and 12 payments (~0.15 s each: the loader's fixed cost)
@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers())
def test_identity_holds_to_the_cent(case):
    invoices, payments, as_of, edges = case
    ledger = arbook.ledger_from_frames(invoices, payments)
    assert ledger.errors.empty  # every generated row is valid, so every cent must be counted
    summary = arbook.aging_summary(ledger, as_of, edges=edges)
    items = arbook.aging(ledger, as_of, edges=edges)
    # the summary, computed from the balances without item rows, is the items' summary exactly
    for basis, cut in (("due", edges), ("invoice", edges), ("due", "months")):
        pd.testing.assert_frame_equal(
            arbook.aging_summary(ledger, as_of, basis=basis, edges=cut),
            summarise_items(arbook.aging(ledger, as_of, basis=basis, edges=cut), ledger, cut),
        )
    invoiced = sum(
        _cents(a) for a, d in zip(invoices["amount"], invoices["invoice_date"]) if d <= as_of
    )
    paid = sum(
        _cents(a) for a, d in zip(payments["amount"], payments["payment_date"]) if d <= as_of
    )
    assert int(summary["total_cents"].sum()) == invoiced - paid
    assert int(items["outstanding_cents"].sum()) == invoiced - paid
    buckets = [c for c in summary.columns if c.endswith("_cents")][:-3]
    assert (summary[buckets].sum(axis=1) == summary["receivable_cents"]).all()
    assert (
        summary["receivable_cents"] + summary["unapplied_cents"] == summary["total_cents"]
    ).all()
    # the receivable's totals, from the balances, agree with the items to the cent
    totals = arbook.receivable_totals(ledger, as_of)
    assert totals.net_cents == invoiced - paid
    assert totals.receivable_cents == int(summary["receivable_cents"].sum())
    assert totals.unapplied_cents == int(summary["unapplied_cents"].sum())
    assert totals.overdue_cents + totals.not_due_cents == totals.receivable_cents
    late = items["outstanding_cents"].gt(0) & (items["due_date"] < pd.Timestamp(as_of))
    assert totals.overdue_cents == int(items.loc[late, "outstanding_cents"].sum())
    positive = items["outstanding_cents"] > 0
    assert (items.loc[positive, "bucket"] != "unapplied").all()
    assert (items.loc[~positive, "bucket"] == "unapplied").all()
    assert (
        items["outstanding_cents"]
        == items["amount_cents"] - items["paid_cents"] - items["credited_cents"]
    ).all()


def test_exact_sums_stay_exact_past_floats():
    import numpy as np

    keys = np.array([0, 0, 1, 1])
    big = 2**62
    assert exact_sums(keys, np.array([big, 1, -big, -1]), 2).tolist() == [big + 1, -big - 1]
    assert exact_sums(keys, np.array([5, -2, 0, 7]), 3).tolist() == [3, 7, 0]
