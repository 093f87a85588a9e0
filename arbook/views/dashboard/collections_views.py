"""The Collections tab's parts without widgets (SPEC §7): checking what the call form sends
(amounts parsed exactly to cents, ISO dates), and the HTML of the worklist rows, the call screen,
the contact history, an excuse and the statement preview. Every text from the data or the user is
escaped; every code is shown as its label (:mod:`~arbook.views.dashboard.collections_labels`),
every amount with the book's currency when it has one, and no date is ever ``NaT``."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from arbook.collections.playbook import excuse, follow_up
from arbook.core.errors import ParameterError
from arbook.core.money import format_cents, parse_money
from arbook.core.procedure import Playbook
from arbook.views.dashboard.collections_labels import (
    amount_text,
    channel_label,
    day_text,
    excuse_label,
    in_words,
    language_name,
    late_text,
    outcome_label,
    step_text,
    with_currency,
)
from arbook.views.dashboard.credit_tab import customer_credit_html
from arbook.views.html import esc, table_html

OUTBOX = "outbox"
NO_EXCUSE = ""
#: Rows a long table of the call screen shows in its scroll box before saying how many more.
SCROLL_ROWS = 500
#: The worklist's columns: (title, width); the call button sits to their left.
WORKLIST_COLUMNS = (
    ("#", "3%"),
    ("customer", "20%"),
    ("overdue", "11%"),
    ("oldest item", "9%"),
    ("to do", "16%"),
    ("last contact", "9%"),
    ("next step", "9%"),
    ("why", "23%"),
)
#: The log's columns a person reads, by their titles (not its ids, the entry a correction
#: replaces, nor a document's hash): ``promised`` names the currency when the book has one.
HISTORY_SHOWN = (
    "when (UTC)",
    "who",
    "channel",
    "outcome",
    "excuse",
    "promised",
    "promised by",
    "next contact",
    "ladder step",
    "document",
    "note",
)
COLLECTIONS_CSS = """
<style>
.arbook-wl { table-layout: fixed; width: 100%; margin: 0 !important; }
.arbook-wl td, .arbook-wl th { overflow-wrap: break-word; vertical-align: top; line-height: 1.3;
  padding: 4px 6px; }
.arbook-wl .arbook-small { color: #52606d; font-size: 12px; }
.arbook-wl td.day, .arbook-wl td:first-child { white-space: nowrap; }
.arbook-worklist-row { border-bottom: 1px solid #e4e9ef; align-items: flex-start; }
.arbook-worklist-row .arbook-worklist-call { width: 110px; margin: 3px 6px 3px 0;
  flex: none; }
.arbook-worklist-head { margin-left: 116px; }
.arbook-worklist-head table.arbook-table th { border-bottom: 0; }
.arbook-scroll { max-height: 360px; overflow: auto; border: 1px solid #e4e9ef; }
.arbook-scroll table.arbook-table { margin: 0; }
.arbook-scroll thead th { position: sticky; top: 0; }
.arbook-script { font-size: 15px; background: #f8fafc; border-left: 4px solid #8fa6c1;
  margin: 4px 0 10px; padding: 6px 12px; }
</style>
"""

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


def _scroll(inner: str, cls: str = "") -> str:
    """A fixed-height box that scrolls its table in place (its head stays on top)."""
    return f'<div class="arbook-scroll {cls}">{inner}</div>'


def worklist_summary_html(frame: pd.DataFrame, day, currency: str | None) -> str:
    overdue = int(frame["overdue_cents"].sum()) if len(frame) else 0
    return (
        f'<div class="arbook">{_section(f"Worklist as of {pd.Timestamp(day):%Y-%m-%d}")}'
        f'<span class="arbook-note">{len(frame):,} customers to contact, '
        f"{esc(amount_text(overdue, currency))} overdue (not counting what is in dispute). "
        "Press a customer's button to open its call screen.</span></div>"
    )


def _colgroup() -> str:
    return (
        "<colgroup>"
        + "".join(f'<col style="width:{w}">' for _, w in WORKLIST_COLUMNS)
        + ("</colgroup>")
    )


def worklist_head_html(currency: str | None) -> str:
    """The worklist's column titles, aligned with :func:`worklist_row_html`'s cells."""
    heads = "".join(
        f'<th class="{"num" if t == "overdue" else ""}">'
        f"{esc(with_currency(t, currency) if t == 'overdue' else t)}</th>"
        for t, _ in WORKLIST_COLUMNS
    )
    return (
        f'<table class="arbook arbook-table arbook-wl">{_colgroup()}'
        f"<thead><tr>{heads}</tr></thead></table>"
    )


def worklist_row_html(row, currency: str | None) -> str:
    """One worklist row as a one-row table whose cells line up with the head's (``data-customer``
    names its customer)."""

    def small(text: str) -> str:
        return f'<br><span class="arbook-small">{esc(text)}</span>' if text else ""

    disputed = int(row["disputed_cents"])
    step = str(row["step_label"] or "")
    cells = [
        (esc(f"{int(row['rank'])}"), "num"),
        (
            f"<b>{esc(row['name'])}</b>"
            + small(" · ".join(t for t in (row["customer_id"], row["phone"] or "") if t)),
            "",
        ),
        (
            esc(format_cents(int(row["overdue_cents"])))
            + small(f"+ {format_cents(disputed)} in dispute" if disputed else ""),
            "num",
        ),
        (esc(late_text(row["oldest_days"])), ""),
        ((f"<b>{esc(step)}</b><br>" if step else "") + esc(row["action"]), ""),
        (esc(day_text(row["last_contact"], never="never")), "day"),
        (esc(day_text(row["next_date"])), "day"),
        (f'<span class="arbook-small">{esc(row["reason"])}</span>', ""),
    ]
    tds = "".join(f'<td class="{cls}">{text}</td>' for text, cls in cells)
    return (
        f'<table class="arbook arbook-table arbook-wl" data-customer="{esc(row["customer_id"])}">'
        f"{_colgroup()}<tbody><tr>{tds}</tr></tbody></table>"
    )


def _fact(label: str, value: str) -> str:
    return f"<div>{esc(label)}<br><b>{esc(value)}</b></div>"


def _who(ledger, customer_id: str) -> dict:
    customers = ledger.customers.set_index("customer_id")
    found = customers.loc[customer_id] if customer_id in customers.index else None

    def field(name):
        value = None if found is None else found.get(name)
        return "" if value is None or pd.isna(value) else str(value)

    return {n: field(n) for n in ("name", "phone", "contact", "email")}


def call_html(review, customer_id: str, row, *, items, lang: str, currency: str | None) -> str:
    """The call screen's head: who to call (in which language), where it stands on the ladder
    and why, the script (in the customer's language), its credit and its open ``items`` (an
    aging frame by due date at the work day, with ``disputed_cents``: see :func:`items_html`).
    ``row`` is its worklist row, None when it is not on the worklist."""
    who = _who(review.ledger, customer_id)
    name = who["name"] or (row["name"] if row is not None else customer_id)
    facts = [
        ("Phone", who["phone"] or "n/a"),
        ("Contact", who["contact"] or "n/a"),
        ("E-mail", who["email"] or "n/a"),
        ("Language", language_name(lang)),
    ]
    if row is not None:
        facts += [
            ("Overdue", amount_text(int(row["overdue_cents"]), currency)),
            ("Oldest item", late_text(row["oldest_days"])),
            ("Ladder step", str(row["step_label"] or "none")),
            ("To do", str(row["action"])),
            ("Last contact", day_text(row["last_contact"], never="never")),
        ]
        if int(row["disputed_cents"]):
            facts.append(("In dispute (not chased)", amount_text(row["disputed_cents"], currency)))
    credit, _ = customer_credit_html(review, customer_id)
    cells = "".join(_fact(k, v) for k, v in facts + credit)
    if row is not None:
        why = f'<p class="arbook-reason">Why today: {esc(row["reason"])}</p>'
        script = (
            f"{_section(f'Script ({language_name(lang)})')}"
            f'<blockquote class="arbook-script" lang="{esc(lang)}">{esc(row["script"])}'
            "</blockquote>"
            if row["script"]
            else ""
        )
    else:
        why, script = '<p class="arbook-note">Not on the worklist today.</p>', ""
    return (
        f'<div class="arbook arbook-call-head" data-customer="{esc(customer_id)}">'
        f"<h3>{esc(name)} ({esc(customer_id)})</h3>"
        f'<div class="arbook-facts">{cells}</div>{why}{script}'
        f"{_section(f'Open items ({len(items):,})')}{items_html(items, currency)}</div>"
    )


def items_html(items: pd.DataFrame, currency: str | None) -> str:
    """A customer's open items, oldest due first, with how late each is in words and how much
    of it is in dispute: ``items["disputed_cents"]``, the one rule's amount (SPEC §7,
    :func:`~arbook.measures.disputes.disputed_of` with the contact log), "" for none."""
    items = items.sort_values(["due_date", "document_id"], kind="stable")
    owed = items["outstanding_cents"] > 0
    shown = pd.DataFrame(
        {
            "document": items["document_id"],
            "kind": items["kind"].map(in_words),
            "date": items["document_date"].map(day_text),
            "due": items["due_date"].map(day_text),
            "amount_cents": items["amount_cents"],
            "outstanding_cents": items["outstanding_cents"],
            "status": [
                late_text(d) if o else "credit on account"
                for d, o in zip(items["days_overdue"], owed)
            ],
            "in dispute": items["disputed_cents"].map(
                lambda c: amount_text(c, currency) if c else ""
            ),
        }
    )
    titles = {
        "amount_cents": with_currency("amount", currency),
        "outstanding_cents": with_currency("outstanding", currency),
    }
    return _scroll(
        table_html(shown, total=True, titles=titles, max_rows=SCROLL_ROWS), "arbook-items"
    )


def history_html(
    history: pd.DataFrame, *, playbook: Playbook, lang: str, currency: str | None
) -> str:
    """The contacts logged, newest first, every code as its label, no ``NaT``."""
    promised = with_currency("promised", currency)
    frame = pd.DataFrame(
        {
            "when (UTC)": history["at"].dt.strftime("%Y-%m-%d %H:%M"),
            "who": history["who"],
            "channel": history["channel"].map(channel_label),
            "outcome": history["outcome"].map(outcome_label),
            "excuse": history["excuse"].map(lambda c: excuse_label(c, playbook, lang)),
            promised: history["promise_cents"].map(lambda c: amount_text(c, currency)),
            "promised by": history["promise_date"].map(day_text),
            "next contact": history["next_date"].map(day_text),
            "ladder step": history["step"].map(lambda k: step_text(k)),
            "document": history["document"].map(lambda d: "" if d is None else str(d)),
            "note": history["note"],
        },
        columns=[promised if c == "promised" else c for c in HISTORY_SHOWN],
    )
    return (
        f'<div class="arbook">{_section(f"Contacts logged ({len(frame):,}, newest first)")}'
        f"{_scroll(table_html(frame, max_rows=SCROLL_ROWS))}</div>"
    )


def excuse_html(code: str, contact_day: dt.date, *, lang: str, playbook: Playbook) -> str:
    """The playbook's answer to excuse ``code`` in ``lang``: what they say, the answer, the facts
    to pin down, the next step and the follow-up date."""
    if not code:
        return (
            '<p class="arbook-note">If the customer gives an excuse, choose it to see the '
            "answer to give.</p>"
        )
    text = excuse(code, lang, playbook=playbook)
    facts = "".join(f"<li>{esc(f)}</li>" for f in text["pin_down"])
    return (
        f'<div class="arbook arbook-excuse-text" data-excuse="{esc(code)}" lang="{esc(lang)}">'
        f"<p><b>They say:</b> {esc(text['excuse'])}</p>"
        f"<p><b>Answer:</b> {esc(text['answer'])}</p>"
        f"<p><b>Pin down:</b></p><ul>{facts}</ul>"
        f"<p><b>Next step:</b> {esc(text['next_step'])} (follow up on "
        f"{follow_up(code, contact_day, playbook=playbook):%Y-%m-%d})</p></div>"
    )


def preview_html(document_html: str) -> str:
    """The statement in a sandboxed frame: its styles stay inside, nothing in it runs."""
    return (
        f'<iframe class="arbook-statement-frame" sandbox="" srcdoc="{esc(document_html)}" '
        'style="width:100%;height:640px;border:1px solid #ccd;background:#fff"></iframe>'
    )


__all__ = [
    "COLLECTIONS_CSS",
    "call_html",
    "excuse_html",
    "history_html",
    "items_html",
    "parse_amount",
    "parse_day",
    "preview_html",
    "worklist_head_html",
    "worklist_row_html",
    "worklist_summary_html",
]
