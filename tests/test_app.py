"""The App without a browser: set widget values, assert on state and rendered HTML."""

from __future__ import annotations

import base64
import html
import io
import json
import re
import zipfile

import pandas as pd
import pytest

import frontlines
from frontlines.app import CHAPTERS, DEFAULT_DATE, App, asset_base_from_env, date_from_query
from frontlines.changes import flow_counts
from frontlines.embed import FRAGMENT_MIME


@pytest.fixture
def app(good_atlas: frontlines.Atlas) -> App:
    return App(good_atlas, "2016-07-16", asset_base="/voila/files/static")


def test_default_date_is_the_story_date(good_atlas: frontlines.Atlas):
    app = App(good_atlas)
    assert app.date == DEFAULT_DATE == pd.Timestamp("2016-09-08")


def test_chapters_are_the_story_dates():
    assert {k: v.date().isoformat() for k, v in CHAPTERS.items()} == {
        "north-cut": "2016-02-03",
        "siege": "2016-07-17",
        "breakthrough": "2016-08-06",
        "deal": "2016-09-09",
        "fall": "2016-11-28",
        "end": "2016-12-22",
    }


def test_python_moving_the_date_updates_the_beacon_not_the_map(app: App):
    page_before = app.explorer._map_page
    assert "was not besieged" in app.figures(app.date)["sentence"]
    app.go("2016-07-17")
    assert f'data-view="{app.view_id}">2016-07-17<' in app.explorer.beacon.value
    assert app.explorer.sync.value == "2016-07-17"
    s = app.figures(app.date)["sentence"]
    assert "On 17 July 2016" in s
    assert "was besieged: day 1 of this siege, 1 day in 2016 so far" in s
    assert app.explorer._map_page == page_before  # the panel follows the beacon; no re-render


def test_the_panel_moves_the_kernels_date_through_the_sync_box(app: App):
    app.explorer.sync.value = "2016-12-01"  # what panel.js writes on each date it shows
    assert app.date == pd.Timestamp("2016-12-01")
    assert app.explorer.beacon.value == ""  # not echoed back: the panel is the source
    app.explorer.sync.value = "<script>"
    assert app.date == pd.Timestamp("2016-12-01")  # not a date: ignored
    app.explorer.sync.value = "2019-05-05"
    assert app.date == pd.Timestamp("2016-12-31")  # clamped to 2016


def test_downloads_are_of_the_date_the_panel_shows(app: App):
    app.explorer.sync.value = "2016-11-30"
    app.prepare_download()
    assert 'download="aleppo-2016-11-30.geojson"' in app.data.downloads.value
    assert 'class="fl-button"' in app.data.downloads.value  # links that look like buttons


def test_map_opens_on_the_current_date(app: App):
    assert 'date: "2016-07-16"' in html.unescape(app.explorer.map_html())
    app.go("2016-12-01")
    assert 'date: "2016-12-01"' in html.unescape(app.explorer.map_html())
    assert "__FRONTLINES" not in app.explorer.map_html()
    assert app.map_display()._repr_html_() == app.explorer.map_html()


def test_under_voila_the_map_output_carries_the_inline_panel(app: App):
    bundle = app.map_display()._repr_mimebundle_()
    assert bundle["text/html"] == app.explorer.map_html()  # other front ends: an iframe
    inline = bundle[FRAGMENT_MIME]
    assert inline == app.explorer.map_inline()
    assert inline.startswith('<div class="fl-inline-map" role="region" aria-label="')
    assert '<script src="/voila/files/static/leaflet/leaflet.js"></script>' in inline
    assert 'date: "2016-07-16"' in inline and f'view: "{app.view_id}"' in inline
    assert '"id":"siege","day":198' in inline  # chapters, for the panel to read the link
    assert f'<section class="fl-panel" id="fl-panel-{app.view_id}"' in inline
    assert 'role="status" aria-live="polite"' in inline  # the short live summary
    assert 'class="fl-link fl-button" href="?date=' in inline  # link to this view
    app.go("2016-12-01")
    assert 'date: "2016-12-01"' in app.map_display()._repr_mimebundle_()[FRAGMENT_MIME]


def test_outside_voila_the_map_output_is_only_the_iframe(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base=None)
    assert set(app.map_display()._repr_mimebundle_()) == {"text/html"}


def test_map_is_drawn_once_with_local_leaflet_and_the_view_id(app: App):
    page = html.unescape(app.explorer.map_html())
    assert "/voila/files/static/leaflet/leaflet.js" in page
    assert f'view: "{app.view_id}"' in page
    assert "frontlines:date" in page  # the panel also takes a date by postMessage


def test_step_clamps_to_2016(app: App):
    app.step(1)
    assert app.date == pd.Timestamp("2016-07-17")
    app.step(-400)
    assert app.date == pd.Timestamp("2016-01-01")


def test_figures_count_open_routes(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-18")
    s = app.figures(app.date)
    assert s["open"] == 0 and list(s["routes"]["status"]) == ["cut"]
    assert "Supply routes: Lifeline: cut (Rebels)." in s["sentence"]


def test_compare_lists_changed_districts_and_counts_them_by_direction(app: App):
    changed = app.changes(pd.Timestamp("2016-07-01"), pd.Timestamp("2016-12-01"))
    assert set(changed.index) == {"east", "outskirt"}
    assert list(changed["after"]) == ["government", "government"]
    assert flow_counts(changed) == {("rebels", "government"): 2}
    back = app.changes(pd.Timestamp("2016-12-01"), pd.Timestamp("2016-07-01"))
    assert flow_counts(back) == {("government", "rebels"): 2}  # going back in time, reversed
    assert app.changes(pd.Timestamp("2016-07-01"), pd.Timestamp("2016-07-01")).empty


def test_compare_is_part_of_the_panel_with_dates_in_the_catalogue_words(app: App):
    page = html.unescape(app.explorer.map_html())
    assert 'class="fl-compare"' in page and page.count('class="fl-cmp-map"') == 2
    # the default dates, in the catalogue's format (not the browser's locale)
    assert 'aria-valuetext="17 July 2016"' in page and 'aria-valuetext="22 December 2016"' in page
    assert "“From” is after “To”" in page  # the notice, hidden until From is after To
    assert "frontlinesCompare" in page


def test_syria_view_shows_its_first_date_at_once_and_renders_each_snapshot_once(app: App):
    assert app.syria.map.value == ""  # nothing drawn before the view is shown
    view = app.show_syria()
    assert app.syria.choice.value == pd.Timestamp("2016-02-27")  # the fixture's only snapshot
    assert "<iframe" in app.syria.map.value
    first = app.syria.map.value
    app.syria.choice.value = None
    app.syria.choice.value = pd.Timestamp("2016-02-27")
    assert app.syria.map.value == first and len(app.syria._html) == 1
    assert view is app.syria_view


def test_syria_view_shows_the_caption_of_the_date(good_atlas: frontlines.Atlas):
    from frontlines.views import SyriaView

    view = SyriaView(good_atlas, "/s", captions={"2016-02-27": "<p>The <b>truce</b></p>"})
    view.show()
    assert 'class="fl-snapshot-caption"' in view.caption.value
    assert "<b>truce</b>" in view.caption.value  # already escaped HTML, from the notebook


def test_reader_notebook_captions_every_syria_snapshot(atlas: frontlines.Atlas):
    from frontlines.panel import marked_captions
    from frontlines.views.explorer import READER_NOTEBOOK

    dates = {d.date().isoformat() for d in atlas.layers.syria_control["snapshot_date"]}
    assert set(marked_captions(READER_NOTEBOOK, "snapshot")) == dates


def test_download_offers_every_layer_with_sources_and_licences(app: App):
    app.prepare_download()
    links = re.findall(r'href="data:([^;]+);base64,([^"]+)"', app.data.downloads.value)
    assert [m for m, _ in links] == ["application/geo+json", "application/zip", "text/csv"]
    gj = json.loads(base64.b64decode(links[0][1]))
    assert gj["date"] == "2016-07-16"
    assert gj["licences"]["districts"]["licence"] == "CC0-1.0"
    layers = {f["properties"]["layer"] for f in gj["features"]}
    assert layers == {"districts", "towns", "routes", "sites"}  # no event yet on 16 July
    props = {
        f["properties"]["id"]: f["properties"]
        for f in gj["features"]
        if f["properties"]["layer"] == "districts"
    }
    assert (
        props["east"]["faction"] == "rebels"
        and props["east"]["sources"] == "fixture-wire fixture-paper"
    )
    assert [s["publisher"] for s in gj["bibliography"]][:2] == ["Fixture Wire", "Fixture Daily"]
    with zipfile.ZipFile(io.BytesIO(base64.b64decode(links[1][1]))) as z:
        assert sorted(z.namelist()) == sorted(
            [
                "districts.csv",
                "towns.csv",
                "routes.csv",
                "sites.csv",
                "events.csv",
                "sources.csv",
                "about.json",
            ]
        )
        assert z.read("routes.csv").decode().startswith("id,name,status,serves,since")
    bib = base64.b64decode(links[2][1]).decode().splitlines()
    assert bib[0].startswith("source_id,publisher,agency,title,published,url,read_at")
    assert bib[1].startswith("fixture-wire,Fixture Wire")
    app.go("2016-12-31")
    app.prepare_download()
    gj = json.loads(base64.b64decode(re.findall(r'base64,([^"]+)"', app.data.downloads.value)[0]))
    assert [
        f["properties"]["id"] for f in gj["features"] if f["properties"]["layer"] == "events"
    ] == [
        "e1",
        "e2",
    ]


def test_attribution_lists_every_layer(app: App):
    for entry in app.atlas.layers.manifest["layers"]:
        assert html.escape(entry["attribution"]) in app.data_view.children[0].value


def test_background_lists_only_events_before_2016(app: App):
    text = app.background_display()._repr_html_()
    assert "Before 2016" in text
    assert "Road cut" not in text


def test_without_voila_leaflet_is_embedded(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base=None)
    page = html.unescape(app.explorer.map_html())
    assert "leaflet/leaflet.js" not in page
    assert "L.map(" in page


@pytest.mark.parametrize(
    ("query", "date", "says"),
    [
        ("date=2016-12-22", "2016-12-22", None),
        ("chapter=deal", "2016-09-09", None),
        ("", "2016-09-08", None),
        ("date=<script>", "2016-09-08", "<script>"),
        ("date=2019-01-01", "2016-09-08", "outside 2016"),
        ("chapter=nope", "2016-09-08", "nope"),
        ("date=" + "9" * 500, "2016-09-08", "not a date"),
    ],
)
def test_query_strings(query, date, says):
    when, msg = date_from_query(query)
    assert when == pd.Timestamp(date)
    if says:
        assert says in msg and "8 September 2016" in msg
    else:
        assert msg == ""


def test_notice_is_escaped(good_atlas: frontlines.Atlas):
    app = App(good_atlas, notice="Unknown date '<img src=x>'")
    notice = app.explorer.notice.value
    assert "<img" not in notice and "&lt;img" in notice
    assert 'role="alert"' in notice


@pytest.mark.parametrize(
    ("env", "url"),
    [
        # one notebook (make app); a preheated kernel knows only the base URL
        ({"VOILA_BASE_URL": "/", "SCRIPT_NAME": "/"}, "/voila/templates/frontlines/static"),
        ({"VOILA_BASE_URL": "/"}, "/voila/templates/frontlines/static"),
        # a tree, or Binder's server extension: the path names the notebook, not the assets
        (
            {"VOILA_BASE_URL": "/user/x/", "SCRIPT_NAME": "/user/x/voila/render/nb/a.ipynb"},
            "/user/x/voila/templates/frontlines/static",
        ),
        ({"SCRIPT_NAME": "/b/voila/render/a.ipynb"}, "/b/voila/templates/frontlines/static"),
        ({"SCRIPT_NAME": "/prefix/"}, "/prefix/voila/templates/frontlines/static"),
        ({}, None),
    ],
)
def test_asset_base_from_env(env, url):
    # regression: tree mode and Binder asked for Leaflet at voila/files/<notebook>/... (403)
    assert asset_base_from_env(env) == url


def test_two_apps_do_not_share_state(good_atlas: frontlines.Atlas):
    a, b = App(good_atlas, "2016-07-16"), App(good_atlas, "2016-07-16")
    a.go("2016-12-01")
    assert b.date == pd.Timestamp("2016-07-16")
    assert a.view_id != b.view_id


def test_figures_per_stretch_match_the_layers_on_every_day(atlas: frontlines.Atlas):
    # the app computes areas and routes once per stretch between change dates
    app = App(atlas)
    for day in pd.date_range("2016-01-01", "2016-12-31", freq="D"):
        s = app.figures(day)
        assert s["areas"] == atlas.city_area_km2(day), day
        direct = atlas.routes_at(day)
        assert list(s["routes"]["status"]) == list(direct["status"]), day
        assert list(s["routes"]["serves"]) == list(direct["serves"]), day


def test_events_before_2016_show_their_sources_as_links_not_as_escaped_html(
    atlas: frontlines.Atlas,
):
    from frontlines.views.data import background_html

    page = background_html(atlas)
    assert '<ul class="fl-sources">' in page and "<a href=" in page
    assert "&lt;ul" not in page and "&lt;a " not in page
