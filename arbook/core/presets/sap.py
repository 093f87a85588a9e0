"""An SAP-style open-items extract: the public "payment date prediction" data set (``business_code,
cust_number, name_customer, clear_date, buisness_year, doc_id, posting_date,
document_create_date, document_create_date.1, due_in_date, invoice_currency, document type,
posting_id, area_business, total_open_amount, baseline_create_date, cust_payment_terms,
invoice_id, isOpen``).

One row per accounting document. A row with a ``clear_date`` was cleared (paid) on that date;
one without is still open. So the file is read as a history, not as open items: each row is an
invoice of ``total_open_amount`` (the document's amount: a cleared row's is what was cleared),
dated ``posting_date`` (else ``document_create_date``) and due ``due_in_date``, and a cleared
row also gives one payment of the whole amount on ``clear_date`` (``CLEAR-<doc_id>``). A cleared
credit (a negative amount) gives no payment and no item: it was offset, by a document the
extract does not name. Dates are written ``20190307.0`` (a float's text of yyyymmdd) or
``2019-03-07 00:00:00``; ids may carry the same ``.0``; both are read without it. The
customer is ``cust_number`` (its name ``name_customer``); the currency ``invoice_currency``
(USD, CAD).
"""

from __future__ import annotations

import pandas as pd

from arbook.core import parse
from arbook.core.grid import Grid
from arbook.core.i18n import N_
from arbook.core.presets import Imported, Preset, located, missing_columns, no_header, register

REQUIRED = (
    "cust_number",
    "doc_id",
    "posting_date",
    "due_in_date",
    "total_open_amount",
    "clear_date",
    "invoice_currency",
)
#: columns kept beside the canonical ones, under their own names
EXTRAS = (
    "business_code",
    "buisness_year",
    "document_type",
    "cust_payment_terms",
    "baseline_create_date",
    "invoice_id",
    "isopen",
)


def cells(frame: pd.DataFrame, name: str) -> pd.Series:
    """A column's cells stripped, a float's ``.0`` dropped from whole numbers ("" when absent)."""
    if name not in frame:
        return pd.Series("", index=frame.index, dtype="str")
    text = frame[name].fillna("").astype("str").str.strip()
    return text.str.replace(r"^(\d+)\.0+$", r"\1", regex=True)


def read(grid: Grid) -> Imported:
    header = grid.find_row(("cust_number", "doc_id", "total_open_amount"))
    if header is None:
        return Imported({}, [no_header(SAP, grid)])
    frame, issues = grid.table(header)
    missing = missing_columns(SAP, frame)
    if missing:
        return Imported({}, issues + missing, header_line=header)
    ids, customer = cells(frame, "doc_id"), cells(frame, "cust_number")
    posting = cells(frame, "posting_date")
    posting = posting.where(posting != "", cells(frame, "document_create_date"))
    amount, cleared = cells(frame, "total_open_amount"), cells(frame, "clear_date")
    decimal = parse.decimal_of(amount[amount != ""]) or "."
    cents, _blank, bad = parse.parse_cents(amount.reset_index(drop=True), decimal)
    done = (cleared != "").to_numpy()
    offset = done & (cents < 0) & ~bad  # a cleared credit: nothing left of it
    columns: dict[str, object] = {
        "invoice_id": ids,
        "customer_id": customer,
        "invoice_date": posting,
        "due_date": cells(frame, "due_in_date"),
        "amount": amount,
        "currency": cells(frame, "invoice_currency"),
    }
    columns.update({name: cells(frame, name) for name in EXTRAS if name in frame})
    invoices = located(frame, columns)[~offset].reset_index(drop=True)
    invoices.attrs["label"] = frame.attrs.get("label", "")
    # a document on two rows (the data set repeats some rows) is reported by the ledger, which
    # keeps the first: only the first row's clearing is a payment, or it would be paid twice
    paid = done & ~offset & ~ids.duplicated().to_numpy()
    payments = located(
        frame,
        {
            "payment_id": "CLEAR-" + ids,
            "customer_id": customer,
            "payment_date": cleared,
            "amount": amount,
            "invoice_id": ids,
        },
    )[paid].reset_index(drop=True)
    payments.attrs["label"] = frame.attrs.get("label", "")
    tables = (
        {"invoices": invoices, "payments": payments} if len(payments) else {"invoices": invoices}
    )
    names = cells(frame, "name_customer")
    named = ((names != "") & (customer != "") & ~customer.duplicated()).to_numpy()
    if named.any():
        tables["customers"] = located(
            frame[named], {"customer_id": customer[named], "name": names[named]}
        )
    return Imported(tables, issues, decimal=decimal, header_line=header)


SAP = register(
    Preset(
        name="sap-open-items",
        title=N_("SAP open-items extract (payment date prediction data set)"),
        description=N_(
            "SAP-style open-items extract (cust_number, doc_id, due_in_date, total_open_amount, "
            "clear_date): cleared rows paid on clear_date, the rest open"
        ),
        read=read,
        required=REQUIRED,
    )
)
