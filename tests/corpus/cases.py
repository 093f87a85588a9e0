"""A corpus of malformed and unusual ledgers, each with what reading it must give.

Every case is a folder of files (bytes, text, or a function that writes them) and its expected
result, stated exactly: the issues as ``(code, file, line)`` (``None`` for a file-level issue),
in the order ``ledger.issues`` lists them, and the money that gets in (each accepted invoice's
cents; the accepted payments' total), or the fragment of the :class:`~arbook.DataError` that
refuses the folder. The families: encodings, separators and line ends, quoting, headers, rows,
dates, amounts, flags and whole numbers, currencies and rates, links between tables, customers,
workbooks, Parquet, file names and folders, totals.
"""

from __future__ import annotations

import codecs
import datetime as dt
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
from conftest import write_workbook

Files = dict[str, "bytes | str | Callable[[Path], None]"]
IssueKey = tuple[str, str, "int | None"]

INV = "invoice_id,customer_id,invoice_date,amount"
PAY = "payment_id,customer_id,payment_date,amount,invoice_id"
GOOD_INV = [f"{INV}", "I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"]
GOOD_PAY = [f"{PAY}", "P1,C1,2026-01-20,40.00,I1"]


@dataclass
class Case:
    name: str
    files: Files
    issues: list[IssueKey] = field(default_factory=list)
    invoices: dict[str, int] | None = None
    paid: int | None = None
    raises: str | None = None
    options: dict[str, Any] = field(default_factory=dict)


CASES: list[Case] = []


def case(name: str, files: Files, issues=(), invoices=None, paid=None, raises=None, **options):
    CASES.append(Case(name, files, list(issues), invoices, paid, raises, options))


def lines(*rows: str, end: str = "\n") -> str:
    return end.join(rows) + end


def inv(*rows: str) -> str:
    return lines(INV, *rows)


def pay(*rows: str) -> str:
    return lines(PAY, *rows)


def both(invoices: str, payments: str) -> Files:
    return {"invoices.csv": invoices, "payments.csv": payments}


OK2 = {"I1": 10000, "I2": 20000}

# -- encodings ---------------------------------------------------------------------------------
NAMES = {
    "ru": "ООО Ромашка, Москва",
    "es": "Compañía Española de Café",
}
CUST = "customer_id,name\nC1,{name}\nC2,Otra\n"
for codec, lang, warns in [
    ("utf-8", "ru", False),
    ("utf-8", "es", False),
    ("utf-8-sig", "ru", False),
    ("utf-16", "ru", False),
    ("utf-16", "es", False),
    ("utf-32", "es", False),
    ("cp1251", "ru", True),
    ("koi8_r", "ru", True),
    ("cp866", "ru", True),
    ("cp1252", "es", True),
    ("latin-1", "es", True),
]:
    text = CUST.format(name='"' + NAMES[lang] + '"') * 1
    name = f"encoding_{codec}_{lang}"
    case(
        name,
        {
            "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
            "customers.csv": text.encode(codec),
        },
        issues=[("guessed_encoding", "customers.csv", None)] if warns else [],
        invoices=OK2,
    )
for codec in ("utf-16", "utf-8-sig", "cp1251"):
    case(
        f"encoding_invoices_{codec}",
        {
            "invoices.csv": inv("I1,Ромашка,2026-01-05,100.00", "I2,C2,2026-01-06,200.00").encode(
                codec
            )
        },
        issues=[("guessed_encoding", "invoices.csv", None)] if codec == "cp1251" else [],
        invoices=OK2,
    )
case(
    "encoding_given_cp1252",
    {"invoices.csv": inv("I1,Café,2026-01-05,100.00", "I2,C2,2026-01-06,200.00").encode("cp1252")},
    invoices=OK2,
    encoding="cp1252",
)
case(
    "encoding_given_wrong_is_located",
    {"invoices.csv": inv("I1,Café,2026-01-05,100.00").encode("cp1252")},
    issues=[("unreadable_file", "invoices.csv", 2)],
    invoices={},
    encoding="utf-8",
)
case(
    "encoding_non_utf8_invoices_with_payments",  # issue 11 item 1: used to crash
    {
        "invoices.csv": b"\x00\x01\x02" * 20 + b"\xff\xfe\xfd",
        "payments.csv": pay("P1,C1,2026-01-20,40.00,I1"),
    },
    issues=[("unreadable_file", "invoices.csv", 1), ("unknown_invoice", "payments.csv", 2)],
    invoices={},
    paid=4000,
)

# -- separators and line ends ------------------------------------------------------------------
for sep in (";", "\t", "|"):
    case(
        f"separator_{ord(sep)}",
        {
            "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00").replace(
                ",", sep
            )
        },
        invoices=OK2,
    )
case(
    "separator_semicolon_decimal_comma",
    {
        "invoices.csv": lines(
            "invoice_id;customer_id;invoice_date;amount",
            "I1;C1;2026-01-05;1.234,50",
            "I2;C2;2026-01-06;200,00",
        )
    },
    invoices={"I1": 123450, "I2": 20000},
    decimal=",",
)
for label, end in (("crlf", "\r\n"), ("cr", "\r"), ("lf", "\n")):
    case(
        f"line_end_{label}",
        {"invoices.csv": lines(INV, "I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00", end=end)},
        invoices=OK2,
    )
case(
    "line_end_mixed",
    {"invoices.csv": INV + "\r\nI1,C1,2026-01-05,100.00\nI2,C2,2026-01-06,200.00\r"},
    invoices=OK2,
)
case(
    "line_end_none_at_the_end",
    {"invoices.csv": INV + "\nI1,C1,2026-01-05,100.00\nI2,C2,2026-01-06,200.00"},
    invoices=OK2,
)
case(
    "blank_lines_between_and_after",
    {
        "invoices.csv": inv(
            "", "I1,C1,2026-01-05,100.00", "   ", "", "I2,C2,2026-01-06,200.00", "", ""
        )
    },
    invoices=OK2,
)
case(
    "blank_lines_of_separators",
    {"invoices.csv": inv("I1,C1,2026-01-05,100.00", ",,,", "I2,C2,2026-01-06,200.00")},
    invoices=OK2,
)
case(
    "form_feed_inside_a_cell_is_no_line_break",
    {"invoices.csv": inv("I1,C1\x0cX,2026-01-05,100.00", "I2,C2,2026-01-06,200.00")},
    invoices=OK2,
)
case(
    "unicode_line_separator_inside_a_cell",
    {"invoices.csv": inv("I1,C1\u2028X,2026-01-05,100.00", "I2,C2,2026-01-06,200.00")},
    invoices=OK2,
)

# -- quoting -----------------------------------------------------------------------------------
case(
    "quoted_cells",
    {"invoices.csv": inv('"I1","C1","2026-01-05","100.00"', '"I2",C2,2026-01-06,"200.00"')},
    invoices=OK2,
)
case(
    "quoted_separator_in_amount",
    {"invoices.csv": inv('I1,C1,2026-01-05,"1,000.00"', "I2,C2,2026-01-06,200.00")},
    invoices={"I1": 100000, "I2": 20000},
)
case(
    "doubled_quotes_in_a_name",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
        "customers.csv": 'customer_id,name\nC1,"ООО ""Ромашка"""\n',
    },
    invoices=OK2,
)
case(
    "unclosed_quote_swallows_nothing",  # issue 11 item 2
    {
        "invoices.csv": inv(
            "I1,C1,2026-01-05,100.00",
            '"I2,C1,2026-01-06,200.00',
            "I3,C1,2026-01-07,300.00",
            "I4,C1,2026-01-08,400.00",
        )
    },
    issues=[("unclosed_quote", "invoices.csv", 3)],
    invoices={"I1": 10000, "I3": 30000, "I4": 40000},
)
case(
    "unclosed_quote_on_the_last_line",
    {"invoices.csv": inv("I1,C1,2026-01-05,100.00", 'I2,C1,2026-01-06,"200.00')},
    issues=[("unclosed_quote", "invoices.csv", 3)],
    invoices={"I1": 10000},
)
case(
    "unclosed_quote_on_the_first_row",
    {"invoices.csv": inv('I1,"C1,2026-01-05,100.00', "I2,C2,2026-01-06,200.00")},
    issues=[("unclosed_quote", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
case(
    "quote_closing_lines_later",
    {
        "invoices.csv": inv(
            '"I1,C1,2026-01-05,100.00', "I2,C2,2026-01-06,200.00", 'I3",C3,2026-01-07,300.00'
        )
    },
    # line 4 is read as it stands: a quote inside a cell is text, so its invoice is I3"
    issues=[("unclosed_quote", "invoices.csv", 2)],
    invoices={"I2": 20000, 'I3"': 30000},
)
case(
    "unclosed_quote_in_payments",
    both(
        inv("I1,C1,2026-01-05,100.00"),
        pay('P1,C1,2026-01-20,"40.00,I1', "P2,C1,2026-01-21,10.00,I1"),
    ),
    issues=[("unclosed_quote", "payments.csv", 2)],
    invoices={"I1": 10000},
    paid=1000,
)
case(
    "multi_line_address_is_one_cell",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
        "customers.csv": 'customer_id,name,address\nC1,Alpha,"1 Main St\nSpringfield"\nC2,Beta,x\n',
    },
    invoices=OK2,
)
case(
    "text_after_a_closing_quote",
    {"invoices.csv": inv('I1,"C1"x,2026-01-05,100.00', "I2,C2,2026-01-06,200.00")},
    issues=[("bad_line", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
case(
    "quote_inside_an_unquoted_cell_is_text",
    {"invoices.csv": inv('I1,C"1,2026-01-05,100.00', "I2,C2,2026-01-06,200.00")},
    invoices=OK2,
)
case(
    "nul_in_a_line",
    {"invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,2\x0000.00")},
    issues=[("bad_line", "invoices.csv", 3)],
    invoices={"I1": 10000},
)
case(
    "quoted_header",
    {
        "invoices.csv": lines(
            '"invoice_id","customer_id","invoice_date","amount"',
            "I1,C1,2026-01-05,100.00",
            "I2,C2,2026-01-06,200.00",
        )
    },
    invoices=OK2,
)

# -- headers -----------------------------------------------------------------------------------
for header in (
    "Invoice ID,Customer ID,Invoice Date,Amount",
    "INVOICE_ID,CUSTOMER-ID,invoice date, amount ",
):
    case(
        f"header_spelled_{len(header)}",
        {"invoices.csv": lines(header, "I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00")},
        invoices=OK2,
    )
case(
    "header_shuffled_with_extra_columns",
    {
        "invoices.csv": lines(
            "amount,notes,invoice_date,invoice_id,x,customer_id",
            "100.00,n,2026-01-05,I1,,C1",
            "200.00,,2026-01-06,I2,y,C2",
        )
    },
    invoices=OK2,
)
case(
    "header_exact_duplicate",  # issue 11 item 7
    {
        "invoices.csv": lines(
            "invoice_id,customer_id,invoice_date,amount,amount",
            "I1,C1,2026-01-05,100.00,999.00",
            "I2,C2,2026-01-06,200.00,1.00",
        )
    },
    issues=[("duplicate_column", "invoices.csv", None)],
    invoices=OK2,
)
case(
    "header_duplicate_after_normalising",
    {
        "invoices.csv": lines(
            "invoice_id,customer_id,invoice_date,amount,Amount ",
            "I1,C1,2026-01-05,100.00,1",
            "I2,C2,2026-01-06,200.00,2",
        )
    },
    issues=[("duplicate_column", "invoices.csv", None)],
    invoices=OK2,
)
for missing in ("invoice_id", "customer_id", "invoice_date", "amount"):
    cols = [c for c in INV.split(",") if c != missing]
    case(
        f"invoices_missing_{missing}",
        both(lines(",".join(cols), ",".join("x" for _ in cols)), pay("P1,C1,2026-01-20,40.00,I1")),
        issues=[("missing_column", "invoices.csv", 1), ("unknown_invoice", "payments.csv", 2)],
        invoices={},
        paid=4000,
    )
for missing in ("payment_id", "customer_id", "payment_date", "amount"):
    cols = [c for c in PAY.split(",") if c != missing]
    case(
        f"payments_missing_{missing}",
        both(inv("I1,C1,2026-01-05,100.00"), lines(",".join(cols), ",".join("1" for _ in cols))),
        issues=[("missing_column", "payments.csv", 1)],
        invoices={"I1": 10000},
        paid=0,
    )
case(
    "header_only_invoices_with_payments",  # issue 11 item 1
    both(lines(INV), pay("P1,C1,2026-01-20,40.00,I1")),
    issues=[("no_invoices", "invoices.csv", None), ("unknown_invoice", "payments.csv", 2)],
    invoices={},
    paid=4000,
)
case(
    "empty_invoices_with_payments",
    both("", pay("P1,C1,2026-01-20,40.00,I1")),
    issues=[("no_invoices", "invoices.csv", None), ("unknown_invoice", "payments.csv", 2)],
    invoices={},
    paid=4000,
)
case(
    "blank_lines_only_invoices",
    both("\n\n\n", pay("P1,C1,2026-01-20,40.00,")),
    issues=[("missing_column", "invoices.csv", 1)] * 4,
    invoices={},
    paid=4000,
)
case(
    "empty_payments",
    both(inv("I1,C1,2026-01-05,100.00"), ""),
    issues=[("empty_file", "payments.csv", None)],
    invoices={"I1": 10000},
    paid=0,
)
case(
    "row_number_column_without_a_name",  # issue 11 item 6 (pandas index=True)
    {"invoices.csv": lines("," + INV, "0,I1,C1,2026-01-05,100.00", "1,I2,C2,2026-01-06,200.00")},
    issues=[("unnamed_column", "invoices.csv", None)],
    invoices=OK2,
)
case(
    "trailing_separators_on_every_line",
    {"invoices.csv": lines(INV + ",,", "I1,C1,2026-01-05,100.00,,", "I2,C2,2026-01-06,200.00,,")},
    invoices=OK2,
)
case(
    "header_cell_of_200k_characters",
    {
        "invoices.csv": lines(
            INV + ",x" + "y" * 200_000, "I1,C1,2026-01-05,100.00,1", "I2,C2,2026-01-06,200.00,2"
        )
    },
    invoices=OK2,
)
case(
    "two_thousand_columns",
    {
        "invoices.csv": lines(
            INV + "".join(f",x{i}" for i in range(2000)),
            *(f"I{n},C{n},2026-01-0{n},1.00" + ",v" * 2000 for n in (1, 2)),
        )
    },
    invoices={"I1": 100, "I2": 100},
)
case(
    "bom_before_the_header",
    {
        "invoices.csv": codecs.BOM_UTF8
        + inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00").encode()
    },
    invoices=OK2,
)

# -- rows --------------------------------------------------------------------------------------
case(
    "one_cell_more_than_the_header",  # issue 11 item 6
    {"invoices.csv": inv("I1,C1,2026-01-05,100.00,extra", "I2,C2,2026-01-06,200.00")},
    issues=[("extra_cells", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
case(
    "unquoted_thousands_separator_makes_a_cell_more",
    {"invoices.csv": inv("I1,C1,2026-01-05,1,000.00", "I2,C2,2026-01-06,200.00")},
    issues=[("extra_cells", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
case(
    "a_short_row_lacks_its_amount",
    {"invoices.csv": inv("I1,C1,2026-01-05", "I2,C2,2026-01-06,200.00")},
    issues=[("missing_value", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
for column in range(4):
    cells = ["I1", "C1", "2026-01-05", "100.00"]
    cells[column] = "  "
    case(
        f"blank_required_cell_{INV.split(',')[column]}",
        {"invoices.csv": inv(",".join(cells), "I2,C2,2026-01-06,200.00")},
        issues=[("missing_value", "invoices.csv", 2)],
        invoices={"I2": 20000},
    )
case(
    "spaces_around_cells",
    {"invoices.csv": inv(" I1 , C1 , 2026-01-05 , 100.00 ", "I2,C2,2026-01-06,200.00")},
    invoices=OK2,
)
case(
    "duplicate_invoice_keeps_the_first",
    {
        "invoices.csv": inv(
            "I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00", "I1,C1,2026-01-07,999.00"
        )
    },
    issues=[("duplicate_invoice", "invoices.csv", 4)],
    invoices=OK2,
)
case(
    "control_characters_in_a_name",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
        "customers.csv": "customer_id,name\nC1,\x1b[31mRed\x07\n",
    },
    invoices=OK2,
)


# -- dates -------------------------------------------------------------------------------------
for label, date, ok in [
    ("iso", "2026-01-06", True),
    ("with_midnight", "2026-01-06 00:00:00", True),  # issue 11 item 8
    ("with_time_t", "2026-01-06T10:15:03", True),
    ("with_time_zone", "2026-01-06T10:15:03+02:00", True),
    ("compact", "20260106", True),
    ("day_month_name", "6-Jan-2026", True),
    ("day_month_name_spaces", "15 Jul 2026", True),
    ("feb_30", "2026-02-30", False),
    ("month_13", "2026-13-01", False),
    ("words", "yesterday", False),
    ("number", "46028", False),
]:
    case(
        f"date_{label}",
        {"invoices.csv": inv(f"I1,C1,{date},100.00", "I2,C2,2026-01-06,200.00")},
        issues=[] if ok else [("bad_date", "invoices.csv", 2)],
        invoices=OK2 if ok else {"I2": 20000},
    )
case(
    "dates_day_first_settled_by_one_value",  # issue 11 item 8
    {"invoices.csv": inv("I1,C1,05/01/2026,100.00", "I2,C2,19/04/2026,200.00")},
    invoices=OK2,
)
case(
    "dates_month_first_settled_by_one_value",
    {"invoices.csv": inv("I1,C1,01/05/2026,100.00", "I2,C2,04/19/2026,200.00")},
    invoices=OK2,
)
case(
    "dates_all_ambiguous",
    both(
        inv("I1,C1,05/01/2026,100.00", "I2,C2,06/01/2026,200.00"), pay("P1,C1,2026-01-20,40.00,I1")
    ),
    issues=[
        ("ambiguous_date", "invoices.csv", 2),
        ("ambiguous_date", "invoices.csv", 3),
        ("unknown_invoice", "payments.csv", 2),
    ],
    invoices={},
    paid=4000,
)
case(
    "dates_all_ambiguous_with_the_order_given",
    {"invoices.csv": inv("I1,C1,05/01/2026,100.00", "I2,C2,06/01/2026,200.00")},
    invoices=OK2,
    date_order="dmy",
)
case(
    "dates_whole_file_day_first_with_payments",  # README's example; issue 11 item 1
    both(
        inv("I1,C1,05/01/2026,100.00", "I2,C2,06/01/2026,200.00"), pay("P1,C1,20/01/2026,40.00,I1")
    ),
    invoices=OK2,
    paid=4000,
    date_order="dmy",
)
case(
    "dates_contradicting_orders",
    {
        "invoices.csv": inv(
            "I1,C1,19/04/2026,100.00", "I2,C2,04/19/2026,200.00", "I3,C3,2026-01-07,300.00"
        )
    },
    issues=[("bad_date", "invoices.csv", 3)],
    invoices={"I1": 10000, "I3": 30000},
)
case(
    "due_date_blank_uses_terms",
    {
        "invoices.csv": lines(
            INV + ",due_date", "I1,C1,2026-01-05,100.00,", "I2,C2,2026-01-06,200.00,2026-02-05"
        )
    },
    invoices=OK2,
)
case(
    "due_before_invoice_is_kept",
    {
        "invoices.csv": lines(
            INV + ",due_date", "I1,C1,2026-01-05,100.00,2026-01-01", "I2,C2,2026-01-06,200.00,"
        )
    },
    issues=[("due_before_invoice", "invoices.csv", 2)],
    invoices=OK2,
)
case(
    "bad_payment_date",
    both(
        inv("I1,C1,2026-01-05,100.00"),
        pay("P1,C1,2026-01-32,40.00,I1", "P2,C1,2026-01-21,10.00,I1"),
    ),
    issues=[("bad_date", "payments.csv", 2)],
    invoices={"I1": 10000},
    paid=1000,
)

# -- amounts -----------------------------------------------------------------------------------
for label, cell, cents in [
    ("plain", "100", 10000),
    ("one_decimal", "100.5", 10050),
    ("thousands", '"1,234.56"', 123456),
    ("spaces_thousands", "1 234.56", 123456),
    ("nbsp_thousands", "1\u00a0234.56", 123456),
    ("dollar", "$100.00", 10000),
    ("code_after", "100.00 USD", 10000),
    ("euro_before", "€100.00", 10000),
    ("parentheses", "(100.00)", -10000),  # issue 11 item 8
    ("trailing_minus", "100.00-", -10000),
    ("unicode_minus", "\u2212100.00", -10000),
    ("leading_plus", "+100.00", 10000),
    ("negative", "-100.00", -10000),
    ("rub_word", "130 500.00 руб.", 13050000),
    ("rub_sign", "130 500.00 ₽", 13050000),
    ("largest", "9999999999999.99", 999999999999999),
    ("parentheses_and_minus", "(-100.00)", None),
    ("three_decimals", "100.001", None),
    ("exponent", "1e5", None),
    ("hex", "0x10", None),
    ("words", "one hundred", None),
    ("nan", "NaN", None),
    ("inf", "inf", None),
    ("dash", "-", None),
    ("too_large", "10000000000000.00", None),
    ("two_points", "1.000.00", None),
    ("comma_groups_wrong", '"1,23,4.00"', None),
]:
    case(
        f"amount_{label}",
        {"invoices.csv": inv(f"I1,C1,2026-01-05,{cell}", "I2,C2,2026-01-06,200.00")},
        issues=[] if cents is not None else [("bad_amount", "invoices.csv", 2)],
        invoices={"I1": cents, "I2": 20000} if cents is not None else {"I2": 20000},
    )
case(
    "amount_decimal_comma_without_the_option",
    {"invoices.csv": inv('I1,C1,2026-01-05,"100,50"', "I2,C2,2026-01-06,200.00")},
    issues=[("bad_amount", "invoices.csv", 2)],
    invoices={"I2": 20000},
)
case(
    "amount_rub_decimal_comma",  # issue 11 item 8
    {
        "invoices.csv": lines(
            "invoice_id;customer_id;invoice_date;amount",
            "I1;C1;2026-01-05;130 500,00 руб.",
            "I2;C2;2026-01-06;200,00",
        )
    },
    invoices={"I1": 13050000, "I2": 20000},
    decimal=",",
)
case(
    "payment_zero_and_negative",
    both(
        inv("I1,C1,2026-01-05,100.00"),
        pay("P1,C1,2026-01-20,0.00,I1", "P2,C1,2026-01-21,-5.00,I1", "P3,C1,2026-01-22,5.00,I1"),
    ),
    issues=[("nonpositive_payment", "payments.csv", 2), ("nonpositive_payment", "payments.csv", 3)],
    invoices={"I1": 10000},
    paid=500,
)
case(
    "credit_limit_negative",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
        "customers.csv": "customer_id,credit_limit\nC1,-5.00\nC2,1000.00\n",
    },
    issues=[("bad_amount", "customers.csv", 2)],
    invoices=OK2,
)

# -- flags, whole numbers, currencies ----------------------------------------------------------
for label, cell, ok in [
    ("yes", "yes", True),
    ("no", "no", True),
    ("true", "TRUE", True),
    ("one", "1", True),
    ("da", "да", True),
    ("si", "sí", True),
    ("blank", "", True),
    ("maybe", "maybe", False),
]:
    case(
        f"disputed_{label}",
        {
            "invoices.csv": lines(
                INV + ",disputed", f"I1,C1,2026-01-05,100.00,{cell}", "I2,C2,2026-01-06,200.00,no"
            )
        },
        issues=[] if ok else [("bad_flag", "invoices.csv", 2)],
        invoices=OK2 if ok else {"I2": 20000},
    )
for label, cell, ok in [
    ("30", "30", True),
    ("blank", "", True),
    ("negative", "-1", False),
    ("huge", "3651", False),
    ("fraction", "30.5", False),
    ("text", "net 30", False),
]:
    case(
        f"terms_days_{label}",
        {
            "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
            "customers.csv": f"customer_id,terms_days\nC1,{cell}\n",
        },
        issues=[] if ok else [("bad_number", "customers.csv", 2)],
        invoices=OK2,
    )
for label, cell, ok in [
    ("usd", "USD", True),
    ("lower", "eur", True),
    ("blank", "", True),
    ("two_letters", "EU", False),
    ("word", "EURO", False),
    ("digits", "978", False),
]:
    rates = "currency,rate\nUSD,0.9\nEUR,1\n"
    case(
        f"currency_{label}",
        {
            "invoices.csv": lines(
                INV + ",currency", f"I1,C1,2026-01-05,100.00,{cell}", "I2,C2,2026-01-06,200.00,EUR"
            ),
            "rates.csv": rates,
        },
        issues=[] if ok else [("bad_currency", "invoices.csv", 2)],
        invoices=({"I1": 9000 if label == "usd" else 10000, "I2": 20000} if ok else {"I2": 20000}),
    )

# -- rates -------------------------------------------------------------------------------------
RATED = lines(
    INV + ",currency",
    "I1,C1,2026-01-05,100.00,USD",
    "I2,C2,2026-01-06,200.00,EUR",
    "I3,C3,2026-01-07,300.00,EUR",
)
for label, rate_rows, issues, i1 in [
    ("good", ["USD,0.9"], [], 9000),
    ("missing", [], [("currency_mix", "invoices.csv", 2)], None),
    (
        "huge_exponent",
        ["USD,1e400"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    (
        "zero",
        ["USD,0"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    (
        "negative",
        ["USD,-1"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    (
        "text",
        ["USD,abc"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    (
        "nan",
        ["USD,nan"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    ("twice", ["USD,0.9", "USD,0.8"], [("duplicate_rate", "rates.csv", 4)], 9000),
    (
        "tiny",
        ["USD,0.0000001"],
        [("currency_mix", "invoices.csv", 2), ("bad_amount", "rates.csv", 3)],
        None,
    ),
    ("smallest", ["USD,0.000001"], [], 0),
    ("largest", ["USD,1000000"], [], 10**10),
]:
    case(
        f"rate_{label}",
        {"invoices.csv": RATED, "rates.csv": lines("currency,rate", "EUR,1", *rate_rows)},
        issues=issues,
        invoices={"I2": 20000, "I3": 30000} | ({"I1": i1} if i1 is not None else {}),
    )

# -- links between tables ----------------------------------------------------------------------
case(
    "payment_to_unknown_invoice",
    both(inv("I1,C1,2026-01-05,100.00"), pay("P1,C1,2026-01-20,40.00,I9")),
    issues=[("unknown_invoice", "payments.csv", 2)],
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "payment_to_another_customers_invoice",
    both(inv("I1,C1,2026-01-05,100.00"), pay("P1,C2,2026-01-20,40.00,I1")),
    issues=[("other_customer_invoice", "payments.csv", 2)],
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "payment_to_a_credit_note",
    both(
        inv("I1,C1,2026-01-05,100.00", "CN1,C1,2026-01-06,-10.00"),
        pay("P1,C1,2026-01-20,40.00,CN1"),
    ),
    issues=[("payment_to_credit_note", "payments.csv", 2)],
    invoices={"I1": 10000, "CN1": -1000},
    paid=4000,
)
case(
    "payment_unapplied",
    both(inv("I1,C1,2026-01-05,100.00"), pay("P1,C1,2026-01-20,40.00,")),
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "payment_to_a_rejected_invoice",
    both(inv("I1,C1,2026-01-05,abc"), pay("P1,C1,2026-01-20,40.00,I1")),
    issues=[("bad_amount", "invoices.csv", 2), ("unknown_invoice", "payments.csv", 2)],
    invoices={},
    paid=4000,
)
case(
    "every_invoice_rejected_payments_kept",  # issue 11 item 1
    both(
        inv("I1,C1,2026-02-30,100.00", "I2,C2,2026-13-01,200.00"),
        pay("P1,C1,2026-01-20,40.00,I1", "P2,C2,2026-01-20,10.00,"),
    ),
    issues=[
        ("bad_date", "invoices.csv", 2),
        ("bad_date", "invoices.csv", 3),
        ("unknown_invoice", "payments.csv", 2),
    ],
    invoices={},
    paid=5000,
)
case(
    "credit_note_applies_to_an_invoice",
    {
        "invoices.csv": lines(
            INV + ",applies_to", "I1,C1,2026-01-05,100.00,", "CN1,C1,2026-01-06,-10.00,I1"
        )
    },
    invoices={"I1": 10000, "CN1": -1000},
)
case(
    "credit_note_applies_to_nothing",
    {
        "invoices.csv": lines(
            INV + ",applies_to", "I1,C1,2026-01-05,100.00,", "CN1,C1,2026-01-06,-10.00,I9"
        )
    },
    issues=[("unknown_credit_target", "invoices.csv", 3)],
    invoices={"I1": 10000, "CN1": -1000},
)
case(
    "credit_note_applies_to_another_customer",
    {
        "invoices.csv": lines(
            INV + ",applies_to", "I1,C1,2026-01-05,100.00,", "CN1,C2,2026-01-06,-10.00,I1"
        )
    },
    issues=[("unknown_credit_target", "invoices.csv", 3)],
    invoices={"I1": 10000, "CN1": -1000},
)
case(
    "applies_to_on_an_invoice",
    {
        "invoices.csv": lines(
            INV + ",applies_to", "I1,C1,2026-01-05,100.00,", "I2,C1,2026-01-06,10.00,I1"
        )
    },
    issues=[("applies_to_ignored", "invoices.csv", 3)],
    invoices={"I1": 10000, "I2": 1000},
)
case(
    "duplicate_customer",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00"),
        "customers.csv": "customer_id,name\nC1,A\nC1,B\n",
    },
    issues=[("duplicate_customer", "customers.csv", 3)],
    invoices=OK2,
)


# -- workbooks ---------------------------------------------------------------------------------
def workbook(**sheets: list[list[object]]) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        write_workbook(path, **sheets)

    return write


HEAD = INV.split(",")
case(
    "xlsx_plain",
    {
        "invoices.xlsx": workbook(
            S=[
                HEAD,
                ["I1", "C1", dt.date(2026, 1, 5), 100],
                ["I2", "C2", dt.date(2026, 1, 6), 200.0],
            ]
        )
    },
    invoices=OK2,
)
case(
    "xlsx_datetime_with_a_time_of_day",  # issue 11 item 8
    {
        "invoices.xlsx": workbook(
            S=[
                HEAD,
                ["I1", "C1", dt.datetime(2026, 1, 5, 15, 30), 100],
                ["I2", "C2", dt.datetime(2026, 1, 6), 200],
            ]
        )
    },
    invoices=OK2,
)
case(
    "xlsx_float_noise",
    {
        "invoices.xlsx": workbook(
            S=[HEAD, ["I1", "C1", "2026-01-05", 0.1 + 0.2], ["I2", "C2", "2026-01-06", 200]]
        )
    },
    invoices={"I1": 30, "I2": 20000},
)
case(
    "xlsx_summary_first",  # issue 11 items 1 and 5
    {
        "invoices.xlsx": workbook(
            Summary=[["customer", "total"], ["C1", 100]],
            Data=[HEAD, ["I1", "C1", "2026-01-05", 100], ["I2", "C2", "2026-01-06", 200]],
        ),
        "payments.csv": pay("P1,C1,2026-01-20,40.00,I1"),
    },
    issues=[("ignored_sheet", "invoices.xlsx", None)],
    invoices=OK2,
    paid=4000,
)
case(
    "xlsx_split_by_year",
    {
        "invoices.xlsx": workbook(
            y2025=[HEAD, ["I1", "C1", "2025-12-05", 100]],
            y2026=[HEAD, ["I2", "C2", "2026-01-06", 200]],
        )
    },
    invoices=OK2,
)
case(
    "xlsx_split_by_year_with_header_problems_named_in_their_sheet",
    {
        "invoices.xlsx": workbook(
            y2025=[[*HEAD, "amount"], ["I1", "C1", "2025-12-05", 100, 999]],
            y2026=[[*HEAD, None], ["I2", "C2", "2026-01-06", 200, "row 2"]],
        )
    },
    issues=[
        ("duplicate_column", "invoices.xlsx [y2025]", None),
        ("unnamed_column", "invoices.xlsx [y2026]", None),
    ],
    invoices=OK2,
)
case(
    "xlsx_second_sheet_of_rows_is_not_lost",
    {
        "invoices.xlsx": workbook(
            Main=[HEAD, ["I1", "C1", "2026-01-05", 100]],
            Notes=[["note"], ["call C2"]],
        )
    },
    issues=[("ignored_sheet", "invoices.xlsx", None)],
    invoices={"I1": 10000},
)
case(
    "xlsx_header_below_blank_rows",
    {
        "invoices.xlsx": workbook(
            S=[[], [], HEAD, ["I1", "C1", "2026-01-05", 100], [], ["I2", "C2", "2026-01-06", 200]]
        )
    },
    invoices=OK2,
)
case(
    "xlsx_error_cell",
    {
        "invoices.xlsx": workbook(
            S=[HEAD, ["I1", "C1", "2026-01-05", "#N/A"], ["I2", "C2", "2026-01-06", 200]]
        )
    },
    issues=[("bad_amount", "invoices.xlsx [S]", 2)],
    invoices={"I2": 20000},
)
case(
    "xlsx_empty_workbook",
    both(b"", pay("P1,C1,2026-01-20,40.00,")) | {"invoices.xlsx": workbook(S=[])},
    raises="are all invoices",
)
case(
    "xlsx_without_cells",
    {"invoices.xlsx": workbook(S=[]), "payments.csv": pay("P1,C1,2026-01-20,40.00,")},
    issues=[("no_invoices", "invoices.xlsx", None)],
    invoices={},
    paid=4000,
)
for label, data in [
    ("not_a_zip", b"PK\x03\x04rubbish"),
    ("truncated", None),
    (
        "password",
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504 + "EncryptedPackage".encode("utf-16-le"),
    ),
    ("old_xls_damaged", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600),
    ("docx_renamed", None),
]:

    def write(path: Path, label: str = label, data: bytes | None = data) -> None:
        if label == "truncated":
            workbook(S=[HEAD, ["I1", "C1", "2026-01-05", 100]])(path)
            path.write_bytes(path.read_bytes()[:900])
        elif label == "docx_renamed":
            import zipfile

            with zipfile.ZipFile(path, "w") as z:
                z.writestr("word/document.xml", "<w/>")
        else:
            path.write_bytes(data or b"")

    case(
        f"xlsx_{label}",
        {"invoices.xlsx": write, "payments.csv": pay("P1,C1,2026-01-20,40.00,I1")},
        issues=[("unreadable_file", "invoices.xlsx", None), ("unknown_invoice", "payments.csv", 2)],
        invoices={},
        paid=4000,
    )
case(
    "csv_renamed_xlsx",
    {"invoices.xlsx": inv("I1,C1,2026-01-05,100.00", "I2,C2,2026-01-06,200.00")},
    issues=[("file_type", "invoices.xlsx", None)],
    invoices=OK2,
)
case(
    "xlsx_renamed_csv",
    {
        "invoices.csv": workbook(
            S=[HEAD, ["I1", "C1", "2026-01-05", 100], ["I2", "C2", "2026-01-06", 200]]
        )
    },
    issues=[("file_type", "invoices.csv", None)],
    invoices=OK2,
)
case(
    "xlsm_payments",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00"),
        "payments.xlsm": workbook(S=[PAY.split(","), ["P1", "C1", "2026-01-20", 40, "I1"]]),
    },
    invoices={"I1": 10000},
    paid=4000,
)


# -- Parquet -----------------------------------------------------------------------------------
def parquet(**columns: Any) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        pq.write_table(pa.table(columns), path)

    return write


IDS = {"invoice_id": ["I1", "I2"], "customer_id": ["C1", "C2"]}
DATES = [dt.date(2026, 1, 5), dt.date(2026, 1, 6)]
case(
    "parquet_int_amounts",
    {"invoices.parquet": parquet(**IDS, invoice_date=DATES, amount=[100, 200])},
    invoices=OK2,
)
case(
    "parquet_int_amount_too_large",  # issue 11 item 3
    {"invoices.parquet": parquet(**IDS, invoice_date=DATES, amount=[10**17, 200])},
    issues=[("bad_amount", "invoices.parquet", 2)],
    invoices={"I2": 20000},
)
case(
    "parquet_float_amounts",
    {"invoices.parquet": parquet(**IDS, invoice_date=DATES, amount=[100.0, 200.0])},
    invoices=OK2,
)
case(
    "parquet_float_fraction_of_a_cent",
    {"invoices.parquet": parquet(**IDS, invoice_date=DATES, amount=[100.001, 200.0])},
    issues=[("bad_amount", "invoices.parquet", 2)],
    invoices={"I2": 20000},
)
case(
    "parquet_decimal_amounts",
    {
        "invoices.parquet": parquet(
            **IDS,
            invoice_date=DATES,
            amount=pa.array(
                [Decimal("100.00"), Decimal("200.00")],
                pa.decimal128(12, 2),
            ),
        )
    },
    invoices=OK2,
)
case(
    "parquet_timestamp_with_time_zone",  # issue 11 item 9
    {
        "invoices.parquet": parquet(
            **IDS,
            invoice_date=pa.array(
                [dt.datetime(2026, 1, 5, 23, 30), dt.datetime(2026, 1, 6, 1, 0)],
                pa.timestamp("us", tz="Europe/Moscow"),
            ),
            amount=[100, 200],
        )
    },
    invoices=OK2,
)
case(
    "parquet_timestamp_with_time_of_day",
    {
        "invoices.parquet": parquet(
            **IDS,
            invoice_date=[dt.datetime(2026, 1, 5, 12), dt.datetime(2026, 1, 6, 23, 59)],
            amount=[100, 200],
        )
    },
    invoices=OK2,
)
case(
    "parquet_dictionary_strings",
    {
        "invoices.parquet": parquet(
            invoice_id=pa.array(["I1", "I2"]).dictionary_encode(),
            customer_id=pa.array(["C1", "C2"]).dictionary_encode(),
            invoice_date=DATES,
            amount=[100, 200],
        )
    },
    invoices=OK2,
)
case(
    "parquet_nested_column_is_left_out",
    {
        "invoices.parquet": parquet(
            **IDS, invoice_date=DATES, amount=[100, 200], tags=[["a"], ["b", "c"]]
        )
    },
    issues=[("unreadable_file", "invoices.parquet", None)],
    invoices=OK2,
)
case(
    "parquet_text_dates",
    {
        "invoices.parquet": parquet(
            **IDS, invoice_date=["2026-01-05", "2026-02-30"], amount=[100, 200]
        )
    },
    issues=[("bad_date", "invoices.parquet", 3)],
    invoices={"I1": 10000},
)
case(
    "parquet_damaged",
    {"invoices.parquet": b"PAR1 not really", "payments.csv": pay("P1,C1,2026-01-20,40.00,")},
    issues=[("unreadable_file", "invoices.parquet", None)],
    invoices={},
    paid=4000,
)


# -- file names and folders --------------------------------------------------------------------
def named(name: str) -> Files:
    return {"invoices.csv": inv("I1,C1,2026-01-05,100.00"), name: pay("P1,C1,2026-01-20,40.00,I1")}


for name in (
    "payments (1).csv",
    "Payments 2026.csv",
    "payments.csv.csv",
    "payment.csv",
    "pagos.csv",
    "оплаты.csv",
    "payments - Copy.csv",
):
    case(
        f"close_name_{name}",
        named(name),
        issues=[("close_name", name, None)],
        invoices={"I1": 10000},
        paid=4000,
    )
case(
    "name_tsv",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00"),
        "payments.tsv": pay("P1,C1,2026-01-20,40.00,I1").replace(",", "\t"),
    },
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "name_upper_case",
    {
        "INVOICES.CSV": inv("I1,C1,2026-01-05,100.00"),
        "Payments.Csv": pay("P1,C1,2026-01-20,40.00,I1"),
    },
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "close_name_beside_the_exact_one",
    named("payments.csv") | {"payments (1).csv": pay("P1,C1,2026-01-20,99.00,I1")},
    issues=[("close_name", "payments (1).csv", None)],
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "two_close_names",
    named("payments 2025.csv") | {"payments 2026.csv": pay("P2,C1,2026-01-21,1.00,I1")},
    raises="are all payments",
)
case(
    "two_exact_names",
    named("payments.csv") | {"payments.xlsx": workbook(S=[PAY.split(",")])},
    raises="are all payments",
)
case(
    "unknown_files_are_named",
    named("payments.csv")
    | {
        "notes.txt": "call C1",
        "clients.csv": "a\n1\n",
        "scan.pdf": b"%PDF",
        "policy.toml": "",
        "collections.db": b"",
    },
    issues=[
        ("unknown_file", "clients.csv", None),
        ("unknown_file", "notes.txt", None),
        ("unknown_file", "scan.pdf", None),
    ],
    invoices={"I1": 10000},
    paid=4000,
)
case(
    "no_invoices_file", {"payments.csv": pay("P1,C1,2026-01-20,40.00,")}, raises="no invoices file"
)


def link(target: str) -> Callable[[Path], None]:
    def write(path: Path) -> None:
        os.symlink(path.parent / target, path)

    return write


case(
    "dangling_link",
    named("notes.md") | {"payments.csv": link("gone.csv")},
    issues=[("unreadable_file", "payments.csv", None)],
    invoices={"I1": 10000},
    paid=0,
)
case(
    "link_loop",
    named("notes.md") | {"payments.csv": link("payments.csv")},
    issues=[("unreadable_file", "payments.csv", None)],
    invoices={"I1": 10000},
    paid=0,
)
case(
    "payments_is_a_folder",
    {"invoices.csv": inv("I1,C1,2026-01-05,100.00"), "payments.csv": lambda p: p.mkdir()},
    issues=[("unreadable_file", "payments.csv", None)],
    invoices={"I1": 10000},
    paid=0,
)
case(
    "link_to_a_real_file",
    {
        "invoices.csv": inv("I1,C1,2026-01-05,100.00"),
        "real.dat": pay("P1,C1,2026-01-20,40.00,I1"),
        "payments.csv": link("real.dat"),
    },
    issues=[("unknown_file", "real.dat", None)],
    invoices={"I1": 10000},
    paid=4000,
)

# -- totals ------------------------------------------------------------------------------------
case(
    "totals_beyond_int64",  # issue 11 item 3: sums of accepted amounts
    {"invoices.csv": inv(*(f"I{n},C1,2026-01-05,9999999999999.99" for n in range(5000)))},
    raises="more than arbook can hold exactly",
)
