"""Every layer's state on a date, as files: GeoJSON, a zip of CSVs, and the sources they cite.

One module feeds the app's downloads, the static site's and ``frontlines export``. Each file
carries the date, the dataset's version, each layer's licence and attribution, and the
bibliography of the sources cited (the GeoJSON under ``bibliography``; the zip as
``sources.csv``). Outlines and lines are approximate: see ``precision_m`` and the sources.
"""

from __future__ import annotations

import base64
import html
import io
import json
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
import shapely

from .atlas import YEAR_START, Atlas
from .timeline import DateLike, as_date, towns_at

__all__ = [
    "LAYERS_EXPORTED",
    "csv_zip_on",
    "data_link",
    "files_on",
    "geojson_on",
    "gpkg_on",
    "layers_on",
]

#: The layers a download holds, in this order, with the layer each comes from.
LAYERS_EXPORTED = {
    "districts": "aleppo_control",
    "towns": "governorate_control",
    "routes": "route_status",
    "sites": "sites",
    "events": "events",
}
_NOTE = "Outlines, lines and places are approximate: see precision_m and the sources."
_COLUMNS = [
    "id",
    "name",
    "name_ar",
    "in_city",
    "faction",
    "since",
    "until",
    "confidence",
    "area_km2",
    "precision_m",
    "note",
]


def _iso(v: object) -> str | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()


def _ids(values: object) -> str:
    return " ".join(values) if isinstance(values, tuple | list) else ""


def layers_on(atlas: Atlas, when: DateLike) -> dict[str, gpd.GeoDataFrame]:
    """Each exported layer's state on ``when`` (one GeoDataFrame per layer, longitude/latitude).

    ``districts``: who held each cell, since and until when, with its area; ``towns``: the
    same for the town cells of the governorate outside the city; ``routes``: the
    routes in force with their status and the side they served; ``sites``: the named places;
    ``events``: the events of 2016 up to and including ``when``, placed at their site or
    district where they name one. ``sources`` holds the cited ids, space-separated.
    """
    when = as_date(when)
    L = atlas.layers
    z = atlas.control_at(when)
    districts = z[_COLUMNS + ["geometry"]].copy()
    districts["parties"] = [_ids(p) for p in z["parties"]]
    districts["sources"] = [_ids(s) for s in z["sources"]]
    districts["area_km2"] = districts["area_km2"].round(3)
    towns = _towns_on(atlas, when)
    r = atlas.routes_at(when)
    routes = gpd.GeoDataFrame(
        {
            "id": r["id"],
            "name": r["name"],
            "status": r["status"],
            "serves": r["serves"],
            "since": r["since"],
            "until": r["until"],
            "confidence": r["status_confidence"],
            "precision_m": r["precision_m"],
            "note": r["status_note"],
            "sources": [_ids(s) for s in r["status_sources"]],
        },
        geometry=r.geometry.values,
        crs=L.routes.crs,
    )
    s = L.sites
    sites = gpd.GeoDataFrame(
        {
            "id": s["id"],
            "name": s["name"],
            "name_ar": s["name_ar"],
            "kind": s["kind"],
            "confidence": s["confidence"],
            "precision_m": s["precision_m"],
            "note": s["note"],
            "sources": [_ids(x) for x in s["sources"]],
        },
        geometry=s.geometry.values,
        crs=s.crs,
    )
    ev = L.events[(L.events["date"] >= YEAR_START) & (L.events["date"] <= when)]
    ev = ev.sort_values(["date", "id"])
    cells = L.districts.geometry

    def place(row: pd.Series) -> shapely.Geometry | None:
        site, district = row.get("site_id"), row.get("district_id")
        if isinstance(site, str) and site in s.index:
            return s.geometry[site]
        if isinstance(district, str) and district in cells.index:
            return cells[district].representative_point()
        return None

    events = gpd.GeoDataFrame(
        {
            "id": ev["id"],
            "date": ev["date"],
            "date_precision": ev["date_precision"],
            "category": ev["category"],
            "title": ev["title"],
            "summary": ev["summary"],
            "confidence": ev["confidence"],
            "sources": [_ids(x) for x in ev["sources"]],
        },
        geometry=[place(row) for _, row in ev.iterrows()],
        crs=s.crs,
    )
    out = {
        "districts": districts,
        "towns": towns,
        "routes": routes,
        "sites": sites,
        "events": events,
    }
    for df in out.values():
        for c in ("since", "until", "date"):
            if c in df:
                df[c] = [_iso(v) for v in df[c]]
    return out


def _towns_on(atlas: Atlas, when: pd.Timestamp) -> gpd.GeoDataFrame:
    """Who held each town cell of the governorate on ``when`` ("none" outside the period)."""
    z = towns_at(atlas.layers, when)
    cols = ["id", "name", "name_ar", "faction", "since", "until", "confidence", "precision_m"]
    towns = z[cols + ["note"]].copy()
    towns.insert(4, "parties", [_ids(p) for p in z["parties"]])
    towns["sources"] = [_ids(s) for s in z["sources"]]
    return gpd.GeoDataFrame(towns, geometry=z.geometry.values, crs=z.crs)


def _meta(atlas: Atlas, when: pd.Timestamp) -> dict:
    L = atlas.layers
    return {
        "date": when.date().isoformat(),
        "dataset": L.manifest.get("title", ""),
        "dataset_version": L.manifest.get("version"),
        "licences": {
            name: {
                "licence": L.entry(layer)["licence"],
                "attribution": L.entry(layer)["attribution"],
            }
            for name, layer in LAYERS_EXPORTED.items()
        },
        "note": _NOTE,
    }


def _cited(layers: dict[str, gpd.GeoDataFrame]) -> list[str]:
    ids = (i for df in layers.values() for v in df["sources"] for i in v.split())
    return list(dict.fromkeys(ids))


def geojson_on(atlas: Atlas, when: DateLike) -> str:
    """Every exported layer on ``when`` as one GeoJSON FeatureCollection; each feature names
    its ``layer``; the date, the dataset's version, licences and bibliography are top-level."""
    when = as_date(when)
    return _geojson(atlas, when, layers_on(atlas, when))


def csv_zip_on(atlas: Atlas, when: DateLike) -> bytes:
    """Every exported layer on ``when`` as a zip of CSV files (geometry as WKT), with
    ``sources.csv`` (the bibliography rows cited) and ``about.json`` (date, version,
    licences)."""
    when = as_date(when)
    return _csv_zip(atlas, when, layers_on(atlas, when))


def gpkg_on(atlas: Atlas, when: DateLike, path: str | Path) -> Path:
    """Every exported layer on ``when`` as a GeoPackage at ``path``: one table per layer, with
    ``sources`` (the bibliography rows cited) and ``about`` (date, version, licences) as plain
    tables. An existing file is replaced."""
    when = as_date(when)
    path = Path(path)
    layers = layers_on(atlas, when)
    path.unlink(missing_ok=True)
    for name, df in layers.items():
        df.to_file(path, layer=name, driver="GPKG")
    sources = atlas.layers.sources.loc[_cited(layers)].reset_index(drop=True)
    meta = _meta(atlas, when)
    about = pd.DataFrame(
        [{"key": k, "value": v if isinstance(v, str) else json.dumps(v)} for k, v in meta.items()]
    )
    for name, table in (("sources", sources), ("about", about)):  # tables without geometry
        pyogrio.write_dataframe(table.astype(str), path, layer=name, driver="GPKG")
    return path


def files_on(atlas: Atlas, when: DateLike) -> tuple[str, bytes, str]:
    """The downloads of ``when``, from one pass over the layers: the GeoJSON, the zip of CSV
    files and the bibliography rows cited (CSV, ``geo/sources.csv``'s columns)."""
    when = as_date(when)
    layers = layers_on(atlas, when)
    return (
        _geojson(atlas, when, layers),
        _csv_zip(atlas, when, layers),
        _sources_csv(atlas, layers),
    )


def _geojson(atlas: Atlas, when: pd.Timestamp, layers: dict[str, gpd.GeoDataFrame]) -> str:
    features = []
    for name, df in layers.items():
        for f in json.loads(df.to_json(na="null"))["features"]:
            f["properties"] = {"layer": name, **f["properties"]}
            features.append(f)
    doc = {"type": "FeatureCollection", **_meta(atlas, when), "features": features}
    doc["bibliography"] = [s.as_dict() for s in atlas.cite(_cited(layers))]
    return json.dumps(doc, ensure_ascii=False)


def _sources_csv(atlas: Atlas, layers: dict[str, gpd.GeoDataFrame]) -> str:
    return atlas.layers.sources.loc[_cited(layers)].to_csv(index=False, lineterminator="\n")


def _csv_zip(atlas: Atlas, when: pd.Timestamp, layers: dict[str, gpd.GeoDataFrame]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for name, df in layers.items():
            table = pd.DataFrame(df.drop(columns="geometry"))
            table["wkt"] = [None if g is None else g.wkt for g in df.geometry]
            z.writestr(f"{name}.csv", table.to_csv(index=False, lineterminator="\n"))
        z.writestr("sources.csv", _sources_csv(atlas, layers))
        z.writestr("about.json", json.dumps(_meta(atlas, when), ensure_ascii=False, indent=1))
    return buf.getvalue()


def data_link(text: str, mime: str, name: str, label: str) -> str:
    """A link that downloads ``text`` as the file ``name`` (a ``data:`` URL; no server).

    Examples
    --------
    >>> data_link("a,b", "text/csv", "x.csv", "CSV <1>")
    '<a download="x.csv" href="data:text/csv;base64,YSxi">CSV &lt;1&gt;</a>'
    """
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(name, quote=True)}" href="data:{mime};base64,{b64}">'
        f"{html.escape(label, quote=True)}</a>"
    )
