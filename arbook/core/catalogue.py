"""Keeping the message catalogue (:mod:`arbook.core.i18n`): extract, update, compile, check.

``python -m arbook.core.catalogue extract`` reads every marked text of the package (Python:
``_``, ``N_``, ``gettext``, ``ngettext``, ``pgettext``, ``lazy``; Jinja2 templates: ``_`` and
``ngettext``, newstyle) into ``arbook/locale/arbook.pot``; ``update`` brings each language's
``.po`` in step with it (new texts empty, changed ones marked fuzzy, gone ones dropped);
``compile`` writes the ``.mo`` files (``make`` and the package build run it); ``check`` lists
every text without a translation, fuzzy, or whose translation names other ``{fields}`` than the
English, and exits 1 when there is one (the test suite fails on it too).
"""

from __future__ import annotations

import argparse
import contextlib
import fcntl
import io
import json
import re
import sys
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from babel.messages.catalog import Catalog, Message
from babel.messages.extract import extract_from_dir
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po

from arbook.core.files import write_atomic
from arbook.core.i18n import DOMAIN, LANGUAGES, LOCALE_DIR

PACKAGE = LOCALE_DIR.parent
TEMPLATE = LOCALE_DIR / f"{DOMAIN}.pot"
#: The marking functions and which of their arguments are texts (gettext's keyword spec).
KEYWORDS: dict[str, tuple[int, ...] | tuple[tuple[int, str], ...] | None] = {
    "_": None,
    "N_": None,
    "gettext": None,
    "lazy": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),  # type: ignore[dict-item]
}
METHODS = [
    ("**/locale/**", "ignore"),
    ("**.py", "python"),
    ("**/templates/**.j2", "jinja2"),
]
OPTIONS = {"**/templates/**.j2": {"extensions": "jinja2.ext.i18n", "newstyle_gettext": "true"}}
FOREIGN = ("es", "ru")  # the languages translated from the English in the code
_FIELD = re.compile(r"(?<!\{)\{([A-Za-z_][A-Za-z0-9_]*)[^{}]*\}(?!\})|%\(([A-Za-z_]\w*)\)[sd]")


def po_path(lang: str) -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}.po"


def mo_path(lang: str) -> Path:
    return po_path(lang).with_suffix(".mo")


def extract(root: Path = PACKAGE) -> Catalog:
    """Every marked text under ``root``, with where it is used."""
    catalog = new_catalogue()
    found = extract_from_dir(
        str(root), METHODS, options_map=OPTIONS, keywords=KEYWORDS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in found:
        catalog.add(
            message,
            None,
            [(str(Path(root.name) / filename), lineno)],
            auto_comments=comments,
            context=context,
        )
    return catalog


def read(path: Path, lang: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=lang, domain=DOMAIN)


def write(catalog: Catalog, path: Path) -> None:
    """Write ``catalog`` sorted by text, its locations without line numbers (a line added above
    a text does not change the catalogue)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    write_po(
        buffer,
        catalog,
        width=100,
        sort_output=True,
        include_previous=False,
        include_lineno=False,
    )
    write_atomic(path, buffer.getvalue())  # a program running meanwhile never reads half of it


def new_catalogue(lang: str | None = None) -> Catalog:
    return Catalog(
        locale=lang,
        domain=DOMAIN,
        project="arbook",
        version="",
        copyright_holder="arbook's authors",
        msgid_bugs_address="",
        charset="utf-8",
        fuzzy=False,
    )


@contextlib.contextmanager
def locked() -> Iterator[None]:
    """Hold the catalogue's lock: several people (or sessions) filling it at once never lose
    each other's translations."""
    LOCALE_DIR.mkdir(parents=True, exist_ok=True)
    with (LOCALE_DIR / ".lock").open("w") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def update(template: Catalog | None = None) -> dict[str, int]:
    """Bring each foreign ``.po`` in step with ``template`` (default: a fresh extraction, also
    written to the ``.pot``); return the texts still untranslated per language."""
    left = {}
    with locked():  # extracted under the lock, as in :func:`fill`
        template = template if template is not None else extract()
        write(template, TEMPLATE)
        for lang in FOREIGN:
            path = po_path(lang)
            catalog = read(path, lang) if path.is_file() else new_catalogue(lang)
            catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            write(catalog, path)
            left[lang] = len(problems(lang, catalog, template))
    return left


def todo(lang: str, under: str = "", template: Catalog | None = None) -> list[dict[str, Any]]:
    """The texts ``lang`` lacks a translation of (only those used under ``under``, a path
    like ``arbook/views/dashboard``), as records for :func:`fill`: ``msgid`` (a list of the
    singular and plural for a plural), ``context``, ``where``."""
    template = template if template is not None else extract()
    catalog = read(po_path(lang), lang) if po_path(lang).is_file() else new_catalogue(lang)
    wanted = {p.msgid for p in problems(lang, catalog, template)}
    out = []
    for message in template:
        english = message.id if isinstance(message.id, tuple) else (message.id,)
        places = [f"{f}:{n}" for f, n in message.locations]
        if english[0] in wanted and any(p.startswith(under) for p in places):
            msgid = list(english) if isinstance(message.id, tuple) else message.id
            out.append({"msgid": msgid, "context": message.context, "where": places})
    return out


def fill(translations: dict[str, list[dict[str, Any]]]) -> dict[str, int]:
    """Write translations into the catalogue: ``{lang: [{"msgid": ..., "context": ...,
    "msgstr": text or [forms]}]}`` (a text the code does not use is refused: extract first);
    return how many were written per language."""
    written = {}
    with locked():  # extracted under the lock: another's texts marked meanwhile are kept
        template = extract()
        known = {(m.id if isinstance(m.id, str) else m.id[0], m.context): m for m in template}
        for lang, records in translations.items():
            if lang not in FOREIGN:
                raise ValueError(f"language {lang!r}: translate into {', '.join(FOREIGN)}")
            path = po_path(lang)
            catalog = read(path, lang) if path.is_file() else new_catalogue(lang)
            catalog.update(template, update_header_comment=False, no_fuzzy_matching=True)
            catalog.obsolete.clear()
            count = 0
            for record in records:
                msgid = record["msgid"]
                first = msgid if isinstance(msgid, str) else msgid[0]
                source = known.get((first, record.get("context")))
                if source is None:
                    raise ValueError(f"{first!r} is not a text of the code (extract first)")
                text = record["msgstr"]
                own = catalog.get(source.id, source.context)
                if own is None:
                    own = catalog.add(source.id, None, source.locations, context=source.context)
                own.string = tuple(text) if isinstance(source.id, tuple) else str(text)
                own.flags.discard("fuzzy")
                count += 1
            write(catalog, path)
            written[lang] = count
    return written


def compile_all() -> list[Path]:
    """Write each language's ``.mo`` from its ``.po`` (fuzzy translations left out)."""
    written = []
    for lang in FOREIGN:
        po = po_path(lang)
        if not po.is_file():
            continue
        catalog = read(po, lang)
        buffer = io.BytesIO()
        write_mo(buffer, catalog)
        write_atomic(mo_path(lang), buffer.getvalue())
        written.append(mo_path(lang))
    return written


def fields(text: str) -> set[str]:
    """The ``{names}`` (and ``%(names)s``) a text formats in."""
    return {a or b for a, b in _FIELD.findall(text or "")}


@dataclass(frozen=True)
class Problem:
    lang: str
    msgid: str
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.where}: [{self.lang}] {self.msgid[:70]!r}: {self.what}"


def _texts(message: Message) -> list[str]:
    value = message.string
    return [t or "" for t in value] if isinstance(value, tuple | list) else [value or ""]


def problems(
    lang: str, catalog: Catalog | None = None, template: Catalog | None = None
) -> list[Problem]:
    """What is wrong with ``lang``'s translations of ``template`` (default: a fresh
    extraction): a text not translated (or fuzzy, or a plural form missing), a translation whose
    ``{fields}`` differ from the English."""
    template = template if template is not None else extract()
    catalog = catalog if catalog is not None else read(po_path(lang), lang)
    found: list[Problem] = []
    for message in template:
        if not message.id:
            continue
        where = ":".join(map(str, message.locations[0])) if message.locations else "?"
        own = catalog.get(message.id, message.context)
        english: tuple[str, ...] = (
            tuple(message.id) if isinstance(message.id, tuple | list) else (str(message.id),)
        )
        if own is None or own.fuzzy or not all(t.strip() for t in _texts(own)):
            found.append(Problem(lang, english[0], where, "no translation"))
            continue
        if isinstance(message.id, tuple) and len(_texts(own)) < catalog.num_plurals:
            found.append(Problem(lang, english[0], where, f"needs {catalog.num_plurals} forms"))
        want = set().union(*(fields(t) for t in english))
        for text in _texts(own):
            if fields(text) - want or (not isinstance(message.id, tuple) and fields(text) != want):
                found.append(
                    Problem(
                        lang, english[0], where, f"names {sorted(fields(text))}, not {sorted(want)}"
                    )
                )
                break
    return found


def _run(argv: Iterable[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m arbook.core.catalogue")
    parser.add_argument("action", choices=("extract", "update", "compile", "check", "todo", "fill"))
    parser.add_argument("what", nargs="?", default="", help="todo: the language; fill: a file")
    parser.add_argument("--under", default="", help="todo: only texts used under this path")
    args = parser.parse_args(list(argv) if argv is not None else None)
    if args.action == "todo":
        print(json.dumps(todo(args.what, args.under), ensure_ascii=False, indent=1))
        return 0
    if args.action == "fill":
        with open(args.what, encoding="utf-8") as handle:
            for lang, count in fill(json.load(handle)).items():
                print(f"{po_path(lang)}: {count:,} written")
        return 0
    if args.action == "extract":
        template = extract()
        write(template, TEMPLATE)
        print(f"{TEMPLATE}: {len(template):,} texts")
    elif args.action == "update":
        for lang, left in update().items():
            print(f"{po_path(lang)}: {left:,} to translate")
    elif args.action == "compile":
        for path in compile_all():
            print(path)
    else:
        template = extract()
        found = [p for lang in FOREIGN for p in problems(lang, template=template)]
        for problem in found:
            print(problem)
        print(f"{len(template):,} texts in {', '.join(LANGUAGES)}: {len(found):,} problems")
        return 1 if found else 0
    return 0


if __name__ == "__main__":
    sys.exit(_run())
