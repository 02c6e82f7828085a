"""The explainer in a real Chromium, served by Voila: it loads offline and shows the map."""

from __future__ import annotations

import pytest

from tests.browser.voila_support import ARTIFACTS

pytestmark = pytest.mark.browser

MAP_TIMEOUT_MS = 90_000


def map_frame(page):
    """Wait for the map iframe to draw its district polygons; return the frame."""
    page.wait_for_selector("iframe[srcdoc]", timeout=MAP_TIMEOUT_MS)
    frame = page.frame_locator("iframe[srcdoc]").first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=MAP_TIMEOUT_MS)
    return frame


def test_loads_offline_with_polygons(page, voila_url):
    page.goto(voila_url + "?date=2016-09-10")
    frame = map_frame(page)
    assert frame.locator("path.leaflet-interactive").count() > 80
    assert "10 September 2016" in page.content()
    page.screenshot(path=str(ARTIFACTS / "app-desktop.png"))
    errors = [t for kind, t in page.console_messages if kind == "error"]
    # The only failures allowed are outside requests that the offline machine refuses.
    outside = [u for u in page.failed_requests if not u.startswith("http://127.0.0.1")]
    local = [u for u in page.failed_requests if u.startswith("http://127.0.0.1")]
    assert local == []
    assert len(errors) <= len(outside), errors
    assert "tile.openstreetmap.org" not in " ".join(page.failed_requests)


def test_leaflet_is_served_locally(page, voila_url):
    page.goto(voila_url)
    frame = map_frame(page)
    assert frame.locator(".leaflet-control-scale").count() == 1
    html = page.locator("iframe[srcdoc]").first.get_attribute("srcdoc")
    assert "/voila/files/static/leaflet/leaflet.js" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html


def test_slider_step_changes_map_and_stats(page, voila_url):
    page.goto(voila_url + "?date=2016-07-16")
    map_frame(page)
    stats = page.get_by_role("status").first
    assert "not besieged" in stats.inner_text()
    page.locator(".widget-slider .ui-slider-handle, .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => [...document.querySelectorAll('[role=status]')].some("
        "e => e.innerText.includes('is besieged'))",
        timeout=MAP_TIMEOUT_MS,
    )
    assert "17 July 2016" in page.content()
