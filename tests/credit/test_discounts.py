"""Early-payment discounts (SPEC §6): the cost of terms, and the simulated programme."""

from __future__ import annotations

import json
import math

import pytest
from conftest import (
    DISCOUNT_AS_OF,
    DISCOUNT_INVOICES,
    DISCOUNT_PAYMENTS,
    ROOT,
    ledger_fixture,
    write_ledger,
)

import arbook
from arbook import cli
from arbook.core.config import load_policy
from arbook.core.errors import ParameterError
from arbook.credit.discounts import (
    discount_cost,
    discount_cost_compound,
    format_terms,
    parse_terms,
    simulate_discount,
)

AS_OF = DISCOUNT_AS_OF
INVOICES, PAYMENTS = DISCOUNT_INVOICES, DISCOUNT_PAYMENTS
ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS)


@pytest.fixture(scope="module")
def sample():
    return arbook.read_ledger(ROOT / "data" / "sample")


@pytest.mark.parametrize(
    "terms, expected",
    [
        ("2/10 net 30", 0.3724),  # 0.02/0.98 × 365/20
        ("1/10 net 30", 0.1843),  # 0.01/0.99 × 365/20
        ("2/10 net 45", 0.2128),  # 0.02/0.98 × 365/35
    ],
)
def test_cost_table(terms, expected):
    assert round(discount_cost(*parse_terms(terms)), 4) == expected


def test_cost_when_customers_pay_after_net():
    # Paid on day 60 today: the discount buys 50 days, 0.02/0.98 × 365/50 = 0.14898.
    assert round(discount_cost(0.02, 10, 30, pay_day=60), 4) == 0.1490
    assert round(discount_cost_compound(0.02, 10, 30, pay_day=60), 4) == round(
        (1 / 0.98) ** 7.3 - 1, 4
    )


def test_compounded_by_hand():
    # (1 + 0.02/0.98)^(365/20) − 1 = (1/0.98)^18.25 − 1 = e^(18.25 × 0.0202027) − 1 = 0.44585
    assert round(discount_cost_compound(0.02, 10, 30), 4) == 0.4459
    # (1/0.99)^18.25 − 1 = e^(18.25 × 0.0100503) − 1 = 0.20132
    assert round(discount_cost_compound(0.01, 10, 30), 4) == 0.2013
    # (1/0.98)^(365/35) − 1 = e^(10.428571 × 0.0202027) − 1 = 0.23452
    assert round(discount_cost_compound(0.02, 10, 45), 4) == 0.2345


def test_parse_terms_forms():
    assert parse_terms("2/10 net 30") == (0.02, 10, 30)
    assert parse_terms(" 2/10 N30 ") == (0.02, 10, 30)
    assert parse_terms("1.5%/15, n/45") == (0.015, 15, 45)
    assert format_terms(0.015, 15, 45) == "1.5/15 net 45"


@pytest.mark.parametrize(
    "text, words",
    [
        ("", "cannot be read"),
        ("2/10", "cannot be read"),
        ("two/ten net thirty", "cannot be read"),
        ("0/10 net 30", "above 0"),
        ("100/10 net 30", "below 100"),
        ("2/30 net 30", "fewer than the net days"),
    ],
)
def test_parse_terms_errors(text, words):
    with pytest.raises(ParameterError, match=words) as err:
        parse_terms(text)
    assert "2/10 net 30" in str(err.value)


def test_cost_refuses_no_time_bought():
    with pytest.raises(ParameterError, match="buys no time"):
        discount_cost(0.02, 10, 30, pay_day=10)
    with pytest.raises(ParameterError, match=r"0.02"):
        discount_cost(2, 10, 30)


def test_simulation_by_hand(ledger):
    # Signed days to due: A −20, B 0, C +15, D +60; eligible (≤ 15): A, B, C; D is not.
    # Eligible sales 1,300,000 cents; uptake 0.5 -> 650,000, earliest payers first:
    # A 100,000 all, B 200,000 all, C (650,000 − 300,000) / 1,000,000 = 0.35 of its sales.
    # Discounts (2%): A 2,000 + B 4,000 + C 20,000 × 0.35 = 7,000 -> 13,000.
    # Days earlier: A 0 (pays on day 10 already), B 20, C 35.
    # Cash × days: B 196,000 × 20 = 3,920,000; C 980,000 × 35 × 0.35 = 12,005,000.
    # Cash freed: 3,920,000 / 365 = 10,739.73 -> 10,740; 12,005,000 / 365 = 32,890.41 -> 32,890.
    # Financing at 20%: B 2,147.95 -> 2,148; C 6,578.08 -> 6,578; total 8,726.
    # C paid late: bad debt 1,000,000 × 1% × 0.35 = 3,500; collection × 0.5% = 1,750.
    # Net = 8,726 + 3,500 + 1,750 − 13,000 = 976.
    sim = simulate_discount(ledger, AS_OF, cost_of_capital=0.20, uptake=0.5)
    assert (sim.terms, sim.sales_cents, sim.eligible_sales_cents, sim.taken_sales_cents) == (
        "2/10 net 30",
        1_700_000,
        1_300_000,
        650_000,
    )
    assert (
        sim.discount_cents,
        sim.cash_freed_cents,
        sim.financing_saved_cents,
        sim.bad_debt_avoided_cents,
        sim.collection_cost_avoided_cents,
        sim.net_cents,
    ) == (13_000, 43_630, 8_726, 3_500, 1_750, 976)
    customers = sim.customers.set_index("customer_id")
    assert list(customers.index) == ["A", "B", "C", "D"]
    assert list(customers["eligible"]) == [True, True, True, False]
    assert list(customers["share_taken"]) == pytest.approx([1, 1, 0.35, 0])
    assert list(customers["net_cents"]) == [-2000, 2148 - 4000, 6578 + 5250 - 7000, 0]
    # Days to pay weighted by amount: (1000×10 + 2000×30 + 10000×45 + 4000×90) / 17000 = 51.76;
    # after, B pays on day 10 and 0.35 of C does: (88e6 − 4e6 − 12.25e6) / 1.7e6 = 42.21 days.
    assert sim.dso_before == pytest.approx(880 / 17)
    assert sim.dso_after == pytest.approx(71.75 / 1.7)
    assert sim.days_earlier == pytest.approx(16.25e6 / 650_000)  # 25 days
    # Annual cost of 2/10 net 30 at day 30, and at the eligible customers' average days to pay
    # (1000×10 + 2000×30 + 10000×45) / 13000 = 40 days: 0.02/0.98 × 365/30.
    assert sim.annual_cost == pytest.approx(0.02 / 0.98 * 365 / 20)
    assert sim.annual_cost_observed == pytest.approx(0.02 / 0.98 * 365 / 30)


def test_break_evens_by_hand(ledger):
    sim = simulate_discount(ledger, AS_OF, cost_of_capital=0.20, uptake=0.5)
    # Net at full uptake, unrounded: A −2,000; B 2,147.945 − 4,000; C 18,794.521 + 15,000 − 20,000.
    a, b, c = -2000, 3_920_000 * 0.2 / 365 - 4000, 34_300_000 * 0.2 / 365 + 15_000 - 20_000
    # Negative through A and B (3/13 of eligible sales), crossing 0 inside C.
    assert sim.break_even_uptake == pytest.approx(3 / 13 + 10 / 13 * -(a + b) / c)
    assert 0.44 < sim.break_even_uptake < 0.45
    # At uptake 0.5: discounts 13,000 − avoided 5,250 = 7,750 must equal coc × cash-days / 365.
    assert sim.break_even_cost_of_capital == pytest.approx(7750 / ((3_920_000 + 12_005_000) / 365))
    curve = sim.curve.set_index("uptake")["net_cents"]
    assert curve.iloc[0] == 0 and curve.iloc[-1] == 20_943 + 15_000 - 26_000
    assert (curve[(curve.index > 0) & (curve.index < sim.break_even_uptake)] < 0).all()
    assert (curve[curve.index > sim.break_even_uptake] >= 0).all()


def test_defaults_from_policy(ledger):
    policy = load_policy({"cost_of_capital": 0.20, "discounts": {"uptake": 0.5}})
    assert simulate_discount(ledger, AS_OF, policy=policy).net_cents == 976
    strict = load_policy({"discounts": {"eligible_days_late": 0}})
    sim = simulate_discount(ledger, AS_OF, policy=strict, uptake=1)
    assert list(sim.customers["eligible"]) == [True, True, False, False]


@pytest.mark.parametrize(
    "kwargs, words",
    [
        ({"uptake": 1.5}, "uptake"),
        ({"cost_of_capital": 10}, "cost of capital"),
        ({"terms": "2 net 30"}, "cannot be read"),
    ],
)
def test_simulation_bad_parameters(ledger, kwargs, words):
    with pytest.raises(ParameterError, match=words):
        simulate_discount(ledger, AS_OF, **kwargs)


def test_sample_sanity(sample):
    sim = simulate_discount(sample, "2026-10-31", cost_of_capital=0.10, uptake=0.5)
    assert sim.net_cents == (
        sim.financing_saved_cents
        + sim.bad_debt_avoided_cents
        + sim.collection_cost_avoided_cents
        - sim.discount_cents
    )
    for column in ("discount_cents", "financing_saved_cents", "net_cents"):
        assert int(sim.customers[column].sum()) == getattr(sim, column)
    half = sim.curve[sim.curve["uptake"] == 0.5].iloc[0]
    assert half["net_cents"] == sim.net_cents and half["discount_cents"] == sim.discount_cents
    assert sim.dso_after < sim.dso_before and sim.cash_freed_cents > 0
    net = sim.curve.set_index("uptake")["net_cents"]
    if math.isnan(sim.break_even_uptake):
        assert (net[net.index > 0] < 0).all()
    else:
        assert (net[net.index > sim.break_even_uptake + 1e-9] >= 0).all()
    # At the break-even cost of capital the net result is 0 up to the per-customer rounding.
    even = simulate_discount(
        sample, "2026-10-31", uptake=0.5, cost_of_capital=sim.break_even_cost_of_capital
    )
    assert abs(even.net_cents) <= 3 * int((even.customers["share_taken"] > 0).sum())


def test_cli_discount_cost(capsys):
    assert cli.main(["discount-cost", "2/10 net 30"]) == 0
    assert capsys.readouterr().out.strip() == (
        "2/10 net 30 paid on day 30: 37.24% a year simple, 44.59% compounded"
    )
    assert cli.main(["discount-cost", "2/10 net 30", "--pay-day", "45", "--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert round(row["simple_cost"], 4) == 0.2128 and row["pay_day"] == 45
    assert cli.main(["discount-cost", "2 percent"]) == 2
    assert "2/10 net 30" in capsys.readouterr().err


def test_cli_discount(tmp_path, capsys):
    folder = write_ledger(tmp_path / "l", invoices=INVOICES, payments=PAYMENTS)
    args = [
        "discount",
        str(folder),
        "--as-of",
        AS_OF,
        "--cost-of-capital",
        "0.20",
        "--uptake",
        "0.5",
    ]
    assert cli.main(args) == 0
    out = capsys.readouterr().out
    assert "Net result a year" in out and "+9.76" in out and "Break-even uptake" in out
    assert cli.main(args + ["--format", "json"]) == 0
    row = json.loads(capsys.readouterr().out)[0]
    assert row["net_cents"] == 976 and row["discount_cents"] == 13_000
    assert cli.main(args + ["--terms", "2/40 net 30"]) == 2
    assert "fewer than the net days" in capsys.readouterr().err
