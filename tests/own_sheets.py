"""Files the tests of the mapping and of `arbook import` share (not a test module): bookkeepers'
own sheets in Russian and Spanish and an English history, written inline, the shared import
examples, and the aging totals a mapped ledger is checked by."""

from __future__ import annotations

import datetime
from pathlib import Path

from conftest import EXAMPLES_AS_OF, write_workbook

import arbook

AS_OF = EXAMPLES_AS_OF


def totals(ledger: arbook.Ledger) -> dict[str, int]:
    """The aging summary's column totals in cents (net, receivable, unapplied, buckets)."""
    frame = arbook.aging_summary(ledger, AS_OF)
    return {c: int(frame[c].sum()) for c in frame.columns if c.endswith("_cents")}


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
