"""Statements of account and ladder letters (build): their totals, words, money and dates in
three languages, the overdue items a letter asks for, escaped customer text, the customer's
record, language and recent payments, and the commands' refusals. The data here (``small``,
``AS_OF``, ``COMPANY``...) serves the other document tests too."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from conftest import ROOT, ledger_of, write_ledger

import arbook
from arbook.cli.commands import main
from arbook.collections.documents import (
    Document,
    customer_aging,
    customer_language,
    customer_record,
    letter,
    money,
    offline_fetcher,
    payment_days,
    recent_payments,
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
        assert money(cents, "en", sample.currency) in doc.text, column
    assert f"Total balance  {money(row['total_cents'], 'en', sample.currency)}" in doc.text


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


def test_a_document_without_company_details_is_a_draft_that_says_no_placeholder(small):
    doc = statement(small, "A", AS_OF)
    assert "set your company details" not in doc.text and "Draft: not to be sent" in doc.text
    assert doc.draft and doc.missing == (
        "your company's name: set name under [company] in the policy file (--policy FILE), "
        "or give --company FILE",
    )
    ready = statement(small, "A", AS_OF, company=COMPANY)
    assert not ready.draft and "Draft" not in ready.text
    with pytest.raises(ParameterError, match="unknown key"):
        statement(small, "A", AS_OF, company={"nmae": "typo"})


def test_company_details_from_the_policy_reach_the_html_and_the_pdf(tmp_path):
    folder = write_ledger(
        tmp_path / "data", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS
    )
    (folder / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>'
    )
    policy = {
        "company": {
            "name": "Acme Ltd",
            "address": "1 High Street\nLondon",
            "tax_id": "GB 123 4567 89",
            "iban": "GB00 TEST 0000",
            "bic": "TESTGB2L",
            "bank": "First Bank",
            "email": "ar@acme.example",
            "phone": "+44 20 7946 0000",
            "logo": "logo.svg",
            "payment_note": "Cheques payable to Acme Ltd.",
        }
    }
    ledger = arbook.read_ledger(folder, policy=policy)
    doc = letter(ledger, "A", AS_OF, "reminder", lang="en")
    assert not doc.draft and doc.sender == "ar@acme.example"
    for text in (
        "Acme Ltd",
        "1 High Street",
        "Tax ID: GB 123 4567 89",
        "IBAN: GB00 TEST 0000",
        "BIC: TESTGB2L",
        "Bank: First Bank",
        "+44 20 7946 0000",
        "Cheques payable",
    ):
        assert text in doc.text, text
        assert text in _pdf_text(doc), text
    assert 'src="data:image/svg+xml;base64,' in doc.html


def test_every_amount_names_its_currency(small, tmp_path):
    doc = statement(small, "A", AS_OF, company=COMPANY)  # the invoices are in EUR
    amounts = re.findall(r"-?[\d,]+\.\d\d", doc.text)
    assert amounts and all(f"€{a}" in doc.text or f"-€{a.lstrip('-')}" in doc.text for a in amounts)
    plain = ledger_of(tmp_path, invoices=INVOICES.replace(",EUR", ","), customers=CUSTOMERS)
    draft = letter(plain, "A", AS_OF, "reminder", company=COMPANY)
    assert draft.missing == (
        'the currency of the amounts: set currency = "EUR" (your book\'s ISO code) at the top '
        "of the policy file, or fill the invoices' currency column",
    )
    usd = arbook.read_ledger(plain.source, policy={"currency": "USD"})
    assert "$1,374.56" in letter(usd, "A", AS_OF, "reminder", company=COMPANY).text


def test_the_step_a_document_acts_on(small):
    # A's oldest undisputed item (I3) is 151 days overdue: the ladder's last step, agency
    assert letter(small, "A", AS_OF, "reminder").step == "agency"
    assert letter(small, "B", AS_OF, "reminder").step == "second_call"  # 28 days
    assert statement(small, "A", AS_OF).step == ""  # the ladder sends no statement at agency
    assert statement(small, "B", "2026-03-05").step == "reminder"  # 2 days: a statement step
    assert statement(small, "A", AS_OF, step="final_notice").step == "final_notice"
    with pytest.raises(
        ParameterError, match=r"'final_notce' is not a step.*did you mean 'final_notice'"
    ):
        letter(small, "A", AS_OF, "reminder", step="final_notce")


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
    doc = letter(small, "A", AS_OF, template, lang=lang, step="final_notice", company=COMPANY)
    assert doc.kind == template and doc.step == "final_notice"
    assert "I1" in doc.text and "I3" in doc.text
    assert "I2" not in doc.text  # not yet due
    assert to_pay in doc.text and pay_by in doc.text
    assert "final_notice" not in doc.text  # the ladder's key is for the records, not the customer


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


def _folder(tmp_path) -> Path:
    return write_ledger(
        tmp_path / "data", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS
    )


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


# --- the customer's record, language, open items and recent payments --------------------------


def test_customer_record_blanks_and_name_fallback(small, tmp_path):
    assert customer_record(small, "A") == {
        "customer_id": "A",
        "name": "Alpha Ltd",
        "email": "ap@alpha.example",
        "language": "es",
        "contact": "Ana Ruiz",
    }
    # C has no e-mail and no contact: blanks, never "nan"
    assert (
        customer_record(small, "C")["email"] == "" and customer_record(small, "C")["contact"] == ""
    )
    # a customer seen only in documents has no name: the id stands for it
    unlisted = ledger_of(
        tmp_path, invoices="invoice_id,customer_id,invoice_date,amount\nI1,Q9,2026-01-01,1.00\n"
    )
    assert customer_record(unlisted, "Q9")["name"] == "Q9"
    with pytest.raises(ParameterError, match="unknown customer 'Z'"):
        customer_record(small, "Z")


def test_customer_language_falls_back_to_the_default(small, tmp_path):
    assert [customer_language(small, c) for c in ("A", "B", "C")] == ["es", "en", "ru"]
    ledger = ledger_of(
        tmp_path,
        invoices="""
        invoice_id,customer_id,invoice_date,amount
        I1,F,2026-01-01,1.00
        I2,R,2026-01-01,1.00
        I3,N,2026-01-01,1.00
    """,
        customers="customer_id,language\nF,fr\nR,RU-ru\nN,\n",
    )
    # fr is not written: the default; "RU-ru" is read by its first two letters, lower-cased
    assert customer_language(ledger, "F") == "en" and customer_language(ledger, "F", "es") == "es"
    assert customer_language(ledger, "R") == "ru"
    assert customer_language(ledger, "N", "ru") == "ru"


def test_customer_aging_of_a_customer_with_nothing_open_is_zeros(small):
    items, totals = customer_aging(small, "C", "2026-03-30")  # I5 is dated 03-31: not yet there
    assert items.empty
    assert set(totals.values()) == {0}
    assert list(totals) == [
        "current_cents",
        "1-30_cents",
        "31-60_cents",
        "61-90_cents",
        "91-120_cents",
        "121+_cents",
        "receivable_cents",
        "unapplied_cents",
        "total_cents",
    ]


def test_recent_payments_are_the_90_days_ending_on_as_of(tmp_path):
    # 2026-03-31 - 90 days = 2025-12-31 (out); 2026-01-01 is the first day in; as_of is in.
    ledger = ledger_of(
        tmp_path,
        invoices="invoice_id,customer_id,invoice_date,amount\nI1,A,2025-01-01,100.00\n",
        payments="""
        P4,A,2026-04-01,1.00,I1
        P3,A,2026-03-31,1.00,I1
        P1,A,2025-12-31,1.00,I1
        P2,A,2026-01-01,1.00,I1
        Q1,B,2026-02-01,1.00,
    """,
    )
    assert payment_days(ledger) == 90
    assert recent_payments(ledger, "A", AS_OF)["payment_id"].tolist() == ["P2", "P3"]
    assert recent_payments(ledger, "B", AS_OF)["payment_id"].tolist() == ["Q1"]
    assert recent_payments(ledger, "A", "2025-12-30").empty


# --- what a statement adds with the contact log: late charges per reminder, disputes, plans ---


def test_a_statement_lists_the_fee_per_reminder_disputes_and_plans(tmp_path, monkeypatch):
    import datetime as dt

    import pandas as pd

    from arbook.collections.contacts import ContactLog
    from arbook.collections.documents import build

    folder = _folder(tmp_path)
    ledger = arbook.read_ledger(folder, policy={"late_charges": {"fee": 10}})
    disputes = pd.DataFrame(
        [{"dispute_id": 7, "customer_id": "A", "document_id": "I2", "disputed_cents": 20000,
          "outstanding_cents": 50000, "age_days": 12, "reason": "damaged goods"}]
    )  # fmt: skip
    plans = pd.DataFrame(
        [{"customer_id": "A", "documents": ["I1"], "status": "on track",
          "next_due": pd.Timestamp("2026-04-15"), "next_cents": 50000}]
    )  # fmt: skip
    found = {"dispute_list": lambda *a: disputes, "plan_status": lambda *a: plans}
    monkeypatch.setattr(build, "_optional", lambda module, name: found[name])
    with ContactLog(path=tmp_path / "log.db") as log:
        # a notice e-mailed at the second call (late charges apply), after A's oldest item
        # (I3, due 2025-10-31) fell due: one reminder, one fee of 10.00
        log.add("A", channel="email", outcome="sent", who="t", step="second_call",
                at=dt.datetime(2026, 3, 1, tzinfo=dt.UTC), document="A/x.pdf",
                sha256="a" * 64)  # fmt: skip
        doc = statement(ledger, "A", AS_OF, lang="en", company=COMPANY, log=log)
        without = statement(ledger, "A", AS_OF, lang="en", company=COMPANY)
    for text in (
        "Late charges",
        "March 1, 2026  Reminder: Overdue notice  €10.00",
        "Total late charges  €10.00",
        "In dispute: not chased",
        "I2  damaged goods  12  €200.00",
        "Payment plan",
        "I1  on track  April 15, 2026 · €500.00",
    ):
        assert text in doc.text, text
    assert "Late charges" not in without.text  # no log: no reminders to charge
    assert "Total balance  €1,874.56" in doc.text  # the charges are beside the balance


def test_a_letter_follows_the_logs_disputes(small, tmp_path):
    # The log puts 234.56 of I1 and all of I3 in dispute: the letter asks for I1's other
    # 1,000.00 only, less the 60.00 of credits, and names the 434.56 in dispute once.
    import datetime as dt

    from arbook.collections.contacts import ContactLog

    with ContactLog(path=tmp_path / "log.db") as log:
        at = dt.datetime(2026, 3, 20, 10, 0, tzinfo=dt.UTC)
        log.open_dispute("A", "I1", reason="price", who="Ann", amount_cents=23456, at=at)
        log.open_dispute("A", "I3", reason="not delivered", who="Ann", at=at)
        doc = letter(small, "A", AS_OF, "reminder", lang="en", company=COMPANY, log=log)
        flags_only = letter(small, "A", AS_OF, "reminder", lang="en", company=COMPANY)
        items, _ = customer_aging(small, "A", AS_OF, log=log)
    assert "€940.00" in doc.text and "€434.56" in doc.text and "€1,000.00" in doc.text
    assert "I3" not in doc.text  # wholly in dispute: not asked for
    assert "€1,374.56" in flags_only.text  # without the log: the data's flags alone
    assert dict(zip(items["document_id"], items["disputed_cents"]))["I1"] == 23456
    assert bool(items.set_index("document_id").at["I3", "disputed"])
