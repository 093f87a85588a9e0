"""The dashboard's parts that need no dashboard (:mod:`arbook.views.dashboard.parts`): what a
control sends, read and checked. (The Dashboard driving them is tested in test_app.py.)"""

from __future__ import annotations

import math
import re

import pytest
from conftest import ledger_of

from arbook.core.errors import ParameterError
from arbook.views.dashboard.parts import (
    MAX_SEARCH,
    check_as_of,
    check_choice,
    check_cost,
    check_search,
    cost_percent,
    parse_edges,
    setting_controls,
)
from arbook.workbook.review import settings


def test_parse_edges_accepts_spaces_and_semicolons():
    assert parse_edges(" 30; 60 ,90 ") == (30, 60, 90)


def test_each_check_gives_the_clean_value_or_a_sentence():
    assert check_cost("12.5") == 0.125 and check_cost(0) == 0.0
    with pytest.raises(ParameterError, match="'ten' is not a number; write 10 for 10%"):
        check_cost("ten")
    with pytest.raises(ParameterError, match="between 0 and 100"):
        check_cost(101)
    assert check_search("  acme ") == "acme"
    with pytest.raises(ParameterError, match=f"{MAX_SEARCH + 1} characters long; at most"):
        check_search("x" * (MAX_SEARCH + 1))
    assert check_choice("due", ("due", "invoice"), "basis") == "due"
    with pytest.raises(ParameterError, match="basis 'paid' is not one of the choices"):
        check_choice("paid", ("due", "invoice"), "basis")
    ends = ["2026-10-31", "2026-09-30"]  # newest first, as the dropdown lists them
    assert check_as_of(" 2026-09-30 ", ends) == "2026-09-30"
    with pytest.raises(ParameterError, match="pick one from 2026-09-30 to 2026-10-31"):
        check_as_of("2026-10-15", ends)


@pytest.mark.parametrize(
    "typed, message",
    [
        (500, "cost of capital 500% must be between 0 and 100; write 10 for 10%"),
        ("-3", "cost of capital -3% must be between 0 and 100; write 10 for 10%"),
        (math.nan, "cost of capital 'nan' is not a number; write 10 for 10%"),
        (math.inf, "cost of capital 'inf' is not a number"),
        (None, "cost of capital 'None' is not a number"),
    ],
)
def test_check_cost_says_why_in_words(typed, message):
    with pytest.raises(ParameterError, match=f"^{re.escape(message)}"):
        check_cost(typed)


def test_the_cost_box_passes_on_what_was_typed(tmp_path):
    """The box must not clamp (as BoundedFloatText does, in the browser and in Python): 500
    reaches check_cost, which refuses it in words."""
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,C1,2026-08-03,2026-09-02,100.00
        """,
    )
    s = settings(ledger, cost_of_capital=0.125)
    cost = setting_controls(s, ["2026-08-31"])[3]
    assert cost.value == cost_percent(s) == 12.5
    assert not hasattr(cost, "max") and not hasattr(cost, "min")
    cost.value = 500
    assert cost.value == 500
    cost.value = -3
    assert cost.value == -3


def test_the_header_states_the_book_currency_and_the_mix(tmp_path):
    from conftest import SAMPLE, two_currency_book

    import arbook
    from arbook.core.i18n import using
    from arbook.views.dashboard.parts import currency_text, header_html
    from arbook.workbook.review import build_review

    sample = build_review(arbook.read_ledger(SAMPLE), "2026-10-31")
    assert currency_text(sample) == "Amounts in EUR, the book's currency."
    assert 'class="arbook-subtitle arbook-currency">Amounts in EUR' in header_html(sample)
    ledger = two_currency_book(tmp_path, "currency,rate,date\nUSD,0.90,2026-01-01")
    mixed = build_review(ledger, "2026-03-31")  # USD 100.00 at 0.90 = 90.00 of 100.00 EUR open
    assert currency_text(mixed) == (
        "Amounts in EUR, the book's currency, each document at its own date's rate; what is "
        "open is 10% in EUR, 90% in USD."
    )
    with using("es"):
        assert currency_text(mixed).startswith("Importes en EUR, la moneda de la contabilidad")
