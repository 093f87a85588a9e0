"""The measures' messages in Spanish and Russian (issue 14): the refusals of a parameter (an
as-of date an open-items ledger cannot give, a window, months in the wrong order, a rate, a
policy without a loss rate per bucket), why a figure is n/a, what is wrong with a dispute, and
the disputes' labels. Each is said in the language, the ids, dates, flags and keys the same."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import ledger_fixture
from i18n_check import english_left

import arbook
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, using
from arbook.measures.behaviour import experiences
from arbook.measures.carrying import carrying_cost
from arbook.measures.disputes import LABELS, dispute_problems
from arbook.measures.history import HISTORY_FIGURES, check_as_of, na_text, needs_history
from arbook.measures.metrics import allowance, monthly_metrics, roll_rates

FOREIGN = ("es", "ru")
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    I1,A,2026-01-05,2026-02-04,100.00
    I2,A,2026-02-10,2026-03-12,250.00
    I3,B,2026-03-01,2026-03-31,80.00
    CN,B,2026-03-25,,-15.00
"""
PAYMENTS = """
    P1,A,2026-02-20,100.00,I1
"""
CUSTOMERS = """
    customer_id,name
    A,Alpha Ltd
    B,Beta SA
"""
#: the ledger's own words and the flags and keys a message names (the same in every language)
DATA = ["I1", "I2", "I3", "CN", "Alpha", "Beta", "--from", "--to", "all", "allowance"]
DATA += ["loss_rates", "A11", "A", "B", "Z"]

ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture
def open_items(ledger):
    """The ledger as an aging report of 2026-03-31."""
    return dataclasses.replace(ledger, open_items_only=True, report_date=pd.Timestamp("2026-03-31"))


def refusals(ledger, open_items, lang: str) -> list[str]:
    undated = dataclasses.replace(open_items, report_date=None)
    checks = [
        lambda: check_as_of(open_items, "2026-02-28"),
        lambda: check_as_of(open_items, "2026-04-30"),
        lambda: check_as_of(undated, "2026-03-01"),
        lambda: experiences(ledger, "2026-03-31", window_months=0),
        lambda: monthly_metrics(ledger, "2026-03", "2026-01"),
        lambda: roll_rates(ledger, "2026-03", "2026-01"),
        lambda: carrying_cost(ledger, "2026-03-31", annual_rate=12),
        lambda: allowance(ledger, "2026-03-31", edges="30,60"),
    ]
    found = []
    for check in checks:
        with using(lang), pytest.raises(ParameterError) as exc:
            check()
        found.append(str(exc.value))
    return found


@pytest.mark.parametrize("lang", FOREIGN)
def test_refusals_in_the_language(ledger, open_items, lang):
    found = refusals(ledger, open_items, lang)
    assert found != refusals(ledger, open_items, "en")
    for text in found:
        assert english_left(text, lang, data=DATA) == [], text
    assert "--from 2026-03 " in found[4] and "--to 2026-01" in found[4]
    assert "61+" in found[7] and "[allowance] loss_rates" in found[7]
    if lang == "es":
        assert found[3] == ("ventana de 0 meses; indique 1 o más (lo habitual es 12), o 'all'")
        assert found[6].startswith("coste del capital 12 debe ser una fracción de 0 a 1")
    else:
        assert found[0].startswith("дата 2026-02-28 раньше даты отчёта 2026-03-31: ")
        assert found[0].endswith("укажите дату 2026-03-31")


@pytest.mark.parametrize("lang", FOREIGN)
def test_why_a_figure_is_na(open_items, lang):
    with using(lang):
        why = needs_history(open_items, _(HISTORY_FIGURES[0]))
        default = needs_history(open_items)
        na = na_text(open_items)
        figures = [_(figure) for figure in HISTORY_FIGURES]
    for text in (why, default, na, *figures):
        assert english_left(text, lang, data=["DSO", "ADD", "CEI"]) == [], text
    assert na.startswith("n/d (" if lang == "es" else "н/д (")
    assert why.startswith("PMC (" if lang == "es" else "DSO (")


@pytest.mark.parametrize("lang", FOREIGN)
def test_what_is_wrong_with_a_dispute(ledger, lang):
    cases = [
        ("Z", "I1", None),  # no such customer
        ("A", "A11", None),  # no such invoice
        ("B", "I1", None),  # another customer's
        ("B", "CN", None),  # a credit note
        ("A", "I1", None),  # paid by then
        ("A", "I2", 100_000),  # more than is owed
    ]
    with using(lang):
        said = [dispute_problems(ledger, c, d, cents, "2026-03-31") for c, d, cents in cases]
        labels = [_(label) for label in LABELS.values()]
    assert [len(s) for s in said] == [1, 1, 1, 1, 1, 1]
    for text in [s[0] for s in said] + labels:
        assert english_left(text, lang, data=[*DATA, "disputed", "yes"]) == [], text
    if lang == "es":
        assert said[2] == ["el documento I1 es del cliente A, no de B"]
        assert "1.000,00" in said[5][0] and "250,00" in said[5][0]
    else:
        assert said[3] == ["документ CN — кредит-нота; спор открывается по счёту"]
        assert "1\xa0000,00" in said[5][0]


def test_english_stays_as_it_was(ledger):
    assert dispute_problems(ledger, "A", "I1", None, "2026-03-31") == [
        "nothing is owed on I1 on 2026-03-31 (it is settled); a dispute is about what is still owed"
    ]
    with pytest.raises(ParameterError, match=r"^--from 2026-03 is after --to 2026-01$"):
        monthly_metrics(ledger, "2026-03", "2026-01")
    assert arbook.aging(ledger, "2026-03-31").shape[0] > 0
