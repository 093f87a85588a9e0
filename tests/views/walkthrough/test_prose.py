"""The walkthrough's prose (:mod:`arbook.views.walkthrough.prose`): what the notebook says
between its sections, in the language spoken; in English as the notebook's markdown read, in
Spanish and Russian with no English word left; the commands and files stay code."""

from __future__ import annotations

import re

import pytest
from i18n_check import english_left

from arbook.core.i18n import using
from arbook.views.walkthrough import prose


@pytest.mark.parametrize("lang", ["es", "ru"])
def test_every_part_is_said_in_the_language_its_code_kept(lang):
    with using(lang):
        for name in prose.PARTS:
            page = prose.explain_html(name)
            code = re.findall(r"<code>(.*?)</code>", page)
            assert english_left(page, lang, data=code) == [], name
    with using("es"):
        assert "<code>ladder.toml</code>" in "".join(map(prose.explain_html, prose.PARTS))


def test_the_prose_in_english_reads_as_the_notebook_did():
    page = "".join(prose.explain_html(name) for name in prose.PARTS)
    assert "<h1>Walkthrough: taking control of your receivables</h1>" in page
    assert "<h2>3. Who to chase first, and why</h2>" in page
    assert "<li><b>Owed</b>: everything customers still have to pay on their invoices" in page
    assert "writes <code>ladder.toml</code> in their data folder" in page
    assert "the daily worklist (<code>arbook worklist DATA --as-of D</code>)" in page


def test_the_notebook_shows_the_prose_not_markdown():
    import nbformat

    from arbook.workbook.paths import notebook_path

    nb = nbformat.read(notebook_path("walkthrough"), as_version=4)
    markdown = [c for c in nb.cells if c.cell_type == "markdown"]
    assert len(markdown) == 1 and markdown[0].source.startswith("<!--")
    code = "".join(c.source for c in nb.cells if c.cell_type == "code")
    assert "set_language(lang or None)" in code
    assert {f'explain("{name}")' for name in prose.PARTS} <= set(
        re.findall(r'explain\("\w+"\)', code)
    )
