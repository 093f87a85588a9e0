"""One as-of review of a ledger, assembled for the dashboard, the monthly report and the
walkthrough: headline KPIs against the previous month and the same month last year, aging and its
change, roll rates, the allowance, customers who moved to a worse bucket, the largest overdue
balances with their payment behaviour, the carrying cost, and the data issues.

Everything here is frames of numbers (money in int cents); ``views/`` turns them into text and
charts. The as-of date of a review is a month end, because the KPIs (DSO, CEI...) are defined over
calendar months (SPEC §3).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import cached_property

import numpy as np
import pandas as pd

from arbook.collections.ranking import chase_ranking
from arbook.core.config import Edges, resolve_policy
from arbook.core.dates import day_stamp, month_end, previous_month_end
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, language
from arbook.core.ledger import Ledger, default_as_of, month_ends
from arbook.core.rules import unknown_customer
from arbook.credit.holds import credit_holds, hold_changes, not_vetted
from arbook.credit.limits import credit_review
from arbook.credit.penalties import late_charges
from arbook.credit.scores import payment_scores
from arbook.measures.aging import (
    UNAPPLIED,
    Totals,
    aging,
    aging_settings,
    bucket_labels,
    receivable_totals,
    summarise_items,
)
from arbook.measures.backtest import Backtest, year_backtest
from arbook.measures.behaviour import payment_behaviour
from arbook.measures.carrying import carrying_cost, cost_of_capital
from arbook.measures.disputes import disputed_of, log_disputes, with_disputes
from arbook.measures.exchange import exchange_differences
from arbook.measures.forecast import cash_forecast, predict_payments
from arbook.measures.history import check_as_of, needs_history, open_date
from arbook.measures.metrics import allowance, monthly_metrics, roll_rates
from arbook.workbook.analytics import (
    KPI_COLUMNS,
    KPIS,
    bucket_change,
    kpi_table,
    movers,
    top_overdue,
)

__all__ = [
    "KPIS",
    "KPI_COLUMNS",
    "NO_TREND",
    "TREND_MONTHS",
    "Review",
    "Settings",
    "bucket_items",
    "build_review",
    "customer_detail",
    "default_as_of",
    "month_end",
    "month_ends",
    "review_dates",
    "settings",
    "with_disputes",
]

#: Months of history shown in the trend (12 month ends, as-of month included).
TREND_MONTHS = 12
#: What a review without the history cannot show, in words (the ``what`` of its n/a reason;
#: marked for the catalogue, translated where shown).
NO_TREND = N_("The 12-month trend and every comparison with an earlier month")
#: The KPI tiles computed from the history: n/a on a ledger of open items only.
NEEDS_HISTORY_KPIS = ("dso_countback", "best_possible_dso", "add", "cei")


@dataclass(frozen=True)
class Settings:
    """The choices a review depends on, checked: month-end ``as_of`` (a ledger of open items
    only: its report's date), ``basis``, ``edges`` (days or ``"months"``) and the annual
    ``cost_of_capital`` (0.10 = 10%)."""

    as_of: pd.Timestamp
    basis: str
    edges: Edges
    cost_of_capital: float

    @property
    def labels(self) -> list[str]:
        return bucket_labels(self.edges)


def settings(
    ledger: Ledger, as_of=None, *, basis=None, edges=None, cost_of_capital=None
) -> Settings:
    """Check the review's parameters, filling blanks from the ledger's policy (the one route:
    explicit values override it); raise one ParameterError naming the first bad value and what
    to write instead."""
    if ledger.open_items_only:  # what was open on the report's date: that date, no other
        as_of = default_as_of(ledger) if as_of in (None, "") else day_stamp(as_of)
        check_as_of(ledger, as_of)
    else:
        as_of = default_as_of(ledger) if as_of in (None, "") else month_end(as_of)
    basis, edges = aging_settings(ledger, None, basis, edges)
    return Settings(as_of, basis, edges, cost_of_capital_of(ledger, cost_of_capital))


def review_dates(ledger: Ledger) -> list[pd.Timestamp]:
    """The dates a review can be as of, newest first: the month ends the data covers; for a
    ledger of open items only, the one date they are open on (:func:`~arbook.measures.history.
    open_date`)."""
    when = open_date(ledger)
    return [when] if when is not None else list(reversed(month_ends(ledger)))


def cost_of_capital_of(ledger: Ledger, rate) -> float:
    """The review's cost of capital: ``rate`` when given (a fraction, or its text), else the
    policy's."""
    if isinstance(rate, str) and rate.strip():
        try:
            rate = float(rate)
        except ValueError:
            raise ParameterError(
                _("cost of capital {rate} is not a number; write 0.10 for 10%").format(
                    rate=repr(rate)
                )
            ) from None
    return cost_of_capital(ledger, rate)


class Review:
    """A ledger reviewed as of one month end. Each part is computed on first use and kept, so a
    view that shows only the KPIs never pays for the roll rates. Frames (money in int cents):

    ``kpis`` one row per tile of :data:`KPIS` with ``value, previous, change, year_ago,
    change_year``; ``totals`` the receivable's :class:`~arbook.measures.aging.Totals` (total
    receivable, credits and unapplied cash, net, overdue, in dispute...); ``trend``
    :func:`monthly_metrics` over the last 12 month ends; ``items`` the open items; ``summary``
    the per-customer aging; ``buckets`` per bucket now, a month ago and the change, then total
    receivable, unapplied and net; ``rolls`` roll rates over the last 12 months; ``allowance``
    (empty when the policy has no loss rate for some bucket); ``movers`` customers whose oldest
    debt moved to a worse bucket; ``top_overdue`` the ten largest overdue balances with payment
    behaviour; ``carrying`` carrying cost per customer (accrued to date and a year);
    ``behaviour`` payment behaviour per customer; ``chase`` the chase ranking (the worklist's
    order); ``issues`` the ledger's data issues. Credit (SPEC §5, by the policy): ``scores``
    payment scores per customer; ``holds`` customers on credit hold with their reasons,
    ``holds_before`` the same a month earlier, ``holds_added`` and ``holds_lifted`` the change;
    ``not_vetted`` customers owing without a credit limit; ``credit_review`` the limit review;
    ``late_charges`` interest per overdue item at the policy's rate (fees are charged per
    reminder, so none here).

    What is in dispute follows the one rule (SPEC §7, :func:`~arbook.measures.disputes.
    disputed_of`): the data's ``disputed = yes`` flags with the contact ``log``'s disputes at
    ``as_of`` (``log=None``: the flags alone). ``disputed`` is the cents in dispute per
    document; ``items`` carry it as ``disputed_cents`` (0 for none) and ``disputed`` (some of
    the item is in dispute, never the bare flag); ``totals.disputed_cents`` is their sum, and
    ``chase`` counts the same disputes. These parts read the log once and keep what they read:
    after the log changes, :meth:`reread_log` drops them (the dashboard does after each record)
    and the next use reads it again."""

    #: the parts read from the contact log, which :meth:`reread_log` drops
    LOG_PARTS = ("disputed", "items", "totals", "chase")

    def __init__(self, ledger: Ledger, settings: Settings, log=None):
        self.ledger, self.settings, self.log = ledger, settings, log

    def reread_log(self, log=None) -> None:
        """Forget the parts read from the contact log (:data:`LOG_PARTS`; the aging itself is
        kept), so that their next use reads ``log`` again (None: the review's own)."""
        if log is not None:
            self.log = log
        for name in self.LOG_PARTS:
            self.__dict__.pop(name, None)

    def __repr__(self) -> str:
        s = self.settings
        return (
            f"Review(as_of={s.as_of.date()}, basis={s.basis!r}, edges={s.edges}, "
            f"cost_of_capital={s.cost_of_capital})"
        )

    @property
    def as_of(self) -> pd.Timestamp:
        return self.settings.as_of

    @property
    def has_history(self) -> bool:
        """False for a ledger of open items only: the figures of
        :data:`~arbook.measures.history.HISTORY_FIGURES` are n/a, for :meth:`why_na`."""
        return not self.ledger.open_items_only

    def why_na(self, what: str) -> str | None:
        """Why ``what`` (a figure, in words: a text of the catalogue, marked where it is
        written, translated here) is n/a in this review, in the language spoken; None when it
        is not (:func:`~arbook.measures.history.needs_history`, the one definition)."""
        return needs_history(self.ledger, _(what) if what else what)

    @property
    def previous(self) -> pd.Timestamp:
        """The month end before :attr:`as_of`."""
        return previous_month_end(self.as_of)

    @property
    def year_ago(self) -> pd.Timestamp:
        """The same month end a year before :attr:`as_of`."""
        return (self.as_of.to_period("M") - 12).end_time.normalize()

    def _age(self, day) -> pd.DataFrame:
        return aging(self.ledger, day, basis=self.settings.basis, edges=self.settings.edges)

    def _carry(self, day, items: pd.DataFrame) -> pd.DataFrame:
        return carrying_cost(self.ledger, day, self.settings.cost_of_capital, items=items)

    @cached_property
    def history(self) -> pd.DataFrame:
        """:func:`monthly_metrics` for the 13 month ends from a year before ``as_of``."""
        month = self.as_of.to_period("M")
        return monthly_metrics(
            self.ledger, month - 12, month, basis=self.settings.basis, edges=self.settings.edges
        )

    @property
    def kpis(self) -> pd.DataFrame:
        """One row per KPI tile (see :class:`Review`) plus ``why``: the reason a figure is n/a
        ("" when it is shown); ``label`` and ``why`` in the language spoken now (the figures
        are computed once, and their words once per language)."""
        shown = self.__dict__.setdefault("_kpis_shown", {})
        lang = language()
        if lang not in shown:
            frame = self._kpi_figures
            why = [
                (self.why_na(label) or "") if key in NEEDS_HISTORY_KPIS else ""
                for key, label in zip(frame["kpi"], frame["label"])
            ]
            shown[lang] = frame.assign(label=[_(label) for label in frame["label"]], why=why)
        return shown[lang]

    @cached_property
    def _kpi_figures(self) -> pd.DataFrame:
        """The KPI tiles' figures, their labels in English (the catalogue's texts)."""
        if not self.has_history:
            return self._kpis_without_history()
        frames = [
            self._carry(self.year_ago, self._age(self.year_ago)),
            self._carry(self.previous, self.items_before),
            self.carrying,
        ]
        costs = {
            key: [int(frame[key].sum()) for frame in frames]
            for key in ("yearly_cost_cents", "carrying_cost_cents")
        }
        first = self.ledger.first_day
        first_month = str(first.to_period("M") if first is not None else self.as_of.to_period("M"))
        return kpi_table(self.history, costs, first_month=first_month)

    def _kpis_without_history(self) -> pd.DataFrame:
        """The KPI tiles of a ledger of open items only: what the items open at the report's
        date give (totals, % not yet due, the carrying cost); the rest, and every comparison
        with an earlier month, NaN (:attr:`kpis` says why)."""
        t = self.totals
        now = {
            "month": str(self.as_of.to_period("M")),
            "ar_end_cents": t.receivable_cents,
            "unapplied_cents": t.unapplied_cents,
            "overdue_cents": t.overdue_cents,
            "pct_current": t.not_due_cents / t.receivable_cents if t.receivable_cents else np.nan,
        }
        history = pd.DataFrame([now])
        costs = {
            key: [0, 0, int(self.carrying[key].sum())]
            for key in ("yearly_cost_cents", "carrying_cost_cents")
        }
        return kpi_table(history.reindex(columns=[*now, *NEEDS_HISTORY_KPIS]), costs)

    @cached_property
    def _ledger_totals(self) -> Totals:
        return receivable_totals(self.ledger, self.as_of)

    @cached_property
    def totals(self) -> Totals:
        """The receivable's totals, ``disputed_cents`` by the one rule (the sum of
        :attr:`disputed`)."""
        return replace(self._ledger_totals, disputed_cents=int(self.disputed.sum()))

    @cached_property
    def trend(self) -> pd.DataFrame:
        return self.history.iloc[-TREND_MONTHS:].reset_index(drop=True)

    @cached_property
    def _aged(self) -> pd.DataFrame:
        """The aging at ``as_of`` as the data says it (``disputed`` the imported flag)."""
        return self._age(self.as_of)

    @cached_property
    def disputed(self) -> pd.Series:
        """Cents in dispute at ``as_of`` per open invoice, indexed by ``document_id`` (only
        those with some): :func:`~arbook.measures.disputes.disputed_of` of the aging and the
        log's disputes at that date."""
        return disputed_of(self._aged, log_disputes(self.log, self.as_of))

    @cached_property
    def items(self) -> pd.DataFrame:
        """The open items (:func:`aging`) with ``disputed_cents`` (:attr:`disputed`, 0 for
        none) and ``disputed`` (whether some of the item is in dispute)."""
        return with_disputes(self._aged, self.disputed)

    @cached_property
    def items_before(self) -> pd.DataFrame:
        """The open items a month before ``as_of``; none on a ledger of open items only (what
        was open then is not known: :meth:`why_na`)."""
        if not self.has_history:
            return self.items.iloc[0:0]
        return self._age(self.previous)

    @cached_property
    def summary(self) -> pd.DataFrame:
        return summarise_items(self.items, self.ledger, self.settings.edges)

    @cached_property
    def buckets(self) -> pd.DataFrame:
        frame = bucket_change(self.items, self.items_before, self.settings.labels)
        if self.has_history:
            return frame
        # a month ago is not known: NA, never the zeros of an empty aging
        frame = frame.astype({"previous_cents": "Int64", "change_cents": "Int64"})
        frame[["previous_cents", "change_cents"]] = pd.NA
        return frame

    @cached_property
    def rolls(self) -> pd.DataFrame:
        month = self.as_of.to_period("M")
        return roll_rates(
            self.ledger,
            month - (TREND_MONTHS - 1),
            month,
            basis=self.settings.basis,
            edges=self.settings.edges,
        )

    @cached_property
    def allowance(self) -> pd.DataFrame:
        rates = resolve_policy(self.ledger.policy).allowance.loss_rates
        if not all(label in rates for label in self.settings.labels):
            return pd.DataFrame()
        return allowance(
            self.ledger, self.as_of, basis=self.settings.basis, edges=self.settings.edges
        )

    @cached_property
    def movers(self) -> pd.DataFrame:
        if not self.has_history:  # where each customer stood a month ago is not known
            return movers(self.items.iloc[0:0], self.items_before, self.ledger, [], self.as_of)
        return movers(self.items, self.items_before, self.ledger, self.settings.labels, self.as_of)

    @cached_property
    def carrying(self) -> pd.DataFrame:
        return self._carry(self.as_of, self.items)

    @cached_property
    def behaviour(self) -> pd.DataFrame:
        return payment_behaviour(self.ledger, self.as_of)

    @cached_property
    def top_overdue(self) -> pd.DataFrame:
        return top_overdue(
            self.items, self.summary, self.behaviour, self.settings.labels, self.as_of
        )

    @cached_property
    def chase(self) -> pd.DataFrame:
        """The chase ranking at the month end (:func:`arbook.collections.chase_ranking`),
        the log's disputes counted."""
        return chase_ranking(self.ledger, self.as_of, log=self.log)

    @cached_property
    def scores(self) -> pd.DataFrame:
        return payment_scores(self.ledger, self.as_of)

    @cached_property
    def holds(self) -> pd.DataFrame:
        return credit_holds(self.ledger, self.as_of)

    @cached_property
    def holds_before(self) -> pd.DataFrame:
        """Customers on hold a month earlier; none on a ledger of open items only (not known,
        :meth:`why_na`), so nothing counts as put on hold or lifted."""
        if not self.has_history:
            return self.holds.iloc[0:0]
        return credit_holds(self.ledger, self.previous)

    @cached_property
    def holds_added(self) -> pd.DataFrame:
        """Customers put on hold since the month end before (none known without the history)."""
        if not self.has_history:
            return self.holds.iloc[0:0]
        return hold_changes(self.holds, self.holds_before)[0]

    @cached_property
    def holds_lifted(self) -> pd.DataFrame:
        """Customers on hold a month ago and no longer (as they stood then)."""
        if not self.has_history:
            return self.holds.iloc[0:0]
        return hold_changes(self.holds, self.holds_before)[1]

    @cached_property
    def not_vetted(self) -> pd.DataFrame:
        return not_vetted(self.ledger, self.as_of)

    @cached_property
    def credit_review(self) -> pd.DataFrame:
        return credit_review(self.ledger, self.as_of)

    @cached_property
    def late_charges(self) -> pd.DataFrame:
        return late_charges(self.ledger, self.as_of)

    @cached_property
    def exchange(self) -> pd.DataFrame:
        """Per currency, what is open and the exchange differences (:func:`exchange_differences`):
        realised up to ``as_of``, unrealised at its rates."""
        return exchange_differences(self.ledger, self.as_of)

    @cached_property
    def predictions(self) -> pd.DataFrame:
        """Each open item's predicted payment date and interval (:func:`predict_payments`)."""
        return predict_payments(self.ledger, self.as_of)

    @cached_property
    def forecast(self) -> pd.DataFrame:
        """The cash expected week by week from the open items (:func:`cash_forecast`)."""
        return cash_forecast(self.ledger, self.as_of)

    @cached_property
    def forecast_backtest(self) -> Backtest | None:
        """The forecast scored at the month ends of the year before ``as_of`` whose weeks were
        over by ``as_of`` (nothing after it is seen; :func:`year_backtest`); None when the
        history is too short or the ledger holds open items only."""
        return year_backtest(self.ledger, self.as_of)

    @property
    def issues(self) -> pd.DataFrame:
        return self.ledger.issues


def build_review(
    ledger: Ledger, as_of=None, *, basis=None, edges=None, cost_of_capital=None, log=None
) -> Review:
    """Review ``ledger`` as of the month end ``as_of`` (default: the last one the data covers).
    Blank parameters come from the ledger's policy; bad ones raise one ParameterError. ``log``:
    the contact log whose disputes count with the data's flags (None: the flags alone). See
    :class:`Review` for what comes back (its parts are computed when first used)."""
    return Review(
        ledger,
        settings(ledger, as_of, basis=basis, edges=edges, cost_of_capital=cost_of_capital),
        log=log,
    )


def customer_detail(review: Review, customer_id: str) -> dict[str, pd.DataFrame]:
    """A customer's drill-down: ``items`` (its open items), ``payments`` (its payments up to the
    as-of date, newest first) and ``behaviour`` (its payment-behaviour row, empty if none)."""
    known = review.ledger.customers["customer_id"]
    if customer_id not in set(known) and customer_id not in set(review.items["customer_id"]):
        raise ParameterError(unknown_customer(customer_id, known))
    pay = review.ledger.payments
    pay = pay[(pay["customer_id"] == customer_id) & (pay["payment_date"] <= review.as_of)]
    return {
        "items": review.items[review.items["customer_id"] == customer_id].reset_index(drop=True),
        "payments": pay[["payment_id", "payment_date", "amount_cents", "invoice_id"]]
        .sort_values("payment_date", ascending=False, kind="stable")
        .reset_index(drop=True),
        "behaviour": review.behaviour[review.behaviour["customer_id"] == customer_id].reset_index(
            drop=True
        ),
    }


def bucket_items(review: Review, bucket: str) -> pd.DataFrame:
    """The open items in one bucket (a label of the review's edges, or ``unapplied``), largest
    first."""
    if bucket not in review.settings.labels + [UNAPPLIED]:
        raise ParameterError(
            _("no bucket {bucket}; the buckets are {buckets}").format(
                bucket=repr(bucket), buckets=", ".join(review.settings.labels + [UNAPPLIED])
            )
        )
    items = review.items[review.items["bucket"] == bucket]
    return items.sort_values(
        ["outstanding_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)
