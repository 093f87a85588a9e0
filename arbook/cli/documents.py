"""Giving documents to customers from the command line: the options ``arbook statement`` and
``arbook letter`` share (``--send``, ``--queue``, ``--log``, ``--who``, ``--again``), and
``arbook outbox list|send|keep|withdraw`` for the documents kept in the outbox (the queue the
daily run fills). Each command parses its arguments and makes one call to the send path
(:mod:`arbook.collections.documents.sending`)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from arbook.cli.common import OK, default_outbox, emit, format_option, load_ledger, log_option, say
from arbook.core.i18n import N_, _

#: What each status means, for people (translated where shown: ``_(STATUS_TEXT[status])``).
STATUS_TEXT = {
    "queued": N_("queued for approval (not sent, not logged)"),
    "saved": N_("kept to print and post; logged as a letter"),
    "sent": N_("e-mailed; logged"),
    "withdrawn": N_("withdrawn from the queue"),
    "draft": N_("a draft to preview (never given)"),
    "unrecorded": N_("kept before sending was recorded (not logged)"),
}


def default_who() -> str:
    """Who the contact log names when ``--who`` is not given: the login name, else arbook."""
    return os.environ.get("USER") or os.environ.get("USERNAME") or "arbook"


def giving_options(parser: argparse.ArgumentParser, *, modes: bool = True) -> None:
    """--send / --queue (the default keeps the document to print and post), --log, --who and
    --again (alias --yes)."""
    if modes:
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument(
            "--send",
            action="store_true",
            help=_(
                "e-mail it now through the policy's [smtp] server (or ARBOOK_SMTP_HOST...) and "
                "log it as sent"
            ),
        )
        mode.add_argument(
            "--queue",
            action="store_true",
            help=_(
                "keep it in the outbox for approval, not sent and not logged yet (`arbook "
                "outbox send` or `keep` later)"
            ),
        )
        mode.add_argument(
            "--draft",
            action="store_true",
            help=_(
                "keep a draft to preview in the outbox: never given to the customer, not "
                "logged (works before the policy has your company's details)"
            ),
        )
    log_option(parser)
    parser.add_argument("--who", default=None, help=_("who the contact log names (default: $USER)"))
    parser.add_argument(
        "--again",
        "--yes",
        dest="again",
        action="store_true",
        help=_("give it even though the same document went to the customer the same day"),
    )


def open_writable_log(args, ledger):
    """The contact log of ``--log``, else the client's, created where it belongs when there is
    none yet (a document given is recorded there)."""
    from arbook.collections.contacts import open_log

    return open_log(args.log, folder=ledger.folder, create=True)


def delivery_line(d) -> str:
    """One line saying what became of a document, for people."""
    from arbook.collections.documents.formats import kind_text
    from arbook.collections.ladder import step_text

    logged = d.entry_id is not None
    what = {
        "sent": _("e-mailed to {to}; logged (contact-log entry {entry})")
        if logged
        else _("e-mailed to {to}; logged"),
        "saved": _("kept to print and post; logged as a letter (contact-log entry {entry})")
        if logged
        else _("kept to print and post; logged as a letter"),
        "queued": _(
            "queued for approval: `arbook outbox send` e-mails it, `keep` keeps it to post"
        ),
        "withdrawn": _("withdrawn from the queue"),
    }[d.status].format(to=d.to, entry=d.entry_id)
    if d.step:
        line = _("{document} for {customer}, step {step}: {what}").format(
            document=kind_text(d.kind),
            customer=d.customer_id,
            step=step_text(d.step),
            what=what,
        )
    else:
        line = _("{document} for {customer}: {what}").format(
            document=kind_text(d.kind), customer=d.customer_id, what=what
        )
    return _("{line} ({note})").format(line=line, note=d.note) if d.note else line


def give_document(args, ledger, doc) -> None:
    """Keep ``doc`` in the outbox and give it as the flags say; print its files and what
    became of it."""
    from arbook.collections.documents import deliver, send_to_outbox, smtp_settings

    outbox = Path(args.out) if args.out else default_outbox(args.data)
    if args.draft:
        eml = send_to_outbox(doc, outbox, status="draft")
        say(*(eml.with_suffix(e) for e in (".html", ".pdf", ".eml")))
        if doc.missing:
            say(
                _(
                    "draft kept to preview: not given to the customer, not logged; it lacks "
                    "{missing}"
                ).format(missing=_("; and ").join(doc.missing))
            )
        else:
            say(_("draft kept to preview: not given to the customer, not logged"))
        return
    log = open_writable_log(args, ledger) if not args.queue else _log_if_any(args, ledger)
    try:
        done = deliver(
            doc,
            outbox,
            log=log,
            who=args.who or default_who(),
            send=args.send,
            queue=args.queue,
            smtp=smtp_settings(ledger.policy) if args.send else None,
            confirm_repeat=args.again,
        )
    finally:
        if log is not None:
            log.close()
    say(done.html, done.pdf, done.eml, delivery_line(done))


def _log_if_any(args, ledger):
    from arbook.collections.contacts import open_log

    return open_log(args.log, folder=ledger.folder)


# -- arbook outbox ---------------------------------------------------------------------------


def outbox_parser(sub) -> None:
    """``arbook outbox list|send|keep|withdraw DATA [FILE...]``."""
    p = sub.add_parser(
        "outbox",
        help=_("the documents kept in the outbox: list them, e-mail or keep the queued ones"),
        description=_(
            "The outbox holds every document made (DATA/outbox). Queued ones (the "
            "daily run's, or made with --queue) await approval: `send` e-mails them, `keep` "
            "keeps them to print and post (both log them), `withdraw` takes them out."
        ),
    )
    actions = p.add_subparsers(dest="action", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help=_("every document and what became of it"))
    _outbox_common(listing)
    listing.add_argument("--all", action="store_true", help=_("every document, not only queued"))
    format_option(listing)
    for name, text in (
        ("send", _("e-mail queued documents and log them as sent")),
        ("keep", _("keep queued documents to print and post and log them as saved")),
        ("withdraw", _("take queued documents out of the queue (nothing sent or logged)")),
    ):
        q = actions.add_parser(name, help=text)
        _outbox_common(q)
        q.add_argument("files", nargs="*", help=_("a document's .eml, .pdf or .html"))
        q.add_argument("--all", action="store_true", help=_("every queued document"))
        if name != "withdraw":
            giving_options(q, modes=False)


def _outbox_common(parser: argparse.ArgumentParser) -> None:
    from arbook.cli.common import data_options

    data_options(parser)
    parser.add_argument("--out", default=None, help=_("outbox folder (default: DATA/outbox)"))


def cmd_outbox(args) -> int:
    from arbook.collections.documents import outbox_documents, queued

    outbox = Path(args.out) if args.out else default_outbox(args.data)
    if args.action == "list":
        frame = outbox_documents(outbox) if args.all else queued(outbox)
        if args.format == "table":
            frame = frame.assign(
                status=frame["status"].map(lambda s: _(STATUS_TEXT[s]) if s in STATUS_TEXT else s)
            )
            frame = frame.drop(columns=["sha256", "eml"])
        emit(frame, args.format)
        return OK
    files = list(args.files)
    if args.all:
        files += [outbox / p for p in queued(outbox)["eml"]]
    if not files:
        from arbook.core.errors import ParameterError

        raise ParameterError(
            {
                "send": _("name the documents to send, or give --all"),
                "keep": _("name the documents to keep, or give --all"),
                "withdraw": _("name the documents to withdraw, or give --all"),
            }[args.action]
        )
    return _each(args, outbox, files)


def _each(args, outbox: Path, files: list) -> int:
    from arbook.collections.documents import keep_queued, send_queued, smtp_settings, withdraw

    if args.action == "withdraw":
        for f in files:
            say(delivery_line(withdraw(f, outbox=outbox)))
        return OK
    ledger = load_ledger(args)
    log = open_writable_log(args, ledger)
    smtp = smtp_settings(ledger.policy) if args.action == "send" else None
    who = args.who or default_who()
    try:
        for f in files:
            if args.action == "send":
                done = send_queued(
                    f, log=log, who=who, smtp=smtp, outbox=outbox, confirm_repeat=args.again
                )
            else:
                done = keep_queued(f, log=log, who=who, outbox=outbox, confirm_repeat=args.again)
            say(delivery_line(done))
    finally:
        if log is not None:
            log.close()
    return OK
