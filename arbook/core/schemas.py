"""Column contracts of the ledger and of what arbook returns, as pandera models.

The class attributes double as the column names other modules use. Money is int64 cents in
columns named ``*_cents``; dates are ``datetime64`` at midnight. :func:`check` validates a frame
lazily and lists every failing cell (used by the tests and by ``Ledger.check_schema``).
"""

from __future__ import annotations

import re

import pandas as pd
import pandera.pandas as pa
from pandera.typing import Series


def normalise_name(name: object) -> str:
    """Column names are case-insensitive: ``Invoice ID`` and ``invoice_id`` are the same."""
    return re.sub(r"[\s\-]+", "_", str(name).strip().lstrip("\ufeff").strip().lower())


INVOICE_COLUMNS = (
    "invoice_id",
    "customer_id",
    "invoice_date",
    "due_date",
    "amount",
    "applies_to",
    "currency",
    "disputed",
)
PAYMENT_COLUMNS = ("payment_id", "customer_id", "payment_date", "amount", "invoice_id", "currency")
CUSTOMER_COLUMNS = (
    "customer_id",
    "name",
    "credit_limit",
    "terms_days",
    "email",
    "phone",
    "language",
    "contact",
    "segment",
)
RATE_COLUMNS = ("currency", "rate", "date")
REQUIRED = {
    "invoices": ("invoice_id", "customer_id", "invoice_date", "amount"),
    "payments": ("payment_id", "customer_id", "payment_date", "amount"),
    "customers": ("customer_id",),
    "rates": ("currency", "rate"),
}
KNOWN = {
    "invoices": INVOICE_COLUMNS,
    "payments": PAYMENT_COLUMNS,
    "customers": CUSTOMER_COLUMNS,
    "rates": RATE_COLUMNS,
}
ITEM_KINDS = ("invoice", "credit_note", "payment")


class _Located(pa.DataFrameModel):
    source_file: Series[pa.Category]
    source_line: Series[int] = pa.Field(ge=1, nullable=True)

    class Config:
        strict = False
        coerce = False


class Invoices(_Located):
    invoice_id: Series[str] = pa.Field(unique=True)
    customer_id: Series[str]
    invoice_date: Series[pa.DateTime]
    due_date: Series[pa.DateTime]
    amount_cents: Series[int]
    applied_invoice_id: Series[str] = pa.Field(nullable=True)
    currency: Series[str] = pa.Field(nullable=True)
    disputed: Series[bool]
    due_from: Series[pa.Category] = pa.Field(isin=["file", "terms", "default"])


class Payments(_Located):
    payment_id: Series[str]
    customer_id: Series[str]
    payment_date: Series[pa.DateTime]
    amount_cents: Series[int] = pa.Field(gt=0)
    allocated_invoice_id: Series[str] = pa.Field(nullable=True)


class Customers(pa.DataFrameModel):
    customer_id: Series[str] = pa.Field(unique=True)
    name: Series[str] = pa.Field(nullable=True)
    credit_limit_cents: Series[pa.Int64] = pa.Field(nullable=True, ge=0)
    terms_days: Series[pa.Int64] = pa.Field(nullable=True, ge=0)
    listed: Series[bool]

    class Config:
        strict = False


class OpenItems(pa.DataFrameModel):
    customer_id: Series[str]
    document_id: Series[str]
    kind: Series[str] = pa.Field(isin=list(ITEM_KINDS))
    document_date: Series[pa.DateTime]
    due_date: Series[pa.DateTime] = pa.Field(nullable=True)
    amount_cents: Series[int]
    paid_cents: Series[int]
    credited_cents: Series[int]
    outstanding_cents: Series[int] = pa.Field(ne=0)
    days_overdue: Series[int]
    bucket: Series[pa.Category]
    disputed: Series[bool]

    class Config:
        strict = True


def check(frame: pd.DataFrame, model: type[pa.DataFrameModel]) -> pd.DataFrame:
    """Validate ``frame`` against ``model``, collecting every failure; return the frame."""
    return model.validate(frame, lazy=True)
