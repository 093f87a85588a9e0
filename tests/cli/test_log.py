"""``arbook log`` end to end (:mod:`arbook.cli.log`): log a contact and read it back, promises,
disputes (open, note, resolve, the imported flag), payment plans (agree, list, cancel), export;
labels for people and codes for machines; every refusal with its exit code and the flag named;
``--log`` as a file, a SQLite URL or a PostgreSQL URL; and the log the dashboard writes read by
the CLI without --log (issue 13: C0140 left the dashboard's list, the CLI still ranked it)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil

import pytest
from conftest import PG_URL, SAMPLE, pg_schema, write_ledger

from arbook.cli.commands import main
from arbook.collections.contacts import ContactLog

INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    A1,A,2026-09-01,2026-10-01,1000.00,no
    A2,A,2026-10-15,2026-11-14,200.00,no
    B1,B,2026-08-01,2026-09-01,500.00,yes
"""
PAYMENTS = """
    PA,A,2026-11-05,150.00,
"""
CUSTOMERS = """
    A,Alpha Ltd
    B,Beta Ltd
"""
AS_OF = "2026-10-31"


@pytest.fixture
def data(tmp_path, monkeypatch):
    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    monkeypatch.setenv("USER", "ann")
    return write_ledger(
        tmp_path / "client", invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS
    )


def run(capsys, *argv):
    """(exit code, stdout, stderr) of ``arbook *argv``; argparse's refusals exit 2 too."""
    try:
        code = main([str(a) for a in argv])
    except SystemExit as exc:
        code = exc.code
    out, err = capsys.readouterr()
    return code, out, err


def rows(out: str) -> list[dict]:
    return list(csv.DictReader(io.StringIO(out)))


# -- contacts ------------------------------------------------------------------------------------


def test_add_then_history_with_labels_for_people_and_codes_for_machines(capsys, data):
    code, out, err = run(
        capsys,
        *("log", "add", data, "A", "--channel", "phone", "--outcome", "no_answer"),
        *("--excuse", "cheque_in_post", "--note", "left voicemail", "--at", AS_OF),
    )
    assert code == 0 and out == "logged contact 1 with A Alpha Ltd: phone, no answer\n"
    assert f"started a new contact log at {data / 'collections.db'}" in err
    code, out, _ = run(capsys, "log", "history", data)
    assert code == 0
    header, _, line = out.splitlines()
    assert header.split()[:4] == ["id", "at", "customer", "name"]
    for shown in ("2026-10-31", "Alpha Ltd", "ann", "no answer", "The cheque is in the post."):
        assert shown in line
    assert "no_answer" not in out and "cheque_in_post" not in out
    code, out, _ = run(capsys, "log", "history", data, "A", "--format", "csv")
    (row,) = rows(out)
    assert (row["outcome"], row["excuse"], row["who"], row["note"]) == (
        "no_answer",
        "cheque_in_post",
        "ann",
        "left voicemail",
    )
    assert row["at"].startswith("2026-10-31T") and row["at"].endswith("+00:00")  # its time kept


def test_a_promise_and_the_promises(capsys, data):
    code, out, _ = run(
        capsys,
        *("log", "add", data, "A", "--channel", "phone", "--outcome", "promise"),
        *("--promise", "250.00", "--promise-date", "2026-11-10", "--next", "2026-11-11"),
        *("--at", AS_OF, "--who", "bob"),
    )
    assert code == 0
    assert out.strip().endswith(
        "phone, promise to pay, promise of 250.00 by 2026-11-10, next contact 2026-11-11"
    )
    code, out, err = run(capsys, "log", "promises", data, "--format", "json")
    (promise,) = json.loads(out)
    assert (promise["customer_id"], promise["name"], promise["promise_cents"]) == (
        "A",
        "Alpha Ltd",
        25000,
    )
    assert (promise["status"], promise["paid_cents"]) == ("open", 15000)
    assert "as of 2026-11-05, the data's latest day (--as-of to choose another)" in err
    # the 150.00 paid on 11-05 falls short of it: broken from 11-11
    code, out, _ = run(capsys, "log", "promises", data, "--as-of", "2026-11-11", "--format", "csv")
    assert rows(out)[0]["status"] == "broken" and rows(out)[0]["paid_cents"] == "15000"


@pytest.mark.parametrize(
    "argv, message",
    [
        (["Z", "--channel", "phone", "--outcome", "reached"], "customer 'Z' is not in the data"),
        (
            ["A", "--channel", "phone", "--outcome", "promise", "--promise", "10"],
            "outcome 'promise' needs both --promise and --promise-date",
        ),
        (
            ["A", "--channel", "phone", "--outcome", "reached", "--next", "2026-10-01"],
            "--next 2026-10-01 is before the contact (2026-10-31)",
        ),
        (["A", "--channel", "phone", "--outcome", "reached", "--promise", "0"], "must be above 0"),
        (["A", "--channel", "fax", "--outcome", "reached"], "invalid choice: 'fax'"),
        (["A", "--channel", "phone", "--outcome", "reached", "--at", "31/10"], "not a date"),
    ],
)
def test_a_bad_contact_is_refused_naming_the_flag_and_logs_nothing(capsys, data, argv, message):
    argv = ["log", "add", data, *argv]
    code, out, err = run(capsys, *(argv if "--at" in argv else [*argv, "--at", AS_OF]))
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    if (data / "collections.db").exists():
        with ContactLog(path=data / "collections.db") as log:
            assert log.history().empty


def test_who_defaults_to_the_user(capsys, data, monkeypatch):
    monkeypatch.delenv("USER")
    monkeypatch.delenv("USERNAME", raising=False)
    code, _, err = run(capsys, "log", "add", data, "A", "--channel", "sms", "--outcome", "other")
    assert code == 2 and "give --who (your name); $USER is not set" in err


def test_a_contact_after_the_data_is_said(capsys, data):
    code, _, err = run(
        capsys,
        *("log", "add", data, "A", "--channel", "email", "--outcome", "reached"),
        *("--at", "2026-12-01T09:00+01:00"),
    )
    assert code == 0
    assert "dated 2026-12-01, after the data's latest day (2026-11-05)" in err


# -- disputes ------------------------------------------------------------------------------------


def test_a_dispute_from_open_to_resolved(capsys, data):
    code, out, _ = run(
        capsys,
        *("log", "dispute", "open", data, "A", "A1", "--reason", "wrong price"),
        *("--amount", "300.00", "--owner", "bob", "--at", "2026-10-20"),
    )
    assert code == 0 and out.startswith("opened dispute 1 on A1 of A Alpha Ltd: 300.00;")
    code, out, _ = run(capsys, "log", "disputes", data, "--as-of", AS_OF, "--format", "csv")
    found = {r["document_id"]: r for r in rows(out)}
    assert set(found) == {"A1", "B1"}
    assert (found["A1"]["dispute_id"], found["A1"]["disputed_cents"]) == ("1", "30000")
    assert (found["A1"]["age_days"], found["A1"]["owner"], found["A1"]["source"]) == (
        "11",
        "bob",
        "log",
    )
    assert (found["B1"]["dispute_id"], found["B1"]["source"]) == ("", "imported")
    code, out, _ = run(capsys, "log", "disputes", data, "--as-of", AS_OF)
    assert "contact log" in out and "imported (disputed = yes)" in out
    code, out, _ = run(
        capsys, "log", "dispute", "note", data, "1", "--note", "sent the order", "--owner", "cy"
    )
    assert code == 0 and out == "noted on dispute 1; its owner is now cy\n"
    code, out, _ = run(
        capsys, "log", "dispute", "resolve", data, "1", "--as", "credited", "--at", AS_OF
    )
    assert code == 0 and out == "resolved dispute 1 on A1: credited\n"
    # the imported one, by its invoice
    code, out, _ = run(
        capsys,
        "log",
        "dispute",
        "resolve",
        data,
        "--document",
        "B1",
        "--as",
        "rejected",
        "--at",
        AS_OF,
    )
    assert code == 0 and out == "resolved dispute 2 on B1: rejected\n"
    code, out, _ = run(capsys, "log", "disputes", data, "--as-of", AS_OF)
    assert out.strip() == "(nothing to show)"
    code, out, _ = run(capsys, "log", "disputes", data, "--all", "--format", "csv")
    assert [(r["dispute_id"], r["status"], r["notes"]) for r in rows(out)] == [
        ("1", "credited", "1"),
        ("2", "rejected", "0"),
    ]


@pytest.mark.parametrize(
    "argv, message",
    [
        (
            ["open", "A", "A1", "--reason", "x", "--amount", "1000.01"],
            "amount 1,000.01 is more than the 1,000.00 owed on A1",
        ),
        (["open", "A", "B1", "--reason", "x"], "document B1 is customer B's, not A's"),
        (["open", "A", "A1", "--reason", " "], "--reason is ' '; it must be non-empty text"),
        (["note", "7", "--note", "x"], "dispute 7 does not exist"),
        (["resolve", "--as", "paid"], "give the dispute's id or --document INVOICE"),
        (["resolve", "--document", "A2", "--as", "paid"], "A2 is not in dispute on"),
        (["resolve", "1", "--as", "won"], "invalid choice: 'won'"),
    ],
)
def test_a_bad_dispute_is_refused(capsys, data, argv, message):
    code, out, err = run(capsys, "log", "dispute", argv[0], data, *argv[1:])
    assert code == 2 and out == "" and message in err


# -- payment plans -------------------------------------------------------------------------------


def test_a_plan_agreed_listed_and_cancelled(capsys, data):
    code, out, err = run(
        capsys,
        *("log", "plan", "add", data, "A", "--documents", "A1,A2", "--at", "2026-11-01"),
        *("--instalment", "2026-11-10=100.00", "--instalment", "2026-12-10=100.00"),
    )
    assert code == 0
    assert out == (
        "agreed payment plan 1 with A Alpha Ltd: 2 instalment(s) of 200.00 in all, "
        "2026-11-10 to 2026-12-10, for A1, A2\n"
    )
    assert "note: the instalments add up to 200.00 of the 1,200.00 owed on A1, A2" in err
    code, out, _ = run(capsys, "log", "plans", data, "--as-of", "2026-11-20")
    assert "on track" in out and "A1, A2" in out
    code, out, _ = run(
        capsys, "log", "plans", data, "--as-of", "2026-11-20", "--instalments", "--format", "csv"
    )
    assert [(r["number"], r["paid_cents"], r["status"]) for r in rows(out)] == [
        ("1", "10000", "kept"),
        ("2", "5000", "open"),
    ]
    code, out, _ = run(
        capsys, "log", "plan", "cancel", data, "1", "--note", "renegotiated", "--at", "2026-11-21"
    )
    assert code == 0 and out == "cancelled payment plan 1; its invoices are chased again\n"
    code, out, _ = run(capsys, "log", "plans", data, "--as-of", "2026-11-30", "--format", "json")
    (plan,) = json.loads(out)
    assert (plan["status"], plan["paused"], plan["documents"]) == ("cancelled", False, ["A1", "A2"])


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--instalment", "2026-10-30=10"], "instalment 1 is due 2026-10-30, before the plan"),
        (["--instalment", "2026-11-10=1200.01"], "more than the 1,200.00 owed on A1, A2"),
        (["--instalment", "2026-11-10"], "write an instalment as DATE=AMOUNT"),
        (["--instalment", "2026-11-10=-5"], "must be above 0"),
    ],
)
def test_a_bad_plan_is_refused(capsys, data, argv, message):
    code, out, err = run(
        capsys, "log", "plan", "add", data, "A", "--documents", "A1,A2", "--at", "2026-11-01", *argv
    )
    assert code == 2 and out == "" and message in err


def test_export_and_a_log_named_by_url(capsys, data, tmp_path):
    url = f"sqlite:///{tmp_path / 'elsewhere.db'}"
    code, _, _ = run(
        capsys, "log", "add", data, "B", "--channel", "visit", "--outcome", "paid", "--log", url
    )
    assert code == 0 and not (data / "collections.db").exists()
    code, out, _ = run(capsys, "log", "export", data, tmp_path / "log.csv", "--log", url)
    assert code == 0 and out.strip() == str(tmp_path / "log.csv")
    with open(tmp_path / "log.csv", encoding="utf-8") as written:
        assert [r["outcome"] for r in csv.DictReader(written)] == ["paid"]


def test_reading_a_log_that_is_not_there(capsys, data, tmp_path):
    code, out, err = run(capsys, "log", "history", data)
    assert code == 0 and out.strip() == "(nothing to show)" and "no contact log yet" in err
    code, _, err = run(capsys, "log", "history", data, "--log", tmp_path / "typo.db")
    assert code == 2 and "no such file" in err
    code, _, err = run(capsys, "log", "export", data, tmp_path / "x.csv")
    assert code == 2 and "nothing to export" in err


# -- the log of every command ------------------------------------------------------------------


@pytest.mark.skipif(
    not PG_URL,
    reason="ARBOOK_TEST_POSTGRES_URL is unset; CI sets it to run this against PostgreSQL",
)
def test_a_postgresql_log_in_libpq_spelling_serves_every_command(capsys, data):
    with pg_schema() as schema:  # a schema of its own, dropped afterwards
        url = schema.replace("postgresql+psycopg://", "postgres://", 1)  # as libpq writes it
        code, _, err = run(
            capsys,
            *("log", "add", data, "A", "--channel", "phone", "--outcome", "promise"),
            *("--promise", "10", "--promise-date", "2026-10-31", "--at", "2026-10-20"),
            *("--log", url),
        )
        assert code == 0, err
        code, out, _ = run(capsys, "log", "history", data, "--log", url, "--format", "csv")
        assert [r["outcome"] for r in rows(out)] == ["promise"]
        # a broken promise (nothing paid by 10-31) puts A on hold: holds read the same log
        code, out, err = run(
            capsys, "holds", data, "--as-of", "2026-11-02", "--log", url, "--format", "csv"
        )
        assert code == 0, err
        assert any(r["customer_id"] == "A" for r in rows(out))


def test_the_cli_reads_the_log_the_dashboard_writes(capsys, tmp_path, monkeypatch):
    """The dashboard's call screen logs C0140's promise into the data folder's log; the CLI,
    given no --log, reads that log: C0140 leaves the worklist, its history shows the promise;
    and what the CLI logs the call screen shows."""
    import arbook
    from arbook.views.dashboard.collections_tab import CollectionsTab
    from arbook.workbook.review import build_review

    monkeypatch.delenv("ARBOOK_LOG", raising=False)
    folder = tmp_path / "sample"
    shutil.copytree(SAMPLE, folder)
    code, out, _ = run(capsys, "worklist", folder, "--as-of", AS_OF, "--format", "csv")
    assert rows(out)[0]["customer_id"] == "C0140"
    review = build_review(arbook.read_ledger(folder), AS_OF)
    noon = dt.datetime(2026, 10, 31, 12, 0, tzinfo=dt.UTC)
    tab = CollectionsTab(review.ledger, now=lambda: noon)
    try:
        tab.render(review)
        tab.pick("C0140")
        for name, value in {
            "channel": "phone",
            "outcome": "promise",
            "who": "Ann Collector",
            "promise_amount": "5,000.00",
            "promise_date": "2026-11-10",
            "next_date": "2026-11-11",
        }.items():
            tab.form[name].value = value
        assert tab.log_contact() is not None, tab.status
        assert "C0140" not in set(tab.worklist_frame["customer_id"])
        code, out, _ = run(capsys, "worklist", folder, "--as-of", AS_OF, "--format", "csv")
        assert code == 0 and "C0140" not in {r["customer_id"] for r in rows(out)}
        code, out, _ = run(capsys, "log", "history", folder, "C0140", "--format", "csv")
        assert [(r["who"], r["promise_cents"]) for r in rows(out)] == [("Ann Collector", "500000")]
        code, _, _ = run(
            capsys,
            *("log", "add", folder, "C0029", "--channel", "email", "--outcome", "reached"),
            *("--who", "bob", "--at", AS_OF),
        )
        assert code == 0
        assert tab.log.history("C0029")["who"].tolist() == ["bob"]
    finally:
        tab.log.close()
    assert (folder / "collections.db").is_file()
