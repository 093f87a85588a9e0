"""The call screen's disputes and payment plans, headless
(:mod:`arbook.views.dashboard.cases_box`): a dispute opened on an invoice is listed with its
amount and age and is resolved; an imported one too; a plan agreed shows its instalments and is
cancelled; a bad dispute or plan is refused in a sentence and nothing is written."""

from __future__ import annotations

import pytest
from collections_setup import AS_OF, inbox, ready_tab, sample_copy, visible

from arbook.measures.disputes import dispute_list

__all__ = ["inbox", "ready_tab", "sample_copy"]  # fixtures


@pytest.fixture
def tab(ready_tab):
    return ready_tab


# -- disputes ------------------------------------------------------------------------------------


def test_a_dispute_opened_on_the_call_screen_is_listed_then_resolved(tab):
    tab.pick("C0140")
    assert "INV-005358" in [v for _, v in tab.disputes.invoice.options]
    tab.disputes.invoice.value = "INV-005358"
    tab.disputes.amount.value = "1,000.50"
    tab.disputes.reason.value = "two rolls arrived torn"
    tab.disputes.owner.value = "Bob"
    entry = tab.disputes.open_dispute()
    assert entry is not None and not tab.status_is_error, tab.status
    listed = dispute_list(tab.ledger, AS_OF, log=tab.log).set_index("document_id")
    assert int(listed.loc["INV-005358", "disputed_cents"]) == 100050
    shown = visible(tab.disputes.html)
    assert "1,000.50" in shown and "two rolls arrived torn" in shown and "Bob" in shown
    assert "0 days" in shown  # opened today; imported ones say since when they cannot
    assert "since the data was imported" in shown and "contact log" in shown
    assert tab.disputes.reason.value == "" and tab.customer == "C0140"
    tab.disputes.which.value = "INV-005358"
    tab.disputes.resolution.value = "credited"
    assert tab.disputes.resolve() is not None and not tab.status_is_error, tab.status
    assert "INV-005358" not in set(dispute_list(tab.ledger, AS_OF, log=tab.log)["document_id"])
    assert "two rolls" not in tab.disputes.html
    (row,) = tab.log.disputes(status="all").itertuples()
    assert (row.status, row.owner, row.opened_by) == ("credited", "Bob", "Ann Collector")


def test_an_imported_dispute_is_resolved_from_the_call_screen(tab):
    tab.pick("C0140")
    imported = tab.disputes.disputes[tab.disputes.disputes["source"] == "imported"]
    document = imported["document_id"].iloc[0]
    tab.disputes.which.value = document
    tab.disputes.resolution.value = "rejected"
    assert tab.disputes.resolve() is not None, tab.status
    assert document not in set(dispute_list(tab.ledger, AS_OF, log=tab.log)["document_id"])


@pytest.mark.parametrize(
    "values, words",
    [
        ({}, ["choose the invoice", "reason is empty"]),
        ({"invoice": "INV-005358", "reason": "torn", "amount": "12.345"}, ["amount in dispute"]),
        ({"invoice": "INV-005358", "reason": "torn", "who": " "}, ["who are you"]),
    ],
)
def test_a_bad_dispute_is_refused_and_nothing_is_written(tab, values, words):
    tab.pick("C0140")
    for name, value in values.items():
        control = tab.form["who"] if name == "who" else getattr(tab.disputes, name)
        control.value = value
    assert tab.disputes.open_dispute() is None
    assert tab.status_is_error and all(w in tab.status for w in words), tab.status
    assert tab.log.disputes(status="all").empty


# -- payment plans -------------------------------------------------------------------------------


def test_a_plan_agreed_on_the_call_screen_shows_its_instalments_then_is_cancelled(tab):
    tab.pick("C0140")
    tab.plan.items.value = ("INV-005358",)
    tab.plan.instalments.value = "2026-11-15 5,000.00\n\n2026-12-15 6,770.91\n"
    entry = tab.plan.agree()
    assert entry is not None and not tab.status_is_error, tab.status
    (plan,) = tab.log.plans(customer_id="C0140").itertuples()
    assert plan.documents == ("INV-005358",) and plan.planned_cents == 1177091
    shown = visible(tab.plan.html)
    assert "on track" in shown and "0 of 2 instalments kept" in shown
    assert "2026-11-15" in shown and "5,000.00" in shown and "open" in shown
    assert "next 5,000.00 EUR due 2026-11-15" in shown
    assert tab.plan.instalments.value == "" and tab.plan._cancel.layout.display is None
    assert tab.plan.cancel() == entry and not tab.status_is_error, tab.status
    assert "cancelled" in visible(tab.plan.html) and tab.plan._cancel.layout.display == "none"


def test_a_bad_plan_is_refused_naming_each_line(tab):
    tab.pick("C0140")
    tab.plan.instalments.value = "2026-13-01 50\n2026-11-15 12.345\nsoon"
    assert tab.plan.agree() is None and tab.status_is_error
    for words in ("choose the invoices", "instalment 1 date", "instalment 2 amount",
                  "instalment 3"):  # fmt: skip
        assert words in tab.status, (words, tab.status)
    assert tab.log.plans().empty


def test_a_plan_for_more_than_its_invoices_owe_is_refused_by_the_log(tab):
    tab.pick("C0140")
    tab.plan.items.value = ("INV-005358",)
    tab.plan.instalments.value = "2026-11-15 99,999.00"
    assert tab.plan.agree() is None and tab.status_is_error, tab.status
    assert tab.log.plans().empty
