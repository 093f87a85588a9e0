"""``arbook forecast`` (:mod:`arbook.cli.forecast_cmd`): the weeks, the items, the backtest,
each as a table, CSV and JSON; the default date; an open-items-only export; bad input."""

from __future__ import annotations

import io
import json

import pandas as pd
import pytest
from conftest import EXAMPLES, SAMPLE
from test_commands import run

import arbook
from arbook.measures.backtest import MODEL

AS_OF = "2026-10-31"


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def test_the_weeks_as_a_table_say_the_total_and_after_the_horizon(capsys, sample):
    code, out, err = run(capsys, "forecast", SAMPLE)
    assert code == 0
    assert err.startswith("as of 2026-10-31, the data's latest day (--as-of to change)")
    lines = out.splitlines()
    assert lines[0].split() == ["week", "from", "until", "expected", "low", "high"]
    assert lines[2].startswith("2026-11-01        2026-11-07")
    assert lines[-2].startswith("after 2027-01-30")
    weeks = arbook.cash_forecast(sample, AS_OF)
    assert f"{weeks['expected_cents'].iloc[0] / 100:,.2f}" in lines[2]
    assert lines[-1].startswith("Of 1,122,725.20 EUR open, ")
    assert "in the next 13 weeks (to 2027-01-30)" in lines[-1]


def test_csv_and_json_keep_cents_exact(capsys, sample):
    code, out, _ = run(capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    want = arbook.cash_forecast(sample, AS_OF)
    assert frame["expected_cents"].tolist() == want["expected_cents"].tolist()
    assert frame["week_start"].iloc[0] == "2026-11-01"
    code, out, _ = run(
        capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--weeks", "4", "--format", "json"
    )
    records = json.loads(out)
    assert len(records) == 5 and records[-1]["beyond"] is True
    assert sum(r["expected_cents"] for r in records) == want["expected_cents"].sum()


def test_items_say_when_and_why(capsys, sample):
    code, out, _ = run(capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--items", "--format", "csv")
    assert code == 0
    frame = pd.read_csv(io.StringIO(out))
    want = arbook.predict_payments(sample, AS_OF)
    assert frame["document_id"].tolist() == want["document_id"].tolist()
    code, out, _ = run(capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--items")
    head = out.splitlines()[0].split()
    assert head[:4] == ["customer", "document", "outstanding", "due"]
    assert "expected payment" in out.splitlines()[0] and "why" in out.splitlines()[0]
    assert "pays 1 day early on average over 136 invoices" in out


def test_the_backtest_table_and_json(capsys):
    code, out, err = run(
        capsys, "forecast", SAMPLE, "--backtest", "--from", "2026-01", "--to", "2026-03"
    )
    assert code == 0
    lines = out.splitlines()
    assert lines[2].startswith("arbook: the customer's days late, given the item is still open")
    assert lines[-1].startswith("Backtested at 3 month ends from 2026-01-31 to 2026-03-31")
    assert "Traceback" not in err  # (the progress bar shows on a terminal only)
    code, out, _ = run(
        capsys, "forecast", SAMPLE, "--backtest", "--from", "2026-01", "--to", "2026-03",
        "--format", "json",
    )  # fmt: skip
    data = json.loads(out)
    assert data["start"] == "2026-01-31" and data["weeks"] == 13
    assert data["summary"][0]["method"] == MODEL and len(data["origins"]) == 3 * 5


def test_spanish_and_russian(capsys):
    code, out, _ = run(capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--lang", "es")
    assert code == 0 and out.splitlines()[-1].startswith("De 1.122.725,20\xa0€ pendientes")
    code, out, _ = run(capsys, "forecast", SAMPLE, "--as-of", AS_OF, "--lang", "ru")
    assert out.splitlines()[-1].startswith("Из 1\xa0122\xa0725,20\xa0€ открытой задолженности")


def test_an_aging_report_says_it_has_no_history(capsys):
    report = EXAMPLES / "qbo-ar-aging-detail.csv"  # an aging report: the items open on a day
    code, _out, err = run(capsys, "forecast", report, "--items", "--format", "csv")
    assert code in (0, 1)
    assert "no payment history: each item is expected on its due date" in err
    code, _out, err = run(capsys, "forecast", report, "--backtest")
    assert code == 2 and "a backtest needs the payment history" in err
    assert "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--weeks", "0"], "give a whole number of weeks from 1 to 104"),
        (["--backtest", "--from", "2026-05", "--to", "2026-01"], "give --from before --to"),
        (["--as-of", "31/10/2026"], "YYYY-MM-DD"),
    ],
)
def test_bad_input_is_said_in_words(capsys, args, said):
    code, _out, err = run(capsys, "forecast", SAMPLE, *args)
    assert code == 2 and said in err and "Traceback" not in err
