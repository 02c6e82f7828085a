"""Aleppo governorate outside the city: the towns' dated histories answer where the Syria-wide
snapshots would be stale (they hold from one snapshot to the next)."""

from __future__ import annotations

import pandas as pd
import pytest

import frontlines
from frontlines.batch import where_many
from frontlines.timeline import rows_in_force


def _centre(atlas: frontlines.Atlas, place: str) -> tuple[float, float]:
    c = atlas.layers.places.loc[place].geometry.centroid
    return c.y, c.x


def _snapshot_says(atlas: frontlines.Atlas, when: str, lat: float, lon: float) -> str:
    """What the Syria-wide snapshot in force says of a point (what where() answered before
    the towns had histories)."""
    import shapely

    zones = atlas.syria_at(when)
    hits = zones[zones.intersects(shapely.Point(lon, lat))].sort_values("id")
    return hits.iloc[0]["faction"] if len(hits) else "none"


# (place, date, holder): the changes of 2016 in the north that the snapshots miss or misdate,
# the Euphrates Shield advance, and the south of the governorate.
CASES = [
    ("tal_rifaat", "2016-02-10", "rebels"),
    ("tal_rifaat", "2016-02-20", "kurdish"),
    ("menagh_airbase", "2016-02-09", "rebels"),
    ("menagh_airbase", "2016-02-11", "kurdish"),
    ("nubl", "2016-01-15", "government"),
    ("mare", "2016-06-01", "rebels"),
    ("al_rai", "2016-04-09", "rebels"),
    ("al_rai", "2016-05-01", "isis"),
    ("manbij", "2016-08-20", "kurdish"),
    ("jarablus", "2016-08-23", "isis"),
    ("jarablus", "2016-08-30", "turkish_backed"),
    ("dabiq", "2016-10-20", "turkish_backed"),
    ("al_bab", "2016-12-25", "isis"),
    ("al_eis", "2016-01-15", "government"),
    ("al_eis", "2016-05-01", "rebels"),
    ("al_hader", "2016-06-01", "government"),
    ("kuweires_airbase", "2016-01-15", "government"),
]


@pytest.mark.parametrize(("place", "when", "holder"), CASES)
def test_a_town_answers_from_its_own_history(atlas, place, when, holder):
    lat, lon = _centre(atlas, place)
    w = atlas.where(when, lat, lon)
    assert (w.faction, w.layer, w.district_id) == (holder, "governorate", place)
    assert w.sources and w.confidence in ("high", "medium", "low")
    assert w.since <= pd.Timestamp(when) and (w.until is None or pd.Timestamp(when) < w.until)


def test_the_histories_correct_what_the_snapshots_would_have_said(atlas):
    """The reason for the layer: on these dates the snapshot in force says otherwise."""
    stale = [
        ("tal_rifaat", "2016-02-20"),  # the 30 Sep 2015 snapshot still says rebels
        ("manbij", "2016-08-20"),  # the 27 Feb snapshot still says IS
        ("jarablus", "2016-08-30"),
        ("dabiq", "2016-10-20"),  # the 9 Sep snapshot still says IS
        ("al_hader", "2016-06-01"),
        ("mare", "2016-06-01"),
    ]
    for place, when in stale:
        lat, lon = _centre(atlas, place)
        assert atlas.where(when, lat, lon).faction != _snapshot_says(atlas, when, lat, lon), place


def test_every_town_has_a_holder_every_day_of_2016(atlas):
    hist = atlas.layers.place_control
    for day in pd.date_range("2016-01-01", "2016-12-31", freq="D"):
        held = set(rows_in_force(hist, day)["place_id"])
        assert held == set(atlas.layers.places.index), day


def test_between_towns_and_before_2016_the_snapshots_answer(atlas):
    lat, lon = _centre(atlas, "manbij")
    before = atlas.where("2015-12-01", lat, lon)  # the towns' histories start in 2016
    assert before.layer == "syria" and before.snapshot == pd.Timestamp("2015-09-30")
    lat, lon = _centre(atlas, "tal_rifaat")
    away = atlas.where("2016-02-20", lat + 0.05, lon)  # 5 km north: no town cell
    assert away.layer == "syria"


def test_the_city_answers_before_the_towns(atlas):
    """A city cell and a town cell never both claim a point; the city comes first."""
    city = atlas.layers.districts.union_all()
    assert not atlas.layers.places.intersects(city).any()


def test_where_many_answers_the_towns_as_where_does(atlas):
    rows = [(when, *_centre(atlas, place)) for place, when, _ in CASES]
    t = pd.DataFrame(rows, columns=["date", "lat", "lon"])
    got = where_many(atlas, t)
    assert list(got["faction"]) == [h for _, _, h in CASES]
    assert set(got["layer"]) == {"governorate"}
    assert list(got["district_id"]) == [p for p, _, _ in CASES]
