"""The presets speak the user's language: a bad export read in Spanish or Russian gives its
errors and warnings (``ledger.issues``: message and hint) in that language, the preset's title
and description too; the file's own words (its column names, types, statuses, numbers) and the
products' names stay as they are, and no English word of the catalogue is left in them."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from i18n_check import english_left
from test_aeat import OWN_BOOK
from test_erpnext import OWN_REPORT
from test_onec import osv, z
from test_quickbooks import item, label, qbo_text
from test_xero import OWN, export

import arbook
from arbook.core.i18n import using
from arbook.core.presets import PRESETS

#: the codes the presets' own messages carry (the ledger's validation adds its own: not here)
PRESET_CODES = {"unread_row", "made_up", "total_mismatch", "missing_column"}


def preset_issues(path: Path, lang: str, **options) -> pd.DataFrame:
    """The issues the preset reading ``path`` reports, read in ``lang``."""
    with using(lang):
        ledger = arbook.read_ledger(path, **options)
    issues = ledger.issues
    return issues[issues["code"].isin(PRESET_CODES)]


def words_of(issues: pd.DataFrame) -> list[str]:
    """What an issue quotes from the file: its cell value and column (data, not English)."""
    return [str(v) for v in [*issues["value"], *issues["column"]] if isinstance(v, str)]


def assert_spoken(issues: pd.DataFrame, lang: str, *, data: list[str] = ()) -> None:
    assert len(issues)
    for issue in issues.itertuples(index=False):
        for text in (issue.message, issue.hint):
            assert english_left(text, lang, data=[*words_of(issues), *data]) == [], text


@pytest.fixture
def qbo_odd(tmp_path: Path) -> Path:
    rows = [
        label("Current"),
        item("Invoice", "07/01/2026", "1", "A", "07/31/2026", "10.00", "10.00"),
        item("Sales Receipt", "07/02/2026", "2", "A", "", "5.00", "5.00"),
        item("Payment", "07/03/2026", "3", "A", "", "4.00", "4.00"),  # a payment owed?
        ["", "07/04/2026", "", "", "A", "", "", "7.00"],  # no type, no label
        label("TOTAL", "10.00"),
    ]
    path = tmp_path / "odd.csv"
    path.write_text(qbo_text(rows), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("lang", "said"),
    [
        ("es", ["el tipo de transacción 'Sales Receipt' no es de los que contiene", "se omite"]),
        ("ru", ["тип операции 'Sales Receipt' не встречается", "пропущена"]),
    ],
)
def test_a_quickbooks_report_with_odd_rows(qbo_odd, lang, said):
    issues = preset_issues(qbo_odd, lang)
    assert issues["code"].tolist() == ["unread_row"] * 3
    for words in said:
        assert words in issues["message"].iloc[0]
    assert "QuickBooks" in issues["hint"].iloc[1]
    assert_spoken(issues, lang, data=["A/R", "A/P", "Aging", "Detail", "Sales", "Receipt"])


@pytest.mark.parametrize(
    ("lang", "made_up"),
    [
        ("es", "1 factura (I-1) está cobrada en parte o del todo"),
        ("ru", "1 счёт (I-1) оплачен частично или полностью"),
    ],
)
def test_a_xero_export_with_a_bill_and_a_repeated_number(tmp_path, lang, made_up):
    path = tmp_path / "SalesInvoices.csv"
    path.write_text(export(OWN), encoding="utf-8")
    issues = preset_issues(path, lang)
    assert sorted(issues["code"]) == ["made_up", "unread_row", "unread_row"]
    assert made_up in issues.loc[issues["code"] == "made_up", "message"].iloc[0]
    columns = ["Total", "InvoiceAmountDue", "Awaiting", "Payment", "Bill", "I-1", "I-2", "I-6"]
    assert_spoken(issues, lang, data=columns)


@pytest.mark.parametrize(("lang", "left_out"), [("es", "se omite"), ("ru", "пропущена")])
def test_an_erpnext_report_with_an_unknown_voucher_type(tmp_path, lang, left_out):
    path = tmp_path / "ar.csv"
    lines = OWN_REPORT.splitlines()
    lines.insert(2, lines[1].replace("Sales Invoice,ACC-SINV-2026-00401", "Dunning,DUNN-0001"))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    issues = preset_issues(path, lang)
    assert issues["value"].tolist() == ["Dunning"]
    assert "Voucher Type 'Dunning'" in issues["message"].iloc[0]
    assert left_out in issues["message"].iloc[0]
    erpnext = ["Accounts", "Receivable", "Sales", "Invoice", "Payment", "Entry", "Journal"]
    assert_spoken(issues, lang, data=[*erpnext, "Voucher", "Type", "ERPNext"])


@pytest.mark.parametrize(
    ("lang", "net_of"),
    [("es", "es el neto de la retención de IRPF"), ("ru", "за вычетом удержания IRPF")],
)
def test_an_aeat_book_with_a_total_written_net_of_withholding(tmp_path, lang, net_of):
    path = tmp_path / "expedidas.csv"
    path.write_bytes(OWN_BOOK.replace("\n", "\r\n").encode("cp1252"))
    issues = preset_issues(path, lang)
    assert issues["code"].tolist() == ["total_mismatch"]
    assert net_of in issues["message"].iloc[0]
    assert_spoken(issues, lang)


@pytest.mark.parametrize(
    ("lang", "refused"),
    [
        ("es", "el balance de sumas y saldos de la cuenta 62 no tiene la agrupación"),
        ("ru", "в оборотно-сальдовой ведомости по счёту 62 нет группировки"),
    ],
)
def test_a_1c_sheet_without_documents(tmp_path, lang, refused):
    rows = [(0, "62", z("1 000,00", None)), (1, "ООО Альфа", z("1 000,00", None))]
    path = osv(tmp_path / "osv.xlsx", "Период: 2026 г.", ["Контрагенты"], rows)
    issues = preset_issues(path, lang, preset="1c-osv62")
    assert refused in issues["message"].iloc[0]
    assert_spoken(issues, lang)


@pytest.mark.parametrize(
    ("lang", "missing"),
    [("es", "no hay ninguna fila de encabezado"), ("ru", "нет строки заголовков")],
)
def test_a_file_without_the_presets_header(tmp_path, lang, missing):
    path = tmp_path / "other.csv"
    path.write_text("Factura,Cliente,Importe\nF-1,Sol,10.00\n", encoding="utf-8")
    issues = preset_issues(path, lang, preset="qbo-aging")
    assert missing in issues["message"].iloc[0]
    assert "QuickBooks Online" in issues["hint"].iloc[0]  # its title, translated
    required = list(PRESETS["qbo-aging"].required)
    assert_spoken(issues, lang, data=[*required, "qbo-aging", "preset", "A/R Aging Detail"])


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_every_preset_has_its_title_and_description_in_the_language(lang):
    products = ["QuickBooks", "Online", "Desktop", "Xero", "ERPNext", "IBM", "Watson", "SAP"]
    with using(lang):
        for preset in PRESETS.values():
            assert preset.shown_title != preset.title
            assert preset.summary != (preset.description or preset.title)
            # the names a product gives its reports and columns stay as it writes them
            names = [
                "A/R", "Aging", "Detail", "Aged", "Receivables", "Accounts", "Receivable", "Sales",
                "Invoice", "Payment", "Entry", "Outstanding", "Amount", "Total", "Open",
                "balance", "Balance", "Terms", "InvoiceAmountDue", "SettledDate", "CSV", "XLSX",
                *(preset.required or ()),
            ]  # fmt: skip
            for text in (preset.shown_title, preset.summary):
                assert english_left(text, lang, data=products + names) == [], text
