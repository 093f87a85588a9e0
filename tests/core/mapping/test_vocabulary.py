"""The vocabulary of headers (:mod:`arbook.core.mapping.vocabulary`): headers compared
loosely (number signs, camel case) and payment terms read as days."""

from __future__ import annotations

from arbook.core import mapping


def test_header_key_reads_number_signs_and_camel_case():
    assert mapping.header_key("Nº Factura") == "no factura"
    assert mapping.header_key("Invoice #") == "invoice no"
    assert mapping.header_key("№ документа") == "no документа"
    assert mapping.header_key("InvoiceAmountDue") == "invoice amount due"
    assert mapping.terms_days("Net 30") == 30 and mapping.terms_days("2% 10 Net 30") == 30
    assert mapping.terms_days("Due on receipt") == 0 and mapping.terms_days("30 дней") == 30
    assert mapping.terms_days("Tucson") is None
