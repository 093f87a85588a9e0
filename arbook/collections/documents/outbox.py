"""The outbox: every document sent is kept (HTML and PDF), made ready to send (an ``.eml`` with
the PDF attached) and recorded in ``register.csv`` with the SHA-256 of each file.

The register is a journal, appended to and never rewritten in place: a document enters as
three rows (its ``.html``, ``.pdf`` and ``.eml``) with ``status`` ``queued`` (in the outbox,
not yet given to the customer); what happens to it later is one more row naming its ``.pdf``
with the new status (:data:`STATUSES`: ``saved`` to print and post, ``sent`` by e-mail and to
whom, ``withdrawn``) and when (``recorded_at``, UTC). A register written before it had a
status reads as ``unrecorded`` (see :mod:`arbook.collections.documents.sending`).

Layout: ``<outbox>/<customer>/<as_of>-<kind>.{html,pdf,eml}`` (``-2``, ``-3``... when a document
of that name is already there: a copy kept is never overwritten) and ``<outbox>/register.csv``,
one row per file. The customer's folder is its id when the id is a safe folder name, else the id
made safe followed by ``~`` and a hash of the id (see :func:`safe_name`), so two customers never
share a folder. Files are written to a temporary name and renamed into place; the whole send runs
under ``<outbox>/.register.lock`` so that two senders never lose each other's rows. A document
goes to exactly one address: an e-mail cell listing two, or anything else that is not one
address, is refused before anything is written.
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import os
import re
import smtplib
import ssl
import time
import unicodedata
from contextlib import contextmanager
from email import policy as email_policy
from email.headerregistry import Address
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

import pandas as pd

from arbook.collections.documents.document import Document
from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, DataError, ParameterError
from arbook.core.files import spreadsheet_csv, write_atomic
from arbook.core.i18n import _, ngettext, pgettext

REGISTER = "register.csv"
REGISTER_COLUMNS = [
    "customer_id",
    "document",
    "kind",
    "step",
    "as_of",
    "file",
    "sha256",
    "status",
    "to",
    "recorded_at",
]
#: What became of a document: in the outbox awaiting approval; a draft kept to preview (it lacks
#: the company's details or was asked for as one: never given); kept to print and post;
#: e-mailed; taken out of the queue without being given to the customer.
STATUSES = ("queued", "draft", "saved", "sent", "withdrawn")
#: The statuses a document is registered with when it is made ("" in an older register).
CREATED = ("queued", "draft", "")
LOCK_WAIT_SECONDS = 30.0
#: Characters of a folder name's readable part; with the hash it stays far below 255 bytes.
NAME_LENGTH = 64
#: Names Windows refuses for a file or folder, with or without an extension.
WINDOWS_RESERVED = frozenset(
    ["CON", "PRN", "AUX", "NUL"] + [f"{d}{n}" for d in ("COM", "LPT") for n in "123456789"]
)


def _readable(text: str) -> str:
    """Unicode letters, marks and digits of ``text`` (NFC) and ``._-`` kept, anything else one
    ``_``; no run of dots, nothing but a letter or digit at either end, at most NAME_LENGTH."""
    kept = "".join(
        c if unicodedata.category(c)[0] in "LMN" or c in "._-" else "_"
        for c in unicodedata.normalize("NFC", text)
    )
    name = re.sub(r"_+", "_", re.sub(r"\.{2,}", ".", kept)).strip("._-")
    name = name[:NAME_LENGTH].rstrip("._-")
    if name.split(".")[0].upper() in WINDOWS_RESERVED:
        name = f"_{name}"
    return name


def safe_name(text: str) -> str:
    """``text`` as one folder name that is the same on every system and cannot leave its parent:
    ``text`` itself when it is already safe (``C0140``, ``ООО_Ромашка``), else its readable part
    (see :func:`_readable`: no path separator, control character, ``..``, leading dot or reserved
    Windows name) followed by ``~`` and 8 hex digits of its SHA-256. A safe name never holds a
    ``~``, so a name with a hash can never be another text's own name, and two texts that clean
    to the same readable part differ by their hash."""
    name = _readable(text)
    if name and name == text:
        return name
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:8]
    return f"{name or '_'}~{digest}"


def _customer_folder(outbox: Path, customer_id: str) -> Path:
    """``<outbox>/<safe_name(customer_id)>``, created. On a file system that ignores case or
    Unicode normalisation, a name already taken by another customer's folder (``ABC`` after
    ``abc``) gets the hash too."""
    name = safe_name(customer_id)
    folder = outbox / name
    folder.mkdir(parents=True, exist_ok=True)
    if name not in os.listdir(outbox):  # the system gave us someone else's folder
        digest = hashlib.sha256(customer_id.encode("utf-8", "surrogatepass")).hexdigest()[:8]
        folder = outbox / f"{name}~{digest}"
        folder.mkdir(exist_ok=True)
    return folder


# -- one e-mail address --------------------------------------------------------------------------

_ATEXT = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LOCAL = re.compile(rf"{_ATEXT}(?:\.{_ATEXT})*")
_LABEL = re.compile(r"(?!-)[A-Za-z0-9-]{1,63}(?<!-)")
_NAMED = re.compile(r"(?P<name>[^<>]*)<(?P<addr>[^<>]*)>")
_NAME_SPECIALS = re.compile(r'[@,;:"()\[\]\\]')  # a display name holding these is refused


def _domain(domain: str) -> str | None:
    """``domain`` in ASCII (an international one in its ``xn--`` form) if it is a host name of
    two labels or more, the last not all digits; else None."""
    try:
        ascii_domain = domain.encode("idna").decode("ascii") if not domain.isascii() else domain
    except UnicodeError:
        return None
    labels = ascii_domain.split(".")
    if len(labels) < 2 or labels[-1].isdigit() or len(ascii_domain) > 253:
        return None
    return ascii_domain if all(_LABEL.fullmatch(label) for label in labels) else None


def _why_not_one_address(text: str, name: str) -> str:
    if any(unicodedata.category(c) in ("Cc", "Cf", "Zl", "Zp") for c in text):
        return _("it holds a line break or another control character")
    if _NAME_SPECIALS.search(name):
        return _("write the name before <address> without quotes, commas, brackets or @")
    if re.search(r"[,;]|@.*\s.*@", text):
        return _("it lists more than one address")
    return _("it is not an e-mail address")


def one_address(text: str, *, whose: str, where: str) -> Address:
    """The one mailbox written in ``text``: ``ap@alpha.example`` or ``Alpha AP
    <ap@alpha.example>`` (an ASCII local part; an international domain is kept in its ``xn--``
    form). Anything else (two addresses, a line break, a display name with ``@ , ; " ( )``, no
    domain) raises DataError naming ``whose`` address it is, the value, and ``where`` to fix it."""
    value = text.strip()
    named = _NAMED.fullmatch(value)
    name, addr = (named["name"].strip(), named["addr"].strip()) if named else ("", value)
    local, _at, domain = addr.rpartition("@")
    ascii_domain = _domain(domain) if local else None
    if (
        ascii_domain is None
        or _NAME_SPECIALS.search(name)
        or len(local) > 64
        or not _LOCAL.fullmatch(local)
        or not value.isprintable()
    ):
        why = _why_not_one_address(value, name)
        raise DataError(
            _(
                "{whose}: email {email} is not one e-mail address ({why}); write exactly one "
                "address, like ap@example.com, in {where}. Nothing was written or sent."
            ).format(whose=whose, email=repr(text), why=why, where=where)
        )
    return Address(display_name=name, username=local, domain=ascii_domain)


def recipient(document: Document) -> Address | None:
    """The customer's one address (None when the customers file gives none); raises DataError
    for anything that is not exactly one address (see :func:`one_address`)."""
    if not document.email.strip():
        return None
    return one_address(
        document.email,
        whose=_("customer {customer}").format(customer=repr(document.customer_id)),
        where=_("the customers file's email column"),
    )


def sender(document: Document) -> Address | None:
    """The company's one address (None when not set), checked like :func:`recipient`."""
    if not document.sender.strip():
        return None
    return one_address(
        document.sender,
        whose=pgettext("whose e-mail address", "company"),
        where=_("the company file's email key"),
    )


@contextmanager
def _locked(outbox: Path):
    """Hold ``<outbox>/.register.lock`` (created exclusively) while the block runs."""
    lock = outbox / ".register.lock"
    deadline = time.monotonic() + LOCK_WAIT_SECONDS
    while True:
        try:
            fd = os.open(lock, os.O_CREAT | os.O_EXCL | os.O_WRONLY)
            break
        except FileExistsError:
            if time.monotonic() > deadline:
                raise ArbookError(
                    _(
                        "{lock}: the outbox is locked by another sender; if none is running, "
                        "delete this file and try again"
                    ).format(lock=lock)
                ) from None
            time.sleep(0.05)
    try:
        os.close(fd)
        yield
    finally:
        lock.unlink(missing_ok=True)


def _stem(folder: Path, document: Document) -> str:
    base = f"{document.as_of}-{safe_name(document.kind)}"
    stem, n = base, 1
    while any((folder / f"{stem}{ext}").exists() for ext in (".html", ".pdf", ".eml")):
        n += 1
        stem = f"{base}-{n}"
    return stem


def _one_line(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def email_message(document: Document, pdf: bytes, pdf_name: str) -> EmailMessage:
    """The ready-to-send e-mail: To the customer's one address (absent when none is known), From
    the company's address if set, Subject the title, the plain text as body, the PDF attached.
    Raises DataError when either address is not exactly one address (:func:`recipient`)."""
    message = EmailMessage()
    to, sent_by = recipient(document), sender(document)
    if to is not None:
        message["To"] = to
    if sent_by is not None:
        message["From"] = sent_by
    message["Subject"] = _one_line(document.title)
    message.set_content(document.text)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def _upgraded(old: str) -> str:
    """Register text ``old`` under today's header: a register written before the columns
    ``status, to, recorded_at`` keeps its cells as they are, the new ones blank."""
    rows = list(csv.reader(io.StringIO(old)))
    if not rows or rows[0] == REGISTER_COLUMNS:
        return old
    header, out = rows[0], io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REGISTER_COLUMNS)
    for row in rows[1:]:
        cells = dict(zip(header, row))
        writer.writerow([cells.get(name, "") for name in REGISTER_COLUMNS])
    return out.getvalue()


def _append_register(outbox: Path, rows: list[dict]) -> None:
    """Rewrite ``register.csv`` with ``rows`` appended (atomically: temp file and rename)."""
    path = outbox / REGISTER
    old = _upgraded(path.read_text("utf-8")) if path.exists() else ""
    new = spreadsheet_csv(pd.DataFrame(rows, columns=REGISTER_COLUMNS), header=not old)
    write_atomic(path, (old + new).encode("utf-8"))


def _now() -> str:
    """The moment a register row is written, UTC to the second (an audit stamp, read by no
    rule)."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def read_register(outbox) -> pd.DataFrame:
    """``<outbox>/register.csv`` as text cells with :data:`REGISTER_COLUMNS` (the columns an
    older register lacks blank); no rows when there is none yet."""
    path = Path(outbox) / REGISTER
    if not path.exists():
        return pd.DataFrame(columns=REGISTER_COLUMNS, dtype=object)
    frame = pd.read_csv(
        io.StringIO(_upgraded(path.read_text("utf-8"))), dtype=str, keep_default_na=False
    )
    return frame.astype(object)[REGISTER_COLUMNS]


def record_status(outbox, pdf: dict, status: str, *, to: str = "") -> None:
    """Append the row saying the document whose ``.pdf`` register row is ``pdf`` (a dict of
    :func:`read_register`) is now ``status`` (one of :data:`STATUSES`; ``to`` whom it was sent),
    under the outbox lock. The row's cells are copied from ``pdf``, already made safe."""
    if status not in STATUSES:
        raise ParameterError(
            _("status {status}; use one of {statuses}").format(
                status=repr(status), statuses=", ".join(STATUSES)
            )
        )
    outbox = Path(outbox)
    row = {name: pdf.get(name, "") for name in REGISTER_COLUMNS}
    row.update(status=status, to=to, recorded_at=_now())
    with _locked(outbox):
        path = outbox / REGISTER
        old = _upgraded(path.read_text("utf-8")) if path.exists() else ""
        line = io.StringIO()
        csv.writer(line, lineterminator="\n").writerow([row[n] for n in REGISTER_COLUMNS])
        head = "" if old else ",".join(REGISTER_COLUMNS) + "\n"
        write_atomic(path, (old + head + line.getvalue()).encode("utf-8"))


def send_to_outbox(document: Document, outbox, *, status: str | None = None) -> Path:
    """Keep ``document`` in ``outbox`` as HTML and PDF, write the ``.eml`` ready to send, and add
    one register row per file with ``status`` (default ``queued``, or ``draft`` for a document
    that lacks what it needs to go to a customer; text a spreadsheet would run made safe, see
    :func:`~arbook.core.files.spreadsheet_csv`). Returns the ``.eml`` path (the ``.html`` and
    ``.pdf`` sit beside it with the same stem). Nothing is given to the customer nor logged
    here: :func:`arbook.collections.documents.sending.deliver` does that. Raises DataError,
    with nothing written, when the customer's or the company's e-mail is not exactly one
    address."""
    to = recipient(document)  # both addresses refused before anything is written
    sender(document)
    status = status or ("draft" if document.missing else "queued")
    if status not in ("queued", "draft"):
        raise ParameterError(
            _("a document enters the outbox queued or as a draft, not {status}").format(
                status=repr(status)
            )
        )
    outbox = Path(outbox)
    folder = _customer_folder(outbox, document.customer_id)
    pdf = document.pdf_bytes()
    with _locked(outbox):
        stem = _stem(folder, document)
        eml = email_message(document, pdf, f"{stem}.pdf")
        files = {".html": document.html.encode("utf-8"), ".pdf": pdf, ".eml": eml.as_bytes()}
        rows = []
        for ext, data in files.items():
            path = folder / f"{stem}{ext}"
            write_atomic(path, data)
            rows.append(
                {
                    "customer_id": document.customer_id,
                    "document": stem,
                    "kind": document.kind,
                    "step": document.step,
                    "as_of": document.as_of,
                    "file": path.relative_to(outbox).as_posix(),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "status": status,
                    "to": to.addr_spec if to is not None else "",
                    "recorded_at": _now(),
                }
            )
        _append_register(outbox, rows)
    return folder / f"{stem}.eml"


def send_email(
    eml_path,
    *,
    host: str,
    port: int,
    sender: str,
    username: str | None = None,
    password: str | None = None,
    starttls: bool = False,
    use_ssl: bool = False,
    timeout: float = 30,
    context: ssl.SSLContext | None = None,
) -> list[str]:
    """Send an outbox ``.eml`` by SMTP (``starttls`` upgrades the connection, ``use_ssl``
    speaks TLS from the start, as on port 465; the server's certificate is checked against
    ``context``, by default the system's trusted authorities; ``username`` and ``password``
    log in). The envelope sender is ``sender``, also the From header if the message has none.
    Returns the recipients the server accepted; raises ParameterError for a message with no To
    or more than one, and smtplib's errors when the server refuses (see
    :mod:`arbook.collections.documents.sending` for the send path that explains them)."""
    with open(eml_path, "rb") as handle:
        message = BytesParser(policy=email_policy.default).parse(handle)
    recipients = [a.addr_spec for a in message["To"].addresses] if message["To"] else []
    if not recipients:
        raise ParameterError(
            _(
                "{file}: no To address; add the customer's email to the customers file and "
                "make the document again"
            ).format(file=eml_path)
        )
    copies = (message.get_all("Cc") or []) + (message.get_all("Bcc") or [])
    if len(recipients) > 1 or copies:
        count = len(recipients) + len(copies)
        raise ParameterError(
            ngettext(
                "{file}: addressed to {count} recipient ({addresses}); a document goes to one "
                "customer address. Nothing was sent: fix the customer's email in the customers "
                "file and make the document again",
                "{file}: addressed to {count} recipients ({addresses}); a document goes to one "
                "customer address. Nothing was sent: fix the customer's email in the customers "
                "file and make the document again",
                count,
            ).format(
                file=eml_path,
                count=format_count(count),
                addresses=", ".join(recipients + [str(c) for c in copies]),
            )
        )
    if not message["From"]:
        message["From"] = sender
    tls = context if context is not None else ssl.create_default_context()
    if use_ssl:
        connection = smtplib.SMTP_SSL(host, port, timeout=timeout, context=tls)
    else:
        connection = smtplib.SMTP(host, port, timeout=timeout)
    with connection as smtp:
        if starttls and not use_ssl:
            smtp.starttls(context=tls)
        if username:
            smtp.login(username, password or "")
        refused = smtp.send_message(message, from_addr=sender, to_addrs=recipients)
    return [r for r in recipients if r not in refused]
