"""A translation that is missing is a test failure, not a silent English fallback: every text
marked in the code (Python and templates) has its Spanish and Russian translation, every plural
form, and the same {fields} as the English; the catalogues hold nothing the code no longer says."""

from __future__ import annotations

import pytest

from arbook.core import catalogue


@pytest.fixture(scope="module")
def template():
    return catalogue.extract()


@pytest.mark.parametrize("lang", catalogue.FOREIGN)
def test_every_text_of_the_code_is_translated(template, lang):
    found = catalogue.problems(lang, template=template)
    assert not found, (
        f"{len(found)} texts lack a proper {lang} translation (python -m arbook.core.catalogue "
        "todo " + lang + " lists them; fill writes them):\n" + "\n".join(map(str, found[:40]))
    )


@pytest.mark.parametrize("lang", catalogue.FOREIGN)
def test_the_catalogue_holds_only_what_the_code_says(template, lang):
    used = {m.id if isinstance(m.id, str) else m.id[0] for m in template if m.id}
    own = catalogue.read(catalogue.po_path(lang), lang)
    stale = [m.id for m in own if m.id and (m.id if isinstance(m.id, str) else m.id[0]) not in used]
    assert not stale, f"run python -m arbook.core.catalogue update: {stale[:20]}"


def test_fields_are_the_ones_a_text_formats_in():
    assert catalogue.fields("{count:,} more rows of {name}") == {"count", "name"}
    assert catalogue.fields("%(num)d customers, {{literal}}") == {"num"}


def test_a_translation_that_renames_a_field_is_a_problem(template):
    own = catalogue.read(catalogue.po_path("ru"), "ru")
    plural = next(m for m in own if isinstance(m.id, tuple) and "{number}" in m.id[0])
    plural.string = ("{n} день", "{number} дня", "{number} дней")
    found = catalogue.problems("ru", catalog=own, template=template)
    assert any("names ['n']" in p.what for p in found)
