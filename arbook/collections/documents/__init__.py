"""Customer documents (SPEC §7): statements of account, ladder letters in en/es/ru, the outbox.

doc = statement(ledger, "C0140", "2026-10-31", lang="es", company={"name": "Acme SL"})
doc = letter(ledger, "C0140", "2026-10-31", "reminder", step="day-7")
eml = send_to_outbox(doc, "outbox")          # HTML + PDF kept, .eml ready, register row
send_email(eml, host="smtp.example.com", port=587, sender="ar@acme.example", starttls=True)
"""

from arbook.collections.documents.build import (
    customer_aging,
    customer_language,
    customer_record,
    letter,
    payment_days,
    recent_payments,
    statement,
)
from arbook.collections.documents.document import Document, html_to_text, offline_fetcher
from arbook.collections.documents.formats import (
    COMPANY_KEYS,
    LANGUAGES,
    TEMPLATES,
    load_company,
    money,
)
from arbook.collections.documents.outbox import (
    REGISTER,
    REGISTER_COLUMNS,
    send_email,
    send_to_outbox,
)

__all__ = [
    "COMPANY_KEYS",
    "LANGUAGES",
    "REGISTER",
    "REGISTER_COLUMNS",
    "TEMPLATES",
    "Document",
    "customer_aging",
    "customer_language",
    "customer_record",
    "html_to_text",
    "letter",
    "load_company",
    "money",
    "offline_fetcher",
    "payment_days",
    "recent_payments",
    "send_email",
    "send_to_outbox",
    "statement",
]
