"""The mapping speaks the user's language: what ``problems`` says, why a column was suggested
(the candidates' reasons and the notes), the errors of a bad mapping.toml, the comments of a
saved one, the issues a mapping's reading reports and the import's refusals, in Spanish and
Russian; the canonical field and key names (amount, open_items_only...) and the file's own
words stay as they are, and no English word of the catalogue is left in them."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import EXAMPLES
from i18n_check import english_left
from own_sheets import spanish_sheet

import arbook
from arbook.core import mapping
from arbook.core.errors import DataError, PolicyError
from arbook.core.i18n import using
from arbook.core.mapping import Mapping

#: the names of arbook's fields and of mapping.toml's keys: names in files, in every language
NAMES = [
    *mapping.FIELDS,
    *mapping.KEYS,
    "true",
    "false",
    "iso",
    "dmy",
    "mdy",
    "mapping.toml",
    "FILE",
]


def file_words(path: Path) -> list[str]:
    """The words a file holds (its headers and cells): data, not English left over."""
    raw = path.read_bytes()
    for codec in ("utf-8", "cp1252"):
        try:
            return raw.decode(codec).split()
        except UnicodeDecodeError:
            continue
    return []


def assert_spoken(texts: list[str], lang: str, data: list[str] = ()) -> None:
    assert texts
    for text in texts:
        assert english_left(text, lang, data=[*NAMES, *data]) == [], text


@pytest.mark.parametrize(
    ("lang", "trap"),
    [
        ("es", "amount está asignado a 'Amount', un importe nominal"),
        ("ru", "amount сопоставлен с 'Amount' — полной суммой документа"),
    ],
)
def test_problems_in_the_language(lang, trap):
    path = EXAMPLES / "qbo-ar-aging-detail.csv"
    with using(lang):
        m = mapping.suggest(path).mapping
        m.columns["amount"] = "Amount"
        del m.columns["face_amount"]
        said = mapping.problems(m, path)
        assert any(trap in p for p in said)
        assert_spoken(said, lang, file_words(path))
        del m.columns["amount"], m.columns["invoice_date"]
        m.columns["currency"] = "Currency code"
        assert_spoken(mapping.problems(m, path), lang, file_words(path) + ["Currency", "code"])


@pytest.mark.parametrize("lang", ["es", "ru"])
@pytest.mark.parametrize(
    "name", ["xero-sales-invoices-export.csv", "aeat-libro-facturas-expedidas.csv"]
)
def test_the_traps_of_the_examples_in_the_language(lang, name):
    path = EXAMPLES / name
    with using(lang):
        found = mapping.suggest(path)
        said = mapping.problems(found.mapping, path)
        reasons = [c.reason for cs in found.candidates.values() for c in cs]
    assert_spoken(said, lang, file_words(path))
    assert_spoken(found.notes, lang, file_words(path))
    assert_spoken(reasons, lang, file_words(path))


@pytest.mark.parametrize(
    ("lang", "reason", "note"),
    [
        ("es", "es un nombre de invoice_id", "las fechas se escriben con el día primero"),
        ("ru", "одно из названий поля invoice_id", "даты записаны начиная с дня"),
    ],
)
def test_the_suggestion_explains_itself_in_the_language(tmp_path, lang, reason, note):
    path = spanish_sheet(tmp_path)
    with using(lang):
        found = mapping.suggest(path)
        assert any(reason in c.reason for c in found.candidates["invoice_id"])
        assert any(note in n for n in found.notes)
    with using("en"):  # the reasons are kept per language, never the first one asked
        english = mapping.suggest(path)
        assert any("is a name for invoice_id" in c.reason for c in english.candidates["invoice_id"])


@pytest.mark.parametrize(
    ("lang", "unknown"),
    [("es", "no es un campo de arbook (¿quería decir amount?)"), ("ru", "(может быть, amount?)")],
)
def test_a_bad_mapping_toml_is_refused_in_the_language(lang, unknown):
    text = (
        'file = "a.csv"\n'
        "header_line = 0\n"
        'date_order = "ymd"\n'
        "[columns]\n"
        'amount = "Amount"\n'
        'ammount = "Open balance"\n'
    )
    with using(lang), pytest.raises(PolicyError) as caught:
        Mapping.from_toml(text, "data/mapping.toml")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("data/mapping.toml:2: header_line: ")  # where, as written
    assert unknown in lines[2]
    # the location and key come from the TOML reader (arbook.core.rules_file): data here
    assert_spoken(lines, lang, ["data/mapping.toml", "ymd", "ammount", "Open", "balance"])


@pytest.mark.parametrize(
    ("lang", "comment"),
    [
        ("es", "# cómo se escriben las fechas:"),
        ("ru", "# как записаны даты:"),
    ],
)
def test_a_saved_mapping_is_commented_in_the_language_and_reads_back(tmp_path, lang, comment):
    m = Mapping("a.csv", 1, {"amount": "Pendiente"}, date_order="dmy", decimal=",")
    with using(lang):
        text = m.to_toml()
    assert comment in text
    assert Mapping.from_toml(text, "mapping.toml") == m  # comments never change what is read
    comments = [line for line in text.splitlines() if line.startswith("#")]
    assert_spoken(comments, lang, ["Sheet1", "cp1252", "cp1251", "UTF-8", "Net", "YYYY-MM-DD"])


@pytest.mark.parametrize(("lang", "left_out"), [("es", "se omite"), ("ru", "файл не загружен")])
def test_a_mapping_that_no_longer_fits_its_file_is_said_in_the_language(tmp_path, lang, left_out):
    path = spanish_sheet(tmp_path)
    m = mapping.suggest(path).mapping
    m.columns["invoice_id"] = "Nº"  # a column the file does not have
    mapping.save(m, tmp_path)
    with using(lang):
        ledger = arbook.read_ledger(tmp_path)
    issues = ledger.issues[ledger.issues["code"] == "missing_column"]
    assert left_out in issues["message"].iloc[0]
    texts = [*issues["message"], *issues["hint"]]
    assert_spoken(texts, lang, [*file_words(path), "Nº", "[columns]", "arbook mapping FILE"])


@pytest.mark.parametrize(
    ("lang", "refused"),
    [("es", "ya contiene invoices.csv; no se ha escrito nada"), ("ru", "уже есть invoices.csv")],
)
def test_the_import_refuses_in_the_language(tmp_path, lang, refused):
    (tmp_path / "in").mkdir()
    source = spanish_sheet(tmp_path / "in")
    mapping.save(mapping.suggest(source).mapping, source.parent)
    ledger = arbook.read_ledger(source.parent)
    out = tmp_path / "out"
    out.mkdir()
    (out / "invoices.csv").write_text("invoice_id\n", encoding="utf-8")
    with using(lang), pytest.raises(DataError) as caught:
        mapping.write_canonical(ledger, out)
    assert refused in str(caught.value)
    assert_spoken([str(caught.value)], lang, [str(out), "invoices.csv", "--out", "--force"])
