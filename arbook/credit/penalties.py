"""Late charges (SPEC §5): interest on overdue items and a fixed fee, agreed up front.

Interest per overdue item = outstanding × annual rate / 365 × days overdue (from the due date),
rounded half-up to the cent per item. A fixed fee is charged once per reminder actually sent
(:func:`reminder_fees`: the contact log's documents sent or saved at a ladder step from which
late charges apply); without a contact log, once per customer with something overdue, as if
each had been reminded once (``frame.attrs["fee_basis"]`` says which). Under the EU preset the
rate is the reference rate plus the margin, and instead of the fee a fixed compensation is due
per overdue invoice.

Disputed items accrue nothing: they stay in :func:`late_charges` with ``disputed`` True and
``interest_cents`` 0, so the reader sees what was left out and why, and :func:`late_charge_totals`
leaves them out of every total (they neither count as items nor earn the fee or compensation).
Customers' credits (credit notes, unapplied cash) are not netted against overdue items: interest
runs on each item that is late, as a statement shows it.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from decimal import Decimal

import numpy as np
import pandas as pd

from arbook.core.config import Policy, check_fraction, resolve_policy
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.core.money import half_up
from arbook.core.procedure import Ladder, resolve_ladder
from arbook.measures.aging import aging
from arbook.measures.disputes import disputed_cents

PRESETS = ("contract", "eu")
CHARGE_COLUMNS = [
    "customer_id",
    "document_id",
    "due_date",
    "outstanding_cents",
    "days_overdue",
    "disputed",
    "interest_cents",
]
REMINDER_COLUMNS = ["customer_id", "date", "step", "template", "document", "fee_cents"]
#: The contact-log outcomes that record a document given to the customer (contacts.py's
#: DOCUMENT_OUTCOMES, which this room cannot import).
DOCUMENT_OUTCOMES = ("sent", "saved")
#: How the fixed fee was counted, said for a person (``frame.attrs["fee_basis"]``): translate
#: where shown, ``_(FEE_BASIS[basis])`` (:func:`fee_basis_text`).
FEE_BASIS = {
    "reminder": N_(
        "a fee per reminder sent (the contact log's letters and e-mails at the ladder "
        "steps from which late charges apply)"
    ),
    "customer": N_(
        "a fee once per customer with something overdue: there is no contact log to "
        "count the reminders actually sent, so each is taken as reminded once"
    ),
}


def fee_basis_text(basis: str) -> str:
    """How the fee was counted (a ``fee_basis`` code), in the language spoken."""
    return _(FEE_BASIS[basis])


TOTAL_COLUMNS = [
    "customer_id",
    "items",
    "outstanding_cents",
    "interest_cents",
    "fee_cents",
    "total_due_cents",
]


@dataclass(frozen=True)
class ChargeTerms:
    """The late-charge terms in force: ``preset``, ``annual_rate`` (a fraction), ``fee_cents``
    (per reminder) and ``per_invoice_cents`` (EU compensation per overdue invoice)."""

    preset: str
    annual_rate: float
    fee_cents: int
    per_invoice_cents: int


def charge_terms(
    policy: Policy | str | None = None,
    *,
    annual_rate=None,
    fee_cents=None,
    preset: str | None = None,
) -> ChargeTerms:
    """The terms to charge by: arguments given win over ``policy.late_charges``.

    ``preset="eu"`` (or the policy's preset) takes the rate as reference rate + margin unless
    ``annual_rate`` is given, and the per-invoice compensation instead of a fee; giving a fee
    with it is refused. Raises ParameterError for a rate outside 0–1 or a negative fee.
    """
    rules = resolve_policy(policy).late_charges
    preset = preset or rules.preset
    if preset not in PRESETS:
        raise ParameterError(
            _("late-charge preset {preset}; use 'contract' or 'eu'").format(preset=repr(preset))
        )
    if fee_cents is not None and int(fee_cents) < 0:
        raise ParameterError(
            _("fee {fee} cents is negative; give 0 or more").format(fee=int(fee_cents))
        )
    if preset == "eu":
        if fee_cents:
            raise ParameterError(
                _(
                    "the EU preset charges a fixed compensation per overdue invoice "
                    "instead of a fee; leave the fee out or use preset 'contract'"
                )
            )
        rate = rules.eu_reference_rate + rules.eu_margin if annual_rate is None else annual_rate
        return ChargeTerms("eu", check_fraction(rate), 0, int(rules.eu_compensation_cents))
    rate = rules.annual_rate if annual_rate is None else annual_rate
    fee = rules.fee_cents if fee_cents is None else int(fee_cents)
    return ChargeTerms("contract", check_fraction(rate), fee, 0)


def item_interest(outstanding_cents: int, annual_rate: float, days_overdue: int) -> int:
    """Interest in cents on one item: outstanding × rate / 365 × days, rounded half-up; 0 when
    the item is not overdue or nothing is owed."""
    if outstanding_cents <= 0 or days_overdue <= 0:
        return 0
    rate = Decimal(str(annual_rate))
    return half_up(Decimal(int(outstanding_cents)) * rate * int(days_overdue) / 365)


def _overdue(ledger: Ledger, as_of, currency: str = "book") -> pd.DataFrame:
    """The overdue positive invoices at ``as_of``, days counted from the due date (in book
    currency, or each in its own: ``currency="document"``)."""
    items = aging(ledger, as_of, basis="due", currency=currency)
    return items[
        (items["outstanding_cents"] > 0)
        & (items["days_overdue"] > 0)
        & (items["kind"] == "invoice")
    ]


def _log_days(history: pd.DataFrame) -> pd.Series:
    """The day of each contact-log entry (UTC, without a time zone)."""
    stamps = pd.to_datetime(history["at"])
    if stamps.dt.tz is not None:
        stamps = stamps.dt.tz_convert("UTC").dt.tz_localize(None)
    return stamps.dt.normalize()


def reminder_fees(
    ledger: Ledger,
    as_of,
    log,
    *,
    fee_cents=None,
    policy=None,
    preset: str | None = None,
    ladder: Ladder | str | None = None,
) -> pd.DataFrame:
    """The reminders that each carry the fixed fee (SPEC §5: once per reminder actually sent),
    one row each: ``customer_id, date, step`` (the ladder step's key), ``template`` (the
    step's document), ``document`` (the file, as logged) and ``fee_cents``.

    A reminder is a contact-log entry (``log``: anything with ``history()``) up to ``as_of``
    that sent or saved a document (outcome ``sent`` or ``saved``) for a ladder step with
    ``late_charges = true`` (the ladder: ``ladder``, else the client's, else the shipped one).
    The same step sent again the same day is one reminder. Only customers with an undisputed
    overdue item at ``as_of`` are charged, for the reminders dated after the due date of the
    oldest of those items (a reminder about a debt since paid is not charged again). The fee is
    the contract's (:func:`charge_terms`); 0 under the EU preset, which charges per invoice."""
    terms = charge_terms(
        ledger.policy if policy is None else policy, fee_cents=fee_cents, preset=preset
    )
    steps = {s.key: s for s in resolve_ladder(ladder, folder=ledger.folder).steps}
    charged = {key for key, step in steps.items() if step.late_charges}
    history = log.history() if log is not None else None
    if history is None or history.empty:
        return pd.DataFrame(columns=REMINDER_COLUMNS).astype({"fee_cents": np.int64})
    items = _overdue(ledger, as_of)
    since = items[~items["disputed"].astype(bool)].groupby("customer_id")["due_date"].min()
    frame = history.assign(date=_log_days(history))
    frame = frame[
        frame["outcome"].isin(DOCUMENT_OUTCOMES)
        & frame["step"].isin(charged)
        & (frame["date"] <= pd.Timestamp(str(as_of)[:10]))
        & frame["customer_id"].isin(since.index)
    ]
    frame = frame[frame["date"] > frame["customer_id"].map(since)]
    frame = frame.sort_values(["customer_id", "date", "id"], kind="stable")
    frame = frame.drop_duplicates(["customer_id", "date", "step"], keep="first")
    return pd.DataFrame(
        {
            "customer_id": frame["customer_id"].astype(str),
            "date": frame["date"],
            "step": frame["step"].astype(str),
            "template": frame["step"].map(lambda k: steps[k].template),
            "document": frame["document"].astype(object),
            "fee_cents": np.full(len(frame), terms.fee_cents, dtype=np.int64),
        },
        columns=REMINDER_COLUMNS,
    ).reset_index(drop=True)


def late_charges(
    ledger: Ledger,
    as_of,
    *,
    annual_rate=None,
    fee_cents=None,
    policy=None,
    preset: str | None = None,
    log=None,
    ladder: Ladder | str | None = None,
    currency: str = "book",
) -> pd.DataFrame:
    """One row per overdue positive item at ``as_of`` (days from the due date):
    ``customer_id, document_id, due_date, outstanding_cents, days_overdue, disputed,
    interest_cents`` (on the part not in dispute: 0 for an item wholly disputed; with the
    contact ``log`` its disputes count too). Ordered by customer, then oldest due date first.

    The rate and fee default to ``policy.late_charges`` (``policy`` None: the ledger's policy);
    see :func:`charge_terms`. The terms used are in ``frame.attrs`` (``preset, annual_rate,
    fee_cents, per_invoice_cents``) for :func:`late_charge_totals`, with ``fee_basis``: with a
    contact ``log``, ``"reminder"`` and ``reminders`` (customer id -> reminders charged, see
    :func:`reminder_fees`); without one, ``"customer"`` (the fee once per customer, as before
    the log recorded documents; :data:`FEE_BASIS` says it in words).

    ``currency="document"``: each item in its own currency (a ``currency`` column after
    ``customer_id``), its interest on what is open in it; the fee terms stay the book's.
    """
    terms = charge_terms(
        ledger.policy if policy is None else policy,
        annual_rate=annual_rate,
        fee_cents=fee_cents,
        preset=preset,
    )
    frame = _overdue(ledger, as_of, currency)
    # what is in dispute accrues nothing: the one rule, the contact log's disputes included
    owed = frame["outstanding_cents"].to_numpy(dtype=np.int64)
    part = disputed_cents(ledger, as_of, log, currency=currency)
    part = part.reindex(frame["document_id"], fill_value=0)
    part = np.minimum(part.to_numpy(dtype=np.int64), owed)
    frame = frame.assign(disputed=part >= owed)
    interest = [
        item_interest(o, terms.annual_rate, n) if o else 0
        for o, n in zip(owed - part, frame["days_overdue"])
    ]
    frame = frame.assign(interest_cents=np.asarray(interest, dtype=np.int64))
    frame = frame.sort_values(["customer_id", "due_date", "document_id"], kind="stable")
    columns = (
        CHARGE_COLUMNS
        if currency == "book"
        else [CHARGE_COLUMNS[0], "currency", *CHARGE_COLUMNS[1:]]
    )
    frame = frame.reset_index(drop=True)[columns]
    frame.attrs = {**asdict(terms), "fee_basis": "customer", "reminders": {}}
    if log is not None:
        sent = reminder_fees(
            ledger, as_of, log, fee_cents=fee_cents, policy=policy, preset=preset, ladder=ladder
        )
        counts = sent.groupby("customer_id").size()
        frame.attrs.update(fee_basis="reminder", reminders={k: int(v) for k, v in counts.items()})
    return frame


def late_charge_totals(
    charges: pd.DataFrame, *, fee_cents: int | None = None, per_invoice_cents: int | None = None
) -> pd.DataFrame:
    """Per customer with an overdue item that is not disputed: ``customer_id, items,
    outstanding_cents, interest_cents, fee_cents`` (the fee per reminder charged, or once per
    customer when ``charges.attrs["fee_basis"]`` is not ``"reminder"``, plus the per-invoice
    compensation × items) and ``total_due_cents`` = outstanding + interest + fee. Largest total
    first. ``fee_cents`` and ``per_invoice_cents`` default to those in ``charges.attrs``
    (set by :func:`late_charges`), else 0. Disputed items are left out of every column."""
    fee = int(charges.attrs.get("fee_cents", 0) if fee_cents is None else fee_cents)
    each = int(
        charges.attrs.get("per_invoice_cents", 0)
        if per_invoice_cents is None
        else per_invoice_cents
    )
    if fee < 0 or each < 0:
        raise ParameterError(
            _("fee {fee} and per-invoice charge {each} cents must not be negative").format(
                fee=fee, each=each
            )
        )
    live = charges[~charges["disputed"].astype(bool)]
    g = live.groupby("customer_id", sort=True)
    frame = pd.DataFrame(
        {
            "items": g.size(),
            "outstanding_cents": g["outstanding_cents"].sum(),
            "interest_cents": g["interest_cents"].sum(),
        }
    ).reset_index()
    frame = frame.astype(
        {"items": np.int64, "outstanding_cents": np.int64, "interest_cents": np.int64}
    )
    if charges.attrs.get("fee_basis") == "reminder":
        counts = frame["customer_id"].map(charges.attrs.get("reminders", {})).fillna(0)
    else:
        counts = pd.Series(1, index=frame.index)
    frame["fee_cents"] = (fee * counts.astype(np.int64) + each * frame["items"]).astype(np.int64)
    frame["total_due_cents"] = (
        frame["outstanding_cents"] + frame["interest_cents"] + frame["fee_cents"]
    ).astype(np.int64)
    frame = frame.sort_values(
        ["total_due_cents", "customer_id"], ascending=[False, True], kind="stable"
    ).reset_index(drop=True)[TOTAL_COLUMNS]
    frame.attrs = dict(charges.attrs)
    return frame
