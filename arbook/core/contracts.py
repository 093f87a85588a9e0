"""The pandera models of the ledger's clean frames and of the open items (the column contracts
of :mod:`arbook.core.schemas`), apart so that reading a ledger never loads pandera: the models
are for the tests and :func:`arbook.core.schemas.check`. Their names stay importable from
:mod:`arbook.core.schemas`.
"""

from __future__ import annotations

import pandera.pandas as pa
from pandera.typing import Series

from arbook.core.schemas import ITEM_KINDS


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
