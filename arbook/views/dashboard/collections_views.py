"""The Collections tab's parts without widgets (SPEC §7): checking what the call form sends
(amounts parsed exactly to cents, ISO dates), and the HTML of the worklist, the call screen, the
contact history, an excuse and the statement preview. Every text from the data or the user is
escaped."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from arbook.collections.contacts import HISTORY_COLUMNS
from arbook.collections.playbook import excuse, follow_up
from arbook.core.errors import ParameterError
from arbook.core.money import format_cents, parse_money
from arbook.views.dashboard.credit_tab import customer_credit_html
from arbook.views.dashboard.parts import ITEM_COLUMNS, titles
from arbook.views.html import esc, table_html
from arbook.workbook.review import Review, customer_detail

OUTBOX = "outbox"
NO_EXCUSE = ""
WORKLIST_SHOWN = [
    "rank",
    "customer_id",
    "name",
    "phone",
    "overdue_cents",
    "oldest_days",
    "action",
    "reason",
    "last_contact",
    "next_date",
    "disputed_cents",
]
WORKLIST_TITLES = {
    "overdue_cents": "overdue (not in dispute)",
    "oldest_days": "oldest (days)",
    "last_contact": "last contact",
    "next_date": "next action",
}
#: the log's columns a person reads (not its ids, nor the entry a correction replaces)
HISTORY_SHOWN = [c for c in HISTORY_COLUMNS if c not in ("id", "customer_id", "corrects")]
HISTORY_TITLES = {
    "at": "when (UTC)",
    "promise_cents": "promised",
    "promise_date": "promised by",
    "next_date": "next contact",
}
#: 1234, 1234.5, 1234.56 or 1,234.56: no sign, at most two decimals.
_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


# -- checking what the form sends ----------------------------------------------------------------


def parse_amount(text, what: str = "promise amount") -> int | None:
    """Currency units as text -> exact int cents (``"1,234.5"`` -> 123450); blank -> None.
    Raises ParameterError for anything else (a third decimal, letters, zero or less)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        return parse_money(str(text).strip(), least=1, example="like 1250.50")
    except ValueError as exc:
        raise ParameterError(f"{what} {exc}") from None


def parse_day(text, what: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> date; blank -> None; anything else raises ParameterError."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = str(text).strip()
    try:
        if _DAY.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ParameterError(f"{what} {value[:40]!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-15")


# -- HTML ----------------------------------------------------------------------------------------


def _section(title: str) -> str:
    return f'<div class="arbook-section">{esc(title)}</div>'


def worklist_html(frame: pd.DataFrame, as_of) -> str:
    head = (
        f"Worklist as of {pd.Timestamp(as_of):%Y-%m-%d}: {len(frame):,} customers to contact, "
        f"{format_cents(int(frame['overdue_cents'].sum())) if len(frame) else '0.00'} "
        "overdue. Choose a customer below to open its call screen."
    )
    return (
        f'<div class="arbook">{_section(head)}'
        f"{table_html(frame[WORKLIST_SHOWN], max_rows=100, titles=WORKLIST_TITLES)}</div>"
    )


def call_html(review: Review, customer_id: str, row) -> str:
    """The call screen's head: who to call, the ladder step and why, the script, the score and
    the open items."""
    customers = review.ledger.customers.set_index("customer_id")
    who = customers.loc[customer_id] if customer_id in customers.index else None

    def field(name):
        value = None if who is None else who.get(name)
        return "" if value is None or pd.isna(value) else str(value)

    name = field("name") or (row["name"] if row is not None else customer_id)
    facts = [
        ("Phone", field("phone") or "n/a"),
        ("Contact", field("contact") or "n/a"),
        ("E-mail", field("email") or "n/a"),
    ]
    if row is not None:
        facts += [
            ("Overdue", format_cents(int(row["overdue_cents"]))),
            ("Oldest item", f"{int(row['oldest_days'])} days overdue"),
            ("Step", f"{row['step']}: {row['action']}"),
        ]
    credit, _ = customer_credit_html(review, customer_id)
    facts += credit
    cells = "".join(f"<div>{esc(k)}<br><b>{esc(v)}</b></div>" for k, v in facts)
    if row is not None:
        why = f'<p class="arbook-reason">Why today: {esc(row["reason"])}</p>'
        script = (
            f'{_section("Script")}<blockquote class="arbook-script">'
            f"{esc(row['script'])}</blockquote>"
        )
    else:
        why, script = '<p class="arbook-note">Not on the worklist today.</p>', ""
    items = customer_detail(review, customer_id)["items"]
    shown = items[ITEM_COLUMNS].astype({"bucket": str})
    return (
        f'<div class="arbook arbook-call-head" data-customer="{esc(customer_id)}">'
        f"<h3>{esc(name)} ({esc(customer_id)})</h3>"
        f'<div class="arbook-facts">{cells}</div>{why}{script}'
        f"{_section(f'Open items ({len(items):,})')}"
        f"{table_html(shown, total=True, titles=titles(review.settings.basis))}"
        "</div>"
    )


def history_html(history: pd.DataFrame) -> str:
    frame = history[HISTORY_SHOWN].assign(
        at=history["at"].dt.strftime("%Y-%m-%d %H:%M"), excuse=history["excuse"].fillna("")
    )
    return (
        f'<div class="arbook">{_section(f"Contacts logged ({len(frame):,}, newest first)")}'
        f"{table_html(frame, max_rows=100, titles=HISTORY_TITLES)}</div>"
    )


def excuse_html(code: str, contact_day: dt.date) -> str:
    if not code:
        return (
            '<p class="arbook-note">If the customer gives an excuse, choose it to see the '
            "answer to give.</p>"
        )
    text = excuse(code)
    facts = "".join(f"<li>{esc(f)}</li>" for f in text["pin_down"])
    return (
        f'<div class="arbook arbook-excuse-text" data-excuse="{esc(code)}">'
        f"<p><b>They say:</b> {esc(text['excuse'])}</p>"
        f"<p><b>Answer:</b> {esc(text['answer'])}</p>"
        f"<p><b>Pin down:</b></p><ul>{facts}</ul>"
        f"<p><b>Next step:</b> {esc(text['next_step'])} (follow up on "
        f"{follow_up(code, contact_day):%Y-%m-%d})</p></div>"
    )


def preview_html(document_html: str) -> str:
    """The statement in a sandboxed frame: its styles stay inside, nothing in it runs."""
    return (
        f'<iframe class="arbook-statement-frame" sandbox="" srcdoc="{esc(document_html)}" '
        'style="width:100%;height:640px;border:1px solid #ccd;background:#fff"></iframe>'
    )


__all__ = [
    "call_html",
    "excuse_html",
    "history_html",
    "parse_amount",
    "parse_day",
    "preview_html",
    "worklist_html",
]
