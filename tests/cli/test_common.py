"""What every arbook command shares (:mod:`arbook.cli.common`): the data and report options,
money and bucket-edge arguments, loading the ledger the options describe, printing a frame for
people or machines, the exit code and note on data errors, and finding the contact log."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pandas as pd
import pytest
from conftest import FIXTURES, SAMPLE, ledger_of, write_ledger
from test_commands import run

from arbook.cli.commands import main
from arbook.cli.common import (
    DATA_ERRORS,
    OK,
    data_options,
    edges_arg,
    emit,
    finish,
    load_ledger,
    log_option,
    money_arg,
    open_log,
    report_parser,
)
from arbook.core.errors import ParameterError


def test_aging_with_data_errors_prints_and_exits_1(capsys):
    code, out, err = run(capsys, "aging", FIXTURES / "duplicate_invoice", "--as-of", "2026-03-01")
    assert code == 1 and "TOTAL" in out and "arbook check" in err


def test_bad_option_exits_2(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["aging", str(SAMPLE), "--as-of", "2026-10-31", "--edges", "60,30"])
    assert exc.value.code == 2
    assert "strictly increasing" in capsys.readouterr().err


# -- arguments ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text, cents", [("10.00", 1000), ("10", 1000), ("10.5", 1050), ("0", 0), ("1,000.00", 100_000)]
)
def test_money_arg_is_exact_cents(text, cents):
    assert money_arg(text) == cents


@pytest.mark.parametrize(
    "text, message",
    [
        ("-1", "'-1' must be 0 or more; write the amount like 10.00"),
        ("ten", "'ten' is not an amount of money; write it like 10.00"),
        ("1.234", "'1.234' has more than 2 decimals; round it to the cent, like 1.23"),
    ],
)
def test_money_arg_refuses_with_a_sentence(text, message):
    with pytest.raises(argparse.ArgumentTypeError) as caught:
        money_arg(text)
    assert str(caught.value) == message


def test_edges_arg():
    assert edges_arg(" 30, 60,90") == (30, 60, 90)
    with pytest.raises(argparse.ArgumentTypeError, match=r"\[60, 30\] must be positive"):
        edges_arg("60,30")
    with pytest.raises(argparse.ArgumentTypeError, match="must be whole numbers of days"):
        edges_arg("30,,60")


def parser_with(*make) -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arbook")
    sub = parser.add_subparsers(dest="command", required=True)
    for build in make:
        build(sub)
    return parser


def test_report_parser_by_day_or_by_months():
    parser = parser_with(
        lambda sub: report_parser(sub, "day", "a day report", when="day", buckets=True),
        lambda sub: report_parser(sub, "months", "a month report", when="months", basis=True),
    )
    args = vars(parser.parse_args(["day", "DATA", "--as-of", "2026-10-31"]))
    assert args == {
        "command": "day",
        "data": "DATA",
        "preset": None,
        "policy": None,
        "date_order": None,
        "decimal": ".",
        "as_of": "2026-10-31",
        "basis": None,  # None: the policy's
        "edges": None,
        "format": "table",
    }
    args = parser.parse_args(["months", "D", "--from", "2026-01", "--to", "2026-03"])
    assert (args.start, args.end, args.basis) == ("2026-01", "2026-03", None)
    assert not hasattr(args, "edges")  # basis=True alone gives no --edges


@pytest.mark.parametrize(
    "argv",
    [
        ["day", "D"],  # --as-of is required
        ["months", "D", "--from", "2026-01"],  # so is --to
        ["months", "D", "--from", "2026-01", "--to", "2026-03", "--edges", "30"],
        ["day", "D", "--as-of", "2026-10-31", "--format", "xlsx"],
        ["day", "D", "--as-of", "2026-10-31", "--basis", "weekly"],
    ],
)
def test_report_parser_refuses(argv, capsys):
    parser = parser_with(
        lambda sub: report_parser(sub, "day", "a day report", when="day", buckets=True),
        lambda sub: report_parser(sub, "months", "a month report", when="months", basis=True),
    )
    with pytest.raises(SystemExit) as exc:
        parser.parse_args(argv)
    assert exc.value.code == 2 and "error:" in capsys.readouterr().err


def test_load_ledger_reads_as_the_options_say(tmp_path):
    folder = write_ledger(
        tmp_path / "l",
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,31/01/2026,02/03/2026,"1.234,56"
        """,
    )
    parser = argparse.ArgumentParser()
    data_options(parser)
    ledger = load_ledger(parser.parse_args([str(folder), "--date-order", "dmy", "--decimal", ","]))
    assert ledger.errors.empty
    row = ledger.invoices.iloc[0]
    assert row["amount_cents"] == 123_456
    assert (row["invoice_date"], row["due_date"]) == (
        pd.Timestamp("2026-01-31"),
        pd.Timestamp("2026-03-02"),  # 2 March, day first
    )
    plain = load_ledger(parser.parse_args([str(folder)]))  # ISO dates and '.' expected
    assert plain.invoices.empty
    assert set(plain.errors["code"]) == {"bad_amount", "bad_date", "ambiguous_date"}


# -- output ------------------------------------------------------------------------------------

FRAME = pd.DataFrame(
    {"customer_id": ["A", "B"], "name": ["<Alpha>", "Beta, Ltd"], "amount_cents": [123_456, -5]}
)


def test_emit_csv_and_json_keep_the_column_names_and_cents(capsys):
    emit(FRAME, "csv")
    assert capsys.readouterr().out == (
        'customer_id,name,amount_cents\nA,<Alpha>,123456\nB,"Beta, Ltd",-5\n'
    )
    emit(FRAME, "json", total=True)  # no total row for machines
    out = capsys.readouterr().out
    assert out.endswith("]\n")
    assert json.loads(out) == [
        {"customer_id": "A", "name": "<Alpha>", "amount_cents": 123456},
        {"customer_id": "B", "name": "Beta, Ltd", "amount_cents": -5},
    ]


def test_emit_table_for_people(capsys):
    emit(FRAME, "table", total=True)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["customer", "name", "amount"]
    assert lines[2].split() == ["A", "<Alpha>", "1,234.56"]
    assert lines[3].split() == ["B", "Beta,", "Ltd", "-0.05"]
    assert lines[-1].split() == ["TOTAL", "1,234.51"]  # 1,234.56 - 0.05
    assert len({len(line) for line in lines}) == 1  # amounts right-aligned in one column
    emit(FRAME, "table", titles={"amount_cents": "owed"})
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["customer", "name", "owed"] and "TOTAL" not in lines[-1]


def test_finish_notes_data_errors_and_exits_1(tmp_path, capsys):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-05,2026-02-04,100.00
        I2,A,2026-02-30,2026-03-04,50.00
        """,
    )
    assert finish(ledger) == DATA_ERRORS == 1
    out, err = capsys.readouterr()
    assert out == ""
    assert err == (
        "note: 1 problem(s) in the data left rows out of these numbers; "
        f"run `arbook check {ledger.source}` to see them.\n"
    )
    clean = ledger_of(
        tmp_path / "clean",
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-05,2026-02-04,100.00
        """,
    )
    assert finish(clean) == OK == 0
    assert capsys.readouterr() == ("", "")


# -- the contact log ---------------------------------------------------------------------------


def log_args(*argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    log_option(parser)
    return parser.parse_args(list(argv))


def test_open_log_of_the_data_folder_or_none(tmp_path, monkeypatch):
    from arbook.collections.contacts import ContactLog

    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-05,2026-02-04,100.00
        """,
    )
    assert log_args().log is None
    assert open_log(log_args(), ledger) is None  # no log started yet: nothing to read
    with ContactLog(path=ledger.folder / "collections.db") as log:
        log.add(
            "A",
            channel="phone",
            outcome="reached",
            who="ana",
            at=dt.datetime(2026, 2, 10, 9, tzinfo=dt.UTC),
        )
    with open_log(log_args(), ledger) as found:  # collections.db in the data folder
        assert found.history("A")["outcome"].tolist() == ["reached"]


def test_a_log_named_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,A,2026-01-05,2026-02-04,100.00
        """,
    )
    typo = tmp_path / "colections.db"
    with pytest.raises(ParameterError, match=r"colections\.db': no such file"):
        open_log(log_args("--log", str(typo)), ledger)
    assert not typo.exists()  # a typo never starts an empty log
