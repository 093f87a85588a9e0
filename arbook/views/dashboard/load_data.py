"""The "Load your data" step (issue 12): map a file in the client's own layout onto arbook's.

``LoadData(folder)`` lets a person pick a file of the data folder or upload one (saved into the
folder atomically), shows its first rows and the header row found, and the suggested mapping
(:func:`arbook.core.mapping.suggest`): one dropdown per arbook field with the file's columns,
the reason of the best candidate beside it, the date order and decimal mark. Every change is
read at once through :func:`~arbook.core.mapping.preview`: the totals (total receivable,
credits and unapplied cash, net receivable, open items, the buckets) and every problem
(:func:`~arbook.core.mapping.problems` and the preview ledger's issues) are shown *before*
"Save mapping" writes ``<folder>/mapping.toml``, which every command then reads the folder by.
Exchange rates for amounts in other currencies than the book's are typed in the rates box (one
a line: currency, rate, date from when it holds) and read with the file at once; the save (and
"Use the preset") writes them to ``<folder>/rates.csv``, which is read with the export beside it.
A folder's rates.csv of a few rates is shown in the box to change; a long one (the ECB's
history) is used as it is until rates are typed.
A file in a layout arbook knows (:func:`~arbook.core.presets.detect`) is offered its preset
instead of a mapping.

What needs no widget (the folder's files, the upload, the totals and the HTML) is in
:mod:`~arbook.views.dashboard.load_data_parts`. The logic is in plain methods (``pick``,
``upload``, ``set_column``, ``set_date_order``, ``set_decimal``, ``set_open_items``, ``save``,
``use_preset``) so it is tested headless; the widgets only call them. Refusals are sentences in
``status`` (``status_is_error``), never tracebacks. After a save the dashboard is rebuilt on the
mapped data where it is shown (:func:`show_dashboard`), so every tab uses it; a reload of the
page does the same from the file. The first time the screen is shown (:meth:`LoadData.render`)
it opens the folder's saved mapping.toml, to change it.

DOM contract (the browser tests rely on it): the screen is ``.arbook-load-data``; the file
dropdown ``.arbook-load-file``, the upload ``.arbook-load-upload``; the first rows
``.arbook-load-rows``; a field's dropdown ``.arbook-map-<field>``; the totals
``.arbook-load-totals`` (each figure ``[data-figure=<name>]``); the problems
``.arbook-load-problems``; the buttons ``.arbook-load-save`` and ``.arbook-load-preset``; the
rates box ``.arbook-load-rates`` (its note ``.arbook-load-rates-note``); the status
``.arbook-load-status``.
"""

from __future__ import annotations

import dataclasses
import logging
import tempfile
from collections.abc import Callable
from contextlib import contextmanager
from pathlib import Path

import ipywidgets as w
from traitlets import Bool, HasTraits, Unicode

from arbook.core import mapping as mappings
from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, DataError, ParameterError
from arbook.core.folder import MAPPING_FILE, SUFFIXES, table_of
from arbook.core.i18n import _
from arbook.core.ledger import Ledger, rates_beside, read_ledger
from arbook.core.presets import Preset, detect
from arbook.views.dashboard.load_data_parts import (
    DATE_ORDER_OPTIONS,
    DECIMAL_OPTIONS,
    LARGE_FILE,
    LOAD_CSS,
    data_files,
    options,
    own_files,
    problems_html,
    rows_html,
    save_upload,
    totals,
    totals_html,
)
from arbook.views.dashboard.parts import GuardedDropdown, LoadFailure, Quiet, html_box, row
from arbook.views.format import format_ratio
from arbook.views.html import esc, status_line
from arbook.workbook import paths

log = logging.getLogger(__name__)

NONE = ""  # the dropdowns' "(none)": the field is not mapped
#: a folder's rates.csv up to this many lines is shown in the rates box to change
RATES_SHOWN = 60


# -- the screen --------------------------------------------------------------------------------


class LoadData(Quiet, HasTraits):
    """The "Load your data" screen of the data folder ``folder``; ``widget`` is the root to
    display. State: ``file`` (the file shown), ``mapping`` (as edited), ``preset`` (when the
    file is an export arbook knows), ``ledger`` (what the mapping or preset reads), ``figures``
    (its totals), ``found`` (the mapping's problems), ``saved`` (the mapping.toml written) and
    the ``status`` line. ``on_saved`` is called after a save (the dashboard reloads); what it
    returns is kept as ``dashboard``."""

    status = Unicode("")
    status_is_error = Bool(False)
    file = Unicode("")
    saved = Unicode("")

    def __init__(
        self,
        folder: str | Path | None,
        *,
        policy=None,
        on_saved: Callable[[], object] | None = None,
    ):
        super().__init__()
        # as a data folder is found (so "data/x" works from notebooks/ too)
        self.folder = paths.locate(folder, folder=True) if folder else None
        self.policy, self.on_saved = policy, on_saved
        self.suggestion: mappings.Suggestion | None = None
        self.mapping: mappings.Mapping | None = None
        self.preset: Preset | None = None
        self.ledger: Ledger | None = None
        self.figures: dict = {}
        self.found: list[str] = []
        self.dashboard: object = None  # what on_saved gave after the last save
        self._quiet = self._opened = False
        #: the rates typed (None: not changed, the folder's rates file is read as it is)
        self.rates_text: str | None = None
        self._scratch = tempfile.TemporaryDirectory(prefix="arbook-rates-")
        self._build()
        self._fill_files()
        if self.folder is None:  # a ledger built from frames: nowhere to load a file into
            self._refuse_text(_("This data has no folder, so there is nothing to load into."))
            self.uploader.disabled = True
        else:
            self._say(
                _(
                    "Pick a file of {folder} or upload one: arbook suggests how its columns "
                    "map onto its own, and shows the totals before anything is saved."
                ).format(folder=self.folder.name or self.folder)
            )

    # -- widgets -----------------------------------------------------------------------------

    def _build(self) -> None:
        wide = {"description_width": "initial"}
        self.picker = GuardedDropdown(options=[("", "")], style=wide)
        self.picker.add_class("arbook-load-file")
        self.picker.on_invalid = self._refuse_text
        self.uploader = w.FileUpload(accept=",".join(SUFFIXES), multiple=False)
        self.uploader.add_class("arbook-load-upload")
        self.progress = w.FloatProgress(value=0, min=0, max=1)
        self.progress.layout.display = "none"
        self._status = html_box("arbook-load-status")
        self._rows = html_box("arbook-load-rows")
        self._preset_note = html_box("arbook-load-preset-note")
        self.preset_button = w.Button(button_style="primary")
        self.preset_button.add_class("arbook-load-preset")
        self.map_anyway = w.Button()
        self.preset_box = w.VBox(
            [self._preset_note, row([self.preset_button, self.map_anyway], "arbook-preset-row")]
        )
        self.fields = {name: self._field_dropdown(name) for name in mappings.FIELDS}
        self._reasons = {name: html_box("arbook-map-reason") for name in mappings.FIELDS}
        self.date_order = GuardedDropdown(
            options=options(DATE_ORDER_OPTIONS), style=wide, layout={"width": "250px"}
        )
        self.date_order.add_class("arbook-load-dates")
        self.decimal = GuardedDropdown(
            options=options(DECIMAL_OPTIONS), style=wide, layout={"width": "230px"}
        )
        self.decimal.add_class("arbook-load-decimal")
        for box in (self.date_order, self.decimal):
            box.on_invalid = self._refuse_text
        self.open_items = w.Checkbox(indent=False, layout={"width": "auto"})
        self.open_items.add_class("arbook-load-open-items")
        self.report_date = w.Text(
            style=wide,
            continuous_update=False,
            layout={"width": "180px"},
        )
        self.report_date.add_class("arbook-load-report-date")
        self.rates = w.Textarea(
            rows=4, continuous_update=False, layout={"width": "420px"}, placeholder=""
        )
        self.rates.add_class("arbook-load-rates")
        self._rates_title = html_box("arbook-section-box")
        self._rates_note = html_box("arbook-load-rates-note")
        self.rates_box = w.VBox([self._rates_title, self.rates, self._rates_note])
        self._field_names = {n: html_box("arbook-map-field") for n in mappings.FIELD_WORDS}
        editor_rows = [
            row([self._field_names[n], self.fields[n], self._reasons[n]], "arbook-map-row")
            for n in mappings.FIELD_WORDS
        ]
        self._editor_title = html_box("arbook-section-box")
        self.editor = w.VBox(
            [
                self._editor_title,
                *editor_rows,
                row([self.date_order, self.decimal], "arbook-load-formats"),
                row([self.open_items, self.report_date], "arbook-load-open"),
            ]
        )
        self._totals = html_box("arbook-load-totals")
        self._problems = html_box("arbook-load-problems")
        self.save_button = w.Button(button_style="success", icon="save", disabled=True)
        self.save_button.add_class("arbook-load-save")
        # the totals and problems beside the dropdowns, so a change shows its effect in view
        side = w.VBox([self._totals, self._problems, self.save_button])
        side.add_class("arbook-load-side")
        body = w.HBox(
            [w.VBox([self.preset_box, self.editor, self.rates_box]), side],
            layout={"flex_flow": "row wrap", "align_items": "flex-start"},
        )
        body.add_class("arbook-load-body")
        for part in (self.preset_box, self.editor, self.rates_box):
            part.layout.display = "none"
        self._title = html_box("arbook-load-title")
        self.widget = w.VBox(
            [
                html_box("arbook-css", LOAD_CSS),
                self._title,
                row([self.picker, self.uploader], "arbook-load-pick"),
                self.progress,
                self._status,
                self._rows,
                body,
            ]
        )
        self.widget.add_class("arbook-load-data")
        self._label()
        self._wire()

    def _label(self) -> None:
        """Every caption of the screen in the language spoken now (when it is built, and again
        each time it is shown: the language may have changed since)."""
        self.picker.description = _("File")
        self.uploader.description = _("Upload a file")
        self.preset_button.description = _("Use the preset")
        self.map_anyway.description = _("Map its columns myself instead")
        self.date_order.description = _("Dates")
        self.decimal.description = _("Decimals")
        self.open_items.description = _("open balances on one date (an aging report)")
        self.report_date.description = _("as of")
        self.report_date.placeholder = _("YYYY-MM-DD")
        self.save_button.description = _("Save mapping")
        if self.progress.layout.display == "none":
            self.progress.description = _("Reading")
        for name, box in self._field_names.items():
            words = _(mappings.FIELD_WORDS[name])
            box.value = f'<span title="{esc(words)}">{esc(name)}</span>'
        self.rates.placeholder = (
            "USD, 0.92, 2026-01-01"  # a rates file is written the same in every language
        )
        rates = esc(_("Exchange rates"))
        self._rates_title.value = f'<div class="arbook-section">{rates}</div>'
        self._rates_note.value = self._rates_words()
        which = esc(_("Which column holds each of arbook's fields"))
        self._editor_title.value = f'<div class="arbook-section">{which}</div>'
        load = esc(_("Load your data"))
        self._title.value = f'<div class="arbook"><div class="arbook-section">{load}</div></div>'
        with self._quietly():
            for box, choices in (
                (self.date_order, DATE_ORDER_OPTIONS),
                (self.decimal, DECIMAL_OPTIONS),
            ):
                kept = box.value
                box.options = options(choices)
                box.value = kept
        self._fill_files()
        if self.suggestion is not None and self.mapping is not None and self.preset is None:
            self._fill_editor()

    def _field_dropdown(self, name: str) -> GuardedDropdown:
        box = GuardedDropdown(options=[(_("(none)"), NONE)], layout={"width": "200px"})
        box.add_class(f"arbook-map-{name}")
        box.on_invalid = self._refuse_text
        return box

    def _wire(self) -> None:
        on = self._on
        on(self.picker, lambda name: name and self.pick(name))
        on(self.uploader, self._on_upload)
        for name, box in self.fields.items():
            on(box, lambda column, name=name: self.set_column(name, column))
        on(self.date_order, self.set_date_order)
        on(self.decimal, self.set_decimal)
        on(self.open_items, lambda flag: self.set_open_items(flag, self.report_date.value))
        on(self.report_date, lambda day: self.set_open_items(self.open_items.value, day))
        on(self.rates, self.set_rates)
        self.save_button.on_click(lambda _: self.save())
        self.preset_button.on_click(lambda _: self.use_preset())
        self.map_anyway.on_click(lambda _: self.map_columns())
        self.observe(
            lambda _: setattr(
                self._status, "value", status_line(self.status, self.status_is_error)
            ),
            ["status", "status_is_error"],
        )

    # -- what a person does ----------------------------------------------------------------------

    def render(self) -> None:
        """Called when the screen is shown: the first time, open the folder's saved
        mapping.toml (its file, as saved) so it is changed rather than made again."""
        self._label()
        if self._opened:
            return
        self._opened = True
        if self.folder is None:
            return
        saved = self.folder / MAPPING_FILE
        if saved.is_file() and self.mapping is None:
            with self._guard():
                mapping = mappings.read(saved)
                if self.pick(mapping.file) and self.preset is None:
                    self.mapping = mapping
                    self._fill_editor()
                    self._reread()
                    self._say(
                        _("The mapping saved in {path}: change it, then Save mapping.").format(
                            path=saved
                        )
                    )

    def pick(self, name: str) -> bool:
        """Show file ``name`` of the folder: its preset if arbook knows its layout, else the
        suggested mapping, its totals and problems. True when it could be read."""
        with self._guard():
            path = self._path(name)
            self.file, self.saved = name, ""
            self._set_quietly(self.picker, name)
            own = table_of(name)[0]
            self._working(_("Reading {file}").format(file=name), path)
            try:
                self.preset = self._detect(path)
                self.suggestion = mappings.suggest(path)
                self.mapping = self.suggestion.mapping
                if own is not None:
                    self.preset = None
            finally:
                self._done()
            where = "row" if path.suffix.lower() in (".xlsx", ".xlsm", ".xls") else "line"
            self._rows.value = rows_html(
                self.suggestion.preview, self.suggestion.header_line, where, self.suggestion.notes
            )
            if own is not None:
                return self._own_file(name, own)
            if self.preset is not None:
                return self._offer_preset(path)
            self.map_columns()
            return True
        return False

    def upload(self, name: str, content: bytes) -> bool:
        """Save an uploaded file into the folder (atomically) and show it as :meth:`pick`."""
        with self._guard():
            path = save_upload(self._folder(), name, content)
            self._fill_files()
            return self.pick(path.name)
        return False

    def map_columns(self) -> None:
        """Edit the suggested mapping (also for a file a preset reads, when asked)."""
        with self._guard():
            if self.suggestion is None or self.mapping is None:
                raise ParameterError(_("pick a file first"))
            self.preset = None
            self.preset_box.layout.display = "none"
            self.editor.layout.display = None
            self._fill_editor()
            self._reread()

    def set_column(self, name: str, column: str) -> None:
        """Map arbook's field ``name`` to the file's ``column`` ("" unmaps it), and reread."""

        def edit(m: mappings.Mapping) -> mappings.Mapping:
            columns = {**m.columns, name: column}
            return dataclasses.replace(
                m, columns={f: columns[f] for f in mappings.FIELDS if columns.get(f)}
            )

        self._change(edit, check=lambda: self._check_field(name, column))

    def set_date_order(self, order: str) -> None:
        self._change(
            lambda m: dataclasses.replace(m, date_order=order),
            check=lambda: _check(order, mappings.DATE_ORDERS, _("date order")),
        )

    def set_decimal(self, mark: str) -> None:
        self._change(
            lambda m: dataclasses.replace(m, decimal=mark),
            check=lambda: _check(mark, mappings.DECIMALS, _("decimal mark")),
        )

    def set_open_items(self, flag: bool, report_date: str = "") -> None:
        """Whether the amounts are open balances on one date, and that date (ISO or blank)."""

        def check() -> None:
            if report_date.strip() and mappings.iso_date(report_date) is None:
                raise ParameterError(
                    _("as of {date}: write the date as 2026-06-30").format(
                        date=repr(report_date[:20])
                    )
                )

        self._change(
            lambda m: dataclasses.replace(
                m,
                open_items_only=bool(flag),
                report_date=mappings.iso_date(report_date) if report_date.strip() else None,
            ),
            check=check,
        )

    def set_rates(self, text: str) -> None:
        """The exchange rates typed, one a line (``currency, rate, date``; the date from when the
        rate holds, may be left out): the file is read again with them at once; the save writes
        them to ``<folder>/rates.csv`` ("" removes it)."""
        with self._guard():
            if not self.file:
                raise ParameterError(_("pick a file first"))
            self.rates_text = str(text)
            self._set_quietly(self.rates, self.rates_text)
            self.saved = ""
            if self.preset is not None:
                self._offer_preset(self._path(self.file))
            elif self.mapping is not None:
                self._reread()

    def save(self) -> Path | None:
        """Write the mapping to ``<folder>/mapping.toml`` (and the rates typed to
        ``rates.csv``) and let the dashboard reload; the path, or None when refused (the status
        says why)."""
        with self._guard():
            if self.mapping is None or self.preset is not None:
                raise ParameterError(_("pick a file to map first"))
            own = [n for n in own_files(self._folder()) if n != self.mapping.file]
            if table_of(self.mapping.file)[0] is not None or own:
                raise ParameterError(
                    _(
                        "{folder} holds arbook's own files ({files}), which need no mapping; "
                        "keep the file to map in a folder of its own"
                    ).format(folder=self.folder, files=", ".join(own or [self.file]))
                )
            path = mappings.save(self.mapping, self._folder())
            self._save_rates()
            self.saved = str(path)
            self._say(
                _(
                    "Saved {path}. arbook now reads {folder} through it, in every command and "
                    "on every tab of the dashboard."
                ).format(path=path, folder=self._folder().name)
            )
            self._reload()
            return path
        return None

    def use_preset(self) -> bool:
        """Read the folder with the preset of the file shown (no mapping): the dashboard
        reloads. Refused while a mapping.toml in the folder would be read instead."""
        with self._guard():
            if self.preset is None:
                raise ParameterError(_("this file is in no layout arbook knows; map its columns"))
            mapped = self._folder() / MAPPING_FILE
            if mapped.is_file():
                raise ParameterError(
                    _(
                        "{path} maps another file and is read first; delete it to read {file} "
                        "with the {preset} preset"
                    ).format(path=mapped, file=self.file, preset=self.preset.name)
                )
            self._save_rates()
            self._say(
                _("{file} is read with the {preset} preset.").format(
                    file=self.file, preset=self.preset.name
                )
            )
            self._reload()
            return True
        return False

    # -- inner steps -------------------------------------------------------------------------

    def _save_rates(self) -> None:
        """The rates typed, written beside the data (none typed: the folder's file stays)."""
        if self.rates_text is not None:
            mappings.save_rates(self.rates_text, self._folder())

    def _rates_file(self) -> Path | None:
        """The rates the file is read with: those typed (written to a scratch file, not the
        folder), else the folder's rates file."""
        if self.rates_text is None:
            return rates_beside(self._folder())
        body = mappings.typed_rates(self.rates_text)
        if not body:
            return None
        scratch = Path(self._scratch.name) / mappings.RATES_FILE
        scratch.write_text(body, encoding="utf-8")
        return scratch

    def _rates_label(self) -> str | None:
        return _("the exchange rates typed in") if self.rates_text is not None else None

    def _rates_words(self) -> str:
        """What the rates box says: what the rates are, and which the file is read with."""
        book = self.ledger.currency if self.ledger is not None else None
        said = _(
            "For amounts in other currencies than the book's: one a line, the currency, its "
            "rate in {book} per unit and the date from when it holds (or `arbook rates ecb` "
            "from the ECB's CSV)."
        ).format(book=book or _("the book's currency"))
        found = rates_beside(self.folder) if self.folder is not None else None
        if self.rates_text is None and found is not None and not self.rates.value:
            said += " " + _("{file} of the folder is used; rates typed here replace it.").format(
                file=found.name
            )
        return f'<span class="arbook-load-rates-note">{esc(said)}</span>'

    def _fill_rates(self) -> None:
        """The box shows the rates typed, else the folder's rates.csv when it is short."""
        text = self.rates_text
        if text is None and self.folder is not None:
            found = self.folder / mappings.RATES_FILE
            if found.is_file() and found.stat().st_size < 64 * RATES_SHOWN:
                lines = found.read_text(encoding="utf-8-sig", errors="replace").splitlines()
                text = "\n".join(lines) if len(lines) <= RATES_SHOWN else ""
        self._set_quietly(self.rates, text or "")
        self.rates_box.layout.display = None
        self._rates_note.value = self._rates_words()

    def _folder(self) -> Path:
        if self.folder is None:
            raise ParameterError(_("this data has no folder, so there is nothing to load into"))
        return self.folder

    def _path(self, name: str) -> Path:
        if name not in data_files(self._folder()):
            raise ParameterError(
                _("{name} is not a file of {folder}").format(
                    name=repr(str(name)[:80]), folder=self.folder
                )
            )
        return self.folder / name

    def _detect(self, path: Path) -> Preset | None:
        try:
            return detect(mappings.read_grid(path))
        except DataError:  # suggest() reports why the file cannot be read
            return None

    def _own_file(self, name: str, table: str) -> bool:
        self.editor.layout.display = self.preset_box.layout.display = "none"
        self.rates_box.layout.display = "none"
        self.save_button.disabled = True
        self._totals.value = self._problems.value = ""
        self._say(
            _("{file} is arbook's own {table} file: it is read as it is, with no mapping.").format(
                file=name, table=table
            )
        )
        return True

    def _offer_preset(self, path: Path) -> bool:
        preset = self.preset
        assert preset is not None
        self.editor.layout.display = "none"
        self.preset_box.layout.display = None
        note = _(
            "{file} is a {title}: arbook reads it with the preset {preset}, no mapping needed "
            "({command} or {option})."
        )
        self._preset_note.value = (
            '<div class="arbook arbook-load-preset-note">'
            + esc(note).format(
                file=esc(path.name),
                title=f"<b>{esc(preset.shown_title)}</b>",
                preset=f"<code>{esc(preset.name)}</code>",
                command=f"<code>arbook check {esc(path.name)}</code>",
                option=f"<code>--preset {esc(preset.name)}</code>",
            )
            + "</div>"
        )
        self._working(
            _("Reading {file} with {preset}").format(file=path.name, preset=preset.name), path
        )
        try:
            ledger = mappings.preview(
                path,
                preset,
                policy=self.policy,
                rates=self._rates_file(),
                rates_label=self._rates_label(),
            )
        finally:
            self._done()
        self._show(ledger, [])
        self._fill_rates()
        self.save_button.disabled = True
        self._say(
            _("{file}: a {title}; use its preset, or map its columns yourself.").format(
                file=path.name, title=preset.shown_title
            )
        )
        return True

    def _fill_files(self) -> None:
        names = data_files(self.folder)
        choices = [(_("(choose a file)"), "")] + [(n, n) for n in names]
        with self._quietly():
            self.picker.options = choices
            self.picker.value = self.file if self.file in names else ""

    def _fill_editor(self) -> None:
        assert self.suggestion is not None and self.mapping is not None
        columns = self.suggestion.columns
        with self._quietly():
            for name, box in self.fields.items():
                box.options = [(_("(none)"), NONE)] + [(c, c) for c in columns]
                box.value = self.mapping.columns.get(name, NONE)
                self._reasons[name].value = self._reason(name)
            self.date_order.value = self.mapping.date_order
            self.decimal.value = self.mapping.decimal
            self.open_items.value = self.mapping.open_items_only
            self.report_date.value = self.mapping.report_date or ""

    def _reason(self, name: str) -> str:
        """Why the mapped column was chosen (its candidate's reason), or the best candidate."""
        assert self.suggestion is not None and self.mapping is not None
        found = self.suggestion.candidates.get(name, [])
        column = self.mapping.columns.get(name)
        chosen = next((c for c in found if c.column == column), None)
        if chosen is not None:
            return esc(chosen.reason)
        if column:
            return esc(_("chosen by hand"))
        if found:
            return esc(
                _("not mapped; the likeliest column is {column}: {reason}").format(
                    column=repr(found[0].column), reason=found[0].reason
                )
            )
        return esc(_("no column looks like it"))

    def _check_field(self, name: str, column: str) -> None:
        _check(name, mappings.FIELDS, _("field"))
        columns = self.suggestion.columns if self.suggestion else []
        if column and column not in columns:
            raise ParameterError(
                _("{column} is not a column of {file}").format(
                    column=repr(str(column)[:60]), file=self.file
                )
            )

    def _change(self, edit, *, check) -> None:
        with self._guard():
            if self.mapping is None:
                raise ParameterError(_("pick a file first"))
            check()
            self.mapping = edit(self.mapping)
            self.saved = ""
            self._fill_editor()
            self._reread()

    def _reread(self) -> None:
        """Read the file through the mapping as edited: its totals and every problem."""
        assert self.mapping is not None
        path = self._folder() / self.mapping.file
        self._working(_("Reading {file} through the mapping").format(file=path.name), path)
        try:
            found = mappings.problems(self.mapping, path)
            try:
                ledger = mappings.preview(
                    path,
                    self.mapping,
                    policy=self.policy,
                    rates=self._rates_file(),
                    rates_label=self._rates_label(),
                )
            except ArbookError as exc:  # nothing readable: the problems say why
                ledger, found = None, found + [str(exc)]
        finally:
            self._done()
        self._show(ledger, found)
        self._fill_rates()
        self.save_button.disabled = False
        errors = 0 if ledger is None else len(ledger.errors)
        self._say(
            _(
                "{problems} problem(s) with the mapping and {errors} row error(s); change any "
                "column, then Save mapping."
            ).format(problems=format_count(len(found)), errors=format_count(errors))
            if found or errors
            else _(
                "The mapping reads the file with no problem; check the totals, then Save mapping."
            )
        )

    def _show(self, ledger: Ledger | None, found: list[str]) -> None:
        """The totals and problems of ``ledger``; the problems are sent to the page first, so
        totals a person sees change never sit beside the problems of the mapping before."""
        self.ledger, self.found = ledger, found
        self._problems.value = problems_html(found, ledger)
        if ledger is None or (not len(ledger.invoices) and not len(ledger.payments)):
            self.figures = {}
            none = esc(_("No items read: no totals."))
            self._totals.value = f'<p class="arbook-note">{none}</p>'
        else:
            self.figures = totals(ledger, policy=self.policy)
            self._totals.value = totals_html(self.figures, ledger)

    def _reload(self) -> None:
        """Let the dashboard show the data as now read; ``dashboard`` is what it gives back."""
        if self.on_saved is not None:
            self.dashboard = self.on_saved()

    def _on_upload(self, value) -> None:
        files = list(value or ())
        if not files:
            return
        first = files[0]
        self.upload(first["name"], bytes(first["content"]))
        with self._quietly():
            self.uploader.value = ()

    def _working(self, what: str, path: Path) -> None:
        """A progress bar while a large file is read (a small one is read before it shows)."""
        size = path.stat().st_size if path.is_file() else 0
        if size >= LARGE_FILE:
            self.progress.description = _("{what} ({size} MB)").format(
                what=what, size=format_ratio(size / (1 << 20), digits=1)
            )
            self.progress.bar_style = "info"
            self.progress.value = 0.3
            self.progress.layout.display = None

    def _done(self) -> None:
        self.progress.value = 1
        self.progress.layout.display = "none"

    # -- small helpers -------------------------------------------------------------------------

    def _say(self, text: str) -> None:
        self.status_is_error = False
        self.status = text

    def _refuse_text(self, text: str) -> None:
        self.status_is_error = True
        self.status = text

    @contextmanager
    def _guard(self):
        """A failure becomes the status line; what is shown stays (the method returns its
        refusal value after the ``with``)."""
        try:
            yield
        except ArbookError as exc:
            self._refuse_text(str(exc))
        except Exception as exc:  # the user's boundary: log the traceback, show a sentence
            log.exception("Load your data failed")
            self._refuse_text(
                _("Something went wrong: {error}: {message}").format(
                    error=type(exc).__name__, message=exc
                )
            )


def _check(value, allowed, what: str) -> None:
    if value not in allowed:
        raise ParameterError(
            _("{what} {value} is not one of {choices}").format(
                what=what, value=repr(str(value)[:40]), choices=", ".join(allowed)
            )
        )


# -- in the dashboard ----------------------------------------------------------------------------


def show_dashboard(root: w.Box, folder: Path, *, policy=None) -> object:
    """Read ``folder`` again and show its dashboard in ``root`` (the box already displayed):
    its children become the new dashboard's, whose own "Load your data" keeps saving into
    ``root``. Returns the new Dashboard (or the LoadFailure saying why it cannot be built)."""
    from arbook.views.dashboard.app import Dashboard  # app builds this screen: import late

    try:
        fresh: object = Dashboard(read_ledger(folder, policy=policy))
    except ArbookError as exc:
        fresh = with_loader(LoadFailure(str(exc)), folder, policy=policy, root=root)
    else:
        fresh.load_data.on_saved = lambda: show_dashboard(root, folder, policy=policy)
    root.children = fresh.widget.children
    root.remove_class("arbook-load-error")
    return fresh


def with_loader(failure: LoadFailure, folder, *, policy=None, root: w.Box | None = None):
    """``failure`` (the dashboard could not be built) with the "Load your data" screen below its
    message when ``folder`` is a data folder, so a client's file can be mapped right there; after
    the save the dashboard is built in its place. ``failure.load_data`` is the screen (None
    without a folder)."""
    path = Path(folder) if folder else None
    failure.load_data = None
    if path is None or not path.is_dir():
        return failure
    shown = root or failure.widget
    screen = LoadData(
        path, policy=policy, on_saved=lambda: show_dashboard(shown, path, policy=policy)
    )
    failure.load_data = screen
    screen.render()  # a saved mapping that no longer reads is opened, to be mended
    failure.widget.children = (*failure.widget.children, screen.widget)
    return failure


__all__ = ["LoadData", "show_dashboard", "with_loader"]
