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
from arbook.core.i18n import N_, _
from arbook.credit.application import (
    ANSWERS,
    CreditDecision,
    question_label,
    read_application,
    resolve_scorecard,
    sample_application,
    score_application,
)
from arbook.views.credit.decision import decision_html, decision_text
from arbook.views.html import error_box, esc
from arbook.views.live import LiveHTML
from arbook.workbook.paths import locate

UNANSWERED = N_("(not answered)")


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


def intro_html() -> str:
    """What the credit application notebook is for and how to use it, in the language
    spoken (the notebook's markdown is for its source only: Voilà shows this)."""
    parts = [
        _(
            "Score a new customer's credit application on the scorecard: type or correct the "
            "applicant's answers in the form, and see the points of each line item and why, "
            "the grade, the recommended limit and terms, and what to ask the applicant for."
        ),
        _(
            "Trade references are typed one a line as the referee's name, a comma and the days "
            "it pays beyond terms. Missing answers score 0 points."
        ),
    ]
    return (
        '<div class="arbook arbook-note">' + "".join(f"<p>{esc(p)}</p>" for p in parts) + "</div>"
    )


def filed_heading() -> str:
    """The heading of the one-page decision to file, and what it is (the language spoken)."""
    title = _("The decision to file")
    note = _(
        "The same decision as one page of plain text, to print or file with the application. "
        "It follows the form: change an answer above and it is redrawn."
    )
    return f'<h3 class="arbook">{esc(title)}</h3><p class="arbook arbook-note">{esc(note)}</p>'


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
            raw, _source = read_application(
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
        #: what the form is for, in the language spoken (the notebook shows it above the form)
        self.intro = w.HTML(intro_html())
        self.intro.add_class("arbook-credit-intro")
        title = _("Credit application")
        self.widget = w.VBox(
            [
                w.HTML(f"<b>{esc(title)}</b>"),
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
        label = question_label(name, self.scorecard)
        common = dict(description=label, style=style, layout=layout)
        if name == "trade_references":
            return w.Textarea(
                value=references_text(value),
                placeholder=_("name, days beyond terms (one a line)"),
                continuous_update=False,
                **common,
            )
        if name in ("bank_rating", "guarantee"):
            options = [
                (_(UNANSWERED), ""),
                *(
                    (self.scorecard.answer_label(name, k), k)
                    for k in getattr(self.scorecard, name).points
                ),
            ]
            given = "" if value is None else str(value).strip().lower()
            if given not in {v for _label, v in options}:  # keep a bad answer so it gets reported
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
            self.output.value = error_box(
                _("Please correct these answers:\n{problems}").format(problems=exc)
            )
        else:
            self.grade, self.status = self.decision.grade, ""
            self.output.value = decision_html(self.decision)
        self.filed.value = filed_heading() + (
            f'<pre class="arbook arbook-filed">{esc(self.text())}</pre>'
        )

    def text(self) -> str:
        """The one-page decision as plain text, or the invalid answers."""
        if self.decision is None:
            return (
                _("Please correct these answers:\n{problems}").format(problems=self.status) + "\n"
            )
        return decision_text(self.decision)
