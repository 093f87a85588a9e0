"""What the Collections tab shows a person instead of a code: channels ("e-mail") and outcomes
("no answer") as the contact log names them (its ``CHANNEL_LABELS`` and ``OUTCOME_LABELS``),
excuses (the playbook's text in the customer's language), ladder steps ("second call"),
dispute resolutions and the other ways to follow a dispute (a note, a new owner), languages
("Russian"), how late an item is ("due in 3 days", never "-3 days overdue") and amounts with
the book's currency. Dropdowns take ``(label, code)`` pairs from here.

A code without a label of its own (one a newer log or ladder brings) is shown in words, its
underscores as spaces, never as the bare code.
"""

from __future__ import annotations

import pandas as pd
from babel import Locale

from arbook.collections.contacts import (
    CHANNEL_LABELS,
    CHANNELS,
    DOCUMENT_OUTCOMES,
    OUTCOME_LABELS,
    OUTCOMES,
)
from arbook.collections.documents import TEMPLATES
from arbook.collections.ladder import step_text as ladder_step_text
from arbook.core.dates import days_text
from arbook.core.procedure import Playbook
from arbook.measures.disputes import RESOLUTIONS
from arbook.views.dashboard.load_data_parts import money

#: how each resolution of a dispute reads in the form (SPEC §7: paid, credited or rejected)
RESOLUTION_LABELS = {
    "paid": "paid (the customer paid it)",
    "credited": "credited (we credit it)",
    "rejected": "rejected (it is owed: chase it)",
}
#: following a dispute short of resolving it (SPEC §7: notes, a new owner)
DISPUTE_ACTION_LABELS = {"note": "Add a note", "owner": "Hand to a new owner"}
#: the documents the call screen makes: the statement and the ladder's letters
DOCUMENT_LABELS = {
    "statement": "statement of account",
    "reminder": "reminder letter",
    "notice": "written notice",
    "final_notice": "final notice",
    "legal": "legal letter",
}


def in_words(code) -> str:
    """A code a table has no label for, in words: ``left_message`` -> "left message"."""
    return "" if code is None or pd.isna(code) else str(code).replace("_", " ")


def channel_label(code) -> str:
    return CHANNEL_LABELS.get(code) or in_words(code)


def outcome_label(code) -> str:
    return OUTCOME_LABELS.get(code) or in_words(code)


def channel_options() -> list[tuple[str, str]]:
    """(label, code) for every channel the log takes, in the log's order."""
    return [(channel_label(c), c) for c in CHANNELS]


def outcome_options(*, documents: bool = False) -> list[tuple[str, str]]:
    """(label, code) for the outcomes a person logs by hand; ``documents`` adds "sent" and
    "saved", which the send path records with the document and its hash."""
    return [(outcome_label(c), c) for c in OUTCOMES if documents or c not in DOCUMENT_OUTCOMES]


def resolution_options() -> list[tuple[str, str]]:
    """(label, code) for each way a dispute is resolved."""
    return [(RESOLUTION_LABELS.get(r) or in_words(r), r) for r in RESOLUTIONS]


def dispute_action_options() -> list[tuple[str, str]]:
    """(label, code) for each way to follow an open dispute: a note (``note``), a new owner
    (``owner``), then each resolution ("Resolved: paid (the customer paid it)", ``paid``)."""
    follow = [(label, code) for code, label in DISPUTE_ACTION_LABELS.items()]
    return follow + [(f"Resolved: {label}", code) for label, code in resolution_options()]


def document_label(kind) -> str:
    """A document's kind in words: ``final_notice`` -> "final notice"."""
    return DOCUMENT_LABELS.get(kind) or in_words(kind)


def document_options() -> list[tuple[str, str]]:
    """(label, kind): the statement first, then each ladder letter."""
    return [(document_label(k), k) for k in ("statement", *TEMPLATES)]


def excuse_label(code, playbook: Playbook, lang: str) -> str:
    """The playbook's words for excuse ``code`` in ``lang``; free text (an excuse the playbook
    does not know) as written; "" for none."""
    if code is None or pd.isna(code) or not str(code).strip():
        return ""
    known = {e.code: e for e in playbook.excuses}
    if code in known:
        return getattr(known[code], lang).excuse
    return str(code)


def step_text(key) -> str:
    """A ladder step's key as a person reads it (:func:`arbook.collections.ladder.step_text`);
    "" for a blank or missing one."""
    if key is None or pd.isna(key) or not str(key):
        return ""
    return ladder_step_text(key)


def late_text(days) -> str:
    """How late an item is: "12 days overdue", "due today", "due in 3 days"."""
    if days is None or pd.isna(days):
        return ""
    days = int(days)
    if days > 0:
        return f"{days_text(days)} overdue"
    return "due today" if days == 0 else f"due in {days_text(-days)}"


def day_text(value, *, never: str = "") -> str:
    """A date as ``YYYY-MM-DD``; ``never`` (blank by default) for none, never ``NaT``."""
    if value is None or pd.isna(value):
        return never
    return f"{pd.Timestamp(value):%Y-%m-%d}"


def amount_text(cents, currency: str | None) -> str:
    """Cents with the book's currency when the data names one; "" for none."""
    if cents is None or pd.isna(cents):
        return ""
    return money(int(cents), currency)


def with_currency(title: str, currency: str | None) -> str:
    """A money column's title naming the currency: "overdue (EUR)"."""
    return f"{title} ({currency})" if currency else title


def language_name(lang: str) -> str:
    """``ru`` -> "Russian"."""
    try:
        return Locale.parse(lang).get_language_name("en") or lang
    except (ValueError, TypeError):
        return lang


__all__ = [
    "DISPUTE_ACTION_LABELS",
    "DOCUMENT_LABELS",
    "RESOLUTION_LABELS",
    "amount_text",
    "channel_label",
    "channel_options",
    "day_text",
    "dispute_action_options",
    "document_label",
    "document_options",
    "excuse_label",
    "in_words",
    "language_name",
    "late_text",
    "outcome_label",
    "outcome_options",
    "resolution_options",
    "step_text",
    "with_currency",
]
