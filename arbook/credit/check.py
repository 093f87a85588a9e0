"""The credit check, "may I ship?" (SPEC §7): for a customer, an order amount and a date, every
reason against shipping, each warning or blocking as the policy's ``[credit_check]`` says, and
the answer: ``block`` if any reason blocks, else ``warn`` if any warns, else ``allow``.

Each reason comes from the rule that already defines it elsewhere:

- ``over_limit``: what the customer owes (its exposure, :func:`~arbook.credit.scores.book`:
  disputed items included, as for holds) plus the order is above its credit limit; a limit of 0
  means no credit, so any order over nothing owed is above it.
- ``on_hold``: the customer is on :func:`~arbook.credit.holds.credit_holds`, with the hold's
  reasons.
- ``not_vetted``: no credit limit set and something owed once the order ships: the rule of
  :func:`~arbook.credit.holds.not_vetted` applied to the position after the order, so a new
  customer owing nothing yet is not vetted for its first order.
- ``broken_promises``: promises to pay (``log.promises``, counted as holds count them) or plan
  instalments (``log.instalments``, when the log keeps payment plans) broken within ``[credit]
  promise_window_days`` up to the date. One is enough here; a hold needs ``[credit]
  broken_promises`` of them.
- ``overdue``: undisputed open items more than ``[credit_check] overdue_days`` past their due date
  (by due date whatever the aging basis; a disputed item is being worked, not refused, as for
  holds). The shipped 0 makes anything overdue at all a reason: the person shipping should know
  before adding to an unpaid balance, and since ``on_hold`` covers the ladder's hold step a
  warning is enough below it.
"""

from __future__ import annotations

import numbers
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
import pandas as pd

from arbook.core.dates import date_text, day_stamp, days_text, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, ngettext, pgettext
from arbook.core.ledger import Ledger
from arbook.core.money import format_cents, format_money
from arbook.core.parse import MAX_UNITS_DIGITS
from arbook.core.rules import unknown_customer
from arbook.credit.holds import broken_promises, credit_holds
from arbook.credit.scores import book, rules_of
from arbook.measures.aging import aging
from arbook.measures.disputes import disputed_cents

#: The answers, from the mildest.
ANSWERS = ("allow", "warn", "block")
#: The reasons, in the order they are listed.
REASONS = ("over_limit", "on_hold", "not_vetted", "broken_promises", "overdue")
INSTALMENT_COLUMNS = {"customer_id", "due_date", "status"}
#: What each answer tells the person about to ship (translated where shown).
ANSWER_TEXT = {
    "allow": N_("ship it"),
    "warn": N_("you may ship, but read why first"),
    "block": N_("do not ship"),
}


def answer_word(code: str) -> str:
    """An answer or a reason's effect (``allow``, ``warn``, ``block``: stored codes) as a
    person reads it in the language spoken (``allow`` in English, ``bloquear`` ...)."""
    words = {
        "allow": pgettext("credit check", "allow"),
        "warn": pgettext("credit check", "warn"),
        "block": pgettext("credit check", "block"),
    }
    return words.get(code, code)


def _counts_text(effect: str, count: int) -> str:
    number = format_count(count)
    if effect == "block":
        return ngettext("{count} reason blocks", "{count} reasons block", count).format(
            count=number
        )
    return ngettext("{count} reason warns", "{count} reasons warn", count).format(count=number)


@dataclass(frozen=True)
class Reason:
    """One reason against shipping: ``code`` (one of :data:`REASONS`), ``effect`` ("warn" or
    "block", from the policy) and ``label``, the sentence a person reads."""

    code: str
    effect: str
    label: str


@dataclass(frozen=True)
class CreditCheck:
    """The answer to "may I ship ``amount_cents`` to ``customer_id`` at ``as_of``?":
    ``answer`` (one of :data:`ANSWERS`) and every ``reasons`` that applies, in the order of
    :data:`REASONS`; the position it was decided on (``exposure_cents`` owed before the order,
    ``owed_after_cents``, ``credit_limit_cents``, None when none is set) and the book's
    ``currency`` (None when the data names none)."""

    customer_id: str
    name: str
    as_of: pd.Timestamp
    amount_cents: int
    currency: str | None
    exposure_cents: int
    credit_limit_cents: int | None
    answer: str
    reasons: tuple[Reason, ...]

    @property
    def owed_after_cents(self) -> int:
        return self.exposure_cents + self.amount_cents

    @property
    def headline(self) -> str:
        """One line for people: ``block: do not ship - 3,000.00 EUR to Alpha Ltd (A) on
        2026-03-31 (1 reason blocks)``: the answer, the order and how many reasons block and
        warn."""
        named = self.name not in ("", self.customer_id)
        who = (
            _("{name} ({id})").format(name=self.name, id=self.customer_id)
            if named
            else self.customer_id
        )
        counts = [
            _counts_text(effect, n)
            for effect in ("block", "warn")
            if (n := sum(r.effect == effect for r in self.reasons))
        ]
        why = "; ".join(counts) if counts else _("nothing against it")
        return _("{answer}: {meaning} - {amount} to {customer} on {date} ({why})").format(
            answer=answer_word(self.answer),
            meaning=_(ANSWER_TEXT[self.answer]),
            amount=money(self.amount_cents, self.currency),
            customer=who,
            date=date_text(self.as_of),
            why=why,
        )

    def to_dict(self) -> dict[str, Any]:
        """The check as JSON-ready values (money in int cents, the date as ISO text)."""
        return {
            "customer_id": self.customer_id,
            "name": self.name,
            "as_of": f"{self.as_of:%Y-%m-%d}",
            "amount_cents": self.amount_cents,
            "currency": self.currency,
            "exposure_cents": self.exposure_cents,
            "owed_after_cents": self.owed_after_cents,
            "credit_limit_cents": self.credit_limit_cents,
            "answer": self.answer,
            "reasons": [
                {"code": r.code, "effect": r.effect, "label": r.label} for r in self.reasons
            ],
        }


def money(cents: int, currency: str | None) -> str:
    """An amount for people, with the book's currency when the data names one."""
    return format_money(cents, currency)


def _amount(value: object) -> int:
    """The order amount as int cents, or ParameterError saying what to give."""
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ParameterError(
            _(
                "order amount {value} is not whole cents; give an int number of cents "
                "({cents} for {amount})"
            ).format(value=repr(str(value)[:40]), cents=300000, amount=format_cents(300000))
        )
    cents = int(value)
    if cents < 0:
        raise ParameterError(
            _(
                "order amount {amount} is below zero; an order adds to what is owed "
                "(give 0 or more; a credit note is not an order)"
            ).format(amount=format_cents(cents))
        )
    if cents >= 10 ** (MAX_UNITS_DIGITS + 2):
        raise ParameterError(
            _("order amount {amount} is too large; check the figure").format(
                amount=format_cents(cents)
            )
        )
    return cents


def _customer(ids: pd.Index, customer_id: object) -> str:
    """``customer_id`` if the ledger has it, else ParameterError naming the closest ids."""
    said = str(customer_id)
    if said in ids:
        return said
    raise ParameterError(unknown_customer(said, ids))


class _InstalmentsAsPromises:
    """The log's plan instalments shown to :func:`~arbook.credit.holds.broken_promises` as
    promises due on their dates: one rule counts both in the window."""

    def __init__(self, instalments: pd.DataFrame):
        self.frame = instalments.rename(columns={"due_date": "promise_date"})

    def promises(self, ledger, as_of) -> pd.DataFrame:
        return self.frame


def _broken_counts(ledger: Ledger, as_of, log, customer_id: str, rules) -> tuple[int, int]:
    """Broken promises and broken plan instalments of ``customer_id`` in the window."""
    if log is None:
        return 0, 0
    promises = int(broken_promises(ledger, as_of, log, rules).get(customer_id, 0))
    if not callable(getattr(log, "instalments", None)):
        return promises, 0
    instalments = log.instalments(ledger, as_of)
    missing = INSTALMENT_COLUMNS - set(instalments.columns)
    if missing:
        raise ParameterError(
            _("the contact log's plan instalments lack {missing}; they need {needed}").format(
                missing=sorted(missing), needed=sorted(INSTALMENT_COLUMNS)
            )
        )
    shown = _InstalmentsAsPromises(instalments[list(INSTALMENT_COLUMNS)])
    return promises, int(broken_promises(ledger, as_of, shown, rules).get(customer_id, 0))


def _broken_label(promises: int, instalments: int, window: int) -> str:
    days = days_text(window)
    said_promises = ngettext("{count} promise to pay", "{count} promises to pay", promises).format(
        count=format_count(promises)
    )
    said_plans = ngettext(
        "{count} plan instalment", "{count} plan instalments", instalments
    ).format(count=format_count(instalments))
    if promises and instalments:
        what = _("{promises} and {instalments}").format(
            promises=said_promises, instalments=said_plans
        )
    else:
        what = said_promises if promises else said_plans
    return _("broken in the last {days}: {what}").format(days=days, what=what)


def _overdue_label(items: pd.DataFrame, disputed: int, allowed: int, currency) -> str:
    count = len(items)
    values = {
        "count": format_count(count),
        "owed": money(int(items["outstanding_cents"].sum()), currency),
        "oldest": days_text(int(items["days_overdue"].max())),
        "allowed": days_text(allowed),
    }
    if allowed:
        label = ngettext(
            "overdue: {count} item more than {allowed} past due ({owed}), the oldest by {oldest}",
            "overdue: {count} items more than {allowed} past due ({owed}), the oldest by {oldest}",
            count,
        ).format(**values)
    else:
        label = ngettext(
            "overdue: {count} item past due ({owed}), the oldest by {oldest}",
            "overdue: {count} items past due ({owed}), the oldest by {oldest}",
            count,
        ).format(**values)
    if disputed:
        label = _("{label} ({disputed} in dispute not counted)").format(
            label=label, disputed=money(disputed, currency)
        )
    return label


def _overdue(ledger: Ledger, as_of, customer_id: str, pol, currency, log=None) -> str | None:
    """The overdue reason's label, None when nothing undisputed is beyond the policy's days
    (what is in dispute: :func:`~arbook.measures.disputes.disputed_cents`, with the log's)."""
    items = aging(ledger, as_of, policy=pol, basis="due")
    items = items[(items["customer_id"] == customer_id) & (items["outstanding_cents"] > 0)]
    allowed = pol.credit_check.overdue_days
    late = items[items["days_overdue"].to_numpy(dtype=np.int64) > allowed]
    part = (
        disputed_cents(ledger, as_of, log)
        .reindex(late["document_id"], fill_value=0)
        .to_numpy(dtype=np.int64)
    )
    owed = late["outstanding_cents"].to_numpy(dtype=np.int64)
    part = np.minimum(part, owed)
    counted = late[part < owed].assign(outstanding_cents=(owed - part)[part < owed])
    if counted.empty:
        return None
    return _overdue_label(counted, int(part.sum()), allowed, currency)


def _reasons(ledger: Ledger, check: CreditCheck, pol, log, ladder) -> dict[str, str]:
    """Label per code of every reason that applies to ``check``'s order (its answer and
    reasons not yet filled in)."""
    customer_id, as_of, currency = check.customer_id, check.as_of, check.currency
    owed, amount, limit = check.exposure_cents, check.amount_cents, check.credit_limit_cents
    found: dict[str, str] = {}
    if limit is not None and owed + amount > limit:
        found["over_limit"] = _(
            "over its limit after this order: {owed} owed + {ordered} ordered = {total}, "
            "limit {limit}"
        ).format(
            owed=money(owed, currency),
            ordered=money(amount, currency),
            total=money(owed + amount, currency),
            limit=money(limit, currency),
        )
    holds = credit_holds(ledger, as_of, policy=pol, log=log, ladder=ladder)
    held = holds.loc[holds["customer_id"] == customer_id, "reasons"]
    if len(held):
        found["on_hold"] = _("on credit hold: {reasons}").format(reasons=held.iloc[0])
    if limit is None and owed + amount > 0:
        found["not_vetted"] = _(
            "not vetted: no credit limit set (no credit decision on file), and it would owe "
            "{amount} after this order"
        ).format(amount=money(owed + amount, currency))
    promises, instalments = _broken_counts(ledger, as_of, log, customer_id, pol.credit)
    if promises or instalments:
        found["broken_promises"] = _broken_label(
            promises, instalments, pol.credit.promise_window_days
        )
    overdue = _overdue(ledger, as_of, customer_id, pol, currency, log)
    if overdue:
        found["overdue"] = overdue
    return found


def credit_check(
    ledger: Ledger,
    customer_id: str,
    amount_cents: int,
    as_of,
    *,
    log=None,
    policy=None,
    ladder=None,
) -> CreditCheck:
    """May ``amount_cents`` (int cents, 0 or more) be shipped on credit to ``customer_id`` at
    ``as_of``? Returns a :class:`CreditCheck`: the answer and every reason (module docstring),
    each warning or blocking by ``[credit_check]`` of ``policy`` (None: the ledger's). ``log``
    is the contact log (``promises(ledger, as_of)``; ``instalments(ledger, as_of)`` with
    ``customer_id, due_date, status`` when it keeps plans; status "broken" counts); without it
    nothing counts as broken. ``ladder``: as for :func:`~arbook.credit.holds.credit_holds`.
    Raises ParameterError for a customer the ledger does not know (naming the closest ids) or
    an amount that is not whole cents of 0 or more."""
    pol = rules_of(ledger, policy)
    amount = _amount(amount_cents)
    customers = book(ledger, as_of)
    row = customers.loc[_customer(customers.index, customer_id)]
    limit = row["credit_limit_cents"]
    check = CreditCheck(
        customer_id=str(row.name),
        name=str(row["name"]),
        as_of=day_stamp(as_of),
        amount_cents=amount,
        currency=ledger.currency,
        exposure_cents=int(row["exposure_cents"]),
        credit_limit_cents=None if pd.isna(limit) else int(limit),
        answer="allow",
        reasons=(),
    )
    found = _reasons(ledger, check, pol, log, ladder)
    effects = pol.credit_check.model_dump()
    reasons = tuple(Reason(code, effects[code], found[code]) for code in REASONS if code in found)
    answer = max((r.effect for r in reasons), key=ANSWERS.index, default="allow")
    return replace(check, answer=answer, reasons=reasons)
