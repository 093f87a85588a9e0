"""Statements of account and ladder letters for one customer as of a date (SPEC §2, §7).

Both are pure: ledger, customer and as-of date in, a :class:`Document` out; nothing is written
and nothing reads the clock. Customer-supplied text (names, contacts, document ids) reaches the
HTML only through Jinja2 with autoescaping on.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from arbook.collections.documents.document import Document, html_to_text
from arbook.collections.documents.formats import (
    LABELS,
    check_template,
    company_details,
    date_text,
    money,
)
from arbook.core.config import check_language, resolve_policy
from arbook.core.dates import day_number, iso
from arbook.core.errors import ParameterError
from arbook.core.ledger import Ledger
from arbook.measures.aging import UNAPPLIED, aging, bucket_labels, past_due, summarise_items


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of ``arbook/templates`` (autoescaping on for every template)."""
    return Environment(
        loader=PackageLoader("arbook", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def customer_record(ledger: Ledger, customer_id: str) -> dict:
    """``customer_id, name, email, language, contact`` of one customer (blanks as ""; the name
    falls back to the id). Raises ParameterError for a customer the ledger does not know."""
    rows = ledger.customers[ledger.customers["customer_id"] == customer_id]
    if not len(rows):
        raise ParameterError(
            f"unknown customer {customer_id!r}; `arbook aging DATA` lists "
            "the customers with open items"
        )
    row = rows.iloc[0]
    record = {key: _text(row.get(key)) for key in ("name", "email", "language", "contact")}
    record["name"] = record["name"] or customer_id
    return {"customer_id": customer_id, **record}


def customer_language(ledger: Ledger, customer_id: str, default: str = "en") -> str:
    """The customer's ``language`` if documents can be written in it, else ``default``."""
    lang = customer_record(ledger, customer_id)["language"].lower()[:2]
    return lang if lang in LABELS else default


def customer_aging(ledger: Ledger, customer_id: str, as_of) -> tuple[pd.DataFrame, dict]:
    """The customer's open items (an :func:`aging` frame with the policy's bucket edges, by due
    date: a customer is told how late it is, whatever basis the client ages by) and its
    :func:`aging_summary` row as a dict of cents (zeros when nothing is open)."""
    edges = ledger.policy.aging.edges
    items = aging(ledger, as_of, basis="due", edges=edges)
    items = items[items["customer_id"] == customer_id].reset_index(drop=True)
    columns = [f"{label}_cents" for label in bucket_labels(edges)] + [
        "receivable_cents",
        "unapplied_cents",
        "total_cents",
    ]
    totals = dict.fromkeys(columns, 0)
    if len(items):
        row = summarise_items(items, ledger, edges).iloc[0]
        totals = {column: int(row[column]) for column in columns}
    return items, totals


def payment_days(ledger: Ledger) -> int:
    """How many days of payments a statement lists (the policy's ``[documents]``)."""
    return resolve_policy(ledger.policy).documents.statement_payment_days


def recent_payments(ledger: Ledger, customer_id: str, as_of) -> pd.DataFrame:
    """The customer's payment rows dated in the :func:`payment_days` days ending on ``as_of``
    (after ``as_of`` minus those days, up to and including ``as_of``), by date."""
    day = np.datetime64(day_number(as_of), "D")
    window = payment_days(ledger)
    pay = ledger.payments
    dates = pay["payment_date"].to_numpy().astype("datetime64[D]")
    keep = (
        (pay["customer_id"] == customer_id).to_numpy()
        & (dates <= day)
        & (dates > day - np.timedelta64(window, "D"))
    )
    return pay[keep].sort_values(["payment_date", "payment_id"], kind="stable")


def _item_rows(items: pd.DataFrame, t: dict, lang: str, currency) -> list[dict]:
    rows = []
    for item in items.itertuples(index=False):
        kind = t["on_account"] if item.kind == "payment" else t.get(item.kind, item.kind)
        if item.disputed:
            kind = f"{kind} · {t['disputed']}"
        bucket = {"current": t["current"], UNAPPLIED: t["credit_item"]}.get(
            str(item.bucket), str(item.bucket)
        )
        rows.append(
            {
                "document": item.document_id,
                "kind": kind,
                "date": date_text(item.document_date, lang),
                "due": date_text(item.due_date, lang),
                "days": ("" if item.bucket in ("current", UNAPPLIED) else int(item.days_overdue)),
                "bucket": bucket,
                "outstanding": money(item.outstanding_cents, lang, currency),
            }
        )
    return rows


def _common(ledger: Ledger, customer_id: str, as_of, lang: str, company) -> dict:
    """Template context shared by statements and letters."""
    check_language(lang)
    labels = dict(LABELS[lang])
    labels["payments_since"] = labels["payments_since"].format(days=payment_days(ledger))
    return {
        "t": labels,
        "lang": lang,
        "as_of_iso": iso(as_of),
        "as_of": date_text(pd.Timestamp(iso(as_of)), lang),
        "customer": customer_record(ledger, customer_id),
        "company": company_details(company, lang),
        "currency": ledger.currency or ledger.policy.currency,
    }


def _document(kind: str, context: dict, template: str, title: str, step: str = "") -> Document:
    html = environment().get_template(template).render(title=title, **context)
    customer = context["customer"]
    return Document(
        kind=kind,
        customer_id=customer["customer_id"],
        lang=context["lang"],
        as_of=context["as_of_iso"],
        title=title,
        html=html,
        text=html_to_text(html),
        email=customer["email"],
        sender=context["company"]["sender_email"],
        step=step,
    )


def statement(
    ledger: Ledger, customer_id: str, as_of, *, lang: str = "en", company: dict | None = None
) -> Document:
    """The customer's statement of account as of ``as_of``: every open item with its aging,
    the bucket totals, unapplied credits and the total (equal to the customer's
    :func:`aging_summary` row to the cent), the payments of the last days (the policy's
    ``statement_payment_days``, 90), disputed items marked as in dispute, and how to pay
    (``company``: a dict with any of ``name, address, email, phone, bank, iban, bic,
    payment_note``; missing ones print as "set your company details")."""
    ctx = _common(ledger, customer_id, as_of, lang, company)
    t, cur = ctx["t"], ctx["currency"]
    items, totals = customer_aging(ledger, customer_id, as_of)
    labels = bucket_labels(ledger.policy.aging.edges)
    ctx["items"] = _item_rows(items, t, lang, cur)
    ctx["buckets"] = [
        {
            "label": t["current"] if label == "current" else label,
            "amount": money(totals[f"{label}_cents"], lang, cur),
        }
        for label in labels
    ]
    ctx["owed"] = money(totals["receivable_cents"], lang, cur)
    ctx["unapplied"] = money(totals["unapplied_cents"], lang, cur)
    ctx["total"] = money(totals["total_cents"], lang, cur)
    ctx["payments"] = [
        {
            "date": date_text(p.payment_date, lang),
            "payment": p.payment_id,
            "applied": _text(p.allocated_invoice_id) or t["on_account"],
            "amount": money(p.amount_cents, lang, cur),
        }
        for p in recent_payments(ledger, customer_id, as_of).itertuples()
    ]
    title = f"{t['statement']} — {ctx['customer']['name']} — {ctx['as_of']}"
    return _document("statement", ctx, "statement.html.j2", title)


def letter(
    ledger: Ledger,
    customer_id: str,
    as_of,
    template: str,
    *,
    lang: str = "en",
    step: str | None = None,
    company: dict | None = None,
    pay_within_days: int | None = None,
) -> Document:
    """A ladder letter (``template``: reminder, notice, final_notice or legal) listing the
    customer's undisputed overdue items as of ``as_of``, the total overdue, credits on account,
    the amount to pay now and the date to pay by (``as_of`` + ``pay_within_days``, by default
    the policy's ``[documents] pay_within_days`` of the template). Disputed items are never
    demanded: their total is named as in dispute. ``step`` (a ladder step key or label) is
    printed as the reference. Raises ParameterError when nothing undisputed is overdue (no
    letter to send)."""
    check_template(template)
    ctx = _common(ledger, customer_id, as_of, lang, company)
    t, cur = ctx["t"], ctx["currency"]
    items, totals = customer_aging(ledger, customer_id, as_of)
    late = items[past_due(items, as_of)]
    overdue = late[~late["disputed"]]
    if not len(overdue):
        raise ParameterError(
            f"customer {customer_id!r} has nothing overdue as of "
            f"{ctx['as_of_iso']}{' outside its disputes' if len(late) else ''}; "
            f"no {template} letter to send"
        )
    overdue_cents = int(overdue["outstanding_cents"].sum())
    disputed_cents = int(late["outstanding_cents"].sum()) - overdue_cents
    credits = int(totals["unapplied_cents"])
    rules = resolve_policy(ledger.policy).documents
    days = rules.pay_within_days[template] if pay_within_days is None else int(pay_within_days)
    pay_by = pd.Timestamp(ctx["as_of_iso"]) + pd.Timedelta(days=days)
    ctx.update(
        items=_item_rows(overdue, t, lang, cur),
        step=step or "",
        overdue_total=money(overdue_cents, lang, cur),
        credits=money(credits, lang, cur) if credits else "",
        disputed=money(disputed_cents, lang, cur) if disputed_cents else "",
        to_pay=money(max(overdue_cents + credits, 0), lang, cur),
        pay_by=date_text(pay_by, lang),
        heading=t["letter"][template],
    )
    title = f"{t['letter'][template]} — {ctx['customer']['name']} — {ctx['as_of']}"
    return _document(template, ctx, f"{template}.{lang}.html.j2", title, step or "")
