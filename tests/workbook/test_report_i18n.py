"""The monthly review in Spanish and Russian (issue 14): `arbook review` of the sample in each
language writes the notebook and its HTML report with no English word of the catalogue left
(the customers' names and ids are data), ``<html lang>`` in the language, the sections' headings
and prose translated, amounts in the locale's form with the currency. Each language's review
runs once, as a command in a subprocess (papermill's loop stays out of the test process): one
with ``--lang es``, one with ``ARBOOK_LANG=ru``. Who chooses the language (``--lang``, else
``ARBOOK_LANG``, else the policy's ``language``) is checked on the parameters, without a run."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import nbformat
import pytest
from conftest import LANGUAGE_VARIABLES, ROOT, SAMPLE
from i18n_check import english_left

import arbook
from arbook.core.dates import date_text
from arbook.core.i18n import using
from arbook.core.money import format_money
from arbook.workbook.report import review_parameters
from arbook.workbook.review import build_review

AS_OF = "2026-10-31"
#: Spanish month abbreviations that are English words too (a date, not English left over):
#: "31 ago 2026", "may 2026".
SPANISH_MONTHS = ["ago", "may"]
#: How each language's review is asked for: ``--lang`` on the command line, ``ARBOOK_LANG``.
ASKED = {"es": (["--lang", "es"], {}), "ru": ([], {"ARBOOK_LANG": "ru"})}


def _run(lang: str, out) -> dict:
    """`arbook review` of the sample in ``lang``: the HTML page and the executed notebook."""
    flags, variables = ASKED[lang]
    env = {k: v for k, v in os.environ.items() if k not in LANGUAGE_VARIABLES}
    done = subprocess.run(
        [sys.executable, "-m", "arbook.cli", "review", str(SAMPLE), "--as-of", AS_OF]
        + ["--out", str(out), *flags],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**env, **variables},
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    html = out / "sample" / "2026-10" / "monthly_review.html"
    assert done.stdout.strip() == str(html)
    return {
        "page": html.read_text("utf-8"),
        "notebook": nbformat.read(html.with_suffix(".ipynb"), as_version=4),
    }


@pytest.fixture(scope="module", params=["es", "ru"])
def report(request, tmp_path_factory):
    lang = request.param
    return lang, _run(lang, tmp_path_factory.mktemp(f"review-{lang}"))


@pytest.fixture(scope="module")
def names():
    ledger = arbook.read_ledger(SAMPLE)
    ids = ledger.customers["customer_id"]
    return [*ids, *ledger.names(ids), *SPANISH_MONTHS]


def test_the_report_shows_no_english(report, names):
    lang, run = report
    assert english_left(run["page"], lang, data=names) == []
    assert f'<html lang="{lang}">' in run["page"]
    assert run["notebook"].metadata.papermill.parameters["lang"] == lang


def test_the_report_names_its_sections_and_amounts_in_the_language(report):
    lang, run = report
    page = run["page"]
    with using(lang):
        allowance = build_review(arbook.read_ledger(SAMPLE), AS_OF).allowance
    total = allowance.set_index("bucket").loc["total"]
    aging, roll = (int(total[c]) for c in ("aging_allowance_cents", "roll_allowance_cents"))
    if lang == "es":
        title = "<title>sample: revisión mensual de cuentas a cobrar 31 oct 2026</title>"
        assert title in page
        assert "<h1>sample: revisión mensual de cuentas a cobrar, 31 oct 2026</h1>" in page
        assert '<h2 class="arbook">Control de crédito</h2>' in page
        assert '<h2 class="arbook">Provisión por insolvencias</h2>' in page
        assert "Tramos por días de retraso (no vencido, 1-30," in page
        assert "coste del capital 10,0\xa0% anual" in page
        said = f"Método de antigüedad: {format_money(aging, 'EUR', lang='es')}; método de tasas"
        assert said in page and "137.578,88\xa0€" in said  # a Spanish amount, the euro after
    else:
        day = date_text(AS_OF, lang="ru")
        assert day == "31 окт. 2026\u202fг."
        assert f"sample: ежемесячный обзор дебиторской задолженности, {day}</h1>" in page
        assert '<h2 class="arbook">Кредитный контроль</h2>' in page
        assert '<h2 class="arbook">Резерв по сомнительным долгам</h2>' in page
        assert "стоимость капитала 10,0\xa0% годовых" in page
        roll_text = format_money(roll, "EUR", lang="ru")
        assert f"метод коэффициентов перехода: {roll_text}." in page
        assert roll_text == "157\xa0800,90\xa0€"  # a Russian amount: no-break spaces, the euro


def test_the_notebook_has_no_prose_of_its_own(report):
    """Its headings and what each section shows come from the sections, translated; the one
    markdown cell is for the source only and left out of the page."""
    _lang, run = report
    markdown = [c for c in run["notebook"].cells if c.cell_type == "markdown"]
    assert len(markdown) == 1 and "notebook-only" in markdown[0].metadata.get("tags", [])
    assert markdown[0].source.startswith("<!--") and "arbook review" not in run["page"]


@pytest.mark.parametrize(
    "flags, variable, policy, want",
    [
        ({}, None, "es", "es"),  # the policy's language when nothing nearer chose
        ({}, "ru", "es", "ru"),  # ARBOOK_LANG before the policy
        ({"lang": "en"}, "ru", "es", "en"),  # --lang before both
        ({}, None, "", "en"),  # nothing anywhere: English
    ],
)
def test_who_chooses_the_reports_language(tmp_path, monkeypatch, flags, variable, policy, want):
    import shutil

    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    text = (folder / "policy.toml").read_text("utf-8")
    (folder / "policy.toml").write_text(f'language = "{policy}"\n{text}', encoding="utf-8")
    if variable:
        monkeypatch.setenv("ARBOOK_LANG", variable)
    assert review_parameters(folder, AS_OF, tmp_path / "out", **flags)["lang"] == want


def test_a_language_arbook_does_not_speak_is_refused_before_the_run(tmp_path):
    from arbook.core.errors import ParameterError

    with pytest.raises(ParameterError, match=re.escape("use one of en, es, ru")):
        review_parameters(SAMPLE, AS_OF, tmp_path / "out", lang="fr")
    assert not (tmp_path / "out").exists()


def test_the_batch_index_in_the_language(report, tmp_path, monkeypatch, names):
    """`arbook batch` in the language: its index page (the reports linked by their month end
    in the locale's form, a failure said in the language), around the notebook run once."""
    from arbook.workbook.report import run_batch

    lang, run = report
    monkeypatch.setattr("arbook.workbook.report.execute", lambda params: run["notebook"])
    monkeypatch.setattr("arbook.workbook.kernels.start", lambda: None)  # nothing to run in it
    missing = tmp_path / "nobody"
    result = run_batch([SAMPLE, missing], "2026-10", "2026-10", tmp_path / "out", lang=lang)
    page = result.index.read_text("utf-8")
    assert f'<html lang="{lang}">' in page
    # the failure's own message is the data folder check's (another part's text)
    shown = re.sub(r"<span>.*?</span>", "", page, flags=re.S)
    assert english_left(shown, lang, data=[*names, str(missing)]) == []
    day = date_text(AS_OF, lang=lang)
    if lang == "es":
        assert "<h1>Revisiones mensuales de cuentas a cobrar</h1>" in page
        assert "<p>1 informe hecho, 1 con error.</p>" in page
        assert f"{day}</a></li>" in page and f"{day}: no se pudo hacer: <span>" in page
    else:
        assert "<p>Готово отчётов: 1, с ошибкой: 1.</p>" in page
        assert f"{day}: не удалось: <span>" in page
