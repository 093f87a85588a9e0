"""The collection ladder and the excuse playbook (SPEC §7), read from TOML into frozen models.

The shipped defaults are ``arbook/defaults/ladder.toml`` and ``arbook/defaults/playbook.toml``.
A ladder or playbook file replaces the shipped one whole (a ladder is read top to bottom, so
half of one merged into another would not make sense). Unknown keys and bad values are all
reported at once as ``file: key.path: message``.

Call scripts may name ``{contact}``, ``{name}``, ``{amount}`` (overdue, for people) and
``{days}`` (days the oldest item is overdue); :func:`fill_script` fills them in.
"""

from __future__ import annotations

import string
from datetime import date, timedelta
from pathlib import Path
from typing import Annotated

import pandas as pd
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from arbook.core.config import read_toml
from arbook.core.errors import ParameterError, PolicyError

LANGS = ("en", "es", "ru")
PLACEHOLDERS = frozenset({"contact", "name", "amount", "days"})
Text = Annotated[str, Field(min_length=1)]


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class Script(_Frozen):
    """One text in each language; only the known ``{placeholders}`` may appear."""

    en: Text
    es: Text
    ru: Text

    @field_validator("en", "es", "ru")
    @classmethod
    def _placeholders(cls, value: str) -> str:
        try:
            names = {field for _, field, _, _ in string.Formatter().parse(value) if field}
        except ValueError as exc:
            raise ValueError(f"bad braces ({exc}); write {{{{ and }}}} for literal braces")
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; use {sorted(PLACEHOLDERS)}"
            )
        return value


class Step(_Frozen):
    """A rung of the ladder: reached when the oldest undisputed item is ``days`` overdue
    (negative = before the due date)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    days: int = Field(ge=-365, le=3650)
    action: Text
    template: str = ""  # letter template for statements; "" when the step is a call or visit
    script: Script
    owner: Text
    ends_when: Text
    late_charges: bool = False
    credit_hold: bool = False


class Ladder(_Frozen):
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _ordered(cls, steps):
        keys = [s.key for s in steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"step keys must be unique, got {keys}")
        days = [s.days for s in steps]
        if any(b <= a for a, b in zip(days, days[1:])):
            raise ValueError(f"step days must be strictly increasing, got {days}")
        return steps


class ExcuseText(_Frozen):
    excuse: Text
    answer: Text
    pin_down: tuple[Text, ...] = Field(min_length=1)
    next_step: Text


class Excuse(_Frozen):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    follow_up_days: int = Field(ge=0, le=365)
    en: ExcuseText
    es: ExcuseText
    ru: ExcuseText


class Playbook(_Frozen):
    excuses: tuple[Excuse, ...] = Field(min_length=1)

    @field_validator("excuses")
    @classmethod
    def _unique(cls, excuses):
        codes = [e.code for e in excuses]
        if len(set(codes)) != len(codes):
            raise ValueError(f"excuse codes must be unique, got {codes}")
        return excuses

    def get(self, code: str) -> Excuse:
        for item in self.excuses:
            if item.code == code:
                return item
        raise ParameterError(
            f"no excuse {code!r} in the playbook; known: {', '.join(e.code for e in self.excuses)}"
        )


def _validate(model, name: str, path):
    data, source = read_toml(name, path)
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        errors, lines = exc.errors(), []
        locs = [err["loc"] for err in errors]
        for err in errors:
            if any(len(o) > len(err["loc"]) and o[: len(err["loc"])] == err["loc"] for o in locs):
                continue  # a knock-on of a deeper error ("at least 1 item after validation")
            where = ".".join(str(p) for p in err["loc"]) or "(top)"
            msg = err["msg"].removeprefix("Value error, ")
            if err["type"] == "extra_forbidden":
                msg = f"unknown key; check its spelling against arbook/defaults/{name}.toml"
            lines.append(f"{source}: {where}: {msg}")
        raise PolicyError("\n".join(lines)) from None


def load_ladder(path: str | Path | None = None) -> Ladder:
    """The ladder of ``path``, or the shipped one. Raises :class:`PolicyError` listing every
    bad key as ``file: key.path: message``."""
    return _validate(Ladder, "ladder", path)


def load_playbook(path: str | Path | None = None) -> Playbook:
    """The excuse playbook of ``path``, or the shipped one (errors as :func:`load_ladder`)."""
    return _validate(Playbook, "playbook", path)


def resolve_ladder(ladder) -> Ladder:
    return ladder if isinstance(ladder, Ladder) else load_ladder(ladder)


def resolve_playbook(playbook) -> Playbook:
    return playbook if isinstance(playbook, Playbook) else load_playbook(playbook)


def check_lang(lang: str) -> str:
    if lang not in LANGS:
        raise ParameterError(f"language {lang!r}; use one of {', '.join(LANGS)}")
    return lang


def ladder_step(days_overdue, ladder: Ladder | None = None) -> Step | None:
    """The highest step whose ``days`` ≤ ``days_overdue``; None before the first step."""
    reached = None
    for step in resolve_ladder(ladder).steps:
        if step.days <= days_overdue:
            reached = step
    return reached


def next_step(step: Step | None, ladder: Ladder | None = None) -> Step | None:
    """The step after ``step`` (the first one when ``step`` is None); None after the last."""
    steps = resolve_ladder(ladder).steps
    if step is None:
        return steps[0]
    later = [s for s in steps if s.days > step.days]
    return later[0] if later else None


def fill_script(text: str, **values) -> str:
    """``text`` with its placeholders filled; values are data, never parsed as a template."""
    return text.format_map({name: values.get(name, "") for name in PLACEHOLDERS})


def excuse(code: str, lang: str = "en", *, playbook: Playbook | None = None) -> dict:
    """The playbook entry ``code`` in ``lang``: ``code, excuse, answer, pin_down`` (list),
    ``next_step, follow_up_days``. Raises ParameterError for an unknown code or language."""
    item = resolve_playbook(playbook).get(code)
    text = getattr(item, check_lang(lang))
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
        raise ParameterError(f"contact date {contacted_on!r} is not a date; write YYYY-MM-DD")
    return day + timedelta(days=item.follow_up_days)


def playbook_frame(lang: str = "en", *, playbook: Playbook | None = None) -> pd.DataFrame:
    """Every excuse in ``lang``: ``code, excuse, answer, pin_down`` (joined with "; "),
    ``next_step, follow_up_days``, in playbook order."""
    book = resolve_playbook(playbook)
    rows = [excuse(e.code, lang, playbook=book) for e in book.excuses]
    frame = pd.DataFrame(
        rows, columns=["code", "excuse", "answer", "pin_down", "next_step", "follow_up_days"]
    )
    frame["pin_down"] = frame["pin_down"].map("; ".join)
    return frame
