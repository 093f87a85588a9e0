"""The walkthrough's data picker and the Output widgets its story is drawn in.

``Walkthrough(data, as_of)`` reads the client's folder, reviews it as of a month end and renders the
four story sections of :mod:`arbook.views.walkthrough.story` (plus a title) at once, so a notebook
run headless (papermill, nbval) shows the story for its parameters. The picker (a folder Text, a
Dropdown of the data's month ends and a "Use this data" button) redraws every section; a folder that
does not exist, data that cannot be read or a date that is not one of the month ends is reported in
the status line and the last story stays.
"""

from __future__ import annotations

import logging

import ipywidgets as w
import pandas as pd
from IPython.display import HTML, SVG
from traitlets import Bool, HasTraits, Unicode

from arbook.core.dates import date_text, format_count
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.i18n import _, language, ngettext
from arbook.core.ledger import Ledger, read_ledger
from arbook.views.html import error_box, status_line
from arbook.views.walkthrough import story
from arbook.workbook import paths
from arbook.workbook.review import Review, build_review, review_dates

log = logging.getLogger(__name__)

#: The walkthrough's sections, in order.
SECTIONS = ("title", "owed", "cost", "chase", "policy", "applicant", "discount")
SAMPLE = paths.SAMPLE


class StoryOutput(w.Output):
    """An Output widget that also offers its content as ``text/html``: a live notebook draws the
    widget (which the picker redraws), a notebook run headless or viewed without a kernel shows
    the story as it was when the cell ran."""

    def _repr_mimebundle_(self, **kwargs):
        bundle = super()._repr_mimebundle_(**kwargs)
        if bundle is not None:
            bundle["text/html"] = self.html()
        return bundle

    def html(self) -> str:
        """The outputs' HTML and SVG, concatenated."""
        data = [o.get("data", {}) for o in self.outputs]
        return "".join(d.get("text/html") or d.get("image/svg+xml") or "" for d in data)


def _iso(day: pd.Timestamp) -> str:
    return day.strftime("%Y-%m-%d")


def check_as_of(ledger: Ledger, as_of: str) -> str:
    """``as_of`` if it is one of the ledger's month ends (blank: the last one; open items only:
    the date they are open on); else raise a ParameterError naming the range to pick from."""
    ends = [_iso(d) for d in reversed(review_dates(ledger))]
    if not ends:
        raise ParameterError(_("the data holds no invoices, so there is no month to review"))
    as_of = (as_of or "").strip() or ends[-1]
    if as_of not in ends:
        raise ParameterError(
            _(
                "as-of date {date} is not one of the data's month ends; pick one from {first} "
                "to {last}"
            ).format(date=repr(as_of), first=ends[0], last=ends[-1])
        )
    return as_of


def month_options(ends: list[str]) -> list:
    """The month ends (ISO) as the Dropdown offers them: as they are in English, each as the
    locale writes it (its value the ISO date) in Spanish and Russian."""
    if language() == "en":
        return ends
    return [(date_text(day), day) for day in ends]


def render(review: Review, *, client: str = "", data: str = "") -> dict[str, list]:
    """Each section's display objects (HTML sentences, then SVG charts) for ``review``."""
    return {
        "title": [HTML(story.story_title(review, client=client, data=data))],
        "owed": [HTML(story.story_owed(review)), SVG(story.owed_chart(review))],
        "cost": [HTML(story.story_cost(review))]
        + ([SVG(story.cost_chart(review))] if len(review.carrying) else []),
        "chase": [HTML(story.story_chase(review))],
        "policy": [HTML(story.story_policy(review))],
        "applicant": [HTML(story.story_applicant())],
        "discount": _discount_parts(review),
    }


def _discount_parts(review: Review) -> list:
    if not review.has_history:  # simulated on the payment history: n/a and why
        return [HTML(story.story_discount(review))]
    sim = story.discount_simulation(review)
    return [HTML(story.story_discount(review, sim)), SVG(story.discount_chart(sim))]


def _outputs(objects: list) -> tuple[dict, ...]:
    outputs = []
    for obj in objects:
        data = {"text/html": obj.data} if isinstance(obj, HTML) else {"image/svg+xml": obj.data}
        outputs.append({"output_type": "display_data", "data": data, "metadata": {}})
    return tuple(outputs)


class Walkthrough(HasTraits):
    """The consultant's walkthrough of one client's data. ``widget`` is the picker; ``show(name)``
    the Output widget of a section (:data:`SECTIONS`). State: ``data`` and ``as_of`` of the
    story shown, and the ``status`` line (``status_is_error`` when it reports a refusal)."""

    data = Unicode("")
    as_of = Unicode("")
    status = Unicode("")
    status_is_error = Bool(False)

    def __init__(
        self,
        data: str = SAMPLE,
        as_of: str = "",
        *,
        cost_of_capital: float | None = None,
        client: str = "",
        policy: str = "",
    ):
        super().__init__()
        # blank cost of capital and policy: the client's policy (the one route for every view)
        self.cost_of_capital, self.client = cost_of_capital, client
        self.policy = paths.locate(policy) if str(policy or "").strip() else None
        self.review: Review | None = None
        self._ledger: tuple[str, Ledger] | None = None
        self.sections = {name: StoryOutput() for name in SECTIONS}
        self.folder = w.Text(
            value=data,
            description=_("Data folder"),
            continuous_update=False,
            layout=w.Layout(width="420px"),
        )
        self.month = w.Dropdown(description=_("As of"), options=[], layout=w.Layout(width="220px"))
        self.button = w.Button(description=_("Use this data"), button_style="primary", icon="check")
        self.message = w.HTML()
        self.widget = w.VBox([w.HBox([self.folder, self.month, self.button]), self.message])
        self.folder.observe(self._on_folder, "value")
        self.button.on_click(lambda _: self.use())
        self.observe(self._on_status, ["status", "status_is_error"])
        if self._list_months(data, as_of):
            self.use()
        if self.review is None:
            self.sections["title"].outputs = _outputs([HTML(error_box(self.status))])

    def show(self, name: str) -> StoryOutput:
        """The Output widget of section ``name``, to display as a cell's value."""
        if name not in self.sections:
            raise ParameterError(
                _("no section {name}; the sections are {sections}").format(
                    name=repr(name), sections=", ".join(SECTIONS)
                )
            )
        return self.sections[name]

    def reload(self) -> bool:
        """Read the folder again (after "Load your data" saved a mapping) and redraw."""
        self._ledger = None
        return self._list_months(self.folder.value) and self.use()

    def use(self) -> bool:
        """Review the picked folder as of the picked month end and redraw every section.
        On a bad folder or date report it in ``status`` and keep the story shown; True when
        the story was redrawn."""
        try:
            text = self.folder.value
            ledger = self._read(text)
            as_of = check_as_of(ledger, self.month.value or "")
            review = build_review(ledger, as_of, cost_of_capital=self.cost_of_capital)
            drawn = render(review, client=self.client, data=text)
        except Exception as exc:  # noqa: BLE001 - the user's boundary: a sentence, never a traceback
            self._refuse(exc)
            return False
        for name, objects in drawn.items():
            self.sections[name].outputs = _outputs(objects)
        self.review, self.data, self.as_of = review, text, as_of
        self._say(_("Showing {folder} as of {date}.").format(folder=text, date=date_text(as_of)))
        return True

    def _read(self, text: str) -> Ledger:
        """The ledger in folder ``text``, read once per folder."""
        if self._ledger is None or self._ledger[0] != text:
            self._ledger = (text, read_ledger(paths.data_source(text), policy=self.policy))
        return self._ledger[1]

    def _list_months(self, text: str, as_of: str | None = None) -> bool:
        """Fill the Dropdown with the month ends of folder ``text``, newest first. An ``as_of``
        given must be one of them; otherwise the current pick stays when it is one, else the
        newest is picked."""
        try:
            ledger = self._read(text)
            ends = [_iso(d) for d in review_dates(ledger)]
            pick = check_as_of(ledger, as_of) if as_of else None
        except Exception as exc:  # noqa: BLE001 - the user's boundary, as in use()
            self._refuse(exc)
            return False
        pick = pick or (self.month.value if self.month.value in ends else None)
        self.month.options = month_options(ends)
        self.month.value = pick or (ends[0] if ends else None)
        self._say(
            ngettext(
                "{count} month ends in {folder}; pick one and press Use this data.",
                "{count} month ends in {folder}; pick one and press Use this data.",
                len(ends),
            ).format(count=format_count(len(ends)), folder=text)
        )
        return True

    def _on_folder(self, change) -> None:
        self._list_months(change["new"])

    def _refuse(self, exc: Exception) -> None:
        if not isinstance(exc, ArbookError):
            log.exception("the walkthrough could not use the picked data")
        text = str(exc) if isinstance(exc, ArbookError) else f"{type(exc).__name__}: {exc}"
        self.status_is_error = True
        self.status = _("Could not use this data: {problem}").format(problem=text)

    def _say(self, text: str) -> None:
        self.status_is_error = False
        self.status = text

    def _on_status(self, _change=None) -> None:
        self.message.value = status_line(self.status, self.status_is_error)
