"""Numbers for people: percentages in each locale's form, a rate shown with every decimal it
has (never rounded to a wrong whole number), ratios and thresholds with the language's marks."""

from __future__ import annotations

import math
from decimal import Decimal

import pytest

from arbook.core.i18n import using
from arbook.core.numbers import local_number, percent_text, ratio_text, short_number

NBSP = "\xa0"


@pytest.mark.parametrize(
    ("lang", "said"), [("en", "25%"), ("es", f"25{NBSP}%"), ("ru", f"25{NBSP}%")]
)
def test_a_percentage_takes_the_locale_form(lang, said):
    assert percent_text(0.25, lang=lang) == said
    with using(lang):
        assert percent_text(0.25) == said


def test_a_rate_shows_every_decimal_it_has():
    # the EU late-payment rate, ECB + 8 points: 12.15% must not read 12%
    assert percent_text(0.1215, None, "en") == "12.15%"
    assert percent_text(0.1215, None, "es") == f"12,15{NBSP}%"
    assert percent_text(0.08, None, "ru") == f"8{NBSP}%"
    assert percent_text(Decimal("0.105"), None, "en") == "10.5%"
    assert percent_text(0.879, 1, "en") == "87.9%"


@pytest.mark.parametrize("value", [None, math.nan, math.inf])
def test_an_undefined_share_is_not_a_number(value):
    assert percent_text(value, lang="en") == "n/a"
    assert ratio_text(math.nan, lang="en") == "n/a"


def test_ratios_and_thresholds_take_the_language_marks():
    assert ratio_text(1234.56, 1, "en") == "1,234.6"
    assert ratio_text(1234.56, 1, "es") == "1.234,6"
    assert ratio_text(12345.6, 1, "es") == "12.345,6"
    assert ratio_text(12345.6, 1, "ru") == f"12{NBSP}345,6"
    assert local_number("1,234.5", "es") == "1.234,5"
    assert local_number("1,234.5", "en") == "1,234.5"
    assert short_number(1.25, "ru") == "1,25" and short_number(40.0, "en") == "40"
