"""A scored credit application for people: a one-page plain-text decision the client can file,
and the same as HTML for the notebook form. Everything from the applicant is escaped in HTML.

DOM contract: the decision is ``div.arbook-credit[data-grade=<grade>]``; the items are a
``table.arbook-table``.
"""

from __future__ import annotations

import datetime as dt
import textwrap

from arbook.credit.application import CreditDecision
from arbook.views.format import format_cents, format_date, human_table
from arbook.views.html import CSS, esc, table_html

TITLES = {
    "item": "item",
    "answer": "answer",
    "points": "points",
    "max_points": "of",
    "reason": "why",
}


def _name(decision: CreditDecision) -> str:
    return decision.legal_name or "(no legal name given)"


def _limit(decision: CreditDecision) -> str:
    limit = format_cents(decision.recommended_limit_cents)
    if decision.requested_limit_cents is None:
        return f"{limit} (no limit was requested)"
    return f"{limit} (requested {format_cents(decision.requested_limit_cents)})"


def _summary(decision: CreditDecision) -> list[tuple[str, str]]:
    return [
        ("Total points", f"{decision.total_points} of {decision.max_points}"),
        ("Grade", decision.grade),
        ("Recommended limit", _limit(decision)),
        ("Terms", decision.terms),
        ("Ask the applicant for", ", ".join(decision.ask_for) or "nothing"),
    ]


def decision_text(decision: CreditDecision, *, on: dt.date | str | None = None) -> str:
    """Return the decision as one page of plain text: applicant, date (only when ``on`` is
    given; never the clock), the points of each item and why, total, grade, limit, terms and
    what is still to ask for."""
    lines = [f"CREDIT DECISION: {_name(decision)}"]
    if on is not None:
        lines.append(f"Date: {format_date(on)}")
    lines += ["", human_table(decision.items), ""]
    width = max(len(label) for label, _ in _summary(decision)) + 2
    for label, value in _summary(decision):
        wrapped = textwrap.wrap(value, 96 - width) or [""]
        lines.append(f"{label + ':':<{width}}{wrapped[0]}")
        lines += [" " * width + more for more in wrapped[1:]]
    lines += ["", "Scored with the arbook credit scorecard; missing answers score 0 points."]
    return "\n".join(lines) + "\n"


def decision_html(decision: CreditDecision, *, on: dt.date | str | None = None) -> str:
    """Return the decision as an HTML fragment (the same content as :func:`decision_text`)."""
    date = f'<p class="arbook-note">Date: {esc(format_date(on))}</p>' if on is not None else ""
    rows = "".join(
        f"<tr><th>{esc(label)}</th><td>{esc(value)}</td></tr>"
        for label, value in _summary(decision)
    )
    return (
        f'{CSS}<div class="arbook arbook-credit" data-grade="{esc(decision.grade)}">'
        f"<h3>Credit decision: {esc(_name(decision))}</h3>{date}"
        f"{table_html(decision.items, titles=TITLES)}"
        f'<table class="arbook arbook-table arbook-credit-summary">{rows}</table></div>'
    )
