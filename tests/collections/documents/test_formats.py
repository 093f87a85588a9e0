"""Words, money and dates of customer documents in their language (formats): Babel's money
with and without the book's currency, long dates, the company's details with placeholders, the
company file, and the letter templates."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from arbook.collections.documents import COMPANY_KEYS, LANGUAGES, TEMPLATES, load_company, money
from arbook.collections.documents.formats import (
    LABELS,
    check_template,
    company_details,
    date_text,
)
from arbook.core.errors import ParameterError


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


def test_every_language_has_every_label():
    assert set(LABELS) == set(LANGUAGES) == {"en", "es", "ru"}
    keys = set(LABELS["en"])
    for lang in LANGUAGES:
        assert set(LABELS[lang]) == keys, lang
        assert set(LABELS[lang]["letter"]) == set(TEMPLATES), lang
        assert "{days}" in LABELS[lang]["payments_since"]  # filled with the policy's days


def test_check_template():
    assert [check_template(t) for t in TEMPLATES] == ["reminder", "notice", "final_notice", "legal"]
    with pytest.raises(ParameterError, match="the templates are: reminder, notice, final_notice"):
        check_template("threat")


def test_company_details_fill_what_is_missing_with_a_placeholder():
    details = company_details({"name": " Acme SL ", "email": "ar@acme.example", "iban": ""}, "es")
    assert list(details) == list(COMPANY_KEYS) + ["sender_email"]
    assert details["name"] == "Acme SL"  # trimmed
    assert details["iban"] == "(indique los datos de su empresa)"  # blank is not given
    assert details["address"] == "(indique los datos de su empresa)"
    assert details["payment_note"] == ""  # no placeholder: the note is optional text
    assert details["sender_email"] == "ar@acme.example"
    nothing = company_details(None, "en")
    assert nothing["bank"] == "(set your company details)" and nothing["sender_email"] == ""
    spaces = company_details({"name": "   ", "email": " "}, "en")  # spaces are blank too
    assert spaces["name"] == "(set your company details)" and spaces["sender_email"] == ""
    with pytest.raises(ParameterError, match=r"unknown key\(s\) nmae, zz; the keys are name,"):
        company_details({"nmae": "typo", "zz": 1, "name": "ok"}, "en")


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
