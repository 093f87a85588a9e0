"""``arbook import FILE --out DIR`` (a client's data written as arbook's own files: the round
trip gives the same figures) and ``arbook mapping FILE`` (the suggested mapping as TOML); their
refusals (an --out folder with files in it, a mapping.toml already saved) and bad flags, always
in the user's terms and never a traceback."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from conftest import EXAMPLES, write_ledger
from own_sheets import HISTORY, russian_sheet, totals

import arbook
from arbook.cli.commands import main
from arbook.core import mapping
from arbook.core.presets import PRESETS

QBO = EXAMPLES / "qbo-ar-aging-detail.csv"


def run(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return code, out, err


def same_figures(before: arbook.Ledger, after: arbook.Ledger) -> None:
    assert totals(after) == totals(before)
    assert len(after.invoices) == len(before.invoices)
    assert len(after.payments) == len(before.payments)


def test_round_trip_of_arbooks_own_files(tmp_path, capsys):
    data = write_ledger(
        tmp_path / "client",
        invoices="""
            invoice_id,customer_id,invoice_date,due_date,amount,applies_to,disputed
            I1,C1,2026-01-05,2026-02-04,"1,234.56",,no
            I2,C1,2026-03-05,,99.99,,yes
            CN1,C1,2026-03-10,,-20.00,I1,
            I3,C2,2026-05-31,2026-06-30,0.01,,
        """,
        payments="""
            payment_id,customer_id,payment_date,amount,invoice_id
            P1,C1,2026-02-01,1000.00,I1
            P2,C2,2026-06-01,50.00,
        """,
        customers="""
            customer_id,name,terms_days,credit_limit
            C1,Acme,45,5000
            C2,Bolt,,
        """,
    )
    out_dir = tmp_path / "out"
    code, out, err = run(capsys, "import", data, "--out", out_dir)
    assert code == 0, err
    assert out.split() == [str(out_dir / f"{t}.csv") for t in ("invoices", "payments", "customers")]
    assert "arbook's own files" in err
    written = (out_dir / "invoices.csv").read_text("utf-8").splitlines()
    assert written[1].startswith("I1,C1,2026-01-05,2026-02-04,1234.56,")
    assert ",2026-03-05,,99.99," in written[2]  # a due date from terms is left to terms
    same_figures(arbook.read_ledger(data), arbook.read_ledger(out_dir))
    assert not (out_dir / "import.toml").exists()


def test_round_trip_through_a_mapping_and_a_history(tmp_path, capsys):
    sheet = tmp_path / "ledger.csv"
    sheet.write_text(HISTORY, encoding="utf-8")
    code, out, err = run(capsys, "mapping", sheet, "--save")
    assert code == 0 and (tmp_path / "mapping.toml").exists()
    assert tomllib.loads(out)["columns"]["amount"] == "Amount"
    assert "note: the header is on line 2" in err and "saved" in err
    code, out, err = run(capsys, "import", tmp_path, "--out", tmp_path / "canonical")
    assert code == 0, err
    assert "mapping.toml" in err
    before = arbook.read_ledger(tmp_path)
    after = arbook.read_ledger(tmp_path / "canonical")
    same_figures(before, after)
    assert (
        arbook.aging(after, "2026-06-30")["outstanding_cents"].sum()
        == totals(before)["total_cents"]
    )


@pytest.mark.skipif("qbo-aging" not in PRESETS, reason="the QuickBooks preset is not there yet")
def test_round_trip_of_an_export_read_by_its_preset(tmp_path, capsys):
    code, _out, err = run(capsys, "import", QBO, "--preset", "qbo-aging", "--out", tmp_path)
    assert code == 0, err
    assert "qbo-aging" in err and "import.toml records it" in err
    note = tomllib.loads((tmp_path / "import.toml").read_text("utf-8"))
    assert note["open_items_only"] is True and note["report_date"] == "2026-06-30"
    before = arbook.read_ledger(QBO, preset="qbo-aging")
    after = arbook.read_ledger(tmp_path)
    same_figures(before, after)
    assert totals(after)["total_cents"] == 4_340_765
    code, _, err = run(capsys, "import", QBO, "--out", tmp_path / "detected")
    assert code == 0 and "recognised from its header" in err
    marked = mapping.with_import_note(after, tmp_path / "import.toml")
    assert marked.open_items_only and str(marked.report_date)[:10] == "2026-06-30"
    assert "open_items_only" in set(marked.issues["code"]) and marked.history_note


def test_import_with_a_mapping_file(tmp_path, capsys):
    path = russian_sheet(tmp_path)
    code, text, _ = run(capsys, "mapping", path)
    assert code == 0 and not (tmp_path / "mapping.toml").exists()
    given = tmp_path / "elsewhere.toml"
    given.write_text(text, encoding="utf-8")
    code, _out, err = run(capsys, "import", path, "--mapping", given, "--out", tmp_path / "o")
    assert code == 0, err
    after = arbook.read_ledger(tmp_path / "o")
    assert totals(after)["total_cents"] == 24_550_049
    invoices = (tmp_path / "o" / "invoices.csv").read_text("utf-8")
    assert "104,7812345678,2026-06-01,2026-07-01,10000.00," in invoices
    assert ",12500.00," in invoices  # the face value, exact, with a point


def test_refuses_to_overwrite_and_force_replaces(tmp_path, capsys):
    out_dir = tmp_path / "out"
    assert run(capsys, "import", _sheet(tmp_path), "--out", out_dir)[0] == 0
    before = (out_dir / "invoices.csv").read_text("utf-8")
    code, out, err = run(capsys, "import", _sheet(tmp_path), "--out", out_dir)
    assert code == 2 and out == ""
    assert "already holds" in err and "--force" in err and "nothing was written" in err
    assert (out_dir / "invoices.csv").read_text("utf-8") == before
    (out_dir / "payments.csv").write_text("payment_id,customer_id,payment_date,amount\n", "utf-8")
    code, out, err = run(capsys, "import", _sheet(tmp_path), "--out", out_dir, "--force")
    assert code == 0 and "removed" in err and not (out_dir / "payments.csv").exists()
    assert not [p.name for p in out_dir.iterdir() if p.name.startswith(".")]


def _sheet(folder: Path) -> Path:
    """A data folder holding one mapped sheet of invoices."""
    data = folder / "data"
    if not data.exists():
        data.mkdir()
        (data / "list.csv").write_text(
            "Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\nA2,Bolt,2026-06-01,50\n",
            encoding="utf-8",
        )
        assert main(["mapping", str(data / "list.csv"), "--save"]) == 0
    return data


def test_mapping_save_refuses_to_replace_without_force(tmp_path, capsys):
    data = _sheet(tmp_path)
    capsys.readouterr()
    code, out, err = run(capsys, "mapping", data / "list.csv", "--save")
    assert code == 2 and out == "" and "already exists" in err and "--force" in err
    code, _, err = run(capsys, "mapping", data / "list.csv", "--save", "--force")
    assert code == 0 and "saved" in err


def test_mapping_prints_problems_on_stderr(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("Client,When,Value\nAcme,2026-05-01,10.00\n", encoding="utf-8")
    code, out, err = run(capsys, "mapping", path)
    assert code == 0 and "[columns]" in out
    assert "problem: nothing is mapped to invoice_id" in err


@pytest.mark.parametrize(
    ("argv", "said"),
    [
        (["import", "NOPE.csv", "--out", "x"], "no such file or folder"),
        (["import", str(QBO)], "the following arguments are required: --out"),
        (
            ["import", str(QBO), "--out", "x", "--preset", "ibm", "--mapping", "m.toml"],
            "argument --mapping: not allowed with argument --preset",
        ),
        (["import", str(QBO), "--out", "x", "--mapping", "NOPE.toml"], "no such mapping file"),
        (
            ["import", str(QBO), "--out", "x", "--rates", "NOPE.csv"],
            "--rates NOPE.csv: no such file",
        ),
        (["mapping", "NOPE.csv"], "NOPE.csv: no such file"),
        (["mapping", str(EXAMPLES)], "is a folder; give the data file in it"),
    ],
)
def test_bad_flags_and_paths(argv, said, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) if "required" in said or "allowed" in said else _no_raise():
        code = main(argv)
        assert code == 2
    err = capsys.readouterr().err
    assert said in err and "Traceback" not in err


def test_a_bad_mapping_file_is_located(tmp_path, capsys):
    path = tmp_path / "list.csv"
    path.write_text("Invoice,Customer,Date,Amount\nA1,Acme,2026-05-01,100.00\n", "utf-8")
    bad = tmp_path / "bad.toml"
    bad.write_text('file = "list.csv"\nheader_line = "one"\n', encoding="utf-8")
    code, _, err = run(capsys, "import", path, "--mapping", bad, "--out", tmp_path / "o")
    assert code == 2 and f"{bad}:2: header_line: give the header's line number" in err
    code, _, err = run(capsys, "check", tmp_path)  # no mapping.toml: it is the file read alone
    assert "Traceback" not in err


def test_an_unrecognised_file_tells_to_map_it(tmp_path, capsys):
    path = tmp_path / "odd.csv"
    path.write_text("Client,When,Value\nAcme,2026-05-01,10.00\n", encoding="utf-8")
    code, _out, err = run(capsys, "import", path, "--out", tmp_path / "o")
    assert code == 2 and "Load your data" in err and not (tmp_path / "o").exists()


class _no_raise:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


def test_rows_left_out_are_said_and_exit_1(tmp_path, capsys):
    """A bad cell keeps its row out of the files written, and the command says so (exit 1)."""
    data = _sheet(tmp_path)
    with open(data / "list.csv", "a", encoding="utf-8") as handle:
        handle.write("A3,Acme,2026-02-30,10.00\n")
    capsys.readouterr()
    code, out, err = run(capsys, "import", data, "--out", tmp_path / "o")
    assert code == 1 and "invoices.csv" in out
    assert "list.csv:4: bad_date" in err and "left rows out of the files written" in err
    assert "A3" not in (tmp_path / "o" / "invoices.csv").read_text("utf-8")


# -- several currencies: the rates come along ---------------------------------------------------

TWO = """
    invoice_id,customer_id,invoice_date,due_date,amount,currency
    I1,A,2026-01-10,2026-02-09,100.00,USD
    I2,A,2026-01-10,2026-02-09,10.00,EUR
"""
RATES = "currency,rate,date\nUSD,0.90,2026-01-01\nUSD,0.95,2026-03-01\nGBP,1.15,\n"


def test_import_copies_the_rates_and_reads_a_file_with_rates(tmp_path, capsys):
    data = write_ledger(tmp_path / "client", invoices=TWO)
    (data / "policy.toml").write_text('currency = "EUR"\n', encoding="utf-8")
    rates = tmp_path / "rates.csv"
    rates.write_text(RATES, encoding="utf-8")
    # a file alone has no rates: the USD invoice is left out, and the error says what to give
    code, _, err = run(capsys, "import", data / "invoices.csv", "--out", tmp_path / "o1",
                       "--policy", data / "policy.toml")  # fmt: skip
    assert code == 1 and "'USD' differs from the book's EUR" in err
    code, _, err = run(capsys, "import", data / "invoices.csv", "--rates", rates, "--out",
                         tmp_path / "o2", "--policy", data / "policy.toml")  # fmt: skip
    assert code == 0, err
    assert (tmp_path / "o2" / "rates.csv").read_text() == (
        "currency,rate,date\nGBP,1.15,\nUSD,0.90,2026-01-01\nUSD,0.95,2026-03-01\n"
    )
    before = arbook.read_ledger(data / "invoices.csv", policy=data / "policy.toml", rates=rates)
    after = arbook.read_ledger(tmp_path / "o2", policy=data / "policy.toml")
    assert after.errors.empty and list(after.invoices["amount_cents"]) == [9000, 1000]
    same_figures(before, after)


def test_an_export_reads_the_rates_file_beside_it(tmp_path):
    folder = tmp_path / "books"
    folder.mkdir()
    text = QBO.read_text(encoding="utf-8")
    (folder / QBO.name).write_text(text, encoding="utf-8")
    plain = arbook.read_ledger(folder)
    (folder / "rates.csv").write_text(RATES, encoding="utf-8")
    ledger = arbook.read_ledger(folder)
    assert "USD" in ledger.rates and totals(ledger) == totals(plain)
    assert mapping.rates_frame(ledger.rates)["currency"].tolist() == ["GBP", "USD", "USD"]
    with pytest.raises(arbook.DataError, match="no such rates file; --rates names a CSV"):
        arbook.read_ledger(folder, rates=tmp_path / "none.csv")
