"""The daily digest in Spanish and Russian (issue 14): its text and HTML renderings (the HTML
through Jinja2's i18n extension, bound to the catalogue) and what `arbook daily` prints, with no
English word of the catalogue left (the customers' names and the invoice ids are data), days
and amounts in the language's form with the currency, and the HTML's lang the language."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import write_ledger
from i18n_check import english_left
from test_daily import CUSTOMERS, INVOICES

import arbook
from arbook.cli.commands import main
from arbook.core.i18n import using
from arbook.workbook.daily import DOCUMENT_COLUMNS, daily_run, digest_html, digest_text

# test_daily.py's book, as of 2026-10-31: IC newly overdue, B, C and D moved up the ladder,
# three documents due; in euros here.
DATA = ["Alpha Ltd", "Beta Ltd", "Gamma SA", "Delta", "IA", "IB", "IC", "ID"]


@pytest.fixture
def folder(tmp_path):
    folder = write_ledger(tmp_path / "ledger", invoices=INVOICES, customers=CUSTOMERS)
    (folder / "policy.toml").write_text('currency = "EUR"\n', encoding="utf-8")
    return folder


def _refused(ledger, day, rows):
    """Every document due refused for the same reason (the note said once, as note 1)."""
    return pd.DataFrame(
        {
            "customer_id": rows["customer_id"],
            "name": rows["name"],
            "step": rows["step_label"],
            "document": rows["template"],
            "status": "refused",
            "file": "",
            "note": "-",
        },
        columns=DOCUMENT_COLUMNS,
    )


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_digest_in_the_language(folder, lang):
    with using(lang):
        run = daily_run(arbook.read_ledger(folder), "2026-10-31", out=folder / "daily")
        text, html = digest_text(run), digest_html(run)
        refused = digest_text(
            daily_run(
                arbook.read_ledger(folder), "2026-10-31", out=folder / "b", documents=_refused
            )
        )
    assert english_left(text, lang, data=DATA) == []
    assert english_left(html, lang, data=DATA) == []
    assert english_left(refused, lang, data=DATA) == []
    assert f'<html lang="{lang}">' in html
    assert run.digest["html"].read_text("utf-8") == html  # the file written says it too
    if lang == "es":
        assert text.startswith("arbook daily, sábado, 31 de octubre de 2026 (fecha indicada)")
        assert "  Nuevos vencidos (1):" in text
        assert "C Gamma SA: IC, 3.000,00\xa0€ con vencimiento el 30 oct 2026" in text
        assert "Lista de llamadas del día: 4 clientes, 4.500,00\xa0€ vencido" in text
        assert "Documentos que tocan hoy según el procedimiento (3):" in text
        assert "<h2>Desde el viernes, 30 de octubre de 2026 (el último día laborable)</h2>" in html
        assert '<td class="status-due">pendiente</td>' in html  # the class keeps the code
        assert "rechazado (nota 1)" in refused and "  nota 1: -" in refused
    else:
        assert "С последнего рабочего дня (пятница, 30 октября 2026\u202fг.):" in text
        assert "  Новая просрочка (1):" in text
        assert "C Gamma SA: IC, 3\xa0000,00\xa0€, срок оплаты 30 окт. 2026\u202fг." in text
        assert "Список на сегодня: клиентов — 4, просрочка 4\xa0500,00\xa0€" in html
        assert "<th>Документ</th>" in html and '<td class="status-due">к отправке</td>' in html
        assert "отклонён (примечание 1)" in refused


def test_the_digest_in_english_is_as_it_was(folder):
    text = digest_text(daily_run(arbook.read_ledger(folder), "2026-10-31", out=folder / "d"))
    assert text.startswith("arbook daily, Saturday 2026-10-31 (as given)")
    assert "C Gamma SA: IC, 3,000.00 EUR due 2026-10-30" in text
    assert "Today's worklist: 4 customers, 4,500.00 EUR overdue" in text


#: what `arbook daily` prints of the run in each language (no company name yet: the documents
#: due are refused)
SAID = {
    "es": [
        "arbook daily: 31 oct 2026 (fecha indicada)",
        "  lista del día: 4 clientes; cambios: nuevos vencidos: 1, cambio de paso: 3",
        "  documentos que tocan: 3, rechazado: 3",
    ],
    "ru": [
        "arbook daily: 31 окт. 2026\u202fг. (дата указана в команде)",
        "  список на сегодня: клиентов — 4; изменения: новая просрочка: 1, новый этап: 3",
        "  документов к отправке: 3, отклонён: 3",
    ],
}


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_the_command_says_it_in_the_language(folder, capsys, lang):
    assert main(["daily", str(folder), "--as-of", "2026-10-31", "--lang", lang]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[:3] == SAID[lang]
    assert english_left(out, lang, data=[*DATA, str(folder)]) == []  # the paths are data
    written = (folder / "daily" / "2026-10-31.txt").read_text("utf-8")
    assert english_left(written, lang, data=DATA) == []
