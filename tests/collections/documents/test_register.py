"""What the outbox holds (register): the queue a daily run fills, approved and e-mailed, kept to
print and post or withdrawn; the same content queued once; a file changed since it was kept
refused; drafts kept to preview and never given; an older register read and extended."""

from __future__ import annotations

import pytest
import test_sending
from test_build import AS_OF

import arbook
from arbook.collections.documents import (
    deliver,
    keep_queued,
    letter,
    outbox_documents,
    queued,
    send_queued,
    send_to_outbox,
    statement,
    withdraw,
)
from arbook.core.errors import ParameterError

folder, ledger, log, smtp = (
    test_sending.folder,
    test_sending.ledger,
    test_sending.log,
    test_sending.smtp,
)


def test_the_queue_approve_send_keep_and_withdraw(ledger, log, smtp, tmp_path):
    inbox, settings = smtp
    outbox = tmp_path / "outbox"
    first = deliver(letter(ledger, "A", AS_OF, "reminder"), outbox, log=None, who="d", queue=True)
    assert first.status == "queued" and log.history().empty  # awaiting approval: not logged
    again = deliver(letter(ledger, "A", AS_OF, "reminder"), outbox, log=None, who="d", queue=True)
    assert again.note == "already queued" and again.eml == first.eml  # the same content
    b = deliver(letter(ledger, "B", AS_OF, "notice"), outbox, log=None, who="d", queue=True)
    c = deliver(statement(ledger, "C", AS_OF), outbox, log=None, who="d", queue=True)
    assert queued(outbox)["customer_id"].tolist() == ["A", "B", "C"]
    assert send_queued(first.pdf, log=log, who="ana", smtp=settings).status == "sent"
    assert keep_queued(c.html, log=log, who="ana").status == "saved"
    assert withdraw(b.eml).status == "withdrawn"
    assert queued(outbox).empty
    assert outbox_documents(outbox)["status"].tolist() == ["sent", "withdrawn", "saved"]
    assert sorted(log.history()["outcome"]) == ["saved", "sent"]
    with pytest.raises(ParameterError, match=r"was already e-mailed to ap@alpha\.example"):
        send_queued(first.eml, log=log, who="ana", smtp=settings)
    with pytest.raises(ParameterError, match="was withdrawn from the queue"):
        keep_queued(b.eml, log=log, who="ana")
    with pytest.raises(ParameterError, match="does not list this document"):
        send_queued(outbox / "A" / "nothing.eml", log=log, who="ana", smtp=settings)
    assert len(inbox.envelopes) == 1


def test_a_queued_document_changed_since_is_not_sent(ledger, log, smtp, tmp_path):
    _, settings = smtp
    done = deliver(letter(ledger, "A", AS_OF, "reminder"), tmp_path / "o", log=None, who="d",
                   queue=True)  # fmt: skip
    done.eml.write_bytes(done.eml.read_bytes().replace(b"Acme", b"Evil"))
    with pytest.raises(ParameterError, match="changed or missing since it was kept"):
        send_queued(done.eml, log=log, who="ana", smtp=settings)
    assert log.history().empty


def test_a_draft_goes_to_no_customer(folder, log, tmp_path):
    plain = arbook.read_ledger(folder)  # no [company] name
    doc = statement(plain, "A", AS_OF)
    for queue in (False, True):
        with pytest.raises(ParameterError, match="is a draft and goes to no customer until it"):
            deliver(doc, tmp_path / "outbox", log=log, who="ana", queue=queue)
    assert not (tmp_path / "outbox").exists()
    eml = send_to_outbox(doc, tmp_path / "outbox")  # a preview may be kept: as a draft
    assert outbox_documents(tmp_path / "outbox")["status"].tolist() == ["draft"]
    with pytest.raises(ParameterError, match="is a draft, kept to preview"):
        keep_queued(eml, log=log, who="ana")
    assert queued(tmp_path / "outbox").empty


def test_an_older_register_is_read_and_extended(ledger, tmp_path):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / "register.csv").write_text(
        "customer_id,document,kind,step,as_of,file,sha256\n"
        "A,2026-01-31-statement,statement,,2026-01-31,A/2026-01-31-statement.pdf,abc\n",
        encoding="utf-8",
    )
    (old,) = outbox_documents(outbox).to_dict("records")
    assert old["status"] == "unrecorded"  # made before documents were recorded
    send_to_outbox(statement(ledger, "A", AS_OF), outbox)
    lines = (outbox / "register.csv").read_text("utf-8").splitlines()
    assert lines[0] == "customer_id,document,kind,step,as_of,file,sha256,status,to,recorded_at"
    assert (
        lines[1] == "A,2026-01-31-statement,statement,,2026-01-31,A/2026-01-31-statement.pdf,abc,,,"
    )
    assert outbox_documents(outbox)["status"].tolist() == ["unrecorded", "queued"]
