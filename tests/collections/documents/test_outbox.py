"""The outbox (outbox): every document kept as HTML and PDF, an ``.eml`` ready to send, one
register row per file with its SHA-256, copies never overwritten, folder names that cannot
leave the outbox, the lock, and sending by SMTP; and what `arbook statement` / `arbook letter`
leave in it."""

from __future__ import annotations

import csv
import hashlib
import socket
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import test_build
from test_build import AS_OF, COMPANY, _folder

from arbook.cli.commands import main
from arbook.collections.documents import (
    Document,
    letter,
    send_email,
    send_to_outbox,
    statement,
)
from arbook.collections.documents import outbox as outbox_module
from arbook.collections.documents.outbox import email_message, safe_name
from arbook.core.errors import ArbookError, ParameterError

small = test_build.small  # the ledger fixture of test_build (pytest finds it by this name)


def _register(outbox: Path) -> list[dict]:
    with open(outbox / "register.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_outbox_files_register_and_eml(small, tmp_path):
    outbox = tmp_path / "outbox"
    doc = letter(small, "A", AS_OF, "notice", lang="es", step="day-30", company=COMPANY)
    eml = send_to_outbox(doc, outbox)
    assert eml == outbox / "A" / "2026-03-31-notice.eml"
    rows = _register(outbox)
    assert [r["file"] for r in rows] == [
        f"A/2026-03-31-notice{e}" for e in (".html", ".pdf", ".eml")
    ]
    for row in rows:
        assert row["sha256"] == hashlib.sha256((outbox / row["file"]).read_bytes()).hexdigest()
        assert (row["customer_id"], row["document"], row["kind"], row["step"], row["as_of"]) == (
            "A",
            "2026-03-31-notice",
            "notice",
            "day-30",
            AS_OF,
        )
    message = BytesParser(policy=email_policy.default).parse(eml.open("rb"))
    assert message["To"] == "ap@alpha.example" and message["From"] == "ar@acme.example"
    assert message["Subject"] == doc.title
    assert "1.374,56" in message.get_body(("plain",)).get_content()
    (pdf,) = list(message.iter_attachments())
    assert pdf.get_content_type() == "application/pdf"
    assert pdf.get_content() == eml.with_suffix(".pdf").read_bytes()
    assert not list(outbox.rglob(".*"))  # no temp or lock file left


def test_outbox_keeps_every_copy(small, tmp_path):
    outbox = tmp_path / "outbox"
    doc = statement(small, "A", AS_OF)
    first, second = send_to_outbox(doc, outbox), send_to_outbox(doc, outbox)
    assert first.name == "2026-03-31-statement.eml" and second.name == "2026-03-31-statement-2.eml"
    assert len(_register(outbox)) == 6


def test_outbox_folder_cannot_escape(tmp_path):
    doc = Document("statement", "../../etc", "en", AS_OF, "t", "<p>x</p>", "x")
    eml = send_to_outbox(doc, tmp_path / "outbox")
    assert eml.parent == tmp_path / "outbox" / "_.._etc"  # one folder, inside the outbox


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    class Inbox:
        def __init__(self):
            self.envelopes = []

        async def handle_DATA(self, server, session, envelope):
            self.envelopes.append(envelope)
            return "250 Message accepted"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield inbox, port
    finally:
        controller.stop()


def test_send_email_to_a_local_server(small, tmp_path, smtp_server):
    inbox, port = smtp_server
    eml = send_to_outbox(letter(small, "A", AS_OF, "reminder"), tmp_path / "outbox")
    accepted = send_email(eml, host="127.0.0.1", port=port, sender="ar@acme.example")
    assert accepted == ["ap@alpha.example"]
    (envelope,) = inbox.envelopes
    assert envelope.mail_from == "ar@acme.example" and envelope.rcpt_tos == ["ap@alpha.example"]
    message = BytesParser(policy=email_policy.default).parsebytes(envelope.content)
    assert message["From"] == "ar@acme.example"
    assert [a.get_content_type() for a in message.iter_attachments()] == ["application/pdf"]


def test_send_email_needs_a_recipient(small, tmp_path):
    eml = send_to_outbox(statement(small, "C", AS_OF), tmp_path / "outbox")  # C has no e-mail
    with pytest.raises(ParameterError, match="no To address"):
        send_email(eml, host="127.0.0.1", port=1, sender="ar@acme.example")


def test_cli_statement_and_letter(tmp_path, capsys):
    data = _folder(tmp_path)
    company = tmp_path / "company.toml"
    company.write_text('[company]\nname = "Acme Ltd"\niban = "GB00 TEST"\n', encoding="utf-8")
    assert main(["statement", str(data), "A", "--as-of", AS_OF, "--company", str(company)]) == 0
    paths = capsys.readouterr().out.split()
    assert paths == [
        str(data / "outbox" / "A" / f"2026-03-31-statement{e}") for e in (".html", ".pdf", ".eml")
    ]
    assert "Extracto de cuenta" in Path(paths[0]).read_text("utf-8")  # the customer's language
    assert "GB00 TEST" in Path(paths[0]).read_text("utf-8")
    out = tmp_path / "out"
    assert (
        main(
            [
                "letter",
                str(data),
                "A",
                "--as-of",
                AS_OF,
                "--template",
                "legal",
                "--lang",
                "en",
                "--out",
                str(out),
            ]
        )
        == 0
    )
    assert (out / "A" / "2026-03-31-legal.pdf").read_bytes().startswith(b"%PDF")
    assert len(_register(out)) == 3


@pytest.mark.parametrize(
    "text, name",
    [
        ("C0140", "C0140"),
        ("a.b_c-d", "a.b_c-d"),
        ("Ana Ruiz/ES", "Ana_Ruiz_ES"),
        ("..", "_"),  # only dots: stripped, then never empty
        (".hidden", "hidden"),
        ("", "_"),
        ("Ωмега", "_____"),  # one _ per character outside A-Z a-z 0-9 . _ -
    ],
)
def test_safe_name(text, name):
    assert safe_name(text) == name


def test_email_message_without_addresses_has_no_to_or_from():
    doc = Document("statement", "A", "en", AS_OF, "Statement\n of  account", "<p>x</p>", "x\n")
    message = email_message(doc, b"%PDF-1.7 tiny", "s.pdf")
    assert message["To"] is None and message["From"] is None
    assert message["Subject"] == "Statement of account"  # folded white space made one line
    assert message.get_body(("plain",)).get_content() == "x\n"
    (pdf,) = message.iter_attachments()
    assert pdf.get_filename() == "s.pdf" and pdf.get_content() == b"%PDF-1.7 tiny"


def test_a_locked_outbox_waits_then_says_what_to_do(tmp_path, monkeypatch):
    outbox = tmp_path / "outbox"
    outbox.mkdir()
    (outbox / ".register.lock").write_text("")  # another sender, or one that died
    monkeypatch.setattr(outbox_module, "LOCK_WAIT_SECONDS", 0.1)
    doc = Document("statement", "A", "en", AS_OF, "t", "<p>x</p>", "x")
    with pytest.raises(ArbookError, match=r"locked by another sender; if none is running"):
        send_to_outbox(doc, outbox)
    assert not (outbox / "register.csv").exists()
    assert (outbox / ".register.lock").exists()  # not ours to delete
    assert list((outbox / "A").iterdir()) == []  # nothing written under someone else's lock
