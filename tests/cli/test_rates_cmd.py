"""``arbook rates ecb FILE --out DATA`` (:mod:`arbook.cli.rates_cmd`)."""

from __future__ import annotations

from test_commands import run

HISTORY = "Date,USD,GBP,\n2026-12-04,1.0548,0.8312,\n"


def test_it_writes_the_folders_rates_and_never_over_them(capsys, tmp_path):
    source = tmp_path / "eurofxref-hist.csv"
    source.write_text(HISTORY)
    folder = tmp_path / "client"
    folder.mkdir()
    code, out, err = run(capsys, "rates", "ecb", source, "--out", folder)
    assert code == 0, err
    assert (
        out.strip()
        == f"{folder / 'rates.csv'}: 2 rates of 2 currencies over 1 day, in EUR per unit"
    )
    written = (folder / "rates.csv").read_text()
    assert written.splitlines()[0] == "currency,rate,date" and "USD,0.948047" in written
    code, _out, err = run(capsys, "rates", "ecb", source, "--out", folder)
    assert code == 2 and "give --force to replace it (nothing was written)" in err
    assert (folder / "rates.csv").read_text() == written
    (folder / "policy.toml").write_text('currency = "USD"\n')  # the folder's book currency
    code, _out, err = run(capsys, "rates", "ecb", source, "--out", folder, "--force")
    assert code == 0 and "EUR,1.0548,2026-12-04" in (folder / "rates.csv").read_text()


def test_bad_input_is_said_in_words(capsys, tmp_path):
    code, _out, err = run(capsys, "rates", "ecb", tmp_path / "x.csv", "--out", tmp_path / "none")
    assert code == 2 and "no such folder; give the ledger folder with --out" in err
    other = tmp_path / "other.csv"
    other.write_text("a,b\n1,2\n")
    code, _out, err = run(capsys, "rates", "ecb", other, "--out", tmp_path)
    assert code != 0 and "not the ECB's reference rates layout" in err and "Traceback" not in err
