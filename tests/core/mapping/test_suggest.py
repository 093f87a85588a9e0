"""Suggesting a mapping (:mod:`arbook.core.mapping.suggest`) on every import example, on
bookkeepers' own sheets in Russian and Spanish and on the exports of other systems (Sage, Zoho,
FreshBooks, Holded, МойСклад): the header row, the columns, the date order, the decimal mark,
open balances, and the totals the suggested mapping reads."""

from __future__ import annotations

import pytest
from conftest import EXAMPLES
from own_sheets import AS_OF, russian_sheet, spanish_sheet, totals

from arbook.core import mapping
from arbook.core.errors import DataError


def test_qbo_open_balance_is_amount_and_amount_is_face_value():
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    found = mapping.suggest(path)
    m = found.mapping
    assert m.columns["amount"] == "Open balance"
    assert m.columns["face_amount"] == "Amount"
    assert (m.header_line, found.header_line) == (5, 5)
    assert m.date_order == "mdy" and m.decimal == "."
    assert m.open_items_only and m.report_date == AS_OF
    assert any("Open balance is mapped to amount" in n for n in found.notes)
    assert found.candidates["amount"][0].column == "Open balance"
    assert found.candidates["amount"][0].reason
    assert list(found.preview.columns)[1:3] == ["Date", "Transaction type"]
    assert found.preview.index[0] == 6  # the file's line below the header
    assert mapping.problems(m, path) == []
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors)
    t = totals(ledger)
    assert t["total_cents"] == 4_340_765  # EXPECTED.md: net receivable 43,407.65
    assert t["receivable_cents"] == 4_555_265 and t["unapplied_cents"] == -214_500
    assert t["current_cents"] == 1_075_745 and t["121+_cents"] == 893_500
    assert ledger.open_items_only and ledger.history_note


#: examples whose generic mapping reads right, with EXPECTED.md's net receivable
NET = {
    "qbo-ar-aging-detail.csv": 4_340_765,
    "qbd-ar-aging-detail.csv": 3_486_765,
    "erpnext-accounts-receivable.csv": 121_947_000,
    "erpnext-accounts-receivable.not-due-unranged.csv": 121_947_000,
    "xero-aged-receivables-detail.xlsx": 4_718_631,
}


@pytest.mark.parametrize(
    "name",
    sorted(p.name for p in EXAMPLES.glob("*") if p.suffix in (".csv", ".xlsx")),
)
def test_suggest_on_every_example(name):
    """Every example gets a header, an amount and a date order; where one generic column
    mapping can read the file its totals are EXPECTED.md's, and where it cannot (one row per
    line item, drafts, withholding, a 1C hierarchy) ``problems`` says so: never silently."""
    path = EXAMPLES / name
    found = mapping.suggest(path)
    m = found.mapping
    assert "amount" in m.columns and m.header_line >= 1
    assert m.date_order in ("iso", "dmy", "mdy") and found.notes
    said = mapping.problems(m, path)
    if name in NET:
        assert totals(mapping.preview(path, m))["total_cents"] == NET[name]
        assert not [p for p in said if "report_date" not in p]
    else:
        assert said  # the generic reading would not be right: it says why


def test_russian_bookkeeper_sheet(tmp_path):
    path = russian_sheet(tmp_path)
    found = mapping.suggest(path)
    m = found.mapping
    assert m.columns == {
        "invoice_id": "№",
        "customer_id": "ИНН",
        "customer_name": "Контрагент",
        "invoice_date": "Дата",
        "due_date": "Срок оплаты",
        "amount": "Остаток",
        "face_amount": "Сумма",
    }
    assert "Оплачено" not in m.columns.values()  # what was paid is never what is owed
    assert m.header_line == 4 and m.sheet == "Долги"
    assert m.decimal == "," and m.report_date == AS_OF and m.open_items_only
    assert mapping.problems(m, path) == []
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors) and len(ledger.invoices) == 5  # the Итого row is no item
    assert totals(ledger)["total_cents"] == 24_550_049
    names = dict(zip(ledger.customers["customer_id"], ledger.customers["name"], strict=True))
    assert names["7701234567"] == "ООО «Вектор»"


def test_spanish_bookkeeper_sheet(tmp_path):
    path = spanish_sheet(tmp_path)
    found = mapping.suggest(path)
    m = found.mapping
    assert m.columns == {
        "invoice_id": "Nº Factura",
        "customer_id": "NIF",
        "customer_name": "Cliente",
        "invoice_date": "Fecha",
        "due_date": "Vencimiento",
        "amount": "Pendiente",
        "face_amount": "Importe",
        "document_type": "Tipo",
    }
    assert m.date_order == "dmy" and m.decimal == "," and m.encoding == "cp1252"
    assert m.open_items_only and m.report_date is None
    assert any("report_date" in p for p in mapping.problems(m, path))
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors)
    t = totals(ledger)
    assert t["total_cents"] == 121_000 + 30_500 + 242_050 - 12_100 + 363_000
    assert t["unapplied_cents"] == -12_100  # the Abono is a credit note


def test_unreadable_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        mapping.suggest(tmp_path / "none.csv")


#: (file name, encoding, text, the columns the suggestion must map)
EXPORTS = [
    (
        "sage-aged-debtors.csv",
        "utf-8",
        "Aged Debtors Analysis (Detailed)\nDate: 30/06/2026\n\n"
        "A/C,Name,Type,Ref,Date,Due Date,O/S,Current,Period 1,Period 2,Older\n"
        "ACME01,Acme Ltd,SI,10021,15/04/2026,15/05/2026,1200.00,0.00,0.00,1200.00,0.00\n"
        "ACME01,Acme Ltd,SC,CR005,20/04/2026,20/04/2026,-200.00,0.00,0.00,-200.00,0.00\n"
        "BOLT02,Bolt plc,SI,10044,02/06/2026,02/07/2026,845.50,845.50,0.00,0.00,0.00\n"
        "BOLT02,Bolt plc,SA,REC88,10/06/2026,,-100.00,-100.00,0.00,0.00,0.00\n"
        ",,,,,,1745.50,745.50,0.00,1000.00,0.00\n",
        {
            "customer_id": "A/C",
            "customer_name": "Name",
            "document_type": "Type",
            "invoice_id": "Ref",
            "invoice_date": "Date",
            "due_date": "Due Date",
            "amount": "O/S",
        },
    ),
    (
        "zoho-invoices.csv",
        "utf-8",
        "Invoice Date,Invoice Number,Invoice Status,Customer Name,Due Date,Currency Code,Total,"
        "Balance\n"
        "2026-05-02,INV-000101,Overdue,Acme Ltd,2026-06-01,USD,500.00,500.00\n"
        "2026-05-20,INV-000102,Partially Paid,Bolt plc,2026-06-19,USD,900.00,400.00\n"
        "2026-06-10,INV-000103,Paid,Acme Ltd,2026-07-10,USD,120.00,0.00\n",
        {
            "invoice_date": "Invoice Date",
            "invoice_id": "Invoice Number",
            "customer_name": "Customer Name",
            "due_date": "Due Date",
            "currency": "Currency Code",
            "face_amount": "Total",
            "amount": "Balance",
        },
    ),
    (
        "freshbooks-invoices.csv",
        "utf-8",
        "Client Name,Invoice #,Date Issued,Due Date,Amount,Paid,Outstanding,Status,Currency\n"
        "Acme Ltd,0000012,05/03/2026,05/04/2026,750.00,250.00,500.00,partial,USD\n"
        "Bolt plc,0000013,05/20/2026,06/19/2026,300.00,0.00,300.00,sent,USD\n",
        {
            "customer_name": "Client Name",
            "invoice_id": "Invoice #",
            "invoice_date": "Date Issued",
            "due_date": "Due Date",
            "face_amount": "Amount",
            "amount": "Outstanding",
            "currency": "Currency",
        },
    ),
    (
        "holded-facturas.csv",
        "utf-8",
        "Num;Fecha;Vencimiento;Contacto;NIF;Subtotal;IVA;Total;Cobrado;Pendiente;Estado\n"
        "F260001;03/04/2026;03/05/2026;Café Núñez;12345678Z;500,00;105,00;605,00;0,00;605,00;"
        "Pendiente\n"
        "F260002;22/05/2026;21/06/2026;Hostal Peña;X1234567L;1.000,00;210,00;1.210,00;"
        "1.210,00;0,00;Pagada\n",
        {
            "invoice_id": "Num",
            "invoice_date": "Fecha",
            "due_date": "Vencimiento",
            "customer_name": "Contacto",
            "customer_id": "NIF",
            "face_amount": "Total",
            "amount": "Pendiente",
        },
    ),
    (
        "moysklad-otgruzki.csv",
        "cp1251",
        "Номер;Время;Контрагент;Организация;Сумма;Оплачено;Статус;Комментарий\n"
        "00017;12.05.2026 10:14;ООО «Вектор»;ООО «Ромашка»;12 000,00;2 000,00;Отгружен;\n"
        "00018;25.05.2026 16:40;ИП Сидоров;ООО «Ромашка»;3 450,50;0,00;Отгружен;срочно\n",
        {
            "invoice_id": "Номер",
            "invoice_date": "Время",
            "customer_name": "Контрагент",
            "amount": "Сумма",
        },
    ),
]


@pytest.mark.parametrize(("name", "encoding", "text", "expected"), EXPORTS, ids=lambda v: "")
def test_exports_of_other_systems(tmp_path, name, encoding, text, expected):
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    found = mapping.suggest(path)
    assert {f: c for f, c in found.mapping.columns.items() if f in expected} == expected
    assert "amount" in found.mapping.columns
    ledger = mapping.preview(path, found.mapping)
    assert len(ledger.invoices) + len(ledger.payments) >= 2


def test_moysklad_export_without_an_open_balance_says_what_was_paid(tmp_path):
    """МойСклад's shipments list has the sum and what was paid, no open balance: read as is,
    paid shipments would count as owed. The suggestion and the problems say so."""
    name, encoding, text, _ = EXPORTS[-1]
    path = tmp_path / name
    path.write_bytes(text.encode(encoding))
    found = mapping.suggest(path)
    assert found.mapping.encoding == "cp1251" and found.mapping.date_order == "dmy"
    assert found.mapping.decimal == ","
    assert "Организация" not in found.mapping.columns.values()  # the seller, not the customer
    assert any("Оплачено looks like what has been paid" in n for n in found.notes)
    assert any("'Оплачено', what was paid" in p for p in mapping.problems(found.mapping, path))
