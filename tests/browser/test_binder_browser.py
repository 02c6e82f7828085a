"""The explainer as Binder serves it: Voila as a Jupyter Server extension, a notebook of the
repository's tree at ``<base>/voila/render/notebooks/aleppo.ipynb``, no preheated kernels."""

from __future__ import annotations

import json

import pytest

from tests.browser.test_app_browser import WAIT_MS, map_date, open_app, wait_for_summary
from tests.browser.voila_support import ARTIFACTS

pytestmark = pytest.mark.browser


def test_reader_view_under_a_base_url(page, binder_url):
    # regression: Leaflet was asked for at voila/files/<notebook>/..., refused with 403
    explorer = open_app(page, binder_url + "voila/render/notebooks/aleppo.ipynb?chapter=fall")
    assert explorer.locator("path.leaflet-interactive").count() > 80
    assert map_date(page) == "2016-11-28"
    wait_for_summary(page, "On 28 November 2016")
    assert any(
        u.endswith("/user/test/voila/templates/frontlines/static/leaflet/leaflet.js")
        for u in page.requests_made
    )
    # the Syria map (an iframe) finds Leaflet at the same address
    page.get_by_role("button", name="30 September 2015").click()
    syria = page.frame_locator("iframe.fl-map").first
    syria.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    page.screenshot(path=str(ARTIFACTS / "binder.png"))
    assert page.failed_requests == []
    outside = [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []
    assert [t for kind, t in page.console_messages if kind == "error"] == []


def test_the_gate_guards_voila_as_a_server_extension_too(binder_url):
    from tests.browser.test_crowd_browser import BROWSER, NOT_READERS, fetch, status

    def kernels() -> int:
        return len(json.loads(fetch(binder_url + "api/kernels", BROWSER)[2]))

    page = binder_url + "voila/render/notebooks/aleppo.ipynb"
    before = kernels()
    for ua in NOT_READERS:
        code, where, _ = fetch(page + "?date=2016-07-17", ua)
        assert code == 302 and where.endswith("/user/test/site/?date=2016-07-17"), ua
    assert kernels() == before  # no kernel for crawlers and previews
    assert fetch(binder_url + "site/", NOT_READERS[0])[0] == 200  # the static site beside it
    # readers get kernels up to the cap (no pool here), then the static site and a note
    while kernels() < 2:
        code, _, body = fetch(page, BROWSER)
        assert code == 200 and "fl-inline-map" in body
    code, where, _ = fetch(page + "?chapter=fall", BROWSER)
    assert code == 302 and where.endswith("/user/test/site/?chapter=fall&busy=1")
    assert kernels() == 2 and status(binder_url)["max_kernels"] == 2
