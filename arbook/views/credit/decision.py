"""A scored credit application for people: a one-page plain-text decision the client can file,
and the same as HTML for the notebook form, in the language spoken (in Spanish and Russian the
items and answers are named by the scorecard's labels; English names them by their keys).
Everything from the applicant is escaped in HTML.

DOM contract: the decision is ``div.arbook-credit[data-grade=<grade>]``; the items are a
``table.arbook-table``.
"""

from __future__ import annotations

import datetime as dt
import textwrap

import pandas as pd

from arbook.core.i18n import N_, _
from arbook.credit.application import CreditDecision, answer_name, load_scorecard
from arbook.views.format import format_cents, format_date, human_table
from arbook.views.html import CSS, esc, table_html

#: Column titles of the items table in HTML (translated where shown).
TITLES = {
    "item": N_("item"),
    "answer": N_("answer"),
    "points": N_("points"),
    "max_points": N_("of"),
    "reason": N_("why"),
}
#: The same in the plain-text page.
TEXT_TITLES = {
    "item": N_("item"),
    "answer": N_("answer"),
    "points": N_("points"),
    "max_points": N_("max points"),
    "reason": N_("reason"),
}


def _titles(titles: dict[str, str]) -> dict[str, str]:
    return {k: _(v) for k, v in titles.items()}


def _card(decision: CreditDecision):
    return decision.scorecard if decision.scorecard is not None else load_scorecard()


def _items(decision: CreditDecision) -> pd.DataFrame:
    """The items, each named as :func:`answer_name` says (its key in English, its question
    in the other languages)."""
    card = _card(decision)
    return decision.items.assign(item=[answer_name(i, card) for i in decision.items["item"]])


def _name(decision: CreditDecision) -> str:
    return decision.legal_name or _("(no legal name given)")


def _limit(decision: CreditDecision) -> str:
    limit = format_cents(decision.recommended_limit_cents)
    if decision.requested_limit_cents is None:
        return _("{limit} (no limit was requested)").format(limit=limit)
    return _("{limit} (requested {requested})").format(
        limit=limit, requested=format_cents(decision.requested_limit_cents)
    )


def _summary(decision: CreditDecision) -> list[tuple[str, str]]:
    card = _card(decision)
    asked = ", ".join(answer_name(name, card) for name in decision.ask_for)
    return [
        (
            _("Total points"),
            _("{total} of {most}").format(total=decision.total_points, most=decision.max_points),
        ),
        (_("Grade"), decision.grade),
        (_("Recommended limit"), _limit(decision)),
        (_("Terms"), decision.terms),
        (_("Ask the applicant for"), asked or _("nothing")),
    ]


def decision_text(decision: CreditDecision, *, on: dt.date | str | None = None) -> str:
    """Return the decision as one page of plain text: applicant, date (only when ``on`` is
    given; never the clock), the points of each item and why, total, grade, limit, terms and
    what is still to ask for."""
    lines = [_("CREDIT DECISION: {name}").format(name=_name(decision))]
    if on is not None:
        lines.append(_("Date: {date}").format(date=format_date(on)))
    lines += ["", human_table(_items(decision), titles=_titles(TEXT_TITLES)), ""]
    summary = _summary(decision)
    width = max(len(label) for label, _value in summary) + 2
    for label, value in summary:
        wrapped = textwrap.wrap(value, 96 - width) or [""]
        lines.append(f"{label + ':':<{width}}{wrapped[0]}")
        lines += [" " * width + more for more in wrapped[1:]]
    lines += ["", _("Scored with the arbook credit scorecard; missing answers score 0 points.")]
    return "\n".join(lines) + "\n"


def decision_html(decision: CreditDecision, *, on: dt.date | str | None = None) -> str:
    """Return the decision as an HTML fragment (the same content as :func:`decision_text`)."""
    said = _("Date: {date}").format(date=format_date(on)) if on is not None else ""
    date = f'<p class="arbook-note">{esc(said)}</p>' if said else ""
    rows = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in _summary(decision)
    )
    title = _("Credit decision: {name}").format(name=_name(decision))
    return (
        f'{CSS}<div class="arbook arbook-credit" data-grade="{esc(decision.grade)}">'
        f"<h3>{esc(title)}</h3>{date}"
        f"{table_html(_items(decision), titles=_titles(TITLES))}"
        f'<table class="arbook arbook-table arbook-credit-summary">{rows}</table></div>'
    )
