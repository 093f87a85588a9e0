"""Where a customer stands on the collection ladder (SPEC §7), and the call script for it.

The ladder itself is data (:mod:`arbook.core.procedure`: its models and loaders are re-exported
here). A customer sits on the highest step whose ``days`` ≤ the days its oldest undisputed item
is past due; the next action date follows from the next step's days. Call scripts may name
``{contact}``, ``{name}``, ``{amount}`` (overdue, for people) and ``{days}`` (days the oldest
item is overdue); :func:`fill_script` fills them in.

A step's label is its key in words ("second call"), and its action the ladder's text; the shipped
ladder's keys and actions have their translations in the message catalogue (:data:`STEP_LABELS`,
:data:`SHIPPED_ACTIONS`), so a screen shows them in the user's language; a client's own key or
action is shown as the client wrote it. Scripts are the ladder's own, one per language.
"""

from __future__ import annotations

import re
import string

import pandas as pd

from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _
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
    "step_action",
    "step_text",
]

#: The shipped ladder's steps as a person reads them (arbook/defaults/ladder.toml's keys), for
#: the catalogue: a label is translated where it is shown, in the user's language.
STEP_LABELS = {
    "pre_due": N_("pre due"),
    "reminder": N_("reminder"),
    "first_call": N_("first call"),
    "second_call": N_("second call"),
    "final_notice": N_("final notice"),
    "visit": N_("visit"),
    "agency": N_("agency"),
}
#: The shipped ladder's actions (its ``action`` texts), for the catalogue; a test keeps this in
#: step with arbook/defaults/ladder.toml.
SHIPPED_ACTIONS = (
    N_("friendly reminder e-mail with statement"),
    N_("reminder e-mail with statement"),
    N_("phone call"),
    N_("second call and written notice; late charges start"),
    N_("final notice and credit hold"),
    N_("personal visit or manager call"),
    N_("collection agency or legal letter"),
)
_NUMBERED = re.compile(r"(.+)_(\d+)")


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
    """A ladder step's key as a person reads it, in the language spoken (``second_call`` ->
    "second call", "segunda llamada"; "" for none): the one label of a step on every screen,
    digest and message. A shipped key numbered by the walkthrough (``first_call_2``, an edited
    step) is its label and number; any other key is shown in words, as written."""
    if key is None:
        return ""
    code = str(key)
    if code in STEP_LABELS:
        return _(STEP_LABELS[code])
    numbered = _NUMBERED.fullmatch(code)
    if numbered and numbered[1] in STEP_LABELS:
        return f"{_(STEP_LABELS[numbered[1]])} {numbered[2]}"
    return code.replace("_", " ")


def step_action(step: Step | None) -> str:
    """What is done at ``step``, in the language spoken when it is the shipped ladder's text
    (a client's own text as written); "" for none."""
    return _(step.action) if step is not None and step.action else ""


def fill_script(text: str, **values) -> str:
    """``text`` with its placeholders filled (a missing value as blank); values are data, never
    parsed as a template, and nothing but a bare placeholder is ever filled in: a text with a
    format (``{amount:>9}``) or a conversion raises ParameterError (ladder files are checked
    when read, so only a text made in code can)."""
    try:
        script_fields(text)
    except ValueError as exc:
        raise ParameterError(
            _("script {script}: {problem}").format(script=shown(text), problem=exc)
        ) from None
    pieces = []
    for literal, name, _spec, _conversion in string.Formatter().parse(text):
        pieces.append(literal)
        if name is not None:
            pieces.append(str(values.get(name, "")))
    return "".join(pieces)
