"""The App without a browser: set widget values, assert on state and rendered HTML."""

from __future__ import annotations

import html

import pandas as pd

import frontlines
from frontlines.app import DEFAULT_DATE, App, asset_base_from_env, date_from_query


def test_default_date_is_the_story_date(good_atlas: frontlines.Atlas):
    app = App(good_atlas)
    assert app.date == DEFAULT_DATE == pd.Timestamp("2016-09-08")


def test_slider_change_updates_map_and_stats(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base="/voila/files/static")
    assert "not besieged" in app.stats.value
    before = app.map.value
    app.slider.value = pd.Timestamp("2016-07-17")
    assert "is besieged (day 1; 1 days" in app.stats.value
    assert app.map.value != before
    page = html.unescape(app.map.value)
    assert "Aleppo on 17 July 2016" in page
    assert "/voila/files/static/leaflet/leaflet.js" in page


def test_without_voila_leaflet_is_embedded(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-16", asset_base=None)
    page = html.unescape(app.map.value)
    assert "leaflet/leaflet.js" not in page
    assert "L.map(" in page and "Leaflet" in page


def test_stats_are_a_live_region(good_atlas: frontlines.Atlas):
    app = App(good_atlas, "2016-07-18")
    assert 'role="status" aria-live="polite"' in app.stats.value
    assert "Lifeline: cut" in app.stats.value


def test_bad_query_falls_back_and_says_so():
    when, msg = date_from_query("date=<script>")
    assert when == DEFAULT_DATE and "Unknown date" in msg
    when, msg = date_from_query("date=2019-01-01")
    assert when == DEFAULT_DATE and "outside 2016" in msg
    assert date_from_query("")[1] == ""
    assert date_from_query("date=2016-12-22") == (pd.Timestamp("2016-12-22"), "")


def test_notice_is_escaped(good_atlas: frontlines.Atlas):
    app = App(good_atlas, notice="Unknown date '<img src=x>'")
    assert "<img" not in app.notice.value and "&lt;img" in app.notice.value


def test_asset_base_from_env():
    assert asset_base_from_env({"SCRIPT_NAME": "/base"}) == "/base/voila/files/static"


def test_two_apps_do_not_share_state(good_atlas: frontlines.Atlas):
    a, b = App(good_atlas, "2016-07-16"), App(good_atlas, "2016-07-16")
    a.slider.value = pd.Timestamp("2016-12-01")
    assert b.date == pd.Timestamp("2016-07-16")
