"""Words, money and dates of customer documents in their language (en, es, ru), with Babel.

A document's words are English texts of the message catalogue (:mod:`arbook.core.i18n`), read in
the customer's language: the builder renders inside ``using(lang)``, so the functions here and
the templates' ``_``/``pgettext`` speak it. Short labels carry the context ``customer
document`` (a document's "Due date" is not a screen's). Messages to the person giving the
document (refusals, the kinds in them) are in the interface language.

Money stays int cents until it is printed here: ``Decimal(cents).scaleb(-2)`` is exact, and Babel
writes it the locale's way (en ``1,234.56``, es ``1.234,56``, ru ``1 234,56`` with a no-break
space). With no book currency known the amount is printed without a symbol.
"""

from __future__ import annotations

import base64
from decimal import Decimal
from pathlib import Path

import pandas as pd
from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal

from arbook.core.config import (  # noqa: F401 (LANGUAGES, check_language re-exported)
    LANGUAGES,
    MAX_COMPANY_TEXT,
    check_language,
    resolve_policy,
)
from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, pgettext
from arbook.core.rules import closest, unknown_key
from arbook.core.rules_file import decode, read_bytes, rules_file, shown

TEMPLATES = ("reminder", "notice", "final_notice", "legal")
#: Each document kind as the person giving it reads it (``_(KIND_TEXTS[kind])``).
KIND_TEXTS = {
    "statement": N_("statement"),
    "reminder": N_("reminder"),
    "notice": N_("notice"),
    "final_notice": N_("final notice"),
    "legal": N_("legal"),
}

#: Keys a ``company`` dict may carry (the policy's ``[company]``); every one is optional.
COMPANY_KEYS = (
    "name",
    "address",
    "tax_id",
    "email",
    "phone",
    "bank",
    "iban",
    "bic",
    "logo",
    "payment_note",
)
#: A logo is embedded in the document (a ``data:`` URL): these kinds, up to this size.
LOGO_TYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".svg": "image/svg+xml",
}
LOGO_BYTES = 1_000_000


def kind_text(kind: str) -> str:
    """A document's kind for the person giving it, in the language spoken ("final notice")."""
    return _(KIND_TEXTS[kind]) if kind in KIND_TEXTS else str(kind).replace("_", " ")


def document_title(kind: str) -> str:
    """The heading of a statement or ladder letter in the language spoken (the customer's
    while a document is made): "Statement of account", "Payment reminder"...; "" for
    another kind."""
    return {
        "statement": pgettext("customer document", "Statement of account"),
        "reminder": pgettext("customer document", "Payment reminder"),
        "notice": pgettext("customer document", "Overdue notice"),
        "final_notice": pgettext("customer document", "Final notice"),
        "legal": pgettext("customer document", "Notice before legal action"),
    }.get(kind, "")


def item_kind_text(kind: str) -> str:
    """An open item's kind as a document names it: an invoice, a credit note, a payment not
    allocated to an invoice ("on account"); another kind as it is written."""
    return {
        "invoice": pgettext("customer document", "invoice"),
        "credit_note": pgettext("customer document", "credit note"),
        "payment": pgettext("customer document", "on account"),
    }.get(kind, kind)


def plan_state_text(status: str) -> str:
    """A payment plan's status as a document tells the customer ("on track", "broken"...): the
    words a person reads on every screen (:func:`arbook.collections.plans.plan_status_label`)."""
    from arbook.collections.plans import plan_status_label

    return plan_status_label(status)


def check_template(template: str) -> str:
    """Return ``template`` if it is a ladder letter, else raise ParameterError."""
    if template not in TEMPLATES:
        raise ParameterError(
            _("letter template {template}; the templates are: {templates}").format(
                template=repr(template), templates=", ".join(TEMPLATES)
            )
        )
    return template


def money(cents, lang: str, currency: str | None) -> str:
    """Int cents as the locale writes money: ``format_currency`` with the book's currency, or
    the plain number (2 decimals) when no currency is known."""
    amount = Decimal(int(cents)).scaleb(-2)
    if currency:
        return format_currency(amount, currency, locale=lang)
    return format_decimal(amount, format="#,##0.00", locale=lang)


def date_text(value, lang: str) -> str:
    """A date the locale's long way: ``October 31, 2026``, ``31 de octubre de 2026``,
    ``31 октября 2026 г.``; an empty string for a missing date."""
    if value is None or pd.isna(value):
        return ""
    return babel_date(pd.Timestamp(value).date(), format="long", locale=lang)


def _unknown_keys(unknown: list[str]) -> str:
    return _("company: unknown key(s) {keys}; the keys are {known}").format(
        keys=", ".join(unknown), known=", ".join(COMPANY_KEYS)
    )


def company_of(policy, company: dict | None = None) -> dict:
    """The company details documents print: the policy's ``[company]`` with the keys of
    ``company`` (a ``--company`` file's table, or a dict) over it; blanks are not set. Raises
    ParameterError naming unknown keys."""
    given = dict(company or {})
    unknown = sorted(set(given) - set(COMPANY_KEYS))
    if unknown:
        raise ParameterError(_unknown_keys(unknown))
    merged = resolve_policy(policy).company.model_dump()
    merged.update({key: str(value or "").strip() for key, value in given.items()})
    return merged


def logo_source(path_text: str, folder: Path | None) -> str:
    """The logo file ``path_text`` (relative paths from the data ``folder``) as a ``data:`` URL
    for the document ("" when none is set). Raises ParameterError for a missing file, another
    kind than PNG, JPEG or SVG, or one over 1 MB."""
    if not path_text:
        return ""
    path = Path(path_text).expanduser()
    if not path.is_absolute() and folder is not None:
        path = folder / path
    kind = LOGO_TYPES.get(path.suffix.lower())
    fix = _("set [company] logo in the policy to a PNG, JPEG or SVG file under 1 MB")
    if kind is None:
        raise ParameterError(
            _("company logo {path}: not a PNG, JPEG or SVG file; {fix}").format(
                path=repr(path_text), fix=fix
            )
        )
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParameterError(
            _(
                "company logo {path}: {problem}; {fix} (a relative path is read from the data "
                "folder)"
            ).format(path=repr(str(path)), problem=exc.strerror or exc, fix=fix)
        ) from None
    if len(data) > LOGO_BYTES:
        raise ParameterError(
            _("company logo {path}: {size} bytes; {fix}").format(
                path=repr(str(path)), size=format_count(len(data)), fix=fix
            )
        )
    return f"data:{kind};base64,{base64.b64encode(data).decode('ascii')}"


def company_details(company: dict | None, lang: str, *, folder: Path | None = None) -> dict:
    """The sender's details as documents print them: every key of :data:`COMPANY_KEYS` with
    its text ("" when not given: a document prints only what is set, never a placeholder),
    ``logo_src`` (the logo as a ``data:`` URL, see :func:`logo_source`) and ``sender_email``.
    Raises ParameterError naming unknown keys."""
    check_language(lang)
    company = dict(company or {})
    unknown = sorted(set(company) - set(COMPANY_KEYS))
    if unknown:
        raise ParameterError(_unknown_keys(unknown))
    details = {key: str(company.get(key) or "").strip() for key in COMPANY_KEYS}
    details["logo_src"] = logo_source(details["logo"], folder)
    details["sender_email"] = details["email"]
    return details


def load_company(path: str | Path) -> dict:
    """The ``[company]`` table of a TOML file (keys :data:`COMPANY_KEYS`, each one text) as a
    plain dict. Raises ParameterError naming the file, and the line and key where there is one:
    the file missing, unreadable or not TOML, no ``[company]`` table, another table or key
    beside it (with the closest known key), or a value that is not text."""
    path = Path(path)
    fix = _('Write [company] then name = "...", address, tax_id, iban, bic, bank, email, phone.')
    raw = read_bytes(path, "company", fix, ParameterError)
    file = rules_file(decode(raw, str(path), ParameterError), str(path), ParameterError)
    table = file.data.get("company")
    if not isinstance(table, dict):
        near = closest("company", [k for k in file.data if k != "company"])
        said = (
            _("{path}: no [company] table ([{near}] is there: did you mean [company]?). {fix}")
            if near
            else _("{path}: no [company] table. {fix}")
        )
        raise ParameterError(said.format(path=path, near=near, fix=fix))
    bad = [
        _("{where}: only the [company] table is read; put its keys under it").format(
            where=file.at((key,))
        )
        for key in file.data
        if key != "company"
    ]
    for key, value in table.items():
        where = file.at(("company", key))
        if key not in COMPANY_KEYS:
            bad.append(f"{where}: {unknown_key(key, list(COMPANY_KEYS), ', '.join(COMPANY_KEYS))}")
        elif not isinstance(value, str):
            bad.append(
                _("{where}: {value} is not text; write it in double quotes").format(
                    where=where, value=shown(value)
                )
            )
        elif len(value) > MAX_COMPANY_TEXT:
            bad.append(
                _("{where}: {count} characters; keep it under {most}").format(
                    where=where, count=format_count(len(value)), most=format_count(MAX_COMPANY_TEXT)
                )
            )
    if bad:
        raise ParameterError("\n".join(bad))
    return table
