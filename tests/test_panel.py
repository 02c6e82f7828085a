"""The reader panel's data (per stretch, per day) and the labels chosen from the layers."""

from __future__ import annotations

import dataclasses
import json

import pandas as pd
import pytest

import frontlines
from frontlines.app import CHAPTERS
from frontlines.labels import map_labels
from frontlines.panel import Stretches, chapter_captions, panel_data, summary_sentence
from frontlines.timemap import _SourceIndex, timeline_map
from tests.support import RANK_ONE, REPO


def _data(atlas, captions=None):
    return panel_data(atlas, _SourceIndex(), "en", CHAPTERS, captions)


def test_stretches_start_at_every_change_and_hold_their_figures(good_atlas: frontlines.Atlas):
    st = Stretches(good_atlas)
    # the fixture's control and route rows change on these days of 2016
    days = {
        int((d - pd.Timestamp("2016-01-01")).days)
        for d in frontlines.timeline.change_dates(good_atlas.layers)
        if pd.Timestamp("2016-01-01") < d < pd.Timestamp("2017-01-01")
    }
    assert st.starts == sorted({0} | days)
    for day in pd.date_range("2016-01-01", "2016-12-31", freq="7D"):
        areas, routes = st.at(day)
        assert areas == good_atlas.city_area_km2(day)
        assert list(routes["status"]) == list(good_atlas.routes_at(day)["status"])


def test_siege_counter_is_the_atlas_one_on_every_day(good_atlas: frontlines.Atlas):
    d = _data(good_atlas)
    assert len(d["siege"]) == 366
    for i in (0, 197, 198, 250, 365):
        when = pd.Timestamp("2016-01-01") + pd.Timedelta(days=i)
        assert d["siege"][i] == list(good_atlas.siege_days(when))


def test_events_of_2016_carry_their_date_as_known_and_sources(good_atlas: frontlines.Atlas):
    cite = _SourceIndex()
    d = panel_data(good_atlas, cite, "en", CHAPTERS)
    assert [e[:4] for e in d["events"]] == [
        [198, "17 July 2016", "military", "Road cut"],
        [335, "December 2016", "humanitarian", "Evacuation"],
    ]
    assert all(e[5] for e in d["events"]) and len(cite.ids) >= 1


def test_chapters_highlight_what_changed_before_them(good_atlas: frontlines.Atlas):
    chapters = {c["id"]: c for c in _data(good_atlas)["chapters"]}
    assert list(chapters) == list(CHAPTERS)
    # the fixture's lifeline is cut on 17 Jul and the outskirt contested from that day
    assert chapters["siege"]["routes"] == ["lifeline"]
    assert chapters["siege"]["cells"] == ["outskirt"]
    assert chapters["siege"]["bounds"] is not None
    assert chapters["fall"]["cells"] == ["east"]  # taken on 26 Nov, two days before
    assert chapters["north-cut"]["cells"] == [] and chapters["north-cut"]["bounds"] is None


def test_captions_come_from_the_notebook_and_escape_html(tmp_path):
    nb = {
        "cells": [
            {"cell_type": "markdown", "source": ["<!-- chapter: siege -->\n", "*Cut* <b>x</b>"]},
            {"cell_type": "markdown", "source": ["no mark here"]},
            {"cell_type": "code", "source": ["<!-- chapter: end -->"]},
        ]
    }
    path = tmp_path / "nb.ipynb"
    path.write_text(json.dumps(nb), encoding="utf-8")
    assert chapter_captions(path) == {"siege": "<p><em>Cut</em> &lt;b&gt;x&lt;/b&gt;</p>"}


def test_the_reader_notebook_has_a_caption_for_every_chapter():
    captions = chapter_captions(REPO / "notebooks" / "aleppo.ipynb")
    assert set(captions) == set(CHAPTERS)
    assert all(20 <= len(c.split()) <= 70 for c in captions.values())  # one or two sentences


def test_summary_sentence_is_what_the_app_says(good_atlas: frontlines.Atlas):
    from frontlines.app import App

    app = App(good_atlas, "2016-07-20")
    when = pd.Timestamp("2016-07-20")
    areas, routes = Stretches(good_atlas).at(when)
    current, total = good_atlas.siege_days(when)
    text = summary_sentence(areas, routes, current, total, when)
    assert text == app.figures(when)["sentence"]
    assert text.startswith("On 20 July 2016, inside Aleppo city: ")


def test_area_labels_sit_inside_the_area_they_name(atlas: frontlines.Atlas):
    import shapely

    d = _data(atlas)
    for st in d["stretches"][::5]:
        when = pd.Timestamp("2016-01-01") + pd.Timedelta(days=st["start"])
        cells = atlas.control_at(when)
        for key, faction in (("east", "rebels"), ("west", "government")):
            p = st["labels"][key]
            if p is None:
                continue
            pt = shapely.Point(p[1], p[0])
            holder = cells[cells.contains(pt)]["faction"].tolist()
            assert holder == [faction], (when, key, holder)


def test_labels_are_chosen_from_the_layers(good_atlas: frontlines.Atlas):
    assert map_labels(good_atlas.layers) == []  # the fixture labels nothing
    districts = good_atlas.layers.districts.copy()
    districts.loc["west", ["label", "label_rank"]] = ["WEST SIDE", 1]
    districts.loc["north", ["label", "label_rank"]] = ["North", 3]
    layers = dataclasses.replace(good_atlas.layers, districts=districts)
    labels = map_labels(layers)
    assert [(x["text"], x["rank"], x["kind"]) for x in labels] == [
        ("WEST SIDE", 1, "district"),
        ("North", 3, "district"),
    ]
    west = districts.loc["west", "geometry"]
    import shapely

    assert west.contains(shapely.Point(labels[0]["lon"], labels[0]["lat"]))
    page = timeline_map(frontlines.Atlas(layers), "2016-07-20", view_id="v").get_root().render()
    assert '["WEST SIDE",1,"district",' in page


def test_route_labels_follow_their_line(atlas: frontlines.Atlas):
    import shapely

    labels = {x["id"]: x for x in map_labels(atlas.layers) if x["kind"] == "route"}
    castello = labels["castello_road"]
    line = atlas.layers.routes.set_index("id").loc["castello_road", "geometry"]
    assert line.distance(shapely.Point(castello["lon"], castello["lat"])) < 1e-4
    assert -90 <= castello["angle"] <= 90 and len(castello["alts"]) == 6


def test_rank_one_labels_are_the_places_the_story_names(atlas: frontlines.Atlas):
    from frontlines.app import CITY_SITES

    ranked = map_labels(atlas.layers, CITY_SITES)
    top = {x["text"] for x in ranked if x["rank"] == 1}
    for name in RANK_ONE:
        assert name in top
    assert 10 <= len(top) <= 14


def test_drawn_cells_fill_the_city_without_changing_the_figures(atlas: frontlines.Atlas):
    import shapely

    from frontlines.display import city_outline, display_cells

    drawn = display_cells(atlas.layers).to_crs("EPSG:32637")
    edge = city_outline(atlas.layers)
    assert edge is not None
    import geopandas as gpd

    edge_m = gpd.GeoSeries([edge], crs="EPSG:4326").to_crs("EPSG:32637").iloc[0]
    # no hole inside the built-up city: there was one of 0.65 km2 south of the Citadel
    assert edge_m.difference(shapely.union_all(drawn.values)).area < 5_000  # m2
    south_of_citadel = shapely.Point(37.1619, 36.1971)
    assert not atlas.layers.districts.contains(south_of_citadel).any()  # the layer's cells
    assert display_cells(atlas.layers).contains(south_of_citadel).sum() == 1  # as drawn
    # drawn cells do not overlap each other
    assert shapely.union_all(drawn.values).area == pytest.approx(drawn.area.sum(), rel=1e-5)
    # display only: areas and the siege calendar come from the layer's own cells
    # (pinned when the drawing changed: a change to these is a change to the data)
    assert round(atlas.city_area_km2("2016-09-08")["rebels"], 1) == 58.0
    assert round(atlas.city_area_km2("2016-12-10")["government"], 1) == 79.8
    periods = [
        (p.start.date().isoformat(), p.end.date().isoformat())
        for p in atlas.siege_periods()
        if p.besieged
    ]
    assert periods == [("2016-07-17", "2016-08-06"), ("2016-09-04", "2016-12-22")]
