"""The SPEC §2–3 rules as Ibis expressions equal the in-memory path to the cent, on every engine:
a hypothesis property over random ledgers (engine_cases.cases), for the aging, the summary and
the monthly metrics, from a validated Ledger and from the raw tables a client keeps.

DuckDB always; PostgreSQL when ARBOOK_TEST_POSTGRES_URL is set (CI sets it); Spark when pyspark
and Java are there (CI installs Java). Each engine is a class, so pytest-xdist's loadscope
spreads them over the workers; a connection (a Spark session) is made once per class.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import ibis
import pandas as pd
import pytest
from engine_cases import (
    PG_URL,
    assert_same,
    cases,
    ledger_of,
    spark_or_skip,
    write_parquet,
    write_postgres,
)
from hypothesis import HealthCheck, Phase, given, settings

from arbook.core.config import bucket_labels
from arbook.engines import expressions, source
from arbook.engines.backends import connect

QUICK = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
#: a server engine's few examples, not shrunk (each query takes a second or more there): a
#: failure shows the example as drawn
SLOW = settings(
    max_examples=6,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
)


@pytest.fixture(scope="class")
def duckdb_con():
    return connect("duckdb")


@pytest.fixture(scope="class")
def schema_url():
    from conftest import pg_schema

    with pg_schema() as url:
        yield url


@pytest.fixture(scope="class")
def postgres_con(schema_url):
    return connect("postgres", schema_url)


@pytest.fixture(scope="class")
def spark_con():
    spark_or_skip()
    return connect("spark")


class TestDuckDB:
    @QUICK
    @given(cases())
    def test_from_a_ledger_equals_memory(self, duckdb_con, case):
        ledger = ledger_of(case)
        assert_same(source("duckdb", ledger, con=duckdb_con), ledger, case)

    @QUICK
    @given(cases())
    def test_from_parquet_files_equals_memory(self, case):
        ledger = ledger_of(case)
        with tempfile.TemporaryDirectory() as folder:
            data = write_parquet(case, Path(folder) / "data")
            assert_same(source("duckdb", data), ledger, case)


@pytest.mark.skipif(
    not PG_URL, reason="ARBOOK_TEST_POSTGRES_URL is unset; CI sets it to run these on PostgreSQL"
)
class TestPostgres:
    @SLOW
    @given(cases())
    def test_from_a_ledger_equals_memory(self, postgres_con, case):
        ledger = ledger_of(case)
        assert_same(source("postgres", ledger, con=postgres_con), ledger, case)

    def test_the_tables_sent_with_a_query_are_analysed(self, postgres_con):
        """The small tables Ibis sends with a query (the as-of dates, a ledger's frames) are
        temporary tables, which PostgreSQL never analyses on its own; arbook analyses them, so
        the planner knows their size (an unanalysed one made the 1M summary run for minutes)."""
        import arbook

        ledger = arbook.read_ledger(Path(__file__).resolve().parents[2] / "data" / "sample")
        arbook.aging_summary(source("postgres", ledger, con=postgres_con), "2026-10-31")
        with postgres_con.con.cursor() as cursor:
            cursor.execute(
                "SELECT relname, reltuples FROM pg_class "
                "WHERE relpersistence = 't' AND relkind = 'r' AND relname LIKE 'ibis_%'"
            )
            found = cursor.fetchall()
        assert found, "no temporary table was sent"
        assert all(tuples >= 0 for _name, tuples in found), found  # -1: never analysed

    @SLOW
    @given(cases())
    def test_from_database_tables_equals_memory(self, schema_url, case):
        ledger = ledger_of(case)
        write_postgres(case, schema_url)
        assert_same(source("postgres", db=schema_url), ledger, case)


class TestSpark:
    @settings(SLOW, max_examples=4)
    @given(cases())
    def test_from_a_ledger_equals_memory(self, spark_con, case):
        ledger = ledger_of(case)
        assert_same(source("spark", ledger, con=spark_con), ledger, case)


# --- the expressions themselves, on a ledger worked out by hand -------------------------------


def _tables():
    """Invoices I1 (A, 100.00, due day 100), I2 (A, 50.00, due day 130), credit note C1 (A,
    -20.00) applied to I1, and a credit C2 (B, -5.00, day 120) standalone; payments: 30.00 to
    I1 on day 110, 10.00 unapplied from B on day 125 and 7.00 to I2 dated day 200 (after D)."""
    invoices = ibis.memtable(
        pd.DataFrame(
            {
                "invoice_id": ["I1", "I2", "C1", "C2"],
                "customer_id": ["A", "A", "A", "B"],
                "inv_day": [70, 100, 105, 120],
                "due_day": [100, 130, 105, 120],
                "inv_month": [2, 3, 3, 3],
                "due_month": [3, 4, 3, 3],
                "amount_cents": [10_000, 5_000, -2_000, -500],
                "applied_invoice_id": [None, None, "I1", None],
                "disputed": [False, True, False, False],
            }
        )
    )
    payments = ibis.memtable(
        pd.DataFrame(
            {
                "payment_id": ["P1", "P2", "P3"],
                "customer_id": ["A", "B", "A"],
                "pay_day": [110, 125, 200],
                "amount_cents": [3_000, 1_000, 700],
                "allocated_invoice_id": ["I1", None, "I2"],
            }
        )
    )
    return invoices, payments


def test_open_items_by_hand():
    invoices, payments = _tables()
    days = expressions.as_of_days([130], [4])
    items = expressions.open_items(invoices, payments, days, "due", (30, 60, 90, 120))
    got = ibis.duckdb.connect().execute(items.order_by("document_id"))
    # I1: 100 - 30 paid - 20 credited = 50, 30 days late: 1-30 (code 1, the edge's own day);
    # I2: 50, due on D: current (code 0), disputed; C2: -5 and P2: -10: unapplied (code 6);
    # P3 (after D) does not exist yet; C1 is applied, not an item.
    assert got["document_id"].tolist() == ["C2", "I1", "I2", "P2"]
    assert got["outstanding_cents"].tolist() == [-500, 5_000, 5_000, -1_000]
    assert got["paid_cents"].tolist() == [0, 3_000, 0, 1_000]
    assert got["credited_cents"].tolist() == [0, 2_000, 0, 0]
    assert got["days_overdue"].tolist() == [10, 30, 0, 5]
    assert got["bucket_code"].tolist() == [6, 1, 0, 6]
    assert got["disputed"].tolist() == [False, False, True, False]
    assert got["kind"].tolist() == ["credit_note", "invoice", "invoice", "payment"]


def test_day_states_and_sales_by_hand():
    invoices, payments = _tables()
    days = expressions.as_of_days([130, 104], [4, 3])
    items = expressions.open_items(invoices, payments, days, "invoice", (30, 60, 90, 120))
    con = ibis.duckdb.connect()
    states = con.execute(expressions.day_states(items, (30, 60, 90, 120)).order_by("as_of"))
    # day 104: I1 100.00 (34 days since its invoice date: 31-60, b2; 4 days past due) and I2
    # 50.00 (4 days old: b1, not yet due); nothing unapplied yet.
    assert states["as_of"].tolist() == [104, 130]
    assert states["ar"].tolist() == [15_000, 10_000]
    assert states["b2"].tolist() == [10_000, 5_000]
    assert states["b1"].tolist() == [5_000, 5_000]
    assert states["overdue"].tolist() == [10_000, 5_000]
    assert states["unapplied"].tolist() == [0, -1_500]
    sales = con.execute(expressions.monthly_sales(invoices).order_by("month"))
    assert sales.to_dict("list") == {"month": [2, 3], "sales": [10_000, 2_500]}
    assert len(bucket_labels((30, 60, 90, 120))) == 6
