"""QuickBooks "A/R Aging Detail" reports: Online (``qbo-aging``) and Desktop (``qbd-aging``).

Both are reports, not tables: a title block (Online; Desktop when its header is printed), a
header row, section rows in the first column (``Current``, ``1 - 30 days past due`` ... or
``1 - 30``, ``> 90``; or customers, when the report is grouped so), the items, ``Total for …`` /
``Total …`` rows, ``TOTAL`` and a footer. Desktop puts an empty spacer column between every two
columns. Whatever the sections are, in whatever order or case, only the item rows are read: a
row is an item when its transaction type cell is filled; a row with no type is structure (a
label in the first column, a total, a footer) unless it names a document number or a customer:
then it is reported (``unread_row``), never guessed.

What an item becomes (the report lists open items only: SPEC §3, open-items-only):

- ``Open balance`` is what is owed (an empty cell is 0: not open); ``Amount`` (Online) is the
  face value, kept as ``face_amount``.
- Charges (``Invoice``, ``Statement Charge``, ``Finance Charge``, ``Journal Entry`` /
  ``General Journal``, ``Check`` / ``Expense`` / ``Refund`` (money paid back to the customer),
  ``Deposit``) are invoices of their signed open balance: a negative journal entry is a standalone
  credit (SPEC §2 rule 3). ``Credit Memo`` / ``Credit Note`` is a standalone negative invoice (the
  report does not say which invoice it is for). ``Payment`` is unapplied cash: a payment row with
  no invoice, of the open balance made positive. A type the report does not hold (``Bill``, a
  typing slip...) or a payment with a positive open balance is an ``unread_row`` error on its line.
- Ids: ``Num``. A row without one gets a made-up id, stable from run to run: type (invoices
  only), customer, date and amount (``Payment Pima County Library District 05/28/2026 1250.00``),
  with ``#2``... when two rows would share it. A Num that two different types use (a journal
  entry numbered like an invoice) is prefixed by its type for the non-invoice rows.
- Sub-customers ``Parent:Job``: the full name stays the customer (a job is billed, and chased,
  as itself); the top-level parent is kept in the invoices' ``parent_customer`` column, so a
  roll-up to the parent is one group-by away. QuickBooks does not allow ":" in a name, so the
  split is unambiguous.
- ``Terms`` (Desktop; Online when the column is added): "Net 30" -> 30, "Due on receipt" -> 0,
  "2% 10 Net 30" -> 30 (the discount is not a due date) on each invoice as ``terms_days``; a
  customer's terms are those of its latest invoice with readable terms (a customers table). The
  due date is the file's own; an item with none (a journal entry) is due on its date, as
  QuickBooks ages it.
- Dates are MM/DD/YYYY unless the file's dates settle day first (a UK or Australian company
  file); XLSX exports of the same report read the same (workbook dates come as ISO).
- The date the report is as of: "As of June 30, 2026" in the title rows; without a title (a
  Desktop CSV), the date every aged row agrees on (its due date plus its ``Aging`` / ``Past
  due`` days), when they all agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from arbook.core import parse
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import N_, _
from arbook.core.parse import Int64Array, Mask
from arbook.core.presets import Imported, Preset, located, no_header, register
from arbook.core.presets.cells import (
    by_value,
    cents_text,
    row_issue,
    stated_date,
    text,
    unique_ids,
)
from arbook.core.validate import Reading

#: what an aging report lacks, in words (the ledger's open_items_only warning names it)
QB_LACKS = N_("the paid invoices, nor when the open ones were part-paid")

#: transaction types by what they are to the receivable (names compared lower case, one space)
CHARGES = frozenset(
    {
        "invoice",
        "statement charge",
        "stmt charge",
        "finance charge",
        "finance chrg",
        "journal entry",
        "general journal",
        "check",
        "cheque",
        "expense",
        "refund",
        "refund receipt",
        "deposit",
    }
)
CREDITS = frozenset({"credit memo", "credit note"})
CASH = frozenset({"payment", "receive payment", "customer payment"})

#: header names of a customer's name in the Online report, newest spelling first
QBO_CUSTOMER = ("customer_full_name", "customer", "customer_name", "customer_display_name")


@dataclass(frozen=True)
class Layout:
    """Where one report's cells are: normalised header names of each field."""

    type: str
    customer: str
    open_balance: str
    face: str | None = None
    terms: str | None = None
    aging: str | None = None
    extras: tuple[tuple[str, str], ...] = ()


QBO_LAYOUT = Layout(
    "transaction_type",
    "customer_full_name",
    "open_balance",
    face="amount",
    terms="terms",
    aging="past_due",
    extras=(("location_full_name", "location"), ("memo/description", "memo"), ("currency", "")),
)
QBD_LAYOUT = Layout(
    "type",
    "name",
    "open_balance",
    face="amount",
    terms="terms",
    aging="aging",
    extras=(("p._o._#", "po_number"), ("class", "class"), ("memo", "memo"), ("currency", "")),
)

QBO_REQUIRED = ("date", "transaction_type", "num", "due_date", "open_balance")
QBD_CORE = ("type", "date", "num", "name", "due_date", "open_balance")
QBD_REQUIRED = QBD_CORE + ("terms", "aging")


# -- reading an aging report ----------------------------------------------------------------------


def _label_columns(frame: pd.DataFrame) -> list[str]:
    """The unnamed columns left of the first named one: where section and total labels sit."""
    labels = []
    for name in frame.columns:
        if name == "source_file":
            continue
        if not re.fullmatch(r"column_\d+", name):
            break
        labels.append(name)
    return labels


def _kinds(types: pd.Series) -> pd.Series:
    """Each transaction type as "charge", "credit", "cash" or "" (unknown)."""
    return by_value(types, _kinds_of)


def _kinds_of(types: pd.Series) -> pd.Series:
    key = types.str.lower().str.replace(r"\s+", " ", regex=True)
    kind = pd.Series("", index=types.index, dtype=object)
    kind[key.isin(CHARGES)] = "charge"
    kind[key.isin(CREDITS)] = "credit"
    kind[key.isin(CASH)] = "cash"
    return kind


def terms_days(terms: pd.Series) -> pd.Series:
    """Terms text as days: "Net 30" -> "30", "Due on receipt" -> "0", "2% 10 Net 30" -> "30",
    "30 days" -> "30"; "" when the text names no number of days (e.g. "Net EOM")."""
    return by_value(terms, _terms_days)


def _terms_days(terms: pd.Series) -> pd.Series:
    lower = terms.str.lower()
    net = lower.str.extract(r"net\s*(\d{1,4})", expand=False)
    days = lower.str.extract(r"^\s*(\d{1,4})\s*days?\b", expand=False)
    receipt = lower.str.contains(r"receipt|\bcod\b|cash on delivery|immediate", regex=True)
    found = net.fillna(days)
    found = found.where(~(receipt & found.isna()), "0")
    return found.fillna("").astype("str")


def _customers(invoices: pd.DataFrame, dated: Reading) -> pd.DataFrame | None:
    """Each customer's terms: those of its latest invoice with readable terms; None if none.
    ``dated``: the invoices' dates, read."""
    with_terms = (invoices["terms_days"] != "").to_numpy()
    known = invoices[with_terms]
    if known.empty:
        return None
    assert isinstance(dated, parse.ParsedDates)
    when = dated.values[with_terms].reset_index(drop=True)
    readable = np.flatnonzero(when.notna().to_numpy())  # an unreadable one is reported elsewhere
    order = readable[np.argsort(when.to_numpy()[readable], kind="stable")]
    latest = known.iloc[order].drop_duplicates("customer_id", keep="last")
    if latest.empty:
        return None
    out = latest[["customer_id", "terms_days", "source_file", "source_line"]].copy()
    out.insert(1, "name", out["customer_id"])
    out = out.sort_values("source_line").reset_index(drop=True)
    out.attrs["label"] = invoices.attrs.get("label", "")
    return out


def _derived_date(
    due: pd.Series, dated: pd.Series, aging: pd.Series, date_order: str
) -> pd.Timestamp | None:
    """The as-of date every row with a number of days past due agrees on (due + days, or date +
    days when the report ages from the transaction date); None when they do not all agree."""
    days = pd.to_numeric(aging.str.replace(",", ""), errors="coerce")
    aged = days.notna() & (days > 0)
    if not aged.any():
        return None
    offset = pd.to_timedelta(days[aged], unit="D")
    for base in (due, dated):
        when = parse.parse_dates(base[aged].reset_index(drop=True), date_order).values
        ends = (when + offset.reset_index(drop=True)).dropna().unique()
        if len(ends) == 1 and when.notna().all():
            return pd.Timestamp(ends[0])
    return None


def _ids(num: pd.Series, parts: Callable[[Mask], list[pd.Series]], types: pd.Series) -> pd.Series:
    """Num; where it is blank, a made-up id of the text ``parts`` gives for those rows, repeats
    numbered " #2"...; a Num two types share is prefixed by its type on the rows that are not
    invoices."""
    blank = num == ""
    ids = num.copy()
    if blank.any():
        pieces = [p.set_axis(num.index[blank]) for p in parts(blank.to_numpy())]
        made = pieces[0]
        for piece in pieces[1:]:
            made = made + " " + piece
        ids[blank] = made.str.strip()
    # a Num shared by two types is one some row that is not an invoice has: only those rows
    # are looked at (none, in a report of invoices only)
    other_type = (types.str.lower() != "invoice") & ~blank
    shared = pd.Series(False, index=ids.index)
    if other_type.any():
        maybe = ids.isin(ids[other_type].unique()) & ~blank
        shared[maybe] = ids[maybe].duplicated(keep=False)
    if shared.any():
        distinct = types[shared].groupby(ids[shared]).transform("nunique") > 1
        other = pd.Series(False, index=ids.index)
        other[shared] = distinct & (types[shared].str.lower() != "invoice")
        ids = ids.where(~other, types + " " + num)
    ids[blank] = unique_ids(ids[blank])
    return ids


@dataclass(frozen=True)
class _Report:
    """A report's rows below its header: the cells that matter as text, the open balance read
    as cents (``bad`` where it does not read), and each row's kind."""

    frame: pd.DataFrame
    label: pd.Series
    type: pd.Series
    kind: pd.Series
    num: pd.Series
    customer: pd.Series
    dated: pd.Series
    due: pd.Series
    open: pd.Series
    cents: np.ndarray
    blank: np.ndarray
    bad: np.ndarray

    def amounts(self, rows: pd.Series, sign: pd.Series) -> tuple[Int64Array, Mask, Mask]:
        """The open balance of ``rows`` times ``sign`` (1 or -1 per row), read: ``(cents,
        blank, bad)`` (:data:`~arbook.core.validate.Reading`)."""
        chosen = rows.to_numpy()
        cents = sign.to_numpy()[chosen] * self.cents[chosen]
        return cents, self.blank[chosen], self.bad[chosen]

    def id_parts(
        self, rows: pd.Series, read: parse.ParsedDates, cents: Int64Array, *, with_type: bool
    ) -> Callable[[Mask], list[pd.Series]]:
        """What a made-up id of some of ``rows`` is made of (their type, when ``with_type``;
        customer, date as ISO text, amount without its sign), for :func:`_ids`."""

        def parts(chosen: Mask) -> list[pd.Series]:
            where = rows.index[rows.to_numpy()][chosen]
            dated = self.dated[where].to_numpy()
            iso = read.values[chosen].dt.strftime("%Y-%m-%d").to_numpy()
            unread = read.bad[chosen] | read.blank[chosen]
            amount = cents_text(np.abs(cents[chosen])).to_numpy()
            unreadable = self.bad[rows.to_numpy()][chosen]
            found = [
                self.customer[where].to_numpy(),
                np.where(unread, dated, iso),
                np.where(unreadable, self.open[where].str.lstrip("-").to_numpy(), amount),
            ]
            if with_type:
                found.insert(0, self.type[where].to_numpy())
            return [pd.Series(part, dtype=object) for part in found]

        return parts


def _report(frame: pd.DataFrame, layout: Layout, labels: list[str]) -> _Report:
    label = pd.Series("", index=frame.index, dtype="str")
    for name in labels:
        label = label.where(label != "", text(frame, name))
    open_text = text(frame, layout.open_balance)
    cents, blank, bad = parse.parse_cents(open_text, ".")
    kind_of = text(frame, layout.type)
    return _Report(
        frame,
        label,
        kind_of,
        _kinds(kind_of),
        text(frame, "num"),
        text(frame, layout.customer),
        text(frame, "date"),
        text(frame, "due_date"),
        open_text,
        cents,
        blank,
        bad,
    )


def _classify(report: _Report, layout: Layout) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``(items, strays, refused)``: the item rows; rows that are neither items nor structure
    (no type, no label, yet a number or a customer); items of an unknown type or payments with
    a positive open balance."""
    repeated = report.type.str.lower() == layout.type.replace("_", " ")
    items = (report.type != "") & ~repeated
    named = (report.num != "") | (report.customer != "")
    strays = ~items & ~repeated & (report.label == "") & named
    owed_cash = (report.kind == "cash") & ~report.bad & (report.cents > 0)
    refused = items & ((report.kind == "") | owed_cash)
    return items, strays, refused


def read_aging(grid: Grid, preset: Preset, layout: Layout, header: int | None) -> Imported:
    """An A/R Aging Detail report as raw invoices, payments and customers (see the module)."""
    if header is None:
        return Imported({}, [no_header(preset, grid)], date_order=preset.date_order)
    frame, issues = grid.table(header)
    labels = _label_columns(frame)
    issues = [i for i in issues if not (i.code == IssueCode.UNNAMED_COLUMN and i.column in labels)]
    report = _report(frame.reset_index(drop=True), layout, labels)
    items, strays, refused = _classify(report, layout)
    for row in np.flatnonzero((strays | refused).to_numpy()):
        issues.append(_unread(grid, report, int(row), layout, bool(strays.iloc[row])))
    # the first column that settles the order settles it (a second order in another column is
    # then a bad date, reported); the dates read so are handed to the validation
    dated_cells = parse.DateCells(report.dated[items])
    due_cells = parse.DateCells(report.due[items])
    date_order = dated_cells.order() or due_cells.order() or preset.date_order
    dates = _Dates(items, dated_cells.read(date_order), due_cells.read(date_order))
    report_date = stated_date(grid, header, date_order)
    if report_date is None and layout.aging in report.frame:
        aging = text(report.frame, layout.aging)[items]
        report_date = _derived_date(report.due[items], report.dated[items], aging, date_order)
    zero = report.blank | ((report.cents == 0) & ~report.bad)
    opened = items & ~refused & ~zero
    tables: dict[str, pd.DataFrame] = {}
    readings: dict[str, dict[str, Reading]] = {}
    docs = opened & (report.kind != "cash")
    if docs.any():
        tables["invoices"], readings["invoices"] = _invoices(report, docs, layout, dates)
        customers = _customers(tables["invoices"], readings["invoices"]["invoice_date"])
        if customers is not None:
            tables["customers"] = customers
    cash = opened & (report.kind == "cash")
    if cash.any():
        tables["payments"], readings["payments"] = _payments(report, cash, dates)
    return Imported(
        tables,
        issues,
        date_order=date_order,
        report_date=report_date,
        open_items_only=True,
        lacks=_(QB_LACKS),
        header_line=header,
        readings=readings,
    )


@dataclass(frozen=True)
class _Dates:
    """The item rows' dates and due dates, read in the report's order."""

    items: pd.Series
    dated: parse.ParsedDates
    due: parse.ParsedDates

    def of(self, rows: pd.Series) -> tuple[parse.ParsedDates, parse.ParsedDates]:
        """The readings of ``rows`` (some of the items)."""
        chosen = rows.to_numpy()[self.items.to_numpy()]
        return self.dated.rows(chosen), self.due.rows(chosen)


def _payments(
    report: _Report, cash: pd.Series, dates: _Dates
) -> tuple[pd.DataFrame, dict[str, Reading]]:
    """Payment rows (``cash``) as unapplied payments of the open balance made positive."""
    paid = report.amounts(cash, pd.Series(-1, index=cash.index))
    who, dated = report.customer[cash], report.dated[cash]
    dated_read, _due = dates.of(cash)
    parts = report.id_parts(cash, dated_read, paid[0], with_type=False)
    ids = _ids(report.num[cash], parts, report.type[cash])
    table = located(
        report.frame,
        {
            "payment_id": ids,
            "customer_id": who,
            "payment_date": dated,
            "amount": report.open[cash],
            "invoice_id": "",
            "document_type": report.type[cash],
        },
        cash,
    )
    return table, {"payment_date": dated_read, "amount": paid}


def _invoices(
    report: _Report, docs: pd.Series, layout: Layout, dates: _Dates
) -> tuple[pd.DataFrame, dict[str, Reading]]:
    """Charge and credit rows (``docs``) as raw invoices of their open balance (a credit memo
    written positive made negative), with the report's other columns beside them; and the
    readings of their dates and amounts."""
    frame = report.frame
    positive_credit = (report.kind == "credit") & ~report.bad & (report.cents > 0)
    amount = report.amounts(docs, pd.Series(np.where(positive_credit, -1, 1)))
    kind_of, customer, dated = report.type[docs], report.customer[docs], report.dated[docs]
    dated_read, due_read = dates.of(docs)
    due = report.due[docs]
    undue = due_read.blank  # no due date: due on the invoice's date
    if undue.any():
        due_read = parse.ParsedDates(
            due_read.values.where(~undue, dated_read.values),
            *(np.where(undue, d, u) for u, d in zip(due_read[1:], dated_read[1:])),
        )
    columns: dict[str, object] = {
        "invoice_id": _ids(
            report.num[docs], report.id_parts(docs, dated_read, amount[0], with_type=True), kind_of
        ),
        "customer_id": customer,
        "invoice_date": dated,
        "due_date": due.where(due != "", dated),
        "amount": report.open[docs],
        "applies_to": "",
        "document_type": kind_of,
        "parent_customer": _parents(customer),
    }
    if layout.face is not None and layout.face in frame:
        columns["face_amount"] = text(frame, layout.face)[docs]
    terms = text(frame, layout.terms)[docs]
    columns["terms"], columns["terms_days"] = terms, terms_days(terms)
    if layout.aging is not None and layout.aging in frame:
        columns["days_past_due"] = text(frame, layout.aging)[docs]
    for source, name in layout.extras:
        if source in frame:
            columns[name or source] = text(frame, source)[docs]
    readings: dict[str, Reading] = {
        "invoice_date": dated_read,
        "due_date": due_read,
        "amount": amount,
    }
    return located(frame, columns, docs), readings


def _parents(names: pd.Series) -> pd.Series | str:
    """The top-level customer of a sub-customer ``Parent:Job`` ("" for a top-level one; "" for
    all when there is no sub-customer)."""
    sub = names.str.contains(":", regex=False)
    if not sub.any():
        return ""
    parent: pd.Series = names.str.split(":", n=1).str[0].where(sub, "")
    return parent


def _unread(grid: Grid, report: _Report, row: int, layout: Layout, stray: bool) -> Issue:
    line = int(report.frame["source_line"].iloc[row])
    balance = report.open.iloc[row] or _("empty")
    kind = report.type.iloc[row]
    if stray:
        return row_issue(
            grid,
            line,
            layout.type,
            "",
            _(
                "a row with no transaction type and no section label (open balance {balance}) "
                "is neither an item nor a total of the report; left out"
            ).format(balance=balance),
            _("Export the report again without editing it, or fill in the row's type."),
        )
    if report.kind.iloc[row] == "cash":
        return row_issue(
            grid,
            line,
            layout.type,
            kind,
            _(
                "a {type} with a positive open balance ({balance}) is not cash held for the "
                "customer; left out"
            ).format(type=kind, balance=balance),
            _(
                "Check the payment in QuickBooks (a bounced or refunded payment is recorded as "
                "its own transaction) and export the report again."
            ),
        )
    return row_issue(
        grid,
        line,
        layout.type,
        kind,
        _(
            "transaction type {type} is not one an A/R aging report holds (invoices, payments, "
            "credit memos, statement charges, journal entries, refunds); the row (open balance "
            "{balance}) is left out"
        ).format(type=repr(kind), balance=balance),
        _(
            "Check that this is the A/R (not the A/P) Aging Detail report; if the row is owed, "
            "add it to the invoices by hand."
        ),
    )


# -- the two presets -------------------------------------------------------------------------------


def _qbo_header(grid: Grid) -> tuple[int, str] | None:
    """The QuickBooks Online header row and its customer column's name."""
    for customer in QBO_CUSTOMER:
        line = grid.find_row(QBO_REQUIRED + (customer,))
        if line is not None:
            return line, customer
    return None


def read_qbo(grid: Grid) -> Imported:
    found = _qbo_header(grid)
    if found is None:
        return read_aging(grid, QBO, QBO_LAYOUT, None)
    line, customer = found
    layout = replace(QBO_LAYOUT, customer=customer)
    return read_aging(grid, QBO, layout, line)


def read_qbd(grid: Grid) -> Imported:
    return read_aging(grid, QBD, QBD_LAYOUT, grid.find_row(QBD_CORE))


QBO = register(
    Preset(
        name="qbo-aging",
        title=N_("QuickBooks Online A/R Aging Detail report"),
        description=N_("QuickBooks Online A/R Aging Detail (CSV or XLSX; Open balance owed)"),
        read=read_qbo,
        required=QBO_REQUIRED,
        date_order="mdy",
        open_items_only=True,
        recognise=lambda grid: _qbo_header(grid) is not None,
    )
)
QBD = register(
    Preset(
        name="qbd-aging",
        title=N_("QuickBooks Desktop A/R Aging Detail report"),
        description=N_("QuickBooks Desktop A/R Aging Detail (spacer columns, Terms, Open Balance)"),
        read=read_qbd,
        required=QBD_REQUIRED,
        date_order="mdy",
        open_items_only=True,
    )
)
