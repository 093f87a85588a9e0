"""The monthly review report: the papermill run of the notebook, the HTML it becomes, the batch
and its index, and the `arbook review` / `arbook batch` commands. The notebook runs once per
suite: the sample's review (``sample_report``, made by `arbook review` and shared with the browser
test); the batch and the commands around it run on that executed notebook."""

from __future__ import annotations

import re

import nbformat
import pytest
from conftest import ROOT, write_ledger

import arbook
from arbook.cli.commands import main
from arbook.core.errors import ArbookError, DataError, ParameterError
from arbook.views.html import format_value
from arbook.views.review import sections as report_sections
from arbook.workbook.paths import notebook_path
from arbook.workbook.report import (
    ReviewRun,
    execute,
    review_parameters,
    run_batch,
    run_review,
    slug,
)
from arbook.workbook.review import build_review

SAMPLE = ROOT / "data" / "sample"
AS_OF = "2026-10-31"
#: Charts in a report: trend, aging now vs a month ago, by customer, roll rates, carrying cost,
#: cash forecast.
CHARTS = 6
EXTERNAL = re.compile(r"<(script|link)\b[^>]*\b(src|href)\s*=\s*[\"']?(https?:)?//", re.I)


@pytest.fixture(scope="module")
def review_run(sample_report):
    run = ReviewRun(
        str(SAMPLE), AS_OF, "sample", True, sample_report["notebook"], sample_report["html"]
    )
    return run, sample_report["out"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, review_run):
    """A batch of two months and a missing client, two jobs at a time. Each run is the real
    runner around the notebook executed once (its worker processes are forked, so they see the
    stand-in for papermill's execution)."""
    executed = nbformat.read(review_run[0].notebook, as_version=4)
    out = tmp_path_factory.mktemp("batch")
    bad = tmp_path_factory.mktemp("clients") / "nobody"  # a folder that does not exist
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("arbook.workbook.report.execute", lambda params: executed)
        patch.setattr("arbook.workbook.kernels.start", lambda: None)  # no kernel to warm up
        return run_batch([SAMPLE, bad], "2026-09", "2026-10", out, jobs=2), out, bad


def test_review_writes_notebook_and_html_under_client_and_month(review_run):
    run, out = review_run
    assert run.ok and run.as_of == AS_OF and run.client == "sample"
    assert run.notebook == out / "sample" / "2026-10" / "monthly_review.ipynb"
    assert run.html == out / "sample" / "2026-10" / "monthly_review.html"
    nb = nbformat.read(run.notebook, as_version=4)
    assert nb.metadata.papermill.parameters["as_of"] == AS_OF
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert outputs and all(o.output_type == "display_data" for o in outputs)  # no warnings
    # charts are static SVG: Altair's own renderer would need a CDN and a vega-lite mimetype
    assert not any(m.startswith("application/vnd.vegalite") for o in outputs for m in o.data)
    assert not any(name.startswith(".") for name in os_names(run.html.parent))  # no temp files


def os_names(folder):
    return [p.name for p in folder.iterdir()]


def test_html_shows_the_kpis_build_review_computes(review_run):
    run, _ = review_run
    page = run.html.read_text("utf-8")
    ledger = arbook.read_ledger(SAMPLE)
    kpis = build_review(ledger, AS_OF).kpis
    for row in kpis.itertuples(index=False):
        tile = re.search(rf'data-kpi="{row.kpi}">.*?arbook-kpi-value">([^<]*)<', page)
        shown = format_value(row.value, row.unit, currency=ledger.currency)
        assert tile and tile.group(1) == shown, row.kpi


def test_html_has_every_chart_as_inline_svg_and_no_code(review_run):
    page = review_run[0].html.read_text("utf-8")
    assert page.count("<svg") == CHARTS
    assert 'src="data:image/svg+xml' not in page  # inline, not base64 images
    for code in ("open_review(", "build_review(", "show(", "import ", "cost_of_capital: float"):
        assert code not in page
    assert "Traceback" not in page
    assert "papermill" not in page  # the notebook's own note on how it runs is notebook-only


def test_html_is_offline(review_run):
    page = review_run[0].html.read_text("utf-8")
    assert not EXTERNAL.search(page)
    for cdn in ("require.js", "mathjax", "MathJax", "mermaid.esm", "cdnjs", "jsdelivr", "unpkg"):
        assert cdn not in page
    assert "<style" in page  # the stylesheet is inlined


def test_committed_notebook_has_no_outputs_and_a_parameters_cell():
    nb = nbformat.read(notebook_path("monthly_review"), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert nb.cells[0].cell_type == "markdown"
    assert all(not c.outputs and c.execution_count is None for c in code)
    assert "parameters" in code[1].metadata.get("tags", [])
    assert "open_review(" in code[2].source  # the checks run first, before any section


@pytest.mark.parametrize(
    "change, message",
    [
        ({"as_of": "2026-10-30"}, "as-of date 2026-10-30 is not a month end"),
        ({"cost_of_capital": 5}, "cost of capital 5 must be a fraction from 0 to 1"),
        ({"basis": "paid"}, "basis"),
        ({"data": "no/such/folder"}, "no such folder"),
    ],
)
def test_bad_parameters_fail_fast_and_write_nothing(tmp_path, change, message):
    args = {"data": SAMPLE, "as_of": AS_OF, **change}
    out = tmp_path / "out"
    with pytest.raises((ParameterError, DataError)) as info:
        run_review(args.pop("data"), args.pop("as_of"), out, **args)
    assert message in str(info.value) and "\n" not in str(info.value)
    assert not out.exists()


def test_a_failing_cell_raises_its_own_message_not_a_traceback(tmp_path):
    params = review_parameters(SAMPLE, AS_OF, tmp_path)
    with pytest.raises(ArbookError) as info:
        execute({**params, "as_of": "2026-10-30"})  # gets past the up-front check on purpose
    text = str(info.value)
    assert "failed in notebook cell" in text and "ParameterError" in text
    assert "not a month end" in text and "Traceback" not in text and "\x1b[" not in text


def test_batch_runs_every_pair_and_records_the_failure(batch):
    result, _out, bad = batch
    assert [(r.data, r.as_of, r.ok) for r in result.runs] == [
        (str(SAMPLE), "2026-09-30", True),
        (str(SAMPLE), "2026-10-31", True),
        (str(bad), "2026-09-30", False),
        (str(bad), "2026-10-31", False),
    ]
    for run in result.runs:
        if run.ok:
            assert run.html.is_file() and run.notebook.is_file() and run.error is None
        else:
            assert "no such folder" in run.error and run.html is None


def test_batch_index_links_every_report_and_shows_failures(batch):
    result, out, _bad = batch
    assert result.index == out / "index.html"
    page = result.index.read_text("utf-8")
    links = re.findall(r'href="([^"]+)"', page)
    assert sorted(links) == [
        "sample/2026-09/monthly_review.html",
        "sample/2026-10/monthly_review.html",
    ]
    assert all((out / link).is_file() for link in links)
    assert "<h2>sample</h2>" in page and "<h2>nobody</h2>" in page
    assert page.count('class="failed"') == 2 and "no such folder" in page
    assert not EXTERNAL.search(page) and "<script" not in page


def test_batch_rejects_bad_months_and_jobs(tmp_path):
    with pytest.raises(ParameterError, match="before the first month"):
        run_batch([SAMPLE], "2026-10", "2026-09", tmp_path)
    with pytest.raises(ParameterError, match="YYYY-MM"):
        run_batch([SAMPLE], "Oct 2026", "2026-10", tmp_path)
    with pytest.raises(ParameterError, match="jobs 0"):
        run_batch([SAMPLE], "2026-10", "2026-10", tmp_path, jobs=0)
    with pytest.raises(ParameterError, match="same reports folder"):
        run_batch([SAMPLE, tmp_path / "x"], "2026-10", "2026-10", tmp_path, client="Acme")
    assert list(tmp_path.iterdir()) == []


def test_slug_keeps_letters_and_digits():
    assert slug("Acme & Sons Ltd.") == "acme-sons-ltd"
    assert slug("ТД «Северный берег»") == "тд-северный-берег"
    assert slug("***") == "client"


def cli(capsys, *argv):
    code = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_cli_review_prints_the_report_path(capsys, tmp_path, monkeypatch, review_run):
    # The notebook run itself is tested above; here only what the command does around it.
    executed = nbformat.read(review_run[0].notebook, as_version=4)
    monkeypatch.setattr("arbook.workbook.report.execute", lambda params: executed)
    monkeypatch.setattr("arbook.workbook.kernels.start", lambda: None)  # nothing to run in it
    code, out, _err = cli(
        capsys, "review", SAMPLE, "--as-of", AS_OF, "--out", tmp_path, "--client", "Acme & Sons"
    )
    html = tmp_path / "acme-sons" / "2026-10" / "monthly_review.html"
    assert code == 0 and out.strip() == str(html)
    assert "<title>Acme &amp; Sons: receivables review 2026-10-31</title>" in html.read_text(
        "utf-8"
    )


@pytest.mark.parametrize(
    "argv, message",
    [
        (["--as-of", "2026-10-30"], "not a month end"),
        (["--as-of", AS_OF, "--cost-of-capital", "5"], "cost of capital"),
    ],
)
def test_cli_review_bad_input_exits_2_with_one_message(capsys, tmp_path, argv, message):
    code, out, err = cli(capsys, "review", SAMPLE, *argv, "--out", tmp_path / "out")
    assert code == 2 and out == "" and message in err
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "out").exists()


def test_cli_review_missing_folder_exits_2(capsys, tmp_path):
    code, _, err = cli(
        capsys, "review", tmp_path / "nope", "--as-of", AS_OF, "--out", tmp_path / "out"
    )
    assert code == 2 and "no such folder" in err and "Traceback" not in err


def test_cli_batch_with_a_failure_exits_1_and_writes_the_index(capsys, tmp_path):
    bad = tmp_path / "nope"
    code, out, err = cli(
        capsys,
        "batch",
        bad,
        "--from",
        "2026-10",
        "--to",
        "2026-10",
        "--out",
        tmp_path / "out",
        "--jobs",
        "2",
    )
    assert code == 1 and out.strip() == str(tmp_path / "out" / "index.html")
    assert f"arbook batch: {bad} 2026-10-31: {bad}: no such folder" in err
    assert "Traceback" not in err


def test_cli_batch_bad_months_exit_2(capsys, tmp_path):
    code, _out, err = cli(
        capsys, "batch", SAMPLE, "--from", "2026-10", "--to", "2026-01", "--out", tmp_path / "out"
    )
    assert code == 2 and "before the first month" in err and "Traceback" not in err


def test_the_report_has_the_credit_section_before_the_data_issues(review_run):
    # The section itself is tested in tests/views/review/test_sections.py.
    from arbook.credit import credit_holds

    now = credit_holds(arbook.read_ledger(SAMPLE), AS_OF)
    page = review_run[0].html.read_text("utf-8")
    assert "Credit control" in page and f"{len(now):,} customers on credit hold" in page
    assert page.index("Credit control") < page.rindex("Data issues")


def test_collections_section_reads_the_contact_log(tmp_path, review_run):
    from tests.collections.test_activity import INVOICES, PAYMENTS, write_log

    folder = write_ledger(tmp_path / "ledger", invoices=INVOICES, payments=PAYMENTS)
    write_log(tmp_path / "contacts.db")
    params = review_parameters(folder, AS_OF, tmp_path / "out", log=tmp_path / "contacts.db")
    assert params["log"] == str((tmp_path / "contacts.db").resolve())
    review = report_sections.open_review(str(folder), AS_OF)
    page = "".join(p.data for p in report_sections.collections(review, params["log"]))
    # The counts worked out in tests/collections/test_activity.py: 6 contacts with A, B, C, D;
    # promises A kept, B broken, C open; 400.00 + 250.00 + 200.00 paid after contact; B and C
    # stuck.
    assert (
        "6 contacts with 4 customers this month; 3 promises made: 1 kept, 1 broken, 1 open."
        " Customers contacted paid 850.00 after the contact."
    ) in page
    assert "Stuck on a ladder step for the month (2)" in page
    # without --log the client's own collections.db in its data folder is read
    (tmp_path / "contacts.db").rename(folder / "collections.db")
    assert review_parameters(folder, AS_OF, tmp_path / "out")["log"] == str(
        (folder / "collections.db").resolve()
    )
    # The sample has no collections.db: one sentence, then the stuck customers only.
    sample = review_run[0].html.read_text("utf-8")
    assert "No contact log was found" in sample and "Contacts by channel" not in sample
    assert "Stuck on a ladder step for the month" in sample


def test_review_and_batch_take_an_export_with_its_preset(tmp_path, capsys):
    from conftest import IBM

    from arbook.cli.commands import main

    params = review_parameters(IBM, "2013-06-30", tmp_path, preset="ibm")
    assert params["preset"] == "ibm" and params["client"] == IBM.stem
    code = main(
        [
            "batch",
            str(IBM),
            "--preset",
            "ibm",
            "--from",
            "2013-06",
            "--to",
            "2013-06",
            "--out",
            str(tmp_path),
        ]
    )
    assert code == 0, capsys.readouterr().err
    html = next(tmp_path.rglob("monthly_review.html")).read_text(encoding="utf-8")
    assert "2013-06-30" in html and "Traceback" not in html


XERO = ROOT.parent / "shared" / "import-examples" / "xero-aged-receivables-detail.xlsx"


def test_the_review_of_an_aging_report_says_what_is_na_and_why(tmp_path):
    """`arbook review` of an export of open items (read without naming its preset): the HTML
    shows the history figures as n/a with the reason, once per section; another as-of date is
    refused before the notebook runs. Run as a command (a subprocess keeps papermill's loop
    out of the test process)."""
    import subprocess
    import sys

    with pytest.raises(ParameterError, match="before the report's date 2026-06-30"):
        review_parameters(XERO, "2026-05-31", tmp_path / "out")
    params = review_parameters(XERO, "2026-06-30", tmp_path / "out", edges="months")
    assert params["as_of"] == "2026-06-30" and params["edges"] == "months"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "arbook.cli",
            "review",
            str(XERO),
            "--as-of",
            "2026-06-30",
            "--out",
            str(tmp_path / "out"),
            "--edges",
            "months",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    page = (
        tmp_path / "out" / "xero-aged-receivables-detail" / "2026-06" / "monthly_review.html"
    ).read_text("utf-8")
    note = (
        "n/a (the data holds the items open on 2026-06-30, not the original amounts, nor "
        "payments and their dates)"
    )
    assert page.count(f"Roll rates: {note}") == 1
    assert page.count(f"Payment scores: {note}") == 1
    assert f"Collection effectiveness (CEI): {note}" in page  # its tile
    assert "47,631.31" in page and "&lt; 1 month" in page  # total receivable; month buckets
