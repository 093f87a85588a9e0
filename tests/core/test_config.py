"""Policies from TOML (:mod:`arbook.core.config`): defaults, overrides, money as exact cents,
and a corpus of bad policy files, each refused with one located message naming the file, the
line and the key as the file writes them; the shared checks of edges, fractions and terms."""

from __future__ import annotations

import codecs

import pytest
from core.test_rules import refused

import arbook
from arbook.core.config import (
    bucket_labels,
    check_edges,
    check_fraction,
    load_policy,
    parse_terms,
)
from arbook.core.errors import ParameterError, PolicyError
from arbook.core.rules_file import ENCODINGS


def test_defaults():
    policy = load_policy()
    assert policy.default_terms_days == 30 and policy.aging.edges == (30, 60, 90, 120)
    assert set(policy.allowance.loss_rates) == set(arbook.bucket_labels())
    assert policy.late_charges.eu_compensation_cents == 4000 and policy.late_charges.fee_cents == 0
    assert policy.credit.limit_unit_cents == 10_000


def test_override_keeps_the_rest(tmp_path):
    path = tmp_path / "client.toml"
    path.write_text('default_terms_days = 45\n[aging]\nbasis = "invoice"\n')
    policy = load_policy(path)
    assert policy.default_terms_days == 45 and policy.aging.basis == "invoice"
    assert policy.aging.edges == (30, 60, 90, 120)


def test_money_in_a_policy_is_exact_cents(tmp_path):
    path = tmp_path / "policy.toml"
    # 10.10 and 0.29 are no exact binary floats; read as Decimal they are exactly 1010 and 29
    path.write_text(
        "[late_charges]\nfee = 10.10\neu_compensation = 0.29\n[credit]\nlimit_unit = 5\n"
    )
    policy = load_policy(path)
    assert policy.late_charges.fee_cents == 1010 and policy.late_charges.eu_compensation_cents == 29
    assert policy.credit.limit_unit_cents == 500
    assert load_policy({"late_charges": {"fee": "1,250.00"}}).late_charges.fee_cents == 125_000
    largest = load_policy({"late_charges": {"fee": "9,999,999,999,999.99"}})
    assert largest.late_charges.fee_cents == 999_999_999_999_999


def test_every_bad_key_is_reported_in_the_file_s_order(tmp_path):
    path = tmp_path / "bad.toml"
    path.write_text(
        'default_terms = 45\ncurrency = "dollars"\n[aging]\nedges = [60, 30]\n'
        "[allowance]\nwriteoff_rate = 2\n"
    )
    with pytest.raises(PolicyError) as exc:
        load_policy(path)
    assert str(exc.value).splitlines() == [
        f"{path}:1: default_terms: unknown key; did you mean default_terms_days?",
        f'{path}:2: currency: "dollars" is not a three-letter ISO code in capitals, like USD',
        f"{path}:4: [aging] edges: bucket edges [60, 30] must be positive and strictly "
        "increasing, e.g. 30,60,90,120",
        f"{path}:6: [allowance] writeoff_rate: 2 must be a fraction from 0 to 1; 10% is 0.10, "
        "not 10",
    ]


def test_a_policy_given_as_a_dict_names_the_keys_as_the_file_does():
    with pytest.raises(PolicyError) as exc:
        load_policy({"late_charges": {"fee": 1e300}, "aging": {"edges": [True, 60]}})
    assert str(exc.value).splitlines() == [
        "[aging] edges: bucket edges [true, 60] must be whole numbers of days, e.g. 30,60,90",
        "[late_charges] fee: 1e+300 is too large an amount; check the figure",
    ]


def test_unreadable_policy(tmp_path):
    path = tmp_path / "broken.toml"
    path.write_text("[aging\n")
    with pytest.raises(PolicyError, match=r"broken\.toml:1: not valid TOML at line 1, column 7"):
        load_policy(path)


def test_a_policy_saved_with_a_bom_or_as_utf16_is_read(tmp_path):
    # Windows Notepad saves "UTF-8 with BOM" and "Unicode" (UTF-16 LE with a BOM)
    path = tmp_path / "policy.toml"
    path.write_bytes(codecs.BOM_UTF8 + b"default_terms_days = 45\n")
    assert load_policy(path).default_terms_days == 45
    path.write_bytes("default_terms_days = 46\n".encode("utf-16"))
    assert load_policy(path).default_terms_days == 46


def test_policy_terms_reach_the_ledger(tmp_path):
    (tmp_path / "p.toml").write_text("default_terms_days = 10\n")
    (tmp_path / "d").mkdir()
    (tmp_path / "d" / "invoices.csv").write_text(
        "invoice_id,customer_id,invoice_date,amount\nI1,A,2026-01-01,5\n"
    )
    ledger = arbook.read_ledger(tmp_path / "d", policy=tmp_path / "p.toml")
    assert str(ledger.invoices.loc[0, "due_date"].date()) == "2026-01-11"


# -- the corpus: one bad policy file per case, and the fragment its message must hold ---------
# {f} is the file's path; a fragment gives the line wherever the key is in the file.

FEE = "[late_charges]\nfee = {}\n"
POLICY_CASES = {
    # money: within the checked range, exact to the cent, never NaN or inf (issue 11, item 9)
    "fee 1e300": (FEE.format("1e300"), "{f}:2: [late_charges] fee: '1E+300' is too large"),
    "fee 1e16": (FEE.format("1e16"), "{f}:2: [late_charges] fee: '1E+16' is too large"),
    "fee huge int": (FEE.format(10**20), "[late_charges] fee: 100000000000000000000 is too large"),
    "fee inf": (FEE.format("inf"), "{f}:2: [late_charges] fee: inf is not an amount of money"),
    "fee nan": (FEE.format("nan"), "{f}:2: [late_charges] fee: nan is not an amount of money"),
    "fee negative": (FEE.format("-5"), "{f}:2: [late_charges] fee: -5 must be 0 or more"),
    "fee sub-cent": (FEE.format("10.005"), "fee: '10.005' has more than 2 decimals; round it"),
    "fee as words": (FEE.format('"ten"'), "{f}:2: [late_charges] fee: 'ten' is not an amount"),
    "fee true": (FEE.format("true"), "{f}:2: [late_charges] fee: true is not an amount of money"),
    "compensation 1e400": (
        "[late_charges]\neu_compensation = 1e400\n",
        "{f}:2: [late_charges] eu_compensation: '1E+400' is too large an amount",
    ),
    "limit unit 0": ("[credit]\nlimit_unit = 0\n", "{f}:2: [credit] limit_unit: 0 must be above 0"),
    # numbers: finite, in range, whole where whole, never true/false or text
    "rate nan": (
        "[late_charges]\nannual_rate = nan\n",
        "{f}:2: [late_charges] annual_rate: nan is not a finite number; give a fraction",
    ),
    "rate 10": ("cost_of_capital = 10\n", "{f}:1: cost_of_capital: 10 must be a fraction from 0"),
    "rate -inf": ("cost_of_capital = -inf\n", "{f}:1: cost_of_capital: -inf is not a finite"),
    "terms days text": (
        'default_terms_days = "30"\n',
        '{f}:1: default_terms_days: "30" is text, not a number; write a whole number from 0 to '
        "3650, without quotes",
    ),
    "terms days fraction": (
        "default_terms_days = 30.5\n",
        "{f}:1: default_terms_days: 30.5 is not",
    ),
    "terms days huge": (
        "default_terms_days = 99999\n",
        "default_terms_days: 99999 is out of range",
    ),
    "window 0": ("[behaviour]\nwindow_months = 0\n", "{f}:2: [behaviour] window_months: 0 is out"),
    "age days 0": (
        "[collections]\nage_month_days = 0\n",
        "{f}:2: [collections] age_month_days: 0 is out of range; write a number above 0 and at "
        "most 365",
    ),
    "flag yes": (
        '[credit]\nhold_over_limit = "yes"\n',
        '{f}:2: [credit] hold_over_limit: "yes" is not true or false',
    ),
    "promises true": ("[credit]\nbroken_promises = true\n", "broken_promises: true is true/false"),
    # bucket edges and the loss rates that go with them
    "edges true": (
        "[aging]\nedges = [true, 60]\n",
        "{f}:2: [aging] edges: bucket edges [true, 60] must be whole numbers of days",
    ),
    "edges order": ("[aging]\nedges = [60, 30]\n", "{f}:2: [aging] edges: bucket edges [60, 30]"),
    "edges text": (
        '[aging]\nedges = "30,60"\n',
        '{f}:2: [aging] edges: "30,60" is not a list; write the edges in brackets, like [30, 60',
    ),
    "edges empty": ("[aging]\nedges = []\n", "{f}:2: [aging] edges: bucket edges [] must be"),
    "edges without rates": (
        "[aging]\nedges = [30, 60]\n",
        "{f}: [allowance] loss_rates: the [aging] edges [30, 60] make the buckets current, 1-30, "
        "31-60, 61+; give one rate for each (no rate for 61+; no bucket 61-90, 91-120, 121+)",
    ),
    "rates without a bucket": (
        '[allowance]\nloss_rates = { "current" = 0.01, "1-30" = 0.02 }\n',
        "{f}:2: [allowance] loss_rates: the [aging] edges [30, 60, 90, 120] make the buckets",
    ),
    "rate of a bucket 2": (
        '[allowance]\nloss_rates = { "current" = 0.01, "1-30" = 2, "31-60" = 0.05, "61-90" = 0.1,'
        ' "91-120" = 0.25, "121+" = 0.5 }\n',
        "{f}:2: [allowance] loss_rates.1-30: 2 must be a fraction from 0 to 1",
    ),
    # choices and text
    "basis weekly": (
        '[aging]\nbasis = "weekly"\n',
        '{f}:2: [aging] basis: "weekly" is not one of "due", "invoice"',
    ),
    "preset EU": (
        '[late_charges]\npreset = "EU"\n',
        '{f}:2: [late_charges] preset: "EU" is not one of "contract", "eu"; did you mean "eu"?',
    ),
    "currency lower": ('currency = "usd"\n', '{f}:1: currency: "usd" is not a three-letter ISO'),
    "terms unreadable": (
        '[discounts]\nterms = "two ten net thirty"\n',
        '{f}:2: [discounts] terms: terms "two ten net thirty" cannot be read; write them like '
        "'2/10 net 30'",
    ),
    "terms backwards": (
        '[discounts]\nterms = "2/30 net 10"\n',
        '{f}:2: [discounts] terms: terms "2/30 net 10": the discount days (30) must be fewer',
    ),
    "terms a number": ("[discounts]\nterms = 2\n", '{f}:2: [discounts] terms: terms "2" cannot be'),
    "anchors rise": (
        "[scores]\nanchor_days = [0, 30]\nanchor_scores = [50, 80]\n",
        "{f}:3: [scores] anchor_scores: [50, 80] must never rise",
    ),
    "anchors unpaired": (
        "[scores]\nanchor_days = [0, 30, 60]\nanchor_scores = [80, 50]\n",
        "{f}:3: [scores] anchor_scores: 2 scores for 3 anchor_days",
    ),
    "pay within -1": (
        "[documents.pay_within_days]\nreminder = -1\n",
        "{f}:2: [documents.pay_within_days] reminder: -1 is out of range",
    ),
    # keys: unknown (with the closest), moved, a table that is not one
    "key typo": (
        "[late_charges]\nfees = 10\n",
        "{f}:2: [late_charges] fees: unknown key; did you mean fee?",
    ),
    "table typo": (
        "[latecharges]\nfee = 10\n",
        "{f}:1: [latecharges]: unknown key; did you mean late_charges?",
    ),
    "letter typo": (
        "[documents.pay_within_days]\nremindr = 3\n",
        "{f}:2: [documents.pay_within_days] remindr: unknown key; did you mean reminder?",
    ),
    "moved key": ("[credit]\nhold_days_overdue = 60\n", "{f}:2: [credit] hold_days_overdue: moved"),
    "table as value": ("aging = 5\n", "{f}:1: [aging]: 5 is not a table"),
    # the file itself: syntax, keys given twice, encodings
    "key twice": (
        '[aging]\nbasis = "due"\nbasis = "invoice"\n',
        "{f}:3: not valid TOML at line 3, column 18: Cannot overwrite a value",
    ),
    "table twice": ("[aging]\n[credit]\n[aging]\n", "{f}:3: not valid TOML at line 3, column 7"),
    "unclosed string": ('[discounts]\nterms = "2/10 net 30\n', "{f}:2: not valid TOML at line 2"),
    "latin-1": (
        'currency = "EUR" # Politique de crédit\n'.encode("latin-1"),
        f"{{f}}:1: byte 0xe9 at column 35 is not UTF-8: the file is in another encoding. Save it "
        f"as {ENCODINGS}",
    ),
}


@pytest.mark.parametrize("content, fragment", POLICY_CASES.values(), ids=POLICY_CASES.keys())
def test_a_bad_policy_file_is_one_located_message(tmp_path, content, fragment):
    message = refused(load_policy, tmp_path / "policy.toml", content, fragment)
    assert len(message.splitlines()) == 1  # one bad key, one line


def test_the_corpus_is_large():
    assert len(POLICY_CASES) >= 40


# -- the shared checks, for parameters as well as files --------------------------------------


@pytest.mark.parametrize("edges", [[True, 60], [30.5, 60], ["30x"], [float("nan")], ["1e3"]])
def test_check_edges_takes_whole_days_only(edges):
    with pytest.raises(ParameterError, match="must be whole numbers of days"):
        check_edges(edges)


def test_check_edges_and_labels():
    assert check_edges(["30", " 60 "]) == (30, 60) and check_edges([30.0, 60]) == (30, 60)
    assert bucket_labels([30, 60]) == ["current", "1-30", "31-60", "61+"]
    assert bucket_labels() == arbook.bucket_labels()


@pytest.mark.parametrize("value", [True, "nan", float("inf"), "ten", None])
def test_check_fraction_refuses_what_is_no_fraction(value):
    with pytest.raises(ParameterError, match="uptake"):
        check_fraction(value, "uptake")


def test_parse_terms():
    assert parse_terms("2/10 net 30") == (0.02, 10, 30)
    assert parse_terms("1.5/15, n/45") == (0.015, 15, 45)
    with pytest.raises(ParameterError, match="cannot be read"):
        parse_terms(None)
    with pytest.raises(ParameterError, match="over ten years"):
        parse_terms("2/10 net 99999")
