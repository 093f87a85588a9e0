"""The interface language of the dashboard: the picker (each language in its own words), the
choice it remembers, and the language a page starts in.

The picker's choice is kept in ``dashboard.toml`` (``language = "es"``) in the user's
configuration folder: ``$ARBOOK_CONFIG_DIR`` when set (tests point it at a scratch folder),
else the platform's (``platformdirs.user_config_dir("arbook")``: ``~/.config/arbook`` on Linux).
A page starts in ``arbook dashboard --lang``'s language, else the remembered one, else as
:func:`arbook.core.i18n.language` chooses (``$ARBOOK_LANG``, the policy, the system, English).
"""

from __future__ import annotations

import logging
import os
import tomllib
from pathlib import Path

import ipywidgets as w
import platformdirs

from arbook.core import i18n
from arbook.core.files import write_atomic
from arbook.core.i18n import LANGUAGE_NAMES, LANGUAGES, _, check, language
from arbook.views.dashboard.parts import GuardedDropdown
from arbook.workbook.serve import ENV_LANG_FLAG

log = logging.getLogger(__name__)

#: The folder of the user's arbook configuration, when set (else the platform's).
ENV_CONFIG = "ARBOOK_CONFIG_DIR"
CONFIG_FILE = "dashboard.toml"


def config_path() -> Path:
    """Where the dashboard keeps the user's choices: ``dashboard.toml`` in ``$ARBOOK_CONFIG_DIR``,
    else in the platform's configuration folder for arbook."""
    folder = os.environ.get(ENV_CONFIG) or platformdirs.user_config_dir("arbook")
    return Path(folder).expanduser() / CONFIG_FILE


def remembered_language() -> str | None:
    """The language last chosen with the picker; None when none was (or the file cannot be
    read: the dashboard then starts as if none had been chosen)."""
    path = config_path()
    try:
        with path.open("rb") as handle:
            lang = tomllib.load(handle).get("language")
    except FileNotFoundError:
        return None
    except (OSError, ValueError) as exc:  # tomllib.TOMLDecodeError is a ValueError
        log.warning("%s: cannot be read (%s); the language is chosen as if it were not", path, exc)
        return None
    return lang if lang in LANGUAGES else None


def remember_language(lang: str) -> Path | None:
    """Keep ``lang`` as the picker's choice (written whole or not at all); return the file, or
    None when it cannot be written (the choice then lasts this page)."""
    path = config_path()
    text = "# arbook's dashboard: the language chosen with its picker\n"
    text += f'language = "{check(lang)}"\n'
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        return write_atomic(path, text)
    except OSError as exc:
        log.warning("%s: cannot be written (%s); the language is not remembered", path, exc)
        return None


def language_picker() -> w.Dropdown:
    """The dropdown of the languages arbook speaks, each in its own words, at the one spoken."""
    picker = GuardedDropdown(
        options=[(LANGUAGE_NAMES[code], code) for code in LANGUAGES],
        value=language(),
        description=_("Language"),
        style={"description_width": "initial"},
        layout={"width": "200px"},
    )
    picker.add_class("arbook-language")
    return picker


def start_language() -> str:
    """Choose the language a dashboard page starts in and return it: ``--lang``'s (in
    ``$ARBOOK_LANG_FLAG``), else the picker's remembered choice; else the choice is left to
    :func:`arbook.core.i18n.language` (``$ARBOOK_LANG``, the policy, the system, English)."""
    flag = os.environ.get(ENV_LANG_FLAG, "")
    chosen = flag if flag in i18n.LANGUAGES else remembered_language()
    if chosen:
        i18n.set_language(chosen)
    return i18n.language()
