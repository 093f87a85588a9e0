"""Approve and send, headless (:mod:`arbook.views.dashboard.send_box`): documents queued as
the daily run queues them are ticked, previewed and e-mailed (recorded in the contact log, off
the queue, listed as given today), kept to print and post or withdrawn; a mail server down
leaves the rest queued and records nothing."""

from __future__ import annotations

import pytest
from collections_setup import (
    AS_OF,
    inbox,
    make_tab,
    ready_policy,
    ready_tab,
    sample_copy,
)
from conftest import free_port

from arbook.collections.documents import deliver_due, queued
from arbook.collections.worklist import worklist

__all__ = ["inbox", "ready_tab", "sample_copy"]  # fixtures


@pytest.fixture
def tab(ready_tab):
    return ready_tab


def _queue(tab, count: int) -> list[str]:
    """Queue the documents due today of the first ``count`` customers with an e-mail address,
    as ``arbook daily`` does; return their PDFs."""
    due = worklist(tab.ledger, AS_OF, log=tab.log)
    due = due[due["step_due"] & (due["template"] != "")].head(count)
    made = deliver_due(tab.ledger, AS_OF, due, log=tab.log, who="daily")
    assert set(made["status"]) == {"queued"}, made
    tab.refresh()
    return list(made["file"])


def test_approve_and_send_e_mails_the_ticked_and_records_them(tab, inbox):
    box, _ = inbox
    first, second = _queue(tab, 2)
    tab.show_view("send")
    assert not tab.call_open and tab._list_box.layout.display == "none"
    assert list(tab.send.frame["pdf"]) == [first, second]
    assert "Documents to approve (2)" in [label for label, _ in tab._views.options]
    tab.send.preview(first)
    assert "<iframe" in tab.send.preview_html
    tab.send.tick(first)
    lines = tab.send.act("email")
    assert len(lines) == 1 and "e-mailed to" in lines[0], lines
    assert len(box.messages()) == 1
    customer = first.split("/")[0]
    (entry,) = tab.log.history(customer).itertuples()
    assert (entry.channel, entry.outcome, entry.document) == ("email", "sent", first)
    assert list(tab.send.frame["pdf"]) == [second]
    assert first in tab.send.done_html and "e-mailed" in tab.send.done_html
    assert customer not in set(tab.worklist_frame["customer_id"])


def test_keep_and_withdraw_from_the_queue(tab):
    first, second = _queue(tab, 2)
    tab.send.tick(first)
    assert "kept to print and post" in tab.send.act("keep")[0]
    tab.send.tick(second)
    assert "withdrawn" in tab.send.act("withdraw")[0]
    assert tab.send.frame.empty
    assert tab.log.history(second.split("/")[0]).empty  # withdrawn: nothing logged
    assert set(queued(tab.ledger.folder / "outbox")["pdf"]) == set()


def test_a_mail_server_down_leaves_the_rest_queued_and_nothing_recorded(
    sample_copy, tmp_path, monkeypatch
):
    board = make_tab(sample_copy, ready_policy(free_port()), tmp_path, monkeypatch)  # nobody
    first, second = _queue(board, 2)
    board.send.all.value = True
    lines = board.send.act("email")
    assert "cannot be reached" in lines[0] and "left queued, not tried" in lines[1], lines
    assert board.status_is_error and "0 of 2" in board.status
    assert list(board.send.frame["pdf"]) == [first, second]
    assert board.log.history().empty
    board.log.close()


def test_acting_on_nothing_ticked_is_refused(tab):
    _queue(tab, 1)
    tab.send.act("email")
    assert tab.status_is_error and "tick the documents" in tab.status
