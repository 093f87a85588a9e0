"""The receivable's state at many dates in one pass (arbook.measures.sweep) is each date's
state computed on its own, to the cent: random ledgers (credits applied and standalone, credit
notes before their invoice, payments before their invoice, to unknown invoices, unapplied cash,
items on every bucket edge), random dates, both bases, day and calendar-month buckets."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from strategies import BASE, ledgers

import arbook
from arbook.core.dates import day_number
from arbook.measures import sweep
from arbook.measures.metrics import _state


def same(got: dict, want: dict) -> None:
    assert got.keys() == want.keys()
    for key in want:
        assert np.array_equal(np.asarray(got[key]), np.asarray(want[key])), key


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    ledgers(),
    st.lists(st.integers(-10, 140), min_size=1, max_size=8, unique=True),
    st.sampled_from(["due", "invoice"]),
    st.booleans(),
)
def test_one_pass_is_every_date_on_its_own(case, offsets, basis, months):
    invoices, payments, _as_of, edges = case
    ledger = arbook.ledger_from_frames(invoices, payments)
    cut = "months" if months else edges
    days = sorted(day_number(BASE + pd.Timedelta(days=d)) for d in offsets)
    for got, day in zip(sweep.states(ledger, days, basis, cut), days):
        same(got, _state(ledger, day, basis, cut))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ledgers(), st.lists(st.integers(-10, 140), min_size=1, max_size=8, unique=True))
def test_the_64_bit_sort_key_gives_the_32_bit_answer(case, offsets):
    """A ledger too large for a 32-bit key (documents x dates over 2**31) takes a 64-bit one:
    forced here on small ledgers, the same states, to the cent."""
    invoices, payments, _as_of, edges = case
    ledger = arbook.ledger_from_frames(invoices, payments)
    days = sorted(day_number(BASE + pd.Timedelta(days=d)) for d in offsets)
    narrow = sweep.states(ledger, days, "due", edges)
    original = sweep.KEY32
    sweep.KEY32 = 0
    try:
        wide = sweep.states(ledger, days, "due", edges)
    finally:
        sweep.KEY32 = original
    for got, want in zip(wide, narrow):
        same(got, want)


def test_month_buckets_in_slices(monkeypatch, tmp_path):
    """Calendar-month buckets taken a few pairs at a time add up as taken at once."""
    from conftest import ledger_of

    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-05,2026-02-04,100.00
        I2,A,2026-01-20,2026-02-19,50.00
        I3,B,2026-02-10,2026-03-12,75.00
        """,
        payments="""
        payment_id,customer_id,payment_date,amount,invoice_id
        P1,A,2026-03-01,40.00,I1
        """,
    )
    days = [day_number(d) for d in ("2026-01-31", "2026-02-28", "2026-03-31", "2026-06-30")]
    whole = sweep.states(ledger, days, "due", "months")
    monkeypatch.setattr(sweep, "PAIRS", 2)
    for got, want, day in zip(sweep.states(ledger, days, "due", "months"), whole, days):
        same(got, want)
        same(got, _state(ledger, day, "due", "months"))
