"""What the "Load your data" screen shows that needs no widget (:mod:`.load_data` draws it):
the data folder's files, an upload checked and written atomically, the totals of the ledger a
mapping reads (from :func:`~arbook.measures.aging.aging_summary`, the dashboard's own figures) and
the HTML of the first rows, the totals and every problem."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.files import write_atomic
from arbook.core.folder import SUFFIXES, table_of
from arbook.core.i18n import N_, _, ngettext, pgettext
from arbook.core.ledger import Ledger, default_as_of
from arbook.core.money import format_money
from arbook.measures.aging import aging, aging_summary
from arbook.views.format import format_date
from arbook.views.html import esc, table_html

#: the largest upload accepted (bytes): a workbook or CSV of a few hundred thousand rows
MAX_UPLOAD = 200 << 20
#: a file this large gets a progress bar while it is read
LARGE_FILE = 1 << 20
PREVIEW_ROWS = 8
ISSUE_ROWS = 50
#: the dropdowns' choices (labels marked for the catalogue: :func:`options` translates them)
DATE_ORDER_OPTIONS = [
    (N_("ISO 2026-06-30"), "iso"),
    (N_("day first 30/06/2026"), "dmy"),
    (N_("month first 06/30/2026"), "mdy"),
]
DECIMAL_OPTIONS = [(N_("point 1,234.50"), "."), (N_("comma 1.234,50"), ",")]
#: an issue's severity for people (the code stays as it is)
SEVERITY_WORDS = {"error": N_("error"), "warning": N_("warning")}
LOAD_CSS = """
<style>
.arbook-load-data .arbook-map-row { gap: 2px 10px; flex-wrap: nowrap !important; }
.arbook-load-data .arbook-map-field { width: 120px; font-weight: 600; font-size: 13px; }
.arbook-load-data .arbook-map-reason { color: #52606d; font-size: 11px; line-height: 1.3;
  width: 300px; }
.arbook-load-data .arbook-load-side { width: 430px; margin-left: 16px; }
.arbook-load-data .arbook-facts { display: flex; flex-wrap: wrap; gap: 8px 18px;
  margin: 6px 0 10px; font-size: 14px; }
.arbook-load-data .arbook-load-side .arbook-facts b { font-size: 16px; }
.arbook-load-data .arbook-load-side .widget-html-content { white-space: normal;
  overflow-x: auto; }
.arbook-load-data .arbook-load-side table { font-size: 12px; }
.arbook-load-data .arbook-section { font-size: 15px; font-weight: 600; margin: 10px 0 4px; }
.arbook-load-data .arbook-load-problems li { margin: 2px 0; }
.arbook-load-data .arbook-load-preset-note { background: #eef6ee; padding: 6px 10px; }
.arbook-load-data .arbook-load-rates textarea { font-family: monospace; font-size: 12px; }
.arbook-load-data .arbook-load-rates-note { color: #52606d; font-size: 12px; }
</style>
"""


def options(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """A dropdown's ``(label, value)`` choices with the labels in the language spoken now."""
    return [(_(label), value) for label, value in choices]


def data_files(folder: Path | None) -> list[str]:
    """The files of ``folder`` a person may map or read (CSV, text, workbooks), by name."""
    if folder is None or not folder.is_dir():
        return []
    return sorted(
        p.name
        for p in folder.iterdir()
        if p.is_file() and p.suffix.lower() in SUFFIXES and not p.name.startswith((".", "~$"))
    )


def upload_name(name: str) -> str:
    """The file name an upload is saved under: its last part only (no folders), refused when it
    is not a file arbook reads."""
    base = Path(str(name).replace("\\", "/")).name.strip()
    if not base or base.startswith("."):
        raise ParameterError(_("{name} is not a file name").format(name=repr(str(name)[:80])))
    if Path(base).suffix.lower() not in SUFFIXES:
        raise ParameterError(
            _("{file}: arbook reads {suffixes} files; export the data as CSV or XLSX").format(
                file=base, suffixes=", ".join(SUFFIXES)
            )
        )
    return base


def save_upload(folder: Path, name: str, content: bytes) -> Path:
    """Write an uploaded file into ``folder`` atomically (a temporary file, then a rename);
    returns its path. Refused (ParameterError) when it is empty or too large, or would replace
    one of arbook's own files."""
    base = upload_name(name)
    if not folder.is_dir():
        raise ParameterError(_("{folder}: the data folder does not exist").format(folder=folder))
    if not content:
        raise ParameterError(_("{file} is empty").format(file=base))
    if len(content) > MAX_UPLOAD:
        raise ParameterError(
            _("{file} is {size} bytes; at most {most}").format(
                file=base, size=format_count(len(content)), most=format_count(MAX_UPLOAD)
            )
        )
    own = own_files(folder)
    if own:
        raise ParameterError(
            _(
                "{folder} holds arbook's own files ({files}); a file to map goes into a "
                "folder of its own: start the dashboard on that folder (arbook dashboard FOLDER)"
            ).format(folder=folder, files=", ".join(own))
        )
    if table_of(base)[1]:
        raise ParameterError(
            _("{file} is named like arbook's own {table} file; rename the upload").format(
                file=base, table=table_of(base)[0]
            )
        )
    return write_atomic(folder / base, bytes(content))


def own_files(folder: Path) -> list[str]:
    """arbook's own table files in ``folder`` (``invoices.csv``...): a folder holding them is read
    as arbook's files, so a mapping there is refused. A rates file is not one of them: it is
    read with the export beside it."""
    return [n for n in data_files(folder) if table_of(n)[0] not in (None, "rates")]


def money(cents: int, currency: str | None) -> str:
    """An amount for people, with the book's currency when the data names it."""
    return format_money(cents, currency)


def totals(ledger: Ledger, *, policy=None) -> dict[str, object]:
    """What the screen shows of a read ledger, at its default as-of date (the report's date for
    open items): ``as_of``, total receivable, credits and unapplied cash, net receivable (cents),
    open items, the bucket totals by label and the currency. From :func:`aging_summary`: the
    same figures the dashboard shows once the data is used."""
    as_of = default_as_of(ledger)
    summary = aging_summary(ledger, as_of, policy=policy)
    buckets = [
        c
        for c in summary.columns
        if c.endswith("_cents") and c not in ("receivable_cents", "unapplied_cents", "total_cents")
    ]
    items = aging(ledger, as_of)
    return {
        "as_of": as_of,
        "receivable_cents": int(summary["receivable_cents"].sum()),
        "unapplied_cents": int(summary["unapplied_cents"].sum()),
        "net_cents": int(summary["total_cents"].sum()),
        "open_items": len(items),
        "buckets": {c.removesuffix("_cents"): int(summary[c].sum()) for c in buckets},
        "currency": ledger.currency,
    }


def totals_html(figures: dict, ledger: Ledger) -> str:
    """The totals as facts and a one-row bucket table."""
    cur = figures["currency"]
    facts = [
        ("receivable", _("Total receivable"), money(figures["receivable_cents"], cur)),
        ("unapplied", _("Credits and unapplied cash"), money(figures["unapplied_cents"], cur)),
        ("net", _("Net receivable"), money(figures["net_cents"], cur)),
        ("open_items", _("Open items"), format_count(figures["open_items"])),
    ]
    shown = "".join(
        f'<div data-figure="{key}">{esc(label)}<br><b>{esc(value)}</b></div>'
        for key, label, value in facts
    )
    buckets = pd.DataFrame([{f"{k}_cents": v for k, v in figures["buckets"].items()}])
    note = f" · {esc(ledger.history_note)}" if ledger.open_items_only else ""
    heading = esc(
        _("What this mapping reads, as of {date}").format(date=format_date(figures["as_of"]))
    )
    # the bucket columns are named by their days ("1-30"); only "current" is a word
    titles = {"current_cents": _("current")}
    return (
        f'<div class="arbook"><div class="arbook-section">{heading}{note}</div>'
        f'<div class="arbook-facts">{shown}</div>{table_html(buckets, titles=titles)}'
        f'<p class="arbook-note">{esc(ledger.describe())}</p></div>'
    )


def problems_html(found: list[str], ledger: Ledger | None) -> str:
    """The mapping's problems as a list, then every issue of the ledger it reads."""
    items = "".join(f"<li>{esc(p)}</li>" for p in found)
    title = _("Problems ({count})").format(count=format_count(len(found)))
    none = esc(_("The mapping itself raises no problem."))
    head = (
        f'<div class="arbook-section">{esc(title)}</div><ul>{items}</ul>'
        if found
        else f'<p class="arbook-note">{none}</p>'
    )
    issues = "" if ledger is None else issue_list(ledger.issues)
    return f'<div class="arbook">{head}{issues}</div>'


def issue_list(issues: pd.DataFrame) -> str:
    """Every issue of the ledger read, one line each: severity, where (the file's name and line),
    what and the fix; the first :data:`ISSUE_ROWS` of them, then how many more."""
    if not len(issues):
        checked = esc(_("Data checked: every row was read."))
        return f'<p class="arbook-note">{checked}</p>'
    lines = []
    for r in issues.head(ISSUE_ROWS).itertuples(index=False):
        where = Path(str(r.source_file)).name if isinstance(r.source_file, str) else ""
        if where and pd.notna(r.source_line):
            where += f":{int(r.source_line)}"
        said = [str(t).strip().rstrip(".") for t in (r.message, r.hint) if isinstance(t, str)]
        text = ". ".join(t for t in said if t) + "."
        severity = _(SEVERITY_WORDS.get(str(r.severity), str(r.severity)))
        lines.append(f"<li><b>{esc(severity)}</b> {esc(where)} {esc(r.code)}: {esc(text)}</li>")
    more = len(issues) - ISSUE_ROWS
    rest = ngettext("{count} more not shown.", "{count} more not shown.", max(more, 0))
    tail = (
        f'<p class="arbook-note">{esc(rest.format(count=format_count(more)))}</p>'
        if more > 0
        else ""
    )
    title = _("Data issues ({count})").format(count=format_count(len(issues)))
    return (
        f'<div class="arbook-section">{esc(title)}</div>'
        f'<ul class="arbook-load-issues">{"".join(lines)}</ul>{tail}'
    )


def rows_html(preview: pd.DataFrame, header_line: int, where: str, notes: list[str]) -> str:
    """The file's first rows below its header (their line numbers first) and what was found.
    ``where`` is "row" (a workbook's) or "line" (a text file's)."""
    workbook = where == "row"
    label = (
        pgettext("a place in a file", "row") if workbook else pgettext("a place in a file", "line")
    )
    frame = preview.head(PREVIEW_ROWS).reset_index().rename(columns={"line": label})
    said = "".join(f"<li>{esc(n)}</li>" for n in notes)
    heading = (
        _("The file: header on row {line}, first rows below it")
        if workbook
        else _("The file: header on line {line}, first rows below it")
    ).format(line=header_line)
    return (
        f'<div class="arbook"><div class="arbook-section">{esc(heading)}</div>'
        f"{table_html(frame)}<ul>{said}</ul></div>"
    )
