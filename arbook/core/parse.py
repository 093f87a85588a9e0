"""Cell parsers: text (or already typed) columns -> exact values plus masks of what failed.

Every parser is vectorised (pyarrow compute kernels) and returns the parsed values together with
boolean masks: ``blank`` (nothing in the cell) and ``bad`` (something unreadable). Parsers never
guess: a cell that could mean two things is reported, not coerced. Money becomes int64 cents
without ever passing through a float, unless the source column itself is a float column (a
Parquet or DataFrame column), which is accepted only where it holds whole cents.
"""

from __future__ import annotations

from typing import TypeAlias, cast

import numpy as np
import numpy.typing as npt
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

#: A boolean mask, one value per row.
Mask: TypeAlias = npt.NDArray[np.bool_]
#: Exact integers, one per row: cents, day numbers, positions.
Int64Array: TypeAlias = npt.NDArray[np.int64]

#: largest amount accepted, in currency units: far beyond any invoice, far below int64 overflow.
MAX_UNITS_DIGITS = 13
DATE_ORDERS = ("iso", "mdy", "dmy")
_TRUE = {"yes", "y", "true", "t", "1", "si", "sí", "да", "x"}
_FALSE = {"no", "n", "false", "f", "0", "нет", ""}
_CURRENCY_MARKS = r"[$€£¥₽₹₴₸₺₩]|\b[A-Za-z]{3}\b"
_SLASHED = r"^(?P<a>\d{1,2})[/.\-](?P<b>\d{1,2})[/.\-](?P<y>\d{4})$"


def _text(series: pd.Series) -> pa.Array:
    """The column as an arrow string array, blanks (NaN, None, '') as null, whitespace trimmed."""
    if not isinstance(series.dtype, pd.StringDtype):
        series = series.astype("str")
    arr = pa.array(series, type=pa.large_string(), from_pandas=True)
    arr = pc.utf8_trim_whitespace(arr)
    return pc.if_else(pc.equal(arr, ""), pa.scalar(None, pa.large_string()), arr)


def _mask(arr: pa.Array) -> Mask:
    return np.asarray(pc.fill_null(arr, False).to_numpy(zero_copy_only=False), dtype=bool)


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


def parse_dates(series: pd.Series, order: str = "iso") -> tuple[pd.Series, Mask, Mask, Mask]:
    """Return ``(datetime64[s] Series, blank, bad, ambiguous)``.

    ``order`` "iso" reads only YYYY-MM-DD (a trailing ``00:00:00`` as spreadsheets write it is
    allowed); "mdy"/"dmy" read 03/04/2025-style dates in that order. Under "iso" a slashed date
    whose day and month are both 12 or less is ``ambiguous`` (also counted in ``bad``).
    """
    if order not in DATE_ORDERS:
        raise ValueError(f"date order {order!r}; use one of {', '.join(DATE_ORDERS)}")
    if series.dtype.kind == "M":
        values = series.dt.floor("D").astype("datetime64[s]")
        blank = series.isna().to_numpy()
        nothing = np.zeros(len(series), dtype=bool)
        return values.reset_index(drop=True), blank, nothing, nothing
    if (
        series.dtype == object
        and len(series)
        and not pd.api.types.infer_dtype(series, skipna=True).startswith(("string", "empty"))
    ):
        series = series.map(lambda v: v.isoformat()[:10] if hasattr(v, "isoformat") else v)
    text = _text(series)
    blank = _mask(pc.is_null(text))
    if order == "iso":
        iso = text
        if (pc.max(pc.utf8_length(text)).as_py() or 0) > 10:  # spreadsheets add 00:00:00
            iso = pc.replace_substring_regex(text, r"^(\d{4}-\d{2}-\d{2})[ T]00:00(?::00)?$", r"\1")
        try:  # fast path: arrow's strict ISO cast, which fails as a whole on any bad cell
            parsed = pc.cast(iso, pa.date32())
            good = ~blank
        except pa.ArrowInvalid:
            parsed, good = _dates_lenient(
                iso, pc.match_substring_regex(iso, r"^\d{4}-\d{2}-\d{2}$")
            )
    else:
        parts = pc.extract_regex(text, _SLASHED)
        month, day = ("a", "b") if order == "mdy" else ("b", "a")
        iso = pc.binary_join_element_wise(
            pc.struct_field(parts, "y"),
            pc.utf8_lpad(pc.struct_field(parts, month), 2, "0"),
            pc.utf8_lpad(pc.struct_field(parts, day), 2, "0"),
            pa.scalar("-", pa.large_string()),
        )
        parsed, good = _dates_lenient(iso, pc.is_valid(parts))
    bad = ~blank & ~good
    ambiguous = np.zeros(len(series), dtype=bool)
    if order == "iso" and bad.any():
        parts = pc.extract_regex(text, _SLASHED)
        small = pc.and_(
            pc.less_equal(pc.cast(pc.struct_field(parts, "a"), pa.int32()), 12),
            pc.less_equal(pc.cast(pc.struct_field(parts, "b"), pa.int32()), 12),
        )
        ambiguous = bad & _mask(small)
    values = parsed.to_numpy(zero_copy_only=False).astype("datetime64[s]")
    values[~good] = np.datetime64("NaT")
    return pd.Series(values), blank, bad, ambiguous


def _dates_lenient(iso: pa.Array, wellformed: pa.Array) -> tuple[pa.Array, Mask]:
    """Parse YYYY-MM-DD text cell by cell; ``good`` is False where it is not a real date."""
    iso = pc.if_else(wellformed, iso, pa.scalar(None, pa.large_string()))
    parsed = pc.strptime(iso, format="%Y-%m-%d", unit="s", error_is_null=True)
    # strptime rolls 2025-02-30 over to March: a date is good only if its day survives.
    day = pc.cast(pc.utf8_slice_codeunits(iso, 8, 10), pa.int64())
    good = _mask(pc.equal(pc.day(parsed), day))
    return pc.cast(parsed, pa.date32()), good


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
            ~np.isfinite(scaled)
            | (np.abs(scaled - cents) > 1e-6)
            | (np.abs(cents) >= 10.0 ** (MAX_UNITS_DIGITS + 2))
        )
        cents = np.where(blank | bad, 0, cents).astype(np.int64)
        return cents, blank, bad
    # decimals, Python Decimal objects, anything else: go through exact text.
    return None


def _cents_simple(text: pa.Array) -> Int64Array:
    """Plain ``-1234.5``-style text (already checked) -> cents, through an exact decimal cast."""
    exact = pc.cast(text, pa.decimal128(18, 2))
    cents = pc.cast(pc.multiply(exact, pa.scalar(100, pa.decimal128(3, 0))), pa.int64())
    return cast(Int64Array, cents.to_numpy(zero_copy_only=False))  # no nulls: int64 as is


def _cents_general(text: pa.Array, decimal: str) -> tuple[Int64Array, Mask]:
    """Any text -> ``(cents, good)``, accepting the decorations listed in :func:`parse_cents`."""
    group = "," if decimal == "." else r"[. ]"
    dec = r"\." if decimal == "." else ","
    text = pc.replace_substring_regex(text, _CURRENCY_MARKS, "")
    text = pc.replace_substring_regex(text, r"[\s\x{00a0}\x{202f}']+", " ")
    text = pc.utf8_trim_whitespace(text)
    parens = pc.match_substring_regex(text, r"^\(.*\)$")
    text = pc.replace_substring_regex(text, r"^\((.*)\)$", r"\1")
    text = pc.replace_substring_regex(text, r"^([-+]) ?", r"\1")
    if decimal == ".":
        text = pc.replace_substring_regex(text, r"(\d) (\d{3})", r"\1,\2")
    pattern = (
        rf"^(?P<sign>[-+]?)(?P<units>\d{{1,3}}(?:{group}\d{{3}})+|\d+)(?:{dec}(?P<frac>\d*))?$"
    )
    parts = pc.extract_regex(text, pattern)
    units = pc.replace_substring_regex(pc.struct_field(parts, "units"), r"\D", "")
    frac = pc.utf8_rpad(pc.fill_null(pc.struct_field(parts, "frac"), ""), 2, "0")
    sub_cent = pc.match_substring_regex(pc.utf8_slice_codeunits(frac, 2), r"[1-9]")
    too_big = pc.greater(pc.utf8_length(units), MAX_UNITS_DIGITS)
    ok = pc.fill_null(pc.and_(pc.is_valid(parts), pc.invert(pc.or_(sub_cent, too_big))), False)
    zero = pa.scalar("0", pa.large_string())
    units_i = pc.cast(pc.if_else(ok, units, zero), pa.int64()).to_numpy(zero_copy_only=False)
    frac_i = pc.cast(pc.if_else(ok, pc.utf8_slice_codeunits(frac, 0, 2), zero), pa.int64())
    cents = units_i * 100 + frac_i.to_numpy(zero_copy_only=False)
    good = _mask(ok)
    negative = _mask(pc.equal(pc.struct_field(parts, "sign"), "-")) ^ _mask(parens)
    return np.where(good, np.where(negative, -cents, cents), 0).astype(np.int64), good


def parse_cents(series: pd.Series, decimal: str = ".") -> tuple[Int64Array, Mask, Mask]:
    """Return ``(int64 cents ndarray, blank, bad)``; bad/blank cells hold 0.

    Text accepts a sign or accounting parentheses, a currency sign or ISO code, thousands
    separators in proper groups of three, and at most two non-zero decimals: ``-1,234.50``,
    ``(99.95)``, ``$ 12``, ``1 234,50 €`` (with ``decimal=","``). Anything else is ``bad``.
    Plain cells take a fast exact path; only the others go through the general reader.
    """
    if series.dtype.kind in "iuf" and (numbers := _cents_from_numbers(series)) is not None:
        return numbers  # always, for these kinds
    if decimal not in (".", ","):
        raise ValueError("decimal must be '.' or ','")
    text = _text(series.map(str, na_action="ignore") if series.dtype == object else series)
    blank = _mask(pc.is_null(text))
    zero = pa.scalar("0", pa.large_string())
    simple_re = r"^-?\d{1,13}(\.\d{1,2})?$" if decimal == "." else r"^-?\d{1,13}$"
    simple = _mask(pc.match_substring_regex(text, simple_re))
    if simple.sum() == (~blank).sum():  # every cell plain: one exact cast, nothing to report
        cents = _cents_simple(pc.fill_null(text, zero)).copy()
        return np.where(blank, 0, cents).astype(np.int64), blank, np.zeros(len(blank), dtype=bool)
    cents = _cents_simple(pc.if_else(pa.array(simple), text, zero)).copy()
    good = simple.copy()
    rest = np.flatnonzero(~simple & ~blank)
    if len(rest):
        rest_cents, rest_good = _cents_general(pc.take(text, pa.array(rest)), decimal)
        cents[rest] = rest_cents
        good[rest] = rest_good
    return np.where(good, cents, 0).astype(np.int64), blank, ~blank & ~good


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
    upper = pc.utf8_upper(text)
    good = _mask(pc.match_substring_regex(upper, r"^[A-Z]{3}$"))
    blank = _mask(pc.is_null(text))
    values = pd.Series(upper.to_pandas(types_mapper=pd.ArrowDtype)).astype("str")
    return values, ~blank & ~good


def index_of(values: pd.Series, ids: pd.Series) -> Int64Array:
    """Position of each value in ``ids`` (int64; -1 where blank or absent), by arrow hashing."""
    found = pc.index_in(_text(values), value_set=_text(ids).drop_null())
    return np.asarray(pc.fill_null(found, -1).to_numpy(zero_copy_only=False), dtype=np.int64)


def same_text(left: pd.Series, right: pd.Series, positions: Int64Array) -> Mask:
    """``left[positions[i]] == right[i]`` for each row (False where ``positions`` is -1)."""
    found = positions >= 0
    taken = pc.take(_text(left), pa.array(np.where(found, positions, 0)))
    return found & _mask(pc.equal(taken, _text(right)))
