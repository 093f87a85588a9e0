"""What every arbook command shares (:mod:`arbook.cli.common`): the data and report options,
money and bucket-edge arguments, loading the ledger the options describe, printing a frame for
people (control characters visible, long cells cut) or machines (CSV with no formula cell), the
exit code and note on data errors, the default outbox, and finding the contact log."""

from __future__ import annotations

import argparse
import json

import pandas as pd
import pytest
from conftest import FIXTURES, SAMPLE, ledger_of, log_contacts, write_ledger
from test_commands import run

from arbook.cli.commands import main
from arbook.cli.common import (
    CELL_LIMIT,
    DATA_ERRORS,
    LINE_LIMIT,
    OK,
    data_options,
    default_outbox,
    edges_arg,
    emit,
    finish,
    load_ledger,
    log_option,
    money_arg,
    open_log,
    report_parser,
    say,
    say_error,
    visible,
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
        "decimal": None,  # None: the one the amounts use
        "encoding": None,  # None: found from the file
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
    plain = load_ledger(parser.parse_args([str(folder)]))  # ISO dates expected
    assert plain.invoices.empty
    # 31/01/2026 settles invoice_date day first; due_date 02/03/2026 stays ambiguous; the
    # amount's decimal comma is found from the amount itself, and said
    assert set(plain.errors["code"]) == {"ambiguous_date"}
    assert plain.read_as.endswith("amounts with a decimal comma, as they are written (invoices)")


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


#: one invoice of 100.00 to A, due 2026-02-04
ONE_INVOICE = "I1,A,2026-01-05,2026-02-04,100.00"


def test_finish_notes_data_errors_and_exits_1(tmp_path, capsys):
    ledger = ledger_of(
        tmp_path,
        invoices="""
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
    clean = ledger_of(tmp_path / "clean", invoices=ONE_INVOICE)
    assert finish(clean) == OK == 0
    assert capsys.readouterr() == ("", "")


def test_the_note_of_a_preset_file_says_how_to_check_it(tmp_path, capsys):
    ledger = ledger_of(tmp_path, invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,x,1\n")
    parser = argparse.ArgumentParser()
    data_options(parser)
    assert finish(ledger, parser.parse_args(["ibm.csv", "--preset", "ibm"])) == DATA_ERRORS
    # before: `arbook check ibm.csv`, which refuses a file without --preset
    assert (
        f"run `arbook check {ledger.source} --preset ibm` to see them." in capsys.readouterr().err
    )


# -- what people see: control characters visible, long text cut --------------------------------


@pytest.mark.parametrize(
    "text, shown",
    [
        ("Alpha Ltd", "Alpha Ltd"),
        ("Ωмега 東京 café", "Ωмега 東京 café"),  # letters of every script are left alone
        ("two\nlines", "two\\nlines"),
        ("a\r\tb", "a\\r\\tb"),
        ("\x1b[2J\x1b[31mred", "\\x1b[2J\\x1b[31mred"),  # clear screen, colour
        ("bell\x07", "bell\\x07"),
        ("nul\x00 del\x7f csi\x9b", "nul\\x00 del\\x7f csi\\x9b"),  # C1 controls too
        ("abc\u202edcba", "abc\\u202edcba"),  # right-to-left override
        ("line\u2028sep", "line\\u2028sep"),
        ("lone \udce9", "lone \\udce9"),  # a byte decoded with surrogateescape
    ],
    ids=ascii,  # a lone surrogate cannot travel between test workers, so reports are ASCII
)
def test_visible_shows_control_characters_as_escapes(text, shown):
    same = visible(text) == shown
    assert same, ascii(visible(text))


def test_visible_cuts_long_text_keeping_its_start_and_end():
    text = "file.csv:3: bad_amount: " + "x" * 200_000 + " is not money. Write it like 10.00"
    shown = visible(text)
    assert len(shown) == LINE_LIMIT and shown.count("…") == 1
    assert shown.startswith("file.csv:3: bad_amount: xxx")
    assert shown.endswith("is not money. Write it like 10.00")
    assert visible("x" * LINE_LIMIT) == "x" * LINE_LIMIT  # up to the limit, whole
    assert visible("abcdefghij", limit=7) == "abcd…ij"


def test_say_prints_one_line_per_line_whatever_the_data(capsys):
    say("customer 'A\nTOTAL  0.00'", 3, err=True)
    say("ok")
    out, err = capsys.readouterr()
    assert err == "customer 'A\\nTOTAL  0.00'\n3\n" and out == "ok\n"


def test_an_error_of_several_lines_keeps_them(capsys):
    from arbook.core.errors import PolicyError

    say_error("arbook aging", PolicyError("p.toml: a: bad\np.toml: b: 'x\\x1b' bad\x07"))
    assert capsys.readouterr().err == (
        "arbook aging: p.toml: a: bad\np.toml: b: 'x\\x1b' bad\\x07\n"
    )


EVIL = pd.DataFrame(
    {
        "customer_id": ["A", "B\x1b[2J"],
        "name": ["Alpha\nTOTAL            999,999.00", "\x07Beta" + "y" * 200_000],
        "amount_cents": [100, 200],
    }
)


def test_a_table_row_stays_one_row_whatever_the_names(capsys):
    emit(EVIL, "table", total=True)
    out = capsys.readouterr().out
    lines = out.splitlines()
    # header, rule, A, B, rule, TOTAL: a name with a newline cannot make a row of its own
    assert len(lines) == 6 and [line.split()[0] for line in lines[2:4]] == ["A", "B\\x1b[2J"]
    assert "Alpha\\nTOTAL" in lines[2] and lines[-1].split() == ["TOTAL", "3.00"]
    assert not any(c in out for c in "\x1b\x07")
    assert "\\x07Beta" in lines[3] and "…" in lines[3]  # 200 kB cut to a readable cell
    assert max(len(line) for line in lines) < 2 * CELL_LIMIT + 20


def test_csv_and_json_carry_the_data_exactly(capsys):
    emit(EVIL, "json")
    assert [r["name"] for r in json.loads(capsys.readouterr().out)] == EVIL["name"].tolist()
    emit(EVIL.head(1), "csv")
    assert capsys.readouterr().out == (
        'customer_id,name,amount_cents\nA,"Alpha\nTOTAL            999,999.00",100\n'
    )


def test_emit_csv_neutralises_formula_cells_and_keeps_numbers(capsys):
    frame = pd.DataFrame(
        {
            "customer_id": ["=1+1", "@A", "-B", "+C", "\tD", "\rE", "F"],
            "total_cents": [-1250, 1, 2, 3, 4, 5, 6],
            "days": [-3, 0, 1, 2, 3, 4, 5],
        }
    )
    emit(frame, "csv")
    lines = capsys.readouterr().out.splitlines()
    # before: =1+1 and @A reached the file raw, as formulas
    assert lines[1:3] == ["'=1+1,-1250,-3", "'@A,1,0"]  # -12.50 stays the number -1250
    assert [line.split(",")[0] for line in lines[3:5]] == ["'-B", "'+C"]
    assert lines[-1] == "F,6,5"


# -- where a document goes ---------------------------------------------------------------------


def test_default_outbox_is_in_the_folder_or_beside_the_file(tmp_path):
    (tmp_path / "client").mkdir()
    (tmp_path / "ibm.csv").write_text("x")
    assert default_outbox(tmp_path / "client") == tmp_path / "client" / "outbox"
    assert default_outbox(str(tmp_path / "ibm.csv")) == tmp_path / "ibm-outbox"


# -- the contact log ---------------------------------------------------------------------------


def log_args(*argv) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    log_option(parser)
    return parser.parse_args(list(argv))


def test_open_log_of_the_data_folder_or_none(tmp_path, monkeypatch):
    from arbook.collections.contacts import ContactLog

    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    ledger = ledger_of(tmp_path, invoices=ONE_INVOICE)
    assert log_args().log is None
    assert open_log(log_args(), ledger) is None  # no log started yet: nothing to read
    with ContactLog(path=ledger.folder / "collections.db") as log:
        log_contacts(log, ("A", "phone", "reached", "ana", "2026-02-10 09:00"))
    with open_log(log_args(), ledger) as found:  # collections.db in the data folder
        assert found.history("A")["outcome"].tolist() == ["reached"]


def test_a_log_named_but_missing_is_an_error(tmp_path, monkeypatch):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    ledger = ledger_of(tmp_path, invoices=ONE_INVOICE)
    typo = tmp_path / "colections.db"
    with pytest.raises(ParameterError, match=r"colections\.db': no such file"):
        open_log(log_args("--log", str(typo)), ledger)
    assert not typo.exists()  # a typo never starts an empty log
