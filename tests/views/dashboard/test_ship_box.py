"""The Credit tab's "May I ship?" box (:mod:`arbook.views.dashboard.ship_box`), headless: the
customers it offers, the answer and its reasons coloured by what they do, the day and the contact
log it checks against, and every refusal as a sentence in the box."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import CHECK_CUSTOMERS, CHECK_OWED, log_contacts, write_ledger
from test_app import board, dash, ledger

import arbook
from arbook.credit.check import credit_check
from arbook.views.dashboard.credit_tab import CreditTab
from arbook.views.dashboard.ship_box import COLOURS, ShipBox, check_html, order_amount
from arbook.views.html import esc
from arbook.workbook.review import build_review

# the fixtures of test_app.py serve this module too (its own Dashboard on the sample)
__all__ = ["board", "dash", "ledger"]

# A review at the month end 2026-06-30 of data whose latest day is 2026-07-05 (N1, a new
# invoice): the box checks at 2026-07-05, the day the Collections tab works from.
# OK owes 100.00 (N1) on a limit of 10,000.00; FULL owes 900.00 not yet due on 1,000.00;
# LATE owes L1 100.00 due 2026-06-20, 15 days overdue on 2026-07-05; "Ünïcode <b>" has a name
# that must be escaped and no limit.
INVOICES = "    N1,OK,2026-07-05,2026-08-04,100.00" + CHECK_OWED
CUSTOMERS = CHECK_CUSTOMERS + "    U1,Ünïcode <b>,\n"
AS_OF = "2026-06-30"


@pytest.fixture
def folder(tmp_path):
    return write_ledger(tmp_path / "client", invoices=INVOICES, customers=CUSTOMERS)


@pytest.fixture
def box(folder):
    box = ShipBox()
    box.render(build_review(arbook.read_ledger(folder), AS_OF))
    return box


def reasons(html: str) -> list[tuple[str, str]]:
    return re.findall(r'<li data-code="([^"]+)" data-effect="([^"]+)"', html)


def test_it_offers_every_customer_by_id_and_name(box):
    assert box.customer.options == (
        "FULL Full Ltd",
        "LATE Late Ltd",
        "OK Okay Ltd",
        "U1 Ünïcode <b>",
    )
    assert box.customer_id("LATE Late Ltd") == "LATE"  # a choice of the list
    assert box.customer_id(" OK ") == "OK"  # an id typed
    assert "Type or choose a customer" in box.answer.value
    assert {"arbook-ship"} <= set(box.widget._dom_classes)


def test_an_allowed_order(box):
    result = box.check("OK Okay Ltd", "2,500.00")
    assert result.answer == "allow" and result.amount_cents == 250_000
    html = box.answer.value
    assert 'data-answer="allow"' in html and COLOURS["allow"][0] in html
    assert esc(result.headline) in html and reasons(html) == []
    assert box.last is result


def test_a_blocked_order_lists_every_reason_coloured(box):
    result = box.check("FULL", "200")  # 900.00 + 200.00 over 1,000.00
    html = box.answer.value
    assert result.answer == "block" and 'data-answer="block"' in html
    assert reasons(html) == [("over_limit", "block")]
    assert f"border-left: 4px solid {COLOURS['block'][1]}" in html
    assert esc(result.reasons[0].label) in html


def test_it_checks_at_the_collections_day_and_warns(box):
    result = box.check("LATE", "10")
    assert result.as_of == pd.Timestamp("2026-07-05")
    assert result.answer == "warn" and reasons(box.answer.value) == [("overdue", "warn")]
    assert "the oldest by 15 days" in result.reasons[0].label
    assert f"border-left: 4px solid {COLOURS['warn'][1]}" in box.answer.value


def test_names_are_escaped(box):
    box.check("U1 Ünïcode <b>", "1")
    html = box.answer.value
    assert "Ünïcode &lt;b&gt;" in html and "Ünïcode <b>" not in html
    assert reasons(html) == [("not_vetted", "block")]


def test_it_reads_the_data_folders_contact_log(box, folder):
    with arbook.ContactLog(path=folder / "collections.db") as log:
        log_contacts(log, ("OK", "phone", "promise", "Ann", "2026-06-20 09:00", 5000, "2026-06-25"))
    result = box.check("OK", "1")
    assert result.answer == "warn" and [r.code for r in result.reasons] == ["broken_promises"]


@pytest.mark.parametrize(
    "customer, amount, said",
    [
        ("", "1", "no customer given"),
        ("NOPE", "1", "customer &#x27;NOPE&#x27; is not in the data"),
        ("FUL", "1", "did you mean FULL?"),
        ("OK", "", "order amount is empty"),
        ("OK", "ten", "order amount &#x27;ten&#x27; is not an amount of money"),
        ("OK", "-1", "must be 0 or more"),
        ("OK", "1.005", "more than 2 decimals"),
    ],
)
def test_a_refusal_is_a_sentence_in_the_box(box, customer, amount, said):
    box.check("OK", "1")
    assert box.check(customer, amount) is None and box.last is None
    assert 'class="arbook arbook-error"' in box.answer.value and said in box.answer.value
    assert "data-answer" not in box.answer.value  # the previous answer is gone


def test_before_any_data(box):
    empty = ShipBox()
    assert empty.check("OK", "1") is None
    assert "the data is not loaded yet" in empty.answer.value


def test_a_new_review_clears_the_answer(box, folder):
    box.check("OK", "1")
    box.render(build_review(arbook.read_ledger(folder), "2026-05-31"))
    assert "Type or choose a customer" in box.answer.value and box.last is None


def test_order_amount():
    assert order_amount("3,000.50") == 300_050 and order_amount(" 0 ") == 0


def test_check_html_is_the_library_answer(folder):
    ledger = arbook.read_ledger(folder)
    result = credit_check(ledger, "FULL", 20_000, "2026-07-11")  # over the limit and overdue
    html = check_html(result)
    assert reasons(html) == [("over_limit", "block"), ("overdue", "warn")]
    assert html.count("<li ") == len(result.reasons)


def test_the_credit_tab_holds_the_box(dash):
    dash.controls["tabs"].selected_index = 3  # Credit
    credit: CreditTab = dash._credit
    assert credit.ship.widget in credit.widget.children
    result = credit.ship.check("C0140", "3000")
    assert result.answer == "block" and result.customer_id == "C0140"
    assert 'data-answer="block"' in credit.ship.answer.value
