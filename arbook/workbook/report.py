"""Run the monthly review notebook with papermill and turn it into an HTML report.

``run_review`` checks its parameters first (so bad input stops with one clear message before a
notebook runs; the process's warm kernel, :mod:`arbook.workbook.kernels`, starts meanwhile),
executes ``arbook/notebooks/monthly_review.ipynb`` in that kernel and writes, atomically,
``<out>/<client>/<YYYY-MM>/monthly_review.ipynb`` and ``monthly_review.html`` (no code, no
JavaScript, nothing fetched from the network), in the language asked (``lang``; else
``ARBOOK_LANG``, the policy's ``language``, the system's: :mod:`arbook.core.i18n`).
``run_batch`` does that for every data folder and month end in a range, in parallel (each worker
process reusing its own kernel from one review to the next), and writes ``<out>/index.html``
linking every report.
"""

from __future__ import annotations

import functools
import queue
import re
import sys
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import nbformat
import pandas as pd

from arbook.collections.contacts import find_log
from arbook.core.config import edges_text
from arbook.core.dates import date_text, format_count, parse_month
from arbook.core.errors import ArbookError, ParameterError
from arbook.core.files import write_atomic
from arbook.core.i18n import (
    _,
    check,
    kept,
    language,
    ngettext,
    pgettext,
    set_policy_language,
    using,
)
from arbook.core.ledger import Ledger, read_ledger
from arbook.workbook import kernels
from arbook.workbook.paths import notebook_path
from arbook.workbook.review import settings

NOTEBOOK = "monthly_review"
KERNEL = kernels.KERNEL
#: Seconds a notebook cell may run before the review is given up.
CELL_TIMEOUT = 600

#: The lab template without its scripts (require.js, MathJax, Mermaid come from a CDN);
#: its stylesheet is inlined, so the page stands alone. Charts go in as inline ``<svg>`` (our
#: own vl-convert output; the stock template base64-encodes them or escapes them as text).
OFFLINE_TEMPLATE = """{%- extends 'index.html.j2' -%}
{%- block data_svg scoped -%}
<div class="jp-RenderedSVG jp-OutputArea-output {{ extra_class }}" data-mime-type="image/svg+xml">
{{ output.data['image/svg+xml'] }}
</div>
{%- endblock data_svg -%}
{%- block html_head_js -%}{%- endblock html_head_js -%}
{%- block jupyter_widgets -%}{%- endblock jupyter_widgets -%}
{%- block html_head_js_mathjax -%}{%- endblock html_head_js_mathjax -%}
{%- block html_head_js_mermaidjs -%}{%- endblock html_head_js_mermaidjs -%}
"""


@dataclass(frozen=True)
class ReviewRun:
    """One review: its data folder, month end (ISO) and client; on success the notebook and
    HTML paths, on failure ``ok`` False and the ``error`` message."""

    data: str
    as_of: str
    client: str
    ok: bool = True
    notebook: Path | None = None
    html: Path | None = None
    error: str | None = None


@dataclass(frozen=True)
class BatchResult:
    """``index`` (the index.html linking every report) and every ``runs`` entry, in order."""

    index: Path
    runs: list[ReviewRun]


def client_name(data, client: str | None = None) -> str:
    """The client's name: ``client`` when given, else the data folder's name (an export file's
    name without its suffix)."""
    path = Path(data).resolve()
    return client or (path.stem if path.is_file() else path.name)


def slug(name: str) -> str:
    """``"Acme & Sons Ltd"`` -> ``"acme-sons-ltd"``: a folder name safe on every system."""
    return re.sub(r"[^\w]+", "-", name.casefold()).strip("-_") or "client"


def _log_parameter(log, ledger) -> str:
    """The contact log as the notebook takes it: a database URL as given, the file made
    absolute, "" when the client has none yet (:func:`arbook.collections.contacts.find_log`)."""
    place = find_log(log, folder=ledger.folder)
    return "" if place is None else str(place if isinstance(place, str) else place.resolve())


def review_language(ledger: Ledger, lang=None) -> str:
    """The language of ``ledger``'s review: ``lang`` when given, else the one spoken now with
    the ledger's policy ``language`` in its place (:func:`arbook.core.i18n.language`'s order).
    Raises ParameterError for a language arbook does not speak."""
    if lang:
        try:
            return check(lang)
        except ValueError as exc:
            raise ParameterError(str(exc)) from None
    with kept():
        set_policy_language(ledger.policy.language)
        return language()


def review_parameters(
    data,
    as_of,
    out,
    *,
    client=None,
    cost_of_capital=None,
    basis=None,
    edges=None,
    policy=None,
    log=None,
    preset=None,
    lang=None,
) -> dict:
    """The notebook's parameters, checked and resolved (blanks filled from the policy, paths
    made absolute, the language chosen: :func:`review_language`). Raises one DataError /
    ParameterError / PolicyError when the run cannot work."""
    ledger = read_ledger(data, policy=policy, preset=preset)
    log = _log_parameter(log, ledger)
    s = settings(ledger, as_of, basis=basis, edges=edges, cost_of_capital=cost_of_capital)
    return {
        "data": str(Path(data).resolve()),
        "as_of": str(s.as_of.date()),
        "client": client_name(data, client),
        "out": str(Path(out).resolve()),
        "cost_of_capital": s.cost_of_capital,
        "basis": s.basis,
        "edges": edges_text(s.edges),
        "policy": str(Path(policy).resolve()) if policy else "",
        "log": log,
        "preset": preset or "",
        "lang": review_language(ledger, lang),
    }


def run_review(
    data,
    as_of,
    out,
    *,
    client=None,
    cost_of_capital=None,
    basis=None,
    edges=None,
    policy=None,
    log=None,
    preset=None,
    lang=None,
) -> ReviewRun:
    """Review ``data`` as of the month end ``as_of`` into ``out``; return the run with its
    notebook and HTML paths. ``log`` is the contact log (SQLite file or database URL; None =
    ``<data>/collections.db`` when it exists); ``lang`` the report's language (None: as
    :func:`review_language` chooses). Raises an ArbookError with a readable message when the
    parameters are bad or a notebook cell fails; nothing is written then."""
    kernels.start()  # it starts and warms up while the parameters are checked
    params = review_parameters(
        data,
        as_of,
        out,
        client=client,
        cost_of_capital=cost_of_capital,
        basis=basis,
        edges=edges,
        policy=policy,
        log=log,
        preset=preset,
        lang=lang,
    )
    with using(params["lang"]):
        nb = execute(params)
        title = _("{client}: receivables review {date}").format(
            client=params["client"], date=date_text(params["as_of"])
        )
        page = to_html(nb, title)
    folder = Path(out) / slug(params["client"]) / params["as_of"][:7]
    folder.mkdir(parents=True, exist_ok=True)
    notebook, html = folder / f"{NOTEBOOK}.ipynb", folder / f"{NOTEBOOK}.html"
    write_atomic(notebook, nbformat.writes(nb))
    write_atomic(html, page)
    return ReviewRun(str(data), params["as_of"], params["client"], True, notebook, html)


def execute(params: dict):
    """The monthly review notebook executed with ``params`` (a NotebookNode, not saved) in this
    process's warm kernel (:mod:`arbook.workbook.kernels`; started here if there is none). A
    cell that fails raises an ArbookError carrying the cell's own error message, and the kernel
    is discarded (the next review starts a fresh one)."""
    import papermill as pm
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    where = _("the review of {data} as of {as_of}").format(
        data=params["data"], as_of=params["as_of"]
    )
    try:
        warm = kernels.start()
        manager = warm.ready_for_a_review(timeout=CELL_TIMEOUT)
        kernels.register_engine()
        done = pm.execute_notebook(
            str(notebook_path(NOTEBOOK)),
            None,
            parameters=params,
            kernel_name=KERNEL,
            progress_bar=False,
            log_output=False,
            execution_timeout=CELL_TIMEOUT,
            engine_name=kernels.ENGINE,
            km=manager,
        )
        warm.review_done()
        return done
    except pm.PapermillExecutionError as exc:
        kernels.discard()
        raise ArbookError(
            _("{where} failed in notebook cell {cell}: {error}: {message}").format(
                where=where, cell=exc.exec_count, error=exc.ename, message=exc.evalue
            )
        ) from None
    except (CellTimeoutError, queue.Empty):
        kernels.discard()
        raise ArbookError(
            _(
                "{where} took more than {seconds} s in one cell; try a smaller ledger or "
                "fewer months"
            ).format(where=where, seconds=CELL_TIMEOUT)
        ) from None
    except DeadKernelError as exc:
        kernels.discard()
        raise ArbookError(
            _(
                "{where} stopped: the Python kernel died ({error}); is the machine out of memory?"
            ).format(where=where, error=exc)
        ) from None
    except BaseException:
        kernels.discard()  # a kernel in an unknown state is not reused
        raise


def to_html(nb, title: str) -> str:
    """The executed notebook as one self-contained HTML page: outputs only (no code, no
    prompts, no parameter cells, no cells tagged ``notebook-only`` such as the note on how the
    notebook is run), CSS inlined, no script or stylesheet from the network; ``<html lang>``
    the language spoken."""
    with _EXPORTING:
        exporter = _exporter(language())
        page, _ = exporter.from_notebook_node(nb, resources={"metadata": {"name": title}})
    return page


#: one export at a time per process: an exporter is shared by the reviews a process runs
_EXPORTING = threading.Lock()


@functools.cache
def _exporter(language_code: str):
    """The HTML exporter of :func:`to_html` for one language, made once per process: its
    templates are found and compiled on the first review, not on every one (a batch's worker
    and a notebook calling run_review in a loop reuse it)."""
    from jinja2 import DictLoader
    from nbconvert import HTMLExporter
    from nbconvert.preprocessors import TagRemovePreprocessor

    exporter = HTMLExporter(
        template_name="lab",
        template_file="arbook_offline.html.j2",
        extra_loaders=[DictLoader({"arbook_offline.html.j2": OFFLINE_TEMPLATE})],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
        language_code=language_code,
    )
    exporter.register_preprocessor(
        TagRemovePreprocessor(
            remove_cell_tags={"parameters", "injected-parameters", "notebook-only"}
        ),
        enabled=True,
    )
    return exporter


def month_ends(start, end) -> list[str]:
    """Every month end (ISO) from month ``start`` to month ``end`` (``YYYY-MM``), inclusive."""
    first, last = parse_month(start), parse_month(end)
    if last < first:
        raise ParameterError(
            _(
                "the last month {last} is before the first month {first}; give --from the "
                "earlier month"
            ).format(last=last, first=first)
        )
    return [str(p.end_time.date()) for p in pd.period_range(first, last, freq="M")]


def _check_batch(datas: list, client, jobs) -> None:
    if not datas:
        raise ParameterError(_("no data folder given; name at least one ledger folder"))
    if not isinstance(jobs, int) or jobs < 1:
        raise ParameterError(
            _("jobs {jobs} must be a whole number of at least 1, e.g. 2").format(jobs=repr(jobs))
        )
    slugs = [slug(client_name(d, client)) for d in datas]
    twice = sorted({s for s in slugs if slugs.count(s) > 1})
    if twice:
        text = (
            _(
                "two data folders would write to the same reports folder {folders}; leave out "
                "--client so each folder's name is used"
            )
            if client
            else _(
                "two data folders would write to the same reports folder {folders}; give each "
                "client's folder a different name"
            )
        )
        raise ParameterError(text.format(folders=", ".join(twice)))


def review_or_failure(data, as_of, out, options: dict) -> ReviewRun:
    """:func:`run_review`, with an ArbookError recorded in the run instead of raised."""
    try:
        return run_review(data, as_of, out, **options)
    except ArbookError as exc:
        return ReviewRun(
            str(data), as_of, client_name(data, options.get("client")), False, error=str(exc)
        )


def run_batch(
    datas,
    start,
    end,
    out,
    *,
    jobs=1,
    client=None,
    cost_of_capital=None,
    basis=None,
    edges=None,
    policy=None,
    log=None,
    preset=None,
    lang=None,
) -> BatchResult:
    """A review for every data folder and every month end from ``start`` to ``end``
    (``YYYY-MM``), ``jobs`` at a time in separate processes. A failed review is recorded in
    its run and the others go on (``log`` and ``lang`` as :func:`run_review`; the index is in
    ``lang``, else the language spoken). Returns the runs and ``<out>/index.html``."""
    with using(lang or None):
        return _batch(
            datas,
            start,
            end,
            out,
            jobs,
            client,
            {
                "client": client,
                "cost_of_capital": cost_of_capital,
                "basis": basis,
                "edges": edges,
                "policy": policy,
                "log": log,
                "preset": preset,
                "lang": lang,
            },
        )


def _batch(datas, start, end, out, jobs, client, options: dict) -> BatchResult:
    datas = [datas] if isinstance(datas, (str, Path)) else list(datas)
    days = month_ends(start, end)
    _check_batch(datas, client, jobs)
    tasks = [(data, day) for data in datas for day in days]
    runs = _run_tasks(tasks, out, options, jobs)
    Path(out).mkdir(parents=True, exist_ok=True)
    return BatchResult(write_index(Path(out), runs), runs)


def _run_tasks(tasks: list, out, options: dict, jobs: int) -> list[ReviewRun]:
    """The runs of ``tasks`` in task order, with a progress bar on stderr."""
    from tqdm import tqdm

    bar = tqdm(total=len(tasks), desc=_("reviews"), unit=_("review"), file=sys.stderr)
    if jobs == 1 or len(tasks) == 1:
        runs = []
        for data, day in tasks:
            runs.append(review_or_failure(data, day, out, options))
            bar.update()
        bar.close()
        return runs
    runs = [None] * len(tasks)
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks))) as pool:
        futures = {
            pool.submit(review_or_failure, data, day, out, options): k
            for k, (data, day) in enumerate(tasks)
        }
        for future in as_completed(futures):
            runs[futures[future]] = _result(future, tasks[futures[future]], options)
            bar.update()
    bar.close()
    return runs


def _result(future, task: tuple, options: dict) -> ReviewRun:
    """The future's run; an unexpected crash of a worker becomes a failed run with its
    message, so one broken review does not lose the others."""
    try:
        return future.result()
    except Exception as exc:  # noqa: BLE001 - recorded in the run and shown in the index
        data, day = task
        return ReviewRun(
            str(data),
            day,
            client_name(data, options.get("client")),
            False,
            error=f"{type(exc).__name__}: {exc}",
        )


INDEX = """<!DOCTYPE html>
<html lang="{{ lang }}"><head><meta charset="utf-8"><title>{{ heading }}</title>
<style>
body { font-family: system-ui, sans-serif; color: #1d2733; margin: 2em; }
h2 { margin-top: 1.4em; } li { margin: 3px 0; }
.failed { color: #b3261e; } .failed span { white-space: pre-wrap; }
</style></head><body>
<h1>{{ heading }}</h1>
<p>{{ summary }}</p>
{% for client, runs in clients.items() %}
<h2>{{ client }}</h2>
<ul>
{% for run in runs %}{% if run.ok %}
<li><a href="{{ run.link }}">{{ run.day }}</a></li>
{% else %}
<li class="failed">{{ run.day }}: {{ failed }}: <span>{{ run.error }}</span> ({{ run.data }})</li>
{% endif %}{% endfor %}
</ul>
{% endfor %}
</body></html>
"""


def write_index(out: Path, runs: list[ReviewRun]) -> Path:
    """Write ``out/index.html``: every report linked, grouped by client, failures with their
    message (all text escaped; nothing loaded from the network), in the language spoken.
    Returns its path."""
    from jinja2 import Environment

    clients: dict[str, list[dict]] = {}
    for run in runs:
        link = run.html.resolve().relative_to(out.resolve()).as_posix() if run.ok else None
        day = date_text(run.as_of) or run.as_of
        clients.setdefault(run.client, []).append({**run.__dict__, "link": link, "day": day})
    good = sum(run.ok for run in runs)
    bad = len(runs) - good
    if bad:
        summary = ngettext(
            "{good} report written, {bad} failed.", "{good} reports written, {bad} failed.", good
        )
    else:
        summary = ngettext("{good} report written.", "{good} reports written.", good)
    page = (
        Environment(autoescape=True)
        .from_string(INDEX)
        .render(
            clients=clients,
            lang=language(),
            heading=_("Receivables reviews"),
            summary=summary.format(good=format_count(good), bad=format_count(bad)),
            failed=pgettext("a review that could not be made", "failed"),
        )
    )
    index = out / "index.html"
    write_atomic(index, page)
    return index
