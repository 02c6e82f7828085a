"""Voila for a crowd: the gate in front of the reader page (frontlines.serve), with a cap of
two kernels to keep the tests quick; and what readers see when a cell fails."""

from __future__ import annotations

import http.client
import json
import time
import urllib.parse
from pathlib import Path

import pytest

from tests.browser.voila_support import ARTIFACTS, free_port, start_voila

pytestmark = pytest.mark.browser

BROWSER = (
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/120.0 Safari/537.36"
)
NOT_READERS = (
    "facebookexternalhit/1.1 (+http://www.facebook.com/externalhit_uatext.php)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Slackbot-LinkExpanding 1.0 (+https://api.slack.com/robots)",
    "curl/8.5.0",
    "python-requests/2.31.0",
)


def fetch(url: str, ua: str, method: str = "GET") -> tuple[int, str, str]:
    """One request, redirects not followed: status, Location and body."""
    u = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(u.hostname, u.port, timeout=120)
    try:
        conn.request(
            method, u.path + (f"?{u.query}" if u.query else ""), headers={"User-Agent": ua}
        )
        r = conn.getresponse()
        body = r.read().decode("utf-8", "replace")
        return r.status, r.getheader("Location") or "", body
    finally:
        conn.close()


def status(base: str) -> dict:
    return json.loads(fetch(base + "frontlines/status", BROWSER)[2])


def wait_status(base: str, ok, timeout: float = 120) -> dict:
    deadline = time.time() + timeout
    while time.time() < deadline:
        s = status(base)
        if ok(s):
            return s
        time.sleep(0.5)
    raise AssertionError(f"the server never reached the state wanted: {status(base)}")


def test_requests_that_are_not_readers_start_no_kernel(gated_url):
    before = wait_status(gated_url, lambda s: s["ready"] >= 1)
    for ua in NOT_READERS:
        code, where, _ = fetch(gated_url + "?date=2016-07-17", ua)
        assert code == 302 and where.endswith("/site/?date=2016-07-17"), ua
    code, where, _ = fetch(gated_url, BROWSER, "HEAD")
    assert code == 302 and "/site/" in where
    after = status(gated_url)
    assert after["kernels"] == before["kernels"] and after["live"] == before["live"]
    # what they get instead: the static page, with the preview a link card needs
    code, _, body = fetch(gated_url + "site/", NOT_READERS[0])
    assert code == 200 and '<meta property="og:image" content="preview.png">' in body


def test_past_the_cap_readers_get_the_static_site_and_a_note(gated_url, browser):
    wait_status(gated_url, lambda s: s["ready"] >= 1 and s["kernels"] == 1)
    code, _, page = fetch(gated_url + "?date=2016-07-17", BROWSER)
    assert code == 200 and 'class="fl-inline-map"' in page  # the live page, from the pool
    assert "App.for_server" not in page and "import frontlines" not in page  # no code shown
    # the pool refills: two kernels, the cap
    wait_status(gated_url, lambda s: s["kernels"] == 2 and s["ready"] == 1)
    code, where, _ = fetch(gated_url + "?chapter=siege", BROWSER)
    assert code == 302 and where.endswith("/site/?chapter=siege&busy=1")
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    try:
        reader = context.new_page()
        reader.goto(gated_url + "?chapter=siege")
        reader.locator(".fl-stage path.leaflet-interactive").first.wait_for(timeout=30_000)
        reader.wait_for_function("() => window.frontlinesTimemap", timeout=30_000)
        assert reader.locator(".fl-busy").is_visible()
        assert reader.evaluate("window.frontlinesTimemap.date()") == "2016-07-17"
        reader.screenshot(path=str(ARTIFACTS / "crowd-busy-phone.png"))
    finally:
        context.close()
    assert status(gated_url)["kernels"] <= 2  # bounded by the cap


def test_an_error_in_a_cell_shows_a_short_apology_not_a_traceback(tmp_path: Path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "id": "a", "metadata": {}, "source": "# A page"},
            {
                "cell_type": "code",
                "id": "b",
                "metadata": {},
                "execution_count": None,
                "outputs": [],
                "source": "secret_name_xyz = 1\n1 / 0",
            },
        ],
        "metadata": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
        "nbformat": 4,
        "nbformat_minor": 5,
    }
    path = tmp_path / "broken.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    port = free_port()
    proc = start_voila(str(path), port)
    try:
        code, _, page = fetch(f"http://127.0.0.1:{port}/", BROWSER)
    finally:
        proc.terminate()
        proc.wait(timeout=20)
    assert code == 200
    assert "Sorry: part of this page could not be shown." in page
    assert 'href="/site/"' in page
    for leak in ("Traceback", "ZeroDivisionError", "secret_name_xyz", "show_tracebacks"):
        assert leak not in page, leak
