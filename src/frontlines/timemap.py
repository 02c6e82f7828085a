"""The explorer map: one folium map that carries every date of 2016.

Cells, routes and hatching are drawn once; a compact table of who held what and when travels
with the map, and a small script (``js/timemap.js``) restyles the layers for a date in the
browser. The reader's zoom and pan survive a date change, a change costs no re-render, and a
static page can drive the same map with ``postMessage``.
"""

from __future__ import annotations

import html
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import shapely
from branca.element import MacroElement
from jinja2 import Template

from .assets import leaflet_urls
from .citation import citation_html
from .layers import Layers
from .maps import (
    ALEPPO_CENTRE,
    _Legend,
    _legend_html,
    _rounded,
    add_sites,
    add_tile_switch,
    format_date,
)
from .style import FACTION_COLOURS, NONE_COLOUR, ROUTE_DASH, ROUTE_WEIGHT, faction_colour
from .text import CATALOGUES, LANG_DEFAULT, t
from .timeline import as_date, rows_in_force

__all__ = ["timeline_map", "timeline_data", "js_json", "YEAR0"]

YEAR0 = pd.Timestamp("2016-01-01")
_STRING_KEYS = (
    "popup.held_by",
    "popup.since",
    "popup.until",
    "popup.still",
    "popup.confidence",
    "popup.sources",
    "popup.route_status",
    "popup.route_serves",
)


def js_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    Examples
    --------
    >>> js_json({"a": "</script>"})
    '{"a": "<\\\\/script>"}'
    """
    text = json.dumps(obj, ensure_ascii=False)
    return text.replace("</", "<\\/").replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _day(t: Any) -> int | None:
    return None if t is None or pd.isna(t) else int((pd.Timestamp(t) - YEAR0).days)


def timeline_data(
    layers: Layers, colours: dict[str, str] | None = None, lang: str = LANG_DEFAULT
) -> dict[str, Any]:
    """The compact table the map's script reads: every history row as day numbers.

    Rows are ``[from_day, to_day or None, faction/status, parties/serves, confidence,
    source indexes, note]``; days count from 1 January 2016. Sources are listed once, each
    as its citation already rendered by :func:`frontlines.citation.citation_html` (escaped
    HTML), so the script shows exactly what the Python popups show.
    """
    colours = colours or FACTION_COLOURS
    ids: dict[str, int] = {}

    def idx(sources: tuple[str, ...]) -> list[int]:
        return [ids.setdefault(u, len(ids)) for u in sources]

    cells: dict[str, Any] = {}
    for _, c in layers.districts.iterrows():
        cells[c["id"]] = {
            "name": c["name"],
            "name_ar": c["name_ar"] or "",
            "approximate": bool(c["approximate"]),
            "precision_m": int(c["precision_m"]),
            "rows": [],
        }
    for _, r in layers.control.sort_values("valid_from").iterrows():
        cells[r["district_id"]]["rows"].append(
            [
                _day(r["valid_from"]),
                _day(r["valid_to"]),
                r["faction"],
                list(r["parties"]),
                r["confidence"],
                idx(r["sources"]),
                r["note"] or "",
            ]
        )
    routes: dict[str, Any] = {}
    for _, g in layers.routes.iterrows():
        routes[g["id"]] = {"name": g["name"], "precision_m": int(g["precision_m"]), "rows": []}
    for _, r in layers.route_status.sort_values("valid_from").iterrows():
        routes[r["route_id"]]["rows"].append(
            [
                _day(r["valid_from"]),
                _day(r["valid_to"]),
                r["status"],
                r["serves"],
                r["confidence"],
                idx(r["sources"]),
                r["note"] or "",
            ]
        )
    return {
        "cells": cells,
        "routes": routes,
        "sources": [str(citation_html(layers.bibliography[i], lang)) for i in ids],
        "colours": {**colours, "none": NONE_COLOUR},
        "dash": ROUTE_DASH,
        "weight": ROUTE_WEIGHT,
    }


def _strings(lang: str) -> dict[str, Any]:
    cat = CATALOGUES.get(lang, CATALOGUES[LANG_DEFAULT])
    out: dict[str, Any] = {k: t(k, lang) for k in _STRING_KEYS}
    out |= {k: v for k, v in cat.items() if k.startswith(("faction.", "status."))}
    out["months"] = [t(f"month.{i}", lang) for i in range(1, 13)]
    out["title"] = t("map.title", lang)
    out["contested_by"] = t("popup.contested_by", lang, parties="").strip()
    out["approximate"] = t("popup.approximate", lang)
    return out


class _Controller(MacroElement):
    """Adds timemap.js, configured with the layers' JavaScript names and the data."""

    _template = Template(
        """{% macro script(this, kwargs) %}
{{ this.code }}
{% endmacro %}"""
    )

    def __init__(self, code: str) -> None:
        super().__init__()
        self._name = "FrontlinesTimemap"
        self.code = code


def timeline_map(
    layers: Layers,
    when: Any,
    *,
    view_id: str,
    asset_base: str = "static",
    lang: str = "en",
    colours: dict[str, str] | None = None,
    sites: gpd.GeoDataFrame | None = None,
    tiles: bool = True,
    date_token: str | None = None,
    chapters: Mapping[str, Any] | None = None,
) -> folium.Map:
    """Build the explorer map, showing ``when`` at first.

    Parameters
    ----------
    layers
        The loaded layers.
    when
        The first date shown; the script changes it in the browser.
    view_id
        Names the ``.fl-beacon`` element (``data-view``) the map follows in its parent page.
    asset_base
        URL of the folder holding ``leaflet/``.
    sites
        The named points to draw (default: all sites).
    date_token
        If given, the script's first date is this text instead of ``when``, so that one
        rendered page can be reused for any date by replacing the token.
    chapters
        Chapter ids and their dates: the script opens on the date a host page's
        ``?chapter=ID`` names, as the app does.
    """
    colours = colours or FACTION_COLOURS
    t0 = as_date(when)
    m = folium.Map(location=ALEPPO_CENTRE, zoom_start=12, tiles=None, control_scale=True)
    m.default_js, m.default_css = leaflet_urls(asset_base)

    first = rows_in_force(layers.control, t0).drop_duplicates("district_id")
    held = dict(zip(first["district_id"], first["faction"], strict=True))
    cells = layers.districts[["id", "in_city", "geometry"]].copy()
    cells["geometry"] = _rounded(cells.geometry)
    cells["fill"] = [faction_colour(held.get(i, "none"), colours) for i in cells["id"]]
    cells["contested"] = [held.get(i) == "contested" for i in cells["id"]]  # hatched by the script
    cell_layer = folium.GeoJson(
        cells.to_json(),
        name=t("layer.districts", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.25 if f["properties"]["contested"] else 0.55,
            "color": "#333333",
            "weight": 0.8 if f["properties"]["in_city"] else 0.5,
            "dashArray": None if f["properties"]["in_city"] else "3 3",
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
    )
    cell_layer.add_to(m)

    city = layers.districts[layers.districts["in_city"].astype(bool)]
    folium.GeoJson(
        gpd.GeoSeries([shapely.union_all(city.geometry.values).boundary], crs="EPSG:4326")
        .set_precision(1e-5)
        .to_json(),
        name="city outline",
        control=False,
        interactive=False,
        style_function=lambda f: {"color": "#111111", "weight": 2.5, "opacity": 0.8},
    ).add_to(m)

    routes = layers.routes[["id", "geometry"]].copy()
    routes["geometry"] = _rounded(routes.geometry)
    route_json = routes.to_json()
    casing = folium.GeoJson(
        route_json,
        name="route casing",
        control=False,
        interactive=False,
        style_function=lambda f: {"color": "#ffffff", "weight": 9, "opacity": 0},
    )
    casing.add_to(m)
    route_layer = folium.GeoJson(
        route_json,
        name=t("layer.routes", lang),
        style_function=lambda f: {"color": "#333333", "weight": 5, "opacity": 0},
    )
    route_layer.add_to(m)

    add_sites(m, layers.sites if sites is None else sites, layers.bibliography, lang)
    if tiles:
        add_tile_switch(m, lang)
    shown = set(layers.control["faction"])
    legend = _legend_html([f for f in colours if f in shown], colours, lang)
    m.add_child(_Legend(t("legend.title", lang), legend))

    b = city.total_bounds
    bounds = [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
    chapter_dates = {k: as_date(v).date().isoformat() for k, v in (chapters or {}).items()}
    data = timeline_data(layers, colours, lang)
    config = (
        "{"
        f"map: {m.get_name()}, cells: {cell_layer.get_name()},"
        f" casing: {casing.get_name()}, routes: {route_layer.get_name()},"
        f" date: {js_json(date_token or t0.date().isoformat())}, view: {js_json(view_id)},"
        f" data: {js_json(data)}, strings: {js_json(_strings(lang))},"
        f" chapters: {js_json(chapter_dates)}, bounds: {js_json(bounds)}"
        "}"
    )
    code = resources.files("frontlines").joinpath("js/timemap.js").read_text(encoding="utf-8")
    m.add_child(_Controller(code.replace("/*CONFIG*/", config)))
    m.fit_bounds(bounds)
    title = html.escape(t("map.title", lang, date=format_date(t0, lang)))
    m.get_root().header.add_child(folium.Element(f"<title>{title}</title>"))
    return m
