"""The dashboard's Collections tab (SPEC §7): the day's worklist and the call screen.

The worklist (:func:`arbook.collections.worklist.worklist` at the dashboard's as-of date, with the
contact log) is shown as a table; choosing a customer in the picker opens its call screen: what it
owes (open items), its payment score, the contacts logged so far, the script for its ladder step,
the excuse playbook (choosing an excuse shows the prepared answer, the facts to pin down and fills
in the follow-up date), a form that logs the contact, and its statement of account (preview, and
"Save to outbox").

The contact log is ``$ARBOOK_LOG`` (a SQLite file or a SQLAlchemy URL) if set, else
``<data folder>/collections.db``; it is opened on the first use of the tab. Every value the form
sends is checked here first (amounts are parsed exactly to cents, dates are ISO), then again by
:meth:`ContactLog.add`; a refused value is reported in the tab's status line, nothing is logged.

DOM contract (the browser tests rely on it): the tab is ``.arbook-collections``; the worklist
``.arbook-worklist``; the picker ``.arbook-call-pick``; the call screen ``.arbook-call``; the
history ``.arbook-history``; the excuse picker and its text ``.arbook-excuse``; the form
``.arbook-log-form`` with the button ``.arbook-log-button``; the statement ``.arbook-statement``;
the status line ``.arbook-collections-status``. The HTML and the checks are in
:mod:`arbook.views.dashboard.collections_views`.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import ipywidgets as w
import pandas as pd
from traitlets import Bool, HasTraits, Unicode

from arbook.collections.contacts import CHANNELS, OUTCOMES, ContactLog, open_log
from arbook.collections.playbook import follow_up, playbook_frame
from arbook.collections.worklist import work_day, worklist
from arbook.core.errors import ArbookError, ParameterError
from arbook.views.dashboard.collections_views import (
    NO_EXCUSE,
    OUTBOX,
    call_html,
    excuse_html,
    history_html,
    parse_amount,
    parse_day,
    preview_html,
    worklist_html,
)
from arbook.views.dashboard.parts import GuardedDropdown, html_box, status_html
from arbook.workbook.review import Review

log = logging.getLogger(__name__)


# -- the tab -------------------------------------------------------------------------------------


def _text(description: str, cls: str, placeholder: str = "") -> w.Text:
    box = w.Text(
        description=description, placeholder=placeholder, style={"description_width": "initial"}
    )
    box.add_class(cls)
    return box


class CollectionsTab(HasTraits):
    """The widgets of the Collections tab of ``ledger``; :meth:`render` fills them from a review.
    State: ``customer`` (the call screen's), ``status`` (``status_is_error`` when it reports a
    refused value). ``now`` gives the time of day stamped on a contact (tests pass their own)."""

    customer = Unicode("")
    status = Unicode("")
    status_is_error = Bool(False)

    def __init__(self, ledger, *, now=None):
        super().__init__()
        self.ledger, self._now = ledger, now or (lambda: dt.datetime.now(dt.UTC))
        self._log = self._review = None
        self._depth, self._quiet = 0, False
        self._worklist = pd.DataFrame()
        self._build()
        self.observe(
            lambda _: setattr(
                self._status, "value", status_html(self.status, self.status_is_error)
            ),
            ["status", "status_is_error"],
        )

    def _build(self) -> None:
        self._table = html_box("arbook-worklist")
        self._pick = GuardedDropdown(description="Call", options=[("(choose a customer)", "")])
        self._pick.add_class("arbook-call-pick")
        self._pick.on_invalid = self._refuse
        self._status = html_box("arbook-collections-status")
        self._head, self._history = html_box("arbook-call-head-box"), html_box("arbook-history")
        book = playbook_frame("en")
        self._excuse = GuardedDropdown(
            description="Excuse",
            options=[("(none)", NO_EXCUSE)] + [(f"{r.excuse}", r.code) for r in book.itertuples()],
        )
        self._excuse.on_invalid = self._refuse
        self._excuse_text = html_box("arbook-excuse-text-box")
        excuse_box = w.VBox([self._excuse, self._excuse_text])
        excuse_box.add_class("arbook-excuse")
        self._call = w.VBox(
            [self._head, excuse_box, self._build_form(), self._history, self._build_statement()]
        )
        self._call.add_class("arbook-call")
        self._call.layout.display = "none"
        self.widget = w.VBox([self._table, self._pick, self._status, self._call])
        self.widget.add_class("arbook-collections")
        self._pick.observe(lambda c: self._quiet or self.pick(c["new"]), "value")
        self._excuse.observe(lambda c: self._quiet or self.pick_excuse(c["new"]), "value")

    def _build_form(self) -> w.Widget:
        """The contact form: ``self.form`` holds its fields by name."""
        self.form = {
            "channel": GuardedDropdown(description="Channel", options=list(CHANNELS)),
            "outcome": GuardedDropdown(description="Outcome", options=list(OUTCOMES)),
            "who": _text("Who", "arbook-who", "your name"),
            "day": _text("Contact date", "arbook-day", "YYYY-MM-DD"),
            "promise_amount": _text("Promise amount", "arbook-promise-amount", "e.g. 1250.00"),
            "promise_date": _text("Promise date", "arbook-promise-date", "YYYY-MM-DD"),
            "next_date": _text("Next contact", "arbook-next-date", "YYYY-MM-DD"),
            "note": w.Textarea(description="Note", placeholder="what was said"),
        }
        for name in ("channel", "outcome"):
            self.form[name].add_class(f"arbook-{name}")
            self.form[name].on_invalid = self._refuse
        self.form["note"].add_class("arbook-note-field")
        self._log_button = w.Button(description="Log contact", icon="phone", button_style="primary")
        self._log_button.add_class("arbook-log-button")
        form = w.VBox(
            [
                w.HBox([self.form["channel"], self.form["outcome"], self.form["who"]]),
                w.HBox([self.form["day"], self.form["next_date"]]),
                w.HBox([self.form["promise_amount"], self.form["promise_date"]]),
                self.form["note"],
                self._log_button,
            ]
        )
        form.add_class("arbook-log-form")
        self._log_button.on_click(lambda _: self.log_contact())
        return form

    def _build_statement(self) -> w.Widget:
        self._statement_button = w.Button(description="Statement", icon="file")
        self._outbox_button = w.Button(description="Save to outbox", icon="envelope")
        self._statement_button.add_class("arbook-statement-button")
        self._outbox_button.add_class("arbook-outbox-button")
        self._preview = html_box("arbook-statement-preview")
        statement_box = w.VBox(
            [w.HBox([self._statement_button, self._outbox_button]), self._preview]
        )
        statement_box.add_class("arbook-statement")
        self._statement_button.on_click(lambda _: self.show_statement())
        self._outbox_button.on_click(lambda _: self.save_statement())
        return statement_box

    # -- readable state ------------------------------------------------------------------------

    @property
    def log(self) -> ContactLog:
        """The contact log, opened on first use."""
        if self._log is None:
            self._log = open_log(folder=self.ledger.folder, create=True)
        return self._log

    @property
    def worklist_frame(self) -> pd.DataFrame:
        return self._worklist

    @property
    def worklist_html(self) -> str:
        return self._table.value

    @property
    def call_html(self) -> str:
        return self._head.value

    @property
    def history_html(self) -> str:
        return self._history.value

    @property
    def excuse_html(self) -> str:
        return self._excuse_text.value

    @property
    def statement_html(self) -> str:
        return self._preview.value

    # -- actions -------------------------------------------------------------------------------

    def render(self, review: Review) -> None:
        """Recompute the worklist for :func:`work_day` and redraw the call screen."""
        with self._guard():
            self._review = review
            day = work_day(self.ledger, review.as_of)
            self.form["day"].value = self.form["day"].value or f"{day:%Y-%m-%d}"
            self._worklist = worklist(self.ledger, day, log=self.log)
            self._table.value = worklist_html(self._worklist, day)
            listed = [
                (f"{r.rank}. {r.customer_id} {r.name}", r.customer_id)
                for r in self._worklist.itertuples()
            ]
            others = self.ledger.customers.sort_values("customer_id")
            others = others[~others["customer_id"].isin(self._worklist["customer_id"])]
            options = (
                [("(choose a customer)", "")]
                + listed
                + [
                    (f"{c.customer_id} {c.name} (not on the worklist)", c.customer_id)
                    for c in others.itertuples()
                ]
            )
            keep = self.customer if self.customer in [v for _, v in options] else ""
            self._set_quietly(self._pick, keep, options)
            self._show_call(keep)
            self._ok(f"Worklist as of {day:%Y-%m-%d}: {len(self._worklist):,} customers.")

    def pick(self, customer_id) -> None:
        """Open the call screen of ``customer_id`` (blank closes it)."""
        with self._guard():
            if customer_id not in [v for _, v in self._pick.options]:
                raise ParameterError(
                    f"no customer {str(customer_id)[:40]!r} to call; choose one from the list"
                )
            if self._pick.value != customer_id:
                self._pick.value = customer_id  # fires pick again, which draws the screen
                return
            self._show_call(customer_id)
            self._ok(f"Call screen of {customer_id}." if customer_id else "")

    def _show_call(self, customer_id: str) -> None:
        self.customer = customer_id
        self._call.layout.display = None if customer_id else "none"
        self._preview.value = ""
        if not customer_id or self._review is None:
            return
        rows = self._worklist[self._worklist["customer_id"] == customer_id]
        self._head.value = call_html(self._review, customer_id, rows.iloc[0] if len(rows) else None)
        self._history.value = history_html(self.log.history(customer_id))
        self._set_quietly(self._excuse, NO_EXCUSE)
        self._excuse_text.value = excuse_html(NO_EXCUSE, self._contact_day())

    def pick_excuse(self, code) -> None:
        """Show the playbook's answer to excuse ``code`` and fill in the follow-up date."""
        with self._guard():
            codes = [v for _, v in self._excuse.options]
            if code not in codes:
                raise ParameterError(f"no excuse {str(code)[:40]!r} in the playbook")
            self._set_quietly(self._excuse, code)
            day = self._contact_day()
            self._excuse_text.value = excuse_html(code, day)
            if code:
                self.form["next_date"].value = f"{follow_up(code, day):%Y-%m-%d}"
            self._ok("")

    def _contact_day(self) -> dt.date:
        day = parse_day(self.form["day"].value, "contact date")
        if day is None:
            raise ParameterError("contact date is empty; write the day of the contact, YYYY-MM-DD")
        return day

    def _entry(self) -> dict:
        """The form's values, checked: every problem is listed in one message."""
        problems, values = [], {}
        known = set(self.ledger.customers["customer_id"]) | set(
            self._worklist.get("customer_id", [])
        )
        if self.customer not in known:
            problems.append(f"customer {self.customer!r} is not in this ledger; choose one")
        for name, allowed in (("channel", CHANNELS), ("outcome", OUTCOMES)):
            values[name] = self.form[name].value
            if values[name] not in allowed:
                problems.append(f"{name} {values[name]!r}: use one of {', '.join(allowed)}")
        values["who"] = self.form["who"].value.strip()
        if not values["who"]:
            problems.append("who made the contact? write your name")
        for key, name, parse in (
            ("day", "contact date", parse_day),
            ("promise_cents", "promise amount", parse_amount),
            ("promise_date", "promise date", parse_day),
            ("next_date", "next contact", parse_day),
        ):
            field = "promise_amount" if key == "promise_cents" else key
            try:
                values[key] = parse(self.form[field].value, name)
            except ParameterError as exc:
                problems.append(str(exc))
        if "day" in values and values["day"] is None:
            problems.append("contact date is empty; write YYYY-MM-DD")
        if problems:
            raise ParameterError("Not logged: " + "; ".join(problems))
        return values

    def log_contact(self) -> int | None:
        """Log the form's contact for the picked customer; return its id (None when refused).
        The history and the worklist are redrawn; the note, promise and dates are cleared."""
        with self._guard():
            values = self._entry()
            day = values.pop("day")
            at = dt.datetime.combine(day, self._now().timetz().replace(tzinfo=None), tzinfo=dt.UTC)
            entry = self.log.add(
                self.customer,
                **values,
                note=self.form["note"].value,
                excuse=self._excuse.value or None,
                at=at,
            )
            for name in ("promise_amount", "promise_date", "next_date", "note"):
                self.form[name].value = ""
            customer = self.customer
            self.render(self._review)
            self._ok(f"Logged contact {entry} with {customer} ({values['outcome']}).")
            return entry
        return None

    def _statement(self):
        from arbook.collections.documents import customer_language, statement

        if not self.customer or self._review is None:
            raise ParameterError("choose a customer first")
        return statement(
            self.ledger,
            self.customer,
            work_day(self.ledger, self._review.as_of),
            lang=customer_language(self.ledger, self.customer),
        )

    def show_statement(self) -> None:
        """Preview the picked customer's statement of account."""
        with self._guard():
            self._preview.value = preview_html(self._statement().html)
            day = work_day(self.ledger, self._review.as_of)
            self._ok(f"Statement of {self.customer} as of {day:%Y-%m-%d}.")

    def save_statement(self) -> Path | None:
        """Keep the statement in ``<data folder>/outbox`` ready to send; return the .eml path."""
        from arbook.collections.documents import send_to_outbox

        with self._guard():
            document = self._statement()
            self._preview.value = preview_html(document.html)
            path = send_to_outbox(document, (self.ledger.folder or Path.cwd()) / OUTBOX)
            self._ok(f"Saved to the outbox: {path}")
            return path
        return None

    # -- status --------------------------------------------------------------------------------

    def _ok(self, text: str) -> None:
        self.status_is_error, self.status = False, text

    def _refuse(self, message: str) -> None:
        self.status_is_error, self.status = True, message

    def _set_quietly(self, control, value, options=None) -> None:
        self._quiet, before = True, self._quiet
        try:
            if options is not None and list(control.options) != list(options):
                control.options = options
            control.value = value
        finally:
            self._quiet = before

    def _guard(self):
        return _Guard(self)


class _Guard:
    """Turns a failure inside an action into the tab's status line (never a traceback); only
    the outermost guard reports, so a nested step that fails is not followed by "all fine"."""

    def __init__(self, tab: CollectionsTab):
        self.tab = tab

    def __enter__(self):
        self.tab._depth += 1
        return self

    def __exit__(self, kind, exc, tb) -> bool:
        self.tab._depth -= 1
        if exc is None or self.tab._depth:
            return False
        if isinstance(exc, ArbookError):
            self.tab._refuse(str(exc))
        elif isinstance(exc, Exception):
            log.exception("collections tab update failed")
            self.tab._refuse(f"Something went wrong: {type(exc).__name__}: {exc}")
        else:
            return False
        return True


__all__ = ["CollectionsTab", "parse_amount", "parse_day"]
