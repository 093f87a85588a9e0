"""What `arbook log` does (its actions): a dispute opened, listed and resolved from the command
line, dates as the user writes them."""

from __future__ import annotations

import argparse
import datetime as dt
import json

import pytest
from conftest import write_ledger

from arbook.cli.commands import main
from arbook.cli.log_actions import day_arg

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    IA,A,2026-09-01,2026-10-01,1000.00
"""


def test_day_arg():
    assert day_arg(" 2026-11-05 ") == dt.date(2026, 11, 5)
    with pytest.raises(argparse.ArgumentTypeError, match="'05/11/2026' is not a date"):
        day_arg("05/11/2026")


def test_a_dispute_from_the_command_line(tmp_path, capsys):
    data = str(write_ledger(tmp_path / "ledger", invoices=INVOICES))
    opened = ["log", "dispute", "open", data, "A", "IA", "--reason", "price", "--amount", "400"]
    assert main([*opened, "--who", "ann", "--at", "2026-10-31"]) == 0
    capsys.readouterr()
    assert main(["log", "disputes", data, "--as-of", "2026-10-31", "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert [(r["document_id"], r["disputed_cents"]) for r in rows] == [("IA", 40000)]
    resolve = ["log", "dispute", "resolve", data, "--document", "IA", "--as", "credited"]
    assert main([*resolve, "--who", "ann", "--at", "2026-10-31"]) == 0
    capsys.readouterr()
    assert main(["log", "disputes", data, "--as-of", "2026-10-31", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out) == []
    # an amount more than is owed is refused in the flag's words, nothing recorded
    too_much = ["log", "dispute", "open", data, "A", "IA", "--reason", "x", "--amount", "5000"]
    assert main([*too_much, "--who", "ann", "--at", "2026-10-31"]) == 2
    assert "traceback" not in capsys.readouterr().err.lower()
