"""Every layer's state on a date as files: one export module for the app, the site and the CLI."""

from __future__ import annotations

import io
import json
import zipfile

import geopandas as gpd
import pytest

import frontlines
from frontlines.cli import main
from frontlines.export import csv_zip_on, geojson_on, gpkg_on, layers_on


def test_layers_on_a_date_are_the_queries_answers(atlas: frontlines.Atlas):
    layers = layers_on(atlas, "2016-08-10")
    routes = layers["routes"].set_index("id")
    direct = atlas.routes_at("2016-08-10")
    assert routes["status"].to_dict() == dict(zip(direct["id"], direct["status"], strict=True))
    assert "ramouseh_corridor" in routes.index  # the breakthrough's corridor
    d = layers["districts"].set_index("id")
    assert (
        d.loc["sheikh_maqsoud", "faction"]
        == atlas.control_at("2016-08-10").loc["sheikh_maqsoud", "faction"]
    )
    assert layers["events"]["date"].max() <= "2016-08-10"  # the timeline so far
    assert layers["events"]["date"].min() >= "2016-01-01"


def test_geojson_reloads_with_the_same_areas(atlas: frontlines.Atlas, tmp_path):
    path = tmp_path / "aleppo.geojson"
    path.write_text(geojson_on(atlas, "2016-12-10"), encoding="utf-8")
    back = gpd.read_file(path)
    cells = back[back["layer"] == "districts"].set_index("id").to_crs("EPSG:32637")
    ours = atlas.layers.districts.to_crs("EPSG:32637")
    assert cells.geometry.area.loc[ours.index].values == pytest.approx(
        ours.geometry.area.values, rel=1e-6
    )
    doc = json.loads(path.read_text(encoding="utf-8"))
    assert doc["dataset_version"] == atlas.layers.manifest["version"]
    cited = {i for f in doc["features"] for i in (f["properties"]["sources"] or "").split()}
    assert {s["id"] for s in doc["bibliography"]} == cited


def test_csv_zip_holds_one_file_per_layer_and_the_sources(atlas: frontlines.Atlas):
    with zipfile.ZipFile(io.BytesIO(csv_zip_on(atlas, "2016-09-09"))) as z:
        names = set(z.namelist())
        assert {"districts.csv", "routes.csv", "sites.csv", "events.csv"} <= names
        about = json.loads(z.read("about.json"))
        assert about["date"] == "2016-09-09" and about["licences"]["sites"]["licence"]
        header = z.read("districts.csv").decode().splitlines()[0]
        assert header.startswith("id,name,name_ar,in_city,faction") and header.endswith(",wkt")
        assert z.read("sources.csv").decode().startswith("source_id,publisher")


def test_cli_export_writes_geojson_and_needs_a_file_for_csv(tmp_path, capsys):
    assert main(["export", "--date", "2016-07-17"]) == 0
    doc = json.loads(capsys.readouterr().out)
    assert doc["date"] == "2016-07-17" and doc["features"]
    assert main(["export", "--date", "2016-07-17", "--format", "csv"]) == 2
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "a.zip"
    assert main(["export", "--date", "2016-07-17", "--format", "csv", "--out", str(out)]) == 0
    assert zipfile.is_zipfile(out)
    assert main(["export", "--date", "2016-02-30"]) == 2  # not a date: a clear error


def test_gpkg_holds_one_table_per_layer_with_the_same_areas(atlas: frontlines.Atlas, tmp_path):
    import pyogrio

    path = gpkg_on(atlas, "2016-09-10", tmp_path / "a.gpkg")
    names = {row[0] for row in pyogrio.list_layers(path)}
    assert names == {"districts", "towns", "routes", "sites", "events", "sources", "about"}
    cells = gpd.read_file(path, layer="districts").set_index("id")
    want = layers_on(atlas, "2016-09-10")["districts"].set_index("id")
    got = cells.to_crs("EPSG:32637").area / 1e6
    expected = want.to_crs("EPSG:32637").area / 1e6
    assert ((got - expected[got.index]).abs() <= 1e-6 * expected[got.index]).all()
    assert (cells["faction"] == want.loc[cells.index, "faction"]).all()
    cited = {i for v in cells["sources"] for i in v.split()}
    assert cited <= set(gpd.read_file(path, layer="sources")["source_id"])
    about = gpd.read_file(path, layer="about").set_index("key")["value"]
    assert about["date"] == "2016-09-10"
    gpkg_on(atlas, "2016-12-22", path)  # replaces the file, not appends to it
    assert len(gpd.read_file(path, layer="districts")) == len(cells)


def test_cli_export_draws_a_handout_picture_and_needs_a_file(tmp_path, capsys):
    assert main(["export", "--date", "2016-09-10", "--format", "png"]) == 2
    assert "--out" in capsys.readouterr().err
    out = tmp_path / "a.png"
    assert main(["export", "--date", "2016-09-10", "--format", "png", "--out", str(out)]) == 0
    from PIL import Image

    with Image.open(out) as im:
        assert im.size == (1600, 1131)
        colours = {c for _, c in im.convert("RGB").getcolors(maxcolors=1 << 20)}
    # the date's holders are drawn in their colours (at the fill's opacity over the background)
    from frontlines.maps import as_drawn
    from frontlines.style import FACTION_COLOURS

    for faction in ("government", "rebels", "kurdish"):
        rgb = tuple(int(as_drawn(FACTION_COLOURS[faction])[i : i + 2], 16) for i in (1, 3, 5))
        assert any(sum(abs(a - b) for a, b in zip(c, rgb, strict=True)) <= 6 for c in colours), (
            faction
        )
    assert (
        main(
            [
                "export",
                "--date",
                "2016-09-10",
                "--format",
                "gpkg",
                "--out",
                str(tmp_path / "b.gpkg"),
            ]
        )
        == 0
    )


def test_drawing_a_picture_leaves_the_notebooks_plotting_alone(atlas: frontlines.Atlas):
    # regression: the module switched matplotlib to Agg, which silenced a notebook's plots
    import importlib

    import matplotlib

    import frontlines.picture

    before = matplotlib.get_backend()
    matplotlib.use("svg")
    try:
        importlib.reload(frontlines.picture)
        frontlines.picture.map_png(atlas, "2016-09-10", size=(400, 300))
        assert matplotlib.get_backend() == "svg"
    finally:
        matplotlib.use(before)


def test_the_towns_of_the_governorate_are_exported_with_their_holder_on_the_date(atlas):
    """Each town's row says what where() says at the town on that date."""
    towns = layers_on(atlas, "2016-08-30")["towns"].set_index("id")
    assert set(towns.index) == set(atlas.layers.places.index)
    for place, row in towns.iterrows():
        c = atlas.layers.places.loc[place].geometry.centroid
        w = atlas.where("2016-08-30", c.y, c.x)
        assert (row["faction"], row["since"]) == (w.faction, w.to_dict()["since"]), place
    assert towns.loc["jarablus", "faction"] == "turkish_backed"  # from 24 Aug
    before = layers_on(atlas, "2015-12-01")["towns"]  # the towns' histories start in 2016
    assert set(before["faction"]) == {"none"}
