"""The "Load your data" screen (:mod:`arbook.views.dashboard.load_data` and its ``_parts``),
headless: pick or upload a file, the suggested mapping in the dropdowns, a change rereads the
totals and the problems, the save writes mapping.toml and the dashboard is rebuilt on the mapped
data; a file a preset reads is offered its preset; arbook's own files and folders are never
mapped over."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest
from conftest import ROOT

import arbook
from arbook.core import mapping as mappings
from arbook.views.dashboard.app import TABS, Dashboard
from arbook.views.dashboard.load_data import LoadData, with_loader
from arbook.views.dashboard.load_data_parts import data_files
from arbook.views.dashboard.parts import LoadFailure

EXAMPLES = Path("/work/shared/import-examples")

# A bookkeeper's own sheet, Spanish headers, `;` and decimal comma, day-first dates. By hand, as
# of 2026-06-30: Pendiente (what is owed) = 1,210.00 + 200.50 + 2,000.00 + 0 + 800.00 = 4,210.50
# in 4 open items (F-004 is paid); Importe (face value) = 4,860.50 in 5.
LIBRO = """Factura;Cliente;Fecha;Vencimiento;Importe;Pendiente
F-001;Ferretería Sol;15/03/2026;14/04/2026;1.210,00;1.210,00
F-002;Ferretería Sol;02/05/2026;01/06/2026;500,50;200,50
F-003;Hostal Mar;10/06/2026;10/07/2026;2.000,00;2.000,00
F-004;Taller Ruiz;01/02/2026;03/03/2026;350,00;0,00
F-005;Hostal Mar;20/04/2026;20/05/2026;800,00;800,00
"""


@pytest.fixture
def books(tmp_path: Path) -> Path:
    folder = tmp_path / "books"
    folder.mkdir()
    return folder


@pytest.fixture
def screen(books: Path) -> LoadData:
    return LoadData(books)


def uploaded(screen: LoadData) -> LoadData:
    assert screen.upload("libro.csv", LIBRO.encode("utf-8")), screen.status
    return screen


def test_an_upload_is_saved_into_the_folder_and_suggested_a_mapping(screen, books):
    uploaded(screen)
    assert (books / "libro.csv").read_text(encoding="utf-8") == LIBRO
    assert [p.name for p in books.iterdir()] == ["libro.csv"]  # no temporary file left
    assert screen.file == "libro.csv" and screen.picker.value == "libro.csv"
    assert screen.fields["amount"].value == "Pendiente"
    assert screen.fields["face_amount"].value == "Importe"
    assert screen.fields["invoice_id"].value == "Factura"
    assert screen.fields["applies_to"].value == ""  # (none)
    assert screen.fields["amount"].options[0] == ("(none)", "")
    assert (screen.date_order.value, screen.decimal.value) == ("dmy", ",")
    assert "Pendiente" in screen._reasons["amount"].value  # the candidate's reason is shown
    assert "header on line 1" in screen._rows.value and "F-003" in screen._rows.value
    assert screen.editor.layout.display is None and not screen.save_button.disabled


def test_totals_and_problems_are_shown_before_saving(screen, books):
    uploaded(screen)
    assert screen.figures["receivable_cents"] == 421050
    assert screen.figures["open_items"] == 4
    assert "4,210.50" in screen._totals.value and 'data-figure="net"' in screen._totals.value
    assert any("report_date" in p for p in screen.found)  # the file does not say its date
    assert "report_date" in screen._problems.value
    assert not (books / "mapping.toml").exists()


def test_changing_a_column_rereads_the_totals_and_names_the_trap(screen):
    uploaded(screen)
    screen.fields["amount"].value = "Importe"  # as the browser sends it
    assert screen.mapping.columns["amount"] == "Importe"
    assert screen.figures["receivable_cents"] == 486050  # every face value, paid F-004 too
    assert any("face value" in p for p in screen.found)
    assert "chosen by hand" not in screen._reasons["amount"].value  # Importe is a candidate
    screen.set_column("amount", "Pendiente")
    assert screen.figures["receivable_cents"] == 421050


def test_unmapping_a_field_and_a_bad_column_are_said(screen):
    uploaded(screen)
    screen.set_column("amount", "")
    assert "amount" not in screen.mapping.columns
    assert any("nothing is mapped to amount" in p for p in screen.found)
    before = dict(screen.mapping.columns)
    screen.set_column("due_date", "Nope")
    assert screen.status_is_error and "not a column" in screen.status
    assert screen.mapping.columns == before


def test_date_order_decimal_and_report_date_change_the_reading(screen):
    uploaded(screen)
    screen.set_open_items(True, "2026-06-30")
    assert screen.mapping.report_date == "2026-06-30" and screen.found == []
    assert str(screen.figures["as_of"].date()) == "2026-06-30"
    # by hand at 2026-06-30: F-003 not yet due; F-002 29 days; F-005 41; F-001 77
    assert screen.figures["buckets"] == {
        "current": 200000,
        "1-30": 20050,
        "31-60": 80000,
        "61-90": 121000,
        "91-120": 0,
        "121+": 0,
    }
    screen.decimal.value = "."  # 1.210,00 no longer reads as money
    assert screen.mapping.decimal == "."
    assert screen.found or len(screen.ledger.errors)
    screen.set_decimal(",")
    screen.set_date_order("mdy")  # 15/03/2026 is no month-first date
    assert screen.found or len(screen.ledger.errors)
    screen.set_open_items(True, "30 June")
    assert screen.status_is_error and "2026-06-30" in screen.status


def test_save_writes_mapping_toml_that_read_ledger_uses(screen, books):
    uploaded(screen)
    screen.set_column("amount", "Importe")
    saved = []
    screen.on_saved = lambda: saved.append(True)
    path = screen.save()
    assert path == books / "mapping.toml" and screen.saved == str(path) and saved == [True]
    assert mappings.read(path).columns["amount"] == "Importe"
    ledger = arbook.read_ledger(books)
    assert int(ledger.invoices["amount_cents"].sum()) == 486050


def test_in_the_dashboard_a_save_shows_the_mapped_data_in_place(books):
    """A folder with nothing arbook can read: the failure shows the screen; after the save the
    same root box holds the dashboard of the mapped data (and a reload reads it too)."""
    failure = Dashboard.from_environment(str(books))
    assert isinstance(failure, LoadFailure) and failure.load_data is not None
    root = failure.widget
    assert failure.load_data.widget in root.children
    uploaded(failure.load_data)
    failure.load_data.set_open_items(True, "2026-06-30")
    failure.load_data.save()
    fresh = failure.load_data.dashboard
    assert isinstance(fresh, Dashboard)
    assert root.children == fresh.widget.children and "arbook-load-error" not in root._dom_classes
    assert "4,210.50" in fresh.kpi_html
    assert "4,210.50" in Dashboard.from_environment(str(books)).kpi_html
    # the new dashboard's own screen saves into the same root box
    fresh.load_data.pick("libro.csv")
    fresh.load_data.set_column("amount", "Importe")
    fresh.load_data.set_open_items(True, "2026-06-30")
    fresh.load_data.save()
    again = fresh.load_data.dashboard
    assert isinstance(again, Dashboard) and root.children == again.widget.children
    assert "4,860.50" in again.kpi_html


def test_the_dashboard_has_the_tab(ledger_folder_copy):
    dash = Dashboard(arbook.read_ledger(ledger_folder_copy))
    assert TABS[-1] == "Load your data"
    assert dash.controls["tabs"].children[-1] is dash.load_data.widget
    assert dash.load_data.folder == ledger_folder_copy
    dash.controls["tabs"].selected_index = len(TABS) - 1  # shown: nothing to compute
    assert not dash.status_is_error


@pytest.fixture
def ledger_folder_copy(tmp_path: Path) -> Path:
    target = tmp_path / "sample"
    shutil.copytree(ROOT / "data" / "sample", target)
    return target


def test_arbook_own_files_are_never_mapped(ledger_folder_copy):
    screen = LoadData(ledger_folder_copy)
    assert "invoices.csv" in data_files(ledger_folder_copy)
    assert screen.pick("invoices.csv")
    assert "arbook's own invoices file" in screen.status and screen.save_button.disabled
    assert screen.save() is None and screen.status_is_error
    assert not screen.upload("libro.csv", LIBRO.encode())  # into a folder of arbook's files
    assert "folder of its own" in screen.status
    assert not (ledger_folder_copy / "mapping.toml").exists()
    assert not (ledger_folder_copy / "libro.csv").exists()


@pytest.mark.skipif(not EXAMPLES.is_dir(), reason="the shared import examples are not here")
def test_a_known_export_is_offered_its_preset(books):
    shutil.copy(EXAMPLES / "qbo-ar-aging-detail.csv", books)
    reloaded = []
    screen = LoadData(books, on_saved=lambda: reloaded.append(True))
    assert screen.pick("qbo-ar-aging-detail.csv")
    assert screen.preset is not None and screen.preset.name == "qbo-aging"
    assert "qbo-aging" in screen._preset_note.value and screen.preset_box.layout.display is None
    assert screen.editor.layout.display == "none" and screen.save_button.disabled
    # the totals are the preset's reading (EXPECTED.md: total receivable 45,552.65, unapplied
    # -2,145.00, 19 open items)
    assert screen.figures["receivable_cents"] == 4555265
    assert (screen.figures["unapplied_cents"], screen.figures["open_items"]) == (-214500, 19)
    assert screen.use_preset() and reloaded == [True]
    screen.map_columns()  # or map it by hand anyway
    assert screen.preset is None and screen.editor.layout.display is None


def test_a_file_not_in_the_folder_is_refused(screen):
    assert not screen.pick("../secret.csv")
    assert screen.status_is_error and "not a file of" in screen.status
    assert not screen.save() and "pick a file" in screen.status


def test_with_loader_needs_a_folder(tmp_path):
    failure = with_loader(LoadFailure("no such folder"), tmp_path / "missing")
    assert failure.load_data is None


# A Russian bookkeeper's sheet (commas, quoted amounts with spaces and a decimal comma). By hand:
# Остаток (what is owed) = 1,418,600.00 + 5,000.50 + 300,000.00 = 1,723,600.50.
RUSSIAN = """Номер документа,Контрагент,Дата,Срок оплаты,Сумма,Остаток
0000-000012,ООО Ромашка,20.01.2026,19.02.2026,"1 418 600,00","1 418 600,00"
0000-000013,ИП Петров,05.03.2026,04.04.2026,"25 000,50","5 000,50"
0000-000014,ООО Ромашка,12.06.2026,12.07.2026,"300 000,00","300 000,00"
"""


def test_russian_headers_are_suggested_a_mapping(screen):
    assert screen.upload("остатки.csv", RUSSIAN.encode("utf-8")), screen.status
    assert screen.fields["amount"].value == "Остаток"
    assert screen.fields["customer_name"].value == "Контрагент"
    assert screen.fields["due_date"].value == "Срок оплаты"
    assert screen.figures["receivable_cents"] == 172360050


def test_a_large_file_shows_progress_while_it_is_read(screen, monkeypatch):
    import arbook.views.dashboard.load_data as load_data

    monkeypatch.setattr(load_data, "LARGE_FILE", 0)
    shown = []
    screen.progress.layout.observe(lambda change: shown.append(change["new"]), "display")
    uploaded(screen)
    assert None in shown and shown[-1] == "none"  # shown while reading, hidden after
    assert "Reading libro.csv" in screen.progress.description


def test_the_saved_mapping_is_opened_to_be_changed(books):
    screen = uploaded(LoadData(books))
    screen.set_column("amount", "Importe")
    screen.save()
    again = LoadData(books)
    assert again.mapping is None  # nothing is read before the screen is shown
    again.render()
    assert again.file == "libro.csv" and again.fields["amount"].value == "Importe"
    assert again.figures["receivable_cents"] == 486050 and "saved" in again.status
    # a saved mapping that no longer reads: the failure opens it, to be mended
    text = (books / "mapping.toml").read_text(encoding="utf-8")
    (books / "mapping.toml").write_text(text.replace('"Factura"', '"Nº"'), encoding="utf-8")
    failure = Dashboard.from_environment(str(books))
    assert isinstance(failure, LoadFailure) and failure.load_data.mapping is not None
    assert any("'Nº'" in p for p in failure.load_data.found)
    failure.load_data.set_column("invoice_id", "Factura")
    failure.load_data.save()
    assert isinstance(failure.load_data.dashboard, Dashboard)


def test_a_ledger_without_a_folder_has_nowhere_to_load_into():
    screen = LoadData(None)
    assert screen.status_is_error and screen.uploader.disabled
    assert not screen.upload("libro.csv", LIBRO.encode()) and "no folder" in screen.status
    screen.render()  # nothing to open


# -- exchange rates typed in the screen ------------------------------------------------------

XERO = EXAMPLES / "xero-sales-invoices-export.csv"


def _in_aud(books: Path) -> str:
    """The Xero example with its first invoice in AUD (the book is in NZD)."""
    import csv
    import io

    rows = list(csv.reader(io.StringIO(XERO.read_text(encoding="utf-8"))))
    at, number = rows[0].index("Currency"), rows[0].index("InvoiceNumber")
    for cells in rows[1:]:
        if cells[number] == rows[1][number]:
            cells[at] = "AUD"
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows(rows)
    (books / "xero.csv").write_text(out.getvalue(), encoding="utf-8")
    return rows[1][number]


def test_rates_typed_in_are_read_at_once_and_saved_beside_the_export(books):
    _in_aud(books)
    screen = LoadData(books)
    assert screen.pick("xero.csv") and screen.preset is not None
    assert screen.rates_box.layout.display is None  # offered with the preset too
    missing = screen.ledger.errors
    assert missing["message"].str.contains("'AUD' differs from the book's NZD").any()
    assert "rate in NZD per unit" in screen._rates_note.value
    screen.set_rates("AUD, 1.08, 2025-01-01")
    assert screen.ledger.errors.empty and not (books / "rates.csv").exists()  # not yet saved
    screen.set_rates("AUD, x, 2025-01-01")  # a bad rate is a located problem, in words
    assert "the exchange rates typed in" in set(screen.ledger.errors["source_file"])
    assert "the exchange rates typed in" in screen._problems.value
    screen.set_rates("currency,rate,date\nAUD,1.08,2025-01-01")
    assert screen.use_preset(), screen.status
    assert (books / "rates.csv").read_text() == "currency,rate,date\nAUD,1.08,2025-01-01\n"
    ledger = arbook.read_ledger(books)  # every command reads the export with the rates beside it
    assert ledger.errors.empty and "AUD" in ledger.rates
    again = LoadData(books)
    assert again.pick("xero.csv")
    assert again.rates.value == "currency,rate,date\nAUD,1.08,2025-01-01"  # shown to change


def test_a_mapping_saves_the_rates_too_and_clearing_them_removes_the_file(books):
    lines = LIBRO.splitlines()
    moneda = [lines[0] + ";Moneda"] + [
        f"{line};{'USD' if line.startswith('F-001') else 'EUR'}" for line in lines[1:]
    ]
    (books / "libro.csv").write_text("\n".join(moneda) + "\n", encoding="utf-8")
    screen = LoadData(books, policy={"currency": "EUR"})
    assert screen.pick("libro.csv")
    screen.set_column("currency", "Moneda")
    assert screen.ledger.errors["message"].str.contains("'USD'").any()
    screen.set_rates("USD,0.92")  # no date: holds on every day
    assert screen.ledger.errors.empty, screen.ledger.errors["message"].tolist()
    owed = int(screen.ledger.invoices.set_index("invoice_id").loc["F-001", "amount_cents"])
    assert owed == 111320  # USD 1,210.00 at 0.92
    assert screen.save() is not None
    assert (books / "rates.csv").read_text() == "currency,rate,date\nUSD,0.92\n"
    assert arbook.read_ledger(books, policy={"currency": "EUR"}).errors.empty
    screen.set_rates("")
    assert screen.save() is not None and not (books / "rates.csv").exists()


def test_a_long_rates_file_is_used_as_it_is(books):
    _in_aud(books)
    days = pd.date_range("2025-01-01", periods=400)
    rows = "".join(f"AUD,1.{i % 90 + 10},{d:%Y-%m-%d}\n" for i, d in enumerate(days))
    (books / "rates.csv").write_text("currency,rate,date\n" + rows)
    screen = LoadData(books)
    assert screen.pick("xero.csv") and screen.ledger.errors.empty
    assert (
        screen.rates.value == "" and "rates.csv of the folder is used" in screen._rates_note.value
    )
    assert screen.use_preset()
    assert len((books / "rates.csv").read_text().splitlines()) == 401  # left as it was
