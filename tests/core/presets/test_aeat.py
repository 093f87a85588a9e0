"""The aeat-expedidas preset: the Spanish libro registro de facturas expedidas (the examples in
UTF-8 and cp1252, and books of our own: a rectificativa naming an unknown invoice, an invoice
on two VAT-rate rows, recargo de equivalencia, a Total written net of withholding)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, EXAMPLES_AS_OF, IBM, SAMPLE, figures

import arbook
from arbook.core.grid import read_grid
from arbook.core.presets import PRESETS
from arbook.core.presets.aeat import key

AS_OF = EXAMPLES_AS_OF


# EXPECTED.md §7, both encodings
EXPECTED = {
    "current": 612795,
    "1-30": 617880,
    "31-60": 86640,
    "61-90": 820275,
    "91-120": 569920,
    "121+": 248480,
    "receivable": 2955990,
    "unapplied": 0,
    "net": 2955990,
    "items": 12,
}
FILES = ["aeat-libro-facturas-expedidas.csv", "aeat-libro-facturas-expedidas.cp1252.csv"]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("preset", ["aeat-expedidas", None])
def test_the_examples_give_the_expected_figures(name, preset):
    ledger = arbook.read_ledger(EXAMPLES / name, preset=preset)
    assert ledger.preset == "aeat-expedidas" and ledger.errors.empty
    expected = {"open_items_only"} | ({"guessed_encoding"} if "cp1252" in name else set())
    assert set(ledger.issues["code"]) == expected
    assert figures(ledger) == EXPECTED
    assert ledger.open_items_only and ledger.lacks.startswith("any payment")
    assert ledger.currency == "EUR"


def test_both_encodings_give_the_same_ledger():
    utf8, cp1252 = (arbook.read_ledger(EXAMPLES / name) for name in FILES)
    columns = ["invoice_id", "customer_id", "invoice_date", "amount_cents", "applied_invoice_id"]
    assert utf8.invoices[columns].equals(cp1252.invoices[columns])
    assert utf8.customers["name"].tolist() == cp1252.customers["name"].tolist()


def test_the_book_rows_as_invoices():
    ledger = arbook.read_ledger(EXAMPLES / FILES[0])
    inv = ledger.invoices.set_index("invoice_id")
    assert len(inv) == 15  # Serie + Número: A-2026-1 and R-2026-1 are two invoices
    # Base + Cuota − Retención: 1,840.00 + 386.40 − 128.80; the cells as written are kept
    assert inv.loc["A-2026-1", "amount_cents"] == 209760
    assert inv.loc["A-2026-1", "total_factura"] == "2226,40"
    assert inv.loc["A-2026-1", "importe_retencion"] == "128,80"
    # issued 09/01/2026 (operation 31/12/2025): aged from Fecha Expedición
    assert str(inv.loc["A-2026-1", "invoice_date"].date()) == "2026-01-09"
    # rectificativas: negative, netted into the invoice named "A-2026-003"
    assert inv.loc["R-2026-1", "amount_cents"] == -39900
    assert inv.loc["R-2026-1", "applied_invoice_id"] == "A-2026-3"
    assert inv.loc["R-2026-2", "applied_invoice_id"] == "A-2026-8"
    assert ledger.customers.set_index("customer_id").loc["B48733109", "name"] == (
        'Bodegas "Txakoli Berria" S.L.'
    )


def test_invoice_numbers_compare_without_padding():
    assert key("A-2026-003") == key("A-2026-3") == key(" a-2026-3 ")
    assert key("A-2026-003") != key("A-2025-3")
    assert key("F/2026/0012") == key("F/2026-12")


HEADER = (
    "Fecha Expedicion;Fecha Operacion;Serie;Numero;NIF Destinatario;Nombre Destinatario;"
    "Tipo IVA;Base Imponible;Cuota IVA;Tipo Recargo;Cuota Recargo Equivalencia;Total Factura;"
    "Tipo Retencion;Importe Retencion;Rectificativa de"
)
# No accents in the header, recargo de equivalencia, F-7 on two rows (21% and 10%), a
# rectificativa of an invoice not in this book, a Total written net of withholding (G-2).
#   F-7: 100,00 + 21,00 + 5,20 (recargo) and 50,00 + 5,00 + 0,70 = 181,90 (issued 20/06: current)
#   G-2: 1000,00 + 210,00 − 150,00 = 1060,00 (issued 10/05, due 09/06: 21 days, 1-30)
#   −100,00 − 21,00 = −121,00, of "F-2025-0099" (not in the book): standalone, unapplied
OWN_BOOK = f"""{HEADER}
20/06/2026;20/06/2026;F;7;B11111111;Ferretería Norte S.L.;21;100,00;21,00;5,2;5,20;126,20;;0,00;
20/06/2026;20/06/2026;F;7;B11111111;Ferretería Norte S.L.;10;50,00;5,00;1,4;0,70;55,70;;0,00;
10/05/2026;10/05/2026;G;2;A22222222;Consultora Sur S.A.;21;1000,00;210,00;;0,00;1060,00;15;150,00;
25/06/2026;25/06/2026;R;9;B11111111;Ferretería Norte S.L.;21;-100,00;-21,00;;0,00;-121,00;;0,00;F-2025-0099
"""  # noqa: E501


def test_a_book_of_our_own(tmp_path):
    path = tmp_path / "expedidas.csv"
    path.write_bytes(OWN_BOOK.replace("\n", "\r\n").encode("cp1252"))
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "aeat-expedidas" and ledger.errors.empty
    inv = ledger.invoices.set_index("invoice_id")
    assert inv["amount_cents"].to_dict() == {"F-7": 18190, "G-2": 106000, "R-9": -12100}
    got = figures(ledger)
    assert (got["current"], got["1-30"], got["unapplied"], got["items"]) == (
        18190,
        106000,
        -12100,
        3,
    )
    codes = ledger.issues.set_index("code")
    # the rectificativa of an unknown invoice is kept, standalone, and said
    assert codes.loc["unknown_credit_target", "source_line"] == 5
    # G-2's Total is the net of withholding: said, the amount owed computed from the parts
    made = ledger.issues[ledger.issues["code"] == "total_mismatch"]
    assert made["source_line"].tolist() == [4]
    assert "net of the IRPF withholding" in made["message"].iloc[0]


OTHERS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize(
    "path", [*OTHERS, SAMPLE / "invoices.csv", IBM], ids=lambda p: Path(p).name
)
def test_recognises_its_examples_and_no_other(path):
    assert PRESETS["aeat-expedidas"].recognises(read_grid(path)) == path.name.startswith("aeat")


def test_an_unreadable_part_is_reported_on_its_row(tmp_path):
    path = tmp_path / "expedidas.csv"
    path.write_text(OWN_BOOK.replace(";15;150,00;", ";15;150,0x;"), encoding="utf-8")
    ledger = arbook.read_ledger(path)
    bad = ledger.errors[ledger.errors["code"] == "bad_amount"]
    assert bad["source_line"].tolist() == [4] and "150,0x" in bad["message"].iloc[0]
    assert "G-2" not in set(ledger.invoices["invoice_id"])  # left out, not read as 1210,00


def test_what_was_found_is_said_as_the_file_writes_it():
    ledger = arbook.read_ledger(EXAMPLES / "aeat-libro-facturas-expedidas.cp1252.csv")
    assert ledger.read_as == (
        "aeat-libro-facturas-expedidas.cp1252.csv: read as AEAT libro registro de facturas "
        "expedidas (preset aeat-expedidas, recognised from its header); Windows-1252 (Western "
        "European), semicolon-separated; decimal comma; dates DD/MM/YYYY; header on line 1"
    )


@pytest.mark.parametrize(
    "book",
    [
        OWN_BOOK,
        # an unreadable part, a Total written grouped (read, not taken as Base + Cuota), an
        # invoice on two rows of which one does not read, a blank date
        OWN_BOOK.replace(";15;150,00;", ";15;150,0x;").replace(";55,70;", ";5.570,00;")
        + "21/06/2026;21/06/2026;H;1;B3;Uno;21;10,00;2,10;;0,00;12,10;;0,00;\n"
        + "21/06/2026;21/06/2026;H;1;B3;Uno;21;1o,00;2,10;;0,00;12,10;;0,00;\n"
        + ";21/06/2026;H;2;B3;Uno;21;10,00;2,10;;0,00;12,10;;0,00;\n",
    ],
)
def test_the_readings_handed_on_are_the_cells_read(tmp_path, book):
    from arbook.core import parse
    from arbook.core.presets.aeat import read

    path = tmp_path / "expedidas.csv"
    path.write_text(book, encoding="utf-8")
    imported = read(read_grid(path))
    raw = imported.tables["invoices"]
    readings = imported.readings["invoices"]
    assert set(readings) == {"invoice_date", "due_date", "amount"}
    for column in ("invoice_date", "due_date"):
        expected = parse.parse_dates(raw[column], imported.date_order)
        assert readings[column].values.equals(expected.values)
        assert all(a.tolist() == b.tolist() for a, b in zip(readings[column][1:], expected[1:]))
    expected_cents = parse.parse_cents(raw["amount"], imported.decimal)
    assert all(a.tolist() == b.tolist() for a, b in zip(readings["amount"], expected_cents))
