"""Xero exports: the sales invoices export (``xero-invoices``) and the Aged Receivables Detail
report (``xero-aged``).

**Sales invoices export** (Business > Invoices > Export: ``ContactName, EmailAddress, ...,
InvoiceNumber, Reference, InvoiceDate, DueDate, ..., Total, TaxTotal, InvoiceAmountPaid,
InvoiceAmountDue, ..., LineAmount, ..., Currency, Type, Sent, Status``): one row per line item, the
invoice-level fields repeated on each, so rows are grouped into documents by InvoiceNumber (lines
of one invoice need not be next to each other) and the repeated fields are read once, never
summed; a line that repeats an invoice number with other invoice-level figures is reported
(``unread_row``). Then:

- ``Status``: Draft, Awaiting Approval (Submitted), Voided and Deleted documents are not
  receivables and are left out; Awaiting Payment and Paid are read. Another status, or a
  ``Type`` that is not a sales document, is an ``unread_row`` error.
- ``Sales invoice``: an invoice of its ``Total`` (the face amount, also ``face_amount``). What
  is no longer due (Total − InvoiceAmountDue: payments, and credits allocated to it) becomes one
  payment of that invoice. The export holds no payment dates, so that payment is dated the
  invoice's own date: the earliest it can have been paid, so that on every date from its issue
  the invoice owes what InvoiceAmountDue says (dating it later, e.g. on the file's latest date,
  would show paid invoices as owed before that date, and a future-dated invoice would push the
  payments past today). A ``made_up`` warning says so, and the ledger is open-items-only with
  the payment dates what it lacks: every figure that needs them is n/a.
- ``Sales credit note``: written positive in the file; a standalone credit (the export does not
  say which invoice it is for) of minus its InvoiceAmountDue: what is left of it (the part
  allocated is already off the invoice's InvoiceAmountDue).
- ``Sales overpayment`` / ``Sales prepayment``: money received, not a document: unapplied cash
  of its InvoiceAmountDue, dated its InvoiceDate, with a made-up id (contact, date, Total).
- Dates are DD/MM/YYYY unless the file's dates settle month first (a US organisation). Xero
  states no as-of date in this export: ``report_date`` is None.

**Aged Receivables Detail** (XLSX): title rows ("Aged Receivables Detail", the organisation,
"As at 30 June 2026" -> ``report_date``, "Ageing by due date"), the header, then per contact a
row with only the contact's name, its items, ``Total <contact>``; a final ``Total`` row (which
is the overdue part only). The contact is filled down; total rows are skipped. Each item's
``Total`` is its open balance; positive items are invoices, negative ones credits: a credit
note a negative invoice, an overpayment or prepayment (its reference says so) unapplied cash.
Items without an Invoice Number take their id from Invoice Reference ("CN-0107 Misprinted
menus") when no other item has it, else a made-up one (contact, date, amount). The original
amounts, the payments and their dates are not in the report.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core import parse
from arbook.core.dates import format_count
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import N_, _, ngettext
from arbook.core.presets import Imported, Preset, located, no_header, register
from arbook.core.presets.cells import (
    by_value,
    cents_text,
    iso_text,
    row_issue,
    stated_date,
    text,
    unique_ids,
)

INVOICES_REQUIRED = (
    "contactname",
    "invoicenumber",
    "invoicedate",
    "duedate",
    "total",
    "invoiceamountdue",
    "type",
    "status",
)
AGED_REQUIRED = ("invoice_date", "due_date", "invoice_number", "invoice_reference", "total")

#: statuses of documents that are receivables, and of those that are not (drafts, cancelled)
OPEN_STATUSES = frozenset({"awaiting payment", "paid", "authorised", "approved", "overdue"})
LEFT_OUT_STATUSES = frozenset(
    {"draft", "awaiting approval", "submitted", "voided", "void", "deleted"}
)
#: the Type column's values by what the document is
TYPES = {
    "sales invoice": "invoice",
    "invoice": "invoice",
    "accrec": "invoice",
    "sales credit note": "credit",
    "credit note": "credit",
    "accreccredit": "credit",
    "sales overpayment": "cash",
    "sales prepayment": "cash",
    "overpayment": "cash",
    "prepayment": "cash",
}
#: invoice-level fields, repeated on every line of a document
DOCUMENT_FIELDS = (
    "contactname",
    "invoicedate",
    "duedate",
    "total",
    "invoiceamountdue",
    "currency",
    "type",
    "status",
)

INVOICES_LACKS = N_("the dates payments were received")
AGED_LACKS = N_("the original amounts, nor payments and their dates")


def _lower(series: pd.Series) -> pd.Series:
    """Lower case, one space between words (each distinct value worked once)."""
    return by_value(series, lambda s: s.str.lower().str.replace(r"\s+", " ", regex=True))


def _cents_at(cents: np.ndarray, rows: pd.Series) -> pd.Series:
    """``cents`` of ``rows`` as plain text amounts, on those rows' index."""
    chosen = rows.to_numpy()
    return pd.Series(cents_text(cents[chosen]).to_numpy(), index=rows.index[chosen])


def _document_keys(frame: pd.DataFrame, kinds: pd.Series) -> pd.Series:
    """Which document each line belongs to: its type and InvoiceNumber; a line without a number
    (an overpayment) by its invoice-level fields."""
    number = text(frame, "invoicenumber")
    by_fields = kinds + "|" + text(frame, "contactname") + "|" + text(frame, "invoicedate")
    by_fields = by_fields + "|" + text(frame, "total") + "|" + text(frame, "reference")
    return (kinds + "|" + number).where(number != "", "-" + by_fields)


def _disagreeing(grid: Grid, frame: pd.DataFrame, keys: pd.Series, rows: pd.Series) -> pd.Series:
    """Of the ``rows`` read, the lines that repeat a document's key with other invoice-level
    fields than its first line (reported by :func:`_disagreement_issues`)."""
    bad = pd.Series(False, index=frame.index)
    for field in DOCUMENT_FIELDS:
        values = text(frame, field)[rows]
        first = values.groupby(keys[rows]).transform("first")
        bad[rows] |= values != first
    return bad


def _disagreement_issues(
    grid: Grid, frame: pd.DataFrame, keys: pd.Series, bad: pd.Series
) -> list[Issue]:
    issues = []
    first_line = frame["source_line"].groupby(keys).transform("first")
    for row in np.flatnonzero(bad.to_numpy()):
        number = text(frame, "invoicenumber").iloc[row]
        issues.append(
            row_issue(
                grid,
                int(frame["source_line"].iloc[row]),
                "invoicenumber",
                number,
                _(
                    "this line of {number} gives other invoice-level fields (contact, dates, "
                    "Total, InvoiceAmountDue, type or status) than its line {line}; the document "
                    "is read from that line and this line is left out"
                ).format(number=number, line=int(first_line.iloc[row])),
                _(
                    "Two documents may share the number: export the invoices again, or give one "
                    "of them another number in Xero."
                ),
            )
        )
    return issues


def _bad_amounts(grid: Grid, frame: pd.DataFrame, column: str, bad: np.ndarray) -> list[Issue]:
    cells = text(frame, column)
    return [
        Issue(
            IssueCode.BAD_AMOUNT,
            grid.label,
            int(frame["source_line"].iloc[row]),
            column,
            cells.iloc[row],
            _("{column} {value} is not an amount; the document is left out").format(
                column=column, value=repr(cells.iloc[row])
            ),
            _("Export the invoices again without editing the amounts."),
        )
        for row in np.flatnonzero(bad)
    ]


def read_invoices(grid: Grid) -> Imported:
    """The sales invoices export as raw invoices, payments and customers (see the module)."""
    header = grid.find_row(INVOICES_REQUIRED)
    if header is None:
        return Imported({}, [no_header(XERO_INVOICES, grid)], date_order="dmy")
    frame, issues = grid.table(header)
    frame = frame.reset_index(drop=True)
    status, kind_text = _lower(text(frame, "status")), _lower(text(frame, "type"))
    kinds = kind_text.map(TYPES).fillna("")
    left_out = status.isin(LEFT_OUT_STATUSES)
    unknown = ~left_out & (~status.isin(OPEN_STATUSES) | (kinds == ""))
    for row in np.flatnonzero(unknown.to_numpy()):
        issues.append(_unknown_document(grid, frame, int(row)))
    read = ~left_out & ~unknown
    keys = _document_keys(frame, kinds)
    disagree = _disagreeing(grid, frame, keys, read)
    issues += _disagreement_issues(grid, frame, keys, disagree)
    first = read & ~disagree & ~keys.where(read).duplicated(keep="first")
    total, _total_blank, total_bad = parse.parse_cents(text(frame, "total"))
    due, _due_blank, due_bad = parse.parse_cents(text(frame, "invoiceamountdue"))
    issues += _bad_amounts(grid, frame, "total", total_bad & first.to_numpy())
    issues += _bad_amounts(grid, frame, "invoiceamountdue", due_bad & first.to_numpy())
    docs = first & ~pd.Series(total_bad | due_bad)
    dates = pd.concat([text(frame, "invoicedate")[docs], text(frame, "duedate")[docs]])
    date_order = parse.infer_date_order(dates) or "dmy"
    tables, paid = _documents(frame, docs, kinds, np.abs(total), np.abs(due), date_order)
    if paid:
        issues.append(_made_up(grid, paid))
    customers = _contacts(frame, docs)
    if customers is not None:
        tables["customers"] = customers
    return Imported(
        tables,
        issues,
        date_order=date_order,
        open_items_only=True,
        lacks=_(INVOICES_LACKS),
        header_line=header,
    )


def _documents(
    frame: pd.DataFrame,
    docs: pd.Series,
    kinds: pd.Series,
    total: np.ndarray,
    due: np.ndarray,
    date_order: str,
) -> tuple[dict[str, pd.DataFrame], list[str]]:
    """Raw invoices (invoices and credit notes) and payments (what was paid on an invoice, and
    overpayments); and the invoices whose payment was made up from what is no longer due."""
    number, contact = text(frame, "invoicenumber"), text(frame, "contactname")
    dated = text(frame, "invoicedate")
    invoice, credit = docs & (kinds == "invoice"), docs & (kinds == "credit")
    rows = invoice | credit
    cash = docs & (kinds == "cash") & pd.Series(due > 0)
    unnamed = (rows & (number == "")) | cash
    made = pd.Series("", index=frame.index, dtype=object)
    when = iso_text(dated[unnamed], date_order)
    made[unnamed] = unique_ids(contact[unnamed] + " " + when + " " + _cents_at(total, unnamed))
    tables: dict[str, pd.DataFrame] = {}
    if rows.any():
        owed = np.where(credit, -due, np.maximum(total, due))
        face = np.where(credit, -total, total)
        tables["invoices"] = located(
            frame[rows],
            {
                "invoice_id": number.where(number != "", made)[rows],
                "customer_id": contact[rows],
                "invoice_date": dated[rows],
                "due_date": text(frame, "duedate")[rows],
                "amount": _cents_at(owed, rows),
                "applies_to": "",
                "currency": text(frame, "currency")[rows],
                "document_type": text(frame, "type")[rows],
                "status": text(frame, "status")[rows],
                "reference": text(frame, "reference")[rows],
                "face_amount": _cents_at(face, rows),
            },
        )
    settled = invoice & pd.Series(total > due)
    payments = _payments(frame, settled, cash, made, total, due)
    if payments is not None:
        tables["payments"] = payments
    return tables, number[settled].tolist()


def _payments(
    frame: pd.DataFrame,
    settled: pd.Series,
    cash: pd.Series,
    made: pd.Series,
    total: np.ndarray,
    due: np.ndarray,
) -> pd.DataFrame | None:
    """One payment of each ``settled`` invoice (what is no longer due, dated the invoice's
    date) and the unapplied cash of each overpayment or prepayment (``cash``, ids ``made``)."""
    number, contact = text(frame, "invoicenumber"), text(frame, "contactname")
    dated = text(frame, "invoicedate")
    payments = [
        located(
            frame[settled],
            {
                "payment_id": (number + " paid")[settled],
                "customer_id": contact[settled],
                "payment_date": dated[settled],
                "amount": _cents_at(total - due, settled),
                "invoice_id": number[settled],
                "document_type": "InvoiceAmountPaid",
            },
        ),
        located(
            frame[cash],
            {
                "payment_id": made[cash],
                "customer_id": contact[cash],
                "payment_date": dated[cash],
                "amount": _cents_at(due, cash),
                "invoice_id": "",
                "document_type": text(frame, "type")[cash],
            },
        ),
    ]
    if not (settled.any() or cash.any()):
        return None
    joined = pd.concat(payments, ignore_index=True).sort_values("source_line", kind="stable")
    joined = joined.reset_index(drop=True)
    joined.attrs["label"] = frame.attrs.get("label", "")
    return joined


def _contacts(frame: pd.DataFrame, docs: pd.Series) -> pd.DataFrame | None:
    """A customers table: each contact with the first e-mail address the export gives it."""
    if "emailaddress" not in frame or not docs.any():
        return None
    contact, email = text(frame, "contactname"), text(frame, "emailaddress")
    rows = frame[docs].assign(customer_id=contact[docs], email=email[docs])
    rows = rows.sort_values(["customer_id", "email"], key=lambda s: s == "", kind="stable")
    rows = rows.drop_duplicates("customer_id").sort_values("source_line")
    out = located(rows, {"customer_id": rows["customer_id"], "name": rows["customer_id"]})
    out.insert(2, "email", rows["email"].to_numpy())
    return out


def _unknown_document(grid: Grid, frame: pd.DataFrame, row: int) -> Issue:
    status, kind = text(frame, "status").iloc[row], text(frame, "type").iloc[row]
    number = text(frame, "invoicenumber").iloc[row]
    said = (
        _(
            "{number} is a {type} with status {status}, which a sales invoices export does not "
            "hold (sales invoices, credit notes, overpayments and prepayments; awaiting payment "
            "or paid); left out"
        )
        if number
        else _(
            "a document without a number is a {type} with status {status}, which a sales "
            "invoices export does not hold (sales invoices, credit notes, overpayments and "
            "prepayments; awaiting payment or paid); left out"
        )
    )
    return row_issue(
        grid,
        int(frame["source_line"].iloc[row]),
        "type" if _lower(pd.Series([kind])).iloc[0] not in TYPES else "status",
        f"{kind} / {status}",
        said.format(number=number, type=repr(kind), status=repr(status)),
        _("Export the sales invoices (not the bills) again, or add the document by hand."),
    )


def _made_up(grid: Grid, paid: list[str]) -> Issue:
    """The one warning for every payment made up from an invoice's paid part."""
    some = ", ".join(paid[:3])
    if len(paid) > 3:
        some = ngettext("{some} and {count} more", "{some} and {count} more", len(paid) - 3).format(
            some=some, count=format_count(len(paid) - 3)
        )
    said = ngettext(
        "{count} invoice ({some}) is paid in part or in full (Total − InvoiceAmountDue), but the "
        "export gives no payment dates: each is read as one payment dated its invoice's date, so "
        "every invoice owes what InvoiceAmountDue says from the day it was issued",
        "{count} invoices ({some}) are paid in part or in full (Total − InvoiceAmountDue), but "
        "the export gives no payment dates: each is read as one payment dated its invoice's "
        "date, so every invoice owes what InvoiceAmountDue says from the day it was issued",
        len(paid),
    )
    return Issue(
        IssueCode.MADE_UP,
        grid.label,
        None,
        "invoiceamountpaid",
        str(len(paid)),
        said.format(count=format_count(len(paid)), some=some),
        _(
            "For when customers paid, export the payments from Xero too (arbook's payments file) "
            "and read the invoices and payments together."
        ),
    )


# -- Aged Receivables Detail ----------------------------------------------------------------------


def read_aged(grid: Grid) -> Imported:
    """The Aged Receivables Detail report as raw invoices and payments (see the module)."""
    header = grid.find_row(AGED_REQUIRED)
    if header is None:
        return Imported({}, [no_header(XERO_AGED, grid)], date_order="dmy")
    frame, issues = grid.table(header)
    frame = frame.reset_index(drop=True)
    contact, item, stray = _aged_rows(frame)
    dated, due = text(frame, "invoice_date"), text(frame, "due_date")
    total_text = text(frame, "total")
    orphan = item & (contact == "")
    for row in np.flatnonzero((stray | orphan).to_numpy()):
        first = text(frame, _data_columns(frame)[0]).iloc[row]
        where = (first, total_text.iloc[row], bool(orphan.iloc[row]))
        issues.append(_stray(grid, frame, int(row), *where))
    order = parse.infer_date_order(pd.concat([dated[item], due[item]])) or "dmy"
    cents, blank, bad = parse.parse_cents(total_text)
    owed = item & ~orphan & ~pd.Series(blank | ((cents == 0) & ~bad))
    reference = text(frame, "invoice_reference")
    cash = owed & ~pd.Series(bad) & pd.Series(cents < 0)
    cash &= _lower(reference).str.match(r"^(over|pre)payment")
    amount = pd.Series(
        np.where(bad, total_text, cents_text(cents)), index=frame.index, dtype=object
    )
    made = contact + " " + iso_text(dated, order) + " " + amount.str.lstrip("-")
    return Imported(
        _aged_tables(frame, contact, owed & ~cash, cash, amount, made),
        issues,
        date_order=order,
        report_date=stated_date(grid, header, order),
        open_items_only=True,
        lacks=_(AGED_LACKS),
        header_line=header,
    )


def _aged_tables(
    frame: pd.DataFrame,
    contact: pd.Series,
    docs: pd.Series,
    cash: pd.Series,
    amount: pd.Series,
    made: pd.Series,
) -> dict[str, pd.DataFrame]:
    """The report's items: ``docs`` as invoices of their Total (negative: credits), ``cash`` as
    unapplied payments of the Total made positive; ``made`` the ids made up for them."""
    dated, due = text(frame, "invoice_date"), text(frame, "due_date")
    reference = text(frame, "invoice_reference")
    tables: dict[str, pd.DataFrame] = {}
    if docs.any():
        tables["invoices"] = located(
            frame[docs],
            {
                "invoice_id": _aged_ids(text(frame, "invoice_number"), reference, made, docs),
                "customer_id": contact[docs],
                "invoice_date": dated[docs],
                "due_date": due.where(due != "", dated)[docs],
                "amount": amount[docs],
                "applies_to": "",
                "reference": reference[docs],
                "outstanding_tax": text(frame, "outstanding_tax")[docs],
            },
        )
    if cash.any():
        tables["payments"] = located(
            frame[cash],
            {
                "payment_id": unique_ids(made[cash]),
                "customer_id": contact[cash],
                "payment_date": dated[cash],
                "amount": amount[cash].str.lstrip("-"),
                "invoice_id": "",
                "reference": reference[cash],
            },
        )
    return tables


def _data_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if c not in ("source_file", "source_line", "_extra_cells")]


def _aged_rows(frame: pd.DataFrame) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(contact, items, strays)``: each row's contact (filled down from the rows holding only
    a name in the first column); the item rows (with a date, not a contact row); and rows with
    a Total that are neither items nor ``Total <contact>`` / ``Total`` rows."""
    data = _data_columns(frame)
    first = text(frame, data[0])
    rest = frame[data[1:]].fillna("").astype("str").apply(lambda s: s.str.strip() != "")
    alone = (first != "") & ~rest.any(axis=1)
    contact = first.where(alone).ffill().fillna("")
    has_date = (text(frame, "invoice_date") != "") | (text(frame, "due_date") != "")
    totals = ~has_date & ((first == "Total") | (first == "Total " + contact))
    items = has_date & ~alone
    strays = ~items & ~alone & ~totals & (text(frame, "total") != "")
    return contact, items, strays


def _aged_ids(
    number: pd.Series, reference: pd.Series, made: pd.Series, docs: pd.Series
) -> pd.Series:
    """Invoice Number; without one, Invoice Reference when no other item has it; else the
    made-up id (contact, date, amount), repeats numbered."""
    ids = number.where(number != "", reference)[docs]
    unnamed = number[docs] == ""
    clash = unnamed & (ids != "") & ids.duplicated(keep=False)
    ids = ids.where(~unnamed | ((ids != "") & ~clash), made[docs])
    ids[unnamed] = unique_ids(ids[unnamed])
    return ids


def _stray(
    grid: Grid, frame: pd.DataFrame, row: int, first: str, total: str, orphan: bool
) -> Issue:
    line = int(frame["source_line"].iloc[row])
    if orphan:
        what = _("an item before any contact row: whose it is is not said; left out")
    elif first == "":
        what = _(
            "a row with a Total ({total}) but no dates is neither an item nor a total row; left out"
        )
    else:
        what = _("{first} has a Total ({total}) but is neither an item nor a total row; left out")
    return row_issue(
        grid,
        line,
        "total",
        total,
        what.format(first=repr(first), total=total),
        _(
            "Export the report again without editing it (each contact's name on its own row, "
            "then its items, then 'Total <contact>')."
        ),
    )


XERO_INVOICES = register(
    Preset(
        name="xero-invoices",
        title=N_("Xero sales invoices export"),
        description=N_("Xero sales invoices export (one row per line item; InvoiceAmountDue owed)"),
        read=read_invoices,
        required=INVOICES_REQUIRED,
        date_order="dmy",
        open_items_only=True,
    )
)
XERO_AGED = register(
    Preset(
        name="xero-aged",
        title=N_("Xero Aged Receivables Detail report"),
        description=N_("Xero Aged Receivables Detail (XLSX; contact rows, item Total owed)"),
        read=read_aged,
        required=AGED_REQUIRED,
        date_order="dmy",
        open_items_only=True,
    )
)
