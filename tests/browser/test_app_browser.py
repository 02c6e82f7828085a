"""The explainer in a real Chromium, served by Voila: offline, keyboard, phone, deep links."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from tests.browser.voila_support import ARTIFACTS
from tests.support import RANK_ONE

pytestmark = pytest.mark.browser

WAIT_MS = 90_000


def open_app(page, url: str):
    """Load the app and wait for the explorer map to draw; return the map's locator."""
    page.goto(url)
    explorer = page.locator(".fl-inline-map")
    explorer.locator("path.leaflet-interactive").first.wait_for(timeout=WAIT_MS)
    # the panel starts in the task after the map's first paint
    page.wait_for_function("() => window.frontlinesTimemap", timeout=WAIT_MS)
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
    assert page.locator(".fl-inline-map .fl-panel").count() == 1  # in the page, not an iframe
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


def test_panel_opens_on_the_linked_date_and_works_without_the_kernel(page, voila_url):
    # No kernel connection: the widgets never load, but the map reads the link itself.
    page.route_web_socket(re.compile(r"/api/kernels/"), lambda ws: None)
    open_app(page, voila_url + "?chapter=siege")
    assert map_date(page) == "2016-07-17"
    route = page.locator(".fl-inline-map path.leaflet-interactive[stroke-dasharray='2 8']")
    assert route.count() >= 1  # Castello Road drawn as cut
    # the whole panel works without a kernel: figures, summary, play
    wait_for_summary(page, "On 17 July 2016")
    assert "Besieged: day 1" in page.locator(".fl-stats").inner_text()
    page.get_by_role("button", name="Show the day after").click()
    wait_for_summary(page, "On 18 July 2016")
    assert (
        page.locator(
            ".fl-sync-"
            + page.evaluate("document.querySelector('.fl-panel').dataset.view")
            + " input"
        ).count()
        == 0
    )
    # (no widgets: the kernel really was out of reach)


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
    page.wait_for_function("() => window.frontlinesTimemap", timeout=WAIT_MS)
    assert map_date(page) == expected
    assert page.title() == "Aleppo on " + pd.Timestamp(expected).strftime("%-d %B %Y")


def test_keyboard_step_changes_map_and_stats_and_keeps_zoom(page, voila_url):
    explorer = open_app(page, voila_url + "?date=2016-07-16")
    wait_for_summary(page, "was not besieged")
    explorer.locator(".leaflet-control-zoom-in").click()
    page.wait_for_timeout(600)
    zoom = page.evaluate("window.frontlinesTimemap.zoom()")
    slider = page.locator(".fl-slider")
    slider.focus()
    page.keyboard.press("ArrowRight")
    wait_for_summary(page, "On 17 July 2016")
    wait_for_summary(page, "was besieged: day 1")
    assert slider.get_attribute("aria-valuetext") == "17 July 2016"
    page.wait_for_function("() => window.frontlinesTimemap.date() === '2016-07-17'")
    assert page.evaluate("window.frontlinesTimemap.zoom()") == zoom
    route = explorer.locator("path.leaflet-interactive[stroke-dasharray='2 8']")
    assert route.count() >= 1  # Castello Road now drawn as cut
    assert "Besieged: day 1" in page.locator(".fl-stats").inner_text()


def test_keyboard_path_through_chapters(page, voila_url):
    open_app(page, voila_url)
    page.get_by_role("button", name="The north cut", exact=True).focus()
    page.keyboard.press("Tab")
    page.keyboard.press("Enter")  # "The siege"
    wait_for_summary(page, "On 17 July 2016")
    page.get_by_role("button", name="Show the day after").focus()
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


def test_choosing_an_event_jumps_to_its_date_and_keeps_the_list(page, voila_url):
    open_app(page, voila_url + "?date=2016-09-10")
    wait_for_summary(page, "On 10 September 2016")
    events = page.locator(".fl-events li button")
    before = events.all_inner_texts()
    label = before[0]
    day = re.match(r"^(\d+ \w+ 2016):", label).group(1)
    events.first.focus()
    page.keyboard.press("Enter")
    wait_for_summary(page, f"On {day}")
    assert events.all_inner_texts() == before  # the list stays put
    assert page.locator(".fl-events li[aria-current='true']").count() >= 1


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
        # the first screen shows the city's districts
        seen = page.evaluate(
            "[...document.querySelectorAll('.fl-stage path.leaflet-interactive')].filter(p => {"
            " const r = p.getBoundingClientRect(); return r.width > 4 && r.bottom > 0 &&"
            " r.top < innerHeight && r.right > 0 && r.left < innerWidth; }).length"
        )
        assert seen >= 20
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


# ---------------------------------------------------------------- the reader panel

LABEL_BOXES = """() => [...document.querySelectorAll('.fl-label[data-shown]')].map(l => {
  const r = l.getBoundingClientRect();
  return {text: l.textContent, x0: r.left, y0: r.top, x1: r.right, y1: r.bottom};
})"""
IN_VIEW = """(box) => { const m = document.querySelector('.fl-stage').getBoundingClientRect();
  return box.x1 > m.left && box.x0 < m.right && box.y1 > m.top && box.y0 < m.bottom; }"""


def _overlapping(boxes):
    out = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            # a turned label's box is its axis-aligned hull: allow a few pixels of corner
            w = min(a["x1"], b["x1"]) - max(a["x0"], b["x0"])
            h = min(a["y1"], b["y1"]) - max(a["y0"], b["y0"])
            if w > 3 and h > 3:
                out.append((a["text"], b["text"]))
    return out


def _set_zoom(page, zoom: int) -> None:
    page.evaluate(f"window.frontlinesTimemap.map().setZoom({zoom}, {{animate: false}})")
    page.wait_for_function(f"() => window.frontlinesTimemap.zoom() === {zoom}")
    page.wait_for_timeout(150)


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_labels_name_the_key_places_and_never_overlap(browser, voila_url, viewport):
    w, h = viewport
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=w < 600)
    page = context.new_page()
    try:
        open_app(page, voila_url + "?date=2016-09-08")
        page.locator(".fl-stage").scroll_into_view_if_needed()
        page.wait_for_timeout(500)
        name = "laptop" if w > 600 else "phone"
        page.screenshot(path=str(ARTIFACTS / f"labels-{name}.png"))
        assert page.locator(".fl-label[tabindex], .fl-label-anchor[tabindex]").count() == 0
        for zoom in range(11, 17):
            _set_zoom(page, zoom)
            boxes = page.evaluate(LABEL_BOXES)
            assert _overlapping(boxes) == [], zoom
            shown = {b["text"] for b in boxes}
            if zoom == 11:
                assert len(shown & set(RANK_ONE)) >= 6, shown
            if zoom >= 12:
                # every rank-1 label whose place is in view is shown
                page.evaluate("window.frontlinesTimemap.map().setView([36.205, 37.155])")
                page.wait_for_timeout(150)
                boxes = page.evaluate(LABEL_BOXES)
                assert _overlapping(boxes) == [], zoom
                state = page.evaluate("window.frontlinesTimemap.labels()")
                due = {x["text"] for x in state if x["rank"] == 1 and x["inView"]}
                shown = {x["text"] for x in state if x["shown"]}
                assert due <= shown, (zoom, due - shown)
                if zoom == 12 and w > 600:
                    assert set(RANK_ONE) <= due  # the laptop shows the whole city
            state = page.evaluate("window.frontlinesTimemap.labels()")
            minor = {x["text"] for x in state if x["rank"] >= 2 and x["shown"]}
            if zoom <= 12:
                assert minor == set(), zoom  # only the key places on the whole city
            if zoom >= 14:  # more district names as one zooms in (fewer fit in view)
                assert len(minor) >= (8 if zoom == 14 else 3), (zoom, minor)
        page.screenshot(path=str(ARTIFACTS / f"labels-{name}-z16.png"))
    finally:
        context.close()


@pytest.mark.parametrize("viewport", [(1280, 800), (390, 844)], ids=["laptop", "phone"])
def test_date_play_and_slider_are_on_screen_with_the_map(browser, voila_url, viewport):
    w, h = viewport
    context = browser.new_context(viewport={"width": w, "height": h}, is_mobile=w < 600)
    page = context.new_page()
    try:
        open_app(page, voila_url)
        in_viewport = (
            "sel => { const r = document.querySelector(sel).getBoundingClientRect();"
            " return r.top >= 0 && r.bottom <= innerHeight && r.height > 0; }"
        )
        for block in ("start", "center", "end"):
            page.evaluate(
                "b => document.querySelector('.fl-stage').scrollIntoView({block: b})", block
            )
            page.wait_for_timeout(200)
            for sel in (".fl-play", ".fl-slider", ".fl-date"):
                assert page.evaluate(in_viewport, sel), (block, sel)
        page.screenshot(path=str(ARTIFACTS / f"controls-{w}.png"))
    finally:
        context.close()


def test_chapter_shows_its_caption_and_highlights_what_changed(page, voila_url):
    open_app(page, voila_url)
    page.get_by_role("button", name="The siege", exact=True).click()
    wait_for_summary(page, "On 17 July 2016")
    caption = page.locator(".fl-caption")
    caption.wait_for(state="visible")
    assert "17 July" in caption.inner_text()
    lit = page.locator(".fl-stage path[stroke='#ffd400']")
    assert lit.count() >= 1  # Castello Road, cut that day, is highlighted
    assert (
        page.get_by_role("button", name="The siege", exact=True).get_attribute("aria-current")
        == "true"
    )
    page.screenshot(path=str(ARTIFACTS / "chapter-siege.png"))
    page.get_by_role("button", name="Show the day after").click()
    wait_for_summary(page, "On 18 July 2016")
    assert caption.is_hidden()


def test_play_stops_at_the_next_chapter(page, voila_url):
    open_app(page, voila_url + "?date=2016-07-10")
    wait_for_summary(page, "On 10 July 2016")
    page.locator(".fl-speed").select_option("2")
    page.locator(".fl-play").click()
    page.wait_for_function(
        "() => document.querySelector('.fl-panel').dataset.stoppedAt === 'siege'",
        timeout=WAIT_MS,
    )
    assert map_date(page) == "2016-07-17"
    assert page.evaluate("window.frontlinesTimemap.playing()") is False
    assert page.locator(".fl-play").get_attribute("aria-pressed") == "false"
    page.locator(".fl-play").click()  # goes on from the chapter
    page.wait_for_function("() => window.frontlinesTimemap.date() > '2016-07-18'")
    page.locator(".fl-play").click()  # pause: stops where it is
    stopped = map_date(page)
    page.wait_for_timeout(400)
    assert map_date(page) == stopped


def test_reduced_motion_play_steps_to_the_next_chapter(browser, voila_url):
    context = browser.new_context(reduced_motion="reduce", viewport={"width": 1280, "height": 800})
    page = context.new_page()
    try:
        open_app(page, voila_url + "?date=2016-07-10")
        wait_for_summary(page, "On 10 July 2016")
        play = page.locator(".fl-play")
        assert "Next chapter" in play.inner_text()
        play.click()
        wait_for_summary(page, "On 17 July 2016")
        page.wait_for_timeout(500)
        assert map_date(page) == "2016-07-17"  # no motion beyond the jump
    finally:
        context.close()


def test_address_bar_follows_the_date_and_the_kernel_follows_the_panel(page, voila_url):
    open_app(page, voila_url + "?chapter=siege")
    wait_for_summary(page, "On 17 July 2016")
    page.locator(".fl-slider").focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function("() => location.search.includes('date=2016-07-18')")
    assert "chapter" not in page.evaluate("location.search")
    # the kernel has heard the date: the download is of 18 July
    page.get_by_role("button", name="Download the data shown").click()
    link = page.locator(".fl-downloads a").first
    link.wait_for(timeout=WAIT_MS)
    assert link.get_attribute("download") == "aleppo-2016-07-18.geojson"


def test_slider_names_the_date_in_words(page, voila_url):
    open_app(page, voila_url + "?date=2016-12-22")
    wait_for_summary(page, "On 22 December 2016")
    text = page.locator(".fl-slider").get_attribute("aria-valuetext")
    assert re.fullmatch(
        r"\d{1,2} (January|February|March|April|May|June|July|August|"
        r"September|October|November|December) 2016",
        text,
    ), text


def test_panel_text_equals_the_python_figures_on_twelve_dates(page, voila_url, atlas):
    from frontlines.views.explorer import ExplorerView

    view = ExplorerView(atlas, captions={})
    open_app(page, voila_url)
    for month in range(1, 13):
        when = pd.Timestamp(f"2016-{month:02d}-{3 + 2 * month:02d}")
        day = int((when - pd.Timestamp("2016-01-01")).days)
        js = page.evaluate(f"window.frontlinesTimemap.sentence({day})")
        assert js == view.figures(when)["sentence"], when


def test_the_map_is_one_tab_stop_and_arrow_keys_move_between_named_districts(page, voila_url):
    open_app(page, voila_url + "?date=2016-09-08")
    stage = page.locator(".fl-stage")
    # no district or label is a tab stop: only the map itself and Leaflet's own controls
    focusable = stage.locator("path[tabindex], .fl-label[tabindex], [tabindex='0']")
    assert focusable.count() == 1
    assert stage.locator(".leaflet-container").get_attribute("tabindex") == "0"
    stage.locator(".leaflet-container").focus()
    said = stage.locator(".fl-sr[role='status']")
    names, kinds = [], set()
    keys = ["ArrowRight", "ArrowRight", "ArrowDown", "ArrowLeft"] + ["ArrowUp"] * 6
    keys += ["ArrowLeft"] * 4 + ["ArrowDown"] * 8
    for key in keys:
        page.keyboard.press(key)
        page.wait_for_function(
            "n => document.querySelector('.fl-stage .fl-sr[role=status]').textContent"
            " && document.querySelector('.fl-stage .leaflet-container').dataset.cursor !== n",
            arg=names[-1] if names else "",
        )
        box = stage.locator(".leaflet-container")
        names.append(box.get_attribute("data-cursor"))
        kind = box.get_attribute("data-cursor-kind")
        kinds.add(kind)
        if kind != "site":  # districts and routes are said with the date
            assert said.inner_text().endswith(", 8 September 2016")
    assert len(set(names)) >= 8  # each arrow reached another district, place or route
    assert kinds == {"cell", "site", "route"}
    page.keyboard.press("ArrowRight")  # one more step, then open its details
    zoom = page.evaluate("window.frontlinesTimemap.zoom()")
    assert page.evaluate("window.frontlinesTimemap.date()") == "2016-09-08"
    page.keyboard.press("Enter")
    popup = stage.locator(".fl-popup")
    popup.wait_for(timeout=WAIT_MS)
    assert said.inner_text().split(":")[0] in popup.inner_text()
    assert page.evaluate("window.frontlinesTimemap.zoom()") == zoom  # arrows did not zoom


def test_on_a_phone_details_open_in_a_sheet_that_leaves_the_controls_free(browser, voila_url):
    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_app(page, voila_url + "?date=2016-12-10")
        page.locator(".fl-stage").scroll_into_view_if_needed()
        page.locator(".fl-stage path.leaflet-interactive").nth(30).dispatch_event("click")
        sheet = page.locator(".fl-sheet")
        sheet.wait_for(state="visible", timeout=WAIT_MS)
        text = sheet.locator(".fl-popup").inner_text()
        assert "Confidence: " in text and "Sources:" in text
        assert page.locator(".leaflet-popup").count() == 0  # no floating popup on a phone
        page.screenshot(path=str(ARTIFACTS / "phone-sheet.png"))
        bar_top = page.evaluate("document.querySelector('.fl-bar').getBoundingClientRect().top")
        assert sheet.bounding_box()["y"] + sheet.bounding_box()["height"] <= bar_top + 1
        # content that arrives late above the map (Voila renders cells as they run) pushes the
        # map under the sticky bar without a scroll: the sheet still ends above the bar
        page.evaluate(
            "() => { const d = document.createElement('div'); d.style.height = '99px';"
            " const p = document.querySelector('.fl-panel'); p.parentNode.insertBefore(d, p); }"
        )
        page.wait_for_function(
            "() => document.querySelector('.fl-sheet').getBoundingClientRect().bottom"
            " <= document.querySelector('.fl-bar').getBoundingClientRect().top + 1",
            timeout=2000,
        )
        for sel in (".fl-play", ".fl-slider"):
            hit = page.evaluate(
                "s => { const n = document.querySelector(s), b = n.getBoundingClientRect();"
                " const e = document.elementFromPoint(b.left + b.width / 2, b.top + b.height / 2);"
                " return e === n || n.contains(e) ? '' :"
                " [e && e.outerHTML.slice(0, 200), JSON.stringify(b), window.innerHeight]; }",
                sel,
            )
            assert not hit, (sel, hit)  # the sheet never covers the date controls
        page.get_by_role("button", name="Close").last.click()
        assert sheet.is_hidden()
        # a chapter's caption gives way to the details while they are open
        page.get_by_role("button", name="The fall", exact=True).click()
        caption = page.locator(".fl-caption")
        caption.wait_for(state="visible", timeout=WAIT_MS)
        page.locator(".fl-stage path.leaflet-interactive").nth(30).dispatch_event("click")
        sheet.wait_for(state="visible", timeout=WAIT_MS)
        assert caption.is_hidden()
        page.get_by_role("button", name="Close").last.click()
        assert caption.is_visible()
    finally:
        context.close()


def test_axe_finds_no_serious_violations_on_a_phone(browser, voila_url):
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    try:
        open_app(page, voila_url + "?chapter=fall")
        wait_for_summary(page, "On 28 November 2016")
        results = Axe().run(page)
        bad = [
            (v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
            for v in results.response["violations"]
            if v["impact"] in ("serious", "critical")
        ]
        (ARTIFACTS / "axe-phone.txt").write_text(results.generate_report(), encoding="utf-8")
        assert bad == []
    finally:
        context.close()


def test_compare_in_the_panel_draws_both_dates_and_counts_as_python_does(page, voila_url, atlas):
    from frontlines.changes import changed_hands, flow_counts
    from frontlines.maps import format_date
    from frontlines.text import t

    # the panel's compare needs no kernel (the static site ships the same panel)
    page.route_web_socket(re.compile(r"/api/kernels/"), lambda ws: None)
    open_app(page, voila_url)
    page.locator(".fl-compare > summary").click()
    maps = page.locator(".fl-cmp-map")
    maps.nth(1).locator("path").first.wait_for(timeout=WAIT_MS)
    assert [maps.nth(i).get_attribute("data-date") for i in range(2)] == [
        "2016-07-17",
        "2016-12-22",
    ]
    text = page.locator(".fl-compare").inner_text()
    assert "From: 17 July 2016" in text and "To: 22 December 2016" in text
    assert re.search(r"\d+ districts went from Rebels to Government and allies", text)
    boxes = [maps.nth(i).bounding_box() for i in range(2)]
    assert boxes[0]["y"] == boxes[1]["y"] and boxes[0]["x"] < boxes[1]["x"]  # side by side
    assert boxes[0]["width"] > 300
    # the changed districts are outlined on both maps, and listed by name
    changed = changed_hands(atlas, "2016-07-17", "2016-12-22")
    for i in range(2):
        assert maps.nth(i).locator("path.fl-cmp-cell[stroke-width='3']").count() == len(changed)
    page.locator(".fl-cmp-list > summary").click()
    names = page.locator(".fl-cmp-table tbody th").all_inner_texts()
    assert sorted(names) == sorted(changed["name"])
    page.locator(".fl-compare").scroll_into_view_if_needed()
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=False)

    # the browser's counts are Python's, on pairs across the year and in both directions
    pairs = [
        ("2016-01-10", "2016-02-20"),
        ("2016-07-01", "2016-09-10"),
        ("2016-08-06", "2016-08-01"),
        ("2016-11-25", "2016-12-15"),
        ("2016-03-01", "2016-03-01"),
    ]
    for a, b in pairs:
        got = page.evaluate(
            """([a, b]) => {
          window.frontlinesTimemap.compare.set(a, b);
          const box = document.querySelector('.fl-compare');
          return {
            flows: [...box.querySelectorAll('.fl-cmp-flows li')].map(
              li => [li.dataset.before, li.dataset.after, +li.dataset.count]),
            ids: [...box.querySelectorAll('.fl-cmp-table tbody tr')].map(tr => tr.dataset.id),
            head: box.querySelector('.fl-cmp-head').textContent,
            notice: !box.querySelector('.fl-cmp-notice').hidden,
          };
        }""",
            [a, b],
        )
        ch = changed_hands(atlas, a, b)
        assert {(x, y): n for x, y, n in got["flows"]} == flow_counts(ch), (a, b)
        assert got["ids"] == list(ch.index), (a, b)  # in the same order
        da, db = pd.Timestamp(a), pd.Timestamp(b)
        head = t("ui.changed", count=len(ch), a=format_date(da), b=format_date(db))
        assert got["head"] == head
        assert got["notice"] == (da > db)
    # the sliders work from the keyboard and say their date in words
    frm = page.locator(".fl-cmp-a")
    frm.focus()
    page.keyboard.press("ArrowRight")
    page.wait_for_function(
        "() => document.querySelector('.fl-cmp-a').getAttribute('aria-valuetext')"
        " === '2 March 2016'"
    )


def test_a_chapter_link_opens_fitted_to_what_changed(page, voila_url):
    open_app(page, voila_url + "?chapter=siege")
    wait_for_summary(page, "On 17 July 2016")
    page.wait_for_timeout(1500)  # past the host's layout, which once refitted the whole city
    out = page.evaluate(
        """() => {
      const stage = document.querySelector('.fl-stage .leaflet-container').getBoundingClientRect();
      const lit = [...document.querySelectorAll(
        '.fl-stage path[stroke-width="3.5"], .fl-stage path[stroke="#ffd400"]')];
      return [lit.length, lit.filter(p => { const r = p.getBoundingClientRect();
        return r.right < stage.left || r.left > stage.right || r.bottom < stage.top
          || r.top > stage.bottom; }).length];
    }"""
    )
    assert out[0] >= 2 and out[1] == 0, out  # what changed (Castello Road, Mallah) is in view
    assert page.evaluate("window.frontlinesTimemap.zoom()") >= 13  # closer than the city
