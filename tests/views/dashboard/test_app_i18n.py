"""The dashboard in Spanish and Russian: its tab titles, header, controls, status line, tiles,
tables and charts (titles, axis, legend and tooltip titles, the bucket labels drawn) hold no
English word of the catalogue, amounts are in the language's form with the ledger's currency;
the language picker draws the whole dashboard again in the language chosen, in the same box,
and remembers it; a page starts in ``--lang``'s language, else the remembered one, else
``ARBOOK_LANG``'s."""

from __future__ import annotations

import re

import ipywidgets as w
import pandas as pd
import pytest
import vl_convert as vlc
from conftest import ROOT
from i18n_check import english_left, visible_text

import arbook
from arbook.core import i18n
from arbook.core.money import format_money
from arbook.views.charts import _vl_version
from arbook.views.dashboard import language, parts
from arbook.views.dashboard.app import TABS, Dashboard
from arbook.views.format import format_date
from arbook.workbook.serve import ENV_LANG_FLAG

SAMPLE = ROOT / "data" / "sample"
LAST = "2026-10-31"
NBSP = "\xa0"

#: what each language says where the English says the tab titles, the header and the status
SAID = {
    "es": {
        "tabs": ["Resumen", "Quién debe qué", "Detalle", "Crédito", "Gestión de cobro"],
        "header": "Cuentas a cobrar — sample",
        "status": "A fecha de {day} · antigüedad por fecha de vencimiento · tramos no vencido",
        "total": "1.122.725,20\xa0€",
        "amount": "222.802,12",  # C0140's net receivable, in the customer table
        "thousands": ".",
    },
    "ru": {
        "tabs": ["Обзор", "Кто сколько должен", "Детализация", "Кредитный контроль"],
        "header": "Дебиторская задолженность — sample",
        "status": "На дату {day} · интервалы по сроку оплаты · интервалы в срок",
        "total": f"1{NBSP}122{NBSP}725,20{NBSP}€",
        "amount": f"222{NBSP}802,12",
        "thousands": NBSP,
    },
}


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """The user's configuration in a scratch folder, no --lang."""
    monkeypatch.setenv(language.ENV_CONFIG, str(tmp_path / "config"))
    monkeypatch.delenv(ENV_LANG_FLAG, raising=False)
    return tmp_path / "config" / language.CONFIG_FILE


@pytest.fixture(scope="module")
def ledger():
    return arbook.read_ledger(SAMPLE)


@pytest.fixture(scope="module")
def boards(ledger):
    """One dashboard per language, each built (and first drawn) in it."""
    made = {}
    for lang in ("es", "ru"):
        i18n.set_language(lang)
        made[lang] = Dashboard(ledger)
    i18n.set_language(None)
    return made


@pytest.fixture(params=["es", "ru"])
def lang(request):
    i18n.set_language(request.param)  # the page's language (reset after each test)
    return request.param


@pytest.fixture
def dash(boards, lang):
    board = boards[lang]
    board.set_as_of(LAST)
    board.set_basis("due")
    board.controls["tabs"].selected_index = 0
    assert not board.status_is_error, board.status
    return board


def data_words(dash) -> list[str]:
    """Words of the data, not of arbook: customers' ids and names, the folder's name, and the
    month ends as the language writes them (Spanish "31 ago 2026": agosto, not English)."""
    customers = dash.ledger.customers
    days = [
        format_date(pd.Timestamp(day)) for day in parts.values_of(dash.controls["as_of"].options)
    ]
    return [*customers["customer_id"], *customers["name"], "sample", *days]


def screen_text(widget: w.Widget) -> str:
    """What a person reads on ``widget`` and inside it: HTML, captions, placeholders, tooltips,
    tab titles and the labels of each choice (a choice's value is a code, never shown)."""
    out: list[str] = []

    def walk(part: w.Widget) -> None:
        selection = isinstance(part, w.widgets.widget_selection._Selection)
        for attr in ("description", "placeholder", "tooltip", *(() if selection else ("value",))):
            value = getattr(part, attr, None)
            if isinstance(value, str):
                out.append(value)
        if selection:
            out.extend(part._options_labels)
        if isinstance(part, w.Tab):
            out.extend(part.titles)
        for child in getattr(part, "children", ()):
            walk(child)

    walk(widget)
    return "\n".join(out)


def shell_text(dash) -> str:
    """Everything outside the Credit, Collections and Load tabs (other screens, tested on
    their own): header, picker, banner, controls, status, tab titles and the first three tabs."""
    board = dash.widget.children[0]
    *above, tabs = board.children
    text = [screen_text(part) for part in above]
    text += [*tabs.titles, *(screen_text(tabs.children[k]) for k in range(3))]
    return "\n".join(text)


# -- what a page shows -------------------------------------------------------------------------


def test_the_shell_speaks_the_language(dash, lang):
    dash.controls["tabs"].selected_index = 1  # the customers' table drawn too
    text = shell_text(dash)
    said = SAID[lang]
    assert list(dash.controls["tabs"].titles[: len(said["tabs"])]) == said["tabs"]
    assert said["header"] in visible_text(dash._header.value)
    assert dash.status.startswith(said["status"].format(day=format_date(LAST))), dash.status
    assert dash.controls["language"].label == i18n.LANGUAGE_NAMES[lang]
    assert english_left(text, lang, data=data_words(dash)) == []


def test_the_tiles_and_the_carrying_line_name_the_currency(dash, lang):
    html = dash.kpi_html
    assert english_left(html, lang, data=data_words(dash)) == []
    total = re.search(r'data-kpi="total_cents".*?arbook-kpi-value">([^<]*)<', html).group(1)
    assert total == SAID[lang]["total"]
    yearly = int(dash.review.carrying["yearly_cost_cents"].sum())
    carrying = visible_text(dash._carrying.value)
    assert format_money(yearly, "EUR") in carrying
    assert english_left(carrying, lang, data=data_words(dash)) == []


def test_the_tables_have_their_titles_and_numbers_in_the_language(dash, lang):
    dash.controls["tabs"].selected_index = 1
    table = dash.customers_html
    titles = re.findall(r"<th[^>]*>([^<]*)</th>", table)
    assert i18n.gettext("current", lang) in titles and "1-30" in titles
    assert english_left(" ".join(titles), lang) == []
    assert SAID[lang]["amount"] in table  # C0140's net receivable
    assert english_left(table, lang, data=data_words(dash)) == []
    labels = dict(
        zip(parts.values_of(dash.controls["sort"].options), dash.controls["sort"].options)
    )
    assert labels["total_cents"][0] == i18n.gettext("net receivable", lang).capitalize()


@pytest.mark.parametrize("pick", [("customer", "C0140"), ("bucket", "current"), ("bucket", "121+")])
def test_the_drill_down_speaks_the_language(dash, lang, pick):
    kind, value = pick
    (dash.select_customer if kind == "customer" else dash.select_bucket)(value)
    assert not dash.status_is_error, dash.status
    html = dash.drill_html
    assert english_left(html, lang, data=data_words(dash)) == []
    if kind == "bucket" and value == "current":
        head = visible_text(re.search(r"<h3>(.*?)</h3>", html).group(1))
        amount = int(dash.review.items.query("bucket == 'current'")["outstanding_cents"].sum())
        assert head.endswith(format_money(amount, "EUR")), head


def chart_texts(spec: dict) -> list[str]:
    """The texts a chart's spec draws: every title (chart, axis, legend, tooltip), the labels a
    ``labelExpr`` draws, and the display columns of its data (a bucket's words, "now")."""
    out: list[str] = []

    def walk(node) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                if key == "datasets":
                    continue
                if key in ("title", "text") and isinstance(value, str):
                    out.append(value)
                elif key == "labelExpr":
                    out.extend(re.findall(r'\? "([^"]*)"', value))
                else:
                    walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(spec)
    for rows in spec.get("datasets", {}).values():
        for row in rows:
            out.extend(str(row[c]) for c in ("bucket_shown", "when", "roll") if c in row)
    return out


def test_the_charts_speak_the_language(dash, lang):
    dash.controls["tabs"].selected_index = 1
    charts = dash.chart_widgets
    assert set(charts) == {"buckets", "trend", "customers"}
    for name, chart in charts.items():
        spec = chart.spec
        texts = chart_texts(spec)
        assert texts and english_left("\n".join(texts), lang, data=data_words(dash)) == [], name
        svg = vlc.vegalite_to_svg(spec, vl_version=_vl_version())
        drawn = re.findall(r"<text[^>]*>([^<]*)</text>", svg)
        assert english_left(" ".join(drawn), lang, data=data_words(dash)) == [], name
        mark = re.escape(SAID[lang]["thousands"])  # an axis's 200 000 in the language's form
        assert any(re.fullmatch(rf"\d{{1,3}}({mark}\d{{3}})+", text) for text in drawn), drawn
        assert spec["config"]["locale"]["number"]["currency"] == ["", f"{NBSP}€"]
    buckets = charts["buckets"].spec
    assert i18n.gettext("current", lang) in chart_texts(buckets)
    # the data keeps its codes: a click on a bar still picks the bucket "current"
    assert "current" in {row["bucket"] for row in buckets["datasets"][buckets["data"]["name"]]}
    tooltip = buckets["encoding"]["tooltip"]
    assert tooltip[1]["format"] == "$,.2f"  # the amount with its currency


# -- the picker --------------------------------------------------------------------------------


def test_the_picker_redraws_everything_in_the_same_box_and_remembers(ledger, config):
    dash = Dashboard(ledger)
    assert dash.controls["language"].value == "en"
    assert [label for label, _code in dash.controls["language"].options] == [
        "English",
        "Español",
        "Русский",
    ]
    root, board = dash.widget, dash.widget.children[0]
    dash.set_basis("invoice")
    dash.set_search("C01")
    dash.controls["tabs"].selected_index = 1
    dash.set_bucket_filter("121+")
    dash.select_customer("C0140")  # shows the drill-down tab
    old_tabs = dash.controls["tabs"]

    dash.controls["language"].value = "ru"  # what the browser sends
    assert not dash.status_is_error, dash.status
    assert i18n.language() == "ru"
    assert dash.widget is root and root.children == (board,)  # the box on the page stays
    assert dash.controls["tabs"] is not old_tabs and dash.controls["tabs"] in board.children
    assert old_tabs.comm is None  # the views of the language left are closed
    assert dash.controls["tabs"].titles[0] == "Обзор"
    assert dash.controls["tabs"].selected_index == 2 and dash.customer == "C0140"
    assert dash.controls["basis"].value == "invoice" and dash.controls["search"].value == "C01"
    assert dash.controls["bucket_filter"].value == "121+"
    assert dash.controls["language"].value == "ru"
    assert dash.status.startswith(f"На дату {format_date(LAST)} · интервалы по дате счёта")
    assert english_left(dash.drill_html, "ru", data=data_words(dash)) == []
    assert config.read_text(encoding="utf-8").endswith('language = "ru"\n')
    assert language.remembered_language() == "ru"

    dash.set_language("en")  # and back: English exactly as before
    assert dash.controls["tabs"].titles == TABS
    assert dash.status.startswith(f"As of {LAST} · aging by invoice date · buckets current")
    assert language.remembered_language() == "en"


def test_a_language_the_picker_does_not_offer_is_refused(ledger):
    dash = Dashboard(ledger)
    dash.set_language("fr")
    assert dash.status_is_error and "'fr'" in dash.status
    assert i18n.language() == "en" and dash.controls["language"].value == "en"


def test_from_environment_starts_in_the_flags_language(monkeypatch):
    language.remember_language("ru")
    monkeypatch.setenv("ARBOOK_DATA", str(SAMPLE))
    monkeypatch.setenv("ARBOOK_LANG", "es")
    monkeypatch.setenv(ENV_LANG_FLAG, "es")
    dash = Dashboard.from_environment()
    assert isinstance(dash, Dashboard), dash.status
    assert dash.controls["tabs"].titles[0] == "Resumen"
    assert dash.controls["language"].value == "es"
