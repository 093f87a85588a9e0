"""The call screen's contact form: channel, outcome, contact date, next contact, a promise
(amount and date) and a note, with the tab's "Who" and excuse; every value checked here (amounts
exactly to cents, ISO dates) and all problems said in one sentence before
:meth:`ContactLog.add` checks them again. DOM: ``.arbook-log-form`` holds ``.arbook-channel``,
``.arbook-outcome``, ``.arbook-day``, ``.arbook-next-date``, ``.arbook-promise-amount``,
``.arbook-promise-date``, ``.arbook-note-field`` and the button ``.arbook-log-button``; the name
``.arbook-who`` is shown at the top of the tab. Its labels and messages are in the language
spoken when it is built (the names of the channel and outcome codes too)."""

from __future__ import annotations

import ipywidgets as w

from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.views.dashboard.collections_labels import (
    channel_options,
    outcome_label,
    outcome_options,
)
from arbook.views.dashboard.collections_views import parse_amount, parse_day
from arbook.views.dashboard.parts import GuardedDropdown

#: the fields a promise or a date is read from, with the name a person knows them by
_PARSED = (
    ("day", "day", N_("contact date"), parse_day),
    ("promise_cents", "promise_amount", N_("promise amount"), parse_amount),
    ("promise_date", "promise_date", N_("promise date"), parse_day),
    ("next_date", "next_date", N_("next contact"), parse_day),
)


def text_field(description: str, cls: str, placeholder: str = "") -> w.Text:
    box = w.Text(
        description=description, placeholder=placeholder, style={"description_width": "initial"}
    )
    box.add_class(cls)
    return box


class ContactForm:
    """The contact form of ``tab`` (a :class:`CollectionsTab`); ``fields`` by name."""

    def __init__(self, tab):
        self.tab = tab
        self.fields = {
            "channel": GuardedDropdown(description=_("Channel"), options=channel_options()),
            "outcome": GuardedDropdown(description=_("Outcome"), options=outcome_options()),
            "who": text_field(_("Who"), "arbook-who", _("your name")),
            "day": text_field(_("Contact date"), "arbook-day", _("YYYY-MM-DD")),
            "promise_amount": text_field(
                _("Promise amount"),
                "arbook-promise-amount",
                _("e.g. {example}").format(example="1250.00"),
            ),
            "promise_date": text_field(_("Promise date"), "arbook-promise-date", _("YYYY-MM-DD")),
            "next_date": text_field(_("Next contact"), "arbook-next-date", _("YYYY-MM-DD")),
            "note": w.Textarea(description=_("Note"), placeholder=_("what was said")),
        }
        f = self.fields
        for name in ("channel", "outcome"):
            f[name].add_class(f"arbook-{name}")
            f[name].on_invalid = tab._refuse
        f["note"].add_class("arbook-note-field")
        button = w.Button(description=_("Log contact"), icon="phone", button_style="primary")
        button.add_class("arbook-log-button")
        button.on_click(lambda _: self.log())
        self.widget = w.VBox(
            [
                w.HBox([f["channel"], f["outcome"]]),
                w.HBox([f["day"], f["next_date"]]),
                w.HBox([f["promise_amount"], f["promise_date"]]),
                f["note"],
                button,
            ]
        )
        self.widget.add_class("arbook-log-form")

    def entry(self) -> dict:
        """The form's values, checked: every problem is listed in one message."""
        tab, f = self.tab, self.fields
        problems: list[str] = []
        values: dict = {}
        known = set(tab.ledger.customers["customer_id"]) | set(
            tab.worklist_frame.get("customer_id", [])
        )
        if tab.customer not in known:
            problems.append(
                _("customer {customer} is not in this ledger; choose one").format(
                    customer=repr(tab.customer)
                )
            )
        for name in ("channel", "outcome"):
            values[name] = f[name].value
            if values[name] not in [v for _label, v in f[name].options]:
                labels = ", ".join(label for label, _value in f[name].options)
                problems.append(
                    _("{field} {value}: use one of {choices}").format(
                        field=f[name].description.lower(),
                        value=repr(values[name]),
                        choices=labels,
                    )
                )
        values["who"] = tab.who(problems)
        for key, field, name, parse in _PARSED:
            try:
                values[key] = parse(f[field].value, _(name))
            except ParameterError as exc:
                problems.append(str(exc))
        if "day" in values and values["day"] is None:
            problems.append(_("contact date is empty; write YYYY-MM-DD"))
        if problems:
            raise ParameterError(_("Not logged: {problems}").format(problems="; ".join(problems)))
        values.pop("day", None)
        return values

    def log(self) -> int | None:
        """Log the form's contact for the tab's customer; return its id (None when refused).
        The tab is redrawn; the note, promise and dates are cleared."""
        tab = self.tab
        with tab.guard():
            values = self.entry()
            entry = tab.log.add(
                tab.customer,
                **values,
                note=self.fields["note"].value,
                excuse=tab.excuse_code or None,
                at=tab.moment(),
            )
            for name in ("promise_amount", "promise_date", "next_date", "note"):
                self.fields[name].value = ""
            customer = tab.customer
            tab.refresh()
            tab.say(
                _("Logged contact {entry} with {customer} ({outcome}).").format(
                    entry=entry, customer=customer, outcome=outcome_label(values["outcome"])
                )
            )
            return entry
        return None


__all__ = ["ContactForm", "text_field"]
