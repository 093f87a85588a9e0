"""The worklist as pages of rows, each row with a button that opens that customer's call screen
(Voilà runs no custom JavaScript, so a row is clicked through an ipywidgets button).

A page holds :data:`PAGE_ROWS` rows; the widgets of a page are made once and filled in place when
the worklist or the page changes. DOM: the list is ``.arbook-worklist``, its summary
``.arbook-worklist-summary``; each row ``.arbook-worklist-row`` holds the button
``.arbook-worklist-call`` (labelled with the customer id) and a table carrying
``data-customer``; the pager is ``.arbook-worklist-prev``, ``.arbook-worklist-next`` and
``.arbook-worklist-where``. Its words are in the language spoken.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from arbook.core.dates import format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import _
from arbook.views.dashboard.collections_views import (
    worklist_head_html,
    worklist_row_html,
    worklist_summary_html,
)
from arbook.views.dashboard.parts import html_box
from arbook.views.html import esc

#: Rows on one page of the worklist.
PAGE_ROWS = 12


class WorklistPager:
    """The worklist's pages. ``on_open(customer_id)`` is called when a row's button is pressed;
    ``guard()`` wraps every action (the tab's: a failure becomes its status line)."""

    def __init__(self, on_open, guard):
        self._on_open, self._guard = on_open, guard
        self.page = 0
        self.frame = pd.DataFrame()
        self._ids: list[str] = [""] * PAGE_ROWS
        self._summary = html_box("arbook-worklist-summary")
        self._head = html_box("arbook-worklist-head")
        self._rows, self._cells, self._buttons = [], [], []
        for slot in range(PAGE_ROWS):
            button = w.Button(icon="phone", tooltip=_("Open the call screen"))
            button.add_class("arbook-worklist-call")
            button.on_click(lambda _, slot=slot: self._press(slot))
            cell = w.HTML(layout={"flex": "1 1 auto", "width": "100%"})
            line = w.HBox(
                [button, cell],
                layout={"width": "100%", "display": "none", "align_items": "flex-start"},
            )
            line.add_class("arbook-worklist-row")
            self._rows.append(line)
            self._cells.append(cell)
            self._buttons.append(button)
        self._prev = w.Button(description=_("Previous"), icon="chevron-left")
        self._next = w.Button(description=_("Next"), icon="chevron-right")
        self._prev.add_class("arbook-worklist-prev")
        self._next.add_class("arbook-worklist-next")
        self._where = html_box("arbook-worklist-where")
        self._prev.on_click(lambda _: self.go(self.page - 1))
        self._next.on_click(lambda _: self.go(self.page + 1))
        pager = w.HBox([self._prev, self._where, self._next], layout={"align_items": "center"})
        self.widget = w.VBox([self._summary, self._head, *self._rows, pager])
        self.widget.add_class("arbook-worklist")
        self._currency: str | None = None

    @property
    def pages(self) -> int:
        return max(1, -(-len(self.frame) // PAGE_ROWS))

    @property
    def shown(self) -> list[str]:
        """The customer ids of the rows on the page shown."""
        return [cid for cid, row in zip(self._ids, self._rows) if row.layout.display != "none"]

    def show(self, frame: pd.DataFrame, day, currency: str | None) -> None:
        """Show worklist ``frame`` (as of ``day``), staying on the page shown when it still
        exists."""
        self.frame, self._currency = frame, currency
        self._summary.value = worklist_summary_html(frame, day, currency)
        self._head.value = worklist_head_html(currency)
        self._head.layout.display = None if len(frame) else "none"
        self.page = min(self.page, self.pages - 1)
        self._draw()

    def go(self, page) -> None:
        """Show page ``page`` (0 is the first)."""
        with self._guard():
            if not isinstance(page, int) or isinstance(page, bool) or not 0 <= page < self.pages:
                raise ParameterError(
                    _(
                        "worklist page {page}: there are pages 1 to {pages}; use {previous} and "
                        "{next}"
                    ).format(
                        page=repr(page),
                        pages=self.pages,
                        previous=self._prev.description,
                        next=self._next.description,
                    )
                )
            self.page = page
            self._draw()

    def page_of(self, customer_id: str) -> int | None:
        """The page listing ``customer_id`` (None when it is not on the worklist)."""
        found = (
            self.frame.index[self.frame["customer_id"] == customer_id] if len(self.frame) else []
        )
        return int(found[0]) // PAGE_ROWS if len(found) else None

    def focus(self) -> None:
        """Put the keyboard on the page's first row (the browser scrolls it into view)."""
        if self.shown:
            self._buttons[0].focus()

    def _press(self, slot: int) -> None:
        self._on_open(self._ids[slot])

    def _draw(self) -> None:
        start = self.page * PAGE_ROWS
        rows = self.frame.iloc[start : start + PAGE_ROWS] if len(self.frame) else self.frame
        records = rows.to_dict(orient="records")
        for slot, line in enumerate(self._rows):
            if slot < len(records):
                row = records[slot]
                self._ids[slot] = row["customer_id"]
                self._buttons[slot].description = str(row["customer_id"])
                self._buttons[slot].tooltip = _("Open the call screen of {name}").format(
                    name=row["name"]
                )
                self._cells[slot].value = worklist_row_html(row, self._currency)
                line.layout.display = None
            else:
                self._ids[slot] = ""
                line.layout.display = "none"
        total = len(self.frame)
        where = (
            _("customers {first}–{last} of {total} (page {page} of {pages})").format(
                first=format_count(start + 1),
                last=format_count(start + len(records)),
                total=format_count(total),
                page=format_count(self.page + 1),
                pages=format_count(self.pages),
            )
            if total
            else _("Nobody to contact today.")
        )
        self._where.value = f'<span class="arbook-note">{esc(where)}</span>'
        self._prev.disabled = self.page == 0
        self._next.disabled = self.page >= self.pages - 1


__all__ = ["PAGE_ROWS", "WorklistPager"]
