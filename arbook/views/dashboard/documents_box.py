"""The call screen's documents: the customer's statement of account or a ladder letter, in its
language, to preview, and to give it through the one send path
(:func:`arbook.collections.documents.deliver`): kept to print and post, e-mailed, or queued for
approval. Given or kept, it is recorded in the contact log (channel, ladder step, the file and
its hash), so the worklist knows the step is done; giving the same document twice the same day
needs "again" ticked.

DOM contract: ``.arbook-statement`` holds ``.arbook-document-kind``, the buttons
``.arbook-statement-button`` (preview), ``.arbook-outbox-button`` (keep to print and post),
``.arbook-email-button``, ``.arbook-queue-button``, the box ``.arbook-again`` and the preview
``.arbook-statement-preview``.

The document is in the customer's language; the box's labels and status lines in the language
spoken.
"""

from __future__ import annotations

import ipywidgets as w

from arbook.collections.documents import (
    customer_language,
    deliver,
    letter,
    smtp_settings,
    statement,
)
from arbook.collections.documents.register import outbox_of
from arbook.collections.documents.sending import AGAIN, Delivery
from arbook.core.dates import date_text
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.views.dashboard.collections_labels import document_label, document_options
from arbook.views.dashboard.collections_views import preview_html
from arbook.views.dashboard.parts import GuardedDropdown, html_box

#: What the send path's refusal of a repeat says to do, in the dashboard's terms.
AGAIN_HERE = N_('tick "again" first')


def in_dashboard_terms(message: str) -> str:
    """A send-path message with its CLI / Python advice (in English or in the language
    spoken) replaced by the dashboard's, in the language spoken."""
    here = _(AGAIN_HERE)
    return message.replace(_(AGAIN), here).replace(AGAIN, here)


def _button(description: str, cls: str, icon: str) -> w.Button:
    button = w.Button(description=description, icon=icon, layout={"width": "auto"})
    button.add_class(cls)
    return button


class DocumentsBox:
    """Preview, keep, e-mail or queue the tab's customer's statement or a ladder letter."""

    def __init__(self, tab):
        self.tab = tab
        self.kind = GuardedDropdown(
            description=_("Document"),
            options=document_options(),
            style={"description_width": "initial"},
        )
        self.kind.add_class("arbook-document-kind")
        self.kind.on_invalid = tab._refuse
        self._preview_button = _button(_("Preview"), "arbook-statement-button", "file")
        self._keep = _button(_("Keep to print and post"), "arbook-outbox-button", "print")
        self._email = _button(_("E-mail it"), "arbook-email-button", "envelope")
        self._queue = _button(_("Queue for approval"), "arbook-queue-button", "inbox")
        self.again = w.Checkbox(description=_("again (already given today)"), indent=False)
        self.again.add_class("arbook-again")
        self._preview = html_box("arbook-statement-preview")
        self._preview_button.on_click(lambda _: self.preview())
        self._keep.on_click(lambda _: self.give())
        self._email.on_click(lambda _: self.give(send=True))
        self._queue.on_click(lambda _: self.give(queue=True))
        buttons = w.HBox(
            [self.kind, self._preview_button, self._keep, self._email, self._queue, self.again],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.widget = w.VBox([buttons, self._preview])
        self.widget.add_class("arbook-statement")

    @property
    def html(self) -> str:
        return self._preview.value

    def clear(self) -> None:
        self._preview.value = ""
        self.again.value = False

    def document(self):
        """The chosen document of the tab's customer at the work day, in its language."""
        tab = self.tab
        if not tab.customer or tab.day is None:
            raise ParameterError(_("choose a customer first"))
        lang = customer_language(tab.ledger, tab.customer)
        if self.kind.value == "statement":
            return statement(
                tab.ledger, tab.customer, tab.day, lang=lang, log=tab.log, ladder=tab.ladder
            )
        return letter(tab.ledger, tab.customer, tab.day, self.kind.value, lang=lang,
                      ladder=tab.ladder, log=tab.log)  # fmt: skip

    def preview(self) -> None:
        """Show the chosen document as the customer would get it."""
        tab = self.tab
        with tab.guard():
            document = self.document()
            self._preview.value = preview_html(document.html)
            said = _("{document} of {customer} as of {day}.").format(
                document=_capital(document_label(self.kind.value)),
                customer=tab.customer,
                day=date_text(tab.day),
            )
            if document.missing:
                said += " " + _(
                    "It is a draft: before it can go to the customer set {missing}"
                ).format(missing=_("; and ").join(document.missing))
            tab.say(said)

    def give(self, *, send: bool = False, queue: bool = False) -> Delivery | None:
        """Keep the chosen document to print and post (default), e-mail it (``send``) or
        queue it for approval (``queue``), through the one send path; return what became of
        it (None when refused)."""
        tab = self.tab
        with tab.guard():
            problems: list[str] = []
            who = tab.who(problems)
            if problems:
                raise ParameterError(
                    _("Nothing given: {problems}").format(problems="; ".join(problems))
                )
            document = self.document()
            self._preview.value = preview_html(document.html)
            try:
                done = deliver(
                    document,
                    outbox_of(tab.ledger),
                    log=tab.log,
                    who=who,
                    send=send,
                    queue=queue,
                    smtp=smtp_settings(tab.ledger.policy) if send else None,
                    confirm_repeat=self.again.value,
                )
            except ParameterError as exc:
                raise ParameterError(in_dashboard_terms(str(exc))) from None
            self.again.value = False
            tab.refresh()
            tab.say(_said(done))
            return done
        return None


def _capital(text: str) -> str:
    """``text`` with its first letter a capital (the rest as it is)."""
    return text[:1].upper() + text[1:]


def _said(done: Delivery) -> str:
    what = _capital(document_label(done.kind))
    if done.status == "sent":
        return _("{document} e-mailed to {to} and logged (entry {entry}).").format(
            document=what, to=done.to, entry=done.entry_id
        )
    if done.status == "saved":
        return _("{document} kept to print and post ({file}) and logged (entry {entry}).").format(
            document=what, file=done.document, entry=done.entry_id
        )
    if done.note:
        return _("{document} queued for approval ({note}): see Documents to approve.").format(
            document=what, note=done.note
        )
    return _("{document} queued for approval: see Documents to approve.").format(document=what)


__all__ = ["AGAIN_HERE", "DocumentsBox", "in_dashboard_terms"]
