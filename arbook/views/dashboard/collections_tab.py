"""The dashboard's Collections tab (SPEC §7): the day's worklist, the call screen, and the
documents to approve.

The worklist (:func:`arbook.collections.worklist.worklist` at the work day, with the contact
log) is shown a page at a time (:class:`~arbook.views.dashboard.worklist_pager.WorklistPager`);
pressing a row's button (or choosing any customer in the picker) opens its call screen at the top
of the tab, the list folded away until "Back to the worklist": who to call and in which
language, where it stands on the ladder and why, the script, its credit and open items, the
excuse playbook (choosing an excuse shows the prepared answer, the facts to pin down and fills in
the follow-up date), the form that logs the contact, its disputes and payment plans
(:mod:`~arbook.views.dashboard.cases_box`), the contacts logged so far, and its statement or a
ladder letter to preview, keep, e-mail or queue (:mod:`~arbook.views.dashboard.documents_box`).
The script, the playbook and the documents are in the customer's ``language``
(:func:`arbook.collections.documents.customer_language`); everything else (labels, buttons,
the worklist's reasons, the status line) is in the language spoken when the tab is built and
rendered (the dashboard builds a new one when the language changes); every code is shown as a
label.
"Documents to approve" (:mod:`~arbook.views.dashboard.send_box`) gives the queued ones in bulk.
The "Who" field names the person for everything the tab records.

The contact log is ``$ARBOOK_LOG`` (a SQLite file or a SQLAlchemy URL) if set, else
``<data folder>/collections.db``; it is opened on the first use of the tab. The dashboard's
reviews read its disputes when one exists (:attr:`CollectionsTab.existing_log`) and are told of
each record (:attr:`CollectionsTab.on_record`). Every value a form sends is checked here first
(amounts are parsed exactly to cents, dates are ISO), then again by the log; a refused value is
reported in the tab's status line, nothing is recorded.

DOM contract (the browser tests rely on it): the tab is ``.arbook-collections``; at its top the
view switch ``.arbook-collections-view``, the name ``.arbook-who`` and, while a call screen is
open, ``.arbook-call-back``; the worklist ``.arbook-worklist`` (rows: see
:mod:`~arbook.views.dashboard.worklist_pager`); the picker ``.arbook-call-pick``; the call
screen ``.arbook-call``; the history ``.arbook-history``; the excuse picker and its text
``.arbook-excuse``; the form ``.arbook-log-form`` with the button ``.arbook-log-button``; the
status line ``.arbook-collections-status``; the boxes' own classes are in their modules. The
HTML and the checks are in :mod:`arbook.views.dashboard.collections_views`.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
from pathlib import Path

import ipywidgets as w
import pandas as pd
from traitlets import Bool, HasTraits, Unicode

from arbook.collections.contacts import ContactLog, open_log
from arbook.collections.documents import customer_aging, customer_language
from arbook.collections.playbook import follow_up
from arbook.collections.worklist import work_day, worklist
from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.i18n import N_, _, language
from arbook.core.procedure import resolve_ladder, resolve_playbook
from arbook.views.dashboard.cases_box import DisputesBox, PlanBox
from arbook.views.dashboard.collections_views import (
    COLLECTIONS_CSS,
    NO_EXCUSE,
    call_html,
    excuse_html,
    history_html,
    parse_amount,
    parse_day,
)
from arbook.views.dashboard.contact_form import ContactForm
from arbook.views.dashboard.documents_box import DocumentsBox
from arbook.views.dashboard.parts import (
    GuardedDropdown,
    GuardedToggleButtons,
    html_box,
    status_html,
)
from arbook.views.dashboard.send_box import SendBox
from arbook.views.dashboard.worklist_pager import WorklistPager
from arbook.views.html import esc
from arbook.workbook.review import Review

log = logging.getLogger(__name__)

CHOOSE = N_("(choose a customer)")
WORKLIST, SEND = "worklist", "send"


def _choose() -> tuple[str, str]:
    return (_(CHOOSE), "")


def _view_options(listed: int | None = None, waiting: int | None = None) -> list:
    """The view switch's buttons, with how many each list holds once known."""
    if listed is None or waiting is None:
        return [(_("Worklist"), WORKLIST), (_("Documents to approve"), SEND)]
    return [
        (_("Worklist ({count})").format(count=format_count(listed)), WORKLIST),
        (_("Documents to approve ({count})").format(count=format_count(waiting)), SEND),
    ]


def _section(title: str) -> str:
    return f'<div class="arbook arbook-section">{esc(title)}</div>'


def _no_excuse() -> tuple[str, str]:
    return (_("(none)"), NO_EXCUSE)


# -- the tab -------------------------------------------------------------------------------------


class CollectionsTab(HasTraits):
    """The widgets of the Collections tab of ``ledger``; :meth:`render` fills them from a review.
    State: ``customer`` (the call screen's, "" when a list is shown), ``view`` (worklist or
    send), ``status`` (``status_is_error`` when it reports a refused value). ``now`` gives the
    time of day stamped on what is recorded (tests pass their own)."""

    customer = Unicode("")
    view = Unicode(WORKLIST)
    status = Unicode("")
    status_is_error = Bool(False)

    def __init__(self, ledger, *, now=None):
        super().__init__()
        self.ledger, self._now = ledger, now or (lambda: dt.datetime.now(dt.UTC))
        self._log = self._review = self._day = None
        self._opening = threading.Lock()  # the dashboard's prefetch thread reads the log too
        #: called after each record in the log, before the tab is redrawn (the dashboard drops
        #: what its reviews read from the log there)
        self.on_record = None
        self._depth, self._quiet = 0, False
        self._worklist = pd.DataFrame()
        #: the day's worklists by (language spoken, script language)
        self._by_lang: dict[tuple[str, str], pd.DataFrame] = {}
        self.lang = "en"
        self.playbook = resolve_playbook(None, folder=ledger.folder)
        self.ladder = resolve_ladder(None, folder=ledger.folder)
        self._build()
        self.observe(
            lambda _: setattr(
                self._status, "value", status_html(self.status, self.status_is_error)
            ),
            ["status", "status_is_error"],
        )

    def _build(self) -> None:
        self._list = WorklistPager(self.pick, self._guard)
        self._pick = GuardedDropdown(
            description=_("Call another customer"),
            options=[_choose()],
            style={"description_width": "initial"},
            layout={"width": "460px"},
        )
        self._pick.add_class("arbook-call-pick")
        self._pick.on_invalid = self._refuse
        self._views = GuardedToggleButtons(
            options=_view_options(),
            style={"button_width": "230px"},
        )
        self._views.add_class("arbook-collections-view")
        self._views.on_invalid = self._refuse
        self._status = html_box("arbook-collections-status")
        self.contact = ContactForm(self)
        self.form = self.contact.fields
        self.disputes, self.plan = DisputesBox(self), PlanBox(self)
        self.documents, self.send = DocumentsBox(self), SendBox(self)
        self._list_box = w.VBox([self._list.widget, self._pick])
        self._list_box.add_class("arbook-worklist-box")
        self.send.widget.layout.display = "none"
        self._back = w.Button(
            description=_("Back to the worklist"), icon="arrow-left", layout={"width": "auto"}
        )
        self._back.add_class("arbook-call-back")
        self._back.on_click(lambda _: self.back())
        self._back.layout.display = "none"  # shown while a call screen is open
        top = w.HBox(
            [self._back, self._views, self.form["who"]],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.widget = w.VBox(
            [
                html_box("arbook-collections-css", COLLECTIONS_CSS),
                top,
                self._status,
                self._build_call(),
                self._list_box,
                self.send.widget,
            ]
        )
        self.widget.add_class("arbook-collections")
        self._pick.observe(lambda c: self._quiet or self.pick(c["new"]), "value")
        self._views.observe(lambda c: self._quiet or self.show_view(c["new"]), "value")

    def _build_call(self) -> w.Widget:
        self._head, self._history = html_box("arbook-call-head-box"), html_box("arbook-history")
        self._excuse = GuardedDropdown(description=_("Excuse"), options=[_no_excuse()])
        self._excuse.on_invalid = self._refuse
        self._excuse.observe(lambda c: self._quiet or self.pick_excuse(c["new"]), "value")
        self._excuse_text = html_box("arbook-excuse-text-box")
        excuse_box = w.VBox([self._excuse, self._excuse_text])
        excuse_box.add_class("arbook-excuse")
        self._call = w.VBox(
            [
                self._head,
                excuse_box,
                html_box("arbook-call-section", _section(_("Log this contact"))),
                self.contact.widget,
                self.disputes.widget,
                self.plan.widget,
                self._history,
                html_box("arbook-call-section", _section(_("Statement and letters"))),
                self.documents.widget,
            ]
        )
        self._call.add_class("arbook-call")
        self._call.layout.display = "none"
        return self._call

    # -- readable state, and what the boxes use ------------------------------------------------

    @property
    def log(self) -> ContactLog:
        """The contact log, opened on first use (started if there is none yet)."""
        with self._opening:
            if self._log is None:
                self._log = open_log(folder=self.ledger.folder, create=True)
            return self._log

    @property
    def existing_log(self) -> ContactLog | None:
        """The contact log when one has been started (opened, never started here): what the
        dashboard's other tabs read its disputes from. None when there is none yet, or when it
        cannot be opened (this tab says why when it is used)."""
        with self._opening:
            if self._log is None:
                try:
                    self._log = open_log(folder=self.ledger.folder)
                except ArbookError as exc:
                    log.info("the contact log is not read for the review: %s", exc)
            return self._log

    @property
    def day(self) -> pd.Timestamp | None:
        """The work day (:func:`work_day` of the review's month end); None before a render."""
        return self._day

    @property
    def currency(self) -> str | None:
        return self.ledger.currency

    @property
    def worklist_frame(self) -> pd.DataFrame:
        return self._worklist

    @property
    def worklist(self) -> WorklistPager:
        """The worklist's pages (``page``, ``shown``, ``go``)."""
        return self._list

    @property
    def call_open(self) -> bool:
        """Whether the call screen is shown (and the lists folded away)."""
        return self._call.layout.display != "none"

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
        return self.documents.html

    @property
    def excuse_code(self) -> str:
        """The excuse chosen in the call screen ("" for none)."""
        return self._excuse.value

    def who(self, problems: list[str]) -> str:
        """The name in "Who"; when it is blank, says so in ``problems``."""
        name = self.form["who"].value.strip()
        if not name:
            problems.append(_("who are you? write your name in Who, at the top"))
        return name

    def moment(self) -> dt.datetime:
        """When what is recorded now happened: the contact date at the time of day now (UTC)."""
        day = self._contact_day()
        return dt.datetime.combine(day, self._now().timetz().replace(tzinfo=None), tzinfo=dt.UTC)

    def guard(self):
        """A failure inside becomes the status line (the outermost guard reports)."""
        return _Guard(self)

    _guard = guard

    def say(self, text: str) -> None:
        self._ok(text)

    def refresh(self) -> None:
        """Recompute the worklist, the queue and the call screen open (after a record), once
        :attr:`on_record` has been told."""
        if self.on_record is not None:
            self.on_record()
        self.render(self._review)

    # -- actions -------------------------------------------------------------------------------

    def render(self, review: Review) -> None:
        """Recompute the worklist for :func:`work_day`, the queue, and the call screen open."""
        with self._guard():
            self._review = review
            day = self._day = work_day(self.ledger, review.as_of)
            self.playbook = resolve_playbook(None, folder=self.ledger.folder)
            self.ladder = resolve_ladder(None, folder=self.ledger.folder)
            self.form["day"].value = self.form["day"].value or f"{day:%Y-%m-%d}"
            self._by_lang = {}
            self._worklist = self._worklist_in("en")
            self._list.show(self._worklist, day, self.currency)
            self.send.show()
            options = _view_options(len(self._worklist), len(self.send.frame))
            self._set_quietly(self._views, self.view, options)
            keep = self.customer if self.customer in self._pick_options() else ""
            self._show_call(keep)
            self._ok("")  # the lists' summaries say what they hold

    def _worklist_in(self, lang: str) -> pd.DataFrame:
        """The day's worklist with its scripts in ``lang`` and the rest in the language spoken
        (one worklist per pair asked)."""
        key = (language(), lang)
        if key not in self._by_lang:
            self._by_lang[key] = worklist(
                self.ledger,
                self._day,
                log=self.log,
                lang=lang,
                ladder=self.ladder,
                playbook=self.playbook,
            )
        return self._by_lang[key]

    def _pick_options(self) -> list:
        """Set the picker's options (the worklist's customers, then everyone else); return
        their values."""
        listed = [
            (f"{r.rank}. {r.customer_id} {r.name}", r.customer_id)
            for r in self._worklist.itertuples()
        ]
        others = self.ledger.customers.sort_values("customer_id")
        others = others[~others["customer_id"].isin(self._worklist["customer_id"])]
        off = _("{customer} {name} (not on the worklist)")
        options = [_choose()] + listed + [
            (off.format(customer=c.customer_id, name=c.name), c.customer_id)
            for c in others.itertuples()
        ]  # fmt: skip
        keep = self.customer if self.customer in [v for _, v in options] else ""
        self._set_quietly(self._pick, keep, options)
        return [v for _, v in options]

    def show_view(self, view) -> None:
        """Show the worklist (``worklist``) or the documents to approve (``send``); a call
        screen open is closed."""
        with self._guard():
            if view not in (WORKLIST, SEND):
                raise ParameterError(
                    _("no view {view}; use the buttons").format(view=repr(str(view)[:40]))
                )
            self.view = view
            self._set_quietly(self._views, view)
            self._set_quietly(self._pick, "")
            self._show_call("")
            self._ok("")

    def pick(self, customer_id) -> None:
        """Open the call screen of ``customer_id`` at the top of the tab (blank goes back to the
        list)."""
        with self._guard():
            if customer_id not in [v for _, v in self._pick.options]:
                raise ParameterError(
                    _("no customer {customer} to call; choose one from the list").format(
                        customer=repr(str(customer_id)[:40])
                    )
                )
            self._set_quietly(self._pick, customer_id)
            self._show_call(customer_id)
            said = _("Call screen of {customer}.").format(customer=customer_id)
            self._ok(said if customer_id else "")

    def back(self) -> None:
        """Close the call screen and show the worklist at the page of the customer called."""
        with self._guard():
            page = self._list.page_of(self.customer)
            self.view = WORKLIST
            self._set_quietly(self._views, WORKLIST)
            self._set_quietly(self._pick, "")
            self._show_call("")
            if page is not None:
                self._list.go(page)
            self._list.focus()
            self._ok("")

    def _show_call(self, customer_id: str) -> None:
        self.customer = customer_id
        self._call.layout.display = None if customer_id else "none"
        self._back.layout.display = self._call.layout.display
        listing = not customer_id and self.view == WORKLIST
        self._list_box.layout.display = None if listing else "none"
        self.send.widget.layout.display = None if not customer_id and self.view == SEND else "none"
        self.documents.clear()
        if not customer_id or self._review is None:
            return
        self.lang = customer_language(self.ledger, customer_id)
        frame = self._worklist_in(self.lang)
        rows = frame[frame["customer_id"] == customer_id]
        # what is in dispute by the one rule (the data's flags and the log's), not the bare flag
        items, _totals = customer_aging(self.ledger, customer_id, self._day, log=self.log)
        self._head.value = call_html(
            self._review,
            customer_id,
            rows.iloc[0] if len(rows) else None,
            items=items,
            lang=self.lang,
            currency=self.currency,
        )
        self.disputes.show(items)
        self.plan.show(items)
        self._history.value = history_html(
            self.log.history(customer_id),
            playbook=self.playbook,
            lang=self.lang,
            currency=self.currency,
        )
        excuses = [(getattr(e, self.lang).excuse, e.code) for e in self.playbook.excuses]
        self._set_quietly(self._excuse, NO_EXCUSE, [_no_excuse()] + excuses)
        self._excuse_text.value = self._excuse_html(NO_EXCUSE)
        self._back.focus()  # the browser scrolls the tab's top (and the call screen) into view

    def _excuse_html(self, code: str) -> str:
        return excuse_html(code, self._contact_day(), lang=self.lang, playbook=self.playbook)

    def pick_excuse(self, code) -> None:
        """Show the playbook's answer to excuse ``code`` (in the customer's language) and fill
        in the follow-up date."""
        with self._guard():
            codes = [v for _, v in self._excuse.options]
            if code not in codes:
                raise ParameterError(
                    _("no excuse {excuse} in the playbook").format(excuse=repr(str(code)[:40]))
                )
            self._set_quietly(self._excuse, code)
            self._excuse_text.value = self._excuse_html(code)
            if code:
                then = follow_up(code, self._contact_day(), playbook=self.playbook)
                self.form["next_date"].value = f"{then:%Y-%m-%d}"
            self._ok("")

    def _contact_day(self) -> dt.date:
        day = parse_day(self.form["day"].value, _("contact date"))
        if day is None:
            raise ParameterError(
                _("contact date is empty; write the day of the contact, YYYY-MM-DD")
            )
        return day

    def log_contact(self) -> int | None:
        """Log the form's contact for the picked customer; return its id (None when refused).
        The history and the worklist are redrawn; the note, promise and dates are cleared."""
        return self.contact.log()

    def show_statement(self) -> None:
        """Preview the picked customer's statement of account (in its language)."""
        self.documents.kind.value = "statement"
        self.documents.preview()

    def save_statement(self) -> Path | None:
        """Keep the statement in the outbox to print and post, recorded in the contact log;
        return its PDF (None when refused)."""
        self.documents.kind.value = "statement"
        done = self.documents.give()
        return done.pdf if done is not None else None

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
            self.tab._refuse(
                _("Something went wrong: {error}: {message}").format(
                    error=type(exc).__name__, message=exc
                )
            )
        else:
            return False
        return True


__all__ = ["CollectionsTab", "parse_amount", "parse_day"]
