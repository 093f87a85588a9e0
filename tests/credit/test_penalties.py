"""Late charges (SPEC §5): interest per overdue item, the fixed fee once per reminder sent (the
contact log's; once per customer without a log), the EU preset."""

from __future__ import annotations

import json

import pytest
from conftest import ledger_fixture, ledger_of, write_ledger
from hypothesis import given
from hypothesis import strategies as st

from arbook import cli
from arbook.core.config import load_policy
from arbook.core.errors import ParameterError
from arbook.credit.penalties import charge_terms, item_interest, late_charge_totals, late_charges

AS_OF = "2026-06-30"
# Days overdue at 2026-06-30: I1 15, I7 10, I2 5, I3 10 (disputed), I6 30; I4 not due, I5 due today.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    I1,A,2026-05-01,2026-06-15,100.00,no
    I7,A,2026-05-01,2026-06-20,50.00,no
    I2,B,2026-05-01,2026-06-25,18.25,no
    I3,B,2026-05-01,2026-06-20,500.00,yes
    I4,C,2026-06-01,2026-07-10,80.00,no
    I5,C,2026-06-01,2026-06-30,70.00,no
    I6,D,2026-04-01,2026-05-31,300.00,no
"""
PAYMENTS = """
    P1,D,2026-06-01,100.00,I6
"""


ledger = ledger_fixture(invoices=INVOICES, payments=PAYMENTS)


def test_spec_example():
    # 100.00 overdue 15 days at 10%: 10000 × 0.10 × 15 / 365 = 41.10 cents -> 0.41;
    # with a fee of 10.00 the customer owes 100.00 + 0.41 + 10.00 = 110.41.
    assert item_interest(10000, 0.10, 15) == 41
    import pandas as pd

    charges = pd.DataFrame(
        {
            "customer_id": ["A"],
            "document_id": ["I1"],
            "due_date": [pd.Timestamp("2026-06-15")],
            "outstanding_cents": [10000],
            "days_overdue": [15],
            "disputed": [False],
            "interest_cents": [41],
        }
    )
    totals = late_charge_totals(charges, fee_cents=1000)
    assert totals.iloc[0].to_dict() == {
        "customer_id": "A",
        "items": 1,
        "outstanding_cents": 10000,
        "interest_cents": 41,
        "fee_cents": 1000,
        "total_due_cents": 11041,
    }


def test_half_up_at_half_a_cent():
    # 18.25 × 10% × 5 / 365 = 1825 × 0.5 / 365 = 2.5 cents -> 3 (banker's rounding would give 2);
    # 3.65 × 10% × 5 / 365 = 0.5 cents -> 1.
    assert item_interest(1825, 0.10, 5) == 3
    assert item_interest(365, 0.10, 5) == 1
    assert item_interest(1000, 0.10, 0) == 0 and item_interest(-500, 0.10, 9) == 0


def test_items_contract_rate(ledger):
    charges = late_charges(ledger, AS_OF, annual_rate=0.10, fee_cents=1000)
    got = {
        r.document_id: (r.outstanding_cents, r.days_overdue, r.disputed, r.interest_cents)
        for r in charges.itertuples()
    }
    # I1: 0.41 as in the SPEC; I7: 5000 × 0.1 × 10 / 365 = 13.70 -> 14; I2: 2.5 -> 3;
    # I3 disputed: 0; I6 (300.00 less 100.00 paid): 20000 × 0.1 × 30 / 365 = 164.38 -> 164.
    assert got == {
        "I1": (10000, 15, False, 41),
        "I7": (5000, 10, False, 14),
        "I2": (1825, 5, False, 3),
        "I3": (50000, 10, True, 0),
        "I6": (20000, 30, False, 164),
    }
    assert charges.attrs == {
        "preset": "contract",
        "annual_rate": 0.10,
        "fee_cents": 1000,
        "per_invoice_cents": 0,
        "fee_basis": "customer",  # no contact log: once per customer, as before
        "reminders": {},
    }


def test_totals_fee_once_and_disputed_left_out(ledger):
    totals = late_charge_totals(late_charges(ledger, AS_OF, annual_rate=0.10, fee_cents=1000))
    rows = {r.customer_id: r[2:] for r in totals.itertuples()}
    # A: 2 items, 150.00 + 0.55 + one fee 10.00 = 160.55. B: the disputed 500.00 is left out:
    # 18.25 + 0.03 + 10.00 = 28.28. D: 200.00 + 1.64 + 10.00 = 211.64. C owes nothing overdue.
    assert rows == {
        "A": (2, 15000, 55, 1000, 16055),
        "B": (1, 1825, 3, 1000, 2828),
        "D": (1, 20000, 164, 1000, 21164),
    }
    assert list(totals["customer_id"]) == ["D", "A", "B"]


def test_rate_and_fee_from_policy(ledger):
    policy = load_policy({"late_charges": {"annual_rate": 0.1, "fee": 10}})
    totals = late_charge_totals(late_charges(ledger, AS_OF, policy=policy))
    assert int(totals["total_due_cents"].sum()) == 16055 + 2828 + 21164
    assert late_charges(ledger, AS_OF)["interest_cents"].sum() == 0  # shipped policy: 0%


def test_eu_preset(ledger):
    # Rate = reference 2.15% + margin 8 points = 10.15%; I1: 10000 × 0.1015 × 15 / 365 = 41.71
    # -> 42; I7: 5000 × 0.1015 × 10 / 365 = 13.90 -> 14; I2: 1825 × 0.1015 × 5 / 365 = 2.54 -> 3;
    # I6: 20000 × 0.1015 × 30 / 365 = 166.85 -> 167. No fee: 40.00 per overdue invoice instead.
    charges = late_charges(ledger, AS_OF, preset="eu")
    assert charges.attrs["annual_rate"] == pytest.approx(0.1015)
    assert dict(zip(charges["document_id"], charges["interest_cents"])) == {
        "I1": 42,
        "I7": 14,
        "I2": 3,
        "I3": 0,
        "I6": 167,
    }
    rows = {r.customer_id: r[2:] for r in late_charge_totals(charges).itertuples()}
    # A: 150.00 + 0.56 + 2 × 40.00 = 230.56; B: 18.25 + 0.03 + 40.00; D: 200.00 + 1.67 + 40.00.
    assert rows == {
        "A": (2, 15000, 56, 8000, 23056),
        "B": (1, 1825, 3, 4000, 5828),
        "D": (1, 20000, 167, 4000, 24167),
    }
    by_policy = late_charges(ledger, AS_OF, policy=load_policy({"late_charges": {"preset": "eu"}}))
    assert by_policy.equals(charges)


@pytest.mark.parametrize("rate", [10, -0.1, 1.5, "ten"])
def test_bad_rate_says_how(ledger, rate):
    with pytest.raises(ParameterError, match=r"0.10"):
        late_charges(ledger, AS_OF, annual_rate=rate)


def test_fee_with_eu_preset_refused():
    with pytest.raises(ParameterError, match="instead of a fee"):
        charge_terms(None, preset="eu", fee_cents=1000)
    with pytest.raises(ParameterError, match="'contract' or 'eu'"):
        charge_terms(None, preset="uk")


@given(
    cents=st.integers(0, 10**10),
    rate=st.floats(0, 1),
    days=st.integers(-10, 5000),
    more=st.integers(0, 1000),
)
def test_interest_never_falls_as_days_grow(cents, rate, days, more):
    assert item_interest(cents, rate, days + more) >= item_interest(cents, rate, days) >= 0


def test_interest_grows_with_the_as_of_date(ledger):
    totals = [
        late_charges(ledger, day, annual_rate=0.08)["interest_cents"].sum()
        for day in ("2026-06-30", "2026-07-31", "2026-09-30")
    ]
    assert totals == sorted(totals) and totals[0] < totals[-1]


def test_cli_late_charges(tmp_path, capsys):
    folder = write_ledger(tmp_path / "l", invoices=INVOICES, payments=PAYMENTS)
    code = cli.main(
        [
            "late-charges",
            str(folder),
            "--as-of",
            AS_OF,
            "--rate",
            "0.10",
            "--fee",
            "10.00",
            "--format",
            "json",
        ]
    )
    rows = json.loads(capsys.readouterr().out)
    assert code == 0
    assert {r["customer_id"]: r["total_due_cents"] for r in rows} == {
        "A": 16055,
        "B": 2828,
        "D": 21164,
    }
    assert (
        cli.main(["late-charges", str(folder), "--as-of", AS_OF, "--rules", "eu", "--by", "item"])
        == 0
    )
    out = capsys.readouterr().out
    assert "I6" in out and "10.15% a year" in out and "40.00 per overdue invoice" in out


def test_cli_late_charges_bad_input(tmp_path, capsys):
    folder = write_ledger(tmp_path / "l", invoices=INVOICES, payments=PAYMENTS)
    assert cli.main(["late-charges", str(folder), "--as-of", AS_OF, "--rate", "10"]) == 2
    assert "0.10" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_:
        cli.main(["late-charges", str(folder), "--as-of", AS_OF, "--fee", "ten"])
    assert exit_.value.code == 2


# -- the fee once per reminder actually sent (the contact log's documents) ---------------------


def _doc(log, customer, day, step, outcome="sent"):
    import datetime as dt

    at = dt.datetime.fromisoformat(f"{day}T00:00:00+00:00")
    return log.add(
        customer,
        channel="email" if outcome == "sent" else "letter",
        outcome=outcome,
        who="t",
        at=at,
        step=step,
        document=f"{customer}/{day}-notice.pdf",
        sha256="0" * 64,
    )


@pytest.fixture
def reminded(tmp_path):
    import datetime as dt

    from arbook.collections.contacts import ContactLog

    log = ContactLog(path=tmp_path / "collections.db")
    _doc(log, "A", "2026-06-20", "second_call", "saved")  # late charges apply from this step
    _doc(log, "A", "2026-06-20", "second_call")  # the same reminder again that day: one
    _doc(log, "A", "2026-06-28", "final_notice")  # a second reminder
    _doc(log, "A", "2026-06-16", "reminder")  # a step without late charges: no fee
    log.add("A", channel="phone", outcome="reached", who="t",
            at=dt.datetime(2026, 6, 29, tzinfo=dt.UTC))  # a call is no reminder  # fmt: skip
    _doc(log, "B", "2026-06-10", "second_call")  # before B's oldest undisputed item fell due
    _doc(log, "D", "2026-07-05", "second_call")  # after the as-of date: not yet
    yield log
    log.close()


def test_the_fee_is_charged_once_per_reminder_sent(ledger, reminded):
    from arbook.credit.penalties import reminder_fees

    fees = reminder_fees(ledger, AS_OF, reminded, fee_cents=1000)
    assert [(r.customer_id, f"{r.date:%Y-%m-%d}", r.step, r.template, r.fee_cents)
            for r in fees.itertuples()] == [
        ("A", "2026-06-20", "second_call", "notice", 1000),
        ("A", "2026-06-28", "final_notice", "final_notice", 1000),
    ]  # fmt: skip
    charges = late_charges(ledger, AS_OF, annual_rate=0.10, fee_cents=1000, log=reminded)
    assert charges.attrs["fee_basis"] == "reminder" and charges.attrs["reminders"] == {"A": 2}
    rows = {r.customer_id: r[2:] for r in late_charge_totals(charges).itertuples()}
    # A: 150.00 + 0.55 + two fees 20.00 = 170.55; B and D were sent no reminder that counts:
    # B 18.25 + 0.03 = 18.28, D 200.00 + 1.64 = 201.64.
    assert rows == {
        "A": (2, 15000, 55, 2000, 17055),
        "D": (1, 20000, 164, 0, 20164),
        "B": (1, 1825, 3, 0, 1828),
    }


def test_a_reminder_about_a_debt_since_paid_is_not_charged_again(ledger, reminded):
    from arbook.credit.penalties import reminder_fees

    # as of 2026-06-19 A's reminders of the 20th and 28th had not been sent yet
    assert reminder_fees(ledger, "2026-06-19", reminded, fee_cents=1000).empty
    # under the EU preset the reminders carry no fee (40.00 per overdue invoice instead)
    eu = late_charge_totals(late_charges(ledger, AS_OF, preset="eu", log=reminded))
    assert dict(zip(eu["customer_id"], eu["fee_cents"])) == {"A": 8000, "B": 4000, "D": 4000}


def test_cli_late_charges_by_reminder_with_the_log(tmp_path, capsys, reminded):
    folder = write_ledger(tmp_path / "l", invoices=INVOICES, payments=PAYMENTS)
    log = str(tmp_path / "collections.db")
    argv = ["late-charges", str(folder), "--as-of", AS_OF, "--fee", "10.00", "--log", log]
    assert cli.main([*argv, "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert {r["customer_id"]: r["fee_cents"] for r in rows} == {"A": 2000, "B": 0, "D": 0}
    assert cli.main([*argv, "--by", "reminder"]) == 0
    out = capsys.readouterr().out
    assert "second_call" in out and "final_notice" in out and "a fee per reminder sent" in out
    assert cli.main(argv[:-2]) == 0  # no log in the data folder: once per customer, and said
    assert "there is no contact log to count the reminders" in capsys.readouterr().out


def test_a_dispute_in_the_log_accrues_nothing_on_its_part(tmp_path):
    # 1,000.00 overdue 30 days at 36.5% a year: 30.00 of interest; 400.00 of it disputed in
    # the log: 600.00 x 0.365 x 30 / 365 = 18.00
    import datetime as dt

    from arbook.collections.contacts import ContactLog

    ledger = ledger_of(
        tmp_path,
        invoices="""
        X1,X,2026-09-01,2026-10-01,1000.00
        """,
    )
    assert late_charges(ledger, "2026-10-31", annual_rate=0.365).loc[0, "interest_cents"] == 3000
    with ContactLog(path=tmp_path / "log.db") as log:
        log.open_dispute(
            "X", "X1", reason="price", who="me", amount_cents=40000,
            at=dt.datetime(2026, 10, 5, tzinfo=dt.UTC),
        )  # fmt: skip
        row = late_charges(ledger, "2026-10-31", annual_rate=0.365, log=log).loc[0]
    assert row["interest_cents"] == 1800 and not row["disputed"]
