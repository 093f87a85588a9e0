"""The values the contact log keeps, checked one way for every record it holds (contacts,
disputes, payment plans): text within its limit and without NUL, dates as ``date``, moments as
aware UTC datetimes, amounts as whole cents. Each check appends what is wrong, and its fix, to
``problems`` and returns the normalised value (None when it is bad), so a record's every bad
value is reported at once, in the language spoken (the names of the values stay as the code
names them: ``customer_id``, ``promise_cents``).
"""

from __future__ import annotations

import datetime as dt
import re

import numpy as np

from arbook.core.i18n import N_, _

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
#: what Python says of a date of the right shape that is no day (2026-02-30), for the catalogue
_NO_SUCH_DAY = (N_("day is out of range for month"), N_("month must be in 1..12"))


def text_value(name: str, value, problems: list[str], *, required: bool) -> str | None:
    """``value`` as text of at most ``TEXT_LIMITS[name]`` characters (None when not
    ``required`` and not given)."""
    if value is None and not required:
        return None
    if not isinstance(value, str) or (required and not value.strip()):
        said = _("{name} is {value}; it must be non-empty text") if required else None
        said = said or _("{name} is {value}; it must be text")
        problems.append(said.format(name=name, value=repr(value)))
        return None
    if "\x00" in value:
        problems.append(
            _("{name} {value} holds a NUL character; remove it").format(
                name=name, value=repr(value)
            )
        )
    if len(value) > TEXT_LIMITS[name]:
        problems.append(
            _("{name} is {length} characters long; at most {limit} are kept, shorten it").format(
                name=name, length=len(value), limit=TEXT_LIMITS[name]
            )
        )
    return value.strip() if name in _STRIPPED else value


def date_value(name: str, value, problems: list[str]) -> dt.date | None:
    """``value`` (a ``date`` or ``YYYY-MM-DD``) as a ``date``; None stays None."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    said = _("{name} is {value}; it must be a date (datetime.date or YYYY-MM-DD)")
    problem = ""
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError as exc:  # 2026-02-30: the shape is right, the day is not
            problem = _(str(exc)) if str(exc) in _NO_SUCH_DAY else str(exc)
            said = _("{name} is {value}; {problem}; write a real date as YYYY-MM-DD")
    problems.append(said.format(name=name, value=repr(value), problem=problem))
    return None


def moment_value(value, problems: list[str], name: str = "at") -> dt.datetime | None:
    """``value``, an aware datetime, in UTC."""
    if not isinstance(value, dt.datetime):
        problems.append(
            _("{name} is {value}; it must be a datetime with a timezone").format(
                name=name, value=repr(value)
            )
        )
    elif value.tzinfo is None or value.utcoffset() is None:
        problems.append(
            _(
                "{name} is {value} without a timezone; pass an aware datetime, "
                "e.g. datetime.now(timezone.utc)"
            ).format(name=name, value=value.isoformat())
        )
    else:
        return value.astimezone(dt.UTC)
    return None


#: what an amount must be, by the kind of amount (``cents_value``'s ``what``): whole sentences,
#: so each language makes its words agree
POSITIVE = {
    "a promised amount": N_("{name} is {value}; a promised amount must be more than 0"),
    "a disputed amount": N_("{name} is {value}; a disputed amount must be more than 0"),
    "an instalment": N_("{name} is {value}; an instalment must be more than 0"),
}


def cents_value(
    value, problems: list[str], name: str = "promise_cents", what: str = "a promised amount"
) -> int | None:
    """``value``, whole cents more than 0, as an int; None stays None. ``what`` names the
    amount in the message (one of :data:`POSITIVE`'s kinds)."""
    if value is None:
        return None
    if isinstance(value, (bool, np.bool_)) or not isinstance(value, (int, np.integer)):
        problems.append(
            _("{name} is {value}; it must be whole cents (an int), e.g. 12550 for 125.50").format(
                name=name, value=repr(value)
            )
        )
    elif not 0 < value < 2**63:
        problems.append(_(POSITIVE[what]).format(name=name, value=value))
    else:
        return int(value)
    return None
