"""The worklist's Excel sheet: formulas neutralised, money as numbers, a frozen bold header."""

from __future__ import annotations

import pytest
from conftest import ledger_of
from openpyxl import load_workbook
from test_worklist import AS_OF, CUSTOMERS, INVOICES, PAYMENTS

from arbook.collections.worklist import worklist
from arbook.collections.worklist_xlsx import write_worklist


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


def test_write_worklist_neutralises_formulas(ledger, tmp_path):
    frame = worklist(ledger, AS_OF)
    frame["name"] = ['=HYPERLINK("http://x")', "+1", "-2", "@x", "Delta"]
    path = tmp_path / "w.xlsx"
    write_worklist(frame, path)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:5] == ["rank", "customer_id", "name", "phone", "overdue"]
    names = [sheet.cell(row=r, column=3) for r in range(2, 7)]
    assert [c.value for c in names] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@x", "Delta"]
    assert all(
        c.data_type == "s"
        for row in sheet.iter_rows()
        for c in row
        if c.value and isinstance(c.value, str)
    )
    money = sheet.cell(row=2, column=5)
    assert money.value == 3000.0 and money.number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold
