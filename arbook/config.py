"""Policies: the rules a client can change, read from TOML into frozen models.

The shipped defaults are ``arbook/defaults/policy.toml``. A policy file may set any subset of the
keys; unknown keys and bad values are all reported at once as ``file: key.path: message``.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from arbook.errors import ParameterError, PolicyError

DEFAULT_EDGES = (30, 60, 90, 120)


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


def check_edges(edges) -> tuple[int, ...]:
    """Return bucket edges as a tuple of strictly increasing positive ints, or raise."""
    try:
        values = tuple(int(e) for e in edges)
    except (TypeError, ValueError):
        raise ParameterError(f"bucket edges {edges!r} must be whole numbers of days, e.g. 30,60,90")
    if not values or any(e <= 0 for e in values) or any(
        b <= a for a, b in zip(values, values[1:])
    ):
        raise ParameterError(
            f"bucket edges {list(values)} must be positive and strictly increasing, e.g. 30,60,90,120"
        )
    if any(str(e) != str(raw).strip() for e, raw in zip(values, edges) if isinstance(raw, str)):
        raise ParameterError(f"bucket edges {list(edges)} must be whole numbers of days")
    return values


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


class Policy(_Frozen):
    currency: str | None = Field(None, pattern=r"^[A-Z]{3}$")
    default_terms_days: int = Field(30, ge=0, le=3650)
    cost_of_capital: float = Field(0.10, ge=0, le=1)
    aging: AgingPolicy = AgingPolicy()
    allowance: AllowancePolicy = AllowancePolicy()


def _read_toml(path: Path | None) -> tuple[dict, str]:
    if path is None:
        text = resources.files("arbook.defaults").joinpath("policy.toml").read_text("utf-8")
        return tomllib.loads(text), "arbook/defaults/policy.toml"
    path = Path(path)
    try:
        return tomllib.loads(path.read_text("utf-8")), str(path)
    except FileNotFoundError:
        raise PolicyError(f"{path}: no such policy file. Copy arbook/defaults/policy.toml and edit it.")
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
    data, _ = _read_toml(None)
    source = "arbook/defaults/policy.toml"
    if path is not None:
        override, source = _read_toml(Path(path))
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
