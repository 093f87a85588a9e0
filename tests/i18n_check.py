"""Finding English left on a Spanish or Russian page: the words of the catalogue's English
texts that a rendered text still shows. A word the translations use too (DSO, IBAN, PDF, a
placeholder's name) is not English left over; nor is a word of the data (a customer's name).
Used by the tests of every screen, report and message in ``es`` and ``ru``."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from functools import lru_cache

from arbook.core import catalogue

_WORD = re.compile(r"[A-Za-z][A-Za-z']{2,}")
_TAG = re.compile(r"<(script|style)\b.*?</\1>|<[^>]+>", re.S | re.I)
#: Words that are the same in every language arbook speaks (names, codes, units).
SHARED = frozenset(
    {
        "arbook",
        "voilà",
        "voila",
        "dso",
        "cei",
        "iban",
        "bic",
        "swift",
        "pdf",
        "csv",
        "json",
        "xlsx",
        "html",
        "smtp",
        "toml",
        "eur",
        "usd",
        "gbp",
        "rub",
        "ibm",
        "sql",
        "sqlite",
        "postgresql",
        "quickbooks",
        "xero",
        "erpnext",
        "aeat",
        "utf",
        "url",
        "www",
        "http",
        "https",
        "altman",
        "email",
        "e-mail",
        "ok",
    }
)

#: Words spelled the same in English and the language, each one a word of that language's own
#: (a Spanish "quién decide", a "total", a "plan de pagos", "ago" for agosto in a date), so not
#: English left over.
SAME_SPELLING = {
    "es": frozenset({"decide", "total", "final", "plan", "general", "normal", "error", "ago"}),
    "ru": frozenset(),
}


def visible_text(page: str) -> str:
    """The text a person reads in HTML ``page`` (scripts, styles and tags left out)."""
    return html.unescape(_TAG.sub(" ", page))


@lru_cache(maxsize=4)
def _vocabulary(lang: str) -> frozenset[str]:
    template = catalogue.extract()
    own = catalogue.read(catalogue.po_path(lang), lang)
    english: set[str] = set()
    for message in template:
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        for text in ids:
            english.update(w.lower() for w in _WORD.findall(re.sub(r"\{[^}]*\}", " ", text)))
    translated: set[str] = set()
    for message in own:
        texts = message.string if isinstance(message.string, tuple) else (message.string,)
        for text in texts:
            translated.update(w.lower() for w in _WORD.findall(text or ""))
    return frozenset(english - translated - SHARED)


def english_left(text: str, lang: str, *, data: Iterable[str] = ()) -> list[str]:
    """The catalogue's English words in ``text`` (HTML or plain) shown in ``lang``, sorted;
    words of ``data`` (names, ids, free text from the ledger) are not counted."""
    words = {w.lower() for w in _WORD.findall(visible_text(text))}
    known = {w.lower() for item in data for w in _WORD.findall(str(item))}
    return sorted((words & _vocabulary(lang)) - known - SAME_SPELLING.get(lang, frozenset()))
