"""--engine and --db on `arbook aging` and `arbook metrics` (:mod:`arbook.cli.engines_cli`): the
same output as the in-memory path, from a checked ledger and from a Parquet folder read lazily;
every bad combination one line naming the flag, exit 2, never a traceback."""

from __future__ import annotations

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from conftest import ROOT

from arbook.cli.commands import main

SAMPLE = ROOT / "data" / "sample"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture(scope="module")
def parquet_sample(tmp_path_factory):
    """The sample's files as Parquet, text columns as text, dates as dates."""
    folder = tmp_path_factory.mktemp("parquet")
    for name in ("invoices", "payments", "customers"):
        text = pd.read_csv(SAMPLE / f"{name}.csv", dtype=str, keep_default_na=False)
        table = pa.Table.from_pandas(text.replace("", None), preserve_index=False)
        for column in ("invoice_date", "due_date", "payment_date"):
            if column in table.column_names:
                at = table.column_names.index(column)
                table = table.set_column(at, column, table[column].cast(pa.date32()))
        pq.write_table(table, folder / f"{name}.parquet")
    (folder / "policy.toml").write_text((SAMPLE / "policy.toml").read_text())
    return folder


@pytest.mark.parametrize(
    "command",
    [
        ["aging", "--as-of", "2026-09-30", "--format", "csv"],
        ["aging", "--as-of", "2026-06-15", "--by", "item", "--basis", "invoice", "--format", "csv"],
        ["metrics", "--from", "2025-11", "--to", "2026-10", "--format", "json"],
    ],
)
def test_duckdb_prints_what_memory_prints(capsys, parquet_sample, command):
    code, memory, said = run(capsys, command[0], SAMPLE, *command[1:])
    assert code == 0 and memory
    assert run(capsys, command[0], SAMPLE, *command[1:], "--engine", "duckdb") == (0, memory, said)
    # the Parquet folder is read by DuckDB itself, not by arbook's loader
    assert run(capsys, command[0], parquet_sample, *command[1:], "--engine", "duckdb") == (
        0,
        memory,
        "",
    )


def test_table_output_and_memory_by_name(capsys):
    code, out, _ = run(capsys, "aging", SAMPLE, "--as-of", "2026-09-30", "--engine", "duckdb")
    assert code == 0 and out.splitlines()[-1].startswith("TOTAL")
    assert run(capsys, "aging", SAMPLE, "--as-of", "2026-09-30", "--engine", "memory")[1] == out


@pytest.mark.parametrize(
    "flags, said",
    [
        (["--engine", "oracle"], "--engine 'oracle' is not an engine; the engines are: memory"),
        (["--db", "postgresql://a@b/c"], "--db is for --engine postgres"),
        (["--engine", "postgres"], "--engine postgres reads the tables of a database: give --db"),
        (
            ["--engine", "postgres", "--db", "postgresql://a@127.0.0.1:1/c"],
            "give DATA or --db, not both",
        ),
        (["--engine", "duckdb", "--currency", "document"], "does not yet convert currencies"),
    ],
)
def test_bad_flags_are_one_line(capsys, flags, said):
    code, out, err = run(capsys, "aging", SAMPLE, "--as-of", "2026-09-30", *flags)
    assert code == 2 and out == ""
    assert err.startswith("arbook aging: ") and said in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_an_unreachable_database(capsys):
    url = "postgresql+psycopg://arbook:secret@127.0.0.1:1/none"
    code, out, err = run(
        capsys,
        "metrics",
        "--from",
        "2026-01",
        "--to",
        "2026-02",
        "--engine",
        "postgres",
        "--db",
        url,
    )
    assert code == 2 and out == ""
    assert err.startswith("arbook metrics: --db postgresql+psycopg://arbook:***@127.0.0.1:1/none")
    assert "secret" not in err and "Traceback" not in err


def test_no_data_and_no_db(capsys):
    code, _, err = run(capsys, "aging", "--as-of", "2026-09-30")
    assert code == 2 and "give DATA" in err
