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
from arbook.core.i18n import N_, _, language
from arbook.core.rules import closest, read_money
from arbook.core.rules_file import Loc, RulesFile, decode, read_bytes, rules_file, shown
from arbook.credit.application.scorecard import ITEMS, Scorecard

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
#: The form's question of each answer that is not a scorecard item (the items' questions are
#: the scorecard's labels): translated where shown, :func:`question_label`.
QUESTIONS = {
    "legal_name": N_("Legal name"),
    "current_assets": N_("Current assets"),
    "current_liabilities": N_("Current liabilities"),
    "total_assets": N_("Total assets"),
    "retained_earnings": N_("Retained earnings"),
    "ebit": N_("EBIT"),
    "book_equity": N_("Book equity"),
    "total_liabilities": N_("Total liabilities"),
    "requested_limit": N_("Requested limit"),
    "requested_terms_days": N_("Requested terms (days)"),
}


def question_label(name: str, scorecard: Scorecard) -> str:
    """Answer ``name``'s question as people read it, in the language spoken: the scorecard's
    label for an item (bank_rating ...), else the form's."""
    if name in ITEMS:
        return scorecard.item_label(name)
    return _(QUESTIONS[name]) if name in QUESTIONS else name.replace("_", " ")


def answer_name(name: str, scorecard: Scorecard) -> str:
    """Answer ``name`` as a sentence or a list names it (what to ask for, what is missing): in
    English its key as the application file writes it (``ebit``, what to add to the file, as
    arbook has always said it), in the other languages its question (:func:`question_label`),
    since the keys are English words."""
    return name if language() == "en" else question_label(name, scorecard)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip()) or value == []


def _not(value, what: str, example: str) -> str:
    """``'ten' is not a number of years; write it as a number, like 10`` (``what`` and
    ``example`` already in the language spoken)."""
    return _("{value} is not {what}; write {example}").format(
        value=shown(value), what=what, example=example
    )


def _number(value, what: str, example: str) -> Decimal:
    if isinstance(value, bool) or not isinstance(value, (int, float, str, Decimal)):
        raise ValueError(_not(value, what, example))
    text = str(value).strip()
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(_not(value, what, example)) from None
    if not number.is_finite():
        raise ValueError(_not(value, what, example))
    return number


def parse_amount(value, *, least: int | None = None) -> int:
    """An amount in currency units as a person writes it (``12000``, ``"12,000.50"``) -> exact
    int cents; at most 2 decimals; at least ``least`` cents if given. Raises ValueError."""
    return read_money(value, least=least, example=_("in currency units, like 12000 or 12,000.50"))


def _years(value) -> Decimal:
    years = _number(value, _("a number of years"), _("it as a number, like 10"))
    if years < 0 or years > 1000:
        raise ValueError(
            _("{value} is not a number of years; write 0 or more, like 10").format(
                value=shown(value)
            )
        )
    return years


def _days(value, low: int = -3650) -> int:
    days = _number(value, _("a whole number of days"), _("it like 30"))
    if days != days.to_integral_value() or not low <= days <= 3650:
        raise ValueError(
            _(
                "{value} is not a whole number of days from {low} to {high}; write it like 30"
            ).format(value=shown(value), low=low, high=3650)
        )
    return int(days)


def _choice(value, options) -> str:
    text = str(value).strip().lower() if isinstance(value, str) else None
    if text not in options:
        raise ValueError(
            _("{value} is not one of the answers; write one of {options}").format(
                value=shown(value), options=", ".join(options)
            )
        )
    return text


#: How a trade reference is written in an application file (TOML, shown as is).
REFERENCE_EXAMPLE = '{name = "Acme", days_beyond_terms = 5}'


def _references(value, problems: list[tuple[Loc, str]]) -> tuple:
    if not isinstance(value, (list, tuple)):
        problems.append(
            (
                ("trade_references",),
                _("{value} is not a list; write one entry per reference, like {example}").format(
                    value=shown(value), example=REFERENCE_EXAMPLE
                ),
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
                    _(
                        "{value} is not a reference; write it as name and days_beyond_terms, "
                        "like {example}"
                    ).format(value=shown(ref), example=REFERENCE_EXAMPLE),
                )
            )
            continue
        for key in ("name", "days_beyond_terms"):
            if _blank(ref.get(key)):
                said = (
                    _("missing; write the referee")
                    if key == "name"
                    else _("missing; write the days paid late, 0 if on time")
                )
                problems.append(((*where, key), said))
        try:
            if not _blank(ref.get("days_beyond_terms")):
                refs.append((str(ref.get("name", "")), _days(ref["days_beyond_terms"])))
        except ValueError as exc:
            problems.append(((*where, "days_beyond_terms"), str(exc)))
    return tuple(refs)


def _parsers(scorecard: Scorecard) -> dict:
    def name(value):
        if not isinstance(value, str):
            raise ValueError(
                _("{value} is not a name; write the legal name as text").format(value=shown(value))
            )
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
                    _("unknown answer; did you mean {near}?").format(near=near)
                    if near
                    else _("unknown answer; the answers are {answers}").format(
                        answers=", ".join(ANSWERS)
                    ),
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
            _(
                "{path}: reading YAML needs PyYAML, which is not installed; write the answers "
                "as TOML or JSON instead"
            ).format(path=path)
        )
    if kind not in KINDS:
        raise ParameterError(
            _("{path}: write the answers as a .toml, .json or .yaml file").format(path=path)
        )
    fix = _("Give the applicant's answers as a TOML or JSON file.")
    text = decode(read_bytes(path, "application", fix, ParameterError), str(path), ParameterError)
    if kind == ".toml":
        return rules_file(text, str(path), ParameterError)
    data = _other(text, kind, path)
    if not isinstance(data, dict):
        raise ParameterError(
            _("{path}: expected a table of answers (key = value lines)").format(path=path)
        )
    return RulesFile(data, str(path))


def _other(text: str, kind: str, path: Path) -> object:
    """JSON (floats as Decimal) or YAML text read; ParameterError naming the line when not."""
    if kind == ".json":
        try:
            return json.loads(text, parse_float=Decimal)
        except json.JSONDecodeError as exc:
            raise ParameterError(
                _(
                    "{path}:{line}: not valid JSON at line {line}, column {column} ({why}); "
                    "check the quotes, commas and braces"
                ).format(path=path, line=exc.lineno, column=exc.colno, why=exc.msg)
            ) from None
    import yaml

    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise ParameterError(
            _("{path}{line}: not valid YAML ({why}); check the indentation and the colons").format(
                path=path, line=line, why=str(exc).splitlines()[0]
            )
        ) from None


def read_application(application: dict | str | Path) -> tuple[dict, str]:
    """Return the raw answers of ``application`` (a dict, or a TOML / JSON / YAML file) and where
    they came from (the file name, "" for a dict). Raises ParameterError naming the file."""
    file = application_file(application)
    return file.data, file.source
