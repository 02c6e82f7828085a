"""Every layer of geo/ holds to its manifest entry, and the layers folder is found correctly."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pytest

import frontlines
from frontlines.layers import ENV_VAR, LayerError, find_geo
from frontlines.schema import LAYERS
from tests.support import GEO, GOOD

MANIFEST = json.loads((GEO / "manifest.json").read_text(encoding="utf-8"))
ENTRIES = {e["name"]: e for e in MANIFEST["layers"]}


def test_manifest_lists_every_layer_once():
    assert [e["name"] for e in MANIFEST["layers"]] == list(LAYERS)


@pytest.mark.parametrize("name", list(LAYERS))
def test_layer_holds_to_manifest(name: str):
    entry = ENTRIES[name]
    path = GEO / entry["file"]
    assert path.stat().st_size <= MANIFEST["max_file_bytes"]
    for key in ("title", "description", "licence", "attribution"):
        assert entry[key].strip(), key
    columns = [c["name"] for c in entry["columns"]]
    assert columns == list(LAYERS[name].column_names)
    assert all(c["description"].strip() for c in entry["columns"])
    if entry["format"] == "GeoJSON":
        gdf = gpd.read_file(path)
        assert gdf.crs.to_epsg() == 4326
        assert len(gdf) == entry["feature_count"] > 0
        assert set(gdf.geom_type) <= set(entry["geometry_type"])
        assert set(columns) <= set(gdf.columns)
        if "extent" in entry:
            minx, miny, maxx, maxy = gdf.total_bounds
            ex = entry["extent"]
            assert ex[0] <= minx and ex[1] <= miny and maxx <= ex[2] and maxy <= ex[3]
    else:
        df = pd.read_csv(path, dtype=str)
        assert list(df.columns) == columns
        assert len(df) > 0


def test_real_layers_validate():
    assert frontlines.check_folder(GEO).problems == []


def test_find_geo_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert find_geo() == GEO.resolve()
    monkeypatch.setenv(ENV_VAR, str(GOOD))
    assert find_geo() == GOOD.resolve()
    assert find_geo(tmp_path) == tmp_path.resolve()


def test_find_geo_relative_to_working_directory(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.chdir(GOOD.parent)
    assert find_geo("good") == GOOD.resolve()


def test_load_refuses_invalid_layers(tmp_path: Path):
    (tmp_path / "manifest.json").write_text("{", encoding="utf-8")
    with pytest.raises(LayerError) as err:
        frontlines.load(tmp_path)
    assert err.value.problems[0].rule == "json-invalid"
    assert "manifest.json" in str(err.value)


def test_loaded_frames_are_typed(good_atlas: frontlines.Atlas):
    L = good_atlas.layers
    assert L.districts.crs.to_epsg() == 4326
    assert str(L.control["valid_from"].dtype).startswith("datetime64")
    assert L.control["valid_to"].isna().any()
    assert L.districts.loc["east", "aliases"] == ()
    assert L.routes.loc["lifeline", "aliases"] == ("Road",)
    assert L.entry("aleppo_control")["period"] == ["2016-01-01", "2017-01-01"]


def test_geo_readme_describes_every_layer_and_column():
    text = (GEO / "README.md").read_text(encoding="utf-8")
    headings = " ".join(line for line in text.splitlines() if line.startswith("## "))
    for name, spec in LAYERS.items():
        assert name in headings, name
        for col in spec.column_names:
            assert f"`{col}`" in text, (name, col)
