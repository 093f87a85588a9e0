"""The walkthrough in Spanish and Russian (issue 14), headless: the picker and every story
section on the sample, the notebook's prose (:mod:`arbook.views.walkthrough.prose`), the three
steps form and the company form, each shown in the language with no English word of the
catalogue left (the customers' names and ids, paths and commands are data), with a few key
texts and numbers checked; in English the prose reads as the notebook's did."""

from __future__ import annotations

import re

import pytest
from conftest import SAMPLE
from i18n_check import english_left

import arbook
from arbook.core.dates import date_text
from arbook.core.i18n import using
from arbook.views.walkthrough import prose
from arbook.views.walkthrough.company_form import CompanyForm
from arbook.views.walkthrough.picker import Walkthrough
from arbook.views.walkthrough.steps_form import StepsForm

FOREIGN = ("es", "ru")
#: Spanish month abbreviations that are English words too (a date, not English left over).
SPANISH_MONTHS = ["ago", "may"]


def shown(fragment: str) -> str:
    """What a person reads of ``fragment``: no charts (their texts are the charts' own tests'),
    no code (commands and file names are the same in every language)."""
    fragment = re.sub(r"<svg.*?</svg>", " ", fragment, flags=re.S)
    return re.sub(r"<code>.*?</code>|`[^`]*`", " ", fragment, flags=re.S)


@pytest.fixture(scope="module")
def names():
    ledger = arbook.read_ledger(SAMPLE)
    ids = ledger.customers["customer_id"]
    return [*ids, *ledger.names(ids), str(SAMPLE), *SPANISH_MONTHS]


def _widgets(tour: Walkthrough, steps: StepsForm, company: CompanyForm) -> list[str]:
    """Every text the picker and the two forms show on their widgets."""
    texts = [tour.folder.description, tour.month.description, tour.button.description]
    texts += [str(label) for label, _value in tour.month.options]
    texts += [steps.path.description, steps.button.description, steps.widget.children[0].value]
    for row in steps.rows:
        texts += [label for label, _key in row["key"].options]
        texts += [row["action"].value, row["owner"].value]
    texts += [company.button.description]
    texts += [f"{b.description} {b.placeholder}" for b in company.boxes.values()]
    return texts


@pytest.fixture(scope="module", params=FOREIGN)
def shown_in(request):
    """The walkthrough of the sample, each part as it is shown, in one language."""
    lang = request.param
    with using(lang):
        tour = Walkthrough(str(SAMPLE), "2026-10-31", cost_of_capital=0.10)
        steps = StepsForm(str(SAMPLE))
        company = CompanyForm(str(SAMPLE))
        parts = {name: tour.show(name).html() for name in tour.sections}
        parts["prose"] = "".join(prose.explain_html(name) for name in prose.PARTS)
        parts["widgets"] = " · ".join(_widgets(tour, steps, company))
        parts["status"] = " · ".join([tour.status, steps.status, company.status])
        parts["refusal"] = Walkthrough(str(SAMPLE), "2026-10-15").status  # not a month end
    return lang, parts, tour


def test_every_part_shows_no_english(shown_in, names):
    lang, parts, _tour = shown_in
    left = {name: english_left(shown(text), lang, data=names) for name, text in parts.items()}
    assert left == {name: [] for name in parts}


def test_the_story_and_the_forms_say_it_in_the_language(shown_in):
    lang, parts, tour = shown_in
    assert tour.month.options[0] == (date_text("2026-10-31", lang=lang), "2026-10-31")
    if lang == "es":
        assert "Usar estos datos" in parts["widgets"] and "31 oct 2026" in parts["widgets"]
        assert "<h2>Recorrido por las cuentas a cobrar: " in parts["title"]
        assert "De 55 morosos es el 1.º por importe y el 1.º por antigüedad." in parts["chase"]
        assert "clientes le deben <b>1.122.725,20\xa0€</b> (total a cobrar)" in parts["owed"]
        assert "cobró un <b>48,0\xa0%</b> (CEI)" in parts["cost"]
        assert "+7 días: llamada telefónica" in parts["widgets"]
        assert (
            "<h1>Recorrido guiado: tomar el control de sus cuentas a cobrar</h1>"
            in (parts["prose"])
        )
        assert "<li><b>Tramos</b>: lo pendiente ordenado" in parts["prose"]
        assert parts["refusal"] == (
            "No se han podido usar estos datos: la fecha '2026-10-15' no es ningún cierre de mes "
            "de los datos; elija uno entre 2024-11-30 y 2026-10-31"
        )
    else:
        assert "Использовать эти данные" in parts["widgets"]
        assert "31 окт. 2026\u202fг." in parts["widgets"]
        assert "Из 55 должников он 1-й по сумме и 1-й по сроку." in parts["chase"]
        assert "<b>1\xa0122\xa0725,20\xa0€</b> (дебиторская задолженность всего)" in parts["owed"]
        assert "за месяц (октябрь 2026)" in parts["cost"]
        assert "Сохранить реквизиты компании" in parts["widgets"]
        assert "специалист по взысканию" in parts["widgets"]  # the shipped ladder's owner
        assert "<h2>4. Чего не хватает в политике</h2>" in parts["prose"]
        assert parts["refusal"].startswith("Не удалось использовать эти данные: дата '2026-10-15'")
