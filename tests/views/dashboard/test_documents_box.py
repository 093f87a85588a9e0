"""The call screen's documents, headless (:mod:`arbook.views.dashboard.documents_box`): the
statement kept to print and post is logged and a repeat the same day needs "again"; the step's
letter e-mailed arrives at the local mail server and moves the ladder on; a draft (no company
name, no currency) never goes to a customer."""

from __future__ import annotations

import pytest
from collections_setup import inbox, make_tab, ready_tab, sample_copy, visible

from arbook.collections.documents.sending import AGAIN
from arbook.views.dashboard.documents_box import AGAIN_HERE, in_dashboard_terms

__all__ = ["inbox", "ready_tab", "sample_copy"]  # fixtures


@pytest.fixture
def tab(ready_tab):
    return ready_tab


def test_the_send_paths_advice_is_said_in_the_dashboards_terms():
    said = in_dashboard_terms(f"already sent; to give it again the same day {AGAIN}")
    assert said.endswith(AGAIN_HERE) and "--again" not in said


# -- documents -----------------------------------------------------------------------------------


def test_keeping_the_statement_is_logged_and_a_repeat_needs_again(tab, sample_copy):
    tab.pick("C0140")
    pdf = tab.save_statement()
    assert pdf is not None and not tab.status_is_error, tab.status
    assert pdf.parent == sample_copy / "outbox" / "C0140" and pdf.exists()
    history = tab.log.history("C0140")
    assert list(history["outcome"]) == ["saved"] and list(history["channel"]) == ["letter"]
    assert "document kept to print and post" in visible(tab.history_html)
    assert tab.save_statement() is None
    assert tab.status_is_error and 'tick "again" first' in tab.status, tab.status
    assert "--again" not in tab.status and "confirm_repeat" not in tab.status
    tab.documents.again.value = True
    assert tab.save_statement() is not None, tab.status
    assert len(tab.log.history("C0140")) == 2 and tab.documents.again.value is False


def test_the_steps_letter_e_mailed_from_the_call_screen_arrives_and_moves_the_ladder(tab, inbox):
    box, _ = inbox
    row = tab.worklist_frame.set_index("customer_id").loc["C0140"]
    tab.pick("C0140")
    tab.documents.kind.value = row["template"]  # the agency step's legal letter
    done = tab.documents.give(send=True)
    assert done is not None and done.status == "sent", tab.status
    (message,) = box.messages()
    assert message["To"] == done.to and message["From"] == "ar@acme.example"
    assert "C0140" not in set(tab.worklist_frame["customer_id"])  # the step is done


def test_a_draft_cannot_go_to_a_customer(sample_copy, tmp_path, monkeypatch):
    (sample_copy / "policy.toml").unlink(missing_ok=True)  # no company name, no currency
    board = make_tab(sample_copy, None, tmp_path, monkeypatch)
    board.pick("C0140")
    board.show_statement()
    assert not board.status_is_error and "draft" in board.status, board.status
    assert board.save_statement() is None
    assert board.status_is_error and "company's name" in board.status, board.status
    assert board.log.history("C0140").empty
    board.log.close()
