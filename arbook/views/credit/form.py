"""The credit application form: one ipywidgets field per answer, scored live on the scorecard,
with the one-page decision shown below (escaped HTML).

``CreditForm(application, scorecard=...)`` starts from an application file (blank: the shipped
sample applicant); ``widget`` is the root to display. Trade references are typed one per line as
``name, days beyond terms``. State: ``grade`` (blank while an answer is invalid), ``status``
(the invalid answers, one per line) and ``decision`` (the last good :class:`CreditDecision`,
None while an answer is invalid).
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w
from traitlets import HasTraits, Unicode

from arbook.core.errors import ArbookError
from arbook.credit.application import (
    ANSWERS,
    CreditDecision,
    read_application,
    resolve_scorecard,
    sample_application,
    score_application,
)
from arbook.views.credit.decision import decision_html, decision_text
from arbook.views.html import error_box, esc
from arbook.views.live import LiveHTML
from arbook.workbook.paths import locate

LABELS = {
    "legal_name": "Legal name",
    "years_in_business": "Years in business",
    "trade_references": "Trade references",
    "bank_rating": "Bank rating",
    "current_assets": "Current assets",
    "current_liabilities": "Current liabilities",
    "total_assets": "Total assets",
    "retained_earnings": "Retained earnings",
    "ebit": "EBIT",
    "book_equity": "Book equity",
    "total_liabilities": "Total liabilities",
    "guarantee": "Guarantee",
    "requested_limit": "Requested limit",
    "requested_terms_days": "Requested terms (days)",
}
UNANSWERED = ("(not answered)", "")


def references_text(references) -> str:
    """Trade references from an application file as the form's text: ``name, days`` a line."""
    if not isinstance(references, list):
        return "" if references in (None, "") else str(references)
    return "\n".join(
        f"{r.get('name', '')}, {r.get('days_beyond_terms', '')}" if isinstance(r, dict) else str(r)
        for r in references
    )


def parse_references(text: str) -> list[dict]:
    """The form's ``name, days`` lines as trade references (the days still text: the scorer
    checks them and names the line of a bad one)."""
    refs = []
    for line in text.splitlines():
        if line.strip():
            name, comma, days = line.rpartition(",")
            refs.append(
                {"name": name.strip(), "days_beyond_terms": days.strip()}
                if comma
                else {"name": line.strip(), "days_beyond_terms": ""}
            )
    return refs


class CreditForm(HasTraits):
    """The form of one application; ``widget`` is the root to display."""

    grade = Unicode("")
    status = Unicode("")

    def __init__(self, application: dict | str | Path = "", *, scorecard: str | Path = ""):
        super().__init__()
        self.scorecard = resolve_scorecard(locate(scorecard) if str(scorecard).strip() else None)
        if isinstance(application, dict):
            raw = dict(application)
        else:
            raw, _ = read_application(
                locate(application) if str(application).strip() else sample_application()
            )
        self._extra = {k: v for k, v in raw.items() if k not in ANSWERS}
        self.decision: CreditDecision | None = None
        self.fields = {name: self._field(name, raw.get(name)) for name in ANSWERS}
        self.output = w.HTML()
        #: the one-page decision to file, redrawn with every answer (show it in its own cell)
        self.filed = LiveHTML()
        self.filed.add_class("arbook-decision-text")
        for field in self.fields.values():
            field.observe(lambda change: self.update(), "value")
        self.widget = w.VBox(
            [
                w.HTML("<b>Credit application</b>"),
                w.GridBox(
                    list(self.fields.values()),
                    layout=w.Layout(grid_template_columns="repeat(2, 420px)"),
                ),
                self.output,
            ]
        )
        self.update()

    def _field(self, name: str, value) -> w.Widget:
        style, layout = {"description_width": "170px"}, w.Layout(width="410px")
        common = dict(description=LABELS[name], style=style, layout=layout)
        if name == "trade_references":
            return w.Textarea(
                value=references_text(value),
                placeholder="name, days beyond terms (one a line)",
                continuous_update=False,
                **common,
            )
        if name in ("bank_rating", "guarantee"):
            options = [UNANSWERED, *((k, k) for k in getattr(self.scorecard, name).points)]
            given = "" if value is None else str(value).strip().lower()
            if given not in {v for _, v in options}:  # keep a bad answer so it gets reported
                options.append((str(value), given))
            return w.Dropdown(options=options, value=given, **common)
        return w.Text(value="" if value is None else str(value), continuous_update=False, **common)

    def answers(self) -> dict:
        """The answers as typed (blank fields left out; the scorer parses and checks them)."""
        answers = dict(self._extra)
        for name, field in self.fields.items():
            value = field.value
            if name == "trade_references":
                value = parse_references(value)
            if value not in ("", []):
                answers[name] = value
        return answers

    def update(self) -> None:
        """Score the answers as they stand and show the decision, or the invalid answers."""
        try:
            self.decision = score_application(self.answers(), scorecard=self.scorecard)
        except ArbookError as exc:
            self.decision, self.grade, self.status = None, "", str(exc)
            self.output.value = error_box(f"Please correct these answers:\n{exc}")
        else:
            self.grade, self.status = self.decision.grade, ""
            self.output.value = decision_html(self.decision)
        self.filed.value = f'<pre class="arbook arbook-filed">{esc(self.text())}</pre>'

    def text(self) -> str:
        """The one-page decision as plain text, or the invalid answers."""
        if self.decision is None:
            return f"Please correct these answers:\n{self.status}\n"
        return decision_text(self.decision)
