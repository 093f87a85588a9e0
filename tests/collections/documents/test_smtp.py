"""The mail server (smtp): settings from the policy and the environment (the password from the
environment only), a real local server (aiosmtpd) that is down, refuses an address, asks for a
login or speaks STARTTLS with a certificate that is checked; each failure said, nothing sent
and nothing recorded as sent."""

from __future__ import annotations

import shutil
import ssl
import subprocess

import pytest
import test_sending
from conftest import free_port, mail_server, write_ledger
from test_build import AS_OF, CUSTOMERS
from test_sending import POLICY

import arbook
from arbook.collections.documents import (
    SmtpSettings,
    deliver,
    letter,
    queued,
    send_queued,
    smtp_settings,
)
from arbook.core.errors import ArbookError, DataError, ParameterError, PolicyError

folder, ledger, log, smtp = (
    test_sending.folder,
    test_sending.ledger,
    test_sending.log,
    test_sending.smtp,
)  # the fixtures of test_sending (pytest finds them by these names)


def test_a_server_that_is_down_leaves_the_document_queued_and_nothing_sent(
    ledger, log, smtp, tmp_path
):
    inbox, up = smtp
    outbox = tmp_path / "outbox"
    down = SmtpSettings(host="127.0.0.1", port=free_port(), security="none", timeout=5)
    doc = letter(ledger, "A", AS_OF, "reminder")
    with pytest.raises(ArbookError) as failed:
        deliver(doc, outbox, log=log, who="ana", send=True, smtp=down)
    assert f"the mail server 127.0.0.1:{down.port} cannot be reached (" in str(failed.value)
    assert "Nothing was sent; the document waits in the outbox queue" in str(failed.value)
    assert log.history().empty
    (waiting,) = queued(outbox).to_dict("records")
    assert waiting["status"] == "queued" and waiting["pdf"] == "A/2026-03-31-reminder.pdf"
    done = send_queued(outbox / waiting["eml"], log=log, who="ana", smtp=up)  # the server is back
    assert done.status == "sent" and len(inbox.envelopes) == 1 and queued(outbox).empty
    assert log.history()["document"].tolist() == ["A/2026-03-31-reminder.pdf"]


def test_a_refused_address_is_said_and_nothing_recorded(folder, log, smtp, tmp_path):
    _, settings = smtp
    write_ledger(folder, customers=CUSTOMERS.replace("ap@alpha.example", "refused@alpha.example"))
    ledger = arbook.read_ledger(folder, policy=POLICY)
    with pytest.raises(DataError) as refused:
        deliver(letter(ledger, "A", AS_OF, "reminder"), tmp_path / "o", log=log, who="a",
                send=True, smtp=settings)  # fmt: skip
    assert "refused the customer's address refused@alpha.example (550 5.1.1 no such mailbox)" in (
        str(refused.value)
    )
    assert log.history().empty and queued(tmp_path / "o")["status"].tolist() == ["queued"]


def _login(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult, LoginPassword

    ok = isinstance(auth_data, LoginPassword) and (auth_data.login, auth_data.password) in (
        (b"ar", b"s3cret"),
        ("ar", "s3cret"),
    )
    return AuthResult(success=ok, handled=False)


def test_login(ledger, log, tmp_path):
    with mail_server(authenticator=_login, auth_required=True, auth_require_tls=False) as inbox:
        port = inbox.port
        wrong = SmtpSettings("127.0.0.1", port, "none", "ar", "guess", timeout=10)
        doc = letter(ledger, "A", AS_OF, "reminder")
        with pytest.raises(ParameterError, match=r"refused the login as 'ar' \(535"):
            deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=wrong)
        assert log.history().empty and not inbox.envelopes
        right = SmtpSettings("127.0.0.1", port, "none", username="ar", password="s3cret")
        assert deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=right).to
        assert len(inbox.envelopes) == 1


@pytest.fixture(scope="module")
def certificate(tmp_path_factory):
    """A self-signed certificate for 127.0.0.1, made with openssl (skipped without it)."""
    if shutil.which("openssl") is None:
        pytest.skip("openssl is needed to make a test certificate")
    folder = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", str(key),
         "-out", str(cert), "-days", "3650", "-subj", "/CN=127.0.0.1",
         "-addext", "subjectAltName=IP:127.0.0.1"],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return cert, key


def test_starttls_with_a_checked_certificate(ledger, log, tmp_path, certificate):
    cert, key = certificate
    server_tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_tls.load_cert_chain(cert, key)
    with mail_server(tls_context=server_tls, require_starttls=True, authenticator=_login) as inbox:
        port = inbox.port
        doc = letter(ledger, "A", AS_OF, "reminder")
        untrusted = SmtpSettings("127.0.0.1", port, "starttls", username="ar", password="s3cret")
        with pytest.raises(ArbookError, match="the secure connection to the mail server"):
            deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=untrusted)
        trusted = SmtpSettings(
            "127.0.0.1",
            port,
            "starttls",
            username="ar",
            password="s3cret",
            context=ssl.create_default_context(cafile=str(cert)),
        )
        done = deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=trusted)
        assert done.status == "sent" and len(inbox.envelopes) == 1 and len(log.history()) == 1


def test_smtp_settings_from_the_policy_and_the_environment():
    from arbook.core.config import load_policy

    policy = load_policy(
        {"smtp": {"host": "smtp.acme.example", "port": 465, "security": "ssl", "username": "ar",
                  "sender": "ar@acme.example"}}
    )  # fmt: skip
    got = smtp_settings(policy, environ={})
    assert (got.host, got.port, got.security, got.username, got.password, got.sender) == (
        "smtp.acme.example",
        465,
        "ssl",
        "ar",
        "",
        "ar@acme.example",
    )
    env = {"ARBOOK_SMTP_HOST": "relay", "ARBOOK_SMTP_PORT": "2525", "ARBOOK_SMTP_USER": "bot",
           "ARBOOK_SMTP_PASSWORD": "pw"}  # fmt: skip
    got = smtp_settings(policy, environ=env)
    assert (got.host, got.port, got.username, got.password) == ("relay", 2525, "bot", "pw")
    assert "pw" not in repr(got)
    with pytest.raises(ParameterError, match="ARBOOK_SMTP_PORT 'smtp' is not a port"):
        smtp_settings(policy, environ={"ARBOOK_SMTP_PORT": "smtp"})
    with pytest.raises(PolicyError, match=r"\[smtp\] password: the SMTP password is never kept"):
        load_policy({"smtp": {"password": "s3cret"}})
    assert smtp_settings(None, environ={}).host == ""  # the shipped policy names no server


def test_no_server_no_sender_no_password_in_clear(ledger, log, tmp_path):
    doc = letter(ledger, "A", AS_OF, "reminder")
    with pytest.raises(ParameterError, match="no mail server set: give \\[smtp\\] host"):
        deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=SmtpSettings("", 25))
    remote = SmtpSettings("smtp.example.com", 25, "none", username="ar", password="x")
    with pytest.raises(ParameterError, match=r"would cross the network .* unencrypted"):
        deliver(doc, tmp_path / "o", log=log, who="a", send=True, smtp=remote)
    anonymous = arbook.read_ledger(ledger.source, policy={"company": {"name": "Acme Ltd"}})
    with pytest.raises(ParameterError, match="no address to send from: set \\[company\\] email"):
        deliver(letter(anonymous, "A", AS_OF, "reminder"), tmp_path / "o", log=log, who="a",
                send=True, smtp=SmtpSettings("127.0.0.1", 25, "none"))  # fmt: skip
    assert not (tmp_path / "o").exists()
