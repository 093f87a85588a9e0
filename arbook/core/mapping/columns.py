"""A file's columns judged as arbook's fields: what their cells look like, and which wins.

:func:`profile` measures a column's cells (shares that read as dates, money, codes, yes/no,
terms; how unique they are), :func:`value_fit` says how well those cells fit a field, and the
suggestion's scoring lives here too: each field's :class:`Candidate` columns (header name times
cell fit) and the choice of one column per field, with the money columns settled together (an
open balance is ``amount``, a face value beside it ``face_amount``).
:func:`~arbook.core.mapping.suggest.suggest` calls it on the rows below the header it found.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from arbook.core import parse
from arbook.core.dates import format_count
from arbook.core.i18n import _
from arbook.core.mapping.model import FIELDS
from arbook.core.mapping.vocabulary import header_score, is_open_balance, is_paid, terms_days
from arbook.core.numbers import percent_text

#: the least score a candidate needs to be mapped by :func:`suggest`
THRESHOLD = 0.45


@dataclass
class Profile:
    """A column's header and what its cells look like (shares of its non-blank cells)."""

    position: int
    header: str
    cells: list[str]  # every sample row's cell, blanks included (rows aligned across columns)
    filled: int = 0
    dates: float = 0.0
    money: float = 0.0
    decimals: float = 0.0  # money cells with a decimal mark or a thousands separator
    unique: float = 0.0
    whole: float = 0.0
    codes: float = 0.0
    flags: float = 0.0
    terms: float = 0.0
    distinct: int = 0
    negative: float = 0.0


def profile(position: int, header: str, cells: list[str]) -> Profile:
    """What the cells under ``header`` look like: shares that read as dates, money, whole
    numbers, currency codes, yes/no, terms; how unique they are."""
    found = Profile(position, header, cells)
    text = [c.strip() for c in cells if c.strip()]
    found.filled = len(text)
    if not text:
        return found
    series = pd.Series(text, dtype=object)
    n = len(text)
    dates = parse.parse_dates(series)
    found.dates = float((~dates.bad | dates.ambiguous | dates.mixed).sum()) / n
    point, comma = parse.parse_cents(series, "."), parse.parse_cents(series, ",")
    money = ~point[2] | ~comma[2]
    found.money = float(money.sum()) / n
    marked = series.str.contains(r"[.,\s\u00a0]\d", regex=True).to_numpy(dtype=bool)
    found.decimals = float((money & marked).sum()) / n
    cents = np.where(~point[2], point[0], comma[0])
    found.negative = float((money & (cents < 0)).sum()) / n
    found.unique = series.nunique() / n
    found.distinct = int(series.nunique())
    found.whole = float(series.str.fullmatch(r"\d+").sum()) / n
    found.codes = float(series.str.fullmatch(r"[A-Za-z]{3}").sum()) / n
    flag_bad = parse.parse_flag(series)[1]
    found.flags = float((~flag_bad).sum()) / n
    found.terms = float(sum(terms_days(t) is not None for t in text)) / n
    return found


def _pct(share: float) -> str:
    """A share as a whole percentage in the language spoken ("87%", "87 %")."""
    return percent_text(share)


def value_fit(name: str, p: Profile) -> tuple[float, str]:
    """How well a column's cells fit the field ``name`` (0..1), and why in words."""
    if p.filled == 0:
        return 0.6, _("its cells are blank in the first rows")
    if name in ("invoice_date", "due_date"):
        return max(p.dates, 0.05), _("{share} of its cells read as dates").format(
            share=_pct(p.dates)
        )
    if name in ("amount", "face_amount"):
        if p.dates > 0.5:
            return 0.05, _("its cells are dates, not money")
        return max(p.money, 0.05), _("{share} of its cells read as money").format(
            share=_pct(p.money)
        )
    if name == "currency":
        return max(p.codes, 0.1), _("{share} of its cells are three-letter codes").format(
            share=_pct(p.codes)
        )
    if name == "disputed":
        return max(p.flags, 0.1), _("{share} of its cells are yes/no").format(share=_pct(p.flags))
    if name == "terms_days":
        return max(p.terms, 0.1), _("{share} of its cells read as payment terms").format(
            share=_pct(p.terms)
        )
    if p.dates > 0.8:
        return 0.2, _("its cells are dates")
    money_like = p.money > 0.9 and p.decimals > 0.5
    if name == "invoice_id":
        if money_like:
            return 0.2, _("its cells look like money")
        return 0.6 + 0.4 * p.unique, _("{share} of its cells are different").format(
            share=_pct(p.unique)
        )
    if name in ("customer_id", "customer_name"):
        if money_like:
            return 0.2, _("its cells look like money")
        if name == "customer_name" and p.whole > 0.8:
            return 0.5, _("its cells are numbers, not names")
        return 1.0, _("{values} different values in {rows} rows").format(
            values=format_count(p.distinct), rows=format_count(p.filled)
        )
    if name == "document_type":
        if p.money > 0.5:
            return 0.1, _("its cells are numbers")
        few = p.distinct <= max(12, int(p.filled * 0.3))
        if few:
            return 1.0, _("{values} different values").format(values=format_count(p.distinct))
        return 0.4, _("many different values")
    return (0.2, _("its cells look like money")) if money_like else (1.0, "")


@dataclass
class Candidate:
    """A column that may hold a field: its header as written, a score (0..1; the best is
    mapped when over :data:`THRESHOLD`) and why, in words."""

    column: str
    score: float
    reason: str


def profiles_by_header(profiles: list[Profile]) -> dict[str, Profile]:
    out: dict[str, Profile] = {}
    for p in profiles:
        out.setdefault(p.header, p)
    return out


def _candidates(profiles: list[Profile]) -> dict[str, list[Candidate]]:
    """Each field's candidate columns, best first: by header name times cell fit; columns with
    no name for a date or money field but cells that fit, at a low score (listed, not mapped)."""
    out: dict[str, list[Candidate]] = {}
    for name in FIELDS:
        found: list[Candidate] = []
        for p in profiles:
            named, why = header_score(p.header, name)
            fit, how = value_fit(name, p)
            if named > 0:
                reason = f"{why}; {how}" if how else why
                found.append(Candidate(p.header, round(named * fit, 3), reason))
            elif name in ("invoice_date", "due_date", "amount", "face_amount") and fit >= 0.9:
                reason = _("its header says nothing, but {how}").format(how=how)
                found.append(Candidate(p.header, round(0.3 * fit, 3), reason))
        found.sort(key=lambda c: -c.score)
        out[name] = found
    return out


def _choose(
    profiles: list[Profile], candidates: dict[str, list[Candidate]]
) -> tuple[dict[str, str], list[str]]:
    """Each field's column: the best-scoring pairs first, a column to one field; then the money
    columns settled: an open balance is ``amount`` and a face value beside it ``face_amount``;
    of two money columns named alike, the one smaller or equal on every row is the open one."""
    position = {p.header: p.position for p in profiles}
    pairs = sorted(
        (
            (-c.score, FIELDS.index(f), position.get(c.column, 0), f, c.column)
            for f, cs in candidates.items()
            for c in cs
        ),
    )
    columns: dict[str, str] = {}
    taken: set[str] = set()
    for minus, _field, _position, name, column in pairs:
        score = -minus
        if score < THRESHOLD or name in columns or column in taken:
            continue
        if name in ("amount", "face_amount"):
            continue  # settled below, together
        columns[name] = column
        taken.add(column)
    notes: list[str] = []
    by_header = profiles_by_header(profiles)
    money = [
        c.column
        for c in candidates["amount"] + candidates["face_amount"]
        if c.score >= THRESHOLD and c.column not in taken
    ]
    money = list(dict.fromkeys(money))
    open_named = [c for c in money if is_open_balance(c)]
    face_named = [c for c in money if c not in open_named]
    if open_named:
        columns["amount"] = open_named[0]
        if face_named:
            columns["face_amount"] = face_named[0]
            notes.append(
                _(
                    "{open} and {face} both look like money: {open} is mapped to amount (what is "
                    "owed), {face} to face_amount"
                ).format(open=open_named[0], face=face_named[0])
            )
    elif len(face_named) >= 2:
        first, second = face_named[0], face_named[1]
        smaller = _smaller_everywhere(by_header[first], by_header[second])
        if smaller is not None:
            larger = second if smaller == first else first
            columns["amount"], columns["face_amount"] = smaller, larger
            notes.append(
                _(
                    "{first} and {second} both look like money: {smaller} is smaller or equal on "
                    "every row, so it is taken as the open balance (amount, what is owed) and "
                    "{larger} as face_amount; check this"
                ).format(first=first, second=second, smaller=smaller, larger=larger)
            )
        else:
            columns["amount"] = first
            notes.append(
                _(
                    "{first} and {second} both look like money and neither is named like an open "
                    "balance: {first} is mapped to amount; check which one is what is owed"
                ).format(first=first, second=second)
            )
    elif face_named:
        columns["amount"] = face_named[0]
    paid = [p.header for p in profiles if is_paid(p.header) and p.header not in columns.values()]
    if paid and "amount" in columns and not is_open_balance(columns["amount"]):
        notes.append(
            _(
                "{paid} looks like what has been paid, and no column is an open balance: "
                "{amount} is read as what is owed in full, so paid invoices would count as open; "
                "add an open-balance column to the file, or keep only the open rows"
            ).format(paid=paid[0], amount=columns["amount"])
        )
    return {f: columns[f] for f in FIELDS if f in columns}, notes


def _smaller_everywhere(a: Profile, b: Profile) -> str | None:
    """Of two money columns, the header of the one whose amount is smaller or equal (in size)
    on every row where both read, and smaller on some; None when neither is."""
    both = pd.DataFrame({"a": a.cells, "b": b.cells}, dtype=object)
    keep = (both["a"].str.strip() != "") & (both["b"].str.strip() != "")
    both = both[keep]
    if both.empty:
        return None
    decimal = parse.decimal_of(pd.concat([both["a"], both["b"]])) or "."
    ca, _blank_a, bad_a = parse.parse_cents(both["a"], decimal)
    cb, _blank_b, bad_b = parse.parse_cents(both["b"], decimal)
    ok = ~bad_a & ~bad_b
    if not ok.any():
        return None
    ca, cb = np.abs(ca[ok]), np.abs(cb[ok])
    if (cb <= ca).all() and (cb < ca).any():
        return b.header
    if (ca <= cb).all() and (ca < cb).any():
        return a.header
    return None
