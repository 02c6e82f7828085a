"""The explorer: one folium map that carries every date of 2016, inside the reader panel.

Cells, routes and places are drawn once; a compact table of who held what and when travels
with the map, with the labels chosen from the layers (:mod:`frontlines.labels`), and a small
script (``js/timemap.js``) restyles the layers for a date in the browser. Around the map, the
reader panel (``templates/panel.html.j2``, ``js/panel.js``, data from
:func:`frontlines.panel.panel_data`) holds the date, play, chapters and the day's figures.
The reader's zoom and pan survive a date change, a change costs no re-render, and a static
page can drive the same map with ``postMessage``.
"""

from __future__ import annotations

import functools
import html
import json
from collections.abc import Mapping
from importlib import resources
from typing import Any

import folium
import geopandas as gpd
import pandas as pd
import rjsmin
import shapely
from branca.element import MacroElement
from jinja2 import Environment, PackageLoader, Template
from markupsafe import Markup

from .assets import leaflet_urls
from .atlas import YEAR_END, YEAR_START, Atlas
from .citation import citation_html
from .display import city_outline, display_cells
from .labels import RANK_MIN_ZOOM, map_labels
from .layers import Layers
from .links import CHAPTERS
from .locator import locator_svg
from .maps import (
    ALEPPO_CENTRE,
    FILL_OPACITY,
    _Legend,
    _legend_html,
    _rounded,
    add_tile_switch,
    format_date,
)
from .panel import panel_data
from .style import FACTION_COLOURS, NONE_COLOUR, ROUTE_DASH, ROUTE_WEIGHT
from .text import CATALOGUES, LANG_DEFAULT, t
from .timeline import as_date

__all__ = ["timeline_map", "timeline_data", "js_json", "panel_html", "YEAR0"]

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
    "popup.site_kind",
    "date.format",
    "label.east",
    "label.west",
)
_TEMPLATES = Environment(
    loader=PackageLoader("frontlines", "templates"), autoescape=True, keep_trailing_newline=True
)


def js_json(obj: Any) -> str:
    """JSON that is safe inside an HTML ``<script>`` element.

    Examples
    --------
    >>> js_json({"a": "</script>"})
    '{"a":"<\\\\/script>"}'
    """
    text = json.dumps(obj, ensure_ascii=False, separators=(",", ":"))
    text = text.replace("</", "<\\/").replace("<!", "\\u003c!")  # no end tag, no comment
    return text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")


def _day(t: Any) -> int | None:
    return None if t is None or pd.isna(t) else int((pd.Timestamp(t) - YEAR0).days)


class _SourceIndex:
    """Numbers the sources a page cites, so that each citation is shipped once."""

    def __init__(self) -> None:
        self.ids: dict[str, int] = {}

    def __call__(self, sources: Any) -> list[int]:
        return [self.ids.setdefault(u, len(self.ids)) for u in sources]


def timeline_data(
    layers: Layers,
    colours: dict[str, str] | None = None,
    lang: str = LANG_DEFAULT,
    cite: _SourceIndex | None = None,
    sites: gpd.GeoDataFrame | None = None,
) -> dict[str, Any]:
    """The compact table the map's script reads: every history row as day numbers.

    Rows are ``[from_day, to_day or None, faction/status, parties/serves, confidence, source
    indexes]``, and route rows end with the reader's note on the status (popups stay short: a
    district's notes are in the downloads); days count from 1 January 2016. Sources are listed once,
    each as its citation already rendered by :func:`frontlines.citation.citation_html` (escaped
    HTML; the script opens their links in a new tab), so the script shows exactly what the Python
    popups show. ``sites`` are the places drawn (default: all). Pass ``cite`` to number the sources
    together with other data of the page (the panel's events); call this last, since the list of
    citations is taken from it.

    """
    colours = colours or FACTION_COLOURS
    idx = cite or _SourceIndex()

    cells: dict[str, Any] = {}
    for _, c in layers.districts.iterrows():
        cells[c["id"]] = {
            "name": c["name"],
            "name_ar": c["name_ar"] or "",
            "precision_m": int(c["precision_m"]),
            "rows": [],
        }
        if not c["approximate"]:  # approximate unless said otherwise (all drawn cells are)
            cells[c["id"]]["approximate"] = False
    for _, r in layers.control.sort_values("valid_from").iterrows():
        cells[r["district_id"]]["rows"].append(
            [
                _day(r["valid_from"]),
                _day(r["valid_to"]),
                r["faction"],
                list(r["parties"]),
                r["confidence"],
                idx(r["sources"]),
            ]
        )
    sites_table = {
        s["id"]: {
            "name": s["name"],
            "kind": s["kind"],
            "note": s["note"] or "",
            "confidence": s["confidence"],
            "precision_m": int(s["precision_m"]),
            "sources": idx(s["sources"]),
        }
        for _, s in (layers.sites if sites is None else sites).iterrows()
    }
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
        "sites": sites_table,
        "sources": [
            str(citation_html(layers.bibliography[i], lang, new_tab=False, wrap=False))
            for i in idx.ids
        ],
        "colours": {**colours, "none": NONE_COLOUR},
        "dash": ROUTE_DASH,
        "fillOpacity": FILL_OPACITY,
        "weight": ROUTE_WEIGHT,
    }


def _strings(lang: str) -> dict[str, Any]:
    cat = CATALOGUES.get(lang, CATALOGUES[LANG_DEFAULT])
    out: dict[str, Any] = {k: t(k, lang) for k in _STRING_KEYS}
    out |= {k: v for k, v in cat.items() if k.startswith(("faction.", "status.", "confidence."))}
    out["popup.details"] = t("popup.details", lang)
    out["ui.close"] = t("ui.close", lang)
    out["months"] = [t(f"month.{i}", lang) for i in range(1, 13)]
    out["title"] = t("map.title", lang)
    out["contested_by"] = t("popup.contested_by", lang, parties="").strip()
    out["approximate"] = t("popup.approximate", lang)
    return out


@functools.cache
def _script() -> str:
    """The map's and the panel's scripts, minified (the page ships them with every map)."""
    js = resources.files("frontlines").joinpath("js")
    return rjsmin.jsmin(
        "\n".join(
            js.joinpath(f).read_text(encoding="utf-8")
            for f in ("timemap.js", "compare.js", "panel.js")
        )
    )


def _label_rows(labels: list[dict[str, Any]]) -> list[list[Any]]:
    """Labels as ``[text, rank, kind, lat, lon, angle, alts]`` rows (the script's form)."""
    return [
        [x["text"], x["rank"], x["kind"], x["lat"], x["lon"], x["angle"], x["alts"]] for x in labels
    ]


def _site_layer(sites: gpd.GeoDataFrame, lang: str) -> folium.GeoJson:
    """The places as small white dots; the script binds their tooltips and popups."""
    pts = sites[["id", "geometry"]].copy()
    pts["geometry"] = _rounded(pts.geometry)
    return folium.GeoJson(
        pts.to_json(),
        name=t("layer.sites", lang),
        marker=folium.CircleMarker(
            radius=4, color="#000000", weight=1.5, fill=True, fill_color="#ffffff", fill_opacity=1
        ),
    )


class _FirstView(MacroElement):
    """Puts the map in the panel's stage and fits the city, before any layer is added: the
    layers are then drawn once, at their first view, with no animation and no second layout
    (the map is made without a view, so that Leaflet draws nothing until this runs)."""

    _template = Template(
        """{% macro script(this, kwargs) %}
frontlinesFirstView({{ this._parent.get_name() }}, {{ this.view }}, {{ this.bounds }});
{% endmacro %}"""
    )

    def __init__(self, view: str, bounds: list[list[float]]) -> None:
        super().__init__()
        self._name = "FrontlinesFirstView"
        self.view, self.bounds = js_json(view), js_json(bounds)


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


def panel_html(
    view_id: str,
    when: pd.Timestamp,
    chapters: Mapping[str, Any],
    lang: str = LANG_DEFAULT,
    locator: str = "",
) -> str:
    """The reader panel's markup around the map (autoescaped; ``js/panel.js`` fills it in)."""
    L = lambda key, **kw: t(key, lang, **kw)  # noqa: E731
    day = int((when - YEAR_START).days)
    return _TEMPLATES.get_template("panel.html.j2").render(
        view=view_id,
        heading=L("ui.map_heading"),
        hint=L("ui.map_hint"),
        chapters_label=L("ui.chapters"),
        chapters=[
            {"id": cid, "title": L(f"chapter.{cid}"), "date": format_date(as_date(d), lang)}
            for cid, d in chapters.items()
        ],
        date_text=format_date(when, lang),
        iso=when.date().isoformat(),
        day=day,
        last_day=int((YEAR_END - YEAR_START).days) - 1,
        play=L("ui.play"),
        speed=L("ui.speed"),
        prev=L("ui.prev"),
        next=L("ui.next"),
        prev_tip=L("ui.prev_tip"),
        next_tip=L("ui.next_tip"),
        date_label=L("ui.date"),
        close=L("ui.close"),
        routes_label=L("legend.routes"),
        events_label=L("ui.events"),
        compare_title=L("ui.compare_title"),
        compare_hint=L("ui.compare_hint"),
        compare_from=L("ui.from"),
        compare_to=L("ui.to"),
        compare_dates=[
            {"day": int((d - YEAR_START).days), "text": format_date(d, lang)}
            for d in (CHAPTERS["siege"], CHAPTERS["end"])
        ],
        compare_reversed=L("ui.compare_reversed"),
        compare_list=L("ui.compare_list"),
        district=L("ui.district"),
        link=L("ui.link", date=format_date(when, lang)),
        locator=Markup(locator),  # built from an autoescaping template (frontlines.locator)
    )


def timeline_map(
    atlas: Atlas,
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
    captions: Mapping[str, str] | None = None,
    kernel: bool = True,
    late: str | None = None,
) -> folium.Map:
    """Build the explorer: the map inside the reader panel, showing ``when`` at first.

    Parameters
    ----------
    atlas
        The loaded layers.
    when
        The first date shown; the panel changes it in the browser.
    view_id
        Names the panel and the ``.fl-beacon`` / ``.fl-sync-VIEW`` elements it follows in its
        parent page.
    asset_base
        URL of the folder holding ``leaflet/``.
    sites
        The named points to draw (default: all sites).
    date_token
        If given, the script's first date is this text instead of ``when``, so that one
        rendered page can be reused for any date by replacing the token.
    chapters
        Chapter ids and their dates: the panel's chapter buttons, and the script opens on the
        date a host page's ``?chapter=ID`` names, as the app does.
    captions
        Chapter id to caption HTML (:func:`frontlines.panel.chapter_captions`).
    kernel
        Whether a kernel keeps in step with the panel (Voila); ``False`` for a page that has
        none (the static site), where the panel looks for no beacon or sync widget.
    late
        The address of a script to load the citations and the events from after the map is
        drawn (the static site); the script's text is left on the returned map as
        ``late_script``, for the caller to write at that address. ``None``: all inline.
    """
    layers = atlas.layers
    colours = colours or FACTION_COLOURS
    chapters = chapters or {}
    t0 = as_date(when)
    m = folium.Map(location=ALEPPO_CENTRE, zoom_start=12, tiles=None, control_scale=True)
    m.default_js, m.default_css = leaflet_urls(asset_base)
    m.options.pop("zoom")  # no view until _FirstView: the layers are drawn once, at their place
    city = layers.districts[layers.districts["in_city"].astype(bool)]
    b = city.total_bounds
    bounds = [[float(b[1]), float(b[0])], [float(b[3]), float(b[2])]]
    m.add_child(_FirstView(view_id, bounds))

    cells = layers.districts[["id", "in_city", "geometry"]].copy()
    cells["geometry"] = _rounded(display_cells(layers))  # fitted to the city's edge
    # the fills are the script's (it styles the first date before the map is first drawn)
    cell_layer = folium.GeoJson(
        cells.to_json(),
        name=t("layer.districts", lang),
        style_function=lambda f: {
            "fillColor": NONE_COLOUR,
            "fillOpacity": FILL_OPACITY,
            "color": "#333333",
            "weight": 0.8 if f["properties"]["in_city"] else 0.5,
            "dashArray": None if f["properties"]["in_city"] else "3 3",
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
    )
    cell_layer.add_to(m)

    edge = city_outline(layers) or shapely.union_all(city.geometry.values)
    folium.GeoJson(
        gpd.GeoSeries([edge.boundary], crs="EPSG:4326").set_precision(1e-5).to_json(),
        name="city outline",
        control=False,
        interactive=False,
        style_function=lambda f: {"color": "#333333", "weight": 1.5, "opacity": 0.7},
    ).add_to(m)

    # The Queiq (and any other river near the city): a thin line with a white edge, so that it
    # shows over every fill; drawn under the routes, and not clickable (the legend names it).
    rivers = layers.context_lines[layers.context_lines["kind"] == "river"]
    rivers = rivers[rivers.intersects(shapely.box(*city.total_bounds).buffer(0.05))]
    if len(rivers):
        river_json = rivers[["id", "geometry"]].assign(geometry=_rounded(rivers.geometry)).to_json()
        for colour, weight in (("#ffffff", 5), ("#3b83bd", 2.5)):
            folium.GeoJson(
                river_json,
                name=t("layer.river", lang),
                control=False,
                interactive=False,
                style_function=lambda f, c=colour, w=weight: {
                    "color": c,
                    "weight": w,
                    "opacity": 0.95,
                },
            ).add_to(m)

    # Routes with a more important label are drawn last, on top: where two routes run
    # together (Castello Road and the government's detour), the reader clicks the one named.
    routes = layers.routes[["id", "label_rank", "geometry"]].copy()
    routes = routes.assign(order=pd.to_numeric(routes["label_rank"]).fillna(99)).sort_values(
        "order", ascending=False, kind="stable"
    )[["id", "geometry"]]
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

    shown_sites = layers.sites if sites is None else sites
    site_layer = _site_layer(shown_sites, lang)
    site_layer.add_to(m)
    if tiles:
        add_tile_switch(m, lang)
    shown = set(layers.control["faction"])
    legend = _legend_html(
        [f for f in colours if f in shown],
        colours,
        lang,
        extras=("river", "edge", "highlight"),
    )
    m.add_child(_Legend(t("legend.title", lang), legend))

    cite = _SourceIndex()
    panel = panel_data(atlas, cite, lang, chapters, captions)
    data = timeline_data(layers, colours, lang, cite, shown_sites)  # last: lists the sources
    late_script = None
    if late is not None:
        late_script = (
            "window.frontlinesLate("
            + js_json({"sources": data.pop("sources"), "events": panel.pop("events")})
            + ");\n"
        )
    config = (
        "{"
        f"map: {m.get_name()}, cells: {cell_layer.get_name()},"
        f" casing: {casing.get_name()}, routes: {route_layer.get_name()},"
        f" sites: {site_layer.get_name()},"
        f" date: {js_json(date_token or t0.date().isoformat())}, view: {js_json(view_id)},"
        f" data: {js_json(data)}, strings: {js_json(_strings(lang))},"
        f" panel: {js_json(panel)}, bounds: {js_json(bounds)},"
        f" labels: {js_json(_label_rows(map_labels(layers, shown_sites['id'])))},"
        f" rankZoom: {js_json({str(k): v for k, v in RANK_MIN_ZOOM.items()})},"
        f" kernel: {js_json(kernel)}, late: {js_json(late)}"
        "}"
    )
    code = "\n".join(
        [
            _script(),
            f"frontlinesStart({config});",
        ]
    )
    m.add_child(_Controller(code))
    m.get_root().html.add_child(
        folium.Element(
            panel_html(
                view_id,
                t0,
                chapters,
                lang,
                locator_svg(
                    layers.border,
                    ALEPPO_CENTRE[0],
                    ALEPPO_CENTRE[1],
                    t("label.aleppo", lang),
                    t("label.syria", lang),
                    t("ui.locator", lang),
                ),
            )
        ),
        name="fl_panel",
        index=0,
    )
    m.late_script = late_script
    title = html.escape(t("map.title", lang, date=format_date(t0, lang)))
    m.get_root().header.add_child(folium.Element(f"<title>{title}</title>"))
    return m
