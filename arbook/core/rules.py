"""Rules files read into frozen models: the value rules every file shares, and what the models
find wrong said for a person editing the file.

One definition per rule, used by every file (policy, scorecard, ladder, playbook): a whole
number in a range, a finite number (never NaN or inf), a share from 0 to 1, an amount of money
as exact int cents in a checked range, true or false, a key name, a text that is not blank. None
accepts true/false as a number nor a quoted number as a number: a TOML file has its types.

:func:`validate_rules` reports every bad key at once, one per line, as
``file:line: [table] key: what is wrong; what to do``: an unknown key with the closest known one,
a missing key, a wrong type, a value out of range. Checks across keys raise :func:`problems`
naming the keys they are about.
"""

from __future__ import annotations

import difflib
import math
import numbers
import re
import typing
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Annotated, TypeVar

from pydantic import BaseModel, ConfigDict, PlainValidator, Strict, ValidationError
from pydantic_core import ErrorDetails, PydanticCustomError

from arbook.core.errors import PolicyError
from arbook.core.i18n import N_, _, ngettext
from arbook.core.money import parse_money
from arbook.core.rules_file import Loc, RulesFile, shown

Model = TypeVar("Model", bound=BaseModel)
#: Problems found across keys: (the key's path below the model checked, the message).
Problems = list[tuple[Loc, str]]
#: A fraction's rule, said once: 10% is 0.10.
FRACTION_HINT = N_("give a fraction from 0 to 1: 10% is 0.10, not 10")
_KEY_NAME = re.compile(r"[a-z][a-z0-9_]{0,39}$")


class Frozen(BaseModel):
    """A model read from a rules file: immutable, and every key not declared is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


# -- the value rules -------------------------------------------------------------------------


def number_of(value: object, hint: str) -> Decimal:
    """``value`` as an exact Decimal when it is a finite number written as one; else a
    ValueError saying what it is and ``hint`` (what to write)."""
    said = shown(value)
    if isinstance(value, bool):
        said_as = _("{value} is true/false, not a number; {hint}")
        raise ValueError(said_as.format(value=said, hint=hint))
    if isinstance(value, str):
        said_as = _("{value} is text, not a number; {hint}, without quotes")
        raise ValueError(said_as.format(value=said, hint=hint))
    if isinstance(value, numbers.Integral):
        return Decimal(int(value))
    if not isinstance(value, numbers.Real | Decimal):
        raise ValueError(_("{value} is not a number; {hint}").format(value=said, hint=hint))
    number = Decimal(str(value)) if isinstance(value, float) else Decimal(value)  # type: ignore[arg-type]
    if not number.is_finite():
        raise ValueError(_("{value} is not a finite number; {hint}").format(value=said, hint=hint))
    return number


def _span(low: float, high: float, above: bool) -> str:
    """``from 1 to 120`` (``above``: ``above 0 and at most 600``), the numbers as a file
    writes them."""
    said = _("above {low} and at most {high}") if above else _("from {low} to {high}")
    return said.format(low=f"{low:g}", high=f"{high:g}")


def _out_of_range(value: object, hint: str) -> ValueError:
    return ValueError(_("{value} is out of range; {hint}").format(value=shown(value), hint=hint))


def whole(low: int, high: int) -> PlainValidator:
    """A whole number from ``low`` to ``high`` (for ``Annotated[int, whole(...)]``)."""

    def check(value: object) -> int:
        hint = _("write a whole number {span}").format(span=_span(low, high, False))
        number = number_of(value, hint)
        if number != number.to_integral_value():
            said = _("{value} is not a whole number; {hint}")
            raise ValueError(said.format(value=shown(value), hint=hint))
        if not low <= number <= high:
            raise _out_of_range(value, hint)
        return int(number)

    return PlainValidator(check)


def number(low: float, high: float, *, above: bool = False) -> PlainValidator:
    """A finite number from ``low`` (``above``: more than ``low``) to ``high``, as a float (for
    ``Annotated[float, number(...)]``); never money (see :func:`money`)."""

    def check(value: object) -> float:
        hint = _("write a number {span}").format(span=_span(low, high, above))
        found = number_of(value, hint)
        if found < Decimal(str(low)) or (above and found == Decimal(str(low))):
            raise _out_of_range(value, hint)
        if found > Decimal(str(high)):
            raise _out_of_range(value, hint)
        return float(found)

    return PlainValidator(check)


def fraction(value: float | Decimal, said: str) -> float:
    """``value`` as a float when it is a fraction from 0 to 1, else a ValueError beginning with
    ``said`` (the one rule of rates and shares, in files and in parameters alike)."""
    if not 0 <= value <= 1:  # NaN fails too
        said_as = _("{value} must be a fraction from 0 to 1; 10% is 0.10, not 10")
        raise ValueError(said_as.format(value=said))
    return float(value)


def share() -> PlainValidator:
    """A share or rate from 0 to 1 (for ``Annotated[float, share()]``)."""
    return PlainValidator(lambda value: fraction(number_of(value, _(FRACTION_HINT)), shown(value)))


def read_money(value: object, *, least: int | None = 0, example: str | None = None) -> int:
    """An amount of money as a file writes it (``10``, ``10.50``, ``"1,000.00"``) -> exact int
    cents, at least ``least`` cents, within the amounts arbook reads anywhere; a ValueError
    saying what to write (``example``; by default "like 10.00") otherwise. TOML floats arrive
    as Decimal, so no float carries the amount; NaN, inf and true/false are no amounts."""
    example = _("like 10.00") if example is None else example
    if isinstance(value, bool) or not _finite(value):
        said = _("{value} is not an amount of money; write it {example}")
        raise ValueError(said.format(value=shown(value), example=example))
    if isinstance(value, Decimal):  # 1E+2 -> "100"; a huge one as "1E+300", refused
        value = format(value, "f") if abs(value) < 10**15 else str(value)
    return parse_money(value, least=least, example=example)


def money(least: int = 0) -> PlainValidator:
    """An amount of money, :func:`read_money` (for ``Annotated[int, money()]``)."""
    return PlainValidator(lambda value: read_money(value, least=least))


def _finite(value: object) -> bool:
    """False for NaN and infinities, float or Decimal; True for anything else."""
    if isinstance(value, float):
        return math.isfinite(value)
    return not isinstance(value, Decimal) or value.is_finite()


def _not_flag(said: str) -> str:
    return _("{value} is not true or false; write true or false, no quotes").format(value=said)


def _not_text(said: str) -> str:
    return _("{value} is not text; write it in double quotes").format(value=said)


def _flag_check(value: object) -> bool:
    if not isinstance(value, bool):
        raise ValueError(_not_flag(shown(value)))
    return value


def _text_check(value: object) -> str:
    if not isinstance(value, str):
        raise ValueError(_not_text(shown(value)))
    if not value.strip():
        raise ValueError(_("is blank; write the text"))
    return value


def _key_check(value: object) -> str:
    if not isinstance(value, str) or not _KEY_NAME.match(value):
        raise ValueError(
            _(
                "{value} is not a key name; write up to 40 lower-case letters, digits and _, "
                "starting with a letter, like {example}"
            ).format(value=shown(value), example='"first_call"')
        )
    return value


#: true or false, never "yes" nor 1.
Flag = Annotated[bool, PlainValidator(_flag_check)]
#: Text that is not blank.
Text = Annotated[str, PlainValidator(_text_check)]
#: A key name (``first_call``): lower-case letters, digits and ``_``.
KeyName = Annotated[str, PlainValidator(_key_check)]
#: Strict text (may be blank).
AnyText = Annotated[str, Strict()]


def problems(found: Problems) -> None:
    """Raise the problems found across keys (inside a validator), each at its key."""
    if found:
        raise PydanticCustomError(
            "rules",
            "{summary}",
            {"summary": "; ".join(msg for _loc, msg in found), "problems": tuple(found)},
        )


# -- what a model found wrong, said for a person -------------------------------------------------


def _models_in(annotation: object) -> type[BaseModel] | None:
    """The model an annotation holds (``Step`` in ``tuple[Step, ...]``), if any."""
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _models_in(arg)
        if found is not None:
            return found
    return None


def _fields(model: type[BaseModel]) -> dict[str, object]:
    return {f.alias or name: f.annotation for name, f in model.model_fields.items()}


def known_keys(model: type[BaseModel], path: Loc) -> list[str]:
    """The keys a file may write at ``path`` (the table a key sits in)."""
    current = _models_in_path(model, path)
    return list(_fields(current)) if current is not None else []


def _lists_tables(model: type[BaseModel], loc: Loc) -> bool:
    """Whether the key at ``loc`` is a list of tables (``[[steps]]``)."""
    if not loc or not isinstance(loc[-1], str):
        return False
    parent = _models_in_path(model, loc[:-1])
    annotation = _fields(parent).get(loc[-1]) if parent is not None else None
    return typing.get_origin(annotation) is tuple and _models_in(annotation) is not None


def _models_in_path(model: type[BaseModel], path: Loc) -> type[BaseModel] | None:
    current: type[BaseModel] | None = model
    for part in path:
        if current is not None and isinstance(part, str):
            current = _models_in(_fields(current).get(part))
    return current


def closest(word: str, known: list[str]) -> str | None:
    """The known word nearest ``word`` (a typo's fix), if one is near enough."""
    lower = {k.lower(): k for k in known}
    if word.lower() in lower:
        return lower[word.lower()]
    longer = [k for k in lower if len(word) >= 3 and k.startswith(word.lower())]
    if len(longer) == 1:  # "terms" for terms_days
        return lower[longer[0]]
    found = difflib.get_close_matches(word.lower(), list(lower), n=1, cutoff=0.75)
    return lower[found[0]] if found else None


def closest_ids(said: str, known: Iterable[str], n: int = 3) -> list[str]:
    """The ids of ``known`` a mistyped ``said`` most likely meant: those equal but for case,
    else up to ``n`` close ones (best first); [] when none is near."""
    known = [str(k) for k in known]
    same = [k for k in known if k.lower() == said.lower()]
    return same or difflib.get_close_matches(said, known, n=n, cutoff=0.6)


#: An id the data does not have, by what it is the id of (the ``what`` of :func:`unknown_id`).
_UNKNOWN_IDS = {
    "customer": N_("customer {id} is not in the data; {hint}"),
    "invoice": N_("invoice {id} is not in the data; {hint}"),
    "document": N_("document {id} is not in the data; {hint}"),
    "payment": N_("payment {id} is not in the data; {hint}"),
}


def unknown_id(what: str, said: object, known: Iterable[str], fix: str) -> str:
    """The message for an id the data does not have: ``what`` (customer, invoice, document,
    payment) and the id as said, then the closest ids (:func:`closest_ids`) or, when none is
    near, ``fix`` (said in the language spoken)."""
    said = str(said)
    near = closest_ids(said, known)
    hint = _("did you mean {ids}?").format(ids=", ".join(near)) if near else fix
    if what in _UNKNOWN_IDS:
        return _(_UNKNOWN_IDS[what]).format(id=repr(said[:64]), hint=hint)
    said_as = _("{what} {id} is not in the data; {hint}")
    return said_as.format(what=what, id=repr(said[:64]), hint=hint)


def unknown_customer(said: object, known: Iterable[str]) -> str:
    """:func:`unknown_id` for a customer id."""
    fix = _("check the id against the customers file (its {column} column)")
    return unknown_id("customer", said, known, fix.format(column="customer_id"))


def unknown_key(key: str, known: list[str], default: str) -> str:
    """The message for an unknown key: the closest known one, or the keys there are."""
    near = closest(key, known)
    if near is not None:
        return _("unknown key; did you mean {key}?").format(key=near)
    if known and len(known) <= 12:
        return _("unknown key; the keys here are {keys}").format(keys=", ".join(known))
    return _("unknown key; check its spelling against {file}").format(file=default)


def _choices(expected: str) -> list[str]:
    return re.findall(r"'([^']*)'", expected)


def explain(
    error: ErrorDetails,
    model: type[BaseModel],
    default: str,
    moved: Mapping[Loc, str] | None = None,
) -> str:
    """The message for one error of ``model`` read from a file like ``default``, in the
    language spoken: arbook's own sentence for each kind of error pydantic reports (its
    ``type``, with the numbers of its ``ctx``), never pydantic's English."""
    loc, kind, value = tuple(error["loc"]), error["type"], error.get("input")
    ctx = error.get("ctx", {})
    said = shown(value)
    if kind == "extra_forbidden":
        if moved and loc in moved:
            return _(moved[loc])
        return unknown_key(str(loc[-1]), known_keys(model, loc[:-1]), default)
    if kind == "literal_error" and loc[-1:] == ("[key]",):
        return unknown_key(str(loc[-2]), _choices(str(ctx.get("expected", ""))), default)
    if kind == "missing" and _lists_tables(model, loc):
        said_as = _("missing; write at least one [[{key}]] table, as {file} does")
        return said_as.format(key=loc[-1], file=default)
    if kind == "tuple_type" and isinstance(value, dict) and _lists_tables(model, loc):
        said_as = _("is one table; write each as [[{key}]], in double brackets, as {file} does")
        return said_as.format(key=loc[-1], file=default)
    if kind == "string_pattern_mismatch" and loc[-1:] == ("currency",):
        return _("{value} is not a three-letter ISO code in capitals, like USD").format(value=said)
    if kind in ("value_error", "assertion_error"):  # arbook's own checks, said when raised
        return str(error["msg"]).removeprefix("Value error, ").removeprefix("Assertion failed, ")
    return _said(kind, said, ctx, default)


#: What each kind of pydantic error (its ``type``) means in a rules file, in arbook's words;
#: ``{value}`` is the value as the file writes it, ``{limit}`` the bound of the error's ctx.
_SAID = {
    "missing": N_("missing; add it ({file} shows every key)"),
    "string_type": N_("{value} is not text; write it in double quotes"),
    "bool_type": N_("{value} is not true or false; write true or false, no quotes"),
    "bool_parsing": N_("{value} is not true or false; write true or false, no quotes"),
    "tuple_type": N_("{value} is not a list; write it in brackets, like [1, 2]"),
    "list_type": N_("{value} is not a list; write it in brackets, like [1, 2]"),
    "dict_type": N_("{value} is not a table; write key = value lines under a [heading]"),
    "model_type": N_("{value} is not a table; write key = value lines under a [heading]"),
    "model_attributes_type": N_("{value} is not a table; write key = value lines"),
    "string_too_short": N_("is blank; write the text"),
    "string_pattern_mismatch": N_("{value} is not written the way this key is; see {file}"),
    "int_type": N_("{value} is not a whole number; write one, without quotes"),
    "int_parsing": N_("{value} is not a whole number; write one, without quotes"),
    "int_from_float": N_("{value} is not a whole number; write one, without quotes"),
    "float_type": N_("{value} is not a number; write one, without quotes"),
    "float_parsing": N_("{value} is not a number; write one, without quotes"),
    "decimal_type": N_("{value} is not a number; write one, without quotes"),
    "decimal_parsing": N_("{value} is not a number; write one, without quotes"),
    "finite_number": N_("{value} is not a finite number; write a number"),
    "greater_than": N_("{value} is out of range; write a number above {limit}"),
    "greater_than_equal": N_("{value} is out of range; write {limit} or more"),
    "less_than": N_("{value} is out of range; write a number below {limit}"),
    "less_than_equal": N_("{value} is out of range; write {limit} or less"),
    "multiple_of": N_("{value} is not a multiple of {limit}"),
    "date_type": N_("{value} is not a date; write it as YYYY-MM-DD"),
    "date_parsing": N_("{value} is not a date; write it as YYYY-MM-DD"),
    "date_from_datetime_parsing": N_("{value} is not a date; write it as YYYY-MM-DD"),
}
#: The ctx field holding the bound of each kind of error that has one.
_LIMITS = {
    "greater_than": "gt",
    "greater_than_equal": "ge",
    "less_than": "lt",
    "less_than_equal": "le",
    "multiple_of": "multiple_of",
}


def _said(kind: str, said: str, ctx: Mapping[str, object], default: str) -> str:
    """An error of pydantic's kind ``kind`` on the value ``said``, in arbook's words."""
    if kind in ("literal_error", "enum"):
        return _literal(said, _choices(str(ctx.get("expected", ""))))
    if kind in ("too_short", "too_long"):
        return _length(kind, ctx)
    if kind == "string_too_long":
        count = _whole(ctx.get("max_length"))
        said_as = ngettext(
            "is too long; keep it to {count} character",
            "is too long; keep it to {count} characters",
            count,
        )
        return said_as.format(count=count)
    if kind not in _SAID:
        said_as = _("{value} is not accepted here; write it as {file} does")
        return said_as.format(value=said, file=default)
    limit = ctx.get(_LIMITS.get(kind, ""), "")
    limit = shown(limit) if isinstance(limit, int | float | Decimal) else limit
    return _(_SAID[kind]).format(value=said, file=default, limit=limit)


def _whole(value: object) -> int:
    return int(value) if isinstance(value, int | float | Decimal) else 0


def _length(kind: str, ctx: Mapping[str, object]) -> str:
    """Too few items in a list or table (none: "is empty"), or too many."""
    if kind == "too_long":
        count = _whole(ctx.get("max_length"))
        said_as = ngettext(
            "has too many items; give at most {count}",
            "has too many items; give at most {count}",
            count,
        )
        return said_as.format(count=count)
    count = _whole(ctx.get("min_length", 1))
    if _whole(ctx.get("actual_length")) > 0:
        said_as = ngettext(
            "has too few items; give at least {count}",
            "has too few items; give at least {count}",
            count,
        )
    else:
        said_as = ngettext(
            "is empty; give at least {count}", "is empty; give at least {count}", count
        )
    return said_as.format(count=count)


def _literal(said: str, choices: list[str]) -> str:
    near = closest(said.strip('"'), choices)
    listed = ", ".join(f'"{c}"' for c in choices)
    if near:
        said_as = _('{value} is not one of {choices}; did you mean "{near}"?')
        return said_as.format(value=said, choices=listed, near=near)
    return _("{value} is not one of {choices}").format(value=said, choices=listed)


def error_problems(
    exc: ValidationError,
    model: type[BaseModel],
    default: str,
    moved: Mapping[Loc, str] | None = None,
) -> Problems:
    """Every error of ``exc`` as ``(key, message)``; problems across keys at their own keys;
    knock-on errors of a deeper one left out ("at least 1 item" after the item failed)."""
    errors = exc.errors()
    locs = [tuple(err["loc"]) for err in errors]
    found: Problems = []
    for err in errors:
        loc = tuple(err["loc"])
        if any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs):
            continue
        if loc[-1:] == ("[key]",):  # a key of a table of fixed keys: the key itself
            loc = loc[:-1]
        if err["type"] == "rules":
            found += [
                (loc + tuple(key), msg) for key, msg in err.get("ctx", {}).get("problems", ())
            ]
        else:
            found.append((loc, explain(err, model, default, moved)))
    return found


def error_lines(
    exc: ValidationError,
    file: RulesFile,
    model: type[BaseModel],
    default: str,
    moved: Mapping[Loc, str] | None = None,
) -> list[str]:
    """Every error of ``exc`` as ``file:line: key: message``, in the file's order."""
    return located_lines(file, error_problems(exc, model, default, moved))


def located_lines(file: RulesFile, found: Problems) -> list[str]:
    """``file:line: key: message`` for each problem, in the file's order (those with no line
    first), each once."""
    ordered = sorted(found, key=lambda problem: file.line(problem[0]) or 0)
    return list(dict.fromkeys(f"{file.at(loc)}: {msg}" for loc, msg in ordered))


def validate_rules(
    model: type[Model], file: RulesFile, name: str, moved: Mapping[Loc, str] | None = None
) -> Model:
    """``file``'s data as ``model``; a PolicyError listing every bad key otherwise (``name``:
    the shipped file's name, ``policy`` for ``arbook/defaults/policy.toml``)."""
    try:
        return model.model_validate(file.data)
    except ValidationError as exc:
        default = f"arbook/defaults/{name}.toml"
        raise PolicyError("\n".join(error_lines(exc, file, model, default, moved))) from None
