"""A client's own ladder as a file: the first steps agreed with the client (the walkthrough's
"three steps for every new debtor"), then the shipped ladder's later steps, written as ladder
TOML and saved atomically, only once it loads back as a ladder.

:func:`three_step_ladder` (pure) turns chosen steps into ladder TOML: the chosen ones first, in
order of days, then the base ladder's later steps (those after the last chosen). A step taken
unchanged from the ladder keeps everything of it; an edited step (other days, action or owner)
takes its script, template, ``ends_when`` and flags from the ladder step nearest its days.
Saved as ``ladder.toml`` in the client's data folder, it is the ladder arbook follows for that
client (:func:`arbook.core.procedure.resolve_ladder`).
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping, Sequence
from pathlib import Path

from arbook.core.errors import ParameterError
from arbook.core.files import write_atomic
from arbook.core.i18n import _
from arbook.core.procedure import (
    STEP_DAYS,
    Ladder,
    Step,
    ladder_text,
    load_ladder,
    resolve_ladder,
)


def _toml(value) -> str:
    """A TOML value: JSON's string escapes are valid TOML basic-string escapes."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    return json.dumps(str(value), ensure_ascii=False)


def _step_toml(step: Step) -> str:
    lines = ["[[steps]]"]
    for name in ("key", "days", "action", "template", "owner", "ends_when"):
        lines.append(f"{name} = {_toml(getattr(step, name))}")
    for flag in ("late_charges", "credit_hold"):
        lines.append(f"{flag} = {_toml(getattr(step, flag))}")
    lines.append("[steps.script]")
    lines += [f"{lang} = {_toml(text)}" for lang, text in step.script.model_dump().items()]
    return "\n".join(lines)


def nearest_step(days: int, ladder: Ladder) -> Step:
    """The ladder step whose days are nearest ``days`` (the earlier one on a tie)."""
    return min(ladder.steps, key=lambda s: (abs(s.days - days), s.days))


def _read_row(n: int, row) -> tuple[str, int, str, str]:
    """Row ``n``'s (from-key, days, action, owner), or a ParameterError naming the row."""
    if isinstance(row, Step):
        row = row.model_dump()
    if not isinstance(row, Mapping):
        raise ParameterError(
            _("step {number}: give key, days, action and owner, not {value}").format(
                number=n, value=repr(row)
            )
        )
    days = row.get("days")
    if isinstance(days, str) and days.strip().lstrip("+-").isdigit():
        days = int(days.strip())
    low, high = STEP_DAYS
    if isinstance(days, bool) or not isinstance(days, int) or not low <= days <= high:
        raise ParameterError(
            _(
                "step {number}: days is {value}; write a whole number of days from "
                "the due date, {low} to {high} (negative = before it)"
            ).format(number=n, value=repr(days), low=low, high=high)
        )
    action, owner = (str(row.get(k) or "").strip() for k in ("action", "owner"))
    empty = {
        "action": _("step {number}: the action is empty; say what is done and by whom"),
        "owner": _("step {number}: the owner is empty; say what is done and by whom"),
    }
    for name, value in (("action", action), ("owner", owner)):
        if not value:
            raise ParameterError(empty[name].format(number=n))
    return str(row.get("key") or "").strip(), days, action, owner


def _chosen(rows: Sequence, ladder: Ladder) -> list[Step]:
    """The rows as ladder steps: unchanged ladder steps as they are, edited ones on the script
    of the nearest step, each key unique (an edited step's key gets its row number)."""
    known = {s.key: s for s in ladder.steps}
    read = [_read_row(n, row) for n, row in enumerate(rows, 1)]
    for n, (prev, cur) in enumerate(itertools.pairwise(read), 2):
        if cur[1] <= prev[1]:
            raise ParameterError(
                _(
                    "step {number} (day {day}) does not come after step {before} (day "
                    "{before_day}); the steps must run in order, each later than the one "
                    "before. Reorder them or change the days."
                ).format(
                    number=n,
                    day=f"{cur[1]:+d}",
                    before=n - 1,
                    before_day=f"{prev[1]:+d}",
                )
            )
    later = {s.key for s in ladder.steps if s.days > read[-1][1]}
    steps, used = [], set(later)
    for n, (key, days, action, owner) in enumerate(read, 1):
        base = known.get(key)
        if base is not None and (base.days, base.action, base.owner) == (days, action, owner):
            step = base
        else:
            near = nearest_step(days, ladder)
            key = near.key if near.key not in used else f"{near.key}_{n}"
            step = near.model_copy(
                update={"key": key, "days": days, "action": action, "owner": owner}
            )
        if step.key in used:
            raise ParameterError(
                _("step {number}: {step} is chosen twice; pick another step").format(
                    number=n, step=repr(step.key)
                )
            )
        used.add(step.key)
        steps.append(step)
    return steps


def three_step_ladder(steps: Sequence, *, base: Ladder | str | Path | None = None) -> str:
    """Ladder TOML text: ``steps`` (mappings with ``key`` of the ladder step chosen, or blank,
    and ``days``, ``action``, ``owner``; or :class:`Step` values) first, then the steps of
    ``base`` (default: the shipped ladder) whose days come after the last of them. Raises
    ParameterError when a step is incomplete or the steps are not in order of days."""
    if not steps:
        raise ParameterError(_("no steps given; choose the first three steps for a new debtor"))
    ladder = resolve_ladder(base)
    chosen = _chosen(steps, ladder)
    later = [s for s in ladder.steps if s.days > chosen[-1].days]
    head = (
        "# The client's collection ladder: the first steps agreed in the walkthrough, then\n"
        "# the shipped ladder's later steps. Kept as ladder.toml in the client's data folder,\n"
        "# it is the ladder arbook follows for this client (worklist, holds, dashboard).\n"
    )
    return head + "\n\n".join(_step_toml(s) for s in chosen + later) + "\n"


def write_ladder(text: str, path: str | Path) -> Path:
    """Write ladder TOML ``text`` to ``path`` atomically, only once it reads as a ladder (its
    errors named as those of ``path``) and a temporary copy loads back with :func:`load_ladder`.
    When it does not, ``path`` is left as it was and the PolicyError is raised."""
    ladder_text(text, str(path))
    return write_atomic(path, text, check=load_ladder)
