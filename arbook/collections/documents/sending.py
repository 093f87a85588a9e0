"""The one send path (SPEC §7: "keep a copy, send a copy"): a document is kept in the outbox,
then given to the customer (e-mailed, or saved to print and post) and recorded, or queued for a
person to approve. The CLI, the daily run and the dashboard's approve-and-send screen all come
through here::

    smtp = smtp_settings(ledger.policy)               # [smtp] and ARBOOK_SMTP_* variables
    d = deliver(doc, outbox, log=log, who="ana", send=True, smtp=smtp)
    d = deliver(doc, outbox, log=log, who="daily", queue=True)   # awaits approval
    send_queued(d.eml, log=log, who="ana", smtp=smtp)             # approved: e-mailed
    keep_queued(d.eml, log=log, who="ana")                        # approved: to print and post

What each state means (the register's ``status``, see :mod:`.outbox`): ``queued`` is in the
outbox and not yet given to the customer, so it is not in the contact log and the ladder step
is still to do; ``saved`` (channel letter) and ``sent`` (channel email) are in the contact log
with the ladder step, the PDF's path in the outbox and its SHA-256, so the worklist knows the
step is done; ``withdrawn`` was taken out of the queue. The contact is dated the document's
day (its as-of date, 00:00 UTC): the day the step is acted on, whatever the hour the run is.

The order of writes: the files (queued) first; then the e-mail; then the records (register,
contact log). A server that is down or refuses leaves the document queued and nothing recorded
as sent; a record that fails after the e-mail went says so loudly. The same document (customer,
kind, step) given twice on one day needs ``confirm_repeat``; a document without the company's
name or a currency (a draft) or, to e-mail, without a customer address is refused.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from arbook.collections.contacts import DOCUMENT_OUTCOMES, validate_entry
from arbook.collections.documents.document import Document
from arbook.collections.documents.formats import kind_text
from arbook.collections.documents.outbox import (
    REGISTER,
    one_address,
    recipient,
    record_status,
    safe_name,
    send_to_outbox,
)
from arbook.collections.documents.register import (
    check_unchanged,
    document_of,
    eml_from,
    find_document,
    outbox_documents,
    outbox_of,
    pdf_row,
)
from arbook.collections.documents.smtp import (
    SmtpSettings,
    check_server,
    smtp_settings,
    transmit,
)
from arbook.collections.ladder import step_text
from arbook.core.dates import date_text
from arbook.core.errors import ArbookError, DataError, LogError, ParameterError
from arbook.core.files import safe_text
from arbook.core.i18n import N_, _, pgettext

#: How each way of giving a document is logged: channel and outcome.
CHANNELS = {"sent": ("email", "sent"), "saved": ("letter", "saved")}
#: One row per document the daily run asked for (the daily run's DOCUMENT_COLUMNS).
DUE_COLUMNS = ["customer_id", "name", "step", "document", "status", "file", "note"]
#: How to give a document again the same day (translated where said: ``_(AGAIN)``).
AGAIN = N_("confirm with --again (confirm_repeat=True in Python)")


# -- the send path -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Delivery:
    """What became of one document: ``status`` (queued, saved, sent or withdrawn), whose and
    which (``customer_id, kind, step, as_of``), its files (``eml``; :attr:`pdf`, :attr:`html`
    beside it), ``document`` (the PDF relative to the outbox, as the contact log names it) and
    its ``sha256``, whom it was sent ``to``, the contact-log ``entry_id`` (None when not
    logged) and a ``note`` for a person ("already queued")."""

    status: str
    customer_id: str
    kind: str
    step: str
    as_of: str
    eml: Path
    document: str
    sha256: str
    to: str = ""
    entry_id: int | None = None
    note: str = ""

    @property
    def pdf(self) -> Path:
        return self.eml.with_suffix(".pdf")

    @property
    def html(self) -> Path:
        return self.eml.with_suffix(".html")


def _delivery(outbox: Path, row: dict, status: str, **more) -> Delivery:
    return Delivery(
        status=status,
        customer_id=str(row["customer_id"]),
        kind=str(row["kind"]),
        step=str(row["step"]),
        as_of=str(row["as_of"]),
        eml=outbox / (row["eml"] or Path(row["pdf"]).with_suffix(".eml").as_posix()),
        document=str(row["pdf"]),
        sha256=str(row["sha256"]),
        **more,
    )


def _listed(parts: list[str]) -> str:
    """``parts`` said as one list: "a; and b; and c"."""
    said = parts[0]
    for part in parts[1:]:
        said = _("{earlier}; and {next}").format(earlier=said, next=part)
    return said


def _check_ready(document: Document) -> None:
    if document.missing:
        raise ParameterError(
            _(
                "the {document} for customer {customer} is a draft and goes to no customer "
                "until it has {missing}"
            ).format(
                document=kind_text(document.kind),
                customer=repr(document.customer_id),
                missing=_listed(list(document.missing)),
            )
        )


def _day(as_of: str) -> dt.datetime:
    """The moment a document's contact is dated: its day, 00:00 UTC."""
    return dt.datetime.combine(dt.date.fromisoformat(as_of[:10]), dt.time(), tzinfo=dt.UTC)


def _entry(document: Document, how: str, who: str, row: dict, to: str) -> dict:
    """The contact-log entry for ``document`` given ``how`` (sent, saved), checked."""
    channel, outcome = CHANNELS[how]
    what = f"{kind_text(document.kind)} ({document.title})"[:300]
    note = (
        _("e-mailed to {to}: {document}").format(to=to, document=what)
        if how == "sent"
        else _("kept to print and post: {document}").format(document=what)
    )
    values = dict(
        customer_id=document.customer_id,
        channel=channel,
        outcome=outcome,
        who=who,
        note=note,
        excuse=None,
        promise_cents=None,
        promise_date=None,
        next_date=None,
        at=_day(document.as_of),
        step=document.step or None,
        document=str(row["pdf"]),
        sha256=str(row["sha256"]),
    )
    validate_entry(values)  # a bad value is refused before anything is given to the customer
    return values


def _earlier(document: Document, outbox: Path, log, *, skip: str = "") -> list[str]:
    """The same document (customer, kind, step) already given to the customer on its day, in
    the outbox register or the contact log, each said for a person."""
    said: dict[str, str] = {}
    docs = outbox_documents(outbox) if (outbox / REGISTER).is_file() else None
    if docs is not None and len(docs):
        same = docs[
            (docs["customer_id"] == safe_text(document.customer_id))
            & (docs["kind"] == document.kind)
            & (docs["step"] == safe_text(document.step))
            & (docs["as_of"] == document.as_of)
            & docs["status"].isin(["sent", "saved"])
            & (docs["pdf"] != skip)
        ]
        for r in same.itertuples():
            how = (
                _("e-mailed to {to} ({file}, recorded {at})")
                if r.status == "sent"
                else _("saved to print and post ({file}, recorded {at})")
            )
            said[r.pdf] = how.format(to=r.to, file=r.pdf, at=r.recorded_at)
    history = log.history(document.customer_id) if log is not None else None
    if history is not None and len(history):
        stamps = pd.to_datetime(history["at"], utc=True).dt.strftime("%Y-%m-%d")
        name = f"{document.as_of}-{safe_name(document.kind)}"
        same = history[
            history["outcome"].isin(DOCUMENT_OUTCOMES)
            & (history["step"].fillna("") == document.step)
            & (stamps == document.as_of)
            & history["document"].fillna("").map(lambda d: _named(d, name))
            & (history["document"].fillna("") != skip)
        ]
        for r in same.itertuples():
            how = (
                _("e-mailed ({file}, contact-log entry {entry})")
                if r.outcome == "sent"
                else _("saved to print and post ({file}, contact-log entry {entry})")
            )
            said.setdefault(str(r.document), how.format(file=r.document, entry=r.id))
    return list(said.values())


def _named(document: str, name: str) -> bool:
    stem = Path(document).stem
    return stem == name or (stem.startswith(name + "-") and stem[len(name) + 1 :].isdigit())


def _refuse_repeat(document: Document, outbox: Path, log, skip: str = "") -> None:
    earlier = _earlier(document, outbox, log, skip=skip)
    if earlier:
        said = (
            _(
                "the {document} of {day} for customer {customer} (step {step}) was already "
                "{earlier}; to give it again the same day {again}"
            )
            if document.step
            else _(
                "the {document} of {day} for customer {customer} was already {earlier}; to "
                "give it again the same day {again}"
            )
        )
        raise ParameterError(
            said.format(
                document=kind_text(document.kind),
                day=date_text(document.as_of),
                customer=repr(document.customer_id),
                step=step_text(document.step),
                earlier=_listed(earlier),
                again=_(AGAIN),
            )
        )


def _need_log(log) -> None:
    if log is None or not hasattr(log, "add"):
        raise ParameterError(
            _(
                "a document given to a customer is recorded in the contact log: open one "
                "(ContactLog(path=...); the commands open the data folder's collections.db)"
            )
        )


def deliver(
    document: Document,
    outbox,
    *,
    log,
    who: str,
    send: bool = False,
    queue: bool = False,
    smtp: SmtpSettings | None = None,
    confirm_repeat: bool = False,
) -> Delivery:
    """Keep ``document`` in ``outbox`` and give it to the customer: e-mail it (``send``,
    through ``smtp``, default :func:`smtp_settings` of the shipped policy and the environment)
    and log it as sent; or (neither flag) keep it to print and post and log it as saved; or
    (``queue``) leave it queued for a person to approve, not logged. ``log``: the contact log
    (a :class:`~arbook.collections.contacts.ContactLog`); ``who`` is logged as its author.

    Refused with ParameterError, nothing written: a draft (:attr:`Document.missing`), e-mail to
    a customer with no address (keep it to post instead), no mail server or sender set, the
    same document already given on its day unless ``confirm_repeat``. A document already queued
    with the same content is used as it is (queued again: returned with a note). See the
    module docstring for the order of writes and what a failure leaves."""
    if send and queue:
        raise ParameterError(_("send or queue a document, not both"))
    to = recipient(document)  # an address that is not one address: refused first (DataError)
    _check_ready(document)
    settings = smtp if smtp is not None else (smtp_settings() if send else None)
    if send:
        if to is None:
            raise ParameterError(
                _(
                    "customer {customer} has no e-mail address in the customers file (its "
                    "email column); nothing was sent. Add the address, or keep the document to "
                    "print and post: leave out --send"
                ).format(customer=repr(document.customer_id))
            )
        assert settings is not None
        check_server(settings)
    sent_by = document.sender or (settings.sender if settings is not None else "")
    if send and not sent_by:
        raise ParameterError(
            _(
                "no address to send from: set [company] email (or [smtp] sender) in the policy "
                "file; nothing was sent"
            )
        )
    if sent_by and not document.sender:
        one_address(sent_by, whose=_("[smtp] sender"), where=_("the policy's [smtp] sender key"))
        document = replace(document, sender=sent_by)
    if not queue:
        _need_log(log)
    outbox = Path(outbox)
    if not confirm_repeat:
        _refuse_repeat(document, outbox, log)
    row, note = _keep_in_outbox(document, outbox)
    if queue:
        return _delivery(outbox, row, "queued", to=str(row["to"]), note=note)
    if send:
        return _send(outbox, row, document, log, who, settings, sent_by)
    return _save(outbox, row, document, log, who)


def _keep_in_outbox(document: Document, outbox: Path) -> tuple[dict, str]:
    """The document's row of :func:`outbox_documents`: the one already queued with the same PDF
    and sender, else a new one (copies queued for the same customer, kind and step, on its day
    or an earlier one, that differ are withdrawn: the newer supersedes them, so yesterday's
    unapproved reminder is never sent after today's)."""
    digest = hashlib.sha256(document.pdf_bytes()).hexdigest()
    docs = outbox_documents(outbox)
    same = docs[
        (docs["customer_id"] == safe_text(document.customer_id))
        & (docs["kind"] == document.kind)
        & (docs["step"] == safe_text(document.step))
        & (docs["as_of"] <= document.as_of)  # ISO dates: text order is date order
        & (docs["status"] == "queued")
    ].to_dict("records")
    for r in same:
        if r["sha256"] == digest and eml_from(outbox, r) == document.sender:
            return r, _("already queued")
    eml = send_to_outbox(document, outbox).relative_to(outbox).as_posix()
    for r in same:
        record_status(outbox, pdf_row(outbox, r), "withdrawn")
    docs = outbox_documents(outbox)
    return docs[docs["eml"] == eml].iloc[0].to_dict(), ""


def _send(outbox, row, document, log, who, settings, sender) -> Delivery:
    """E-mail the queued document ``row`` and record it (register, then contact log)."""
    values = _entry(document, "sent", who, row, str(row["to"]))  # checked before sending
    check_unchanged(outbox, row)
    to = transmit(outbox / row["eml"], settings, sender=sender)
    values["note"] = _entry(document, "sent", who, row, to)["note"]
    register = journal = None
    entry = None
    try:
        record_status(outbox, pdf_row(outbox, row), "sent", to=to)
    except (OSError, ArbookError) as exc:
        register = exc
    try:
        entry = log.add(**values)
    except ArbookError as exc:
        journal = exc
    if register is not None or journal is not None:
        raise LogError(_not_recorded(register, journal, to, document, row))
    return _delivery(outbox, row, "sent", to=to, entry_id=entry)


def _not_recorded(register, journal, to: str, document: Document, row: dict) -> str:
    """What to do when a document went by e-mail but the outbox register (its failure
    ``register``) or the contact log (``journal``) could not record it."""
    if register is not None and journal is not None:
        where = _("the outbox register ({problem}) nor in the contact log ({other})").format(
            problem=register, other=journal
        )
    elif register is not None:
        where = _("the outbox register ({problem})").format(problem=register)
    else:
        where = _("the contact log ({problem})").format(problem=journal)
    return _(
        "SENT to {to}, BUT NOT RECORDED in {where}: record it by hand before anything else "
        "goes to customer {customer} (channel email, outcome sent, step {step}, document "
        "{file}, sha256 {sha256}), or the worklist will ask for this step again"
    ).format(
        to=to,
        where=where,
        customer=repr(document.customer_id),
        step=document.step or pgettext("no ladder step to record", "none"),
        file=row["pdf"],
        sha256=row["sha256"],
    )


def _save(outbox, row, document, log, who) -> Delivery:
    """Record the queued document ``row`` as kept to print and post: contact log, then
    register (a log that cannot be written leaves it queued)."""
    values = _entry(document, "saved", who, row, "")
    try:
        entry = log.add(**values)
    except ArbookError as exc:
        raise type(exc)(
            _(
                "{problem}; the document waits in the outbox queue ({file}): `arbook outbox "
                "keep` records it once the contact log can be written"
            ).format(problem=exc, file=row["pdf"])
        ) from None
    try:
        record_status(outbox, pdf_row(outbox, row), "saved")
    except (OSError, ArbookError) as exc:
        raise ArbookError(
            _(
                "recorded in the contact log as saved (entry {entry}), but the outbox register "
                "could not say so ({problem}); {file} still reads as queued there: do not "
                "send it again"
            ).format(entry=entry, problem=exc, file=row["pdf"])
        ) from None
    return _delivery(outbox, row, "saved", entry_id=entry)


def _kept(path, outbox, *, ready: bool = True) -> tuple[Path, dict]:
    """The outbox and row of a kept document to give now: refused when withdrawn or, with
    ``ready``, a draft (a preview, never given)."""
    box, row = find_document(path, outbox)
    if row["status"] == "withdrawn":
        raise ParameterError(
            _("{file} was withdrawn from the queue; make it again").format(file=row["pdf"])
        )
    if ready and row["status"] == "draft":
        raise ParameterError(
            _(
                "{file} is a draft, kept to preview; make the document again without --draft "
                "(with the company's name and the currency set in the policy)"
            ).format(file=row["pdf"])
        )
    return box, row


def send_queued(
    path,
    *,
    log,
    who: str,
    smtp: SmtpSettings | None = None,
    outbox=None,
    confirm_repeat: bool = False,
) -> Delivery:
    """E-mail a document kept in the outbox (``path``: its .eml, .pdf or .html) and record it,
    as :func:`deliver` with ``send``. A document already sent or saved, or the same one given
    on its day, needs ``confirm_repeat``; one whose files changed since they were kept is
    refused."""
    _need_log(log)
    box, row = _kept(path, outbox)
    document = document_of(box, row)
    settings = smtp if smtp is not None else smtp_settings()
    check_server(settings)
    if recipient(document) is None:
        raise ParameterError(
            _(
                "{file}: customer {customer} had no e-mail address when it was made; nothing "
                "was sent. Add the address and make it again, or keep it to print and post: "
                "`arbook outbox keep`"
            ).format(file=row["pdf"], customer=repr(document.customer_id))
        )
    sender = document.sender or settings.sender
    if not sender:
        raise ParameterError(_("no address to send from: set [company] email or [smtp] sender"))
    if not confirm_repeat:
        _refuse_done(row)
        _refuse_repeat(document, box, log, skip=row["pdf"])
    return _send(box, row, document, log, who, settings, sender)


def _refuse_done(row: dict) -> None:
    if row["status"] in ("sent", "saved"):
        said = (
            _("{file} was already e-mailed to {to} (recorded {at}); to give it again {again}")
            if row["status"] == "sent"
            else _(
                "{file} was already saved to print and post (recorded {at}); to give it "
                "again {again}"
            )
        )
        raise ParameterError(
            said.format(file=row["pdf"], to=row["to"], at=row["recorded_at"], again=_(AGAIN))
        )


def keep_queued(path, *, log, who: str, outbox=None, confirm_repeat: bool = False) -> Delivery:
    """Record a document kept in the outbox as saved to print and post (approved without
    e-mail), as :func:`deliver` does; the same checks as :func:`send_queued`."""
    _need_log(log)
    box, row = _kept(path, outbox)
    document = document_of(box, row)
    if not confirm_repeat:
        _refuse_done(row)
        _refuse_repeat(document, box, log, skip=row["pdf"])
    check_unchanged(box, row)
    return _save(box, row, document, log, who)


def _given(status: str) -> str:
    """How a document was given, in a word ("sent", "saved")."""
    return {
        "sent": pgettext("document status", "sent"),
        "saved": pgettext("document status", "saved"),
    }.get(status, status)


def withdraw(path, *, outbox=None) -> Delivery:
    """Take a queued document out of the queue without giving it to the customer (status
    ``withdrawn``; its files stay in the outbox, nothing is logged). Refused for one already
    sent or saved."""
    box, row = _kept(path, outbox, ready=False)
    if row["status"] in ("sent", "saved"):
        raise ParameterError(
            _("{file} was already given to the customer ({status})").format(
                file=row["pdf"], status=_given(row["status"])
            )
        )
    record_status(box, pdf_row(box, row), "withdrawn")
    return _delivery(box, row, "withdrawn")


def deliver_due(
    ledger,
    as_of,
    rows: pd.DataFrame,
    *,
    log,
    who: str,
    outbox=None,
    send: bool = False,
    smtp: SmtpSettings | None = None,
    ladder=None,
    progress=None,
) -> pd.DataFrame:
    """Make and give the documents the ladder says are due (the daily run): for each of
    ``rows`` (worklist rows with ``customer_id``, ``name``, ``step``, ``template``), the
    step's statement or letter in the customer's language, queued for approval (default) or
    e-mailed (``send``) through :func:`deliver`. Returns one row each (:data:`DUE_COLUMNS`:
    ``step`` as a label, ``document`` the template, ``status`` queued, sent, refused or failed,
    ``file`` the PDF in the outbox, ``note`` why). A customer with no e-mail address is queued
    to print and post instead; once the mail server fails, the rest are queued, not tried.
    ``progress`` wraps the rows' iteration (a tqdm bar: a PDF takes about half a second)."""
    from arbook.collections.documents.build import customer_language, letter, statement

    box = Path(outbox) if outbox is not None else outbox_of(ledger)
    out, down = [], ""
    each = rows.itertuples(index=False)
    for r in progress(each) if progress is not None else each:
        said = {
            "customer_id": r.customer_id,
            "name": getattr(r, "name", ""),
            "step": step_text(r.step),
            "document": r.template,
        }
        try:
            lang = customer_language(ledger, r.customer_id)
            if r.template == "statement":
                doc = statement(
                    ledger, r.customer_id, as_of, lang=lang, step=r.step, log=log, ladder=ladder
                )
            else:
                doc = letter(
                    ledger,
                    r.customer_id,
                    as_of,
                    r.template,
                    lang=lang,
                    step=r.step,
                    ladder=ladder,
                    log=log,
                )
            mail = send and not down and recipient(doc) is not None
            done = deliver(doc, box, log=log, who=who, send=mail, queue=not mail, smtp=smtp)
            note = done.note
            if send and not mail:
                note = down or _("no e-mail address: queued to print and post")
            out.append({**said, "status": done.status, "file": done.document, "note": note})
        except (ParameterError, DataError) as exc:
            out.append({**said, "status": "refused", "file": "", "note": str(exc)})
        except ArbookError as exc:  # the server or a record failed: the document stays queued
            down = down or _("not sent: {problem}").format(problem=exc)
            out.append({**said, "status": "failed", "file": "", "note": str(exc)})
    return pd.DataFrame(out, columns=DUE_COLUMNS)
