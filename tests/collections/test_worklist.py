"""Collections: the ladder, the playbook, the worklist, its changes and its Excel sheet."""

from __future__ import annotations

import pandas as pd
import pytest
from conftest import ROOT, ledger_of
from openpyxl import load_workbook

import arbook
from arbook.cli.commands import main
from arbook.collections.ladder import ladder_step, load_ladder, load_playbook
from arbook.collections.playbook import excuse, follow_up
from arbook.collections.worklist import (
    WORKLIST_COLUMNS,
    previous_working_day,
    worklist,
    worklist_changes,
    write_worklist,
)
from arbook.core.config import LANGUAGES as LANGS
from arbook.core.errors import PolicyError

AS_OF = "2026-10-31"  # a Saturday
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount,disputed
    IA,A,2026-09-21,2026-10-21,1000.00,no
    IB,B,2026-08-02,2026-09-01,500.00,no
    IC,C,2026-09-30,2026-10-30,3000.00,no
    ID,D,2026-10-04,2026-11-03,200.00,no
    IE,E,2026-10-11,2026-11-10,10000.00,no
    IF1,F,2026-07-02,2026-08-01,9000.00,yes
    IF2,F,2026-09-29,2026-10-29,100.00,no
    IG,G,2026-09-01,2026-10-01,100.00,no
"""
PAYMENTS = """
    payment_id,customer_id,payment_date,amount,invoice_id
    PG,G,2026-10-05,100.00,IG
"""
CUSTOMERS = """
    customer_id,name,phone,email,language,contact
    A,Alpha Ltd,+1 555 0100,a@example.com,en,Ann
    B,Beta Ltd,+1 555 0101,b@example.com,en,Bob
    C,Gamma SA,+34 900 000 000,c@example.es,es,Carla
    D,Delta,555,d@example.com,en,Dan
    E,Epsilon,556,e@example.com,en,Eve
    F,Phi,557,f@example.com,en,Fay
    G,Gee,558,g@example.com,en,Gus
"""


@pytest.fixture
def ledger(tmp_path):
    return ledger_of(tmp_path, invoices=INVOICES, payments=PAYMENTS, customers=CUSTOMERS)


class FakeLog:
    """Stand-in for arbook.collections.contacts.ContactLog: history() and promises()."""

    def __init__(self, entries=(), promises=()):
        cols = [
            "id",
            "at",
            "customer_id",
            "who",
            "channel",
            "outcome",
            "excuse",
            "promise_cents",
            "promise_date",
            "next_date",
            "note",
            "corrects",
        ]
        rows = [{**dict.fromkeys(cols), "id": i + 1, **e} for i, e in enumerate(entries)]
        self.frame = pd.DataFrame(rows, columns=cols)
        self.promise_rows = pd.DataFrame(
            list(promises),
            columns=[
                "id",
                "customer_id",
                "promise_cents",
                "promise_date",
                "made_at",
                "paid_cents",
                "status",
            ],
        )

    def history(self, customer_id=None):
        return self.frame.iloc[::-1]

    def promises(self, ledger, as_of):
        return self.promise_rows


# --- ladder ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "days, key",
    [
        (-4, None),
        (-3, "pre_due"),
        (0, "pre_due"),
        (1, "reminder"),
        (6, "reminder"),
        (7, "first_call"),
        (14, "first_call"),
        (15, "second_call"),
        (29, "second_call"),
        (30, "final_notice"),
        (44, "final_notice"),
        (45, "visit"),
        (59, "visit"),
        (60, "agency"),
        (200, "agency"),
    ],
)
def test_ladder_step_boundaries(days, key):
    step = ladder_step(days, load_ladder())
    assert (step.key if step else None) == key


def test_ladder_steps_are_complete():
    steps = load_ladder().steps
    assert [s.days for s in steps] == [-3, 1, 7, 15, 30, 45, 60]
    assert {s.template for s in steps} >= {"reminder", "notice", "final_notice", "legal"}
    assert all(getattr(s.script, lang) and s.owner and s.ends_when for s in steps for lang in LANGS)
    assert steps[3].late_charges and steps[4].credit_hold


def test_bad_ladder_reports_every_bad_key(tmp_path):
    path = tmp_path / "ladder.toml"
    path.write_text(
        '[[steps]]\nkey = "a"\ndays = "soon"\naction = "x"\nowner = "me"\n'
        'ends_when = "paid"\ncolour = "red"\n[steps.script]\nen = "Hi {who}"\n'
        'es = "Hola"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as err:
        load_ladder(path)
    lines = str(err.value).splitlines()
    assert (
        f"{path}: steps.0.days: Input should be a valid integer, unable to parse string as "
        "an integer" in lines
    )
    assert any(line.startswith(f"{path}: steps.0.colour: unknown key") for line in lines)
    assert any(line.startswith(f"{path}: steps.0.script.en: unknown placeholder") for line in lines)
    assert f"{path}: steps.0.script.ru: missing; arbook/defaults/ladder.toml has it" in lines
    assert f"{path}: steps.0.credit_hold: missing; arbook/defaults/ladder.toml has it" in lines
    assert len(lines) == 7  # days, colour, template, late_charges, credit_hold, en, ru


def test_ladder_order_checked(tmp_path):
    text = (
        (ROOT / "arbook/defaults/ladder.toml").read_text("utf-8").replace("days = 7", "days = 90")
    )
    (tmp_path / "l.toml").write_text(text, encoding="utf-8")
    with pytest.raises(PolicyError, match="steps: step days must be strictly increasing"):
        load_ladder(tmp_path / "l.toml")


# --- playbook -------------------------------------------------------------------------------


def test_playbook_complete_in_every_language():
    book = load_playbook()
    codes = [e.code for e in book.excuses]
    assert len(codes) >= 10 and codes[0] == "unopened_mail"
    assert {
        "cheque_in_post",
        "never_received",
        "signer_away",
        "payment_run",
        "waiting_for_customer",
        "goods_problem",
        "cannot_pay",
        "send_copy",
        "talk_to_someone_else",
    } <= set(codes)
    for code in codes:
        for lang in LANGS:
            entry = excuse(code, lang)
            assert all(entry[k] for k in ("excuse", "answer", "next_step", "pin_down"))
            assert all(fact.strip() for fact in entry["pin_down"])
    mail = excuse("unopened_mail", "ru")
    assert "почт" in mail["excuse"] and "лично" in mail["answer"]
    assert "mail" in excuse("unopened_mail")["answer"]


def test_follow_up_date():
    assert follow_up("cheque_in_post", "2026-10-30").isoformat() == "2026-11-02"  # +3 days
    with pytest.raises(arbook.ParameterError, match="no excuse 'weather'"):
        follow_up("weather", "2026-10-30")


def test_bad_playbook_reports_every_bad_key(tmp_path):
    path = tmp_path / "p.toml"
    path.write_text(
        '[[excuses]]\ncode = "x"\nfollow_up_days = -1\nwhen = 3\n'
        '[excuses.en]\nexcuse = "e"\nanswer = "a"\npin_down = []\nnext_step = "n"\n',
        encoding="utf-8",
    )
    with pytest.raises(PolicyError) as err:
        load_playbook(path)
    lines = str(err.value).splitlines()
    assert {line.split(": ")[1] for line in lines} == {
        "excuses.0.follow_up_days",
        "excuses.0.when",
        "excuses.0.en.pin_down",
        "excuses.0.es",
        "excuses.0.ru",
    }


# --- worklist -------------------------------------------------------------------------------


def test_worklist_order(ledger):
    # priority = sum(overdue x min(1 + days/30, 5)) x (1 + (100 - score)/100):
    # C: 3000.00 1 day, score 79.33 -> 300000 x 1.0333 x 1.2067 = 374,067 -> rank 1
    # B:  500.00 60 days, score 40  -> 50000 x 3 x 1.6          = 240,000 -> rank 2
    # A: 1000.00 10 days, score 73.33 -> 100000 x 1.3333 x 1.2667 = 168,889 -> rank 3
    # F:  100.00 2 days (the 9000.00 disputed item is left out), score 29.99
    #     -> 10000 x 1.0667 x 1.7001 = 18,134 -> rank 4
    # D: due in 3 days: pre_due step, nothing overdue -> 0 -> rank 5
    # E (due in 10 days) is on no step; G paid.
    frame = worklist(ledger, AS_OF)
    assert list(frame.columns) == WORKLIST_COLUMNS
    assert list(frame["customer_id"]) == ["C", "B", "A", "F", "D"]
    assert list(frame["rank"]) == [1, 2, 3, 4, 5]
    assert list(frame["step"]) == ["reminder", "agency", "first_call", "reminder", "pre_due"]
    row = frame.set_index("customer_id").loc["A"]
    assert row["overdue_cents"] == 100000 and row["oldest_days"] == 10
    assert row["next_date"] == pd.Timestamp("2026-11-05")  # second call at 15 days
    assert "Ann" in row["script"] and "1,000.00" in row["script"]
    assert frame.set_index("customer_id").loc["F", "oldest_days"] == 2
    assert pd.isna(frame.set_index("customer_id").loc["B", "next_date"])  # last step
    assert "Carla" in worklist(ledger, AS_OF, lang="es").loc[0, "script"]


def _at(day):
    return pd.Timestamp(f"{day} 09:30", tz="UTC")


def test_logged_action_not_listed_and_follow_up_listed(ledger):
    log = FakeLog(
        [
            # A reached first_call on 2026-10-28; called on the 29th -> done
            {"at": _at("2026-10-29"), "customer_id": "A", "outcome": "reached"},
            # B called before reaching agency (2026-10-31) -> still due
            {"at": _at("2026-10-20"), "customer_id": "B", "outcome": "reached"},
            # F reached reminder on the 30th, was called that day, follow-up due today
            {
                "at": _at("2026-10-30"),
                "customer_id": "F",
                "excuse": "cheque_in_post",
                "next_date": pd.Timestamp("2026-10-31"),
            },
        ]
    )
    frame = worklist(ledger, AS_OF, log=log).set_index("customer_id")
    assert "A" not in frame.index
    assert "reached 'agency'" in frame.loc["B", "reason"]
    # F's 9,000.00 is in dispute: shown, never chased
    assert frame.loc["F", "reason"] == (
        "follow-up due 2026-10-31 (excuse: cheque_in_post); 9,000.00 more in dispute (not chased)"
    )
    assert frame.loc["F", "action"] == "follow-up call"
    assert frame.loc["F", "script"].startswith("Watch for the payment")
    assert frame.loc["F", "last_contact"] == pd.Timestamp("2026-10-30")
    assert "reached 'reminder'" in frame.loc["C", "reason"]  # reached today, not yet called


def test_promises_first_and_pausing(ledger):
    log = FakeLog(
        promises=[
            (1, "A", 100000, "2026-11-05", "2026-10-29", 0, "open"),  # pauses A until the 5th
            (2, "F", 10000, "2026-10-31", "2026-10-28", 0, "open"),  # due today -> first
            (3, "D", 20000, "2026-10-20", "2026-10-10", 0, "broken"),  # broken -> first
        ]
    )
    frame = worklist(ledger, AS_OF, log=log)
    # urgent ones first, by priority: F (18,134) before D (0); then C, B as before
    assert list(frame["customer_id"]) == ["F", "D", "C", "B"]
    assert frame.loc[0, "reason"].startswith("promise of 100.00 due today")
    # D also reached pre_due today: both reasons
    assert frame.loc[1, "reason"].startswith("promise of 200.00 due 2026-10-20 broken; reached")


def test_empty_log_lists_every_customer_on_a_step(ledger):
    assert list(worklist(ledger, AS_OF, log=FakeLog())["customer_id"]) == list(
        worklist(ledger, AS_OF)["customer_id"]
    )


def test_worklist_with_the_real_contact_log(ledger, tmp_path):
    from arbook.collections.contacts import ContactLog

    with ContactLog(path=tmp_path / "log.db") as log:
        log.add("A", channel="phone", outcome="reached", who="me", at=_at("2026-10-29"))
        log.add(
            "B",
            channel="phone",
            outcome="promise",
            who="me",
            promise_cents=50000,
            promise_date="2026-11-04",
            at=_at("2026-10-30"),
        )
        frame = worklist(ledger, AS_OF, log=log)
    assert list(frame["customer_id"]) == ["C", "F", "D"]  # A done, B paused by its promise


def test_worklist_changes(ledger):
    assert previous_working_day(AS_OF) == pd.Timestamp("2026-10-30")  # Friday
    assert previous_working_day("2026-11-02") == pd.Timestamp("2026-10-30")  # Monday
    log = FakeLog(
        promises=[
            (1, "B", 50000, "2026-10-30", "2026-10-20", 0, "broken"),
            (2, "A", 50000, "2026-10-10", "2026-10-01", 0, "broken"),
        ]
    )
    changes = worklist_changes(ledger, AS_OF, log=log)
    # IC fell due on the 30th: 1 day overdue on the 31st
    assert list(changes["newly_overdue"]["document_id"]) == ["IC"]
    assert list(changes["promises_broken"]["customer_id"]) == ["B"]  # A's broke long ago
    crossed = changes["crossed_step"].set_index("customer_id")
    # C: pre_due -> reminder; B: visit (59) -> agency (60); D: none (-4) -> pre_due (-3)
    assert crossed.loc["C", "from_step"] == "pre_due" and crossed.loc["C", "to_step"] == "reminder"
    assert crossed.loc["B", "to_step"] == "agency" and set(crossed.index) == {"B", "C", "D"}
    assert worklist_changes(ledger, AS_OF)["promises_broken"].empty


def test_write_worklist_neutralises_formulas(ledger, tmp_path):
    frame = worklist(ledger, AS_OF)
    frame["name"] = ['=HYPERLINK("http://x")', "+1", "-2", "@x", "Delta"]
    path = tmp_path / "w.xlsx"
    write_worklist(frame, path)
    sheet = load_workbook(path).active
    assert [c.value for c in sheet[1]][:5] == ["rank", "customer_id", "name", "phone", "overdue"]
    names = [sheet.cell(row=r, column=3) for r in range(2, 7)]
    assert [c.value for c in names] == ['\'=HYPERLINK("http://x")', "'+1", "'-2", "'@x", "Delta"]
    assert all(
        c.data_type == "s"
        for row in sheet.iter_rows()
        for c in row
        if c.value and isinstance(c.value, str)
    )
    money = sheet.cell(row=2, column=5)
    assert money.value == 3000.0 and money.number_format == "#,##0.00"
    assert sheet.freeze_panes == "A2" and sheet[1][0].font.bold


# --- CLI and the sample ---------------------------------------------------------------------


def test_cli_worklist_and_playbook(ledger, tmp_path, capsys):
    data = str(tmp_path / "ledger")
    assert main(["worklist", data, "--as-of", AS_OF, "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(WORKLIST_COLUMNS)
    assert main(["worklist", data, "--as-of", AS_OF, "--xlsx", str(tmp_path / "w.xlsx")]) == 0
    assert "Gamma SA" in capsys.readouterr().out and (tmp_path / "w.xlsx").exists()
    assert main(["worklist", data, "--as-of", AS_OF, "--log", str(tmp_path / "no.db")]) == 2
    assert "no.db': no such file" in capsys.readouterr().err
    assert main(["playbook", "--lang", "es"]) == 0
    assert "[unopened_mail] Su factura está en el montón" in capsys.readouterr().out


def test_sample_c0140_on_a_late_step():
    sample = arbook.read_ledger(ROOT / "data" / "sample")
    frame = worklist(sample, AS_OF).set_index("customer_id")
    assert frame.loc["C0140", "step"] in ("visit", "agency")
    assert frame.loc["C0140", "oldest_days"] >= 60
