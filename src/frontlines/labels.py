"""Map labels, chosen from the layers: each feature's ``label`` and ``label_rank`` columns.

Districts are named at a point inside their cell, places beside their dot, and routes along
their line (the middle of the part within :data:`ROUTE_LABEL_RADIUS_M` of the city centre, turned
to follow it). Which labels show at a zoom, and which give way where two would overlap, is
decided in the browser (``js/timemap.js``): rank first, then the order given here.
"""

from __future__ import annotations

import math
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from .layers import Layers
from .maps import ALEPPO_CENTRE

__all__ = ["ROUTE_LABEL_RADIUS_M", "RANK_MIN_ZOOM", "map_labels"]

#: Routes are named where they run through or near the city, not at their far ends.
ROUTE_LABEL_RADIUS_M = 9_000
#: The lowest zoom at which a label of each rank is drawn (lower ranks need more room).
RANK_MIN_ZOOM: dict[int, int] = {1: 0, 2: 13, 3: 14}
_MERCATOR = "EPSG:3857"
_METRIC = "EPSG:32637"


def _ranked(df: gpd.GeoDataFrame, ids: Any = None) -> gpd.GeoDataFrame:
    out = df[df["label"].notna() & df["label_rank"].notna()]
    if ids is not None:
        out = out[out["id"].isin(ids)]
    return out


def _route_anchors(line: shapely.LineString) -> list[tuple[shapely.Point, float]]:
    """Where a route's name may go (the middle of its part near the city first, then further
    out either side) and the angle (degrees, clockwise on screen) to turn it by."""
    metric = gpd.GeoSeries([line], crs="EPSG:4326").to_crs(_METRIC).iloc[0]
    centre = gpd.GeoSeries([shapely.Point(ALEPPO_CENTRE[1], ALEPPO_CENTRE[0])], crs="EPSG:4326")
    near = metric.intersection(centre.to_crs(_METRIC).iloc[0].buffer(ROUTE_LABEL_RADIUS_M))
    part = (
        max(getattr(near, "geoms", [near]), key=lambda g: g.length) if not near.is_empty else metric
    )
    out = []
    for at in (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8):
        mid = part.interpolate(at, normalized=True)
        a = part.interpolate(max(part.project(mid) - 300, 0))
        b = part.interpolate(min(part.project(mid) + 300, part.length))
        ends = gpd.GeoSeries([a, b, mid], crs=_METRIC)
        pa, pb = ends.to_crs(_MERCATOR).iloc[:2]
        angle = -math.degrees(math.atan2(pb.y - pa.y, pb.x - pa.x))  # screen y points down
        if angle > 90:
            angle -= 180
        elif angle < -90:
            angle += 180
        out.append((ends.to_crs("EPSG:4326").iloc[2], round(angle, 1)))
    return out


def map_labels(layers: Layers, site_ids: Any = None) -> list[dict[str, Any]]:
    """Every label the city map may draw, most important first.

    Parameters
    ----------
    layers
        The loaded layers.
    site_ids
        The places drawn on the map (default: all).

    Returns
    -------
    list of dict
        ``text``, ``rank``, ``kind`` (``district``, ``site``, ``route`` or ``river``),
        ``lat``, ``lon``, ``angle`` (degrees; lines only, else 0), ``alts`` (other ``[lat,
        lon, angle]`` to try when the first place is taken; lines only) and ``id``.
    """
    out: list[dict[str, Any]] = []
    d = _ranked(layers.districts)
    for _, r in d.iterrows():
        p = r.geometry.point_on_surface()
        out.append(_label(r, "district", p))
    for _, r in _ranked(layers.sites, site_ids).iterrows():
        out.append(_label(r, "site", r.geometry))
    for _, r in _ranked(layers.routes).iterrows():
        (p, angle), *alts = _route_anchors(r.geometry)
        out.append(_label(r, "route", p, angle, alts))
    for _, r in _ranked(layers.context_lines).iterrows():
        (p, angle), *alts = _route_anchors(r.geometry)
        out.append(_label(r, "river" if r["kind"] == "river" else "route", p, angle, alts))
    # districts first, then places (which may sit on any side of their dot), then routes
    # (which may slide along their line)
    kind_order = {"district": 0, "site": 1, "route": 2, "river": 3}
    out.sort(key=lambda x: (x["rank"], kind_order[x["kind"]], x["text"]))
    return out


def _label(
    r: pd.Series, kind: str, p: shapely.Point, angle: float = 0.0, alts: Any = ()
) -> dict[str, Any]:
    return {
        "id": r["id"],
        "text": r["label"],
        "rank": int(r["label_rank"]),
        "kind": kind,
        "lat": round(p.y, 5),
        "lon": round(p.x, 5),
        "angle": angle,
        "alts": [[round(q.y, 5), round(q.x, 5), a] for q, a in alts],
    }
