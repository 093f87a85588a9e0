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

#: exit code when the run finished but a document due could not be queued or sent
FAILED = 1


def daily_parser(sub) -> None:
    p = sub.add_parser(
        "daily",
        help="the morning run: today's worklist, what changed, the documents due (for cron)",
        description="Today's worklist, what changed since the last working day, and the "
        "documents the ladder says are due today, queued for approval (default) or sent. "
        "Writes a dated digest (HTML and text) to DATA/daily/. Exits non-zero only when the "
        "run fails.",
    )
    data_options(p)
    p.add_argument(
        "--as-of",
        default=None,
        help="the day to run for, YYYY-MM-DD (default: the data's latest day)",
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--queue",
        dest="send",
        action="store_false",
        help="queue the documents due for approval in the outbox (default)",
    )
    mode.add_argument(
        "--send", dest="send", action="store_true", help="send the documents due by e-mail now"
    )
    p.set_defaults(send=False)
    log_option(p)
    ladder_option(p)
    p.add_argument("--out", default=None, help="folder for the digest (default: DATA/daily)")
    p.add_argument("--client", default="", help="client name in the digest's title")
    p.add_argument(
        "--who",
        default="arbook daily",
        help="author of the contact-log entries of documents sent (default: arbook daily)",
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
            return tqdm(each, total=len(rows), desc="documents", unit="doc", file=sys.stderr)

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
    say(f"arbook daily: {run.day:%Y-%m-%d} ({run.day_said})")
    counts = {k: len(v) for k, v in run.changes.items() if len(v)}
    say(
        f"  worklist: {len(run.worklist):,} customers; changes: "
        + (", ".join(f"{k.replace('_', ' ')} {n:,}" for k, n in counts.items()) or "none")
    )
    statuses = run.documents["status"].value_counts()
    say(
        f"  documents due: {len(run.documents):,}"
        + ("".join(f", {s} {n:,}" for s, n in statuses.items()) if len(statuses) else "")
    )
    for kind, path in run.digest.items():
        say(f"  digest ({kind}): {path}")
    if ledger.errors.shape[0]:
        say(
            f"note: {len(ledger.errors):,} problem(s) in the data left rows out; "
            f"run arbook check {args.data} to see them",
            err=True,
        )
    return DATA_ERRORS if run.failed else OK
