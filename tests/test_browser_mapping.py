"""The "Load your data" mapping screen in headless Chromium, offline (issue 12).

A client's folder holds nothing arbook can read yet. The dashboard opens on the screen; a
bookkeeper's own sheet (Spanish headers, ``;``, decimal comma) is uploaded, the suggested mapping
and its totals are shown, one column is remapped and the totals follow, Save writes
``mapping.toml`` and the dashboard appears in place on the mapped data; a reload of the page reads
the folder through the mapping. The screen's screenshot is docs/mapping-screen.png.

The dashboard notebook is served as ``arbook dashboard`` serves it, its folder in
``$ARBOOK_DATA`` (``arbook dashboard`` itself checks that the folder reads before serving).
"""

from __future__ import annotations

import shutil
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import (
    FIRST_PAINT_MS,
    REDRAW_MS,
    ROOT,
    dashboard_server,
    offline_page,
    reload,
    tile,
    wait_drawn,
)

import arbook
from arbook.core import mapping as mappings
from arbook.core.ledger import default_as_of
from arbook.views.format import format_cents

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

ARTIFACTS = ROOT / "tests" / "artifacts"
RECEIVABLE = ".arbook-load-totals [data-figure='receivable'] b"

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)

# A bookkeeper's sheet no preset knows. By hand: Pendiente (what is owed) sums to
# 1,210.00 + 200.50 + 2,000.00 + 0.00 + 800.00 = 4,210.50; Importe (the face values) to
# 1,210.00 + 500.50 + 2,000.00 + 350.00 + 800.00 = 4,860.50.
LIBRO = """Factura;Cliente;Fecha;Vencimiento;Importe;Pendiente
F-001;Ferretería Sol;15/03/2026;14/04/2026;1.210,00;1.210,00
F-002;Ferretería Sol;02/05/2026;01/06/2026;500,50;200,50
F-003;Hostal Mar;10/06/2026;10/07/2026;2.000,00;2.000,00
F-004;Taller Ruiz;01/02/2026;03/03/2026;350,00;0,00
F-005;Hostal Mar;20/04/2026;20/05/2026;800,00;800,00
"""


def wait_holding(page, selector: str, part: str, *, timeout: int = REDRAW_MS) -> None:
    """Wait until the element ``selector`` shows ``part`` somewhere in its text (one change of
    a column may redraw the screen twice: its totals, then what the change set off)."""
    page.wait_for_function(
        "([sel, part]) => { const e = document.querySelector(sel);"
        " return e && e.innerText.includes(part); }",
        arg=[selector, part],
        timeout=timeout,
    )


def wait_text(page, selector: str, want: str, *, timeout: int = REDRAW_MS) -> None:
    """Wait until the element ``selector`` shows exactly ``want``."""
    page.wait_for_function(
        "([sel, want]) => { const e = document.querySelector(sel);"
        " return e && e.innerText.trim() === want; }",
        arg=[selector, want],
        timeout=timeout,
    )


@contextmanager
def load_screen(browser, books: Path, monkeypatch):
    """``arbook dashboard books/``, as a new user runs it on a folder arbook cannot read yet:
    the page open on "Load your data" and its record; after the block, the page made no request
    off this machine and logged no unexpected console error."""
    for name in ("ARBOOK_AS_OF", "ARBOOK_PRESET", "ARBOOK_POLICY"):
        monkeypatch.delenv(name, raising=False)
    with dashboard_server(books, timeout=60) as url:
        page, record = offline_page(browser)
        try:
            page.goto(url, wait_until="domcontentloaded", timeout=60_000)
            page.locator(".arbook-load-data").wait_for(timeout=FIRST_PAINT_MS)
            yield page, record
        finally:
            page.context.close()
    assert record.blocked == [], "requests off this machine"
    assert record.unexpected_errors() == [], f"console errors; failed: {record.failed}"


def test_upload_map_change_save_reload(browser, tmp_path, monkeypatch):
    books, upload = tmp_path / "books", tmp_path / "upload" / "libro_clientes.csv"
    books.mkdir()
    upload.parent.mkdir()
    upload.write_text(LIBRO, encoding="utf-8")
    with load_screen(browser, books, monkeypatch) as (page, record):
        screen = page.locator(".arbook-load-data")
        with page.expect_file_chooser() as chooser:  # as a person picks the file
            page.locator(".arbook-load-upload").click()
        chooser.value.set_files(str(upload))
        # the suggestion: the open balance is what is owed, the face value beside it
        wait_text(page, RECEIVABLE, "4,210.50")
        assert page.locator(".arbook-map-amount select").evaluate(
            "s => s.options[s.selectedIndex].text"
        ) == ("Pendiente")
        assert "header on line 1" in page.locator(".arbook-load-rows").inner_text()
        assert "F-003" in page.locator(".arbook-load-rows").inner_text()
        assert "Pendiente" in screen.inner_text()  # the candidate's reason beside it
        page.set_viewport_size({"width": 1280, "height": 2000})  # Voilà paints what is in view
        ARTIFACTS.mkdir(exist_ok=True)
        screen.screenshot(path=str(ARTIFACTS / "mapping-screen.png"))
        (ROOT / "docs").mkdir(exist_ok=True)
        shutil.copyfile(ARTIFACTS / "mapping-screen.png", ROOT / "docs" / "mapping-screen.png")
        # change one column: the face value as amount; the totals follow, the trap is named
        page.locator(".arbook-map-amount select").select_option(label="Importe")
        wait_text(page, RECEIVABLE, "4,860.50")
        wait_holding(page, ".arbook-load-problems", "face value")
        assert "face value" in page.locator(".arbook-load-problems").inner_text()
        assert page.locator(RECEIVABLE).inner_text().strip() == "4,860.50"  # totals stayed
        assert not (books / "mapping.toml").exists()  # nothing saved before Save
        page.locator(".arbook-load-save").click()
        wait_drawn(page)  # the dashboard, in place, on the mapped data
        assert tile(page, "total_cents") == "4,860.50"
        saved = mappings.read(books / "mapping.toml")
        assert saved.columns["amount"] == "Importe" and saved.file == "libro_clientes.csv"
        assert (books / "libro_clientes.csv").read_text(encoding="utf-8") == LIBRO
        reload(page, record)
        wait_drawn(page)
        ledger = arbook.read_ledger(books)  # what every command now reads
        summary = arbook.aging_summary(ledger, default_as_of(ledger))
        want = format_cents(int(summary["receivable_cents"].sum()))
        assert want == "4,860.50" and tile(page, "total_cents") == want
        assert page.get_by_role("tab", name="Load your data").count() == 1


def test_rates_typed_in_the_screen_convert_at_once_and_are_saved(browser, tmp_path, monkeypatch):
    # F-001 in USD, the rest in EUR (the book's: most invoices carry it). Without a rate F-001 is
    # left out: 200.50 + 2,000.00 + 800.00 = 3,000.50; at 0.92 it is 1,113.20 EUR: 4,113.70.
    lines = LIBRO.splitlines()
    sheet = [lines[0] + ";Moneda"] + [
        f"{line};{'USD' if line.startswith('F-001') else 'EUR'}" for line in lines[1:]
    ]
    books = tmp_path / "books"
    books.mkdir()
    (books / "libro.csv").write_text("\n".join(sheet) + "\n", encoding="utf-8")
    with load_screen(browser, books, monkeypatch) as (page, _record):
        page.locator(".arbook-load-file select").select_option("libro.csv")
        wait_holding(page, RECEIVABLE, "3,000.50")
        wait_holding(page, ".arbook-load-problems", "'USD'")
        box = page.locator(".arbook-load-rates textarea")
        box.fill("USD, 0.92")
        box.blur()  # the box sends what is typed when it is left
        wait_holding(page, RECEIVABLE, "4,113.70")
        assert "'USD'" not in page.locator(".arbook-load-problems").inner_text()
        assert not (books / "rates.csv").exists()  # nothing saved before Save
        page.locator(".arbook-load-save").click()
        wait_drawn(page)
        assert "4,113.70" in tile(page, "total_cents")
        assert (books / "rates.csv").read_text() == "currency,rate,date\nUSD, 0.92\n"
        assert arbook.read_ledger(books).errors.empty
