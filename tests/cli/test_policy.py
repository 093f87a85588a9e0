"""The credit, discount, collections and document commands (:mod:`arbook.cli.policy`): their
wiring, the options left to the client's policy file, and what each prints around the library
call. What the numbers are is tested with each feature (tests/credit/test_holds.py,
test_penalties.py, test_discounts.py, test_application.py, tests/collections/test_worklist.py,
tests/collections/documents/)."""

from __future__ import annotations

import argparse
import csv
import io
import shutil

import pytest
from conftest import IBM, ROOT, write_ledger
from test_commands import run

import arbook
from arbook.cli.commands import COMMANDS
from arbook.cli.policy import POLICY_COMMANDS, policy_parsers
from arbook.credit.application import sample_application

AS_OF = "2026-03-31"
# A owes 100.00 due 2026-03-16 (15 days overdue at AS_OF) on a limit of 50.00; B owes 10.00,
# not yet due, with no limit. A reads Spanish.
INVOICES = """
    invoice_id,customer_id,invoice_date,due_date,amount
    I1,A,2026-02-14,2026-03-16,100.00
    I2,B,2026-03-20,2026-04-19,10.00
"""
CUSTOMERS = """
    customer_id,name,credit_limit,language
    A,Alpha Ltd,50.00,es
    B,Beta Ltd,,
"""


@pytest.fixture
def data(tmp_path):
    return write_ledger(tmp_path / "client", invoices=INVOICES, customers=CUSTOMERS)


def parser() -> tuple[argparse.ArgumentParser, argparse._SubParsersAction]:
    top = argparse.ArgumentParser(prog="arbook")
    sub = top.add_subparsers(dest="command", required=True)
    policy_parsers(sub)
    return top, sub


# -- wiring and options ------------------------------------------------------------------------


def test_every_command_has_its_parser_and_is_served_by_arbook():
    _, sub = parser()
    names = {
        "late-charges",
        "discount-cost",
        "discount",
        "scores",
        "holds",
        "credit-review",
        "score",
        "statement",
        "letter",
        "worklist",
        "playbook",
    }
    assert set(sub.choices) == set(POLICY_COMMANDS) == names
    assert all(COMMANDS[name] is command for name, command in POLICY_COMMANDS.items())


def test_the_commands_on_a_ledger_take_a_policy_file():
    _, sub = parser()
    with_policy = {n for n, p in sub.choices.items() if "--policy" in p._option_string_actions}
    assert with_policy == set(POLICY_COMMANDS) - {"discount-cost", "playbook", "score"}


def test_options_left_out_are_the_policy_s():
    top, _ = parser()
    late = top.parse_args(["late-charges", "D", "--as-of", AS_OF])
    assert (late.rate, late.fee, late.rules, late.by, late.policy) == (
        None,
        None,
        None,
        "customer",
        None,
    )
    discount = top.parse_args(["discount", "D", "--as-of", AS_OF])
    assert (discount.terms, discount.cost_of_capital, discount.uptake) == (None, None, None)
    holds = top.parse_args(["holds", "D", "--as-of", AS_OF])
    assert (holds.not_vetted, holds.log, holds.ladder) == (False, None, None)
    letter = top.parse_args(["letter", "D", "A", "--as-of", AS_OF, "--template", "notice"])
    assert (letter.lang, letter.step, letter.out, letter.company) == (None, None, None, None)
    assert top.parse_args(["late-charges", "D", "--as-of", AS_OF, "--fee", "7.5"]).fee == 750


@pytest.mark.parametrize(
    "argv",
    [
        ["letter", "D", "A", "--as-of", AS_OF],  # --template is required
        ["late-charges", "D", "--as-of", AS_OF, "--fee", "-1"],
        ["late-charges", "D", "--as-of", AS_OF, "--rules", "us"],
        ["worklist", "D", "--as-of", AS_OF, "--lang", "fr"],
        ["statement", "D", "A"],  # --as-of is required
        ["discount-cost", "2/10 net 30", "--pay-day", "soon"],
    ],
)
def test_bad_options_exit_2(argv, capsys):
    top, _ = parser()
    with pytest.raises(SystemExit) as exc:
        top.parse_args(argv)
    assert exc.value.code == 2 and "error:" in capsys.readouterr().err


# -- what the commands print -------------------------------------------------------------------


def test_late_charges_take_the_policy_file_and_flags_over_it(data, tmp_path, capsys):
    # A: 100.00 overdue 15 days. At 10% a year: 100 x 0.10 x 15 / 365 = 0.41, plus the fee of
    # 10.00 -> 110.41. --rate 0.05 over the file: 100 x 0.05 x 15 / 365 = 0.2055 -> 0.21.
    policy = tmp_path / "policy.toml"
    policy.write_text("[late_charges]\nannual_rate = 0.10\nfee = 10.00\n")
    code, out, _ = run(capsys, "late-charges", data, "--as-of", AS_OF, "--policy", policy)
    lines = out.splitlines()
    assert code == 0
    assert lines[2].split() == ["A", "1", "100.00", "0.41", "10.00", "110.41"]
    assert lines[-1] == (
        "Interest at 10.00% a year on overdue items (contract terms), plus a fee once per "
        "customer with something overdue: there is no contact log to count the reminders "
        "actually sent, so each is taken as reminded once, 10.00 each; disputed items accrue "
        "nothing."
    )
    code, out, _ = run(
        capsys, "late-charges", data, "--as-of", AS_OF, "--policy", policy, "--rate", "0.05"
    )
    assert code == 0 and out.splitlines()[2].split()[3:] == ["0.21", "10.00", "110.21"]
    assert "Interest at 5.00% a year" in out and "10.00 each" in out
    code, out, _ = run(capsys, "late-charges", data, "--as-of", AS_OF)  # the shipped policy
    assert code == 0 and "Interest at 0.00% a year" in out and "0.00 each" in out
    code, out, _ = run(
        capsys, "late-charges", data, "--as-of", AS_OF, "--policy", policy, "--format", "csv"
    )
    assert out == (
        "customer_id,items,outstanding_cents,interest_cents,fee_cents,total_due_cents\n"
        "A,1,10000,41,1000,11041\n"
    )  # one table for machines: no sentence under it


def test_holds_table_lists_the_unvetted_under_the_holds(data, capsys):
    code, out, _ = run(capsys, "holds", data, "--as-of", AS_OF)
    assert code == 0
    holds, unvetted = out.split("\nOwing with no credit limit set (1):\n")
    row = holds.splitlines()[2]
    assert row.split()[:3] == ["A", "Alpha", "Ltd"] and "over its limit by 50.00" in row
    assert "Beta" not in holds
    assert unvetted.splitlines()[2].split() == ["B", "Beta", "Ltd", "10.00"]
    assert unvetted.splitlines()[-1].split() == ["TOTAL", "10.00"]
    # csv and json carry one table: the holds, or with --not-vetted the customers without limit
    # (A scores 70: 15 days late on the shipped anchors, 15 -> 70)
    code, out, _ = run(capsys, "holds", data, "--as-of", AS_OF, "--format", "csv")
    assert out == (
        "customer_id,name,reasons,exposure_cents,credit_limit_cents,oldest_days_overdue,score\n"
        "A,Alpha Ltd,over its limit by 50.00,10000,5000,15,70.0\n"
    )
    code, out, _ = run(capsys, "holds", data, "--as-of", AS_OF, "--not-vetted")
    assert "Alpha" not in out and out.splitlines()[-1].split() == ["TOTAL", "10.00"]


def test_discount_prints_the_summary_aligned(data, capsys):
    from arbook.credit.discounts import simulate_discount
    from arbook.views.credit.discount import summary_rows

    code, out, _ = run(capsys, "discount", data, "--as-of", AS_OF, "--terms", "1/10 net 30")
    assert code == 0
    lines = out.splitlines()
    # 1/10 net 30 paid on day 30: 0.01 / 0.99 x 365 / 20 = 18.43% a year
    assert lines[0].startswith("Terms ") and "1/10 net 30 (cost 18.43% a year" in lines[0]
    rows = summary_rows(simulate_discount(arbook.read_ledger(data), AS_OF, terms="1/10 net 30"))
    width = max(len(label) for label, _ in rows)
    assert lines == [f"{label.ljust(width)}  {value}" for label, value in rows]
    assert len({line.index(value) for line, (_, value) in zip(lines, rows)}) == 1


def test_worklist_table_leaves_the_script_to_machines(data, capsys):
    code, out, _ = run(capsys, "worklist", data, "--as-of", AS_OF)
    header = out.splitlines()[0].split()
    assert code == 0 and header[:3] == ["rank", "customer", "name"] and "script" not in header
    code, out, _ = run(capsys, "worklist", data, "--as-of", AS_OF, "--format", "csv")
    assert "script" in out.splitlines()[0].split(",")
    # A speaks Spanish: the script said to it is in its language, its amount written the Spanish way
    assert "hablamos de 100,00 que ya llevan 15 días vencidos" in out


def test_worklist_csv_has_no_formula_cell(tmp_path, capsys):
    data = write_ledger(
        tmp_path / "client",
        invoices="""
        invoice_id,customer_id,invoice_date,due_date,amount
        I1,@A,2026-02-14,2026-03-16,100.00
        """,
        customers="""
        customer_id,name,contact
        @A,"=HYPERLINK(""http://evil.example"",""Pay here"")",+44 20 7946 0000
        """,
    )
    code, out, _ = run(capsys, "worklist", data, "--as-of", AS_OF, "--format", "csv")
    (row,) = csv.DictReader(io.StringIO(out))
    # before: =HYPERLINK(...) and @A were written raw, and a spreadsheet ran them
    assert code == 0 and row["customer_id"] == "'@A"
    assert row["name"] == '\'=HYPERLINK("http://evil.example","Pay here")'
    assert not [cell for cell in row.values() if cell[:1] in ("=", "+", "-", "@", "\t", "\r")]
    assert int(row["overdue_cents"]) == 10_000  # numbers stay numbers


PLAYBOOK = """
[[excuses]]
code = "on_holiday"
follow_up_days = 4
[excuses.en]
excuse = "The boss is on holiday."
answer = "Who signs while she is away?"
pin_down = ["name of the deputy", "payment date"]
next_step = "Call the deputy."
[excuses.es]
excuse = "La jefa está de vacaciones."
answer = "¿Quién firma mientras no está?"
pin_down = ["nombre del suplente", "fecha de pago"]
next_step = "Llamar al suplente."
[excuses.ru]
excuse = "Начальница в отпуске."
answer = "Кто подписывает в её отсутствие?"
pin_down = ["имя заместителя", "дата оплаты"]
next_step = "Позвонить заместителю."
"""


def test_playbook_prints_each_excuse_as_a_card(tmp_path, capsys):
    book = tmp_path / "playbook.toml"
    book.write_text(PLAYBOOK)
    code, out, _ = run(capsys, "playbook", "--playbook", book)
    assert code == 0
    assert out == (
        "[on_holiday] The boss is on holiday.\n"
        "  answer:    Who signs while she is away?\n"
        "  pin down:  name of the deputy; payment date\n"
        "  next step: Call the deputy.\n"
        "  follow up: +4 days\n\n"
    )
    code, out, _ = run(capsys, "playbook", "--playbook", book, "--lang", "es")
    assert code == 0 and out.startswith("[on_holiday] La jefa está de vacaciones.\n")
    code, out, err = run(capsys, "playbook", "--playbook", tmp_path / "none.toml")
    assert code == 2 and out == "" and "no such playbook file" in err


def test_statement_of_one_preset_file_goes_to_an_outbox_beside_it(tmp_path, capsys):
    data = tmp_path / "ibm.csv"
    shutil.copy(IBM, data)
    code, out, err = run(
        capsys,
        "statement",
        data,
        "0379-NEVHP",
        "--preset",
        "ibm",
        "--as-of",
        "2013-12-31",
        "--draft",  # no company details yet: a draft to preview
    )
    stem = tmp_path / "ibm-outbox" / "0379-NEVHP" / "2013-12-31-statement"
    assert code in (0, 1) and "Traceback" not in err
    assert out.splitlines()[:3] == [f"{stem}.html", f"{stem}.pdf", f"{stem}.eml"]
    assert out.splitlines()[3].startswith("draft kept to preview: not given to the customer")
    assert (tmp_path / "ibm-outbox" / "register.csv").is_file() and data.is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ibm-outbox", "ibm.csv"]
    _, document = parser()
    helps = document.choices["statement"].format_help()
    assert "ibm-outbox" in helps and "--preset" in helps


def test_statement_and_letter_go_to_the_outbox_and_print_three_paths(data, tmp_path, capsys):
    policy = tmp_path / "policy.toml"
    policy.write_text('currency = "EUR"\n[company]\nname = "Acme Ltd"\n', encoding="utf-8")
    code, out, err = run(capsys, "statement", data, "A", "--as-of", AS_OF)
    assert code == 2 and "is a draft and goes to no customer until it has your company's" in err
    code, out, _ = run(capsys, "statement", data, "A", "--as-of", AS_OF, "--policy", policy)
    stem = data / "outbox" / "A" / f"{AS_OF}-statement"
    assert code == 0
    assert out.splitlines()[:3] == [f"{stem}.html", f"{stem}.pdf", f"{stem}.eml"]
    assert out.splitlines()[3] == (
        "statement for A: kept to print and post; logged as a letter (contact-log entry 1)"
    )
    assert "Extracto de cuenta" in (stem.with_suffix(".html")).read_text("utf-8")  # A's language
    out_folder = tmp_path / "sent"
    code, out, _ = run(
        capsys,
        "letter",
        data,
        "A",
        "--as-of",
        AS_OF,
        "--template",
        "reminder",
        "--lang",
        "en",
        "--step",
        "second_call",
        "--out",
        out_folder,
        "--policy",
        policy,
    )
    stem = out_folder / "A" / f"{AS_OF}-reminder"
    assert code == 0 and out.splitlines()[:3] == [f"{stem}.html", f"{stem}.pdf", f"{stem}.eml"]
    assert "step second call" in out.splitlines()[3]
    letter = stem.with_suffix(".html").read_text("utf-8")
    assert "Payment reminder" in letter and "second_call" not in letter  # --lang over A's es
    assert "second_call" in (out_folder / "register.csv").read_text("utf-8")
    assert not (data / "outbox" / "A" / f"{AS_OF}-reminder.html").exists()


# -- a bad config file: one line on stderr naming the file, line and key; exit 2, no traceback --

BAD_CONFIG = {
    "--policy": ("[late_charges]\nfee = 1e300\n", ":2: [late_charges] fee: '1E+300' is too large"),
    "--ladder": (
        (ROOT / "arbook/defaults/ladder.toml")
        .read_text("utf-8")
        .replace("{amount} overdue for {name}", "{amount:>300000000} overdue for {name}"),
        ':35: step 2 "reminder", script.en: {amount:>300000000} has a format',
    ),
    "--playbook": (PLAYBOOK.replace("follow_up_days = 4", "follow_up_days = nan"), ":4: excuse 1"),
    "--scorecard": ("[financial_strength]\nsafe_above = nan\n", ":2: [financial_strength] safe_"),
    "--company": ('[company]\nnmae = "Acme"\n', ":2: [company] nmae: unknown key; did you mean"),
    "application": ('years_in_business = "ten"\n', ':1: years_in_business: "ten" is not a'),
}


@pytest.mark.parametrize("option", BAD_CONFIG)
def test_a_bad_config_file_is_one_line_without_a_traceback(option, data, tmp_path, capsys):
    text, fragment = BAD_CONFIG[option]
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    argv = {
        "--policy": ["late-charges", data, "--as-of", AS_OF, "--policy", path],
        "--ladder": ["worklist", data, "--as-of", AS_OF, "--ladder", path],
        "--playbook": ["playbook", "--playbook", path],
        "--scorecard": ["score", sample_application(), "--scorecard", path],
        "--company": ["statement", data, "A", "--as-of", AS_OF, "--company", path],
        "application": ["score", path],
    }[option]
    code, out, err = run(capsys, *argv)
    assert code == 2 and out == "" and "Traceback" not in err
    [line] = err.splitlines()
    assert line.startswith(f"arbook {argv[0]}: {path}:") and f"{path}{fragment}" in line
