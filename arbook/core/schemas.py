"""Column contracts of the ledger and of what arbook returns, as pandera models.

The class attributes double as the column names other modules use. Money is int64 cents in
columns named ``*_cents``; dates are ``datetime64`` at midnight. :func:`check` validates a frame
lazily and lists every failing cell (used by the tests); the models are in
:mod:`arbook.core.contracts`, loaded on first use.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd


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


#: The pandera models, in :mod:`arbook.core.contracts` (loaded on first use: pandera and
#: pydantic are some 14 MB of a dashboard kernel that never validates against them).
MODELS = ("Invoices", "Payments", "Customers", "OpenItems")


def __getattr__(name: str) -> Any:
    if name in MODELS:
        from arbook.core import contracts

        return getattr(contracts, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def check(frame: pd.DataFrame, model: Any) -> pd.DataFrame:
    """Validate ``frame`` against ``model`` (a model of :mod:`arbook.core.contracts`),
    collecting every failure; return the frame."""
    checked: pd.DataFrame = model.validate(frame, lazy=True)
    return checked
