"""The backtest of the payment-date forecast (SPEC §9): the model scored at month ends beside
every baseline, with nothing after ``until`` seen, and issue 15's targets on the IBM sample."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest
from conftest import SAMPLE

import arbook
from arbook.core.errors import ParameterError
from arbook.measures.backtest import BASELINES, MODEL, default_range


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(SAMPLE)


def test_open_items_only_cannot_be_backtested(sample):
    report = dataclasses.replace(
        sample, open_items_only=True, report_date=pd.Timestamp("2026-10-31")
    )
    with pytest.raises(ParameterError, match="a backtest needs the payment history"):
        arbook.backtest(report)


def test_the_default_range_leaves_a_year_to_learn_and_the_weeks_to_score(sample, ibm):
    assert default_range(sample) == (pd.Timestamp("2025-11-30"), pd.Timestamp("2026-07-31"))
    # everything in the IBM file is settled by its last day: the last month end can be scored
    assert default_range(ibm) == (pd.Timestamp("2013-01-31"), pd.Timestamp("2013-12-31"))
    short = default_range(sample, until="2026-03-31")
    assert short == (pd.Timestamp("2025-11-30"), pd.Timestamp("2025-11-30"))  # + 13 weeks
    with pytest.raises(ParameterError, match="too short to backtest"):
        default_range(sample, until="2025-12-31")


def test_the_backtest_scores_the_model_beside_every_baseline(sample):
    result = arbook.backtest(sample, "2025-12", "2026-03")
    summary = result.summary.set_index("method")
    assert list(summary.index) == [MODEL, *BASELINES]
    assert (summary["origins"] == 4).all() and result.start == pd.Timestamp("2025-12-31")
    assert summary.loc["due_date", "mae_days"] > summary.loc[MODEL, "mae_days"]
    assert summary.loc[list(BASELINES), "coverage"].isna().all()
    best = summary.loc[list(BASELINES), "mae_days"].min()
    assert summary.loc[MODEL, "mae_ratio"] == pytest.approx(summary.loc[MODEL, "mae_days"] / best)
    assert set(result.origins["as_of"]) == set(pd.date_range("2025-12-31", "2026-03-31", freq="ME"))
    assert len(result.weeks) == 4 * 13


def test_the_backtest_sees_nothing_after_until(sample):
    """A review as of 2026-06-30 backtests with what was known on that day: cutting the data
    there changes nothing."""
    until = "2026-06-30"
    inv = sample.invoices[sample.invoices["invoice_date"] <= until]
    pay = sample.payments[sample.payments["payment_date"] <= until]
    cut = dataclasses.replace(sample, invoices=inv.reset_index(drop=True), payments=pay)
    cut.__dict__.pop("arrays", None)
    one = arbook.backtest(sample, "2025-12", "2026-03", until=until).summary
    two = arbook.backtest(cut, "2025-12", "2026-03", until=until).summary
    pd.testing.assert_frame_equal(one, two)


def test_backtest_range_errors_say_what_to_do(sample):
    with pytest.raises(ParameterError, match="give --from before --to"):
        arbook.backtest(sample, "2026-05", "2026-01")


def test_on_the_ibm_sample_the_model_beats_every_baseline(ibm):
    """Issue 15's targets, on its protocol: per-invoice MAE at most 0.85x the best baseline's,
    weekly cash WAPE no worse than the best baseline's, the 80% interval holding 70-90%."""
    result = arbook.backtest(ibm, "2013-01-31", "2013-11-30")
    model = result.summary.set_index("method").loc[MODEL]
    assert model["origins"] == 11 and model["items"] > 900
    assert model["mae_ratio"] <= 0.85, result.summary
    assert model["wape_ratio"] <= 1.0, result.summary
    assert 0.70 <= model["coverage"] <= 0.90, result.summary


def test_on_the_sample_the_model_beats_every_baseline(sample):
    result = arbook.backtest(sample)
    model = result.summary.set_index("method").loc[MODEL]
    assert model["mae_ratio"] <= 0.85 and model["wape_ratio"] <= 0.8, result.summary
    assert 0.70 <= model["coverage"] <= 0.90, result.summary
