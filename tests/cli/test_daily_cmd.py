"""`arbook daily`: the morning run from the command line."""

from __future__ import annotations

from conftest import ledger_of

from arbook.cli.commands import main

INVOICES = """
    IA,A,2026-09-21,2026-10-21,1000.00
    IC,C,2026-09-30,2026-10-30,3000.00
"""


def _ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES)


def test_the_command(tmp_path, capsys):
    _ledger(tmp_path)
    data = tmp_path / "ledger"
    assert main(["daily", str(data), "--as-of", "2026-10-31"]) == 0
    out = capsys.readouterr().out
    assert "arbook daily: 2026-10-31 (as given)" in out
    assert (data / "daily" / "2026-10-31.txt").is_file()
    assert (data / "daily" / "2026-10-31.html").is_file()
    assert main(["daily", str(data), "--as-of", "2026-13-01"]) == 2
    assert "2026-13-01" in capsys.readouterr().err


# --- three mornings in a row ----------------------------------------------------------------

WEEK_INVOICES = """
    IA,A,2026-10-02,2026-11-01,1000.00
    IB,B,2026-10-07,2026-11-06,500.00
    IC,C,2026-09-20,2026-10-20,300.00
    ID,D,2026-10-02,2026-11-01,200.00
    IE,E,2026-09-01,2026-10-01,400.00
"""
WEEK_CUSTOMERS = """
    customer_id,name,email,language,contact
    A,Alpha Ltd,ap@alpha.example,en,Ann
    B,Beta SA,cobros@beta.example,es,Bea
    C,Gamma,ap@gamma.example,en,Cy
    D,Delta,,en,Dan
    E,Epsilon,ap@epsilon.example,en,Eve
"""


def _week(tmp_path, port):
    from conftest import write_ledger

    folder = write_ledger(tmp_path / "client", invoices=WEEK_INVOICES, customers=WEEK_CUSTOMERS)
    (folder / "policy.toml").write_text(
        'currency = "EUR"\n[company]\nname = "Acme Supplies S.L."\nemail = "ar@acme.example"\n'
        f'[smtp]\nhost = "127.0.0.1"\nport = {port}\nsecurity = "none"\n',
        encoding="utf-8",
    )
    return folder


def _documents(folder, day):
    import csv

    with open(folder / "outbox" / "register.csv", encoding="utf-8") as handle:
        rows = [r for r in csv.DictReader(handle) if r["as_of"] == day]
    return {(r["customer_id"], r["status"]) for r in rows if r["file"].endswith(".pdf")}


def test_three_mornings_list_queue_send_and_record(tmp_path, capsys, monkeypatch, smtp_server):
    """Monday queues the documents due; Tuesday sends what is due (Monday's unapproved ones
    too) and records each in the log; Wednesday sends nothing twice, lists the plan instalment
    that broke and queues the next step's notice."""
    import datetime as dt

    from arbook.collections.contacts import ContactLog
    from arbook.collections.documents.register import queued

    for name in ("ARBOOK_SMTP_HOST", "ARBOOK_SMTP_PORT", "ARBOOK_SMTP_USER", "ARBOOK_LOG"):
        monkeypatch.delenv(name, raising=False)
    inbox, port = smtp_server, smtp_server.port
    folder = _week(tmp_path, port)
    with ContactLog(path=folder / "collections.db") as log:  # E agreed a plan on Friday
        log.add_plan(
            "E",
            instalments=[("2026-11-03", 20000), ("2026-11-17", 20000)],
            documents=["IE"],
            who="ann",
            at=dt.datetime(2026, 10, 30, 10, tzinfo=dt.UTC),
        )
    data = str(folder)

    # Monday: A and D reached the reminder (statement) on the 2nd; C is on the first call
    # (a phone call, no document); E is paused by its plan
    assert main(["daily", data, "--as-of", "2026-11-02"]) == 0
    monday = (folder / "daily" / "2026-11-02.txt").read_text("utf-8")
    assert "Documents due today by the ladder (2):" in monday
    assert _documents(folder, "2026-11-02") == {("A", "queued"), ("D", "queued")}
    assert "E Epsilon" not in monday.split("Today's worklist")[1]
    assert not inbox.envelopes
    with ContactLog(path=folder / "collections.db") as log:
        assert log.history().empty  # queued is not given: nothing recorded yet

    # Tuesday, --send: A's statement (still not given) e-mailed; B reached the pre-due
    # step (3 days before the 6th): e-mailed; D has no address: queued to print and post
    assert main(["daily", data, "--as-of", "2026-11-03", "--send"]) == 0
    out = capsys.readouterr().out
    assert "sent 2" in out and "queued 1" in out, out
    assert sorted(str(e.rcpt_tos[0]) for e in inbox.envelopes) == [
        "ap@alpha.example",
        "cobros@beta.example",
    ]
    assert ("A", "sent") in _documents(folder, "2026-11-03")
    with ContactLog(path=folder / "collections.db") as log:
        given = log.history()
    assert sorted(given["customer_id"]) == ["A", "B"]
    assert set(given["outcome"]) == {"sent"} and set(given["channel"]) == {"email"}
    # Monday's unapproved copies are withdrawn: a newer one superseded each
    waiting = queued(folder / "outbox")
    assert list(zip(waiting["customer_id"], waiting["as_of"])) == [("D", "2026-11-03")]
    assert set(given["step"]) == {"reminder", "pre_due"} and given["sha256"].str.len().eq(64).all()

    # Wednesday: nobody is e-mailed twice; C crossed to the second call (+15: a notice),
    # queued; E's first instalment broke yesterday: listed, and E is back on the worklist
    assert main(["daily", data, "--as-of", "2026-11-04"]) == 0
    wednesday = (folder / "daily" / "2026-11-04.txt").read_text("utf-8")
    assert len(inbox.envelopes) == 2
    assert "Payment-plan instalments broken (1):" in wednesday
    assert "E Epsilon: instalment 1 of plan" in wednesday
    assert "plan instalment 1 of 200.00 due 2026-11-03 broken" in wednesday
    assert "C Gamma: first call -> second call" in wednesday
    wednesday_docs = _documents(folder, "2026-11-04")
    assert ("C", "queued") in wednesday_docs
    assert not {c for c, _ in wednesday_docs} & {"A", "B"}
