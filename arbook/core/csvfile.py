"""CSV text files: their encoding, their separator, and their rows, each with the line it began on.

A file is read twice at most. The fast path hands well-formed UTF-8 to Arrow's multi-threaded
reader; anything it refuses (a row with too many cells, a blank line, a quote that does not
close), any cell holding a line break and any header that is not a plain list of distinct names
goes to the exact reader, which splits the text line by line and says what is wrong where:

- a quote that opens and never closes is an ``unclosed_quote`` error on its line, and the lines
  it would have swallowed are read as the rows they are (their money is never lost silently);
  a quoted cell spanning lines is kept only when none of the lines it spans looks like a row;
- a row with more cells than the header keeps the extra text in ``_extra_cells`` (the validator
  reports it as ``extra_cells``); a short row is padded with blank cells;
- a line whose quotes cannot be read, or that holds a NUL character, is a ``bad_line`` error.

Encodings: a byte-order mark decides (UTF-8, UTF-16, UTF-32); else strict UTF-8; else the
likeliest of the encodings this workbook's users export (Windows-1252, Windows-1251, KOI8-R,
CP866, UTF-16 without a mark), chosen by charset-normalizer and reported as a
``guessed_encoding`` warning that shows a word as it was read; ``--encoding`` overrides.
"""

from __future__ import annotations

import codecs
import csv
import io
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import charset_normalizer
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from arbook.core.errors import Issue, IssueCode, ReadWhole, shorten
from arbook.core.i18n import N_, _

# A header cell or a note may be long; the limit only protects against runaway quotes, which the
# reader below finds itself. The limit is process-wide (the csv module has no per-reader one).
csv.field_size_limit(min(sys.maxsize, 2**31 - 1))

SEPARATORS = (",", ";", "\t", "|")
#: Byte-order marks, longest first (the UTF-32 LE mark starts with the UTF-16 LE one).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
BOMS_NOT_UTF8 = tuple(bom for bom, codec in BOMS if codec != "utf-8-sig")
#: What a file that is not UTF-8 may be, for the people arbook is for (English, Spanish and
#: Russian books). Anything else is named with --encoding.
GUESSES = ("cp1252", "cp1251", "koi8_r", "cp866", "utf_16_le", "utf_16_be")
#: Each encoding's name for people, marked for the catalogue: shown through :func:`encoding_name`.
ENCODING_NAMES = {
    "utf_8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "utf-32": "UTF-32",
    "utf_16_le": N_("UTF-16 (little-endian, no byte-order mark)"),
    "utf_16_be": N_("UTF-16 (big-endian, no byte-order mark)"),
    "cp1252": N_("Windows-1252 (Western European)"),
    "cp1251": N_("Windows-1251 (Cyrillic)"),
    "koi8_r": N_("KOI8-R (Cyrillic)"),
    "cp866": N_("CP866 (DOS Cyrillic)"),
}
#: A quoted cell may span this many lines before it is taken for a quote that never closes.
MAX_CELL_LINES = 50
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n|$)")
ENCODING_HINT = N_(
    "Save the file as 'CSV UTF-8' (Excel: File > Save As > CSV UTF-8), or give --encoding."
)


def encoding_name(codec: str | None, default: str = "UTF-8") -> str:
    """The name people know ``codec`` by, in the language spoken now (``Windows-1251
    (Cyrillic)``); the codec itself when it has none (``default`` when None)."""
    if not codec:
        return default
    name = ENCODING_NAMES.get(codec)
    return _(name) if name is not None else codec


class EncodingError(Exception):
    """The bytes cannot be decoded; ``issue`` says where."""

    def __init__(self, issue: Issue) -> None:
        super().__init__(issue.message)
        self.issue = issue


@dataclass
class Text:
    """A decoded file: its text, the encoding used, and the warning when it was guessed."""

    text: str
    encoding: str
    issues: list[Issue] = field(default_factory=list)


def decode(data: bytes, label: str, encoding: str | None = None) -> Text:
    """Decode ``data`` (see the module's rules); raise :class:`EncodingError` when it cannot be."""
    if encoding is not None:
        return Text(_strict(data, encoding, label), encoding)
    for bom, codec in BOMS:
        if data.startswith(bom):
            return Text(_strict(data, codec, label), codec)
    try:
        return Text(data.decode("utf-8"), "utf_8")
    except UnicodeDecodeError as exc:
        first_bad = exc.start
    best = charset_normalizer.from_bytes(data[: 1 << 20], cp_isolation=list(GUESSES)).best()
    if best is None or best.encoding not in GUESSES:
        raise EncodingError(_bad_byte(data, first_bad, label, "utf-8"))
    text = _strict(data, best.encoding, label)
    name = encoding_name(best.encoding)
    word = _first_word_beyond_ascii(text)
    return Text(
        text,
        best.encoding,
        [
            Issue(
                IssueCode.GUESSED_ENCODING,
                label,
                None,
                None,
                best.encoding,
                _(
                    "not UTF-8; read as {encoding}, the likeliest encoding (a word read so: {word})"
                ).format(encoding=name, word=repr(word)),
                _(
                    "If names look wrong, give the file's encoding with --encoding (e.g. "
                    "--encoding cp1252), or save it as 'CSV UTF-8'."
                ),
            )
        ],
    )


def _strict(data: bytes, codec: str, label: str) -> str:
    try:
        return data.decode(codec)
    except LookupError:
        raise EncodingError(
            Issue(
                IssueCode.UNREADABLE_FILE,
                label,
                None,
                None,
                codec,
                _("--encoding {codec} is not an encoding Python knows").format(codec=repr(codec)),
                _("Give one such as utf-8, cp1252, cp1251 or koi8-r."),
            )
        ) from None
    except UnicodeDecodeError as exc:
        raise EncodingError(_bad_byte(data, exc.start, label, codec)) from None


def _bad_byte(data: bytes, at: int, label: str, codec: str) -> Issue:
    """Locate a byte that ``codec`` cannot read (line and column) so the user can find it."""
    line = data.count(b"\n", 0, at) + 1
    column = at - (data.rfind(b"\n", 0, at) + 1) + 1
    key = codecs.lookup(codec).name.replace("-", "_")
    name = encoding_name(key) if key in ENCODING_NAMES else codec
    byte = f"0x{data[at]:02x}"
    return Issue(
        IssueCode.UNREADABLE_FILE,
        label,
        line,
        None,
        byte,
        _("not {encoding} text: byte {byte} at column {column} cannot be read").format(
            encoding=name, byte=byte, column=column
        ),
        _(ENCODING_HINT),
    )


def _first_word_beyond_ascii(text: str) -> str:
    match = re.search(r"[\w'-]*[^\x00-\x7f][\w'-]*", text)
    return shorten(match.group(0), 40) if match else ""


def sniff_separator(header_line: str) -> str:
    """The separator the header uses most (comma when it has none)."""
    counts = {sep: header_line.count(sep) for sep in SEPARATORS}
    best = max(counts, key=counts.__getitem__)
    return best if counts[best] else ","


def split_lines(text: str) -> list[str]:
    """Physical lines with their endings (``\\r\\n``, ``\\r`` or ``\\n``; no others)."""
    lines = _LINE.findall(text)
    if lines and lines[-1] == "":
        lines.pop()
    return lines


def header_of(text: str, sep: str) -> list[str]:
    first = split_lines(text[:65536])[:1]
    if not first:
        return []
    try:
        return next(csv.reader([first[0].rstrip("\r\n")], delimiter=sep, strict=True), [])
    except csv.Error:
        return []


def plain_header(names: list[str]) -> bool:
    """A header the fast path may take: distinct, non-blank names without quotes or breaks."""
    cleaned = [n.strip().lower() for n in names]
    return bool(names) and all(cleaned) and len(set(cleaned)) == len(cleaned)


@dataclass
class Scan:
    """What one pass over a file's bytes found: enough to choose the reader."""

    utf8: bool
    quotes: bool
    nul: bool
    stray: bool


#: bytes read at a time when scanning or decoding a file: memory stays bounded by it
CHUNK = 1 << 24


def scan(path: Path, sep: str) -> Scan:
    """One pass over the file in chunks: is it UTF-8, does it hold quotes, NUL characters, or a
    quote that neither opens nor closes a cell (see :func:`stray_quote`)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    utf8, quotes, nul, odd = True, False, False, False
    tail = b""
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK):
            if utf8:
                try:
                    decoder.decode(chunk)
                except UnicodeDecodeError:
                    utf8 = False
            nul = nul or b"\x00" in chunk
            if b'"' in chunk:
                quotes = True
                odd = odd or has_stray_quote(tail + chunk, sep)
            tail = chunk[-1:]
    if utf8:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            utf8 = False
    return Scan(utf8, quotes, nul, odd)


def read_fast(
    source: Path | bytes,
    sep: str,
    names: list[str],
    label: str,
    *,
    quotes: bool = True,
    renamed: bool = False,
) -> tuple[pd.DataFrame, list[Issue]] | None:
    """Arrow's reader for UTF-8 text (every cell as text, blank as empty text), from a file or
    bytes; None when the file needs the exact reader (quotes Arrow would read differently, a
    cell spanning lines). Rows with more or fewer cells than the header are taken aside by a
    second, single-threaded pass and split like the exact reader splits them, so one bad row
    at the end of a large file does not send the whole file to the slow reader. ``renamed``:
    the header line is skipped and ``names`` name the columns (a header with blank names)."""
    found: list[tuple[int | None, str]] = []
    counted: list[int] = []

    def line_count() -> int:  # the text's lines, counted once
        if not counted:
            counted.append(_lines(cast(bytes, source)))
        return counted[0]

    def aside(row: Any) -> str:
        found.append((row.number, row.text))
        return "skip"

    def read(threads: bool, handler: Any, data: bytes | pa.Buffer | None = None) -> pa.Table:
        if data is None:
            data = source if isinstance(source, bytes) else None
        return pacsv.read_csv(
            str(source) if data is None else pa.BufferReader(data),
            read_options=pacsv.ReadOptions(
                encoding="utf8",
                use_threads=threads,
                skip_rows=1 if renamed else 0,
                column_names=names if renamed else None,
            ),
            parse_options=pacsv.ParseOptions(
                delimiter=sep, ignore_empty_lines=False, invalid_row_handler=handler
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.large_string() for name in names},
                strings_can_be_null=False,
            ),
        )

    try:
        table = read(True, None)
    except pa.ArrowInvalid:
        # most often a report's footer: the rows above it read with threads, its last lines
        # alone by the pass that numbers them; else the whole file by that pass
        parts = _body_and_tail(source, quotes, read, aside, found, line_count)
        try:
            table = parts if parts is not None else read(False, aside)
        except pa.ArrowInvalid:
            return None
    if table.column_names != names:
        return None
    if any(number is None or "\r" in text for number, text in found):
        return None  # a quote gone wrong: the exact reader says where
    split = [_split_row(text, sep) for _, text in found]
    if any(cells is None for cells in split):
        return None
    # every line one row and every quote closed: no cell spans lines (an unclosed quote on the
    # last line takes in only its own line end); else each column is looked at
    if quotes and not (
        isinstance(source, bytes)
        and line_count() == 1 + len(table) + len(found)
        and source.count(b'"') % 2 == 0
    ):
        for column in table.columns:
            if (
                pc.any(pc.match_substring(column, "\n")).as_py()
                or pc.any(pc.match_substring(column, "\r")).as_py()
            ):
                return None  # a cell spanning lines: row numbers would not be line numbers
    frame: pd.DataFrame = table.to_pandas()
    del table
    skipped = sorted(cast(int, number) for number, _ in found)
    lines = np.arange(2, len(frame) + len(skipped) + 2, dtype=np.int64)
    frame["source_line"] = np.setdiff1d(lines, skipped, assume_unique=True)[: len(frame)]
    if not found:
        return frame, []
    width = len(names)
    rows, numbers, extra = [], [], []
    for (number, _text), cells in sorted(zip(found, split), key=lambda f: cast(int, f[0][0])):
        assert cells is not None
        if not any(c.strip() for c in cells):
            continue
        numbers.append(cast(int, number))
        extra.append(sep.join(cells[width:]) if len(cells) > width else "")
        rows.append((cells + [""] * width)[:width])
    frame["_extra_cells"] = ""
    aside_frame = rows_frame(Rows(names, rows, numbers, extra, []))
    merged = pd.concat([frame, aside_frame], ignore_index=True)
    merged = merged.sort_values("source_line", kind="stable").reset_index(drop=True)
    return merged, []


_LONE_CR = re.compile(rb"\r(?!\n)")


def _lines(data: bytes) -> int:
    """How many lines ``data`` holds (ended by LF, CRLF or a lone CR; a last one unended too):
    when every line is one row, no quoted cell spans lines."""
    ends = data.count(b"\n")
    if b"\r" in data and _LONE_CR.search(data):
        ends += data.count(b"\r") - data.count(b"\r\n")
    return ends + (0 if not data or data.endswith((b"\n", b"\r")) else 1)


#: the last lines of a file read apart when the whole does not read at once (a footer)
TAIL_LINES = 64


def _body_and_tail(
    source: Path | bytes,
    quotes: bool,
    read: Callable[..., pa.Table],
    aside: Callable[[Any], str],
    found: list[tuple[int | None, str]],
    line_count: Callable[[], int],
) -> pa.Table | None:
    """Text whose rows read with threads but for its last :data:`TAIL_LINES` lines: those read
    by the numbering pass (rows set aside into ``found`` with the file's line numbers), the
    tables joined. None when that is not so (the caller reads the whole by the numbering pass).
    """
    if not isinstance(source, bytes):
        return None
    cut = len(source)
    for _line in range(TAIL_LINES + 1):
        cut = source.rfind(b"\n", 0, cut)
        if cut < 0:
            return None
    cut += 1  # the tail starts after a line end...
    if quotes and source.count(b'"', 0, cut) % 2:
        return None  # ...outside any quoted cell
    header = source[: source.find(b"\n") + 1]
    if not header or len(header) >= cut:
        return None
    try:
        body = read(True, None, pa.py_buffer(source).slice(0, cut))
    except pa.ArrowInvalid:
        return None
    before = len(found)
    tail = read(False, aside, header + source[cut:])
    shift = line_count() - _lines(source[cut:]) - 1  # the tail's line 2 is the file's shift + 2
    found[before:] = [(None if n is None else n + shift, text) for n, text in found[before:]]
    return pa.concat_tables([body, tail])


def _split_row(text: str, sep: str) -> list[str] | None:
    """One line Arrow set aside, split into cells as the exact reader would (quotes honoured);
    None when its quotes do not read (the exact reader then says where)."""
    if '"' not in text:
        return text.split(sep)
    try:
        return next(csv.reader([text], delimiter=sep, strict=True), [])
    except csv.Error:
        return None


#: bytes of a file read and checked at a time when it is read in pieces (:func:`read_pieces`)
PIECE = 1 << 24


def read_pieces(
    path: Path, sep: str, names: list[str], label: str, *, quotes: bool
) -> Iterator[pd.DataFrame]:
    """A UTF-8 file as raw frames of about :data:`PIECE` bytes each, read by :func:`read_fast`
    with the header in front and numbered with the file's own lines, so memory holds one piece
    of text at a time, not the whole file.

    A piece ends at a line end outside any quoted cell (in well-formed CSV a quoted cell holds an
    even number of quotes, so the quotes before a cut are even), so no cell is split. Raises
    :class:`~arbook.core.errors.ReadWhole` where :func:`read_fast` would refuse the text (a
    quote that never closes, a cell spanning lines): the caller reads the file whole then.
    Yields at least one frame (empty when the file has only its header)."""
    with open(path, "rb") as handle:
        header = handle.readline()
        if not header.endswith(b"\n") or b"\r" in header[:-2]:
            raise ReadWhole  # one line, or lines ended by a lone CR: not worth cutting
        before = 1  # lines before the piece's first
        carry = b""
        yielded = False
        while True:
            data = handle.read(PIECE)
            buffer = carry + data
            if data:
                cut = _cut(buffer, quotes)
                if cut < 0:
                    carry = buffer
                    continue
                piece, carry = buffer[:cut], buffer[cut:]
            else:
                piece, carry = buffer, b""
            if (piece and not piece.isspace()) or (not data and not yielded):  # no copy
                got = read_fast(header + piece, sep, names, label, quotes=quotes)
                if got is None:
                    raise ReadWhole
                frame = got[0]
                frame["source_line"] += before - 1
                yield frame
                yielded = True
            before += piece.count(b"\n")
            if b"\r" in piece:  # lines ended by a lone CR count too (a CRLF is one line end)
                before += piece.count(b"\r") - piece.count(b"\r\n")
            if not data:
                return


def _cut(buffer: bytes, quotes: bool) -> int:
    """Where a piece of ``buffer`` may end: after its last line end outside a quoted cell
    (-1: none in it)."""
    end = buffer.rfind(b"\n")
    if not quotes:
        return end + 1 if end >= 0 else -1
    odd = buffer.count(b'"', 0, end) % 2 if end >= 0 else 0
    while end >= 0 and odd:
        start = buffer.rfind(b"\n", 0, end)
        odd ^= buffer.count(b'"', start + 1, end) % 2
        end = start
    return end + 1 if end >= 0 else -1


def stray_quote(sep: str) -> re.Pattern[bytes]:
    """A quote that neither opens nor closes a cell: between two characters that are neither a
    separator, a line break nor a quote (a doubled quote is one)."""
    other = rb"[^" + re.escape(sep.encode()) + rb'\n\r"]'
    return re.compile(rb"(?<=" + other + rb')"(?=' + other + rb")")


def has_stray_quote(data: bytes, sep: str) -> bool:
    """Whether ``data`` holds a :func:`stray_quote`, found by numpy: the quotes of a step of
    bytes, then the bytes either side of each (a regex's look-behind at every quote of a quoted
    export took seconds; a look-up of every byte, twice as long as this)."""
    raw = np.frombuffer(data, dtype=np.uint8)
    inner = np.ones(256, dtype=bool)  # bytes that are neither a separator, a break nor a quote
    inner[np.frombuffer(sep.encode() + b'\n\r"', dtype=np.uint8)] = False
    for start in range(0, len(raw) - 2, STRAY_STEP):  # a step at a time: it stays in the cache
        chunk = raw[start : start + STRAY_STEP + 2]
        at = np.flatnonzero(chunk[1:-1] == ord('"'))  # each quote, and the bytes either side
        if len(at) and (inner[chunk[at]] & inner[chunk[at + 2]]).any():
            return True
    return False


#: bytes :func:`has_stray_quote` looks at a time
STRAY_STEP = 1 << 16


@dataclass
class Rows:
    header: list[str]
    rows: list[list[str]]
    lines: list[int]
    extra: list[str]
    issues: list[Issue]


def read_exact(text: str, sep: str, label: str) -> Rows:
    """Split ``text`` into rows line by line, locating every problem (see the module's rules)."""
    lines = split_lines(text)
    issues: list[Issue] = []
    if not lines:
        return Rows([], [], [], [], issues)
    header, used = _row_at(lines, 0, sep)
    if header is None:  # a header whose quotes do not close: read it as plain text
        header, used = lines[0].rstrip("\r\n").split(sep), 1
    width = len(header)
    rows: list[list[str]] = []
    numbers: list[int] = []
    extra: list[str] = []
    i = used
    while i < len(lines):
        line = lines[i]
        if "\x00" in line:
            issues.append(
                _line_issue(
                    IssueCode.BAD_LINE,
                    label,
                    i + 1,
                    line,
                    _("the line holds a NUL character"),
                    _(
                        "Remove the NUL characters (the file may be UTF-16: save it as "
                        "'CSV UTF-8')."
                    ),
                )
            )
            i += 1
            continue
        if '"' not in line:
            cells = line.rstrip("\r\n").split(sep)
            used = 1
        else:
            parsed, used = _row_at(lines, i, sep)
            if parsed is None:
                issues.append(_quote_issue(lines, i, used, label))
                i += 1
                continue
            if used > 1 and _swallows_rows(lines[i + 1 : i + used], sep, width):
                issues.append(_swallow_issue(lines, i, used, label))
                i += 1
                continue
            cells = parsed
        if cells == [""] or not any(c.strip() for c in cells):
            i += used
            continue  # a blank line holds nothing to lose
        numbers.append(i + 1)
        extra.append(sep.join(cells[width:]) if len(cells) > width else "")
        rows.append((cells + [""] * width)[:width])
        i += used
    return Rows(header, rows, numbers, extra, issues)


def _row_at(lines: list[str], i: int, sep: str) -> tuple[list[str] | None, int]:
    """The row starting on line ``i`` and the number of lines it takes; None when its quotes
    cannot be read (the count is then how many lines were tried)."""
    chunk = lines[i]
    for used in range(1, MAX_CELL_LINES + 1):
        try:
            rows = list(csv.reader(io.StringIO(chunk, newline=""), delimiter=sep, strict=True))
        except csv.Error as exc:
            if "unexpected end of data" not in str(exc) or i + used >= len(lines):
                return None, used
            chunk += lines[i + used]
            continue
        if len(rows) == 1:
            return rows[0], used
        return None, used
    return None, MAX_CELL_LINES


def _swallows_rows(continued: list[str], sep: str, width: int) -> bool:
    """Whether lines taken into a quoted cell look like rows of the file (as many separators
    as a row has, less one): then the quote is a stray, not a cell spanning lines."""
    return width > 1 and any(line.count(sep) >= width - 1 for line in continued)


def _quote_issue(lines: list[str], i: int, tried: int, label: str) -> Issue:
    line = lines[i]
    opened = _opens_quote(line)
    if opened:
        return _line_issue(
            IssueCode.UNCLOSED_QUOTE,
            label,
            i + 1,
            line,
            _(
                "the line opens a quote that is never closed; the lines after it are read as "
                "rows of their own"
            ),
            _('Close the quote (") or delete it, then read the file again.'),
        )
    return _line_issue(
        IssueCode.BAD_LINE,
        label,
        i + 1,
        line,
        _('the line has a quote (") inside a cell that cannot be read'),
        _('Double a quote inside a quoted cell (""), or delete the stray quote.'),
    )


def _swallow_issue(lines: list[str], i: int, used: int, label: str) -> Issue:
    first, last = i + 2, i + used
    said = (
        _(
            "the line opens a quote that would swallow line {first} into one cell; those lines "
            "are read as rows of their own and this one is left out"
        )
        if first == last
        else _(
            "the line opens a quote that would swallow lines {first}–{last} into one cell; those "
            "lines are read as rows of their own and this one is left out"
        )
    )
    return _line_issue(
        IssueCode.UNCLOSED_QUOTE,
        label,
        i + 1,
        lines[i],
        said.format(first=first, last=last),
        _('Close the quote (") on this line or delete it, then read the file again.'),
    )


def _opens_quote(line: str) -> bool:
    """Whether the line ends inside a quoted cell (an odd number of quotes)."""
    return line.count('"') % 2 == 1


def _line_issue(
    code: IssueCode, label: str, line: int, text: str, message: str, hint: str
) -> Issue:
    return Issue(code, label, line, None, shorten(text.rstrip("\r\n"), 80), message, hint)


def rows_frame(rows: Rows) -> pd.DataFrame:
    frame = pd.DataFrame(rows.rows, columns=rows.header, dtype="str")
    if not rows.rows:
        frame = pd.DataFrame({name: pd.Series([], dtype="str") for name in rows.header})
    frame["_extra_cells"] = pd.Series(rows.extra, dtype="str")
    frame["source_line"] = np.asarray(rows.lines, dtype=np.int64)
    return frame
