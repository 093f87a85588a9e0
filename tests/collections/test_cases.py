"""The disputes' and plans' records in the log database (cases): written once, never updated;
one open dispute an invoice, one resolution a dispute, one running plan a customer."""

from __future__ import annotations

import datetime as dt

import pytest
import sqlalchemy as sa

from arbook.collections.contacts import ContactLog
from arbook.core.errors import ParameterError

AT = dt.datetime(2026, 10, 30, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def log(tmp_path):
    with ContactLog(path=tmp_path / "log.db") as opened:
        yield opened


def test_an_invoice_has_one_open_dispute_and_a_dispute_one_resolution(log):
    first = log.open_dispute("A", "IA", reason="price", who="ann", at=AT)
    with pytest.raises(ParameterError, match=f"IA is already in dispute {first}"):
        log.open_dispute("A", "IA", reason="again", who="bob", at=AT)
    log.note_dispute(first, who="ann", note="asked for the delivery note", owner="bob", at=AT)
    log.resolve_dispute(first, resolution="credited", who="bob", at=AT)
    with pytest.raises(ParameterError):
        log.resolve_dispute(first, resolution="paid", who="bob", at=AT)
    # resolved: the invoice may be disputed again
    second = log.open_dispute("A", "IA", reason="short delivery", who="ann", at=AT)
    assert second != first
    table = log.disputes(status="all").set_index("dispute_id")
    assert table.loc[first, "status"] == "credited" and table.loc[first, "owner"] == "bob"
    assert table.loc[second, "status"] == "open"


def test_records_are_written_once(log, tmp_path):
    number = log.open_dispute("A", "IA", reason="price", who="ann", at=AT)
    log.resolve_dispute(number, resolution="rejected", who="bob", at=AT)
    engine = sa.create_engine(f"sqlite:///{tmp_path / 'log.db'}")
    with engine.connect() as conn:
        disputes = conn.exec_driver_sql("SELECT id, reason FROM disputes").all()
        events = conn.exec_driver_sql("SELECT dispute_id, kind FROM dispute_events").all()
    engine.dispose()
    assert disputes == [(number, "price")]  # the dispute row itself is as opened
    assert [tuple(e) for e in events] == [(number, "resolved")]


def test_a_customer_has_one_running_plan(log):
    plan = log.add_plan("B", instalments=[("2026-11-05", 25000)], documents=["IB"], who="me", at=AT)
    with pytest.raises(ParameterError):
        log.add_plan("B", instalments=[("2026-11-06", 100)], documents=["IB"], who="me", at=AT)
    log.cancel_plan(plan, who="me", note="replaced", at=AT)
    again = log.add_plan("B", instalments=[("2026-11-06", 100)], documents=["IB"], who="me", at=AT)
    assert again != plan and set(log.plans()["plan_id"]) == {plan, again}
