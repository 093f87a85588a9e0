"""The mapping of a client's own layout (:mod:`arbook.core.mapping`): the suggestion on every
import example and on bookkeepers' own sheets in Russian and Spanish, the traps ``problems``
catches (nothing mapped to amount, a face value where an open balance exists, what was paid),
the TOML round trip and its located errors, save/load, and read_ledger using a saved mapping."""

from __future__ import annotations

import datetime
import tomllib
from pathlib import Path

import pytest
from conftest import SHARED, write_workbook

import arbook
from arbook.core import mapping
from arbook.core.errors import DataError, PolicyError
from arbook.core.mapping import FIELDS, Mapping

EXAMPLES = SHARED / "import-examples"
AS_OF = "2026-06-30"


def totals(ledger: arbook.Ledger) -> dict[str, int]:
    """The aging summary's column totals in cents (net, receivable, unapplied, buckets)."""
    frame = arbook.aging_summary(ledger, AS_OF)
    return {c: int(frame[c].sum()) for c in frame.columns if c.endswith("_cents")}


# -- bookkeepers' own sheets -------------------------------------------------------------------


def russian_sheet(folder: Path) -> Path:
    """A bookkeeper's own list of debts in Russian: title rows, «по состоянию на», amounts as
    numbers and as text with a decimal comma, an «Итого» row."""
    d = datetime.date
    return write_workbook(
        folder / "долги.xlsx",
        Долги=[
            ["Дебиторская задолженность ООО «Ромашка»"],
            ["по состоянию на 30.06.2026"],
            [],
            ["№", "Дата", "Контрагент", "ИНН", "Сумма", "Оплачено", "Остаток", "Срок оплаты",
             "Примечание"],
            ["101", d(2026, 3, 10), "ООО «Вектор»", "7701234567", 120000, 20000, 100000,
             d(2026, 4, 9), ""],
            ["102", d(2026, 4, 15), "ИП Сидоров", "500100732259", 45500.5, 0, 45500.5,
             d(2026, 5, 15), "звонили"],
            ["103", d(2026, 5, 20), "ООО «Вектор»", "7701234567", 80000, 0, 80000,
             d(2026, 6, 19), ""],
            ["104", d(2026, 6, 1), "АО «Север»", "7812345678", "12 500,00", "2 500,00",
             "10 000,00", d(2026, 7, 1), "текстом"],
            ["105", d(2026, 6, 25), "АО «Север»", "7812345678", 9999.99, 0, 9999.99,
             d(2026, 7, 25), ""],
            ["Итого", None, None, None, 267999.49, 22500, 245500.49, None, None],
        ],
    )  # fmt: skip


SPANISH = (
    "Nº Factura;Fecha;Cliente;NIF;Importe;Pendiente;Vencimiento;Tipo\n"
    "F-2026-001;15/03/2026;Construcciones Pérez S.L.;B12345678;1.210,00;1.210,00;14/04/2026;"
    "Factura\n"
    "F-2026-002;02/04/2026;Café Núñez;12345678Z;605,00;305,00;02/05/2026;Factura\n"
    "F-2026-003;20/05/2026;Construcciones Pérez S.L.;B12345678;2.420,50;2.420,50;19/06/2026;"
    "Factura\n"
    "A-2026-001;25/05/2026;Café Núñez;12345678Z;-121,00;-121,00;25/05/2026;Abono\n"
    "F-2026-004;28/06/2026;Hostal Peña;X1234567L;3.630,00;3.630,00;28/07/2026;Factura\n"
)


def spanish_sheet(folder: Path) -> Path:
    """A bookkeeper's own list of invoices in Spanish: cp1252, ';', decimal comma, DD/MM."""
    path = folder / "facturas.csv"
    path.write_bytes(SPANISH.encode("cp1252"))
    return path


#: an English history: invoices, a credit note and payments told apart by a Type column
HISTORY = """\
Sales ledger - Fern & Co
Invoice #,Type,Client,Date,Terms,Amount,Against invoice
S-001,Invoice,Acme Ltd,02/01/2026,Net 30,"1,000.00",
S-002,Invoice,Acme Ltd,15/02/2026,Net 30,500.00,
S-003,Invoice,Bolt plc,20/03/2026,Net 15,"2,250.50",
CN-01,Credit note,Bolt plc,25/03/2026,,250.50,S-003
R-1,Payment,Acme Ltd,30/01/2026,,"1,000.00",S-001
R-2,Payment,Bolt plc,10/04/2026,,800.00,S-003
S-004,Invoice,Acme Ltd,28/06/2026,Net 30,120.00,
Total,,,,,"5,921.00",
"""


def history_sheet(folder: Path) -> Path:
    path = folder / "ledger.csv"
    path.write_text(HISTORY, encoding="utf-8")
    return path


# -- suggestions -------------------------------------------------------------------------------


def test_fields_are_the_canonical_targets_in_order():
    assert FIELDS[:6] == (
        "invoice_id", "customer_id", "customer_name", "invoice_date", "due_date", "amount",
    )  # fmt: skip
    assert set(FIELDS) >= {"face_amount", "applies_to", "currency", "disputed", "terms_days"}


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


def test_traps_of_the_examples_are_named():
    xero = mapping.problems(
        mapping.suggest(EXAMPLES / "xero-sales-invoices-export.csv").mapping,
        EXAMPLES / "xero-sales-invoices-export.csv",
    )
    assert any("'Draft'" in p for p in xero) and any("repeat" in p for p in xero)
    aeat = EXAMPLES / "aeat-libro-facturas-expedidas.csv"
    said = mapping.problems(mapping.suggest(aeat).mapping, aeat)
    assert any("'Importe Retención' is withheld" in p for p in said)


def test_xero_aged_fills_the_contact_down_and_skips_total_rows():
    path = EXAMPLES / "xero-aged-receivables-detail.xlsx"
    m = mapping.suggest(path).mapping
    assert m.columns["amount"] == "Total" and m.columns["due_date"] == "Due Date"
    assert m.open_items_only and m.report_date == AS_OF  # "As at 30 June 2026"
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors) and ledger.invoices["customer_id"].notna().all()
    assert len(ledger.customers) == 6


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


def test_history_with_types_terms_and_payments(tmp_path):
    path = history_sheet(tmp_path)
    found = mapping.suggest(path)
    m = found.mapping
    assert m.header_line == 2 and m.columns["amount"] == "Amount"
    assert m.columns["applies_to"] == "Against invoice" and m.columns["terms_days"] == "Terms"
    assert m.columns["document_type"] == "Type" and m.date_order == "dmy"
    assert not m.open_items_only and "face_amount" not in m.columns
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors)
    assert len(ledger.payments) == 2 and ledger.payments["amount_cents"].sum() == 180_000
    credit = ledger.invoices.set_index("invoice_id").loc["CN-01"]
    assert credit["amount_cents"] == -25_050  # a credit note is negative, whatever its sign
    due = ledger.invoices.set_index("invoice_id")["due_date"]
    assert str(due["S-003"])[:10] == "2026-04-04"  # 20/03 + Net 15
    t = totals(ledger)
    assert t["total_cents"] == 100_000 + 50_000 + 225_050 - 25_050 - 100_000 - 80_000 + 12_000


# -- what problems() catches -------------------------------------------------------------------


def test_problems_catch_the_face_value_trap():
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    m = mapping.suggest(path).mapping
    m.columns["amount"] = "Amount"
    del m.columns["face_amount"]
    said = mapping.problems(m, path)
    assert any("'Open balance'" in p and "face value" in p for p in said)


def test_problems_catch_nothing_mapped_to_amount_and_missing_columns():
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    m = mapping.suggest(path).mapping
    del m.columns["amount"]
    m.columns["currency"] = "Currency code"
    said = mapping.problems(m, path)
    assert any(p.startswith("nothing is mapped to amount") for p in said)
    assert any("'Currency code'" in p for p in said)
    m.columns.pop("invoice_date")
    assert any("invoice_date" in p for p in mapping.problems(m, path))


def test_problems_catch_what_was_paid_beside_a_face_value(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Invoice,Customer,Date,Total,Paid\nA1,Acme,2026-05-01,100.00,100.00\n"
        "A2,Acme,2026-06-01,50.00,0.00\n",
        encoding="utf-8",
    )
    found = mapping.suggest(path)
    assert found.mapping.columns["amount"] == "Total"
    assert "Paid" not in found.mapping.columns.values()
    assert any("Paid looks like what has been paid" in n for n in found.notes)
    assert any("'Paid', what was paid" in p for p in mapping.problems(found.mapping, path))


def test_problems_catch_amounts_in_the_other_decimal_mark(tmp_path):
    path = spanish_sheet(tmp_path)
    m = mapping.suggest(path).mapping
    m.decimal = "."
    said = mapping.problems(m, path)
    assert any('read with decimal = ","' in p for p in said)


def test_a_row_with_an_amount_and_nothing_else_is_an_error_not_lost(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n,,,40.00\n", encoding="utf-8"
    )
    ledger = mapping.preview(path, mapping.suggest(path).mapping)
    assert list(ledger.errors["code"]) == ["unread_row"]
    assert int(ledger.errors["source_line"].iloc[0]) == 3


# -- the TOML file -----------------------------------------------------------------------------


def test_to_toml_and_back():
    m = Mapping(
        file="ledger.xlsx",
        header_line=4,
        columns={"invoice_id": "№", "amount": 'Остаток "долг"', "invoice_date": "Дата"},
        date_order="dmy",
        decimal=",",
        open_items_only=True,
        report_date="2026-06-30",
        sheet="Долги",
        encoding="cp1251",
    )
    text = m.to_toml()
    assert "# customer_id = " in text  # unmapped fields are there to uncomment
    assert tomllib.loads(text)["columns"]["amount"] == 'Остаток "долг"'
    assert Mapping.from_toml(text, "mapping.toml") == m
    plain = Mapping("a.csv", 1, {"amount": "Amount"})
    assert Mapping.from_toml(plain.to_toml(), "m.toml") == plain


def test_bad_toml_gives_located_errors():
    text = (
        'file = "a.csv"\n'
        "header_line = 0\n"
        'date_order = "ymd"\n'
        "[columns]\n"
        'amount = "Amount"\n'
        'ammount = "Open balance"\n'
    )
    with pytest.raises(PolicyError) as caught:
        Mapping.from_toml(text, "data/mapping.toml")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("data/mapping.toml:2: header_line: ")
    assert lines[1].startswith('data/mapping.toml:3: date_order: "ymd"; use one of')
    assert lines[2].startswith("data/mapping.toml:6: [columns] ammount: not a field")
    assert "did you mean amount?" in lines[2]
    with pytest.raises(PolicyError, match=r"mapping.toml:2: not valid TOML"):
        Mapping.from_toml('file = "a.csv"\nheader_line = \n', "mapping.toml")
    with pytest.raises(PolicyError, match="outside this folder"):
        Mapping.from_toml('file = "../secret.csv"\nheader_line = 1\n', "mapping.toml")


def test_save_load_and_read_ledger_uses_the_mapping(tmp_path):
    folder = tmp_path / "client"
    folder.mkdir()
    path = russian_sheet(folder)
    m = mapping.suggest(path).mapping
    saved = mapping.save(m, folder)
    assert saved == folder / "mapping.toml"
    assert not [p for p in folder.iterdir() if p.name.endswith(".tmp")]
    file, preset = mapping.load(saved)
    assert file == path and preset.name == "mapping"
    ledger = arbook.read_ledger(folder)
    assert ledger.preset == "mapping" and "mapping.toml" in ledger.read_as
    assert totals(ledger)["total_cents"] == 24_550_049
    assert ledger.open_items_only and ledger.report_date == arbook.read_ledger(folder).report_date


def test_an_edited_mapping_is_what_is_read(tmp_path):
    """Hand-edited: the face value mapped instead; the ledger follows the file, and problems
    say it is the trap."""
    path = spanish_sheet(tmp_path)
    m = mapping.suggest(path).mapping
    text = m.to_toml().replace('amount = "Pendiente"', 'amount = "Importe"')
    (tmp_path / "mapping.toml").write_text(text, encoding="utf-8")
    edited = mapping.read(tmp_path / "mapping.toml")
    assert edited.columns["amount"] == "Importe"
    assert any("face value" in p for p in mapping.problems(edited, path))
    assert (
        totals(arbook.read_ledger(tmp_path))["total_cents"]
        == 121_000 + 60_500 + 242_050 - (12_100) + 363_000
    )


def test_save_refuses_a_folder_of_arbooks_own_files(tmp_path):
    (tmp_path / "invoices.csv").write_text("invoice_id,customer_id,invoice_date,amount\n", "utf-8")
    path = spanish_sheet(tmp_path)
    with pytest.raises(DataError, match=r"holds arbook's own invoices file invoices\.csv"):
        mapping.save(mapping.suggest(path).mapping, tmp_path)
    assert not (tmp_path / "mapping.toml").exists()


def test_load_names_a_missing_data_file(tmp_path):
    mapping.save(Mapping("gone.csv", 1, {"amount": "Amount"}), tmp_path)
    with pytest.raises(DataError, match=r'file = "gone.csv", but there is no such file'):
        mapping.load(tmp_path / "mapping.toml")


def test_header_moved_by_a_title_row_is_found_again(tmp_path):
    path = tmp_path / "sheet.csv"
    path.write_text("Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n", "utf-8")
    m = mapping.suggest(path).mapping
    path.write_text("My list\nInvoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n", "utf-8")
    ledger = mapping.preview(path, m)
    assert not len(ledger.errors) and len(ledger.invoices) == 1
    assert any("header is on line 2" in p for p in mapping.problems(m, path))


def test_unreadable_file_is_a_data_error(tmp_path):
    with pytest.raises(DataError):
        mapping.suggest(tmp_path / "none.csv")


def test_header_key_reads_number_signs_and_camel_case():
    assert mapping.header_key("Nº Factura") == "no factura"
    assert mapping.header_key("Invoice #") == "invoice no"
    assert mapping.header_key("№ документа") == "no документа"
    assert mapping.header_key("InvoiceAmountDue") == "invoice amount due"
    assert mapping.terms_days("Net 30") == 30 and mapping.terms_days("2% 10 Net 30") == 30
    assert mapping.terms_days("Due on receipt") == 0 and mapping.terms_days("30 дней") == 30
    assert mapping.terms_days("Tucson") is None


# -- exports of other systems, as their column headers go ----------------------------------------

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
