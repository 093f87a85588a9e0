"""The dashboard in Russian and Spanish, in headless Chromium, offline (issue 14).

``arbook dashboard data/sample --lang ru`` (and ``es``) is served as a user runs it; every tab is
opened in turn, and on the Collections tab the call screen of a customer who speaks the same
language (its script and prepared answers are said in the customer's language). On each, the
text a person reads (the page's visible text and the charts' SVG text) has no English word of
the catalogue left (:func:`i18n_check.english_left`; the sample's customer names and ids are
data, not English). The Overview's screenshots are docs/dashboard-ru.png and docs/dashboard-es.png.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from browser import REDRAW_MS, ROOT, dashboard_server, offline_page, wait_drawn
from i18n_check import english_left

import arbook
from arbook.collections.worklist import worklist
from arbook.views.dashboard.app import COLLECTIONS

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"
ARTIFACTS = ROOT / "tests" / "artifacts"
#: The text a person reads on the page: the visible text and what the charts draw in SVG.
READ = """() => [document.body.innerText,
    ...Array.from(document.querySelectorAll('svg text'), t => t.textContent)].join('\\n')"""

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)


@pytest.fixture(scope="module")
def sample():
    ledger = arbook.read_ledger(SAMPLE)
    names = [*ledger.customers["customer_id"], *ledger.customers["name"]]
    names += [*ledger.customers["contact"].dropna(), *ledger.invoices["invoice_id"]]
    return ledger, names


def first_on_the_worklist(ledger, lang: str) -> str:
    """The worklist's first customer who speaks ``lang``."""
    speaks = ledger.customers.set_index("customer_id")["language"]
    ids = worklist(ledger, AS_OF)["customer_id"]
    return next(c for c in ids if speaks.get(c) == lang)


def open_tab(page, index: int) -> None:
    page.get_by_role("tab").nth(index).click()
    page.wait_for_timeout(500)  # the tab's content is drawn on first view
    page.wait_for_load_state("networkidle", timeout=REDRAW_MS)


@pytest.mark.parametrize("lang", ["ru", "es"])
def test_no_english_on_any_tab(browser, sample, lang):
    ledger, names = sample
    customer = first_on_the_worklist(ledger, lang)
    with dashboard_server(SAMPLE, as_of=AS_OF, timeout=60, extra=("--lang", lang)) as url:
        page, record = offline_page(browser)
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            wait_drawn(page)
            ARTIFACTS.mkdir(exist_ok=True)
            shot = ARTIFACTS / f"dashboard-{lang}.png"
            page.screenshot(path=str(shot), full_page=True)
            shutil.copyfile(shot, ROOT / "docs" / shot.name)
            tabs = page.get_by_role("tab")
            left = {}
            for index in range(tabs.count()):
                open_tab(page, index)
                title = tabs.nth(index).inner_text().strip()
                left[title] = english_left(page.evaluate(READ), lang, data=names)
            open_tab(page, COLLECTIONS)
            collections = page.locator(".arbook-collections")
            row = collections.locator(
                f".arbook-worklist-row:has([data-customer='{customer}']) .arbook-worklist-call"
            )
            if row.count():
                row.click()
            else:
                pick = page.locator(".arbook-call-pick select")
                option = pick.locator("option", has_text=customer).first
                pick.select_option(label=option.inner_text().strip())
            page.wait_for_selector(
                f".arbook-call .arbook-call-head[data-customer='{customer}']", timeout=REDRAW_MS
            )
            left["call screen"] = english_left(page.evaluate(READ), lang, data=names)
        finally:
            page.context.close()
    assert {tab: words for tab, words in left.items() if words} == {}
    assert len(left) >= 6  # Overview, Who owes what, Drill-down, Credit, Collections, Load data
    assert record.blocked == [], "requests off this machine"
