"""The mapping record and its file (:mod:`arbook.core.mapping.model`): arbook's fields, the
TOML round trip and its located errors, a hand-edited mapping.toml read back, and ``save``
refusing a folder of arbook's own files."""

from __future__ import annotations

import tomllib

import pytest
from own_sheets import spanish_sheet, totals

import arbook
from arbook.core import mapping
from arbook.core.errors import DataError, PolicyError
from arbook.core.mapping import FIELDS, Mapping


def test_fields_are_the_canonical_targets_in_order():
    assert FIELDS[:6] == (
        "invoice_id", "customer_id", "customer_name", "invoice_date", "due_date", "amount",
    )  # fmt: skip
    assert set(FIELDS) >= {"face_amount", "applies_to", "currency", "disputed", "terms_days"}


def test_to_toml_and_back():
    m = Mapping(
        file="ledger.xlsx",
        header_line=4,
        columns={"invoice_id": "№", "amount": 'Остаток "долг"', "invoice_date": "Дата"},
        date_order="dmy",
        decimal=",",
        open_items_only=True,
        report_date="2026-06-30",
        sheet="Долги",
        encoding="cp1251",
    )
    text = m.to_toml()
    assert "# customer_id = " in text  # unmapped fields are there to uncomment
    assert tomllib.loads(text)["columns"]["amount"] == 'Остаток "долг"'
    assert Mapping.from_toml(text, "mapping.toml") == m
    plain = Mapping("a.csv", 1, {"amount": "Amount"})
    assert Mapping.from_toml(plain.to_toml(), "m.toml") == plain


def test_bad_toml_gives_located_errors():
    text = (
        'file = "a.csv"\n'
        "header_line = 0\n"
        'date_order = "ymd"\n'
        "[columns]\n"
        'amount = "Amount"\n'
        'ammount = "Open balance"\n'
    )
    with pytest.raises(PolicyError) as caught:
        Mapping.from_toml(text, "data/mapping.toml")
    lines = str(caught.value).splitlines()
    assert lines[0].startswith("data/mapping.toml:2: header_line: ")
    assert lines[1].startswith('data/mapping.toml:3: date_order: "ymd"; use one of')
    assert lines[2].startswith("data/mapping.toml:6: [columns] ammount: not a field")
    assert "did you mean amount?" in lines[2]
    with pytest.raises(PolicyError, match=r"mapping.toml:2: not valid TOML"):
        Mapping.from_toml('file = "a.csv"\nheader_line = \n', "mapping.toml")
    with pytest.raises(PolicyError, match="outside this folder"):
        Mapping.from_toml('file = "../secret.csv"\nheader_line = 1\n', "mapping.toml")


def test_an_edited_mapping_is_what_is_read(tmp_path):
    """Hand-edited: the face value mapped instead; the ledger follows the file, and problems
    say it is the trap."""
    path = spanish_sheet(tmp_path)
    m = mapping.suggest(path).mapping
    text = m.to_toml().replace('amount = "Pendiente"', 'amount = "Importe"')
    (tmp_path / "mapping.toml").write_text(text, encoding="utf-8")
    edited = mapping.read(tmp_path / "mapping.toml")
    assert edited.columns["amount"] == "Importe"
    assert any("face value" in p for p in mapping.problems(edited, path))
    assert (
        totals(arbook.read_ledger(tmp_path))["total_cents"]
        == 121_000 + 60_500 + 242_050 - (12_100) + 363_000
    )


def test_save_refuses_a_folder_of_arbooks_own_files(tmp_path):
    (tmp_path / "invoices.csv").write_text("invoice_id,customer_id,invoice_date,amount\n", "utf-8")
    path = spanish_sheet(tmp_path)
    with pytest.raises(DataError, match=r"holds arbook's own invoices file invoices\.csv"):
        mapping.save(mapping.suggest(path).mapping, tmp_path)
    assert not (tmp_path / "mapping.toml").exists()
