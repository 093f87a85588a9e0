"""Dates as arbook counts them: a day is a whole number of days since 1970-01-01, months are
calendar months, and nothing here reads the clock (the as-of date is always passed in).

Text must be ISO: ``03/04/2026`` could be read two ways and is refused, never guessed.
"""

from __future__ import annotations

import re
from datetime import date
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt
import pandas as pd
from babel.dates import format_date as babel_date

from arbook.core.errors import ParameterError
from arbook.core.i18n import _, language, ngettext, number_marks

if TYPE_CHECKING:
    from pandas.api.typing import NaTType

EPOCH = np.datetime64("1970-01-01", "D")
_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")


def _stamp(value: object) -> pd.Timestamp | NaTType:
    """``value`` read as a point in time, or NaT: ISO text, a date, datetime, Timestamp or
    numpy datetime64. Numbers are refused (pandas would read 20757.0 as nanoseconds), and so is
    text in any other layout (``03/04/2026`` could be read two ways)."""
    if isinstance(value, str):
        if not _ISO.fullmatch(value.strip()):
            return pd.NaT
        value = value.strip()
    elif not isinstance(value, (date, np.datetime64)):  # datetime and Timestamp are dates too
        return pd.NaT
    try:
        return pd.Timestamp(value)
    except (ValueError, TypeError, OverflowError):
        return pd.NaT


def day_number(value: object) -> int:
    """A date (``str`` YYYY-MM-DD, date, Timestamp, or already a whole day number) as days since
    1970-01-01; a ParameterError saying how to write it otherwise."""
    if isinstance(value, (int, np.integer)) and not isinstance(value, bool):
        return int(value)
    stamp = _stamp(value)
    if pd.isna(stamp):
        said = _("as-of date {value} is not a date; write it as YYYY-MM-DD")
        raise ParameterError(said.format(value=repr(value)))
    return int((np.datetime64(stamp.date(), "D") - EPOCH).astype(np.int64))


def day_stamp(value: object) -> pd.Timestamp:
    """The date ``value`` (anything :func:`day_number` reads) as a midnight Timestamp."""
    return pd.Timestamp(EPOCH + np.timedelta64(day_number(value), "D"))


def iso(value: object) -> str:
    """The date ``value`` as ``YYYY-MM-DD`` text."""
    return str(EPOCH + np.timedelta64(day_number(value), "D"))


def days_of(values: pd.Series) -> npt.NDArray[np.int64]:
    """A column of dates as day numbers (int64)."""
    return (values.to_numpy().astype("datetime64[D]") - EPOCH).astype(np.int64)


def parse_month(text: object) -> pd.Period:
    """``"2026-10"`` (or a Period, date or Timestamp) -> Period; a ParameterError that says how
    to write it otherwise."""
    if isinstance(text, pd.Period):
        return text.asfreq("M")
    try:
        if isinstance(text, str):
            if len(text.strip()) != 7:
                raise ValueError(text)
            return pd.Period(text.strip(), freq="M")
        if isinstance(text, (date, np.datetime64)) and not pd.isna(text):
            return pd.Period(pd.Timestamp(text), freq="M")
        raise TypeError(text)  # None, numbers (a period count to pandas), anything else
    except (ValueError, TypeError):
        said = _("month {value} is not a month; write it as YYYY-MM, e.g. {example}")
        raise ParameterError(said.format(value=repr(text), example="2026-10")) from None


def month_end_day(period: pd.Period) -> int:
    """The day number of the last day of ``period``."""
    return day_number(period.end_time.date())


def month_end(value: object) -> pd.Timestamp:
    """``value`` as a month-end Timestamp; a ParameterError naming the month end to write when
    it is not one (a review, its KPIs and the dashboard are as of month ends, SPEC §3)."""
    day = _stamp(value)
    if pd.isna(day) or day != day.normalize():
        said = _("as-of date {value} is not a date; write it as YYYY-MM-DD, e.g. {example}")
        raise ParameterError(said.format(value=repr(value), example="2026-10-31"))
    if not day.is_month_end:
        said = _("as-of date {day} is not a month end; a review is as of a month end, e.g. {end}")
        end = (day + pd.offsets.MonthEnd(0)).date()
        raise ParameterError(said.format(day=day.date(), end=end))
    return day


def months_before(value: object, months: int) -> pd.Timestamp:
    """The date ``value`` moved back ``months`` calendar months (the day clamped to the month)."""
    return day_stamp(value) - pd.DateOffset(months=months)


def previous_month_end(value: object) -> pd.Timestamp:
    """The last day of the month before ``value``'s month."""
    return (day_stamp(value).to_period("M") - 1).end_time.normalize()


def as_date(value: object) -> date:
    """The date ``value`` as a ``datetime.date``."""
    return day_stamp(value).date()


def days_text(count: int, *, sign: bool = False) -> str:
    """``count`` days for people: "1 day", "30 days"; with ``sign``, "+1 day", "-5 days" (in
    the language spoken: "5 días", "5 дней", "21 день")."""
    number = format_count(count, sign=sign)
    return ngettext("{number} day", "{number} days", abs(count)).format(number=number)


def format_count(count: int, *, sign: bool = False, lang: str | None = None) -> str:
    """A whole number for people with the language's thousands separator (``12,345``,
    ``12.345``, ``12 345``)."""
    text = f"{count:+,d}" if sign else f"{count:,d}"
    lang = lang or language()
    if lang == "en":
        return text
    return text.replace(",", number_marks(lang)[0])


def date_text(value: object, *, lang: str | None = None) -> str:
    """A day for people: ISO in English (``2026-10-31``: arbook's international English, never
    ambiguous), the locale's medium form in Spanish and Russian (``31 oct 2026``,
    ``31 окт. 2026 г.``); "" for a missing date."""
    stamp = _stamp(value)
    if not isinstance(stamp, pd.Timestamp):
        return ""
    lang = lang or language()
    if lang == "en":
        return stamp.strftime("%Y-%m-%d")
    return babel_date(stamp.date(), format="medium", locale=lang)
