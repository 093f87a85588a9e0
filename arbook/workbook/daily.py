"""The daily run (SPEC §7: a documented procedure, acted on every day): what a credit controller
reads first each morning and what a scheduler runs before they arrive.

:func:`daily_run` makes, for one day: today's worklist, what changed since the last working
day (:func:`~arbook.collections.worklist.worklist_changes`: newly overdue invoices, promises and
plan instalments broken, customers newly over their limit, put on or taken off hold, moved up
the ladder), and the documents the ladder says are due today: each worklist row whose step was
reached and not yet acted on and whose step has a document (a reminder, a statement, a notice).
Those are queued for approval (the default) or sent, through the one send path
(:mod:`arbook.collections.documents.sending`), which records each in the contact log, so the
next day's run does not make them again. The run writes a dated digest, HTML and text, to
``<data>/daily/<day>.html|.txt``.

The day defaults to the data's latest day (the newest invoice or payment): a scheduler that runs
each morning on a fresh export gets that export's day, and the digest says so.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
from babel.dates import format_date as babel_date
from jinja2 import Environment, PackageLoader, StrictUndefined

from arbook.collections.ladder import step_text
from arbook.collections.worklist import previous_working_day, worklist, worklist_changes
from arbook.core.dates import date_text, day_stamp, format_count
from arbook.core.errors import ParameterError
from arbook.core.files import write_atomic
from arbook.core.i18n import N_, _, language, ngettext, pgettext
from arbook.core.ledger import Ledger
from arbook.core.money import format_money
from arbook.core.procedure import resolve_ladder
from arbook.measures.disputes import disputed_cents

DIGEST_FOLDER = "daily"
#: the changes, in the order the digest shows them, with their headings (translated where shown)
CHANGES = (
    ("promises_broken", N_("Promises broken")),
    ("instalments_broken", N_("Payment-plan instalments broken")),
    ("newly_overdue", N_("Newly overdue")),
    ("over_limit", N_("Newly over the credit limit")),
    ("put_on_hold", N_("Put on credit hold")),
    ("taken_off_hold", N_("Taken off credit hold")),
    ("crossed_step", N_("Moved up the ladder")),
)
DOCUMENT_COLUMNS = ["customer_id", "name", "step", "document", "status", "file", "note"]


@dataclass
class DailyRun:
    """One day's run: ``day`` and how it was chosen (``day_said``), the ``previous`` working
    day, the ``worklist``, the ``changes`` (name -> frame, see :data:`CHANGES`), the
    ``documents`` due today (:data:`DOCUMENT_COLUMNS`; ``status`` queued, sent, saved or
    refused, with the reason in ``note``) and the digest files written (``digest``: html, txt)."""

    day: pd.Timestamp
    day_said: str
    previous: pd.Timestamp
    worklist: pd.DataFrame
    changes: dict[str, pd.DataFrame]
    documents: pd.DataFrame
    currency: str = ""
    client: str = ""
    digest: dict[str, Path] = field(default_factory=dict)

    @property
    def failed(self) -> bool:
        """Whether a document that should have gone could not (the run's exit code says so)."""
        return bool((self.documents["status"] == "failed").any())


def run_day(ledger: Ledger, as_of=None) -> tuple[pd.Timestamp, str]:
    """The day of the run and how it was chosen, in words (the language spoken)."""
    if as_of is not None:
        return day_stamp(as_of), _("as given")
    if ledger.last_day is None:
        raise ParameterError(_("the ledger has no dated invoice or payment; give --as-of"))
    said = _("the data's latest day; give --as-of for another")
    return pd.Timestamp(ledger.last_day).normalize(), said


def daily_run(
    ledger: Ledger,
    as_of=None,
    *,
    log=None,
    policy=None,
    ladder=None,
    documents=None,
    out=None,
    client: str = "",
) -> DailyRun:
    """Run one day (module docstring). ``documents`` is a callable that makes and queues or
    sends the documents due (``documents(ledger, day, rows) -> frame`` of
    :data:`DOCUMENT_COLUMNS`; None: they are listed as due, nothing is made). ``out``: the
    folder the digest goes to (default ``<data>/daily``; None and no data folder: not written).
    """
    day, said = run_day(ledger, as_of)
    steps = resolve_ladder(ladder, folder=ledger.folder)
    before = previous_working_day(day)
    frame = worklist(ledger, day, policy=policy, log=log, ladder=steps)
    changes = worklist_changes(ledger, day, previous=before, log=log, policy=policy, ladder=steps)
    changes["newly_overdue"] = _with_disputes(changes["newly_overdue"], ledger, day, log)
    due = frame[frame["step_due"] & (frame["template"] != "")]
    if documents is None:
        made = pd.DataFrame(
            {
                "customer_id": due["customer_id"],
                "name": due["name"],
                "step": due["step_label"],
                "document": due["template"],
                "status": "due",
                "file": "",
                "note": "",
            },
            columns=DOCUMENT_COLUMNS,
        ).reset_index(drop=True)
    else:
        made = documents(ledger, day, due)
    run = DailyRun(day, said, before, frame, changes, made, ledger.currency or "", client)
    folder = Path(out) if out is not None else _default_folder(ledger)
    if folder is not None:
        run.digest = write_digest(run, folder)
    return run


def _with_disputes(new: pd.DataFrame, ledger: Ledger, day, log) -> pd.DataFrame:
    """The newly overdue invoices ``new`` with ``disputed_cents``, what of each is in dispute
    on ``day`` by the one rule (the data's flags and the ``log``'s disputes, SPEC §7), and
    ``disputed`` meaning some of it is (not the data's bare flag)."""
    cents = disputed_cents(ledger, day, log)
    cents = cents.reindex(new["document_id"].to_numpy(dtype=object), fill_value=0)
    cents = cents.to_numpy(dtype=np.int64)
    return new.assign(disputed=cents > 0, disputed_cents=cents)


def _default_folder(ledger: Ledger) -> Path | None:
    return ledger.folder / DIGEST_FOLDER if ledger.folder is not None else None


# -- the digest ----------------------------------------------------------------------------------


def _money(cents, currency: str) -> str:
    return format_money(int(cents), currency)


def _day(value) -> str:
    return "" if pd.isna(value) else date_text(value)


def weekday_text(day: pd.Timestamp) -> str:
    """A day with its weekday for people: ``Monday 2026-11-02`` in English, the locale's full
    form in Spanish and Russian (``lunes, 2 de noviembre de 2026``)."""
    lang = language()
    if lang == "en":
        return f"{day:%A %Y-%m-%d}"
    return babel_date(day.date(), format="full", locale=lang)


def document_text(code: object) -> str:
    """A document of the ladder (its template: ``final_notice``) as a person reads it."""
    names = {
        "statement": pgettext("a document", "statement"),
        "reminder": pgettext("a document", "reminder"),
        "notice": pgettext("a document", "notice"),
        "final_notice": pgettext("a document", "final notice"),
        "legal": pgettext("a document", "legal"),
    }
    text = str(code)
    return names.get(text, text.replace("_", " "))


def status_text(code: object) -> str:
    """What became of a document due (``due``, ``queued``, ``sent``, ``saved``, ``refused``,
    ``failed``) as a person reads it."""
    words = {
        "due": pgettext("document status", "due"),
        "queued": pgettext("document status", "queued"),
        "sent": pgettext("document status", "sent"),
        "saved": pgettext("document status", "saved"),
        "refused": pgettext("document status", "refused"),
        "failed": pgettext("document status", "failed"),
    }
    return words.get(str(code), str(code))


def _dispute_note(row, currency: str) -> str:
    """What a newly overdue invoice's line says of its ``disputed_cents``: " (in dispute)" for
    all of it, " (X in dispute)" for part of it, "" for none."""
    part = int(row.disputed_cents)
    if not part:
        return ""
    if part >= int(row.outstanding_cents):
        return " " + _("(in dispute)")
    return " " + _("({amount} in dispute)").format(amount=_money(part, currency))


def _change_line(name: str, r, currency: str) -> str:
    """One row of the change ``name`` in words."""
    who = f"{r.customer_id} {r.name}".strip()
    if name == "promises_broken":
        return _("{who}: promised {promised} by {day}, paid {paid}").format(
            who=who,
            promised=_money(r.promise_cents, currency),
            day=_day(r.promise_date),
            paid=_money(r.paid_cents, currency),
        )
    if name == "instalments_broken":
        return _(
            "{who}: instalment {number} of plan {plan}, {amount} due {day}, paid {paid}"
        ).format(
            who=who,
            number=r.number,
            plan=r.plan_id,
            amount=_money(r.amount_cents, currency),
            day=_day(r.due_date),
            paid=_money(r.paid_cents, currency),
        )
    if name == "newly_overdue":
        text = _("{who}: {document}, {amount} due {day}").format(
            who=who,
            document=r.document_id,
            amount=_money(r.outstanding_cents, currency),
            day=_day(r.due_date),
        )
        return text + _dispute_note(r, currency)
    if name == "over_limit":
        return _("{who}: owes {owed}, limit {limit} ({over} over)").format(
            who=who,
            owed=_money(r.exposure_cents, currency),
            limit=_money(r.credit_limit_cents, currency),
            over=_money(r.over_cents, currency),
        )
    if name == "put_on_hold":
        return f"{who}: {r.reasons}"
    if name == "taken_off_hold":
        return who
    return _("{who}: {start} -> {to} ({action}); {overdue} overdue").format(  # crossed_step
        who=who,
        start=step_text(r.from_step) or _("no step"),
        to=step_text(r.to_step),
        action=r.action,
        overdue=_money(r.overdue_cents, currency),
    )


def change_lines(name: str, frame: pd.DataFrame, currency: str) -> list[str]:
    """One line per row of the change ``name``, in words."""
    return [_change_line(name, r, currency) for r in frame.itertuples(index=False)]


def digest_parts(run: DailyRun) -> dict:
    """What the digest says, as plain values for its two renderings, in the language spoken."""
    cur = run.currency
    changes = [
        (_(title), change_lines(name, run.changes[name], cur))
        for name, title in CHANGES
        if name in run.changes
    ]
    rows = [
        {
            "rank": int(r.rank),
            "who": f"{r.customer_id} {r.name}".strip(),
            "overdue": _money(r.overdue_cents, cur),
            "step": r.step_label or _("in dispute"),
            "action": r.action,
            "reason": r.reason,
            "phone": r.phone,
        }
        for r in run.worklist.itertuples(index=False)
    ]
    # a note shared by several documents (no company name yet: all refused) is said once
    counts = run.documents["note"].value_counts()
    shared = [n for n in counts.index if n and counts[n] > 1]
    docs = [
        {
            "who": f"{r.customer_id} {r.name}".strip(),
            "document": document_text(r.document),
            "step": r.step,
            "status": r.status,
            "status_text": status_text(r.status),
            "file": r.file,
            "note": _note_ref(shared.index(r.note) + 1) if r.note in shared else r.note,
        }
        for r in run.documents.itertuples(index=False)
    ]
    overdue = int(run.worklist["overdue_cents"].sum()) if len(run.worklist) else 0
    title = _("arbook daily: {client}").format(client=run.client) if run.client else "arbook daily"
    return {
        "lang": language(),
        "title": title,
        "day": weekday_text(run.day),
        "day_said": run.day_said,
        "previous": weekday_text(run.previous),
        "changes": changes,
        "nothing_changed": not any(lines for _title, lines in changes),
        "worklist": rows,
        "overdue": _money(overdue, cur),
        "documents": docs,
        "notes": [
            _("{note}: {text}").format(note=_note_ref(k), text=text)
            for k, text in enumerate(shared, 1)
        ],
    }


def _note_ref(number: int) -> str:
    return _("note {number}").format(number=number)


def _worklist_line(p: dict) -> str:
    count = len(p["worklist"])
    return ngettext(
        "Today's worklist: {count} customers, {amount} overdue",
        "Today's worklist: {count} customers, {amount} overdue",
        count,
    ).format(count=format_count(count), amount=p["overdue"])


def digest_text(run: DailyRun) -> str:
    """The digest as plain text (what a scheduler mails or logs), in the language spoken."""
    p = digest_parts(run)
    out = [f"{p['title']}, {p['day']} ({p['day_said']})", ""]
    out.append(_("Since {day} (the last working day):").format(day=p["previous"]))
    if p["nothing_changed"]:
        out.append("  " + _("nothing changed"))
    for title, lines in p["changes"]:
        if lines:
            out.append(f"  {title} ({format_count(len(lines))}):")
            out += [f"    {line}" for line in lines]
    out += ["", _worklist_line(p)]
    for r in p["worklist"]:
        out.append(f"  {r['rank']:>3}. {r['who']}: {r['overdue']}, {r['step']}: {r['action']}")
        out.append(f"       {r['reason']}")
    heading = _("Documents due today by the ladder ({count}):")
    out += ["", heading.format(count=format_count(len(p["documents"])))]
    if not p["documents"]:
        out.append("  " + pgettext("no document", "none"))
    for d in p["documents"]:
        tail = f" {d['file']}" if d["file"] else ""
        note = f" ({d['note']})" if d["note"] else ""
        out.append(f"  {d['who']}: {d['document']} ({d['step']}): {d['status_text']}{tail}{note}")
    out += [f"  {line}" for line in p["notes"]]
    return "\n".join(out) + "\n"


def digest_html(run: DailyRun) -> str:
    """The digest as a standalone HTML page (no network: styles inline), its texts through the
    catalogue (Jinja2's i18n extension, bound to :mod:`arbook.core.i18n`)."""
    env = Environment(
        loader=PackageLoader("arbook", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        extensions=["jinja2.ext.i18n"],
    )
    env.install_gettext_callables(  # type: ignore[attr-defined]
        gettext=_, ngettext=ngettext, newstyle=True
    )
    parts = digest_parts(run)
    return env.get_template("_daily.html.j2").render(
        **parts, worklist_line=_worklist_line(parts), count=format_count
    )


def write_digest(run: DailyRun, folder: Path) -> dict[str, Path]:
    """Write ``<folder>/<day>.html`` and ``.txt`` (atomically; a run the same day replaces that
    day's digest) and return their paths."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = f"{run.day:%Y-%m-%d}"
    paths = {"html": folder / f"{stem}.html", "txt": folder / f"{stem}.txt"}
    write_atomic(paths["html"], digest_html(run).encode("utf-8"))
    write_atomic(paths["txt"], digest_text(run).encode("utf-8"))
    return paths
