"""A warm kernel for the monthly review: started once per process, reused by every review the
process runs, with its user namespace cleared before each.

Each review used to start a kernel, import arbook and Altair in it and warm vl-convert up
again: about 2.5 s of the 4 s a review took on the sample. Here the kernel is started as soon as
a review is asked for (its start and the imports of :data:`WARM_UP` then run while this process
checks the parameters and loads papermill), and kept: the next review of the same process
(``arbook batch``, each of its worker processes, a notebook calling ``run_review`` in a loop)
finds it ready. Before each review the kernel's namespace is reset as a new session
(``InteractiveShell.reset(new_session=True)``: no variable of the last review is left and cells
count from 1 again); imported modules stay, which is the point. A review that fails, times out
or kills the kernel discards it; the next starts afresh.

The kernel talks over IPC sockets in a folder of its own instead of TCP ports: two processes
starting kernels at the same moment (``arbook batch --jobs 2``) can no longer pick the same
free port (the intermittent ``ZMQError: Address already in use``), and nothing listens on the
network.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from multiprocessing import util
from pathlib import Path

#: The kernel the review runs in, and its command-line options.
KERNEL = "python3"
ARGUMENTS = ["--IPKernelApp.log_level=ERROR"]
#: Run silently in a kernel as it starts: what the review notebook imports, and one chart
#: rendered so that vl-convert's JavaScript engine and Vega-Lite are loaded before the review.
WARM_UP = (
    "import arbook.views.review.forecast_section, arbook.views.review.sections\n"
    "from arbook.views.charts import warm_up as _arbook_warm_up\n"
    "_arbook_warm_up()\n"
    "del _arbook_warm_up\n"
)
#: Run silently before each review: a new session (no user variable left, cells from 1).
RESET = "get_ipython().reset(new_session=True)\n"

_warm: WarmKernel | None = None


class WarmKernel:
    """One python3 kernel over IPC in a scratch folder, owned by the process that started it."""

    def __init__(self, kernel_name: str, extra_arguments: list[str]):
        from jupyter_client import BlockingKernelClient
        from jupyter_client.manager import AsyncKernelManager
        from jupyter_core.utils import run_sync

        self.owner = os.getpid()
        self.folder = Path(tempfile.mkdtemp(prefix="arbook-kernel-"))
        self.manager = AsyncKernelManager(kernel_name=kernel_name, transport="ipc")
        self.manager.ip = str(self.folder / "kernel")
        self.manager.connection_file = str(self.folder / "kernel.json")
        run_sync(self.manager.start_kernel)(extra_arguments=extra_arguments)
        self.used = self.stopped = False
        # the warm-up is queued now (the socket holds it until the kernel listens) and its
        # reply awaited only when the first review asks for the kernel
        self.client = BlockingKernelClient(connection_file=self.manager.connection_file)
        self.client.load_connection_file()
        self.client.start_channels(shell=True, iopub=False, stdin=False, hb=False, control=False)
        self.pending = self.client.execute(WARM_UP, silent=True, store_history=False)

    def _wait(self, timeout: float) -> None:
        """Wait for the reply to the last code sent (a failure there shows in the review's
        own cells, which import the same modules, with the notebook's message)."""
        while True:
            reply = self.client.get_shell_msg(timeout=timeout)
            if reply["parent_header"].get("msg_id") == self.pending:
                return

    def ready_for_a_review(self, timeout: float):
        """The kernel's manager, warmed up, its namespace reset when a review used it (the
        reset sent by :meth:`review_done`, or now)."""
        if self.used:
            self.review_done()
        self._wait(timeout)
        self.used = True
        return self.manager

    def review_done(self) -> None:
        """A review has finished in the kernel: its namespace is reset now, while this process
        exports and writes the report, rather than when the next review starts (and the last
        review's objects are let go at once)."""
        if self.used:
            self.pending = self.client.execute(RESET, silent=True, store_history=False)
            self.used = False

    def alive(self) -> bool:
        from jupyter_core.utils import run_sync

        return not self.stopped and bool(run_sync(self.manager.is_alive)())

    def shutdown(self) -> None:
        """Stop the kernel (only from the process that started it) and remove its folder."""
        if os.getpid() != self.owner or self.stopped:
            return
        from jupyter_core.utils import run_sync

        self.stopped = True
        try:
            self.client.stop_channels()
            if run_sync(self.manager.is_alive)():
                run_sync(self.manager.shutdown_kernel)(now=True)
        finally:
            run_sync(self.manager.cleanup_resources)()
            shutil.rmtree(self.folder, ignore_errors=True)


#: The papermill engine that runs a notebook in a kernel it is given (``km=``) and closes the
#: client it opened on it afterwards (papermill's own leaves it open when the kernel is not its
#: own: some 14 file descriptors and zmq sockets a review, until zmq's limit of 1023 is hit).
ENGINE = "arbook-warm"


def register_engine() -> None:
    """Make :data:`ENGINE` known to papermill (once)."""
    from papermill.clientwrap import PapermillNotebookClient
    from papermill.engines import NBClientEngine, papermill_engines
    from papermill.log import logger

    if ENGINE in papermill_engines._engines:
        return

    class WarmEngine(NBClientEngine):
        @classmethod
        def execute_managed_notebook(
            cls,
            nb_man,
            kernel_name,
            log_output=False,
            stdout_file=None,
            stderr_file=None,
            start_timeout=60,
            execution_timeout=None,
            **kwargs,
        ):
            client = PapermillNotebookClient(
                nb_man,
                km=kwargs["km"],
                timeout=execution_timeout,
                startup_timeout=start_timeout,
                kernel_name=kernel_name,
                log=logger,
                log_output=log_output,
                stdout_file=stdout_file,
                stderr_file=stderr_file,
            )
            try:
                return client.execute()
            finally:
                if client.kc is not None:
                    client.kc.stop_channels()
                    client.kc = None

    papermill_engines.register(ENGINE, WarmEngine)


def start() -> WarmKernel:
    """This process's warm review kernel (:data:`KERNEL`), started now if it has none: calling
    it before a review's parameters are checked lets the kernel start and warm up meanwhile."""
    return warm_kernel(KERNEL, ARGUMENTS)


def warm_kernel(kernel_name: str, extra_arguments: list[str]) -> WarmKernel:
    """This process's warm kernel, started now if it has none alive (a process forked from
    one that had a kernel starts its own: the parent's is not its to use)."""
    global _warm
    if _warm is not None and (_warm.owner != os.getpid() or not _warm.alive()):
        _warm.shutdown()  # a no-op in a forked child
        _warm = None
    if _warm is None:
        _warm = WarmKernel(kernel_name, extra_arguments)
        # at the process's exit, a batch worker's too (multiprocessing runs these, atexit not)
        util.Finalize(_warm, _warm.shutdown, exitpriority=10)
    return _warm


def discard() -> None:
    """Shut this process's warm kernel down (after a review failed in it)."""
    global _warm
    if _warm is not None:
        _warm.shutdown()
        _warm = None
