"""Batch location: where_many answers what where() answers, row by row, in one pass."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import frontlines
from frontlines.batch import OUTPUT_COLUMNS, where_many


def _one(atlas: frontlines.Atlas, row: pd.Series) -> dict:
    """What where() says of one row, in where_many's columns."""
    try:
        w = atlas.where(row["date"], float(row["lat"]), float(row["lon"]))
    except ValueError as e:
        return {"error": str(e)}
    d = w.to_dict()
    return {
        "faction": w.faction,
        "parties": " ".join(w.parties),
        "layer": w.layer,
        "district_id": w.district_id or "",
        "since": d["since"] or "",
        "until": d["until"] or "",
        "confidence": w.confidence or "",
        "sources": " ".join(s.id for s in w.sources),
        "error": "",
    }


def _points(atlas: frontlines.Atlas, n: int, seed: int) -> pd.DataFrame:
    """Points in and around the city, in and around the towns of the governorate, across
    Syria and beyond it, and on the cells' own borders (their vertices, shared by two city
    cells), on dates from mid-2015 to 2017."""
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = atlas.layers.districts.total_bounds
    kind = rng.choice(3, size=n, p=[0.55, 0.25, 0.2])  # city, a town, anywhere
    lon, lat = rng.uniform(34.0, 44.0, n), rng.uniform(31.0, 38.5, n)
    city = kind == 0
    lon[city], lat[city] = rng.uniform(x0, x1, city.sum()), rng.uniform(y0, y1, city.sum())
    town = np.flatnonzero(kind == 1)
    centres = atlas.layers.places.geometry.representative_point()
    at = rng.integers(0, len(centres), len(town))
    lon[town] = centres.x.to_numpy()[at] + rng.normal(0, 0.02, len(town))  # about 2 km
    lat[town] = centres.y.to_numpy()[at] + rng.normal(0, 0.02, len(town))
    cells = pd.concat([atlas.layers.districts.geometry, atlas.layers.places.geometry])
    edges = np.array([c for g in cells for c in g.exterior.coords])
    pick = edges[rng.choice(len(edges), size=n // 10, replace=False)]
    lon[: len(pick)], lat[: len(pick)] = pick[:, 0], pick[:, 1]
    days = pd.Timestamp("2015-06-01") + pd.to_timedelta(rng.integers(0, 700, n), unit="D")
    return pd.DataFrame(
        {"ref": np.arange(n), "date": days.strftime("%Y-%m-%d"), "lat": lat, "lon": lon}
    )


def test_where_many_equals_where_row_by_row(atlas: frontlines.Atlas):
    t = _points(atlas, 2000, seed=7)
    got = where_many(atlas, t)
    assert list(got.columns) == ["ref", "date", "lat", "lon", *OUTPUT_COLUMNS]
    assert {"aleppo", "governorate", "syria"} <= set(got["layer"])  # every kind of answer
    assert got["error"].str.startswith("outside coverage").any()  # and dates beyond them
    for i, row in t.iterrows():
        want = _one(atlas, row)
        have = {k: got.at[i, k] for k in want}
        assert have == want, (i, row.to_dict())


def test_bad_rows_get_the_same_errors_as_where_and_lose_nothing(atlas: frontlines.Atlas):
    t = pd.DataFrame(
        {
            "date": ["2016-02-30", "2016-09-10", "2016-09-10", None, "2016-09-10"],
            "lat": ["36.2", "north", "36.2", "36.2", "95"],
            "lon": ["37.18", "37.18", "", "37.18", "37.18"],
            "keep": ["a", "b", "c", "d", "e"],
        },
        index=[10, 11, 12, 13, 14],
    )
    got = where_many(atlas, t)
    assert list(got.index) == [10, 11, 12, 13, 14] and list(got["keep"]) == list(t["keep"])
    assert "'2016-02-30' is not a date" in got.at[10, "error"]
    assert got.at[11, "error"] == "lat 'north' is not a number"
    assert got.at[12, "error"] == "lon '' is not a number"
    assert "is not a date" in got.at[13, "error"]
    assert got.at[14, "error"] == "lat 95.0, lon 37.18 is not a position"
    assert (got["faction"] == "").all()


def test_where_many_needs_its_columns(atlas: frontlines.Atlas):
    with pytest.raises(KeyError, match="lacks date"):
        where_many(atlas, pd.DataFrame({"when": [], "lat": [], "lon": []}))


def test_a_syria_answer_names_its_snapshot_and_the_stretch_it_stands_for(atlas):
    palmyra = atlas.where("2016-10-01", 34.562, 38.284)
    assert palmyra.layer == "syria" and str(palmyra.snapshot.date()) == "2016-09-09"
    assert str(palmyra.until.date()) == "2016-12-22"
    assert palmyra.to_dict()["snapshot"] == "2016-09-09"
    assert atlas.where("2016-10-01", 36.229, 37.205).snapshot is None  # the city's history


def test_dask_partitions_give_the_in_memory_answer(atlas: frontlines.Atlas):
    import dask
    import dask.dataframe as dd

    t = _points(atlas, 800, seed=11)
    with dask.config.set({"dataframe.convert-string": False}):  # keep pandas' own strings
        ddf = dd.from_pandas(t, npartitions=4)
        meta = where_many(atlas, t.iloc[0:0])
        parts = ddf.map_partitions(lambda p: where_many(atlas, p), meta=meta)
        assert parts.npartitions == 4
        got = parts.compute(scheduler="threads")
    pd.testing.assert_frame_equal(got, where_many(atlas, t))


def test_no_answer_beyond_the_layers_period(atlas: frontlines.Atlas):
    # a city point: the districts' history covers 2016 only, the snapshots from 30 Sep 2015
    lat, lon = 36.229, 37.205
    assert atlas.where("2016-09-10", lat, lon).layer == "aleppo"
    assert atlas.where("2015-12-01", lat, lon).layer == "syria"  # the 30 Sep 2015 snapshot
    for day in ("2015-06-01", "2017-03-01"):
        with pytest.raises(
            ValueError, match="^outside coverage: .* is not in 2015-09-30 to 2016-12-31"
        ):
            atlas.where(day, lat, lon)
    t = pd.DataFrame({"date": ["2015-06-01", "2017-03-01", "2016-12-31"], "lat": lat, "lon": lon})
    got = where_many(atlas, t)
    assert list(got["faction"].eq("")) == [True, True, False]
    assert got["error"].iloc[0].startswith("outside coverage")
