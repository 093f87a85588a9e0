"""``arbook daily``: the morning run a scheduler starts (see :mod:`arbook.workbook.daily`)."""

from __future__ import annotations

import sys
from pathlib import Path

from tqdm import tqdm

from arbook.cli.common import (
    DATA_ERRORS,
    OK,
    data_options,
    default_outbox,
    ladder_option,
    load_ledger,
    log_option,
    open_log,
    say,
)
from arbook.core.dates import date_text, format_count
from arbook.core.i18n import N_, _, ngettext, pgettext

#: exit code when the run finished but a document due could not be queued or sent
FAILED = 1
#: each change of the digest in a word or two, for the command's summary line
CHANGE_WORDS = {
    "promises_broken": N_("promises broken"),
    "instalments_broken": N_("instalments broken"),
    "newly_overdue": N_("newly overdue"),
    "over_limit": N_("over limit"),
    "put_on_hold": N_("put on hold"),
    "taken_off_hold": N_("taken off hold"),
    "crossed_step": N_("crossed step"),
}


def daily_parser(sub) -> None:
    p = sub.add_parser(
        "daily",
        help=_("the morning run: today's worklist, what changed, the documents due (for cron)"),
        description=_(
            "Today's worklist, what changed since the last working day, and the documents the "
            "ladder says are due today, queued for approval (default) or sent. Writes a dated "
            "digest (HTML and text) to DATA/daily/. Exits non-zero only when the run fails."
        ),
    )
    data_options(p)
    p.add_argument(
        "--as-of",
        default=None,
        help=_("the day to run for, YYYY-MM-DD (default: the data's latest day)"),
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--queue",
        dest="send",
        action="store_false",
        help=_("queue the documents due for approval in the outbox (default)"),
    )
    mode.add_argument(
        "--send",
        dest="send",
        action="store_true",
        help=_("send the documents due by e-mail now"),
    )
    p.set_defaults(send=False)
    log_option(p)
    ladder_option(p)
    p.add_argument("--out", default=None, help=_("folder for the digest (default: DATA/daily)"))
    p.add_argument("--client", default="", help=_("client name in the digest's title"))
    p.add_argument(
        "--who",
        default="arbook daily",
        help=_("author of the contact-log entries of documents sent (default: arbook daily)"),
    )


def cmd_daily(args) -> int:
    from arbook.collections.contacts import open_log as open_contact_log
    from arbook.collections.documents.sending import deliver_due
    from arbook.collections.documents.smtp import smtp_settings
    from arbook.workbook.daily import daily_run

    ledger = load_ledger(args)
    # sending records each document in the log: a log not started yet is started
    log = (
        open_contact_log(args.log, folder=ledger.folder, create=True)
        if args.send
        else open_log(args, ledger)
    )
    smtp = smtp_settings(ledger.policy) if args.send else None

    def documents(ledger, day, rows):
        def bar(each):
            return tqdm(each, total=len(rows), desc=_("documents"), unit=_("doc"), file=sys.stderr)

        return deliver_due(
            ledger,
            day,
            rows,
            log=log,
            who=args.who,
            outbox=default_outbox(args.data),
            send=args.send,
            smtp=smtp,
            ladder=args.ladder,
            progress=bar,
        )

    try:
        run = daily_run(
            ledger,
            args.as_of,
            log=log,
            ladder=args.ladder,
            documents=documents,
            out=Path(args.out) if args.out else None,
            client=args.client,
        )
    finally:
        if log is not None:
            log.close()
    say(_("arbook daily: {day} ({said})").format(day=date_text(run.day), said=run.day_said))
    say("  " + _summary(run))
    say("  " + _documents_line(run))
    for kind, path in run.digest.items():
        say("  " + _("digest ({kind}): {path}").format(kind=kind, path=path))
    errors = len(ledger.errors)
    if errors:
        say(
            ngettext(
                "note: {count} problem(s) in the data left rows out; run arbook check {data} "
                "to see them",
                "note: {count} problem(s) in the data left rows out; run arbook check {data} "
                "to see them",
                errors,
            ).format(count=format_count(errors), data=args.data),
            err=True,
        )
    return DATA_ERRORS if run.failed else OK


def _summary(run) -> str:
    """The worklist's size and how many of each change, in a line."""
    counts = [
        _("{change} {count}").format(change=_(CHANGE_WORDS.get(k, k)), count=format_count(len(v)))
        for k, v in run.changes.items()
        if len(v)
    ]
    customers = len(run.worklist)
    return ngettext(
        "worklist: {count} customers; changes: {changes}",
        "worklist: {count} customers; changes: {changes}",
        customers,
    ).format(
        count=format_count(customers), changes=", ".join(counts) or pgettext("no change", "none")
    )


def _documents_line(run) -> str:
    """How many documents were due and what became of them."""
    from arbook.workbook.daily import status_text

    statuses = run.documents["status"].value_counts()
    line = _("documents due: {count}").format(count=format_count(len(run.documents)))
    return line + "".join(
        ", " + _("{status} {count}").format(status=status_text(s), count=format_count(n))
        for s, n in statuses.items()
    )
