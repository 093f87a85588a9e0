"""The Collections tab's parts without widgets (SPEC §7): checking what the call form sends
(amounts parsed exactly to cents, ISO dates), and the HTML of the worklist rows, the call screen,
the contact history, an excuse and the statement preview. Every text from the data or the user is
escaped; every code is shown as its label (:mod:`~arbook.views.dashboard.collections_labels`),
every amount with the book's currency when it has one, and no date is ever ``NaT``. The labels
are in the language spoken (the interface's); the script and the excuse's answer are in the
customer's (``lang``)."""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd

from arbook.collections.playbook import excuse, follow_up
from arbook.core.dates import date_text, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, ngettext, pgettext
from arbook.core.money import format_cents, parse_money
from arbook.core.procedure import Playbook
from arbook.views.dashboard.collections_labels import (
    amount_text,
    channel_label,
    day_text,
    excuse_label,
    item_kind_label,
    language_name,
    late_text,
    outcome_label,
    step_text,
    with_currency,
)
from arbook.views.dashboard.credit_tab import customer_credit_html
from arbook.views.format import NA
from arbook.views.html import esc, fact, table_html

OUTBOX = "outbox"
NO_EXCUSE = ""
#: Rows a long table of the call screen shows in its scroll box before saying how many more.
SCROLL_ROWS = 500
#: The worklist's columns: (title, width); the call button sits to their left.
WORKLIST_COLUMNS = (
    ("#", "3%"),
    (N_("customer"), "20%"),
    ("overdue", "11%"),  # pgettext("worklist column", "overdue"), with the currency
    (N_("oldest item"), "9%"),
    (N_("to do"), "16%"),
    (N_("last contact"), "9%"),
    (N_("next step"), "9%"),
    (N_("why"), "23%"),
)
#: The log's columns a person reads, by their titles (not its ids, the entry a correction
#: replaces, nor a document's hash): ``promised`` names the currency when the book has one.
HISTORY_SHOWN = (
    N_("when (UTC)"),
    N_("who"),
    N_("channel"),
    N_("outcome"),
    N_("excuse"),
    N_("promised"),
    N_("promised by"),
    N_("next contact"),
    N_("ladder step"),
    N_("document"),
    N_("note"),
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


def parse_amount(text, what: str | None = None) -> int | None:
    """Currency units as text -> exact int cents (``"1,234.5"`` -> 123450); blank -> None.
    Raises ParameterError for anything else (a third decimal, letters, zero or less), naming
    the amount as ``what`` says (default: the promise amount, in the language spoken)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    try:
        example = _("like {example}").format(example="1250.50")
        return parse_money(str(text).strip(), least=1, example=example)
    except ValueError as exc:
        named = what if what is not None else _("promise amount")
        raise ParameterError(f"{named} {exc}") from None


def parse_day(text, what: str) -> dt.date | None:
    """``YYYY-MM-DD`` -> date; blank -> None; anything else raises ParameterError (``what``
    names the date, in the language spoken)."""
    if text is None or (isinstance(text, str) and not text.strip()):
        return None
    value = str(text).strip()
    try:
        if _DAY.match(value):
            return dt.date.fromisoformat(value)
    except ValueError:
        pass
    raise ParameterError(
        _("{what} {value} is not a date; write YYYY-MM-DD, e.g. {example}").format(
            what=what, value=repr(value[:40]), example="2026-11-15"
        )
    )


# -- HTML ----------------------------------------------------------------------------------------


def _section(title: str) -> str:
    return f'<div class="arbook-section">{esc(title)}</div>'


def _scroll(inner: str, cls: str = "") -> str:
    """A fixed-height box that scrolls its table in place (its head stays on top)."""
    return f'<div class="arbook-scroll {cls}">{inner}</div>'


def worklist_summary_html(frame: pd.DataFrame, day, currency: str | None) -> str:
    overdue = int(frame["overdue_cents"].sum()) if len(frame) else 0
    title = _("Worklist as of {day}").format(day=date_text(pd.Timestamp(day)))
    count = ngettext(
        "{count} customer to contact, {amount} overdue (not counting what is in dispute).",
        "{count} customers to contact, {amount} overdue (not counting what is in dispute).",
        len(frame),
    ).format(count=format_count(len(frame)), amount=amount_text(overdue, currency))
    press = _("Press a customer's button to open its call screen.")
    return (
        f'<div class="arbook">{_section(title)}'
        f'<span class="arbook-note">{esc(count)} {esc(press)}</span></div>'
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
        f'<th class="{"num" if t == "overdue" else ""}">{esc(_worklist_title(t, currency))}</th>'
        for t, _width in WORKLIST_COLUMNS
    )
    return (
        f'<table class="arbook arbook-table arbook-wl">{_colgroup()}'
        f"<thead><tr>{heads}</tr></thead></table>"
    )


def _worklist_title(title: str, currency: str | None) -> str:
    if title == "overdue":
        return with_currency(pgettext("worklist column", "overdue"), currency)
    return title if title == "#" else _(title)


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
            + small(
                _("+ {amount} in dispute").format(amount=format_cents(disputed)) if disputed else ""
            ),
            "num",
        ),
        (esc(late_text(row["oldest_days"])), ""),
        ((f"<b>{esc(step)}</b><br>" if step else "") + esc(row["action"]), ""),
        (esc(day_text(row["last_contact"], never=_("never"))), "day"),
        (esc(day_text(row["next_date"])), "day"),
        (f'<span class="arbook-small">{esc(row["reason"])}</span>', ""),
    ]
    tds = "".join(f'<td class="{cls}">{text}</td>' for text, cls in cells)
    return (
        f'<table class="arbook arbook-table arbook-wl" data-customer="{esc(row["customer_id"])}">'
        f"{_colgroup()}<tbody><tr>{tds}</tr></tbody></table>"
    )


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
    ``row`` is its worklist row, None when it is not on the worklist. The labels are in the
    language spoken; the script is the row's, in ``lang``."""
    who = _who(review.ledger, customer_id)
    name = who["name"] or (row["name"] if row is not None else customer_id)
    facts = [
        (_("Phone"), who["phone"] or _(NA)),
        (_("Contact"), who["contact"] or _(NA)),
        (_("E-mail"), who["email"] or _(NA)),
        (_("Language"), language_name(lang)),
    ]
    if row is not None:
        facts += [
            (_("Overdue"), amount_text(int(row["overdue_cents"]), currency)),
            (_("Oldest item"), late_text(row["oldest_days"])),
            (_("Ladder step"), str(row["step_label"] or pgettext("ladder step", "none"))),
            (_("To do"), str(row["action"])),
            (_("Last contact"), day_text(row["last_contact"], never=_("never"))),
        ]
        if int(row["disputed_cents"]):
            facts.append(
                (_("In dispute (not chased)"), amount_text(row["disputed_cents"], currency))
            )
    credit, _charges = customer_credit_html(review, customer_id)
    cells = "".join(fact(k, v) for k, v in facts + credit)
    if row is not None:
        why = _("Why today: {reason}").format(reason=row["reason"])
        why = f'<p class="arbook-reason">{esc(why)}</p>'
        heading = _("Script ({language})").format(language=language_name(lang))
        script = (
            f"{_section(heading)}"
            f'<blockquote class="arbook-script" lang="{esc(lang)}">{esc(row["script"])}'
            "</blockquote>"
            if row["script"]
            else ""
        )
    else:
        absent = _("Not on the worklist today.")
        why, script = f'<p class="arbook-note">{esc(absent)}</p>', ""
    listed = _("Open items ({count})").format(count=format_count(len(items)))
    return (
        f'<div class="arbook arbook-call-head" data-customer="{esc(customer_id)}">'
        f"<h3>{esc(name)} ({esc(customer_id)})</h3>"
        f'<div class="arbook-facts">{cells}</div>{why}{script}'
        f"{_section(listed)}{items_html(items, currency)}</div>"
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
            "kind": items["kind"].map(item_kind_label),
            "date": items["document_date"].map(day_text),
            "due": items["due_date"].map(day_text),
            "amount_cents": items["amount_cents"],
            "outstanding_cents": items["outstanding_cents"],
            "status": [
                late_text(d) if o else _("credit on account")
                for d, o in zip(items["days_overdue"], owed)
            ],
            "in dispute": items["disputed_cents"].map(
                lambda c: amount_text(c, currency) if c else ""
            ),
        }
    )
    titles = {
        "document": _("document"),
        "kind": _("kind"),
        "date": _("date"),
        "due": pgettext("a date", "due"),
        "amount_cents": with_currency(_("amount"), currency),
        "outstanding_cents": with_currency(_("outstanding"), currency),
        "status": _("status"),
        "in dispute": _("in dispute"),
    }
    return _scroll(
        table_html(shown, total=True, titles=titles, max_rows=SCROLL_ROWS), "arbook-items"
    )


def _when(at) -> str:
    """A moment of the log (UTC) as a day and a time: ``2026-10-31 12:00`` in English."""
    return "" if pd.isna(at) else f"{date_text(at)} {at:%H:%M}"


def history_html(
    history: pd.DataFrame, *, playbook: Playbook, lang: str, currency: str | None
) -> str:
    """The contacts logged, newest first, every code as its label, no ``NaT``; the excuses in
    ``lang`` (the customer's words), the rest in the language spoken."""
    heading = _("Contacts logged ({count}, newest first)").format(count=format_count(len(history)))
    if history.empty:  # the table's own "Nothing to show.", said here in the language spoken
        empty = _("Nothing to show.")
        return (
            f'<div class="arbook">{_section(heading)}<p class="arbook-note">{esc(empty)}</p></div>'
        )
    columns = {
        "when (UTC)": history["at"].map(_when),
        "who": history["who"],
        "channel": history["channel"].map(channel_label),
        "outcome": history["outcome"].map(outcome_label),
        "excuse": history["excuse"].map(lambda c: excuse_label(c, playbook, lang)),
        "promised": history["promise_cents"].map(lambda c: amount_text(c, currency)),
        "promised by": history["promise_date"].map(day_text),
        "next contact": history["next_date"].map(day_text),
        "ladder step": history["step"].map(lambda k: step_text(k)),
        "document": history["document"].map(lambda d: "" if d is None else str(d)),
        "note": history["note"],
    }
    frame = pd.DataFrame({c: columns[c] for c in HISTORY_SHOWN})
    titles = {c: _(c) for c in HISTORY_SHOWN}
    titles["promised"] = with_currency(_("promised"), currency)
    return (
        f'<div class="arbook">{_section(heading)}'
        f"{_scroll(table_html(frame, titles=titles, max_rows=SCROLL_ROWS))}</div>"
    )


def excuse_html(code: str, contact_day: dt.date, *, lang: str, playbook: Playbook) -> str:
    """The playbook's answer to excuse ``code`` in ``lang`` (what the customer hears): what
    they say, the answer, the facts to pin down, the next step; its labels and the follow-up
    date in the language spoken."""
    if not code:
        hint = _("If the customer gives an excuse, choose it to see the answer to give.")
        return f'<p class="arbook-note">{esc(hint)}</p>'
    text = excuse(code, lang, playbook=playbook)
    facts = "".join(f'<li lang="{esc(lang)}">{esc(f)}</li>' for f in text["pin_down"])
    then = date_text(follow_up(code, contact_day, playbook=playbook))
    follow = _("(follow up on {date})").format(date=then)

    def said(label: str, words: str) -> str:
        return f'<b>{esc(label)}</b> <span lang="{esc(lang)}">{esc(words)}</span>'

    they, answer = said(_("They say:"), text["excuse"]), said(_("Answer:"), text["answer"])
    pin, step = esc(_("Pin down:")), said(_("Next step:"), text["next_step"])
    return (
        f'<div class="arbook arbook-excuse-text" data-excuse="{esc(code)}">'
        f"<p>{they}</p><p>{answer}</p><p><b>{pin}</b></p><ul>{facts}</ul>"
        f"<p>{step} {esc(follow)}</p></div>"
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
