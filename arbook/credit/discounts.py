"""Early-payment discounts (SPEC §6): what terms like "2/10 net 30" cost, and whether a discount
programme would pay for itself on the client's own payment history.

The simulation works on the payment experiences of the policy's window (``[behaviour]``, 12 months)
ending at the as-of date (:func:`arbook.measures.behaviour.experiences`: invoices paid in the
window, and invoices still open and overdue counted as paid on the as-of date). Its rules, where the
SPEC leaves a choice:

- **Who would take it.** A customer is *eligible* when its amount-weighted days paid after the due
  date (signed: negative = early) are at most ``policy.discounts.eligible_days_late``: it already
  pays within or near terms. Later payers are in effect borrowing from the client and are assumed
  to keep doing so.
- **Uptake** is the share of the eligible customers' sales that takes the discount. Takers come
  earliest payers first (paying by day D costs them least); the customer at the margin takes
  part of its invoices (an expected value, no random draw), so results are deterministic.
- **A taker** pays every invoice by day D, less the discount. An invoice it paid within D days
  anyway earns the discount and frees nothing. Non-takers keep paying as they do today.
- **Money.** Discounts are rounded half-up per invoice. Per customer, each figure (discount,
  cash freed, financing saved, bad debt and collection cost avoided) is the customer's full-uptake
  amount × its share taken, rounded half-up to the cent; totals are sums of the customers' cents,
  so ``net = financing saved + bad debt avoided + collection cost avoided − discounts`` exactly.
- **Cash freed** = Σ cash received × days earlier / 365: the lasting cut in receivables (working
  capital released once). **Financing saved** = the same × cost of capital: a year's interest.
  **Bad debt and collection cost avoided** = the policy's rates × takers' invoices that were paid
  after their due date. **DSO** here is the sales-weighted days from invoice to payment over the
  experiences, before and with the takers paying on day D.
- **Break-even uptake** is the smallest uptake above 0 from which the (unrounded) net result is
  ≥ 0: 0.0 when the first takers already pay for themselves, NaN when no uptake does.
  **Break-even cost of capital** is the rate at which the net result at the chosen uptake is 0.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from arbook.core.config import check_fraction, parse_terms, resolve_policy
from arbook.core.dates import day_number
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import Ledger
from arbook.core.money import half_up
from arbook.core.numbers import local_number
from arbook.measures.behaviour import experiences
from arbook.measures.history import needs_history

CUSTOMER_COLUMNS = [
    "customer_id",
    "name",
    "invoices",
    "sales_cents",
    "days_to_pay",
    "signed_days_to_due",
    "eligible",
    "share_taken",
    "discount_cents",
    "days_earlier",
    "cash_freed_cents",
    "financing_saved_cents",
    "bad_debt_avoided_cents",
    "collection_cost_avoided_cents",
    "net_cents",
]
OUTCOME = [
    "discount_cents",
    "cash_freed_cents",
    "financing_saved_cents",
    "bad_debt_avoided_cents",
    "collection_cost_avoided_cents",
    "net_cents",
]


def format_terms(rate: float, discount_days: int, net_days: int) -> str:
    """``(0.02, 10, 30)`` -> ``"2/10 net 30"`` (the inverse of :func:`parse_terms`)."""
    percent = Decimal(str(rate)) * 100
    return f"{percent.normalize():f}/{int(discount_days)} net {int(net_days)}"


def terms_text(rate: float, discount_days: int, net_days: int) -> str:
    """The terms for people, in the language spoken: ``2/10 net 30`` (``2/10 neto 30``,
    ``2/10 нетто 30``; the decimal mark the language's). :func:`format_terms` writes them for
    the machine (a policy file, :func:`parse_terms`)."""
    percent = f"{(Decimal(str(rate)) * 100).normalize():f}"
    return _("{percent}/{days} net {net}").format(
        percent=local_number(percent), days=int(discount_days), net=int(net_days)
    )


def _period(rate: float, discount_days: int, net_days: int, pay_day) -> tuple[float, int]:
    """The checked discount fraction and the days paid earlier (P − D) for the cost formulas."""
    if not 0 < float(rate) < 1:
        raise ParameterError(
            _("discount {rate} must be a fraction above 0 and below 1 (2% is 0.02)").format(
                rate=rate
            )
        )
    pay = int(net_days if pay_day is None else pay_day)
    if pay <= int(discount_days):
        raise ParameterError(
            _(
                "paying on day {pay} is not later than the {days} discount days; the discount "
                "buys no time"
            ).format(pay=pay, days=discount_days)
        )
    return float(rate), pay - int(discount_days)


def discount_cost(rate: float, discount_days: int, net_days: int, pay_day=None) -> float:
    """Simple annualised cost to the seller on a 365-day year: d / (1 − d) × 365 / (P − D), with
    P = ``pay_day`` (the day customers pay today) or the net days. 2/10 net 30 -> 0.3724."""
    d, days = _period(rate, discount_days, net_days, pay_day)
    return d / (1 - d) * 365 / days


def discount_cost_compound(rate: float, discount_days: int, net_days: int, pay_day=None) -> float:
    """Compounded annual cost: (1 + d / (1 − d)) ^ (365 / (P − D)) − 1. 2/10 net 30 -> 0.4459."""
    d, days = _period(rate, discount_days, net_days, pay_day)
    return (1 + d / (1 - d)) ** (365 / days) - 1


@dataclass(frozen=True)
class DiscountSimulation:
    """What a discount programme would have done over the 12 months of experiences to ``as_of``.

    ``customers``: one row per customer with experiences (:data:`CUSTOMER_COLUMNS`), takers first.
    ``curve``: ``uptake`` from 0 to 1 and, at each, ``discount_cents, cash_freed_cents,
    financing_saved_cents, bad_debt_avoided_cents, collection_cost_avoided_cents, net_cents``.
    Money in int cents; ``annual_cost`` is the terms' simple cost paid at the net days,
    ``annual_cost_observed`` the same with P = the eligible customers' average days to pay when
    later; ``days_earlier`` is amount-weighted over the taken sales.
    """

    as_of: str
    terms: str
    rate: float
    discount_days: int
    net_days: int
    cost_of_capital: float
    uptake: float
    annual_cost: float
    annual_cost_observed: float
    customers: pd.DataFrame
    curve: pd.DataFrame
    sales_cents: int
    eligible_sales_cents: int
    taken_sales_cents: int
    discount_cents: int
    cash_freed_cents: int
    days_earlier: float
    financing_saved_cents: int
    bad_debt_avoided_cents: int
    collection_cost_avoided_cents: int
    net_cents: int
    dso_before: float
    dso_after: float
    break_even_uptake: float
    break_even_cost_of_capital: float

    @property
    def totals(self) -> pd.DataFrame:
        """The scalar results as a one-row frame (money in ``*_cents`` ints)."""
        skip = {"customers", "curve"}
        return pd.DataFrame([{k: v for k, v in vars(self).items() if k not in skip}])


def _invoice_base(history: pd.DataFrame, rate: float, discount_days: int) -> pd.DataFrame:
    """Per experience: the exact integers the simulation needs if its customer took the terms."""
    amount = history["amount_cents"].to_numpy(dtype=np.int64)
    to_pay = np.maximum(history["paid_day"].to_numpy() - history["invoice_day"].to_numpy(), 0)
    earlier = np.maximum(to_pay - int(discount_days), 0).astype(np.int64)
    d = Decimal(str(rate))
    discount = np.array([half_up(Decimal(int(a)) * d) for a in amount], dtype=np.int64)
    late = history["paid_day"].to_numpy() > history["due_day"].to_numpy()
    return pd.DataFrame(
        {
            "customer_id": history["customer_id"].to_numpy(),
            "sales_cents": amount,
            "discount_full": discount,
            "cash_days": (amount - discount) * earlier,
            "late_cents": np.where(late, amount, 0),
            "amount_days": amount * to_pay,
            "saved_days": amount * earlier,
            "signed_w": amount * (history["paid_day"].to_numpy() - history["due_day"].to_numpy()),
        }
    )


def _customer_base(invoices: pd.DataFrame, eligible_days_late: int, ledger: Ledger):
    """Per customer: sums of :func:`_invoice_base`, its behaviour and eligibility; eligible
    customers first, earliest payers first."""
    g = invoices.groupby("customer_id", sort=True)
    base = g.sum(numeric_only=True).reset_index()
    base.insert(1, "invoices", g.size().to_numpy(dtype=np.int64))
    base.insert(1, "name", ledger.names(base["customer_id"]))
    base["days_to_pay"] = base["amount_days"] / base["sales_cents"]
    base["signed_days_to_due"] = base["signed_w"] / base["sales_cents"]
    base["eligible"] = base["signed_days_to_due"] <= eligible_days_late
    return base.sort_values(
        ["eligible", "signed_days_to_due", "customer_id"],
        ascending=[False, True, True],
        kind="stable",
    ).reset_index(drop=True)


def _shares(base: pd.DataFrame, uptake: float) -> np.ndarray:
    """Share of each customer's invoices taking the discount at ``uptake`` of eligible sales."""
    sales = np.where(base["eligible"], base["sales_cents"], 0).astype(float)
    target = uptake * sales.sum()
    before = np.cumsum(sales) - sales
    with np.errstate(divide="ignore", invalid="ignore"):
        share = np.where(sales > 0, (target - before) / sales, 0.0)
    return np.clip(share, 0.0, 1.0)


def _outcome(base: pd.DataFrame, shares: np.ndarray, coc: float, rules) -> pd.DataFrame:
    """Per customer at ``shares``: the money columns of :data:`OUTCOME`, half-up cents."""
    year, r = Decimal(365), Decimal(str(coc))
    bad, cost = Decimal(str(rules.bad_debt_rate)), Decimal(str(rules.collection_cost_rate))
    rows = []
    for share, disc, cash_days, late in zip(
        shares, base["discount_full"], base["cash_days"], base["late_cents"]
    ):
        if share <= 0:
            rows.append((0, 0, 0, 0, 0))
            continue
        f = Decimal(repr(float(share)))
        cash_days, late = Decimal(int(cash_days)) * f, Decimal(int(late)) * f
        rows.append(
            (
                half_up(Decimal(int(disc)) * f),
                half_up(cash_days / year),
                half_up(cash_days * r / year),
                half_up(late * bad),
                half_up(late * cost),
            )
        )
    frame = pd.DataFrame(rows, columns=OUTCOME[:-1], dtype=np.int64)
    frame["net_cents"] = (
        frame["financing_saved_cents"]
        + frame["bad_debt_avoided_cents"]
        + frame["collection_cost_avoided_cents"]
        - frame["discount_cents"]
    )
    return frame


def _curve(base: pd.DataFrame, coc: float, rules, steps: int) -> pd.DataFrame:
    """The totals of :func:`_outcome` at uptakes 0, 1/steps, ..., 1."""
    uptakes = np.linspace(0.0, 1.0, steps + 1)
    rows = [_outcome(base, _shares(base, u), coc, rules).sum() for u in uptakes]
    frame = pd.DataFrame(rows).astype(np.int64)
    frame.insert(0, "uptake", uptakes)
    return frame


def _full_net(base: pd.DataFrame, coc: float, rules) -> np.ndarray:
    """Unrounded net result of each customer taking the discount on all its invoices."""
    avoided = base["late_cents"] * (rules.bad_debt_rate + rules.collection_cost_rate)
    return (base["cash_days"] * coc / 365 + avoided - base["discount_full"]).to_numpy(float)


def _break_even_uptake(base: pd.DataFrame, coc: float, rules) -> float:
    """Smallest uptake above 0 from which the piecewise-linear net result is ≥ 0 (see module)."""
    eligible = base["eligible"].to_numpy()
    sales = base["sales_cents"].to_numpy(float)[eligible]
    if not len(sales) or sales.sum() <= 0:
        return math.nan
    xs = np.concatenate([[0.0], np.cumsum(sales) / sales.sum()])
    ys = np.concatenate([[0.0], np.cumsum(_full_net(base, coc, rules)[eligible])])
    if ys[1] >= 0:
        return 0.0
    for x0, x1, y0, y1 in zip(xs, xs[1:], ys, ys[1:]):
        if y0 < 0 <= y1:
            return float(x0 + (x1 - x0) * (-y0) / (y1 - y0))
    return math.nan


def _break_even_rate(base: pd.DataFrame, shares: np.ndarray, rules) -> float:
    """Cost of capital at which the unrounded net result at ``shares`` is 0 (0.0 if it pays at
    any rate, NaN if none)."""
    freed = float((shares * base["cash_days"]).sum()) / 365
    avoided = float((shares * base["late_cents"]).sum()) * (
        rules.bad_debt_rate + rules.collection_cost_rate
    )
    granted = float((shares * base["discount_full"]).sum())
    if freed <= 0:
        return 0.0 if granted <= avoided else math.nan
    return max(0.0, (granted - avoided) / freed)


def _weighted(numerator, denominator) -> float:
    return float(numerator) / float(denominator) if denominator > 0 else math.nan


def _customers(base, shares, outcome) -> pd.DataFrame:
    frame = base.assign(
        share_taken=shares,
        days_earlier=np.where(
            base["sales_cents"] > 0, base["saved_days"] / base["sales_cents"].clip(lower=1), 0.0
        ),
    )
    frame = pd.concat([frame, outcome], axis=1)
    return frame[CUSTOMER_COLUMNS]


def simulate_discount(
    ledger: Ledger,
    as_of,
    *,
    terms: str | None = None,
    cost_of_capital=None,
    uptake=None,
    policy=None,
    steps: int = 20,
    history: pd.DataFrame | None = None,
) -> DiscountSimulation:
    """Simulate offering ``terms`` (default the policy's, "2/10 net 30") on the experiences of
    the 12 months ending at ``as_of``; returns a :class:`DiscountSimulation`.

    ``cost_of_capital`` and ``uptake`` (fractions 0–1) default to the policy's; ``policy``
    None means the ledger's. ``steps`` sets the curve's resolution; ``history`` may pass the
    :func:`~arbook.measures.behaviour.experiences` frame of the same ledger, date and window
    when the caller has it. The rules are in the module docstring. A ledger of open items
    only has no payments to simulate on: a ParameterError says so (with the reason
    :func:`~arbook.measures.history.needs_history` gives).
    """
    pol = ledger.policy if policy is None else resolve_policy(policy)
    rules = pol.discounts
    text = rules.terms if terms is None else terms
    rate, days, net = parse_terms(text)
    # blank (None or "", as a notebook parameter) means the policy's
    coc = check_fraction(
        pol.cost_of_capital if cost_of_capital in (None, "") else cost_of_capital,
        "cost of capital",
    )
    share = check_fraction(rules.uptake if uptake in (None, "") else uptake, "uptake")
    if not 1 <= int(steps) <= 1000:
        raise ParameterError(
            _("{steps} curve steps; give 1 to 1000 (20 is usual)").format(steps=steps)
        )
    day_number(as_of)
    why = needs_history(ledger, _("The discount simulated on your customers' payments"))
    if why:  # an aging report has no payments to simulate on: no result, and why
        raise ParameterError(why)
    if history is None:
        history = experiences(ledger, as_of, policy=pol)
    base = _customer_base(_invoice_base(history, rate, days), rules.eligible_days_late, ledger)
    shares = _shares(base, share)
    outcome = _outcome(base, shares, coc, rules)
    return _assemble(
        str(pd.Timestamp(as_of).date()),
        (rate, days, net),
        coc,
        share,
        int(steps),
        base,
        shares,
        outcome,
        rules,
    )


def _assemble(
    as_of: str,
    terms: tuple[float, int, int],
    coc: float,
    share: float,
    steps: int,
    base: pd.DataFrame,
    shares: np.ndarray,
    outcome: pd.DataFrame,
    rules,
) -> DiscountSimulation:
    """The :class:`DiscountSimulation` from the working values of :func:`simulate_discount`."""
    rate, days, net = terms
    sales = int(base["sales_cents"].sum())
    eligible = base["eligible"].to_numpy()
    taken = float((shares * base["sales_cents"]).sum())
    saved = float((shares * base["saved_days"]).sum())
    observed = _weighted(
        (base["amount_days"] * eligible).sum(), (base["sales_cents"] * eligible).sum()
    )
    pay_day = max(net, round(observed)) if not math.isnan(observed) else net
    totals = outcome.sum()
    return DiscountSimulation(
        as_of=as_of,
        terms=format_terms(rate, days, net),
        rate=rate,
        discount_days=days,
        net_days=net,
        cost_of_capital=coc,
        uptake=share,
        annual_cost=discount_cost(rate, days, net),
        annual_cost_observed=discount_cost(rate, days, net, pay_day),
        customers=_customers(base, shares, outcome),
        curve=_curve(base, coc, rules, steps),
        sales_cents=sales,
        eligible_sales_cents=int(base["sales_cents"][eligible].sum()),
        taken_sales_cents=half_up(Decimal(repr(taken))),
        **{k: int(totals[k]) for k in OUTCOME},
        days_earlier=_weighted(saved, taken),
        dso_before=_weighted(base["amount_days"].sum(), sales),
        dso_after=_weighted(base["amount_days"].sum() - saved, sales),
        break_even_uptake=_break_even_uptake(base, coc, rules),
        break_even_cost_of_capital=_break_even_rate(base, shares, rules),
    )
