"""Words, money and dates of customer documents in their language (en, es, ru), with Babel.

Money stays int cents until it is printed here: ``Decimal(cents).scaleb(-2)`` is exact, and Babel
writes it the locale's way (en ``1,234.56``, es ``1.234,56``, ru ``1 234,56`` with a no-break
space). With no book currency known the amount is printed without a symbol.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pandas as pd
from babel.dates import format_date as babel_date
from babel.numbers import format_currency, format_decimal

from arbook.core.config import LANGUAGES, check_language  # noqa: F401 (re-exported)
from arbook.core.errors import ParameterError
from arbook.core.rules import closest, unknown_key
from arbook.core.rules_file import decode, read_bytes, rules_file, shown

TEMPLATES = ("reminder", "notice", "final_notice", "legal")

#: Keys a ``company`` dict may carry; every one is optional.
COMPANY_KEYS = ("name", "address", "email", "phone", "bank", "iban", "bic", "payment_note")
#: The longest company detail (an address, a payment note) a company file may hold.
MAX_COMPANY_TEXT = 2000
_PLACEHOLDER = {
    "en": "set your company details",
    "es": "indique los datos de su empresa",
    "ru": "укажите реквизиты вашей компании",
}

LABELS = {
    "en": {
        "statement": "Statement of account",
        "as_of": "as of",
        "customer": "Customer",
        "document": "Document",
        "date": "Date",
        "due": "Due date",
        "days": "Days overdue",
        "outstanding": "Outstanding",
        "bucket": "Aging",
        "current": "Not yet due",
        "owed": "Total owed",
        "unapplied": "Credits and unapplied payments",
        "total": "Total balance",
        "payments": "Payments received",
        "payments_since": "in the {days} days to",
        "payment": "Payment",
        "applied": "Applied to",
        "amount": "Amount",
        "on_account": "on account",
        "no_items": "No open items.",
        "no_payments": "No payments received in this period.",
        "how_to_pay": "How to pay",
        "bank": "Bank",
        "reference": "Please quote your customer number",
        "overdue_total": "Total overdue",
        "credits": "Less credits on your account",
        "to_pay": "Amount to pay now",
        "credit_note": "credit note",
        "invoice": "invoice",
        "credit_item": "credit",
        "disputed": "in dispute",
        "disputed_note": "In dispute, not asked for in this letter:",
        "letter": {
            "reminder": "Payment reminder",
            "notice": "Overdue notice",
            "final_notice": "Final notice",
            "legal": "Notice before legal action",
        },
    },
    "es": {
        "statement": "Extracto de cuenta",
        "as_of": "a",
        "customer": "Cliente",
        "document": "Documento",
        "date": "Fecha",
        "due": "Vencimiento",
        "days": "Días de retraso",
        "outstanding": "Pendiente",
        "bucket": "Antigüedad",
        "current": "No vencido",
        "owed": "Total adeudado",
        "unapplied": "Abonos y pagos sin aplicar",
        "total": "Saldo total",
        "payments": "Pagos recibidos",
        "payments_since": "en los {days} días hasta el",
        "payment": "Pago",
        "applied": "Aplicado a",
        "amount": "Importe",
        "on_account": "a cuenta",
        "no_items": "No hay partidas pendientes.",
        "no_payments": "No se recibieron pagos en este periodo.",
        "how_to_pay": "Cómo pagar",
        "bank": "Banco",
        "reference": "Indique su número de cliente",
        "overdue_total": "Total vencido",
        "credits": "Menos abonos a su favor",
        "to_pay": "Importe a pagar ahora",
        "credit_note": "abono",
        "invoice": "factura",
        "credit_item": "a su favor",
        "disputed": "en disputa",
        "disputed_note": "En disputa, no se reclama en esta carta:",
        "letter": {
            "reminder": "Recordatorio de pago",
            "notice": "Aviso de impago",
            "final_notice": "Último aviso",
            "legal": "Aviso previo a acciones legales",
        },
    },
    "ru": {
        "statement": "Акт сверки задолженности",
        "as_of": "на",
        "customer": "Клиент",
        "document": "Документ",
        "date": "Дата",
        "due": "Срок оплаты",
        "days": "Дней просрочки",
        "outstanding": "Остаток",
        "bucket": "Просрочка",
        "current": "Срок не наступил",
        "owed": "Итого долг по счетам",
        "unapplied": "Кредиты и нераспределённые платежи",
        "total": "Итого задолженность",
        "payments": "Полученные платежи",
        "payments_since": "за {days} дн. по",
        "payment": "Платёж",
        "applied": "Зачтён в",
        "amount": "Сумма",
        "on_account": "на счёт",
        "no_items": "Открытых позиций нет.",
        "no_payments": "За этот период платежей не поступало.",
        "how_to_pay": "Как оплатить",
        "bank": "Банк",
        "reference": "Укажите, пожалуйста, ваш номер клиента",
        "overdue_total": "Итого просрочено",
        "credits": "За вычетом ваших кредитов",
        "to_pay": "К оплате сейчас",
        "credit_note": "кредит-нота",
        "invoice": "счёт",
        "credit_item": "в вашу пользу",
        "disputed": "оспаривается",
        "disputed_note": "Оспариваемые суммы, которые это письмо не требует:",
        "letter": {
            "reminder": "Напоминание об оплате",
            "notice": "Уведомление о просрочке",
            "final_notice": "Последнее уведомление",
            "legal": "Уведомление перед обращением в суд",
        },
    },
}


def check_template(template: str) -> str:
    """Return ``template`` if it is a ladder letter, else raise ParameterError."""
    if template not in TEMPLATES:
        raise ParameterError(
            f"letter template {template!r}; the templates are: {', '.join(TEMPLATES)}"
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


def company_details(company: dict | None, lang: str) -> dict:
    """The sender's details for the "how to pay" box: every key of :data:`COMPANY_KEYS`, those
    not given filled with a placeholder saying to set them (``payment_note`` left empty).
    Raises ParameterError naming unknown keys."""
    company = dict(company or {})
    unknown = sorted(set(company) - set(COMPANY_KEYS))
    if unknown:
        raise ParameterError(
            f"company: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(COMPANY_KEYS)}"
        )
    given = {key: str(company[key]).strip() for key in COMPANY_KEYS if company.get(key)}
    filled = {key: text for key, text in given.items() if text}  # blank is not given
    placeholder = f"({_PLACEHOLDER[lang]})"
    details = {key: filled.get(key, placeholder) for key in COMPANY_KEYS}
    details["payment_note"] = filled.get("payment_note", "")
    details["sender_email"] = filled.get("email", "")
    return details


def load_company(path: str | Path) -> dict:
    """The ``[company]`` table of a TOML file (keys :data:`COMPANY_KEYS`, each one text) as a
    plain dict. Raises ParameterError naming the file, and the line and key where there is one:
    the file missing, unreadable or not TOML, no ``[company]`` table, another table or key
    beside it (with the closest known key), or a value that is not text."""
    path = Path(path)
    fix = 'Write [company] then name = "...", address, iban, bic, bank, email, phone.'
    raw = read_bytes(path, "company", fix, ParameterError)
    file = rules_file(decode(raw, str(path), ParameterError), str(path), ParameterError)
    table = file.data.get("company")
    if not isinstance(table, dict):
        near = closest("company", [k for k in file.data if k != "company"])
        seen = f" ([{near}] is there: did you mean [company]?)" if near else ""
        raise ParameterError(f"{path}: no [company] table{seen}. {fix}")
    bad = [
        f"{file.at((key,))}: only the [company] table is read; put its keys under it"
        for key in file.data
        if key != "company"
    ]
    for key, value in table.items():
        where = file.at(("company", key))
        if key not in COMPANY_KEYS:
            bad.append(f"{where}: {unknown_key(key, list(COMPANY_KEYS), ', '.join(COMPANY_KEYS))}")
        elif not isinstance(value, str):
            bad.append(f"{where}: {shown(value)} is not text; write it in double quotes")
        elif len(value) > MAX_COMPANY_TEXT:
            bad.append(f"{where}: {len(value):,} characters; keep it under {MAX_COMPANY_TEXT:,}")
    if bad:
        raise ParameterError("\n".join(bad))
    return table
