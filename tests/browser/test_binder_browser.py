"""The explainer as Binder serves it: Voila as a Jupyter Server extension, a notebook of the
repository's tree at ``<base>/voila/render/notebooks/aleppo.ipynb``, no preheated kernels."""

from __future__ import annotations

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
