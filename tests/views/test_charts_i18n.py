"""The charts in Spanish and Russian (:mod:`arbook.views.charts`): titles and the bucket labels
drawn in the language while the data keeps its codes (a click still picks ``current``), numbers
with the language's marks, tooltips' amounts with the ledger's currency; English as before."""

from __future__ import annotations

import re

import altair as alt
import pandas as pd
import pytest
from i18n_check import english_left
from test_charts import BUCKETS, LABELS, SUMMARY, rows

from arbook.core.i18n import gettext, using
from arbook.views import charts

NBSP = "\xa0"
MARKS = {"es": (".", ","), "ru": (NBSP, ",")}


def drawn(chart) -> list[str]:
    """The texts of the chart's SVG picture (what a person sees, tooltips aside)."""
    return re.findall(r"<text[^>]*>([^<]*)</text>", charts.to_svg(chart))


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_bucket_charts_draw_the_buckets_in_words_and_keep_their_codes(lang):
    with using(lang):
        by_bucket = charts.aging_by_bucket(BUCKETS, LABELS, basis="due", currency="EUR")
        by_customer = charts.aging_by_customer(SUMMARY, LABELS, basis="invoice", currency="EUR")
        change = charts.bucket_change(BUCKETS, LABELS, basis="due", currency="EUR")
        pictures = [drawn(c) for c in (by_bucket, by_customer, change)]
    current = gettext("current", lang)
    for picture in pictures:
        assert current in picture and "current" not in picture
        assert english_left(" ".join(picture), lang, data=["Alpha", "Beta", "Gamma"]) == []
    spec = by_bucket.to_dict()
    assert {r["bucket"] for r in rows(spec)} == {"current", "1-30", "31+"}  # codes for clicks
    assert {r["bucket_shown"] for r in rows(spec)} == {current, "1-30", "31+"}
    assert spec["encoding"]["tooltip"][0]["field"] == "bucket_shown"
    assert spec["encoding"]["x"]["sort"] == LABELS
    assert spec["config"]["locale"]["number"] == {
        "decimal": MARKS[lang][1],
        "thousands": MARKS[lang][0],
        "grouping": [3],
        "currency": ["", f"{NBSP}€"],
    }
    assert spec["encoding"]["tooltip"][1]["format"] == "$,.2f"
    legend = by_customer.to_dict()["encoding"]["color"]["legend"]["labelExpr"]
    assert f'"{current}"' in legend and by_customer.to_dict()["params"][0]["name"] == charts.PICK
    assert [r["when"] for r in rows(change.to_dict())][:2] == [
        gettext("a month ago", lang),
        gettext("a month ago", lang),
    ]


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_numbers_take_the_languages_marks(lang):
    history = pd.DataFrame(
        {"month": ["2026-08", "2026-09"], "ar_end_cents": [123_456_00, 200_000_00]}
    ).assign(dso_countback=[41.5, 38.0])
    with using(lang):
        picture = drawn(charts.trend(history, currency="EUR"))
    group = re.escape(MARKS[lang][0])
    assert any(re.fullmatch(rf"\d{{1,3}}({group}\d{{3}})+", text) for text in picture), picture
    assert english_left(" ".join(picture), lang) == []


def test_a_roll_between_buckets_is_drawn_in_words():
    rolls = pd.DataFrame({"month": ["2026-09"], "current->1-30": [0.25], "1-30->31+": [0.1]})
    with using("ru"):
        spec = charts.roll_rates(rolls).to_dict()
    assert [r["roll"] for r in rows(spec)] == ["в срок->1-30", "1-30->31+"]
    assert spec["encoding"]["color"]["sort"] == ["в срок->1-30", "1-30->31+"]


def test_english_is_drawn_as_before():
    spec = charts.aging_by_bucket(BUCKETS, LABELS, basis="due", currency="EUR").to_dict()
    assert "locale" not in spec.get("config", {})
    assert "labelExpr" not in spec["encoding"]["x"]["axis"]
    assert spec["encoding"]["tooltip"][1]["format"] == ",.2f"
    assert "current" in drawn(charts.aging_by_bucket(BUCKETS, LABELS, basis="due"))


def test_a_chart_made_elsewhere_is_pictured_with_the_languages_marks():
    chart = alt.Chart(pd.DataFrame({"x": ["a"], "y": [1_234_567.0]})).mark_bar()
    chart = chart.encode(x="x:N", y=alt.Y("y:Q", axis=alt.Axis(format=",.0f"), title="Y"))
    with using("ru"):
        picture = drawn(chart)
    assert f"1{NBSP}200{NBSP}000" in picture
