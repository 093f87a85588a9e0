"""Presets: single files in someone else's layout, mapped onto the canonical raw tables.

A preset turns one raw frame (read by :mod:`arbook.core.load`, rows stamped with file and line) into
raw ``invoices``/``payments``/``customers`` frames with the canonical column names, so the same
validation runs on them. Each preset also fixes how its dates are written.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pandas as pd

from arbook.core.errors import Issue, IssueCode


@dataclass(frozen=True)
class Preset:
    name: str
    description: str
    date_order: str
    required: tuple[str, ...]
    split: Callable[[pd.DataFrame], dict[str, pd.DataFrame]]


IBM_EXTRAS = {
    "countrycode": "country_code",
    "paperlessdate": "paperless_date",
    "paperlessbill": "paperless_bill",
    "daystosettle": "days_to_settle",
    "dayslate": "days_late",
}


def _ibm_split(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """IBM accounts-receivable sample: one row per invoice with its settlement date. Each row
    becomes an invoice and, when settled, one payment of the full amount on SettledDate."""
    located = raw[["source_file", "source_line"]]
    invoices = pd.DataFrame(
        {
            "invoice_id": raw["invoicenumber"],
            "customer_id": raw["customerid"],
            "invoice_date": raw["invoicedate"],
            "due_date": raw["duedate"],
            "amount": raw["invoiceamount"],
            "disputed": raw["disputed"],
        }
    )
    for source, name in IBM_EXTRAS.items():
        if source in raw:
            invoices[name] = raw[source]
    invoices = pd.concat([invoices, located], axis=1)
    settled = raw["settleddate"].fillna("").astype("str").str.strip() != ""
    payments = pd.DataFrame(
        {
            "payment_id": "SETTLE-" + raw["invoicenumber"].astype("str").str.strip(),
            "customer_id": raw["customerid"],
            "payment_date": raw["settleddate"],
            "amount": raw["invoiceamount"],
            "invoice_id": raw["invoicenumber"],
        }
    )
    payments = pd.concat([payments, located], axis=1)[settled.to_numpy()].reset_index(drop=True)
    label = raw.attrs.get("label", "")
    invoices.attrs["label"] = payments.attrs["label"] = label
    return {"invoices": invoices, "payments": payments}


PRESETS = {
    "ibm": Preset(
        name="ibm",
        description="IBM Watson accounts-receivable sample (one row per invoice, SettledDate)",
        date_order="mdy",
        required=(
            "customerid",
            "invoicenumber",
            "invoicedate",
            "duedate",
            "invoiceamount",
            "disputed",
            "settleddate",
        ),
        split=_ibm_split,
    ),
}


def missing_columns(preset: Preset, raw: pd.DataFrame) -> list[Issue]:
    """One ``missing_column`` error per column the preset needs and the file lacks."""
    label = raw.attrs.get("label", "")
    return [
        Issue(
            IssueCode.MISSING_COLUMN,
            label,
            1,
            column,
            None,
            f"no {column!r} column, which the {preset.name} preset needs; the file is left out",
            f"The {preset.name} preset reads the {preset.description}; for a folder of "
            "invoices/payments files leave --preset out.",
        )
        for column in preset.required
        if column not in raw.columns
    ]
