"""The excuse playbook in use (SPEC §7): the prepared answer to an excuse, the facts to pin
down, the next step and the follow-up date. The playbook itself is data
(:mod:`arbook.core.procedure`)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd

from arbook.core.config import check_language
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.core.procedure import Playbook, resolve_playbook

PLAYBOOK_COLUMNS = ["code", "excuse", "answer", "pin_down", "next_step", "follow_up_days"]


def excuse(code: str, lang: str = "en", *, playbook: Playbook | None = None) -> dict:
    """The playbook entry ``code`` in ``lang``: ``code, excuse, answer, pin_down`` (list),
    ``next_step, follow_up_days``. Raises ParameterError for an unknown code or language."""
    item = resolve_playbook(playbook).get(code)
    text = getattr(item, check_language(lang))
    return {
        "code": item.code,
        "excuse": text.excuse,
        "answer": text.answer,
        "pin_down": list(text.pin_down),
        "next_step": text.next_step,
        "follow_up_days": item.follow_up_days,
    }


def follow_up(code: str, contacted_on, *, playbook: Playbook | None = None) -> date:
    """The follow-up date of excuse ``code`` heard on ``contacted_on`` (a date, datetime or ISO
    text): that day plus the excuse's ``follow_up_days``. Logging the excuse passes this as the
    contact's ``next_date``."""
    item = resolve_playbook(playbook).get(code)
    try:
        day = pd.Timestamp(contacted_on).date()
    except (ValueError, TypeError):
        raise ParameterError(
            _("contact date {value} is not a date; write YYYY-MM-DD").format(
                value=repr(contacted_on)
            )
        ) from None
    return day + timedelta(days=item.follow_up_days)


def playbook_frame(lang: str = "en", *, playbook: Playbook | None = None) -> pd.DataFrame:
    """Every excuse in ``lang``: ``code, excuse, answer, pin_down`` (joined with "; "),
    ``next_step, follow_up_days``, in playbook order."""
    book = resolve_playbook(playbook)
    rows = [excuse(e.code, lang, playbook=book) for e in book.excuses]
    frame = pd.DataFrame(rows, columns=PLAYBOOK_COLUMNS)
    frame["pin_down"] = frame["pin_down"].map("; ".join)
    return frame
