"""The one message catalogue: every text a person reads, in English, Spanish and Russian.

Texts are written in English in the code and marked for the catalogue: :func:`_` translates one
now, :func:`ngettext` picks the plural form the language needs (Russian has three: 1 счёт,
2 счёта, 5 счетов), :func:`N_` marks a text kept in a constant (a label table) that is
translated where it is shown (``_(LABELS[code])``). A text with values names them
(``_("{count} more rows").format(count=n)``), so a translation may put them anywhere.

The catalogue is gettext's, made with Babel: ``arbook/locale/arbook.pot`` is extracted from
the code (``pybabel extract``, see :mod:`arbook.core.catalogue`), each language's
``arbook/locale/<lang>/LC_MESSAGES/arbook.po`` holds the translations, and its ``.mo`` is
compiled at build time (``make``, ``setup.py build_py``). A checkout whose ``.mo`` is missing or
older than its ``.po`` compiles the ``.po`` in memory instead, so a translation edited is never
silently ignored.

Who chooses the language (the interface's; documents, scripts and prepared answers follow
each customer's ``language`` instead, through :func:`using`): ``--lang`` on the command line or
the dashboard's picker (:func:`set_language`), else ``ARBOOK_LANG``, else the policy's
``language``, else the system locale (``LC_ALL``, ``LC_MESSAGES``, ``LANG``), else English.
"""

from __future__ import annotations

import contextlib
import contextvars
import io
import logging
import os
from collections.abc import Iterator
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.numbers import get_decimal_symbol, get_group_symbol
from babel.support import NullTranslations, Translations

log = logging.getLogger(__name__)

#: The languages arbook speaks, English first (the texts in the code are English).
LANGUAGES = ("en", "es", "ru")
#: Each language in its own words (the language picker).
LANGUAGE_NAMES = {"en": "English", "es": "Español", "ru": "Русский"}
DOMAIN = "arbook"
LOCALE_DIR = Path(__file__).resolve().parent.parent / "locale"
#: The environment variable that chooses the interface language.
ENV = "ARBOOK_LANG"
#: The system locale's variables, in the order they choose a language (POSIX).
LOCALE_VARIABLES = ("LC_ALL", "LC_MESSAGES", "LANG")

_chosen: str | None = None  # set_language's choice, process-wide
_policy_language: str | None = None  # the policy's `language`, when one was read
_within: contextvars.ContextVar[str | None] = contextvars.ContextVar("arbook_lang", default=None)


def _known(lang: object) -> str | None:
    """``lang`` as one of :data:`LANGUAGES` (``es_ES.UTF-8`` -> ``es``), None when not one."""
    if not isinstance(lang, str) or not lang.strip():
        return None
    code = lang.strip().replace("-", "_").split(".")[0].split("_")[0].lower()
    return code if code in LANGUAGES else None


def system_language() -> str | None:
    """The language of the system locale, when arbook speaks it (None otherwise)."""
    for name in LOCALE_VARIABLES:
        value = os.environ.get(name, "")
        if value:
            return _known(value)
    return None


def check(lang: object) -> str:
    """``lang`` when arbook speaks it, else ValueError naming the languages (the caller says
    it in its user's terms: a flag, a policy key)."""
    found = _known(lang) if isinstance(lang, str) and len(lang) <= 20 else None
    if found is None or found != lang:
        shown = str(lang)[:20]
        raise ValueError(f"language {shown!r}: use one of {', '.join(LANGUAGES)}")
    return found


def set_language(lang: str | None) -> str:
    """Choose the interface language for this process (None: undo the choice); return the
    language now spoken. Raises ValueError for a language arbook does not speak."""
    global _chosen
    _chosen = None if lang is None else check(lang)
    return language()


def set_policy_language(lang: str | None) -> None:
    """The policy's ``language`` (read with the policy): used when nothing nearer chose."""
    global _policy_language
    _policy_language = _known(lang)


def language() -> str:
    """The language spoken now: :func:`using`'s, else the chosen one, else ``ARBOOK_LANG``,
    else the policy's, else the system's, else ``en``."""
    return (
        _within.get()
        or _chosen
        or _known(os.environ.get(ENV))
        or _policy_language
        or system_language()
        or "en"
    )


@contextlib.contextmanager
def using(lang: str | None) -> Iterator[str]:
    """Speak ``lang`` within the block (a customer's document or script; None: no change)."""
    token = _within.set(None if lang is None else check(lang))
    try:
        yield language()
    finally:
        _within.reset(token)


@contextlib.contextmanager
def kept() -> Iterator[None]:
    """Whatever the block chooses (:func:`set_language`, :func:`set_policy_language`), put the
    choice and the policy's language back as they were when it ends (a command run from a
    program or a test leaves the process speaking as before)."""
    global _chosen, _policy_language
    chosen, policy = _chosen, _policy_language
    try:
        yield
    finally:
        _chosen, _policy_language = chosen, policy


def _catalogue_files(lang: str) -> tuple[Path, Path]:
    return _files(LOCALE_DIR, lang)


@lru_cache(maxsize=8)
def _files(locale_dir: Path, lang: str) -> tuple[Path, Path]:
    folder = locale_dir / lang / "LC_MESSAGES"
    return folder / f"{DOMAIN}.po", folder / f"{DOMAIN}.mo"


@lru_cache(maxsize=len(LANGUAGES))
def _translations(lang: str, _stamp: float) -> NullTranslations:
    if lang == "en":
        return NullTranslations()
    po, mo = _catalogue_files(lang)
    if mo.is_file() and (not po.is_file() or mo.stat().st_mtime >= po.stat().st_mtime):
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    if not po.is_file():
        log.warning("no %s catalogue at %s: its texts are shown in English", lang, po)
        return NullTranslations()
    log.info("%s is newer than its .mo (or it has none): compiled in memory", po)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translations(lang: str | None = None) -> NullTranslations:
    """The catalogue of ``lang`` (default: :func:`language`), read once per file version."""
    lang = lang or language()
    if lang == "en":  # the texts themselves: no file to read or watch
        return _ENGLISH
    stamp = 0.0
    for path in _catalogue_files(lang):
        try:
            stamp = max(stamp, os.stat(path).st_mtime)
        except FileNotFoundError:
            continue
    return _translations(lang, stamp)


_ENGLISH = NullTranslations()


def _(message: str) -> str:
    """``message`` in the language spoken now."""
    return translations().gettext(message)


def gettext(message: str, lang: str | None = None) -> str:
    """``message`` in ``lang`` (default: the language spoken now)."""
    return translations(lang).gettext(message)


def ngettext(singular: str, plural: str, count: int, lang: str | None = None) -> str:
    """The form of ``singular``/``plural`` that ``count`` takes in the language (three in
    Russian); the text is then formatted by the caller with ``count``."""
    return translations(lang).ngettext(singular, plural, count)


def pgettext(context: str, message: str) -> str:
    """``message`` in the sense ``context`` gives it ("due" a date, "due" an amount)."""
    return str(translations().pgettext(context, message))


@lru_cache(maxsize=len(LANGUAGES))
def number_marks(lang: str) -> tuple[str, str]:
    """The thousands separator and decimal mark of ``lang``: ``,`` and ``.`` in English, the
    locale's (CLDR, through Babel) in the others (``.`` and ``,``; a no-break space and ``,``)."""
    if lang == "en":
        return ",", "."
    return get_group_symbol(lang), get_decimal_symbol(lang)


def N_(message: str) -> str:
    """Mark ``message`` for the catalogue without translating it (a constant translated where
    it is shown)."""
    return message
