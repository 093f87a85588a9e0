"""The data folder's policy file edited in place: only [company] changes, comments and the
client's other rules are kept, and a refusal leaves the file as it was."""

from __future__ import annotations

import pytest

from arbook.core.config import load_policy
from arbook.core.errors import ParameterError, PolicyError
from arbook.core.policy_file import company_details, write_company

OWN = """# Acme's rules, agreed 2026-11-02
currency = "GBP"  # the book currency

[late_charges]
annual_rate = 0.08

[company]
name = "Old Name Ltd"
phone = "020 7946 0000"
"""


def test_a_folder_without_a_policy_gets_one_with_only_the_company(tmp_path):
    path = write_company(tmp_path, {"name": "Acme Ltd", "address": "1 High St\nLondon N1 1AA"})
    assert path == tmp_path / "policy.toml"
    policy = load_policy(path)
    assert policy.company.name == "Acme Ltd"
    assert policy.company.address == "1 High St\nLondon N1 1AA"
    assert policy.currency is None and policy.late_charges == load_policy().late_charges
    assert path.read_text(encoding="utf-8").startswith("# The client's own policy")


def test_the_rest_of_the_file_is_kept_as_written(tmp_path):
    (tmp_path / "policy.toml").write_text(OWN, encoding="utf-8")
    write_company(tmp_path, {"name": "Acme Ltd", "tax_id": "GB123456789"})
    text = (tmp_path / "policy.toml").read_text(encoding="utf-8")
    assert text.startswith('# Acme\'s rules, agreed 2026-11-02\ncurrency = "GBP"  # the book')
    assert "annual_rate = 0.08" in text
    details = company_details(tmp_path)
    assert details["name"] == "Acme Ltd" and details["tax_id"] == "GB123456789"
    assert details["phone"] == "020 7946 0000"  # a detail not given keeps its value
    assert load_policy(tmp_path / "policy.toml").late_charges.annual_rate == 0.08


def test_a_refused_detail_leaves_the_file_as_it_was(tmp_path):
    (tmp_path / "policy.toml").write_text(OWN, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"\[company\] address: 3,000 characters"):
        write_company(tmp_path, {"address": "x" * 3000})
    with pytest.raises(ParameterError, match="no company detail vat; the details are name"):
        write_company(tmp_path, {"vat": "GB1"})
    assert (tmp_path / "policy.toml").read_text(encoding="utf-8") == OWN
    assert [p.name for p in tmp_path.iterdir()] == ["policy.toml"]


def test_an_error_already_in_the_file_is_named_as_the_files(tmp_path):
    bad = OWN.replace("annual_rate = 0.08", "annual_rate = 8")
    (tmp_path / "policy.toml").write_text(bad, encoding="utf-8")
    with pytest.raises(
        PolicyError, match=r"policy.toml:5: \[late_charges\] annual_rate: 8 must be a fraction"
    ):
        write_company(tmp_path, {"name": "Acme Ltd"})
    assert (tmp_path / "policy.toml").read_text(encoding="utf-8") == bad


def test_a_missing_folder_is_a_sentence(tmp_path):
    with pytest.raises(ParameterError, match="no such data folder"):
        write_company(tmp_path / "nope", {"name": "Acme"})
