"""The sap-open-items preset: the public "payment date prediction" extract's layout, in a few
rows of our own (there is no example of it in import-examples)."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES, IBM, SAMPLE

import arbook
from arbook.core.grid import read_grid
from arbook.core.presets import PRESETS

HEADER = (
    "business_code,cust_number,name_customer,clear_date,buisness_year,doc_id,posting_date,"
    "document_create_date,document_create_date.1,due_in_date,invoice_currency,document type,"
    "posting_id,area_business,total_open_amount,baseline_create_date,cust_payment_terms,"
    "invoice_id,isOpen"
)
# Two cleared documents (paid on their clear_date), two open ones; dates as the data set
# writes them (20200210.0, 2020-02-11 00:00:00), ids with a float's ".0".
# As of 2020-04-30: 1930659387 due 2020-04-03 (27 days, 1-30) 11,173.02 and 1930700001 due
# 2020-05-15 (current) 2,309.79; the cleared two are paid.
ROWS = """U001,0200769623,WAL-MAR corp,2020-02-11 00:00:00,2020.0,1930438491.0,2020-01-26,20200125,20200126,20200210.0,USD,RV,1.0,,54273.28,20200126.0,NAH4,1930438491.0,0
U001,0200980828,BEN E,2019-08-08 00:00:00,2019.0,1929646410.0,2019-07-22,20190722,20190722,20190811.0,USD,RV,1.0,,79656.6,20190722.0,NAD1,1929646410.0,0
U001,0200769623,WAL-MAR foundation,,2020.0,1930659387.0,2020-03-19,20200319,20200319,20200403.0,USD,RV,1.0,,11173.02,20200319.0,NAH4,1930659387.0,1
U001,0200980828,BEN E,,2020.0,1930700001.0,2020-04-15,20200415,20200415,20200515.0,USD,RV,1.0,,2309.79,20200415.0,NAD1,1930700001.0,1
"""  # noqa: E501


@pytest.fixture
def extract(tmp_path) -> Path:
    path = tmp_path / "dataset.csv"
    path.write_text(f"{HEADER}\n{ROWS}", encoding="utf-8")
    return path


@pytest.mark.parametrize("preset", ["sap-open-items", None])
def test_open_and_cleared_rows(extract, preset):
    ledger = arbook.read_ledger(extract, preset=preset)
    assert ledger.preset == "sap-open-items" and ledger.issues.empty
    assert not ledger.open_items_only  # cleared rows are paid invoices: a history
    inv = ledger.invoices.set_index("invoice_id")
    assert inv.index.tolist() == ["1930438491", "1929646410", "1930659387", "1930700001"]
    assert str(inv.loc["1930438491", "due_date"].date()) == "2020-02-10"
    assert str(inv.loc["1930438491", "invoice_date"].date()) == "2020-01-26"
    assert inv.loc["1929646410", "amount_cents"] == 7965660
    pay = ledger.payments.set_index("payment_id")
    assert pay["allocated_invoice_id"].to_dict() == {
        "CLEAR-1930438491": "1930438491",
        "CLEAR-1929646410": "1929646410",
    }
    assert str(pay.loc["CLEAR-1930438491", "payment_date"].date()) == "2020-02-11"
    items = arbook.aging(ledger, "2020-04-30").set_index("document_id")
    assert items["outstanding_cents"].to_dict() == {"1930659387": 1117302, "1930700001": 230979}
    assert items["bucket"].to_dict() == {"1930659387": "1-30", "1930700001": "current"}
    # the history gives payment behaviour: 1930438491 paid a day late
    assert ledger.customers.set_index("customer_id").loc["0200769623", "name"] == "WAL-MAR corp"
    assert inv.loc["1930438491", "cust_payment_terms"] == "NAH4"


def test_canadian_rows_keep_their_currency(tmp_path):
    path = tmp_path / "dataset.csv"
    row = "CA02,0140105686,SYSC llc,,2020.0,2960623488.0,2020-03-30,20200330,20200330,20200410.0,CAD,RV,1.0,,2309.79,20200331.0,CA10,2960623488.0,1"  # noqa: E501
    path.write_text(f"{HEADER}\n{row}\n", encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.currency == "CAD" and ledger.payments.empty


def test_a_missing_column_is_named(tmp_path):
    path = tmp_path / "dataset.csv"
    path.write_text(HEADER.replace("clear_date,", "") + "\n", encoding="utf-8")
    ledger = arbook.read_ledger(path, preset="sap-open-items")
    assert ledger.errors["column"].tolist() == ["clear_date"]


OTHERS = sorted(p for p in EXAMPLES.iterdir() if p.suffix in (".csv", ".xlsx"))


@pytest.mark.parametrize(
    "path", [*OTHERS, SAMPLE / "invoices.csv", IBM], ids=lambda p: Path(p).name
)
def test_recognises_no_other_example(path):
    assert not PRESETS["sap-open-items"].recognises(read_grid(path))


def test_recognises_the_extract(extract):
    assert PRESETS["sap-open-items"].recognises(read_grid(extract))


def test_a_repeated_row_is_paid_once(tmp_path):
    # the data set repeats some rows: the ledger keeps the first, and its clearing counts once
    path = tmp_path / "dataset.csv"
    first = ROWS.splitlines()[0]
    path.write_text(f"{HEADER}\n{first}\n{first}\n", encoding="utf-8")
    ledger = arbook.read_ledger(path)
    assert ledger.errors["code"].tolist() == ["duplicate_invoice"]
    assert len(ledger.payments) == 1 and arbook.aging(ledger, "2020-06-30").empty
