"""How the district cells are drawn: display only, never counted.

The cells of ``aleppo_districts`` are approximate by construction (Voronoi regions of the
district points, each cut to a disc), so at the city's edge they end in arcs over open ground
and inside the city they leave slivers that no cell covers. For drawing, the cells inside the
city are fitted to the built-up outline (the ``city_outline`` line of ``context_lines``): each
is trimmed to the outline, and the ground inside the outline that no cell covers goes to the
nearest cell. Areas, the siege calendar and every query use the layer's own cells.
"""

from __future__ import annotations

import geopandas as gpd
import shapely

from .layers import Layers

__all__ = ["OUTLINE_ID", "city_outline", "display_cells"]

OUTLINE_ID = "city_outline"
_METRIC = "EPSG:32637"
#: Cells are trimmed to the outline grown by this much (the outline is itself approximate).
_MARGIN_M = 150.0


def city_outline(layers: Layers) -> shapely.Polygon | None:
    """The built-up city as a polygon (longitude/latitude), or None if the layers have none."""
    lines = layers.context_lines
    rows = lines[lines["id"] == OUTLINE_ID]
    if rows.empty:
        return None
    polys = shapely.get_parts(shapely.polygonize([rows.geometry.iloc[0]]))
    return max(polys, key=lambda p: p.area) if len(polys) else None


def display_cells(layers: Layers) -> gpd.GeoSeries:
    """The geometry to draw for each district cell (indexed by id), fitted to the outline.

    Cells outside the city (``in_city`` false) and every cell when there is no outline are
    drawn as they are. A city cell that would lose most of itself to the trim is kept whole.
    """
    cells = layers.districts
    out = cells.geometry.copy()
    outline = city_outline(layers)
    if outline is None:
        return out
    metric = cells.to_crs(_METRIC).geometry
    edge = gpd.GeoSeries([outline], crs="EPSG:4326").to_crs(_METRIC).iloc[0]
    inside = cells["in_city"].astype(bool)
    # the ground inside the outline that no cell covers, shared out to the nearest city cell
    gaps = edge.difference(shapely.union_all(metric.values))
    seeds = metric[inside].representative_point()
    regions = shapely.voronoi_polygons(
        shapely.MultiPoint(list(seeds.values)), extend_to=edge.buffer(5000)
    )
    region_of = {}
    for region in shapely.get_parts(regions):
        hit = seeds[seeds.within(region)]
        if len(hit):
            region_of[hit.index[0]] = region
    limit = edge.buffer(_MARGIN_M)
    fitted = {}
    for cid in metric[inside].index:
        g = metric[cid]
        if cid in region_of:
            g = g.union(gaps.intersection(region_of[cid]))
        trimmed = g.intersection(limit)
        fitted[cid] = trimmed if trimmed.area >= 0.5 * metric[cid].area else metric[cid]
    drawn = gpd.GeoSeries(fitted, crs=_METRIC).to_crs("EPSG:4326")
    # fitted cells may touch; trim each by the ones before it so that none overlaps another
    done = shapely.Polygon()
    for cid in drawn.index:
        g = shapely.make_valid(drawn[cid]).difference(done)
        done = done.union(g)
        out[cid] = g
    # about 10 m simpler, keeping shared edges shared (a smaller page, no slivers)
    out[:] = shapely.coverage_simplify(out.values, 0.0001)
    return out
