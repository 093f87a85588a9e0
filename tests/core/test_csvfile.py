"""CSV text files (:mod:`arbook.core.csvfile`): encodings, separators, and rows located by the
line they began on, whatever their quotes do."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given
from hypothesis import strategies as st

from arbook.core import csvfile
from arbook.core.errors import IssueCode, ReadWhole

HEADER = "invoice_id,customer_id,invoice_date,amount\n"
TEXT = HEADER + "I1,C1,2026-01-05,100.00\nI2,Компания «Ромашка»,2026-01-06,200.00\n"


@pytest.mark.parametrize(
    "data, encoding",
    [
        (TEXT.encode("utf-8"), "utf_8"),
        (codecs.BOM_UTF8 + TEXT.encode("utf-8"), "utf-8-sig"),
        (TEXT.encode("utf-16"), "utf-16"),  # with its byte-order mark
        (TEXT.encode("utf-32"), "utf-32"),
    ],
)
def test_a_mark_or_utf8_decides_without_a_warning(data, encoding):
    decoded = csvfile.decode(data, "f.csv")
    assert decoded.text.lstrip("\ufeff") == TEXT
    assert decoded.encoding == encoding and decoded.issues == []


@pytest.mark.parametrize("codec", ["cp1251", "koi8_r", "cp866"])
def test_a_cyrillic_file_is_read_in_its_encoding_and_said(codec):
    text = HEADER + "I1,ООО Ромашка,2026-01-05,100.00\nI2,Иванов Пётр Сергеевич,2026-01-06,2.00\n"
    decoded = csvfile.decode(text.encode(codec), "f.csv")
    assert decoded.text == text and decoded.encoding == codec
    (issue,) = decoded.issues
    assert issue.code == IssueCode.GUESSED_ENCODING and issue.value == codec
    assert "(a word read so: 'ООО')" in issue.message and "--encoding" in issue.hint


def test_a_western_file_is_read_as_windows_1252():
    text = HEADER + "I1,Compañía Española de Café,2026-01-05,100.00\n"
    decoded = csvfile.decode(text.encode("cp1252"), "f.csv")
    assert decoded.text == text and decoded.encoding == "cp1252"


def test_a_given_encoding_wins_and_its_failure_is_located():
    data = (HEADER + "I1,Café,2026-01-05,1.00\n").encode("cp1252")
    assert csvfile.decode(data, "f.csv", "cp1252").text.endswith("Café,2026-01-05,1.00\n")
    with pytest.raises(csvfile.EncodingError) as caught:
        csvfile.decode(data, "f.csv", "utf-8")
    issue = caught.value.issue
    assert (issue.code, issue.source_line, issue.value) == (IssueCode.UNREADABLE_FILE, 2, "0xe9")
    assert issue.message == "not UTF-8 text: byte 0xe9 at column 7 cannot be read"
    with pytest.raises(csvfile.EncodingError, match="not an encoding Python knows"):
        csvfile.decode(data, "f.csv", "klingon")


@pytest.mark.parametrize(
    "line, sep", [("a,b,c", ","), ("a;b;c", ";"), ("a\tb\tc", "\t"), ("a|b|c", "|"), ("abc", ",")]
)
def test_the_header_decides_the_separator(line, sep):
    assert csvfile.sniff_separator(line) == sep


def test_lines_end_only_at_line_breaks():
    # a form feed or a Unicode line separator inside a cell is not a line break
    assert csvfile.split_lines("a\x0cb\r\nc\u2028d\rlast") == ["a\x0cb\r\n", "c\u2028d\r", "last"]


def read(text: str):
    rows = csvfile.read_exact(text, ",", "f.csv")
    return [(n, r) for n, r in zip(rows.lines, rows.rows)], rows


def test_an_unclosed_quote_is_an_error_and_the_lines_after_it_are_rows():
    text = (
        HEADER
        + 'I1,C1,2026-01-05,100.00\n"I2,C1,2026-01-06,200.00\n'
        + "I3,C1,2026-01-07,300.00\nI4,C1,2026-01-08,400.00\n"
    )
    found, rows = read(text)
    assert [n for n, _ in found] == [2, 4, 5]
    assert [r[3] for _, r in found] == ["100.00", "300.00", "400.00"]
    (issue,) = rows.issues
    assert (issue.code, issue.source_line) == (IssueCode.UNCLOSED_QUOTE, 3)
    assert "never closed" in issue.message


def test_a_quote_that_closes_lines_later_names_the_lines_it_would_swallow():
    text = HEADER + '"I2,C1,2026-01-06,200.00\nI3,C1,2026-01-07,300.00\nI4",C1,2026-01-08,400.00\n'
    found, rows = read(text)
    (issue,) = rows.issues
    assert (issue.code, issue.source_line) == (IssueCode.UNCLOSED_QUOTE, 2)
    assert "would swallow lines 3–4 into one cell" in issue.message
    assert [n for n, _ in found] == [3, 4]  # line 4 read as it stands: I4" is then a bad id


def test_a_quoted_cell_spanning_lines_is_kept_on_the_line_it_began():
    text = 'customer_id,name,address\nC1,Alpha,"1 Main St\nSpringfield"\nC2,Beta,x\n'
    found, rows = read(text)
    assert rows.issues == []
    assert found == [(2, ["C1", "Alpha", "1 Main St\nSpringfield"]), (4, ["C2", "Beta", "x"])]


def test_stray_quotes_and_nul_characters_are_bad_lines():
    text = HEADER + 'I1,C1,"2026-01-05"x,1.00\nI2,C1,2026\x00-01-06,2.00\nI3,C1,2026-01-07,3.00\n'
    found, rows = read(text)
    assert [n for n, _ in found] == [4]
    assert [(i.code, i.source_line) for i in rows.issues] == [
        (IssueCode.BAD_LINE, 2),
        (IssueCode.BAD_LINE, 3),
    ]


def test_extra_cells_are_kept_apart_and_short_rows_padded():
    text = HEADER + "I1,C1,2026-01-05,1,000.00\nI2,C1\n\n"
    rows = csvfile.read_exact(text, ",", "f.csv")
    assert rows.rows == [["I1", "C1", "2026-01-05", "1"], ["I2", "C1", "", ""]]
    assert rows.extra == ["000.00", ""] and rows.lines == [2, 3]


def test_the_fast_path_steps_aside_for_cells_with_line_breaks():
    data = b'a,b\n1,"x\ny"\n'
    assert csvfile.read_fast(data, ",", ["a", "b"], "f.csv") is None
    frame, issues = csvfile.read_fast(b"a,b\n1,x\n2,\n", ",", ["a", "b"], "f.csv")
    assert (
        issues == []
        and frame["b"].tolist() == ["x", ""]
        and frame["source_line"].tolist() == [2, 3]
    )


def test_the_fast_path_takes_rows_of_another_width_aside_and_keeps_line_numbers():
    data = b"a,b\n1,x\n2,y,z\n3\n\n4,w\n"
    frame, issues = csvfile.read_fast(data, ",", ["a", "b"], "f.csv")
    assert issues == []
    assert frame[["a", "b", "_extra_cells", "source_line"]].values.tolist() == [
        ["1", "x", "", 2],
        ["2", "y", "z", 3],
        ["3", "", "", 4],
        ["", "", "", 5],  # the blank line: dropped later, with every blank row
        ["4", "w", "", 6],
    ]


@pytest.mark.parametrize("end", ["\n", "\r\n"])
@pytest.mark.parametrize("quoted", [False, True])
@pytest.mark.parametrize("odd_at", [3, 150, 197])  # in the body; just above the tail; in it
def test_rows_of_another_width_keep_their_line_numbers_in_a_long_file(end, quoted, odd_at):
    # a report's footer (its last lines read apart from the rows above, which read with
    # threads) or a bad row further up (the whole file read by the numbering pass): either way
    # every row keeps the line it is on
    rows = [f'"{i}","x{i}"' if quoted else f"{i},x{i}" for i in range(2, 201)]
    rows[odd_at - 2] = "a lone cell"
    rows.insert(190, "")  # a blank line among the last ones
    data = end.join(["a,b", *rows, "Printed on 1 July 2026"]).encode() + end.encode()
    frame, issues = csvfile.read_fast(data, ",", ["a", "b"], "f.csv", quotes=quoted)
    assert issues == []
    lines = frame["source_line"].tolist()
    assert lines == list(range(2, len(rows) + 3))
    by_line = dict(zip(lines, frame["a"]))
    assert by_line[odd_at if odd_at < 191 else odd_at + 1] == "a lone cell"
    assert by_line[192] == "" and by_line[len(rows) + 2] == "Printed on 1 July 2026"
    assert by_line[2] == ("2" if odd_at != 2 else "a lone cell") and by_line[189] == "189"


def test_a_scan_finds_what_decides_the_reader(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b'a,b\n1,"x"\n')
    assert csvfile.scan(path, ",") == csvfile.Scan(utf8=True, quotes=True, nul=False, stray=False)
    path.write_bytes(b'a,b\n1,"x"y\n\xff\x00\n')
    assert csvfile.scan(path, ",") == csvfile.Scan(utf8=False, quotes=True, nul=True, stray=True)


def test_a_header_cell_longer_than_the_csv_module_allows_is_read():
    name = "x" * 200_000
    found, rows = read(f"a,{name}\n1,2\n")
    assert rows.header == ["a", name] and found == [(2, ["1", "2"])]


# -- in pieces ------------------------------------------------------------------------------------
def _pieces(path, monkeypatch, size, quotes=True):
    monkeypatch.setattr(csvfile, "PIECE", size)
    names = ["invoice_id", "customer_id", "invoice_date", "amount"]
    return list(csvfile.read_pieces(path, ",", names, "f.csv", quotes=quotes))


def test_pieces_are_numbered_with_the_files_lines_whatever_the_line_ends(tmp_path, monkeypatch):
    rows = [f"I{i},C1,2026-01-05,{i}.00" for i in range(1, 41)]
    text = HEADER.replace("\n", "\r\n") + "\r\n".join(rows[:20]) + "\n\n" + "\n".join(rows[20:])
    path = tmp_path / "f.csv"
    path.write_bytes(text.encode())
    pieces = _pieces(path, monkeypatch, 100)
    assert len(pieces) > 5  # really in pieces
    pieces = [p[p["invoice_id"] != ""] for p in pieces]  # the blank line: load drops it
    lines = [n for p in pieces for n in p["source_line"]]
    ids = [i for p in pieces for i in p["invoice_id"]]
    assert ids == [f"I{i}" for i in range(1, 41)]
    assert lines == list(range(2, 22)) + list(range(23, 43))  # line 22 is blank


def test_a_piece_never_ends_inside_a_quoted_cell(tmp_path, monkeypatch):
    rows = [f'I{i},"C1\nsecond line, still the cell",2026-01-05,{i}.00' for i in range(1, 13)]
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n".join(rows) + "\n", encoding="utf-8")
    # a cell spanning lines is the exact reader's (read_fast refuses it): whole, never split
    with pytest.raises(ReadWhole):
        _pieces(path, monkeypatch, 64)
    assert csvfile._cut(b'a,"b\nc",d\ne,f\n', quotes=True) == len(b'a,"b\nc",d\ne,f\n')
    assert csvfile._cut(b'a,"b\nc",d\ne,"f\n', quotes=True) == len(b'a,"b\nc",d\n')
    assert csvfile._cut(b'a,"b\nc', quotes=True) == -1


def test_a_row_with_an_extra_cell_in_a_later_piece_keeps_its_cells(tmp_path, monkeypatch):
    rows = [f"I{i},C1,2026-01-05,{i}.00" for i in range(1, 30)] + ["I30,C1,2026-01-05,1,000.00"]
    path = tmp_path / "f.csv"
    path.write_text(HEADER + "\n".join(rows), encoding="utf-8")  # no final line end
    last = _pieces(path, monkeypatch, 120, quotes=False)[-1]
    assert last["source_line"].iloc[-1] == 31
    assert last["_extra_cells"].iloc[-1] == "000.00" and last["amount"].iloc[-1] == "1"


def test_lines_ended_by_a_lone_cr_are_read_whole(tmp_path, monkeypatch):
    path = tmp_path / "f.csv"
    path.write_bytes((HEADER + "I1,C1,2026-01-05,1.00\n").replace("\n", "\r").encode())
    with pytest.raises(ReadWhole):
        _pieces(path, monkeypatch, 16)


def test_a_header_alone_gives_one_empty_piece(tmp_path, monkeypatch):
    path = tmp_path / "f.csv"
    path.write_text(HEADER, encoding="utf-8")
    (piece,) = _pieces(path, monkeypatch, 16)
    assert len(piece) == 0 and list(piece.columns)[:4] == HEADER.strip().split(",")


@given(
    st.binary(max_size=40).map(lambda b: bytes(b'ab,;"\n\r'[x % 7] for x in b)),
    st.sampled_from([",", ";"]),
)
def test_a_stray_quote_is_found_as_the_pattern_finds_it(data, sep):
    assert csvfile.has_stray_quote(data, sep) == bool(csvfile.stray_quote(sep).search(data))
