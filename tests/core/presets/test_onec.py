"""The 1c-osv62 preset: 1C's «Оборотно-сальдовая ведомость по счету 62» (the two examples, and
reports of our own: other groupings and period texts, «Итого» variants, no indents, a document
outside any контрагент)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from conftest import EXAMPLES, EXAMPLES_AS_OF, IBM, SAMPLE, figures
from openpyxl.styles import Alignment

import arbook
from arbook.core.grid import read_grid
from arbook.core.presets import PRESETS
from arbook.core.presets.onec import period_end

AS_OF = EXAMPLES_AS_OF


# EXPECTED.md §6: both files (numbers, and text "1 418 600,00")
EXPECTED = {
    "current": 191768630,
    "1-30": 18816000,
    "31-60": 141860000,
    "61-90": 38970000,
    "91-120": 4800000,
    "121+": 31248000,
    "receivable": 427462630,
    "unapplied": -65500000,
    "net": 361962630,
    "items": 12,
}
FILES = ["1c-osv-62.xlsx", "1c-osv-62.text-amounts.xlsx"]


@pytest.mark.parametrize("name", FILES)
@pytest.mark.parametrize("preset", ["1c-osv62", None])
def test_the_examples_give_the_expected_figures(name, preset):
    ledger = arbook.read_ledger(EXAMPLES / name, preset=preset)
    assert ledger.preset == "1c-osv62" and ledger.errors.empty
    assert set(ledger.issues["code"]) == {"open_items_only"}
    assert figures(ledger) == EXPECTED
    assert str(ledger.report_date.date()) == AS_OF  # «Период: 2 квартал 2026 г.»
    assert ledger.open_items_only and "due dates" in ledger.lacks


def frames(ledger: arbook.Ledger) -> tuple[list[list[object]], list[list[object]]]:
    inv = ledger.invoices[["invoice_id", "customer_id", "invoice_date", "amount_cents"]]
    pay = ledger.payments[["payment_id", "customer_id", "payment_date", "amount_cents"]]
    return inv.astype(str).values.tolist(), pay.astype(str).values.tolist()


def test_both_examples_give_the_same_ledger():
    numbers, text = (arbook.read_ledger(EXAMPLES / name) for name in FILES)
    assert frames(numbers) == frames(text)


def test_the_documents_as_items():
    ledger = arbook.read_ledger(EXAMPLES / FILES[0])
    inv = ledger.invoices.set_index("invoice_id")
    # id = number + date; date from the text, the time dropped; customer = the контрагент above
    row = inv.loc["0000-000402 от 21.04.2026"]
    assert str(row["invoice_date"].date()) == "2026-04-21" and row["amount_cents"] == 141860000
    assert row["customer_id"] == 'АО "УралТрансМаш"' and row["contract"].startswith(
        "Договор поставки"
    )
    # no due dates: the policy's default terms
    assert set(ledger.invoices["due_from"]) == {"default"}
    # settled documents (no closing balance) are not items
    for settled in ("0000-000318", "0000-000301", "0000-000377", "0000-000390"):
        assert not any(i.startswith(settled) for i in inv.index)
    # 62.02 closing Кредит: advances, unapplied cash of their customers (positive payment rows)
    pay = ledger.payments.set_index("payment_id")
    assert pay["amount_cents"].to_dict() == {
        "0000-000512 от 03.04.2026": 9000000,
        "0000-000037 от 29.06.2026": 2500000,
        "0000-000731 от 24.06.2026": 54000000,
    }
    assert pay.loc["0000-000037 от 29.06.2026", "customer_id"] == 'ООО "ПромЛогистик"'
    assert pay["allocated_invoice_id"].isna().all()


HEADER = [
    ["Счет", None, "Сальдо на начало периода", None, "Обороты за период", None,
     "Сальдо на конец периода", None],
]  # fmt: skip


def osv(
    path: Path,
    period: str,
    levels: list[str],
    rows: list[tuple[int, str, list[object]]],
    *,
    indent: str = "both",
    total: str = "Итого",
) -> Path:
    """A 1C turnover sheet at ``path``: title block, the header (``levels`` below «Счет»), then
    ``rows`` of (level, column A text, the six balances), then ``total``; ``indent`` says how
    the levels are shown: column A's indent, the rows' outline level, both or none."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "TDSheet"
    for title in ['ООО "Ромашка"', "Оборотно-сальдовая ведомость по счету 62", period,
                  "Выводимые данные: БУ (данные бухгалтерского учета)", None]:  # fmt: skip
        sheet.append([title])
    sheet.append(HEADER[0])
    for i, level in enumerate(levels):
        sheet.append([level, None, *(["Дебет", "Кредит"] * 3 if i == 0 else [])])
    for level, text, amounts in rows:
        sheet.append([text, None, *amounts])
        row = sheet.max_row
        if indent in ("both", "indent"):
            sheet.cell(row, 1).alignment = Alignment(indent=level)
        if indent in ("both", "outline"):
            sheet.row_dimensions[row].outline_level = level
    sheet.append([total, None])
    book.save(path)
    return path


def z(*closing: object) -> list[object]:
    """Balances with only the closing pair filled."""
    return [None, None, None, None, *closing]


# Контрагенты and Документы only (no Договоры), «Период: Июнь 2026 г.», amounts as text with
# a trailing-minus cell nowhere; a document whose number has letters; an «Итого развернутое».
# As of 2026-06-30: РН-17 of 15.05 owed 1 000,00 (due 14.06: 16 days, 1-30); ПКО-3 an advance
# of 250,50; a settled document.
OWN_ROWS = [
    (0, "62", z("1 000,00", "250,50")),
    (1, "62.01", z("1 000,00", None)),
    (2, "ООО Альфа", z("1 000,00", None)),
    (3, "Реализация (акт, накладная, УПД) РН-17 от 15.05.2026 0:00:00", z("1\xa0000,00", None)),
    (3, "Реализация (акт, накладная, УПД) РН-18 от 16.05.2026 9:41:17", z(None, None)),
    (1, "62.02", z(None, "250,50")),
    (2, "ИП Бета", z(None, "250,50")),
    (3, "Приходный кассовый ордер ПКО-3 от 29.06.2026 12:00:00", z(None, "250,50")),
]


@pytest.mark.parametrize("indent", ["both", "indent", "outline", "none"])
def test_a_report_of_our_own(tmp_path, indent):
    path = osv(
        tmp_path / "osv.xlsx",
        "Период: Июнь 2026 г.",
        ["Контрагенты", "Документы расчетов с контрагентом"],
        OWN_ROWS,
        indent=indent,
        total="Итого развернутое",
    )
    ledger = arbook.read_ledger(path)
    assert ledger.preset == "1c-osv62" and ledger.errors.empty
    got = figures(ledger)
    assert (got["1-30"], got["unapplied"], got["net"], got["items"]) == (100000, -25050, 74950, 2)
    assert ledger.invoices["invoice_id"].tolist() == ["РН-17 от 15.05.2026"]
    assert ledger.payments["customer_id"].tolist() == ["ИП Бета"]
    assert str(ledger.report_date.date()) == AS_OF


def test_a_document_outside_any_counterparty_is_left_out_and_said(tmp_path):
    rows = [OWN_ROWS[0], OWN_ROWS[1], OWN_ROWS[3], *OWN_ROWS[5:]]
    path = osv(tmp_path / "osv.xlsx", "Период: 2 квартал 2026 г.",
               ["Контрагенты", "Документы расчетов с контрагентом"], rows)  # fmt: skip
    ledger = arbook.read_ledger(path)
    unread = ledger.issues[ledger.issues["code"] == "unread_row"]
    assert unread["source_line"].tolist() == [11]  # 5 title rows, 3 header rows, 62, 62.01
    assert "outside any контрагент" in unread["message"].iloc[0]
    assert ledger.invoices.empty and len(ledger.payments) == 1


def test_a_report_without_documents_is_refused_by_name(tmp_path):
    rows = [(0, "62", z("1 000,00", None)), (1, "ООО Альфа", z("1 000,00", None))]
    path = osv(tmp_path / "osv.xlsx", "Период: 2026 г.", ["Контрагенты"], rows)
    ledger = arbook.read_ledger(path, preset="1c-osv62")
    assert ledger.invoices.empty
    assert "no «Документы расчетов с контрагентом» grouping" in ledger.errors["message"].iloc[0]


@pytest.mark.parametrize(
    ("text", "end"),
    [
        ("Период: 2 квартал 2026 г.", "2026-06-30"),
        ("Период: IV квартал 2025 г.", "2025-12-31"),
        ("Период: Июнь 2026 г.", "2026-06-30"),
        ("Период: Февраль 2028 г.", "2028-02-29"),
        ("Период: Январь - Май 2026 г.", "2026-05-31"),
        ("Период: 01.01.2026 - 30.06.2026", "2026-06-30"),
        ("Период: 9 месяцев 2026 г.", "2026-09-30"),
        ("Период: 1 полугодие 2026 г.", "2026-06-30"),
        ("Период: 2026 г.", "2026-12-31"),
        ("Оборотно-сальдовая ведомость по счету 62 за 1 квартал 2026 г.", "2026-03-31"),
    ],
)
def test_period_texts(text, end):
    assert str(period_end(text).date()) == end


def test_no_period_no_date():
    assert period_end("Выводимые данные: БУ") is None


def number(cell: object) -> float | None:
    """1C's text amount as the number a numeric cell holds."""
    if cell is None:
        return None
    return float(str(cell).replace("\xa0", "").replace(" ", "").replace(",", "."))


def test_a_workbook_with_real_numbers_and_dates_in_the_title(tmp_path):
    rows = [(level, text, [number(v) for v in amounts]) for level, text, amounts in OWN_ROWS]
    path = osv(tmp_path / "osv.xlsx", f"Период: 01.06.2026 - {dt.date(2026, 6, 30):%d.%m.%Y}",
               ["Контрагенты", "Документы расчетов с контрагентом"], rows)  # fmt: skip
    ledger = arbook.read_ledger(path)
    assert ledger.errors.empty and figures(ledger)["net"] == 74950


OTHERS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize(
    "path", [*OTHERS, SAMPLE / "invoices.csv", IBM], ids=lambda p: Path(p).name
)
def test_recognises_its_examples_and_no_other(path):
    assert PRESETS["1c-osv62"].recognises(read_grid(path)) == path.name.startswith("1c-")


@pytest.mark.parametrize("indent", ["indent", "outline"])
def test_the_level_not_the_text_tells_a_row(tmp_path, indent):
    # a контрагент whose name holds «Договор»: only its level says it is not a contract
    rows = [
        (0, "62", z("500,00", None)),
        (1, "62.01", z("500,00", None)),
        (2, "ООО «Договорные решения»", z("500,00", None)),
        (3, "Основной договор", z("500,00", None)),
        (
            4,
            "Реализация (акт, накладная, УПД) 0000-000009 от 01.06.2026 0:00:00",
            z("500,00", None),
        ),
    ]
    levels = ["Контрагенты", "Договоры", "Документы расчетов с контрагентом"]
    path = osv(tmp_path / "osv.xlsx", "Период: Июнь 2026 г.", levels, rows, indent=indent)
    ledger = arbook.read_ledger(path)
    assert ledger.invoices["customer_id"].tolist() == ["ООО «Договорные решения»"]
    assert ledger.invoices["contract"].tolist() == ["Основной договор"]


def test_indicator_lines_are_not_rows_of_their_own(tmp_path):
    # with several indicators (БУ, НУ) or a currency, each row has further lines, column A blank
    rows = [OWN_ROWS[0], (0, "", z("1 000,00", "250,50")), *OWN_ROWS[1:4]]
    rows += [(3, "", z("1 000,00", None)), *OWN_ROWS[4:]]
    path = osv(tmp_path / "osv.xlsx", "Период: Июнь 2026 г.",
               ["Контрагенты", "Документы расчетов с контрагентом"], rows)  # fmt: skip
    ledger = arbook.read_ledger(path)
    assert ledger.errors.empty and figures(ledger)["net"] == 74950
