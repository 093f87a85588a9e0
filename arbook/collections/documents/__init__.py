"""Customer documents (SPEC §7): statements of account, ladder letters in en/es/ru, the outbox,
and the one send path that gives them to customers and records them in the contact log.

doc = statement(ledger, "C0140", "2026-10-31", lang="es", log=log)   # [company] from the policy
doc = letter(ledger, "C0140", "2026-10-31", "reminder")              # step: the customer's
d = deliver(doc, outbox, log=log, who="ana")                         # kept to post, logged
d = deliver(doc, outbox, log=log, who="ana", send=True, smtp=smtp_settings(ledger.policy))
d = deliver(doc, outbox, log=log, who="daily", queue=True)           # awaits approval
send_queued(d.eml, log=log, who="ana", smtp=smtp)                    # approved and e-mailed
"""

from arbook.collections.documents.build import (
    customer_aging,
    customer_currency,
    customer_language,
    customer_record,
    customer_step,
    document_step,
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
    company_of,
    load_company,
    money,
)
from arbook.collections.documents.outbox import (
    REGISTER,
    REGISTER_COLUMNS,
    STATUSES,
    send_email,
    send_to_outbox,
)
from arbook.collections.documents.register import outbox_documents, outbox_of, queued
from arbook.collections.documents.sending import (
    Delivery,
    deliver,
    deliver_due,
    keep_queued,
    send_queued,
    withdraw,
)
from arbook.collections.documents.smtp import SmtpSettings, smtp_settings, transmit

__all__ = [
    "COMPANY_KEYS",
    "LANGUAGES",
    "REGISTER",
    "REGISTER_COLUMNS",
    "STATUSES",
    "TEMPLATES",
    "Delivery",
    "Document",
    "SmtpSettings",
    "company_of",
    "customer_aging",
    "customer_currency",
    "customer_language",
    "customer_record",
    "customer_step",
    "deliver",
    "deliver_due",
    "document_step",
    "html_to_text",
    "keep_queued",
    "letter",
    "load_company",
    "money",
    "offline_fetcher",
    "outbox_documents",
    "outbox_of",
    "payment_days",
    "queued",
    "recent_payments",
    "send_email",
    "send_queued",
    "send_to_outbox",
    "smtp_settings",
    "statement",
    "transmit",
    "withdraw",
]
