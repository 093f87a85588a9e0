"""The credit screens in Spanish and Russian (issue 14), headless: the dashboard's Credit tab
(facts, hold list, not-vetted list, the two charts, a customer's credit facts and late charges),
its "May I ship?" box, the credit application form and its decision, and the discount panel.
Each is rendered in the language and shows no English word of the catalogue (the customers'
names and ids are data), with a few key terms checked."""

from __future__ import annotations

import pytest
from conftest import ROOT, write_ledger
from i18n_check import english_left

import arbook
from arbook.core.i18n import set_language, using
from arbook.credit.discounts import simulate_discount
from arbook.views import charts
from arbook.views.credit import discount
from arbook.views.credit.form import CreditForm
from arbook.views.dashboard.credit_tab import CreditTab, customer_credit_html
from arbook.views.dashboard.ship_box import ShipBox
from arbook.workbook.review import build_review

FOREIGN = ("es", "ru")
SAMPLE, LAST = ROOT / "data" / "sample", "2026-10-31"
#: Spanish month abbreviations that are English words too (a date, not English left over).
SPANISH_MONTHS = ["may"]
#: The sample applicant's names (data of the application).
APPLICANT = ["Harbour Lane Fixtures Ltd", "Northgate Timber", "Keel & Co. Hardware", "Solent"]


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


@pytest.fixture(scope="module")
def names(sample):
    ids = sample.customers["customer_id"]
    return [*ids, *sample.names(ids), *SPANISH_MONTHS]


def spec_texts(spec: dict) -> list[str]:
    """What a Vega-Lite chart shows people: its titles and the values of its data's label
    fields (bands, groups)."""
    found: list[str] = []

    def walk(node):
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "title" and isinstance(value, str):
                    found.append(value)
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            found += [str(row[k]) for k in ("band", "group", "over") if k in row]
    return found


def render_tab(review) -> tuple[CreditTab, list[dict]]:
    tab, specs = CreditTab(), []
    tab.render(review, lambda name, make, box, as_of_only=False: specs.append(make().to_dict()))
    return tab, specs


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_credit_tab_on_the_sample(sample, names, lang):
    with using(lang):
        review = build_review(sample, LAST)
        tab, specs = render_tab(review)
        answer = tab.ship.check("C0140", "3000")
        facts, charges = customer_credit_html(review, "C0140")
        unvetted = customer_credit_html(review, review.not_vetted["customer_id"].iloc[0])[0]
    page = "".join(
        [
            tab.facts.value,
            tab.holds.value,
            tab.not_vetted.value,
            tab.utilisation_note.value,
            tab.ship.title.value,
            tab.ship.answer.value,
            charges,
            *(f"{k} {v}" for k, v in [*facts, *unvetted]),
            *(text for spec in specs for text in spec_texts(spec)),
        ]
    )
    assert english_left(page, lang, data=names) == []
    assert answer.answer == "block" and answer.reasons[0].code == "over_limit"
    assert 'data-answer="block"' in tab.ship.answer.value  # the DOM keeps the codes
    if lang == "es":
        assert "Con bloqueo de crédito (" in tab.holds.value
        assert ">motivo del bloqueo</th>" in tab.holds.value
        assert "Con deuda y sin límite de crédito" in tab.facts.value
        assert "<b>bloqueado</b>: supera su límite con este pedido" in tab.ship.answer.value
        assert "Recargos por mora al tipo de la política" in charges
        assert (
            specs[0]["title"]
            == "Puntuación de pago: clientes por tramo (100 = paga antes de plazo)"
        )
    else:
        assert (
            "Стоп-отгрузка (" in tab.holds.value
            and ">причина стоп-отгрузки</th>" in tab.holds.value
        )
        assert "Долг без кредитного лимита" in tab.facts.value
        assert "<b>запрещено</b>: превышение лимита после этого заказа" in tab.ship.answer.value
        assert dict(facts)["Платёжный балл"] and "Пени по ставке политики" in charges
        assert "без балла" in spec_texts(specs[0])


# -- the ship box on a small ledger ---------------------------------------------------------

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    N1,OK,2026-07-05,2026-08-04,100.00
    F1,FULL,2026-06-10,2026-07-10,900.00
    L1,LATE,2026-05-21,2026-06-20,100.00
"""
CUSTOMERS = """
    customer_id,name,credit_limit
    OK,Okay Ltd,10000.00
    FULL,Full Ltd,1000.00
    LATE,Late Ltd,10000.00
    U1,Unvetted Ltd,
"""
DATA = ["OK", "FULL", "LATE", "U1", "Okay", "Full", "Late", "Unvetted", "Ltd"]


@pytest.fixture
def review(tmp_path):
    folder = write_ledger(tmp_path / "client", invoices=INVOICES, customers=CUSTOMERS)
    return build_review(arbook.read_ledger(folder), "2026-06-30")


def box_text(box: ShipBox) -> str:
    labels = [box.customer.description, box.customer.placeholder, box.amount.description]
    labels += [box.amount.placeholder, box.button.description]
    return " ".join([*labels, box.title.value, box.answer.value])


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_ship_box_speaks_the_language(review, lang):
    with using(lang):
        box = ShipBox()
        box.render(review)
        hint = box_text(box)
        answers = [box.check(who, "200") for who in ("OK", "FULL", "LATE", "U1")]
        shown = [box.answer.value]
        box.check("NOPE", "1")  # refused: a sentence in the box
        refused = box.answer.value
        box.check("OK", "ten")
        refused += box.answer.value
    assert [a.answer for a in answers] == ["allow", "block", "warn", "block"]
    assert english_left(hint + "".join(shown), lang, data=DATA) == []
    assert {"es": "Sin comprobar: ", "ru": "Не проверено: "}[lang] in refused
    assert {"es": "importe del pedido: ", "ru": "сумма заказа: "}[lang] in refused
    if lang == "es":
        assert box.button.description == "¿Puedo enviar?" and box.amount.description == (
            "Importe del pedido"
        )
        assert "Escriba o elija un cliente" in hint
    else:
        assert box.button.description == "Можно отгружать?"
        assert "Введите или выберите клиента" in hint


def test_the_ship_box_follows_a_language_chosen_later(review):
    box = ShipBox()  # made in English
    box.render(review)
    assert box.button.description == "May I ship?"
    try:
        set_language("ru")  # the dashboard's picker
        box.render(review)  # the same review: only the words change
        assert box.button.description == "Можно отгружать?"
        assert "Введите или выберите клиента" in box.answer.value
    finally:
        set_language(None)
    box.render(review)
    assert "Type or choose a customer" in box.answer.value


# -- the credit application and the discount notebooks ----------------------------------------


def form_text(form: CreditForm) -> str:
    fields = form.fields.values()
    labels = [f.description for f in fields] + [getattr(f, "placeholder", "") for f in fields]
    options = [label for f in fields for label, _value in getattr(f, "options", ())]
    return " ".join(
        [form.intro.value, form.widget.children[0].value, form.output.value, form.filed.value]
        + labels
        + options
    )


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_application_form_and_its_decision(lang):
    with using(lang):
        form = CreditForm()  # the sample applicant
        good, grade = form_text(form), form.grade
        form.fields["ebit"].value = "lots"  # refused: the problems in the language
        bad = form.output.value
        form.fields["ebit"].value = ""
        asking = form.output.value
    assert english_left(good + asking, lang, data=APPLICANT) == []
    assert grade == "B" and 'data-grade="B"' in good  # the grade is a code
    if lang == "es":
        assert "Solicitud de crédito" in good and ">Calificación bancaria<" in good
        assert "Corrija estas respuestas" in bad
        assert "Pedir al solicitante</th><td>EBIT" in asking
        assert [label for label, _value in form.fields["guarantee"].options] == [
            "(sin respuesta)",
            "ninguna",
            "aval personal",
            "aval bancario",
        ]
    else:
        assert "Анкета на предоставление отсрочки" in good and "Решение для архива" in good
        assert "Исправьте, пожалуйста, эти ответы" in bad
        assert "Запросить у заявителя</th><td>EBIT" in asking


@pytest.mark.parametrize("lang", FOREIGN)
def test_the_discount_panel_and_its_sections(sample, names, lang):
    with using(lang):
        sim = simulate_discount(sample, LAST)
        panel = discount.DiscountPanel(sample, LAST)
        sliders = [panel.percent, panel.days, panel.net, panel.uptake, panel.rate]
        page = "".join(
            [
                discount.intro_html(),
                *(discount.section_html(name) for name in discount.SECTION_TITLES),
                discount.terms_html(sim.terms),
                discount.summary_html(sim),
                discount.customers_html(sim, max_rows=len(sim.customers)),
                panel.summary.value,
                " ".join(s.description for s in sliders),
                *spec_texts(discount.net_benefit_chart(sim).to_dict()),
            ]
        )
        svg = charts.to_svg(discount.net_benefit_chart(sim))
    assert english_left(page, lang, data=names) == []
    assert english_left(svg, lang, data=names) == []
    if lang == "es":
        assert "2/10 neto 30" in page and "Resultado neto anual" in page
        assert "Descuento por pronto pago" in page
    else:
        assert "2/10 нетто 30" in page and "Чистый результат за год" in page
        assert "Скидка за досрочную оплату" in page
