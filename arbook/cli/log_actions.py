"""The actions of ``arbook log`` (:mod:`arbook.cli.log`): each reads its arguments, makes one
library call on the ledger and the contact log, and prints the result: tables for people with
labels ("no answer"), CSV and JSON with the codes."""

from __future__ import annotations

import argparse
import datetime as dt
import os
from pathlib import Path

import pandas as pd

from arbook.cli.common import open_log, say
from arbook.collections.contacts import CHANNEL_LABELS, OUTCOME_LABELS, log_location
from arbook.collections.plans import plan_problems, plan_status
from arbook.collections.worklist import work_day
from arbook.core.dates import date_text, format_count
from arbook.core.errors import ParameterError
from arbook.core.i18n import _, language, ngettext
from arbook.core.ledger import default_as_of
from arbook.measures.disputes import LABELS, dispute_list, known_customer
from arbook.measures.disputes import money_text as _money


def day_arg(text: str) -> dt.date:
    """``YYYY-MM-DD`` -> a date (argparse type)."""
    try:
        return dt.date.fromisoformat(text.strip())
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("{text} is not a date; write YYYY-MM-DD").format(text=repr(text))
        ) from None


# -- helpers -----------------------------------------------------------------------------------


def _who(args) -> str:
    who = args.who or os.environ.get("USER") or os.environ.get("USERNAME")
    if not who:
        raise ParameterError(_("who did it? give --who (your name); $USER is not set"))
    return who


def _day_of(args, ledger) -> pd.Timestamp:
    """--as-of, else the data's latest day (the dashboard's day), said on stderr."""
    if args.as_of:
        return pd.Timestamp(day_arg(args.as_of))
    day = work_day(ledger, default_as_of(ledger))
    say(
        _("as of {date}, the data's latest day (--as-of to choose another)").format(
            date=date_text(day)
        ),
        err=True,
    )
    return day


def _known(ledger, customer_id: str) -> None:
    problem = known_customer(ledger, customer_id)
    if problem:
        raise ParameterError(problem)


def writable(args, ledger):
    """The log to write to, started when there is none yet (and said so)."""
    place = log_location(args.log, folder=ledger.folder)
    new = place is not None and not isinstance(place, str) and not place.exists()
    log = open_log(args, ledger, create=True)
    if log is None:
        raise ParameterError(_("no contact log to write to: give --log (a file or a database URL)"))
    if new:
        say(_("note: started a new contact log at {place}").format(place=place), err=True)
    return log


def _after_data(ledger, at: dt.datetime | None) -> None:
    """Say when a record is dated after the data: a list as of the data's day does not see
    it yet (the C0140 surprise: logged today, listed as of last month's data)."""
    last = work_day(ledger, default_as_of(ledger))
    day = (at or dt.datetime.now(dt.UTC)).astimezone(dt.UTC).date()
    if day > last.date():
        say(
            _(
                "note: dated {day}, after the data's latest day ({last}): lists as of "
                "that day do not count it yet; --at {iso} records it on that day"
            ).format(day=date_text(day), last=date_text(last), iso=f"{last:%Y-%m-%d}"),
            err=True,
        )


def _names(ledger, frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with the customer's ``name`` after ``customer_id``."""
    if "name" in frame or "customer_id" not in frame:
        return frame
    out = frame.copy()
    names = ledger.names(out["customer_id"].astype(str)) if len(out) else []
    out.insert(out.columns.get_loc("customer_id") + 1, "name", names)
    return out


def _shown(frame: pd.DataFrame, fmt: str) -> pd.DataFrame:
    """For people: codes as labels, documents joined; for CSV the documents joined too."""
    out = frame.copy()
    if "documents" in out and fmt != "json":
        out["documents"] = out["documents"].map(lambda d: ", ".join(d) if d else "")
    if fmt != "table":  # moments keep their time (a table shows the day)
        for name in out.columns:
            if isinstance(out[name].dtype, pd.DatetimeTZDtype):
                out[name] = out[name].map(lambda t: t.isoformat(), na_action="ignore")
        return out
    from arbook.collections.playbook import playbook_frame

    excuses = dict(zip(*playbook_frame(language())[["code", "excuse"]].to_numpy().T))
    labels = {
        "channel": {code: _(label) for code, label in CHANNEL_LABELS.items()},
        "outcome": {code: _(label) for code, label in OUTCOME_LABELS.items()},
        "excuse": excuses,
        "status": {code: _(label) for code, label in LABELS.items()},
        "source": {code: _(label) for code, label in LABELS.items()},
    }
    for name, table in labels.items():
        if name in out:
            out[name] = out[name].map(lambda v, t=table: t.get(v, v) if isinstance(v, str) else v)
    return out


def _emit(ledger, frame: pd.DataFrame, args, *, drop=()) -> None:
    from arbook.cli.common import emit

    frame = _names(ledger, frame)
    if args.format == "table":
        frame = frame.drop(columns=[c for c in drop if c in frame])
    emit(_shown(frame, args.format), args.format)


# -- the listing actions -----------------------------------------------------------------------


def _history(args, ledger, log) -> None:
    if log is None:
        _no_log(args, ledger)
        return
    if args.customer:
        _known(ledger, args.customer)
    frame = log.history(args.customer, superseded=args.all)
    _emit(ledger, frame, args, drop=("corrects", "document", "sha256"))


def _only(args, ledger) -> None:
    """--customer names a customer of the data."""
    if args.customer:
        _known(ledger, args.customer)


def _no_log(args, ledger) -> None:
    place = log_location(args.log, folder=ledger.folder)
    _emit(ledger, pd.DataFrame(), args)
    say(
        _("note: no contact log yet ({place}); the first contact logged starts it").format(
            place=place
        ),
        err=True,
    )


def _promises(args, ledger, log) -> None:
    _only(args, ledger)
    day = _day_of(args, ledger)
    if log is None:
        _no_log(args, ledger)
        return
    frame = log.promises(ledger, day)
    if args.customer:
        frame = frame[frame["customer_id"] == args.customer]
    _emit(ledger, frame, args)


def _disputes(args, ledger, log) -> None:
    _only(args, ledger)
    if args.all:
        if log is None:
            _no_log(args, ledger)
            return
        frame = log.disputes(customer_id=args.customer, status="all")
        _emit(ledger, frame, args, drop=("resolution_note",))
        return
    frame = dispute_list(ledger, _day_of(args, ledger), log)
    if args.customer:
        frame = frame[frame["customer_id"] == args.customer]
    _emit(ledger, frame, args)


def _plans(args, ledger, log) -> None:
    _only(args, ledger)
    day = _day_of(args, ledger)
    if log is None:
        _no_log(args, ledger)
        return
    frame = log.instalments(ledger, day) if args.instalments else plan_status(ledger, day, log)
    if args.customer:
        frame = frame[frame["customer_id"] == args.customer]
    _emit(ledger, frame, args)


def _export(args, ledger, log) -> None:
    if log is None:
        raise ParameterError(
            _("no contact log yet ({place}); nothing to export").format(
                place=log_location(args.log, folder=ledger.folder)
            )
        )
    say(log.export(Path(args.file), superseded=args.all))


# -- the recording actions ---------------------------------------------------------------------


def _add(args, ledger, log) -> None:
    _known(ledger, args.customer)
    entry = log.add(
        args.customer,
        channel=args.channel,
        outcome=args.outcome,
        who=_who(args),
        note=args.note,
        excuse=args.excuse,
        promise_cents=args.promise,
        promise_date=args.promise_date,
        next_date=args.next_date,
        at=args.at,
    )
    said = [_(CHANNEL_LABELS[args.channel]), _(OUTCOME_LABELS[args.outcome])]
    if args.promise is not None:
        said.append(
            _("promise of {amount} by {date}").format(
                amount=_money(ledger, args.promise), date=date_text(args.promise_date)
            )
        )
    if args.next_date:
        said.append(_("next contact {date}").format(date=date_text(args.next_date)))
    say(
        _("logged contact {entry} with {customer}: {what}").format(
            entry=entry, customer=_customer(ledger, args.customer), what=", ".join(said)
        )
    )
    _after_data(ledger, args.at)


def _customer(ledger, customer_id: str) -> str:
    return f"{customer_id} {ledger.names(pd.Series([customer_id]))[0]}"


def _dispute(args, ledger, log) -> None:
    step, who = args.dispute_action, _who(args)
    if step == "open":
        number = log.open_dispute(
            args.customer,
            args.document,
            reason=args.reason,
            who=who,
            amount_cents=args.amount,
            owner=args.owner,
            note=args.note,
            at=args.at,
            ledger=ledger,
        )
        part = _money(ledger, args.amount) if args.amount else _("all that is owed")
        say(
            _(
                "opened dispute {number} on {document} of {customer}: {part}; not chased until "
                "it is resolved"
            ).format(
                number=number,
                document=args.document,
                customer=_customer(ledger, args.customer),
                part=part,
            )
        )
    elif step == "note":
        log.note_dispute(args.dispute, who=who, note=args.note, owner=args.owner, at=args.at)
        if args.owner:
            said = _("noted on dispute {number}; its owner is now {owner}")
        else:
            said = _("noted on dispute {number}")
        say(said.format(number=args.dispute, owner=args.owner))
    else:
        number, document = _resolve(args, ledger, log, who)
        say(
            _("resolved dispute {number} on {document}: {resolution}").format(
                number=number, document=document, resolution=_(LABELS[args.resolution])
            )
        )
    _after_data(ledger, args.at)


def _resolve(args, ledger, log, who: str) -> tuple[int, str]:
    """Resolve by id, or by --document (the log's dispute on it, or the imported one)."""
    if (args.dispute is None) == (args.document is None):
        raise ParameterError(_("give the dispute's id or --document INVOICE, one of the two"))
    if args.dispute is not None:
        log.resolve_dispute(
            args.dispute, resolution=args.resolution, who=who, note=args.note, at=args.at
        )
        found = log.disputes(status="all")
        document = found.set_index("dispute_id")["document_id"].get(args.dispute, "")
        return args.dispute, document
    day = (args.at or dt.datetime.now(dt.UTC)).date()
    listed = dispute_list(ledger, day, log)
    mine = listed[listed["document_id"] == args.document]
    if mine.empty:
        raise ParameterError(
            _(
                "{document} is not in dispute on {day}; `arbook log disputes` lists those that are"
            ).format(document=args.document, day=date_text(day))
        )
    number = log.resolve_document(
        mine["customer_id"].iloc[0],
        args.document,
        resolution=args.resolution,
        who=who,
        note=args.note,
        at=args.at,
    )
    return number, args.document


def _plan(args, ledger, log) -> None:
    who = _who(args)
    if args.plan_action == "cancel":
        log.cancel_plan(args.plan, who=who, note=args.note, at=args.at)
        say(
            _("cancelled payment plan {number}; its invoices are chased again").format(
                number=args.plan
            )
        )
        _after_data(ledger, args.at)
        return
    _known(ledger, args.customer)
    documents = [d.strip() for d in args.documents.split(",") if d.strip()]
    number = log.add_plan(
        args.customer,
        instalments=args.instalments,
        documents=documents,
        who=who,
        note=args.note,
        at=args.at,
        ledger=ledger,
    )
    total = sum(cents for _, cents in args.instalments)
    dates = sorted(day for day, _ in args.instalments)
    say(
        ngettext(
            "agreed payment plan {number} with {customer}: {count} instalment(s) of {amount} in "
            "all, {first} to {last}, for {documents}",
            "agreed payment plan {number} with {customer}: {count} instalment(s) of {amount} in "
            "all, {first} to {last}, for {documents}",
            len(dates),
        ).format(
            number=number,
            customer=_customer(ledger, args.customer),
            count=format_count(len(dates)),
            amount=_money(ledger, total),
            first=date_text(dates[0]),
            last=date_text(dates[-1]),
            documents=", ".join(documents),
        )
    )
    day = (args.at or dt.datetime.now(dt.UTC)).date()
    for note in plan_problems(ledger, args.customer, documents, total, day)[1]:
        say(_("note: {note}").format(note=note), err=True)
    _after_data(ledger, args.at)


READERS = {
    "history": _history,
    "promises": _promises,
    "disputes": _disputes,
    "plans": _plans,
    "export": _export,
}
WRITERS = {"add": _add, "dispute": _dispute, "plan": _plan}
