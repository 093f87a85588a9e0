"""The call screen's disputes and payment plans, headless
(:mod:`arbook.views.dashboard.cases_box`): a dispute opened on an invoice is listed with its
amount and age, followed with notes and a new owner, and is resolved; an imported one too (a
note on it opens it in the log first); a plan agreed shows its instalments and is
cancelled; a bad dispute or plan is refused in a sentence and nothing is written."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from collections_setup import AS_OF, inbox, ready_tab, sample_copy, visible

from arbook.measures.disputes import IMPORTED_REASON, RESOLUTIONS, dispute_list

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


def _opened(tab) -> int:
    """A dispute opened by Bob on INV-005358 of C0140 (all that is owed on it)."""
    tab.pick("C0140")
    tab.disputes.invoice.value = "INV-005358"
    tab.disputes.reason.value = "two rolls arrived torn"
    tab.disputes.owner.value = "Bob"
    entry = tab.disputes.open_dispute()
    assert entry is not None, tab.status
    return entry


def _cell(html: str, header: str, document: str) -> str:
    """The text under ``header`` in ``document``'s row of the disputes table."""
    heads = re.findall(r"<th[^>]*>(.*?)</th>", html)
    for row in re.findall(r"<tr>(.*?)</tr>", html):
        cells = [visible(c) for c in re.findall(r"<td[^>]*>(.*?)</td>", row)]
        if cells and cells[0] == document:
            return cells[heads.index(header)]
    raise AssertionError(f"{document} not in the disputes table")


def test_the_follow_row_offers_a_note_a_new_owner_and_each_resolution_in_words(tab):
    box = tab.disputes
    assert [code for _, code in box.resolution.options] == ["note", "owner", *RESOLUTIONS]
    labels = [label for label, _ in box.resolution.options]
    assert labels[:2] == ["Add a note", "Hand to a new owner"]
    assert all(label.startswith("Resolved: ") for label in labels[2:])
    assert box.resolution.value == "note" and box._resolve.description == "Add the note"
    assert box.new_owner.layout.display == "none"
    box.resolution.value = "owner"
    assert box._resolve.description == "Hand it over" and box.new_owner.layout.display is None
    box.resolution.value = "paid"
    assert box._resolve.description == "Resolve" and box.new_owner.layout.display == "none"


def test_a_dispute_is_followed_with_a_note_then_handed_to_a_new_owner(tab):
    entry = _opened(tab)
    box = tab.disputes
    assert _cell(box.html, "notes", "INV-005358") == "0"
    box.which.value, box.resolution.value = "INV-005358", "note"
    box.note.value = "  Bob asked the warehouse for photos  "
    assert box.follow() is not None and not tab.status_is_error, tab.status
    assert tab.status == f"Note added to dispute {entry} on INV-005358."
    assert box.note.value == "" and tab.customer == "C0140"
    assert _cell(box.html, "notes", "INV-005358") == "1"
    assert _cell(box.html, "last note", "INV-005358") == "Bob asked the warehouse for photos"
    box.which.value, box.resolution.value = "INV-005358", "owner"
    box.new_owner.value = "Carla"
    assert box.follow() is not None and not tab.status_is_error, tab.status
    assert tab.status == f"Dispute {entry} on INV-005358 handed to Carla."
    assert _cell(box.html, "owner", "INV-005358") == "Carla"
    assert _cell(box.html, "notes", "INV-005358") == "2"  # a hand-over is a note too
    assert _cell(box.html, "last note", "INV-005358") == "Bob asked the warehouse for photos"
    (row,) = tab.log.disputes().itertuples()
    assert (row.dispute_id, row.owner, row.notes, row.status) == (entry, "Carla", 2, "open")
    events = tab.log.dispute_events()
    assert list(events["who"]) == ["Ann Collector"] * 3
    assert set(events["at"].dt.date.astype(str)) == {AS_OF}  # dated like a contact logged there
    # still in dispute, for what it was
    listed = dispute_list(tab.ledger, AS_OF, log=tab.log).set_index("document_id")
    mine = listed.loc["INV-005358"]
    assert mine["disputed_cents"] == mine["outstanding_cents"] and mine["source"] == "log"


@pytest.mark.parametrize(
    "action, values, words",
    [
        ("note", {"which": "INV-005358"}, ["No note added", "the note is empty"]),
        ("note", {"note": "called"}, ["No note added", "choose the dispute"]),
        ("owner", {"which": "INV-005358", "note": "away"}, ["Not handed over", "new owner is"]),
        ("note", {"which": "INV-005358", "note": "x", "who": " "}, ["who are you"]),
    ],
)
def test_a_note_or_hand_over_without_what_it_needs_is_refused(tab, action, values, words):
    _opened(tab)
    box = tab.disputes
    box.resolution.value = action
    for name, value in values.items():
        control = tab.form["who"] if name == "who" else getattr(box, name)
        control.value = value
    assert box.follow() is None
    assert tab.status_is_error and all(w in tab.status for w in words), tab.status
    assert "Traceback" not in tab.status
    assert len(tab.log.dispute_events()) == 1  # the opening alone


def test_a_note_on_an_imported_dispute_opens_it_in_the_log_first(tab):
    tab.pick("C0140")
    box = tab.disputes
    imported = box.disputes[box.disputes["source"] == "imported"].iloc[0]
    document, owed = imported["document_id"], int(imported["disputed_cents"])
    assert _cell(box.html, "notes", document) == "0"
    box.which.value, box.resolution.value = document, "note"
    box.note.value = "customer says the goods never arrived"
    assert box.follow() is not None and not tab.status_is_error, tab.status
    (row,) = tab.log.disputes().itertuples()
    assert tab.status == (
        f"Note added to dispute {row.dispute_id} on {document} (it came with the data; the "
        f"contact log now keeps it as dispute {row.dispute_id})."
    )
    assert (row.document_id, row.reason, row.opened_by, row.notes) == (
        document,
        IMPORTED_REASON,
        "Ann Collector",
        1,
    )
    assert pd.isna(row.amount_cents)  # all that is owed, as the data had it
    mine = box.disputes.set_index("document_id").loc[document]
    assert (mine["source"], int(mine["disputed_cents"]), mine["notes"]) == ("log", owed, 1)
    assert _cell(box.html, "last note", document) == "customer says the goods never arrived"
    assert len(box.disputes) == len(
        dispute_list(tab.ledger, AS_OF, log=None).query("customer_id == 'C0140'")
    )  # taken over, not listed twice
    box.which.value, box.resolution.value = document, "owner"
    box.new_owner.value = "Carla"
    assert box.follow() is not None, tab.status  # now a log dispute: no second opening
    (row,) = tab.log.disputes().itertuples()
    assert (row.owner, row.notes) == ("Carla", 2)


def test_a_resolution_chosen_in_the_follow_row_resolves(tab):
    entry = _opened(tab)
    box = tab.disputes
    box.which.value, box.resolution.value = "INV-005358", "rejected"
    assert box.follow() == entry and not tab.status_is_error, tab.status
    (row,) = tab.log.disputes(status="all").itertuples()
    assert row.status == "rejected"


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
