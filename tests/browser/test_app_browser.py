"""The explainer in a real Chromium, served by Voila: offline, keyboard, phone, deep links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.browser.voila_support import ARTIFACTS

pytestmark = pytest.mark.browser

WAIT_MS = 90_000


def open_app(page, url: str):
    """Load the app and wait for the explorer map to draw; return the map's locator."""
    page.goto(url)
    explorer = page.locator(".fl-inline-map")
    explorer.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    return explorer


def map_date(page) -> str:
    return page.evaluate("window.frontlinesTimemap.date()")


def wait_for_summary(page, text: str) -> None:
    page.wait_for_function(
        "t => [...document.querySelectorAll('.fl-summary')].some(e => e.innerText.includes(t))",
        arg=text,
        timeout=WAIT_MS,
    )


def test_loads_offline_with_polygons_and_no_outside_requests(page, voila_url):
    explorer = open_app(page, voila_url + "?date=2016-09-10")
    assert explorer.locator("path.leaflet-interactive").count() > 80
    wait_for_summary(page, "On 10 September 2016")
    page.screenshot(path=str(ARTIFACTS / "app-desktop.png"))
    outside = [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []
    assert page.failed_requests == []
    errors = [t for kind, t in page.console_messages if kind == "error"]
    assert errors == []


def test_map_is_in_the_page_with_leaflet_served_locally(page, voila_url):
    explorer = open_app(page, voila_url)
    assert explorer.locator(".leaflet-control-scale").count() == 1
    assert page.locator("iframe.fl-map").count() == 0  # the explorer is not an iframe
    html = page.request.get(voila_url).text()  # the page as served, before any script ran
    start = html.index('<div class="fl-inline-map"')
    fragment = html[start : html.index("</script></div>", start)]
    leaflet = "/voila/templates/frontlines/static/leaflet/leaflet.js"
    assert f'<script src="{leaflet}"></script>' in fragment
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
    assert len(fragment.encode()) < 300_000
    assert "user-scalable=no" not in html  # folium's page-level viewport is left out
    assert any(u.endswith(leaflet) for u in page.requests_made)
    # fitted to the city once Voila shows the page, although drawn while it was hidden
    assert page.evaluate("window.frontlinesTimemap.zoom()") >= 11
    box = explorer.bounding_box()
    assert box["width"] > 600 and box["height"] >= 360


def test_map_opens_on_the_linked_date_without_the_kernel(page, voila_url):
    # No kernel connection: the widgets never load, but the map reads the link itself.
    page.route_web_socket(re.compile(r"/api/kernels/"), lambda ws: None)
    open_app(page, voila_url + "?chapter=siege")
    assert map_date(page) == "2016-07-17"
    route = page.locator(".fl-inline-map path.leaflet-interactive[stroke-dasharray='2 8']")
    assert route.count() >= 1  # Castello Road drawn as cut
    page.wait_for_timeout(2_000)
    assert page.locator(".fl-summary").count() == 0  # the kernel really was out of reach


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?chapter=fall", "2016-11-28"),
        ("?date=2016-12-22", "2016-12-22"),
        ("?date=2016-02-30", "2016-09-08"),  # not a real date: the page's own date
        ("?date=2017-01-01", "2016-09-08"),  # outside 2016
        ("?chapter=nope&date=2016-05-05", "2016-09-08"),  # a bad chapter wins, as in the app
        ("?chapter=%3Cscript%3E", "2016-09-08"),
        ("", "2016-09-08"),
    ],
)
def test_map_as_its_own_page_reads_the_link(page, standalone_map, query, expected):
    """The explorer as a page of its own (as a static build will publish it), no server."""
    page.goto(standalone_map.as_uri() + query + "#date=2016-09-08&view=x")
    page.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    assert map_date(page) == expected
    assert page.title() == "Aleppo on " + pd.Timestamp(expected).strftime("%-d %B %Y")


def test_keyboard_step_changes_map_and_stats_and_keeps_zoom(page, voila_url):
    explorer = open_app(page, voila_url + "?date=2016-07-16")
    wait_for_summary(page, "was not besieged")
    explorer.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = page.evaluate("window.frontlinesTimemap.zoom()")
    page.locator(".widget-slider .noUi-handle").first.focus()
    page.keyboard.press("ArrowRight")
    wait_for_summary(page, "On 17 July 2016")
    wait_for_summary(page, "was besieged: day 1")
    page.wait_for_function("() => window.frontlinesTimemap.date() === '2016-07-17'")
    assert page.evaluate("window.frontlinesTimemap.zoom()") == zoom
    route = explorer.locator("path.leaflet-interactive[stroke-dasharray='2 8']")
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
    day = pd.Timestamp(expected.removeprefix("On ")).date().isoformat()
    assert map_date(page) == day
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
    explorer = open_app(page, voila_url + "?date=2016-09-10")
    explorer.locator("path.leaflet-interactive").nth(40).dispatch_event("click")
    popup = explorer.locator(".fl-popup")
    popup.wait_for(timeout=WAIT_MS)
    text = popup.inner_text()
    assert "Sources:" in text and "Confidence:" in text
    assert popup.locator("a[href^='http']").count() >= 1


def test_popup_cites_publisher_title_date_and_tags_partisan_outlets(page, voila_url):
    explorer = open_app(page, voila_url + "?date=2016-12-10")
    cells = explorer.locator("path.leaflet-interactive")
    popup = explorer.locator(".fl-popup")
    tagged = None
    for i in range(cells.count()):
        cells.nth(i).dispatch_event("click")
        popup.wait_for(timeout=WAIT_MS)
        if popup.locator(".fl-src-tag").count():
            tagged = popup
            break
    assert tagged is not None, "no popup on 10 Dec shows a state or partisan source"
    cite = tagged.locator(".fl-src").filter(has=page.locator(".fl-src-tag")).first
    text = cite.inner_text()
    # Publisher (agency), “Title”, date [tag]: the title links to the original
    assert re.match(r"^[^,“]+(\([^)]+\))?, “.+”, ", text), text
    assert re.search(r"\d{4}", text) and not text.startswith("http")
    assert cite.locator("a[href^='http']").first.inner_text() in text
    tag = cite.locator(".fl-src-tag").inner_text()
    assert re.search(r"state media|pro-|government|aligned|leaning|owned", tag), tag
    page.screenshot(path=str(ARTIFACTS / "popup-sources.png"))


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
            "document.querySelector('.fl-inline-map').getBoundingClientRect().width"
        )
        assert map_width >= 0.6 * 390
        # regression: "Download the data shown" was cut to "Download the data ..."
        clipped = page.evaluate(
            "[...document.querySelectorAll('button')].filter(b => b.offsetWidth > 0 &&"
            " b.scrollWidth > b.clientWidth + 1).map(b => b.textContent)"
        )
        assert clipped == []
    finally:
        context.close()
