"""Presets: exports in an accounting system's own layout, read onto arbook's canonical tables.

A preset reads one file (a :class:`~arbook.core.grid.Grid`: its rows before anyone knows where
the header is) into raw ``invoices``/``payments``/``customers`` frames under the canonical column
names, every row stamped with its file and line, so the same validation runs on them as on
arbook's own files. It says how its dates and decimals are written, the date the report is as
of when the file states it, and whether the file is a history (every document, paid or not) or
only the items open on one date (an aging report: SPEC §3, "open-items-only").

Each preset recognises its layout from its headers (:func:`detect`), so ``read_ledger(file)``
needs no preset name; the name given (``--preset``) skips the guess. One module per family of
exports; :data:`PRESETS` lists them all.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt
import pandas as pd

from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import _
from arbook.core.validate import Reading

#: what a preset's ``read`` returns
Reader = Callable[[Grid], "Imported"]


@dataclass
class Imported:
    """What a preset read from a file: raw canonical ``tables`` (text cells, ``source_file`` and
    ``source_line``), the ``issues`` found, how dates (``date_order``: "iso", "dmy", "mdy") and
    decimals are written, the ``report_date`` the file says it is as of (None when it does not
    say), and, for a file that is not a full history, ``open_items_only`` with ``lacks``: what the
    file does not hold, in words ("payments and their dates")."""

    tables: dict[str, pd.DataFrame]
    issues: list[Issue] = field(default_factory=list)
    date_order: str = "iso"
    decimal: str = "."
    report_date: pd.Timestamp | None = None
    open_items_only: bool = False
    lacks: str = ""
    header_line: int | None = None
    #: the decimal mark the file writes, when the preset rewrote its amounts ("," for a Spanish
    #: book whose amounts it computed): what the user is told was found
    written_decimal: str | None = None
    #: per table, the columns the preset has already read (dates, amounts), so the validation
    #: does not read them again: see :data:`arbook.core.validate.Reading`
    readings: dict[str, dict[str, Reading]] = field(default_factory=dict)


@dataclass(frozen=True)
class Preset:
    """One layout. ``required``: normalised header names its header row holds (they recognise
    it, and a file without them is refused by name); ``recognise`` overrides the recognition for
    layouts without one header row (1C's turnover sheet). ``title`` and ``description`` are
    English marked for the catalogue (``N_``): shown as ``_(preset.title)``, or through
    :attr:`shown_title` and :attr:`summary`, which translate."""

    name: str
    title: str
    read: Reader
    required: tuple[str, ...] = ()
    date_order: str = "iso"
    open_items_only: bool = False
    recognise: Callable[[Grid], bool] | None = None
    description: str = ""

    def recognises(self, grid: Grid) -> bool:
        if self.recognise is not None:
            return self.recognise(grid)
        return bool(self.required) and grid.find_row(self.required) is not None

    @property
    def shown_title(self) -> str:
        """The title in the language spoken now."""
        return _(self.title)

    @property
    def summary(self) -> str:
        """The description (else the title) in the language spoken now."""
        return _(self.description or self.title)


PRESETS: dict[str, Preset] = {}


def register(preset: Preset) -> Preset:
    """Add ``preset`` to :data:`PRESETS` (each module registers its own)."""
    if preset.name in PRESETS:
        raise ValueError(f"two presets named {preset.name!r}")
    PRESETS[preset.name] = preset
    return preset


def detect(grid: Grid) -> Preset | None:
    """The preset whose layout the file's first rows are in: of those that recognise it, the one
    whose header names the most columns (so a layout that extends another wins); None when none
    does."""
    found = [p for p in PRESETS.values() if p.recognises(grid)]
    if not found:
        return None
    return max(found, key=lambda p: (p.recognise is not None, len(p.required)))


def missing_columns(preset: Preset, raw: pd.DataFrame) -> list[Issue]:
    """One ``missing_column`` error per column the preset needs and the file lacks."""
    label = raw.attrs.get("label", "")
    return [
        Issue(
            IssueCode.MISSING_COLUMN,
            label,
            1,
            column,
            None,
            _("no {column} column, which the {preset} preset needs; the file is left out").format(
                column=repr(column), preset=preset.name
            ),
            _(
                "The {preset} preset reads the {summary}; for a folder of invoices/payments files "
                "leave --preset out."
            ).format(preset=preset.name, summary=preset.summary),
        )
        for column in preset.required
        if column not in raw.columns
    ]


def no_header(preset: Preset, grid: Grid) -> Issue:
    """The file has no row with the preset's header: an error naming the columns looked for."""
    return Issue(
        IssueCode.MISSING_COLUMN,
        grid.label,
        None,
        None,
        None,
        _(
            "no header row with the columns {columns} in the first rows, which the {preset} "
            "preset reads; the file is left out"
        ).format(columns=", ".join(preset.required), preset=preset.name),
        _(
            "Export the {title} again without changing its columns, or leave --preset out to let "
            "arbook recognise the layout."
        ).format(title=preset.shown_title),
    )


def located(
    frame: pd.DataFrame,
    columns: dict[str, object],
    rows: pd.Series | npt.NDArray[np.bool_] | None = None,
) -> pd.DataFrame:
    """A raw canonical table: ``columns`` (name -> Series or scalar, aligned with ``frame``, or
    with its ``rows`` when given: a mask) with ``frame``'s ``source_file``/``source_line`` and
    its label. Only those two of ``frame``'s columns are copied."""
    source = frame[["source_file", "source_line"]]
    if rows is not None:
        source = source[rows]
    out = pd.DataFrame(columns, index=source.index)
    out = pd.concat([out, source], axis=1).reset_index(drop=True)
    out.attrs["label"] = frame.attrs.get("label", "")
    return out


# Each module registers its preset(s) on import; the order is the order of --help.
# isort: off
from arbook.core.presets import ibm  # noqa: E402, F401
from arbook.core.presets import quickbooks, xero  # noqa: E402, F401
from arbook.core.presets import erpnext, onec, aeat, sap  # noqa: E402, F401

# isort: on

__all__ = ["PRESETS", "Imported", "Preset", "detect", "missing_columns", "register"]
