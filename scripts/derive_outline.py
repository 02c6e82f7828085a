"""Derive the built-up outline of Aleppo city from a local copy of the Center for Spatial
Research's neighbourhood polygons, and record it as waypoints in geo/inputs/.

    python scripts/derive_outline.py PATH/TO/Neighborhoods.geojson

The dataset (github-8a516 in geo/sources.csv: CenterForSpatialResearch/aleppo_test, commit
3f750b9, MIT) is read, never copied: only the derived outline is recorded, as the ordered points
of the line ``city_outline`` in inputs/context_waypoints.csv, which scripts/build_geo.py turns
into a line of context_lines.geojson like every other line. The outline is the union of the
133 neighbourhood polygons, closed over gaps narrower than 120 m (streets between polygons),
its largest part (the city; the separate Sheikh Najjar industrial city and the Ramouseh
industrial district are left out), its holes filled, and simplified to about 80 m.
"""

from __future__ import annotations

import csv
import io
import sys
from pathlib import Path

import geopandas as gpd
import shapely

INPUTS = Path(__file__).resolve().parents[1] / "geo" / "inputs"
METRIC = "EPSG:32637"
LINE_ID = "city_outline"
SOURCE = "github-8a516"


def outline(path: str | Path) -> shapely.Polygon:
    """The built-up city as one polygon (longitude/latitude)."""
    g = gpd.read_file(path).to_crs(METRIC)
    union = shapely.union_all(g.geometry.buffer(60).values).buffer(-60)
    city = max(getattr(union, "geoms", [union]), key=lambda p: p.area)
    city = shapely.Polygon(city.exterior).simplify(80)
    return gpd.GeoSeries([city], crs=METRIC).to_crs("EPSG:4326").iloc[0]


def main(argv: list[str]) -> int:
    poly = outline(argv[1])
    path = INPUTS / "context_waypoints.csv"
    rows = list(csv.DictReader(io.StringIO(path.read_text(encoding="utf-8"))))
    fields = list(rows[0].keys())
    rows = [r for r in rows if r["line_id"] != LINE_ID]
    coords = list(poly.exterior.coords)
    for i, (x, y) in enumerate(coords, start=1):
        rows.append(
            {
                "line_id": LINE_ID,
                "seq": str(i),
                "name": "city edge" if i > 1 else "city edge (north-west, start and end)",
                "lat": f"{y:.5f}",
                "lon": f"{x:.5f}",
                "sources": SOURCE,
            }
        )
    out = io.StringIO()
    writer = csv.DictWriter(out, fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(out.getvalue(), encoding="utf-8")
    print(f"{len(coords)} points of {LINE_ID} written to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
