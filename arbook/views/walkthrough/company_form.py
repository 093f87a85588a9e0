"""The walkthrough's "your company on every document": the client's name, address, tax id, bank
details, e-mail, phone, logo and payment note, asked for once and kept in the data folder's
``policy.toml`` (:func:`arbook.core.policy_file.write_company`), where every command, the daily
run and the dashboard find them.

``CompanyForm(data)`` is the ipywidgets form, filled with what the folder's policy already says,
and a "Save the company details" button. Nothing is written before the button is pressed; the
file changes only in its ``[company]`` table, and only once the result loads as a policy.
Refusals are sentences in ``status``, never tracebacks.

DOM contract: ``.arbook-company`` (the form), one ``.arbook-company-<field>`` per detail, button
``.arbook-company-save``.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.core.policy_file import COMPANY_FIELDS, company_details, write_company
from arbook.views.walkthrough.saving_form import SavingForm
from arbook.workbook import paths

#: Each detail as the form asks for it: (label, placeholder), translated where shown;
#: multi-line ones are text areas.
FIELDS = {
    "name": (N_("Company name"), N_("as it appears on your invoices")),
    "address": (N_("Address"), N_("street, town, postcode, country (one per line)")),
    "tax_id": (N_("Tax id"), N_("VAT number, NIF, ИНН...")),
    "bank": (N_("Bank"), N_("the bank customers pay into")),
    "iban": ("IBAN", N_("or the account number")),
    "bic": ("BIC / SWIFT", ""),
    "email": (N_("E-mail"), N_("{address}: the From of e-mailed documents")),
    "phone": (N_("Phone"), N_("the number customers call about their account")),
    "logo": (N_("Logo file"), N_("a PNG, JPEG or SVG under 1 MB, in the data folder")),
    "payment_note": (N_("Payment note"), N_('printed under "how to pay"')),
}
#: the address the e-mail box's hint shows
EXAMPLE_EMAIL = "collections@yourcompany.com"
MULTILINE = ("address", "payment_note")
_STYLE = {"description_width": "120px"}


class CompanyForm(SavingForm):
    """The company-details form of data folder ``data``; ``widget`` is the root to display.
    State: ``status`` (``status_is_error`` when it reports a refusal) and ``saved``, the path of
    the policy file last written."""

    def __init__(self, data: str = paths.SAMPLE):
        super().__init__()
        self.folder = paths.data_folder(data)
        known = company_details(self.folder)
        self.boxes: dict[str, w.Text | w.Textarea] = {}
        for name in COMPANY_FIELDS:
            label, hint = FIELDS[name]
            kind = w.Textarea if name in MULTILINE else w.Text
            box = kind(
                value=known[name],
                description=_(label),
                placeholder=_(hint).format(address=EXAMPLE_EMAIL) if hint else "",
                style=_STYLE,
                layout=w.Layout(width="560px", height="64px" if name in MULTILINE else None),
            )
            box.add_class(f"arbook-company-{name.replace('_', '-')}")
            self.boxes[name] = box
        self.button = w.Button(
            description=_("Save the company details"),
            icon="save",
            button_style="primary",
            layout=w.Layout(width="240px"),
        )
        self.button.add_class("arbook-company-save")
        self.button.on_click(lambda _: self.save())
        self.widget = w.VBox([*self.boxes.values(), self.button, self.message])
        self.widget.add_class("arbook-company")
        if known["name"]:
            self._say(
                _(
                    "These are the details in {file}; every document prints them. Change them "
                    "here if they are out of date."
                ).format(file=self.folder / "policy.toml")
            )
        else:
            self._say(
                _(
                    "Fill in the company's details once: documents go to customers only once "
                    "the company is named (until then they are drafts to preview)."
                )
            )

    def details(self) -> dict[str, str]:
        """What the form says, detail by detail."""
        return {name: box.value.strip() for name, box in self.boxes.items()}

    def save(self) -> bool:
        """Write the details into the data folder's ``policy.toml``; True when saved. A refusal
        is reported in ``status`` and the file is left as it was."""
        details = self.details()

        def write() -> Path:
            if not details["name"]:
                raise ParameterError(_("the company name is empty; write it as on your invoices"))
            return write_company(self.folder, details)

        path = self._save(write, "the company details")
        if path is None:
            return False
        self._say(
            _(
                "Saved to {path}. Statements, letters and e-mails print these details from now "
                "on (arbook documents, arbook daily and the dashboard read them from there)."
            ).format(path=path)
        )
        return True
