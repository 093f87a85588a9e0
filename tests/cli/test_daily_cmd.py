"""`arbook daily`: the morning run from the command line."""

from __future__ import annotations

from conftest import ledger_of

from arbook.cli.commands import main

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    IA,A,2026-09-21,2026-10-21,1000.00
    IC,C,2026-09-30,2026-10-30,3000.00
"""


def _ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES)


def test_the_command(tmp_path, capsys):
    _ledger(tmp_path)
    data = tmp_path / "ledger"
    assert main(["daily", str(data), "--as-of", "2026-10-31"]) == 0
    out = capsys.readouterr().out
    assert "arbook daily: 2026-10-31 (as given)" in out
    assert (data / "daily" / "2026-10-31.txt").is_file()
    assert (data / "daily" / "2026-10-31.html").is_file()
    assert main(["daily", str(data), "--as-of", "2026-13-01"]) == 2
    assert "2026-13-01" in capsys.readouterr().err
