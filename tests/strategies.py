"""Hypothesis strategies shared by the tests: random small ledgers of every kind of link."""

from __future__ import annotations

import pandas as pd
from hypothesis import strategies as st

DAYS = st.integers(min_value=0, max_value=120)
BASE = pd.Timestamp("2026-01-01")


@st.composite
def ledgers(draw):
    customers = ["A", "B", "C"]
    n_inv = draw(st.integers(min_value=1, max_value=12))
    invoices = []
    for i in range(n_inv):
        amount = draw(st.integers(min_value=-50_000, max_value=500_000))
        applies = draw(st.sampled_from(["", "", f"I{draw(st.integers(0, n_inv))}"]))
        day = draw(DAYS)
        invoices.append(
            {
                "invoice_id": f"I{i}",
                "customer_id": draw(st.sampled_from(customers)),
                "invoice_date": (BASE + pd.Timedelta(days=day)).date().isoformat(),
                "due_date": draw(
                    st.sampled_from(["", (BASE + pd.Timedelta(days=day + 30)).date().isoformat()])
                ),
                "amount": f"{amount / 100:.2f}",
                "applies_to": applies if amount < 0 else "",
            }
        )
    payments = []
    for p in range(draw(st.integers(min_value=0, max_value=12))):
        ref = draw(st.sampled_from(["", "I0", f"I{draw(st.integers(0, n_inv + 2))}"]))
        payments.append(
            {
                "payment_id": f"P{p // 2}",
                "customer_id": draw(st.sampled_from(customers)),
                "payment_date": (BASE + pd.Timedelta(days=draw(DAYS))).date().isoformat(),
                "amount": f"{draw(st.integers(min_value=1, max_value=600_000)) / 100:.2f}",
                "invoice_id": ref,
            }
        )
    as_of = (BASE + pd.Timedelta(days=draw(st.integers(-5, 130)))).date().isoformat()
    edges = draw(st.sampled_from([(30, 60, 90, 120), (15, 45), (7,)]))
    return (
        pd.DataFrame(invoices),
        pd.DataFrame(
            payments, columns=["payment_id", "customer_id", "payment_date", "amount", "invoice_id"]
        ),
        as_of,
        edges,
    )
