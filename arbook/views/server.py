"""The Voilà process that presents arbook's notebooks: ``python -m arbook.views.server NOTEBOOK
[VOILA OPTIONS]`` runs Voilà with two additions (see :mod:`arbook.workbook.serve`, which builds
its command lines):

- arbook's template (``lab`` without its CDN stylesheets) on Jupyter's path, and the default
  unless ``--template`` is given, so the page asks nothing of the network;
- the Host check: a request naming another host than this server (``host_allowed``) gets a 403
  before any of Voilà's handlers (pages, static files, kernel and other websockets) sees it;
- the page sets the ``_xsrf`` cookie, so the kernel shutdown Voilà's page posts when it is
  closed (``navigator.sendBeacon`` to ``/voila/api/shutdown/<kernel>``, carrying the cookie's
  value) is accepted: a closed tab frees its kernel at once instead of waiting for the culler.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

from tornado.routing import Matcher, Rule
from tornado.web import RequestHandler
from voila.app import Voila
from voila.tornado.handler import TornadoVoilaHandler

from arbook.core.i18n import _
from arbook.workbook.serve import TEMPLATE, host_allowed, server_url, template_path


class ForeignHost(Matcher):
    """Matches a request whose Host header is not the server ``voila`` listens as."""

    def __init__(self, voila: Voila):
        self.voila = voila

    def match(self, request):
        ok = host_allowed(request.host, ip=self.voila.ip, port=self.voila.port)
        return None if ok else {}


class Refused(RequestHandler):
    """403 with one line naming the address the server does answer."""

    def initialize(self, voila: Voila) -> None:
        self.voila = voila

    def prepare(self) -> None:
        self.set_status(403)
        self.set_header("Content-Type", "text/plain; charset=utf-8")
        url = server_url(self.voila.ip, self.voila.port)
        # in the language of --lang (ARBOOK_LANG reaches this process too)
        self.finish(
            _("403 Forbidden: this arbook server answers only at {url}").format(url=url) + "\n"
        )


class PageWithXsrfCookie(TornadoVoilaHandler):
    """Voilà's page, setting the ``_xsrf`` cookie as it is served. Voilà's page reads the
    cookie to sign the shutdown it sends on ``beforeunload``; Voilà's own page never sets it,
    so that request was refused (403) and every closed tab's kernel lived on until culled."""

    async def prepare(self, **kwargs):
        await super().prepare(**kwargs)
        self.xsrf_token  # noqa: B018 - reading the token is what sets the cookie (Tornado)


class HostCheckingVoila(Voila):
    """Voilà whose routing refuses a foreign Host first (the rule goes before Voilà's own),
    whose page sets the ``_xsrf`` cookie (:class:`PageWithXsrfCookie`)."""

    def init_handlers(self):
        handlers = super().init_handlers()
        return [
            (h[0], PageWithXsrfCookie, *h[2:]) if h[1] is TornadoVoilaHandler else h
            for h in handlers
        ]

    def listen(self):
        self.app.default_router.rules.insert(0, Rule(ForeignHost(self), Refused, {"voila": self}))
        super().listen()


def main(argv: list[str] | None = None) -> None:
    """Run :class:`HostCheckingVoila` on ``argv`` (default: the command line) with arbook's
    template on JUPYTER_PATH, and the default template unless one is given, until stopped."""
    args = list(sys.argv[1:] if argv is None else argv)
    if not any(a.startswith(("--template", "--VoilaConfiguration.template")) for a in args):
        args.append(f"--template={TEMPLATE}")
    with tempfile.TemporaryDirectory(prefix="arbook-voila-") as scratch:
        os.environ["JUPYTER_PATH"] = template_path(Path(scratch))
        HostCheckingVoila.launch_instance(args)


if __name__ == "__main__":
    main()
