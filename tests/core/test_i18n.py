"""The message catalogue's machinery: who chooses the language, plural forms (three in
Russian, and Spanish's "de" for millions), a customer's language within a block, locale formats
of money, counts, dates and percentages, and a catalogue edited after it was compiled."""

from __future__ import annotations

import pandas as pd
import pytest

from arbook.core import i18n
from arbook.core.dates import date_text, days_text, format_count
from arbook.core.i18n import language, set_language, using
from arbook.core.money import format_cents, format_money
from arbook.views.format import format_date, format_ratio


def test_who_chooses_the_flag_then_the_environment_then_the_policy_then_the_system(monkeypatch):
    assert language() == "en"
    monkeypatch.setenv("LANG", "es_ES.UTF-8")
    assert language() == "es"
    i18n.set_policy_language("ru")
    assert language() == "ru"
    monkeypatch.setenv("ARBOOK_LANG", "en")
    assert language() == "en"
    set_language("es")
    assert language() == "es"
    with using("ru"):
        assert language() == "ru"
    assert language() == "es"
    monkeypatch.setenv("LANG", "fr_FR.UTF-8")  # a language arbook does not speak is passed by
    monkeypatch.delenv("ARBOOK_LANG")
    set_language(None)
    i18n.set_policy_language(None)
    assert language() == "en"


@pytest.mark.parametrize("bad", ["fr", "ES", "es_ES", "", "x" * 40])
def test_a_language_arbook_does_not_speak_is_refused_naming_those_it_does(bad):
    with pytest.raises(ValueError, match="use one of en, es, ru"):
        set_language(bad)


@pytest.mark.parametrize(
    ("lang", "counts", "said"),
    [
        ("en", (1, 2, 5, 21), ["1 day", "2 days", "5 days", "21 days"]),
        ("es", (1, 2, 1_000_000), ["1 día", "2 días", "1.000.000 de días"]),
        (
            "ru",
            (1, 2, 5, 11, 21, 22),
            ["1 день", "2 дня", "5 дней", "11 дней", "21 день", "22 дня"],
        ),
    ],
)
def test_plural_forms_follow_the_language(lang, counts, said):
    with using(lang):
        assert [days_text(n) for n in counts] == said


def test_money_counts_dates_and_percentages_take_the_locale_form():
    day = pd.Timestamp("2026-10-31")
    shown = {}
    for lang in ("en", "es", "ru"):
        with using(lang):
            shown[lang] = (
                format_cents(123456789),
                format_money(123456789, "EUR"),
                format_money(-1250, "RUB", sign=True),
                format_count(12345),
                date_text(day),
                format_ratio(0.879, percent=True),
                format_date(pd.NaT),
            )
    assert shown["en"] == (
        "1,234,567.89",
        "1,234,567.89 EUR",
        "-12.50 RUB",
        "12,345",
        "2026-10-31",
        "87.9%",
        "n/a",
    )
    assert shown["es"] == (
        "1.234.567,89",
        "1.234.567,89\xa0€",
        "-12,50\xa0RUB",
        "12.345",
        "31 oct 2026",
        "87,9\xa0%",
        "n/d",
    )
    assert shown["ru"] == (
        "1\xa0234\xa0567,89",
        "1\xa0234\xa0567,89\xa0€",
        "-12,50\xa0₽",
        "12\xa0345",
        "31 окт. 2026\u202fг.",
        "87,9\xa0%",
        "н/д",
    )


def test_money_stays_exact_in_every_language():
    for lang in ("es", "ru"):
        with using(lang):
            assert (
                format_money(10**17 + 1, "EUR")
                .replace("\xa0", " ")
                .startswith("1" + (" " if lang == "ru" else ".") + "000")
            )
            assert format_money(10**17 + 1, "EUR").split(",")[1].startswith("01")


def test_a_translation_edited_after_compiling_is_read_from_its_po(tmp_path, monkeypatch):
    folder = tmp_path / "es" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "arbook.po").write_text(
        'msgid ""\nmsgstr ""\n"Language: es\\n"\n"Content-Type: text/plain; charset=utf-8\\n"\n\n'
        'msgid "n/a"\nmsgstr "no disponible"\n',
        encoding="utf-8",
    )
    monkeypatch.setattr(i18n, "LOCALE_DIR", tmp_path)
    assert i18n.gettext("n/a", "es") == "no disponible"


def test_kept_puts_the_choice_and_the_policy_language_back():
    set_language("ru")
    with i18n.kept():
        set_language("es")
        i18n.set_policy_language("en")
        assert language() == "es"
    assert language() == "ru" and i18n._policy_language is None

    def failing_command():
        with i18n.kept():
            set_language(None)
            raise RuntimeError("a command failed")

    with pytest.raises(RuntimeError):
        failing_command()
    assert language() == "ru"
