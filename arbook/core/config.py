"""Policies: the rules a client can change, read from TOML into frozen models.

The shipped defaults are ``arbook/defaults/policy.toml``. A policy file may set any subset of the
keys; unknown keys and bad values are all reported at once as ``file: key.path: message``.
"""

from __future__ import annotations

import tomllib
from decimal import Decimal, InvalidOperation
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from arbook.core.errors import ParameterError, PolicyError

DEFAULT_EDGES = (30, 60, 90, 120)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def check_edges(edges) -> tuple[int, ...]:
    """Return bucket edges as a tuple of strictly increasing positive ints, or raise."""
    try:
        values = tuple(int(e) for e in edges)
    except (TypeError, ValueError):
        raise ParameterError(f"bucket edges {edges!r} must be whole numbers of days, e.g. 30,60,90")
    if not values or any(e <= 0 for e in values) or any(b <= a for a, b in zip(values, values[1:])):
        raise ParameterError(
            f"bucket edges {list(values)} must be positive and strictly increasing, e.g. 30,60,90,120"
        )
    if any(str(e) != str(raw).strip() for e, raw in zip(values, edges) if isinstance(raw, str)):
        raise ParameterError(f"bucket edges {list(edges)} must be whole numbers of days")
    return values


def check_fraction(value, what: str = "annual rate") -> float:
    """Return ``value`` as a float if it is a fraction from 0 to 1 (a rate, a share), else
    raise ParameterError naming ``what`` and the fix."""
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise ParameterError(f"{what} {value!r} is not a number; give a fraction, 10% is 0.10")
    if not 0 <= number <= 1:
        raise ParameterError(f"{what} {value} must be a fraction from 0 to 1; 10% is 0.10, not 10")
    return number


class AgingPolicy(_Frozen):
    basis: Literal["due", "invoice"] = "due"
    edges: tuple[int, ...] = DEFAULT_EDGES

    @field_validator("edges")
    @classmethod
    def _edges(cls, value):
        try:
            return check_edges(value)
        except ParameterError as exc:
            raise ValueError(str(exc)) from None


class AllowancePolicy(_Frozen):
    loss_rates: dict[str, float] = Field(default_factory=dict)
    writeoff_rate: float = Field(0.5, ge=0, le=1)
    roll_months: int = Field(12, ge=1, le=120)

    @field_validator("loss_rates")
    @classmethod
    def _rates(cls, value):
        bad = {k: v for k, v in value.items() if not 0 <= v <= 1}
        if bad:
            raise ValueError(f"loss rates must be between 0 and 1, got {bad}")
        return value


def _money_cents(value) -> int:
    """A money amount written in a policy file (``10``, ``10.5``, ``"40.00"``) as int cents."""
    try:
        cents = Decimal(str(value)) * 100
    except (InvalidOperation, ValueError):
        raise ValueError(f"{value!r} is not an amount of money; write it like 10.00") from None
    if cents != cents.to_integral_value() or cents < 0:
        raise ValueError(f"{value!r} must be a non-negative amount with at most 2 decimals")
    return int(cents)


class CreditPolicy(_Frozen):
    """Credit holds and the periodic limit review (SPEC §5)."""

    hold_over_limit: bool = True
    hold_days_overdue: int = Field(61, ge=1, le=3650)
    score_floor: float = Field(40, ge=0, le=100)
    broken_promises: int = Field(2, ge=1, le=100)
    promise_window_days: int = Field(90, ge=1, le=3650)
    raise_score: float = Field(80, ge=0, le=100)
    raise_utilisation: float = Field(0.8, ge=0, le=10)
    raise_step: float = Field(0.25, ge=0, le=10)
    cut_score: float = Field(50, ge=0, le=100)
    cut_step: float = Field(0.5, ge=0, le=1)
    limit_unit_cents: int = Field(10000, ge=1)
    peak_months: int = Field(12, ge=1, le=120)

    @model_validator(mode="before")
    @classmethod
    def _money(cls, data):
        if isinstance(data, dict) and "limit_unit" in data:
            data = dict(data)
            data["limit_unit_cents"] = _money_cents(data.pop("limit_unit"))
        return data


class LateChargePolicy(_Frozen):
    """Penalties agreed up front (SPEC §5): interest on overdue items and a fixed fee."""

    preset: Literal["contract", "eu"] = "contract"
    annual_rate: float = Field(0.0, ge=0, le=1)
    fee_cents: int = Field(0, ge=0)
    eu_reference_rate: float = Field(0.0215, ge=-0.05, le=1)
    eu_margin: float = Field(0.08, ge=0, le=1)
    eu_compensation_cents: int = Field(4000, ge=0)

    @model_validator(mode="before")
    @classmethod
    def _money(cls, data):
        if isinstance(data, dict):
            data = dict(data)
            for key in ("fee", "eu_compensation"):
                if key in data:
                    data[f"{key}_cents"] = _money_cents(data.pop(key))
        return data


class DiscountPolicy(_Frozen):
    """Assumptions of the early-payment discount simulation (SPEC §6)."""

    terms: str = "2/10 net 30"
    uptake: float = Field(0.5, ge=0, le=1)
    bad_debt_rate: float = Field(0.01, ge=0, le=1)
    collection_cost_rate: float = Field(0.005, ge=0, le=1)
    eligible_days_late: int = Field(15, ge=-365, le=365)


class Policy(_Frozen):
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    default_terms_days: int = Field(30, ge=0, le=3650)
    cost_of_capital: float = Field(0.10, ge=0, le=1)
    aging: AgingPolicy = AgingPolicy()
    allowance: AllowancePolicy = AllowancePolicy()
    credit: CreditPolicy = CreditPolicy()
    late_charges: LateChargePolicy = LateChargePolicy()
    discounts: DiscountPolicy = DiscountPolicy()


def read_toml(name: str, path=None) -> tuple[dict, str]:
    """``(data, source)`` of the TOML file at ``path``, or of the shipped
    ``arbook/defaults/<name>.toml`` when ``path`` is None or blank. A missing or unreadable file
    raises PolicyError saying what to do."""
    default = f"arbook/defaults/{name}.toml"
    if path in (None, ""):
        text = resources.files("arbook.defaults").joinpath(f"{name}.toml").read_text("utf-8")
        return tomllib.loads(text), default
    path = Path(path)
    try:
        return tomllib.loads(path.read_text("utf-8")), str(path)
    except (FileNotFoundError, IsADirectoryError):
        raise PolicyError(f"{path}: no such {name} file. Copy {default} and edit it.")
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{path}: not valid TOML ({exc}). Check the quoting and brackets.")


def _merge(base: dict, override: dict) -> dict:
    merged = dict(base)
    for key, value in override.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict) and key != "loss_rates":
            merged[key] = _merge(merged[key], value)
        else:
            merged[key] = value
    return merged


def _explain(error: dict) -> str:
    """Pydantic's message, said for a person editing a policy file."""
    if error["type"] == "extra_forbidden":
        return "unknown key; check its spelling against arbook/defaults/policy.toml"
    if error["type"] == "string_pattern_mismatch" and error["loc"][-1] == "currency":
        return f"{error['input']!r} is not a three-letter ISO code in capitals, like USD"
    return error["msg"]


def load_policy(path: str | Path | None = None) -> Policy:
    """Return the policy: the shipped defaults, overridden by the keys of ``path`` if given.

    Raises :class:`PolicyError` listing every bad key as ``file: key.path: message``.
    """
    data, _ = read_toml("policy")
    source = "arbook/defaults/policy.toml"
    if path is not None:
        override, source = read_toml("policy", path)
        data = _merge(data, override)
    try:
        return Policy.model_validate(data)
    except ValidationError as exc:
        lines = [
            f"{source}: {'.'.join(str(p) for p in err['loc']) or '(top)'}: {_explain(err)}"
            for err in exc.errors()
        ]
        raise PolicyError("\n".join(lines)) from None


def resolve_policy(policy: Policy | str | Path | None) -> Policy:
    """Accept a Policy, a path to a policy TOML, or None or "" (the defaults)."""
    if isinstance(policy, Policy):
        return policy
    return load_policy(policy if policy not in ("", None) else None)
