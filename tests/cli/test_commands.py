"""The arbook command (:mod:`arbook.cli.commands`): the ledger and report commands, their exit
codes and output (0 ok, 1 data errors, 2 usage, 3 internal error, 130 interrupted) and never a
traceback. What every command shares (options, printing, the exit code on data errors) is tested
in test_common.py; the credit, discount, collections and document commands in test_policy.py and
with their features; the crash log in test_crash.py."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from conftest import FIXTURES, IBM, ROOT, write_ledger

from arbook.cli.commands import COMMANDS, main
from arbook.cli.common import LINE_LIMIT
from arbook.core.errors import DataError

SAMPLE = ROOT / "data" / "sample"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_check_clean_sample(capsys):
    code, out, err = run(capsys, "check", SAMPLE)
    assert code == 0 and out == "" and "0 errors, 0 warnings" in err


def test_check_lists_issues_and_exits_1(capsys):
    folder = FIXTURES / "bad_date"
    code, out, _ = run(capsys, "check", folder)
    assert code == 1
    assert out.splitlines()[0] == (
        f"{folder}/invoices.csv:2: bad_date: invoice_date '2026-02-30' is not a "
        "date. Write dates as YYYY-MM-DD (or read the file with --date-order dmy or "
        "--date-order mdy)."
    )
    code, out, _ = run(capsys, "check", folder, "--json")
    records = json.loads(out)
    assert code == 1 and records[0]["source_line"] == 2 and records[0]["code"] == "bad_date"


def test_warnings_alone_exit_0(capsys):
    code, out, _ = run(capsys, "check", FIXTURES / "other_customer_invoice")
    assert code == 0 and "other_customer_invoice" in out


def test_aging_table_is_readable(capsys):
    code, out, _ = run(capsys, "aging", SAMPLE, "--as-of", "2026-10-31")
    lines = out.splitlines()
    assert code == 0
    assert lines[0].split()[:4] == ["customer", "name", "current", "1-30"]
    assert "total receivable" in lines[0] and "net receivable" in lines[0]
    assert lines[-1].startswith("TOTAL")
    assert len({len(line) for line in lines[2:-2]}) <= 2  # aligned columns
    assert any("," in line and "." in line for line in lines[2:])  # 1,234.56


def test_aging_csv_and_json_keep_cents(capsys, ibm):
    import arbook

    expected = arbook.aging_summary(ibm, "2013-06-30")
    code, out, _ = run(
        capsys, "aging", IBM, "--preset", "ibm", "--as-of", "2013-06-30", "--format", "csv"
    )
    frame = pd.read_csv(pd.io.common.StringIO(out))
    assert code == 0 and frame["total_cents"].sum() == expected["total_cents"].sum()
    code, out, _ = run(
        capsys,
        "aging",
        IBM,
        "--preset",
        "ibm",
        "--as-of",
        "2013-06-30",
        "--by",
        "item",
        "--format",
        "json",
        "--edges",
        "15,45",
    )
    items = json.loads(out)
    assert {i["bucket"] for i in items} <= {"current", "1-15", "16-45", "46+", "unapplied"}
    assert items[0]["document_date"].count("-") == 2 and isinstance(items[0]["amount_cents"], int)


def test_metrics_and_other_reports(capsys):
    code, out, _ = run(capsys, "metrics", SAMPLE, "--from", "2026-08", "--to", "2026-10")
    assert code == 0 and out.splitlines()[2].startswith("2026-08") and "%" in out
    for argv in (
        ("behaviour", SAMPLE, "--as-of", "2026-10-31"),
        ("carrying-cost", SAMPLE, "--as-of", "2026-10-31", "--rate", "0.12"),
        ("roll-rates", SAMPLE, "--from", "2026-01", "--to", "2026-10"),
        ("allowance", SAMPLE, "--as-of", "2026-10-31"),
    ):
        code, out, err = run(capsys, *argv)
        assert code == 0 and out.strip(), (argv, err)
    code, out, _ = run(capsys, "carrying-cost", SAMPLE, "--as-of", "2026-10-31", "--rate", "0.12")
    said = "You are their bank: financing the 615,410.29 EUR overdue costs 73,849.22 EUR a year"
    assert said in out
    assert "it has cost 23,834.28 EUR so far" in out


@pytest.mark.parametrize(
    "argv,message",
    [
        (("aging", "nowhere", "--as-of", "2026-10-31"), "no such folder"),
        (("aging", SAMPLE, "--as-of", "31/10/2026"), "YYYY-MM-DD"),
        (("metrics", SAMPLE, "--from", "2026-10", "--to", "2026-01"), "after"),
        (("carrying-cost", SAMPLE, "--as-of", "2026-10-31", "--rate", "12"), "10% is 0.10"),
        (("aging", SAMPLE, "--as-of", "2026-10-31", "--policy", "missing.toml"), "no such policy"),
    ],
)
def test_usage_errors_exit_2_without_traceback(capsys, argv, message):
    code, _out, err = run(capsys, *argv)
    assert code == 2 and message in err and "Traceback" not in err


def test_sample_command_writes_a_ledger(capsys, tmp_path):
    code, out, _ = run(
        capsys, "sample", tmp_path / "s", "--seed", "3", "--customers", "20", "--months", "6"
    )
    assert code == 0 and len(out.splitlines()) == 3
    code, _, _ = run(capsys, "check", tmp_path / "s")
    assert code == 0


def test_sample_bad_arguments_exit_2(capsys, tmp_path):
    code, _, err = run(capsys, "sample", tmp_path / "s", "--end", "2026-10-30")
    assert code == 2 and "last day of a month" in err and "Traceback" not in err
    code, _, err = run(capsys, "behaviour", SAMPLE, "--as-of", "2026-10-31", "--window-months", "0")
    assert code == 2 and "1 or more" in err


# -- exit codes, and never a traceback ---------------------------------------------------------


def _no_invoices(tmp_path):
    (tmp_path / "client").mkdir()
    (tmp_path / "client" / "customers.csv").write_text("customer_id,name\nA,Alpha\n")
    return [tmp_path / "client"]


def _a_file_without_preset(tmp_path):
    (tmp_path / "ibm.csv").write_text("x\n")
    return [tmp_path / "ibm.csv"]


@pytest.mark.parametrize(
    "data, code",
    [
        (_no_invoices, 1),  # the data's problem (before: 2, like a usage error)
        (lambda tmp_path: [tmp_path / "nowhere"], 2),  # the command's: no such folder
        (_a_file_without_preset, 2),  # a file needs --preset
        (lambda tmp_path: [tmp_path / "none.csv", "--preset", "ibm"], 2),
    ],
)
def test_data_errors_exit_1_and_usage_errors_2(tmp_path, capsys, data, code):
    got, out, err = run(capsys, "aging", *data(tmp_path), "--as-of", "2026-10-31")
    assert (got, out) == (code, "") and err.startswith("arbook aging: ")
    assert "Traceback" not in err


def _raising(exc):
    def command(args):
        raise exc

    return command


def test_an_internal_error_is_one_line_naming_the_log_of_its_details(tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("ARBOOK_CRASH_DIR", str(tmp_path / "crashes"))
    monkeypatch.setitem(COMMANDS, "check", _raising(KeyError("boom")))
    code, out, err = run(capsys, "check", SAMPLE)
    (log,) = (tmp_path / "crashes").glob("crash-*.log")
    assert (code, out) == (3, "") and err.count("\n") == 1 and "Traceback" not in err
    assert err.startswith("arbook check: internal error (KeyError): a bug in arbook")
    assert f"the details are in {log}; please send that file" in err
    details = log.read_text("utf-8")
    assert "Traceback (most recent call last)" in details and "KeyError: 'boom'" in details
    assert f"command: arbook check {SAMPLE}" in details


def test_ctrl_c_is_one_line_and_exit_130(capsys, monkeypatch):
    monkeypatch.setitem(COMMANDS, "check", _raising(KeyboardInterrupt()))
    assert run(capsys, "check", SAMPLE) == (130, "", "arbook check: interrupted\n")


def test_a_file_system_error_is_one_line_and_exit_2(capsys, monkeypatch):
    error = PermissionError(13, "Permission denied", "/srv/outbox/A")
    monkeypatch.setitem(COMMANDS, "check", _raising(error))
    assert run(capsys, "check", SAMPLE) == (
        2,
        "",
        "arbook check: /srv/outbox/A: Permission denied\n",
    )


def test_error_messages_show_control_characters_visibly(capsys, monkeypatch):
    monkeypatch.setitem(COMMANDS, "check", _raising(DataError("no \x1b[2Jfolder\nhere")))
    code, _, err = run(capsys, "check", SAMPLE)
    # the message's own lines stay lines (a policy file's bad keys); the escape is shown
    assert code == 1 and err == "arbook check: no \\x1b[2Jfolder\nhere\n"


def test_check_lines_never_carry_a_control_character_or_200_kb(tmp_path, capsys):
    folder = tmp_path / "client"
    folder.mkdir()
    (folder / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,due_date,amount\n"
        f"I1,A,2026-01-05,2026-02-04,\x1b[2J\x07{'9' * 200_000}x\n"
        "I2,A,2026-01-05,2026-02-04,10.00\n",
        encoding="utf-8",
    )
    code, out, err = run(capsys, "check", folder)
    assert code == 1 and out
    assert not any(c in out + err for c in "\x1b\x07")
    assert max(len(line) for line in out.splitlines()) <= LINE_LIMIT + 16  # escapes add a little


XERO = ROOT.parent / "shared" / "import-examples" / "xero-aged-receivables-detail.xlsx"
XERO_NOTE = (
    "n/a (the data holds the items open on 2026-06-30, not the original amounts, nor payments "
    "and their dates)"
)


def test_metrics_of_an_aging_report_print_na_and_the_reason_once(capsys):
    code, out, err = run(capsys, "metrics", XERO, "--from", "2026-05", "--to", "2026-06")
    assert code == 0
    lines = out.splitlines()
    may, june = lines[2].split(), lines[3].split()
    assert may[0] == "2026-05" and set(may[1:]) == {"n/a"}  # no month end but the report's
    assert june[:5] == ["2026-06", "n/a", "n/a", "47,631.31", "4,125.50"]  # sales, AR begin n/a
    assert june.count("n/a") == 10  # sales, AR begin, DSO x4, ADD, CEI, turnover, DSR
    assert out.count(XERO_NOTE) == 1
    assert out.rstrip().endswith(
        f"DSO, CEI, credit sales, turnover and every month but the report's: {XERO_NOTE}"
    )
    # machine formats keep stdout the data: the reason goes to stderr
    code, out, err = run(
        capsys, "metrics", XERO, "--from", "2026-06", "--to", "2026-06", "--format", "json"
    )
    assert json.loads(out)[0]["cei"] is None and json.loads(out)[0]["ar_end_cents"] == 4763131
    assert err.count(XERO_NOTE) == 1


@pytest.mark.parametrize(
    ("argv", "what"),
    [
        (("behaviour", XERO, "--as-of", "2026-06-30"), "Payment behaviour"),
        (("roll-rates", XERO, "--from", "2026-05", "--to", "2026-06"), "Roll rates"),
        (("allowance", XERO, "--as-of", "2026-06-30"), "The allowance by the roll-rate method"),
    ],
)
def test_history_reports_of_an_aging_report_say_why_they_are_na(capsys, argv, what):
    code, out, _ = run(capsys, *argv)
    assert code == 0 and out.count(XERO_NOTE) == 1 and f"{what}" in out


def test_an_aging_report_refuses_another_as_of_date(capsys):
    code, out, err = run(capsys, "aging", XERO, "--as-of", "2026-05-31")
    assert code == 2 and out == ""
    assert "as of 2026-05-31 is before the report's date 2026-06-30" in err
    code, out, _ = run(capsys, "carrying-cost", XERO, "--as-of", "2026-06-30")
    assert code == 0 and "it has cost" in out  # accrued to date at the report's date: shown


def test_aging_by_document_currency_prints_one_block_per_currency(capsys, tmp_path):
    folder = write_ledger(
        tmp_path / "fx",
        invoices="""
            invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
            I1,A,2026-01-10,2026-02-09,100.00,,USD
            I2,A,2026-01-10,2026-02-09,10.00,,EUR
        """,
        rates="currency,rate,date\nUSD,0.90,2026-01-01",
    )
    (folder / "policy.toml").write_text('currency = "EUR"\n')
    code, out, _err = run(
        capsys, "aging", folder, "--as-of", "2026-03-31", "--currency", "document"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "In EUR:" and "In USD:" in lines
    usd = lines[lines.index("In USD:") :]
    assert any(line.startswith("A") and "100.00" in line for line in usd)
    code, out, _err = run(capsys, "aging", folder, "--as-of", "2026-03-31")
    total = next(line for line in out.splitlines() if line.startswith("TOTAL"))
    assert total.split()[-1] == "100.00" and "In " not in out  # EUR: USD 100 at 0.90 + 10.00
