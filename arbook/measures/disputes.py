"""Disputes (SPEC §7): an invoice, or part of it, in dispute is still owed but not chased.

A dispute comes from the contact log (opened with a reason, by someone, for the whole of what
is owed on the invoice or for an amount; followed with notes and new owners; resolved as paid,
credited or rejected) or from the ledger: an invoice imported with ``disputed = yes`` opens one.
The log decides over the flag: a dispute the log opens on a flagged invoice takes it over (its
amount, reason and owner), and a dispute the log resolves on it closes it, so an imported
dispute is resolved by opening it in the log and resolving that (``ContactLog.resolve_document``
does both at once). What the log records after the as-of date does not exist yet.

:func:`disputed_cents` is the one amount in dispute per invoice, which everything else uses
(the ladder and the ranking take it out, SPEC §7; the aging keeps it). Nothing here reads a
database: the log hands in its events (:meth:`ContactLog.dispute_events`).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.currencies import own_part
from arbook.core.dates import day_stamp
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger
from arbook.core.money import format_money
from arbook.core.rules import unknown_customer, unknown_id
from arbook.measures.aging import aging

RESOLUTIONS = ("paid", "credited", "rejected")
STATUSES = ("open", *RESOLUTIONS)
#: each status, resolution and source as a person reads it (English: shown as ``_(label)``)
LABELS = {
    "open": N_("open"),
    "paid": N_("paid"),
    "credited": N_("credited"),
    "rejected": N_("rejected"),
    "imported": N_("imported (disputed = yes)"),
    "log": N_("contact log"),
}
#: the reason an imported dispute shows (the data says only that the invoice is disputed);
#: English, as the contact log records it, and shown as ``_(IMPORTED_REASON)``
IMPORTED_REASON = N_("marked disputed in the data")
EVENT_COLUMNS = [
    "dispute_id",
    "event_id",  # <NA> for the opening
    "kind",  # opened, note, resolved
    "at",
    "who",
    "customer_id",
    "document_id",
    "amount_cents",  # the opening's (<NA> = the whole outstanding)
    "reason",
    "owner",  # the opening's owner, or the new owner a note names
    "resolution",
    "note",
]
DISPUTE_COLUMNS = [
    "dispute_id",
    "customer_id",
    "document_id",
    "amount_cents",
    "reason",
    "opened_by",
    "owner",
    "opened_at",
    "status",
    "resolved_at",
    "notes",
    "last_note",
    "resolved_by",
    "resolution_note",
]
LIST_COLUMNS = [
    "dispute_id",
    "customer_id",
    "name",
    "document_id",
    "outstanding_cents",
    "disputed_cents",
    "days_overdue",
    "age_days",
    "reason",
    "owner",
    "notes",
    "last_note",
    "source",
]


def _utc_day(at: pd.Series) -> pd.Series:
    """The UTC day of each aware moment, as naive midnight."""
    return pd.to_datetime(at, utc=True).dt.tz_localize(None).dt.normalize()


def dispute_state(events: pd.DataFrame, as_of=None) -> pd.DataFrame:
    """Each dispute of ``events`` (:data:`EVENT_COLUMNS`) as it stood at ``as_of`` (None: after
    every event), by opening time: :data:`DISPUTE_COLUMNS`, ``amount_cents`` Int64 (<NA> = the
    whole outstanding), ``owner`` the latest named, ``status`` open or its resolution,
    ``resolved_at`` NaT while open, ``notes`` how many, ``last_note`` the newest (None)."""
    if as_of is not None and len(events):
        events = events[(_utc_day(events["at"]) <= day_stamp(as_of)).to_numpy()]
    events = events.sort_values(["at", "event_id"], kind="stable", na_position="first")
    opened = events[events["kind"] == "opened"].drop_duplicates("dispute_id")
    ids = pd.Index(opened["dispute_id"].to_numpy(), name="dispute_id")
    later = events[events["dispute_id"].isin(ids) & (events["kind"] != "opened")]
    notes = later[later["kind"] == "note"].groupby("dispute_id")
    texts = later[(later["kind"] == "note") & (later["note"].fillna("").str.strip() != "")]
    resolved = (
        later[later["kind"] == "resolved"].drop_duplicates("dispute_id").set_index("dispute_id")
    )
    named = pd.concat([opened, later[later["kind"] == "note"]]).dropna(subset=["owner"])
    owner = named.groupby("dispute_id")["owner"].last()
    frame = pd.DataFrame(
        {
            "dispute_id": ids.to_numpy(dtype=np.int64),
            "customer_id": opened["customer_id"].to_numpy(dtype=object),
            "document_id": opened["document_id"].to_numpy(dtype=object),
            "amount_cents": pd.array(opened["amount_cents"].to_numpy(), dtype="Int64"),
            "reason": opened["reason"].to_numpy(dtype=object),
            "opened_by": opened["who"].to_numpy(dtype=object),
            "owner": owner.reindex(ids).astype(object).to_numpy(),
            "opened_at": pd.to_datetime(opened["at"], utc=True).to_numpy(),
            "status": resolved["resolution"].reindex(ids).fillna("open").to_numpy(dtype=object),
            "resolved_at": resolved["at"].reindex(ids).to_numpy(),
            "notes": notes.size().reindex(ids, fill_value=0).to_numpy(dtype=np.int64),
            "last_note": texts.groupby("dispute_id")["note"].last().reindex(ids).to_numpy(object),
            "resolved_by": resolved["who"].reindex(ids).astype(object).to_numpy(),
            "resolution_note": resolved["note"].reindex(ids).astype(object).to_numpy(),
        }
    )
    for name in ("opened_at", "resolved_at"):
        frame[name] = pd.to_datetime(frame[name], utc=True)
    for name in ("owner", "last_note", "resolved_by", "resolution_note"):
        frame[name] = _optional(frame[name])
    return frame[DISPUTE_COLUMNS].reset_index(drop=True)


def _optional(values: pd.Series) -> pd.Series:
    """Text that may be missing: object dtype, None where missing."""
    values = values.astype(object)
    return values.where(values.notna(), None)


def log_disputes(log, as_of) -> pd.DataFrame | None:
    """The disputes of contact ``log`` at ``as_of`` (:func:`dispute_state`); None without a log
    or for a log that keeps no disputes."""
    events = getattr(log, "dispute_events", None)
    return None if events is None else dispute_state(events(), as_of)


def _owed(items: pd.DataFrame) -> pd.Series:
    """Outstanding cents per open invoice (aging rows), by document id (object dtype)."""
    owed = items[(items["kind"] == "invoice") & (items["outstanding_cents"] > 0)]
    return pd.Series(
        owed["outstanding_cents"].to_numpy(dtype=np.int64),
        index=pd.Index(owed["document_id"].to_numpy(dtype=object), name="document_id"),
    )


def _in_dispute(items: pd.DataFrame, state: pd.DataFrame | None):
    """Per open invoice of ``items`` (in :func:`_owed`'s order): (the open invoices, cents in
    dispute, whether the dispute is an imported one). Positional arrays: a document id is
    looked up once, by hash (``isin`` on text is slow)."""
    owed = _owed(items)
    have = owed.to_numpy()
    opened = items[(items["kind"] == "invoice") & (items["outstanding_cents"] > 0)]
    flagged = opened["disputed"].to_numpy(dtype=bool)
    whole, part = flagged.copy(), np.zeros(len(owed), dtype=np.int64)
    logged = np.zeros(len(owed), dtype=bool)
    if state is not None and len(state):
        where = owed.index
        done = where.get_indexer(state.loc[state["status"] != "open", "document_id"])
        whole[done[done >= 0]] = False  # a resolution in the log closes the imported one
        open_ = state[state["status"] == "open"]
        at = where.get_indexer(open_["document_id"])
        mine, asked = at >= 0, open_["amount_cents"].to_numpy(dtype=object)
        at, asked = at[mine], asked[mine]
        whole[at] = False
        logged[at] = True
        all_of = np.array([pd.isna(a) for a in asked], dtype=bool)
        whole[at[all_of]] = True
        np.add.at(part, at[~all_of], np.asarray(asked[~all_of], dtype=np.int64))
    cents = np.where(whole, have, np.minimum(part, have))
    return owed, cents, flagged & ~logged & whole


def disputed_of(items: pd.DataFrame, state: pd.DataFrame | None) -> pd.Series:
    """:func:`disputed_cents` from the aging rows ``items`` and the log's :func:`dispute_state`
    at the same date (None: the ledger's flags alone)."""
    owed, cents, _ = _in_dispute(items, state)
    some = cents > 0
    return pd.Series(cents[some], index=owed.index[some], name="disputed_cents", dtype=np.int64)


def with_disputes(items: pd.DataFrame, disputed: pd.Series) -> pd.DataFrame:
    """Aging rows ``items`` with ``disputed_cents`` (from ``disputed``, cents per document id
    as :func:`~arbook.measures.disputes.disputed_of` gives them; 0 for none and for credits and
    cash) and ``disputed`` set to whether some of the item is in dispute, so that no view shows
    the data's bare flag."""
    found = disputed.index.get_indexer(items["document_id"].to_numpy(dtype=object))
    cents = np.append(disputed.to_numpy(dtype=np.int64), 0)[found]  # found = -1 picks the 0
    cents = np.where(items["kind"].to_numpy() == "invoice", cents, 0)  # a payment id may match
    return items.assign(disputed=cents > 0, disputed_cents=cents)


def in_own_currency(
    disputed: pd.Series, book_items: pd.DataFrame, own_items: pd.DataFrame
) -> pd.Series:
    """``disputed`` (cents per document id in book currency, as :func:`disputed_of` gives them
    from the aging rows ``book_items``) in each document's own currency (``own_items``: the
    ``aging(..., currency="document")`` rows): all of what is open in it for a dispute of the
    whole, else in proportion (:func:`~arbook.core.currencies.own_part`). A logged amount is in
    book currency, as the log records it."""
    book, own = _owed(book_items), _owed(own_items)
    held = own.reindex(disputed.index, fill_value=0).to_numpy(dtype=np.int64)
    open_ = book.reindex(disputed.index, fill_value=0).to_numpy(dtype=np.int64)
    cents = [own_part(c, b, o) for c, b, o in zip(disputed.to_numpy(dtype=np.int64), open_, held)]
    out = pd.Series(cents, index=disputed.index, name="disputed_cents", dtype=np.int64)
    return out[out > 0]


def disputed_cents(ledger: Ledger, as_of, log=None, *, currency: str = "book") -> pd.Series:
    """Cents in dispute at ``as_of`` per open invoice (indexed by ``document_id``; only those
    with some): the whole outstanding for an imported dispute or a log dispute without an
    amount, else the smaller of the disputed amount and the outstanding. ``log=None``: the
    ledger's ``disputed`` flags alone. ``currency="document"``: in each invoice's own currency
    (:func:`in_own_currency`)."""
    items = aging(ledger, as_of, basis="due")
    disputed = disputed_of(items, log_disputes(log, as_of))
    if currency == "document":
        own = aging(ledger, as_of, basis="due", currency="document")
        return in_own_currency(disputed, items, own)
    return disputed


def dispute_list(ledger: Ledger, as_of, log=None) -> pd.DataFrame:
    """The disputes open at ``as_of``, one row per disputed invoice (a log dispute whose invoice
    is settled stays listed, with nothing outstanding, until it is resolved): ``dispute_id``
    (the log's id, "" for an imported one), ``customer_id, name, document_id,
    outstanding_cents, disputed_cents`` (:func:`disputed_cents`), ``days_overdue`` (by the due
    date), ``age_days`` (days open; <NA> for an imported one: the data does not say since
    when), ``reason, owner`` (the latest named), ``notes`` (how many, hand-overs included; 0 for
    an imported one), ``last_note`` (the newest note's text, "" for none) and ``source``
    (``imported`` or ``log``). By customer, then document."""
    items = aging(ledger, as_of, basis="due")
    state = log_disputes(log, as_of)
    owed, cents, imported = _in_dispute(items, state)
    disputed = pd.Series(cents, index=owed.index)
    opened = items[(items["kind"] == "invoice") & (items["outstanding_cents"] > 0)]
    rows = pd.DataFrame(
        {
            "dispute_id": [""] * int(imported.sum()),
            "customer_id": opened["customer_id"].to_numpy(dtype=object)[imported],
            "document_id": owed.index.to_numpy()[imported],
            "opened_at": pd.NaT,
            "reason": IMPORTED_REASON,
            "owner": "",
            "notes": 0,
            "last_note": "",
            "source": "imported",
        }
    )
    if state is not None:
        open_ = state[state["status"] == "open"]
        logged = pd.DataFrame(
            {
                "dispute_id": open_["dispute_id"].astype(object).to_numpy(),
                "customer_id": open_["customer_id"].to_numpy(dtype=object),
                "document_id": open_["document_id"].to_numpy(dtype=object),
                "opened_at": _utc_day(open_["opened_at"]).to_numpy(),
                "reason": open_["reason"].to_numpy(dtype=object),
                "owner": open_["owner"].fillna("").to_numpy(dtype=object),
                "notes": open_["notes"].to_numpy(dtype=np.int64),
                "last_note": open_["last_note"].fillna("").to_numpy(dtype=object),
                "source": "log",
            }
        )
        rows = pd.concat([rows, logged], ignore_index=True) if len(rows) else logged
    return _listed(ledger, rows, owed, disputed, day_stamp(as_of))


def _cents_of(cents: pd.Series, documents: pd.Series) -> np.ndarray:
    """``cents`` (by document id) of each of ``documents``, 0 where it has none (ints
    throughout: no float on the way)."""
    found = cents.index.get_indexer(documents.to_numpy(dtype=object))
    return np.append(cents.to_numpy(dtype=np.int64), 0)[found]  # found = -1 picks the 0


def _listed(ledger, rows, owed, disputed, day) -> pd.DataFrame:
    due = ledger.invoices.set_index("invoice_id")["due_date"].reindex(rows["document_id"])
    late = (day - pd.to_datetime(due.to_numpy())).days
    age = (day - pd.to_datetime(rows["opened_at"])).dt.days
    frame = rows.assign(
        name=ledger.names(rows["customer_id"].astype(str)),
        outstanding_cents=_cents_of(owed, rows["document_id"]),
        disputed_cents=_cents_of(disputed, rows["document_id"]),
        days_overdue=pd.array(late, dtype="Int64"),
        age_days=pd.array(age, dtype="Int64"),
    )
    frame["dispute_id"] = frame["dispute_id"].astype(object)
    frame["notes"] = frame["notes"].astype(np.int64)
    frame = frame.sort_values(["customer_id", "document_id"], kind="stable")
    return frame.reset_index(drop=True)[LIST_COLUMNS]


def known_customer(ledger: Ledger, customer_id: str) -> str:
    """ "" when ``customer_id`` is in the data, else what is wrong (with the closest ids)."""
    ids = ledger.customers["customer_id"].astype(str).tolist()
    return "" if customer_id in set(ids) else unknown_customer(customer_id, ids)


def money_text(ledger: Ledger, cents: int) -> str:
    """``1,234.56 EUR``: cents with the book's currency when the data names one."""
    return format_money(cents, getattr(ledger, "currency", None))


def dispute_problems(
    ledger: Ledger, customer_id: str, document_id: str, amount_cents, day
) -> list[str]:
    """What is wrong with disputing ``document_id`` of ``customer_id`` (for ``amount_cents``,
    None = all of it) on ``day``, against the data: an unknown customer or document, another
    customer's document, a credit note, an invoice settled by then, an amount more than is owed
    on it. Empty when nothing is."""
    unknown = known_customer(ledger, customer_id)
    invoices = ledger.invoices.set_index("invoice_id")
    if document_id not in invoices.index:
        ids = invoices.index[invoices["customer_id"] == customer_id].astype(str).tolist()
        fix = _("give the id of one of the customer's invoices")
        return [unknown] * bool(unknown) + [unknown_id("invoice", document_id, ids, fix)]
    if unknown:
        return [unknown]
    owner = invoices.at[document_id, "customer_id"]
    if owner != customer_id:
        said = _("document {document} is customer {owner}'s, not {customer}'s")
        return [said.format(document=document_id, owner=owner, customer=customer_id)]
    if invoices.at[document_id, "amount_cents"] < 0:
        said = _("document {document} is a credit note; a dispute is on an invoice")
        return [said.format(document=document_id)]
    owed = int(_owed(aging(ledger, day, basis="due")).get(document_id, 0))
    if owed <= 0:
        said = _(
            "nothing is owed on {document} on {day} (it is settled); a dispute is about what is "
            "still owed"
        )
        return [said.format(document=document_id, day=f"{day_stamp(day):%Y-%m-%d}")]
    if amount_cents is not None and isinstance(amount_cents, int) and amount_cents > owed:
        said = _(
            "amount {amount} is more than the {owed} owed on {document}; dispute at most that, "
            "or leave the amount out to dispute all of it"
        )
        return [
            said.format(
                amount=money_text(ledger, amount_cents),
                owed=money_text(ledger, owed),
                document=document_id,
            )
        ]
    return []
