"""The dashboard and the monthly report in headless Chromium, offline.

One ``arbook dashboard data/sample`` server and one page serve the module (first paint is the
slow part); each test sets the controls it relies on. Expected numbers come from the CLI
(``arbook aging ... --format json``, exact cents) formatted with ``money_text`` (a tile names
the data's currency) or ``format_cents`` (a table's cell).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from browser import (
    CHARTS,
    MARKS,
    RECORD_MS,
    REDRAW_MS,
    ROOT,
    click_basis,
    dashboard_server,
    free_port,
    mark_count,
    notebook_server,
    offline_page,
    pressed_basis,
    reload,
    select_as_of,
    tile,
    wait_basis,
    wait_drawn,
    wait_tile_change,
)

from arbook.views.format import format_cents, money_text

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

SAMPLE = ROOT / "data" / "sample"
CURRENCY = "EUR"  # data/sample's (policy.toml)
AS_OF, EARLIER = "2026-10-31", "2026-09-30"
ARTIFACTS = ROOT / "tests" / "artifacts"
#: Console errors proven harmless, with the reason. None so far.
BENIGN_CONSOLE_ERRORS: tuple[str, ...] = ()

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)


def cli_aging(as_of: str, *, basis: str = "due", by: str = "customer") -> list[dict]:
    """``arbook aging data/sample --as-of AS_OF --format json`` as records (exact cents)."""
    out = subprocess.run(
        [
            sys.executable,
            "-m",
            "arbook.cli",
            "aging",
            str(SAMPLE),
            "--as-of",
            as_of,
            "--basis",
            basis,
            "--by",
            by,
            "--format",
            "json",
        ],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert out.returncode in (0, 1), out.stderr
    return json.loads(out.stdout)


def expected_tiles(rows: list[dict]) -> dict[str, str]:
    """From ``arbook aging --format json`` (due basis): total receivable = the customers'
    ``receivable_cents`` (SPEC §3: the buckets' sum); credits and unapplied cash their own tile;
    overdue = the buckets past current."""
    money = [c for c in rows[0] if c.endswith("_cents")]
    aged = money[1:-3]  # after current, before receivable, unapplied and the net total
    return {
        "total_cents": money_text(sum(r["receivable_cents"] for r in rows), CURRENCY),
        "unapplied_cents": money_text(sum(r["unapplied_cents"] for r in rows), CURRENCY),
        "overdue_cents": money_text(sum(r[c] for r in rows for c in aged), CURRENCY),
    }


@pytest.fixture(scope="module")
def session(browser):
    with dashboard_server(SAMPLE, timeout=60) as url:
        page, record = offline_page(browser)
        page.goto(url, wait_until="domcontentloaded", timeout=60_000)
        wait_drawn(page)
        yield page, record
        page.context.close()


def reset(page, *, as_of: str = AS_OF, basis: str = "due") -> None:
    """Put the controls back to ``as_of`` and ``basis`` (a no-op when they already are)."""
    page.get_by_role("tab", name="Overview").click()
    if page.locator(".arbook-asof select").input_value() != as_of:
        before = tile(page, "total_cents")
        select_as_of(page, as_of)
        wait_tile_change(page, "total_cents", before)
    if not pressed_basis(page).startswith(basis):
        click_basis(page, basis)
        wait_basis(page, basis)


def test_first_paint_matches_the_cli(session):
    page, _ = session
    reset(page)
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "dashboard.png"), full_page=True)
    (ROOT / "docs").mkdir(exist_ok=True)
    shutil.copyfile(ARTIFACTS / "dashboard.png", ROOT / "docs" / "dashboard.png")
    rows = cli_aging(AS_OF)
    want = expected_tiles(rows)
    assert {key: tile(page, key) for key in want} == want
    for chart in CHARTS:
        assert mark_count(page, chart) > 0, f"{chart} drew no marks"
    page.get_by_role("tab", name="Who owes what").click()
    table = page.locator(".arbook-customers table.arbook-table tbody tr")
    table.first.wait_for(timeout=20_000)
    for i, row in enumerate(rows[:5]):
        text = table.nth(i).inner_text()
        assert row["customer_id"] in text and format_cents(row["total_cents"]) in text, (
            f"customer row {i}: {text!r}; expected {row['customer_id']} owing "
            f"{format_cents(row['total_cents'])}"
        )
    page.get_by_role("tab", name="Overview").click()


def test_as_of_change_redraws_the_tiles(session):
    page, _ = session
    reset(page)
    before = tile(page, "total_cents")
    select_as_of(page, EARLIER)
    want = expected_tiles(cli_aging(EARLIER))
    assert wait_tile_change(page, "total_cents", before) == want["total_cents"]
    assert tile(page, "overdue_cents") == want["overdue_cents"]
    for chart in CHARTS:
        assert mark_count(page, chart) > 0, f"{chart} drew no marks after the change"


def test_invoice_basis_changes_the_aging_not_what_is_overdue(session):
    """Under the invoice basis the buckets count days since the invoice and say so; overdue
    and % not yet due still count from the due date, so the tiles agree with themselves."""
    page, _ = session
    reset(page)
    before = {key: tile(page, key) for key in ("total_cents", "overdue_cents", "pct_current")}
    click_basis(page, "invoice")
    wait_basis(page, "invoice")
    assert {key: tile(page, key) for key in before} == before
    assert mark_count(page, ".arbook-chart-buckets") > 0
    # the customer table's buckets are those of `arbook aging --basis invoice`
    oldest = format_cents(sum(r["121+_cents"] for r in cli_aging(AS_OF, basis="invoice")))
    assert oldest != format_cents(sum(r["121+_cents"] for r in cli_aging(AS_OF)))
    page.get_by_role("tab", name="Who owes what").click()
    page.wait_for_function(  # the tab is redrawn when shown
        "([sel, want]) => { const e = document.querySelector(sel);"
        " return e && e.innerText.includes(want); }",
        arg=[".arbook-customers table.arbook-table tr.total", oldest],
        timeout=REDRAW_MS,
    )
    page.get_by_role("tab", name="Overview").click()


def test_clicking_a_bucket_bar_drills_down(session):
    page, _ = session
    reset(page)
    bucket = "31-60"
    bar = page.locator(
        f".arbook-chart-buckets svg g[class*='mark-rect'] path[aria-label*='{bucket}']"
    ).first
    # Playwright re-finds the bar (a redraw may have replaced it), scrolls it on screen (the
    # chart is below the fold) and clicks its centre, as a person would
    bar.click(timeout=20_000)
    drill = page.locator(".arbook-drill [data-bucket], .arbook-drill [data-customer]").first
    drill.wait_for(state="attached", timeout=20_000)
    assert drill.get_attribute("data-bucket") == bucket
    items = {r["document_id"] for r in cli_aging(AS_OF, by="item") if r["bucket"] == bucket}
    page.get_by_role("tab", name="Drill-down").click()
    rows = page.locator(".arbook-drill table.arbook-table tbody tr")
    shown = [t for t in rows.all_inner_texts() if not t.strip().startswith("Total")]
    assert shown, "the drill-down shows no items"
    for text in shown:
        assert any(doc in text for doc in items), f"{text!r} is not an open item in {bucket}"
    page.get_by_role("tab", name="Overview").click()


def test_credit_tab_draws_the_scores_and_lists_the_holds(session):
    from arbook import read_ledger
    from arbook.credit import credit_holds

    page, _ = session
    reset(page)
    page.get_by_role("tab", name="Credit").click()
    page.wait_for_selector(
        f".arbook-chart-scores :is({MARKS})", state="attached", timeout=REDRAW_MS
    )
    assert mark_count(page, ".arbook-chart-scores") > 0, "the score chart drew no marks"
    rows = page.locator(".arbook-credit .arbook-holds table.arbook-table tbody tr")
    rows.first.wait_for(timeout=REDRAW_MS)
    holds = credit_holds(read_ledger(SAMPLE), AS_OF)
    first = holds.iloc[0]  # the largest exposure on hold
    text = rows.first.inner_text()
    assert first["customer_id"] in text and format_cents(int(first["exposure_cents"])) in text
    shown = " ".join(rows.all_inner_texts())
    assert all(c in shown for c in holds["customer_id"])
    assert page.locator(".arbook-credit .arbook-not-vetted table.arbook-table").count() == 1
    page.get_by_role("tab", name="Overview").click()


def test_the_page_needed_no_network_and_logged_no_errors(session):
    _, record = session
    assert record.blocked == [], "requests off this machine"
    errors = [
        e for e in record.unexpected_errors() if not any(b in e for b in BENIGN_CONSOLE_ERRORS)
    ]
    assert errors == [], f"console errors; failed requests: {record.failed}"


def test_walkthrough_in_voila_needs_no_network(browser):
    """README's ``python -m arbook.views.server notebooks/walkthrough.ipynb``: the story and
    its charts are drawn, the button's Font Awesome icon comes from Voilà's own bundle, and the
    page asked for nothing off this machine (plain ``voila`` asks a CDN for Font Awesome)."""
    with notebook_server(ROOT / "notebooks" / "walkthrough.ipynb", timeout=60) as url:
        page, record = offline_page(browser)
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            button = page.get_by_role("button", name="Use this data")
            button.wait_for(timeout=60_000)
            charts = page.locator(".jp-RenderedSVG img")  # the story's charts, as SVG images
            charts.first.wait_for(timeout=REDRAW_MS)
            drawn = charts.evaluate_all("imgs => imgs.map(i => i.complete && i.naturalWidth > 0)")
            icon_font = button.locator("i").evaluate(
                "i => getComputedStyle(i, '::before').fontFamily"
            )
        finally:
            page.context.close()
    assert record.blocked == [], "requests off this machine"
    assert drawn and all(drawn), f"charts not drawn: {drawn}"
    assert "Font Awesome" in icon_font
    assert record.unexpected_errors() == [], f"console errors; failed: {record.failed}"


def test_report_html_offline(browser, sample_report):
    """The monthly review's HTML opened from disk with every non-file request blocked draws
    every chart as inline SVG with marks."""
    path = sample_report["html"].resolve()
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    blocked = []

    def only_files(route):
        url = route.request.url
        if url.startswith(("file:", "data:", "blob:")):
            route.continue_()
        else:
            blocked.append(url)
            route.abort()

    context.route("**/*", only_files)
    page = context.new_page()
    errors = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.goto(path.as_uri(), wait_until="load", timeout=30_000)
    charts = page.locator("svg.marks").evaluate_all(  # vega's root <svg class="marks">
        "svgs => svgs.map(s =>"
        " s.querySelectorAll(\"g[class*='mark-'] path, g[class*='mark-'] rect,"
        " g[class*='mark-'] line, g[class*='mark-'] text\").length)"
    )
    broken_images = page.locator("img").evaluate_all(
        "imgs => imgs.filter(i => !i.complete || i.naturalWidth === 0).map(i => i.src)"
    )
    context.close()
    assert charts, "the report has no charts"
    assert all(n > 0 for n in charts), f"charts without marks: {charts}"
    assert broken_images == [] and blocked == [] and errors == []


def _open_call_screen(page, customer_id: str) -> None:
    """Open the Collections tab and the call screen of ``customer_id``: its worklist row's
    button when the row is on the page shown, else the picker."""
    page.get_by_role("tab", name="Collections").click()
    page.wait_for_selector(".arbook-collections .arbook-worklist-row", timeout=REDRAW_MS)
    button = page.locator(
        f".arbook-worklist-row:has([data-customer='{customer_id}']) .arbook-worklist-call"
    )
    if button.count():
        button.click()
    else:
        option = page.locator(".arbook-call-pick select option", has_text=customer_id).first
        page.locator(".arbook-call-pick select").select_option(label=option.inner_text().strip())
    page.wait_for_selector(
        f".arbook-call .arbook-call-head[data-customer='{customer_id}']", timeout=REDRAW_MS
    )


#: Codes a person must never read on the Collections tab (SPEC §7's labels).
CODES = ("second_call", "first_call", "pre_due", "final_notice", "no_answer", "left_message",
         "cheque_in_post", "promise_cents", "NaT", "-1 day")  # fmt: skip


def test_clicking_a_worklist_row_opens_its_call_screen_at_the_top(browser, tmp_path):
    """Page 2 of the worklist, its last row (below the fold): pressing its button opens that
    customer's call screen at the top of the tab, in view, the list folded away; "Back to the
    worklist" comes back to page 2. C0079 speaks Russian: its script is in Russian. No code and
    no NaT on the screen."""
    data = tmp_path / "sample"
    shutil.copytree(SAMPLE, data)
    with dashboard_server(data, timeout=60, extra=("--log", str(tmp_path / "log.db"))) as url:
        page, record = offline_page(browser, height=600)  # a laptop's screen
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            wait_drawn(page)
            page.get_by_role("tab", name="Collections").click()
            rows = page.locator(".arbook-collections .arbook-worklist-row")
            rows.first.wait_for(timeout=REDRAW_MS)
            listed = page.locator(".arbook-worklist").inner_text()
            assert not any(code in listed for code in CODES), listed
            page.locator(".arbook-worklist-next").click()
            page.locator(".arbook-worklist-where", has_text="page 2 of").wait_for(timeout=REDRAW_MS)
            page.get_by_role("tab", name="Collections").scroll_into_view_if_needed()
            last = rows.filter(has=page.locator("table[data-customer]")).last
            customer = last.locator("table[data-customer]").get_attribute("data-customer")
            assert last.bounding_box()["y"] > page.viewport_size["height"]  # below the fold
            last.locator(".arbook-worklist-call").click()  # Playwright scrolls to it first
            head = page.locator(f".arbook-call .arbook-call-head[data-customer='{customer}']")
            head.wait_for(timeout=REDRAW_MS)
            assert page.locator(".arbook-worklist").is_hidden()  # folded while the call is open
            back = page.locator(".arbook-call-back")
            page.wait_for_function(  # focusing the back button scrolls the call screen's top in
                "el => { const r = el.getBoundingClientRect();"
                " return r.top > -2 && r.bottom <= window.innerHeight; }",
                arg=back.element_handle(),
                timeout=REDRAW_MS,
            )
            shown = page.locator(".arbook-call").inner_text()
            assert not any(code in shown for code in CODES), shown
            back.click()
            page.locator(".arbook-worklist-where", has_text="page 2 of").wait_for(timeout=REDRAW_MS)
            assert page.locator(".arbook-call").is_hidden()
            page.locator(".arbook-worklist-prev").click()
            page.locator(".arbook-worklist-where", has_text="page 1 of").wait_for(timeout=REDRAW_MS)
            _open_call_screen(page, "C0079")
            script = page.locator(".arbook-call .arbook-script")
            assert script.get_attribute("lang") == "ru"
            assert re.search("[а-яА-Я]", script.inner_text())
        finally:
            page.context.close()
    assert record.blocked == [], "requests off this machine"
    assert record.unexpected_errors() == [], f"console errors; failed: {record.failed}"


def test_collections_logs_a_contact_that_survives_a_reload(browser, tmp_path):
    """Pick C0140 on the Collections tab, log a promise, reload: the contact is in the history
    (the log is a SQLite file given with --log; the data is a copy of the sample)."""
    data, contact_log = tmp_path / "sample", tmp_path / "contacts.db"
    shutil.copytree(SAMPLE, data)
    with dashboard_server(data, timeout=60, extra=("--log", str(contact_log))) as url:
        page, record = offline_page(browser)
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            wait_drawn(page)
            _open_call_screen(page, "C0140")
            assert page.locator(".arbook-call .arbook-script").inner_text().strip()
            form = page.locator(".arbook-log-form")
            form.locator(".arbook-channel select").select_option("phone")
            form.locator(".arbook-outcome select").select_option("promise to pay")
            page.locator(".arbook-collections .arbook-who input").fill("Browser Tester")
            form.locator(".arbook-promise-amount input").fill("1,234.56")
            form.locator(".arbook-promise-date input").fill("2026-11-15")
            form.locator(".arbook-note-field textarea").fill("promised by phone <b>today</b>")
            page.locator(".arbook-log-button").click()
            history = page.locator(".arbook-call .arbook-history")
            history.locator("td", has_text="Browser Tester").wait_for(timeout=RECORD_MS)
            assert "1,234.56" in history.inner_text()
            reload(page, record)
            wait_drawn(page)
            _open_call_screen(page, "C0140")
            history = page.locator(".arbook-call .arbook-history")
            history.locator("td", has_text="Browser Tester").wait_for(timeout=REDRAW_MS)
            text = history.inner_text()
            assert "1,234.56" in text and "2026-11-15" in text and "promise to pay" in text
            assert "promised by phone <b>today</b>" in text  # shown as text, not markup
        finally:
            page.context.close()
    assert contact_log.exists()
    assert record.blocked == [], "requests off this machine"
    errors = [
        e for e in record.unexpected_errors() if not any(b in e for b in BENIGN_CONSOLE_ERRORS)
    ]
    assert errors == [], f"console errors; failed requests: {record.failed}"


class _Inbox:
    """What the local mail server (aiosmtpd, in a thread of this process) received."""

    def __init__(self):
        self.envelopes = []

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted"


def _select_containing(select, text: str) -> None:
    """Choose the option of ``select`` whose text holds ``text`` (ipywidgets writes its labels
    with no-break spaces)."""
    texts = select.locator("option").all_inner_texts()
    select.select_option(index=next(i for i, t in enumerate(texts) if text in t))


def test_the_collection_loop_in_the_dashboard(browser, tmp_path):
    """Issue 13's test: click a worklist row, log a contact with a payment plan, approve and
    send a reminder the daily run queued (to a local SMTP server), reload and see all of it:
    the contact and the plan on the call screen, the reminder e-mailed in its customer's
    history and in the documents given today, the queue empty."""
    from aiosmtpd.controller import Controller

    from arbook import read_ledger
    from arbook.collections.contacts import ContactLog
    from arbook.collections.documents import deliver_due
    from arbook.collections.worklist import worklist

    data, log_file, policy = tmp_path / "sample", tmp_path / "log.db", tmp_path / "policy.toml"
    shutil.copytree(SAMPLE, data)
    inbox, port = _Inbox(), free_port()
    policy.write_text(
        'currency = "EUR"\n[company]\nname = "Acme Supplies S.L."\nemail = "ar@acme.example"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
        encoding="utf-8",
    )
    ledger = read_ledger(data, policy=policy)
    with ContactLog(path=log_file) as log:  # the daily run queues today's reminders
        due = worklist(ledger, AS_OF, log=log)
        due = due[due["step_due"] & (due["step"] == "reminder")].head(1)  # with a statement
        made = deliver_due(ledger, AS_OF, due, log=log, who="daily")
        assert list(made["status"]) == ["queued"], made.to_dict("records")
        (queued,) = made["file"]
    reminded = queued.split("/")[0]
    server = Controller(inbox, hostname="127.0.0.1", port=port)
    server.start()
    extra = ("--log", str(log_file), "--policy", str(policy))
    try:
        with dashboard_server(data, timeout=60, extra=extra) as url:
            page, record = offline_page(browser)
            try:
                page.goto(url, wait_until="domcontentloaded", timeout=60_000)
                wait_drawn(page)
                _open_call_screen(page, "C0140")  # its worklist row's button
                page.locator(".arbook-collections .arbook-who input").fill("Browser Tester")
                form = page.locator(".arbook-log-form")
                form.locator(".arbook-outcome select").select_option("reached")
                form.locator(".arbook-note-field textarea").fill("agreed two instalments")
                page.locator(".arbook-log-button").click()
                history = page.locator(".arbook-call .arbook-history")
                history.locator("td", has_text="agreed two instalments").wait_for(timeout=RECORD_MS)
                plan = page.locator(".arbook-call .arbook-plan")
                _select_containing(plan.locator(".arbook-plan-items select"), "INV-005358")
                plan.locator(".arbook-plan-instalments textarea").fill(
                    "2026-11-15 5,000.00\n2026-12-15 6,770.91"
                )
                plan.locator(".arbook-plan-agree").click()
                plan.locator(".arbook-plans-list", has_text="on track").wait_for(timeout=RECORD_MS)
                page.locator(".arbook-call-back").click()
                page.get_by_role("button", name="Documents to approve (1)").click()
                row = page.locator(f".arbook-send-row:has([data-document='{queued}'])")
                row.locator(".arbook-send-tick input").check()
                row.locator(".arbook-send-preview").click()
                page.locator(".arbook-send-frame iframe").wait_for(timeout=REDRAW_MS)
                page.locator(".arbook-send-email").click()
                page.locator(".arbook-send-results", has_text="e-mailed to").wait_for(
                    timeout=RECORD_MS
                )
                assert len(inbox.envelopes) == 1
                reload(page, record)
                wait_drawn(page)
                _open_call_screen(page, "C0140")  # now from the picker: it was contacted
                call = page.locator(".arbook-call")
                call.locator(".arbook-history td", has_text="agreed two instalments").wait_for(
                    timeout=REDRAW_MS
                )
                plans = call.locator(".arbook-plans-list").inner_text()
                assert "on track" in plans and "2026-12-15" in plans and "6,770.91" in plans
                page.locator(".arbook-call-back").click()
                _open_call_screen(page, reminded)
                history = page.locator(".arbook-call .arbook-history")
                history.locator("td", has_text="document e-mailed").wait_for(timeout=REDRAW_MS)
                assert "reminder" in history.inner_text()  # the ladder step acted on
                page.locator(".arbook-call-back").click()
                page.get_by_role("button", name="Documents to approve (0)").click()
                assert queued in page.locator(".arbook-send-done").inner_text()
            finally:
                page.context.close()
    finally:
        server.stop()
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "ar@acme.example"
    assert record.blocked == [], "requests off this machine"
    assert record.unexpected_errors() == [], f"console errors; failed: {record.failed}"
