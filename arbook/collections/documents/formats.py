"""Words, money and dates of customer documents in their language (en, es, ru), with Babel.

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
from arbook.core.errors import ParameterError
from arbook.core.rules import closest, unknown_key
from arbook.core.rules_file import decode, read_bytes, rules_file, shown

TEMPLATES = ("reminder", "notice", "final_notice", "legal")

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
        "draft": "Draft: not to be sent",
        "tax_id": "Tax ID",
        "phone": "Phone",
        "in_dispute": "In dispute: not chased",
        "dispute_reason": "Reason",
        "dispute_days": "Days open",
        "plan": "Payment plan",
        "plan_invoices": "Invoices",
        "plan_status": "Status",
        "plan_next": "Next instalment",
        "plan_states": {
            "on track": "on track",
            "broken": "broken",
            "completed": "completed",
            "cancelled": "cancelled",
        },
        "late_charges": "Late charges",
        "reminder_of": "Reminder",
        "fee": "Fee",
        "interest": "Interest on overdue items at {rate} a year",
        "charges_total": "Total late charges",
        "charges_note": "These charges are due in addition to the balance above.",
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
        "draft": "Borrador: no enviar",
        "tax_id": "NIF",
        "phone": "Teléfono",
        "in_dispute": "En disputa: no se reclama",
        "dispute_reason": "Motivo",
        "dispute_days": "Días abierta",
        "plan": "Plan de pagos",
        "plan_invoices": "Facturas",
        "plan_status": "Estado",
        "plan_next": "Próximo plazo",
        "plan_states": {
            "on track": "al día",
            "broken": "incumplido",
            "completed": "completado",
            "cancelled": "cancelado",
        },
        "late_charges": "Recargos por mora",
        "reminder_of": "Aviso",
        "fee": "Cargo",
        "interest": "Intereses de demora al {rate} anual",
        "charges_total": "Total recargos",
        "charges_note": "Estos recargos se suman al saldo anterior.",
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
        "draft": "Черновик: не для отправки",
        "tax_id": "ИНН",
        "phone": "Телефон",
        "in_dispute": "Оспаривается: не взыскивается",
        "dispute_reason": "Причина",
        "dispute_days": "Дней в споре",
        "plan": "График платежей",
        "plan_invoices": "Счета",
        "plan_status": "Статус",
        "plan_next": "Следующий платёж",
        "plan_states": {
            "on track": "соблюдается",
            "broken": "нарушен",
            "completed": "выполнен",
            "cancelled": "отменён",
        },
        "late_charges": "Пени и штрафы",
        "reminder_of": "Напоминание",
        "fee": "Сумма",
        "interest": "Проценты за просрочку, {rate} годовых",
        "charges_total": "Итого пени и штрафы",
        "charges_note": "Эти суммы начисляются сверх указанной задолженности.",
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


def company_of(policy, company: dict | None = None) -> dict:
    """The company details documents print: the policy's ``[company]`` with the keys of
    ``company`` (a ``--company`` file's table, or a dict) over it; blanks are not set. Raises
    ParameterError naming unknown keys."""
    given = dict(company or {})
    unknown = sorted(set(given) - set(COMPANY_KEYS))
    if unknown:
        raise ParameterError(
            f"company: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(COMPANY_KEYS)}"
        )
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
    fix = "set [company] logo in the policy to a PNG, JPEG or SVG file under 1 MB"
    if kind is None:
        raise ParameterError(f"company logo {path_text!r}: not a PNG, JPEG or SVG file; {fix}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ParameterError(
            f"company logo {str(path)!r}: {exc.strerror or exc}; {fix} (a relative path is "
            "read from the data folder)"
        ) from None
    if len(data) > LOGO_BYTES:
        raise ParameterError(f"company logo {str(path)!r}: {len(data):,} bytes; {fix}")
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
        raise ParameterError(
            f"company: unknown key(s) {', '.join(unknown)}; the keys are {', '.join(COMPANY_KEYS)}"
        )
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
    fix = 'Write [company] then name = "...", address, tax_id, iban, bic, bank, email, phone.'
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
