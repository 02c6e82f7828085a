"""Real-browser fixtures: a Voila server on a free port and Debian's Chromium via Playwright."""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.browser.voila_support import (
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_jupyter_server,
    start_voila,
)


def _serving(proc: subprocess.Popen[bytes], url: str) -> Iterator[str]:
    try:
        yield url
    finally:
        proc.terminate()
        proc.wait(timeout=20)


@pytest.fixture(scope="session")
def voila_url() -> Iterator[str]:
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    yield from _serving(start_voila("notebooks/aleppo.ipynb", port), f"http://127.0.0.1:{port}/")


@pytest.fixture(scope="session")
def site_dir(tmp_path_factory) -> Path:
    """The static site, built once from the real layers."""
    import frontlines
    from frontlines.site import build_site

    ARTIFACTS.mkdir(exist_ok=True)
    return build_site(tmp_path_factory.mktemp("site") / "out", frontlines.load()).out


@pytest.fixture(scope="session")
def gated_url(site_dir: Path) -> Iterator[str]:
    """Voila behind the crowd gate with a cap of two kernels (the pooled one included)."""
    port = free_port()
    proc = start_voila(
        "notebooks/aleppo.ipynb",
        port,
        "--CrowdGate.max_kernels=2",
        f"--CrowdGate.site_dir={site_dir}",
        gated=True,
    )
    yield from _serving(proc, f"http://127.0.0.1:{port}/")


@pytest.fixture(scope="session")
def binder_url(site_dir: Path) -> Iterator[str]:
    """A Jupyter Server with Voila as its extension, under a base URL, as Binder runs it,
    with the crowd gate as its own extension (cap: two kernels)."""
    ARTIFACTS.mkdir(exist_ok=True)
    port = free_port()
    proc = start_jupyter_server(
        port,
        "/user/test/",
        "--ServerApp.jpserver_extensions={'frontlines.serve': True}",
        f"--CrowdGate.site_dir={site_dir}",
        "--CrowdGate.max_kernels=2",
    )
    yield from _serving(proc, f"http://127.0.0.1:{port}/user/test/")


@pytest.fixture(scope="session")
def standalone_map(tmp_path_factory) -> Path:
    """The explorer map as a page of its own, Leaflet embedded, written to a file."""
    import frontlines
    from frontlines.app import CHAPTERS
    from frontlines.embed import inline_leaflet
    from frontlines.timemap import timeline_map

    m = timeline_map(frontlines.load(), "2016-09-08", view_id="x", chapters=CHAPTERS)
    inline_leaflet(m)
    path = tmp_path_factory.mktemp("standalone") / "explorer.html"
    path.write_text(m.get_root().render(), encoding="utf-8")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    pg = context.new_page()
    pg.console_messages = []
    pg.failed_requests = []
    pg.requests_made = []
    pg.on("request", lambda r: pg.requests_made.append(r.url))
    pg.on("console", lambda m: pg.console_messages.append((m.type, m.text)))
    # An iframe that the page moves while loading aborts its first request: not a failure.
    pg.on(
        "requestfailed",
        lambda r: None if "ERR_ABORTED" in (r.failure or "") else pg.failed_requests.append(r.url),
    )
    yield pg
    context.close()
