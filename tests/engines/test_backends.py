"""Sources of the engines (:mod:`arbook.engines.backends`): a Ledger, a Parquet folder (one file
or part files per table), a database's tables; the policy that applies; what is refused, and
every bad input as one clear error naming the flag."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT, ledger_of
from engine_cases import PG_URL, spark_or_skip, typed

import arbook
from arbook.core.errors import DataError, ParameterError
from arbook.engines import check_engine, source
from arbook.engines.backends import connect, parquet_folder
from arbook.measures.aging import aging, aging_summary
from arbook.measures.metrics import monthly_metrics

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-09-30"


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def _raw(name: str) -> pd.DataFrame:
    return pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)


def test_check_engine_names_the_flag():
    assert check_engine(None) == "memory" and check_engine("spark") == "spark"
    with pytest.raises(ParameterError, match=r"^--engine 'oracle' is not an engine; the engines"):
        check_engine("oracle", "--engine")
    with pytest.raises(ParameterError, match=r"^engine 'duck' is not an engine"):
        aging(arbook.read_ledger(SAMPLE), AS_OF, engine="duck")


def test_part_files_are_one_table(tmp_path, sample):
    """A folder of part files per table reads as the table (how large exports are written)."""
    for name in ("invoices", "payments"):
        table = typed(_raw(name))
        (tmp_path / name).mkdir()
        half = table.num_rows // 2
        pq.write_table(table.slice(0, half), tmp_path / name / "part-0.parquet")
        pq.write_table(table.slice(half), tmp_path / name / "part-1.parquet")
    pq.write_table(typed(_raw("customers")), tmp_path / "customers.parquet")
    (tmp_path / "policy.toml").write_text((SAMPLE / "policy.toml").read_text())
    assert parquet_folder(tmp_path) and not parquet_folder(SAMPLE)
    ours = source("duckdb", tmp_path)
    pd.testing.assert_frame_equal(aging_summary(ours, AS_OF), aging_summary(sample, AS_OF))
    pd.testing.assert_frame_equal(aging(ours, AS_OF), aging(sample, AS_OF))


def test_amount_cents_and_the_folders_policy(tmp_path):
    """Integer cents are taken as they are; the folder's policy.toml gives the edges; a blank
    due date is invoice date + the customer's terms, else the policy's default terms."""
    invoices = pd.DataFrame(
        {
            "invoice_id": ["I1", "I2"],
            "customer_id": ["A", "B"],
            "invoice_date": pd.to_datetime(["2026-01-01", "2026-01-01"]),
            "due_date": pd.to_datetime([None, None]),
            "amount_cents": [12_345, 1_000],
        }
    )
    pq.write_table(
        pa.Table.from_pandas(invoices, preserve_index=False), tmp_path / "invoices.parquet"
    )
    payments = pd.DataFrame(
        {
            "payment_id": pd.Series([], dtype=str),
            "customer_id": pd.Series([], dtype=str),
            "payment_date": pd.Series([], dtype="datetime64[s]"),
            "amount_cents": pd.Series([], dtype="int64"),
        }
    )
    pq.write_table(
        pa.Table.from_pandas(payments, preserve_index=False), tmp_path / "payments.parquet"
    )
    customers = pd.DataFrame({"customer_id": ["A"], "name": ["Alpha"], "terms_days": [10]})
    pq.write_table(
        pa.Table.from_pandas(customers, preserve_index=False), tmp_path / "customers.parquet"
    )
    (tmp_path / "policy.toml").write_text(
        "default_terms_days = 20\n[aging]\nedges = [5, 15]\n"
        '[allowance]\nloss_rates = { current = 0.01, "1-5" = 0.02, "6-15" = 0.05, "16+" = 0.1 }\n'
    )
    items = aging(source("duckdb", tmp_path), "2026-01-31").set_index("document_id")
    # I1 due 01-11 (A's 10 days): 20 days late, past 15: 16+; I2 due 01-21 (20 days): 10, 6-15
    assert items["due_date"].tolist() == [pd.Timestamp("2026-01-11"), pd.Timestamp("2026-01-21")]
    assert items["bucket"].astype(str).tolist() == ["16+", "6-15"]
    assert items["outstanding_cents"].tolist() == [12_345, 1_000]
    summary = aging_summary(source("duckdb", tmp_path), "2026-01-31")
    assert summary["name"].tolist() == ["Alpha", "B"]  # B is not listed: its id


def _write(folder, invoices: pd.DataFrame, payments: pd.DataFrame) -> None:
    folder.mkdir(exist_ok=True)
    pq.write_table(typed(invoices), folder / "invoices.parquet")
    pq.write_table(typed(payments), folder / "payments.parquet")


PAYMENTS = pd.DataFrame(
    {"payment_id": ["P1"], "customer_id": ["A"], "payment_date": ["2026-01-05"], "amount": ["1.00"]}
)


def test_duplicate_invoice_ids_are_refused(tmp_path):
    invoices = pd.DataFrame(
        {
            "invoice_id": ["I1", "I1"],
            "customer_id": ["A", "A"],
            "invoice_date": ["2026-01-01", "2026-01-02"],
            "amount": ["10.00", "20.00"],
        }
    )
    _write(tmp_path, invoices, PAYMENTS)
    with pytest.raises(DataError, match="1 invoice rows repeat an invoice_id; the duckdb engine"):
        source("duckdb", tmp_path)


def test_several_currencies_are_refused_until_converted(tmp_path):
    invoices = pd.DataFrame(
        {
            "invoice_id": ["I1", "I2"],
            "customer_id": ["A", "A"],
            "invoice_date": ["2026-01-01", "2026-01-02"],
            "amount": ["10.00", "20.00"],
            "currency": ["EUR", "USD"],
        }
    )
    _write(tmp_path, invoices, PAYMENTS)
    with pytest.raises(ParameterError, match="engine duckdb does not yet convert currencies"):
        source("duckdb", tmp_path)
    invoices["currency"] = ["EUR", ""]  # blank is the book's: one currency
    _write(tmp_path, invoices, PAYMENTS)
    assert len(aging(source("duckdb", tmp_path), "2026-01-31")) == 3


def test_a_ledger_in_several_currencies_ages_in_book_currency(tmp_path):
    """A validated Ledger carries book-currency amounts (each document at its date's rate):
    the engine ages those, equal to the in-memory book-currency aging; per-document currency
    is refused."""
    ledger = ledger_of(
        tmp_path,
        policy={"currency": "EUR"},
        invoices="""
            invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
            I1,A,2026-01-10,2026-02-09,100.00,,USD
            I2,A,2026-01-10,2026-02-09,10.00,,EUR
            C1,A,2026-02-10,,-5.00,I1,USD
        """,
        payments="""
            payment_id,customer_id,payment_date,amount,invoice_id,currency
            P1,A,2026-02-05,40.00,I1,USD
        """,
        rates="currency,rate,date\nUSD,0.90,2026-01-01\nUSD,0.95,2026-02-01\n",
    )
    assert ledger.errors.empty
    for as_of in ("2026-01-31", "2026-02-28"):
        pd.testing.assert_frame_equal(aging(ledger, as_of, engine="duckdb"), aging(ledger, as_of))
        pd.testing.assert_frame_equal(
            aging_summary(ledger, as_of, engine="duckdb"), aging_summary(ledger, as_of)
        )
    pd.testing.assert_frame_equal(
        monthly_metrics(ledger, "2026-01", "2026-03", engine="duckdb"),
        monthly_metrics(ledger, "2026-01", "2026-03"),
    )
    with pytest.raises(ParameterError, match="engine duckdb does not yet convert currencies"):
        aging(ledger, "2026-02-28", engine="duckdb", currency="document")


def test_what_a_source_cannot_be(tmp_path, sample):
    with pytest.raises(DataError, match="no such folder"):
        source("duckdb", tmp_path / "nowhere")
    (tmp_path / "invoices.parquet").write_bytes(b"")
    pq.write_table(typed(_raw("invoices")), tmp_path / "invoices.parquet")
    with pytest.raises(DataError, match="no payments table"):
        source("duckdb", tmp_path)
    with pytest.raises(ParameterError, match="--db is for the postgres engine"):
        source("duckdb", sample, db="postgresql://x@y/z")
    with pytest.raises(ParameterError, match="reads tables in a database: --db URL"):
        source("postgres", tmp_path)
    with pytest.raises(ParameterError, match="arbook's own path"):
        source("memory", sample)
    with pytest.raises(ParameterError, match=r"arbook.engines.source\('postgres', ledger, db=URL"):
        aging(sample, AS_OF, engine="postgres")
    ours = source("duckdb", sample)
    with pytest.raises(ParameterError, match="engine 'spark' was asked for data that is in engine"):
        aging(ours, AS_OF, engine="spark")
    pd.testing.assert_frame_equal(aging(ours, AS_OF, engine="duckdb"), aging(sample, AS_OF))


def test_an_unreachable_database_is_one_line_naming_the_flag():
    with pytest.raises(ParameterError) as raised:
        connect("postgres", "postgresql+psycopg://arbook:secret@127.0.0.1:1/none")
    said = str(raised.value)
    assert said.startswith("--db postgresql+psycopg://arbook:***@127.0.0.1:1/none: cannot connect")
    assert "secret" not in said and "\n" not in said
    with pytest.raises(ParameterError, match="the postgres engine needs a database: --db URL"):
        connect("postgres")


@pytest.mark.skipif(not PG_URL, reason="ARBOOK_TEST_POSTGRES_URL is unset; CI sets it")
def test_a_database_without_the_tables():
    from conftest import pg_schema

    with pg_schema() as url, pytest.raises(DataError, match="no invoices table"):
        source("postgres", db=url)


def test_spark_reads_a_parquet_folder(tmp_path, sample):
    spark_or_skip()
    for name in ("invoices", "payments", "customers"):
        pq.write_table(typed(_raw(name)), tmp_path / f"{name}.parquet")
    (tmp_path / "policy.toml").write_text((SAMPLE / "policy.toml").read_text())
    ours = source("spark", tmp_path)
    pd.testing.assert_frame_equal(aging_summary(ours, AS_OF), aging_summary(sample, AS_OF))
