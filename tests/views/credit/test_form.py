"""The credit application form (:class:`arbook.views.credit.form.CreditForm`), headless: the
decision redrawn as answers change, bad answers named, markup escaped, files found from the
notebooks folder."""

from __future__ import annotations

import pytest
from conftest import ROOT

from arbook.views.credit.decision import decision_html


def test_form_headless():
    from arbook.views.credit.form import CreditForm

    form = CreditForm()  # the sample applicant
    assert form.grade == "B" and 'data-grade="B"' in form.output.value
    form.fields["years_in_business"].value = "12"
    form.fields["bank_rating"].value = "excellent"
    form.fields["guarantee"].value = "bank"
    assert form.grade == "A" and 'data-grade="A"' in form.output.value  # 20+15+20+25+15 = 95
    form.fields["trade_references"].value = "North, 0\nSouth , 0\n\n"
    assert form.decision.total_points == 100
    form.fields["legal_name"].value = "<script>alert(1)</script>"
    assert "<script>alert" not in form.output.value
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in form.output.value
    form.fields["ebit"].value = "lots"
    form.fields["trade_references"].value = "North"
    assert form.grade == "" and form.decision is None
    assert "ebit: &#x27;lots&#x27; is not an amount" in form.output.value
    assert "trade_references, reference 1, days_beyond_terms: missing" in form.status
    form.fields["ebit"].value = ""
    form.fields["trade_references"].value = ""
    assert form.decision.ask_for == ["trade_references", "ebit"]
    assert "ask for this" in form.output.value


def test_form_from_a_file_with_a_bad_answer(tmp_path):
    from arbook.views.credit.form import CreditForm

    path = tmp_path / "a.toml"
    path.write_text('legal_name = "X"\nbank_rating = "great"\n')
    form = CreditForm(str(path))
    assert form.decision is None and "bank_rating: &quot;great&quot;" in form.output.value
    form.fields["bank_rating"].value = "good"
    assert form.grade == "E" and decision_html(form.decision).count("ask for this") == 4


@pytest.mark.slow
def test_a_relative_file_is_found_from_the_notebooks_folder(monkeypatch):
    """The notebook runs from its own folder (nbval runs it there): a path written from the
    repository root, like the sample application's, is still found."""
    from arbook.views.credit.form import CreditForm
    from arbook.workbook.paths import locate

    monkeypatch.chdir(ROOT / "arbook" / "notebooks")
    found = locate("arbook/defaults/sample_application.toml")
    assert found.is_file() and found == ROOT / "arbook" / "defaults" / "sample_application.toml"
    assert CreditForm("arbook/defaults/sample_application.toml").grade == CreditForm().grade
