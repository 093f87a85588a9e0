"""The walkthrough's company form: filled from the folder's policy, saved only on the button,
into [company] of the folder's policy.toml, where the ledger (and so every document) finds it."""

from __future__ import annotations

from arbook.core.ledger import read_ledger
from arbook.views.walkthrough.company_form import CompanyForm
from arbook.workbook.sample import make_sample


def test_the_form_asks_once_and_every_document_then_names_the_company(tmp_path):
    make_sample(tmp_path, customers=5, months=2)
    (tmp_path / "policy.toml").unlink()
    form = CompanyForm(str(tmp_path))
    assert form.boxes["name"].value == "" and "Fill in the company's details once" in form.status
    assert not (tmp_path / "policy.toml").exists()  # nothing written before the button
    form.boxes["name"].value = "  Acme Ltd "
    form.boxes["address"].value = "1 High St\nLondon N1 1AA"
    form.boxes["email"].value = "ar@acme.example"
    form.button.click()
    assert not form.status_is_error, form.status
    assert form.saved == str(tmp_path / "policy.toml")
    company = read_ledger(tmp_path).policy.company
    assert (company.name, company.address, company.email) == (
        "Acme Ltd",
        "1 High St\nLondon N1 1AA",
        "ar@acme.example",
    )
    again = CompanyForm(str(tmp_path))  # the next time it shows what is saved
    assert again.boxes["name"].value == "Acme Ltd" and "every document prints" in again.status


def test_a_refusal_is_a_sentence_and_writes_nothing(tmp_path):
    form = CompanyForm(str(tmp_path))
    form.boxes["phone"].value = "020"
    form.button.click()
    assert form.status_is_error and form.status.startswith("Not saved: the company name is empty")
    assert "arbook-error" in form.message.value
    form.boxes["name"].value = "Acme"
    form.boxes["payment_note"].value = "x" * 2500
    form.button.click()
    assert form.status == "Not saved: [company] payment_note: 2,500 characters; keep it under 2,000"
    assert list(tmp_path.iterdir()) == []
