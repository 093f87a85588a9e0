"""The dashboard's Collections tab, headless: the worklist, the call screen of C0140, the excuse
playbook, logging a contact (and refusing a bad one), the statement preview and the outbox.

Each test works on a copy of data/sample and its own contact log (``$ARBOOK_LOG``), so nothing
is written into the checkout. The clock that stamps contacts is fixed (no wall clock)."""

from __future__ import annotations

import datetime as dt
import html
import shutil

import pytest
from conftest import ROOT

import arbook
from arbook.collections.contacts import ContactLog
from arbook.collections.documents import customer_aging
from arbook.collections.playbook import excuse, follow_up
from arbook.collections.worklist import worklist
from arbook.views.dashboard.collections_tab import CollectionsTab
from arbook.views.format import format_cents
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"
NOON = dt.datetime(2026, 10, 31, 12, 0, tzinfo=dt.UTC)


@pytest.fixture(scope="module")
def folder(tmp_path_factory):
    copy = tmp_path_factory.mktemp("client") / "sample"
    shutil.copytree(SAMPLE, copy)
    return copy


@pytest.fixture(scope="module")
def review(folder):
    return build_review(arbook.read_ledger(folder), AS_OF)


@pytest.fixture
def tab(review, tmp_path, monkeypatch):
    monkeypatch.setenv("ARBOOK_LOG", str(tmp_path / "log.db"))
    board = CollectionsTab(review.ledger, now=lambda: NOON)
    board.render(review)
    assert not board.status_is_error, board.status
    yield board
    board.log.close()


def fill(tab, **values) -> None:
    defaults = {
        "channel": "phone",
        "outcome": "reached",
        "who": "Ann Collector",
        "promise_amount": "",
        "promise_date": "",
        "next_date": "",
        "note": "",
    }
    for name, value in {**defaults, **values}.items():
        tab.form[name].value = value


# -- the tab -------------------------------------------------------------------------------------


def test_the_worklist_lists_c0140_first(tab, review):
    expected = worklist(review.ledger, AS_OF)
    assert list(tab.worklist_frame["customer_id"]) == list(expected["customer_id"])
    assert tab.worklist_frame["customer_id"].iloc[0] == "C0140"
    first_row = tab.worklist_html.split("<tbody><tr>", 1)[1].split("</tr>", 1)[0]
    assert "C0140" in first_row
    assert tab.widget.layout is not None and "arbook-collections" in tab.widget._dom_classes


def test_picking_c0140_shows_its_script_and_items(tab):
    assert tab._call.layout.display == "none"
    tab.pick("C0140")
    assert not tab.status_is_error, tab.status
    assert tab.customer == "C0140" and tab._call.layout.display is None
    script = tab.worklist_frame.set_index("customer_id").loc["C0140", "script"]
    assert html.escape(script, quote=True) in tab.call_html
    assert 'class="arbook-script"' in tab.call_html and "Payment score" in tab.call_html
    assert "Nothing to show" in tab.history_html  # no contact logged yet


def test_picking_an_unknown_customer_is_refused(tab):
    tab.pick("C0140")
    tab.pick("C9999<b>")
    assert tab.status_is_error and "C9999" in tab.status and tab.customer == "C0140"
    tab._pick.value = "nobody"  # what a tampered frontend might send
    assert tab.status_is_error and tab._pick.value == "C0140"


def test_picking_an_excuse_fills_the_answer_and_the_follow_up(tab):
    tab.pick("C0140")
    tab.pick_excuse("unopened_mail")
    assert not tab.status_is_error, tab.status
    text = excuse("unopened_mail")
    assert html.escape(text["answer"], quote=True) in tab.excuse_html
    assert all(html.escape(f, quote=True) in tab.excuse_html for f in text["pin_down"])
    assert tab.form["next_date"].value == f"{follow_up('unopened_mail', AS_OF):%Y-%m-%d}"


def test_logging_a_contact_adds_it_to_the_history(tab):
    tab.pick("C0140")
    tab.pick_excuse("unopened_mail")
    fill(
        tab,
        outcome="promise",
        promise_amount="1,500.25",
        promise_date="2026-11-10",
        next_date="2026-11-11",
        note="will pay <script>alert(1)</script>",
    )
    entry = tab.log_contact()
    assert entry is not None and not tab.status_is_error, tab.status
    history = tab.log.history("C0140")
    assert list(history["id"]) == [entry]
    row = history.iloc[0]
    assert (row["channel"], row["outcome"], row["who"], row["excuse"]) == (
        "phone",
        "promise",
        "Ann Collector",
        "unopened_mail",
    )
    assert int(row["promise_cents"]) == 150025
    assert row["promise_date"] == dt.datetime(2026, 11, 10)
    assert row["at"] == NOON
    assert "1,500.25" in tab.history_html and "Ann Collector" in tab.history_html
    # the note is shown as text, never run
    assert "<script>" not in tab.history_html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in tab.history_html
    # the form is ready for the next contact; the worklist knows about the contact
    assert tab.form["note"].value == "" and tab.form["promise_amount"].value == ""
    assert tab.customer == "C0140"
    expected = worklist(tab.ledger, AS_OF, log=tab.log)
    assert list(tab.worklist_frame["customer_id"]) == list(expected["customer_id"])


@pytest.mark.parametrize(
    "values, word",
    [
        (
            {"promise_amount": "12.345", "promise_date": "2026-11-10", "outcome": "promise"},
            "promise amount '12.345'",
        ),
        (
            {"promise_amount": "12", "promise_date": "2026-13-01", "outcome": "promise"},
            "promise date",
        ),
        ({"who": "  "}, "who made the contact"),
        ({"outcome": "promise"}, "promise"),  # a promise needs an amount and a date (the log says)
        ({"promise_amount": "10", "promise_date": "2026-10-01"}, "before the contact"),
    ],
)
def test_a_bad_form_is_refused_readably_and_logs_nothing(tab, values, word):
    tab.pick("C0140")
    fill(tab, **values)
    assert tab.log_contact() is None
    assert tab.status_is_error and word in tab.status, tab.status
    assert "Traceback" not in tab.status
    assert tab.log.history("C0140").empty


def test_a_tampered_channel_is_refused(tab):
    tab.pick("C0140")
    fill(tab)
    tab.form["channel"].value = "pigeon"
    assert tab.status_is_error and "pigeon" in tab.status
    assert tab.form["channel"].value == "phone"


def test_the_statement_preview_shows_the_total(tab, review):
    tab.pick("C0140")
    tab.show_statement()
    assert not tab.status_is_error, tab.status
    _, totals = customer_aging(review.ledger, "C0140", AS_OF)
    shown = html.unescape(tab.statement_html)
    assert 'sandbox=""' in tab.statement_html and "<iframe" in tab.statement_html
    assert format_cents(int(totals["total_cents"])) in shown and "C0140" in shown


def test_save_to_outbox_keeps_the_statement(tab, folder):
    tab.pick("C0140")
    path = tab.save_statement()
    assert path is not None and not tab.status_is_error, tab.status
    assert path.parent == folder / "outbox" / "C0140"
    assert path.with_suffix(".pdf").exists() and (folder / "outbox" / "register.csv").exists()


def test_the_statement_needs_a_customer(tab):
    tab.show_statement()
    assert tab.status_is_error and "choose a customer" in tab.status


def test_a_bad_log_url_is_a_sentence(review, monkeypatch):
    monkeypatch.setenv("ARBOOK_LOG", "oracle://nowhere/db")
    board = CollectionsTab(review.ledger)
    board.render(review)
    assert board.status_is_error and "not supported" in board.status


def test_the_dashboard_has_a_collections_tab(folder, tmp_path, monkeypatch):
    from arbook.views.dashboard.app import TABS, Dashboard

    monkeypatch.setenv("ARBOOK_LOG", str(tmp_path / "log.db"))
    dash = Dashboard(arbook.read_ledger(folder))
    assert dash.collections._log is None  # not opened until the tab is shown
    dash.controls["tabs"].selected_index = TABS.index("Collections")
    assert dash.collections.worklist_frame["customer_id"].iloc[0] == "C0140"
    assert (tmp_path / "log.db").exists()
    ContactLog(path=tmp_path / "log.db").close()
    dash.collections.log.close()
