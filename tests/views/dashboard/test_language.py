"""The dashboard's interface language: the picker's choice remembered in the user's
configuration (``$ARBOOK_CONFIG_DIR``/dashboard.toml, written whole), a file that says nothing
usable ignored, and the language a page starts in: ``--lang``'s, else the remembered one, else
``ARBOOK_LANG``'s."""

from __future__ import annotations

import pytest

from arbook.core import i18n
from arbook.views.dashboard.language import (
    CONFIG_FILE,
    ENV_CONFIG,
    config_path,
    language_picker,
    remember_language,
    remembered_language,
    start_language,
)
from arbook.workbook.serve import ENV_LANG_FLAG


@pytest.fixture(autouse=True)
def config(tmp_path, monkeypatch):
    """The user's configuration in a scratch folder, no --lang."""
    monkeypatch.setenv(ENV_CONFIG, str(tmp_path / "config"))
    monkeypatch.delenv(ENV_LANG_FLAG, raising=False)
    return tmp_path / "config" / CONFIG_FILE


def test_the_choice_is_written_whole_and_read_back(config):
    assert remembered_language() is None and config_path() == config
    assert remember_language("es") == config
    assert config.read_text(encoding="utf-8").endswith('language = "es"\n')
    assert remembered_language() == "es"
    with pytest.raises(ValueError, match="'fr'"):
        remember_language("fr")
    assert remembered_language() == "es"  # a refused choice leaves the file as it was


def test_a_folder_that_cannot_be_written_keeps_the_choice_for_the_page(config):
    config.parent.parent.joinpath("config").write_text("a file where the folder should be")
    assert remember_language("ru") is None
    assert remembered_language() is None


def test_the_picker_names_each_language_in_its_own_words():
    i18n.set_language("ru")
    picker = language_picker()
    assert picker.options == (("English", "en"), ("Español", "es"), ("Русский", "ru"))
    assert picker.value == "ru" and picker.description == "Язык"


@pytest.mark.parametrize(
    "text",
    ['language = "fr"\n', "language = \n", "\x00\xff", 'other = "es"\n'],
)
def test_a_config_file_that_says_nothing_usable_is_ignored(config, text):
    config.parent.mkdir(parents=True)
    config.write_bytes(text.encode("latin-1"))
    assert remembered_language() is None
    assert start_language() == "en"


def test_a_page_starts_in_the_flag_then_the_remembered_then_arbook_lang(monkeypatch):
    assert start_language() == "en"
    monkeypatch.setenv("ARBOOK_LANG", "es")
    assert start_language() == "es"
    remember_language("ru")
    i18n.set_language(None)
    assert start_language() == "ru"  # the picker's choice beats ARBOOK_LANG
    monkeypatch.setenv("ARBOOK_LANG", "es")  # as `arbook dashboard --lang es` sets them
    monkeypatch.setenv(ENV_LANG_FLAG, "es")
    i18n.set_language(None)
    assert start_language() == "es"  # the flag beats the picker's choice
