"""Queries on the small fixture: where, control_at, routes_at, events, siege, summary."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import frontlines
from frontlines.timeline import as_date, change_dates


def test_as_date_accepts_several_types():
    want = pd.Timestamp("2016-09-10")
    assert as_date("2016-09-10") == want
    assert as_date(dt.date(2016, 9, 10)) == want
    assert as_date(dt.datetime(2016, 9, 10, 15, 30)) == want
    for bad in ("2016-02-30", "10/09/2016", "", "tomorrow"):
        with pytest.raises(ValueError, match="YYYY-MM-DD"):
            as_date(bad)


def test_where_inside_a_cell(good_atlas: frontlines.Atlas):
    w = good_atlas.where("2016-09-10", 36.20, 37.18)
    assert (w.faction, w.layer, w.district_id) == ("rebels", "aleppo", "east")
    assert w.since == pd.Timestamp("2016-01-01") and w.until == pd.Timestamp("2016-11-26")
    w = good_atlas.where("2016-11-26", 36.20, 37.18)
    assert w.faction == "government" and w.until is None


def test_where_contested_names_parties(good_atlas: frontlines.Atlas):
    w = good_atlas.where("2016-07-20", 36.245, 37.10)
    assert w.faction == "contested"
    assert w.parties == ("government", "rebels")
    assert w.to_dict()["until"] == "2016-07-27"


def test_where_outside_cells_uses_latest_snapshot(good_atlas: frontlines.Atlas):
    before = good_atlas.where("2016-02-26", 35.8, 36.6)
    assert (before.faction, before.layer) == ("none", "syria")
    after = good_atlas.where("2016-03-01", 35.8, 36.6)
    assert (after.faction, after.layer) == ("rebels", "syria")
    assert after.since == pd.Timestamp("2016-02-27")
    outside_syria = good_atlas.where("2016-03-01", 48.0, 2.3)
    assert outside_syria.faction == "none"


def test_where_rejects_bad_input(good_atlas: frontlines.Atlas):
    with pytest.raises(ValueError):
        good_atlas.where("2016-13-01", 36.2, 37.18)
    with pytest.raises(ValueError):
        good_atlas.where("2016-09-10", 136.2, 37.18)


def test_control_at_has_every_cell(good_atlas: frontlines.Atlas):
    z = good_atlas.control_at("2016-07-20")
    assert list(z["id"]) == ["east", "west", "north", "outskirt"]
    assert dict(zip(z["id"], z["faction"], strict=True))["outskirt"] == "contested"
    assert (z["area_km2"] > 3).all()
    assert z.crs.to_epsg() == 4326
    early = good_atlas.control_at("2015-06-01")
    assert set(early["faction"]) == {"none"}


def test_routes_at(good_atlas: frontlines.Atlas):
    assert good_atlas.routes_at("2016-07-01")["status"].tolist() == ["open"]
    assert good_atlas.routes_at("2016-07-07")["status"].tolist() == ["under_fire"]
    assert good_atlas.routes_at("2016-07-17")["status"].tolist() == ["cut"]
    assert good_atlas.routes_at("2015-12-31").empty


def test_events_between_is_inclusive_and_sorted(good_atlas: frontlines.Atlas):
    ev = good_atlas.events_between("2016-07-17", "2016-12-01")
    assert ev["id"].tolist() == ["e1", "e2"]
    assert good_atlas.events_between("2016-07-18", "2016-11-30").empty


def test_siege_follows_route_status_and_geometry(good_atlas: frontlines.Atlas):
    assert good_atlas.siege_status("2016-07-01").besieged is False
    assert good_atlas.siege_status("2016-07-01").lifelines == ("lifeline",)
    # under fire still links (the outskirt is rebel-held until 17 July)
    assert good_atlas.siege_status("2016-07-10").besieged is False
    assert good_atlas.siege_status("2016-07-18").besieged is True
    # rebels hold nothing in the city: not besieged
    assert good_atlas.siege_status("2016-12-01").besieged is False


def test_siege_needs_rebel_ground_outside(layer_copy):
    # Give the outskirt to the government from the start: before the first Syria-wide
    # snapshot (27 Feb) the open route then reaches no rebel ground outside the city.
    path = layer_copy / "aleppo_control.csv"
    text = path.read_text(encoding="utf-8")
    text = text.replace(
        "outskirt,rebels,,2016-01-01,2016-07-17", "outskirt,government,,2016-01-01,2016-07-17"
    )
    path.write_text(text, encoding="utf-8")
    atlas = frontlines.load(layer_copy)
    assert atlas.siege_status("2016-02-01").besieged is True
    assert atlas.siege_status("2016-02-01").lifelines == ()
    # from 27 Feb the snapshot's rebel zone west of the city is reached by the route
    assert atlas.siege_status("2016-03-01").besieged is False


def test_siege_periods_and_days(good_atlas: frontlines.Atlas):
    periods = good_atlas.siege_periods()
    besieged = [
        (p.start.date().isoformat(), p.end.date().isoformat()) for p in periods if p.besieged
    ]
    assert besieged == [("2016-07-17", "2016-11-26")]
    assert good_atlas.siege_days("2016-07-16") == (0, 0)
    assert good_atlas.siege_days("2016-07-17") == (1, 1)
    assert good_atlas.siege_days("2016-07-26") == (10, 10)
    assert good_atlas.siege_days("2016-12-31") == (0, 132)


def test_summary_keys(good_atlas: frontlines.Atlas):
    s = good_atlas.summary("2016-07-18")
    assert set(s) == {"date", "city_area_km2", "routes", "besieged"}
    assert s["date"] == "2016-07-18"
    assert set(s["city_area_km2"]) == {"rebels", "government", "kurdish"}
    assert s["routes"] == {"lifeline": "cut"}
    assert s["besieged"] is True


def test_change_dates_cover_histories(good_atlas: frontlines.Atlas):
    dates = {d.date().isoformat() for d in change_dates(good_atlas.layers)}
    assert {"2016-07-07", "2016-07-17", "2016-11-26", "2016-02-27"} <= dates


def test_places_lists_every_named_feature(good_atlas: frontlines.Atlas):
    p = good_atlas.places()
    assert set(p["kind"]) == {"district", "citadel", "supply_route", "town"}
    assert len(p) == 4 + 1 + 1 + 1
    assert p.set_index("id").loc["aleppo", "aliases"] == ["Halab"]


def test_no_module_level_state_between_atlases(good_atlas: frontlines.Atlas):
    other = frontlines.load(good_atlas.folder)
    assert other is not good_atlas
    assert other.summary("2016-07-18") == good_atlas.summary("2016-07-18")
