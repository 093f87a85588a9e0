"""``arbook credit-check`` (:mod:`arbook.cli.credit_check`): the answer in the exit code, the
table and the JSON, the default date, the contact log, the policy file and bad input. What the
reasons are is tested in tests/credit/test_check.py."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from conftest import CHECK_CUSTOMERS, CHECK_OWED, log_contacts, write_ledger
from test_commands import run

import arbook
from arbook.cli.commands import build_parser
from arbook.cli.credit_check import ANSWER_CODES

AS_OF = "2026-06-30"
# As of 2026-06-30: OK owes 100.00 not yet due on a limit of 10,000.00; FULL owes 900.00 not
# yet due on a limit of 1,000.00; LATE owes 100.00 10 days overdue (a warning by default).
# The newest document is dated 2026-06-30: the data's latest day.
INVOICES = "    K1,OK,2026-06-30,2026-07-30,100.00" + CHECK_OWED
CUSTOMERS = CHECK_CUSTOMERS


@pytest.fixture
def data(tmp_path):
    return write_ledger(tmp_path / "client", invoices=INVOICES, customers=CUSTOMERS)


def check(capsys, data, *args):
    return run(capsys, "credit-check", data, *args)


def test_the_answer_is_the_exit_code(capsys, data):
    assert ANSWER_CODES == {"allow": 0, "warn": 4, "block": 5}
    code, out, _ = check(capsys, data, "OK", "500.00", "--as-of", AS_OF)
    assert code == 0
    assert out == "allow: ship it - 500.00 to Okay Ltd (OK) on 2026-06-30 (nothing against it)\n"
    code, out, _ = check(capsys, data, "LATE", "10", "--as-of", AS_OF)
    assert code == 4 and out.splitlines() == [
        "warn: you may ship, but read why first - 10.00 to Late Ltd (LATE) on 2026-06-30 "
        "(1 reason warns)",
        "  warn  overdue: 1 item past due (100.00), the oldest by 10 days",
    ]
    code, out, err = check(capsys, data, "FULL", "1,000.00", "--as-of", AS_OF)
    assert code == 5 and err == ""
    assert out.splitlines()[1] == (
        "  block  over its limit after this order: 900.00 owed + 1,000.00 ordered = 1,900.00, "
        "limit 1,000.00"
    )


def test_every_reason_is_listed_with_what_it_does(capsys, data):
    # FULL over its limit (block) and, a day after its due date, overdue (warn)
    code, out, _ = check(capsys, data, "FULL", "200", "--as-of", "2026-07-11")
    assert code == 5
    lines = out.splitlines()
    assert lines[0].endswith("(1 reason blocks; 1 reason warns)")
    assert [line.split()[0] for line in lines[1:]] == ["block", "warn"]


def test_json_for_a_program(capsys, data):
    code, out, _ = check(capsys, data, "FULL", "100.01", "--as-of", AS_OF, "--format", "json")
    found = json.loads(out)
    assert code == 5 and found["answer"] == "block"
    assert found["amount_cents"] == 10001 and found["owed_after_cents"] == 100001
    assert [r["code"] for r in found["reasons"]] == ["over_limit"]
    assert found == arbook.credit_check(arbook.read_ledger(data), "FULL", 10001, AS_OF).to_dict()


def test_without_as_of_the_datas_latest_day_and_it_says_so(capsys, data):
    code, out, err = check(capsys, data, "OK", "1")
    assert code == 0 and "on 2026-06-30" in out
    assert err == "as of 2026-06-30, the data's latest day (--as-of to change)\n"


def test_the_policy_file_decides_warn_or_block(capsys, data, tmp_path):
    policy = tmp_path / "client.toml"
    policy.write_text('[credit_check]\nover_limit = "warn"\noverdue_days = 15\n')
    assert check(capsys, data, "FULL", "1000", "--as-of", AS_OF, "--policy", policy)[0] == 4
    assert check(capsys, data, "LATE", "1", "--as-of", AS_OF, "--policy", policy)[0] == 0
    policy.write_text('[credit_check]\nover_limit = "stop"\n')
    code, _, err = check(capsys, data, "FULL", "1", "--as-of", AS_OF, "--policy", policy)
    assert code == 2 and '[credit_check] over_limit: "stop" is not one of "warn", "block"' in err


def test_the_contact_logs_broken_promises(capsys, data):
    """The data folder's own log (the dashboard's) by default; --log names another."""
    with arbook.ContactLog(path=data / "collections.db") as log:
        log_contacts(
            log, ("OK", "phone", "promise", "Ann", "2026-06-15 10:00", 10000, "2026-06-20")
        )
    code, out, _ = check(capsys, data, "OK", "1", "--as-of", AS_OF)
    assert code == 4 and "broken in the last 90 days: 1 promise to pay" in out
    moved = data.parent / "elsewhere.db"
    (data / "collections.db").rename(moved)
    assert check(capsys, data, "OK", "1", "--as-of", AS_OF)[0] == 0  # no log: none broken
    assert check(capsys, data, "OK", "1", "--as-of", AS_OF, "--log", moved)[0] == 4


def test_a_broken_plan_instalment_in_the_contact_log(capsys, data):
    """A plan agreed on 2026-06-01 for LATE's L1: 50.00 by 2026-06-10, not paid, so broken on
    2026-06-11 (the contact log's own rule) and inside the 90 days to 2026-06-30."""
    with arbook.ContactLog(path=data / "collections.db") as log:
        log.add_plan(
            "LATE",
            instalments=[("2026-06-10", 5000), ("2026-07-10", 5000)],
            documents=["L1"],
            who="Ann",
            at=dt.datetime(2026, 6, 1, 10, tzinfo=dt.UTC),
        )
    code, out, _ = check(capsys, data, "LATE", "1", "--as-of", AS_OF, "--format", "json")
    reasons = {r["code"]: r["label"] for r in json.loads(out)["reasons"]}
    assert code == 4
    assert reasons["broken_promises"] == "broken in the last 90 days: 1 plan instalment"


def test_a_log_by_url(capsys, data, log_url):
    """--log takes a database URL (a team's PostgreSQL): LATE's promise of 2026-06-12 and its
    plan's instalment of 2026-06-20, both unpaid, are read from it as broken."""
    with arbook.ContactLog(log_url) as log:
        log_contacts(
            log, ("LATE", "email", "promise", "Ann", "2026-06-01 10:00", 10000, "2026-06-12")
        )
        log.add_plan(
            "LATE",
            instalments=[("2026-06-20", 5000)],
            documents=["L1"],
            who="Ann",
            at=dt.datetime(2026, 6, 13, 10, tzinfo=dt.UTC),
        )
    code, out, _ = check(capsys, data, "LATE", "1", "--as-of", AS_OF, "--log", log_url)
    assert code == 4
    assert "broken in the last 90 days: 1 promise to pay and 1 plan instalment" in out


def test_data_errors_exit_1_with_the_answer_printed(capsys, tmp_path):
    bad = INVOICES + "    X1,OK,2026-06-01,2026-07-01,lots\n"
    folder = write_ledger(tmp_path / "bad", invoices=bad, customers=CUSTOMERS)
    code, out, err = check(capsys, folder, "OK", "1", "--as-of", AS_OF)
    assert code == 1 and out.startswith("allow: ship it")
    assert "problem(s) in the data left rows out" in err


@pytest.mark.parametrize(
    "customer, said",
    [
        ("NOBODY", "customer 'NOBODY' is not in the data"),
        ("FUL", "customer 'FUL' is not in the data; did you mean FULL?"),
    ],
)
def test_an_unknown_customer_exits_2_in_a_sentence(capsys, data, customer, said):
    code, out, err = check(capsys, data, customer, "1", "--as-of", AS_OF)
    assert code == 2 and out == "" and err.startswith(f"arbook credit-check: {said}")


@pytest.mark.parametrize(
    "args, said",
    [
        (["OK", "-5"], "argument AMOUNT: '-5' must be 0 or more"),
        (["OK", "1.234"], "argument AMOUNT: '1.234' has more than 2 decimals"),
        (["OK", "lots"], "argument AMOUNT: 'lots' is not an amount of money"),
        (["OK", "1", "--format", "csv"], "invalid choice: 'csv'"),
    ],
)
def test_a_bad_amount_or_option_is_a_usage_error(capsys, data, args, said):
    with pytest.raises(SystemExit) as exc:
        check(capsys, data, *args, "--as-of", AS_OF)
    err = capsys.readouterr().err
    assert exc.value.code == 2 and said in err and "Traceback" not in err


def test_help_gives_the_exit_codes(capsys):
    with pytest.raises(SystemExit):
        build_parser().parse_args(["credit-check", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert "Exit code: 0 allow, 4 warn, 5 block; 1 the data has errors" in out
