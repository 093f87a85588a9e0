"""The worklist (or any frame of money and dates) as an Excel sheet for people: amounts as
amounts, dates as dates, and text that never runs as a formula. The column titles and the sheet's
name are in the language spoken (English: the column names, ``_cents`` left off); the cells
hold what the frame holds (codes stay codes, amounts and dates stay numbers and dates)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from arbook.core.files import safe_text
from arbook.core.i18n import _, pgettext

MONEY_FORMAT, DATE_FORMAT = "#,##0.00", "yyyy-mm-dd"


def _cell_value(value, money: bool):
    if value is None or value is pd.NA or (not isinstance(value, str) and pd.isna(value)):
        return None
    if money:
        return int(value) / 100
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date()
    if isinstance(value, (np.integer, np.floating, np.bool_)):
        return value.item()
    return safe_text(str(value)) if not isinstance(value, (int, float, bool)) else value


def column_titles() -> dict[str, str]:
    """The worklist's columns as the sheet titles them, in the language spoken."""
    return {
        "rank": pgettext("worklist column", "rank"),
        "customer_id": pgettext("worklist column", "customer_id"),
        "name": pgettext("worklist column", "name"),
        "phone": pgettext("worklist column", "phone"),
        "overdue_cents": pgettext("worklist column", "overdue"),
        "oldest_days": pgettext("worklist column", "oldest_days"),
        "step": pgettext("worklist column", "step"),
        "action": pgettext("worklist column", "action"),
        "reason": pgettext("worklist column", "reason"),
        "script": pgettext("worklist column", "script"),
        "last_contact": pgettext("worklist column", "last_contact"),
        "next_date": pgettext("worklist column", "next_date"),
        "disputed_cents": pgettext("worklist column", "disputed"),
        "step_label": pgettext("worklist column", "step_label"),
        "step_due": pgettext("worklist column", "step_due"),
        "template": pgettext("worklist column", "template"),
    }


def _title(column, titles: dict[str, str]) -> str:
    name = str(column)
    return titles.get(name) or name.removesuffix("_cents")


def write_worklist(frame: pd.DataFrame, path, *, title: str | None = None) -> None:
    """Write ``frame`` (a :func:`worklist`, or any frame) to ``path`` as one Excel sheet: bold
    shaded header frozen in place, ``*_cents`` columns as amounts (titled without ``_cents``,
    2 decimals), dates as dates, column widths to fit (long text wrapped); the titles and the
    sheet's name (``title``, default "Worklist") in the language spoken. Text is written as
    text and never as a formula: a value starting with ``= + - @`` is prefixed with ``'``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    book = Workbook()
    sheet = book.active
    sheet.title = (title or _("Worklist"))[:31]  # Excel's limit for a sheet's name
    titles = column_titles()
    sheet.append([safe_text(_title(c, titles)) for c in frame.columns])
    for cell in sheet[1]:
        cell.font, cell.fill = Font(bold=True), PatternFill("solid", fgColor="DDE4EE")
    money = [str(c).endswith("_cents") for c in frame.columns]
    for values in frame.itertuples(index=False):
        sheet.append([_cell_value(v, m) for v, m in zip(values, money)])
    for col, name in enumerate(frame.columns, start=1):
        letter = get_column_letter(col)
        texts = [str(c.value) for c in sheet[letter] if c.value is not None]
        width = min(max(map(len, texts), default=8) + 2, 60)
        sheet.column_dimensions[letter].width = max(width, 10)
        for cell in sheet[letter][1:]:
            if isinstance(cell.value, str):
                cell.data_type = "s"  # openpyxl would read "=..." as a formula
                cell.alignment = Alignment(wrap_text=width >= 60, vertical="top")
            elif money[col - 1]:
                cell.number_format = MONEY_FORMAT
            elif frame[name].dtype.kind == "M":
                cell.number_format = DATE_FORMAT
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = sheet.dimensions
    book.save(path)
