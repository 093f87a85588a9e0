"""Helpers for the headless-Chromium tests and the dashboard benchmark: start ``arbook dashboard``
(or any notebook under ``python -m arbook.views.server``) on a free port, open an offline
Chromium page on it, and wait for the dashboard to be drawn.

The page is *offline*: every request that does not go to this machine is aborted and recorded,
so a test can assert the dashboard needs no network. Console errors are recorded too.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from arbook.core import i18n
from arbook.workbook.serve import ENV_LANG_FLAG

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = {"127.0.0.1", "localhost", "[::1]", "::1"}
#: First paint on a loaded 2-core machine takes ~3 s warm, ~10 s cold; allow far more.
FIRST_PAINT_MS = 60_000
#: A control change redraws in well under a second; allow for a busy machine.
REDRAW_MS = 20_000
#: A record in the contact log writes it, then recomputes the worklist and the call screen
#: (a few seconds alone; CI's two cores run the notebooks' kernels beside it): allow a minute.
RECORD_MS = 60_000

KPI_TILE = ".arbook-kpi[data-kpi='{key}'] .arbook-kpi-value"
#: Drawn vega marks: the SVG renderer draws bars and lines as <path> inside g.mark-* groups.
MARKS = "svg g[class*='mark-'] path, svg g[class*='mark-'] rect"
CHARTS = (".arbook-chart-buckets", ".arbook-chart-trend")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen, *, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(
                f"arbook dashboard exited with {process.returncode} before listening on {port}"
            )
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError(f"nothing listens on port {port} after {timeout:.0f} s")


@contextmanager
def dashboard_server(
    data,
    *,
    port: int | None = None,
    as_of: str | None = None,
    cwd: Path = ROOT,
    timeout: float = 60,
    log: Path | None = None,
    extra: tuple[str, ...] = (),
):
    """Run ``arbook dashboard DATA [EXTRA...]`` in its own process group; yield its URL once it
    listens.
    On exit the whole group gets SIGTERM (Voilà then shuts its kernels down), SIGKILL if slow."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "arbook.cli.commands",
        "dashboard",
        str(data),
        "--port",
        str(port),
    ]
    if as_of:
        command += ["--as-of", as_of]
    command += list(extra)
    if Path(data).resolve() == (ROOT / "data" / "sample").resolve() and "--log" not in extra:
        # the repository's sample is read, never written: the contact log the Collections tab
        # opens goes to a scratch folder, not data/sample/collections.db (which every later
        # review of the sample would then read)
        scratch = Path(tempfile.mkdtemp(prefix="arbook-log-"))
        command += ["--log", str(scratch / "collections.db")]
    with serve(command, port, cwd=cwd, timeout=timeout, log=log) as url:
        yield url


@contextmanager
def notebook_server(
    notebook, *, port: int | None = None, cwd: Path = ROOT, timeout: float = 60, log=None
):
    """Serve ``notebook`` the way README shows, ``python -m arbook.views.server NOTEBOOK``
    (Voilà with arbook's offline template and Host check), without opening a browser; yield
    its URL once it listens."""
    port = port or free_port()
    command = [
        sys.executable,
        "-m",
        "arbook.views.server",
        str(notebook),
        f"--port={port}",
        "--Voila.ip=127.0.0.1",
        "--no-browser",
    ]
    with serve(command, port, cwd=cwd, timeout=timeout, log=log) as url:
        yield url


def server_environment() -> dict[str, str]:
    """This process's environment for a server under test, without the machine's language
    (English unless the command says ``--lang``) and with a scratch configuration folder (no
    language a developer's dashboard remembered)."""
    dropped = {i18n.ENV, ENV_LANG_FLAG, *i18n.LOCALE_VARIABLES}
    env = {k: v for k, v in os.environ.items() if k not in dropped}
    env["ARBOOK_CONFIG_DIR"] = tempfile.mkdtemp(prefix="arbook-config-")
    return env


@contextmanager
def serve(
    command: list[str], port: int, *, cwd: Path = ROOT, timeout: float = 60, log: Path | None = None
):
    """Run ``command`` (a server that will listen on ``port``) in its own process group; yield
    its URL once it listens. On exit the whole group gets SIGTERM, SIGKILL if slow."""
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 - closed in finally
    process = subprocess.Popen(
        command,
        cwd=cwd,
        stdout=out,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env=server_environment(),
    )
    try:
        wait_for_port(port, process, timeout=timeout)
        yield f"http://127.0.0.1:{port}/"
    finally:
        stop_group(process)
        if log:
            out.close()


def stop_group(process: subprocess.Popen) -> None:
    for sig, grace in ((signal.SIGTERM, 15), (signal.SIGKILL, 5)):
        if process.poll() is not None:
            return
        try:
            os.killpg(process.pid, sig)
        except ProcessLookupError:
            return
        try:
            process.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            continue


@dataclass
class Offline:
    """What a page tried that it should not: requests off this machine, console errors."""

    blocked: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    #: True while a page is being left (see :func:`reload`); what it throws then is in ``left``.
    leaving: bool = False
    left: list[str] = field(default_factory=list)

    def route(self, route) -> None:
        url = route.request.url
        parts = urlsplit(url)
        local = parts.scheme in ("data", "blob", "file") or parts.hostname in LOCAL_HOSTS
        if local:
            route.continue_()
        else:
            self.blocked.append(url)
            route.abort()

    def console(self, message) -> None:
        if message.type == "error":
            self.errors.append(message.text)

    def response(self, response) -> None:
        if response.status >= 400:
            self.failed.append(f"{response.status} {response.request.method} {response.url}")

    def unexpected_errors(self) -> list[str]:
        """Console errors, less the one that is Voilà's and harmless: on leaving a page, Voilà
        posts a kernel shutdown with navigator.sendBeacon, which the server may refuse (403,
        when the beacon goes without its _xsrf cookie); the idle-kernel culler shuts that kernel
        down later. Dropped only when every 403 the page met was such a beacon."""
        refused = [f for f in self.failed if f.startswith("403 ")]
        beacons = refused and all("/voila/api/shutdown/" in f for f in refused)
        return [
            e
            for e in self.errors
            if not (beacons and "status of 403" in e and e.startswith("Failed to load"))
        ]

    def page_error(self, error) -> None:
        text = f"uncaught: {error}"
        if self.leaving and UNLOAD_ERROR in text:
            self.left.append(text)
        else:
            self.errors.append(text)


#: What anywidget throws when the page is left while a chart's model is still being set up
#: (its comm closes under it). Nobody sees it: the page is going. Set apart only while leaving.
UNLOAD_ERROR = "[anywidget] Failed to initialize model"


def reload(page, record: Offline, *, timeout: int = 60_000) -> None:
    """Reload as a person presses F5. While the old page unloads, anywidget's setup of a chart
    still in flight fails; that one message, thrown before the new page is committed, is kept
    in ``record.left`` rather than counted as the new page's error."""
    record.leaving = True
    try:
        page.reload(wait_until="commit", timeout=timeout)
    finally:
        record.leaving = False
    page.wait_for_load_state("domcontentloaded", timeout=timeout)


def launch(playwright):
    return playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)


def offline_page(browser, *, width: int = 1280, height: int = 900, allow_files: bool = True):
    """A fresh context and page whose off-machine requests are aborted; returns (page, Offline)."""
    context = browser.new_context(viewport={"width": width, "height": height})
    record = Offline()
    context.route("**/*", record.route)
    page = context.new_page()
    page.on("console", record.console)
    page.on("pageerror", record.page_error)
    page.on("response", record.response)
    return page, record


def wait_drawn(page, *, timeout: int = FIRST_PAINT_MS) -> None:
    """Wait for the KPI tiles and real marks in both charts (and no vega error box)."""
    page.wait_for_selector(KPI_TILE.format(key="total_cents"), timeout=timeout)
    for chart in CHARTS:
        page.wait_for_selector(f"{chart} :is({MARKS})", state="attached", timeout=timeout)
    broken = page.locator(
        ":is(.arbook-chart-buckets, .arbook-chart-trend) .vega-embed .error, "
        ".arbook-chart-buckets .error, .arbook-chart-trend .error"
    )
    assert broken.count() == 0, broken.first.inner_text()


def tile(page, key: str) -> str:
    return page.locator(KPI_TILE.format(key=key)).inner_text().strip()


def wait_tile_change(page, key: str, before: str, *, timeout: int = REDRAW_MS) -> str:
    """Wait until tile ``key`` shows something other than ``before``; return the new text."""
    page.wait_for_function(
        "([sel, before]) => { const e = document.querySelector(sel);"
        " return e && e.innerText.trim() !== before; }",
        arg=[KPI_TILE.format(key=key), before],
        timeout=timeout,
    )
    return tile(page, key)


def select_as_of(page, day: str) -> None:
    page.locator(".arbook-asof select").select_option(label=day)


def click_basis(page, basis: str) -> None:
    """Press the basis button whose label starts with ``basis`` ("due" -> "Due date")."""
    page.locator(
        ".arbook-basis button", has_text=re.compile(rf"^\s*{re.escape(basis)}", re.I)
    ).first.click()


#: The bucket chart's axis title under each basis (views.format.DAYS_TITLES, capitalised).
BASIS_AXIS = {"due": "Days overdue", "invoice": "Days since invoice"}


def wait_basis(page, basis: str, *, timeout: int = REDRAW_MS) -> None:
    """Wait until the aging chart is redrawn for ``basis``: its axis says what its days count.
    (Overdue counts from the due date under either basis, so no tile changes.)"""
    page.wait_for_function(
        "([sel, title]) => { const e = document.querySelector(sel);"
        " return e && [...e.querySelectorAll('text')].some(t => t.textContent === title); }",
        arg=[".arbook-chart-buckets", BASIS_AXIS[basis]],
        timeout=timeout,
    )


def pressed_basis(page) -> str:
    return page.locator(".arbook-basis button.mod-active").inner_text().strip().lower()


def mark_count(page, selector: str) -> int:
    return page.locator(f"{selector} :is({MARKS})").count()
