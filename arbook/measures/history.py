"""What a ledger without its history cannot tell (SPEC §3, last bullet): the one definition every
figure and every view asks.

A ledger read from an aging report (``Ledger.open_items_only``) knows what was open on one date,
not the paid invoices nor when anything was paid. Aging at that date, the totals, the worklist,
letters and holds by limit follow from the open items; figures computed from the history (DSO,
CEI, roll rates, turnover, the roll-rate allowance, payment behaviour and scores, anything at an
earlier date) would be made from a partial history and look plausible while being wrong (CEI 0%,
DSO of 313 days). Those are NaN / ``n/a`` with the reason :func:`needs_history` gives, and other
as-of dates are refused by :func:`check_as_of`.
"""

from __future__ import annotations

import pandas as pd

from arbook.core.dates import day_number, iso
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
from arbook.core.ledger import Ledger

#: The figures an open-items-only ledger cannot give, in words (the ``what`` of the reasons;
#: English, each shown as ``_(figure)``).
HISTORY_FIGURES = (
    N_("DSO (1-month, 3-month, count-back, best possible) and ADD"),
    "CEI",
    N_("credit sales"),
    N_("roll rates"),
    N_("AR turnover and days sales in receivables"),
    N_("the allowance by the roll-rate method"),
    N_("payment behaviour (days to pay, days beyond terms)"),
    N_("payment scores"),
    N_("figures at any other date (a month ago, a year ago)"),
)


def needs_history(ledger: Ledger, what: str = "") -> str | None:
    """None when ``ledger`` has the history figures are computed from; else why ``what`` (the
    figure, in words; blank: those of :data:`HISTORY_FIGURES`) is n/a, one sentence to show
    beside it:
    ``"DSO: n/a (the data holds the items open on 2026-06-30, not payments and their dates)"``.
    """
    text = na_text(ledger)
    if text is None:
        return None
    figure = what or _("The figures computed from the history")
    return f"{figure}: {text}"


def na_text(ledger: Ledger) -> str | None:
    """``"n/a (the data holds the items open on 2026-06-30, not ...)"``: how a figure that
    needs the history reads where a value would be; None when ``ledger`` has its history."""
    if not ledger.open_items_only:
        return None
    return _("n/a ({why})").format(why=ledger.history_note)


def open_date(ledger: Ledger) -> pd.Timestamp | None:
    """The one date an open-items-only ledger holds: the report's date, else (a report that
    does not say) the latest date in the data, before which figures are refused. None for a
    ledger with its history."""
    if not ledger.open_items_only:
        return None
    return ledger.report_date if ledger.report_date is not None else ledger.last_day


def dated(ledger: Ledger, as_of: object) -> bool:
    """Whether figures at ``as_of`` can be computed: always with a history; on open items
    only, at the report's date (when the report does not say its date: on or after the latest
    date in the data)."""
    when = open_date(ledger)
    if when is None:
        return True
    day, known = day_number(as_of), day_number(when)
    return day == known if ledger.report_date is not None else day >= known


def check_as_of(ledger: Ledger, as_of: object) -> None:
    """Raise a ParameterError when ``ledger`` cannot be aged at ``as_of``: an open-items-only
    ledger is what was open on its report's date. An earlier date would count as open what was
    paid before it and miss what was already settled; a later one would age the items without
    knowing what was paid since. Both are refused, naming the report's date and why."""
    if dated(ledger, as_of):
        return
    when = open_date(ledger)
    assert when is not None  # dated() is True for a ledger with its history
    shown, on, note = iso(as_of), f"{when:%Y-%m-%d}", ledger.history_note
    if ledger.report_date is None:
        said = _(
            "as of {as_of} is before {last}, the latest date in the data: {note}, so it cannot "
            "say what was open earlier; use an as-of date on or after {last}"
        )
        raise ParameterError(said.format(as_of=shown, last=on, note=note))
    if day_number(as_of) < day_number(when):
        said = _(
            "as of {as_of} is before the report's date {date}: {note}, so it cannot say what was "
            "open on {as_of} (what was paid before {date} is not in it); use the as-of date "
            "{date}"
        )
    else:
        said = _(
            "as of {as_of} is after the report's date {date}: {note}, so it cannot say what was "
            "paid after {date}; use the as-of date {date} or read a newer report"
        )
    raise ParameterError(said.format(as_of=shown, date=on, note=note))
