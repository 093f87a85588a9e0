"""The credit room's texts in Spanish and Russian (issue 14): the credit check's answer and
reasons (the codes stay codes), hold reasons, limit review notes, late-charge texts, the
discount terms, the application's decision items and errors, and the scorecard's labels
(every shipped item and answer in every language arbook speaks)."""

from __future__ import annotations

import pytest
from conftest import ledger_of, write_ledger
from credit.test_check import AS_OF, CUSTOMERS, INVOICES, LOG, PAYMENTS
from credit.test_limits import REVIEW_CUSTOMERS, REVIEW_INVOICES, REVIEW_PAYMENTS
from i18n_check import english_left

import arbook
from arbook.core.errors import ParameterError, PolicyError
from arbook.core.i18n import LANGUAGES, using
from arbook.credit import credit_holds, credit_review
from arbook.credit.application import (
    load_scorecard,
    question_label,
    sample_application,
    score_application,
)
from arbook.credit.application.answers import ANSWERS
from arbook.credit.application.scorecard import ITEMS, Label
from arbook.credit.check import credit_check
from arbook.credit.discounts import format_terms, terms_text
from arbook.credit.penalties import FEE_BASIS, charge_terms, fee_basis_text

FOREIGN = ("es", "ru")
NAMES = ["Clean", "Over", "Low", "New", "Unvetted", "Promising", "Planning", "Late", "Disputing"]
NAMES += ["All", "Zero", "Ltd", "Raise", "Cut", "Same", "Held", "Idle", "None"]


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check_i18n") / "ledger"
    return arbook.read_ledger(
        write_ledger(folder, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    )


def said(result) -> str:
    return "\n".join([result.headline, *(r.label for r in result.reasons)])


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_reason_of_the_credit_check_is_translated(ledger, lang):
    with using(lang):
        results = [
            credit_check(ledger, customer, cents, AS_OF, log=LOG)
            for customer, cents in [
                ("ALL", 1_000),  # over the limit, on hold, broken promises, overdue
                ("NEW", 1_000),  # not vetted
                ("PLAN", 0),  # a broken plan instalment
                ("CLEAN", 100),  # nothing against it
            ]
        ]
        nine = {"credit_check": {"overdue_days": 9}}
        results.append(credit_check(ledger, "LATE", 0, AS_OF, policy=nine))
        text = "\n".join(said(r) for r in results)  # a headline is said when it is read
    assert english_left(text, lang, data=NAMES) == []
    # the stored codes stay codes
    assert [r.code for r in results[0].reasons] == [
        "over_limit",
        "on_hold",
        "broken_promises",
        "overdue",
    ]
    assert results[0].answer == "block" and results[3].answer == "allow"


def test_the_credit_check_speaks_spanish_and_russian(ledger):
    with using("es"):
        es = credit_check(ledger, "ALL", 1_000, AS_OF, log=LOG)
        es_new = credit_check(ledger, "NEW", 1_000, AS_OF)
        es_headline = es.headline
        es_clean = credit_check(ledger, "CLEAN", 100, AS_OF).headline
    with using("ru"):
        ru = credit_check(ledger, "ALL", 1_000, AS_OF, log=LOG)
        ru_headline = ru.headline
        ru_clean = credit_check(ledger, "CLEAN", 100, AS_OF).headline
    assert es.headline.startswith("block: do not ship")  # the headline is said when read
    assert es_headline.startswith("bloqueado: no envíe el pedido - 10,00\xa0€ a All Ltd (ALL)")
    assert es_headline.endswith("(2 motivos bloquean; 2 motivos de aviso)")
    assert es.reasons[0].label == (
        "supera su límite con este pedido: 100,00\xa0€ pendiente + 10,00\xa0€ del pedido = "
        "110,00\xa0€, límite 50,00\xa0€"
    )
    assert es.reasons[1].label.startswith("con bloqueo de crédito: supera su límite en 50,00")
    assert "puntuación 19,8 por debajo del mínimo 40" in es.reasons[1].label
    assert es.reasons[2].label == "incumplidos en los últimos 90 días: 2 promesas de pago"
    assert es.reasons[3].label.startswith("vencido: 1 partida vencida (100,00\xa0€)")
    assert es_new.reasons[0].label.startswith("cliente no evaluado: sin límite de crédito")
    assert es_clean.endswith("(nada en contra)")
    assert ru_headline.startswith("запрещено: не отгружайте — заказ на 10,00\xa0€ для All Ltd")
    assert ru_headline.endswith("(2 причины запрещают; 2 причины для предупреждения)")
    assert ru.reasons[1].label.startswith("стоп-отгрузка: лимит превышен на 50,00")
    assert "самая старая — 121 день" in ru.reasons[1].label
    assert "2 нарушенных обещания за 90 дн." in ru.reasons[1].label
    assert ru.reasons[2].label == "нарушено за 90 дней: 2 обещания оплатить"
    assert ru_clean.startswith("разрешено: отгружать можно — заказ на 1,00\xa0€")


def test_a_refused_order_amount_says_why_in_the_language(ledger):
    with (
        using("es"),
        pytest.raises(ParameterError, match="el importe del pedido -1,00 es negativo"),
    ):
        credit_check(ledger, "CLEAN", -100, AS_OF)
    with using("ru"), pytest.raises(ParameterError, match="не целое число копеек"):
        credit_check(ledger, "CLEAN", 1.5, AS_OF)


@pytest.mark.parametrize("lang", FOREIGN)
def test_hold_reasons_and_limit_review_notes(ledger, lang, tmp_path):
    with using(lang):
        holds = credit_holds(ledger, AS_OF, log=LOG)
        review = credit_review(
            ledger_of(
                tmp_path,
                invoices=REVIEW_INVOICES,
                payments=REVIEW_PAYMENTS,
                customers=REVIEW_CUSTOMERS,
            ),
            "2026-06-30",
        )
    text = "\n".join([*holds["reasons"], *review["reasons"]])
    assert english_left(text, lang, data=NAMES) == []
    notes = review.set_index("customer_id")["reasons"]
    if lang == "es":
        assert notes["RAISE"] == (
            "puntuación 80 y 90\xa0% del límite utilizado: ampliar un 25\xa0%"
        )
        assert notes["CUT"] == "puntuación 40 por debajo de 50: reducir un 50\xa0%"
        assert notes["NEW"] == (
            "sin límite: saldo máximo 2.040,00 en 12 meses x 1,25 (puntuación 80)"
        )
    else:
        assert notes["RAISE"] == "балл 80, использовано 90\xa0% лимита: повысить на 25\xa0%"
        assert notes["IDLE"] == "без балла (нет истории оплат для оценки): без изменений"
        assert notes["NEW"] == (
            "лимит не установлен: максимальный долг 2\xa0040,00 за 12 месяцев x 1,25 (балл 80)"
        )


@pytest.mark.parametrize("lang", FOREIGN)
def test_late_charge_and_discount_texts(lang):
    with using(lang):
        basis = [fee_basis_text(code) for code in FEE_BASIS]
        with pytest.raises(ParameterError) as caught:
            charge_terms(preset="eu", fee_cents=500)
        terms = terms_text(0.015, 10, 30)
    assert english_left("\n".join([*basis, str(caught.value)]), lang) == []
    assert terms == {"es": "1,5/10 neto 30", "ru": "1,5/10 нетто 30"}[lang]
    assert format_terms(0.015, 10, 30) == "1.5/10 net 30"  # the machine's form stays


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_application_decision_is_written_in_the_language(lang):
    with using(lang):
        decision = score_application(sample_application())
        partial = score_application({"legal_name": "Acme", "ebit": "10", "book_equity": "1"})
    items = decision.items.set_index("item")  # the items keep their codes
    assert list(items.index) == list(ITEMS)
    text = "\n".join(
        [*decision.items["answer"], *decision.items["reason"], decision.terms]
        + [*partial.items["answer"], *partial.items["reason"], partial.terms]
    )
    assert english_left(text, lang, data=["Altman"]) == []
    if lang == "es":
        assert items.loc["years_in_business", "reason"] == "al menos 5 años -> 14 puntos"
        assert items.loc["guarantee", "answer"] == "aval personal"
        assert items.loc["financial_strength", "answer"] == "Z'' de Altman 3,36"
        assert decision.terms == "a 30 días"
        assert partial.terms == "pago por adelantado"
    else:
        assert items.loc["years_in_business", "reason"] == "не менее 5 лет -> 14 баллов"
        assert items.loc["bank_rating", "reason"] == "оценка банка: хорошая -> 15 баллов"
        assert decision.terms == "отсрочка 30 дней"
        assert partial.items.set_index("item").loc["trade_references", "reason"] == "запросить"


def test_an_invalid_answer_is_refused_in_the_language():
    with using("es"), pytest.raises(ParameterError) as caught:
        score_application({"years_in_business": "ten", "bank_rating": "great", "colour": 1})
    lines = str(caught.value).splitlines()
    assert (
        lines[0] == 'years_in_business: "ten" no es un número de años; escriba un número, como 10'
    )
    assert "no es una de las respuestas; escriba una de estas: excellent" in lines[1]
    assert lines[2].startswith("colour: respuesta desconocida")


# -- the scorecard's labels -------------------------------------------------------------------


def test_every_shipped_item_and_answer_has_a_label_in_every_language():
    """A label missing from arbook/defaults/scorecard.toml fails here, as a text missing from
    the catalogue fails the catalogue's test."""
    card = load_scorecard()
    assert set(Label.model_fields) == set(LANGUAGES)
    missing = []
    for name in ITEMS:
        item = getattr(card, name)
        if item.label is None:
            missing.append(f"[{name}] label")
        for answer in getattr(item, "points", {}) if name in ("bank_rating", "guarantee") else ():
            if answer not in item.answers:
                missing.append(f"[{name}.answers] {answer}")
    assert missing == []
    english = {
        name: card.item_label(name, "en") for name in ITEMS
    }  # the English labels, for the check below
    for lang in ("es", "ru"):
        for name in ITEMS:
            assert card.item_label(name, lang) != english[name], (name, lang)
        for name in ("bank_rating", "guarantee"):
            for answer in getattr(card, name).points:
                # English says the answer as written in the file
                assert card.answer_label(name, answer, "en") == answer
                assert card.answer_label(name, answer, lang) != answer, (name, answer, lang)


@pytest.mark.parametrize("lang", FOREIGN)
def test_every_question_of_the_form_is_translated(lang):
    card = load_scorecard()
    with using(lang):
        labels = [question_label(name, card) for name in ANSWERS]
    assert english_left("\n".join(labels), lang, data=["EBIT"]) == []
    assert len(set(labels)) == len(ANSWERS)


def test_a_label_names_every_language(tmp_path):
    path = tmp_path / "card.toml"
    path.write_text(
        '[guarantee.answers]\nfamily = { en = "a family member", es = "un familiar" }\n'
    )
    with pytest.raises(PolicyError, match=r"card.toml:2: \[guarantee.answers\] family.ru: missing"):
        load_scorecard(path)
    path.write_text(
        "[guarantee]\nmax_points = 15\npoints = { none = 0, family = 15 }\n"
        '[guarantee.answers]\nfamily = { en = "a family member", es = "un familiar", '
        'ru = "член семьи" }\n'
    )
    card = load_scorecard(path)  # a client's own answer, labelled in its file
    assert card.answer_label("guarantee", "family", "ru") == "член семьи"
    assert card.answer_label("guarantee", "none", "es") == "ninguna"  # the shipped label kept
