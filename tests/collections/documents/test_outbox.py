"""The outbox (outbox): every document kept as HTML and PDF, an ``.eml`` ready to send, one
register row per file with its SHA-256 (no cell a spreadsheet would run), copies never
overwritten, folder names that cannot leave the outbox and never shared by two customers, one
e-mail address per customer, the lock, and sending by SMTP; and what `arbook statement` /
`arbook letter` leave in it."""

from __future__ import annotations

import csv
import hashlib
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import pytest
import test_build
from conftest import ledger_of, write_ledger
from test_build import AS_OF, COMPANY, INVOICES, PAYMENTS, _folder

from arbook.cli.commands import main
from arbook.collections.documents import (
    Document,
    letter,
    send_email,
    send_to_outbox,
    statement,
)
from arbook.collections.documents import outbox as outbox_module
from arbook.collections.documents.outbox import email_message, one_address, safe_name
from arbook.core.errors import ArbookError, DataError, ParameterError

small = test_build.small  # the ledger fixture of test_build (pytest finds it by this name)


def _register(outbox: Path) -> list[dict]:
    with open(outbox / "register.csv", newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_outbox_files_register_and_eml(small, tmp_path):
    outbox = tmp_path / "outbox"
    doc = letter(small, "A", AS_OF, "notice", lang="es", step="second_call", company=COMPANY)
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
            "second_call",
            AS_OF,
        )
        assert (row["status"], row["to"]) == ("queued", "ap@alpha.example")  # not given yet
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


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:8]


def test_outbox_folder_cannot_escape(tmp_path):
    doc = Document("statement", "../../etc", "en", AS_OF, "t", "<p>x</p>", "x")
    eml = send_to_outbox(doc, tmp_path / "outbox")
    # one folder, inside the outbox, named after the id and marked as changed by its hash
    assert eml.parent == tmp_path / "outbox" / f"etc~{_hash('../../etc')}"


def test_two_russian_customers_get_two_readable_folders(tmp_path):
    # before: both were "___" + "_______" and shared one folder
    outbox = tmp_path / "outbox"
    first = send_to_outbox(
        Document("statement", "ООО Ромашка", "ru", AS_OF, "t", "<p/>", ""), outbox
    )
    second = send_to_outbox(
        Document("statement", "ООО Василёк", "ru", AS_OF, "t", "<p/>", ""), outbox
    )
    assert first.parent.name == f"ООО_Ромашка~{_hash('ООО Ромашка')}"
    assert second.parent.name == f"ООО_Василёк~{_hash('ООО Василёк')}"
    assert sorted(p.name for p in outbox.iterdir()) == sorted(
        [first.parent.name, second.parent.name, "register.csv"]
    )


def test_a_folder_taken_by_another_customer_on_a_case_blind_system_gets_the_hash(
    tmp_path, monkeypatch
):
    outbox = tmp_path / "outbox"
    send_to_outbox(Document("statement", "abc", "en", AS_OF, "t", "<p/>", ""), outbox)
    real = outbox_module.os.listdir
    # a case-insensitive file system: making "ABC" finds the existing "abc"
    monkeypatch.setattr(outbox_module.os, "listdir", lambda p: [n.lower() for n in real(p)])
    eml = send_to_outbox(Document("statement", "ABC", "en", AS_OF, "t", "<p/>", ""), outbox)
    assert eml.parent.name == f"ABC~{_hash('ABC')}"


def test_send_email_to_a_local_server(small, tmp_path, smtp_server):
    inbox, port = smtp_server, smtp_server.port
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
    paths = capsys.readouterr().out.splitlines()[:3]
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
                "--company",
                str(company),
            ]
        )
        == 0
    )
    assert (out / "A" / "2026-03-31-legal.pdf").read_bytes().startswith(b"%PDF")
    # three files made (queued), then the PDF's row saying it was kept to print and post
    assert [r["status"] for r in _register(out)] == ["queued"] * 3 + ["saved"]


@pytest.mark.parametrize(
    "text, name",
    [
        ("C0140", "C0140"),  # a safe id is its own folder name
        ("a.b_c-d", "a.b_c-d"),
        ("Ωмега", "Ωмега"),  # Unicode letters and digits are kept
        ("東京1", "東京1"),
        ("Ana Ruiz/ES", "Ana_Ruiz_ES~"),  # anything else is one _, and the name gets a hash
        ("A\\B", "A_B~"),
        ("a..b", "a.b~"),  # no run of dots
        ("..", "_~"),  # only dots: nothing readable is left
        (".hidden", "hidden~"),  # never hidden
        ("", "_~"),
        ("=cmd|x", "cmd_x~"),  # nothing a spreadsheet or a shell reads as special in front
        ("-rf", "rf~"),
        ("x\x1b[2J\n\x07", "x_2J~"),  # control characters
        ("trailing. ", "trailing~"),  # Windows drops trailing dots and spaces
        ("CON", "_CON~"),  # reserved names on Windows, with or without an extension
        ("nul.txt", "_nul.txt~"),
        ("LPT9", "_LPT9~"),
        ("e\u0301", "é~"),  # NFD made NFC: the same name on macOS and Linux
        ("x" * 300, "x" * 64 + "~"),  # short enough for every file system
    ],
)
def test_safe_name(text, name):
    expected = name + _hash(text) if name.endswith("~") else name
    assert safe_name(text) == expected


def test_safe_names_of_different_ids_differ():
    ids = ["A/B", "A:B", "A B", "A_B", "a_b", "A\\B", "A*B", "", ".", "..", "_"]
    names = [safe_name(text) for text in ids]
    assert len(set(names)) == len(ids)
    assert all("/" not in n and "\\" not in n and not n.startswith(".") for n in names)


def test_register_csv_neutralises_formula_cells(tmp_path):
    outbox = tmp_path / "outbox"
    doc = Document(
        "statement", '=HYPERLINK("http://x")', "en", AS_OF, "t", "<p>x</p>", "x", step="+1"
    )
    eml = send_to_outbox(doc, outbox)
    text = (outbox / "register.csv").read_text("utf-8")
    assert "'=HYPERLINK" in text and ",=" not in text and "\n=" not in text
    rows = _register(outbox)
    assert {r["customer_id"] for r in rows} == {'\'=HYPERLINK("http://x")'}
    assert {r["step"] for r in rows} == {"'+1"}
    # the folder of such an id starts with a letter, so the file column needs no quote
    assert [r["file"] for r in rows][-1] == eml.relative_to(outbox).as_posix()
    assert eml.parent.name.startswith("HYPERLINK_")


def _customers(email: str) -> str:
    """A customers file whose A has ``email``, quoted as a spreadsheet saves it."""
    quoted = email.replace('"', '""')
    return f'customer_id,name,email,language\nA,Alpha Ltd,"{quoted}",en\n'


@pytest.mark.parametrize(
    "email, why",
    [
        ("a@x.com, extra@evil.example", "it lists more than one address"),
        ("a@x.com; extra@evil.example", "it lists more than one address"),
        ("a@x.com extra@evil.example", "it lists more than one address"),
        ("a@x.com\nBcc: extra@evil.example", "line break or another control character"),
        ('"Ruiz, Ana" <a@x.com>', "without quotes, commas, brackets or @"),
        ("Ana <a@x.com>, extra@evil.example", "it lists more than one address"),
        ("a@x", "it is not an e-mail address"),
        ("not an address", "it is not an e-mail address"),
    ],
)
def test_a_customer_email_that_is_not_one_address_is_refused_and_nothing_written(
    tmp_path, email, why
):
    ledger = ledger_of(tmp_path, invoices=INVOICES, customers=_customers(email))
    doc = statement(ledger, "A", AS_OF)
    outbox = tmp_path / "outbox"
    with pytest.raises(DataError) as exc:
        send_to_outbox(doc, outbox)
    message = str(exc.value)
    assert message.startswith(f"customer 'A': email {email!r} is not one e-mail address (")
    assert why in message
    assert "in the customers file's email column. Nothing was written or sent." in message
    assert not outbox.exists()
    with pytest.raises(DataError, match="customer 'A'"):
        email_message(doc, b"%PDF", "s.pdf")


@pytest.mark.parametrize(
    "text, to",
    [
        ("ap@alpha.example", "ap@alpha.example"),
        ("  ap@alpha.example ", "ap@alpha.example"),
        ("Alpha AP <ap@alpha.example>", "Alpha AP <ap@alpha.example>"),
        ("o'brien+ar@mail.alpha.co.uk", "o'brien+ar@mail.alpha.co.uk"),
        ("ivan@почта.рф", "ivan@xn--80a1acny.xn--p1ai"),  # the domain in its ASCII form
    ],
)
def test_one_address_accepts_one_mailbox(text, to):
    assert str(one_address(text, whose="customer 'A'", where="x")) == to


def test_a_bad_company_address_is_refused_too(small, tmp_path):
    doc = statement(small, "A", AS_OF, company={**COMPANY, "email": "ar@acme.example, x@y.z"})
    with pytest.raises(DataError, match=r"company: email .* the company file's email key"):
        send_to_outbox(doc, tmp_path / "outbox")
    assert not (tmp_path / "outbox").exists()


def test_cli_statement_with_two_addresses_exits_1_and_writes_nothing(tmp_path, capsys):
    data = write_ledger(
        tmp_path / "data",
        invoices=INVOICES,
        payments=PAYMENTS,
        customers=_customers("a@x.com, extra@evil.example"),
    )
    assert main(["statement", str(data), "A", "--as-of", AS_OF]) == 1
    err = capsys.readouterr().err
    assert "customer 'A': email 'a@x.com, extra@evil.example' is not one e-mail address" in err
    assert "Traceback" not in err and not (data / "outbox").exists()


def test_send_email_refuses_an_eml_for_two_recipients(tmp_path):
    eml = tmp_path / "two.eml"
    eml.write_bytes(b"To: a@x.com, extra@evil.example\nSubject: s\n\nbody\n")
    # port 1: had it tried to connect, the error would be a refused connection
    with pytest.raises(ParameterError, match=r"addressed to 2 recipients .*Nothing was sent"):
        send_email(eml, host="127.0.0.1", port=1, sender="ar@acme.example")
    eml.write_bytes(b"To: a@x.com\nBcc: extra@evil.example\nSubject: s\n\nbody\n")
    with pytest.raises(ParameterError, match="addressed to 2 recipients"):
        send_email(eml, host="127.0.0.1", port=1, sender="ar@acme.example")


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
