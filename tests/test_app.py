"""The App without a browser: set widget values, assert on state and rendered HTML."""

from __future__ import annotations

import base64
import html
import json
import re

import pandas as pd
import pytest

import frontlines
from frontlines.app import CHAPTERS, DEFAULT_DATE, App, asset_base_from_env, date_from_query
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


def test_date_change_updates_beacon_and_text_not_the_map(app: App):
    page_before = app._map_page
    assert "was not besieged" in app.summary.value
    app.slider.value = pd.Timestamp("2016-07-17")
    assert f'data-view="{app.view_id}">2016-07-17<' in app.beacon.value
    assert "On 17 July 2016" in app.summary.value
    assert "was besieged: day 1 of this siege, 1 day in 2016 so far" in app.summary.value
    assert app._map_page == page_before  # the map follows the beacon; it is not re-rendered
    assert app.play.value == app.slider.index


def test_map_opens_on_the_current_date(app: App):
    assert 'date: "2016-07-16"' in html.unescape(app.map_html())
    app.go("2016-12-01")
    assert 'date: "2016-12-01"' in html.unescape(app.map_html())
    assert "__FRONTLINES" not in app.map_html()
    assert app.map_display()._repr_html_() == app.map_html()


def test_under_voila_the_map_output_carries_the_inline_map(app: App):
    bundle = app.map_display()._repr_mimebundle_()
    assert bundle["text/html"] == app.map_html()  # what other front ends show: an iframe
    inline = bundle[FRAGMENT_MIME]
    assert inline == app.map_inline()
    assert inline.startswith('<div class="fl-inline-map" role="region" aria-label="')
    assert '<script src="/voila/files/static/leaflet/leaflet.js"></script>' in inline
    assert 'date: "2016-07-16"' in inline and f'view: "{app.view_id}"' in inline
    assert '"siege": "2016-07-17"' in inline  # chapters, for the map to read the link
    app.go("2016-12-01")
    assert 'date: "2016-12-01"' in app.map_display()._repr_mimebundle_()[FRAGMENT_MIME]


def test_outside_voila_the_map_output_is_only_the_iframe(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base=None)
    assert set(app.map_display()._repr_mimebundle_()) == {"text/html"}


def test_map_is_drawn_once_with_local_leaflet_and_the_view_id(app: App):
    page = html.unescape(app.map_html())
    assert "/voila/files/static/leaflet/leaflet.js" in page
    assert f'view: "{app.view_id}"' in page
    assert "frontlines:date" in page  # the map also takes a date by postMessage


def test_step_and_chapters(app: App):
    app.step(1)
    assert app.date == pd.Timestamp("2016-07-17")
    app.step(-400)
    assert app.date == pd.Timestamp("2016-01-01")
    app.chapters.value = "fall"
    assert app.date == pd.Timestamp("2016-11-28")
    assert app.chapters.value is None  # ready for the next jump


def test_events_around_the_date_jump_when_chosen(app: App):
    labels = [label for label, _ in app.events.options]
    assert labels == ["17 July 2016: Road cut", "December 2016: Evacuation"]  # month precision
    assert app.events.value is None  # no event on 16 July
    assert "The road was cut." in app.event_details.value
    app.events.value = "e2"
    assert app.date == pd.Timestamp("2016-12-01")
    app.go("2016-07-17")
    assert app.events.value == "e1"  # the day's event is highlighted, without a jump
    assert app.date == pd.Timestamp("2016-07-17")


def test_stats_are_a_live_region_with_routes(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-18")
    assert 'role="status" aria-live="polite"' in app.summary.value
    assert "Lifeline: <strong>cut</strong>" in app.stats.value
    assert "0 of 1 supply routes open" in app.stats.value


def test_link_to_this_view(app: App):
    assert 'href="?date=2016-07-16"' in app.link.value


def test_compare_lists_changed_districts(app: App):
    app.compare_a.value = pd.Timestamp("2016-07-01").date()
    app.compare_b.value = pd.Timestamp("2016-12-01").date()
    changed = app.compare()
    assert set(changed.index) == {"east", "outskirt"}
    assert "2 districts changed hands" in app.compare_result.value
    assert "East: Rebels → Government and allies" in app.compare_result.value
    assert "<iframe" in app.compare_map.value


def test_syria_view_renders_each_snapshot_once(app: App):
    view = app.show_syria()
    assert app.syria_map.value == ""  # nothing drawn until a snapshot is chosen
    app.syria_choice.value = pd.Timestamp("2016-02-27")  # the fixture's only snapshot
    assert "<iframe" in app.syria_map.value
    first = app.syria_map.value
    app.syria_choice.value = None
    app.syria_choice.value = pd.Timestamp("2016-02-27")
    assert app.syria_map.value == first and len(app._syria_html) == 1
    assert view is app.syria_view


def test_download_carries_sources_and_licence(app: App):
    app.prepare_download()
    links = re.findall(r'href="data:([^;]+);base64,([^"]+)"', app.downloads.value)
    assert [m for m, _ in links] == ["application/geo+json", "text/csv", "text/csv"]
    gj = json.loads(base64.b64decode(links[0][1]))
    assert gj["date"] == "2016-07-16" and gj["licence"] == "CC0-1.0"
    props = {f["properties"]["id"]: f["properties"] for f in gj["features"]}
    assert (
        props["east"]["faction"] == "rebels"
        and props["east"]["sources"] == "fixture-wire fixture-paper"
    )
    assert [s["publisher"] for s in gj["bibliography"]] == ["Fixture Wire", "Fixture Daily"]
    csv_text = base64.b64decode(links[1][1]).decode()
    assert csv_text.splitlines()[0].endswith("date,licence,attribution")
    bib = base64.b64decode(links[2][1]).decode().splitlines()
    assert bib[0].startswith("source_id,publisher,agency,title,published,url,read_at")
    assert len(bib) == 3 and bib[1].startswith("fixture-wire,Fixture Wire")


def test_attribution_lists_every_layer(app: App):
    for entry in app.atlas.layers.manifest["layers"]:
        assert html.escape(entry["attribution"]) in app.data_view.children[0].value


def test_background_lists_only_events_before_2016(app: App):
    text = app.background_display()._repr_html_()
    assert "Before 2016" in text
    assert "Road cut" not in text


def test_without_voila_leaflet_is_embedded(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base=None)
    page = html.unescape(app.map_html())
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
    assert "<img" not in app.notice.value and "&lt;img" in app.notice.value
    assert 'role="alert"' in app.notice.value


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
    a.slider.value = pd.Timestamp("2016-12-01")
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
