"""The Credit tab's "May I ship?" box: a customer (typed or picked, by id or name), an order
amount, and the answer of :func:`arbook.credit.check.credit_check` with every reason, coloured
allow / warn / block.

The order is checked at the day the Collections tab works from (:func:`work_day` of the
review's month end: the data's latest day for the last month end), against the client's contact
log when it has one (the log the Collections tab writes), by the ledger's policy.

DOM contract (the browser tests rely on it): the box is ``.arbook-ship``; the customer field
``.arbook-ship-customer``, the amount ``.arbook-ship-amount``, the button ``.arbook-ship-button``;
the answer ``.arbook-ship-answer``, whose inner ``div`` carries ``data-answer`` (allow, warn,
block) and one ``li`` per reason with ``data-code`` and ``data-effect``.
"""

from __future__ import annotations

import logging

import ipywidgets as w

from arbook.collections.contacts import open_log
from arbook.collections.worklist import work_day
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.i18n import N_, _
from arbook.core.money import parse_money
from arbook.credit.check import CreditCheck, answer_word, credit_check
from arbook.views.html import error_box, esc
from arbook.workbook.review import Review

log = logging.getLogger(__name__)

#: How an order amount is written, in the examples the box gives.
EXAMPLE_AMOUNT = "3000.00"
#: Background and edge colour of each answer (the dashboard's green, amber and red).
COLOURS = {
    "allow": ("#e8f5ec", "#4c9f70"),
    "warn": ("#fff6e0", "#f2c14e"),
    "block": ("#fdecea", "#d9534f"),
}
BUTTON = N_("May I ship?")


def hint_html() -> str:
    """What to do, before any answer (in the language spoken)."""
    text = _("Type or choose a customer and the order's amount, then press {button}").format(
        button=_(BUTTON)
    )
    return f'<div class="arbook arbook-note">{esc(text)}</div>'


def check_html(check: CreditCheck) -> str:
    """The answer and every reason, each coloured by what it does."""
    back, edge = COLOURS[check.answer]
    reasons = "".join(
        f'<li data-code="{esc(r.code)}" data-effect="{esc(r.effect)}" '
        f'style="border-left: 4px solid {COLOURS[r.effect][1]}; padding-left: 6px; '
        f'margin: 3px 0; list-style: none"><b>{esc(answer_word(r.effect))}</b>: '
        f"{esc(r.label)}</li>"
        for r in check.reasons
    )
    listed = f'<ul style="padding-left: 0; margin: 6px 0 0">{reasons}</ul>' if reasons else ""
    return (
        f'<div class="arbook" data-answer="{esc(check.answer)}" style="background: {back}; '
        f'border: 1px solid {edge}; border-radius: 6px; padding: 8px 12px">'
        f"<b>{esc(check.headline)}</b>{listed}</div>"
    )


def order_amount(text: object) -> int:
    """The amount typed, as int cents; ParameterError saying how to write it."""
    if not str(text or "").strip():
        raise ParameterError(
            _("order amount is empty; write it like {example}").format(example=EXAMPLE_AMOUNT)
        )
    example = _("like {example}").format(example=EXAMPLE_AMOUNT)
    try:
        return parse_money(str(text).strip(), least=0, example=example)
    except ValueError as exc:
        raise ParameterError(_("order amount {problem}").format(problem=exc)) from None


class ShipBox:
    """The widgets of the box; :meth:`render` takes the dashboard's review, :meth:`check` (the
    button) answers. ``last`` is the last :class:`CreditCheck` shown (None after a refusal or a
    new review)."""

    def __init__(self):
        self.customer = w.Combobox(ensure_option=False)
        self.customer.add_class("arbook-ship-customer")
        self.amount = w.Text()
        self.amount.add_class("arbook-ship-amount")
        self.button = w.Button(icon="truck", button_style="primary")
        self.button.add_class("arbook-ship-button")
        self.answer = w.HTML()
        self.answer.add_class("arbook-ship-answer")
        self.button.on_click(lambda _click: self.check())
        self.title = w.HTML()
        self.widget = w.VBox(
            [self.title, w.HBox([self.customer, self.amount, self.button]), self.answer]
        )
        self.widget.add_class("arbook-ship")
        self._review: Review | None = None
        self._ids: dict[str, str] = {}
        self.last: CreditCheck | None = None
        self._hinting = True  # the hint is shown (no answer, no refusal)
        self.speak()

    def speak(self) -> None:
        """Write the box's labels in the language spoken (again after the language changes);
        a hint shown is rewritten, an answer shown stays until the next check."""
        self.customer.description = _("Customer")
        self.customer.placeholder = _("id or name")
        self.amount.description = _("Order amount")
        self.amount.placeholder = _("e.g. {example}").format(example=EXAMPLE_AMOUNT)
        self.button.description = _(BUTTON)
        self.title.value = f'<div class="arbook-section">{esc(_(BUTTON))}</div>'
        if self._hinting:
            self.answer.value = hint_html()

    def render(self, review: Review) -> None:
        """Offer the review's customers; an answer shown for another review is cleared."""
        self.speak()
        if review is self._review:
            return
        self._review = review
        customers = review.ledger.customers.sort_values("customer_id", kind="stable")
        names = review.ledger.names(customers["customer_id"])
        self._ids = {
            f"{c} {n}" if n and n != c else str(c): str(c)
            for c, n in zip(customers["customer_id"], names)
        }
        self.customer.options = list(self._ids)
        self.answer.value, self.last, self._hinting = hint_html(), None, True

    def customer_id(self, text: object) -> str:
        """The customer meant by ``text``: a choice of the list, or an id as typed."""
        said = str(text or "").strip()
        if not said:
            raise ParameterError(_("no customer given; type its id or name, or choose one"))
        return self._ids.get(said, said)

    def check(self, customer: str | None = None, amount: str | None = None) -> CreditCheck | None:
        """Answer for ``customer`` and ``amount`` (text as typed; None: the fields' own) and
        show it; a refusal is shown instead, and gives None."""
        if customer is not None:
            self.customer.value = customer
        if amount is not None:
            self.amount.value = amount
        self.last, self._hinting = None, False
        try:
            if self._review is None:
                raise ParameterError(_("the data is not loaded yet"))
            self.last = self._check(self._review)
            self.answer.value = check_html(self.last)
        except ArbookError as exc:
            self.answer.value = error_box(_("Not checked: {problem}").format(problem=exc))
        except Exception as exc:  # the user's boundary: a sentence here, the traceback logged
            log.exception("the credit check failed")
            self.answer.value = error_box(
                _("Something went wrong: {error}: {message}").format(
                    error=type(exc).__name__, message=exc
                )
            )
        return self.last

    def _check(self, review: Review) -> CreditCheck:
        ledger = review.ledger
        who, cents = self.customer_id(self.customer.value), order_amount(self.amount.value)
        contacts = open_log(folder=ledger.folder)  # the Collections tab's; None before its first
        try:
            return credit_check(ledger, who, cents, work_day(ledger, review.as_of), log=contacts)
        finally:
            if contacts is not None:
                contacts.close()


__all__ = ["ShipBox", "check_html", "hint_html", "order_amount"]
