"""When the open items will be paid, and the cash they bring week by week (SPEC §9).

The model, chosen by the backtest (:mod:`arbook.measures.backtest`, README "Cash forecast"):
each paid invoice is an observation of its customer's *days late* (paid day - due day; negative
when early). Per customer, the recency-weighted mean of days late (half-life
``[forecast] half_life_days``) is drawn toward the book's mean as if the book added
``shrinkage`` invoices of its own; disputed invoices take a delay of their own, estimated from
the book (when it has ``min_disputed`` paid disputed invoices); what is left (each invoice's
residual, scaled by its customer's spread, drawn toward the book's in the same way) is one
distribution for the book, with an exponential tail beyond the slowest payment seen.

An item open at the as-of date D has not been paid by D: its payment day is drawn from its
customer's distribution *given that it is later than D* (the survival condition that a
controller's "invoice date + average days" ignores, and that makes a 90-days-overdue invoice of
a prompt payer neither "paid yesterday" nor "paid at its usual speed"). The predicted date is
that conditional distribution's median (what minimises the error in days), the interval its
``(1 - interval) / 2`` and ``(1 + interval) / 2`` quantiles; the cash forecast spreads each item
over the weeks by the same distribution rather than putting it all on one day.

Only what is dated on or before D is used: payments after D do not exist yet, and columns an
import keeps beside the canonical ones (the IBM file's ``DaysLate``, ``DaysToSettle``) are never
read. With no payment history (an aging report's open items) or too little
(``min_paid``), each item is predicted at its due date and says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core.config import PolicyLike, resolve_policy
from arbook.core.dates import EPOCH, day_number
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, ngettext
from arbook.core.ledger import Ledger
from arbook.measures.behaviour import experiences

PREDICTION_COLUMNS = [
    "customer_id",
    "document_id",
    "outstanding_cents",
    "due_date",
    "predicted_date",
    "low_date",
    "high_date",
    "basis",
]
WEEK_COLUMNS = ["week_start", "week_end", "expected_cents", "low_cents", "high_cents", "beyond"]

#: The residual grid: days late from -SPAN to +SPAN around a customer's mean (scaled).
SPAN = 2000
#: The iterations of the customer-mean / dispute-delay estimate (it settles in two or three).
ROUNDS = 3
#: The tail beyond the slowest payment seen is Lomax (Pareto II) with this shape: the longer an
#: item has gone unpaid beyond anything seen, the longer it is expected to stay so (its mean
#: remaining time grows with its age), rather than "paid any day now".
TAIL_SHAPE = 2.0

Days = npt.NDArray[np.int64]
Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Fit:
    """The model learnt at one as-of day (see the module's docstring). ``kind``: ``"model"``,
    ``"no_history"`` (an open-items-only ledger) or ``"too_little"`` (fewer paid invoices than
    ``min_paid``)."""

    day: int
    kind: str
    paid: int
    customers: pd.Index
    mean: Floats  # per customer: shrunk, recency-weighted days late
    scale: Floats  # per customer: spread relative to the book's (1 = the book's)
    count: npt.NDArray[np.int64]  # per customer: paid invoices seen
    delay: float  # disputed items' extra days late
    book_mean: float
    cumulative: Floats  # the residuals' weighted distribution, cumulated over -SPAN..SPAN
    top: float  # the largest residual seen
    tail: float  # the mass beyond it: one invoice's worth of weight
    excess: float  # the tail's scale, in scaled days: the slowest tenth's mean excess
    interval: float

    def locate(self, customer_ids: pd.Series | np.ndarray, disputed: np.ndarray) -> tuple:
        """Per item: its customer's mean days late (+ the dispute delay), scale and count."""
        where = self.customers.get_indexer(pd.Index(customer_ids))
        known = where >= 0
        at = np.where(known, where, 0)
        mean = np.where(known, self.mean[at] if len(self.mean) else 0.0, self.book_mean)
        scale = np.where(known, self.scale[at] if len(self.scale) else 1.0, 1.0)
        count = np.where(known, self.count[at] if len(self.count) else 0, 0)
        return mean + self.delay * disputed.astype(float), scale, count

    def dates(self, due: Days, mean: Floats, scale: Floats) -> tuple[Days, Days, Days]:
        """Per item: the predicted payment day and its interval's first and last days (without a
        model, the due date or the day after the as-of date, whichever is later, for all
        three)."""
        if self.kind != "model":
            at = np.maximum(due, self.day + 1)
            return at, at, at
        low_share = (1 - self.interval) / 2
        return (
            self.quantile(due, mean, scale, 0.5),
            self.quantile(due, mean, scale, low_share),
            self.quantile(due, mean, scale, 1 - low_share),
        )

    def residual(self, due: Days, mean: Floats, scale: Floats, day: Days | int) -> Floats:
        """Where ``day`` falls in each item's distribution, in scaled days late."""
        return (np.asarray(day) - due - mean) / scale

    def below(self, residual: Floats) -> Floats:
        """The observed distribution's mass at or below ``residual`` (the tail excluded)."""
        index = np.clip(np.floor(residual).astype(np.int64) + SPAN, -1, len(self.cumulative) - 1)
        return np.where(index >= 0, self.cumulative[np.maximum(index, 0)], 0.0)

    def survival(self, residual: Floats) -> Floats:
        """The mass above ``residual``, the tail beyond the slowest payment seen included (so
        that an item older than anything seen paid still has a future)."""
        beyond = np.maximum(residual - self.top, 0.0)
        inside = self.cumulative[-1] - self.below(np.minimum(residual, self.top))
        return inside + self.tail * (1.0 + beyond / self.excess) ** -TAIL_SHAPE

    def conditional(self, due: Days, mean: Floats, scale: Floats, day: Days | int) -> Floats:
        """P(paid on or before ``day`` | not paid by the as-of day), per item."""
        start = self.survival(self.residual(due, mean, scale, self.day))
        end = self.survival(self.residual(due, mean, scale, day))
        return np.clip(1.0 - end / np.maximum(start, 1e-300), 0.0, 1.0)

    def quantile(self, due: Days, mean: Floats, scale: Floats, share: float) -> Days:
        """The day by which a ``share`` of each item's conditional distribution is paid (never
        before the day after the as-of date)."""
        now = self.residual(due, mean, scale, self.day)
        start = self.survival(now)
        left = (1.0 - share) * start  # the mass still to come at the quantile
        total = self.cumulative[-1]
        # inside the observed range: the first residual whose mass above is at most ``left``
        index = np.searchsorted(self.cumulative, total + self.tail - left, side="left")
        inside = np.clip(index, 0, len(self.cumulative) - 1) - SPAN
        # in the tail: where the Lomax survival tail * (1 + x / excess) ** -shape is ``left``
        in_tail = left < self.tail
        ratio = self.tail / np.maximum(left, 1e-300)
        outside = self.top + self.excess * (ratio ** (1.0 / TAIL_SHAPE) - 1.0)
        residual = np.where(in_tail, np.maximum(outside, now), inside)
        day = np.rint(due + mean + scale * residual).astype(np.int64)
        return np.maximum(day, self.day + 1)


def recency(paid_day: npt.ArrayLike, day: int, half_life_days: float) -> Floats:
    """Each paid invoice's weight at ``day``: one paid ``half_life_days`` ago counts half."""
    return np.asarray(0.5 ** ((day - np.asarray(paid_day, dtype=float)) / half_life_days))


def _no_fit(day: int, kind: str, paid: int, interval: float) -> Fit:
    empty = np.zeros(0)
    return Fit(
        day, kind, paid, pd.Index([]), empty, empty, np.zeros(0, np.int64), 0.0, 0.0,
        np.zeros(1), 0.0, 0.0, 7.0, interval,
    )  # fmt: skip


def fit(ledger: Ledger, as_of: object, *, policy: PolicyLike = None) -> Fit:
    """Learn the model from what ``ledger`` holds on or before ``as_of``."""
    rules = resolve_policy(policy or ledger.policy).forecast
    day = day_number(as_of)
    if ledger.open_items_only:
        return _no_fit(day, "no_history", 0, rules.interval)
    seen = experiences(ledger, as_of, policy=policy, window_months="all")
    seen = seen[seen["paid"].to_numpy(dtype=bool)]
    if len(seen) < rules.min_paid:
        return _no_fit(day, "too_little", len(seen), rules.interval)
    late = (seen["paid_day"] - seen["due_day"]).to_numpy(dtype=float)
    disputed = seen["disputed"].to_numpy(dtype=bool)
    weight = recency(seen["paid_day"].to_numpy(), day, rules.half_life_days)
    code, customers = pd.factorize(seen["customer_id"], sort=True)
    n = len(customers)
    k = rules.shrinkage
    per_weight = np.bincount(code, weights=weight, minlength=n)
    use_delay = disputed.sum() >= rules.min_disputed and (~disputed).sum() >= rules.min_disputed
    delay = 0.0
    for _round in range(ROUNDS):
        adjusted = late - delay * disputed
        book = float(np.average(adjusted, weights=weight))
        mean = (np.bincount(code, weights=weight * adjusted, minlength=n) + k * book) / (
            per_weight + k
        )
        if not use_delay:
            break
        rest = late - mean[code]
        delay = float(
            np.average(rest[disputed], weights=weight[disputed])
            - np.average(rest[~disputed], weights=weight[~disputed])
        )
    residual = late - mean[code] - delay * disputed
    spread = np.abs(residual)
    book_spread = max(float(np.average(spread, weights=weight)), 0.5)
    own = (np.bincount(code, weights=weight * spread, minlength=n) + k * book_spread) / (
        per_weight + k
    )
    scale = np.maximum(own, 0.5) / book_spread
    scaled = np.rint(residual / scale[code]).astype(np.int64)
    return Fit(
        day=day,
        kind="model",
        paid=len(seen),
        customers=pd.Index(customers),
        mean=mean,
        scale=scale,
        count=np.bincount(code, minlength=n).astype(np.int64),
        delay=delay if use_delay else 0.0,
        book_mean=book,
        interval=rules.interval,
        **_distribution(scaled, weight),
    )


def _distribution(residual: Days, weight: Floats) -> dict[str, object]:
    """The residuals' weighted distribution on -SPAN..SPAN, cumulated, and its tail beyond the
    largest: one invoice's worth of weight more, whose scale is the slowest tenth's mean excess
    over its least (at least a week)."""
    size = 2 * SPAN + 1
    index = np.clip(residual + SPAN, 0, size - 1)
    slow = residual >= np.quantile(residual, 0.9)
    excess = float(np.average(residual[slow] - residual[slow].min(), weights=weight[slow]))
    return {
        "cumulative": np.cumsum(np.bincount(index, weights=weight, minlength=size)),
        "top": float(index.max() - SPAN),
        "tail": float(weight.mean()),
        "excess": max(excess, 7.0),
    }


def predict_payments(ledger: Ledger, as_of: object, *, policy: PolicyLike = None) -> pd.DataFrame:
    """One row per open positive item at ``as_of``: ``customer_id, document_id,
    outstanding_cents, due_date, predicted_date, low_date, high_date`` (the policy's interval,
    80%) and ``basis``, the reason in words. Earliest predicted first."""
    model = fit(ledger, as_of, policy=policy)
    return _predict(ledger, model)


def _open_items(ledger: Ledger, day: int) -> tuple[np.ndarray, Days]:
    a = ledger.arrays
    outstanding = ledger.balances(day).outstanding
    rows = np.flatnonzero((a.amount > 0) & (outstanding > 0) & (a.inv_day <= day))
    return rows, outstanding[rows]


def _items(ledger: Ledger, model: Fit):
    rows, outstanding = _open_items(ledger, model.day)
    a = ledger.arrays
    customers = ledger.invoices["customer_id"].to_numpy()[rows]
    due = a.due_day[rows]
    mean, scale, count = model.locate(customers, a.disputed[rows])
    return rows, outstanding, customers, due, mean, scale, count


def _dates(days: Days) -> np.ndarray:
    return EPOCH + days.astype("timedelta64[D]")


def _predict(ledger: Ledger, model: Fit, *, ordered: bool = True) -> pd.DataFrame:
    rows, outstanding, customers, due, mean, scale, count = _items(ledger, model)
    predicted, low, high = model.dates(due, mean, scale)
    disputed = ledger.arrays.disputed[rows]
    unseen = (
        model.residual(due, mean, scale, model.day) > model.top
        if model.kind == "model"
        else np.zeros(len(rows), dtype=bool)
    )
    frame = pd.DataFrame(
        {
            "customer_id": customers,
            "document_id": ledger.invoices["invoice_id"].to_numpy()[rows],
            "outstanding_cents": outstanding.astype(np.int64),
            "due_date": _dates(due),
            "predicted_date": _dates(predicted),
            "low_date": _dates(low),
            "high_date": _dates(high),
            "basis": _bases(model, mean - model.delay * disputed, count, disputed, unseen),
        }
    )
    if not ordered:  # as :func:`_open_items` lists them (the rows of :func:`week_shares`)
        return frame[PREDICTION_COLUMNS]
    order = np.lexsort((rows, predicted))  # ties in the data's order
    return frame.iloc[order].reset_index(drop=True)[PREDICTION_COLUMNS]


def _late_words(days: int) -> str:
    if days > 0:
        return ngettext("{days} day late", "{days} days late", days).format(days=days)
    if days < 0:
        return ngettext("{days} day early", "{days} days early", -days).format(days=-days)
    return _("on the due date")


def _bases(
    model: Fit, mean: Floats, count: np.ndarray, disputed: np.ndarray, unseen: np.ndarray
) -> list[str]:
    """The reason for each item's date, in words (one sentence per distinct case)."""
    if model.kind == "no_history":
        said = _("no payment history in the data (open items only): the due date")
        return [said] * len(mean)
    if model.kind == "too_little":
        said = ngettext(
            "{count} paid invoice in the data, too few to learn from: the due date",
            "{count} paid invoices in the data, too few to learn from: the due date",
            model.paid,
        ).format(count=model.paid)
        return [said] * len(mean)
    delay = round(model.delay)
    # one sentence per distinct case: days late, invoices seen, in dispute, later than all seen
    # (packed into one int64, 2^26 invoices and +-2^24 days being more than any book has)
    late = np.rint(mean).astype(np.int64) + (1 << 24)
    flags = disputed.astype(np.int64) * 2 + unseen.astype(np.int64)
    key = ((late << 26) + count.astype(np.int64)) * 4 + flags
    distinct, which = np.unique(key, return_inverse=True)
    cases = [
        ((k >> 28) - (1 << 24), (k >> 2) & ((1 << 26) - 1), bool(k & 2), bool(k & 1))
        for k in distinct.tolist()
    ]
    words = []
    for days, seen, held, old in cases:
        if seen == 0:
            text = _("new customer: the book's average ({late})").format(late=_late_words(days))
        else:
            text = ngettext(
                "pays {late} on average over {count} invoice",
                "pays {late} on average over {count} invoices",
                seen,
            ).format(late=_late_words(days), count=seen)
        text += _dispute_words(delay) if held and delay > 0 else ""
        text += _("; already later than any invoice paid so far") if old else ""
        words.append(text)
    return np.asarray(words, dtype=object)[which.reshape(-1)].tolist()


def _dispute_words(delay: int) -> str:
    return ngettext(
        "; in dispute: {days} day more", "; in dispute: {days} days more", delay
    ).format(days=delay)


def cash_forecast(
    ledger: Ledger, as_of: object, *, weeks: int | None = None, policy: PolicyLike = None
) -> pd.DataFrame:
    """One row per week after ``as_of`` (the first starts the next day): ``week_start,
    week_end, expected_cents, low_cents, high_cents`` (the policy's interval), ``beyond``
    False; then one row, ``beyond`` True, for what is expected to stay unpaid after the last
    week. ``expected_cents`` over all rows adds up to the open items' outstanding exactly."""
    rules = resolve_policy(policy or ledger.policy).forecast
    weeks = rules.weeks if weeks is None else weeks
    if isinstance(weeks, bool) or not isinstance(weeks, int | np.integer) or not 1 <= weeks <= 104:
        said = _("{weeks} weeks; give a whole number of weeks from 1 to 104 (13 is a quarter)")
        raise ParameterError(said.format(weeks=repr(weeks)))
    model = fit(ledger, as_of, policy=policy)
    return _weeks(ledger, model, int(weeks))


def week_shares(ledger: Ledger, model: Fit, weeks: int) -> tuple[Days, Floats]:
    """Per open item (as :func:`_open_items` orders them): its outstanding and the share of it
    expected in each of ``weeks`` weeks and beyond (rows x weeks + 1, each row adding up to 1)."""
    rows, outstanding, _customers, due, mean, scale, _count = _items(ledger, model)
    ends = model.day + 7 * np.arange(1, weeks + 1)
    if model.kind == "model":
        paid_by = np.column_stack([model.conditional(due, mean, scale, end) for end in ends])
    else:
        at = model.dates(due, mean, scale)[0]
        paid_by = (at[:, None] <= ends[None, :]).astype(float)
    paid_by = paid_by.reshape(len(rows), weeks)
    shares = np.diff(np.column_stack([np.zeros(len(rows)), paid_by, np.ones(len(rows))]), axis=1)
    return outstanding.astype(np.int64), np.clip(shares, 0.0, 1.0)


def _weeks(ledger: Ledger, model: Fit, weeks: int) -> pd.DataFrame:
    outstanding, shares = week_shares(ledger, model, weeks)
    amount = outstanding.astype(float)
    expected = amount @ shares
    spread = np.sqrt((amount**2) @ (shares * (1 - shares)))
    z = _normal_quantile((1 + model.interval) / 2)
    expected_cents = apportion(expected, int(outstanding.sum()))
    low = np.clip(np.rint(expected - z * spread), 0, None).astype(np.int64)
    high = np.rint(expected + z * spread).astype(np.int64)
    low, high = np.minimum(low, expected_cents), np.maximum(high, expected_cents)
    starts = model.day + 1 + 7 * np.arange(weeks + 1)
    return pd.DataFrame(
        {
            "week_start": _dates(starts),
            "week_end": _dates(np.append(starts[1:] - 1, starts[-1])),
            "expected_cents": expected_cents,
            "low_cents": low,
            "high_cents": high,
            "beyond": np.arange(weeks + 1) == weeks,
        }
    )[WEEK_COLUMNS]


def week_items(
    ledger: Ledger,
    as_of: object,
    week: int,
    *,
    weeks: int | None = None,
    policy: PolicyLike = None,
) -> pd.DataFrame:
    """The items behind week ``week`` of :func:`cash_forecast` (1 = the first; ``weeks + 1``:
    beyond the horizon): :data:`PREDICTION_COLUMNS` plus ``expected_cents``, each item's share
    of that week, in whole cents adding up to the week's ``expected_cents`` exactly. Items
    expected to bring under a cent that week are left out; largest first."""
    rules = resolve_policy(policy or ledger.policy).forecast
    weeks = rules.weeks if weeks is None else int(weeks)
    if not 1 <= week <= weeks + 1:
        said = _("week {week}; give a week from 1 to {last}")
        raise ParameterError(said.format(week=week, last=weeks + 1))
    model = fit(ledger, as_of, policy=policy)
    outstanding, shares = week_shares(ledger, model, weeks)
    amount = outstanding.astype(float)
    totals = apportion(amount @ shares, int(outstanding.sum()))
    cents = apportion(amount * shares[:, week - 1], int(totals[week - 1]))
    items = _predict(ledger, model, ordered=False).assign(expected_cents=cents)
    items = items[items["expected_cents"] > 0]
    return items.sort_values(
        ["expected_cents", "customer_id", "document_id"],
        ascending=[False, True, True],
        kind="stable",
    ).reset_index(drop=True)


def apportion(values: Floats, total: int) -> Days:
    """Whole cents adding up to ``total`` exactly, each within a cent of ``values`` (largest
    remainder)."""
    values = np.asarray(values, dtype=float)
    if len(values) == 0:
        return np.zeros(0, np.int64)
    scale = values.sum()
    wanted = values / scale * total if scale > 0 else np.full(len(values), total / len(values))
    floor = np.floor(wanted).astype(np.int64)
    short = int(total - floor.sum())  # whole cents: within len(values) of 0 either way
    order = np.argsort(-(wanted - floor), kind="stable")
    if short >= 0:
        floor[order[:short]] += 1
    else:  # float rounding gave a cent too many somewhere: take it where least is lost
        taken = [i for i in order[::-1] if floor[i] > 0][:-short]
        floor[taken] -= 1
    return floor


def _normal_quantile(p: float) -> float:
    """The standard normal's ``p`` quantile (the weekly interval is a normal approximation of
    the sum of independent items' payments)."""
    return NormalDist().inv_cdf(p)
