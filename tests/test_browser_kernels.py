"""The dashboard's kernels in headless Chromium: a closed tab frees its kernel at once, a tab
still open keeps its own, a tab that went without a word (the browser crashed) is culled within
a minute, and a kernel that has drawn the sample stays small.

The kernels are the server's child processes (``ipykernel_launcher``), counted with psutil
among this test's own descendants (another test's servers are other workers' children), but
not this worker's own children: a review test that ran earlier in the same worker leaves its
warm review kernel there (``run_review`` starts it before checking its parameters).
"""

from __future__ import annotations

import time
from pathlib import Path

import psutil
import pytest
from browser import ROOT, dashboard_server, offline_page, wait_drawn

from arbook.workbook.serve import CULL_IDLE_SECONDS, CULL_INTERVAL_SECONDS

pytestmark = pytest.mark.browser
pytest.importorskip("playwright.sync_api")

if not Path("/usr/bin/chromium").exists():
    pytest.skip("Debian chromium is not installed (.ci/run installs it)", allow_module_level=True)

SAMPLE = ROOT / "data" / "sample"
#: A dashboard kernel that has drawn the sample: ~245 MB measured (README "How many users");
#: 340 MB when vl-convert was loaded into every kernel. The bound catches that coming back.
KERNEL_MB = 300


def kernels() -> list[psutil.Process]:
    """The dashboard servers' kernels that are alive: this process's descendant kernels but
    its own children (the warm review kernel a review test left in this worker)."""
    me = psutil.Process()
    found = []
    for child in me.children(recursive=True):
        try:
            if child.ppid() == me.pid:
                continue
            if child.status() != psutil.STATUS_ZOMBIE and "ipykernel" in " ".join(child.cmdline()):
                found.append(child)
        except psutil.NoSuchProcess:  # ended while we looked: not a kernel any more
            continue
    return found


def wait_count(count: int, timeout: float) -> float:
    """Seconds until exactly ``count`` kernels are alive; fails after ``timeout``."""
    start = time.monotonic()
    while len(kernels()) != count:
        if time.monotonic() - start > timeout:
            alive = len(kernels())
            pytest.fail(f"{alive} kernels after {timeout:.0f} s, expected {count}")
        time.sleep(0.5)
    return time.monotonic() - start


def open_dashboard(browser, url):
    page, record = offline_page(browser)
    page.goto(url, wait_until="domcontentloaded", timeout=60_000)
    wait_drawn(page)
    return page, record


def test_closed_tabs_free_their_kernels_and_open_ones_keep_theirs(browser):
    with dashboard_server(SAMPLE, timeout=60) as url:
        wait_count(1, 60)  # the preheated kernel, which the first tab takes
        (mine,) = (k.pid for k in kernels())
        first, first_record = open_dashboard(browser, url)
        wait_count(2, 60)  # the first tab's, and the pool's new one
        sizes = [k.memory_info().rss / 2**20 for k in kernels()]
        assert max(sizes) <= KERNEL_MB, f"kernels of {sizes} MB"

        second, second_record = open_dashboard(browser, url)
        wait_count(3, 60)
        # closed as a person closes a tab: the page's beforeunload asks for its kernel's
        # shutdown, which the server accepts (the page set its _xsrf cookie)
        second.close(run_before_unload=True)
        assert wait_count(2, 15) < 15
        assert mine in {k.pid for k in kernels()}  # the first tab's kernel is untouched
        assert not second_record.failed, second_record.failed
        assert first.locator(".arbook-kpi").count() > 0  # still there, still drawn

        # a tab that goes without a word (no beforeunload): the culler, within a minute
        first.context.close()
        waited = wait_count(1, CULL_IDLE_SECONDS + 2 * CULL_INTERVAL_SECONDS)
        assert waited <= CULL_IDLE_SECONDS + CULL_INTERVAL_SECONDS + 5
        assert not first_record.unexpected_errors(), first_record.unexpected_errors()
