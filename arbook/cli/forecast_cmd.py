"""``arbook forecast``: when the open items will be paid and the cash they bring week by week
(:mod:`arbook.measures.forecast`), and with ``--backtest`` how good that was on the data's own
history (:mod:`arbook.measures.backtest`)."""

from __future__ import annotations

import json
import sys

from arbook.cli.common import (
    data_options,
    emit,
    finish,
    format_option,
    load_ledger,
    say,
    say_latest_day,
)
from arbook.core.i18n import _, using
from arbook.views.cash_forecast import (
    PREDICTION_TITLES,
    WEEK_TITLES,
    backtest_sentence,
    backtest_table,
    forecast_sentence,
    week_rows,
)
from arbook.views.format import human_table, machine_frame


def forecast_parser(sub) -> None:
    p = sub.add_parser(
        "forecast",
        help=_("when the open items will be paid: a 13-week cash forecast"),
        description=_(
            "Predicts each open item's payment date with an 80% interval from how its customer "
            "has paid (and why, in words), and the cash expected each week from the day after "
            "the as-of date, with what is expected to stay unpaid after the last week. "
            "--backtest scores it at each month end of the history against what happened, "
            "beside the baselines a credit controller would use."
        ),
    )
    data_options(p)
    p.add_argument(
        "--as-of",
        default=None,
        help=_("the date to forecast from, YYYY-MM-DD (default: the data's latest day)"),
    )
    p.add_argument(
        "--weeks",
        type=int,
        default=None,
        help=_("weeks ahead (default: the policy's, 13)"),
    )
    p.add_argument(
        "--items",
        action="store_true",
        help=_("one row per open item (its predicted date, interval and why) instead of weeks"),
    )
    p.add_argument(
        "--backtest",
        action="store_true",
        help=_("score the forecast on the data's own history, beside the baselines"),
    )
    p.add_argument(
        "--from",
        dest="start",
        default=None,
        help=_("--backtest: first month end, YYYY-MM (default: a year after the first invoice)"),
    )
    p.add_argument(
        "--to",
        dest="end",
        default=None,
        help=_("--backtest: last month end, YYYY-MM (default: the last whose weeks are known)"),
    )
    format_option(p)


def cmd_forecast(args) -> int:
    from arbook.core.ledger import default_as_of

    ledger = load_ledger(args)
    if args.backtest:
        return _backtest(ledger, args)
    as_of = args.as_of
    if as_of is None:
        as_of = default_as_of(ledger)
        say_latest_day(as_of)
    if ledger.open_items_only:
        say(
            _("no payment history: each item is expected on its due date ({note})").format(
                note=ledger.history_note
            ),
            err=True,
        )
    from arbook.measures.forecast import cash_forecast, predict_payments

    if args.items:
        emit(predict_payments(ledger, as_of), args.format, total=True, titles=PREDICTION_TITLES)
        return finish(ledger, args)
    weeks = cash_forecast(ledger, as_of, weeks=args.weeks)
    if args.format == "table":
        # no total row: the sum of the weeks' lows is no low of the sum (the sentence says it)
        table = human_table(week_rows(weeks), titles=WEEK_TITLES)
        say(*table.splitlines(), forecast_sentence(weeks, currency=ledger.currency))
    else:
        emit(weeks, args.format)
    return finish(ledger, args)


def _backtest(ledger, args) -> int:
    from tqdm import tqdm

    from arbook.measures.backtest import backtest

    bar = tqdm(desc=_("month ends"), unit=_("month"), file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        bar.total = total
        bar.update(done - bar.n)

    try:
        result = backtest(ledger, args.start, args.end, weeks=args.weeks, progress=progress)
    finally:
        bar.close()
    if args.format == "json":
        with using("en"):
            out = {
                "start": f"{result.start:%Y-%m-%d}",
                "end": f"{result.end:%Y-%m-%d}",
                "weeks": result.weeks_ahead,
                "summary": json.loads(machine_frame(result.summary).to_json(orient="records")),
                "origins": json.loads(machine_frame(result.origins).to_json(orient="records")),
            }
        sys.stdout.write(json.dumps(out, ensure_ascii=False, indent=1) + "\n")
    elif args.format == "csv":
        emit(result.summary, "csv")
    else:
        say(*human_table(backtest_table(result)).splitlines(), backtest_sentence(result))
    return finish(ledger, args)
