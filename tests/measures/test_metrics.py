"""Monthly metrics, roll rates and allowance (SPEC §3–4) on hand-worked ledgers."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from conftest import ledger_of

from arbook.core.config import load_policy
from arbook.core.errors import ParameterError
from arbook.measures.metrics import allowance, countback_dso, monthly_metrics, roll_rates

# X1 1000 in Jan (due 02-04), paid 400 on 02-20 and 600 on 03-20; X2 600 in Feb (due 03-12);
# X3 900 in Mar (due 04-14); nothing in April.
INVOICES = """
    X1,A,2026-01-05,2026-02-04,1000.00
    X2,B,2026-02-10,2026-03-12,600.00
    X3,A,2026-03-15,2026-04-14,900.00
"""
PAYMENTS = """
    Q1,A,2026-02-20,400.00,X1
    Q2,A,2026-03-20,600.00,X1
"""


@pytest.fixture
def months(tmp_path):
    ledger = ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS)
    return monthly_metrics(ledger, "2026-01", "2026-04").set_index("month")


def test_january(months):
    jan = months.loc["2026-01"]
    # AR 1000 (X1, not yet due) on sales 1000 over 31 days.
    assert (jan.sales_cents, jan.ar_begin_cents, jan.ar_end_cents, jan.current_cents) == (
        100000,
        0,
        100000,
        100000,
    )
    assert jan.dso == pytest.approx(31) and jan.dso_countback == pytest.approx(31)
    assert math.isnan(jan.dso_3m)  # the three months reach before the data's first month
    assert jan.best_possible_dso == pytest.approx(31) and jan["add"] == pytest.approx(0)
    assert math.isnan(jan.cei)  # 0 + 1000 - 1000 over 0 + 1000 - 1000: undefined
    assert jan.pct_current == 1.0


def test_february(months):
    feb = months.loc["2026-02"]
    # X1 600 left, 24 days overdue; X2 600 current. AR 1200, current 600, sales 600.
    assert (feb.ar_end_cents, feb.current_cents, feb["1-30_cents"]) == (120000, 60000, 60000)
    assert feb.dso == pytest.approx(1200 / 600 * 28)  # 56
    assert feb.dso_countback == pytest.approx(28 + 31 * 600 / 1000)  # 46.6
    assert feb.best_possible_dso == pytest.approx(28)
    assert feb["add"] == pytest.approx(28)
    assert feb.cei == pytest.approx((1000 + 600 - 1200) / (1000 + 600 - 600))  # 0.4
    assert feb.pct_current == pytest.approx(0.5)


def test_march(months):
    mar = months.loc["2026-03"]
    # X1 settled 03-20; X2 600 19 days overdue; X3 900 current. AR 1500, sales 900.
    assert (mar.ar_end_cents, mar.current_cents, mar["1-30_cents"]) == (150000, 90000, 60000)
    assert mar.dso == pytest.approx(1500 / 900 * 31)
    assert mar.dso_3m == pytest.approx(1500 / 2500 * 90)  # 54
    assert mar.dso_countback == pytest.approx(31 + 28 * 600 / 600)  # 59
    assert mar["add"] == pytest.approx(1500 / 900 * 31 - 31)
    assert mar.cei == pytest.approx((1200 + 900 - 1500) / (1200 + 900 - 900))  # 0.5


def test_month_without_sales_is_nan_not_zero(months):
    apr = months.loc["2026-04"]
    assert apr.sales_cents == 0
    assert math.isnan(apr.dso) and math.isnan(apr.best_possible_dso) and math.isnan(apr["add"])
    # Count-back walks through April (no sales: adds its 30 days) into March and February.
    assert apr.dso_countback == pytest.approx(30 + 31 + 28)
    # X2 (due 03-12) is 49 days overdue, X3 (due 04-14) 16: nothing over 60.
    assert apr.pct_over_60 == 0.0 and apr["31-60_cents"] == 60000


def test_over_60_90_120_by_days_whatever_the_edges(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        O1,A,2025-01-01,2025-01-01,100.00
        O2,A,2025-06-01,2025-06-01,300.00
    """,
    )
    row = monthly_metrics(ledger, "2025-06", "2025-06", edges=(15,)).iloc[0]
    # At 06-30 O1 is 180 days overdue, O2 29: 100 of 400 is over 60, 90 and 120.
    assert (row.pct_over_60, row.pct_over_90, row.pct_over_120) == (0.25, 0.25, 0.25)
    assert row["16+_cents"] == 40000


def test_countback_runs_out_of_history():
    sales = pd.Series({pd.Period("2026-01", "M"): 50000})
    # AR 1000 but only 500 of sales on record (a standalone credit note netted the month).
    assert math.isnan(
        countback_dso(100000, pd.Period("2026-01", "M"), sales, pd.Period("2026-01", "M"))
    )
    assert countback_dso(0, pd.Period("2026-01", "M"), sales, pd.Period("2026-01", "M")) == 0.0


def test_turnover_needs_a_year(tmp_path):
    rows = "\n".join(f"T{m},A,2025-{m:02d}-01,2025-{m:02d}-01,100.00" for m in range(1, 13))
    ledger = ledger_of(
        tmp_path, invoices="invoice_id,customer_id,invoice_date,due_date,amount\n" + rows
    )
    frame = monthly_metrics(ledger, "2025-11", "2025-12").set_index("month")
    assert math.isnan(frame.loc["2025-11", "ar_turnover"])
    # Dec: sales 1200; month-end AR = 100 x months so far: mean of 0,100..1200 = 600 -> 2.0.
    assert frame.loc["2025-12", "ar_turnover"] == pytest.approx(
        1200 / (sum(range(0, 1300, 100)) / 13)
    )
    assert frame.loc["2025-12", "days_sales_in_receivables"] == pytest.approx(365 / 2.0)


def test_bad_months(tmp_path):
    ledger = ledger_of(tmp_path, invoices=INVOICES)
    with pytest.raises(ParameterError, match="YYYY-MM"):
        monthly_metrics(ledger, "2026-1", "2026-03")
    with pytest.raises(ParameterError, match="after"):
        monthly_metrics(ledger, "2026-03", "2026-01")


# R1 1000 due on issue 01-01, R2 400 due 02-01; 500 paid on R1 on 02-15. Edges (30,).
ROLL_INVOICES = """
    R1,A,2026-01-01,2026-01-01,1000.00
    R2,A,2026-02-01,2026-02-01,400.00
"""
ROLL_PAYMENTS = """
    S1,A,2026-02-15,500.00,R1
"""


def test_roll_rates_and_allowance(tmp_path):
    ledger = ledger_of(tmp_path, invoices=ROLL_INVOICES, payments=ROLL_PAYMENTS)
    rolls = roll_rates(ledger, "2026-02", "2026-03", edges=(30,)).set_index("month")
    # Jan 31: R1 1000 in 1-30. Feb 28: R1 500 in 31+, R2 400 in 1-30. Mar 31: 900 in 31+.
    assert math.isnan(rolls.loc["2026-02", "current->1-30"])  # nothing was current in January
    assert rolls.loc["2026-02", "1-30->31+"] == pytest.approx(0.5)
    # Into the open-ended last bucket only the inflow counts: R2's 400 (R1's 500 was there).
    assert rolls.loc["2026-03", "1-30->31+"] == pytest.approx(400 / 400)
    policy = load_policy(
        {
            "aging": {"edges": [30]},
            "allowance": {
                "loss_rates": {"current": 0.01, "1-30": 0.1, "31+": 0.5},
                "writeoff_rate": 0.5,
                "roll_months": 2,
            },
        }
    )
    table = allowance(ledger, "2026-03-31", policy=policy).set_index("bucket")
    assert table.loc["31+", "balance_cents"] == 90000
    assert table.loc["total", "aging_allowance_cents"] == 45000  # 900 x 0.5
    assert table.loc["1-30", "roll_loss_rate"] == pytest.approx((0.5 + 1.0) / 2 * 0.5)
    assert math.isnan(table.loc["current", "roll_loss_rate"])  # never observed
    assert table.loc["31+", "roll_allowance_cents"] == 45000
    assert table.loc["total", "roll_allowance_cents"] == 45000  # unknown only where 0 sits


def test_allowance_needs_rates_for_every_bucket(tmp_path):
    ledger = ledger_of(tmp_path, invoices=ROLL_INVOICES)
    with pytest.raises(ParameterError, match="1-15"):
        allowance(ledger, "2026-03-31", edges=(15,))


def test_allowance_rounds_half_up(tmp_path):
    ledger = ledger_of(
        tmp_path,
        invoices="""
        H1,A,2026-03-01,2026-04-30,0.50
    """,
    )
    table = allowance(ledger, "2026-03-31").set_index("bucket")
    assert table.loc["current", "aging_allowance_cents"] == 1  # 50 cents x 1% = 0.5 cent -> 1
