"""A rendered customer document (statement or letter): its HTML, a plain-text body and the PDF.

The HTML is self-contained (inline CSS, no external resource) and the PDF is made offline:
WeasyPrint gets a URL fetcher that refuses everything but ``data:`` URLs.
The PDF carries no clock: its creation date is the as-of date (``dcterms.created``), so the
same document gives the same bytes.
"""

from __future__ import annotations

import calendar
import datetime
import os
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

#: The attribute a draft's HTML carries (on its "draft" banner), so a kept file tells it is one.
DRAFT_MARK = 'data-arbook-draft="yes"'
_PARAGRAPHS = {"p", "h1", "h2", "h3", "h4", "table", "section", "header", "footer", "dl"}
_LINES = {"tr", "li", "div", "address", "dt", "dd"}
_CELLS = {"td", "th"}


@dataclass(frozen=True)
class Document:
    """One document for one customer: ``kind`` is ``statement`` or a letter template
    (``reminder``, ``notice``, ``final_notice``, ``legal``); ``step`` the ladder step it was
    sent for (or ""); ``html`` the page, ``text`` the same content as plain text (the e-mail
    body); ``email`` the customer's address ("" if unknown), ``sender`` the company's.
    ``missing`` says what the document lacks before it may go to a customer (the company's
    name, the currency of its amounts), each with where to set it; a document missing
    anything is a draft, marked so, that the send path refuses."""

    kind: str
    customer_id: str
    lang: str
    as_of: str
    title: str
    html: str
    text: str
    email: str = ""
    sender: str = ""
    step: str = ""
    missing: tuple[str, ...] = ()

    @property
    def draft(self) -> bool:
        """Whether the document lacks something it needs before it goes to a customer."""
        return bool(self.missing)

    def to_pdf(self, path) -> Path:
        """Write the PDF to ``path`` (offline: only ``data:`` URLs are fetched); return the path."""
        import weasyprint

        path = Path(path)
        with _fonts_dated(self.as_of):
            weasyprint.HTML(string=self.html, url_fetcher=offline_fetcher()).write_pdf(path)
        return path

    def pdf_bytes(self) -> bytes:
        """The PDF as bytes (see :meth:`to_pdf`)."""
        import weasyprint

        with _fonts_dated(self.as_of):
            return weasyprint.HTML(string=self.html, url_fetcher=offline_fetcher()).write_pdf()


@contextmanager
def _fonts_dated(as_of: str) -> Iterator[None]:
    """Embedded fonts dated the as-of date, not now: fontTools stamps each font subset it
    writes with the clock unless ``SOURCE_DATE_EPOCH`` is set (the reproducible-builds
    convention), which made two renders of one document differ. A date already set is kept."""
    if "SOURCE_DATE_EPOCH" in os.environ:
        yield
        return
    try:
        epoch = calendar.timegm(datetime.date.fromisoformat(str(as_of)[:10]).timetuple())
    except ValueError:  # no date to go by: the epoch, still no clock
        epoch = 0
    os.environ["SOURCE_DATE_EPOCH"] = str(epoch)
    try:
        yield
    finally:
        os.environ.pop("SOURCE_DATE_EPOCH", None)


def offline_fetcher():
    """A WeasyPrint URL fetcher that reads ``data:`` URLs only; any other URL (http, https,
    file...) raises ValueError before anything is opened, and WeasyPrint leaves the resource out
    with a warning."""
    from weasyprint.urls import URLFetcher

    return URLFetcher(allowed_protocols={"data"}, timeout=1, allow_redirects=False)


class _TextParser(HTMLParser):
    """Collects the visible text of an HTML page: blocks on their own lines, table cells
    separated by two spaces; ``<style>``, ``<script>`` and ``<head>`` contents skipped."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.skip = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("style", "script", "head"):
            self.skip += 1
        elif tag in _PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _CELLS:
            self.parts.append("  ")

    def handle_endtag(self, tag):
        if tag in ("style", "script", "head"):
            self.skip = max(0, self.skip - 1)
        elif tag in _PARAGRAPHS:
            self.parts.append("\n\n")
        elif tag in _LINES:
            self.parts.append("\n")

    def handle_data(self, data):
        if not self.skip:
            # Only ASCII white space: the no-break spaces of ru/es money must survive.
            self.parts.append(re.sub(r"[ \t\r\n\f]+", " ", data))


def html_to_text(html: str) -> str:
    """The visible text of ``html``, one block per line, blank lines collapsed to one and
    entities decoded (escaped customer text comes back as the characters it was)."""
    parser = _TextParser()
    parser.feed(html)
    parser.close()
    lines = [line.strip() for line in "".join(parser.parts).splitlines()]
    text = "\n".join(lines)
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"
