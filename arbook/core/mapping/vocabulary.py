"""The words of the mapping: header names of each field, in English, Spanish and Russian.

The vocabulary is data, ``arbook/defaults/mapping_synonyms.toml`` (:func:`vocabulary`), compared
through :func:`header_key` (case, accents, "№"/"#"/"Nº" and punctuation made alike). On it rest
how well a header names a field (:func:`header_score`), whether it is an open balance or what
was paid (:func:`is_open_balance`, :func:`is_paid`), what a type column's value says a row is
(:func:`document_kind`), and payment terms read as days (:func:`terms_days`). Suggesting,
checking and reading a mapping all ask these questions, so they live once, here.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources

from arbook.core.i18n import _, language
from arbook.core.mapping.model import FIELDS

_ACCENTS = str.maketrans("áéíóúüñàèìòùâêîôûçãõäöëïÿ", "aeiouunaeiouaeioucaoaoeiy")
_CAMEL = re.compile(r"(?<=[a-zа-яё])(?=[A-ZА-ЯЁ])")  # InvoiceAmountDue: three words
_NUMBER_SIGN = re.compile(r"n\.?\s?[º°o]\.?(?=\s|$|\d)|[#№]")
_TERMS = re.compile(
    r"^\s*(?:(?:net|neto|нетто|n)\s*(\d{1,4})|(\d{1,4})\s*(?:days?|d|dias|días|дн\.?|дней|дня|день)"
    r"|(\d{1,4})|(?:due on receipt|on receipt|contado|al contado|при получении))\s*$",
    re.IGNORECASE,
)


_DISCOUNT_TERMS = re.compile(r"^\s*\d+(?:[.,]\d+)?\s*%\s*\d+\s*,?\s*net\s*(\d{1,4})\s*$", re.I)


def header_key(text: object) -> str:
    """A header (or a type's value) compared loosely: lower case, "ё" as "е", accents on Latin
    letters dropped, "#", "№", "Nº" as "no", every run of other punctuation and spaces one
    space. ``"Nº Factura"`` -> ``"no factura"``, ``"Invoice #"`` -> ``"invoice no"``."""
    key = (
        _CAMEL.sub(" ", str(text).strip().lstrip("\ufeff"))
        .lower()
        .replace("ё", "е")
        .translate(_ACCENTS)
    )
    key = _NUMBER_SIGN.sub(" no ", key)
    return re.sub(r"[\W_]+", " ", key).strip()


@dataclass(frozen=True)
class Vocabulary:
    """The header names of each field (strong and weak), the headers of what was paid, the
    values of a type column by kind, the words of total rows and of a report's date."""

    strong: dict[str, tuple[str, ...]]
    weak: dict[str, tuple[str, ...]]
    paid: tuple[str, ...]
    types: dict[str, tuple[str, ...]]
    totals: tuple[str, ...]
    report_words: tuple[str, ...]
    not_owed: tuple[str, ...]
    ignore: tuple[str, ...]
    status_columns: tuple[str, ...]
    not_documents: tuple[str, ...]
    withheld: tuple[str, ...]


@cache
def vocabulary() -> Vocabulary:
    """The shipped vocabulary, ``arbook/defaults/mapping_synonyms.toml``, keys compared by
    :func:`header_key`."""
    text = resources.files("arbook.defaults").joinpath("mapping_synonyms.toml").read_text("utf-8")
    data = tomllib.loads(text)

    def keys(words: list[str]) -> tuple[str, ...]:
        return tuple(dict.fromkeys(k for k in map(header_key, words) if k))

    fields = data["fields"]
    return Vocabulary(
        strong={f: keys(fields[f].get("strong", [])) for f in FIELDS},
        weak={f: keys(fields[f].get("weak", [])) for f in FIELDS},
        paid=keys(data["paid"]["names"]),
        types={kind: keys(words) for kind, words in data["document_types"].items()},
        totals=keys(data["totals"]["words"]),
        report_words=keys(data["report_date"]["words"]),
        not_owed=keys(data["not_owed"]["words"]),
        ignore=keys(data["ignore"]["words"]),
        status_columns=keys(data["status"]["columns"]),
        not_documents=keys(data["status"]["not_documents"]),
        withheld=keys(data["withheld"]["words"]),
    )


def _holds(key: str, words: tuple[str, ...]) -> str | None:
    """The first of ``words`` that is whole words of ``key``, or None."""
    padded = f" {key} "
    return next((w for w in words if f" {w} " in padded), None)


def _name_score(key: str, names: tuple[str, ...]) -> tuple[float, str]:
    """How well a header key matches one of ``names``: 1 for the same words, else (when a name
    is whole words of the header) more the more of the header it covers; the name matched."""
    best, which = 0.0, ""
    padded = f" {key} "
    for name in names:
        if name == key:
            return 1.0, name
        if f" {name} " in padded:
            score = 0.45 + 0.35 * len(name) / len(key)
            if score > best:
                best, which = score, name
    return best, which


def header_score(header: str, name: str) -> tuple[float, str]:
    """How well ``header`` names the field ``name`` (0..1) and why, in words (in the language
    spoken now)."""
    return _header_score(header, name, language())


@lru_cache(maxsize=1 << 14)
def _header_score(header: str, name: str, lang: str) -> tuple[float, str]:
    """:func:`header_score`, kept per language (``lang`` is the one spoken: the reason's)."""
    key = header_key(header)
    if not key:
        return 0.0, ""
    words = vocabulary()
    if _holds(key, words.ignore) and _name_score(key, words.strong[name])[0] < 1.0:
        return 0.0, ""
    if name in ("amount", "face_amount") and is_paid(header):
        return 0.0, ""
    strong, said = _name_score(key, words.strong[name])
    weak, said_weak = _name_score(key, words.weak[name])
    weak *= 0.7
    other = _holds(key, words.not_owed) if name in ("amount", "face_amount") else None
    if other and max(strong, weak) > 0:
        return 0.2 * max(strong, weak), _(
            "its header {header} holds {word}: it is not what is owed, nor the total"
        ).format(header=repr(header), word=repr(other))
    if strong >= weak and strong > 0:
        said_so = (
            _("its header {header} is a name for {field}")
            if strong == 1.0
            else _("its header {header} holds {word}, which is a name for {field}")
        )
        return strong, said_so.format(header=repr(header), word=repr(said), field=name)
    if weak > 0:
        said_so = (
            _("its header {header} may be a name for {field}")
            if weak >= 0.69
            else _("its header {header} holds {word}, which may be a name for {field}")
        )
        return weak, said_so.format(header=repr(header), word=repr(said_weak), field=name)
    return 0.0, ""


def is_open_balance(header: str) -> bool:
    """The header names an open balance (what is still owed), not a face value nor a tax."""
    key = header_key(header)
    words = vocabulary()
    return _name_score(key, words.strong["amount"])[0] > 0 and not _holds(key, words.not_owed)


def is_paid(header: str) -> bool:
    """The header names what has been paid on a document (and not what is left to pay)."""
    return _name_score(header_key(header), vocabulary().paid)[0] > 0 and not is_open_balance(header)


def document_kind(value: object) -> str:
    """What a type column's value says a row is: "invoice", "credit", "payment", "" when blank,
    "unknown" when the vocabulary does not know it."""
    key = header_key(value) if isinstance(value, str) else ""
    if not key:
        return ""
    for kind, words in vocabulary().types.items():
        if key in words:
            return kind
    for kind, words in vocabulary().types.items():
        if any(f" {w} " in f" {key} " for w in words if len(w) > 3):
            return kind
    return "unknown"


def terms_days(text: str) -> int | None:
    """Payment terms as days: ``30``, ``Net 30``, ``30 días``, ``30 дней``, ``2% 10 Net 30``
    (the net days), ``Due on receipt`` (0); None when the text is not terms."""
    match = _TERMS.match(text) or _DISCOUNT_TERMS.match(text)
    if match is None:
        return None
    days = next((g for g in match.groups() if g), None)
    return int(days) if days is not None else 0
