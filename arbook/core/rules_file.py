"""A rules file (policy, scorecard, ladder, playbook, company details, a credit application):
its bytes decoded, parsed as TOML, every key found on its line, and every problem said in the
file's own terms, ``file:line: [table] key: what is wrong; what to do``.

Amounts stay exact: TOML floats are read as :class:`~decimal.Decimal` (``parse_float``), so
``fee = 10.10`` becomes 1010 cents without ever being a float. Keys are shown as they are written
(``[aging] edges``, ``step 2 "reminder", script.en``), list items counted from 1. A file is
UTF-8 (a byte-order mark is skipped) or UTF-16 with a byte-order mark; anything else is refused
with the line of the first byte that is not.
"""

from __future__ import annotations

import codecs
import json
import re
import tomllib
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any

from arbook.core.dates import format_count
from arbook.core.errors import ArbookError, PolicyError
from arbook.core.i18n import N_, _, language, pgettext

#: A key's path in a file: table and key names, and list positions counted from 0.
Loc = tuple[str | int, ...]
#: What a file may be written in.
ENCODINGS = N_("UTF-8 (with or without a byte-order mark) or UTF-16 with a byte-order mark")
#: A rules file is a few kilobytes; a bigger one is not a rules file.
MAX_BYTES = 1_000_000
_BARE = re.compile(r"[A-Za-z0-9_-]+$")
_AT = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")
_SYNTAX_HINTS = (
    (
        "Cannot overwrite a value",
        N_("a key is given twice (or set again after its table); keep one"),
    ),
    ("twice", N_("a table is declared twice; put its keys under one [table] heading")),
    ("Cannot mutate immutable namespace", N_("a table written inline { ... } takes no more keys")),
    ("Invalid value", N_('write text in "double quotes", true or false, a number, or a [list]')),
    ("Invalid statement", N_("every line is key = value, a [table] heading or a # comment")),
)
_NO_HINT = N_("check the quotes and brackets")
#: What TOML's reader (whose English is shown as it is in English) found, said in arbook's
#: words for the other languages: the start of its message, and the sentence.
_SYNTAX_SAID = (
    ("Invalid statement", N_("the line is not a key = value pair, a heading or a comment")),
    ("Invalid value", N_("the value cannot be read")),
    ("Cannot overwrite a value", N_("the value is set already")),
    ("Cannot declare", N_("the table is declared already")),
    ("Cannot redefine namespace", N_("a table is declared again")),
    ("Cannot mutate immutable namespace", N_("an inline table is given more keys")),
    ("Expected ']' at the end", N_("a [table] heading has no closing bracket")),
    ("Expected ']]' at the end", N_("an [[array]] heading has no closing brackets")),
    ("Expected '='", N_("a key has no = after it")),
    ("Invalid initial character", N_("a key starts with a character a key cannot have")),
    ("Unclosed array", N_("a list has no closing bracket")),
    ("Unclosed inline table", N_("an inline table has no closing brace")),
    ("Duplicate inline table key", N_("an inline table gives a key twice")),
    ("Unescaped", N_("a backslash in a string is not escaped")),
    ("Invalid hex value", N_("an escape in a string is not valid")),
    ("Escaped character", N_("an escape in a string is not valid")),
    ("Unterminated string", N_("a string is not closed")),
    ("Illegal character", N_("a string holds a character it may not hold")),
    ("Invalid date", N_("a date or time cannot be read")),
    ("Found invalid character", N_("a character is not allowed here")),
    ("Expected", N_("something is missing here")),
)
#: The kinds of rules file, as in "the policy file" (the ``what`` of :func:`read_bytes`).
_KINDS = {
    "policy": lambda: pgettext("a kind of file: the ... file", "policy"),
    "ladder": lambda: pgettext("a kind of file: the ... file", "ladder"),
    "playbook": lambda: pgettext("a kind of file: the ... file", "playbook"),
    "scorecard": lambda: pgettext("a kind of file: the ... file", "scorecard"),
    "application": lambda: pgettext("a kind of file: the ... file", "application"),
    "company": lambda: pgettext("a kind of file: the ... file", "company"),
    "mapping": lambda: pgettext("a kind of file: the ... file", "mapping"),
    "import note": lambda: pgettext("a kind of file: the ... file", "import note"),
}
#: A list item's word by its list's name (``step 2 "reminder"``); other lists say "item".
_ITEM_WORDS = {
    "steps": N_("step {number}"),
    "excuses": N_("excuse {number}"),
    "bands": N_("band {number}"),
    "trade_references": N_("reference {number}"),
}


def shown(value: object, limit: int = 40) -> str:
    """``value`` as a TOML file writes it (``"text"``, ``true``, ``1.5``, ``[30, 60]``), cut to
    ``limit`` characters, for a message that must not echo a huge value whole."""
    if isinstance(value, bool):
        text = "true" if value else "false"
    elif isinstance(value, str):
        text = json.dumps(value, ensure_ascii=False)
    elif isinstance(value, Decimal | float) and value != value:
        text = "nan"
    elif isinstance(value, Decimal | float) and abs(value) == float("inf"):
        text = "inf" if value > 0 else "-inf"
    elif isinstance(value, list | tuple):
        text = "[" + ", ".join(shown(v, limit) for v in list(value)[:limit]) + "]"
    elif isinstance(value, dict):
        text = "{ " + ", ".join(f"{k} = {shown(v, limit)}" for k, v in value.items()) + " }"
    else:
        text = str(value)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def decode(raw: bytes, source: str, error: type[ArbookError] = PolicyError) -> str:
    """The text of a file's bytes: UTF-8 (its byte-order mark skipped) or UTF-16 with a
    byte-order mark. Raises ``error`` naming the line of the first byte that is neither."""
    encoding = "utf-8"
    if raw.startswith(codecs.BOM_UTF8):
        raw = raw[len(codecs.BOM_UTF8) :]
    elif raw.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        before = raw[: exc.start].decode(encoding, errors="replace")
        line, column = before.count("\n") + 1, len(before.rpartition("\n")[2]) + 1
        raise error(
            _(
                "{source}:{line}: byte {byte} at column {column} is not {encoding}: the file is "
                "in another encoding. Save it as {encodings}"
            ).format(
                source=source,
                line=line,
                byte=f"{raw[exc.start]:#04x}",
                column=column,
                encoding=encoding.upper(),
                encodings=_(ENCODINGS),
            )
        ) from None


def read_bytes(path: Path, what: str, fix: str, error: type[ArbookError] = PolicyError) -> bytes:
    """The bytes of ``path`` (at most :data:`MAX_BYTES`); ``error`` saying what is wrong and
    ``fix`` when it is missing, a folder, unreadable or too big."""
    kind = _KINDS[what]() if what in _KINDS else what
    try:
        with path.open("rb") as handle:
            raw = handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        said = _("{path}: no such {what} file. {fix}")
        raise error(said.format(path=path, what=kind, fix=fix)) from None
    except IsADirectoryError:
        said = _("{path}: is a folder, not a {what} file. {fix}")
        raise error(said.format(path=path, what=kind, fix=fix)) from None
    except OSError as exc:
        said = _("{path}: the {what} file cannot be read ({why}). {fix}")
        raise error(said.format(path=path, what=kind, why=exc.strerror, fix=fix)) from None
    if len(raw) > MAX_BYTES:
        said = _("{path}: over {size} kB, too big for a {what} file (they are a few kB). {fix}")
        size = format_count(MAX_BYTES // 1000)
        raise error(said.format(path=path, size=size, what=kind, fix=fix))
    return raw


def parse_toml(text: str, source: str, error: type[ArbookError] = PolicyError) -> dict[str, Any]:
    """``text`` parsed as TOML, floats as Decimal; ``error`` with the line and column of a
    syntax error, a key given twice or a table declared twice, and what to write instead."""
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _AT.search(message)
        found = message[: at.start()] if at else message
        what = found if language() == "en" else _syntax_said(found)
        hint = _(next((h for key, h in _SYNTAX_HINTS if key in found), _NO_HINT))
        if at is None:
            said = _("{source}: not valid TOML ({what}); {hint}")
            raise error(said.format(source=source, what=what, hint=hint)) from None
        line, column = int(at[1]), int(at[2])
        lines = text.splitlines()
        written = lines[line - 1].strip() if line <= len(lines) else ""
        reads = _(" (the line reads {line})").format(line=shown(written, 60)) if written else ""
        said = _(
            "{source}:{line}: not valid TOML at line {line}, column {column}: {what}{reads}; {hint}"
        )
        raise error(
            said.format(source=source, line=line, column=column, what=what, reads=reads, hint=hint)
        ) from None


def _syntax_said(found: str) -> str:
    """What TOML's reader said (``found``, its English), in the language spoken."""
    return next(
        (_(said) for start, said in _SYNTAX_SAID if found.startswith(start)),
        _("the text cannot be read here"),
    )


@dataclass(frozen=True)
class RulesFile:
    """A parsed rules file: its ``data``, where it came from (``source``), the line of every
    key path (``lines``), and the paths written as ``[table]`` or ``[[array]]`` headings."""

    data: dict[str, Any]
    source: str
    lines: Mapping[Loc, int] = field(default_factory=dict)
    tables: frozenset[tuple[str, ...]] = frozenset()
    arrays: frozenset[tuple[str, ...]] = frozenset()

    def line(self, loc: Loc) -> int | None:
        """The line of ``loc``, else of the nearest key above it that is in the file."""
        for end in range(len(loc), 0, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return None

    def key(self, loc: Loc) -> str:
        """``loc`` as the file writes it: ``[aging] edges``, ``step 2 "reminder", days``."""
        return key_text(loc, self.data, self.tables, self.arrays)

    def at(self, loc: Loc) -> str:
        """``file:line: key`` (``file: key`` when the key is not in the file; ``key`` alone for
        rules given as a dict, with no file)."""
        line = self.line(loc)
        key = self.key(loc) or _("(the whole file)")
        if not self.source:
            return key
        return f"{self.source}:{line}: {key}" if line else f"{self.source}: {key}"

    def over(self, base: RulesFile, data: dict[str, Any]) -> RulesFile:
        """This file's keys laid over ``base`` (the shipped one) as ``data``: lines from this
        file, the table headings of both."""
        return replace(
            self, data=data, tables=self.tables | base.tables, arrays=self.arrays | base.arrays
        )


def rules_file(text: str, source: str, error: type[ArbookError] = PolicyError) -> RulesFile:
    """``text`` parsed, each key located (see :class:`RulesFile`)."""
    data = parse_toml(text, source, error)
    lines, tables, arrays = locate(text)
    return RulesFile(data, source, lines, frozenset(tables), frozenset(arrays))


def read_rules(name: str, path: str | Path | None = None) -> RulesFile:
    """The rules file at ``path``, or the shipped ``arbook/defaults/<name>.toml`` when ``path``
    is None or blank. Raises PolicyError saying what is wrong and what to do."""
    default = f"arbook/defaults/{name}.toml"
    if path is None or path == "":
        text = resources.files("arbook.defaults").joinpath(f"{name}.toml").read_text("utf-8")
        return rules_file(text, default)
    file = Path(path)
    raw = read_bytes(file, name, _("Copy {file} and edit it.").format(file=default))
    return rules_file(decode(raw, str(file)), str(file))


# -- where each key is: a light TOML scanner (the text is valid TOML by now) ------------------


def _tokens(text: str) -> Iterator[tuple[str, str, int]]:
    """``(kind, text, line)``: kind ``key`` (a bare word or a string), ``nl``, or one of
    ``[ ] { } = , .``; comments left out, strings unquoted (escapes as JSON reads them)."""
    i, line, n = 0, 1, len(text)
    while i < n:
        c = text[i]
        if c == "\n":
            yield "nl", c, line
            line, i = line + 1, i + 1
        elif c in " \t\r":
            i += 1
        elif c == "#":
            while i < n and text[i] != "\n":
                i += 1
        elif c in "[]{}=,.":
            yield c, c, line
            i += 1
        elif c in "\"'":
            quote = c * 3 if text.startswith(c * 3, i) else c
            j = i + len(quote)
            while j < n and not text.startswith(quote, j):
                j += 2 if c == '"' and text[j] == "\\" else 1
            body = text[i + len(quote) : j]
            yield "key", _unquote(body) if c == '"' else body, line
            line += text.count("\n", i, j)
            i = j + len(quote)
        else:
            j = i
            while j < n and text[j] not in " \t\r\n#[]{}=,.\"'":
                j += 1
            yield "key", text[i:j], line
            i = j


def _unquote(body: str) -> str:
    try:
        value = json.loads(f'"{body}"')
    except ValueError:  # TOML escapes JSON lacks (\e, \U...): the raw text names the key as well
        return body
    return value if isinstance(value, str) else body


class _Scanner:
    """Walks the tokens once, recording the line of every key path."""

    def __init__(self, text: str) -> None:
        self.tokens = list(_tokens(text))
        self.pos = 0
        self.lines: dict[Loc, int] = {}
        self.tables: set[tuple[str, ...]] = set()
        self.arrays: dict[tuple[str, ...], int] = {}

    def peek(self) -> tuple[str, str, int]:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else ("end", "", 0)

    def take(self) -> tuple[str, str, int]:
        token = self.peek()
        self.pos += 1
        return token

    def dotted(self) -> list[str]:
        keys = [self.take()[1]]
        while self.peek()[0] == ".":
            self.pos += 1
            keys.append(self.take()[1])
        return keys

    def resolve(self, keys: list[str]) -> Loc:
        """A heading's names as a path, each array of tables at its last element."""
        path: Loc = ()
        plain: tuple[str, ...] = ()
        for key in keys:
            path, plain = path + (key,), plain + (key,)
            if plain in self.arrays:
                path += (self.arrays[plain] - 1,)
        return path

    def run(self) -> None:
        table: Loc = ()
        while self.peek()[0] != "end":
            kind, _text, line = self.peek()
            if kind == "nl":
                self.pos += 1
            elif kind == "[":
                table = self.heading(line)
            else:
                self.assignment(table)

    def heading(self, line: int) -> Loc:
        self.pos += 1
        double = self.peek()[0] == "["
        self.pos += double
        keys = self.dotted()
        self.pos += 1 + double  # ] or ]]
        plain = tuple(keys)
        if double:
            self.arrays[plain] = self.arrays.get(plain, 0) + 1
        else:
            self.tables.add(plain)
        path = self.resolve(keys)
        self.lines.setdefault(path[:-1] if double else path, line)
        self.lines.setdefault(path, line)
        return path

    def assignment(self, table: Loc) -> None:
        line = self.peek()[2]
        path = table + tuple(self.dotted())
        self.lines.setdefault(path, line)
        if self.peek()[0] == "=":
            self.pos += 1
        self.value(path)

    def value(self, path: Loc) -> None:
        kind = self.peek()[0]
        if kind == "[":
            self.pos += 1
            self.items(path)
        elif kind == "{":
            self.pos += 1
            while self.peek()[0] not in ("}", "end"):
                if self.peek()[0] in (",", "nl"):
                    self.pos += 1
                else:
                    self.assignment(path)
            self.pos += 1
        else:
            while self.peek()[0] not in (",", "]", "}", "nl", "end"):
                self.pos += 1

    def items(self, path: Loc) -> None:
        """The items of an array, each at its position (the opening ``[`` taken)."""
        index = 0
        while self.peek()[0] not in ("]", "end"):
            kind, _text, line = self.peek()
            if kind in (",", "nl"):
                self.pos += 1
                index += kind == ","
                continue
            start = self.pos
            self.lines.setdefault(path + (index,), line)
            self.value(path + (index,))
            self.pos += self.pos == start  # always move on, whatever the text holds
        self.pos += 1


def locate(text: str) -> tuple[dict[Loc, int], set[tuple[str, ...]], set[tuple[str, ...]]]:
    """The line of every key path in valid TOML ``text``, the ``[table]`` headings and the
    ``[[array]]`` headings."""
    scanner = _Scanner(text)
    scanner.run()
    return scanner.lines, scanner.tables, set(scanner.arrays)


# -- keys as the file writes them ----------------------------------------------------------------


def _name(key: str) -> str:
    return key if _BARE.match(key) else json.dumps(key, ensure_ascii=False)


def _item(name: str, index: int, node: object) -> str:
    """List item ``index`` (from 0) of list ``name``: ``step 2 "reminder"`` for a table with a
    ``key`` or ``code``, else ``band 3`` (tables; ``reference 3`` of trade_references) or
    ``value 3``."""
    if not isinstance(node, dict):
        return _("value {number}").format(number=index + 1)
    last = name.rsplit("_", 1)[-1]  # trade_references: reference 2
    if name in _ITEM_WORDS:
        said = _(_ITEM_WORDS[name]).format(number=index + 1)
    elif last.endswith("s"):
        said = f"{last[:-1]} {index + 1}"  # the list's own name, a key of the file
    else:
        said = _("item {number}").format(number=index + 1)
    label = node.get("key", node.get("code"))
    return said + (f" {shown(label)}" if isinstance(label, str) else "")


def _node(data: object, part: str | int) -> object:
    if isinstance(part, int) and isinstance(data, list) and 0 <= part < len(data):
        return data[part]
    if isinstance(part, str) and isinstance(data, dict):
        return data.get(part)
    return None


def key_text(
    loc: Loc,
    data: object = None,
    tables: frozenset[tuple[str, ...]] = frozenset(),
    arrays: frozenset[tuple[str, ...]] = frozenset(),
) -> str:
    """``loc`` in the file's terms: the longest ``[table]`` heading first (``[aging] edges``),
    list items by number from 1, an ``[[array]]`` item by its word (``step 2 "reminder"``)."""
    pieces: list[str] = []
    keys: list[str] = []
    node = data
    for part in loc:
        if isinstance(part, str):
            keys.append(part)
        else:
            if keys and (pieces or tuple(keys) not in arrays):
                pieces.append(_keys_text(keys, tables if not pieces else frozenset()))
            pieces.append(_item(keys[-1] if keys else "item", part, _node(node, part)))
            keys = []
        node = _node(node, part)
    if keys:
        pieces.append(_keys_text(keys, tables if not pieces else frozenset()))
    return ", ".join(pieces)


def _keys_text(keys: list[str], tables: frozenset[tuple[str, ...]]) -> str:
    """Dotted ``keys``, the longest prefix that is a ``[table]`` heading in brackets."""
    cut = max((k for k in range(1, len(keys) + 1) if tuple(keys[:k]) in tables), default=0)
    rest = ".".join(_name(k) for k in keys[cut:])
    if not cut:
        return rest
    head = "[" + ".".join(_name(k) for k in keys[:cut]) + "]"
    return f"{head} {rest}" if rest else head
