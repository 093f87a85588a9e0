"""Random ledgers for the cross-engine tests, and the engines they run on.

A case is raw canonical tables (text cells, as a client's files hold them) built around one
as-of date: documents and payments dated on every bucket edge, the day before and after it and
after the as-of date; credit notes applied, standalone, naming an unknown invoice, another
customer's, or a credit note; payments split over rows, unapplied, to unknown invoices, to
another customer's, to a credit note; blank due dates (the customer's terms or the policy's).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import strategies as st

import arbook
from arbook.core.dates import day_number
from arbook.measures.aging import aging, aging_summary
from arbook.measures.metrics import monthly_metrics

PG_URL = os.environ.get("ARBOOK_TEST_POSTGRES_URL")
CUSTOMERS = ["A", "B", "C"]
#: days before the as-of date: every default edge, the days either side, and future dates
EDGE_DAYS = [-20, -1, 0, 1, 7, 8, 14, 15, 16, 29, 30, 31, 45, 46, 59, 60, 61, 89, 90, 91]
EDGE_DAYS += [119, 120, 121, 150, 400]
OFFSETS = st.sampled_from(EDGE_DAYS) | st.integers(min_value=-30, max_value=420)
AS_OF = ["2026-03-31", "2026-02-28", "2026-03-15", "2025-12-31"]
EDGES = [(30, 60, 90, 120), (15, 45), (7,), "months"]


def _date(as_of: pd.Timestamp, before: int) -> str:
    return (as_of - pd.Timedelta(days=before)).date().isoformat()


@st.composite
def cases(draw):
    """``(invoices, payments, customers, as_of, basis, edges, start, end)``: raw frames of
    text, an as-of date, the aging settings and a month range for the metrics."""
    as_of = pd.Timestamp(draw(st.sampled_from(AS_OF)))
    n_inv = draw(st.integers(min_value=1, max_value=10))
    ids = [f"I{i}" for i in range(n_inv)]
    invoices = []
    for number in ids:
        credit = draw(st.booleans()) and draw(st.booleans())  # about a quarter
        amount = -draw(st.integers(1, 80_000)) if credit else draw(st.integers(1, 500_000))
        applies = draw(st.sampled_from(["", "", "IX", *ids])) if credit else ""
        invoice_day = draw(OFFSETS)
        invoices.append(
            {
                "invoice_id": number,
                "customer_id": draw(st.sampled_from(CUSTOMERS)),
                "invoice_date": _date(as_of, invoice_day),
                "due_date": draw(st.sampled_from(["", _date(as_of, draw(OFFSETS))])),
                "amount": f"{amount / 100:.2f}",
                "applies_to": applies,
                "disputed": draw(st.sampled_from(["", "yes", "no"])),
            }
        )
    payments = []
    for p in range(draw(st.integers(min_value=0, max_value=10))):
        ref = draw(st.sampled_from(["", "IZ", *ids]))
        payments.append(
            {
                "payment_id": f"P{p // 2}",  # two rows each: a receipt split over invoices
                "customer_id": draw(st.sampled_from(CUSTOMERS)),
                "payment_date": _date(as_of, draw(OFFSETS)),
                "amount": f"{draw(st.integers(1, 600_000)) / 100:.2f}",
                "invoice_id": ref,
            }
        )
    customers = pd.DataFrame(
        {"customer_id": ["A", "B"], "name": ["Alpha Ltd", "Beta SA"], "terms_days": ["14", ""]}
    )
    columns = ["payment_id", "customer_id", "payment_date", "amount", "invoice_id"]
    month = as_of.to_period("M")
    start = month - draw(st.integers(0, 14))
    end = month + draw(st.integers(0, 2))
    return (
        pd.DataFrame(invoices),
        pd.DataFrame(payments, columns=columns),
        customers,
        as_of.date().isoformat(),
        draw(st.sampled_from(["due", "invoice"])),
        draw(st.sampled_from(EDGES)),
        str(start),
        str(end),
    )


def ledger_of(case) -> arbook.Ledger:
    invoices, payments, customers = case[:3]
    ledger = arbook.ledger_from_frames(invoices, payments, customers)
    assert ledger.errors.empty  # every generated row is valid: every cent is in the ledger
    return ledger


def assert_same(ours, ledger: arbook.Ledger, case) -> None:
    """The engine's aging, summary and monthly metrics (``ours``: a Source) equal the
    in-memory ones: money to the cent, dtypes, order; ratios within 1e-12 (NaN where NaN)."""
    as_of, basis, edges, start, end = case[3:]
    options = {"basis": basis, "edges": edges}
    pd.testing.assert_frame_equal(aging(ours, as_of, **options), aging(ledger, as_of, **options))
    pd.testing.assert_frame_equal(
        aging_summary(ours, as_of, **options), aging_summary(ledger, as_of, **options)
    )
    pd.testing.assert_frame_equal(
        monthly_metrics(ours, start, end, **options),
        monthly_metrics(ledger, start, end, **options),
        check_exact=False,
        rtol=1e-12,
        atol=0,
    )
    assert day_number(as_of) > 0


# --- raw tables as a client keeps them --------------------------------------------------------

_TYPES = {
    "invoice_date": pa.date32(),
    "due_date": pa.date32(),
    "payment_date": pa.date32(),
    "amount": pa.decimal128(18, 2),
    "terms_days": pa.int32(),
}


def typed(frame: pd.DataFrame) -> pa.Table:
    """A frame of text cells as the typed Arrow table a Parquet export holds (blank: null)."""
    arrays = {}
    for column in frame.columns:
        values = [None if v == "" else v for v in frame[column].tolist()]
        kind = _TYPES.get(column, pa.string())
        if kind == pa.date32():
            values = [None if v is None else pd.Timestamp(v).date() for v in values]
        elif kind == pa.decimal128(18, 2):
            from decimal import Decimal

            values = [None if v is None else Decimal(v) for v in values]
        elif kind == pa.int32():
            values = [None if v is None else int(v) for v in values]
        arrays[column] = pa.array(values, type=kind)
    return pa.table(arrays) if arrays else pa.table({})


def write_parquet(case, folder: Path) -> Path:
    """The case's tables as canonical Parquet files in ``folder`` (emptied first)."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    for name, frame in zip(("invoices", "payments", "customers"), case[:3]):
        pq.write_table(typed(frame), folder / f"{name}.parquet")
    return folder


def write_postgres(case, url: str) -> None:
    """The case's tables as tables invoices/payments/customers in the database of ``url``."""
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    try:
        for name, frame in zip(("invoices", "payments", "customers"), case[:3]):
            typed(frame).to_pandas().to_sql(name, engine, index=False, if_exists="replace")
    finally:
        engine.dispose()


def spark_or_skip() -> None:
    pytest.importorskip("pyspark")
    if shutil.which("java") is None and not os.environ.get("JAVA_HOME"):
        pytest.skip("no Java for Spark (CI installs default-jre-headless)")
