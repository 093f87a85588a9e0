"""The walkthrough's "three steps for every new debtor", agreed with the client and saved as
their ladder file.

:func:`three_step_ladder` (pure) turns three chosen steps into ladder TOML: the three first, in
order of days, then the shipped ladder's later steps (those after the third). A step taken
unchanged from the ladder keeps everything of it; an edited step (other days, action or owner)
takes its script, template, ``ends_when`` and flags from the ladder step nearest its days.

``StepsForm(data)`` is the ipywidgets form: three rows (a Dropdown of the ladder's steps that
fills the row, then days relative to the due date, action, owner), prefilled with -3 reminder
e-mail, +7 phone call and +15 written notice, and a "Save as the client's ladder" button that
writes ``<data folder>/ladder.toml``. The file is written to a temporary file, loaded back with
:func:`~arbook.collections.ladder.load_ladder`, and only then renamed over any existing one. Nothing is
written before the button is pressed; refusals are sentences in ``status``, never tracebacks.
"""

from __future__ import annotations

import json
import logging
import os
import tempfile
from collections.abc import Mapping, Sequence
from pathlib import Path

import ipywidgets as w
from traitlets import Bool, HasTraits, Unicode

from arbook.collections.ladder import Ladder, Step, load_ladder, resolve_ladder
from arbook.core.errors import ArbookError, ParameterError
from arbook.views.html import status_line
from arbook.workbook import paths

log = logging.getLogger(__name__)

#: The ladder keys the form starts from: a reminder before the due date, a call a week after,
#: a written notice (with late charges) at day 15.
FIRST_THREE = ("pre_due", "first_call", "second_call")
ROWS = 3
FIELDS = ("days", "action", "owner")


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
        if getattr(step, flag):
            lines.append(f"{flag} = true")
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
        raise ParameterError(f"step {n}: give key, days, action and owner, not {row!r}")
    days = row.get("days")
    if isinstance(days, str) and days.strip().lstrip("+-").isdigit():
        days = int(days.strip())
    if isinstance(days, bool) or not isinstance(days, int) or not -365 <= days <= 3650:
        raise ParameterError(
            f"step {n}: days is {days!r}; write a whole number of days from "
            f"the due date, -365 to 3650 (negative = before it)"
        )
    action, owner = (str(row.get(k) or "").strip() for k in ("action", "owner"))
    for name, value in (("action", action), ("owner", owner)):
        if not value:
            raise ParameterError(f"step {n}: the {name} is empty; say what is done and by whom")
    return str(row.get("key") or "").strip(), days, action, owner


def _chosen(rows: Sequence, ladder: Ladder) -> list[Step]:
    """The rows as ladder steps: unchanged ladder steps as they are, edited ones on the script
    of the nearest step, each key unique (an edited step's key gets its row number)."""
    known = {s.key: s for s in ladder.steps}
    read = [_read_row(n, row) for n, row in enumerate(rows, 1)]
    for n, (prev, cur) in enumerate(zip(read, read[1:]), 2):
        if cur[1] <= prev[1]:
            raise ParameterError(
                f"step {n} (day {cur[1]:+d}) does not come after step {n - 1} (day "
                f"{prev[1]:+d}); the steps must run in order, each later than the one before. "
                f"Reorder them or change the days."
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
            raise ParameterError(f"step {n}: {step.key!r} is chosen twice; pick another step")
        used.add(step.key)
        steps.append(step)
    return steps


def three_step_ladder(steps: Sequence, *, base: Ladder | str | Path | None = None) -> str:
    """Ladder TOML text: ``steps`` (mappings with ``key`` of the ladder step chosen, or blank,
    and ``days``, ``action``, ``owner``; or :class:`Step` values) first, then the steps of
    ``base`` (default: the shipped ladder) whose days come after the last of them. Raises
    ParameterError when a step is incomplete or the steps are not in order of days."""
    if not steps:
        raise ParameterError("no steps given; choose the first three steps for a new debtor")
    ladder = resolve_ladder(base)
    chosen = _chosen(steps, ladder)
    later = [s for s in ladder.steps if s.days > chosen[-1].days]
    head = (
        "# The client's collection ladder: the first steps agreed in the walkthrough, then\n"
        "# the shipped ladder's later steps. Use it with: arbook worklist DATA --ladder "
        "DATA/ladder.toml\n"
    )
    return head + "\n\n".join(_step_toml(s) for s in chosen + later) + "\n"


def write_ladder(text: str, path: str | Path) -> Path:
    """Write ladder TOML ``text`` to ``path`` atomically: a temporary file beside it, loaded back
    with :func:`load_ladder`, then renamed over ``path``. When the text does not load, the
    temporary file is removed, ``path`` is left as it was and the PolicyError is raised."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".ladder-", suffix=".toml")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
        load_ladder(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def ladder_path(text: str) -> Path:
    """The file named by ``text``, its folder found as a data folder is (so ``data/x/ladder.toml``
    works from ``notebooks/``). Raises ParameterError when the folder does not exist."""
    path = Path(str(text).strip()).expanduser()
    if not path.name or path.suffix != ".toml":
        raise ParameterError(f"{text!r} is not a .toml file name; write e.g. DATA/ladder.toml")
    if path.parent.is_dir():
        return path
    if not path.is_absolute():
        for parent in [*Path.cwd().resolve().parents, paths.CHECKOUT]:
            if (parent / path.parent).is_dir():
                return parent / path
    raise ParameterError(f"{path.parent}: no such folder; create it or save to another path")


class StepsForm(HasTraits):
    """The three-step form for the client of data folder ``data``; ``widget`` is the root to
    display. State: ``status`` (``status_is_error`` when it reports a refusal) and ``saved``,
    the path of the last ladder written."""

    status = Unicode("")
    status_is_error = Bool(False)
    saved = Unicode("")

    def __init__(
        self, data: str = paths.SAMPLE, *, path: str = "", base: Ladder | str | Path | None = None
    ):
        super().__init__()
        self.ladder = resolve_ladder(base)
        picks = [k for k in FIRST_THREE if k in {s.key for s in self.ladder.steps}]
        if len(picks) < ROWS:
            picks = [s.key for s in self.ladder.steps[:ROWS]]
        options = [(f"{s.days:+d} days: {s.action}", s.key) for s in self.ladder.steps]
        self.rows = [self._row(options, key) for key in picks]
        default = str(Path(str(data or paths.SAMPLE).strip()) / "ladder.toml")
        self.path = w.Text(
            value=path or default, description="Save to", layout=w.Layout(width="420px")
        )
        self.button = w.Button(
            description="Save as the client's ladder",
            icon="save",
            button_style="primary",
            layout=w.Layout(width="240px"),
        )
        self.message = w.HTML()
        header = w.HTML("<b>Step from the ladder · days from the due date · action · owner</b>")
        self.widget = w.VBox(
            [header, *[r["box"] for r in self.rows], w.HBox([self.path, self.button]), self.message]
        )
        self.button.on_click(lambda _: self.save())
        self.observe(self._on_status, ["status", "status_is_error"])
        self._say("Agree the first three steps with the client, then save them as their ladder.")

    def _row(self, options, key: str) -> dict:
        row = {
            "key": w.Dropdown(options=options, value=key, layout=w.Layout(width="300px")),
            "days": w.IntText(layout=w.Layout(width="80px")),
            "action": w.Text(layout=w.Layout(width="300px")),
            "owner": w.Text(layout=w.Layout(width="160px")),
        }
        row["box"] = w.HBox([row[k] for k in ("key", *FIELDS)])
        self._fill(row, key)
        row["key"].observe(lambda change: self._fill(row, change["new"]), "value")
        return row

    def _fill(self, row: dict, key: str) -> None:
        step = next(s for s in self.ladder.steps if s.key == key)
        for name in FIELDS:
            row[name].value = getattr(step, name)

    def steps(self) -> list[dict]:
        """The rows as :func:`three_step_ladder` takes them."""
        return [{name: row[name].value for name in ("key", *FIELDS)} for row in self.rows]

    def save(self) -> bool:
        """Write the three steps and the later ladder steps to the path given, atomically and
        only when the file loads back as a ladder; True when saved. A refusal is reported in
        ``status`` and any existing file is left as it was."""
        try:
            text = three_step_ladder(self.steps(), base=self.ladder)
            path = write_ladder(text, ladder_path(self.path.value))
        except Exception as exc:  # the user's boundary: a sentence, never a traceback
            if not isinstance(exc, ArbookError):
                log.exception("the client's ladder could not be saved")
            reason = str(exc) if isinstance(exc, ArbookError) else f"{type(exc).__name__}: {exc}"
            self.status_is_error = True
            self.status = f"Not saved: {reason}"
            return False
        self.saved = str(path)
        self._say(
            f"Saved the client's ladder to {path}. Use it with: arbook worklist DATA "
            f"--as-of YYYY-MM-DD --ladder {path}"
        )
        return True

    def _say(self, text: str) -> None:
        self.status_is_error = False
        self.status = text

    def _on_status(self, _change=None) -> None:
        self.message.value = status_line(self.status, self.status_is_error)
