"""What the Collections tab shows a person instead of a code: channels ("e-mail") and outcomes
("no answer") as the contact log names them (its ``CHANNEL_LABELS`` and ``OUTCOME_LABELS``),
excuses (the playbook's text in the customer's language), ladder steps ("second call"),
dispute resolutions and the other ways to follow a dispute (a note, a new owner), languages
("Russian"), how late an item is ("due in 3 days", never "-3 days overdue") and amounts with
the book's currency. Dropdowns take ``(label, code)`` pairs from here. Every label is in the
language spoken when it is asked for (the interface's), but an excuse, which is the customer's
words, is in the language it is asked in.

A code without a label of its own (one a newer log or ladder brings) is shown in words, its
underscores as spaces, never as the bare code.
"""

from __future__ import annotations

import pandas as pd
from babel import Locale

from arbook.collections.contacts import CHANNELS, DOCUMENT_OUTCOMES, OUTCOMES
from arbook.collections.contacts import channel_label as log_channel_label
from arbook.collections.contacts import outcome_label as log_outcome_label
from arbook.collections.documents import TEMPLATES
from arbook.collections.ladder import step_text as ladder_step_text
from arbook.core.dates import date_text, days_text
from arbook.core.i18n import N_, _, language, pgettext
from arbook.core.procedure import Playbook
from arbook.measures.disputes import IMPORTED_REASON, RESOLUTIONS
from arbook.measures.disputes import LABELS as DISPUTE_LABELS
from arbook.views.dashboard.load_data_parts import money

#: how each resolution of a dispute reads in the form (SPEC §7: paid, credited or rejected)
RESOLUTION_LABELS = {
    "paid": N_("paid (the customer paid it)"),
    "credited": N_("credited (we credit it)"),
    "rejected": N_("rejected (it is owed: chase it)"),
}
#: following a dispute short of resolving it (SPEC §7: notes, a new owner)
DISPUTE_ACTION_LABELS = {"note": N_("Add a note"), "owner": N_("Hand to a new owner")}
#: the documents the call screen makes: the statement and the ladder's letters
DOCUMENT_LABELS = {
    "statement": N_("statement of account"),
    "reminder": N_("reminder letter"),
    "notice": N_("written notice"),
    "final_notice": N_("final notice"),
    "legal": N_("legal letter"),
}


def in_words(code) -> str:
    """A code a table has no label for, in words: ``left_message`` -> "left message"."""
    return "" if code is None or pd.isna(code) else str(code).replace("_", " ")


def channel_label(code) -> str:
    """A channel in the language spoken (the contact log's words)."""
    return log_channel_label(code)


def outcome_label(code) -> str:
    """An outcome in the language spoken (the contact log's words)."""
    return log_outcome_label(code)


def item_kind_label(kind) -> str:
    """An open item's kind in words: ``credit_note`` -> "credit note"."""
    words = {
        "invoice": pgettext("item kind", "invoice"),
        "credit_note": pgettext("item kind", "credit note"),
        "payment": pgettext("item kind", "payment"),
    }
    return words.get(str(kind)) or in_words(kind)


def resolution_label(code) -> str:
    """How a dispute was resolved, in a word ("credited"), as the contact log says it."""
    words = {
        "paid": pgettext("dispute resolution", "paid"),
        "credited": pgettext("dispute resolution", "credited"),
        "rejected": pgettext("dispute resolution", "rejected"),
    }
    return words.get(str(code)) or in_words(code)


def dispute_source_label(source) -> str:
    """Where a dispute came from: "contact log", "imported (disputed = yes)"."""
    words = DISPUTE_LABELS.get(str(source))
    return _(words) if words else in_words(source)


def dispute_reason(reason) -> str:
    """A dispute's reason as written; an imported one's in the language spoken."""
    if reason is None or pd.isna(reason):
        return ""
    return _(IMPORTED_REASON) if reason == IMPORTED_REASON else str(reason)


def channel_options() -> list[tuple[str, str]]:
    """(label, code) for every channel the log takes, in the log's order."""
    return [(channel_label(c), c) for c in CHANNELS]


def outcome_options(*, documents: bool = False) -> list[tuple[str, str]]:
    """(label, code) for the outcomes a person logs by hand; ``documents`` adds "sent" and
    "saved", which the send path records with the document and its hash."""
    return [(outcome_label(c), c) for c in OUTCOMES if documents or c not in DOCUMENT_OUTCOMES]


def resolution_options() -> list[tuple[str, str]]:
    """(label, code) for each way a dispute is resolved."""
    return [(_(RESOLUTION_LABELS[r]) if r in RESOLUTION_LABELS else in_words(r), r)
            for r in RESOLUTIONS]  # fmt: skip


def dispute_action_options() -> list[tuple[str, str]]:
    """(label, code) for each way to follow an open dispute: a note (``note``), a new owner
    (``owner``), then each resolution ("Resolved: paid (the customer paid it)", ``paid``)."""
    follow = [(_(label), code) for code, label in DISPUTE_ACTION_LABELS.items()]
    return follow + [
        (_("Resolved: {resolution}").format(resolution=label), code)
        for label, code in resolution_options()
    ]


def document_label(kind) -> str:
    """A document's kind in words: ``final_notice`` -> "final notice"."""
    return _(DOCUMENT_LABELS[kind]) if kind in DOCUMENT_LABELS else in_words(kind)


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
        return _("{days} overdue").format(days=days_text(days))
    if days == 0:
        return _("due today")
    return _("due in {days}").format(days=days_text(-days))


def day_text(value, *, never: str = "") -> str:
    """A date for people (``YYYY-MM-DD`` in English: :func:`~arbook.core.dates.date_text`);
    ``never`` (blank by default) for none, never ``NaT``."""
    if value is None or pd.isna(value):
        return never
    return date_text(pd.Timestamp(value))


def amount_text(cents, currency: str | None) -> str:
    """Cents with the book's currency when the data names one; "" for none."""
    if cents is None or pd.isna(cents):
        return ""
    return money(int(cents), currency)


def with_currency(title: str, currency: str | None) -> str:
    """A money column's title naming the currency: "overdue (EUR)"."""
    return f"{title} ({currency})" if currency else title


def language_name(lang: str) -> str:
    """``ru`` -> "Russian", in the language spoken ("ruso", "русский")."""
    try:
        return Locale.parse(lang).get_language_name(language()) or lang
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
    "dispute_reason",
    "dispute_source_label",
    "document_label",
    "document_options",
    "excuse_label",
    "in_words",
    "item_kind_label",
    "language_name",
    "late_text",
    "outcome_label",
    "outcome_options",
    "resolution_label",
    "resolution_options",
    "step_text",
    "with_currency",
]
