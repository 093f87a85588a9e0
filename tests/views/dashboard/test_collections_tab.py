"""The dashboard's Collections tab, headless: the worklist, pressing a row opens its call screen
above the folded list (and back), the call screen of C0140 and of a Russian-speaking customer
(script, playbook and statement in Russian), the excuse playbook, logging a contact, labels
instead of codes, no NaT, "due in" days before the due date, the currency, the statement
preview, switching to the documents to approve.

Each test works on a copy of data/sample and its own contact log (``$ARBOOK_LOG``), so nothing
is written into the checkout. The clock that stamps contacts is fixed (no wall clock)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import html

from collections_setup import AS_OF, NOON, fill, folder, review, tab, visible

import arbook
from arbook.collections.contacts import ContactLog
from arbook.collections.documents import customer_aging
from arbook.collections.playbook import excuse, follow_up
from arbook.collections.worklist import worklist
from arbook.views.dashboard.collections_tab import CollectionsTab
from arbook.views.format import format_cents

__all__ = ["folder", "review", "tab"]  # fixtures


# -- the tab -------------------------------------------------------------------------------------


def test_the_worklist_lists_c0140_first(tab, review):
    expected = worklist(review.ledger, AS_OF)
    assert list(tab.worklist_frame["customer_id"]) == list(expected["customer_id"])
    assert tab.worklist.shown[0] == "C0140" and tab.worklist.page == 0
    assert tab.worklist._buttons[0].description == "C0140"
    assert 'data-customer="C0140"' in tab.worklist._cells[0].value
    assert tab.widget.layout is not None and "arbook-collections" in tab.widget._dom_classes


def test_pressing_a_row_opens_its_call_screen_above_the_folded_list(tab):
    tab.worklist.go(1)
    second_page = tab.worklist.shown
    tab.worklist._buttons[2].click()
    assert not tab.status_is_error, tab.status
    assert tab.customer == second_page[2] and tab.call_open
    assert tab._list_box.layout.display == "none"  # the list is folded away
    children = list(tab.widget.children)
    assert children.index(tab._call) < children.index(tab._list_box)
    assert f'data-customer="{second_page[2]}"' in tab.call_html
    tab._back.click()
    assert not tab.call_open and tab.customer == "" and tab._list_box.layout.display is None
    assert tab.worklist.page == 1 and tab._pick.value == ""


def test_picking_c0140_shows_its_script_and_items(tab):
    assert not tab.call_open
    tab.pick("C0140")
    assert not tab.status_is_error, tab.status
    assert tab.customer == "C0140" and tab._call.layout.display is None
    script = tab.worklist_frame.set_index("customer_id").loc["C0140", "script"]
    assert html.escape(script, quote=True) in tab.call_html
    assert 'class="arbook-script"' in tab.call_html and "Payment score" in tab.call_html
    assert "Language<br><b>English</b>" in tab.call_html
    assert "Nothing to show" in tab.history_html  # no contact logged yet


def test_the_call_screen_speaks_the_customers_language(tab, review):
    """C0079 speaks Russian: its script, the playbook and its statement are in Russian."""
    tab.pick("C0079")
    assert not tab.status_is_error, tab.status
    russian = worklist(review.ledger, AS_OF, lang="ru").set_index("customer_id")
    english = tab.worklist_frame.set_index("customer_id")
    assert russian.loc["C0079", "script"] != english.loc["C0079", "script"]
    assert html.escape(russian.loc["C0079", "script"], quote=True) in tab.call_html
    assert "Script (Russian)" in tab.call_html
    text = excuse("cheque_in_post", "ru")
    assert (text["excuse"], "cheque_in_post") in list(tab._excuse.options)
    tab.pick_excuse("cheque_in_post")
    assert html.escape(text["answer"], quote=True) in tab.excuse_html
    tab.show_statement()
    assert 'lang="ru"' in html.unescape(tab.statement_html)
    tab.pick("C0140")  # back to English
    assert (excuse("cheque_in_post")["excuse"], "cheque_in_post") in list(tab._excuse.options)


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


def test_the_statement_preview_shows_the_total(tab, review):
    tab.pick("C0140")
    tab.show_statement()
    assert not tab.status_is_error, tab.status
    _, totals = customer_aging(review.ledger, "C0140", AS_OF)
    shown = html.unescape(tab.statement_html)
    assert 'sandbox=""' in tab.statement_html and "<iframe" in tab.statement_html
    assert format_cents(int(totals["total_cents"])) in shown and "C0140" in shown


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


# -- labels, not codes ---------------------------------------------------------------------------

#: codes a person must never read: the log's, the ladder's and the playbook's
CODES = ("no_answer", "left_message", "cheque_in_post", "second_call", "first_call", "pre_due",
         "final_notice", "promise_cents", "promise_date", "next_date", "NaT", "-1 day")  # fmt: skip


def test_no_code_and_no_nat_on_screen(tab):
    tab.pick("C0140")
    fill(tab, outcome="no_answer", channel="email")
    tab.pick_excuse("cheque_in_post")
    assert tab.log_contact() is not None and not tab.status_is_error, tab.status
    assert tab.status.endswith("(no answer).")
    shown = " ".join(
        visible(markup) for markup in (tab.call_html, tab.history_html, tab.excuse_html, tab.status)
    )
    rows = " ".join(visible(cell.value) for cell in tab.worklist._cells)
    for code in CODES:
        assert code not in shown and code not in rows, code
    assert "no answer" in shown and "e-mail" in shown
    assert excuse("cheque_in_post")["excuse"] in visible(tab.history_html)
    assert "never" in rows  # nobody called yet, not NaT


def test_a_pre_due_customer_is_due_in_days_not_overdue(tab):
    frame = tab.worklist_frame
    early = frame[frame["oldest_days"] < 0].iloc[0]
    tab.pick(early["customer_id"])
    facts = visible(tab.call_html)
    assert f"due in {-int(early['oldest_days'])} day" in facts
    assert "-1 day" not in facts and "days overdue" not in facts.split("Open items")[0]


def test_amounts_name_the_books_currency(review, tmp_path, monkeypatch):
    monkeypatch.setenv("ARBOOK_LOG", str(tmp_path / "log.db"))
    ledger = dataclasses.replace(review.ledger, currency="EUR")
    board = CollectionsTab(ledger, now=lambda: NOON)
    board.render(review)
    board.pick("C0140")
    overdue = int(board.worklist_frame.set_index("customer_id").loc["C0140", "overdue_cents"])
    assert f"{format_cents(overdue)} EUR" in board.call_html
    fill(board, outcome="promise", promise_amount="10", promise_date="2026-11-10")
    assert board.log_contact() is not None, board.status
    assert "overdue (EUR)" in board.worklist._head.value
    assert "promised (EUR)" in board.history_html and "outstanding (EUR)" in board.call_html
    board.log.close()


def test_switching_views_closes_the_call_screen(tab):
    tab.pick("C0140")
    tab.show_view("send")
    assert not tab.call_open and tab.customer == "" and tab.view == "send"
    assert tab.send.widget.layout.display is None and tab._list_box.layout.display == "none"
    assert tab._back.layout.display == "none"
    tab.show_view("elsewhere")
    assert tab.status_is_error and "no view" in tab.status and tab.view == "send"
    tab._views.value = "worklist"  # as the browser sends it
    assert tab._list_box.layout.display is None and tab.send.widget.layout.display == "none"
