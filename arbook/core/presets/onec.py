"""1C:Бухгалтерия «Оборотно-сальдовая ведомость по счету 62» (the turnover sheet of account 62,
settlements with customers), saved as XLSX (or XLS).

Not a table: a title block (organisation, report name, «Период: 2 квартал 2026 г.»), a header on
several rows whose column A names the groupings (Счет / Контрагенты / Договоры / Документы
расчетов с контрагентом) beside a Дебет/Кредит pair for each of «Сальдо на начало периода»,
«Обороты за период» and «Сальдо на конец периода», then a hierarchy of rows: the account (62),
its sub-accounts (62.01 settlements, 62.02 advances received...), then one row per grouping level
under them, and «Итого». Only column A's indent (also the row's outline level) tells a row's
level; without it (an .xls read as text cells) the texts tell it: a document is
«<вид документа> <номер> от dd.mm.yyyy h:mm:ss», a contract names a договор/контракт/соглашение,
anything else is a контрагент.

Group rows repeat sums and are never added. Each **document row with a closing balance** is an
open item of the контрагент above it: closing Дебет − Кредит > 0 is owed (an invoice), < 0 is
money received and not yet used (an advance on 62.02, an overpayment): unapplied cash, a payment
row. A zero closing balance was settled in the period: not open. The document id is its number
and date («0000-000402 от 21.04.2026»), its date the one in the text (the time is dropped).
Amounts are numbers or text («1 418 600,00», no-break spaces, decimal comma); they are read here
(the balance is a difference) and written as plain amounts, the cells as written kept in
``closing_debit``/``closing_credit``. The report holds no due dates (terms are in the contracts),
so the policy's default terms apply; its date is the end of the period it states.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import numpy as np
import pandas as pd

from arbook.core import money, parse
from arbook.core.errors import Issue, IssueCode
from arbook.core.grid import Grid
from arbook.core.i18n import N_, _
from arbook.core.presets import Imported, Preset, register

TITLE = "оборотно-сальдовая ведомость по счету 62"
CLOSING = "сальдо на конец периода"
#: an account or sub-account row: 62, 62.01, 62.02, 62.21, 62.Р
ACCOUNT = re.compile(r"^\d{2}(\.[0-9A-Za-zА-Яа-яЁё]{1,3})*$")
DOCUMENT = re.compile(
    r"^(?P<kind>.*?)\s*(?P<number>[^\s]+)\s+от\s+(?P<d>\d{1,2})\.(?P<m>\d{1,2})\.(?P<y>\d{4})"
    r"(?:\s+\d{1,2}:\d{2}(?::\d{2})?)?\s*г?\.?\s*$"
)
CONTRACT = re.compile(r"договор|контракт|соглашени|без договора", re.IGNORECASE)
PLAIN_NUMBER = re.compile(r"^-?\d+(\.\d+)?(e[-+]?\d+)?$", re.IGNORECASE)

MONTHS = {
    "январ": 1, "феврал": 2, "март": 3, "апрел": 4, "ма": 5, "июн": 6,
    "июл": 7, "август": 8, "сентябр": 9, "октябр": 10, "ноябр": 11, "декабр": 12,
}  # fmt: skip
MONTH_NAME = re.compile(
    r"(январ[ья]|феврал[ья]|март[а]?|апрел[ья]|ма[йя]|июн[ья]|июл[ья]|август[а]?|"
    r"сентябр[ья]|октябр[ья]|ноябр[ья]|декабр[ья])\s*(\d{4})?",
    re.IGNORECASE,
)
ROMAN = {"i": 1, "ii": 2, "iii": 3, "iv": 4}

HINT_ROW = N_(
    "Form the report again in 1C with the groupings Контрагенты and Документы расчетов с "
    "контрагентом (Показатели: БУ), and save it without editing; or add the item by hand."
)


def _fold(value: str) -> str:
    return " ".join(value.replace("ё", "е").replace("Ё", "Е").split()).casefold()


def recognise(grid: Grid) -> bool:
    """The report's name in the title block and a «Сальдо на конец периода» header."""
    cells = [_fold(c) for _, row in grid.head[:30] for c in row if c.strip()]
    return any(c.startswith(TITLE) for c in cells) and CLOSING in cells


def period_end(text: str) -> pd.Timestamp | None:
    """The last day of the period a title states: «Период: 2 квартал 2026 г.», «Июнь 2026 г.»,
    «01.01.2026 - 30.06.2026», «9 месяцев 2026 г.», «1 полугодие 2026 г.», «2026 г.»; None when
    it states none of these."""
    folded = _fold(text)
    dates = re.findall(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", folded)
    if dates:
        d, m, y = (int(x) for x in dates[-1])
        return _day(y, m, d)
    year = re.search(r"(\d{4})", folded)
    if year is None:
        return None
    y = int(year.group(1))
    quarter = re.search(r"\b(\d|i{1,3}|iv)\s*кв", folded)
    if quarter:
        q = ROMAN.get(quarter.group(1)) or int(quarter.group(1))
        return _month_end(y, 3 * q) if 1 <= q <= 4 else None
    half = re.search(r"\b(\d|i{1,2})\s*полугод", folded)
    if half:
        h = ROMAN.get(half.group(1)) or int(half.group(1))
        return _month_end(y, 6 * h) if h in (1, 2) else None
    months = re.search(r"\b(\d{1,2})\s*месяц", folded)
    if months:
        n = int(months.group(1))
        return _month_end(y, n) if 1 <= n <= 12 else None
    named = [m.group(1) for m in MONTH_NAME.finditer(folded)]
    if named:
        stem = next(s for s in sorted(MONTHS, key=len, reverse=True) if named[-1].startswith(s))
        return _month_end(y, MONTHS[stem])
    if re.search(r"\d{4}\s*г", folded):
        return _month_end(y, 12)
    return None


def _day(y: int, m: int, d: int) -> pd.Timestamp | None:
    try:
        return pd.Timestamp(year=y, month=m, day=d)
    except ValueError:
        return None


def _month_end(y: int, m: int) -> pd.Timestamp:
    return pd.Timestamp(year=y, month=m, day=1) + pd.offsets.MonthEnd(0)


@dataclass(frozen=True)
class Layout:
    """Where the report's parts are: the header's first row, the first row of the hierarchy,
    the grouping levels under the account (their names, folded), the closing balance's Дебет
    and Кредит columns (0-based), the date the period ends."""

    header: int
    first: int
    levels: list[str]
    debit: int
    credit: int
    report_date: pd.Timestamp | None


def layout(rows: list[tuple[int, list[str]]]) -> Layout | None:
    """The report's :class:`Layout`, or None when its header is not there."""
    header = next((i for i, (_, cells) in enumerate(rows) if CLOSING in map(_fold, cells)), None)
    if header is None or header + 1 >= len(rows):
        return None
    cells = [_fold(c) for c in rows[header][1]]
    start = cells.index(CLOSING)
    below = [_fold(c) for c in rows[header + 1][1]]
    debit = next((i for i in range(start, len(below)) if below[i] == "дебет"), None)
    credit = next((i for i in range(start, len(below)) if below[i] == "кредит"), None)
    if debit is None or credit is None:
        return None
    first = header + 1
    while first < len(rows) and not ACCOUNT.match(_cell(rows[first][1], 0)):
        first += 1
    names = [_fold(_cell(cells_, 0)) for _, cells_ in rows[header:first]]
    levels = [n for n in names[1:] if n]  # the first names the account
    title = " ".join(c for _, row in rows[:header] for c in row if c.strip())
    return Layout(rows[header][0], first, levels, debit, credit, period_end(title))


def _cell(cells: list[str], i: int) -> str:
    return cells[i].strip() if i < len(cells) else ""


def _levels(grid: Grid) -> dict[int, int]:
    """Each row's level in the sheet's outline: column A's indent, else the row's outline
    level; empty when the file has no such formatting (an .xls, a text grid). openpyxl's
    read-only mode gives the indents but not the rows' outline levels: the workbook is opened
    whole only when those are needed."""
    if grid.kind != "workbook" or grid.path.read_bytes()[:4] != b"PK\x03\x04":
        return {}
    import openpyxl  # a workbook only

    data = io.BytesIO(grid.path.read_bytes())
    book = openpyxl.load_workbook(data, read_only=True, data_only=True)
    sheet = book[grid.sheet] if grid.sheet in book.sheetnames else book.worksheets[0]
    indent = {
        line: int(getattr(row[0].alignment, "indent", 0) or 0) if row else 0
        for line, row in enumerate(sheet.iter_rows(min_row=1, max_col=1), start=1)
    }
    book.close()
    if any(indent.values()):
        return indent
    whole = openpyxl.load_workbook(data, data_only=True)
    sheet = whole[grid.sheet] if grid.sheet in whole.sheetnames else whole.worksheets[0]
    outline = {r: int(d.outline_level or 0) for r, d in sheet.row_dimensions.items()}
    return outline if any(outline.values()) else {}


def cents(cell: str) -> int | None:
    """A balance cell in cents: a number as the grid writes it (``1418600``, ``5799446.3``) or
    1C's text (``1 418 600,00``); 0 when blank; None when it is not an amount."""
    cell = cell.strip()
    if not cell:
        return 0
    decimal = "." if PLAIN_NUMBER.match(cell) else ","
    found, _blank, bad = parse.parse_cents(pd.Series([cell], dtype="str"), decimal)
    return None if bad[0] else int(found[0])


def _text(value: int) -> str:
    return str(money.cents_text([value])[0])


@dataclass
class _Walk:
    """What the walk down the hierarchy has seen: the account, контрагент and contract above
    the current row, the items found and the rows it could not place."""

    account: str = ""
    party: str = ""
    contract: str = ""


def _kind_of(text: str, level: int | None, lay: Layout) -> str:
    """A row's grouping ("party", "contract", "document", "other"): by its level when the sheet
    has one, else by its text."""
    if level is not None:
        name = lay.levels[level] if 0 <= level < len(lay.levels) else ""
        if "документ" in name:
            return "document"
        if "договор" in name:
            return "contract"
        if "контрагент" in name:
            return "party"
        return "other"
    if DOCUMENT.match(text):
        return "document"
    if CONTRACT.search(text) and "договор" in " ".join(lay.levels):
        return "contract"
    return "party"


def read(grid: Grid) -> Imported:
    rows = grid.cells()
    lay = layout(rows)
    if lay is None or not any("документ" in n for n in lay.levels):
        return Imported({}, [_no_layout(grid, lay)])
    levels = _levels(grid)
    accounts = [levels.get(line, 0) for line, c in rows[lay.first :] if ACCOUNT.match(_cell(c, 0))]
    depth = max(accounts, default=0) + 1
    walk, issues = _Walk(), []
    found: list[dict[str, object]] = []
    for line, cells in rows[lay.first :]:
        text = _cell(cells, 0)
        if not any(c.strip() for c in cells):
            continue
        if not text or _fold(text).startswith("итого"):
            # a line with column A blank continues the row above with another indicator (НУ,
            # ПР, ВР, the currency amount «Вал.», a quantity): the first line holds БУ, in roubles
            continue
        if ACCOUNT.match(text):
            walk = _Walk(account=text)
            continue
        level = levels.get(line, 0) - depth if levels else None
        kind = _kind_of(text, level, lay)
        if kind == "party":
            walk.party, walk.contract = text, ""
        elif kind == "contract":
            walk.contract = text
        elif kind == "document":
            item = _document(grid.label, line, cells, text, walk, lay)
            if isinstance(item, Issue):
                issues.append(item)
            elif item is not None:
                found.append(item)
        else:
            named = lay.levels[level] if level is not None and 0 <= level < len(lay.levels) else ""
            what = (
                _("a row of the grouping «{grouping}», which is not read; left out")
                if named
                else _("a row deeper than the header, which is not read; left out")
            )
            issues.append(_unread(grid.label, line, text, what.format(grouping=named)))
    written = [c for _, cells in rows[lay.first :] for c in cells[1:] if "," in c]
    return Imported(
        _tables(found, grid.label),
        issues,
        report_date=lay.report_date,
        written_decimal="," if written else None,
        open_items_only=True,
        lacks=_(
            "the documents settled before it, nor payments and their dates, nor due dates "
            "(terms are in the contracts: the policy's default terms apply)"
        ),
        header_line=lay.header,
    )


def _document(
    label: str, line: int, cells: list[str], text: str, walk: _Walk, lay: Layout
) -> dict[str, object] | Issue | None:
    """A document row as an open item (None when its closing balance is zero), or an
    ``unread_row`` error when it is not one."""
    match = DOCUMENT.match(text)
    if match is None:
        return _unread(
            label,
            line,
            text,
            _("a document row whose text is not «<вид> <номер> от dd.mm.yyyy»; left out"),
        )
    if not walk.party:
        return _unread(label, line, text, _("a document row outside any контрагент; left out"))
    debit, credit = _cell(cells, lay.debit), _cell(cells, lay.credit)
    d, c = cents(debit), cents(credit)
    day, month, year = (int(match.group(k)) for k in ("d", "m", "y"))
    when = _day(year, month, day)
    base = f"{match.group('number')} от {int(match.group('d')):02d}.{month:02d}.{year}"
    net = None if d is None or c is None else d - c
    if net == 0:
        return None
    return {
        "id": base,
        "customer_id": walk.party,
        "date": f"{when:%Y-%m-%d}" if when is not None else f"{match.group('d')}.{month}.{year}",
        "net": net,
        "amount": _text(net) if net is not None else (debit if d is None else credit),
        "document_type": match.group("kind").strip(),
        "contract": walk.contract,
        "account": walk.account,
        "closing_debit": debit,
        "closing_credit": credit,
        "source_line": line,
    }


def _unread(label: str, line: int, text: str, what: str) -> Issue:
    """An ``unread_row`` error: ``what`` is the whole message (it says the row is left out)."""
    return Issue(IssueCode.UNREAD_ROW, label, line, "A", text, what, _(HINT_ROW))


def _no_layout(grid: Grid, lay: Layout | None) -> Issue:
    what = (
        _(
            "the turnover sheet of account 62 has no «Сальдо на конец периода» header with its "
            "Дебет and Кредит columns; the file is left out"
        )
        if lay is None
        else _(
            "the turnover sheet of account 62 has no «Документы расчетов с контрагентом» "
            "grouping (only balances per {levels}), so there are no dated items to age; the "
            "file is left out"
        )
    )
    levels = ", ".join(lay.levels) if lay is not None and lay.levels else _("account")
    return Issue(
        IssueCode.MISSING_COLUMN,
        grid.label,
        None,
        None,
        None,
        what.format(levels=levels),
        _(HINT_ROW),
    )


def _tables(found: list[dict[str, object]], label: str) -> dict[str, pd.DataFrame]:
    """The open items as raw invoices (owed) and payments (advances, overpayments)."""
    frame = pd.DataFrame(
        found,
        columns=[
            "id", "customer_id", "date", "net", "amount", "document_type", "contract",
            "account", "closing_debit", "closing_credit", "source_line",
        ],
    )  # fmt: skip
    repeated = frame["id"].duplicated(keep=False)
    frame.loc[repeated, "id"] = frame["id"] + " (" + frame["account"] + ")"
    again = frame["id"].duplicated(keep=False)
    number = frame.groupby("id").cumcount() + 1
    frame.loc[again, "id"] = frame["id"] + "/" + number.astype("str")
    frame["source_file"] = label
    frame["source_line"] = frame["source_line"].astype(np.int64)
    cash = (frame["net"].fillna(0) < 0).to_numpy()
    keep = ["document_type", "contract", "account", "closing_debit", "closing_credit"]
    inv = frame[~cash]
    invoices = pd.DataFrame(
        {
            "invoice_id": inv["id"],
            "customer_id": inv["customer_id"],
            "invoice_date": inv["date"],
            "due_date": "",
            "amount": inv["amount"],
            **{k: inv[k] for k in keep},
            "source_file": inv["source_file"],
            "source_line": inv["source_line"],
        }
    ).reset_index(drop=True)
    pay = frame[cash]
    payments = pd.DataFrame(
        {
            "payment_id": pay["id"],
            "customer_id": pay["customer_id"],
            "payment_date": pay["date"],
            "amount": money.cents_text(-pay["net"].to_numpy(dtype=np.int64)),
            "invoice_id": "",
            **{k: pay[k] for k in keep},
            "source_file": pay["source_file"],
            "source_line": pay["source_line"],
        }
    ).reset_index(drop=True)
    for table in (invoices, payments):
        for column in table.columns:
            if column != "source_line":
                table[column] = table[column].astype("str")
        table.attrs["label"] = label
    return {"invoices": invoices, "payments": payments} if len(payments) else {"invoices": invoices}


ONEC = register(
    Preset(
        name="1c-osv62",
        title=N_("1C turnover sheet of account 62 (Оборотно-сальдовая ведомость по счету 62)"),
        description=N_(
            "1C:Бухгалтерия «Оборотно-сальдовая ведомость по счету 62» (XLSX): document rows "
            "with a closing balance; 62.02 advances as unapplied cash"
        ),
        read=read,
        open_items_only=True,
        recognise=recognise,
    )
)
