"""The ``arbook`` command: argument parsing and one library call per command.

Exit codes: 0 all well; 1 the data has errors (rows were left out; the output is still printed,
with a note on stderr); 2 usage (bad option, missing folder, bad policy file).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from arbook.aging import aging, aging_summary
from arbook.behaviour import carrying_cost, payment_behaviour
from arbook.config import check_edges
from arbook.credit import credit_holds, credit_review, not_vetted, payment_scores
from arbook.errors import ArbookError, DataError, ParameterError, format_issue
from arbook.ledger import Ledger, read_ledger
from arbook.metrics import allowance, monthly_metrics, roll_rates
from arbook.presets import PRESETS
from arbook.views.format import format_cents, human_table, to_csv, to_json

OK, DATA_ERRORS, USAGE = 0, 1, 2


def _edges(text: str):
    try:
        return check_edges([part.strip() for part in text.split(",")])
    except ArbookError as exc:
        raise argparse.ArgumentTypeError(str(exc))


def _data_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", help="folder with invoices/payments/customers files "
                        "(or one file with --preset)")
    parser.add_argument("--preset", choices=sorted(PRESETS), help="read one file in this layout")
    parser.add_argument("--policy", help="policy TOML (default: arbook/defaults/policy.toml)")
    parser.add_argument("--date-order", choices=("iso", "mdy", "dmy"),
                        help="how dates are written (default ISO YYYY-MM-DD)")
    parser.add_argument("--decimal", choices=(".", ","), default=".",
                        help="decimal mark in amounts (default '.')")


def _aging_options(parser: argparse.ArgumentParser, *, edges: bool = True) -> None:
    parser.add_argument("--basis", choices=("due", "invoice"), default="due",
                        help="days overdue from the due date (default) or the invoice date")
    if edges:
        parser.add_argument("--edges", type=_edges, default=(30, 60, 90, 120),
                            help="bucket edges in days, e.g. 30,60,90,120 (default)")


def _report(sub, name: str, text: str, *, when: str, buckets: bool = False,
            basis: bool = False) -> argparse.ArgumentParser:
    """A report command: data options, its date or month range, aging options, --format."""
    parser = sub.add_parser(name, help=text)
    _data_options(parser)
    if when == "day":
        parser.add_argument("--as-of", required=True, help="the date to report at, YYYY-MM-DD")
    else:
        parser.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
        parser.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
    if buckets or basis:
        _aging_options(parser, edges=buckets)
    _format_option(parser)
    return parser


def _format_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--format", choices=("table", "csv", "json"), default="table",
                        help="table for people (default); csv or json keep cents exact")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="arbook", description="Accounts-receivable workbook.")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    p = sub.add_parser("check", help="list every problem in a ledger's files")
    _data_options(p)
    p.add_argument("--json", action="store_true", help="issues as JSON records")

    p = _report(sub, "aging", "who owes what and how late, as of a date", when="day", buckets=True)
    p.add_argument("--by", choices=("customer", "item"), default="customer",
                   help="one row per customer (default) or per open item")
    _report(sub, "metrics", "monthly DSO, CEI, aging shares and turnover", when="months",
            buckets=True)
    p = _report(sub, "behaviour", "how each customer pays (days to pay, beyond terms)", when="day")
    p.add_argument("--window-months", type=int, default=12,
                   help="paid invoices counted from this many months back (default 12)")
    p = _report(sub, "carrying-cost", "what financing the overdue balances costs", when="day",
                basis=True)
    p.add_argument("--rate", type=float, required=True,
                   help="annual cost of capital as a fraction, e.g. 0.12 for 12%%")
    _report(sub, "roll-rates", "month-end roll rates between buckets", when="months", buckets=True)
    _report(sub, "allowance", "allowance for doubtful accounts, both methods", when="day",
            basis=True)
    _discount_parsers(sub)
    _report(sub, "scores", "payment-history score (0-100) of every customer, with trends",
            when="day")
    p = _report(sub, "holds", "customers on credit hold and why, then those with no limit",
                when="day")
    p.add_argument("--not-vetted", action="store_true",
                   help="list only the customers owing money with no credit limit set")
    p.add_argument("--log", help="contact log (SQLite file): broken promises also put a "
                   "customer on hold")
    _report(sub, "credit-review", "suggested credit limits: raise, cut or set", when="day")

    _collections_parsers(sub)

    p = sub.add_parser("sample", help="write a generated sample ledger")
    p.add_argument("out", help="folder to write invoices/payments/customers into")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--customers", type=int, default=150)
    p.add_argument("--months", type=int, default=24)
    p.add_argument("--invoices", type=int, default=None, help="exact size (default ~25 a "
                   "customer a year)")
    p.add_argument("--end", default="2026-10-31", help="last day covered (a month end)")
    p.add_argument("--parquet", action="store_true", help="write Parquet instead of CSV")

    p = sub.add_parser("dashboard", help="open the dashboard in the browser (Voila)")
    p.add_argument("data", nargs="?", default=None,
                   help="ledger folder (default: data/sample, or a generated sample)")
    p.add_argument("--port", type=int, default=8866, help="port to serve on (default 8866)")
    p.add_argument("--as-of", default=None,
                   help="month end shown first (default: the last one the data covers)")
    p.add_argument("--policy", help="policy TOML (default: arbook/defaults/policy.toml)")
    p.add_argument("--ip", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--open", action="store_true", help="open a browser tab when ready")
    p.add_argument("--log", default=None, help="contact log of the Collections tab: a SQLite "
                   "file or database URL (default: collections.db in the data folder)")

    p = sub.add_parser("review", help="write the monthly review (notebook and HTML report)")
    p.add_argument("data", help="ledger folder")
    p.add_argument("--as-of", required=True, help="month end reviewed, YYYY-MM-DD")
    p.add_argument("--out", default="reports", help="folder for the reports (default reports/)")
    _review_options(p)

    p = sub.add_parser("batch", help="monthly reviews for many months and/or clients")
    p.add_argument("data", nargs="+", help="one or more ledger folders (one per client)")
    p.add_argument("--from", dest="start", required=True, help="first month, YYYY-MM")
    p.add_argument("--to", dest="end", required=True, help="last month, YYYY-MM")
    p.add_argument("--out", default="reports", help="folder for the reports (default reports/)")
    p.add_argument("--jobs", type=int, default=1, help="reviews run at once (default 1)")
    _review_options(p)

    _document_parsers(sub)

    p = sub.add_parser("score", help="score a credit application; print the decision")
    p.add_argument("file", help="the applicant's answers, a TOML or JSON file")
    p.add_argument("--scorecard", help="scorecard TOML (default: arbook/defaults/scorecard.toml)")
    return parser


def _money(text: str) -> int:
    """``"10.00"`` -> 1000 cents (argparse type)."""
    from decimal import Decimal, InvalidOperation

    try:
        cents = Decimal(text.strip()) * 100
    except InvalidOperation:
        raise argparse.ArgumentTypeError(f"{text!r} is not an amount; write it like 10.00")
    if cents != cents.to_integral_value() or cents < 0:
        raise argparse.ArgumentTypeError(f"{text!r}: give 0 or more with at most 2 decimals")
    return int(cents)


def _discount_parsers(sub) -> None:
    """late-charges, discount-cost and discount (SPEC §5 late charges, §6 discounts)."""
    p = _report(sub, "late-charges", "interest and fees due on overdue items", when="day")
    p.add_argument("--rate", type=float, default=None,
                   help="annual interest as a fraction, e.g. 0.10 (default: the policy's)")
    p.add_argument("--fee", type=_money, default=None,
                   help="fixed fee per customer reminded, e.g. 10.00 (default: the policy's)")
    p.add_argument("--rules", choices=("contract", "eu"), default=None,
                   help="contract: the rate and fee; eu: reference rate + 8 points and 40.00 "
                   "per overdue invoice (default: the policy's)")
    p.add_argument("--by", choices=("customer", "item"), default="customer",
                   help="one row per customer (default) or per overdue item")
    p = sub.add_parser("discount-cost", help="what early-payment terms cost a year")
    p.add_argument("terms", help='e.g. "2/10 net 30"')
    p.add_argument("--pay-day", type=int, default=None,
                   help="day customers pay today if later than the net days")
    _format_option(p)
    p = _report(sub, "discount", "would an early-payment discount pay for itself", when="day")
    p.add_argument("--terms", default=None, help='e.g. "2/10 net 30" (default: the policy\'s)')
    p.add_argument("--cost-of-capital", type=float, default=None,
                   help="annual rate as a fraction, e.g. 0.10 (default: the policy's)")
    p.add_argument("--uptake", type=float, default=None,
                   help="share of eligible sales taking it, 0 to 1 (default: the policy's)")


def _document_parsers(sub) -> None:
    """statement and letter: customer documents written to the outbox (issue 6)."""
    for name, text in (("statement", "a customer's statement of account, to the outbox"),
                       ("letter", "a collection letter for a ladder step, to the outbox")):
        p = sub.add_parser(name, help=text)
        _data_options(p)
        p.add_argument("customer", help="the customer_id")
        p.add_argument("--as-of", required=True, help="the document's date, YYYY-MM-DD")
        if name == "letter":
            p.add_argument("--template", required=True,
                           choices=("reminder", "notice", "final_notice", "legal"))
            p.add_argument("--step", default=None, help="ladder step printed as the reference")
        p.add_argument("--lang", choices=("en", "es", "ru"), default=None,
                       help="language (default: the customer's, else en)")
        p.add_argument("--out", default=None, help="outbox folder (default: DATA/outbox)")
        p.add_argument("--company", default=None,
                       help="TOML file with a [company] table: name, address, bank, iban, bic, "
                       "email, phone, payment_note")


def _collections_parsers(sub) -> None:
    """worklist and playbook (SPEC §7)."""
    p = _report(sub, "worklist", "who to call this morning and what to say", when="day")
    p.add_argument("--log", help="contact log (SQLite file from arbook.contacts)")
    p.add_argument("--lang", choices=("en", "es", "ru"), default="en", help="script language")
    p.add_argument("--ladder", help="ladder TOML (default: arbook/defaults/ladder.toml)")
    p.add_argument("--xlsx", help="also write the worklist to this Excel file")
    p = sub.add_parser("playbook", help="the excuse playbook: prepared answers and follow-ups")
    p.add_argument("--lang", choices=("en", "es", "ru"), default="en")
    p.add_argument("--playbook", help="playbook TOML (default: arbook/defaults/playbook.toml)")


def _review_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--client", default=None, help="client name shown in the title "
                        "(default: the data folder's name)")
    parser.add_argument("--cost-of-capital", type=float, default=None,
                        help="annual rate as a fraction, e.g. 0.10 (default: the policy's)")
    parser.add_argument("--basis", choices=("due", "invoice"), default=None,
                        help="aging basis (default: the policy's)")
    parser.add_argument("--edges", type=_edges, default=None,
                        help="bucket edges in days, e.g. 30,60,90,120 (default: the policy's)")
    parser.add_argument("--policy", help="policy TOML (default: arbook/defaults/policy.toml)")
    parser.add_argument("--log", default=None, help="contact log, a SQLite file or database "
                        "URL (default: <data>/collections.db when it exists)")


def _load(args) -> Ledger:
    return read_ledger(args.data, preset=args.preset, policy=args.policy,
                       date_order=args.date_order, decimal=args.decimal)


def _emit(frame: pd.DataFrame, fmt: str, *, total: bool = False) -> None:
    if fmt == "csv":
        sys.stdout.write(to_csv(frame))
    elif fmt == "json":
        sys.stdout.write(to_json(frame) + "\n")
    else:
        sys.stdout.write(human_table(frame, total=total) + "\n")


def _finish(ledger: Ledger) -> int:
    errors = len(ledger.errors)
    if errors:
        print(f"note: {errors:,} problem(s) in the data left rows out of these numbers; "
              f"run `arbook check {ledger.source}` to see them.", file=sys.stderr)
        return DATA_ERRORS
    return OK


def cmd_check(args) -> int:
    ledger = _load(args)
    if args.json:
        sys.stdout.write(to_json(ledger.issues) + "\n")
    else:
        for row in ledger.issues.itertuples(index=False):
            print(format_issue(row))
        print(f"{ledger.source}: {ledger.describe()}", file=sys.stderr)
    return DATA_ERRORS if len(ledger.errors) else OK


def cmd_aging(args) -> int:
    ledger = _load(args)
    if args.by == "item":
        frame = aging(ledger, args.as_of, basis=args.basis, edges=args.edges)
    else:
        frame = aging_summary(ledger, args.as_of, basis=args.basis, edges=args.edges)
    _emit(frame, args.format, total=args.by == "customer")
    return _finish(ledger)


def cmd_metrics(args) -> int:
    ledger = _load(args)
    _emit(monthly_metrics(ledger, args.start, args.end, basis=args.basis, edges=args.edges)
          .drop(columns=["as_of"] if args.format == "table" else []), args.format)
    return _finish(ledger)


def cmd_behaviour(args) -> int:
    ledger = _load(args)
    _emit(payment_behaviour(ledger, args.as_of, window_months=args.window_months), args.format)
    return _finish(ledger)


def cmd_carrying_cost(args) -> int:
    ledger = _load(args)
    frame = carrying_cost(ledger, args.as_of, args.rate, basis=args.basis)
    _emit(frame.drop(columns="cent_days") if args.format == "table" else frame, args.format,
          total=True)
    if args.format == "table":
        print(f"\nBeing these customers' bank costs {format_cents(frame['carrying_cost_cents'].sum())}"
              f" at {args.rate:.2%} a year on {format_cents(frame['overdue_cents'].sum())} overdue.")
    return _finish(ledger)


def cmd_roll_rates(args) -> int:
    ledger = _load(args)
    _emit(roll_rates(ledger, args.start, args.end, basis=args.basis, edges=args.edges), args.format)
    return _finish(ledger)


def cmd_allowance(args) -> int:
    ledger = _load(args)
    _emit(allowance(ledger, args.as_of, basis=args.basis), args.format)
    return _finish(ledger)


def cmd_scores(args) -> int:
    ledger = _load(args)
    _emit(payment_scores(ledger, args.as_of), args.format)
    return _finish(ledger)


def cmd_holds(args) -> int:
    """Holds, and under them (table format) the customers owing without a limit; csv and json
    carry one table, so they give the holds, or the not-vetted list with --not-vetted."""
    ledger = _load(args)
    unvetted = not_vetted(ledger, args.as_of)
    if args.not_vetted:
        _emit(unvetted, args.format, total=True)
        return _finish(ledger)
    _emit(credit_holds(ledger, args.as_of, log=_open_log(args.log)), args.format)
    if args.format == "table":
        print(f"\nOwing with no credit limit set ({len(unvetted):,}):")
        _emit(unvetted, args.format, total=True)
    return _finish(ledger)


def cmd_credit_review(args) -> int:
    ledger = _load(args)
    _emit(credit_review(ledger, args.as_of), args.format)
    return _finish(ledger)


def cmd_late_charges(args) -> int:
    from arbook.penalties import late_charge_totals, late_charges

    ledger = _load(args)
    charges = late_charges(ledger, args.as_of, annual_rate=args.rate, fee_cents=args.fee,
                           preset=args.rules)
    frame = charges if args.by == "item" else late_charge_totals(charges)
    _emit(frame, args.format, total=True)
    if args.format == "table":
        terms = charges.attrs
        extra = (f"{format_cents(terms['per_invoice_cents'])} per overdue invoice"
                 if terms["preset"] == "eu" else f"a fee of {format_cents(terms['fee_cents'])} "
                 "per customer")
        print(f"\nInterest at {terms['annual_rate']:.2%} a year on overdue items ({terms['preset']}"
              f" terms), plus {extra}; disputed items accrue nothing.")
    return _finish(ledger)


def cmd_discount_cost(args) -> int:
    from arbook.discounts import discount_cost, discount_cost_compound, format_terms, parse_terms

    rate, days, net = parse_terms(args.terms)
    pay = net if args.pay_day is None else args.pay_day
    simple = discount_cost(rate, days, net, pay)
    compound = discount_cost_compound(rate, days, net, pay)
    if args.format == "table":
        print(f"{format_terms(rate, days, net)} paid on day {pay}: {simple:.2%} a year simple, "
              f"{compound:.2%} compounded")
    else:
        _emit(pd.DataFrame([{"terms": format_terms(rate, days, net), "discount": rate,
                             "discount_days": days, "net_days": net, "pay_day": pay,
                             "simple_cost": simple, "compound_cost": compound}]), args.format)
    return OK


def cmd_discount(args) -> int:
    from arbook.discounts import simulate_discount
    from arbook.views.discount_views import summary_rows

    ledger = _load(args)
    sim = simulate_discount(ledger, args.as_of, terms=args.terms, uptake=args.uptake,
                            cost_of_capital=args.cost_of_capital)
    if args.format == "table":
        width = max(len(label) for label, _ in summary_rows(sim))
        for label, value in summary_rows(sim):
            print(f"{label.ljust(width)}  {value}")
    else:
        _emit(sim.totals, args.format)
    return _finish(ledger)


def _open_log(path):
    """The contact log in SQLite file ``path`` (None: no log); a missing file is an error, so a
    typo never creates an empty log."""
    if not path:
        return None
    if not Path(path).is_file():
        raise ParameterError(f"{path}: no such contact log; give the SQLite file the call "
                             "screen writes, or leave out --log")
    from arbook.contacts import ContactLog

    return ContactLog(path=path)


def cmd_worklist(args) -> int:
    from arbook.collections import worklist, write_worklist

    log = _open_log(args.log)
    ledger = _load(args)
    frame = worklist(ledger, args.as_of, log=log, ladder=args.ladder, lang=args.lang)
    if args.xlsx:
        write_worklist(frame, args.xlsx)
    _emit(frame.drop(columns="script") if args.format == "table" else frame, args.format)
    return _finish(ledger)


def cmd_playbook(args) -> int:
    from arbook.ladder import playbook_frame

    for row in playbook_frame(args.lang, playbook=args.playbook).itertuples(index=False):
        print(f"[{row.code}] {row.excuse}\n  answer:    {row.answer}\n  pin down:  {row.pin_down}"
              f"\n  next step: {row.next_step}\n  follow up: +{row.follow_up_days} days\n")
    return OK


def cmd_sample(args) -> int:
    from arbook.sample import make_sample

    try:
        paths = make_sample(Path(args.out), seed=args.seed, customers=args.customers,
                            months=args.months, end=args.end, invoices=args.invoices,
                            fmt="parquet" if args.parquet else "csv")
    except (ValueError, OSError) as exc:
        print(f"arbook sample: {exc}", file=sys.stderr)
        return USAGE
    for path in paths.values():
        print(path)
    return OK


def cmd_dashboard(args) -> int:
    from arbook.serve import serve_dashboard

    return serve_dashboard(args.data, port=args.port, as_of=args.as_of, policy=args.policy,
                           ip=args.ip, open_browser=args.open, log=args.log)


def _review_params(args) -> dict:
    return {"client": args.client, "cost_of_capital": args.cost_of_capital,
            "basis": args.basis, "edges": list(args.edges) if args.edges else None,
            "policy": args.policy, "log": args.log}


def cmd_review(args) -> int:
    from arbook.report import run_review

    run = run_review(args.data, args.as_of, args.out, **_review_params(args))
    print(run.html)
    return OK


def cmd_batch(args) -> int:
    from arbook.report import run_batch

    result = run_batch(args.data, args.start, args.end, args.out, jobs=args.jobs,
                       **_review_params(args))
    for run in result.runs:
        if not run.ok:
            print(f"arbook batch: {run.data} {run.as_of}: {run.error}", file=sys.stderr)
    print(result.index)
    return OK if all(run.ok for run in result.runs) else DATA_ERRORS


def cmd_document(args) -> int:
    """statement / letter: make the document, keep it in the outbox, print the three paths."""
    from arbook.statements import customer_language, letter, load_company, send_to_outbox, statement

    ledger = _load(args)
    company = load_company(args.company) if args.company else None
    lang = args.lang or customer_language(ledger, args.customer)
    if args.command == "letter":
        doc = letter(ledger, args.customer, args.as_of, args.template, lang=lang,
                     step=args.step, company=company)
    else:
        doc = statement(ledger, args.customer, args.as_of, lang=lang, company=company)
    eml = send_to_outbox(doc, Path(args.out) if args.out else Path(args.data) / "outbox")
    for ext in (".html", ".pdf", ".eml"):
        print(eml.with_suffix(ext))
    return _finish(ledger)


def cmd_score(args) -> int:
    from arbook.scoring import score_application
    from arbook.views.credit_views import decision_text

    sys.stdout.write(decision_text(score_application(args.file, scorecard=args.scorecard)))
    return OK


COMMANDS = {
    "check": cmd_check, "aging": cmd_aging, "metrics": cmd_metrics, "behaviour": cmd_behaviour,
    "carrying-cost": cmd_carrying_cost, "roll-rates": cmd_roll_rates,
    "late-charges": cmd_late_charges, "discount-cost": cmd_discount_cost,
    "discount": cmd_discount,
    "allowance": cmd_allowance, "scores": cmd_scores, "holds": cmd_holds,
    "credit-review": cmd_credit_review, "sample": cmd_sample, "dashboard": cmd_dashboard,
    "review": cmd_review, "batch": cmd_batch,
    "score": cmd_score,
    "statement": cmd_document, "letter": cmd_document,
    "worklist": cmd_worklist, "playbook": cmd_playbook,
}


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return COMMANDS[args.command](args)
    except DataError as exc:
        print(f"arbook: {exc}", file=sys.stderr)
        return USAGE
    except ArbookError as exc:
        print(f"arbook {args.command}: {exc}", file=sys.stderr)
        return USAGE
    except BrokenPipeError:
        return OK


if __name__ == "__main__":
    sys.exit(main())
