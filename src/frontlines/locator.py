"""The locator inset: Syria's outline with Aleppo marked, a small SVG for the map's corner."""

from __future__ import annotations

import math

import geopandas as gpd
import jinja2
import shapely
from markupsafe import Markup

__all__ = ["locator_svg"]

_SVG = jinja2.Environment(autoescape=True).from_string(
    '<svg class="fl-locator" viewBox="0 0 {{ w }} {{ h }}" width="{{ w }}" height="{{ h }}"'
    ' role="img" aria-label="{{ title }}"><title>{{ title }}</title>'
    '<path d="{{ d }}" fill="#f4f1ea" stroke="#555" stroke-width="1"/>'
    '<circle cx="{{ x }}" cy="{{ y }}" r="4" fill="#c0392b" stroke="#fff" stroke-width="1.5"/>'
    '<text x="{{ tx }}" y="{{ ty }}" font-size="10" font-weight="700" fill="#111">'
    "{{ place }}</text>"
    '<text x="{{ cx }}" y="{{ cy }}" font-size="9" letter-spacing="1.5" fill="#666"'
    ' text-anchor="middle">{{ country }}</text></svg>'
)


def locator_svg(
    border: gpd.GeoDataFrame,
    lat: float,
    lon: float,
    place: str,
    country: str,
    title: str,
    width: int = 96,
) -> Markup:
    """Syria (``border``) as a small SVG with the point ``lat``, ``lon`` marked and named.

    Drawn in an equirectangular projection scaled for Syria's latitude; the outline is
    simplified to about 5 km, which is plenty at this size.
    """
    shape = shapely.union_all(border.geometry.values).simplify(0.05)
    x0, y0, x1, y1 = shape.bounds
    k = math.cos(math.radians((y0 + y1) / 2))
    scale = (width - 4) / ((x1 - x0) * k)
    height = int((y1 - y0) * scale) + 4

    def pt(x: float, y: float) -> tuple[float, float]:
        return round(2 + (x - x0) * k * scale, 1), round(2 + (y1 - y) * scale, 1)

    d = []
    for poly in getattr(shape, "geoms", [shape]):
        ring = [pt(x, y) for x, y in poly.exterior.coords]
        d.append("M" + " L".join(f"{a},{b}" for a, b in ring) + " Z")
    x, y = pt(lon, lat)
    c = shape.representative_point()
    cx, cy = pt(c.x, c.y)
    return Markup(
        _SVG.render(
            w=width,
            h=height,
            d=" ".join(d),
            x=x,
            y=y,
            tx=round(x + 6, 1),
            ty=round(y + 3.5, 1),
            cx=cx,
            cy=round(cy + 12, 1),
            place=place,
            country=country,
            title=title,
        )
    )
