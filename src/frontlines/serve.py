"""Voila for a crowd: a gate in front of the reader page, the static site beside it.

Every reader who opens the Voila page costs a kernel (about 150 MB, seconds of CPU to start):
a crowd, a crawler or a link preview can exhaust a server. A gate (``GatedVoilaHandler``, a
subclass of Voila's page handler, with its settings in :class:`CrowdGate`) decides per
request, before any kernel starts:

- a request that is not a browser opening the page (``HEAD``, a crawler's or a link preview's
  user agent, or a client that is not a browser) is sent to the static site, which has the
  same story and map, and the Open Graph tags previews read;
- a reader gets the live page when a preheated kernel is ready for them and the kernels in
  use (pooled ones included) are fewer than the cap;
- any other reader is sent to the static site at once (the same panel, which needs no
  kernel) instead of waiting for one to start; past the cap it says why (``?busy=1``).

The static site (``frontlines build-site``) is served by the same server under ``site/``.
Run it as Voila (``python -m frontlines.serve NOTEBOOK``, what ``make app`` does) or as a
Jupyter Server extension next to Voila's (Binder, JupyterHub: ``frontlines.serve`` in
``jpserver_extensions``), configured in ``voila.json`` / the server's config::

    {"CrowdGate": {"max_kernels": 8, "site_dir": "site"}}
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from tornado import web
from traitlets import Int, Unicode
from traitlets.config import Configurable

__all__ = ["CrowdGate", "is_reader", "main"]

#: User agents of crawlers, link previews and HTTP libraries: they get the static page.
NOT_A_READER = re.compile(
    r"bot\b|bot/|crawl|spider|slurp|facebookexternalhit|facebookcatalog|embedly|preview|"
    r"whatsapp|telegram|discord|slack|skypeuripreview|vkshare|pinterest|bitlybot|"
    r"curl|wget|python-requests|python-urllib|httpx|aiohttp|go-http-client|java/|okhttp|"
    r"libwww|scrapy|lighthouse",
    re.IGNORECASE,
)
REPO = Path(__file__).resolve().parents[2]


def is_reader(user_agent: str | None) -> bool:
    """Whether a request's user agent is a person's browser (every browser says Mozilla/).

    Examples
    --------
    >>> is_reader("Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) Safari/604.1")
    True
    >>> is_reader("facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)")
    False
    >>> is_reader("Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)")
    False
    >>> is_reader("curl/8.5.0")
    False
    """
    ua = user_agent or ""
    return ua.startswith("Mozilla/") and not NOT_A_READER.search(ua)


class CrowdGate(Configurable):
    """The gate's settings (section ``CrowdGate`` of the Voila or Jupyter Server config)."""

    max_kernels = Int(
        8,
        config=True,
        help="Most kernels at once, pooled (preheated) ones included; readers past it get "
        "the static site with a note. About 150 MB each: see the README's sizing rule.",
    )
    site_dir = Unicode(
        str(REPO / "site"),
        config=True,
        help="The static site (frontlines build-site); served under site/.",
    )

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.in_flight = 0  # readers let through whose kernel may not be listed yet
        self.sent_to_site = 0
        self.live = 0


def _settings(handler: web.RequestHandler) -> CrowdGate:
    return handler.settings["frontlines_gate"]


def _site_url(handler: web.RequestHandler, busy: bool = False) -> str:
    query = dict(handler.request.query_arguments)
    args = [
        f"{k}={v[0].decode('utf-8', 'replace')}"
        for k, v in query.items()
        if k in ("date", "chapter")
    ]
    if busy:
        args.append("busy=1")
    from urllib.parse import quote

    safe = "&".join(quote(a, safe="=-") for a in args)
    return handler.base_url.rstrip("/") + "/site/" + (f"?{safe}" if safe else "")


def _kernels(handler: Any) -> int:
    try:
        return len(handler.kernel_manager.list_kernel_ids())
    except Exception:  # no kernel manager: nothing to count
        return 0


def _ready(pools: dict, notebook: str | None = None) -> int:
    """How many preheated kernels are ready (for ``notebook``, or for any)."""
    tasks = pools.get(notebook, []) if notebook is not None else sum(pools.values(), [])
    return sum(1 for t in tasks if t.done() and not t.cancelled() and t.exception() is None)


def _ready_kernel(handler: Any, notebook: str) -> bool | None:
    """Whether a preheated kernel is ready for ``notebook`` (None: this server has no pool)."""
    pools = getattr(handler.kernel_manager, "_pools", None)
    return None if pools is None else _ready(pools, notebook) > 0


def _gate_class() -> type:
    from voila.tornado.handler import TornadoVoilaHandler

    class GatedVoilaHandler(TornadoVoilaHandler):
        """Voila's page handler behind the gate (see the module's docstring)."""

        _let_through = False

        def _site_ready(self) -> bool:
            return (Path(_settings(self).site_dir) / "index.html").is_file()

        async def prepare(self) -> None:
            await super().prepare()
            if self._finished or self.request.method != "GET" or not self._site_ready():
                return
            gate = _settings(self)
            if not is_reader(self.request.headers.get("User-Agent")):
                gate.sent_to_site += 1
                self.redirect(_site_url(self))
                return
            in_use = _kernels(self) + gate.in_flight
            ready = _ready_kernel(self, self.notebook_path or "")
            if in_use >= gate.max_kernels:
                gate.sent_to_site += 1
                self.redirect(_site_url(self, busy=True))
                return
            if ready is False:  # a pool, none ready: the static page now, not a wait
                gate.sent_to_site += 1
                self.redirect(_site_url(self))
                return
            gate.in_flight += 1
            gate.live += 1
            self._let_through = True

        def on_finish(self) -> None:
            if self._let_through:
                _settings(self).in_flight -= 1
                self._let_through = False
            super().on_finish()

        def head(self, path: str | None = None) -> None:
            """A HEAD request (a link checker) starts no kernel: it gets the static site."""
            self.redirect(_site_url(self))

    return GatedVoilaHandler


class StatusHandler(web.RequestHandler):
    """``frontlines/status``: kernels now, the cap, and what the gate did (JSON)."""

    def get(self) -> None:
        gate = _settings(self)
        km = self.settings.get("kernel_manager")
        kernels = len(km.list_kernel_ids()) if km is not None else 0
        ready = _ready(getattr(km, "_pools", {}) or {})
        self.set_header("Content-Type", "application/json")
        self.set_header("Cache-Control", "no-store")
        self.finish(
            json.dumps(
                {
                    "kernels": kernels,
                    "ready": ready,
                    "max_kernels": gate.max_kernels,
                    "in_flight": gate.in_flight,
                    "live": gate.live,
                    "sent_to_site": gate.sent_to_site,
                }
            )
        )


class _SiteHandler(web.StaticFileHandler):
    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "public, max-age=300")


def _extra_handlers(base_url: str, site_dir: str) -> list[tuple]:
    from jupyter_server.utils import url_path_join

    return [
        (
            url_path_join(base_url, r"/site/(.*)"),
            _SiteHandler,
            {"path": site_dir, "default_filename": "index.html"},
        ),
        (url_path_join(base_url, r"/frontlines/status"), StatusHandler),
    ]


def _swap(rules: list, gate: type) -> int:
    """Put the gate in place of Voila's page handler in a tornado router's rules."""
    from voila.tornado.handler import TornadoVoilaHandler

    swapped = 0
    for rule in rules:
        target = rule.target
        if isinstance(target, type) and issubclass(target, TornadoVoilaHandler):
            rule.target = gate
            swapped += 1
        elif hasattr(target, "rules"):
            swapped += _swap(target.rules, gate)
    return swapped


# ---------------------------------------------------------------------- standalone Voila


def _reader_app() -> type:
    from voila.app import Voila

    class ReaderVoila(Voila):
        """Voila with the gate in front of the page and the static site beside it."""

        classes = [*Voila.classes, CrowdGate]
        _gate: CrowdGate | None = None

        def gate(self) -> CrowdGate:
            if self._gate is None:
                self._gate = CrowdGate(parent=self)
            return self._gate

        def init_settings(self) -> dict:
            settings = super().init_settings()
            settings["frontlines_gate"] = self.gate()
            return settings

        def init_handlers(self) -> list:
            from voila.tornado.handler import TornadoVoilaHandler

            gated = _gate_class()
            handlers = []
            for h in super().init_handlers():
                if len(h) >= 2 and h[1] is TornadoVoilaHandler:
                    h = (h[0], gated, *h[2:])
                handlers.append(h)
            return _extra_handlers(self.server_url, self.gate().site_dir) + handlers

    return ReaderVoila


def main(argv: list[str] | None = None) -> None:
    """``python -m frontlines.serve NOTEBOOK [voila options]``: Voila behind the gate."""
    _reader_app().launch_instance(argv=argv)


# ---------------------------------------------------------------------- server extension


def _jupyter_server_extension_points() -> list[dict[str, str]]:
    return [{"module": "frontlines.serve"}]


def _load_jupyter_server_extension(server_app: Any) -> None:
    """Next to Voila's own extension: the gate, the static site and the status page."""
    web_app = server_app.web_app
    gate_settings = CrowdGate(parent=server_app)
    web_app.settings["frontlines_gate"] = gate_settings
    base_url = web_app.settings["base_url"]
    web_app.add_handlers(".*$", _extra_handlers(base_url, gate_settings.site_dir))
    gate = _gate_class()

    def swap() -> None:  # after every extension (Voila's too) has added its handlers
        n = _swap(web_app.default_router.rules, gate)
        server_app.log.info("frontlines: the crowd gate guards %d Voila route(s)", n)

    from tornado.ioloop import IOLoop

    if _swap(web_app.default_router.rules, gate) == 0:
        IOLoop.current().add_callback(swap)


load_jupyter_server_extension = _load_jupyter_server_extension


if __name__ == "__main__":  # python -m frontlines.serve
    main()
