"""The call screen's disputes and payment plans (SPEC §7), as widgets: open a dispute on one of
the customer's open invoices (a reason, all of it or an amount, an owner), see its open disputes
(amount, age, owner, notes and the last one) and follow one: add a note, hand it to a new
owner, or resolve it (paid, credited, rejected); agree a payment plan (instalments:
dates and amounts, for the invoices it pays), see each instalment kept, broken or open, and
cancel the plan running.

Both boxes work for the :class:`~arbook.views.dashboard.collections_tab.CollectionsTab` they
belong to: its customer, contact log, work day, "Who" field and contact date (what is recorded
is dated like a contact logged there), its guard (a refusal becomes the status line) and its
redraw (a dispute or a plan changes the worklist). Everything is written through the contact
log's own calls (:meth:`ContactLog.open_dispute`, :meth:`~ContactLog.note_dispute`,
:meth:`~ContactLog.resolve_document`, :meth:`~ContactLog.add_plan`,
:meth:`~ContactLog.cancel_plan`), which check it again.

A dispute imported with the data (``disputed = yes``) has no id in the log yet. A note or a
hand-over on it first opens it in the log as the data has it (all that is owed, the reason
:data:`~arbook.measures.disputes.IMPORTED_REASON`, who is recording), which takes the imported
one over, then adds the note to that: the same way ``ContactLog.resolve_document`` resolves
one. It is two writes; the note's values are checked before the first, so only the log
failing in between leaves the dispute opened without its note, and the status line says so.

DOM contract: ``.arbook-disputes`` (list ``.arbook-disputes-list``; ``.arbook-dispute-invoice``,
``-amount``, ``-reason``, ``-owner``, button ``.arbook-dispute-open``; ``.arbook-dispute-pick``,
the action ``.arbook-dispute-resolution`` (a note, a new owner or a resolution),
``.arbook-dispute-note``, ``.arbook-dispute-new-owner`` (shown for a hand-over), button
``.arbook-dispute-resolve``, which follows the action);
``.arbook-plan`` (list ``.arbook-plans-list``; ``.arbook-plan-items``,
``.arbook-plan-instalments``, ``.arbook-plan-note``, buttons ``.arbook-plan-agree`` and
``.arbook-plan-cancel``).

Every label, hint and status line is in the language spoken when the box is built or acts.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from arbook.collections.plans import plan_status
from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.i18n import N_, _, ngettext
from arbook.measures.disputes import IMPORTED_REASON, RESOLUTIONS, dispute_list
from arbook.views.dashboard.cases_views import (
    dispute_options,
    disputes_html,
    open_invoices,
    parse_instalments,
    plans_html,
    running_plan,
)
from arbook.views.dashboard.collections_labels import dispute_action_options, resolution_label
from arbook.views.dashboard.collections_views import parse_amount
from arbook.views.dashboard.parts import GuardedDropdown, html_box

_WIDE = {"description_width": "initial"}
#: per action on an open dispute: the button's words, the note's placeholder, the refusal
_FOLLOW = {
    "note": (N_("Add the note"), N_("what happened (needed)"), N_("No note added: {problems}")),
    "owner": (N_("Hand it over"), N_("why (optional)"), N_("Not handed over: {problems}")),
}
_RESOLVE = (N_("Resolve"), N_("how it was settled (optional)"), N_("Not resolved: {problems}"))


def _none() -> tuple[str, str]:
    """A choice's first option: nothing chosen yet."""
    return (_("(choose)"), "")


def _text(description: str, cls: str, placeholder: str = "", width: str = "300px") -> w.Text:
    box = w.Text(
        description=description, placeholder=placeholder, style=_WIDE, layout={"width": width}
    )
    box.add_class(cls)
    return box


def _button(description: str, cls: str, icon: str) -> w.Button:
    button = w.Button(description=description, icon=icon, layout={"width": "auto"})
    button.add_class(cls)
    return button


def _choice(description: str, cls: str, tab, width: str = "420px") -> GuardedDropdown:
    control = GuardedDropdown(
        description=description, options=[_none()], style=_WIDE, layout={"width": width}
    )
    control.add_class(cls)
    control.on_invalid = tab._refuse
    return control


def _wrap(children) -> w.HBox:
    return w.HBox(children, layout={"flex_flow": "row wrap", "align_items": "center"})


class DisputesBox:
    """A customer's open disputes, opening one and following one (a note, a new owner, its
    resolution)."""

    def __init__(self, tab):
        self.tab = tab
        self.disputes = pd.DataFrame()
        self._list = html_box("arbook-disputes-list")
        self.invoice = _choice(_("Invoice"), "arbook-dispute-invoice", tab)
        self.amount = _text(
            _("Amount"), "arbook-dispute-amount", _("blank: all that is owed"), "260px"
        )
        self.reason = _text(_("Reason"), "arbook-dispute-reason", _("what the customer disputes"))
        self.owner = _text(_("Owner"), "arbook-dispute-owner", _("who works it"), "220px")
        self._open = _button(_("Open dispute"), "arbook-dispute-open", "flag")
        self.which = _choice(_("Dispute"), "arbook-dispute-pick", tab)
        self.resolution = GuardedDropdown(
            description=_("Action"), options=dispute_action_options(), style=_WIDE
        )
        self.resolution.add_class("arbook-dispute-resolution")
        self.resolution.on_invalid = tab._refuse
        self.note = _text(_("Note"), "arbook-dispute-note")
        self.new_owner = _text(
            _("New owner"), "arbook-dispute-new-owner", _("who works it now"), "240px"
        )
        self._resolve = _button("", "arbook-dispute-resolve", "check")
        self._resolve_row = _wrap(
            [self.which, self.resolution, self.note, self.new_owner, self._resolve]
        )
        self._open.on_click(lambda _: self.open_dispute())
        self._resolve.on_click(lambda _: self.follow())
        self.resolution.observe(lambda _: self._action_shown(), names="value")
        self._action_shown()
        self.widget = w.VBox(
            [
                self._list,
                _wrap([self.invoice, self.amount, self.reason, self.owner, self._open]),
                self._resolve_row,
            ]
        )
        self.widget.add_class("arbook-disputes")

    @property
    def html(self) -> str:
        return self._list.value

    def _action_shown(self) -> None:
        """The follow row for the action chosen: the button's words, the note's placeholder,
        the new owner's field only for a hand-over."""
        words, hint, _refused = _FOLLOW.get(self.resolution.value, _RESOLVE)
        self._resolve.description, self.note.placeholder = _(words), _(hint)
        self.new_owner.layout.display = None if self.resolution.value == "owner" else "none"

    def show(self, items: pd.DataFrame) -> None:
        """Draw the open disputes of the tab's customer; ``items`` are its open items."""
        tab = self.tab
        found = dispute_list(tab.ledger, tab.day, log=tab.log)
        self.disputes = found[found["customer_id"] == tab.customer].reset_index(drop=True)
        self._list.value = disputes_html(self.disputes, tab.currency)
        tab._set_quietly(self.invoice, "", [_none()] + open_invoices(items, tab.currency))
        tab._set_quietly(self.which, "", [_none()] + dispute_options(self.disputes, tab.currency))
        self._resolve_row.layout.display = None if len(self.disputes) else "none"

    def open_dispute(self) -> int | None:
        """Open a dispute on the chosen invoice; return its id (None when refused)."""
        tab = self.tab
        with tab.guard():
            problems = []
            if not self.invoice.value:
                problems.append(_("choose the invoice in dispute"))
            if not self.reason.value.strip():
                problems.append(_("reason is empty: say what the customer disputes"))
            try:
                amount = parse_amount(self.amount.value, _("amount in dispute"))
            except ParameterError as exc:
                problems.append(str(exc))
            who = tab.who(problems)
            if problems:
                raise ParameterError(
                    _("No dispute opened: {problems}").format(problems="; ".join(problems))
                )
            document = self.invoice.value
            entry = tab.log.open_dispute(
                tab.customer,
                document,
                reason=self.reason.value.strip(),
                who=who,
                amount_cents=amount,
                owner=self.owner.value.strip() or None,
                at=tab.moment(),
                ledger=tab.ledger,
            )
            for box in (self.amount, self.reason, self.owner):
                box.value = ""
            tab.refresh()
            tab.say(
                _("Dispute {dispute} opened on {document}: it is not chased while open.").format(
                    dispute=entry, document=document
                )
            )
            return entry
        return None

    def follow(self) -> int | None:
        """Do the action chosen on the chosen dispute (the button): a note, a hand-over or a
        resolution; return the note's id or the resolved dispute's (None when refused)."""
        action = self.resolution.value
        if action in _FOLLOW:
            return self.add_note(handover=action == "owner")
        return self.resolve()

    def _picked(self, problems: list[str]):
        """The row of :attr:`disputes` chosen in "Dispute"; None (saying so) when none is."""
        rows = self.disputes.iloc[:0]
        if self.which.value and len(self.disputes):
            rows = self.disputes[self.disputes["document_id"] == self.which.value]
        if not len(rows):
            problems.append(_("choose the dispute"))
            return None
        return rows.iloc[0]

    def add_note(self, *, handover: bool = False) -> int | None:
        """Add the note to the chosen dispute, with ``handover`` handing it to the new owner
        too; return the note's id. An imported dispute is opened in the log first (see the
        module's docstring)."""
        tab = self.tab
        with tab.guard():
            problems: list[str] = []
            row = self._picked(problems)
            text, owner = self.note.value.strip(), self.new_owner.value.strip()
            if handover and not owner:
                problems.append(_("the new owner is empty: write who works the dispute now"))
            if not handover and not text:
                problems.append(_("the note is empty: write what happened"))
            who = tab.who(problems)
            if problems:
                refused = _FOLLOW["owner" if handover else "note"][2]
                raise ParameterError(_(refused).format(problems="; ".join(problems)))
            entry, said = self._note(row, who=who, note=text, owner=owner if handover else None)
            self.note.value = self.new_owner.value = ""
            tab.refresh()
            tab.say(said)
            return entry
        return None

    def _note(self, row, *, who: str, note: str, owner: str | None) -> tuple[int, str]:
        """Write the note (opening an imported dispute in the log first); (its id, what the
        status line says)."""
        tab, document, at = self.tab, row["document_id"], self.tab.moment()
        number, opened = row["dispute_id"], ""
        if row["source"] == "imported" or number == "":
            number = tab.log.open_dispute(
                tab.customer, document, reason=IMPORTED_REASON, who=who, at=at, ledger=tab.ledger
            )
            opened = " " + _(
                "(it came with the data; the contact log now keeps it as dispute {dispute})"
            ).format(dispute=number)
        try:
            entry = tab.log.note_dispute(int(number), who=who, note=note, owner=owner, at=at)
        except ArbookError as exc:
            if not opened:
                raise
            tab.refresh()
            raise ParameterError(
                _(
                    "Dispute {dispute} on {document} was opened in the contact log, as the data "
                    "had it, but the note was not saved: {problem}"
                ).format(dispute=number, document=document, problem=exc)
            ) from exc
        if owner:
            said = _("Dispute {dispute} on {document} handed to {owner}{opened}.").format(
                dispute=number, document=document, owner=owner, opened=opened
            )
            return entry, said
        said = _("Note added to dispute {dispute} on {document}{opened}.").format(
            dispute=number, document=document, opened=opened
        )
        return entry, said

    def resolve(self) -> int | None:
        """Resolve the chosen dispute as the chosen resolution; return the dispute's id."""
        tab = self.tab
        with tab.guard():
            problems = []
            if not self.which.value:
                problems.append(_("choose the dispute to resolve"))
            resolution = self.resolution.value
            if resolution not in RESOLUTIONS:
                problems.append(_("choose how it was resolved: paid, credited or rejected"))
            who = tab.who(problems)
            if problems:
                raise ParameterError(_(_RESOLVE[2]).format(problems="; ".join(problems)))
            document = self.which.value
            entry = tab.log.resolve_document(
                tab.customer,
                document,
                resolution=resolution,
                who=who,
                note=self.note.value.strip(),
                at=tab.moment(),
            )
            self.note.value = ""
            tab.refresh()
            tab.say(
                _("Dispute on {document} resolved as {resolution}.").format(
                    document=document, resolution=resolution_label(resolution)
                )
            )
            return entry
        return None


class PlanBox:
    """A customer's payment plans with their instalments; agreeing one and cancelling it."""

    def __init__(self, tab):
        self.tab = tab
        self.plans = pd.DataFrame()
        self._list = html_box("arbook-plans-list")
        self.items = w.SelectMultiple(
            description=_("Invoices"), options=[], rows=5, style=_WIDE, layout={"width": "420px"}
        )
        self.items.add_class("arbook-plan-items")
        self.instalments = w.Textarea(
            description=_("Instalments"),
            placeholder=_("one a line: date amount") + "\n2026-11-15 500.00\n2026-12-15 500.00",
            rows=4,
            style=_WIDE,
            layout={"width": "300px"},
        )
        self.instalments.add_class("arbook-plan-instalments")
        self.note = _text(_("Note"), "arbook-plan-note", _("what was agreed"))
        self._agree = _button(_("Agree plan"), "arbook-plan-agree", "calendar")
        self._cancel = _button(_("Cancel the plan running"), "arbook-plan-cancel", "times")
        self._agree.on_click(lambda _: self.agree())
        self._cancel.on_click(lambda _: self.cancel())
        self.widget = w.VBox(
            [
                self._list,
                _wrap([self.items, self.instalments, w.VBox([self.note, self._agree])]),
                self._cancel,
            ]
        )
        self.widget.add_class("arbook-plan")

    @property
    def html(self) -> str:
        return self._list.value

    def show(self, items: pd.DataFrame) -> None:
        """Draw the tab's customer's plans; ``items`` are its open items."""
        tab = self.tab
        every = plan_status(tab.ledger, tab.day, tab.log)
        self.plans = every[every["customer_id"] == tab.customer].reset_index(drop=True)
        due = tab.log.instalments(tab.ledger, tab.day)
        self._list.value = plans_html(
            self.plans, due[due["customer_id"] == tab.customer], tab.currency
        )
        options = open_invoices(items, tab.currency)
        if list(self.items.options) != options:
            self.items.value = ()
            self.items.options = options
        self._cancel.layout.display = None if running_plan(self.plans) else "none"

    def agree(self) -> int | None:
        """Record the plan in the form for the chosen invoices; return its id."""
        tab = self.tab
        with tab.guard():
            problems = []
            documents = list(self.items.value)
            if not documents:
                problems.append(_("choose the invoices the plan pays"))
            try:
                schedule = parse_instalments(self.instalments.value)
            except ParameterError as exc:
                problems.append(str(exc))
            who = tab.who(problems)
            if problems:
                raise ParameterError(
                    _("No plan agreed: {problems}").format(problems="; ".join(problems))
                )
            entry = tab.log.add_plan(
                tab.customer,
                instalments=schedule,
                documents=documents,
                who=who,
                note=self.note.value.strip(),
                at=tab.moment(),
                ledger=tab.ledger,
            )
            self.instalments.value, self.note.value = "", ""
            tab.refresh()
            tab.say(
                ngettext(
                    "Payment plan {plan} agreed: {count} instalment for {documents}; those "
                    "invoices are not chased while it is kept.",
                    "Payment plan {plan} agreed: {count} instalments for {documents}; those "
                    "invoices are not chased while it is kept.",
                    len(schedule),
                ).format(
                    plan=entry, count=format_count(len(schedule)), documents=", ".join(documents)
                )
            )
            return entry
        return None

    def cancel(self) -> int | None:
        """Cancel the customer's plan running; return its id."""
        tab = self.tab
        with tab.guard():
            plan = running_plan(self.plans)
            problems: list[str] = [] if plan else [_("no plan is running")]
            who = tab.who(problems)
            if problems:
                raise ParameterError(
                    _("Not cancelled: {problems}").format(problems="; ".join(problems))
                )
            entry = tab.log.cancel_plan(
                plan, who=who, note=self.note.value.strip(), at=tab.moment()
            )
            tab.refresh()
            tab.say(
                _("Payment plan {plan} cancelled: its invoices are chased again.").format(plan=plan)
            )
            return entry
        return None


__all__ = ["DisputesBox", "PlanBox"]
