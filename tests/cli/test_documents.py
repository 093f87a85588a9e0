"""`arbook statement|letter --send|--queue|--draft` and `arbook outbox list|send|keep|withdraw`
(cli/documents): end to end through a real local SMTP server (aiosmtpd), the contact log written
in the data folder, the repeat refused without --again, exit codes and messages."""

from __future__ import annotations

import pytest
from conftest import write_ledger

from arbook.cli.commands import main
from arbook.collections.contacts import ContactLog

AS_OF = "2026-03-31"
# A owes 1,334.56 due 2026-01-31 (59 days overdue: the ladder's visit step); B owes 99.99 due
# 2026-03-03 (28 days: second call); both in EUR, with an e-mail address.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,currency
    I1,A,2026-01-01,2026-01-31,1334.56,EUR
    I4,B,2026-02-01,2026-03-03,99.99,EUR
"""
CUSTOMERS = """
    customer_id,name,email,language
    A,Alpha Ltd,ap@alpha.example,en
    B,Beta Ltd,b@beta.example,es
"""


@pytest.fixture
def folder(tmp_path):
    return write_ledger(tmp_path / "data", invoices=INVOICES, customers=CUSTOMERS)


@pytest.fixture
def smtp(smtp_server):
    """A local mail server: (what it received, its settings)."""
    return smtp_server, smtp_server.settings()


def test_cli_send_queue_and_outbox(folder, tmp_path, capsys, monkeypatch, smtp):
    inbox, settings = smtp
    policy = tmp_path / "policy.toml"
    policy.write_text(
        '[company]\nname = "Acme Ltd"\nemail = "ar@acme.example"\n[smtp]\nsecurity = "none"\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("ARBOOK_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("ARBOOK_SMTP_PORT", str(settings.port))
    base = ["--as-of", AS_OF, "--policy", str(policy), "--who", "ana"]
    code = main(["letter", str(folder), "A", "--template", "reminder", "--send", *base])
    out = capsys.readouterr().out.splitlines()
    assert code == 0 and out[3] == (
        "reminder for A, step visit: e-mailed to ap@alpha.example; logged (contact-log entry 1)"
    )
    assert len(inbox.envelopes) == 1
    code = main(["letter", str(folder), "A", "--template", "reminder", "--send", *base])
    err = capsys.readouterr().err
    assert code == 2 and "was already e-mailed" in err and "--again" in err
    assert main(["statement", str(folder), "B", "--queue", *base]) == 0
    capsys.readouterr()
    assert main(["outbox", "list", str(folder)]) == 0
    listing = capsys.readouterr().out
    assert "queued for approval" in listing and "B/2026-03-31-statement.pdf" in listing
    assert main(["outbox", "send", str(folder), "--all", "--policy", str(policy)]) == 0
    assert "statement for B" in capsys.readouterr().out and len(inbox.envelopes) == 2
    assert main(["outbox", "send", str(folder)]) == 2
    assert "name the documents to send, or give --all" in capsys.readouterr().err
    with ContactLog(path=folder / "collections.db") as written:
        assert sorted(written.history()["customer_id"]) == ["A", "B"]


def test_cli_keep_withdraw_and_draft(folder, tmp_path, capsys):
    policy = tmp_path / "policy.toml"
    policy.write_text('[company]\nname = "Acme Ltd"\n', encoding="utf-8")
    base = ["--as-of", AS_OF, "--who", "ana"]
    assert main(["statement", str(folder), "A", "--draft", *base]) == 0  # no company: a draft
    assert "draft kept to preview" in capsys.readouterr().out
    assert main(["statement", str(folder), "A", "--queue", "--policy", str(policy), *base]) == 0
    assert main(["letter", str(folder), "B", "--template", "notice", "--queue", "--policy",
                 str(policy), *base]) == 0  # fmt: skip
    capsys.readouterr()
    outbox = folder / "outbox"
    assert main(["outbox", "keep", str(folder), str(outbox / "A" / f"{AS_OF}-statement-2.pdf"),
                 "--policy", str(policy), "--who", "ana"]) == 0  # fmt: skip
    assert "kept to print and post; logged as a letter" in capsys.readouterr().out
    assert main(["outbox", "withdraw", str(folder), f"B/{AS_OF}-notice.eml"]) == 0
    assert "withdrawn from the queue" in capsys.readouterr().out
    assert main(["outbox", "list", str(folder), "--all", "--format", "json"]) == 0
    statuses = [r["status"] for r in __import__("json").loads(capsys.readouterr().out)]
    assert statuses == ["draft", "saved", "withdrawn"]
    assert main(["outbox", "keep", str(folder), str(outbox / "A" / f"{AS_OF}-statement.pdf")]) == 2
    assert "is a draft, kept to preview" in capsys.readouterr().err
    with ContactLog(path=folder / "collections.db") as written:
        assert written.history()[["customer_id", "channel", "outcome"]].values.tolist() == [
            ["A", "letter", "saved"]
        ]
