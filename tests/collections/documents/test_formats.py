"""Words, money and dates of customer documents in their language (formats): Babel's money
with and without the book's currency, long dates, the company's details with placeholders, the
company file (and a corpus of bad ones, each a located message), and the letter templates."""

from __future__ import annotations

import codecs
import datetime as dt

import pandas as pd
import pytest
from core.test_rules import refused

from arbook.collections.documents import COMPANY_KEYS, LANGUAGES, TEMPLATES, load_company, money
from arbook.collections.documents.formats import (
    check_template,
    company_details,
    date_text,
    document_title,
    item_kind_text,
    kind_text,
    plan_state_text,
)
from arbook.core.errors import ParameterError
from arbook.core.i18n import using


def test_babel_money_formats():
    # What Babel 2.18 gives: ru groups with a no-break space, es with a dot.
    assert money(123456, "en", None) == "1,234.56"
    assert money(123456, "es", None) == "1.234,56"
    assert money(123456, "ru", None) == "1\xa0234,56"
    assert money(187456, "ru", "EUR") == "1\xa0874,56\xa0€"
    assert money(-6000, "es", "EUR") == "-60,00\xa0€"


def test_money_is_exact_cents_with_or_without_a_currency():
    # int cents / 100 exactly (no float): 10**12 cents is 10,000,000,000.00
    assert money(10**12, "en", None) == "10,000,000,000.00"
    assert money(0, "en", None) == "0.00"
    assert money(5, "es", None) == "0,05"
    assert money(123456, "en", "USD") == "$1,234.56"
    assert money(-5, "en", "USD") == "-$0.05"


@pytest.mark.parametrize(
    "value, lang, text",
    [
        ("2026-10-31", "en", "October 31, 2026"),
        (pd.Timestamp("2026-10-31"), "es", "31 de octubre de 2026"),
        (dt.date(2026, 1, 5), "ru", "5 января 2026\u202fг."),  # genitive month, then "г."
        (None, "en", ""),
        (pd.NaT, "ru", ""),
    ],
)
def test_date_text_the_long_way(value, lang, text):
    assert date_text(value, lang) == text


WORDS = {
    "en": (["Statement of account", "Payment reminder", "Overdue notice", "Final notice",
            "Notice before legal action"],
           ["invoice", "credit note", "on account"],
           ["on track", "broken", "completed", "cancelled"]),
    "es": (["Extracto de cuenta", "Recordatorio de pago", "Aviso de impago", "Último aviso",
            "Aviso previo a acciones legales"],
           ["factura", "abono", "a cuenta"],
           ["al corriente", "incumplido", "cumplido", "anulado"]),
    "ru": (["Акт сверки задолженности", "Напоминание об оплате", "Уведомление о просрочке",
            "Последнее уведомление", "Уведомление перед обращением в суд"],
           ["счёт", "кредит-нота", "не распределён"],
           ["выполняется", "нарушен", "выполнен", "отменён"]),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es", "ru"])
def test_every_language_has_every_document_word(lang):
    # the catalogue's words, read in the language spoken (the customer's when a document is made)
    assert set(WORDS) == set(LANGUAGES)
    with using(lang):
        said = (
            [document_title(k) for k in ("statement", *TEMPLATES)],
            [item_kind_text(k) for k in ("invoice", "credit_note", "payment")],
            [plan_state_text(s) for s in ("on track", "broken", "completed", "cancelled")],
        )
        assert item_kind_text("other") == "other" and document_title("other") == ""
    assert said == WORDS[lang]


def test_a_kind_for_the_person_giving_it_follows_the_interface():
    assert [kind_text(k) for k in ("statement", "final_notice", "odd_kind")] == [
        "statement",
        "final notice",
        "odd kind",
    ]
    with using("es"):
        assert kind_text("final_notice") == "último aviso"


def test_check_template():
    assert [check_template(t) for t in TEMPLATES] == ["reminder", "notice", "final_notice", "legal"]
    with pytest.raises(ParameterError, match="the templates are: reminder, notice, final_notice"):
        check_template("threat")


def test_company_details_print_only_what_is_set_never_a_placeholder():
    details = company_details({"name": " Acme SL ", "email": "ar@acme.example", "iban": ""}, "es")
    assert list(details) == list(COMPANY_KEYS) + ["logo_src", "sender_email"]
    assert details["name"] == "Acme SL"  # trimmed
    assert details["iban"] == details["address"] == details["logo_src"] == ""  # not set: blank
    assert details["sender_email"] == "ar@acme.example"
    nothing = company_details(None, "en")
    assert set(nothing.values()) == {""}
    spaces = company_details({"name": "   ", "email": " "}, "en")  # spaces are blank too
    assert spaces["name"] == "" and spaces["sender_email"] == ""
    with pytest.raises(ParameterError, match=r"unknown key\(s\) nmae, zz; the keys are name,"):
        company_details({"nmae": "typo", "zz": 1, "name": "ok"}, "en")


def test_company_of_puts_a_company_file_over_the_policy():
    from arbook.collections.documents import company_of
    from arbook.core.config import load_policy

    policy = load_policy({"company": {"name": "Acme Ltd", "iban": "GB00 1", "tax_id": "GB123"}})
    merged = company_of(policy, {"iban": "ES00 2", "bank": "Banco"})
    assert (merged["name"], merged["iban"], merged["bank"], merged["tax_id"]) == (
        "Acme Ltd",
        "ES00 2",
        "Banco",
        "GB123",
    )
    assert company_of(None)["name"] == ""  # the shipped policy sets no company
    with pytest.raises(ParameterError, match="unknown key"):
        company_of(policy, {"vat": "x"})


def test_a_logo_is_embedded_and_a_bad_one_refused(tmp_path):
    from arbook.collections.documents.formats import logo_source

    (tmp_path / "logo.png").write_bytes(b"\x89PNG\r\n\x1a\n tiny")
    assert logo_source("logo.png", tmp_path).startswith("data:image/png;base64,iVBORw0KGgo")
    assert logo_source("", tmp_path) == ""
    with pytest.raises(ParameterError, match="not a PNG, JPEG or SVG"):
        logo_source("logo.gif", tmp_path)
    with pytest.raises(ParameterError, match=r"No such file.*read from the data folder"):
        logo_source("missing.png", tmp_path)
    (tmp_path / "big.svg").write_bytes(b"<svg/>" * 200_000)
    with pytest.raises(ParameterError, match="1,200,000 bytes"):
        logo_source("big.svg", tmp_path)


def test_load_company(tmp_path):
    path = tmp_path / "company.toml"
    path.write_text('[company]\nname = "Acme Ltd"\niban = "GB00 TEST"\n', encoding="utf-8")
    assert load_company(path) == {"name": "Acme Ltd", "iban": "GB00 TEST"}
    with pytest.raises(ParameterError, match="no such company file"):
        load_company(tmp_path / "missing.toml")
    path.write_text('[company\nname = "x"\n', encoding="utf-8")
    with pytest.raises(ParameterError, match="not valid TOML"):
        load_company(path)
    for text in ('name = "Acme"\n', 'company = "Acme"\n'):  # no table, or not a table
        path.write_text(text, encoding="utf-8")
        with pytest.raises(ParameterError, match=r"no \[company\] table"):
            load_company(path)


def test_a_company_file_with_a_bom_is_read(tmp_path):
    path = tmp_path / "company.toml"
    path.write_bytes(codecs.BOM_UTF8 + '[company]\nname = "Café Ltd"\n'.encode())
    assert load_company(path) == {"name": "Café Ltd"}
    path.write_bytes('[company]\nname = "ООО Ромашка"\n'.encode("utf-16"))
    assert load_company(path) == {"name": "ООО Ромашка"}


# -- the corpus: bad company files, each refused with a located message naming the key -------

COMPANY_CASES = {
    "key typo": ('[company]\nnmae = "Acme"\n', "{f}:2: [company] nmae: unknown key; did you mean"),
    "key unknown": (
        '[company]\nvat = "GB1"\n',
        "{f}:2: [company] vat: unknown key; the keys here are name, address, tax_id, email,",
    ),
    "iban a number": ("[company]\niban = 123\n", "{f}:2: [company] iban: 123 is not text"),
    "name true": ("[company]\nname = true\n", "{f}:2: [company] name: true is not text"),
    "address a table": (
        '[company]\nname = "A"\n[company.address]\nstreet = "x"\n',
        '{f}:3: [company.address]: { street = "x" } is not text',
    ),
    "note too long": (
        f'[company]\npayment_note = "{"x" * 2001}"\n',
        "{f}:2: [company] payment_note: 2,001 characters; keep it under 2,000",
    ),
    "another table": (
        '[company]\nname = "A"\n[bank]\niban = "x"\n',
        "{f}:3: [bank]: only the [company] table is read; put its keys under it",
    ),
    "table typo": ('[compnay]\nname = "A"\n', "{f}: no [company] table ([compnay] is there: did"),
    "no table": ('name = "Acme"\n', '{f}: no [company] table. Write [company] then name = "..."'),
    "key twice": ('[company]\nname = "A"\nname = "B"\n', "{f}:3: not valid TOML at line 3"),
    "syntax": ('[company]\nname = "A\n', "{f}:2: not valid TOML at line 2"),
    "latin-1": ('[company]\nname = "Café"\n'.encode("latin-1"), "{f}:2: byte 0xe9 at column 12"),
}


@pytest.mark.parametrize("content, fragment", COMPANY_CASES.values(), ids=COMPANY_CASES.keys())
def test_a_bad_company_file_is_a_located_message(tmp_path, content, fragment):
    refused(load_company, tmp_path / "company.toml", content, fragment, error=ParameterError)


def test_a_company_path_that_is_no_file(tmp_path):
    with pytest.raises(ParameterError, match="is a folder, not a company file"):
        load_company(tmp_path)
