"""Statements, ladder letters, the outbox and e-mail (issue 6)."""

from __future__ import annotations

import csv
import hashlib
import socket
from email import policy as email_policy
from email.parser import BytesParser
from pathlib import Path

import pytest
from conftest import ROOT, ledger_of, write_ledger

import arbook
from arbook.cli.commands import main
from arbook.collections.documents import (
    Document,
    letter,
    money,
    offline_fetcher,
    send_email,
    send_to_outbox,
    statement,
)
from arbook.core.errors import ParameterError

SCRIPT = "<script>alert(1)</script>"

# As of 2026-03-31 (basis due, edges 30/60/90/120), customer A:
#   I1 1,334.56 due 2026-01-31, paid 100.00 on 2026-02-15 -> 1,234.56, 59 days    -> 31-60
#   I2   500.00 due 2026-03-31 (due on the day)                                  -> current
#   I3   200.00 due 2025-10-31, 151 days                                          -> 121+
#   CN1 -50.00 standalone credit; P2 10.00 on account (2025-12-01)   -> unapplied -60.00
#   total 1,874.56 = invoices 1,984.56 - payments 110.00
# Letter: overdue I1 + I3 = 1,434.56; credits -60.00; to pay 1,374.56.
# Customer B (named like a script): I4 99.99 due 2026-03-03, 28 days -> 1-30.
# Customer C owes nothing overdue: I5 due 2026-04-30.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,applies_to,currency
    I1,A,2026-01-01,2026-01-31,1334.56,,EUR
    I2,A,2026-03-01,2026-03-31,500.00,,EUR
    I3,A,2025-10-01,2025-10-31,200.00,,EUR
    CN1,A,2026-03-10,,-50.00,,EUR
    I4,B,2026-02-01,2026-03-03,99.99,,EUR
    I5,C,2026-03-31,2026-04-30,10.00,,EUR
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,A,2026-02-15,100.00,I1
    P2,A,2025-12-01,10.00,
"""
CUSTOMERS = f"""
    customer_id,name,email,language,contact
    A,Alpha Ltd,ap@alpha.example,es,Ana Ruiz
    B,{SCRIPT},b@beta.example,en,
    C,Gamma,,ru,
"""
AS_OF = "2026-03-31"
COMPANY = {
    "name": "Acme Ltd",
    "address": "1 High Street\nLondon",
    "bank": "First Bank",
    "iban": "GB00 TEST 0000 0000",
    "bic": "TESTGB2L",
    "email": "ar@acme.example",
}


@pytest.fixture
def small(tmp_path) -> arbook.Ledger:
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


@pytest.fixture(scope="module")
def sample() -> arbook.Ledger:
    return arbook.read_ledger(ROOT / "data" / "sample")


def _summary_row(ledger, customer, as_of) -> dict:
    table = arbook.aging_summary(ledger, as_of)
    row = table[table["customer_id"] == customer].iloc[0]
    return {c: int(row[c]) for c in table.columns if c.endswith("_cents")}


@pytest.mark.parametrize("customer,as_of", [("C0140", "2026-10-31"), ("C0001", "2026-10-31")])
def test_statement_totals_equal_aging_summary_on_the_sample(sample, customer, as_of):
    from arbook.collections.documents import customer_aging

    _, totals = customer_aging(sample, customer, as_of)
    assert totals == _summary_row(sample, customer, as_of)
    doc = statement(sample, customer, as_of)
    row = _summary_row(sample, customer, as_of)
    for column, cents in row.items():
        assert money(cents, "en", None) in doc.text, column
    assert f"Total balance  {money(row['total_cents'], 'en', None)}" in doc.text


def test_statement_on_a_hand_made_ledger(small):
    doc = statement(small, "A", AS_OF, company=COMPANY)
    assert _summary_row(small, "A", AS_OF) == {
        "current_cents": 50000,
        "1-30_cents": 0,
        "31-60_cents": 123456,
        "61-90_cents": 0,
        "91-120_cents": 0,
        "121+_cents": 20000,
        "receivable_cents": 193456,
        "unapplied_cents": -6000,
        "total_cents": 187456,
    }
    text = doc.text
    assert "Not yet due  €500.00" in text and "31-60  €1,234.56" in text
    assert "121+  €200.00" in text and "Credits and unapplied payments  -€60.00" in text
    assert "Total owed  €1,934.56" in text
    assert "Total balance  €1,874.56" in text
    received = text.split("Payments received")[1]
    assert "P1  I1  €100.00" in received  # in the 90 days to as_of
    assert "P2" not in received  # 2025-12-01: older than 90 days (an open item)
    assert "IBAN: GB00 TEST 0000 0000" in text and "1 High Street\nLondon" in text
    assert (doc.kind, doc.customer_id, doc.as_of, doc.email) == (
        "statement",
        "A",
        AS_OF,
        "ap@alpha.example",
    )


def test_statement_without_company_says_to_set_it(small):
    assert "(set your company details)" in statement(small, "A", AS_OF).text
    with pytest.raises(ParameterError, match="unknown key"):
        statement(small, "A", AS_OF, company={"nmae": "typo"})


def test_babel_money_formats():
    # What Babel 2.18 gives: ru groups with a no-break space, es with a dot.
    assert money(123456, "en", None) == "1,234.56"
    assert money(123456, "es", None) == "1.234,56"
    assert money(123456, "ru", None) == "1\xa0234,56"
    assert money(187456, "ru", "EUR") == "1\xa0874,56\xa0€"
    assert money(-6000, "es", "EUR") == "-60,00\xa0€"


@pytest.mark.parametrize(
    "lang,total,date,words",
    [
        ("en", "€1,874.56", "March 31, 2026", "Statement of account"),
        ("es", "1.874,56\xa0€", "31 de marzo de 2026", "Extracto de cuenta"),
        # Babel writes "г." after a narrow no-break space (U+202F).
        ("ru", "1\xa0874,56\xa0€", "31 марта 2026\u202fг.", "Акт сверки задолженности"),
    ],
)
def test_statement_in_three_languages(small, lang, total, date, words):
    doc = statement(small, "A", AS_OF, lang=lang)
    assert doc.lang == lang and words in doc.title and date in doc.title
    assert total in doc.text and date in doc.text
    assert f'<html lang="{lang}">' in doc.html


@pytest.mark.parametrize("template", ["reminder", "notice", "final_notice", "legal"])
@pytest.mark.parametrize(
    "lang,to_pay,pay_by",
    [
        ("en", "€1,374.56", "April"),
        ("es", "1.374,56\xa0€", "de abril de 2026"),
        ("ru", "1\xa0374,56\xa0€", "апреля 2026\u202fг."),
    ],
)
def test_letters_list_overdue_items_and_the_date_to_pay(small, template, lang, to_pay, pay_by):
    doc = letter(small, "A", AS_OF, template, lang=lang, step="day-30", company=COMPANY)
    assert doc.kind == template and doc.step == "day-30"
    assert "I1" in doc.text and "I3" in doc.text
    assert "I2" not in doc.text  # not yet due
    assert to_pay in doc.text and pay_by in doc.text and "day-30" in doc.text


def test_letter_due_dates_per_template(small):
    assert "April 10, 2026" in letter(small, "A", AS_OF, "reminder").text  # +10 days
    assert "April 5, 2026" in letter(small, "A", AS_OF, "final_notice").text  # +5 days
    assert "April 30, 2026" in letter(small, "A", AS_OF, "notice", pay_within_days=30).text


def test_letter_refuses_bad_input(small):
    with pytest.raises(ParameterError, match="nothing overdue"):
        letter(small, "C", AS_OF, "reminder")
    with pytest.raises(ParameterError, match="template"):
        letter(small, "A", AS_OF, "threat")
    with pytest.raises(ParameterError, match="language"):
        letter(small, "A", AS_OF, "reminder", lang="fr")
    with pytest.raises(ParameterError, match="unknown customer"):
        statement(small, "Z", AS_OF)


def _pdf_text(doc: Document) -> str:
    """The PDF's text: with pypdf when installed, else WeasyPrint's laid-out text boxes (the
    same layout write_pdf draws)."""
    try:
        import pypdf
    except ImportError:
        import weasyprint

        rendered = weasyprint.HTML(string=doc.html, url_fetcher=offline_fetcher()).render()
        return " ".join(
            box.text
            for page in rendered.pages
            for box in page._page_box.descendants()
            if hasattr(box, "text")
        )
    import io

    reader = pypdf.PdfReader(io.BytesIO(doc.pdf_bytes()))
    return " ".join(page.extract_text() for page in reader.pages)


@pytest.mark.parametrize(
    "make",
    [
        lambda ledger: statement(ledger, "B", AS_OF),
        lambda ledger: letter(ledger, "B", AS_OF, "legal", lang="ru"),
    ],
)
def test_customer_text_is_escaped(small, make):
    doc = make(small)
    assert SCRIPT not in doc.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in doc.html
    assert SCRIPT in doc.text  # the e-mail body shows it as text
    assert SCRIPT in _pdf_text(doc)  # and the PDF prints it as text


def test_pdf_is_real_offline_and_reproducible(small, tmp_path):
    doc = statement(small, "A", AS_OF, lang="ru")
    path = doc.to_pdf(tmp_path / "a.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000 and data.rstrip().endswith(b"%%EOF")
    assert data == doc.pdf_bytes()  # no clock in the PDF
    for marker in ("http://", "https://", "src=", "url("):
        assert marker not in doc.html
    with pytest.raises(ValueError, match="disallowed protocol"):
        offline_fetcher().fetch("http://127.0.0.1:9/logo.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        offline_fetcher().fetch("file:///etc/passwd")
    external = Document(
        "statement",
        "A",
        "en",
        AS_OF,
        "t",
        '<img src="http://127.0.0.1:9/x.png"><p>still renders</p>',
        "",
    )
    assert external.pdf_bytes().startswith(b"%PDF")  # the image is left out, nothing fetched


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


def _folder(tmp_path) -> Path:
    return write_ledger(
        tmp_path / "data", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS
    )


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
    "argv,message",
    [
        (["statement", "{data}", "Z", "--as-of", AS_OF], "unknown customer 'Z'"),
        (["letter", "{data}", "C", "--as-of", AS_OF, "--template", "reminder"], "nothing overdue"),
        (["letter", "{data}", "A", "--as-of", AS_OF, "--template", "threat"], "invalid choice"),
        (["statement", "{data}", "A", "--as-of", AS_OF, "--lang", "fr"], "invalid choice"),
        (["statement", "{data}", "A", "--as-of", "31/03/2026"], "YYYY-MM-DD"),
    ],
)
def test_cli_exit_2_with_a_message(tmp_path, capsys, argv, message):
    data = _folder(tmp_path)
    argv = [a.replace("{data}", str(data)) for a in argv]
    try:
        code = main(argv)
    except SystemExit as exc:
        code = exc.code
    assert code == 2
    assert message in capsys.readouterr().err
    assert not (data / "outbox").exists()
