"""The one send path (sending, smtp, register): documents e-mailed through a real local SMTP
server (aiosmtpd in a thread: plain, with a login, with STARTTLS), saved to print and post, or
queued for approval; every one given recorded in the contact log with its ladder step, file and
hash (matching the register) so the worklist moves on; the same document twice a day only when
confirmed; no e-mail without an address; a server down, a refused address or a refused login
leaving nothing recorded as sent; the settings from the policy and the environment."""

from __future__ import annotations

import csv
import hashlib
from pathlib import Path

import pytest
from conftest import mail_server, write_ledger
from test_build import AS_OF, COMPANY, CUSTOMERS, INVOICES, PAYMENTS

import arbook
from arbook.collections.contacts import ContactLog
from arbook.collections.documents import (
    deliver,
    deliver_due,
    letter,
    outbox_documents,
    queued,
    statement,
)
from arbook.core.errors import LogError, ParameterError

POLICY = {"company": {**COMPANY, "tax_id": "GB123"}}


@pytest.fixture
def folder(tmp_path) -> Path:
    return write_ledger(
        tmp_path / "data", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS
    )


@pytest.fixture
def ledger(folder) -> arbook.Ledger:
    return arbook.read_ledger(folder, policy=POLICY)


@pytest.fixture
def log(folder):
    with ContactLog(path=folder / "collections.db") as opened:
        yield opened


@pytest.fixture
def smtp():
    """A local mail server refusing refused@alpha.example: (what it received, its settings)."""
    with mail_server(refuse={"refused@alpha.example"}) as server:
        yield server, server.settings()


def _register(outbox: Path) -> list[dict]:
    with open(outbox / "register.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _listed(ledger, log, customer) -> bool:
    frame = arbook.worklist(ledger, AS_OF, log=log)
    return customer in set(frame["customer_id"])


def test_an_e_mailed_letter_arrives_and_is_recorded_so_the_ladder_moves_on(
    ledger, log, smtp, tmp_path
):
    inbox, settings = smtp
    outbox = tmp_path / "outbox"
    assert _listed(ledger, log, "A")  # A's step (agency, 151 days) is to do
    doc = letter(ledger, "A", AS_OF, "notice", lang="en")
    done = deliver(doc, outbox, log=log, who="ana", send=True, smtp=settings)
    (message,) = inbox.messages()
    assert (message["To"], message["From"], message["Subject"]) == (
        "ap@alpha.example",
        "ar@acme.example",
        doc.title,
    )
    assert inbox.envelopes[0].mail_from == "ar@acme.example"
    (pdf,) = message.iter_attachments()
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == done.pdf.read_bytes()
    assert "Acme Ltd" in message.get_body(("plain",)).get_content()
    assert (done.status, done.to, done.step, done.document) == (
        "sent",
        "ap@alpha.example",
        "agency",
        "A/2026-03-31-notice.pdf",
    )
    register = _register(outbox)
    pdf_row = next(r for r in register if r["file"] == done.document)
    assert pdf_row["sha256"] == hashlib.sha256(done.pdf.read_bytes()).hexdigest() == done.sha256
    assert [r["status"] for r in register] == ["queued", "queued", "queued", "sent"]
    assert register[-1]["to"] == "ap@alpha.example" and register[-1]["step"] == "agency"
    (entry,) = log.history().to_dict("records")
    assert (entry["id"], entry["channel"], entry["outcome"], entry["who"]) == (
        done.entry_id,
        "email",
        "sent",
        "ana",
    )
    assert (entry["step"], entry["document"], entry["sha256"]) == (
        pdf_row["step"],
        pdf_row["file"],
        pdf_row["sha256"],
    )
    assert f"{entry['at']:%Y-%m-%d %H:%M}" == f"{AS_OF} 00:00"  # dated the document's day
    assert entry["note"].startswith("e-mailed to ap@alpha.example: notice (")
    assert not _listed(ledger, log, "A")  # the step is done: off today's worklist


def test_kept_to_print_and_post_is_logged_as_a_letter(ledger, log, tmp_path):
    done = deliver(statement(ledger, "C", AS_OF), tmp_path / "outbox", log=log, who="ana")
    (entry,) = log.history().to_dict("records")
    assert (done.status, entry["channel"], entry["outcome"], entry["document"]) == (
        "saved",
        "letter",
        "saved",
        "C/2026-03-31-statement.pdf",
    )
    assert entry["sha256"] == done.sha256 and entry["note"].startswith("kept to print and post")
    assert outbox_documents(tmp_path / "outbox")["status"].tolist() == ["saved"]


def test_the_same_document_twice_a_day_needs_a_confirmation(ledger, log, smtp, tmp_path):
    _, settings = smtp
    outbox = tmp_path / "outbox"
    doc = letter(ledger, "A", AS_OF, "reminder")
    deliver(doc, outbox, log=log, who="ana", send=True, smtp=settings)
    for send in (True, False):  # e-mailed again, or saved to post after it was e-mailed
        with pytest.raises(ParameterError) as refused:
            deliver(doc, outbox, log=log, who="ana", send=send, smtp=settings)
        said = str(refused.value)
        assert said.startswith(
            f"the reminder of {AS_OF} for customer 'A' (step agency) was already e-mailed to "
            "ap@alpha.example (A/2026-03-31-reminder.pdf, recorded 20"
        )
        assert said.endswith("confirm with --again (confirm_repeat=True in Python)")
    assert len(log.history()) == 1 and len(_register(outbox)) == 4  # nothing more written
    again = deliver(doc, outbox, log=log, who="ana", send=True, smtp=settings, confirm_repeat=True)
    assert again.document == "A/2026-03-31-reminder-2.pdf" and len(log.history()) == 2
    other = letter(ledger, "A", AS_OF, "notice")  # another kind is another document
    assert deliver(other, outbox, log=log, who="ana").status == "saved"
    # the log alone knows too (an outbox moved away): refused all the same
    with pytest.raises(ParameterError, match="contact-log entry"):
        deliver(doc, tmp_path / "new-outbox", log=log, who="ana")


def test_no_e_mail_without_an_address_and_saving_is_offered(ledger, log, smtp, tmp_path):
    _, settings = smtp
    outbox = tmp_path / "outbox"
    doc = statement(ledger, "C", AS_OF)  # C has no e-mail address
    with pytest.raises(ParameterError, match=r"no e-mail address in the customers file.*--send"):
        deliver(doc, outbox, log=log, who="ana", send=True, smtp=settings)
    assert not outbox.exists() and log.history().empty
    assert deliver(doc, outbox, log=log, who="ana").status == "saved"


class BrokenLog:
    """A contact log that reads, but whose writes fail (a database gone read-only)."""

    def __init__(self, log):
        self.log = log

    def history(self, customer_id=None):
        return self.log.history(customer_id)

    def add(self, *args, **kwargs):
        raise LogError("contact log x.db: the database is read-only; the contact was not saved")


def test_a_record_that_fails_after_the_e_mail_went_says_so_loudly(ledger, log, smtp, tmp_path):
    inbox, settings = smtp
    doc = letter(ledger, "A", AS_OF, "reminder")
    with pytest.raises(LogError) as failed:
        deliver(doc, tmp_path / "o", log=BrokenLog(log), who="a", send=True, smtp=settings)
    said = str(failed.value)
    assert said.startswith("SENT to ap@alpha.example, BUT NOT RECORDED in the contact log")
    assert "A/2026-03-31-reminder.pdf" in said and len(inbox.envelopes) == 1
    assert outbox_documents(tmp_path / "o")["status"].tolist() == ["sent"]  # the register knows
    with pytest.raises(LogError, match="waits in the outbox queue"):  # saving: nothing given
        deliver(statement(ledger, "C", AS_OF), tmp_path / "o", log=BrokenLog(log), who="a")
    assert queued(tmp_path / "o")["customer_id"].tolist() == ["C"]


def test_deliver_due_queues_or_sends_what_the_ladder_asks(ledger, log, smtp, tmp_path):
    import pandas as pd

    inbox, settings = smtp
    rows = pd.DataFrame(
        {
            "customer_id": ["A", "B", "C"],
            "name": ["Alpha Ltd", "Beta", "Gamma"],
            "step": ["agency", "second_call", "reminder"],
            "template": ["legal", "notice", "statement"],
        }
    )
    made = deliver_due(ledger, AS_OF, rows, log=log, who="daily", outbox=tmp_path / "o")
    assert made["status"].tolist() == ["queued", "queued", "queued"] and log.history().empty
    assert made["step"].tolist() == ["agency", "second call", "reminder"]
    sent = deliver_due(
        ledger, AS_OF, rows, log=log, who="daily", outbox=tmp_path / "o", send=True, smtp=settings
    )
    assert sent["status"].tolist() == ["sent", "sent", "queued"]
    assert sent["note"].tolist()[2] == "no e-mail address: queued to print and post"
    assert len(inbox.envelopes) == 2 and len(log.history()) == 2
