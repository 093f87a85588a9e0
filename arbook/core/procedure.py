"""The collection procedure as data (SPEC §7): the escalation ladder and the excuse playbook,
read from TOML into frozen models. What the procedure *does* (where a customer stands, the
worklist, scripts filled in) is in :mod:`arbook.collections`; the models live here, with the
policy, because credit holds read the ladder too: the step that tells a customer their account
is on hold is the step from which :func:`arbook.credit.holds.credit_holds` holds it.

The shipped defaults are ``arbook/defaults/ladder.toml`` and ``arbook/defaults/playbook.toml``.
A client's own ladder is ``ladder.toml`` in the client's data folder (the walkthrough saves it
there), used whenever no other ladder is given; a ladder or playbook file replaces the shipped
one whole (a ladder is read top to bottom, so half of one merged into another would make no
sense). Unknown keys and bad values are all reported at once as ``file: key.path: message``.
"""

from __future__ import annotations

import itertools
import string
from pathlib import Path
from typing import Annotated

from pydantic import Field, field_validator

from arbook.core.config import Frozen, read_toml, validate_rules
from arbook.core.errors import ParameterError

#: What a call script or letter may name; :func:`arbook.collections.ladder.fill_script` fills
#: in the contact, the customer's name, the overdue amount and the oldest item's days overdue.
PLACEHOLDERS = frozenset({"contact", "name", "amount", "days"})
LADDER_FILE, PLAYBOOK_FILE = "ladder.toml", "playbook.toml"
Text = Annotated[str, Field(min_length=1)]


class Script(Frozen):
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
            raise ValueError(
                f"bad braces ({exc}); write {{{{ and }}}} for literal braces"
            ) from None
        unknown = names - PLACEHOLDERS
        if unknown:
            raise ValueError(
                f"unknown placeholder(s) {sorted(unknown)}; use {sorted(PLACEHOLDERS)}"
            )
        return value


class Step(Frozen):
    """A rung of the ladder: reached when the oldest undisputed item is ``days`` overdue
    (negative = before the due date). ``credit_hold`` marks the steps at which the customer is
    on credit hold (the first of them is where the hold starts)."""

    key: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    days: int = Field(ge=-365, le=3650)
    action: Text
    template: str  # letter template for statements; "" when the step is a call or visit
    script: Script
    owner: Text
    ends_when: Text
    late_charges: bool
    credit_hold: bool


class Ladder(Frozen):
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _ordered(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        keys = [s.key for s in steps]
        if len(set(keys)) != len(keys):
            raise ValueError(f"step keys must be unique, got {keys}")
        days = [s.days for s in steps]
        if any(b <= a for a, b in itertools.pairwise(days)):
            raise ValueError(f"step days must be strictly increasing, got {days}")
        held = [s.credit_hold for s in steps]
        if any(a and not b for a, b in itertools.pairwise(held)):
            first = next(s for s in steps if s.credit_hold)
            raise ValueError(
                f"step {first.key!r} puts the customer on credit hold, so every later step must "
                "keep the hold (credit_hold = true): a hold is lifted by payment, not by "
                "escalating"
            )
        return steps

    @property
    def hold_step(self) -> Step | None:
        """The first step with ``credit_hold``: from its days overdue a customer is on hold."""
        return next((s for s in self.steps if s.credit_hold), None)


class ExcuseText(Frozen):
    excuse: Text
    answer: Text
    pin_down: tuple[Text, ...] = Field(min_length=1)
    next_step: Text


class Excuse(Frozen):
    code: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]*$")]
    follow_up_days: int = Field(ge=0, le=365)
    en: ExcuseText
    es: ExcuseText
    ru: ExcuseText


class Playbook(Frozen):
    excuses: tuple[Excuse, ...] = Field(min_length=1)

    @field_validator("excuses")
    @classmethod
    def _unique(cls, excuses: tuple[Excuse, ...]) -> tuple[Excuse, ...]:
        codes = [e.code for e in excuses]
        if len(set(codes)) != len(codes):
            raise ValueError(f"excuse codes must be unique, got {codes}")
        return excuses

    def get(self, code: str) -> Excuse:
        for item in self.excuses:
            if item.code == code:
                return item
        known = ", ".join(e.code for e in self.excuses)
        raise ParameterError(f"no excuse {code!r} in the playbook; known: {known}")


def load_ladder(path: str | Path | None = None) -> Ladder:
    """The ladder of ``path``, or the shipped one. Raises :class:`PolicyError` listing every
    bad key as ``file: key.path: message``."""
    data, source = read_toml("ladder", path)
    return validate_rules(Ladder, data, source, "ladder")


def load_playbook(path: str | Path | None = None) -> Playbook:
    """The excuse playbook of ``path``, or the shipped one (errors as :func:`load_ladder`)."""
    data, source = read_toml("playbook", path)
    return validate_rules(Playbook, data, source, "playbook")


def client_file(folder: Path | None, name: str) -> Path | None:
    """``name`` (``ladder.toml``...) in a client's data folder (a ledger's ``folder``), when it
    is there: a client's own rules sit beside its invoices."""
    found = folder / name if folder is not None else None
    return found if found is not None and found.is_file() else None


def resolve_ladder(
    ladder: Ladder | str | Path | None = None, *, folder: Path | None = None
) -> Ladder:
    """The ladder to follow: ``ladder`` when given (a Ladder or a TOML path); else the client's
    ``ladder.toml`` in its data ``folder`` (a ledger's ``folder``) when it has one; else the
    shipped ladder."""
    if isinstance(ladder, Ladder):
        return ladder
    if ladder in (None, ""):
        ladder = client_file(folder, LADDER_FILE)
    return load_ladder(ladder)


def resolve_playbook(
    playbook: Playbook | str | Path | None = None, *, folder: Path | None = None
) -> Playbook:
    """The playbook, found as :func:`resolve_ladder` finds the ladder (``playbook.toml``)."""
    if isinstance(playbook, Playbook):
        return playbook
    if playbook in (None, ""):
        playbook = client_file(folder, PLAYBOOK_FILE)
    return load_playbook(playbook)
