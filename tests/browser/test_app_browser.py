"""The explainer in a real Chromium, served by Voila: offline, keyboard, phone, deep links."""

from __future__ import annotations

import re

import pytest

from tests.browser.voila_support import ARTIFACTS

pytestmark = pytest.mark.browser

WAIT_MS = 90_000


def open_app(page, url: str):
    """Load the app and wait for the explorer map to draw; return the map's frame."""
    page.goto(url)
    page.wait_for_selector("iframe.fl-map", timeout=WAIT_MS)
    frame = page.frame_locator("iframe.fl-map").first
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    return frame


def explorer(page):
    """The frame of the explorer map (the one running the timemap script)."""
    for f in page.frames[1:]:
        if f.evaluate("!!window.frontlinesTimemap"):
            return f
    raise AssertionError("no explorer map frame")


def wait_for_summary(page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('.fl-summary')].some(e => e.innerText.includes(t))",
        arg=text,
        timeout=WAIT_MS,
    )


def test_loads_offline_with_polygons_and_no_outside_requests(page, voila_url):
    frame = open_app(page, voila_url + "?date=2016-09-10")
    assert frame.locator("path.leaflet-interactive").count() > 80
    wait_for_summary(page, "On 10 September 2016")
    page.screenshot(path=str(ARTIFACTS / "app-desktop.png"))
    outside = [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []
    assert page.failed_requests == []
    errors = [t for kind, t in page.console_messages if kind == "error"]
    assert errors == []


def test_map_page_and_leaflet_are_served_locally_as_files(page, voila_url):
    frame = open_app(page, voila_url)
    assert frame.locator(".leaflet-control-scale").count() == 1
    src = page.locator("iframe.fl-map").first.get_attribute("src")
    assert src.startswith("/voila/files/static/explorer-") and "#date=2016-09-08&view=" in src
    html = page.request.get(voila_url.rstrip("/") + src.split("#")[0]).text()
    assert '<script src="leaflet/leaflet.js"></script>' in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert len(html.encode()) < 300_000
    assert any(u.endswith("/static/leaflet/leaflet.js") for u in page.requests_made)


def test_keyboard_step_changes_map_and_stats_and_keeps_zoom(page, voila_url):
    frame = open_app(page, voila_url + "?date=2016-07-16")
    wait_for_summary(page, "was not besieged")
    frame.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = explorer(page).evaluate("window.frontlinesTimemap.zoom()")
    page.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    wait_for_summary(page, "On 17 July 2016")
    wait_for_summary(page, "was besieged: day 1")
    explorer(page).wait_for_function("() => window.frontlinesTimemap.date() === '2016-07-17'")
    assert explorer(page).evaluate("window.frontlinesTimemap.zoom()") == zoom
    route = frame.locator("path.leaflet-interactive[stroke-dasharray='2 8']")
    assert route.count() >= 1  # Castello Road now drawn as cut


def test_keyboard_path_through_chapters(page, voila_url):
    open_app(page, voila_url)
    page.get_by_role("button", name="The north cut").focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "The siege"
    wait_for_summary(page, "On 17 July 2016")
    page.get_by_role("button", name="Day after ▶").focus()
    page.keyboard.press("Enter")
    wait_for_summary(page, "On 18 July 2016")


@pytest.mark.parametrize(
    ("query", "expected", "notice"),
    [
        ("?chapter=fall", "On 28 November 2016", None),
        ("?date=2016-12-22", "On 22 December 2016", None),
        ("?date=2016-02-30", "On 8 September 2016", "2016-02-30"),
        ("?chapter=<script>", "On 8 September 2016", "<script>"),
    ],
)
def test_deep_links(page, voila_url, query, expected, notice):
    open_app(page, voila_url + query)
    wait_for_summary(page, expected)
    alerts = page.locator(".fl-notice")
    if notice:
        assert notice in alerts.first.inner_text()
    else:
        assert alerts.count() == 0


def test_choosing_an_event_jumps_to_its_date(page, voila_url):
    open_app(page, voila_url + "?date=2016-09-10")
    wait_for_summary(page, "On 10 September 2016")
    events = page.locator(".widget-select select").first
    # ipywidgets shows option text with non-breaking spaces
    label = events.locator("option").first.inner_text().replace("\xa0", " ")
    day = re.match(r"^(\d+ \w+ 2016):", label).group(1)
    events.focus()
    events.select_option(index=0)
    wait_for_summary(page, f"On {day}")


def test_district_popup_shows_sources(page, voila_url):
    frame = open_app(page, voila_url + "?date=2016-09-10")
    frame.locator("path.leaflet-interactive").nth(40).dispatch_event("click")
    popup = frame.locator(".fl-popup")
    popup.wait_for(timeout=WAIT_MS)
    text = popup.inner_text()
    assert "Sources:" in text and "Confidence:" in text
    assert popup.locator("a[href^='http']").count() >= 1


def test_axe_finds_no_serious_violations(page, voila_url):
    from axe_playwright_python.sync_playwright import Axe

    open_app(page, voila_url)
    wait_for_summary(page, "On 8 September 2016")
    results = Axe().run(page)
    bad = [
        (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
        for v in results.response["violations"]
        if v["impact"] in ("serious", "critical")
    ]
    (ARTIFACTS / "axe.txt").write_text(results.generate_report(), encoding="utf-8")
    assert bad == []


def test_phone_layout(browser, voila_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_app(page, voila_url + "?chapter=siege")
        wait_for_summary(page, "On 17 July 2016")
        page.screenshot(path=str(ARTIFACTS / "app-phone.png"))
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 390
        map_width = page.evaluate(
            "document.querySelector('iframe.fl-map').getBoundingClientRect().width"
        )
        assert map_width >= 0.6 * 390
    finally:
        context.close()
