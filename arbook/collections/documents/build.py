"""Statements of account and ladder letters for one customer as of a date (SPEC §2, §7).

Both are pure: ledger, customer and as-of date in, a :class:`Document` out; nothing is written
and nothing reads the clock (a contact log given is only read). Customer-supplied text (names,
contacts, document ids) reaches the HTML only through Jinja2 with autoescaping on.

Company details come from the policy's ``[company]`` (a ``company`` dict's keys over them); a
document prints only the details that are set. Without the company's name, or without a
currency for its amounts, a document is a draft (:attr:`Document.missing` says what to set):
it can be previewed, and the send path refuses it. Each document names the ladder step it acts
on (:func:`document_step`), which the outbox register and the contact log record.

A document is in its customer's currency (:func:`customer_currency`): the currency of the
customer's open items when they are all in one (each amount as invoiced, its total exact in it;
interest on what is open in it; a fee the policy sets in the book's currency converted at the
rate of the day it is charged), else the book's (each item in another currency also shows its
own amount, in brackets).

A document speaks its customer's language (``lang``): it is rendered inside ``using(lang)``,
so its words (the templates' and :mod:`.formats`') come from the catalogue in that language;
what is said to the person making it (a refusal, what a draft lacks) is in the interface's.
"""

from __future__ import annotations

import importlib
import importlib.util
from functools import lru_cache

import numpy as np
import pandas as pd
from jinja2 import Environment, PackageLoader, StrictUndefined

from arbook.collections.documents.document import Document, html_to_text
from arbook.collections.documents.formats import (
    LANGUAGES,
    check_template,
    company_details,
    company_of,
    date_text,
    document_title,
    item_kind_text,
    money,
    plan_state_text,
)
from arbook.collections.ladder import Step, ladder_step, resolve_ladder
from arbook.collections.ranking import positions
from arbook.core.config import check_language, resolve_policy
from arbook.core.currencies import cents_in, rate_of
from arbook.core.dates import date_text as day_text
from arbook.core.dates import day_number, iso
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, ngettext, pgettext, using
from arbook.core.ledger import Ledger
from arbook.core.numbers import percent_text
from arbook.core.rules import closest
from arbook.credit.penalties import late_charge_totals, late_charges, reminder_fees
from arbook.measures.aging import UNAPPLIED, aging, bucket_labels, past_due, summarise_items
from arbook.measures.disputes import (
    disputed_cents,
    disputed_of,
    in_own_currency,
    log_disputes,
    with_disputes,
)
from arbook.measures.exchange import held_balances


@lru_cache(maxsize=1)
def environment() -> Environment:
    """The Jinja2 environment of ``arbook/templates`` (autoescaping on for every template),
    its ``_``, ``ngettext`` and ``pgettext`` the catalogue's (newstyle: ``%(name)s`` fields,
    escaped), speaking the language spoken when a template is rendered."""
    env = Environment(
        loader=PackageLoader("arbook", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=True, pgettext=pgettext
    )
    return env


def _text(value) -> str:
    return "" if value is None or pd.isna(value) else str(value).strip()


def customer_record(ledger: Ledger, customer_id: str) -> dict:
    """``customer_id, name, email, language, contact`` of one customer (blanks as ""; the name
    falls back to the id). Raises ParameterError for a customer the ledger does not know."""
    rows = ledger.customers[ledger.customers["customer_id"] == customer_id]
    if not len(rows):
        raise ParameterError(
            _(
                "unknown customer {customer}; `arbook aging DATA` lists the customers with "
                "open items"
            ).format(customer=repr(customer_id))
        )
    row = rows.iloc[0]
    record = {key: _text(row.get(key)) for key in ("name", "email", "language", "contact")}
    record["name"] = record["name"] or customer_id
    return {"customer_id": customer_id, **record}


def customer_language(ledger: Ledger, customer_id: str, default: str = "en") -> str:
    """The customer's ``language`` if documents can be written in it, else ``default``."""
    lang = customer_record(ledger, customer_id)["language"].lower()[:2]
    return lang if lang in LANGUAGES else default


def book_currency(ledger: Ledger) -> str | None:
    """The book's currency: the data's, else the policy's (None: neither names one)."""
    return ledger.currency or ledger.policy.currency


def _several(ledger: Ledger) -> bool:
    """Whether the ledger holds documents or payments in another currency than the book's."""
    return "original_amount_cents" in ledger.invoices or "paid_cents" in ledger.payments


def foreign(ledger: Ledger, currency: str | None) -> bool:
    """Whether amounts in ``currency`` are another currency than the book's (held apart)."""
    return bool(currency) and bool(ledger.currency) and currency != ledger.currency


def customer_currency(ledger: Ledger, customer_id: str, as_of) -> str | None:
    """The currency of a statement or letter to the customer at ``as_of``: that of its open
    items (invoices, credit notes and unapplied cash, each in its own currency) when they are
    all in one; else the book's (a book in one currency, nothing open, or items in several)."""
    book = book_currency(ledger)
    if not ledger.currency or not _several(ledger):
        return book
    items = aging(ledger, as_of, basis="due", currency="document")
    codes = set(items.loc[items["customer_id"] == customer_id, "currency"]) - {""}
    return codes.pop() if len(codes) == 1 else book


def _with_own_amounts(ledger: Ledger, items: pd.DataFrame, as_of) -> pd.DataFrame:
    """Book-currency aging rows with each item's ``currency`` and ``outstanding_doc_cents``
    (:func:`held_balances`; cash of one payment in several currencies, and an item the
    balances do not hold, shows its book amount in the book's currency)."""
    keys = ["customer_id", "kind", "document_id"]
    held = held_balances(ledger, as_of).groupby(keys, sort=False)
    found = held.agg(
        codes=("currency", "nunique"),
        currency=("currency", "first"),
        outstanding_doc_cents=("outstanding_doc_cents", "sum"),
    )
    found = found.reindex(pd.MultiIndex.from_frame(items[keys]))
    one = (found["codes"] == 1).to_numpy()
    book = items["outstanding_cents"].to_numpy(dtype=np.int64)
    return items.assign(
        currency=np.where(one, found["currency"].to_numpy(dtype=object), ledger.currency),
        outstanding_doc_cents=np.where(
            one, found["outstanding_doc_cents"].fillna(0).to_numpy(), book
        ).astype(np.int64),
    )


def customer_aging(
    ledger: Ledger, customer_id: str, as_of, *, log=None, currency: str | None = None
) -> tuple[pd.DataFrame, dict]:
    """The customer's open items (an :func:`aging` frame with the policy's bucket edges, by due
    date: a customer is told how late it is, whatever basis the client ages by) and its
    :func:`aging_summary` row as a dict of cents (zeros when nothing is open). ``disputed`` and
    ``disputed_cents`` follow the one dispute rule: the data's flags and the contact ``log``'s
    disputes at ``as_of`` (``log=None``: the flags alone).

    ``currency``: None or the book's, in book currency (in a book of several, with each item's
    ``currency`` and ``outstanding_doc_cents``, what is open in its own); another, the
    customer's items in that currency, each amount in it (:func:`customer_currency` says which
    a document uses)."""
    edges = ledger.policy.aging.edges
    items = aging(ledger, as_of, basis="due", edges=edges)
    disputed = disputed_of(items, log_disputes(log, as_of))
    if foreign(ledger, currency):
        own = aging(ledger, as_of, basis="due", edges=edges, currency="document")
        own = own[own["currency"] == currency]
        disputed = in_own_currency(disputed, items, own)
        items = own
    elif ledger.currency and _several(ledger):
        items = _with_own_amounts(ledger, items, as_of)
    items = with_disputes(items, disputed)
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


def _bucket_text(bucket) -> str:
    """An aging bucket as a document names it: not yet due, a credit, else its edges."""
    return {
        "current": pgettext("customer document", "Not yet due"),
        UNAPPLIED: pgettext("customer document", "credit"),
    }.get(str(bucket), str(bucket))


def _item_rows(items: pd.DataFrame, lang: str, currency) -> list[dict]:
    """The items as a document lists them, in ``currency``; an item held in another currency
    (book-currency rows of :func:`customer_aging`) also shows its own amount (``own``)."""
    rows = []
    held = "outstanding_doc_cents" in items
    for item in items.itertuples(index=False):
        own = ""
        if held and item.currency and item.currency != currency:
            own = money(item.outstanding_doc_cents, lang, item.currency)
        kind = item_kind_text(item.kind)
        if item.disputed:
            disputed = pgettext("customer document", "in dispute")
            kind = f"{kind} · {disputed}"
        bucket = _bucket_text(item.bucket)
        rows.append(
            {
                "document": item.document_id,
                "kind": kind,
                "date": date_text(item.document_date, lang),
                "due": date_text(item.due_date, lang),
                "days": ("" if item.bucket in ("current", UNAPPLIED) else int(item.days_overdue)),
                "bucket": bucket,
                "outstanding": money(item.outstanding_cents, lang, currency),
                "own": own,
            }
        )
    return rows


def customer_step(ledger: Ledger, customer_id: str, as_of, *, ladder=None, log=None) -> Step | None:
    """The ladder step the customer is on at ``as_of`` (by the days its oldest undisputed item
    is overdue, as the worklist places it: what is in dispute by the data's flags and the
    contact ``log``'s disputes); None when it is on none (nothing chased)."""
    pos = positions(ledger, as_of, log=log)
    if customer_id not in pos.index or not bool(pos.loc[customer_id, "chased"]):
        return None
    steps = resolve_ladder(ladder, folder=ledger.folder)
    return ladder_step(int(pos.loc[customer_id, "oldest_days"]), steps)


def document_step(
    ledger: Ledger,
    customer_id: str,
    as_of,
    step: str | None,
    *,
    template: str,
    ladder=None,
    log=None,
) -> str:
    """The ladder step key a document acts on: ``step`` when given (it must be a key of the
    ladder; "" for none); else the customer's step at ``as_of`` for a letter, and for a
    statement that step only when the ladder sends a statement there (a statement asked for
    at another time acts on no step). Raises ParameterError for a key the ladder lacks."""
    steps = resolve_ladder(ladder, folder=ledger.folder)
    if step is not None:
        step = str(step).strip()
        keys = [s.key for s in steps.steps]
        if step and step not in keys:
            near = closest(step, keys)
            said = (
                _(
                    "step {step} is not a step of the ladder; did you mean {near}? the steps "
                    "are: {steps}"
                )
                if near
                else _("step {step} is not a step of the ladder; the steps are: {steps}")
            )
            raise ParameterError(
                said.format(step=repr(step), near=repr(near), steps=", ".join(keys))
            )
        return step
    current = customer_step(ledger, customer_id, as_of, ladder=steps, log=log)
    if current is None or (template == "statement" and current.template != "statement"):
        return ""
    return current.key


def missing_details(company: dict, currency: str | None) -> tuple[str, ...]:
    """What a document lacks before it may go to a customer, each with where to set it (in the
    language spoken: said to the person making it, not to the customer)."""
    missing = []
    if not company["name"]:
        missing.append(
            _(
                "your company's name: set name under [company] in the policy file "
                "(--policy FILE), or give --company FILE"
            )
        )
    if not currency:
        missing.append(
            _(
                'the currency of the amounts: set currency = "EUR" (your book\'s ISO code) at '
                "the top of the policy file, or fill the invoices' currency column"
            )
        )
    return tuple(missing)


def _common(ledger: Ledger, customer_id: str, as_of, lang: str, company) -> dict:
    """Template context shared by statements and letters: the facts, and what the document
    lacks (said in the language spoken; its words are the customer's, see :func:`_document`)."""
    check_language(lang)
    details = company_details(company_of(ledger.policy, company), lang, folder=ledger.folder)
    currency = customer_currency(ledger, customer_id, as_of)
    missing = missing_details(details, currency)
    return {
        "lang": lang,
        "payment_days": payment_days(ledger),
        "as_of_iso": iso(as_of),
        "as_of": date_text(pd.Timestamp(iso(as_of)), lang),
        "customer": customer_record(ledger, customer_id),
        "company": details,
        "currency": currency,
        "missing": missing,
        "draft": bool(missing),
    }


def _document(kind: str, context: dict, template: str, title: str, step: str = "") -> Document:
    """The rendered document (call it speaking the customer's language: ``using(lang)``)."""
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
        missing=context["missing"],
    )


def _optional(module: str, name: str):
    """``module.name`` when that module is installed (disputes and plans arrive in their own
    modules), else None."""
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name, None)


def _dispute_rows(ledger, customer_id, as_of, log, lang, cur) -> list[dict]:
    """The customer's open disputes at ``as_of`` (imported ``disputed = yes`` items and the
    log's), each: document, amount in dispute, reason, days open."""
    dispute_list = _optional("arbook.measures.disputes", "dispute_list")
    if dispute_list is None:
        return []
    frame = dispute_list(ledger, as_of, log)
    frame = frame[frame["customer_id"] == customer_id]
    if foreign(ledger, cur):  # each in the document's own currency
        own = disputed_cents(ledger, as_of, log, currency="document")
        frame = frame.assign(disputed_cents=own.reindex(frame["document_id"], fill_value=0).values)
    return [
        {
            "document": r.get("document_id", ""),
            "amount": money(int(r.get("disputed_cents", r.get("outstanding_cents", 0))), lang, cur),
            "reason": _text(r.get("reason")),
            "days": "" if pd.isna(r.get("age_days")) else int(r.get("age_days")),
        }
        for r in frame.to_dict("records")
    ]


def _plan_rows(ledger, customer_id, as_of, log, lang, cur) -> list[dict]:
    """The customer's payment plans at ``as_of`` (none without a log; plans.plan_status):
    invoices, status, the next open instalment's date and amount (``next_due``,
    ``next_cents``) where the plan has one."""
    plan_status = _optional("arbook.collections.plans", "plan_status")
    if plan_status is None or log is None:
        return []
    frame = plan_status(ledger, as_of, log)
    rows = []
    for r in frame[frame["customer_id"] == customer_id].to_dict("records"):
        docs = r.get("documents", "")
        when = r.get("next_due")
        when = None if when is None or pd.isna(when) else when
        cents = r.get("next_cents")
        cents = None if cents is None or pd.isna(cents) else cents
        status = _text(r.get("status"))
        rows.append(
            {
                "documents": ", ".join(docs) if isinstance(docs, list | tuple) else _text(docs),
                "status": plan_state_text(status),
                "next": " · ".join(
                    part
                    for part in (
                        date_text(when, lang) if when is not None else "",
                        money(int(cents), lang, cur) if cents is not None else "",
                    )
                    if part
                ),
            }
        )
    return rows


def _charge_rows(ledger, customer_id, as_of, log, lang, cur) -> dict | None:
    """The customer's late charges at ``as_of`` with the fee per reminder sent (the log's; none
    without a log): ``rows`` (label, date, amount) and ``total``; None when nothing is due."""
    if log is None:
        return None
    charges = late_charges(ledger, as_of, log=log)
    totals = late_charge_totals(charges[charges["customer_id"] == customer_id])
    if not len(totals):
        return None
    due = totals.iloc[0]
    interest = int(due["interest_cents"])
    if foreign(ledger, cur):  # interest on what is open in the customer's currency
        own = late_charges(ledger, as_of, log=log, currency="document")
        mine = own[(own["customer_id"] == customer_id) & (own["currency"] == cur)]
        interest = int(mine.loc[~mine["disputed"].astype(bool), "interest_cents"].sum())
    rows, fee_total = [], 0
    fees = reminder_fees(ledger, as_of, log)
    for r in fees[(fees["customer_id"] == customer_id) & (fees["fee_cents"] > 0)].itertuples():
        name = document_title(r.template) or document_title("statement")
        fee = in_currency(ledger, int(r.fee_cents), cur, r.date)
        fee_total += fee
        rows.append(
            {
                "label": pgettext("customer document", "Reminder: {letter}").format(letter=name),
                "date": date_text(r.date, lang),
                "amount": money(fee, lang, cur),
            }
        )
    per_invoice = int(due["fee_cents"]) - sum(
        int(f) for f in fees.loc[fees["customer_id"] == customer_id, "fee_cents"]
    )
    if per_invoice > 0:  # the EU compensation per overdue invoice
        fee = in_currency(ledger, per_invoice, cur, as_of)
        fee_total += fee
        rows.append(
            {
                "label": pgettext("customer document", "Late charges"),
                "date": "",
                "amount": money(fee, lang, cur),
            }
        )
    if interest:
        rate = percent_text(charges.attrs["annual_rate"], None, lang)
        rows.append(
            {
                "label": _("Interest on overdue items at {rate} a year").format(rate=rate),
                "date": "",
                "amount": money(interest, lang, cur),
            }
        )
    if not interest + fee_total:
        return None
    return {"rows": rows, "total": money(interest + fee_total, lang, cur)}


def in_currency(ledger: Ledger, cents: int, currency: str | None, day) -> int:
    """Book-currency ``cents`` (a fee the policy sets) in ``currency`` at the rate holding on
    ``day`` (the book's own: unchanged). Raises ParameterError when no rate holds then."""
    if not foreign(ledger, currency):
        return int(cents)
    rate = rate_of(str(currency), ledger.currency, ledger.rates, np.array([day_number(day)]))[0]
    if rate is None:
        raise ParameterError(
            _(
                "no {currency} rate holds on {day} to state a fee in the customer's currency; "
                "add one to the rates file"
            ).format(currency=currency, day=day_text(iso(day)))
        )
    return cents_in(int(cents), rate)


def statement(
    ledger: Ledger,
    customer_id: str,
    as_of,
    *,
    lang: str = "en",
    company: dict | None = None,
    step: str | None = None,
    log=None,
    ladder=None,
) -> Document:
    """The customer's statement of account as of ``as_of``: every open item with its aging,
    the bucket totals, unapplied credits and the total (equal to the customer's
    :func:`aging_summary` row to the cent), the payments of the last days (the policy's
    ``statement_payment_days``, 90), disputed items marked as in dispute, and how to pay.
    ``company``: keys of :data:`COMPANY_KEYS` over the policy's ``[company]``. ``step``: the
    ladder step it acts on (see :func:`document_step`). With a contact ``log`` it also lists
    the open disputes ("in dispute: not chased"), the payment plans, and the late charges with
    the fee per reminder sent (date, reminder, fee); disputes imported with the ledger are
    listed without a log too."""
    ctx = _common(ledger, customer_id, as_of, lang, company)
    key = document_step(
        ledger, customer_id, as_of, step, template="statement", ladder=ladder, log=log
    )
    with using(lang):
        ctx.update(_statement_rows(ledger, customer_id, as_of, log, lang, ctx["currency"]))
        title = f"{document_title('statement')} — {ctx['customer']['name']} — {ctx['as_of']}"
        return _document("statement", ctx, "statement.html.j2", title, key)


def _payment_money(payment, lang: str, book) -> str:
    """A payment as the customer made it: in its own amount and currency (``book``, the book's
    currency, for a payment in it or a book of one currency)."""
    own = getattr(payment, "currency", None)
    code = own if isinstance(own, str) and own else book
    return money(int(getattr(payment, "paid_cents", payment.amount_cents)), lang, code)


def currency_note(rows: list[dict], currency) -> str:
    """What a document says when its items are in several currencies ("" when not)."""
    if not any(row["own"] for row in rows):
        return ""
    return pgettext(
        "customer document",
        "Amounts in {currency}; an item in another currency counts at the rate of its date, "
        "its own amount in brackets.",
    ).format(currency=currency)


def _statement_rows(ledger, customer_id, as_of, log, lang, cur) -> dict:
    """A statement's items, bucket totals, payments, disputes, plans and late charges, in the
    language spoken and the document's currency ``cur``."""
    items, totals = customer_aging(ledger, customer_id, as_of, log=log, currency=cur)
    rows = _item_rows(items, lang, cur)
    return {
        "items": rows,
        "currency_note": currency_note(rows, cur),
        "buckets": [
            {"label": _bucket_text(label), "amount": money(totals[f"{label}_cents"], lang, cur)}
            for label in bucket_labels(ledger.policy.aging.edges)
        ],
        "owed": money(totals["receivable_cents"], lang, cur),
        "unapplied": money(totals["unapplied_cents"], lang, cur),
        "total": money(totals["total_cents"], lang, cur),
        "payments": [
            {
                "date": date_text(p.payment_date, lang),
                "payment": p.payment_id,
                "applied": _text(p.allocated_invoice_id) or item_kind_text("payment"),
                "amount": _payment_money(p, lang, book_currency(ledger)),
            }
            for p in recent_payments(ledger, customer_id, as_of).itertuples()
        ],
        "disputes": _dispute_rows(ledger, customer_id, as_of, log, lang, cur),
        # a plan's instalments are agreed and logged in the book's currency: shown in it
        "plans": _plan_rows(ledger, customer_id, as_of, log, lang, book_currency(ledger)),
        "charges": _charge_rows(ledger, customer_id, as_of, log, lang, cur),
    }


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
    ladder=None,
    log=None,
) -> Document:
    """A ladder letter (``template``: reminder, notice, final_notice or legal) listing the
    customer's undisputed overdue items as of ``as_of``, the total overdue, credits on account,
    the amount to pay now and the date to pay by (``as_of`` + ``pay_within_days``, by default
    the policy's ``[documents] pay_within_days`` of the template). Disputed items are never
    demanded: their total is named as in dispute. ``step``: the ladder step key it acts on
    (default: the customer's step at ``as_of``, see :func:`document_step`); ``company`` as for
    :func:`statement`. What is in dispute follows the data's flags and the contact ``log``'s
    disputes (an item partly in dispute is asked for its undisputed part). Raises
    ParameterError when nothing undisputed is overdue (no letter to send) or for a step the
    ladder lacks."""
    check_template(template)
    key = document_step(ledger, customer_id, as_of, step, template=template, ladder=ladder, log=log)
    ctx = _common(ledger, customer_id, as_of, lang, company)
    cur = ctx["currency"]
    items, totals = customer_aging(ledger, customer_id, as_of, log=log, currency=cur)
    late = items[past_due(items, as_of)]
    asked = late["outstanding_cents"] - late["disputed_cents"]
    # a row shows what is asked; what is in dispute is named once, as the letter's total
    overdue = late[asked > 0].assign(outstanding_cents=asked[asked > 0], disputed=False)
    if not len(overdue):
        said = (
            _(
                "customer {customer} has nothing overdue as of {day} outside its disputes; "
                "no {template} letter to send"
            )
            if len(late)
            else _(
                "customer {customer} has nothing overdue as of {day}; no {template} letter to send"
            )
        )
        raise ParameterError(
            said.format(
                customer=repr(customer_id), day=day_text(ctx["as_of_iso"]), template=template
            )
        )
    overdue_cents = int(overdue["outstanding_cents"].sum())
    disputed_cents = int(late["outstanding_cents"].sum()) - overdue_cents
    credits = int(totals["unapplied_cents"])
    rules = resolve_policy(ledger.policy).documents
    days = rules.pay_within_days[template] if pay_within_days is None else int(pay_within_days)
    pay_by = pd.Timestamp(ctx["as_of_iso"]) + pd.Timedelta(days=days)
    with using(lang):
        rows = _item_rows(overdue, lang, cur)
        ctx.update(
            items=rows,
            currency_note=currency_note(rows, cur),
            overdue_total=money(overdue_cents, lang, cur),
            credits=money(credits, lang, cur) if credits else "",
            disputed=money(disputed_cents, lang, cur) if disputed_cents else "",
            to_pay=money(max(overdue_cents + credits, 0), lang, cur),
            pay_by=date_text(pay_by, lang),
            heading=document_title(template),
        )
        title = f"{ctx['heading']} — {ctx['customer']['name']} — {ctx['as_of']}"
        return _document(template, ctx, f"{template}.html.j2", title, key)
