"""The credit check, "may I ship?" (:mod:`arbook.credit.check`, SPEC §7): each reason alone,
all together, warn or block by the policy, the overdue days, the reasons' own definitions
(holds, not vetted, the promise window) and bad input."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import SAMPLE, write_ledger
from hypothesis import given, settings
from hypothesis import strategies as st

import arbook
from arbook.core.errors import ParameterError
from arbook.credit import credit_holds, not_vetted
from arbook.credit.check import ANSWERS, REASONS, CreditCheck, credit_check

AS_OF = "2026-06-30"
# As of 2026-06-30, the shipped policy and ladder (hold from 30 days overdue), all in EUR:
# CLEAN owes 1,000.00 not yet due on a limit of 10,000.00: nothing against an order.
# OVER owes 12,500.00 not yet due, limit 15,000.00: an order above 2,500.00 takes it over.
# LOW paid W1 90 days late (score 30, below the floor 40) and owes nothing: on hold alone.
# NEW has no limit and owes nothing; UNVET has no limit and owes 100.00 not yet due.
# PROM and PLAN owe 100.00 not yet due; the log has a broken promise (PROM) and a broken plan
#   instalment (PLAN) in the 90 days to 2026-06-30.
# LATE: L1 100.00 10 days overdue; L2 50.00 29 days overdue but disputed (not counted as
#   overdue); its score stays well above the floor: overdue alone.
# DISP: D1 100.00 100 days overdue, disputed; D2 10,000.00 paid 30 days early keeps its score
#   high. Limit 200.00: the disputed 100.00 counts in what it owes.
# ALL: A1 100.00 121 days overdue on a limit of 50.00 (score 19.8) with two broken promises.
# ZERO: a limit of 0.00 (no credit) and nothing owed. NONAME: no name, no limit, nothing owed.
CUSTOMERS = """
    customer_id,name,credit_limit
    CLEAN,Clean Ltd,10000.00
    OVER,Over Ltd,15000.00
    LOW,Low Ltd,10000.00
    NEW,New Ltd,
    UNVET,Unvetted Ltd,
    PROM,Promising Ltd,10000.00
    PLAN,Planning Ltd,10000.00
    LATE,Late Ltd,10000.00
    DISP,Disputing Ltd,200.00
    ALL,All Ltd,50.00
    ZERO,Zero Ltd,0.00
    NONAME,,
"""
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed,currency
    C1,CLEAN,2026-06-15,2026-07-15,1000.00,no,EUR
    O1,OVER,2026-06-10,2026-07-10,12500.00,no,EUR
    W1,LOW,2026-01-01,2026-01-31,100.00,no,EUR
    U1,UNVET,2026-06-20,2026-07-20,100.00,no,EUR
    PR1,PROM,2026-06-01,2026-07-01,100.00,no,EUR
    PL1,PLAN,2026-06-01,2026-07-01,100.00,no,EUR
    L1,LATE,2026-05-21,2026-06-20,100.00,no,EUR
    L2,LATE,2026-05-02,2026-06-01,50.00,yes,EUR
    D1,DISP,2026-02-20,2026-03-22,100.00,yes,EUR
    D2,DISP,2026-05-01,2026-06-30,10000.00,no,EUR
    A1,ALL,2026-01-30,2026-03-01,100.00,no,EUR
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    P1,LOW,2026-05-01,100.00,W1
    P2,DISP,2026-05-31,10000.00,D2
"""
# The window is the 90 days to 2026-06-30: from 2026-04-01. CLEAN's broken promise and broken
# instalment are older; kept ones never count.
PROMISES = pd.DataFrame(
    {
        "customer_id": ["PROM", "ALL", "ALL", "CLEAN", "LATE"],
        "status": ["broken", "broken", "broken", "broken", "kept"],
        "promise_date": ["2026-06-10", "2026-05-10", "2026-06-20", "2026-03-01", "2026-06-25"],
    }
)
INSTALMENTS = pd.DataFrame(
    {
        "customer_id": ["PLAN", "PLAN", "CLEAN", "CLEAN"],
        "due_date": ["2026-06-15", "2026-07-15", "2026-03-15", "2026-06-15"],
        "status": ["broken", "open", "broken", "kept"],
        "amount_cents": [5000, 5000, 100, 100],
    }
)


class PromisesOnly:
    """A contact log that keeps no payment plans (no ``instalments``)."""

    def __init__(self, promises=PROMISES):
        self.frame = promises

    def promises(self, ledger, as_of):
        return self.frame


class ContactLog(PromisesOnly):
    """A contact log with promises and payment plans."""

    def __init__(self, promises=PROMISES, instalments=INSTALMENTS):
        super().__init__(promises)
        self.plans = instalments

    def instalments(self, ledger, as_of):
        return self.plans


LOG = ContactLog()


@pytest.fixture(scope="module")
def ledger(tmp_path_factory):
    folder = tmp_path_factory.mktemp("check") / "ledger"
    return arbook.read_ledger(
        write_ledger(folder, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    )


def check(ledger, customer, cents, **kw) -> CreditCheck:
    return credit_check(ledger, customer, cents, AS_OF, **kw)


def codes(result: CreditCheck) -> list[str]:
    return [r.code for r in result.reasons]


def test_nothing_against_an_order_allows_it(ledger):
    result = check(ledger, "CLEAN", 200_000, log=LOG)
    assert (result.answer, result.reasons) == ("allow", ())
    assert result.exposure_cents == 100_000 and result.owed_after_cents == 300_000
    assert result.credit_limit_cents == 1_000_000 and result.currency == "EUR"
    assert result.as_of == pd.Timestamp(AS_OF) and result.name == "Clean Ltd"
    assert result.headline == (
        "allow: ship it - 2,000.00 EUR to Clean Ltd (CLEAN) on 2026-06-30 (nothing against it)"
    )


def test_over_the_limit_after_the_order(ledger):
    result = check(ledger, "OVER", 300_000)
    assert result.answer == "block" and codes(result) == ["over_limit"]
    (reason,) = result.reasons
    assert reason.effect == "block"
    assert reason.label == (
        "over its limit after this order: 12,500.00 EUR owed + 3,000.00 EUR ordered = "
        "15,500.00 EUR, limit 15,000.00 EUR"
    )
    assert check(ledger, "OVER", 250_000).answer == "allow"  # exactly at the limit: not over
    assert codes(check(ledger, "OVER", 250_001)) == ["over_limit"]


def test_a_limit_of_zero_means_no_credit(ledger):
    assert codes(check(ledger, "ZERO", 1)) == ["over_limit"]
    assert check(ledger, "ZERO", 0).answer == "allow"  # nothing owed, nothing ordered


def test_on_hold_with_the_holds_reasons(ledger):
    result = check(ledger, "LOW", 10_000)
    assert result.answer == "block" and codes(result) == ["on_hold"]
    assert result.reasons[0].label == "on credit hold: score 30 below the floor 40"


def test_not_vetted_a_new_customer_ordering(ledger):
    result = check(ledger, "NEW", 10_000)
    assert result.answer == "block" and codes(result) == ["not_vetted"]
    assert result.reasons[0].label == (
        "not vetted: no credit limit set (no credit decision on file), and it would owe "
        "100.00 EUR after this order"
    )
    assert result.credit_limit_cents is None and result.exposure_cents == 0
    assert check(ledger, "NEW", 0).answer == "allow"  # no credit extended, nothing owed
    assert codes(check(ledger, "UNVET", 0)) == ["not_vetted"]  # it owes already


def test_not_vetted_is_the_not_vetted_lists_rule(ledger):
    """With no order, the check's not-vetted reason and arbook.not_vetted agree customer by
    customer: one rule."""
    listed = set(not_vetted(ledger, AS_OF)["customer_id"])
    for customer in ledger.customers["customer_id"]:
        assert ("not_vetted" in codes(check(ledger, customer, 0))) == (customer in listed)


def test_on_hold_is_the_hold_lists_rule(ledger):
    held = credit_holds(ledger, AS_OF, log=LOG).set_index("customer_id")["reasons"]
    assert set(held.index) == {"LOW", "ALL"}
    for customer in ledger.customers["customer_id"]:
        reasons = {r.code: r.label for r in check(ledger, customer, 0, log=LOG).reasons}
        expected = f"on credit hold: {held[customer]}" if customer in held.index else None
        assert reasons.get("on_hold") == expected


def test_a_broken_promise_in_the_window(ledger):
    result = check(ledger, "PROM", 10_000, log=LOG)
    assert result.answer == "warn" and codes(result) == ["broken_promises"]
    assert result.reasons[0].label == "broken in the last 90 days: 1 promise to pay"
    assert check(ledger, "PROM", 10_000).answer == "allow"  # no log, nothing known broken


def test_a_broken_plan_instalment_in_the_window(ledger):
    result = check(ledger, "PLAN", 10_000, log=LOG)
    assert result.answer == "warn" and codes(result) == ["broken_promises"]
    assert result.reasons[0].label == "broken in the last 90 days: 1 plan instalment"
    # a log that keeps no payment plans: only promises count
    assert check(ledger, "PLAN", 10_000, log=PromisesOnly()).answer == "allow"


def test_broken_outside_the_window_or_kept_does_not_count(ledger):
    assert check(ledger, "CLEAN", 0, log=LOG).answer == "allow"
    assert check(ledger, "LATE", 0, log=LOG).reasons[-1].code == "overdue"  # its kept promise
    wider = {"credit": {"promise_window_days": 180}}
    result = check(ledger, "CLEAN", 0, log=LOG, policy=wider)
    assert result.reasons[0].label == (
        "broken in the last 180 days: 1 promise to pay and 1 plan instalment"
    )


def test_overdue_undisputed_items(ledger):
    result = check(ledger, "LATE", 10_000, log=LOG)
    assert result.answer == "warn" and codes(result) == ["overdue"]
    assert result.reasons[0].label == (
        "overdue: 1 item past due (100.00 EUR), the oldest by 10 days "
        "(50.00 EUR in dispute not counted)"
    )


def test_the_policys_overdue_days(ledger):
    assert check(ledger, "LATE", 0, policy={"credit_check": {"overdue_days": 10}}).answer == (
        "allow"
    )
    result = check(ledger, "LATE", 0, policy={"credit_check": {"overdue_days": 9}})
    assert result.reasons[0].label == (
        "overdue: 1 item more than 9 days past due (100.00 EUR), the oldest by 10 days "
        "(50.00 EUR in dispute not counted)"
    )


def test_a_disputed_amount_counts_in_exposure_not_in_overdue(ledger):
    result = check(ledger, "DISP", 15_000)
    assert codes(result) == ["over_limit"]  # 100.00 disputed + 150.00 > 200.00; not overdue
    assert result.reasons[0].label == (
        "over its limit after this order: 100.00 EUR owed + 150.00 EUR ordered = 250.00 EUR, "
        "limit 200.00 EUR"
    )
    assert check(ledger, "DISP", 10_000).answer == "allow"


def test_every_reason_together_and_in_order(ledger):
    result = check(ledger, "ALL", 1_000, log=LOG)
    assert codes(result) == ["over_limit", "on_hold", "broken_promises", "overdue"]
    assert [r.effect for r in result.reasons] == ["block", "block", "warn", "warn"]
    assert result.answer == "block"
    assert result.reasons[1].label == (
        "on credit hold: over its limit by 50.00; 30+ days overdue (oldest 121 days), where the "
        "ladder puts the account on hold (final notice and credit hold); score 19.8 below the "
        "floor 40; 2 broken promises in 90 days"
    )
    assert result.reasons[2].label == "broken in the last 90 days: 2 promises to pay"
    assert result.headline.endswith("(2 reasons block; 2 reasons warn)")
    # a block never hides a warning: with everything set to warn, the same four warn
    warn_all = {"credit_check": dict.fromkeys(REASONS, "warn")}
    softer = check(ledger, "ALL", 1_000, log=LOG, policy=warn_all)
    assert softer.answer == "warn" and codes(softer) == codes(result)


@pytest.mark.parametrize(
    "customer, reason, log",
    [
        ("OVER", "over_limit", None),
        ("LOW", "on_hold", None),
        ("NEW", "not_vetted", None),
        ("PROM", "broken_promises", LOG),
        ("LATE", "overdue", None),
    ],
)
def test_the_policy_says_warn_or_block(ledger, customer, reason, log):
    for effect in ("warn", "block"):
        result = check(
            ledger, customer, 300_000, log=log, policy={"credit_check": {reason: effect}}
        )
        assert [(r.code, r.effect) for r in result.reasons] == [(reason, effect)]
        assert result.answer == effect


def test_the_ledgers_policy_unless_one_is_given(tmp_path):
    folder = write_ledger(tmp_path / "l", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)
    soft = arbook.read_ledger(folder, policy={"credit_check": {"over_limit": "warn"}})
    assert credit_check(soft, "OVER", 300_000, AS_OF).answer == "warn"
    hard = {"credit_check": {"over_limit": "block"}}
    assert credit_check(soft, "OVER", 300_000, AS_OF, policy=hard).answer == "block"


def test_a_customer_without_a_name_is_named_by_its_id(ledger):
    result = check(ledger, "NONAME", 100)
    assert result.name == "NONAME"
    assert result.headline == (
        "block: do not ship - 1.00 EUR to NONAME on 2026-06-30 (1 reason blocks)"
    )


def test_the_answers_order():
    assert ANSWERS == ("allow", "warn", "block")


@settings(max_examples=30, deadline=None)
@given(amount=st.integers(min_value=0, max_value=10**9))
def test_over_limit_exactly_when_owed_plus_order_exceeds_it(ledger, amount):
    result = check(ledger, "OVER", amount)
    assert result.owed_after_cents == 1_250_000 + amount
    assert ("over_limit" in codes(result)) == (1_250_000 + amount > 1_500_000)
    assert result.answer == ("block" if 1_250_000 + amount > 1_500_000 else "allow")


def test_as_dict_for_a_program(ledger):
    assert check(ledger, "OVER", 300_000).to_dict() == {
        "customer_id": "OVER",
        "name": "Over Ltd",
        "as_of": "2026-06-30",
        "amount_cents": 300_000,
        "currency": "EUR",
        "exposure_cents": 1_250_000,
        "owed_after_cents": 1_550_000,
        "credit_limit_cents": 1_500_000,
        "answer": "block",
        "reasons": [
            {
                "code": "over_limit",
                "effect": "block",
                "label": "over its limit after this order: 12,500.00 EUR owed + 3,000.00 EUR "
                "ordered = 15,500.00 EUR, limit 15,000.00 EUR",
            }
        ],
    }
    assert check(ledger, "NEW", 0).to_dict()["credit_limit_cents"] is None


# -- bad input -----------------------------------------------------------------------------


def test_an_unknown_customer_is_named_with_the_closest_ids(ledger):
    with pytest.raises(ParameterError, match=r"customer 'PRO' is not in the data; did you mean"):
        check(ledger, "PRO", 100)
    with pytest.raises(ParameterError, match=r"'prom' .* did you mean PROM\?$"):
        check(ledger, "prom", 100)
    with pytest.raises(ParameterError, match="check the id against the customers file"):
        check(ledger, "XYZZY-404", 100)


@pytest.mark.parametrize(
    "amount, said",
    [
        (12.5, "not whole cents"),
        ("100", "not whole cents"),
        (True, "not whole cents"),
        (-1, "below zero"),
        (10**20, "too large"),
    ],
)
def test_an_amount_that_is_not_whole_cents_of_zero_or_more(ledger, amount, said):
    with pytest.raises(ParameterError, match=said):
        check(ledger, "CLEAN", amount)


def test_a_date_outside_the_data_is_refused(ledger):
    with pytest.raises(ParameterError):
        credit_check(ledger, "CLEAN", 100, "not a date")


def test_instalments_without_their_columns(ledger):
    broken = ContactLog(instalments=INSTALMENTS.drop(columns="due_date"))
    with pytest.raises(ParameterError, match=r"plan instalments lack \['due_date'\]"):
        check(ledger, "PLAN", 100, log=broken)


def test_the_sample_agrees_with_its_hold_list():
    ledger = arbook.read_ledger(SAMPLE)
    holds = credit_holds(ledger, "2026-10-31").set_index("customer_id")
    for customer in [*holds.index[:3], "C0001"]:
        result = credit_check(ledger, customer, 0, "2026-10-31")
        on_hold = [r.label for r in result.reasons if r.code == "on_hold"]
        if customer in holds.index:
            assert on_hold == [f"on credit hold: {holds.loc[customer, 'reasons']}"]
            assert result.answer == "block"
        else:
            assert on_hold == []
