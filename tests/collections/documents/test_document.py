"""A rendered document (document): the PDF real, offline and the same bytes every time, and
the plain text of the HTML that becomes the e-mail body."""

from __future__ import annotations

import pytest
import test_build
from test_build import AS_OF

from arbook.collections.documents import Document, html_to_text, offline_fetcher, statement

small = test_build.small  # the ledger fixture of test_build (pytest finds it by this name)


def test_pdf_is_real_offline_and_reproducible(small, tmp_path):
    doc = statement(small, "A", AS_OF, lang="ru")
    path = doc.to_pdf(tmp_path / "a.pdf")
    data = path.read_bytes()
    assert data.startswith(b"%PDF-") and len(data) > 5000 and data.rstrip().endswith(b"%%EOF")
    assert data == doc.pdf_bytes()  # no clock in the PDF
    for marker in ("http://", "https://", "src=", "url("):
        assert marker not in doc.html
    with pytest.raises(ValueError, match="disallowed protocol"):
        offline_fetcher().fetch("http://127.0.0.1:9/logo.png")
    with pytest.raises(ValueError, match="disallowed protocol"):
        offline_fetcher().fetch("file:///etc/passwd")
    external = Document(
        "statement",
        "A",
        "en",
        AS_OF,
        "t",
        '<img src="http://127.0.0.1:9/x.png"><p>still renders</p>',
        "",
    )
    assert external.pdf_bytes().startswith(b"%PDF")  # the image is left out, nothing fetched


def test_html_to_text_blocks_cells_and_skipped_parts():
    html = (
        "<html><head><title>T</title><style>p {color: red}</style></head><body>"
        "<h1>Statement</h1><p>Dear   Ana,\n  hello<br>again</p>"
        "<table><tr><th>Doc</th><th>Amount</th></tr><tr><td>I1</td><td>1,00 €</td></tr></table>"
        "<script>alert(1)</script><ul><li>one</li><li>two</li></ul></body></html>"
    )
    # blocks apart by one blank line, rows on their lines, cells two spaces apart, the head,
    # style and script left out, runs of white space one space
    assert html_to_text(html) == (
        "Statement\n\nDear Ana, hello\nagain\n\nDoc  Amount\nI1  1,00 €\n\none\ntwo\n"
    )


def test_html_to_text_decodes_entities_and_keeps_no_break_spaces():
    # escaped customer text comes back as its characters; the no-break space of ru money stays
    assert html_to_text("<p>&lt;b&gt;Tom &amp; Co&lt;/b&gt;</p>") == "<b>Tom & Co</b>\n"
    assert html_to_text("<p>1\xa0234,56\xa0€</p>") == "1\xa0234,56\xa0€\n"
    assert html_to_text("") == "\n"


def test_document_fields_and_defaults():
    doc = Document("reminder", "A", "en", AS_OF, "t", "<p>x</p>", "x\n")
    assert (doc.email, doc.sender, doc.step) == ("", "", "")
    with pytest.raises(AttributeError):
        doc.kind = "legal"  # frozen: a document sent is not edited


def test_offline_fetcher_reads_data_urls():
    fetched = offline_fetcher().fetch("data:text/plain;base64,aGk=")  # "hi"
    assert fetched.read() == b"hi" and fetched.content_type == "text/plain"
