"""SPEC §2–3 as Ibis expressions, written once for every engine (DuckDB, PostgreSQL, Spark).

Two kinds of tables go in:

- *ledger tables*, the shape every rule reads: ``invoices(invoice_id, customer_id, inv_day,
  due_day, inv_month, due_month, amount_cents, applied_invoice_id, disputed)`` and
  ``payments(payment_id, customer_id, pay_day, pay_month, amount_cents, allocated_invoice_id)``,
  days as
  day numbers (days since 1970-01-01), months as months since 1970-01, money as int64 cents,
  the links (``applied_invoice_id``, ``allocated_invoice_id``) already resolved: NULL where the
  credit note is standalone or the payment is unapplied cash (SPEC §1). A :class:`Ledger`'s
  validated frames give these as they are; :func:`ledger_tables` makes them from a client's raw
  canonical tables (Parquet, a database), applying the same linking rules as validation.
- a table of *as-of days* ``as_of(as_of, as_of_month)``: every rule is evaluated at each of
  its rows at once (one row for an aging; every month end for the monthly metrics), so that a
  month-end series is one query, not one per month.

What comes out: :func:`open_items` (SPEC §2.1–7: one row per open item and as-of day, with
its bucket code), :func:`customer_sums` (the aging summary's sums), :func:`day_states` (the
month-end figures the metrics are computed from) and :func:`monthly_sales`. Money is summed
and cast to int64 in the engine; no amount ever passes through a float.
"""

from __future__ import annotations

from collections.abc import Sequence

import ibis
import ibis.expr.types as ir
from ibis import _

from arbook.core.config import MONTH_LABELS, Edges, Policy, bucket_labels
from arbook.core.parse import _TRUE

#: The SPEC §3 "% over N days" cut-offs (days past due), as in arbook.measures.aging.
OVER_DAYS = (60, 90, 120)

#: Item kinds, as the in-memory aging names them.
INVOICE, CREDIT_NOTE, PAYMENT = "invoice", "credit_note", "payment"


def money(value: ir.Value) -> ir.Value:
    return value.cast("int64")


def as_of_days(days: Sequence[int], months: Sequence[int]) -> ir.Table:
    """The as-of table: day numbers and their months (months since 1970-01)."""
    return ibis.memtable(
        {"as_of": [int(d) for d in days], "as_of_month": [int(m) for m in months]},
        schema={"as_of": "int64", "as_of_month": "int64"},
    )


def _documents_at(invoices: ir.Table, days: ir.Table) -> ir.Table:
    """Every document dated on or before each as-of day (SPEC §2.1)."""
    return invoices.cross_join(days).filter(_.inv_day <= _.as_of)


def open_items(
    invoices: ir.Table, payments: ir.Table, days: ir.Table, basis: str, edges: Edges
) -> ir.Table:
    """One row per open item at each as-of day (SPEC §2.2–7): ``as_of, customer_id,
    document_id, kind, doc_day, due_day, amount_cents, paid_cents, credited_cents,
    outstanding_cents, days_overdue, late, disputed, bucket_code, is_cash``.

    ``days_overdue`` counts by ``basis`` (for cash: the age of its first row); ``late`` is
    always days past the due date (NULL for cash); ``bucket_code`` indexes
    ``bucket_labels(edges) + ["unapplied"]``: every item whose outstanding is negative is
    unapplied."""
    docs = _documents_at(invoices, days)
    exist = docs.select(t_id=_.invoice_id, t_as_of=_.as_of)
    credits = docs.filter(_.applied_invoice_id.notnull()).select(
        c_id=_.invoice_id, c_target=_.applied_invoice_id, c_as_of=_.as_of, c_take=-_.amount_cents
    )
    # a credit note applies only when its invoice exists too (SPEC §2.3)
    applied = credits.join(
        exist, [credits.c_target == exist.t_id, credits.c_as_of == exist.t_as_of]
    ).select("c_id", "c_target", "c_as_of", "c_take")
    credited = applied.group_by(["c_target", "c_as_of"]).aggregate(
        credited=money(applied.c_take.sum())
    )
    pay = payments.cross_join(days).filter(_.pay_day <= _.as_of)
    linked = pay.left_join(
        exist, [pay.allocated_invoice_id == exist.t_id, pay.as_of == exist.t_as_of]
    ).select("customer_id", "payment_id", "pay_day", "amount_cents", "as_of", "as_of_month", "t_id")
    paid = (
        linked.filter(_.t_id.notnull())
        .group_by(["t_id", "as_of"])
        .aggregate(paid=money(_.amount_cents.sum()))
        .rename(p_id="t_id", p_as_of="as_of")
    )
    own = docs.anti_join(applied, [docs.invoice_id == applied.c_id, docs.as_of == applied.c_as_of])
    own = own.left_join(paid, [own.invoice_id == paid.p_id, own.as_of == paid.p_as_of])
    own = own.left_join(
        credited, [own.invoice_id == credited.c_target, own.as_of == credited.c_as_of]
    )
    paid_cents = money(own.paid.fill_null(0))
    credited_cents = money(own.credited.fill_null(0))
    since = own.due_day if basis == "due" else own.inv_day
    since_month = own.due_month if basis == "due" else own.inv_month
    document_rows = own.select(
        as_of=own.as_of,
        customer_id=own.customer_id,
        document_id=own.invoice_id,
        kind=ibis.ifelse(own.amount_cents < 0, CREDIT_NOTE, INVOICE),
        doc_day=own.inv_day,
        due_day=own.due_day,
        amount_cents=money(own.amount_cents),
        paid_cents=paid_cents,
        credited_cents=credited_cents,
        outstanding_cents=money(own.amount_cents - paid_cents - credited_cents),
        days_overdue=(own.as_of - since).cast("int64"),
        months=(own.as_of_month - since_month).cast("int64"),
        late=(own.as_of - own.due_day).cast("int64"),
        disputed=own.disputed & (own.amount_cents > 0),
        is_cash=ibis.literal(False),
    ).filter(_.outstanding_cents != 0)  # SPEC §2.4: whole cents, so |x| >= 0.01
    cash = (
        linked.filter(_.t_id.isnull())
        .group_by(["as_of", "customer_id", "payment_id"])
        .aggregate(first_day=_.pay_day.min(), total=money(_.amount_cents.sum()))
    )
    cash_rows = cash.select(
        as_of=cash.as_of,
        customer_id=cash.customer_id,
        document_id=cash.payment_id,
        kind=ibis.literal(PAYMENT),
        doc_day=cash.first_day.cast("int64"),
        due_day=ibis.null("int64"),
        amount_cents=money(ibis.literal(0)),
        paid_cents=cash.total,
        credited_cents=money(ibis.literal(0)),
        outstanding_cents=money(-cash.total),
        days_overdue=(cash.as_of - cash.first_day).cast("int64"),
        months=ibis.literal(0, "int64"),
        late=ibis.null("int64"),
        disputed=ibis.literal(False),
        is_cash=ibis.literal(True),
    )
    items = document_rows.union(cash_rows)
    return items.mutate(bucket_code=_bucket_code(items, edges)).drop("months")


def _bucket_code(items: ir.Table, edges: Edges) -> ir.Value:
    """The index into ``bucket_labels(edges) + ["unapplied"]`` (arbook.measures.aging's
    bucket_codes): due on the day is current; an edge's own day is in the bucket it ends."""
    unapplied = len(bucket_labels(edges))
    days = items.days_overdue
    if isinstance(edges, str):  # calendar months of the date the days count from
        last = len(MONTH_LABELS) - 1
        code = ibis.ifelse(days <= 0, 0, ibis.least(items.months + 1, last))
    else:
        code = sum((ibis.ifelse(days > edge, 1, 0) for edge in (0, *edges)), ibis.literal(0))
    return ibis.ifelse(items.outstanding_cents > 0, code, unapplied).cast("int64")


def month_end_items(
    invoices: ir.Table,
    payments: ir.Table,
    first_month: int,
    ends: Sequence[int],
    basis: str,
    edges: Edges,
) -> ir.Table:
    """What :func:`day_states` needs of the open items at each of ``ends``, the last days of
    consecutive months from ``first_month`` (months since 1970-01): ``as_of,
    outstanding_cents, late, bucket_code``, the same figures :func:`open_items` gives at each
    of those days, without evaluating every document at every month end.

    At a month end, what is dated in that month or before exists (SPEC §2.1), so each
    document's outstanding changes only at the month ends when it appears, a payment or an
    applied credit note counts (the later of its own month and its invoice's), or, for a
    credit note, when it applies and stops being an item. Those changes are summed into spans
    of months with one outstanding each; only the spans with something open are spread over
    their month ends. Cash is unapplied from its month until its invoice exists (for ever
    without one)."""
    count = len(ends)
    days = ibis.memtable(
        {
            "k": list(range(count)),
            "as_of": [int(d) for d in ends],
            "as_of_month": [first_month + k for k in range(count)],
        },
        schema={"k": "int64", "as_of": "int64", "as_of_month": "int64"},
    )

    def index(month: ir.Value) -> ir.Value:  # the first of the month ends on or after it
        return ibis.greatest(month - first_month, 0).cast("int64")

    docs = invoices.select(
        x=_.invoice_id,
        kx=index(_.inv_month),
        amount=_.amount_cents,
        link=_.applied_invoice_id,
        since=_.due_day if basis == "due" else _.inv_day,
        since_month=_.due_month if basis == "due" else _.inv_month,
        due_day=_.due_day,
    )
    known = docs.select(t=_.x, kt=_.kx)
    docs = docs.left_join(known, docs.link == known.t)
    # a credit note is its own item until it applies, when its invoice exists too
    docs = docs.mutate(ka=ibis.ifelse(docs.t.notnull(), ibis.greatest(docs.kx, docs.kt), count))
    pay = payments.select("allocated_invoice_id", "pay_month", "amount_cents").view()
    # raw sources' payments and invoices come from one join: Ibis tells them apart as views
    known = known.view()
    pay = pay.left_join(known, pay.allocated_invoice_id == known.t).select(
        t=_.t, kp=index(_.pay_month), kt=_.kt, amount=_.amount_cents
    )
    events = (
        docs.select(x=_.x, k=_.kx, delta=_.amount)
        .union(
            pay.filter(_.t.notnull()).select(x=_.t, k=ibis.greatest(_.kp, _.kt), delta=-_.amount)
        )
        .union(docs.filter(_.t.notnull()).select(x=_.t, k=_.ka, delta=_.amount))
    )
    events = events.filter(_.k < count).group_by(["x", "k"]).aggregate(delta=_.delta.sum())
    order = ibis.window(group_by="x", order_by="k")
    running = ibis.cumulative_window(group_by="x", order_by="k")
    events = events.mutate(
        value=events.delta.sum().over(running), k_next=events.k.lead().over(order)
    )
    info = docs.select(
        d_x=_.x, ka=_.ka, since=_.since, since_month=_.since_month, due_day=_.due_day
    )
    spans = events.join(info, events.x == info.d_x)
    spans = spans.select(
        k_start=spans.k,
        k_end=ibis.least(spans.k_next.fill_null(count), spans.ka),
        value=money(spans.value),
        since=spans.since,
        since_month=spans.since_month,
        due_day=spans.due_day,
    )
    cash = pay.filter(_.t.isnull() | (_.kt > _.kp)).select(
        k_start=_.kp,
        k_end=ibis.ifelse(_.t.isnull(), count, _.kt).cast("int64"),
        value=money(-_.amount),
        since=ibis.null("int64"),
        since_month=ibis.null("int64"),
        due_day=ibis.null("int64"),
    )
    spans = spans.union(cash).filter((_.value != 0) & (_.k_start < _.k_end))
    rows = spans.join(days, [spans.k_start <= days.k, days.k < spans.k_end])
    items = rows.select(
        as_of=rows.as_of,
        outstanding_cents=rows.value,
        days_overdue=(rows.as_of - rows.since).cast("int64"),
        months=(rows.as_of_month - rows.since_month).cast("int64"),
        late=(rows.as_of - rows.due_day).cast("int64"),
    )
    return items.mutate(bucket_code=_bucket_code(items, edges)).drop("months")


def customer_sums(items: ir.Table, edges: Edges) -> ir.Table:
    """Per as-of day and customer with any open item: ``b0..bN`` (each bucket's sum, cents)
    and ``unapplied`` (credits and cash: the negative items)."""
    width = len(bucket_labels(edges)) + 1
    sums = {
        f"b{k}": money(ibis.ifelse(items.bucket_code == k, items.outstanding_cents, 0).sum())
        for k in range(width - 1)
    }
    sums["unapplied"] = money(
        ibis.ifelse(items.bucket_code == width - 1, items.outstanding_cents, 0).sum()
    )
    return items.group_by(["as_of", "customer_id"]).aggregate(**sums)


def day_states(items: ir.Table, edges: Edges) -> ir.Table:
    """Per as-of day, the receivable's state (arbook.measures.aging.receivable_totals and the
    bucket balances): ``ar`` (what is owed), ``b0..bN``, ``overdue`` (owed past its due date,
    whatever the basis), ``over_60/90/120`` and ``unapplied``."""
    owed = items.outstanding_cents > 0
    out = items.outstanding_cents
    late = items.late.fill_null(0)
    sums = {"ar": money(ibis.ifelse(owed, out, 0).sum())}
    sums |= {
        f"b{k}": money(ibis.ifelse(items.bucket_code == k, out, 0).sum())
        for k in range(len(bucket_labels(edges)))
    }
    sums["overdue"] = money(ibis.ifelse(owed & (late > 0), out, 0).sum())
    sums |= {f"over_{n}": money(ibis.ifelse(owed & (late > n), out, 0).sum()) for n in OVER_DAYS}
    sums["unapplied"] = money(ibis.ifelse(out < 0, out, 0).sum())
    return items.group_by("as_of").aggregate(**sums)


def monthly_sales(invoices: ir.Table) -> ir.Table:
    """Credit sales per month of the invoice date (credit notes netted): ``month, sales``."""
    return invoices.group_by(month=invoices.inv_month).aggregate(
        sales=money(invoices.amount_cents.sum())
    )


# --- raw canonical tables -> ledger tables ---------------------------------------------------


def _days(value: ir.Value) -> ir.Value:
    return value.cast("date").epoch_days().cast("int64")


def _month(value: ir.Value) -> ir.Value:
    date = value.cast("date")
    return ((date.year() - 1970) * 12 + date.month() - 1).cast("int64")


def _cents(table: ir.Table) -> ir.Value:
    """A raw table's amount in cents: its ``amount_cents`` when it has one, else its ``amount``
    (currency units, decimal or float) times 100, rounded to the cent."""
    if "amount_cents" in table.columns:
        return table.amount_cents.cast("int64")
    return (table.amount.cast("decimal(38, 4)") * 100).round(0).cast("int64")


def _flag(table: ir.Table, name: str) -> ir.Value:
    """A yes/no column as a boolean (arbook.core.parse.parse_flag's words); absent or blank:
    False."""
    if name not in table.columns:
        return ibis.literal(False)
    column = table[name]
    if column.type().is_boolean():
        return column.fill_null(False)
    words = sorted(_TRUE)
    return column.cast("string").strip().lower().isin(words).fill_null(False)


def _text(table: ir.Table, name: str) -> ir.Value:
    """An optional text column, blank (empty or spaces) as NULL."""
    if name not in table.columns:
        return ibis.null("string")
    value = table[name].cast("string").strip()
    return ibis.ifelse(value == "", ibis.null("string"), value)


def ledger_tables(
    invoices: ir.Table, payments: ir.Table, customers: ir.Table | None, policy: Policy
) -> tuple[ir.Table, ir.Table]:
    """The ledger tables of raw canonical ones (SPEC §1): amounts in cents, a blank due date
    filled with the customer's terms (else the policy's ``default_terms_days``), a credit
    note's link kept only when it names a positive invoice of the same customer, a payment's
    only when it names an invoice (not a credit note) of the payer; payments of zero or less
    left out, as validation leaves them out of a :class:`~arbook.core.ledger.Ledger`."""
    inv = invoices.select(
        invoice_id=invoices.invoice_id.cast("string"),
        customer_id=invoices.customer_id.cast("string"),
        invoice_date=invoices.invoice_date.cast("date"),
        due_date=(
            invoices.due_date.cast("date") if "due_date" in invoices.columns else ibis.null("date")
        ),
        amount_cents=_cents(invoices),
        applies_to=_text(invoices, "applies_to"),
        disputed=_flag(invoices, "disputed"),
    )
    terms = ibis.literal(policy.default_terms_days, "int64")
    if customers is not None and "terms_days" in customers.columns:
        known = customers.select(
            k_id=customers.customer_id.cast("string"), k_terms=customers.terms_days.cast("int64")
        )
        inv = inv.left_join(known, inv.customer_id == known.k_id).drop("k_id")
        terms = inv.k_terms.fill_null(terms)
    due = inv.due_date.fill_null(inv.invoice_date + terms.as_interval("D"))
    inv = inv.mutate(
        inv_day=_days(inv.invoice_date),
        inv_month=_month(inv.invoice_date),
        due_day=_days(due),
        due_month=_month(due),
    )
    targets = inv.select(t_id=_.invoice_id, t_customer=_.customer_id, t_amount=_.amount_cents)
    inv = inv.left_join(targets, inv.applies_to == targets.t_id)
    valid = (inv.amount_cents < 0) & inv.t_id.notnull()
    valid &= (inv.t_customer == inv.customer_id) & (inv.t_amount > 0)
    inv = inv.select(
        "invoice_id",
        "customer_id",
        "inv_day",
        "due_day",
        "inv_month",
        "due_month",
        "amount_cents",
        applied_invoice_id=ibis.ifelse(valid, inv.applies_to, ibis.null("string")),
        disputed=inv.disputed,
    )
    pay = payments.select(
        payment_id=payments.payment_id.cast("string"),
        customer_id=payments.customer_id.cast("string"),
        pay_day=_days(payments.payment_date),
        pay_month=_month(payments.payment_date),
        amount_cents=_cents(payments),
        named=_text(payments, "invoice_id"),
    ).filter(_.amount_cents > 0)
    pay = pay.left_join(targets, pay.named == targets.t_id)
    allocated = pay.t_id.notnull() & (pay.t_customer == pay.customer_id) & (pay.t_amount >= 0)
    pay = pay.select(
        "payment_id",
        "customer_id",
        "pay_day",
        "pay_month",
        "amount_cents",
        allocated_invoice_id=ibis.ifelse(allocated, pay.named, ibis.null("string")),
    )
    return inv, pay
