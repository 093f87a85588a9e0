"""The dashboard's drill-down: a customer's open items, payments, behaviour and credit, or the
open items of one aging bucket (what a click on a bar or a customer shows), and the hint shown
before anything is picked. Amounts name the ledger's currency; what is in dispute is the
review's (the data's flags and the contact log's)."""

from __future__ import annotations

import pandas as pd

from arbook.core.dates import format_count
from arbook.core.i18n import N_, _, ngettext
from arbook.measures.aging import UNAPPLIED
from arbook.measures.history import na_text
from arbook.views.dashboard.credit_tab import customer_credit_html
from arbook.views.dashboard.parts import ITEM_COLUMNS, titles
from arbook.views.format import (
    bucket_text,
    format_ratio,
    money_text,
)
from arbook.views.html import esc, esc_text, fact, table_html
from arbook.workbook.review import (
    Review,
    bucket_items,
    customer_detail,
)


def drill_customer_html(review: Review, customer_id: str) -> str:
    """A customer's open items (with what of each is in dispute, :attr:`Review.disputed`),
    payment history, payment behaviour and credit: score, its trend, limit and use of it, hold
    with reasons, and late charges at the policy's rate."""
    detail = customer_detail(review, customer_id)
    name = review.ledger.names(pd.Series([customer_id]))[0]
    items, payments, behaviour = detail["items"], detail["payments"], detail["behaviour"]
    out, currency = items["outstanding_cents"], review.ledger.currency
    facts = [fact(_("Owes"), money_text(int(out[out > 0].sum()), currency))]
    if (out < 0).any():
        owed_back = money_text(int(out[out < 0].sum()), currency)
        facts.append(fact(_("Credits and unapplied cash"), owed_back))
    disputed = int(items["disputed_cents"].sum())  # the review's: the data's flags and the log's
    if disputed:
        facts.append(fact(_("In dispute (not chased)"), money_text(disputed, currency)))
    if len(behaviour):
        row = behaviour.iloc[0]
        facts += [
            fact(_("Average days to pay"), format_ratio(row["avg_days_to_pay"])),
            fact(_("Days beyond terms"), format_ratio(row["days_beyond_terms"])),
            fact(_("Share paid late"), format_ratio(row["share_paid_late"], percent=True)),
        ]
    else:
        why = na_text(review.ledger) or _("n/a (no payment experience yet)")
        facts.append(fact(_("Payment behaviour"), why))
    credit_facts, charges = customer_credit_html(review, customer_id)
    facts += [fact(label, value) for label, value in credit_facts]
    item_titles = titles(review.settings.basis)
    shown = items[ITEM_COLUMNS].astype({"bucket": str})
    open_items = _("Open items ({count})").format(count=format_count(len(items)))
    received = _("Payments received ({count}, newest first)").format(
        count=format_count(len(payments))
    )
    return (
        f'<div class="arbook arbook-drill-customer" data-customer="{esc(customer_id)}">'
        f"<h3>{esc(name)} ({esc(customer_id)})</h3>"
        f'<div class="arbook-facts">{"".join(facts)}</div>'
        f'<div class="arbook-section">{esc_text(open_items)}</div>'
        f"{table_html(shown, total=True, titles=item_titles)}"
        f'<div class="arbook-section">{esc_text(received)}'
        f"</div>{table_html(payments, max_rows=50, titles=item_titles)}{charges}</div>"
    )


def drill_bucket_html(review: Review, bucket: str) -> str:
    """The open items of one bucket, largest first, with what of each is in dispute."""
    items = bucket_items(review, bucket)
    items = items.assign(name=review.ledger.names(items["customer_id"]))
    cols = [
        "customer_id",
        "name",
        "document_id",
        "document_date",
        "due_date",
        "outstanding_cents",
        "days_overdue",
        "disputed_cents",
    ]
    basis = review.settings.basis
    if bucket == UNAPPLIED:
        what = _("unapplied cash and credits")
    elif bucket == "current":
        what = _(CURRENT_WORDS[basis])
    else:
        what = _(BUCKET_DAYS[basis]).format(bucket=bucket_text(bucket))
    count = len(items)
    head = _("Open items {what}: {items}, {amount}").format(
        what=what,
        items=ngettext("{count} item", "{count} items", count).format(count=format_count(count)),
        amount=money_text(int(items["outstanding_cents"].sum()), review.ledger.currency),
    )
    return (
        f'<div class="arbook arbook-drill-bucket" data-bucket="{esc(bucket)}">'
        f"<h3>{esc_text(head)}</h3>"
        f"{table_html(items[cols], total=True, max_rows=200, titles=titles(basis))}</div>"
    )


#: The current bucket and the others in the drill-down's heading, by aging basis.
CURRENT_WORDS = {"due": N_("not yet due"), "invoice": N_("invoiced today")}
BUCKET_DAYS = {"due": N_("{bucket} days overdue"), "invoice": N_("{bucket} days since invoice")}


def drill_hint() -> str:
    """What the drill-down says before anything is picked."""
    text = _(
        'Click a bar of the aging chart or a customer in "{tab}" (or choose a customer there) '
        "to see the items behind it."
    ).format(tab=_("Who owes what"))
    return f'<div class="arbook arbook-note">{esc_text(text)}</div>'
