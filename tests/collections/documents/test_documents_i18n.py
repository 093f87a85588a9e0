"""Customer documents in English, Spanish and Russian (issue 14): every statement and ladder
letter made in each language on the small ledger of test_build, with no English word of the
catalogue left in the Spanish and Russian ones and the letters' own sentences (as a Spanish or
Russian creditor writes them: usted, capital Вы); the document follows the customer's language
whatever the interface speaks, while what the send path says to the person giving it (notes,
refusals, the contact log's note) follows the interface; the e-mail's subject and body are the
customer's, the outbox register's columns stay codes."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import email
from email import policy as email_policy

import pandas as pd
import pytest
from conftest import write_ledger
from i18n_check import english_left
from test_build import AS_OF, COMPANY, CUSTOMERS, INVOICES, PAYMENTS, SCRIPT

import arbook
from arbook.collections.contacts import ContactLog
from arbook.collections.documents import (
    TEMPLATES,
    SmtpSettings,
    build,
    deliver,
    deliver_due,
    letter,
    send_to_outbox,
    statement,
)
from arbook.core import catalogue
from arbook.core.errors import DataError, ParameterError
from arbook.core.i18n import set_language, using

FOREIGN = ("es", "ru")
KINDS = ("statement", *TEMPLATES)
#: The ledger's and the company's words: data, not English left over.
DATA = [
    "Alpha Ltd",
    "Ana Ruiz",
    "Gamma",
    SCRIPT,
    "damaged goods",
    *COMPANY.values(),
]
#: Each letter's opening and request in Spanish and Russian, as they were written for it.
SENTENCES = {
    ("reminder", "es"): (
        "Según nuestros registros, las facturas siguientes están vencidas. Quizá se trate de un "
        "descuido; si ya las ha pagado, le damos las gracias y le rogamos que ignore este "
        "recordatorio.",
        "Le rogamos que abone 1.374,56\xa0€ antes del 10 de abril de 2026. Si algo de esta "
        "lista no es correcto, díganoslo y lo revisaremos enseguida.",
    ),
    ("notice", "es"): (
        "A pesar de nuestro recordatorio, las facturas siguientes siguen pendientes de pago.",
        "Le rogamos que abone 1.374,56\xa0€ antes del 7 de abril de 2026. Si hay algún "
        "problema con estas facturas, llámenos hoy para resolverlo.",
    ),
    ("final_notice", "es"): (
        "Este es nuestro último aviso: las facturas siguientes tienen un retraso importante.",
        "Si no recibimos 1.374,56\xa0€ antes del 5 de abril de 2026, bloquearemos su crédito "
        "y suspenderemos las entregas a crédito.",
    ),
    ("legal", "es"): (
        "Le hemos escrito varias veces sobre las facturas siguientes, sin resultado.",
        "Si 1.374,56\xa0€ no nos llega antes del 5 de abril de 2026, trasladaremos la deuda a "
        "nuestros abogados o a una agencia de cobro sin más aviso; la ley puede añadir "
        "entonces intereses y costes de cobro.",
    ),
    ("reminder", "ru"): (
        "По нашим данным, срок оплаты указанных ниже счетов истёк. Возможно, это недосмотр; "
        "если Вы уже оплатили их, благодарим Вас и просим не обращать внимания на это "
        "напоминание.",
        "Просим до 10 апреля 2026\u202fг. оплатить 1\xa0374,56\xa0€. Если в этом списке "
        "что-то неверно, сообщите нам, и мы сразу всё проверим.",
    ),
    ("notice", "ru"): (
        "Несмотря на наше напоминание, указанные ниже счета до сих пор не оплачены.",
        "Просим до 7 апреля 2026\u202fг. оплатить 1\xa0374,56\xa0€. Если с какими-либо из "
        "этих счетов есть проблема, позвоните нам сегодня, чтобы мы могли её решить.",
    ),
    ("final_notice", "ru"): (
        "Это наше последнее уведомление: оплата указанных ниже счетов серьёзно просрочена.",
        "Если мы не получим 1\xa0374,56\xa0€ до 5 апреля 2026\u202fг., мы приостановим Ваш "
        "кредит и прекратим отгрузки с отсрочкой платежа.",
    ),
    ("legal", "ru"): (
        "Мы уже несколько раз писали Вам об указанных ниже счетах, но безрезультатно.",
        "Если 1\xa0374,56\xa0€ не поступит до 5 апреля 2026\u202fг., мы без дополнительного "
        "уведомления передадим долг юристам или коллекторскому агентству; по закону к нему "
        "могут быть добавлены проценты и расходы на взыскание.",
    ),
}
#: What every letter says around its sentences: greeting (to a contact, to nobody named),
#: totals, the customer number to quote, the closing.
AROUND = {
    "en": ("Dear Ana Ruiz,", "Dear Sir or Madam,", "Amount to pay now", "customer number: A."),
    "es": ("Estimado/a Ana Ruiz:", "Estimados señores:", "Importe a pagar ahora",
           "Indique su número de cliente: A."),
    "ru": ("Уважаемый(-ая) Ana Ruiz!", "Уважаемые господа!", "К оплате сейчас",
           "Укажите, пожалуйста, Ваш номер клиента: A."),
}  # fmt: skip
CLOSING = {"en": "Yours sincerely,", "es": "Atentamente,", "ru": "С уважением,"}


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    return write_ledger(
        tmp_path_factory.mktemp("i18n") / "data",
        invoices=INVOICES,
        payments=PAYMENTS,
        customers=CUSTOMERS,
    )


@pytest.fixture(scope="module")
def ledger(folder) -> arbook.Ledger:
    policy = {"company": {**COMPANY, "tax_id": "GB123", "phone": "+44 20 7946 0000"}}
    return arbook.read_ledger(folder, policy={**policy, "late_charges": {"fee": 10}})


def make(ledger, kind: str, lang: str, customer: str = "A", **more):
    if kind == "statement":
        return statement(ledger, customer, AS_OF, lang=lang, **more)
    return letter(ledger, customer, AS_OF, kind, lang=lang, **more)


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("lang", ["en", *FOREIGN])
def test_every_document_in_every_language(ledger, kind, lang):
    doc = make(ledger, kind, lang)
    assert doc.lang == lang and f'<html lang="{lang}">' in doc.html and not doc.draft
    if lang != "en":
        assert english_left(doc.html, lang, data=DATA) == []
        assert english_left(doc.text, lang, data=DATA) == []
    if kind != "statement":
        greeting, _, to_pay, quote = AROUND[lang]
        assert greeting in doc.text and to_pay in doc.text and quote in doc.text
        assert f"{CLOSING[lang]}\nAcme Ltd" in doc.text


@pytest.mark.parametrize("kind", TEMPLATES)
@pytest.mark.parametrize("lang", FOREIGN)
def test_each_letter_says_its_own_sentences(ledger, kind, lang):
    opening, request = SENTENCES[kind, lang]
    doc = make(ledger, kind, lang)
    assert opening in doc.text and request in doc.text
    nobody = make(ledger, kind, lang, customer="B")  # no contact named: the formal greeting
    assert AROUND[lang][1] in nobody.text and english_left(nobody.html, lang, data=DATA) == []


@pytest.mark.parametrize("lang", FOREIGN)
def test_a_statement_with_charges_disputes_and_plans(folder, tmp_path, monkeypatch, lang):
    ledger = arbook.read_ledger(
        folder, policy={"company": COMPANY, "late_charges": {"fee": 10, "annual_rate": 0.085}}
    )
    disputes = pd.DataFrame(
        [{"customer_id": "A", "document_id": "I2", "disputed_cents": 20000, "age_days": 12,
          "reason": "damaged goods"}]
    )  # fmt: skip
    plans = pd.DataFrame(
        [{"customer_id": "A", "documents": ["I1"], "status": "broken",
          "next_due": pd.Timestamp("2026-04-15"), "next_cents": 50000}]
    )  # fmt: skip
    found = {"dispute_list": lambda *a: disputes, "plan_status": lambda *a: plans}
    monkeypatch.setattr(build, "_optional", lambda module, name: found[name])
    with ContactLog(path=tmp_path / "log.db") as log:
        log.add("A", channel="email", outcome="sent", who="t", step="second_call",
                at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC), document="A/x.pdf",
                sha256="a" * 64)  # fmt: skip
        doc = statement(ledger, "A", AS_OF, lang=lang, log=log)
    assert english_left(doc.html, lang, data=DATA) == []
    said = {
        "es": [
            "Intereses de demora al 8,5\xa0% anual",  # the rate as the locale writes it
            "1 de marzo de 2026  Aviso: Aviso de impago  10,00\xa0€",
            "I1  incumplido  15 de abril de 2026 · 500,00\xa0€",
            "Pagos recibidos (en los 90 días hasta el 31 de marzo de 2026)",
            "P2 a cuenta  1 de diciembre de 2025      a su favor  -10,00\xa0€",
        ],
        "ru": [
            "Проценты за просрочку, 8,5\xa0% годовых",
            "1 марта 2026\u202fг.  Напоминание: Уведомление о просрочке  10,00\xa0€",
            "I1  нарушен  15 апреля 2026\u202fг. · 500,00\xa0€",
            "Полученные платежи (за 90 дней по 31 марта 2026\u202fг.)",
            "P2 не распределён  1 декабря 2025\u202fг.      в Вашу пользу  -10,00\xa0€",
        ],
    }[lang]
    for text in said:
        assert text in doc.text, text


@pytest.mark.parametrize("days, said", [(1, "за 1 день по"), (3, "за 3 дня по")])
def test_the_payment_days_take_the_plural_of_their_number(folder, days, said):
    policy = {"company": COMPANY, "documents": {"statement_payment_days": days}}
    ledger = arbook.read_ledger(folder, policy=policy)
    assert said in statement(ledger, "A", AS_OF, lang="ru").text
    english = statement(ledger, "A", AS_OF, lang="en").text
    assert f"in the {days} day{'s' if days > 1 else ''} to March 31, 2026" in english


def test_the_document_follows_the_customer_and_the_messages_the_interface(folder, ledger):
    set_language("ru")  # the interface speaks Russian; customer A reads Spanish
    doc = letter(ledger, "A", AS_OF, "reminder", lang="es")
    assert doc.title == "Recordatorio de pago — Alpha Ltd — 31 de marzo de 2026"
    assert english_left(doc.html, "es", data=DATA) == []
    draft = letter(arbook.read_ledger(folder), "A", AS_OF, "notice", lang="es")
    assert "Borrador: no enviar" in draft.text  # the banner is the customer's
    assert draft.missing[0].startswith("название вашей компании: укажите name в разделе")
    with pytest.raises(ParameterError) as refused:
        deliver(draft, folder / "outbox", log=None, who="ana", queue=True)
    said = str(refused.value)
    assert said.startswith("уведомление для клиента 'A' — черновик и не передаётся клиенту")
    assert english_left(said, "ru", data=["name", "company", "policy", "FILE"]) == []
    with pytest.raises(ParameterError, match="нет просрочки"):
        letter(ledger, "C", AS_OF, "reminder", lang="es")
    with using("es"):  # a letter asked for while a customer's language is spoken: the same
        assert letter(ledger, "A", AS_OF, "reminder", lang="ru").lang == "ru"


def test_sending_says_its_notes_in_the_interface_and_keeps_codes(folder, ledger, tmp_path):
    set_language("es")
    rows = pd.DataFrame(
        {"customer_id": ["A", "C"], "name": ["Alpha Ltd", "Gamma"], "step": ["agency", "reminder"],
         "template": ["legal", "statement"]}
    )  # fmt: skip
    outbox = tmp_path / "outbox"
    with ContactLog(path=tmp_path / "log.db") as log:
        made = deliver_due(ledger, AS_OF, rows, log=log, who="daily", outbox=outbox)
        again = deliver(letter(ledger, "A", AS_OF, "legal", lang="es"), outbox, log=log,
                        who="ana", queue=True)  # fmt: skip
        kept = deliver(statement(ledger, "C", AS_OF, lang="ru"), tmp_path / "o2", log=log,
                       who="ana")  # fmt: skip
        note = log.history("C")["note"].iloc[0]
        with pytest.raises(ParameterError) as refused:
            deliver(statement(ledger, "C", AS_OF, lang="ru"), tmp_path / "o2", log=log, who="b")
    assert made["status"].tolist() == ["queued", "queued"]  # codes, in any language
    assert again.note == "ya estaba en cola" and kept.status == "saved"
    assert note.startswith("guardado para imprimir y enviar por correo postal: extracto de ")
    assert note.endswith("(Акт сверки задолженности — Gamma — 31 марта 2026\u202fг.)")
    assert str(refused.value).startswith("el extracto de cuenta del 31 mar 2026 para el cliente")
    assert "confírmelo con --again" in str(refused.value)
    with open(outbox / "register.csv", newline="", encoding="utf-8") as handle:
        register = list(csv.DictReader(handle))
    assert list(register[0]) == [
        "customer_id", "document", "kind", "step", "as_of", "file", "sha256", "status", "to",
        "recorded_at",
    ]  # fmt: skip
    assert {(r["kind"], r["status"]) for r in register} == {
        ("legal", "queued"),
        ("statement", "queued"),
    }


def test_the_outbox_and_the_mail_server_refuse_in_the_interface_language(ledger, tmp_path):
    set_language("ru")
    doc = letter(ledger, "A", AS_OF, "reminder", lang="es")
    two = dataclasses.replace(doc, email="a@x.com; b@y.example")
    with pytest.raises(DataError) as refused:
        send_to_outbox(two, tmp_path / "o")
    assert str(refused.value) == (
        "клиент 'A': email 'a@x.com; b@y.example' — не один адрес эл. почты (в нём больше "
        "одного адреса); укажите ровно один адрес, например ap@example.com, в столбце email "
        "файла клиентов. Ничего не записано и не отправлено."
    )
    assert not (tmp_path / "o").exists()
    with pytest.raises(ParameterError) as refused:
        deliver(doc, tmp_path / "o", log=None, who="a", send=True, smtp=SmtpSettings("", 25))
    said = str(refused.value)
    assert said.startswith("почтовый сервер не задан: укажите [smtp] host в файле политики")
    assert english_left(said, "ru", data=["[smtp] host", "ARBOOK_SMTP_HOST"]) == []


@pytest.mark.parametrize(
    "lang, subject, line",
    [
        ("es", "Aviso de impago — Alpha Ltd — 31 de marzo de 2026", "Estimado/a Ana Ruiz:"),
        ("ru", "Уведомление о просрочке — Alpha Ltd — 31 марта 2026 г.", "С уважением,"),
    ],
)
def test_the_e_mail_speaks_the_customers_language(ledger, tmp_path, lang, subject, line):
    set_language("en")
    eml = send_to_outbox(letter(ledger, "A", AS_OF, "notice", lang=lang), tmp_path / "o")
    message = email.message_from_bytes(eml.read_bytes(), policy=email_policy.default)
    body = message.get_body(("plain",)).get_content()
    assert message["Subject"] == subject and line in body
    assert english_left(body, lang, data=DATA) == []


def test_every_document_text_has_its_translations():
    # each text of the documents' code and templates, in the catalogue of both languages
    template = catalogue.extract()
    places = ("arbook/collections/documents/", "arbook/templates/")
    ours = [
        m
        for m in template
        if any(f.startswith(places) and "_daily" not in f for f, _ in m.locations)
    ]
    assert len(ours) > 140
    for lang in FOREIGN:
        own = catalogue.read(catalogue.po_path(lang), lang)
        untranslated = [
            m.id
            for m in ours
            if not (found := own.get(m.id, m.context))
            or not all(found.string if isinstance(found.string, tuple) else [found.string])
            or found.fuzzy
        ]
        assert untranslated == [], lang
