"""The outbox: every document sent is kept (HTML and PDF), made ready to send (an ``.eml`` with
the PDF attached) and recorded in ``register.csv`` with the SHA-256 of each file.

Layout: ``<outbox>/<customer>/<as_of>-<kind>.{html,pdf,eml}`` (``-2``, ``-3``... when a document
of that name is already there: a copy kept is never overwritten) and ``<outbox>/register.csv``,
one row per file. Files are written to a temporary name and renamed into place; the whole send
runs under ``<outbox>/.register.lock`` so that two senders never lose each other's rows.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
import smtplib
import time
from contextlib import contextmanager
from email import policy as email_policy
from email.message import EmailMessage
from email.parser import BytesParser
from pathlib import Path

from arbook.collections.documents.document import Document
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.files import write_atomic

REGISTER = "register.csv"
REGISTER_COLUMNS = ["customer_id", "document", "kind", "step", "as_of", "file", "sha256"]
LOCK_WAIT_SECONDS = 30.0


def safe_name(text: str) -> str:
    """``text`` usable as one folder name: letters, digits, ``._-`` kept, the rest ``_``; never
    empty, never starting with a dot (so ``../x`` cannot leave the outbox)."""
    name = re.sub(r"[^A-Za-z0-9._-]", "_", text).lstrip(".")
    return name or "_"


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
                    f"{lock}: the outbox is locked by another sender; if none is "
                    "running, delete this file and try again"
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
    """The ready-to-send e-mail: To the customer (absent when no address is known), From the
    company's address if set, Subject the title, the plain text as body, the PDF attached."""
    message = EmailMessage()
    if document.email:
        message["To"] = _one_line(document.email)
    if document.sender:
        message["From"] = _one_line(document.sender)
    message["Subject"] = _one_line(document.title)
    message.set_content(document.text)
    message.add_attachment(pdf, maintype="application", subtype="pdf", filename=pdf_name)
    return message


def _append_register(outbox: Path, rows: list[dict]) -> None:
    """Rewrite ``register.csv`` with ``rows`` appended (atomically: temp file and rename)."""
    path = outbox / REGISTER
    old = path.read_text("utf-8") if path.exists() else ""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=REGISTER_COLUMNS, lineterminator="\n")
    if not old:
        writer.writeheader()
    writer.writerows(rows)
    write_atomic(path, (old + buffer.getvalue()).encode("utf-8"))


def send_to_outbox(document: Document, outbox) -> Path:
    """Keep ``document`` in ``outbox`` as HTML and PDF, write the ``.eml`` ready to send, and add
    one register row per file. Returns the ``.eml`` path (the ``.html`` and ``.pdf`` sit beside it
    with the same stem)."""
    outbox = Path(outbox)
    folder = outbox / safe_name(document.customer_id)
    folder.mkdir(parents=True, exist_ok=True)
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
    timeout: float = 30,
) -> list[str]:
    """Send an outbox ``.eml`` by SMTP (``starttls`` upgrades the connection, ``username`` and
    ``password`` log in). The envelope sender is ``sender``, also the From header if the message
    has none. Returns the recipients the server accepted; raises ParameterError for a message
    with no To, and smtplib's errors when the server refuses."""
    with open(eml_path, "rb") as handle:
        message = BytesParser(policy=email_policy.default).parse(handle)
    recipients = [a.addr_spec for a in message["To"].addresses] if message["To"] else []
    if not recipients:
        raise ParameterError(
            f"{eml_path}: no To address; add the customer's email to the "
            "customers file and make the document again"
        )
    if not message["From"]:
        message["From"] = sender
    with smtplib.SMTP(host, port, timeout=timeout) as smtp:
        if starttls:
            smtp.starttls()
        if username:
            smtp.login(username, password or "")
        refused = smtp.send_message(message, from_addr=sender, to_addrs=recipients)
    return [r for r in recipients if r not in refused]
