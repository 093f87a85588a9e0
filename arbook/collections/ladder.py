"""Where a customer stands on the collection ladder (SPEC §7), and the call script for it.

The ladder itself is data (:mod:`arbook.core.procedure`: its models and loaders are re-exported
here). A customer sits on the highest step whose ``days`` ≤ the days its oldest undisputed item
is past due; the next action date follows from the next step's days. Call scripts may name
``{contact}``, ``{name}``, ``{amount}`` (overdue, for people) and ``{days}`` (days the oldest
item is overdue); :func:`fill_script` fills them in.
"""

from __future__ import annotations

import string

import pandas as pd

from arbook.core.errors import ParameterError
from arbook.core.procedure import (
    PLACEHOLDERS,
    Ladder,
    Playbook,
    Script,
    Step,
    load_ladder,
    load_playbook,
    resolve_ladder,
    resolve_playbook,
    script_fields,
)
from arbook.core.rules_file import shown

__all__ = [
    "PLACEHOLDERS",
    "Ladder",
    "Playbook",
    "Script",
    "Step",
    "fill_script",
    "ladder_step",
    "load_ladder",
    "load_playbook",
    "next_step",
    "resolve_ladder",
    "resolve_playbook",
]


def ladder_step(days_overdue, ladder: Ladder | None = None) -> Step | None:
    """The highest step whose ``days`` ≤ ``days_overdue``; None before the first step (or when
    ``days_overdue`` is missing: nothing to place)."""
    if days_overdue is None or pd.isna(days_overdue):
        return None
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


def step_text(key: object) -> str:
    """A ladder step's key as a person reads it (``second_call`` -> "second call"; "" for
    none): the one label of a step on every screen, digest and message."""
    return "" if key is None else str(key).replace("_", " ")


def fill_script(text: str, **values) -> str:
    """``text`` with its placeholders filled (a missing value as blank); values are data, never
    parsed as a template, and nothing but a bare placeholder is ever filled in: a text with a
    format (``{amount:>9}``) or a conversion raises ParameterError (ladder files are checked
    when read, so only a text made in code can)."""
    try:
        script_fields(text)
    except ValueError as exc:
        raise ParameterError(f"script {shown(text)}: {exc}") from None
    pieces = []
    for literal, name, _, _ in string.Formatter().parse(text):
        pieces.append(literal)
        if name is not None:
            pieces.append(str(values.get(name, "")))
    return "".join(pieces)
