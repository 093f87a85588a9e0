"""ERPNext (frappe/erpnext): the "Accounts Receivable" report export, and the Sales Invoice and
Payment Entry list exports, read under one preset, ``erpnext-ar``; each layout is told by its
header.

**The Accounts Receivable report** (``accounts_receivable.py``, ``get_columns``): one row per
voucher with an open balance, a final ``Total`` row (and, grouped by party, a subtotal row per
party and blank rows: none of them has a Voucher No, so they are skipped). ``Outstanding Amount``
is the open balance (``Invoiced Amount`` − ``Paid Amount`` − ``Credit Note``; the face value is
kept as ``face_amount``). A positive balance is an item owed (Sales Invoice, a Journal Entry
debit); a negative one on a Payment Entry or Journal Entry is unapplied cash (a payment row); a
negative one on a Sales Invoice is a standalone return or an overpaid invoice: a credit note. A
return raised against an invoice has no row of its own (ERPNext folds it into that invoice's
Credit Note column). An invoice split by payment terms comes as one row per term with the same
Voucher No: each gets the id ``<voucher>/<n>``. The range columns (0-30 ... 121-Above) are not
read: ERPNext's rule for amounts not yet due changed between versions. Dates are written in the
system's date format: the order is the one the dates settle, day first when they do not. The
report's date is not written, but every row's ``Age (Days)`` is counted to it from the due date
(or the posting date): the date all rows agree on is the report date.

**The list exports** (Data Export, or a report view's Export, by field names or labels) are a
history, not open items: the Sales Invoice list gives each invoice at its grand total (returns
negative, ``return_against`` -> ``applies_to``) and, as its paid part (total − outstanding − the
returns netted into it), a payment whose date the export lacks (a ``made_up`` warning says which
date); the Payment Entry list gives receipts from customers, one row per reference
(``allocated_amount`` to ``reference_name``) and the unallocated rest as unapplied cash. Drafts
and cancelled documents (docstatus 0 / 2, status Draft / Cancelled) are not receivables: left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeVar

import numpy as np
import pandas as pd

from arbook.core import parse
from arbook.core.dates import date_text, format_count
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import N_, _, ngettext
from arbook.core.money import format_cents
from arbook.core.presets import Imported, Preset, located, missing_columns, no_header, register
from arbook.core.presets.cells import Dates, cents_text, repeated, text
from arbook.core.schemas import normalise_name
from arbook.core.validate import Reading

#: the report's columns that recognise it (get_columns' labels, normalised)
REPORT = (
    "posting_date",
    "party",
    "voucher_type",
    "voucher_no",
    "due_date",
    "invoiced_amount",
    "outstanding_amount",
)
#: voucher types the report holds for receivables
VOUCHER_TYPES = ("Sales Invoice", "Payment Entry", "Journal Entry")
CASH_VOUCHERS = ("Payment Entry", "Journal Entry")

#: each canonical field of a list export, by the names its column can have (field name, label)
INVOICE_LIST = {
    "id": ("id", "name", "sales_invoice", "invoice"),
    "customer": ("customer",),
    "customer_name": ("customer_name",),
    "posting_date": ("posting_date", "date"),
    "due_date": ("due_date", "payment_due_date"),
    "grand_total": ("grand_total",),
    "rounded_total": ("rounded_total",),
    "outstanding": ("outstanding_amount",),
    "is_return": ("is_return", "is_return_(credit_note)"),
    "return_against": ("return_against",),
    "currency": ("currency",),
    "status": ("status",),
    "docstatus": ("docstatus", "document_status"),
}
PAYMENT_LIST = {
    "id": ("id", "name", "payment_entry"),
    "payment_type": ("payment_type",),
    "party_type": ("party_type",),
    "party": ("party",),
    "party_name": ("party_name",),
    "posting_date": ("posting_date", "date"),
    "paid_amount": ("paid_amount", "received_amount"),
    "unallocated": ("unallocated_amount",),
    "reference_name": ("reference_name", "name_("),  # "Name (Payment References)"
    "reference_doctype": ("reference_doctype", "reference_type", "type"),
    "allocated": ("allocated_amount", "allocated"),
    "status": ("status",),
    "docstatus": ("docstatus", "document_status"),
}
#: what a list export's header must hold to be recognised
INVOICE_LIST_NEEDS = ("id", "customer", "posting_date", "grand_total", "outstanding")
PAYMENT_LIST_NEEDS = ("id", "party", "posting_date", "paid_amount")

HINT_TYPE = N_(
    "The Accounts Receivable report holds Sales Invoice, Payment Entry and Journal Entry rows; "
    "check the row in ERPNext and add it to the invoices or payments by hand if it is owed."
)


def _column(names: list[str], choices: tuple[str, ...]) -> str | None:
    """The first of ``names`` that is one of ``choices``; failing that, one that starts with a
    choice followed by a qualifier, as a Data Export names a child table's columns
    (``reference_name_(payment_entry_reference)``, ``allocated_(payment_references)``); a
    choice ending in ``_(`` is only taken so qualified."""
    for choice in choices:
        if choice in names:
            return choice
    for choice in choices:
        for name in names:
            if name.startswith(choice if choice.endswith("_(") else choice + "_("):
                return name
    return None


def _layout_row(
    grid: Grid, fields: dict[str, tuple[str, ...]], needs: tuple[str, ...]
) -> int | None:
    """The line of the first row of ``grid`` naming every field in ``needs``."""
    for line, cells in grid.head:
        names = [normalise_name(c) for c in cells]
        if all(_column(names, fields[f]) is not None for f in needs):
            return line
    return None


def recognise(grid: Grid) -> bool:
    """The report's header, or a Sales Invoice or Payment Entry list export's."""
    return (
        grid.find_row(REPORT) is not None
        or _layout_row(grid, INVOICE_LIST, INVOICE_LIST_NEEDS) is not None
        or _payment_list_row(grid) is not None
    )


def _payment_list_row(grid: Grid) -> int | None:
    line = _layout_row(grid, PAYMENT_LIST, PAYMENT_LIST_NEEDS)
    if line is None:
        return None
    names = [normalise_name(c) for c in dict(grid.head)[line]]
    # a Payment Entry says what it pays (its references) or how much is unallocated
    keys = ("reference_name", "unallocated", "payment_type")
    return line if any(_column(names, PAYMENT_LIST[k]) for k in keys) else None


def read(grid: Grid) -> Imported:
    header = grid.find_row(REPORT)
    if header is not None:
        return _report(grid, header)
    header = _layout_row(grid, INVOICE_LIST, INVOICE_LIST_NEEDS)
    if header is not None:
        return _invoice_list(grid, header)
    header = _payment_list_row(grid)
    if header is not None:
        return _payment_list(grid, header)
    return Imported({}, [no_header(ERPNEXT, grid)], date_order="dmy")


def date_order(*columns: pd.Series) -> str:
    """The day/month order the date columns settle; day first when they do not (ERPNext's
    date format is a system setting, dd-mm-yyyy by default)."""
    for column in columns:  # the first that settles it (another order is then a bad date)
        order = parse.infer_date_order(column[column != ""])
        if order is not None:
            return order
    return "dmy"


def decimal_mark(*columns: pd.Series) -> str:
    """The decimal mark the amount columns settle, a point when they do not."""
    for column in columns:  # the first that settles it (another mark is then a bad amount)
        mark = parse.decimal_of(column[column != ""])
        if mark is not None:
            return mark
    return "."


def row_issue(
    frame: pd.DataFrame, mask: np.ndarray, column: str, what: pd.Series | str, hint: str
) -> list[Issue]:
    """One ``unread_row`` error per flagged row of ``frame``, located, quoting its ``column``
    cell and saying what the row is (``what``: one text for all, or one per flagged row)."""
    label = frame.attrs.get("label", "")
    rows = np.flatnonzero(mask)
    cells = text(frame, column).iloc[rows].to_numpy()
    lines = frame["source_line"].to_numpy()[rows]
    messages = [what] * len(rows) if isinstance(what, str) else what.to_numpy()
    return [
        Issue(IssueCode.UNREAD_ROW, label, int(line), column, value, message, hint)
        for line, value, message in zip(lines, cells, messages, strict=True)
    ]


def nonempty(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """The tables with rows (an export without, say, unapplied cash has no payments file: an
    empty one would be reported as such)."""
    return {name: frame for name, frame in tables.items() if name == "invoices" or len(frame)}


def customers_of(ids: pd.Series, names: pd.Series, frame: pd.DataFrame) -> pd.DataFrame | None:
    """A customers table of each id's first non-blank name; None when no name is given."""
    named = (names != "") & (ids != "")
    if not named.any():
        return None
    first = ~ids[named].duplicated()
    rows = frame[named][first.to_numpy()]
    return located(rows, {"customer_id": ids[named][first], "name": names[named][first]})


def lines_of(frame: pd.DataFrame, rows: np.ndarray) -> pd.DataFrame:
    """The file and line of the ``rows`` (a mask) of ``frame``, labelled as it is: what
    :func:`located` takes of them, without copying their other cells."""
    out = _of(frame[["source_file", "source_line"]], rows)
    out.attrs["label"] = frame.attrs.get("label", "")
    return out


Rows = TypeVar("Rows", pd.Series, pd.DataFrame)


def _of(data: Rows, rows: np.ndarray) -> Rows:
    """The ``rows`` (a mask) of ``data``: all of it as it is, its first rows as a slice (a
    report's items above its Total row), others copied."""
    count = int(rows.sum())
    if count == len(rows):
        return data
    if rows[:count].all():
        return data.iloc[:count]
    return data[rows]


def _left_out(
    frame: pd.DataFrame, kind: pd.Series, unknown: pd.Series, nameless: pd.Series
) -> list[Issue]:
    """An ``unread_row`` error for each row of a voucher type the report does not hold (or
    none), and for each row of a known type with no Voucher No."""
    flagged = unknown | nameless
    if not flagged.any():
        return []
    kinds, unnamed = kind[flagged].tolist(), nameless[flagged].tolist()
    other = _(
        "a row of Voucher Type '{type}', which the Accounts Receivable report does not hold; "
        "left out"
    )
    untyped = _("a row with a Voucher No but no Voucher Type; left out")
    no_number = _("a {type} row with no Voucher No; left out")
    what = pd.Series(
        [
            (no_number if bare else other if k else untyped).format(type=k)
            for k, bare in zip(kinds, unnamed, strict=True)
        ],
        dtype=object,
    )
    return row_issue(frame, flagged.to_numpy(), "voucher_type", what, _(HINT_TYPE))


def _report_date(dates: pd.Series, age: pd.Series) -> pd.Timestamp | None:
    """The date the report is as of: each row's aging date (``dates``, read: the due date, else
    the posting date) plus its Age (Days), when every row that has them agrees; None
    otherwise. The ages are read once per distinct value (a report's ages repeat)."""
    codes, distinct = pd.factorize(age, use_na_sentinel=False)
    numbers = pd.to_numeric(
        pd.Series(distinct, dtype=age.dtype).str.replace(",", "", regex=False), errors="coerce"
    )
    days = pd.Series(numbers.to_numpy()[codes])
    found = (dates + pd.to_timedelta(days.to_numpy(), unit="D")).dropna()
    found = found[(days.notna() & (days == days.round())).to_numpy()[found.index]]
    if found.empty or found.nunique() != 1:
        return None
    return pd.Timestamp(found.iloc[0])


def _either(
    chosen: np.ndarray, one: parse.ParsedDates, other: parse.ParsedDates
) -> parse.ParsedDates:
    """The reading of ``one`` on the ``chosen`` rows, of ``other`` elsewhere: the reading of
    the cells so put together (in a given day/month order each date reads on its own)."""
    if not chosen.any():
        return other
    return parse.ParsedDates(
        other.values.where(~chosen, one.values),
        *(np.where(chosen, a, b) for a, b in zip(one[1:], other[1:], strict=True)),
    )


def _report(grid: Grid, header: int) -> Imported:
    frame, issues = grid.table(header)
    missing = missing_columns(ERPNEXT, frame)
    if missing:
        return Imported({}, issues + missing, date_order="dmy", header_line=header)
    kind, voucher = text(frame, "voucher_type"), text(frame, "voucher_no")
    item = (kind != "") | (voucher != "")  # Total, party subtotals and blank rows have neither
    unknown = item & ~kind.isin(VOUCHER_TYPES)
    nameless = item & ~unknown & (voucher == "")
    issues += _left_out(frame, kind, unknown, nameless)
    taken = (item & ~unknown & ~nameless).to_numpy()
    rows = lines_of(frame, taken)  # each column below is taken of these rows only
    read: dict[str, pd.Series] = {}

    def cells(column: str) -> pd.Series:
        if column not in read:
            read[column] = _of(text(frame, column), taken)
        return read[column]

    posting, due = cells("posting_date"), cells("due_date")
    # the first column that settles the order settles it (another order in the other is then
    # a bad date); in that order each column is read once, and the readings handed on
    posting_cells, due_cells = Dates(posting), Dates(due)
    order = posting_cells.order() or due_cells.order() or "dmy"
    posted, due_read = posting_cells.read(order), due_cells.read(order)
    outstanding = cells("outstanding_amount")
    owed = parse.AmountCells(outstanding)
    decimal = owed.decimal() or parse.AmountCells(cells("invoiced_amount")).decimal() or "."
    cents, blank, bad = owed.read(decimal)
    kind = _of(kind, taken)
    cash = (cents < 0) & ~bad & kind.isin(CASH_VOUCHERS).to_numpy()
    ids = _unique_ids(_of(voucher, taken))
    party = cells("party")
    undated = (due == "").to_numpy()
    aged = _either(undated, posted, due_read)  # what each row is aged from (the report date)
    # a debit with no due date (a journal entry, a refund) is aged from its posting date, as
    # ERPNext ages it ("posting date as a fallback for advances")
    refill = undated & (kind != "Sales Invoice").to_numpy()
    if refill.any():
        due = due.where(~refill, posting)
    due_read = _either(refill, posted, due_read)
    owed_rows = ~cash

    def inv(series: pd.Series) -> pd.Series:
        return _of(series, owed_rows)

    columns: dict[str, object] = {
        "invoice_id": inv(ids),
        "customer_id": inv(party),
        "invoice_date": inv(posting),
        "due_date": inv(due),
        "amount": inv(outstanding),
        "currency": inv(cells("currency")),
        "face_amount": inv(cells("invoiced_amount")),
        "document_type": inv(kind),
    }
    if "customer_name" in frame:
        columns["customer_name"] = inv(cells("customer_name"))
    tables = {"invoices": located(_of(rows, owed_rows), columns)}
    all_owed = not cash.any()
    readings: dict[str, dict[str, Reading]] = {
        "invoices": {
            "invoice_date": posted if all_owed else posted.rows(owed_rows),
            "due_date": due_read if all_owed else due_read.rows(owed_rows),
            "amount": (cents[owed_rows], blank[owed_rows], bad[owed_rows]),
        }
    }
    paid = -cents[cash]
    tables["payments"] = located(
        rows[cash],
        {
            "payment_id": ids[cash],
            "customer_id": party[cash],
            "payment_date": posting[cash],
            "amount": cents_text(paid, decimal).to_numpy(),
            "invoice_id": "",
            "currency": cells("currency")[cash],
            "document_type": kind[cash],
        },
    )
    # the amounts written from cents read back as those cents
    none = np.zeros(len(paid), dtype=bool)
    readings["payments"] = {"payment_date": posted.rows(cash), "amount": (paid, none, none)}
    customers = None
    if "customer_name" in frame:  # Party is the id; a Customer Name column names it
        customers = customers_of(party, cells("customer_name"), rows)
    if customers is not None:
        tables["customers"] = customers
    return Imported(
        nonempty(tables),
        issues,
        date_order=order,
        decimal=decimal,
        report_date=_report_date(aged.values, cells("age_(days)")),
        open_items_only=True,
        lacks=_("the paid invoices, nor the payments and their dates (Paid Amount is a total)"),
        header_line=header,
        readings=readings,
    )


def _unique_ids(voucher: pd.Series) -> pd.Series:
    """Voucher numbers as ids; a voucher on several rows (one per payment term, or an extra row
    for an overpayment) numbered ``<voucher>/1``, ``<voucher>/2`` in file order."""
    twice = repeated(voucher)
    if not twice.any():
        return voucher
    number = voucher.groupby(voucher).cumcount() + 1
    return voucher.where(~twice, voucher + "/" + number.astype("str"))


def _submitted(
    frame: pd.DataFrame, names: list[str], fields: dict[str, tuple[str, ...]]
) -> np.ndarray:
    """Rows of submitted documents: not docstatus 0 or 2, not status Draft or Cancelled."""
    docstatus = text(frame, _column(names, fields["docstatus"]))
    status = text(frame, _column(names, fields["status"])).str.lower()
    out = ~docstatus.isin(["0", "2"]) & ~status.isin(["draft", "cancelled"])
    return out.to_numpy()


def _invoice_list(grid: Grid, header: int) -> Imported:
    frame, issues = grid.table(header)
    names = list(frame.columns)
    col = {field: _column(names, choices) for field, choices in INVOICE_LIST.items()}
    ids = text(frame, col["id"])
    rows = frame[((ids != "") & _submitted(frame, names, INVOICE_LIST)).to_numpy()]
    total = text(rows, col["rounded_total"])
    total = total.where(
        ~total.isin(["", "0", "0.0", "0.00", "0,00"]), text(rows, col["grand_total"])
    )
    outstanding = text(rows, col["outstanding"])
    decimal = decimal_mark(total, outstanding)
    flag = text(rows, col["is_return"]).str.lower().isin(["1", "yes", "true"]).to_numpy()
    settled = _settle(
        text(rows, col["id"]), total, outstanding, flag, text(rows, col["return_against"]), decimal
    )
    rows = rows[settled.keep]
    ids, customer = text(rows, col["id"]), text(rows, col["customer"])
    posting, due = text(rows, col["posting_date"]), text(rows, col["due_date"])
    columns: dict[str, object] = {
        "invoice_id": ids,
        "customer_id": customer,
        "invoice_date": posting,
        "due_date": due,
        "amount": settled.amount[settled.keep],
        "applies_to": settled.applies_to[settled.keep],
        "currency": text(rows, col["currency"]),
        "face_amount": total[settled.keep],
        "outstanding_amount": outstanding[settled.keep],
    }
    tables = {"invoices": located(rows, columns)}
    paid = settled.paid[settled.keep]
    made = (paid > 0) & ~ids.duplicated().to_numpy()  # an id twice: the ledger keeps the first
    last = parse.parse_dates(posting.reset_index(drop=True), date_order(posting, due)).values.max()
    day = "" if pd.isna(last) else f"{last:%Y-%m-%d}"
    tables["payments"] = located(
        rows[made],
        {
            "payment_id": "PAID-" + ids[made],
            "customer_id": customer[made],
            "payment_date": day,
            "amount": cents_text(paid[made], decimal).to_numpy(),
            "invoice_id": ids[made],
        },
    )
    if made.any():
        label = frame.attrs.get("label", "")
        issues.append(_made_up(label, int(made.sum()), int(paid[made].sum()), day))
    customers = customers_of(customer, text(rows, col["customer_name"]), rows)
    if customers is not None:
        tables["customers"] = customers
    order = date_order(posting, due)
    return Imported(nonempty(tables), issues, order, decimal, header_line=header)


@dataclass(frozen=True)
class Settled:
    """How each row of a Sales Invoice list reads (arrays aligned with its rows): ``keep`` it,
    its ``amount`` as text, the invoice a return ``applies_to``, and the ``paid`` part (cents)."""

    keep: np.ndarray
    amount: np.ndarray
    applies_to: np.ndarray
    paid: np.ndarray


def _settle(
    ids: pd.Series,
    total: pd.Series,
    outstanding: pd.Series,
    is_return: np.ndarray,
    against: pd.Series,
    decimal: str,
) -> Settled:
    """ERPNext's bookkeeping of a list of invoices, undone: a return whose own outstanding is 0
    and that names an invoice of the list went into that invoice's outstanding (it applies to
    it); any other return is a standalone credit of what it still credits (its outstanding;
    none left: refunded, not an item). An invoice's paid part is its total − its outstanding −
    the returns netted into it; where that is negative (the outstanding is more than the rest)
    the invoice is taken at its outstanding plus those returns, so its balance is the file's."""
    total_c, _blank_t, bad_t = parse.parse_cents(total.reset_index(drop=True), decimal)
    open_c, _blank_o, bad_o = parse.parse_cents(outstanding.reset_index(drop=True), decimal)
    target = against.to_numpy()
    read = ~bad_t & ~bad_o
    netted = is_return & (target != "") & (open_c == 0) & read & np.isin(target, ids.to_numpy())
    credit = pd.Series(np.where(netted, -total_c, 0)).groupby(target).sum()
    credited = ids.map(credit).fillna(0).to_numpy(dtype=np.int64)
    paid = np.where(is_return | ~read, 0, total_c - open_c - credited)
    amount = total.to_numpy().copy()
    alone = is_return & ~netted & read
    amount[alone] = outstanding.to_numpy()[alone]
    over = paid < 0
    amount[over] = cents_text(open_c[over] + credited[over], decimal).to_numpy()
    keep = ~(alone & (open_c == 0))
    return Settled(keep, amount, np.where(netted, target, ""), np.where(over, 0, paid))


def _made_up(label: str, count: int, cents: int, day: str) -> Issue:
    said = ngettext(
        "{count} invoices are partly or fully paid ({amount} in all: total − outstanding − "
        "returns), but the export does not say when: those payments are dated {date} (the latest "
        "posting date), so figures before it count them unpaid",
        "{count} invoices are partly or fully paid ({amount} in all: total − outstanding − "
        "returns), but the export does not say when: those payments are dated {date} (the latest "
        "posting date), so figures before it count them unpaid",
        count,
    )
    return Issue(
        IssueCode.MADE_UP,
        label,
        None,
        "payment_date",
        day,
        said.format(
            count=format_count(count),
            amount=format_cents(cents),
            date=date_text(day) if day else _("nowhere"),
        ),
        _(
            "For payment dates, also read the Payment Entry list export (name, party, "
            "posting_date, paid_amount and its references)."
        ),
    )


def _payment_list(grid: Grid, header: int) -> Imported:
    frame, issues = grid.table(header)
    names = list(frame.columns)
    col = {field: _column(names, choices) for field, choices in PAYMENT_LIST.items()}
    parent = (text(frame, col["id"]) != "").to_numpy()

    def down(field: str) -> pd.Series:
        """An entry's cell on each of its lines: a Data Export writes the entry on its first
        line and each further reference on a line of its own, the entry's cells blank."""
        return text(frame, col[field]).where(parent).ffill().fillna("")

    submitted = pd.Series(_submitted(frame, names, PAYMENT_LIST), index=frame.index)
    keep = submitted.where(parent).ffill().fillna(False).astype(bool)
    kind, party_type = down("payment_type"), down("party_type")
    customer = party_type.isin(["", "Customer"])
    refund = (keep & customer & (kind == "Pay")).to_numpy() & parent
    what = _(
        "a payment paid out to a customer (a refund), which arbook's payments cannot hold; left out"
    )
    hint = _("Record the refund as an invoice (a debit) to the customer if it is owed back.")
    issues += row_issue(frame, refund, col["payment_type"] or "payment_type", what, hint)
    taken = (keep & customer & kind.isin(["", "Receive"]) & (down("id") != "")).to_numpy()
    entry = {field: down(field)[taken] for field in ("id", "party", "posting_date")}
    payments, decimal = _receipts(frame[taken], col, parent[taken], entry)
    tables = {"payments": payments}
    customers = customers_of(down("party")[taken], down("party_name")[taken], frame[taken])
    if customers is not None:
        tables["customers"] = customers
    order = date_order(down("posting_date")[taken])
    return Imported(tables, issues, order, decimal, header_line=header)


def _receipts(
    rows: pd.DataFrame,
    col: dict[str, str | None],
    first: np.ndarray,
    entry: dict[str, pd.Series],
) -> tuple[pd.DataFrame, str]:
    """Payment rows of the receipts' lines: one per reference to a Sales Invoice (its
    allocated amount), and the unallocated rest of each receipt (Unallocated Amount, else Paid
    Amount − what its references allocate) as unapplied cash; and the decimal mark."""
    ids, party, posting = entry["id"], entry["party"], entry["posting_date"]
    reference, allocated = text(rows, col["reference_name"]), text(rows, col["allocated"])
    doctype = text(rows, col["reference_doctype"])
    decimal = decimal_mark(text(rows, col["paid_amount"]), allocated)

    def cents(name: str | None) -> np.ndarray:
        return parse.parse_cents(text(rows, name).reset_index(drop=True), decimal)[0]

    applied = (reference != "") & (allocated != "") & doctype.isin(["", "Sales Invoice"])
    spent = pd.Series(np.where(applied, cents(col["allocated"]), 0)).groupby(ids.to_numpy()).sum()
    rest = cents(col["paid_amount"]) - ids.map(spent).fillna(0).to_numpy(dtype=np.int64)
    if col["unallocated"] is not None:
        rest = cents(col["unallocated"])
    rest = np.where(first, rest, 0)
    a, u = applied.to_numpy(), rest > 0
    pieces = [
        located(rows[a], {"payment_id": ids[a], "customer_id": party[a],
                          "payment_date": posting[a], "amount": allocated[a],
                          "invoice_id": reference[a]}),
        located(rows[u], {"payment_id": ids[u], "customer_id": party[u],
                          "payment_date": posting[u],
                          "amount": cents_text(rest[u], decimal).to_numpy(), "invoice_id": ""}),
    ]  # fmt: skip
    out = pd.concat(pieces, ignore_index=True).sort_values("source_line", kind="stable")
    out = out.reset_index(drop=True)
    out.attrs["label"] = rows.attrs.get("label", "")
    return out, decimal


ERPNEXT = register(
    Preset(
        name="erpnext-ar",
        title=N_(
            "ERPNext export (Accounts Receivable report, Sales Invoice or Payment Entry list)"
        ),
        description=N_(
            "ERPNext Accounts Receivable report (Outstanding Amount, Total row dropped); also "
            "the Sales Invoice and Payment Entry list exports"
        ),
        read=read,
        required=REPORT,
        date_order="dmy",
        open_items_only=True,
        recognise=recognise,
    )
)
