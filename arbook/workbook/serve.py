"""Serve a notebook with Voilà, offline and to this machine only.

``arbook dashboard`` checks its inputs, then runs ``python -m arbook.views.server`` (Voilà with
two additions, made in the Voilà process by :mod:`arbook.views.server`) in the foreground until
Ctrl-C. The same module serves any notebook:
``python -m arbook.views.server notebooks/walkthrough.ipynb [VOILA OPTIONS]`` is how the
walkthrough, the credit application and the discount notebooks are presented. This module holds
what needs no notebook machinery: the command lines, the template's text and the Host rule.

- The template :data:`TEMPLATE` is Voilà's ``lab`` without the Font Awesome stylesheets it links
  from a CDN, so the page asks nothing of the network.
- The Host rule (:func:`host_allowed`): a request whose ``Host`` header is not this server gets
  a 403, the page and the kernel websocket alike. That stops DNS rebinding, where a page from
  ``attacker.example`` re-points its name at 127.0.0.1 and reaches the server with
  ``Host: attacker.example:PORT``. jupyter_server has such a check (``allow_remote_access``,
  ``local_hostnames``), but Voilà turns it off, it cannot accept a non-loopback ``--ip``, it
  ignores the port and it does not cover Voilà's plain Tornado handlers; so the server applies
  ours as a Tornado routing rule in front of every handler.

The data folder, as-of date and policy reach the dashboard's kernel as environment variables
(:data:`ENV_DATA`, :data:`ENV_AS_OF`, :data:`ENV_POLICY`; :data:`ENV_LOG` names the contact log).
Voilà starts its preheated kernel when the server starts, with the server's environment, so
every page gets the same parameters. ``--lang`` travels the same way: as ``ARBOOK_LANG`` (what
anything in the kernel speaks) and as :data:`ENV_LANG_FLAG`, which says it was the flag's
choice, so that it beats the language the dashboard's picker remembers
(:func:`arbook.views.dashboard.app.start_language`).

Public names: :func:`dashboard_command` and :func:`notebook_command` (the command lines, for tests
and for people who want to run them themselves), :func:`serve_dashboard` (what the CLI calls),
:func:`host_allowed` and :func:`server_url` (the Host rule), :func:`template_path`.
"""

from __future__ import annotations

import errno
import ipaddress
import os
import re
import signal
import socket
import subprocess
import sys
from pathlib import Path

from arbook.collections.contacts import ENV_LOG, is_url
from arbook.core import i18n
from arbook.core.dates import date_text
from arbook.core.errors import DataError, ParameterError
from arbook.core.i18n import _
from arbook.core.ledger import read_ledger
from arbook.measures.history import check_as_of
from arbook.workbook.paths import notebook_path, sample_folder
from arbook.workbook.review import default_as_of, month_end, month_ends

ENV_DATA, ENV_AS_OF, ENV_POLICY = "ARBOOK_DATA", "ARBOOK_AS_OF", "ARBOOK_POLICY"
#: the preset the data file is read with (an export in one accounting system's layout)
ENV_PRESET = "ARBOOK_PRESET"
#: the interface language of ``--lang``: ``ARBOOK_LANG`` and, naming the same language, the
#: mark that the flag chose it (it then beats the picker's remembered choice)
ENV_LANG, ENV_LANG_FLAG = i18n.ENV, "ARBOOK_LANG_FLAG"
OK, USAGE = 0, 2

#: A closed tab's page asks for its kernel's shutdown as it goes (see arbook.views.server);
#: where that request never came (the browser crashed, the network dropped), the kernel is
#: shut down once it has been idle and without a connection this long, checked this often,
#: so within a minute. A tab still open keeps its kernel, however long it sits unused.
CULL_IDLE_SECONDS = 45
CULL_INTERVAL_SECONDS = 15

#: Our Voilà template: ``lab`` without the two Font Awesome stylesheets it links from a CDN
#: (Voilà's own bundle already carries Font Awesome), so the page makes no request off this
#: machine and does not stall on a network that drops packets.
TEMPLATE = "arbook-lab"
#: The module run as the Voilà process (Voilà with the template and the Host check).
SERVER = "arbook.views.server"
#: Names that always mean this machine; a request must name one of them or the ``--ip`` given.
LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "::1")
#: ``--ip`` values that listen on every address of the machine.
EVERY_ADDRESS = ("0.0.0.0", "::", "*", "")
_HOST = re.compile(r"(\[[0-9a-f:.]+\]|[^:\[\]]+)(?::(\d{1,5}))?")
_CDN = '<link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/'
_TEMPLATE_FILES = {
    "conf.json": '{"base_template": "lab"}\n',
    "index.html.j2": (
        "{%- extends 'lab/index.html.j2' -%}\n"
        "{#- lab's notebook_css minus its <link>s to cdn.jsdelivr.net -#}\n"
        "{%- block notebook_css -%}\n"
        f"{{%- set parts = super().split('{_CDN}') -%}}\n"
        "{{ parts[0] }}{% for part in parts[1:] %}{{ part.split('/>', 1)[-1] }}{% endfor %}\n"
        "{%- endblock notebook_css -%}\n"
    ),
}


def notebook_command(
    notebook, *, port: int = 8866, ip: str = "127.0.0.1", open_browser: bool = False
) -> list[str]:
    """The ``python -m arbook.views.server`` command line serving ``notebook`` alone at the
    root URL on ``ip:port``: offline template, Host check, no code cells, no tracebacks."""
    command = [
        sys.executable,
        "-m",
        SERVER,
        str(notebook),
        f"--port={int(port)}",
        f"--Voila.ip={ip}",
        "--Voila.port_retries=0",
        f"--template={TEMPLATE}",
        "--theme=light",
        "--strip_sources=True",  # no code cells in the page
        "--show_tracebacks=False",  # the notebooks show readable messages instead
    ]
    if not open_browser:
        command.append("--no-browser")
    return command


def dashboard_command(
    data,
    *,
    port: int = 8866,
    as_of=None,
    ip: str = "127.0.0.1",
    open_browser: bool = False,
    preheat: bool = True,
) -> list[str]:
    """:func:`notebook_command` for the packaged dashboard notebook, with one preheated kernel
    and the culler of closed tabs' kernels. ``data`` and ``as_of`` are not on the command line
    (they travel as environment variables, see :func:`kernel_env`); they are accepted so callers
    state what is served. ``preheat`` False: every page runs the notebook when it is asked for
    (a folder still to be loaded changes once its mapping is saved; a kernel rendered ahead
    would show it as it was)."""
    pool = [
        "--preheat_kernel=True",
        "--pool_size=1",
        # keep the preheated kernel: the culler would otherwise shut it after the idle timeout
        "--VoilaConfiguration.multi_kernel_manager_class="
        "arbook.workbook.serve.PoolKeepingKernelManager",
    ]
    return [
        *notebook_command(notebook_path("dashboard"), port=port, ip=ip, open_browser=open_browser),
        *(pool[:2] if preheat else []),
        f"--MappingKernelManager.cull_idle_timeout={CULL_IDLE_SECONDS}",
        f"--MappingKernelManager.cull_interval={CULL_INTERVAL_SECONDS}",
        "--MappingKernelManager.cull_connected=False",
        "--MappingKernelManager.cull_busy=False",
        *(pool[2:] if preheat else []),
    ]


def host_allowed(host: str, *, ip: str, port: int) -> bool:
    """Whether a request with the ``Host`` header ``host`` is for this server on ``ip:port``:
    the name is 127.0.0.1, localhost, [::1] or ``ip`` itself, and the port is ``port`` (a Host
    without a port means 80). A server on every address (``--ip 0.0.0.0``) also answers any IP
    address, since DNS rebinding needs a name; another name is refused there too."""
    match = _HOST.fullmatch(host.strip().lower())
    if match is None or int(match.group(2) or 80) != int(port):
        return False
    name = _address(match.group(1))
    if name in {_address(n) for n in (*LOOPBACK_HOSTS, ip.lower())}:
        return True
    return ip in EVERY_ADDRESS and isinstance(name, ipaddress.IPv4Address | ipaddress.IPv6Address)


def _address(name: str) -> str | ipaddress.IPv4Address | ipaddress.IPv6Address:
    """``name`` as an IP address when it is one (so ``[0:0::1]`` equals ``::1``), else as is."""
    try:
        return ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
    except ValueError:  # a host name, compared as text
        return name


def server_url(ip: str, port: int) -> str:
    """The URL a browser on this machine opens for a server listening on ``ip:port``."""
    host = "127.0.0.1" if ip in EVERY_ADDRESS else ip
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def kernel_env(data, *, as_of, policy=None, log=None, preset=None, lang=None) -> dict[str, str]:
    """The environment variables the dashboard notebook reads: absolute paths, ISO date; ``log``
    (the contact log) as an absolute path, or as given when it is a database URL; ``lang``
    (``--lang``) as :data:`ENV_LANG` and :data:`ENV_LANG_FLAG`."""
    env = {ENV_DATA: str(Path(data).resolve())}
    if lang:
        env[ENV_LANG] = env[ENV_LANG_FLAG] = i18n.check(lang)
    if as_of:  # none for a folder to load: the dashboard opens on "Load your data"
        env[ENV_AS_OF] = month_end(as_of).strftime("%Y-%m-%d")
    if policy:
        env[ENV_POLICY] = str(Path(policy).resolve())
    if preset:
        env[ENV_PRESET] = preset
    if log:
        env[ENV_LOG] = str(log) if is_url(log) else str(Path(log).expanduser().resolve())
    return env


def check_inputs(data, *, as_of=None, policy=None, preset=None) -> tuple[Path, str]:
    """The data folder (or, with ``preset``, the export file) and as-of date to serve, checked:
    it exists, the ledger loads (a DataError propagates, except for a folder that may be loaded
    by mapping a file: then the as-of date is "") and the as-of date is one of the ledger's month
    ends (default: the last; an open-items-only ledger's is its report's date). Raise
    ParameterError with the fix otherwise."""
    folder = Path(data) if data else sample_folder()
    if not folder.exists():
        raise ParameterError(
            _(
                "{folder}: no such file; give the export file with --preset, e.g. "
                "`arbook dashboard ibm.csv --preset {preset}`"
            ).format(folder=folder, preset=preset)
            if preset
            else _(
                "{folder}: no such folder; give the folder holding invoices, payments and "
                "customers files, e.g. `arbook dashboard data/sample`"
            ).format(folder=folder)
        )
    if policy and not Path(policy).is_file():
        raise ParameterError(_("{policy}: no such policy file").format(policy=policy))
    try:
        ledger = read_ledger(folder, policy=policy, preset=preset)
    except DataError:
        if preset or not folder.is_dir() or as_of not in (None, ""):
            raise
        return folder, ""  # a client's folder arbook cannot read yet: "Load your data" opens
    if as_of in (None, ""):
        return folder, default_as_of(ledger).strftime("%Y-%m-%d")
    if ledger.open_items_only:  # aged on its report's date only (SPEC §3)
        check_as_of(ledger, as_of)
        return folder, default_as_of(ledger).strftime("%Y-%m-%d")
    day = month_end(as_of)
    ends = month_ends(ledger)
    if day not in ends:
        span = (
            _("{first} to {last}").format(first=date_text(ends[0]), last=date_text(ends[-1]))
            if ends
            else _("none")
        )
        raise ParameterError(
            _("as-of date {day} is outside the data; {folder} covers the month ends {span}").format(
                day=date_text(day), folder=folder, span=span
            )
        )
    return folder, day.strftime("%Y-%m-%d")


def check_port(ip: str, port: int) -> None:
    """Raise ParameterError when ``ip:port`` cannot be listened on (another server has it)."""
    with socket.socket(socket.AF_INET6 if ":" in ip else socket.AF_INET) as probe:
        try:
            probe.bind((ip, int(port)))
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                raise ParameterError(
                    _(
                        "port {port} on {ip} is in use (another dashboard?); stop it or choose "
                        "another, e.g. --port {next}"
                    ).format(port=port, ip=ip, next=int(port) + 1)
                ) from None
            raise ParameterError(
                _("cannot listen on {ip}:{port}: {reason}").format(
                    ip=ip, port=port, reason=exc.strerror
                )
            ) from None


def serve_dashboard(
    data=None,
    *,
    port: int = 8866,
    as_of=None,
    policy=None,
    ip: str = "127.0.0.1",
    open_browser: bool = False,
    log=None,
    preset=None,
    lang=None,
) -> int:
    """Check the inputs, print the URL and run Voilà until it stops or Ctrl-C; return the exit
    code (0 after Ctrl-C). Bad inputs raise ParameterError/DataError before anything starts.
    ``preset`` reads ``data`` as one export file in that layout (``--preset``); ``lang``
    (``--lang``) is the language every page starts in, whatever its picker remembers."""
    folder, day = check_inputs(data, as_of=as_of, policy=policy, preset=preset)
    if log and not is_url(log) and not Path(log).expanduser().resolve().parent.is_dir():
        raise ParameterError(
            _(
                "--log {log}: its folder does not exist; create it or give another file "
                "(default: collections.db in the data folder)"
            ).format(log=log)
        )
    check_port(ip, port)
    url = server_url(ip, port)
    inherited = {k: v for k, v in os.environ.items() if k != ENV_LANG_FLAG}  # only --lang sets it
    given = kernel_env(folder, as_of=day, policy=policy, log=log, preset=preset, lang=lang)
    command = dashboard_command(
        folder, port=port, as_of=day, ip=ip, open_browser=open_browser, preheat=bool(day)
    )
    print(_("arbook dashboard: {url}  (Ctrl-C to stop)").format(url=url), flush=True)
    return _run(command, {**inherited, **given})


def template_path(scratch: Path) -> str:
    """Write our template under ``scratch``; return JUPYTER_PATH with ``scratch`` first."""
    folder = scratch / "voila" / "templates" / TEMPLATE
    folder.mkdir(parents=True)
    for name, text in _TEMPLATE_FILES.items():
        (folder / name).write_text(text, encoding="utf-8")
    return os.pathsep.join(filter(None, [str(scratch), os.environ.get("JUPYTER_PATH")]))


def _run(command: list[str], env: dict) -> int:
    """Run Voilà in the foreground until it exits; return 0 after Ctrl-C, without a traceback.
    Ctrl-C in a terminal reaches Voilà too (same process group), so we only wait for it to shut
    its kernels down; if it is still up after a few seconds it gets SIGTERM, then SIGKILL."""
    process = subprocess.Popen(command, env=env)
    # `kill` and service managers signal us alone: pass SIGTERM on so no server is orphaned
    previous = signal.signal(signal.SIGTERM, lambda *_: process.terminate())
    try:
        return _exit_code(process.wait())
    except KeyboardInterrupt:
        _stop(process)
        print(_("arbook dashboard: stopped"), file=sys.stderr)
        return OK
    finally:
        signal.signal(signal.SIGTERM, previous)


def _stop(process: subprocess.Popen) -> None:
    for step, grace in ((None, 5), (process.terminate, 10), (process.kill, 5)):
        try:
            if step:
                step()
            process.wait(timeout=grace)
            return
        except subprocess.TimeoutExpired:
            continue
        except KeyboardInterrupt:  # a second Ctrl-C: stop waiting politely
            continue


def _exit_code(code: int) -> int:
    """Voilà's exit code, with a stop by signal (SIGINT/SIGTERM) counted as a clean stop."""
    return OK if code in (0, -signal.SIGINT, -signal.SIGTERM, 130) else code


def _pool_keeping_kernel_manager():
    """A MappingKernelManager whose culler spares the preheated kernels still in Voilà's pool
    (they have no connection and look idle, so culling would drop the pool for good)."""
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    class PoolKeepingKernelManager(AsyncMappingKernelManager):
        async def cull_kernel_if_idle(self, kernel_id):
            for pool in getattr(self, "_pools", {}).values():
                for task in pool:
                    if not task.done() or task.cancelled() or task.exception():
                        continue
                    if task.result().get("kernel_id") == kernel_id:
                        return None
            return await super().cull_kernel_if_idle(kernel_id)

    return PoolKeepingKernelManager


def __getattr__(name: str):
    # built on first use so `arbook dashboard` does not import jupyter_server for its checks
    if name == "PoolKeepingKernelManager":
        globals()[name] = cls = _pool_keeping_kernel_manager()
        return cls
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
