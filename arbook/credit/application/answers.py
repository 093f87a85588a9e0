"""An applicant's answers to the credit application: read from a dict or a TOML / JSON / YAML
file and parsed exactly (amounts to int cents through Decimal, never a float). Every invalid
answer is reported at once, one per line, naming the file, the line (in TOML), the answer and
what to write instead; an unknown answer with the closest known one."""

from __future__ import annotations

import json
from decimal import Decimal, InvalidOperation
from importlib.util import find_spec
from pathlib import Path

from arbook.core.errors import ParameterError
from arbook.core.rules import closest, read_money
from arbook.core.rules_file import Loc, RulesFile, decode, read_bytes, rules_file, shown
from arbook.credit.application.scorecard import Scorecard

FIGURES = (
    "current_assets",
    "current_liabilities",
    "total_assets",
    "retained_earnings",
    "ebit",
    "book_equity",
    "total_liabilities",
)
ANSWERS = (
    "legal_name",
    "years_in_business",
    "trade_references",
    "bank_rating",
    *FIGURES,
    "guarantee",
    "requested_limit",
    "requested_terms_days",
)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _number(value, what: str, example: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(f"{shown(value)} is not {what}; write {example}")
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{shown(value)} is not {what}; write {example}") from None
    if not number.is_finite():
        raise ValueError(f"{shown(value)} is not {what}; write {example}")
    return number


def parse_amount(value, *, least: int | None = None) -> int:
    """An amount in currency units as a person writes it (``12000``, ``"12,000.50"``) -> exact
    int cents; at most 2 decimals; at least ``least`` cents if given. Raises ValueError."""
    return read_money(value, least=least, example="in currency units, like 12000 or 12,000.50")


def _years(value) -> Decimal:
    years = _number(value, "a number of years", "it as a number, like 10")
    if years < 0 or years > 1000:
        raise ValueError(f"{shown(value)} is not a number of years; write 0 or more, like 10")
    return years


def _days(value, low: int = -3650) -> int:
    days = _number(value, "a whole number of days", "it like 30")
    if days != days.to_integral_value() or not low <= days <= 3650:
        raise ValueError(
            f"{shown(value)} is not a whole number of days from {low} to 3650; write it like 30"
        )
    return int(days)


def _choice(value, options) -> str:
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text not in options:
        raise ValueError(
            f"{shown(value)} is not one of the answers; write one of {', '.join(options)}"
        )
    return text


def _references(value, problems: list[tuple[Loc, str]]) -> tuple:
    if not isinstance(value, (list, tuple)):
        problems.append(
            (
                ("trade_references",),
                f"{shown(value)} is not a list; write one entry per reference, like "
                '{name = "Acme", days_beyond_terms = 5}',
            )
        )
        return ()
    refs = []
    for k, ref in enumerate(value):
        where: Loc = ("trade_references", k)
        if not isinstance(ref, dict) or set(ref) - {"name", "days_beyond_terms"}:
            problems.append(
                (
                    where,
                    f"{shown(ref)} is not a reference; write it as name and "
                    'days_beyond_terms, like {name = "Acme", days_beyond_terms = 5}',
                )
            )
            continue
        for key in ("name", "days_beyond_terms"):
            if _blank(ref.get(key)):
                said = "referee" if key == "name" else "days paid late, 0 if on time"
                problems.append(((*where, key), f"missing; write the {said}"))
        try:
            if not _blank(ref.get("days_beyond_terms")):
                refs.append((str(ref.get("name", "")), _days(ref["days_beyond_terms"])))
        except ValueError as exc:
            problems.append(((*where, "days_beyond_terms"), str(exc)))
    return tuple(refs)


def _parsers(scorecard: Scorecard) -> dict:
    def name(value):
        if not isinstance(value, str):
            raise ValueError(f"{shown(value)} is not a name; write the legal name as text")
        return value.strip()

    parsers = {f: (lambda v: parse_amount(v)) for f in ("retained_earnings", "ebit", "book_equity")}
    parsers.update(
        {f: (lambda v: parse_amount(v, least=0)) for f in ("current_assets", "current_liabilities")}
    )
    parsers.update(
        {
            f: (lambda v: parse_amount(v, least=1))
            for f in ("total_assets", "total_liabilities", "requested_limit")
        }
    )
    parsers.update(
        legal_name=name,
        years_in_business=_years,
        requested_terms_days=lambda v: _days(v, low=0),
        bank_rating=lambda v: _choice(v, scorecard.bank_rating.points),
        guarantee=lambda v: _choice(v, scorecard.guarantee.points),
    )
    return parsers


def parse_answers(raw: dict, scorecard: Scorecard, *, source: str | RulesFile = "") -> dict:
    """Return the applicant's answers parsed (amounts in int cents, ``trade_references`` a tuple
    of (name, days beyond terms)); blank answers are left out. Raises one ParameterError listing
    every invalid answer on its own line, as ``[file[:line]: ]answer: what is wrong; what to
    write`` (``source``: the file's name, or the file read by :func:`application_file`)."""
    problems: list[tuple[Loc, str]] = []
    answers = {}
    parsers = _parsers(scorecard)
    for key, value in raw.items():
        if key not in ANSWERS:
            near = closest(str(key), list(ANSWERS))
            problems.append(
                (
                    (key,),
                    f"unknown answer; did you mean {near}?"
                    if near
                    else f"unknown answer; the answers are {', '.join(ANSWERS)}",
                )
            )
        elif key == "trade_references" and not _blank(value):
            answers[key] = _references(value, problems)
        elif not _blank(value):
            try:
                answers[key] = parsers[key](value)
            except ValueError as exc:
                problems.append(((key,), str(exc)))
    if problems:
        file = source if isinstance(source, RulesFile) else RulesFile(raw, source)
        raise ParameterError("\n".join(f"{file.at(loc)}: {msg}" for loc, msg in problems))
    return {k: v for k, v in answers.items() if v != ()}


KINDS = (".toml", ".json", ".yaml", ".yml")


def application_file(application: dict | str | Path) -> RulesFile:
    """The raw answers of ``application`` (a dict, or a TOML / JSON / YAML file in UTF-8 or
    UTF-16 with a byte-order mark), with where they came from and, for TOML, the line of each
    answer. Raises ParameterError naming the file (and the line of a syntax error)."""
    if isinstance(application, dict):
        return RulesFile(dict(application), "")
    path = Path(application)
    kind = path.suffix.lower()
    if kind in (".yaml", ".yml") and find_spec("yaml") is None:
        raise ParameterError(
            f"{path}: reading YAML needs PyYAML, which is not installed; "
            "write the answers as TOML or JSON instead"
        )
    if kind not in KINDS:
        raise ParameterError(f"{path}: write the answers as a .toml, .json or .yaml file")
    fix = "Give the applicant's answers as a TOML or JSON file."
    text = decode(read_bytes(path, "application", fix, ParameterError), str(path), ParameterError)
    if kind == ".toml":
        return rules_file(text, str(path), ParameterError)
    data = _other(text, kind, path)
    if not isinstance(data, dict):
        raise ParameterError(f"{path}: expected a table of answers (key = value lines)")
    return RulesFile(data, str(path))


def _other(text: str, kind: str, path: Path) -> object:
    """JSON (floats as Decimal) or YAML text read; ParameterError naming the line when not."""
    if kind == ".json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ParameterError(
                f"{path}:{exc.lineno}: not valid JSON at line {exc.lineno}, column {exc.colno} "
                f"({exc.msg}); check the quotes, commas and braces"
            ) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ParameterError(
            f"{path}{line}: not valid YAML ({str(exc).splitlines()[0]}); check the indentation "
            "and the colons"
        ) from None


def read_application(application: dict | str | Path) -> tuple[dict, str]:
    """Return the raw answers of ``application`` (a dict, or a TOML / JSON / YAML file) and where
    they came from (the file name, "" for a dict). Raises ParameterError naming the file."""
    file = application_file(application)
    return file.data, file.source
