"""How the payment-date model was chosen: the backtest (SPEC §9, ``arbook.backtest``) of the
model as shipped, of the same model with each of its parts taken out, and of a gradient-boosted
model with quantile loss (scikit-learn), on the IBM sample (month ends 2013-01-31..2013-11-30,
issue 15's protocol) and on ``data/sample`` (its default range).

    .venv/bin/pip install scikit-learn   # for the gradient-boosted rows only (not a dependency)
    .venv/bin/python benchmarks/forecast_models.py

The ablations run through ``arbook.backtest`` itself with a changed ``[forecast]`` policy, so
they are scored exactly as the shipped model is. The gradient-boosted model is scored by
:func:`score_points` with the same definitions (items open at each month end; error against
the day a payment cleared them; weekly cash of the payments applied to them; its own 10% and
90% quantiles as the interval), its cash all on its predicted day as the baselines' is.
Its features, per item at the month end: the customer's recency-weighted mean days late (shrunk
to the book's, from what was paid by then), the dispute flag, log amount, terms, days since the
invoice and days past due (the open-at-as-of condition); it is trained on the items open at each
of the previous 13 month ends that were paid by the month end predicted from.
"""

from __future__ import annotations

import sys
from pathlib import Path

import numpy as np
import pandas as pd

import arbook
from arbook.core.dates import day_number
from arbook.measures.backtest import MODEL
from arbook.measures.behaviour import cleared_days, experiences
from arbook.measures.forecast import _open_items, recency

ROOT = Path(__file__).resolve().parents[1]
IBM = ROOT.parent / "shared" / "data" / "ibm-watson-accounts-receivable.csv"
CASES = {
    "IBM sample": (lambda: arbook.read_ledger(IBM, preset="ibm"), "2013-01", "2013-11"),
    "data/sample": (lambda: arbook.read_ledger(ROOT / "data" / "sample"), None, None),
}
#: The shipped model and each part taken out, as a [forecast] policy.
ABLATIONS = {
    "arbook (as shipped)": {},
    "  without the dispute delay": {"min_disputed": 100_000},
    "  without recency (half-life 10 years)": {"half_life_days": 3650},
    "  without shrinkage (0)": {"shrinkage": 0.0},
    "  with strong shrinkage (10)": {"shrinkage": 10.0},
}


def ablations(ledger, start, end) -> list[dict]:
    rows = []
    for name, change in ABLATIONS.items():
        policy = {"forecast": change} if change else None
        result = arbook.backtest(ledger, start, end, policy=policy)
        model = result.summary.set_index("method").loc[MODEL]
        rows.append({"model": name, **model[["mae_days", "wape", "coverage"]].to_dict()})
        if not change:
            for _i, base in result.summary.iloc[1:].iterrows():
                rows.append({"model": f"baseline: {base['method']}", **base[["mae_days", "wape"]]})
    return rows, result


def score_points(ledger, ends, predict) -> dict:
    """MAE, WAPE and coverage of ``predict(ledger, day, rows) -> (median, low, high)`` days."""
    cleared, by_payment = cleared_days(ledger, ledger.last_day)
    paid_on = np.where(by_payment, cleared, -1)
    a = ledger.arrays
    gaps, hits, miss, cash = [], [], 0.0, 0.0
    for end in ends:
        day = day_number(end)
        rows, outstanding = _open_items(ledger, day)
        median, low, high = predict(ledger, day, rows)
        actual = paid_on[rows]
        known = actual > day
        gaps.append(np.abs(median[known] - actual[known]))
        hits.append((actual[known] >= low[known]) & (actual[known] <= high[known]))
        open_now = np.zeros(len(a.amount), dtype=bool)
        open_now[rows] = True
        target = np.where(a.pay_target >= 0, a.pay_target, 0)
        came = (a.pay_target >= 0) & open_now[target] & (a.pay_day > day)
        came &= a.pay_day <= day + 91
        actual_weeks = np.bincount((a.pay_day[came] - day - 1) // 7, a.pay_amount[came], 13)[:13]
        week = (median - day - 1) // 7
        inside = week < 13
        expected = np.bincount(week[inside], outstanding[inside].astype(float), 13)[:13]
        miss += np.abs(expected - actual_weeks).sum()
        cash += actual_weeks.sum()
    return {
        "mae_days": float(np.concatenate(gaps).mean()),
        "wape": miss / cash,
        "coverage": float(np.concatenate(hits).mean()),
    }


def gbm(ledger, day, rows, *, half_life=180.0, k=2.0):
    from sklearn.ensemble import HistGradientBoostingRegressor

    a = ledger.arrays
    customer = ledger.invoices["customer_id"].to_numpy()
    cleared, by_payment = cleared_days(ledger, pd.Timestamp(0) + pd.Timedelta(days=day))
    paid_by = np.where(by_payment & (cleared >= 0), cleared, -1)
    seen = experiences(ledger, pd.Timestamp(0) + pd.Timedelta(days=day), window_months="all")
    seen = seen[seen["paid"].to_numpy(dtype=bool)]
    late = (seen["paid_day"] - seen["due_day"]).to_numpy(dtype=float)
    weight = recency(seen["paid_day"].to_numpy(), day, half_life)
    frame = pd.DataFrame({"c": seen["customer_id"].to_numpy(), "w": weight, "wl": weight * late})
    sums = frame.groupby("c").sum()
    book = frame["wl"].sum() / frame["w"].sum()
    mean = (sums["wl"] + k * book) / (sums["w"] + k)

    def features(idx, origin):
        m = pd.Series(customer[idx]).map(mean).fillna(book).to_numpy()
        return np.column_stack(
            [
                m,
                a.disputed[idx],
                np.log1p(np.abs(a.amount[idx])),
                a.due_day[idx] - a.inv_day[idx],
                origin - a.inv_day[idx],
                origin - a.due_day[idx],
            ]
        )

    xs, ys = [], []
    for back in range(1, 14):
        origin = day_number((pd.Timestamp(0) + pd.Timedelta(days=day)) - pd.DateOffset(months=back))
        past, _cents = _open_items(ledger, origin)
        past = past[paid_by[past] > origin]
        if len(past):
            xs.append(features(past, origin))
            ys.append(paid_by[past] - a.due_day[past])
    x, y = np.vstack(xs), np.concatenate(ys)
    out = []
    for share in (0.5, 0.1, 0.9):
        fitted = HistGradientBoostingRegressor(
            loss="quantile", quantile=share, max_iter=200, learning_rate=0.05, random_state=0
        ).fit(x, y)
        out.append(
            np.maximum(np.rint(a.due_day[rows] + fitted.predict(features(rows, day))), day + 1)
        )
    return [o.astype(np.int64) for o in out]


def main() -> int:
    try:
        import sklearn  # noqa: F401

        boosted = True
    except ImportError:
        boosted = False
        print("(scikit-learn is not installed: the gradient-boosted rows are left out)")
    for case, (read, start, end) in CASES.items():
        ledger = read()
        rows, shipped = ablations(ledger, start, end)
        if boosted:
            ends = pd.date_range(shipped.start, shipped.end, freq="ME")
            rows.append(
                {"model": "gradient boosting, quantile loss", **score_points(ledger, ends, gbm)}
            )
        table = pd.DataFrame(rows).set_index("model")
        best = table.loc[table.index.str.startswith("baseline"), ["mae_days", "wape"]].min()
        table["mae_ratio"] = table["mae_days"] / best["mae_days"]
        table["wape_ratio"] = table["wape"] / best["wape"]
        print(f"\n{case}: month ends {shipped.start:%Y-%m-%d} to {shipped.end:%Y-%m-%d}")
        print(table.round(3).to_string())
    return 0


if __name__ == "__main__":
    sys.exit(main())
