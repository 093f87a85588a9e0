"""The values the contact log keeps, checked one way for every record it holds (contacts,
disputes, payment plans): text within its limit and without NUL, dates as ``date``, moments as
aware UTC datetimes, amounts as whole cents. Each check appends what is wrong, and its fix, to
``problems`` and returns the normalised value (None when it is bad), so a record's every bad
value is reported at once.
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

TEXT_LIMITS = {  # characters
    "customer_id": 64,
    "who": 80,
    "excuse": 200,
    "note": 2000,
    "step": 40,
    "document": 400,
    "document_id": 64,
    "reason": 200,
    "owner": 80,
}
#: names whose surrounding blanks are not part of the value
_STRIPPED = ("customer_id", "who", "document_id", "owner")


def text_value(name: str, value, problems: list[str], *, required: bool) -> str | None:
    """``value`` as text of at most ``TEXT_LIMITS[name]`` characters (None when not
    ``required`` and not given)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        problems.append(f"{name} is {value!r}; it must be {'non-empty ' if required else ''}text")
        return None
    if "\x00" in value:
        problems.append(f"{name} {value!r} holds a NUL character; remove it")
    if len(value) > TEXT_LIMITS[name]:
        problems.append(
            f"{name} is {len(value)} characters long; at most "
            f"{TEXT_LIMITS[name]} are kept, shorten it"
        )
    return value.strip() if name in _STRIPPED else value


def date_value(name: str, value, problems: list[str]) -> dt.date | None:
    """``value`` (a ``date`` or ``YYYY-MM-DD``) as a ``date``; None stays None."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    reason = "it must be a date (datetime.date or YYYY-MM-DD)"
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:  # 2026-02-30: the shape is right, the day is not
            reason = f"{exc}; write a real date as YYYY-MM-DD"
    problems.append(f"{name} is {value!r}; {reason}")
    return None


def moment_value(value, problems: list[str], name: str = "at") -> dt.datetime | None:
    """``value``, an aware datetime, in UTC."""
    if not isinstance(value, dt.datetime):
        problems.append(f"{name} is {value!r}; it must be a datetime with a timezone")
    elif value.tzinfo is None or value.utcoffset() is None:
        problems.append(
            f"{name} is {value.isoformat()} without a timezone; pass an aware "
            "datetime, e.g. datetime.now(timezone.utc)"
        )
    else:
        return value.astimezone(dt.UTC)
    return None


def cents_value(
    value, problems: list[str], name: str = "promise_cents", what: str = "a promised amount"
) -> int | None:
    """``value``, whole cents more than 0, as an int; None stays None."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        problems.append(
            f"{name} is {value!r}; it must be whole cents (an int), e.g. 12550 for 125.50"
        )
    elif not 0 < value < 2**63:
        problems.append(f"{name} is {value}; {what} must be more than 0")
    else:
        return int(value)
    return None
