"""``arbook dashboard``: the Voilà command line, the checks made before any server starts, and
the running server's Host check (DNS rebinding), tried with raw HTTP requests."""

from __future__ import annotations

import http.client
import json
import re
import socket
import subprocess

import pytest
from browser import free_port
from browser import serve as run_server
from conftest import write_ledger

from arbook.cli.commands import main
from arbook.workbook import serve
from arbook.workbook.paths import notebook_path


def options(command: list[str]) -> dict[str, str]:
    return dict(part[2:].split("=", 1) for part in command if part.startswith("--") and "=" in part)


@pytest.fixture
def no_server(monkeypatch):
    """Fail the test if anything tries to start a process."""

    def refuse(*args, **kwargs):
        raise AssertionError(f"a server was started: {args[0] if args else kwargs}")

    monkeypatch.setattr(subprocess, "Popen", refuse)


@pytest.fixture
def ledger(tmp_path):
    # documents from 2026-08-03 to 2026-10-05: month ends 2026-08-31 and 2026-09-30
    return write_ledger(
        tmp_path / "ledger",
        invoices="""
        I1,C1,2026-08-03,2026-09-02,100.00
        I2,C1,2026-09-15,2026-10-15,250.00
        """,
        payments="""
        P1,C1,2026-10-05,100.00,I1
        """,
    )


def test_command_serves_the_packaged_notebook_at_the_root_on_this_machine():
    command = serve.dashboard_command("data/sample", port=8899, as_of="2026-10-31", ip="127.0.0.1")
    assert command[1:3] == ["-m", "arbook.views.server"]  # Voilà with the Host check
    assert command[3] == str(notebook_path("dashboard"))  # one notebook: it is the root page
    opts = options(command)
    assert opts["port"] == "8899" and opts["Voila.ip"] == "127.0.0.1"
    assert opts["Voila.port_retries"] == "0"  # never silently move to another port
    assert "--no-browser" in command


def test_command_uses_lab_template_without_tracebacks_or_code():
    opts = options(serve.dashboard_command("d", port=8866, as_of=None, ip="127.0.0.1"))
    assert (
        opts["template"] == serve.TEMPLATE
        and "'lab/index.html.j2'" in serve._TEMPLATE_FILES["index.html.j2"]
        and '"lab"' in serve._TEMPLATE_FILES["conf.json"]
    )
    assert opts["show_tracebacks"] == "False"
    assert opts["strip_sources"] == "True"


def test_command_preheats_one_kernel_and_culls_closed_tabs():
    opts = options(serve.dashboard_command("d", port=8866, as_of=None, ip="127.0.0.1"))
    assert opts["preheat_kernel"] == "True" and opts["pool_size"] == "1"
    assert int(opts["MappingKernelManager.cull_idle_timeout"]) > 0
    assert int(opts["MappingKernelManager.cull_interval"]) > 0
    assert opts["MappingKernelManager.cull_connected"] == "False"  # open tabs keep their kernel
    assert (
        opts["VoilaConfiguration.multi_kernel_manager_class"]
        == "arbook.workbook.serve.PoolKeepingKernelManager"
    )


def test_a_folder_to_load_is_served_without_a_kernel_rendered_ahead():
    # the folder changes once its mapping is saved: a preheated kernel would show it as before
    opts = options(serve.dashboard_command("d", as_of="", preheat=False))
    assert "preheat_kernel" not in opts and "pool_size" not in opts
    assert "VoilaConfiguration.multi_kernel_manager_class" not in opts
    assert opts["MappingKernelManager.cull_connected"] == "False"  # closed tabs still culled


def test_open_browser_drops_no_browser():
    command = serve.dashboard_command("d", port=8866, as_of=None, ip="127.0.0.1", open_browser=True)
    assert "--no-browser" not in command


def test_kernel_manager_class_imports_and_spares_the_pool():
    from jupyter_server.services.kernels.kernelmanager import AsyncMappingKernelManager

    assert issubclass(serve.PoolKeepingKernelManager, AsyncMappingKernelManager)


def test_kernel_env_holds_absolute_paths_and_iso_date(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    env = serve.kernel_env("ledger", as_of="2026-09-30", policy="p.toml")
    assert env == {
        "ARBOOK_DATA": str(tmp_path / "ledger"),
        "ARBOOK_AS_OF": "2026-09-30",
        "ARBOOK_POLICY": str(tmp_path / "p.toml"),
    }


def test_lang_reaches_the_kernel_marked_as_the_flags(ledger, monkeypatch, capsys):
    """``--lang ru``: the kernel speaks Russian (ARBOOK_LANG) and knows the flag chose it
    (ARBOOK_LANG_FLAG), so it beats the picker's remembered choice; without the flag a stale
    mark in the environment is dropped and ARBOOK_LANG is the user's own (the picker's choice
    beats it)."""
    assert serve.kernel_env(ledger, as_of="2026-09-30", lang="ru")[serve.ENV_LANG_FLAG] == "ru"
    seen = {}
    monkeypatch.setattr(serve, "_run", lambda command, env: seen.update(env) or 0)
    assert main(["dashboard", str(ledger), "--lang", "ru", "--port", str(free_port())]) == 0
    assert seen[serve.ENV_LANG] == seen[serve.ENV_LANG_FLAG] == "ru"
    assert "(Ctrl-C — остановить)" in capsys.readouterr().out  # the command speaks it too
    seen.clear()
    monkeypatch.setenv(serve.ENV_LANG_FLAG, "ru")
    monkeypatch.setenv("ARBOOK_LANG", "es")
    assert main(["dashboard", str(ledger), "--port", str(free_port())]) == 0
    assert serve.ENV_LANG_FLAG not in seen and seen["ARBOOK_LANG"] == "es"


def test_template_strips_the_cdn_stylesheets(tmp_path):
    import jinja2

    lab = (
        "{% block notebook_css %}<style>a{}</style>\n"
        '  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/'
        'fontawesome-free@^5/css/all.min.css" type="text/css" />\n'
        '  <link rel="stylesheet" href="https://cdn.jsdelivr.net/npm/@fortawesome/'
        'fontawesome-free@^5/css/v4-shims.min.css" type="text/css" />\n'
        "<b>rest</b>{% endblock %}"
    )
    loader = jinja2.DictLoader(
        {"lab/index.html.j2": lab, "index.html.j2": serve._TEMPLATE_FILES["index.html.j2"]}
    )
    html = jinja2.Environment(loader=loader, autoescape=True).get_template("index.html.j2").render()
    assert "cdn.jsdelivr" not in html
    assert "<style>a{}</style>" in html and "<b>rest</b>" in html


def test_check_inputs_defaults_to_the_last_month_end(ledger):
    assert serve.check_inputs(ledger) == (ledger, "2026-09-30")
    assert serve.check_inputs(ledger, as_of="2026-08-31")[1] == "2026-08-31"


def test_missing_folder_is_a_usage_error(tmp_path, capsys, no_server):
    code = main(["dashboard", str(tmp_path / "nowhere"), "--port", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "nowhere: no such folder" in err and "arbook dashboard data/sample" in err


def test_as_of_outside_the_data_is_a_usage_error(ledger, capsys, no_server):
    code = main(["dashboard", str(ledger), "--as-of", "2026-12-31"])
    err = capsys.readouterr().err
    assert code == 2
    assert "2026-12-31 is outside the data" in err and "2026-08-31 to 2026-09-30" in err


def test_as_of_not_a_month_end_is_a_usage_error(ledger, capsys, no_server):
    code = main(["dashboard", str(ledger), "--as-of", "2026-09-15"])
    err = capsys.readouterr().err
    assert code == 2 and "not a month end" in err and "2026-09-30" in err


def test_a_folder_arbook_cannot_read_yet_opens_on_load_your_data(tmp_path, capsys, no_server):
    # an empty folder, or one holding a file in the client's own layout: the dashboard serves
    # it with no as-of date, and opens on "Load your data" to map the file
    (tmp_path / "books").mkdir()
    assert serve.check_inputs(tmp_path / "books") == (tmp_path / "books", "")
    assert serve.ENV_AS_OF not in serve.kernel_env(tmp_path / "books", as_of="")
    # a file in a layout no preset knows cannot be mapped in place: said, with the fix
    mine = tmp_path / "mine.csv"
    mine.write_text("Cliente;Importe\nAna;12,50\n", encoding="utf-8")
    code = main(["dashboard", str(mine)])
    err = capsys.readouterr().err
    assert code == 2 and "arbook mapping" in err


def test_port_in_use_is_a_usage_error(ledger, capsys, no_server):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = main(["dashboard", str(ledger), "--port", str(port)])
    err = capsys.readouterr().err
    assert code == 2
    assert f"port {port} on 127.0.0.1 is in use" in err and f"--port {port + 1}" in err


def test_ctrl_c_stops_cleanly(ledger, monkeypatch, capsys):
    class Voila:
        returncode = None

        def __init__(self, command, env):
            self.env = env
            Voila.started = self

        def wait(self, timeout=None):
            if timeout is None:
                raise KeyboardInterrupt
            return 0

        def poll(self):
            return 0

        def terminate(self):
            pass

        kill = terminate

    monkeypatch.setattr(subprocess, "Popen", Voila)
    assert main(["dashboard", str(ledger), "--port", "0"]) == 0
    out = capsys.readouterr()
    assert out.out.startswith("arbook dashboard: http://127.0.0.1:0/  (Ctrl-C to stop)")
    assert "Traceback" not in out.err
    assert Voila.started.env["ARBOOK_DATA"] == str(ledger.resolve())
    assert Voila.started.env["ARBOOK_AS_OF"] == "2026-09-30"


# -- the Host check (DNS rebinding) ------------------------------------------------------------


@pytest.mark.parametrize(
    "host, ip, allowed",
    [
        ("127.0.0.1:8866", "127.0.0.1", True),
        ("localhost:8866", "127.0.0.1", True),
        ("LOCALHOST:8866", "127.0.0.1", True),
        ("[::1]:8866", "127.0.0.1", True),
        ("[0:0::1]:8866", "::1", True),  # the same address written out
        ("attacker.example:8866", "127.0.0.1", False),  # DNS rebinding: a name re-pointed
        ("localhost.attacker.example:8866", "127.0.0.1", False),
        ("127.0.0.1.nip.io:8866", "127.0.0.1", False),
        ("127.0.0.1:8867", "127.0.0.1", False),  # another port
        ("127.0.0.1", "127.0.0.1", False),  # no port: 80
        ("localhost:8866@attacker.example", "127.0.0.1", False),
        ("", "127.0.0.1", False),
        (":8866", "127.0.0.1", False),
        ("192.168.1.5:8866", "127.0.0.1", False),
        ("192.168.1.5:8866", "192.168.1.5", True),  # the --ip given
        ("192.168.1.6:8866", "192.168.1.5", False),
        ("books.lan:8866", "books.lan", True),  # an --ip given as a name
        ("192.168.1.5:8866", "0.0.0.0", True),  # every address: any IP, rebinding needs a name
        ("[fe80::1]:8866", "::", True),
        ("attacker.example:8866", "0.0.0.0", False),
    ],
)
def test_host_allowed(host, ip, allowed):
    assert serve.host_allowed(host, ip=ip, port=8866) is allowed


def test_host_allowed_on_port_80_takes_a_host_without_port():
    assert serve.host_allowed("localhost", ip="127.0.0.1", port=80)
    assert not serve.host_allowed("attacker.example", ip="127.0.0.1", port=80)


def test_server_url_names_an_address_a_browser_can_open():
    assert serve.server_url("127.0.0.1", 8866) == "http://127.0.0.1:8866/"
    assert serve.server_url("::1", 8866) == "http://[::1]:8866/"
    assert serve.server_url("0.0.0.0", 8866) == "http://127.0.0.1:8866/"


TINY_NOTEBOOK = {
    "cells": [
        {"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [], "source": "1"}
    ],
    "metadata": {
        "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
    },
    "nbformat": 4,
    "nbformat_minor": 5,
}


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """The server ``arbook dashboard`` runs (its very command line) with a one-cell notebook in
    place of the dashboard, whose kernel takes seconds, not half a minute, to run: its port and
    the kernel id of one page."""
    tiny = tmp_path_factory.mktemp("served") / "tiny.ipynb"
    tiny.write_text(json.dumps(TINY_NOTEBOOK), encoding="utf-8")
    port = free_port()
    command = serve.dashboard_command("unused", port=port, ip="127.0.0.1")
    assert command[3] == str(notebook_path("dashboard"))
    command[3] = str(tiny)
    with run_server(command, port, timeout=90):
        status, _, body = request(port, f"127.0.0.1:{port}", "/")
        assert status == 200, body[:300]
        kernel = re.search(r'"kernelId": "([0-9a-f-]{36})"', body)
        assert kernel, "the page carries no kernel id"
        yield port, kernel.group(1)


def request(port: int, host: str, path: str, *, websocket: bool = False):
    """One raw GET to 127.0.0.1:``port`` naming ``host``; (status, headers, body text)."""
    headers = {"Host": host}
    if websocket:
        headers |= {
            "Upgrade": "websocket",
            "Connection": "Upgrade",
            "Sec-WebSocket-Version": "13",
            "Sec-WebSocket-Key": "dGhlIHNhbXBsZSBub25jZQ==",
        }
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    try:
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        body = b"" if response.status == 101 else response.read()
        return response.status, dict(response.getheaders()), body.decode("utf-8", "replace")
    finally:
        connection.close()


@pytest.mark.slow
@pytest.mark.parametrize("host", ["attacker.example:{port}", "localhost.attacker.example:{port}"])
def test_a_foreign_host_gets_403_not_the_page(served, host):
    port, _ = served
    status, headers, body = request(port, host.format(port=port), "/")
    assert status == 403
    assert headers["Content-Type"].startswith("text/plain")
    assert f"answers only at http://127.0.0.1:{port}/" in body and "<html" not in body.lower()


@pytest.mark.slow
def test_a_foreign_host_cannot_open_the_kernel_websocket(served):
    port, kernel = served
    channels = f"/api/kernels/{kernel}/channels"
    assert request(port, f"attacker.example:{port}", channels, websocket=True)[0] == 403
    assert request(port, f"127.0.0.1:{port + 1}", channels, websocket=True)[0] == 403
    assert request(port, f"127.0.0.1:{port}", channels, websocket=True)[0] == 101


@pytest.mark.slow
@pytest.mark.parametrize("path", ["/voila/static/voila.js", "/api/kernels", "/voila/query/x"])
def test_a_foreign_host_gets_nothing_else_either(served, path):
    port, _ = served
    assert request(port, f"attacker.example:{port}", path)[0] == 403
    assert request(port, f"localhost:{port}", "/voila/static/voila.js")[0] == 200


def test_the_dashboard_takes_an_export_with_its_preset(monkeypatch):
    from conftest import IBM

    folder, day = serve.check_inputs(str(IBM), preset="ibm")
    assert folder == IBM and day == "2013-12-31"
    env = serve.kernel_env(folder, as_of=day, preset="ibm")
    assert env[serve.ENV_PRESET] == "ibm" and env[serve.ENV_DATA] == str(IBM.resolve())
    with pytest.raises(serve.ParameterError, match="--preset ibm"):
        serve.check_inputs(str(IBM) + ".missing", preset="ibm")
    seen = {}
    monkeypatch.setattr(serve, "_run", lambda command, env: seen.update(env) or 0)
    assert main(["dashboard", str(IBM), "--preset", "ibm", "--port", str(free_port())]) == 0
    assert seen[serve.ENV_PRESET] == "ibm"


def test_an_aging_report_is_served_on_its_own_date(tmp_path):
    from conftest import SHARED

    report = SHARED / "import-examples" / "qbo-ar-aging-detail.csv"
    assert serve.check_inputs(report) == (report, "2026-06-30")
    assert serve.check_inputs(report, as_of="2026-06-30")[1] == "2026-06-30"
    with pytest.raises(serve.ParameterError, match="2026-06-30"):
        serve.check_inputs(report, as_of="2026-05-31")
