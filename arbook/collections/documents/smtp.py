"""The mail server documents are e-mailed through: its settings (the policy's ``[smtp]`` and
the environment; the password from the environment only) and one e-mail sent, with every
failure said for a person (server out of reach, login refused, address refused, TLS failed),
each saying that nothing was sent.
"""

from __future__ import annotations

import ipaddress
import os
import smtplib
import ssl
from dataclasses import dataclass, field
from pathlib import Path

from arbook.collections.documents.outbox import send_email
from arbook.core.config import resolve_policy
from arbook.core.errors import ArbookError, DataError, ParameterError
from arbook.core.i18n import _

ENV = {
    "host": "ARBOOK_SMTP_HOST",
    "port": "ARBOOK_SMTP_PORT",
    "username": "ARBOOK_SMTP_USER",
    "password": "ARBOOK_SMTP_PASSWORD",
}


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to e-mail: ``host``, ``port``, ``security`` (starttls, ssl or none),
    ``username`` ("" = no login) and ``password``, the envelope ``sender``, ``timeout`` in
    seconds, and ``context`` (the TLS trust; None = the system's authorities)."""

    host: str
    port: int
    security: str = "starttls"
    username: str = ""
    password: str = field(default="", repr=False)
    sender: str = ""
    timeout: float = 30.0
    context: ssl.SSLContext | None = field(default=None, repr=False, compare=False)

    @property
    def where(self) -> str:
        return f"{self.host}:{self.port}"


def smtp_settings(policy=None, *, environ=None, context=None) -> SmtpSettings:
    """The mail server of ``policy``'s ``[smtp]`` (None: the shipped policy), each of host,
    port and user replaced by its environment variable when set (:data:`ENV`; a scheduler's
    environment wins over the file); the password only from ``ARBOOK_SMTP_PASSWORD``.
    Raises ParameterError for a port that is not a number from 1 to 65535."""
    env = os.environ if environ is None else environ
    rules = resolve_policy(policy).smtp
    port_text = env.get(ENV["port"], "").strip()
    port = rules.port
    if port_text:
        if not port_text.isdigit() or not 1 <= int(port_text) <= 65535:
            raise ParameterError(
                _(
                    "{variable} {value} is not a port; give a whole number from 1 to 65535 (587 "
                    "for STARTTLS, 465 for SSL)"
                ).format(variable=ENV["port"], value=repr(port_text))
            )
        port = int(port_text)
    return SmtpSettings(
        host=env.get(ENV["host"], "").strip() or rules.host.strip(),
        port=port,
        security=rules.security,
        username=env.get(ENV["username"], "").strip() or rules.username.strip(),
        password=env.get(ENV["password"], ""),
        sender=rules.sender.strip(),
        timeout=rules.timeout_seconds,
        context=context,
    )


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def check_server(settings: SmtpSettings) -> None:
    if not settings.host:
        raise ParameterError(
            _(
                "no mail server set: give [smtp] host in the policy file or ARBOOK_SMTP_HOST in "
                "the environment; nothing was sent"
            )
        )
    if settings.username and settings.security == "none" and not _loopback(settings.host):
        raise ParameterError(
            _(
                "[smtp] security is none: the password for {user} would cross the network to "
                "{server} unencrypted; use starttls or ssl. Nothing was sent"
            ).format(user=repr(settings.username), server=settings.where)
        )


def _reason(exc: BaseException) -> str:
    if isinstance(exc, smtplib.SMTPResponseException):
        text = exc.smtp_error
        said = text.decode("utf-8", "replace") if isinstance(text, bytes) else str(text)
        return f"{exc.smtp_code} {said}".strip()
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return "; ".join(
            _reason(smtplib.SMTPResponseException(*v)) for v in exc.recipients.values()
        )
    return (
        str(exc.strerror if isinstance(exc, OSError) and exc.strerror else exc)
        or type(exc).__name__
    )


def _failure(exc: Exception, settings: SmtpSettings, to: str, sender: str) -> ArbookError:
    """An SMTP failure said for a person: what the server did, what to fix, and that nothing
    was sent."""
    fields = {
        "server": settings.where,
        "why": _reason(exc),
        "kept": _(
            "Nothing was sent; the document waits in the outbox queue (`arbook outbox send`)."
        ),
    }
    if isinstance(exc, smtplib.SMTPAuthenticationError):
        return ParameterError(
            _(
                "the mail server {server} refused the login as {user} ({why}); check "
                "{user_variable} (or [smtp] username) and {password_variable}. {kept}"
            ).format(
                user=repr(settings.username),
                user_variable=ENV["username"],
                password_variable=ENV["password"],
                **fields,
            )
        )
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return DataError(
            _(
                "the mail server {server} refused the customer's address {to} ({why}); correct "
                "the customer's email in the customers file. {kept}"
            ).format(to=to, **fields)
        )
    if isinstance(exc, smtplib.SMTPSenderRefused):
        return ParameterError(
            _(
                "the mail server {server} refused the sender {sender} ({why}); set [company] "
                "email or [smtp] sender to an address it accepts. {kept}"
            ).format(sender=sender, **fields)
        )
    if isinstance(exc, smtplib.SMTPNotSupportedError):
        return ParameterError(
            _(
                "the mail server {server}: {why}; check [smtp] security (starttls, ssl or none) "
                "and port. {kept}"
            ).format(**fields)
        )
    if isinstance(exc, ssl.SSLError | ssl.CertificateError):
        return ArbookError(
            _(
                "the secure connection to the mail server {server} failed ({why}); check "
                "[smtp] security and port, and that the server's certificate is valid. {kept}"
            ).format(**fields)
        )
    if isinstance(exc, smtplib.SMTPResponseException):
        return ArbookError(
            _("the mail server {server} refused the message ({why}). {kept}").format(**fields)
        )
    return ArbookError(
        _(
            "the mail server {server} cannot be reached ({why}); check [smtp] host and port "
            "(or {host_variable}, {port_variable}) and that the server is running. {kept}"
        ).format(host_variable=ENV["host"], port_variable=ENV["port"], **fields)
    )


def transmit(eml: Path, settings: SmtpSettings, *, sender: str) -> str:
    """E-mail the outbox file ``eml`` through ``settings``'s server from ``sender``; return
    the one recipient accepted. Raises an ArbookError saying what went wrong (server out of
    reach, login refused, address refused, TLS failed) and that nothing was sent."""
    check_server(settings)
    try:
        accepted = send_email(
            eml,
            host=settings.host,
            port=settings.port,
            sender=sender,
            username=settings.username or None,
            password=settings.password,
            starttls=settings.security == "starttls",
            use_ssl=settings.security == "ssl",
            timeout=settings.timeout,
            context=settings.context,
        )
    except ArbookError:
        raise
    except (smtplib.SMTPException, OSError) as exc:  # TimeoutError is an OSError
        raise _failure(exc, settings, _to_of(eml), sender) from None
    if not accepted:  # a server that took none without saying no
        raise ArbookError(
            _("the mail server {server} accepted no recipient; nothing sent").format(
                server=settings.where
            )
        )
    return accepted[0]


def _to_of(eml: Path) -> str:
    from email import policy as email_policy
    from email.parser import BytesParser

    with open(eml, "rb") as handle:
        message = BytesParser(policy=email_policy.default).parse(handle, headersonly=True)
    return str(message["To"] or "")
