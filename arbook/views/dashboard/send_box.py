"""Approve and send (SPEC §7): the documents queued in the outbox (by ``arbook daily``, or
"Queue for approval" on a call screen), to tick, preview, and then e-mail, keep to print and
post, or withdraw, in bulk, through the one send path
(:func:`~arbook.collections.documents.send_queued`, :func:`~arbook.collections.documents.
keep_queued`, :func:`~arbook.collections.documents.withdraw`): what is given is recorded in the
contact log, so the worklist knows the step is done. Each document's outcome gets its own line;
once the mail server cannot be reached the rest are left queued, not tried. The documents given
on the work day are listed below the queue.

DOM contract: ``.arbook-send``; each queued document a row ``.arbook-send-row`` with the box
``.arbook-send-tick``, a table carrying ``data-document`` (its PDF in the outbox) and
``data-customer``, and ``.arbook-send-preview``; ``.arbook-send-all``, ``.arbook-send-again``;
the buttons ``.arbook-send-email``, ``.arbook-send-keep``, ``.arbook-send-withdraw``; the
outcome ``.arbook-send-results``, the preview ``.arbook-send-frame``, the day's documents
given ``.arbook-send-done``.

The documents are in each customer's language; the box's labels and lines in the language
spoken.
"""

from __future__ import annotations

import ipywidgets as w
import pandas as pd

from arbook.collections.documents import (
    keep_queued,
    outbox_documents,
    queued,
    send_queued,
    smtp_settings,
    withdraw,
)
from arbook.collections.documents.register import outbox_of
from arbook.core.dates import date_text, format_count
from arbook.core.errors import ArbookError, LogError, ParameterError
from arbook.core.i18n import N_, _, ngettext, pgettext
from arbook.views.dashboard.collections_labels import document_label, step_text
from arbook.views.dashboard.collections_views import preview_html
from arbook.views.dashboard.documents_box import in_dashboard_terms
from arbook.views.dashboard.parts import html_box
from arbook.views.html import esc, table_html

#: Queued documents shown at once (the rest wait for the next screenful).
SHOWN = 100
ACTIONS = ("email", "keep", "withdraw")
#: how a document given was given, by its status in the outbox
GIVEN = {"sent": N_("e-mailed"), "saved": N_("kept to print and post")}


def _button(description: str, cls: str, icon: str, style: str = "") -> w.Button:
    button = w.Button(description=description, icon=icon, button_style=style,
                      layout={"width": "auto"})  # fmt: skip
    button.add_class(cls)
    return button


def queued_row_html(row: dict, name: str) -> str:
    """One queued document: customer, document, ladder step, day, and to whom it would go."""
    to = row.get("to") or ""
    step = step_text(row.get("step") or None)
    cells = [
        f"<b>{esc(name)}</b> ({esc(row['customer_id'])})",
        esc(document_label(row["kind"])) + (f" · {esc(step)}" if step else ""),
        esc(_("as of {day}").format(day=date_text(row["as_of"]))),
        esc(
            _("to {address}").format(address=to)
            if to
            else _("no e-mail address: keep it to print and post")
        ),
    ]
    widths = "".join(f'<col style="width:{w}">' for w in ("32%", "25%", "15%", "28%"))
    return (
        f'<table class="arbook arbook-table arbook-wl" data-document="{esc(row["pdf"])}" '
        f'data-customer="{esc(row["customer_id"])}"><colgroup>{widths}</colgroup><tbody><tr>'
        + "".join(f"<td>{c}</td>" for c in cells)
        + "</tr></tbody></table>"
    )


def done_html(done: pd.DataFrame, names, day) -> str:
    """The documents given on ``day``: e-mailed or kept to print and post."""
    if done.empty:
        empty = _("No document given on {day} yet.").format(day=date_text(day))
        return f'<p class="arbook-note">{esc(empty)}</p>'
    shown = pd.DataFrame(
        {
            "customer": [f"{names.get(c, c)} ({c})" for c in done["customer_id"]],
            "document": done["kind"].map(document_label),
            "ladder step": done["step"].map(lambda k: step_text(k or None)),
            "given": done["status"].map(lambda s: _(GIVEN[s]) if s in GIVEN else str(s)),
            "to": done["to"].fillna("").where(done["status"] == "sent", ""),
            "file": done["pdf"],
        }
    )
    titles = {
        "customer": _("customer"),
        "document": _("document"),
        "ladder step": _("ladder step"),
        "given": _("given"),
        "to": pgettext("recipient", "to"),
        "file": _("file"),
    }
    heading = _("Given on {day} ({count})").format(
        day=date_text(day), count=format_count(len(done))
    )
    return f'<div class="arbook-section">{esc(heading)}</div>' + table_html(
        shown, titles=titles, max_rows=SHOWN
    )


class SendBox:
    """The queue of documents awaiting approval, for the tab's ledger and contact log."""

    def __init__(self, tab):
        self.tab = tab
        self.frame = pd.DataFrame()
        self._head = html_box("arbook-send-head")
        self.all = w.Checkbox(description=_("tick all"), indent=False, layout={"width": "auto"})
        self.all.add_class("arbook-send-all")
        self.again = w.Checkbox(
            description=_("again (give documents already given today)"),
            indent=False,
            layout={"width": "auto"},
        )
        self.again.add_class("arbook-send-again")
        self._email = _button(_("E-mail ticked"), "arbook-send-email", "envelope", "primary")
        self._keep = _button(_("Keep ticked to print and post"), "arbook-send-keep", "print")
        self._withdraw = _button(_("Withdraw ticked"), "arbook-send-withdraw", "times")
        self._rows = w.VBox(layout={"max_height": "460px", "overflow": "auto"})
        self._results = html_box("arbook-send-results")
        self._frame = html_box("arbook-send-frame")
        self._done = html_box("arbook-send-done")
        self.ticks: list[w.Checkbox] = []
        self.all.observe(lambda c: self._tick_all(c["new"]), "value")
        self._email.on_click(lambda _: self.act("email"))
        self._keep.on_click(lambda _: self.act("keep"))
        self._withdraw.on_click(lambda _: self.act("withdraw"))
        bar = w.HBox(
            [self.all, self._email, self._keep, self._withdraw, self.again],
            layout={"flex_flow": "row wrap", "align_items": "center"},
        )
        self.widget = w.VBox([self._head, bar, self._rows, self._results, self._frame, self._done])
        self.widget.add_class("arbook-send")

    @property
    def results_html(self) -> str:
        return self._results.value

    @property
    def done_html(self) -> str:
        return self._done.value

    @property
    def preview_html(self) -> str:
        return self._frame.value

    def show(self) -> None:
        """Read the outbox's queue and the documents given on the work day, and redraw."""
        tab = self.tab
        box = outbox_of(tab.ledger)
        self.frame = queued(box).head(SHOWN) if box.is_dir() else pd.DataFrame()
        names = dict(zip(tab.ledger.customers["customer_id"], tab.ledger.customers["name"]))
        for old in self._rows.children:
            old.close()
        rows, self.ticks = [], []
        for row in self.frame.to_dict(orient="records"):
            tick = w.Checkbox(indent=False, layout={"width": "28px"})
            tick.add_class("arbook-send-tick")
            look = _button(_("Preview"), "arbook-send-preview", "eye")
            look.layout.flex = "none"
            look.on_click(lambda _, pdf=row["pdf"]: self.preview(pdf))
            cell = w.HTML(
                queued_row_html(row, names.get(row["customer_id"], "")),
                layout={"flex": "1 1 auto", "width": "100%"},
            )
            line = w.HBox([tick, cell, look], layout={"align_items": "center", "width": "100%"})
            line.add_class("arbook-send-row")
            rows.append(line)
            self.ticks.append(tick)
        self._rows.children = rows
        count = len(self.frame)
        heading = _("Documents to approve ({count})").format(count=format_count(count))
        note = (
            _(
                "Queued by the daily run or a call screen: tick them, preview, then e-mail "
                "them or keep them to print and post. Each is recorded in the contact log."
            )
            if count
            else _("Nothing waits for approval.")
        )
        self._head.value = (
            f'<div class="arbook"><div class="arbook-section">{esc(heading)}</div>'
            f'<span class="arbook-note">{esc(note)}</span></div>'
        )
        self.all.value = False
        every = outbox_documents(box) if box.is_dir() else pd.DataFrame(columns=["status"])
        done = every[every["status"].isin(["sent", "saved"])]
        done = done[done["as_of"] == f"{tab.day:%Y-%m-%d}"] if len(done) else done
        self._done.value = done_html(done, names, tab.day)

    def tick(self, *documents: str) -> None:
        """Tick the queued documents named by their PDF (as the outbox names them)."""
        known = list(self.frame["pdf"]) if len(self.frame) else []
        for pdf in documents:
            if pdf not in known:
                raise ParameterError(
                    _("{document} is not queued; choose one of the list").format(document=repr(pdf))
                )
            self.ticks[known.index(pdf)].value = True

    @property
    def ticked(self) -> list[str]:
        """The PDFs ticked, in the queue's order."""
        return [pdf for pdf, t in zip(self.frame.get("pdf", []), self.ticks) if t.value]

    def preview(self, pdf: str) -> None:
        """Show the queued document ``pdf`` as the customer would get it."""
        tab = self.tab
        with tab.guard():
            path = (outbox_of(tab.ledger) / pdf).with_suffix(".html")
            if pdf not in list(self.frame.get("pdf", [])) or not path.is_file():
                raise ParameterError(
                    _("{document} is not in the queue any more; reload the list").format(
                        document=repr(pdf)
                    )
                )
            self._frame.value = preview_html(path.read_text(encoding="utf-8"))
            tab.say(_("Preview of {document}.").format(document=pdf))

    def act(self, action: str) -> list[str]:
        """E-mail (``email``), keep to print and post (``keep``) or withdraw the ticked
        documents; return one line per document saying what became of it."""
        tab, lines = self.tab, []
        with tab.guard():
            if action not in ACTIONS:
                raise ParameterError(
                    _("no action {action}; use the buttons").format(action=repr(str(action)[:40]))
                )
            chosen = self.ticked
            if not chosen:
                raise ParameterError(_("tick the documents to give first"))
            problems: list[str] = []
            who = tab.who(problems) if action != "withdraw" else ""
            if problems:
                raise ParameterError(
                    _("Nothing given: {problems}").format(problems="; ".join(problems))
                )
            lines = self._act(action, chosen, who)
            self.again.value = False
            tab.refresh()
            self._results.value = _results_html(lines)
            failed = sum(1 for ok, _ in lines if not ok)
            said = _acted(action, len(chosen) - failed, len(chosen))
            if failed:
                tab._refuse(
                    _("{done}; {failed} not: see each line below the queue").format(
                        done=said, failed=format_count(failed)
                    )
                )
            else:
                tab.say(f"{said}.")
        return [text for _, text in lines]

    def _act(self, action: str, chosen: list[str], who: str) -> list[tuple[bool, str]]:
        tab, box = self.tab, outbox_of(self.tab.ledger)
        smtp = smtp_settings(tab.ledger.policy) if action == "email" else None
        lines, down = [], ""
        for pdf in chosen:
            path = box / pdf
            if down:
                lines.append((False, _("{document}: left queued, not tried ({why})").format(
                    document=pdf, why=_(down))))  # fmt: skip
                continue
            try:
                if action == "email":
                    done = send_queued(path, log=tab.log, who=who, smtp=smtp, outbox=box,
                                       confirm_repeat=self.again.value)  # fmt: skip
                    lines.append(
                        (True, _("{document}: e-mailed to {to}").format(document=pdf, to=done.to))
                    )
                elif action == "keep":
                    done = keep_queued(path, log=tab.log, who=who, outbox=box,
                                       confirm_repeat=self.again.value)  # fmt: skip
                    lines.append(
                        (True, _("{document}: kept to print and post").format(document=pdf))
                    )
                else:
                    withdraw(path, outbox=box)
                    lines.append((True, _("{document}: withdrawn (nothing given, nothing logged)")
                                  .format(document=pdf)))  # fmt: skip
            except LogError as exc:  # given but not recorded: stop and say it loudly
                lines.append((False, f"{pdf}: {exc}"))
                down = N_("a record failed")
            except ParameterError as exc:
                lines.append((False, f"{pdf}: {in_dashboard_terms(str(exc))}"))
            except ArbookError as exc:
                lines.append((False, f"{pdf}: {exc}"))
                if type(exc) is ArbookError:  # the server or the connection, not this one
                    down = N_("the mail server failed")
        return lines

    def _tick_all(self, value: bool) -> None:
        for tick in self.ticks:
            tick.value = bool(value)


def _acted(action: str, done: int, count: int) -> str:
    """What became of ``count`` ticked documents: "2 of 3 documents e-mailed"."""
    if action == "email":
        text = ngettext(
            "{done} of {count} document e-mailed", "{done} of {count} documents e-mailed", count
        )
    elif action == "keep":
        text = ngettext(
            "{done} of {count} document kept to print and post",
            "{done} of {count} documents kept to print and post",
            count,
        )
    else:
        text = ngettext(
            "{done} of {count} document withdrawn", "{done} of {count} documents withdrawn", count
        )
    return text.format(done=format_count(done), count=format_count(count))


def _results_html(lines: list[tuple[bool, str]]) -> str:
    items = "".join(
        f'<li class="{"ok" if ok else "arbook-error"}">{esc(text)}</li>' for ok, text in lines
    )
    return f'<ul class="arbook arbook-send-outcome">{items}</ul>'


__all__ = ["SendBox", "done_html", "queued_row_html"]
