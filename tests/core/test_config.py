"""Policies from TOML: defaults, overrides, every bad key reported."""

from __future__ import annotations

import pytest

import arbook
from arbook.core.config import load_policy
from arbook.core.errors import PolicyError


def test_defaults():
    policy = load_policy()
    assert policy.default_terms_days == 30 and policy.aging.edges == (30, 60, 90, 120)
    assert set(policy.allowance.loss_rates) == set(arbook.bucket_labels())


def test_override_keeps_the_rest(tmp_path):
    path = tmp_path / "client.toml"
    path.write_text('default_terms_days = 45\n[aging]\nbasis = "invoice"\n')
    policy = load_policy(path)
    assert policy.default_terms_days == 45 and policy.aging.basis == "invoice"
    assert policy.aging.edges == (30, 60, 90, 120)


def test_every_bad_key_is_reported(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'default_terms = 45\ncurrency = "dollars"\n[aging]\nedges = [60, 30]\n'
        "[allowance]\nwriteoff_rate = 2\n"
    )
    with pytest.raises(PolicyError) as exc:
        load_policy(path)
    lines = str(exc.value).splitlines()
    assert len(lines) == 4
    assert all(line.startswith(f"{path}: ") for line in lines)
    joined = "\n".join(lines)
    for key in ("default_terms", "currency", "aging.edges", "allowance.writeoff_rate"):
        assert f": {key}: " in joined


def test_unreadable_policy(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[aging\n")
    with pytest.raises(PolicyError, match="not valid TOML"):
        load_policy(path)


def test_policy_terms_reach_the_ledger(tmp_path):
    (tmp_path / "p.toml").write_text("default_terms_days = 10\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,5\n"
    )
    ledger = arbook.read_ledger(tmp_path / "d", policy=tmp_path / "p.toml")
    assert str(ledger.invoices.loc[0, "due_date"].date()) == "2026-01-11"
