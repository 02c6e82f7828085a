"""The static reader site in a real Chromium: served by a plain static server and opened from
``file://``, with no kernel anywhere; and the same figures as the Voila app."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pandas as pd
import pytest

from tests.browser.voila_support import ARTIFACTS, free_port, start_static
from tests.support import RANK_ONE, poisoned

pytestmark = pytest.mark.browser

WAIT_MS = 30_000


@pytest.fixture(scope="session")
def site_url(site_dir: Path) -> Iterator[str]:
    port = free_port()
    proc = start_static(site_dir, port)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        proc.terminate()
        proc.wait(timeout=20)


def open_site(page, url: str):
    page.goto(url)
    page.locator(".fl-stage path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    page.wait_for_function("() => window.frontlinesTimemap", timeout=WAIT_MS)
    return page.locator(".fl-stage")


def reach_syria(page):
    """Scroll to the Syria map's frame (made as the reader nears it; the story's blocks above
    it take their real height only as they are drawn, so its slot is what to scroll to)."""
    page.locator(".fl-syria-frame, .fl-syria iframe").first.scroll_into_view_if_needed()
    page.locator(".fl-syria iframe").wait_for(timeout=WAIT_MS)


def summary(page) -> str:
    return page.locator(".fl-summary").inner_text()


def test_the_site_renders_with_nothing_from_outside_and_the_date_steps(page, site_url):
    open_site(page, site_url)
    assert page.evaluate("window.frontlinesTimemap.date()") == "2016-09-08"
    assert page.locator(".fl-stage path.leaflet-interactive").count() > 80
    # the story's places are named on the map (once it has settled on its size)
    page.wait_for_function(
        "names => names.every(n => window.frontlinesTimemap.labels()"
        ".some(x => x.text === n && x.shown))",
        arg=[n for n in RANK_ONE if n != "Handarat"],
        timeout=WAIT_MS,
    )
    page.get_by_role("button", name="Show the day after").click()
    page.wait_for_function("() => window.frontlinesTimemap.date() === '2016-09-09'")
    assert "On 9 September 2016" in summary(page)
    page.wait_for_function("() => location.search === '?date=2016-09-09'")  # shareable
    page.screenshot(path=str(ARTIFACTS / "site-desktop.png"))
    outside = [u for u in page.requests_made if not u.startswith(("http://127.0.0.1", "data:"))]
    assert outside == []
    assert page.failed_requests == []
    assert [t for kind, t in page.console_messages if kind == "error"] == []


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("?date=2016-12-10", "2016-12-10"),
        ("?chapter=breakthrough", "2016-08-06"),
        ("#date=2016-03-05", "2016-03-05"),
        ("?date=2016-02-30", "2016-09-08"),  # not a date: the story's date
        ("?chapter=nope", "2016-09-08"),
    ],
)
def test_deep_links_open_their_date(page, site_url, query, expected):
    open_site(page, site_url + query)
    assert page.evaluate("window.frontlinesTimemap.date()") == expected


def test_chapters_keyboard_compare_and_the_syria_map_work(page, site_url):
    stage = open_site(page, site_url)
    page.get_by_role("button", name="The siege", exact=True).click()
    caption = page.locator(".fl-caption")
    caption.wait_for(state="visible", timeout=WAIT_MS)
    assert "17 July" in caption.inner_text()
    # the map is one tab stop; arrows name districts
    stage.locator(".leaflet-container").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.fl-stage .leaflet-container').dataset.cursor"
    )
    assert page.locator(".fl-stage .fl-sr[role='status']").inner_text()
    # compare: two maps with the changed districts outlined
    page.locator(".fl-compare > summary").click()
    page.locator(".fl-cmp-map").nth(1).locator("path.fl-cmp-cell").first.wait_for()
    assert re.search(r"\d+ districts changed hands", page.locator(".fl-cmp-head").inner_text())
    # the Syria map: a frame per snapshot, switched by its buttons
    reach_syria(page)
    frame = page.frame_locator(".fl-syria iframe")
    frame.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    page.get_by_role("button", name="22 December 2016", exact=True).click()
    page.wait_for_function(
        "() => document.querySelector('.fl-syria iframe').src.endsWith('2016-12-22.html')"
    )
    visible = page.locator(".fl-snapshot-caption:visible")
    assert visible.count() == 1 and "Palmyra" in visible.inner_text()


def test_what_a_reader_has_not_reached_waits(page, site_url):
    """The address a reader came by is kept until they change the view, and the Syria map's
    frame is made only when they come near it (a frame costs even when lazy)."""
    open_site(page, site_url + "?chapter=siege")
    page.wait_for_function("() => window.frontlinesTimemap.date() === '2016-07-17'")
    page.wait_for_timeout(600)  # past the address bar's delay
    assert page.evaluate("location.search") == "?chapter=siege"
    assert page.locator(".fl-syria iframe").count() == 0
    link = page.locator(".fl-syria-frame a")  # without script, a link to the map's page
    assert link.get_attribute("href") == "syria/2015-09-30.html"
    reach_syria(page)
    assert page.locator(".fl-syria-frame").count() == 0
    page.get_by_role("button", name="Show the day after").click()
    page.wait_for_function("() => location.search === '?date=2016-07-18'")


def test_the_site_works_opened_as_a_file(page, site_dir):
    open_site(page, (site_dir / "index.html").as_uri() + "?chapter=fall")
    assert page.evaluate("window.frontlinesTimemap.date()") == "2016-11-28"
    page.get_by_role("button", name="Show the day after").click()
    page.wait_for_function("() => window.frontlinesTimemap.date() === '2016-11-29'")
    assert "On 29 November 2016" in summary(page)


def test_axe_finds_no_serious_violations_in_the_site(browser, site_url):
    from axe_playwright_python.sync_playwright import Axe

    for name, size in (("laptop", (1280, 800)), ("phone", (390, 844))):
        context = browser.new_context(
            viewport={"width": size[0], "height": size[1]}, is_mobile=name == "phone"
        )
        page = context.new_page()
        try:
            open_site(page, site_url + "?chapter=siege")
            page.locator(".fl-compare > summary").click()
            results = Axe().run(page)
            bad = [
                (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
                for v in results.response["violations"]
                if v["impact"] in ("serious", "critical")
            ]
            report = ARTIFACTS / f"axe-site-{name}.txt"
            report.write_text(results.generate_report(), encoding="utf-8")
            if name == "phone":
                page.screenshot(path=str(ARTIFACTS / "site-phone.png"))
            assert bad == [], name
        finally:
            context.close()


def test_the_site_says_what_the_voila_app_says_on_twelve_dates(browser, site_url, voila_url):
    read = """() => ({
      stats: document.querySelector('.fl-stats').innerText,
      routes: document.querySelector('.fl-routes').innerText,
      summary: document.querySelector('.fl-summary').innerText,
    })"""
    pages = []
    for url in (site_url, voila_url):
        page = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
        open_site(page, url) if url == site_url else page.goto(url)
        page.locator(".fl-stage path.leaflet-interactive").first.wait_for(timeout=90_000)
        page.wait_for_function("() => window.frontlinesTimemap", timeout=90_000)
        pages.append(page)
    for month in range(1, 13):
        iso = pd.Timestamp(f"2016-{month:02d}-{2 + 2 * month:02d}").date().isoformat()
        seen = []
        for page in pages:
            page.evaluate("iso => window.frontlinesTimemap.setDate(iso)", iso)
            seen.append(page.evaluate(read))
        assert seen[0] == seen[1], iso
        assert seen[0]["summary"].startswith("On ")
    for page in pages:
        page.context.close()


def test_data_with_markup_never_runs_script_in_either_front_end(browser, tmp_path):
    import frontlines
    from frontlines.app import App
    from frontlines.site import build_site

    atlas = poisoned(frontlines.load())
    site = build_site(tmp_path / "site", atlas)
    app = App(atlas, "2016-09-08", asset_base=None)  # Leaflet embedded: no server needed
    voila_parts = tmp_path / "voila.html"
    app.show_syria()  # draws the first snapshot's map
    voila_parts.write_text(
        app.explorer.map_html()
        + app.background_display().text
        + app.syria.caption.value
        + app.syria.map.value
        + app.data.attribution.value,
        encoding="utf-8",
    )
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page = context.new_page()
        open_site(page, site.index.as_uri() + "?chapter=siege")
        page.locator(".fl-stage path.leaflet-interactive").nth(40).dispatch_event("click")
        # the district's name and its sources' titles show the markup as text
        assert "<img src=x" in page.locator(".leaflet-popup").inner_text()
        page.locator(".fl-events details summary").first.click()
        page.locator(".fl-compare > summary").click()
        page.locator(".fl-cmp-list > summary").click()
        reach_syria(page)
        page.frame_locator(".fl-syria iframe").locator("path").first.wait_for(timeout=WAIT_MS)
        page.wait_for_timeout(500)
        assert "onerror" in page.content()  # the payload is on the page, as text
        assert page.evaluate("window.__pwned") is None
        for frame in page.frames:
            assert frame.evaluate("window.__pwned") is None
        page.goto(voila_parts.as_uri())
        inner = page.frame_locator("iframe.fl-map").first
        inner.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
        inner.locator("path.leaflet-interactive").nth(40).dispatch_event("click")
        page.wait_for_timeout(500)
        for frame in page.frames:
            assert frame.evaluate("window.__pwned") is None
    finally:
        context.close()
