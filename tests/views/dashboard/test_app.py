"""The dashboard, headless: set a control (or a chart selection, the way the browser does) and
check the state the views show. One Dashboard on the sample serves the module; each test starts
from the default settings (the reviews are cached, so resetting is cheap)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from conftest import ROOT, write_ledger

import arbook
from arbook.views.dashboard.app import Dashboard, LoadFailure
from arbook.views.dashboard.parts import MAX_SEARCH, customer_table
from arbook.views.html import esc, format_value
from arbook.workbook.review import bucket_items, build_review, customer_detail

SAMPLE = ROOT / "data" / "sample"
LAST, PREVIOUS = "2026-10-31", "2026-09-30"


@pytest.fixture(autouse=True)
def no_remembered_language(tmp_path, monkeypatch):
    """A language chosen with the picker on this machine is not this suite's: English."""
    monkeypatch.setenv("ARBOOK_CONFIG_DIR", str(tmp_path / "config"))


@pytest.fixture(scope="module")
def ledger():
    return arbook.read_ledger(SAMPLE)


@pytest.fixture(scope="module")
def board(ledger):
    return Dashboard(ledger)


@pytest.fixture
def dash(board):
    """The module's dashboard, back at its defaults."""
    board.set_as_of(LAST)
    board.set_basis("due")
    board.set_edges("30,60,90,120")
    board.set_cost(10)
    board.set_search("")
    board.set_bucket_filter("All")
    board.set_sort("total_cents", False)
    board.controls["tabs"].selected_index = 0
    assert not board.status_is_error, board.status
    return board


def tiles(html: str) -> dict[str, str]:
    """KPI key -> the text of its value, from the tiles' HTML."""
    return dict(re.findall(r'data-kpi="([^"]+)".*?class="arbook-kpi-value">([^<]*)<', html))


def expected_tiles(ledger, as_of, **kw) -> dict[str, str]:
    kpis = build_review(ledger, as_of, **kw).kpis
    cur = ledger.currency
    return {r.kpi: esc(format_value(r.value, r.unit, currency=cur)) for r in kpis.itertuples()}


def refused(dash, before_kpis, before_table, word: str) -> None:
    """The status reports a bad value in a sentence and the views did not move."""
    assert dash.status_is_error
    assert word in dash.status.lower()
    assert "Traceback" not in dash.status
    assert dash.kpi_html == before_kpis
    pd.testing.assert_frame_equal(dash.table_frame, before_table)


# -- the header, tiles and settings --------------------------------------------------------------


def test_tiles_show_the_review_of_the_last_month_end(dash, ledger):
    assert dash.review.as_of == pd.Timestamp(LAST)
    assert tiles(dash.kpi_html) == expected_tiles(ledger, LAST)
    assert dash.controls["as_of"].options[0] == LAST  # newest first
    assert "2024-11-30" in dash.controls["as_of"].options
    assert "Receivables — sample" in dash._header.value and LAST in dash._header.value
    assert dash.status.startswith(f"As of {LAST}")


def test_as_of_changes_the_tiles(dash, ledger):
    before = dash.kpi_html
    dash.set_as_of(PREVIOUS)
    assert dash.controls["as_of"].value == PREVIOUS
    assert dash.kpi_html != before
    assert tiles(dash.kpi_html) == expected_tiles(ledger, PREVIOUS)
    assert PREVIOUS in dash._header.value


def test_the_dropdown_drives_the_same_change(dash, ledger):
    dash.controls["as_of"].value = PREVIOUS  # what the browser does
    assert dash.review.as_of == pd.Timestamp(PREVIOUS)
    assert tiles(dash.kpi_html) == expected_tiles(ledger, PREVIOUS)


def test_basis_invoice_changes_the_aging(dash, ledger):
    due = dash.table_frame.copy()
    spec_before = dash.chart_widgets["buckets"].spec
    dash.set_basis("invoice")
    assert dash.controls["basis"].value == "invoice"
    invoice = build_review(ledger, LAST, basis="invoice")
    pd.testing.assert_frame_equal(dash.table_frame, customer_table(invoice.summary))
    assert not dash.table_frame.equals(due)
    assert dash.chart_widgets["buckets"].spec != spec_before
    assert tiles(dash.kpi_html) == expected_tiles(ledger, LAST, basis="invoice")


def test_two_edges_give_four_buckets(dash):
    dash.set_edges("30,60")
    buckets = [c for c in dash.table_frame.columns if c.endswith("_cents")][:-3]
    assert buckets == ["current_cents", "1-30_cents", "31-60_cents", "61+_cents"]
    assert list(dash.controls["bucket_filter"].options) == [
        "All",
        "current",
        "1-30",
        "31-60",
        "61+",
        "unapplied",
    ]
    assert "61+_cents" in [c for _, c in dash.controls["sort"].options]
    assert dash.controls["edges"].value == "30,60"


@pytest.mark.parametrize(
    "text, word",
    [
        ("60,30", "increasing"),
        ("abc", "whole numbers"),
        ("", "empty"),
        ("0,30", "positive"),
        ("30,,x", "whole numbers"),
        ("9" * 300, "short"),
    ],
)
def test_bad_edges_leave_the_views_and_say_why(dash, text, word):
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.set_edges(text)
    refused(dash, kpis, table, word)
    assert dash.review.settings.edges == (30, 60, 90, 120)


def test_bad_edges_typed_in_the_box(dash):
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.controls["edges"].value = "60,30"
    refused(dash, kpis, table, "bucket edges")
    dash.controls["edges"].value = "30,60,90"  # fixing it clears the message
    assert not dash.status_is_error
    assert dash.review.settings.edges == (30, 60, 90)


def test_cost_of_capital_changes_the_carrying_cost(dash, ledger):
    ten = int(dash.review.carrying["carrying_cost_cents"].sum())
    dash.set_cost(20)
    twenty = int(dash.review.carrying["carrying_cost_cents"].sum())
    assert dash.review.settings.cost_of_capital == pytest.approx(0.20)
    assert twenty == pytest.approx(2 * ten, abs=len(dash.review.carrying))  # cent rounding
    cost = expected_tiles(ledger, LAST, cost_of_capital=0.20)["carrying_cost_cents"]
    assert tiles(dash.kpi_html)["carrying_cost_cents"] == cost
    assert "20.0%" in dash._carrying.value


@pytest.mark.parametrize("value", [150, -1, "abc", float("nan"), None])
def test_bad_cost_is_refused(dash, value):
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.set_cost(value)
    refused(dash, kpis, table, "cost of capital")


@pytest.mark.parametrize("typed", [500, -3])
def test_cost_typed_out_of_range_is_refused_in_words_not_clamped(dash, typed):
    """Typing 500 (or -3) in the box, as the browser sends it: a sentence in the status line,
    the box back at the rate in use, the views unchanged; a good value clears the message."""
    kpis = dash.kpi_html
    dash.controls["cost"].value = typed
    assert dash.status_is_error
    assert dash.status == (
        f"cost of capital {typed}% must be between 0 and 100; write 10 for 10%. "
        "The views still show the last good choice."
    )
    assert dash.review.settings.cost_of_capital == pytest.approx(0.10)
    assert dash.controls["cost"].value == 10
    assert dash.kpi_html == kpis
    dash.controls["cost"].value = 12.5
    assert not dash.status_is_error and "cost of capital 12.5%" in dash.status
    assert dash.review.settings.cost_of_capital == pytest.approx(0.125)


def test_going_back_to_a_choice_reuses_its_review(dash):
    first = dash.review
    dash.set_basis("invoice")
    dash.set_basis("due")
    assert dash.review is first


def test_only_the_visible_tab_is_computed(dash):
    dash.set_cost(13)  # a review not made before; the Overview tab is showing
    assert "history" in dash.review.__dict__  # what the tiles are made of
    assert "summary" not in dash.review.__dict__
    dash.controls["tabs"].selected_index = 1
    assert "summary" in dash.review.__dict__


# -- the customer table --------------------------------------------------------------------------


def test_search_finds_a_customer_by_id_or_name(dash):
    dash.set_search("C0140")
    assert list(dash.table_frame["customer_id"]) == ["C0140"]
    name = dash.table_frame["name"].iloc[0]
    dash.controls["search"].value = name.upper()[:10]
    assert "C0140" in set(dash.table_frame["customer_id"])
    assert dash.table_frame["name"].str.casefold().str.contains(name.casefold()[:10]).all()


def test_too_long_a_search_is_refused(dash):
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.set_search("x" * (MAX_SEARCH + 1))
    refused(dash, kpis, table, "search")


def test_bucket_filter_keeps_customers_owing_in_that_bucket(dash):
    summary = dash.review.summary
    dash.set_bucket_filter("121+")
    assert (dash.table_frame["121+_cents"] != 0).all()
    assert len(dash.table_frame) == int((summary["121+_cents"] != 0).sum()) > 0
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.set_bucket_filter("999+")
    refused(dash, kpis, table, "bucket filter")


def test_sort_by_any_column_either_way(dash):
    dash.set_sort("name", True)
    assert list(dash.table_frame["name"]) == sorted(dash.table_frame["name"])
    dash.controls["ascending"].value = False
    dash.controls["sort"].value = "121+_cents"
    column = dash.table_frame["121+_cents"]
    assert column.is_monotonic_decreasing
    dash.controls["ascending"].value = True
    assert dash.table_frame["121+_cents"].is_monotonic_increasing
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.set_sort("no_such_column")
    refused(dash, kpis, table, "sort column")


# -- drill-down ----------------------------------------------------------------------------------


def test_select_customer_shows_items_payments_and_behaviour(dash):
    dash.select_customer("C0140")
    html = dash.drill_html
    assert html.startswith('<div class="arbook arbook-drill-customer" data-customer="C0140"')
    detail = customer_detail(dash.review, "C0140")
    for doc in detail["items"]["document_id"]:
        assert doc in html
    for pay in detail["payments"]["payment_id"].head(50):
        assert pay in html
    behaviour = detail["behaviour"].iloc[0]
    assert "Average days to pay" in html and f"{behaviour['avg_days_to_pay']:.1f}" in html
    assert "Days beyond terms" in html and f"{behaviour['days_beyond_terms']:.1f}" in html
    assert f"{behaviour['share_paid_late'] * 100:.1f}%" in html
    assert dash.controls["tabs"].selected_index == 2
    assert dash.customer == "C0140"


def test_select_bucket_lists_its_items(dash):
    dash.select_bucket("121+")
    html = dash.drill_html
    assert 'data-bucket="121+"' in html.split(">")[0]
    items = bucket_items(dash.review, "121+")
    assert len(items) > 0
    for doc in items["document_id"].head(200):
        assert doc in html


def test_drill_follows_the_as_of_date(dash):
    dash.select_customer("C0140")
    dash.set_as_of(PREVIOUS)
    detail = customer_detail(dash.review, "C0140")
    assert detail["payments"]["payment_date"].max() <= pd.Timestamp(PREVIOUS)
    assert f"{len(detail['items']):,})" in dash.drill_html


def test_unknown_customer_or_bucket_is_a_message(dash):
    dash.select_bucket("121+")
    drill = dash.drill_html
    dash.select_customer("NOPE")
    assert dash.status_is_error and "customer 'NOPE'" in dash.status
    dash.select_bucket("1-2")
    assert dash.status_is_error and "bucket '1-2'" in dash.status
    assert dash.drill_html == drill


@pytest.mark.parametrize(
    "control, value",
    [
        ("as_of", "2031-01-31"),
        ("as_of", "2026-10-15"),
        ("basis", "weekly"),
        ("customer", "NOPE"),
        ("bucket_filter", "<b>"),
        ("sort", 3),
    ],
)
def test_a_value_injected_into_a_dropdown_is_a_message(dash, control, value):
    widget = dash.controls[control]
    kpis, table, kept = dash.kpi_html, dash.table_frame.copy(), widget.value
    widget.value = value  # no exception
    assert widget.value == kept
    refused(dash, kpis, table, "not one of the choices")


def test_an_index_sent_by_the_frontend_out_of_range_is_a_message(dash):
    kpis, table = dash.kpi_html, dash.table_frame.copy()
    dash.controls["as_of"].set_state({"index": 999})  # a comm message from the browser
    assert dash.controls["as_of"].value == LAST
    refused(dash, kpis, table, "not one of the choices")


# -- chart clicks, as the browser reports them ---------------------------------------------------


def click(chart, **point) -> None:
    """Set ``_vl_selections`` the way altair's JavaScript does after a click: the Vega signal
    of the point selection and its ``pick_store`` dataset."""
    signal = {field: [value] for field, value in point.items()}
    signal["vlPoint"] = {"or": [point]}
    store = [
        {
            "unit": "",
            "fields": [{"field": f, "type": "E"} for f in point],
            "values": list(point.values()),
        }
    ]
    chart.set_state({"_vl_selections": {"pick": {"value": signal, "store": store}}})


def test_clicking_a_customer_segment_fills_the_drill_down(dash):
    dash.controls["tabs"].selected_index = 1
    chart = dash.chart_widgets["customers"]
    # the bars are aggregated: customer_id must be an encoded field to reach the selection
    assert chart.spec["encoding"]["detail"]["field"] == "customer_id"
    click(chart, customer_id="C0140", bucket="121+")
    assert chart.selections.pick.value == [{"customer_id": "C0140", "bucket": "121+"}]
    assert dash.controls["tabs"].selected_index == 2
    assert 'data-customer="C0140"' in dash.drill_html


def test_clicking_a_bucket_bar_fills_the_drill_down(dash):
    click(dash.chart_widgets["buckets"], bucket="91-120")
    assert dash.controls["tabs"].selected_index == 2
    assert 'data-bucket="91-120"' in dash.drill_html.split(">")[0]


def test_a_cleared_or_bad_selection_keeps_the_drill_down(dash):
    chart = dash.chart_widgets["buckets"]
    click(chart, bucket="31-60")
    drill = dash.drill_html
    chart.set_state({"_vl_selections": {"pick": {"value": None, "store": []}}})
    assert dash.drill_html == drill and not dash.status_is_error
    click(chart, bucket="<script>")
    assert dash.status_is_error and dash.drill_html == drill


def test_charts_are_updated_in_place(dash):
    dash.controls["tabs"].selected_index = 1
    charts = dash.chart_widgets
    dash.set_as_of(PREVIOUS)
    dash.controls["tabs"].selected_index = 1
    assert all(dash.chart_widgets[name] is chart for name, chart in charts.items())
    spec = charts["buckets"].spec
    dash.set_cost(11)  # the cost of capital changes no chart: none is redrawn
    assert charts["buckets"].spec is spec
    click(charts["customers"], customer_id="C0140", bucket="121+")  # still observed
    assert 'data-customer="C0140"' in dash.drill_html


# -- small ledgers: escaping, issues, loading ----------------------------------------------------

EVIL = "<script>alert(1)</script>"


@pytest.fixture(scope="module")
def evil(tmp_path_factory):
    folder = write_ledger(
        tmp_path_factory.mktemp("evil"),
        invoices="""
            I1,X1,2026-01-05,2026-02-04,100.00
            I2,X1,2026-02-10,2026-03-12,250.00
            I3,Y2,2026-02-15,2026-03-17,80.00
        """,
        payments="""
            P1,X1,2026-02-20,100.00,I1
            P2,Y2,2026-03-01,-5.00,I3
        """,
        customers=f"""
            X1,{EVIL}
            Y2,Plain Ltd
        """,
    )
    return Dashboard(arbook.read_ledger(folder))


def test_a_customer_name_with_markup_is_escaped(evil):
    evil.controls["tabs"].selected_index = 1
    evil.select_customer("X1")
    for html in (evil.customers_html, evil.drill_html, evil.controls["customer"].label):
        assert EVIL not in html or html == evil.controls["customer"].label
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in evil.customers_html
    assert "&lt;script&gt;" in evil.drill_html and "<script>" not in evil.drill_html


def test_issues_banner_and_table(evil):
    banner = evil._banner.value
    assert 'data-errors="1"' in banner
    toggle, issues = evil.controls["issues_toggle"], evil._issues
    assert issues.layout.display == "none"
    toggle.value = True
    assert issues.layout.display != "none" and toggle.description == "Hide issues"
    assert "nonpositive_payment" in issues.value and "payments.csv" in issues.value
    toggle.value = False
    assert issues.layout.display == "none"


def test_from_environment_reads_the_sample_by_default(monkeypatch):
    monkeypatch.delenv("ARBOOK_DATA", raising=False)
    monkeypatch.setenv("ARBOOK_AS_OF", PREVIOUS)
    monkeypatch.chdir(ROOT)
    dash = Dashboard.from_environment()
    assert isinstance(dash, Dashboard)
    assert dash.review.as_of == pd.Timestamp(PREVIOUS)
    assert "arbook-dashboard" in dash.widget._dom_classes


def test_from_environment_with_a_missing_folder_explains(tmp_path, monkeypatch):
    monkeypatch.delenv("ARBOOK_AS_OF", raising=False)
    missing = tmp_path / "nowhere"
    dash = Dashboard.from_environment(str(missing))
    assert isinstance(dash, LoadFailure)
    html = dash.widget.children[-1].value
    assert 'class="arbook arbook-error"' in html
    assert "nowhere" in html and "Traceback" not in html
    monkeypatch.setenv("ARBOOK_DATA", str(missing))
    assert "nowhere" in Dashboard.from_environment().status


def test_from_environment_with_a_bad_as_of_explains(monkeypatch):
    monkeypatch.chdir(ROOT)
    dash = Dashboard.from_environment(str(SAMPLE), "2026-10-15")
    assert isinstance(dash, LoadFailure) and "month end" in dash.status


# -- the notebook --------------------------------------------------------------------------------


def test_notebook_is_five_clean_cells():
    import nbformat

    nb = nbformat.read(ROOT / "arbook" / "notebooks" / "dashboard.ipynb", as_version=4)
    kinds = [c.cell_type for c in nb.cells]
    assert kinds == ["markdown", "code", "code", "code", "code"]
    assert nb.cells[2].metadata.get("tags") == ["parameters"]
    assert all(not c.get("outputs") for c in nb.cells if c.cell_type == "code")


def test_from_environment_reads_an_export_with_its_preset(monkeypatch, tmp_path):
    from conftest import IBM

    monkeypatch.setenv("ARBOOK_DATA", str(IBM))
    monkeypatch.setenv("ARBOOK_PRESET", "ibm")
    monkeypatch.delenv("ARBOOK_AS_OF", raising=False)
    dash = Dashboard.from_environment()
    assert isinstance(dash, Dashboard), getattr(dash, "status", "")
    assert dash.ledger.source == str(IBM) and len(dash.ledger.invoices) > 2000
    monkeypatch.delenv("ARBOOK_PRESET")
    detected = Dashboard.from_environment()  # without its preset: recognised by its headers
    assert isinstance(detected, Dashboard) and detected.ledger.preset == "ibm"
    unknown = tmp_path / "notes.csv"
    unknown.write_text("colour,size\nred,3\n")
    monkeypatch.setenv("ARBOOK_DATA", str(unknown))
    assert isinstance(Dashboard.from_environment(), LoadFailure)  # a layout arbook cannot tell


# -- an aging report is not a history (SPEC §3) ----------------------------------------------------

OPEN_INVOICES = """
    I1,A,2026-04-05,2026-05-05,100.00
    I2,A,2026-06-10,2026-07-10,250.00
    I3,B,2026-03-01,2026-03-31,80.00
"""
REPORT = "2026-06-30"
NOTE = "n/a (the data holds the items open on 2026-06-30, not payments and their dates)"


@pytest.fixture
def open_board(tmp_path):
    import dataclasses

    folder = write_ledger(tmp_path / "ledger", invoices=OPEN_INVOICES)
    ledger = dataclasses.replace(
        arbook.read_ledger(folder),
        open_items_only=True,
        report_date=pd.Timestamp(REPORT),
        lacks="payments and their dates",
    )
    return Dashboard(ledger)


def test_an_aging_report_shows_history_tiles_as_na_with_the_reason(open_board):
    dash = open_board
    assert not dash.status_is_error, dash.status
    assert dash.review.as_of == pd.Timestamp(REPORT)  # its date, not a month end of the data
    assert list(dash.controls["as_of"].options) == [REPORT]
    shown = tiles(dash.kpi_html)
    assert shown["total_cents"] == "430.00" and shown["overdue_cents"] == "180.00"
    for kpi in ("dso_countback", "best_possible_dso", "add", "cei"):
        assert shown[kpi] == "n/a"
        tile = re.search(rf'data-kpi="{kpi}".*?</div></div>', dash.kpi_html).group(0)
        assert 'data-why="n/a"' in tile and f"{NOTE}" in tile
    # the trend and every comparison: one note, n/a with its reason
    assert "The 12-month trend and every comparison with an earlier month: " + NOTE in (
        dash.kpi_html
    )
    dash.select_customer("A")
    assert f"Payment behaviour<br><b>{NOTE}</b>" in dash.drill_html
    assert f"Payment score<br><b>{NOTE}</b>" in dash.drill_html


def test_an_aging_report_refuses_another_date_and_takes_month_buckets(open_board):
    dash = open_board
    kpis = dash.kpi_html
    dash.set_as_of("2026-05-31")
    assert dash.status_is_error and "the one date this data is as of" in dash.status
    assert dash.kpi_html == kpis
    dash.set_edges("months")
    assert not dash.status_is_error, dash.status
    assert dash.controls["edges"].value == "months"
    assert dash.review.settings.labels[1:3] == ["< 1 month", "1 month"]
    columns = [c for c in dash.table_frame.columns if c.endswith("_cents")][:6]
    assert columns[1:] == [
        "< 1 month_cents",
        "1 month_cents",
        "2 months_cents",
        "3 months_cents",
        "older_cents",
    ]
