"""Policies: the rules a client can change, read from TOML into frozen models.

The shipped ``arbook/defaults/policy.toml`` is the only copy of every default: the models here
declare what each key must be, not what it is, so a policy file overrides any subset of the
shipped keys and nothing else can disagree with it. Unknown keys and bad values are all
reported at once as ``file: key.path: message``.

Also here, as every room checks them the same way: bucket edges, the aging basis, fractions
(rates and shares) and the languages arbook writes.
"""

from __future__ import annotations

import itertools
import tomllib
from collections.abc import Iterable
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Literal, TypeAlias, TypeVar

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import ErrorDetails

from arbook.core.errors import ParameterError, PolicyError
from arbook.core.money import parse_money

BASES = ("due", "invoice")
#: The languages of documents, scripts and prepared answers (en, es, ru).
LANGUAGES = ("en", "es", "ru")
#: Keys that once lived in the policy and where they are now.
MOVED_KEYS = {
    ("credit", "hold_days_overdue"): "moved to the ladder: the overdue hold is the step with "
    "credit_hold = true (arbook/defaults/ladder.toml); remove it here",
}

Model = TypeVar("Model", bound=BaseModel)


class Frozen(BaseModel):
    """A model read from a rules file: immutable, and every key not declared is an error."""

    model_config = ConfigDict(frozen=True, extra="forbid")


def check_edges(edges: Iterable[object]) -> tuple[int, ...]:
    """Return bucket edges as a tuple of strictly increasing positive ints, or raise."""
    edges = list(edges)
    try:
        values = tuple(int(e) for e in edges)  # type: ignore[call-overload]
    except (TypeError, ValueError):
        raise ParameterError(
            f"bucket edges {edges!r} must be whole numbers of days, e.g. 30,60,90"
        ) from None
    if (
        not values
        or any(e <= 0 for e in values)
        or any(b <= a for a, b in itertools.pairwise(values))
    ):
        raise ParameterError(
            f"bucket edges {list(values)} must be positive and strictly increasing, "
            "e.g. 30,60,90,120"
        )
    if any(str(e) != str(raw).strip() for e, raw in zip(values, edges) if isinstance(raw, str)):
        raise ParameterError(f"bucket edges {edges} must be whole numbers of days")
    return values


def check_basis(basis: object) -> str:
    """``basis`` if it is an aging basis (``due`` or ``invoice``), else raise."""
    if basis not in BASES:
        raise ParameterError(f"aging basis {str(basis)[:40]!r}; use 'due' or 'invoice'")
    return str(basis)


def check_fraction(value: object, what: str = "annual rate") -> float:
    """Return ``value`` as a float if it is a fraction from 0 to 1 (a rate, a share), else
    raise ParameterError naming ``what`` and the fix."""
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ParameterError(
            f"{what} {value!r} is not a number; give a fraction, 10% is 0.10"
        ) from None
    if not 0 <= number <= 1:
        raise ParameterError(f"{what} {value} must be a fraction from 0 to 1; 10% is 0.10, not 10")
    return number


def check_language(lang: object) -> str:
    """``lang`` if arbook writes in it, else raise ParameterError listing the languages."""
    if lang not in LANGUAGES:
        raise ParameterError(f"language {str(lang)[:20]!r}; use one of {', '.join(LANGUAGES)}")
    return str(lang)


def money_field(value: object) -> int:
    """A money amount written in a rules file (``10``, ``10.5``, ``"40.00"``) as int cents, 0 or
    more (for a ``mode="before"`` validator)."""
    try:
        return parse_money(value, least=0, example="like 10.00")
    except ValueError as exc:
        raise ValueError(str(exc)) from None


class AgingPolicy(Frozen):
    basis: Literal["due", "invoice"]
    edges: tuple[int, ...]

    @field_validator("edges")
    @classmethod
    def _edges(cls, value: tuple[int, ...]) -> tuple[int, ...]:
        try:
            return check_edges(value)
        except ParameterError as exc:
            raise ValueError(str(exc)) from None


class BehaviourPolicy(Frozen):
    """Payment experiences (SPEC §3): the months of paid invoices counted."""

    window_months: int = Field(ge=1, le=120)


class AllowancePolicy(Frozen):
    loss_rates: dict[str, float]
    writeoff_rate: float = Field(ge=0, le=1)
    roll_months: int = Field(ge=1, le=120)

    @field_validator("loss_rates")
    @classmethod
    def _rates(cls, value: dict[str, float]) -> dict[str, float]:
        bad = {k: v for k, v in value.items() if not 0 <= v <= 1}
        if bad:
            raise ValueError(f"loss rates must be between 0 and 1, got {bad}")
        return value


class ScorePolicy(Frozen):
    """The payment-history score (SPEC §5): signed days to due -> 0-100, linear between the
    anchors; earlier than the first anchor scores its score, later than the last its score."""

    anchor_days: tuple[float, ...] = Field(min_length=2)
    anchor_scores: tuple[float, ...] = Field(min_length=2)

    @model_validator(mode="after")
    def _anchors(self) -> ScorePolicy:
        days, scores = self.anchor_days, self.anchor_scores
        if len(days) != len(scores):
            raise ValueError(
                f"anchor_days has {len(days)} values and anchor_scores {len(scores)}; "
                "give one score per anchor day"
            )
        if any(b <= a for a, b in itertools.pairwise(days)):
            raise ValueError(f"anchor_days {list(days)} must be strictly increasing")
        if any(not 0 <= s <= 100 for s in scores) or any(
            b > a for a, b in itertools.pairwise(scores)
        ):
            raise ValueError(
                f"anchor_scores {list(scores)} must be from 0 to 100 and never rise: paying "
                "later never scores better"
            )
        return self


class CreditPolicy(Frozen):
    """Credit holds and the periodic limit review (SPEC §5). The hold for days overdue is the
    ladder's ``credit_hold`` step (:mod:`arbook.core.procedure`), so the letter that announces
    a hold and the hold list agree."""

    hold_over_limit: bool
    score_floor: float = Field(ge=0, le=100)
    broken_promises: int = Field(ge=1, le=100)
    promise_window_days: int = Field(ge=1, le=3650)
    raise_score: float = Field(ge=0, le=100)
    raise_utilisation: float = Field(ge=0, le=10)
    raise_step: float = Field(ge=0, le=10)
    cut_score: float = Field(ge=0, le=100)
    cut_step: float = Field(ge=0, le=1)
    limit_unit_cents: int = Field(ge=1, alias="limit_unit")
    peak_months: int = Field(ge=1, le=120)

    _money = field_validator("limit_unit_cents", mode="before")(money_field)


class CollectionsPolicy(Frozen):
    """The worklist ranking (SPEC §7) and the monthly review's stuck customers."""

    age_month_days: float = Field(gt=0, le=365)
    age_weight_cap: float = Field(ge=1, le=100)
    unscored_risk: float = Field(ge=0, le=1)
    stuck_from_days: int = Field(ge=-365, le=3650)


class DocumentsPolicy(Frozen):
    """Statements and ladder letters: how far back payments are listed, and how long a letter
    gives the customer to pay, per letter template."""

    statement_payment_days: int = Field(ge=1, le=3650)
    pay_within_days: dict[Literal["reminder", "notice", "final_notice", "legal"], int]

    @field_validator("pay_within_days")
    @classmethod
    def _days(cls, value: dict[str, int]) -> dict[str, int]:
        bad = {k: v for k, v in value.items() if not 0 <= v <= 365}
        if bad:
            raise ValueError(f"days to pay must be from 0 to 365, got {bad}")
        return value


class LateChargePolicy(Frozen):
    """Penalties agreed up front (SPEC §5): interest on overdue items and a fixed fee."""

    preset: Literal["contract", "eu"]
    annual_rate: float = Field(ge=0, le=1)
    fee_cents: int = Field(ge=0, alias="fee")
    eu_reference_rate: float = Field(ge=-0.05, le=1)
    eu_margin: float = Field(ge=0, le=1)
    eu_compensation_cents: int = Field(ge=0, alias="eu_compensation")

    _money = field_validator("fee_cents", "eu_compensation_cents", mode="before")(money_field)


class DiscountPolicy(Frozen):
    """Assumptions of the early-payment discount simulation (SPEC §6)."""

    terms: str
    uptake: float = Field(ge=0, le=1)
    bad_debt_rate: float = Field(ge=0, le=1)
    collection_cost_rate: float = Field(ge=0, le=1)
    eligible_days_late: int = Field(ge=-365, le=365)


class Policy(Frozen):
    currency: str | None = Field(default=None, pattern=r"^[A-Z]{3}$")  # None: the invoices' own
    default_terms_days: int = Field(ge=0, le=3650)
    cost_of_capital: float = Field(ge=0, le=1)
    aging: AgingPolicy
    behaviour: BehaviourPolicy
    allowance: AllowancePolicy
    scores: ScorePolicy
    credit: CreditPolicy
    collections: CollectionsPolicy
    documents: DocumentsPolicy
    late_charges: LateChargePolicy
    discounts: DiscountPolicy


def read_toml(name: str, path: str | Path | None = None) -> tuple[dict[str, Any], str]:
    """``(data, source)`` of the TOML file at ``path``, or of the shipped
    ``arbook/defaults/<name>.toml`` when ``path`` is None or blank. A missing or unreadable file
    raises PolicyError saying what to do."""
    default = f"arbook/defaults/{name}.toml"
    if path in (None, ""):
        text = resources.files("arbook.defaults").joinpath(f"{name}.toml").read_text("utf-8")
        return tomllib.loads(text), default
    file = Path(path)
    try:
        return tomllib.loads(file.read_text("utf-8")), str(file)
    except (FileNotFoundError, IsADirectoryError):
        raise PolicyError(f"{file}: no such {name} file. Copy {default} and edit it.") from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(
            f"{file}: not valid TOML ({exc}). Check the quoting and brackets."
        ) from None


def merge(
    base: dict[str, Any], override: dict[str, Any], *, whole: Iterable[str] = ()
) -> dict[str, Any]:
    """``base`` with the keys of ``override``, tables merged key by key except those named in
    ``whole``, which ``override`` replaces entirely (a table of loss rates per bucket)."""
    whole = set(whole)
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key not in whole:
            merged[key] = merge(merged[key], value, whole=whole)
        else:
            merged[key] = value
    return merged


def explain(error: ErrorDetails, name: str) -> str:
    """Pydantic's message for one bad key, said for a person editing ``<name>.toml``."""
    loc = tuple(str(p) for p in error["loc"])
    if error["type"] == "extra_forbidden":
        if loc in MOVED_KEYS:
            return MOVED_KEYS[loc]
        return f"unknown key; check its spelling against arbook/defaults/{name}.toml"
    if error["type"] == "missing":
        return f"missing; arbook/defaults/{name}.toml has it"
    if error["type"] == "string_pattern_mismatch" and loc[-1:] == ("currency",):
        return f"{error['input']!r} is not a three-letter ISO code in capitals, like USD"
    return str(error["msg"]).removeprefix("Value error, ")


def error_lines(exc: ValidationError, source: str, name: str) -> list[str]:
    """Every error of ``exc`` as ``source: key.path: message``, knock-on errors of a deeper one
    left out ("at least 1 item after validation" after the item itself failed)."""
    errors = exc.errors()
    locs = [err["loc"] for err in errors]
    lines = []
    for err in errors:
        loc = err["loc"]
        if any(len(o) > len(loc) and o[: len(loc)] == loc for o in locs):
            continue
        where = ".".join(str(p) for p in loc) or "(top)"
        lines.append(f"{source}: {where}: {explain(err, name)}")
    return list(dict.fromkeys(lines))


def validate_rules(model: type[Model], data: dict[str, Any], source: str, name: str) -> Model:
    """``data`` as ``model``; a PolicyError listing every bad key otherwise."""
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        raise PolicyError("\n".join(error_lines(exc, source, name))) from None


def load_policy(path: str | Path | dict[str, Any] | None = None) -> Policy:
    """Return the policy: the shipped defaults, overridden by the keys of ``path`` if given (a
    policy TOML file, or a dict shaped like one: ``{"late_charges": {"annual_rate": 0.1}}``).

    Raises :class:`PolicyError` listing every bad key as ``file: key.path: message``.
    """
    if path is None or path == "":
        return default_policy()
    data, _ = read_toml("policy")
    if isinstance(path, dict):
        override, source = path, "policy"
    else:
        override, source = read_toml("policy", path)
    return validate_rules(Policy, merge(data, override, whole=["loss_rates"]), source, "policy")


@lru_cache(maxsize=1)
def default_policy() -> Policy:
    """The shipped policy (read once; a Policy is immutable)."""
    data, source = read_toml("policy")
    return validate_rules(Policy, data, source, "policy")


#: What a function's ``policy`` parameter accepts (see :func:`resolve_policy`).
PolicyLike: TypeAlias = Policy | str | Path | dict[str, Any] | None


def resolve_policy(policy: PolicyLike) -> Policy:
    """Accept a Policy, a path to a policy TOML, a dict of overrides, or None or "" (the
    defaults)."""
    if isinstance(policy, Policy):
        return policy
    return load_policy(policy)
