"""The dashboard's Cash forecast tab in headless Chromium, offline (issue 15).

``arbook dashboard data/sample`` is served as a user runs it; the tab is opened, its 13 bars are
drawn, a click on a bar lists the items behind that week under a title whose amount is
``arbook.cash_forecast``'s for that week, the button lists those expected after the horizon,
and the backtest's table is there. The page asks nothing off this machine and logs no error.
The screenshot is docs/dashboard-forecast.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import MARKS, REDRAW_MS, ROOT, dashboard_server, offline_page, wait_drawn

import arbook
from arbook.views.dashboard.forecast_tab import PAGE_ROWS
from arbook.views.format import money_text

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

SAMPLE = ROOT / "data" / "sample"
CURRENCY = "EUR"  # data/sample's (policy.toml)
AS_OF = "2026-10-31"
ARTIFACTS = ROOT / "tests" / "artifacts"
TAB = ".arbook-forecast"
BARS = f"{TAB} .arbook-chart-forecast svg g[class*='mark-rect'] path"
#: The backtest runs when the tab is first shown (1-3 s on the sample): allow a busy machine.
BACKTEST_MS = 60_000

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def weeks():
    return arbook.cash_forecast(arbook.read_ledger(SAMPLE), AS_OF)


@pytest.fixture(scope="module")
def session(browser):
    with dashboard_server(SAMPLE, as_of=AS_OF, timeout=60) as url:
        page, record = offline_page(browser)
        page.goto(url, wait_until="domcontentloaded", timeout=60_000)
        wait_drawn(page)
        page.get_by_role("tab", name="Cash forecast").click()
        yield page, record
        page.context.close()


def listed(page, week: int):
    """The title of week ``week``'s items, once it is shown."""
    title = page.locator(f"{TAB} .arbook-forecast-items-title[data-week='{week}']")
    title.wait_for(timeout=REDRAW_MS)
    return title


def test_the_tab_draws_the_sentence_and_thirteen_bars(session, weeks):
    page, _ = session
    page.wait_for_selector(f"{TAB} .arbook-chart-forecast :is({MARKS})", timeout=REDRAW_MS)
    assert page.locator(BARS).count() == len(weeks) - 1 == 13
    sentence = page.locator(f"{TAB} .arbook-forecast-sentence").inner_text()
    total = money_text(int(weeks["expected_cents"].sum()), CURRENCY)
    assert sentence.startswith(f"Of {total} open"), sentence
    broken = page.locator(f"{TAB} .vega-embed .error")
    assert broken.count() == 0


def test_clicking_a_bar_lists_the_items_of_its_week(session, weeks):
    page, _ = session
    day = weeks["week_start"].iloc[1].strftime("%Y-%m-%d")
    bar = page.locator(f"{BARS}[aria-label*='{day}']").first
    box = bar.bounding_box()
    # low on the bar, left of its middle: clear of the interval's rule drawn over its centre
    bar.click(position={"x": box["width"] * 0.3, "y": box["height"] * 0.8}, timeout=REDRAW_MS)
    title = listed(page, 2)
    cents = int(weeks["expected_cents"].iloc[1])
    assert int(title.get_attribute("data-expected-cents")) == cents
    count = int(title.get_attribute("data-items"))
    assert title.inner_text().strip() == (
        f"Expected in the week from {day}: {money_text(cents, CURRENCY)} from {count:,} items"
    )
    rows = page.locator(f"{TAB} .arbook-forecast-items table.arbook-table tbody tr")
    assert rows.count() == min(count, PAGE_ROWS)
    heads = page.locator(f"{TAB} .arbook-forecast-items table.arbook-table th").all_inner_texts()
    assert heads[:3] == ["customer", "name", "document"] and "expected this week" in heads
    where = page.locator(f"{TAB} .arbook-forecast-where").inner_text()
    assert where.startswith(f"items 1–{PAGE_ROWS} of {count:,}")
    page.locator(f"{TAB} .arbook-forecast-next").click()
    page.wait_for_function(
        "sel => (document.querySelector(sel)?.innerText || '').includes('page 2')",
        arg=f"{TAB} .arbook-forecast-where",
        timeout=REDRAW_MS,
    )
    page.locator(f"{TAB} .arbook-forecast-prev").click()
    page.wait_for_function(
        "sel => (document.querySelector(sel)?.innerText || '').includes('page 1')",
        arg=f"{TAB} .arbook-forecast-where",
        timeout=REDRAW_MS,
    )
    ARTIFACTS.mkdir(exist_ok=True)
    shot = ARTIFACTS / "dashboard-forecast.png"
    size = page.viewport_size
    # the whole dashboard down to the backtest's table: a viewport as tall as that
    page.locator(f"{TAB} .arbook-forecast-accuracy table").wait_for(timeout=BACKTEST_MS)
    tall = page.locator(".arbook-dashboard").evaluate(
        "board => document.querySelector('.arbook-forecast-backtest').getBoundingClientRect()"
        ".bottom - board.getBoundingClientRect().top + 40"
    )
    page.set_viewport_size({"width": size["width"], "height": min(int(tall), 4000)})
    try:
        page.locator(".arbook-dashboard").evaluate("board => board.scrollIntoView()")
        page.wait_for_timeout(300)
        page.screenshot(path=str(shot))
    finally:
        page.set_viewport_size(size)
    shutil.copyfile(shot, ROOT / "docs" / shot.name)


def test_the_button_lists_what_is_expected_after_the_horizon(session, weeks):
    page, _ = session
    page.locator(f"{TAB} .arbook-forecast-later").click()
    title = listed(page, len(weeks))
    cents = int(weeks["expected_cents"].iloc[-1])
    assert int(title.get_attribute("data-expected-cents")) == cents
    assert money_text(cents, CURRENCY) in title.inner_text()


def test_the_backtest_table_is_there(session):
    page, _ = session
    table = page.locator(f"{TAB} .arbook-forecast-accuracy table.arbook-table")
    table.wait_for(timeout=BACKTEST_MS)
    rows = table.locator("tbody tr").all_inner_texts()
    assert len(rows) == 5 and rows[0].startswith("arbook")  # the model, then four baselines
    said = page.locator(f"{TAB} .arbook-forecast-accuracy p").inner_text()
    assert said.startswith("Backtested at 9 month ends from 2025-11-30 to 2026-07-31")
    assert page.locator(f"{TAB} .arbook-forecast-progress").is_hidden()


def test_the_page_needed_no_network_and_logged_no_errors(session):
    _, record = session
    assert record.blocked == [], "requests off this machine"
    assert record.unexpected_errors() == [], f"console errors; failed requests: {record.failed}"
