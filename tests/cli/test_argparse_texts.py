"""argparse's own texts in the interface language: its errors in Spanish and Russian, an
unknown --lang refused in argparse's words, and every text of the running Python's argparse.py
in the catalogue (a Python with a text the list lacks fails here)."""

from __future__ import annotations

import argparse
import ast
from pathlib import Path

import pytest
from conftest import ROOT

from arbook.cli import argparse_texts
from arbook.cli.commands import main
from arbook.core.i18n import using

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"


def test_argparse_errors_are_in_the_language(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["aging", "--lang", "es"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "arbook aging: error: faltan los siguientes argumentos obligatorios:" in err
    with pytest.raises(SystemExit):
        main(["aging", str(SAMPLE), "--as-of", AS_OF, "--by", "day", "--lang", "ru"])
    err = capsys.readouterr().err
    assert "arbook aging: ошибка: аргумент --by: недопустимый вариант: 'day'" in err


def test_an_unknown_language_is_argparses_choice_error(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["aging", str(SAMPLE), "--as-of", AS_OF, "--lang", "fr"])
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert "argument --lang: invalid choice: 'fr' (choose from 'en', 'es', 'ru')" in err


def test_every_text_of_the_running_pythons_argparse_is_in_the_catalogue():
    tree = ast.parse(Path(argparse.__file__).read_text(encoding="utf-8"))
    found, plurals = set(), set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            texts = [a.value for a in node.args if isinstance(a, ast.Constant)]
            if node.func.id == "_" and texts and isinstance(texts[0], str):
                found.add(texts[0])
            elif node.func.id == "ngettext":
                plurals.add(tuple(texts[:2]))
    assert found - set(argparse_texts.TEXTS) == set()
    with using("en"):
        listed = set(zip(argparse_texts._plural_texts(1), argparse_texts._plural_texts(2)))
    assert plurals - listed == set()
