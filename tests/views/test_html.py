"""The HTML fragments the apps share (:mod:`arbook.views.html`): KPI tiles, money tables, the
data-issues banner, error and status lines, and their stylesheet. Text from the data is escaped;
nothing points outside the page."""

from __future__ import annotations

import math
import re

import pandas as pd
import pytest

from arbook.views.html import (
    CSS,
    error_box,
    esc,
    format_value,
    issues_banner,
    kpi_tiles,
    na_note,
    status_line,
    table_html,
)

EVIL = '<script>alert("x")</script> & Co\'s'
EVIL_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; Co&#x27;s"

KPIS = pd.DataFrame(
    [
        # a rise of the receivable is bad news, a fall good
        {
            "kpi": "total_cents",
            "label": "Total <receivable>",
            "value": 123_456,
            "unit": "cents",
            "change": 500,
            "change_year": -1_000,
        },
        # a rise of the collection index is good news; a year ago unknown
        {
            "kpi": "cei",
            "label": "CEI",
            "value": 0.9,
            "unit": "ratio",
            "change": 0.02,
            "change_year": math.nan,
        },
        {
            "kpi": "dso_countback",
            "label": "DSO",
            "value": 41.26,
            "unit": "days",
            "change": -2.0,
            "change_year": 0.0,
        },
    ]
)
TABLE = pd.DataFrame(
    {
        "name": [EVIL, "Plain", "Third"],
        "amount_cents": [123_456, -5, 100],
        "disputed": [True, False, False],
        "share_late": [0.25, math.nan, 0.5],
        "invoices": [3, 12_000, 1],
    }
)


def test_esc_escapes_markup_and_quotes():
    assert esc(EVIL) == EVIL_ESCAPED
    assert esc(5) == "5" and esc(None) == "None"


@pytest.mark.parametrize(
    "value, unit, sign, text",
    [
        (123_456, "cents", False, "1,234.56"),
        (500, "cents", True, "+5.00"),
        (-500, "cents", True, "-5.00"),
        (1234.5, "cents", False, "12.35"),  # an average's half cent rounds up, like every amount
        (-1234.5, "cents", False, "-12.35"),
        (2.5, "cents", False, "0.03"),
        (0.125, "ratio", False, "12.5%"),
        (0.125, "ratio", True, "+12.5%"),
        (-0.125, "ratio", True, "-12.5%"),
        (41.26, "days", False, "41.3"),
        (41.26, "days", True, "+41.3"),
        (0.0, "days", True, "0.0"),  # no sign on nothing
        (None, "cents", False, "n/a"),
        (math.nan, "ratio", True, "n/a"),
    ],
)
def test_format_value_by_unit(value, unit, sign, text):
    assert format_value(value, unit, sign=sign) == text


def tile_of(html: str, kpi: str) -> str:
    return re.search(rf'<div class="arbook-kpi" data-kpi="{kpi}">(.*?)</div></div>', html).group(1)


def test_kpi_tiles_show_value_and_changes_coloured_by_what_is_good():
    html = kpi_tiles(KPIS)
    assert html.startswith('<div class="arbook arbook-tiles">')
    assert html.count('class="arbook-kpi"') == 3
    total = tile_of(html, "total_cents")
    assert '<div class="arbook-kpi-label">Total &lt;receivable&gt;</div>' in total
    assert '<div class="arbook-kpi-value">1,234.56</div>' in total
    assert 'vs last month: <span class="bad">+5.00</span>' in total
    assert 'vs a year ago: <span class="good">-10.00</span>' in total
    cei = tile_of(html, "cei")
    assert '<div class="arbook-kpi-value">90.0%</div>' in cei
    assert 'vs last month: <span class="good">+2.0 pts</span>' in cei  # ratios move in points
    assert "vs a year ago: n/a" in cei
    dso = tile_of(html, "dso_countback")
    assert 'vs last month: <span class="good">-2.0</span>' in dso  # DSO down is good
    assert 'vs a year ago: <span class="good">0.0</span>' in dso  # no change is not bad


def test_table_html_formats_by_column_and_escapes():
    html = table_html(TABLE)
    head = re.findall(r'<th class="(\w*)">([^<]*)</th>', html)
    assert head == [
        ("", "name"),
        ("num", "amount"),  # _cents dropped from the title
        ("", "disputed"),
        ("num", "share late"),  # a name without a title, in words
        ("num", "invoices"),
    ]
    first = re.search(r"<tbody><tr>(.*?)</tr>", html).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", first) == [
        EVIL_ESCAPED,
        "1,234.56",
        "yes",
        "25.0%",
        "3",
    ]
    second = re.findall(r"<tr>(.*?)</tr>", html)[2]
    assert re.findall(r"<td[^>]*>([^<]*)</td>", second) == ["Plain", "-0.05", "", "n/a", "12,000"]
    assert "<script>" not in html and "<b>" not in html


def test_table_html_total_sums_every_row_even_those_not_shown():
    html = table_html(TABLE, total=True, max_rows=1, titles={"amount_cents": "owed"})
    assert ">owed</th>" in html
    shown, rest = html.split("<details", 1)
    assert shown.count("<tr>") == 2  # the head and one row
    total = re.search(r'<tr class="total">(.*?)</tr>', shown).group(1)
    # 1,234.56 - 0.05 + 1.00 = 1,235.51; only money columns are summed
    assert re.findall(r"<td[^>]*>([^<]*)</td>", total) == ["Total", "1,235.51", "", "", ""]
    # the other two rows are one click away, under a line saying how many
    assert '<summary class="arbook-note">2 more rows not shown: show them</summary>' in rest
    assert rest.count("<tr>") == 3 and rest.endswith("</table></details>")
    assert table_html(TABLE.iloc[:0]) == '<p class="arbook-note">Nothing to show.</p>'
    assert "1 more row not shown: show them" in table_html(TABLE, max_rows=2)
    assert "<details" not in table_html(TABLE, max_rows=3)


def test_a_long_table_folds_a_thousand_rows_at_most(monkeypatch):
    import arbook.views.html as html_module

    monkeypatch.setattr(html_module, "FOLDED_ROWS", 1)
    html = table_html(TABLE, max_rows=1)
    assert html.split("<details", 1)[1].count("<tr>") == 2  # the head and one folded row
    assert "and 1 more row: too many for a page" in html


def test_a_blank_cell_does_not_make_its_column_numeric():
    frame = pd.DataFrame(
        {
            "name": ["Alpha", None],
            "due_date": [pd.Timestamp("2026-03-16"), pd.NaT],
            "amount_cents": [None, None],
        }
    )
    head = re.findall(r'<th class="(\w*)">([^<]*)</th>', table_html(frame))
    assert head == [("", "name"), ("", "due date"), ("num", "amount")]
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", table_html(frame))
    assert cells == ["Alpha", "2026-03-16", "n/a", "n/a", "n/a", "n/a"]


@pytest.mark.parametrize(
    "severities, kind, text",
    [
        ([], "ok", "Data checked: no issues found."),
        (
            ["error", "warning", "warning"],
            "error",
            "Data issues: 1 error (rows kept out of the figures) and 2 warnings.",
        ),
        (
            ["warning"],
            "warn",
            "Data issues: 0 errors (rows kept out of the figures) and 1 warning.",
        ),
    ],
)
def test_issues_banner(severities, kind, text):
    issues = pd.DataFrame({"severity": pd.Series(severities, dtype="str")})
    errors = severities.count("error")
    assert issues_banner(issues) == (
        f'<div class="arbook arbook-banner {kind}" data-errors="{errors}" '
        f'data-warnings="{len(severities) - errors}">{text}</div>'
    )


def test_error_box_and_status_line_escape_the_message():
    assert error_box("no such folder '<x>' & y") == (
        '<div class="arbook arbook-error">no such folder &#x27;&lt;x&gt;&#x27; &amp; y</div>'
    )
    assert status_line("<saved>", False) == '<span class="arbook-note">&lt;saved&gt;</span>'
    assert status_line("<refused>", True) == error_box("<refused>")


def test_nothing_points_outside_the_page():
    fragments = [
        CSS,
        kpi_tiles(KPIS),
        table_html(TABLE, total=True),
        issues_banner(pd.DataFrame({"severity": ["error"]})),
        error_box(EVIL),
        status_line(EVIL, False),
    ]
    for html in fragments:
        assert not re.search(r"https?:|//|<script|<link|@import|url\(|src=", html, re.I), html
    assert CSS.strip().startswith("<style>") and CSS.strip().endswith("</style>")


def test_a_tile_that_is_na_says_why_instead_of_its_changes():
    why = "CEI: n/a (the data holds the items open on 2026-06-30, not <payments>)"
    kpis = KPIS.assign(why=["", why, ""], value=[1.0, math.nan, 2.0])
    html = kpi_tiles(kpis)
    cei = html[html.index('data-kpi="cei"') :].split('data-kpi="')[1]
    assert f'title="{esc(why)}" data-why="n/a"' in cei
    assert '<div class="arbook-kpi-value">n/a</div>' in cei
    assert f'<div class="arbook-kpi-why">{esc(why)}</div>' in cei
    assert 'data-why="n/a"' in cei and "vs last month" not in cei
    assert "arbook-kpi-why" not in tile_of(html, "total_cents")
    # a section's reason: one note, escaped; nothing without one
    assert na_note(why) == f'<p class="arbook arbook-note arbook-na">{esc(why)}</p>'
    assert na_note(None) == na_note("") == ""


def test_the_fragments_in_russian_and_spanish():
    from arbook.core.i18n import using

    frame = pd.DataFrame(
        {"kind": ["credit_note"], "bucket": ["current"], "amount_cents": [123_456], "x": [True]}
    )
    with using("ru"):
        table = table_html(frame, total=True)
        banner = issues_banner(pd.DataFrame({"severity": ["error", "warning", "warning"]}))
        tiles = kpi_tiles(KPIS, currency="EUR")
        folded = table_html(TABLE, max_rows=1)
    assert "<td>кредит-нота</td>" in table.replace(' class=""', "")
    assert "в срок" in table and "да" in table and "Итого" in table
    assert "1\xa0234,56" in table
    assert "Ошибки в данных: 1 ошибка (эти строки не вошли в расчёты) и 2 предупреждения." in banner
    assert '<div class="arbook-kpi-value">1\xa0234,56\xa0€</div>' in tiles
    assert 'к прошлому месяцу: <span class="good">+2,0 п. п.</span>' in tiles
    assert "ещё 2 строки не показано: показать" in folded
    with using("es"):
        assert table_html(TABLE.iloc[:0]) == '<p class="arbook-note">No hay nada que mostrar.</p>'
        assert "<th" in table_html(frame) and ">tipo</th>" in table_html(frame)
