"""The collection procedure as data (SPEC §7): the escalation ladder and the excuse playbook,
read from TOML into frozen models. What the procedure *does* (where a customer stands, the
worklist, scripts filled in) is in :mod:`arbook.collections`; the models live here, with the
policy, because credit holds read the ladder too: the step that tells a customer their account
is on hold is the step from which :func:`arbook.credit.holds.credit_holds` holds it.

The shipped defaults are ``arbook/defaults/ladder.toml`` and ``arbook/defaults/playbook.toml``.
A client's own ladder is ``ladder.toml`` in the client's data folder (the walkthrough saves it
there), used whenever no other ladder is given; a ladder or playbook file replaces the shipped
one whole (a ladder is read top to bottom, so half of one merged into another would make no
sense). Unknown keys and bad values are all reported at once as ``file:line: key: message``
(``ladder.toml:35: step 2 "reminder", script.en: unknown placeholder {amout}...``). A script
names placeholders only, bare: no format, no conversion, checked when the file is read, so a
worklist never meets one it cannot fill.
"""

from __future__ import annotations

import itertools
import re
import string
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Annotated

from pydantic import AfterValidator, Field, field_validator

from arbook.core.errors import ParameterError
from arbook.core.i18n import LANGUAGES, _, language
from arbook.core.rules import (
    AnyText,
    Flag,
    Frozen,
    KeyName,
    Problems,
    Text,
    closest,
    problems,
    validate_rules,
    whole,
)
from arbook.core.rules_file import read_rules, rules_file, shown

#: What a call script or letter may name; :func:`arbook.collections.ladder.fill_script` fills
#: in the contact, the customer's name, the overdue amount and the oldest item's days overdue.
PLACEHOLDERS = frozenset({"contact", "name", "amount", "days"})
_PLACEHOLDER_ORDER = ("contact", "name", "amount", "days")
LADDER_FILE, PLAYBOOK_FILE = "ladder.toml", "playbook.toml"
#: The days a step may sit at: a year before the due date to ten years after it.
STEP_DAYS = (-365, 3650)


def script_fields(text: str) -> list[str]:
    """The placeholders ``text`` names, in order. Raises ValueError for anything else in
    braces, said for the person writing it: a format (``{amount:>9}``), a conversion
    (``{name!r}``), an attribute or index (``{amount.real}``), an unknown name, a lone brace."""
    try:
        parts = list(string.Formatter().parse(text))
    except ValueError as exc:  # Python's English, said in arbook's words in other languages
        error = str(exc) if language() == "en" else _("a brace opens or closes alone")
        said = _("bad braces ({error}); write {open} and {close} for a literal brace")
        raise ValueError(said.format(error=error, open="{{", close="}}")) from None
    names, bad = [], []
    for _literal, name, spec, conversion in parts:
        if name is None:
            continue
        field = shown(
            "{"
            + name
            + (f"!{conversion}" if conversion else "")
            + (f":{spec}" if spec else "")
            + "}"
        ).strip('"')
        base = "{" + re.split(r"[.\[]", name)[0] + "}"
        if conversion:
            said = _("{field} has a conversion ({conversion}); write {bare} bare")
            bad.append(said.format(field=field, conversion=f"!{conversion}", bare=base))
        elif spec:
            said = _("{field} has a format ({format}); write {bare} bare")
            written = ":" + shown(spec, 20).strip(chr(34))
            bad.append(said.format(field=field, format=written, bare=base))
        elif name not in PLACEHOLDERS and base[1:-1] in PLACEHOLDERS:
            bad.append(
                _("{field} is not a placeholder; write {bare}").format(field=field, bare=base)
            )
        elif name not in PLACEHOLDERS:
            near = closest(name, list(_PLACEHOLDER_ORDER)) if name else None
            said = (
                _("unknown placeholder {field}; did you mean {near}?")
                if near
                else _("unknown placeholder {field}")
            )
            bad.append(said.format(field=field, near="{" + str(near) + "}"))
        else:
            names.append(name)
    if bad:
        known = ", ".join("{" + p + "}" for p in _PLACEHOLDER_ORDER)
        said = _(
            "{problems}. The placeholders are {known}; write {open} and {close} for a literal brace"
        )
        raise ValueError(said.format(problems="; ".join(bad), known=known, open="{{", close="}}"))
    return names


def _script(text: str) -> str:
    script_fields(text)
    return text


@lru_cache(maxsize=1)
def ladder_templates() -> tuple[str, ...]:
    """The templates a step may name: ``statement``, then the letters in ``arbook/templates``,
    each one template for every language (``reminder.html.j2``) or one per language
    (``reminder.en.html.j2``...) in every language."""
    names = {
        entry.name.removesuffix(".html.j2")
        for entry in resources.files("arbook").joinpath("templates").iterdir()
        if entry.name.endswith(".html.j2") and not entry.name.startswith("_")
    }
    single = {n for n in names if "." not in n}
    letters = {n.split(".")[0] for n in names if "." in n}
    every = {n for n in letters if all(f"{n}.{lang}" in names for lang in LANGUAGES)}
    return tuple(sorted(single | every, key=lambda n: (n != "statement", n)))


def _template(name: str) -> str:
    known = ladder_templates()
    if name == "" or name in known:
        return name
    near = closest(name, list(known))
    listed = ", ".join(f'"{t}"' for t in known)
    said = (
        _(
            '{value} is no template; did you mean "{near}"? write one of {templates}, or {blank} '
            "for a call or visit (arbook/templates holds the letters)"
        )
        if near
        else _(
            "{value} is no template; write one of {templates}, or {blank} for a call or visit "
            "(arbook/templates holds the letters)"
        )
    )
    raise ValueError(said.format(value=shown(name), near=near, templates=listed, blank='""'))


#: A script's text: not blank, and naming only the known placeholders.
ScriptText = Annotated[Text, AfterValidator(_script)]


class Script(Frozen):
    """One text in each language; only the known ``{placeholders}`` may appear, bare."""

    en: ScriptText
    es: ScriptText
    ru: ScriptText


class Step(Frozen):
    """A rung of the ladder: reached when the oldest undisputed item is ``days`` overdue
    (negative = before the due date). ``credit_hold`` marks the steps at which the customer is
    on credit hold (the first of them is where the hold starts)."""

    key: KeyName
    days: Annotated[int, whole(*STEP_DAYS)]
    action: Text
    # a letter template (statement, reminder...); "" when the step is a call or visit
    template: Annotated[AnyText, AfterValidator(_template)]
    script: Script
    owner: Text
    ends_when: Text
    late_charges: Flag
    credit_hold: Flag


def _ladder_problems(steps: tuple[Step, ...]) -> Problems:
    found: Problems = []
    first: dict[str, int] = {}
    for k, step in enumerate(steps):
        if step.key in first:
            said = _("{key} is the key of step {number} too; each step needs its own key")
            found.append(((k, "key"), said.format(key=shown(step.key), number=first[step.key] + 1)))
        first.setdefault(step.key, k)
    for k, (prev, cur) in enumerate(itertools.pairwise(steps), 1):
        if cur.days <= prev.days:
            said = _(
                "{days} is not after step {number}'s {before}; list the steps in order of days, "
                "each later than the one before"
            )
            found.append(((k, "days"), said.format(days=cur.days, number=k, before=prev.days)))
    hold = next((k for k, s in enumerate(steps) if s.credit_hold), None)
    for k, step in enumerate(steps):
        if hold is not None and k > hold and not step.credit_hold:
            said = _(
                "false, but step {number} {key} puts the customer on credit hold, so every later "
                "step must keep the hold ({setting}): a hold is lifted by payment, not by "
                "escalating"
            )
            found.append(
                (
                    (k, "credit_hold"),
                    said.format(
                        number=hold + 1, key=shown(steps[hold].key), setting="credit_hold = true"
                    ),
                )
            )
    return found


class Ladder(Frozen):
    steps: tuple[Step, ...] = Field(min_length=1)

    @field_validator("steps")
    @classmethod
    def _ordered(cls, steps: tuple[Step, ...]) -> tuple[Step, ...]:
        problems(_ladder_problems(steps))
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
    code: KeyName
    follow_up_days: Annotated[int, whole(0, 365)]
    en: ExcuseText
    es: ExcuseText
    ru: ExcuseText


class Playbook(Frozen):
    excuses: tuple[Excuse, ...] = Field(min_length=1)

    @field_validator("excuses")
    @classmethod
    def _unique(cls, excuses: tuple[Excuse, ...]) -> tuple[Excuse, ...]:
        first: dict[str, int] = {}
        found: Problems = []
        for k, item in enumerate(excuses):
            if item.code in first:
                said = _(
                    "{code} is the code of excuse {number} too; each excuse needs its own code"
                )
                found.append(
                    ((k, "code"), said.format(code=shown(item.code), number=first[item.code] + 1))
                )
            first.setdefault(item.code, k)
        problems(found)
        return excuses

    def get(self, code: str) -> Excuse:
        for item in self.excuses:
            if item.code == code:
                return item
        known = ", ".join(e.code for e in self.excuses)
        said = _("no excuse {code} in the playbook; known: {known}")
        raise ParameterError(said.format(code=repr(code), known=known))


def load_ladder(path: str | Path | None = None) -> Ladder:
    """The ladder of ``path``, or the shipped one. Raises :class:`PolicyError` listing every
    bad key as ``file:line: key: message``."""
    return validate_rules(Ladder, read_rules("ladder", path), "ladder")


def ladder_text(text: str, source: str) -> Ladder:
    """``text`` (ladder TOML) as a ladder, its errors said as those of the file ``source``
    (a ladder about to be saved there)."""
    return validate_rules(Ladder, rules_file(text, source), "ladder")


def load_playbook(path: str | Path | None = None) -> Playbook:
    """The excuse playbook of ``path``, or the shipped one (errors as :func:`load_ladder`)."""
    return validate_rules(Playbook, read_rules("playbook", path), "playbook")


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
