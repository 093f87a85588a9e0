"""The walkthrough's "three steps for every new debtor", agreed with the client and saved as
their ladder file (the TOML is made by :mod:`arbook.collections.ladder_file`).

``StepsForm(data)`` is the ipywidgets form: three rows (a Dropdown of the ladder's steps that fills
the row, then days relative to the due date, action, owner), prefilled with -3 reminder e-mail, +7
phone call and +15 written notice, and a "Save as the client's ladder" button that writes ``<data
folder>/ladder.toml``. The file is written to a temporary file, loaded back with
:func:`~arbook.core.procedure.load_ladder`, and only then renamed over any existing one. Nothing is
written before the button is pressed; refusals are sentences in ``status``, never tracebacks.
"""

from __future__ import annotations

from pathlib import Path

import ipywidgets as w

from arbook.collections.ladder import step_action
from arbook.collections.ladder_file import three_step_ladder, write_ladder
from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import N_, _, ngettext
from arbook.core.procedure import Ladder, resolve_ladder
from arbook.views.html import esc
from arbook.views.walkthrough.saving_form import SavingForm
from arbook.workbook import paths

#: The ladder keys the form starts from: a reminder before the due date, a call a week after,
#: a written notice (with late charges) at day 15.
FIRST_THREE = ("pre_due", "first_call", "second_call")
ROWS = 3
FIELDS = ("days", "action", "owner")
#: The shipped ladder's owners, marked so that the form shows them in the language spoken.
OWNERS = (N_("collector"), N_("credit manager"), N_("finance director"))


def ladder_path(text: str) -> Path:
    """The file named by ``text``, its folder found as a data folder is (so ``data/x/ladder.toml``
    works from ``notebooks/``). Raises ParameterError when the folder does not exist."""
    path = Path(str(text).strip()).expanduser()
    if not path.name or path.suffix != ".toml":
        raise ParameterError(
            _("{text} is not a .toml file name; write e.g. DATA/ladder.toml").format(
                text=repr(text)
            )
        )
    folder = paths.locate(path.parent, folder=True)
    if folder.is_dir():
        return folder / path.name
    raise ParameterError(
        _("{folder}: no such folder; create it or save to another path").format(folder=path.parent)
    )


def step_option(step) -> str:
    """A ladder step as the form's Dropdown offers it: its days from the due date and its
    action (``+7 days: phone call``), in the language spoken."""
    days = ngettext("{days} days: {action}", "{days} days: {action}", abs(step.days))
    return days.format(days=format_count(step.days, sign=True), action=step_action(step))


class StepsForm(SavingForm):
    """The three-step form for the client of data folder ``data``; ``widget`` is the root to
    display. State: ``status`` (``status_is_error`` when it reports a refusal) and ``saved``,
    the path of the last ladder written."""

    def __init__(
        self, data: str = paths.SAMPLE, *, path: str = "", base: Ladder | str | Path | None = None
    ):
        super().__init__()
        self.ladder = resolve_ladder(base)
        picks = [k for k in FIRST_THREE if k in {s.key for s in self.ladder.steps}]
        if len(picks) < ROWS:
            picks = [s.key for s in self.ladder.steps[:ROWS]]
        options = [(step_option(s), s.key) for s in self.ladder.steps]
        self.rows = [self._row(options, key) for key in picks]
        default = str(Path(str(data or paths.SAMPLE).strip()) / "ladder.toml")
        self.path = w.Text(
            value=path or default, description=_("Save to"), layout=w.Layout(width="420px")
        )
        self.button = w.Button(
            description=_("Save as the client's ladder"),
            icon="save",
            button_style="primary",
            layout=w.Layout(width="240px"),
        )
        title = _("Step from the ladder · days from the due date · action · owner")
        header = w.HTML(f"<b>{esc(title)}</b>")
        self.widget = w.VBox(
            [header, *[r["box"] for r in self.rows], w.HBox([self.path, self.button]), self.message]
        )
        self.button.on_click(lambda _: self.save())
        self._say(_("Agree the first three steps with the client, then save them as their ladder."))

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
        # the shipped ladder's texts in the language spoken, a client's own as written
        row["days"].value, row["action"].value = step.days, step_action(step)
        row["owner"].value = _(step.owner) if step.owner in OWNERS else step.owner

    def steps(self) -> list[dict]:
        """The rows as :func:`three_step_ladder` takes them."""
        return [{name: row[name].value for name in ("key", *FIELDS)} for row in self.rows]

    def save(self) -> bool:
        """Write the three steps and the later ladder steps to the path given, atomically and
        only when the file loads back as a ladder; True when saved. A refusal is reported in
        ``status`` and any existing file is left as it was."""
        path = self._save(
            lambda: write_ladder(
                three_step_ladder(self.steps(), base=self.ladder), ladder_path(self.path.value)
            ),
            "the client's ladder",
        )
        if path is None:
            return False
        self._say(
            _(
                "Saved the client's ladder to {path}. arbook follows it for this client from "
                "now on (worklist, holds, dashboard); elsewhere: {command}"
            ).format(path=path, command=f"arbook worklist DATA --as-of YYYY-MM-DD --ladder {path}")
        )
        return True
