"""Cell parsers: text (or already typed) columns -> exact values plus masks of what failed.

Every parser is vectorised (pyarrow compute kernels, numpy) and returns the parsed values
together with boolean masks: ``blank`` (nothing in the cell) and ``bad`` (something unreadable).
Parsers never guess: a cell that could mean two things is reported, not coerced. Money becomes
int64 cents without ever passing through a float, unless the source column itself is a float
column (a Parquet or DataFrame column), which is accepted only where it holds whole cents.

Speed comes from tiers: the common shapes (``1234.50``, ``2026-01-06``) are recognised by one
cheap test over the column; only the cells left over go through the slower readers.
"""

from __future__ import annotations

import sys
from typing import NamedTuple, TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from arbook.core.errors import ReadWhole
from arbook.core.i18n import _

#: A boolean mask, one value per row.
Mask: TypeAlias = npt.NDArray[np.bool_]
#: Exact integers, one per row: cents, day numbers, positions.
Int64Array: TypeAlias = npt.NDArray[np.int64]

#: largest amount accepted, in currency units: far beyond any invoice, far below int64 overflow.
MAX_UNITS_DIGITS = 13
#: the same in cents: an amount must stay under it (10**15), after conversion too.
MAX_CENTS = 10 ** (MAX_UNITS_DIGITS + 2)
#: "iso" is the default: no order declared, so numeric day/month dates take the column's order.
DATE_ORDERS = ("iso", "mdy", "dmy")
_TRUE = {"yes", "y", "true", "t", "1", "si", "sí", "да", "x"}
_FALSE = {"no", "n", "false", "f", "0", "нет", ""}

_MARK_CODES = (
    "us$=USD c$=CAD ca$=CAD a$=AUD au$=AUD nz$=NZD hk$=HKD s$=SGD r$=BRL mx$=MXN €=EUR £=GBP "
    "₽=RUB руб=RUB р=RUB ₴=UAH грн=UAH ₸=KZT ₹=INR ₺=TRY ₩=KRW ₪=ILS kč=CZK zł=PLN ft=HUF "
    "fr=CHF лв=BGN"
)
#: Currency marks an amount may carry before or after it (case-insensitive, a word may end in a
#: dot: ``руб.``) -> the ISO code each names, None where it names several. Any three letters
#: also pass, as an ISO code.
CURRENCY_MARKS: dict[str, str | None] = dict.fromkeys(("$", "¥", "kr", "lei")) | {
    mark: code for mark, _, code in (pair.partition("=") for pair in _MARK_CODES.split())
}
_MARK_NAMES = pa.array(sorted(CURRENCY_MARKS), pa.large_string())
_IN_NUMBER = r"0-9 ,.'()+\-"  # what an amount is made of; anything else is a currency mark
_MARK = rf"[^{_IN_NUMBER}]+"
#: the mark first (after a sign or parenthesis) or last (before a trailing minus or parenthesis)
_MARK_PLACED = rf"^[-+( ]*{_MARK}\.?[{_IN_NUMBER}]*$|^[{_IN_NUMBER}]*{_MARK}\.?[ )\-]*$"
_MARK_CUT = rf" ?{_MARK}(?:\.$|\. | )?"  # "$.50" keeps its dot, so it stays unreadable
_SPACES = r"[\s\x{00a0}\x{2007}\x{2009}\x{202f}]+"  # no-break, figure, thin, narrow no-break
_ODD_CHARACTERS = r"[\x{00a0}\x{2007}\x{2009}\x{202f}\x{2212}\x{2019}\t\n\r\f\v]|  "
_EMPTY = pa.scalar("", pa.large_string())
_ZERO = pa.scalar("0", pa.large_string())

# A time of day after a date, dropped as written (no time-zone shift): 10:15, 0:00:00,
# T10:15:03.5Z, 10:15 pm +02:00.
_TIME = (
    r"(?i)(?:[ t]|, ?)(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d(?:[.,]\d{1,9})?)?(?: ?[ap]\.?m\.?)?"
    r"(?: ?(?:z|utc|gmt|[+-](?:[01]\d|2[0-3])(?::?[0-5]\d)?))?"
)
_YEAR_WORD = r"(?: ?(?i:г\.?|года|год))?"  # 1C writes "15 июля 2026 г."
#: The forms of a date, tried in turn (each on the cells still unread), after its time of day.
_DATE_FORMS = (
    ("iso", r"^\d{4}-\d{2}-\d{2}$"),
    ("numeric", r"^\d{1,2}[/.-]\d{1,2}[/.-]\d{4}" + _YEAR_WORD + "$"),  # day/month: order?
    ("compact", r"^(?:19|20)\d{6}$"),
    ("day name", r"(?i)^\d{1,2}[ ./-]*(?:de )?\pL+\.?[ ./-]*(?:de )?\d{4}" + _YEAR_WORD + "$"),
    ("name day", r"(?i)^\pL+\.?[ ./-]*\d{1,2}(?:st|nd|rd|th)?(?:, ?| )\d{4}$"),
)
#: The parts of a date with a month's name, read once the form has matched (and " de " is cut).
_NAMED_PARTS = {
    "day name": r"^(?P<d>\d+)[ ./-]*(?P<name>[^\d ./-]+)\.?[ ./-]*(?P<y>\d{4})",
    "name day": r"^(?P<name>[^\d ./-]+)\.?[ ./-]*(?P<d>\d+)\D+(?P<y>\d{4})",
}
_DMY_CUTS = ((0, 2), (3, 5), (6, 10))  # a numeric date of ten characters: 19/04/2026
_MONTH_WORDS = (  # English, Spanish, Russian (as 1C writes them: nominative, genitive, short)
    "jan january ene enero янв январь января",
    "feb february febrero фев февр февраль февраля",
    "mar march marzo март марта",
    "apr april abr abril апр апрель апреля",
    "may mayo май мая",
    "jun june junio июн июнь июня",
    "jul july julio июл июль июля",
    "aug august ago agosto авг август августа",
    "sep sept september set septiembre setiembre сен сент сентябрь сентября",
    "oct october octubre окт октябрь октября",
    "nov november noviembre ноя нояб ноябрь ноября",
    "dec december dic diciembre дек декабрь декабря",
)
_MONTHS = {word: n for n, words in enumerate(_MONTH_WORDS, 1) for word in words.split()}
_MONTH_NAMES = pa.array(list(_MONTHS), pa.large_string())
_MONTH_NUMBERS = np.array(list(_MONTHS.values()), dtype=np.int64)
_MONTH_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)


def _text(series: pd.Series, clean: bool = False) -> pa.Array:
    """The column as an arrow string array, blanks (NaN, None, '') as null, whitespace trimmed.
    ``clean``: the column is already so (a parsed column, :func:`clean_text`): only converted."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    arr = pa.array(series, type=pa.large_string(), from_pandas=True)
    if isinstance(arr, pa.ChunkedArray):  # an arrow-backed column comes in chunks: one array
        arr = arr.combine_chunks()
    if clean:
        return arr
    arr = pc.utf8_trim_whitespace(arr)
    empty = pc.equal(arr, "")
    if not pc.any(empty).as_py():
        return arr
    return pc.if_else(empty, pa.scalar(None, pa.large_string()), arr)


def repeats(series: pd.Series, ok: Mask, clean: bool = False) -> tuple[Mask, Int64Array]:
    """Among the ``ok`` rows, those whose text repeats an earlier row's, and for each the row
    it repeats (-1 elsewhere). By a stable sort, not a hash table: the memory is the sorted
    text and its order, about a column's size. ``clean``: as :func:`_text` takes it."""
    n = len(series)
    dup, first = np.zeros(n, dtype=bool), np.full(n, -1, dtype=np.int64)
    text = _text(series, clean)
    keep = ok & _mask(pc.is_valid(text))
    rows = np.flatnonzero(keep)
    if len(rows) < 2:
        return dup, first
    sub = text if len(rows) == n else pc.take(text, pa.array(rows))
    del text
    if pc.all(pc.less(sub.slice(0, len(rows) - 1), sub.slice(1))).as_py():
        return dup, first  # in increasing order, as numbered documents often are: none repeats
    order = np.asarray(pc.sort_indices(sub).to_numpy(), dtype=np.int64)  # stable: file order
    ranked = pc.take(sub, pa.array(order))
    del sub
    later = np.concatenate(
        [[False], _mask(pc.equal(ranked.slice(1), ranked.slice(0, len(rows) - 1)))]
    )
    del ranked
    if not later.any():
        return dup, first
    group = np.cumsum(~later) - 1  # each sorted row's run of equal keys
    firsts = np.flatnonzero(~later)[group]  # where each run starts
    by_rank = rows[order]
    dup[by_rank[later]] = True
    first[by_rank[later]] = by_rank[firsts[later]]
    return dup, first


def _mask(arr: pa.Array) -> Mask:
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


def _ints(arr: pa.Array) -> Int64Array:
    """Digit strings (no nulls) -> int64."""
    return np.asarray(pc.cast(arr, pa.int64()).to_numpy(zero_copy_only=False), dtype=np.int64)


def _only(arr: pa.Array, mask: Mask) -> pa.Array:
    return pc.filter(arr, pa.array(mask))


def _without(text: pa.Array, chars: str) -> pa.Array:
    """``text`` with every one of ``chars`` removed (literal replaces, only of those present)."""
    for char in chars:
        if pc.any(pc.match_substring(text, char)).as_py():
            text = pc.replace_substring(text, char, "")
    return text


def holds(series: pd.Series, text: str) -> bool:
    """Whether some cell of a text column holds ``text`` (False for a column of numbers)."""
    if series.dtype.kind in "iufMmb" or isinstance(series.dtype, pd.ArrowDtype):
        return False
    cells = pa.array(series.astype("str"), type=pa.large_string(), from_pandas=True)
    return bool(pc.any(pc.match_substring(cells, text)).as_py())


def blank_mask(series: pd.Series) -> Mask:
    """True where the cell holds nothing (NaN/None/empty or only spaces)."""
    if series.dtype.kind in "iufMmb":
        return series.isna().to_numpy()
    return _mask(pc.is_null(_text(series)))


def clean_text(series: pd.Series) -> pd.Series:
    """Trimmed text with blanks as missing, as pandas' ``str`` dtype."""
    if series.dtype.kind in "iu":
        return series.astype("str")
    return pd.Series(
        _text(series).to_pandas(types_mapper=pd.ArrowDtype), index=series.index
    ).astype("str")


# -- dates -------------------------------------------------------------------------------------


class ParsedDates(NamedTuple):
    """What :func:`parse_dates` gives: ``values`` (datetime64[s], NaT where not read) and masks,
    one value per row. ``ambiguous`` and ``mixed`` cells are also ``bad``."""

    values: pd.Series
    blank: Mask
    bad: Mask
    ambiguous: Mask  # day/month or month/day, and nothing in the column settles which
    mixed: Mask  # the column settles both orders: these settle the one fewer dates settle

    def rows(self, chosen: Mask) -> ParsedDates:
        """The reading of the ``chosen`` rows only, numbered from 0."""
        values = self.values[chosen].reset_index(drop=True)
        return ParsedDates(
            values, self.blank[chosen], self.bad[chosen], self.ambiguous[chosen], self.mixed[chosen]
        )


class _Dates(NamedTuple):
    """Text dates taken apart; for a ``numeric`` date ``m`` and ``d`` are its first and second
    number, whichever is the month."""

    y: Int64Array
    m: Int64Array
    d: Int64Array
    numeric: Mask
    read: Mask  # in one of the forms


def parse_dates(series: pd.Series, order: str = "iso", *, piece: bool = False) -> ParsedDates:
    """Read a column of dates; see :class:`ParsedDates` for what comes back.

    Accepted: ISO ``2026-01-06``; ``20260106``; month names in English, Spanish or Russian
    (``6-Jan-2026``, ``15 Jul 2026``, ``Jul 15, 2026``, ``15 de julio de 2026``,
    ``15 июля 2026 г.``); numeric ``19/04/2026`` (``/``, ``.`` or ``-``). A time of day after
    any of them (``T10:15:03Z``, `` 0:00:00``) is dropped: the date is kept as written, with no
    time-zone shift. Numeric dates are read in ``order`` "dmy" or "mdy" when it is given;
    under the default "iso" in the order the column settles (:func:`infer_date_order`), else
    they are ``ambiguous``. Two-digit years are refused: the century would be a guess.
    ``piece``: the cells are one piece of a longer column, so an order the column would settle
    cannot be settled here: :class:`~arbook.core.errors.ReadWhole` is raised instead.
    """
    if order not in DATE_ORDERS:
        raise ValueError(
            _("date order {order}; use one of {orders}").format(
                order=repr(order), orders=", ".join(DATE_ORDERS)
            )
        )
    return DateCells(series).read(order, piece=piece)


class DateCells:
    """A column of dates taken apart once, to be asked both the day/month order its numeric
    dates settle (:meth:`order`) and its dates in an order (:meth:`read`): a preset that settles
    the order from the column then reads it in that order takes the cells apart once, not twice.
    """

    def __init__(self, series: pd.Series) -> None:
        self._typed: ParsedDates | None = None
        self._parts: _Dates | None = None
        self._days: npt.NDArray[np.datetime64] | None = None
        nothing = np.zeros(len(series), dtype=bool)
        if series.dtype.kind == "M":
            if isinstance(series.dtype, pd.DatetimeTZDtype):
                series = series.dt.tz_localize(None)  # the wall-clock date, in its own zone
            values = series.dt.floor("D").astype("datetime64[s]").reset_index(drop=True)
            self.blank = series.isna().to_numpy()
            self._typed = ParsedDates(values, self.blank, nothing, nothing, nothing)
            return
        if (
            series.dtype == object
            and len(series)
            and not pd.api.types.infer_dtype(series, skipna=True).startswith(("string", "empty"))
        ):
            series = series.map(lambda v: v.isoformat()[:10] if hasattr(v, "isoformat") else v)
        text = _text(series)
        self.blank = _mask(pc.is_null(text))
        self._days = _iso_days(text)
        if self._days is None:
            self._parts = _date_parts(text)

    def order(self) -> str | None:
        """The order the column settles ("dmy", "mdy"), as :func:`infer_date_order` says."""
        if self._parts is None:
            return None
        dmy_only, mdy_only, _ = _readings(self._parts)
        return _order_of(dmy_only, mdy_only)

    def read(self, order: str = "iso", *, piece: bool = False) -> ParsedDates:
        """The dates read in ``order`` (see :func:`parse_dates`)."""
        nothing = np.zeros(len(self.blank), dtype=bool)
        if self._typed is not None:
            return self._typed
        if self._days is not None:
            values = pd.Series(self._days.astype("datetime64[s]"))
            return ParsedDates(values, self.blank, *[nothing] * 3)
        parts, blank = self._parts, self.blank
        assert parts is not None
        ambiguous, mixed = nothing, nothing
        day_first = parts.numeric if order == "dmy" else nothing
        if order == "iso":
            if piece and parts.numeric.any():
                raise ReadWhole
            dmy_only, mdy_only, both = _readings(parts)
            inferred = _order_of(dmy_only, mdy_only)
            if inferred == "dmy":
                day_first = parts.numeric
            elif inferred is None:  # unsettled: each settled date is read its only way
                day_first, ambiguous = dmy_only, both
                if dmy_only.any() and mdy_only.any():
                    mixed = _out_of_step(dmy_only, mdy_only)
        m, d = np.where(day_first, parts.d, parts.m), np.where(day_first, parts.m, parts.d)
        days, real = _calendar(parts.y, m, d)
        bad = (~blank & ~(parts.read & real)) | ambiguous | mixed
        days[bad | blank] = np.datetime64("NaT")
        return ParsedDates(pd.Series(days.astype("datetime64[s]")), blank, bad, ambiguous, mixed)


def infer_date_order(series: pd.Series) -> str | None:
    """The day/month order a column of dates settles: "dmy" when some numeric date is real only
    day first (``19/04/2026``) and none only month first, "mdy" the other way round; None when
    no date settles it or both orders are settled. :func:`parse_dates` reads by it."""
    dmy_only, mdy_only, _ = _readings(_date_parts(_text(series)))
    return _order_of(dmy_only, mdy_only)


def _order_of(dmy_only: Mask, mdy_only: Mask) -> str | None:
    if dmy_only.any() != mdy_only.any():
        return "dmy" if dmy_only.any() else "mdy"
    return None


def _out_of_step(dmy_only: Mask, mdy_only: Mask) -> Mask:
    """Of two orders both settled, the dates in the one fewer dates settle (on a tie, the one
    settled later in the column): those are the ones reported."""
    n_dmy, n_mdy = int(dmy_only.sum()), int(mdy_only.sum())
    if n_dmy == n_mdy:
        return mdy_only if np.argmax(dmy_only) < np.argmax(mdy_only) else dmy_only
    return mdy_only if n_dmy > n_mdy else dmy_only


def _readings(parts: _Dates) -> tuple[Mask, Mask, Mask]:
    """Numeric dates real only day first, only month first, and both ways as two different
    dates (``05/05/2026`` is one date either way)."""
    as_mdy = _real(parts.y, parts.m, parts.d) & parts.numeric
    as_dmy = _real(parts.y, parts.d, parts.m) & parts.numeric
    return as_dmy & ~as_mdy, as_mdy & ~as_dmy, as_dmy & as_mdy & (parts.m != parts.d)


def _iso_days(text: pa.Array) -> npt.NDArray[np.datetime64] | None:
    """datetime64[D] when every cell is ISO ``YYYY-MM-DD``, maybe with a time after it; else
    None. One strict arrow cast, tried only when the first cells look ISO (a failing cast costs
    as much as a whole lenient read)."""
    if (pc.max(pc.binary_length(text)).as_py() or 0) > 10:
        times = pc.unique(pc.utf8_slice_codeunits(text, 10)).drop_null()  # mostly 00:00:00
        if not pc.all(pc.match_substring_regex(times, f"^(?:{_TIME})?$")).as_py():
            return None
        text = pc.utf8_slice_codeunits(text, 0, 10)
    start = text.slice(0, 1000)
    if not pc.all(pc.match_substring_regex(start, r"^\d{4}-\d{2}-\d{2}$")).as_py():
        return None
    try:
        return cast(npt.NDArray[np.datetime64], pc.cast(text, pa.date32()).to_numpy(False))
    except pa.ArrowInvalid:  # a bad cell further on: the lenient reader reports it
        return None


def _date_parts(text: pa.Array) -> _Dates:
    """Each cell matched against :data:`_DATE_FORMS`, each form tried only on the cells that
    the ones before it did not read."""
    n = len(text)
    y, m, d = (np.zeros(n, dtype=np.int64) for _ in range(3))
    numeric, read = np.zeros(n, dtype=bool), np.zeros(n, dtype=bool)
    left = np.flatnonzero(_mask(pc.is_valid(text)))
    cells = text if len(left) == n else pc.take(text, pa.array(left))
    fixed = _ten_characters(cells)
    if fixed is not None:  # most exports: 2026-06-30, 06/30/2026, 30.06.2026 in every cell
        hit, (years, firsts, seconds), numbers = fixed
        rows = left[hit]
        y[rows], m[rows], d[rows], numeric[rows], read[rows] = years, firsts, seconds, numbers, True
        if hit.all():
            return _Dates(y, m, d, numeric, read)
        left, cells = left[~hit], _only(cells, ~hit)
    cells = _spaced(cells, ascii_too=False)  # "15\u00a0июля": the forms allow runs of spaces
    timed = _mask(pc.match_substring(cells, ":"))
    if timed.any():
        cut = pc.replace_substring_regex(_only(cells, timed), _TIME + "$", "")
        cells = pc.replace_with_mask(cells, pa.array(timed), cut)
    for kind, pattern in _DATE_FORMS:
        hit = _mask(pc.match_substring_regex(cells, pattern))
        if hit.any():
            rows, found = left[hit], _only(cells, hit)
            y[rows], m[rows], d[rows] = _ymd(found, kind)
            numeric[rows], read[rows] = kind == "numeric", True
            left, cells = left[~hit], _only(cells, ~hit)
    return _Dates(y, m, d, numeric, read)


_DIGIT = np.zeros(256, dtype=bool)
_DIGIT[48:58] = True
_DATE_MARK = np.zeros(256, dtype=bool)
_DATE_MARK[[ord("/"), ord("."), ord("-")]] = True


def _ten_characters(
    cells: pa.Array,
) -> tuple[Mask, tuple[Int64Array, Int64Array, Int64Array], Mask] | None:
    """When every cell is ten bytes long, the ISO (``2026-06-30``) and numeric (``30/06/2026``,
    ``.`` or ``-`` too) dates among them, read from the bytes at once: ``(hit, (year, month or
    first number, day or second), numeric)`` over the cells, the ones missed left for the forms.
    None when some cell has another length (then the forms read them all)."""
    n = len(cells)
    if not n or cells.type != pa.large_string() or cells.null_count:
        return None
    lengths = pc.binary_length(cells)
    if pc.min(lengths).as_py() != 10 or pc.max(lengths).as_py() != 10:
        return None
    _, offsets, data = cells.buffers()
    start = np.frombuffer(offsets, dtype=np.int64, count=1, offset=cells.offset * 8)[0]
    raw = np.frombuffer(data, dtype=np.uint8, count=n * 10, offset=int(start)).reshape(n, 10)
    byte = np.ascontiguousarray(raw.T)  # one row of bytes per place: each read at once
    digit = _DIGIT[byte]
    number = byte.astype(np.int32) - 48

    def value(*at: int) -> npt.NDArray[np.int32]:
        out: npt.NDArray[np.int32] = number[at[0]].copy()
        for i in at[1:]:
            out = out * 10 + number[i]
        return out

    iso = digit[[0, 1, 2, 3, 5, 6, 8, 9]].all(axis=0) & (byte[4] == 45) & (byte[7] == 45)
    numeric = digit[[0, 1, 3, 4, 6, 7, 8, 9]].all(axis=0) & _DATE_MARK[byte[2]]
    numeric &= _DATE_MARK[byte[5]]
    hit = iso | numeric
    # year, then month (or first number), then day (or second), in each form found
    as_iso = (value(0, 1, 2, 3), value(5, 6), value(8, 9)) if iso.any() else None
    as_numeric = (value(6, 7, 8, 9), value(0, 1), value(3, 4)) if numeric.any() else None
    if as_iso is None or as_numeric is None:
        found = as_iso or as_numeric
        if found is None:
            return None
        y, first, second = found
    else:
        y, first, second = (np.where(iso, a, b) for a, b in zip(as_iso, as_numeric))
    parts = tuple(part[hit].astype(np.int64) for part in (y, first, second))
    return hit, cast(tuple[Int64Array, Int64Array, Int64Array], parts), numeric[hit]


def _ymd(found: pa.Array, kind: str) -> tuple[Int64Array, Int64Array, Int64Array]:
    """Year, month and day of cells in one form (for "numeric": year, first, second)."""
    if kind in ("iso", "compact"):
        cuts = ((0, 4), (5, 7), (8, 10)) if kind == "iso" else ((0, 4), (4, 6), (6, 8))
        y, m, d = (_ints(pc.utf8_slice_codeunits(found, a, b)) for a, b in cuts)
        return y, m, d
    if kind == "numeric":
        if not pc.all(pc.string_is_ascii(found)).as_py():
            found = pc.replace_substring_regex(found, _YEAR_WORD + "$", "")
        if pc.all(pc.equal(pc.binary_length(found), 10)).as_py():  # 19/04/2026: cut, not split
            first, second, year = (_ints(pc.utf8_slice_codeunits(found, *c)) for c in _DMY_CUTS)
            return year, first, second
        for sep in ".-":
            if pc.any(pc.match_substring(found, sep)).as_py():
                found = pc.replace_substring(found, sep, "/")
        split = pc.split_pattern(found, "/")
        first, second, year = (_ints(pc.list_element(split, i)) for i in range(3))
        return year, first, second
    if pc.any(pc.match_substring(found, " de ", ignore_case=True)).as_py():
        found = pc.replace_substring_regex(found, "(?i) de ", " ")
    parts = pc.extract_regex(found, _NAMED_PARTS[kind])
    at = pc.index_in(pc.utf8_lower(pc.struct_field(parts, "name")), value_set=_MONTH_NAMES)
    at = np.asarray(pc.fill_null(at, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    month = np.where(at >= 0, _MONTH_NUMBERS[at], 0)  # 0: no such month, so no such date
    return _ints(pc.struct_field(parts, "y")), month, _ints(pc.struct_field(parts, "d"))


def _calendar(
    y: Int64Array, m: Int64Array, d: Int64Array
) -> tuple[npt.NDArray[np.datetime64], Mask]:
    """``(datetime64[D] dates, real)``: real where month 1-12 and the day exists in that month."""
    real = _real(y, m, d)
    month = ((y - 1970) * 12 + np.where(real, m, 1) - 1).astype("datetime64[M]")
    return month.astype("datetime64[D]") + (np.where(real, d, 1) - 1).astype("timedelta64[D]"), real


def _real(y: Int64Array, m: Int64Array, d: Int64Array) -> Mask:
    """Whether day ``d`` of month ``m`` exists in year ``y`` (Gregorian leap years)."""
    leap = (y % 4 == 0) & ((y % 100 != 0) | (y % 400 == 0))
    length = _MONTH_DAYS[np.clip(m, 0, 12)] + (leap & (m == 2))
    return cast(Mask, (m >= 1) & (m <= 12) & (d >= 1) & (d <= length))


# -- money -------------------------------------------------------------------------------------


def _spaced(text: pa.Array, *, ascii_too: bool = True) -> pa.Array:
    """Spaces of any kind (no-break, thin, tab...) made one plain space, ``−`` (U+2212) a minus
    and ``’`` an apostrophe; only the cells that need it are touched (with ``ascii_too`` False
    only non-ASCII ones: tabs and double spaces stay)."""
    odd = ~_mask(pc.string_is_ascii(text))
    for char in ("  ", "\t") if ascii_too else ():
        odd |= _mask(pc.match_substring(text, char))
    if odd.any():  # of those, the ones with something to change (not just "руб.")
        odd[odd] = _mask(pc.match_substring_regex(_only(text, odd), _ODD_CHARACTERS))
    if not odd.any():
        return text
    fix = pc.replace_substring(pc.replace_substring(_only(text, odd), "\u2212", "-"), "\u2019", "'")
    fix = pc.utf8_trim_whitespace(pc.replace_substring_regex(fix, _SPACES, " "))
    return pc.replace_with_mask(text, pa.array(odd), fix)


def _cents_from_numbers(series: pd.Series) -> tuple[Int64Array, Mask, Mask] | None:
    """Int/float/decimal columns -> cents; floats must hold whole cents (to 1e-6 of a cent)."""
    blank = series.isna().to_numpy()
    if series.dtype.kind in "iu":
        # Range-check before scaling: 10**17 * 100 would wrap around int64 without a word.
        # Compared in the column's own type (no abs: it overflows at the int64 minimum).
        signed = series.dtype.kind == "i"
        units = series.to_numpy(dtype=np.int64 if signed else np.uint64, na_value=0)
        limit = 10**MAX_UNITS_DIGITS
        bad = ~blank & (units >= limit)
        if signed:
            bad |= ~blank & (units <= -limit)
        cents = np.where(bad, 0, units).astype(np.int64) * 100
        return cents, blank, bad
    if series.dtype.kind == "f":
        scaled = series.to_numpy(dtype=np.float64, na_value=np.nan) * 100
        cents = np.rint(scaled)
        bad = ~blank & (
            ~np.isfinite(scaled) | (np.abs(scaled - cents) > 1e-6) | (np.abs(cents) >= MAX_CENTS)
        )
        cents = np.where(blank | bad, 0, cents).astype(np.int64)
        return cents, blank, bad
    dtype = series.dtype
    if isinstance(dtype, pd.ArrowDtype) and pa.types.is_decimal(dtype.pyarrow_dtype):
        # a Parquet decimal column, as numbers: exact in Arrow's decimals, no text on the way
        try:
            scaled = pc.cast(pc.multiply(pa.array(series.array), 100), pa.int64())
        except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
            return None  # a cell with sub-cent digits or past int64: the text reader says which
        cents = pc.fill_null(scaled, 0).to_numpy(zero_copy_only=False).astype(np.int64)
        bad = ~blank & (np.abs(cents) >= MAX_CENTS)
        return np.where(bad, 0, cents), blank, bad
    # Python Decimal objects, anything else: go through exact text.
    return None


def _simple_pattern(decimal: str) -> str:
    # leading zeros make no amount large: 13 digits of units after them (as the common cast)
    return r"^-?0*\d{1,13}(\.\d{1,2})?$" if decimal == "." else r"^-?0*\d{1,13}$"


def _cents_simple(text: pa.Array) -> Int64Array:
    """Plain ``-1234.5``-style text (already checked) -> cents, through an exact decimal cast."""
    exact = pc.cast(text, pa.decimal128(18, 2))
    cents = pc.cast(pc.multiply(exact, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    return cast(Int64Array, cents.to_numpy(zero_copy_only=False))  # no nulls: int64 as is


def _plain_pattern(decimal: str) -> str:
    """The form nearly every cell of a plain file takes: ``-1234.5``, at most 13 digits of units
    and two decimals, nothing else."""
    point = r"\." if decimal == "." else ","
    return rf"^-?\d{{1,13}}(?:{point}\d{{1,2}})?$"


#: an Arrow decimal is a 128-bit integer of its units in the last place; on a little-endian
#: machine its first 64 bits are that integer whenever it fits in 64 (two's complement)
_LITTLE_ENDIAN = sys.byteorder == "little"


def _cents_plain(text: pa.Array, decimal: str) -> Int64Array:
    """Cells of :func:`_plain_pattern` (no nulls) -> cents: one exact cast to a decimal of two
    places, whose stored integer *is* the cents (under 10**15: it fits in 64 bits)."""
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    exact = pc.cast(text, pa.decimal128(18, 2))
    if isinstance(exact, pa.ChunkedArray):
        exact = exact.combine_chunks()
    if not _LITTLE_ENDIAN or exact.null_count:
        return _cents_simple(text)
    words = np.frombuffer(exact.buffers()[1], dtype=np.int64)
    return words[2 * exact.offset : 2 * (exact.offset + len(exact)) : 2].copy()


def _common_pattern(decimal: str) -> str:
    """The forms most cells of an export take: ``-1234.5``, ``-1,234.56`` (grouped in threes by
    the other mark), at most two decimals."""
    group, point = (",", r"\.") if decimal == "." else (r"\.", ",")
    return rf"^-?(?:\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{point}\d{{1,2}})?$"


def _cents_common(text: pa.Array, decimal: str) -> tuple[Int64Array, Mask]:
    """Cells of :func:`_common_pattern` -> ``(cents, good)``: group marks cut, the decimal mark
    made a point, one exact decimal cast; good unless over 13 digits of units (as
    :func:`_cents_grouped` reads them)."""
    text = pc.replace_substring(text, "," if decimal == "." else ".", "")
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    if (pc.max(pc.binary_length(text)).as_py() or 0) > 36:  # beyond even a wide decimal
        return _cents_grouped(text, ".")
    exact = pc.cast(text, pa.decimal128(38, 2))
    good = _mask(pc.less(pc.abs(exact), pa.scalar(10**MAX_UNITS_DIGITS, pa.decimal128(38, 2))))
    exact = pc.if_else(pa.array(good), exact, pa.scalar(0, pa.decimal128(38, 2)))
    exact = pc.cast(exact, pa.decimal128(18, 2))  # under 10**13: it fits
    cents = pc.cast(pc.multiply(exact, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    return cast(Int64Array, cents.to_numpy(zero_copy_only=False)), good


def _units(decimal: str) -> str:
    """Units grouped in threes by one separator (``,``, or ``.`` with a decimal comma; a space;
    ``'``), or not grouped."""
    group = "," if decimal == "." else r"\."
    return "|".join(rf"\d{{1,3}}(?:{sep}\d{{3}})+" for sep in (group, " ", "'")) + r"|\d+"


def _grouped_pattern(decimal: str) -> str:
    """The common shape after the plain one: ``-1,234.50``, ``1 234,5`` (one test, no parts)."""
    point = r"\." if decimal == "." else ","
    return rf"^-?(?:{_units(decimal)})(?:{point}\d{{1,2}})?$"


def _signed_pattern(decimal: str) -> str:
    """Any amount without its currency mark: a sign in front (before or inside parentheses),
    the units, the decimals, a trailing minus, the closing parenthesis."""
    point = r"\." if decimal == "." else ","
    return rf"^[-+]? ?\(? ?[-+]? ?(?:{_units(decimal)})(?:{point}\d*)? ?-? ?\)?$"


def _cents_grouped(text: pa.Array, decimal: str) -> tuple[Int64Array, Mask]:
    """Cells of :func:`_grouped_pattern` -> ``(cents, good)``: good unless over 13 digits."""
    text = _without(text, ", '" if decimal == "." else ". '")
    if decimal == ",":
        text = pc.replace_substring(text, ",", ".")
    good = _mask(pc.match_substring_regex(text, _simple_pattern(".")))
    return _cents_simple(pc.if_else(pa.array(good), text, _ZERO)), good


def _cents_signed(text: pa.Array, decimal: str) -> tuple[Int64Array, Mask]:
    """Any cell without a currency mark -> ``(cents, good)``: one sign (leading, or trailing as
    SAP and 1C write it) or parentheses, never both; at most two non-zero decimals."""
    minus = _counts(text, "-")
    signs = minus + _counts(text, "+")
    parens = _mask(pc.match_substring(text, "("))
    ok = (
        _mask(pc.match_substring_regex(text, _signed_pattern(decimal)))
        & (signs <= 1)
        & (parens == _mask(pc.match_substring(text, ")")))
        & ~(parens & (signs > 0))  # "(-100.00)" says minus twice: refused, not guessed
    )
    point = pa.scalar(decimal, pa.large_string())  # added, so every cell has one to split at
    split = pc.split_pattern(
        pc.binary_join_element_wise(text, point, _EMPTY), decimal, max_splits=1
    )
    units = _without(pc.list_element(split, 0), "()+- ,.'")
    frac = _without(pc.list_element(split, 1), "-) " + decimal)
    frac = pc.utf8_rpad(frac, 2, "0")
    ok &= ~_mask(pc.match_substring_regex(pc.utf8_slice_codeunits(frac, 2), r"[1-9]"))
    # digits that count: leading zeros make no amount large (as the common path's cast reads it)
    significant = pc.utf8_ltrim(units, "0")
    ok &= ~_mask(pc.greater(pc.utf8_length(significant), MAX_UNITS_DIGITS))
    okay = pa.array(ok)
    cents = _ints(pc.if_else(okay, units, _ZERO)) * 100
    cents += _ints(pc.if_else(okay, pc.utf8_slice_codeunits(frac, 0, 2), _ZERO))
    negative = parens | (minus > 0)
    return np.where(ok, np.where(negative, -cents, cents), 0).astype(np.int64), ok


def _counts(text: pa.Array, char: str) -> Int64Array:
    found = pc.count_substring(text, char).to_numpy(zero_copy_only=False)
    return np.asarray(found, dtype=np.int64)


def _marks(text: pa.Array) -> pa.Array:
    """The currency mark of each cell, lower case (``руб`` for ``130 500,00 руб.``), or null."""
    found = pc.extract_regex(text, f"(?P<mark>{_MARK})")
    return pc.utf8_lower(pc.struct_field(found, "mark"))


def _without_mark(text: pa.Array) -> tuple[pa.Array, Mask]:
    """``(text without its currency mark, good)``: good unless the mark is unknown, out of place
    (``1 EUR 234``) or not the only one (``$ 5 USD``)."""
    marked = _mask(pc.match_substring_regex(text, f"[^{_IN_NUMBER}]"))
    good = np.ones(len(text), dtype=bool)
    if not marked.any():
        return text, good
    cells = _only(text, marked)
    mark = _marks(cells)
    known = _mask(pc.is_in(mark, value_set=_MARK_NAMES))
    known |= _mask(pc.match_substring_regex(mark, "^[a-z]{3}$"))
    good[marked] = known & _mask(pc.match_substring_regex(cells, _MARK_PLACED))
    cut = pc.utf8_trim_whitespace(pc.replace_substring_regex(cells, _MARK_CUT, ""))
    return pc.replace_with_mask(text, pa.array(marked), cut), good


def _cents_general(text: pa.Array, decimal: str) -> tuple[Int64Array, Mask]:
    """Any text -> ``(cents, good)``, accepting the decorations listed in :func:`parse_cents`.
    Grouped amounts take one cheap test; marks, parentheses and trailing signs the slow road."""
    text = _spaced(text)
    cents, good = np.zeros(len(text), dtype=np.int64), np.zeros(len(text), dtype=bool)
    grouped = _mask(pc.match_substring_regex(text, _grouped_pattern(decimal)))
    if grouped.any():
        cents[grouped], good[grouped] = _cents_grouped(_only(text, grouped), decimal)
    rest = ~grouped
    if rest.any():
        odd = _only(text, rest)
        cells, placed = _without_mark(odd)
        again = np.zeros(len(cells), dtype=bool)  # grouped once its mark is cut?
        if cells is not odd:
            again = _mask(pc.match_substring_regex(cells, _grouped_pattern(decimal)))
        some, fine = np.zeros(len(cells), dtype=np.int64), np.zeros(len(cells), dtype=bool)
        if again.any():
            some[again], fine[again] = _cents_grouped(_only(cells, again), decimal)
        if (~again).any():
            some[~again], fine[~again] = _cents_signed(_only(cells, ~again), decimal)
        cents[rest], good[rest] = some, fine & placed
    return np.where(good, cents, 0), good


def parse_cents(series: pd.Series, decimal: str = ".") -> tuple[Int64Array, Mask, Mask]:
    """Return ``(int64 cents ndarray, blank, bad)``; bad/blank cells hold 0.

    Text takes one sign (``-``, ``+`` or ``−`` in front, or ``-`` behind as SAP and 1C write
    it: ``100.00-``) or accounting parentheses (``(99.95)``; ``(-99.95)`` is bad); one currency
    mark before or after (:data:`CURRENCY_MARKS` or an ISO code: ``$ 12``, ``130 500,00 руб.``);
    thousands separators in proper groups of three (``,``, or ``.`` with ``decimal=","``; a
    space of any kind; ``'``); at most two non-zero decimals and 13 digits of units (under
    10**15 cents). Anything else is ``bad``: ``1,234,5``, ``12.345``, ``$ 5 USD``.
    Plain cells take a fast exact path; only the others go through the general reader.
    """
    numeric = series.dtype.kind in "iuf" or isinstance(series.dtype, pd.ArrowDtype)
    if numeric and (numbers := _cents_from_numbers(series)) is not None:
        return numbers  # always, for numbers and Parquet decimals that hold whole cents
    if decimal not in (".", ","):
        raise ValueError(_("decimal must be '.' or ','"))
    text = _text(series.map(str, na_action="ignore") if series.dtype == object else series)
    blank = _mask(pc.is_null(text))
    cells = _only(text, ~blank) if blank.any() else text
    some, fine = np.zeros(len(cells), dtype=np.int64), np.zeros(len(cells), dtype=bool)
    readers = (  # each cell by the first form it takes, the cheapest tested first
        (_plain_pattern(decimal), lambda text: (_cents_plain(text, decimal), True)),
        (_common_pattern(decimal), lambda text: _cents_common(text, decimal)),  # 1,234.56
        (None, lambda text: _cents_general(text, decimal)),  # a mark, a space, parentheses...
    )
    rest = np.ones(len(cells), dtype=bool)
    for pattern, read in readers:
        if not rest.any():
            break
        left = cells if rest.all() else _only(cells, rest)  # the usual column: no copy
        taken = np.ones(len(left), dtype=bool)
        if pattern is not None:
            taken = _mask(pc.match_substring_regex(left, pattern))
            if not taken.any():
                continue
        at = np.flatnonzero(rest)[taken]
        some[at], fine[at] = read(left if taken.all() else _only(left, taken))
        rest[at] = False
    cents, good = np.zeros(len(blank), dtype=np.int64), np.zeros(len(blank), dtype=bool)
    cents[~blank], good[~blank] = some, fine
    return np.where(good, cents, 0).astype(np.int64), blank, ~blank & ~good


def misread_decimal(series: pd.Series, bad: Mask, decimal: str = ".") -> Mask:
    """True where a ``bad`` cell of :func:`parse_cents` holds the other decimal mark and reads as
    money with it (``1.234,50`` read with ``decimal="."``): the file's mark is probably that one."""
    found = np.zeros(len(series), dtype=bool)
    if bad.any():
        other = "," if decimal == "." else "."
        cells = series[bad].reset_index(drop=True)
        text = _text(cells.map(str, na_action="ignore") if cells.dtype == object else cells)
        # the other mark must be there: 10.005 is three decimals, not ten thousand and five
        found[bad] = ~parse_cents(cells, other)[2] & _mask(pc.match_substring(text, other))
    return found


def decimal_of(series: pd.Series) -> str | None:
    """The decimal mark a column of amounts settles: "," when some cells hold a comma and read
    as money only with a decimal comma (``1234,50``, ``1.234,50``) and none only with a point;
    "." the other way round (``1,234.50``, ``12.50``); None when no cell settles it or both
    marks are settled (the cells that do not read are then reported as they are)."""
    return AmountCells(series).decimal()


#: how many cells are read first when one cell that reads (or not) is enough to know
_FIRST_CELLS = 1024
#: at most so many values in those first cells: the column is read once per distinct value
_FEW_VALUES = 16


class AmountCells:
    """A column of amounts, read under a decimal mark once (:meth:`read`) and asked the mark it
    settles (:meth:`decimal`) from those readings: a preset that settles the mark from a column
    and then reads the column in it reads it once. Of the other mark only the cells that could
    settle it are read (a million amounts with a decimal comma are not all read with a point
    too)."""

    def __init__(self, series: pd.Series) -> None:
        self.series = series
        self._read: dict[str, tuple[Int64Array, Mask, Mask]] = {}

    def read(self, decimal: str = ".") -> tuple[Int64Array, Mask, Mask]:
        """:func:`parse_cents` of the column with ``decimal``; a text column whose first cells
        hold a few values (a withholding of 0,00 on every row) read once per distinct value."""
        if decimal not in self._read:
            series = self.series
            few = (
                isinstance(series.dtype, pd.StringDtype)
                and len(series) > 4 * _FIRST_CELLS
                and series.iloc[:_FIRST_CELLS].nunique(dropna=False) <= _FEW_VALUES
            )
            if few:
                codes, distinct = pd.factorize(series, use_na_sentinel=False)
                read = parse_cents(pd.Series(distinct, dtype=series.dtype), decimal)
                self._read[decimal] = (read[0][codes], read[1][codes], read[2][codes])
            else:
                self._read[decimal] = parse_cents(series, decimal)
        return self._read[decimal]

    def _some(self, decimal: str, rows: Mask, *, bad: bool) -> bool:
        """Whether some of the ``rows`` does not read (``bad``), or reads, with ``decimal``:
        from the column's reading when it was made, else of those rows alone, the first few
        before the others (one is enough)."""
        if decimal in self._read:
            return bool((self._read[decimal][2][rows] == bad).any())
        at = np.flatnonzero(rows)
        for part in (at[:_FIRST_CELLS], at[_FIRST_CELLS:]):
            if len(part) and (parse_cents(self.series.iloc[part], decimal)[2] == bad).any():
                return True
        return False

    def decimal(self) -> str | None:
        """The mark the column settles, as :func:`decimal_of` says."""
        if self.series.dtype.kind in "iufb" or isinstance(self.series.dtype, pd.ArrowDtype):
            return None  # numbers (Parquet decimals among them) carry no mark
        # the cells as they are: trimming them, or blanks made null, changes no mark in them
        text = pa.array(self.series.astype("str"), type=pa.large_string(), from_pandas=True)
        has_comma = _mask(pc.match_substring(text, ","))
        if not has_comma.any():  # then no cell reads only with a comma; a point read is settled
            _, blank, bad_dot = self.read(".")
            point = _mask(pc.match_substring(text, ".")) & ~bad_dot & ~blank
            return "." if point.any() else None
        _, blank, bad_comma = self.read(",")
        # a comma in the cell: "1.234" alone is a thousand and more, or a slip; "1234,50" is a
        # mark. Only with a comma, and only with a point (blank cells read neither way):
        comma_only = self._some(".", has_comma & ~bad_comma, bad=True)
        point_only = self._some(".", ~blank & bad_comma, bad=False)
        if comma_only != point_only:
            return "," if comma_only else "."
        return None


def amount_currency(series: pd.Series, decimal: str = ".") -> pd.Series:
    """The ISO code named by the currency mark of each amount :func:`parse_cents` reads
    (``130 500,00 руб.`` -> RUB, ``US$ 5`` -> USD, ``5 eur`` -> EUR); missing where there is no
    mark, one naming several currencies (``$``, ``kr``), or no amount. Whether it agrees with
    the row's currency column is the validator's business."""
    bad = parse_cents(series, decimal)[2]
    text = _text(series.map(str, na_action="ignore") if series.dtype == object else series)
    mark = pc.if_else(pa.array(bad), pa.scalar(None, pa.large_string()), _marks(_spaced(text)))
    seen = pc.unique(mark).drop_null()
    codes = [CURRENCY_MARKS.get(m, m.upper() if len(m) == 3 else None) for m in seen.to_pylist()]
    named = pc.take(pa.array(codes, pa.large_string()), pc.index_in(mark, value_set=seen))
    return pd.Series(named.to_pandas(types_mapper=pd.ArrowDtype), index=series.index).astype("str")


def parse_flag(series: pd.Series) -> tuple[Mask, Mask]:
    """Return ``(bool ndarray, bad)``: yes/no, true/false, 1/0 (and sí/да); blank is False."""
    if series.dtype.kind == "b":
        return series.to_numpy(dtype=bool), np.zeros(len(series), dtype=bool)
    text = pc.utf8_lower(pc.fill_null(_text(series.astype("str")), ""))
    yes = _mask(pc.is_in(text, pa.array(sorted(_TRUE), pa.large_string())))
    no = _mask(pc.is_in(text, pa.array(sorted(_FALSE), pa.large_string())))
    return yes, ~yes & ~no


def parse_whole(series: pd.Series, low: int = 0, high: int = 3650) -> tuple[Int64Array, Mask, Mask]:
    """Return ``(int64 ndarray, blank, bad)`` for whole numbers in [low, high] (e.g. terms)."""
    if series.dtype.kind in "iu":
        values = series.to_numpy(dtype=np.int64, na_value=0)
        blank = series.isna().to_numpy()
    else:
        text = _text(series.astype("str"))
        blank = _mask(pc.is_null(text))
        digits = pc.match_substring_regex(text, r"^\d{1,6}(\.0+)?$")
        ok = _mask(digits)
        number = pc.replace_substring_regex(text, r"\.0+$", "")
        values = pc.cast(pc.if_else(digits, number, "0"), pa.int64()).to_numpy(zero_copy_only=False)
        values = np.where(ok, values, 0)
        bad = ~blank & ~ok
        bad |= ~blank & ((values < low) | (values > high))
        return values.astype(np.int64), blank, bad
    bad = ~blank & ((values < low) | (values > high))
    return values, blank, bad


def parse_currency(series: pd.Series) -> tuple[pd.Series, Mask]:
    """Return ``(upper-case code Series with blanks missing, bad)``: three letters only."""
    text = _text(series.astype("str"))
    if text.null_count == len(text):  # a column left blank, as most are: no code to read
        return pd.Series(pd.NA, index=range(len(text)), dtype="str"), np.zeros(len(text), bool)
    upper = pc.utf8_upper(text)
    good = _mask(pc.match_substring_regex(upper, r"^[A-Z]{3}$"))
    blank = _mask(pc.is_null(text))
    values = pd.Series(upper.to_pandas(types_mapper=pd.ArrowDtype)).astype("str")
    return values, ~blank & ~good


def index_of(values: pd.Series, ids: pd.Series, clean: bool = False) -> Int64Array:
    """Position of each value in ``ids`` (the first, if repeated; int64; -1 where blank or
    absent), by arrow hashing: of ``ids``, or of the values when they are far fewer (a few
    credit notes among a million invoices: the small side is hashed, the large one scanned).
    ``clean``: both are parsed columns (trimmed, blanks missing), taken as they are."""
    wanted, among = _text(values, clean), _text(ids, clean)
    if 4 * len(wanted) >= len(among):
        found = pc.index_in(wanted, value_set=among, skip_nulls=True)
        return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)
    distinct = pc.unique(wanted.drop_null())
    if not len(distinct):
        return np.full(len(wanted), -1, dtype=np.int64)
    which = np.asarray(pc.fill_null(pc.index_in(among, value_set=distinct), -1), dtype=np.int64)
    del among
    rows = np.flatnonzero(which >= 0)
    first = np.full(len(distinct), -1, dtype=np.int64)
    seen, at = np.unique(which[rows], return_index=True)  # the first id row of each value
    first[seen] = rows[at]
    slot = np.asarray(pc.fill_null(pc.index_in(wanted, value_set=distinct), -1), dtype=np.int64)
    return np.where(slot >= 0, first[np.where(slot >= 0, slot, 0)], -1)


def same_text(
    left: pd.Series, right: pd.Series, positions: Int64Array, clean: bool = False
) -> Mask:
    """``left[positions[i]] == right[i]`` for each row (False where ``positions`` is -1).
    ``clean``: as :func:`index_of` takes it."""
    found = positions >= 0
    if not found.any():  # also when ``left`` is empty: there is nothing to take from
        return found
    rows = np.flatnonzero(found)  # only these are compared: no copy of the whole columns
    lefts = _text(left.iloc[positions[rows]], clean)
    rights = _text(right.iloc[rows], clean) if len(rows) < len(right) else _text(right, clean)
    equal = pc.equal(lefts, rights)
    same = np.zeros(len(positions), dtype=bool)
    same[rows] = _mask(equal)
    return same
