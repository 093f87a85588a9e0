"""The IBM Watson accounts-receivable sample (``WA_Fn-UseC_-Accounts-Receivable.csv``): one row
per invoice with the date it was settled. Each row becomes an invoice and, when settled, one
payment of the full amount on SettledDate; dates are month/day/year."""

from __future__ import annotations

import pandas as pd

from arbook.core.grid import Grid
from arbook.core.i18n import N_
from arbook.core.presets import Imported, Preset, missing_columns, no_header, register

IBM_EXTRAS = {
    "countrycode": "country_code",
    "paperlessdate": "paperless_date",
    "paperlessbill": "paperless_bill",
    "daystosettle": "days_to_settle",
    "dayslate": "days_late",
}
REQUIRED = (
    "customerid",
    "invoicenumber",
    "invoicedate",
    "duedate",
    "invoiceamount",
    "disputed",
    "settleddate",
)


def split(raw: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """The raw IBM frame as raw ``invoices`` and ``payments``."""
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


def read(grid: Grid) -> Imported:
    header = grid.find_row(("customerid", "invoicenumber", "invoiceamount"))
    if header is None:
        return Imported({}, [no_header(IBM, grid)], date_order="mdy")
    frame, issues = grid.table(header)
    missing = missing_columns(IBM, frame)
    if missing:
        return Imported({}, issues + missing, date_order="mdy", header_line=header)
    return Imported(split(frame), issues, date_order="mdy", header_line=header)


IBM = register(
    Preset(
        name="ibm",
        title=N_("IBM accounts-receivable sample"),
        description=N_("IBM Watson accounts-receivable sample (one row per invoice, SettledDate)"),
        read=read,
        required=REQUIRED,
        date_order="mdy",
    )
)
