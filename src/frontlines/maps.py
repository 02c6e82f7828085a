"""Pure map builders: frames for one date in, a :class:`folium.Map` out.

No function here touches widgets or the network. Every text that comes from the data is
escaped before it reaches the page; Leaflet is loaded from ``asset_base`` (a local URL), and
the optional online tile layer is off by default.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping, Sequence

import folium
import geopandas as gpd
import jinja2
import pandas as pd
import shapely
from branca.element import Element, MacroElement
from jinja2 import Template

from .assets import leaflet_urls
from .bibliography import Source
from .citation import citations_html
from .style import FACTION_COLOURS, ROUTE_DASH, ROUTE_WEIGHT, faction_colour
from .text import t

__all__ = [
    "ALEPPO_CENTRE",
    "FILL_OPACITY",
    "MAP_BACKGROUND",
    "as_drawn",
    "control_map",
    "syria_map",
    "hatch_lines",
    "format_date",
    "cell_popup_html",
    "route_popup_html",
    "site_popup_html",
    "sources_html",
    "add_sites",
    "add_tile_switch",
]

ALEPPO_CENTRE = (36.205, 37.155)
_ROUND = 1e-5  # about 1 m: plenty for approximate outlines, and a smaller page


def format_date(when: pd.Timestamp, lang: str = "en") -> str:
    """``8 September 2016`` (in the catalogue's language)."""
    return t(
        "date.format", lang, day=when.day, month=t(f"month.{when.month}", lang), year=when.year
    )


def _e(value: object) -> str:
    """Escape any value for HTML text and attributes."""
    return html.escape(
        "" if value is None or (isinstance(value, float) and pd.isna(value)) else str(value),
        quote=True,
    )


def sources_html(ids: Iterable[str], bib: Mapping[str, Source], lang: str = "en") -> str:
    """The sources ``ids`` in the reader's citation format (escaped HTML, links open a new tab)."""
    return str(citations_html(ids, bib, lang))


def _iso(v: object) -> str | None:
    return None if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()


def cell_popup_html(row: pd.Series, bib: Mapping[str, Source], lang: str = "en") -> str:
    """The popup of one cell: name, holder, since and until, confidence, sources, precision."""
    fac = row["faction"]
    if fac == "contested":
        parties = " / ".join(t(f"faction.{p}", lang) for p in row["parties"])
        held = t("popup.contested_by", lang, parties=parties)
    else:
        held = f"{t('popup.held_by', lang)}: {t(f'faction.{fac}', lang)}"
    parts = [f"<strong>{_e(row['name'])}</strong>"]
    if row.get("name_ar"):
        parts.append(f'<span lang="ar" dir="rtl">{_e(row["name_ar"])}</span>')
    parts.append(_e(held))
    if fac != "none":
        until = row["until"]
        until_txt = format_date(until, lang) if _iso(until) else t("popup.still", lang)
        parts.append(f"{_e(t('popup.since', lang))}: {_e(format_date(row['since'], lang))}")
        parts.append(f"{_e(t('popup.until', lang))}: {_e(until_txt)}")
        parts.append(f"{_e(t('popup.confidence', lang))}: {_e(row['confidence'])}")
        if row.get("note"):
            parts.append(f"<em>{_e(row['note'])}</em>")
        parts.append(f"{_e(t('popup.sources', lang))}:{sources_html(row['sources'], bib, lang)}")
    if row.get("approximate"):
        prec = int(row["precision_m"])
        parts.append(f"<small>{_e(t('popup.approximate', lang, precision=prec))}</small>")
    return "<br>".join(parts)


def route_popup_html(r: pd.Series, bib: Mapping[str, Source], lang: str = "en") -> str:
    """The popup of a supply route on a date: status, faction served, since, sources."""
    status = r["status"]
    return "<br>".join(
        [
            f"<strong>{_e(r['name'])}</strong>",
            f"{_e(t('popup.route_status', lang))}: {_e(t(f'status.{status}', lang))}",
            f"{_e(t('popup.route_serves', lang))}: {_e(t(f'faction.{r.serves}', lang))}",
            f"{_e(t('popup.since', lang))}: {_e(format_date(r['since'], lang))}",
            f"{_e(t('popup.confidence', lang))}: {_e(r['status_confidence'])}",
            f"{_e(t('popup.sources', lang))}:{sources_html(r['status_sources'], bib, lang)}",
            f"<small>{_e(t('popup.approximate', lang, precision=int(r['precision_m'])))}</small>",
        ]
    )


def site_popup_html(s: pd.Series, bib: Mapping[str, Source], lang: str = "en") -> str:
    """The popup of a named site: name, kind, sources and how precise its position is."""
    return "<br>".join(
        [
            f"<strong>{_e(s['name'])}</strong>",
            f"{_e(t('popup.site_kind', lang))}: {_e(s['kind'])}",
            f"{_e(t('popup.sources', lang))}:{sources_html(s['sources'], bib, lang)}",
            f"<small>{_e(t('popup.approximate', lang, precision=int(s['precision_m'])))}</small>",
        ]
    )


def hatch_lines(geom: shapely.Geometry, spacing: float = 0.0012) -> shapely.Geometry:
    """Diagonal hatch lines clipped to ``geom`` (degrees), to mark contested ground.

    Examples
    --------
    >>> sq = shapely.box(0, 0, 0.01, 0.01)
    >>> hatch = hatch_lines(sq, 0.002)
    >>> hatch.geom_type, len(hatch.geoms)
    ('MultiLineString', 9)
    """
    minx, miny, maxx, maxy = geom.bounds
    span = (maxx - minx) + (maxy - miny)
    n = int(span / spacing) + 2
    lines = [
        shapely.LineString([(minx + i * spacing - (maxy - miny), miny), (minx + i * spacing, maxy)])
        for i in range(n)
    ]
    cut = shapely.intersection(shapely.MultiLineString(lines), geom)
    parts = [g for g in getattr(cut, "geoms", [cut]) if g.geom_type == "LineString"]
    return shapely.MultiLineString(parts)


class _Legend(MacroElement):
    """The map's legend: a disclosure box, open on wide screens and folded on phones."""

    _template = Template(
        """{% macro html(this, kwargs) %}
<style>
.fl-legend{position:absolute;z-index:1000;bottom:52px;left:10px;background:#fff;padding:6px 8px;
 border:1px solid #888;border-radius:4px;font:13px/1.35 system-ui,sans-serif;max-width:48%}
.fl-legend summary{cursor:pointer;font-weight:bold}
@media (max-width:520px){.fl-legend{font-size:12px;max-width:70%}}
</style>
<details class="fl-legend" role="region" aria-label="{{ this.label }}" open>
<summary>{{ this.label }}</summary>
{{ this.body }}
</details>
<script>
if (window.innerWidth < 700) {  // phones, and maps side by side
  document.querySelectorAll("details.fl-legend").forEach(function (d) { d.open = false; });
}
</script>
{% endmacro %}"""
    )

    def __init__(self, label: str, body: str) -> None:
        super().__init__()
        self._name = "Legend"
        self.label = html.escape(label, quote=True)
        self.body = body  # built from escaped pieces only


def add_sites(
    m: folium.Map, sites: gpd.GeoDataFrame, bib: Mapping[str, Source], lang: str = "en"
) -> None:
    """Draw named points as small white circles with an escaped tooltip and popup."""
    if not len(sites):
        return
    pts = sites.copy()
    pts["geometry"] = _rounded(pts.geometry)
    pts["label"] = [_e(n) for n in pts["name"]]
    pts["popup"] = [site_popup_html(r, bib, lang) for _, r in pts.iterrows()]
    folium.GeoJson(
        pts[["id", "label", "popup", "geometry"]].to_json(),
        name=t("layer.sites", lang),
        marker=folium.CircleMarker(
            radius=4, color="#000000", weight=1.5, fill=True, fill_color="#ffffff", fill_opacity=1
        ),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=300),
    ).add_to(m)


def add_tile_switch(m: folium.Map, lang: str = "en") -> None:
    """Offer online street tiles as an overlay the reader may switch on (off at first)."""
    folium.TileLayer(
        "OpenStreetMap",
        name=t("layer.tiles", lang),
        overlay=True,
        show=False,
        attr="&copy; OpenStreetMap contributors",
    ).add_to(m)
    folium.LayerControl(collapsed=True).add_to(m)


#: Leaflet's map background, which the fills are drawn over.
MAP_BACKGROUND = "#dddddd"
#: How opaque a held district's fill is drawn.
FILL_OPACITY = 0.55

_LEGEND = jinja2.Environment(autoescape=True).from_string(
    """{% for f in fills %}<div><span aria-hidden="true" class="fl-swatch"
 style="display:inline-block;width:14px;height:12px;background:{{ f.background }};
border:1px solid #333;margin-right:5px;vertical-align:middle"></span>{{ f.name }}</div>{% endfor %}
{%- if routes %}<strong>{{ routes.title }}</strong><div>{{ routes.colour_note }}</div>
{%- for r in routes.sides %}<div><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5"
 x2="34" y2="5" stroke="{{ r.colour }}" stroke-width="4"/></svg> {{ r.name }}</div>{% endfor %}
{%- for r in routes.statuses %}<div><svg width="34" height="10" aria-hidden="true"><line x1="0"
 y1="5" x2="34" y2="5" stroke="#333" stroke-width="3"{% if r.dash %} stroke-dasharray="{{ r.dash }}"
{%- endif %}/></svg> {{ r.name }}</div>{% endfor %}{% endif %}
{%- for x in extras %}<div><svg width="34" height="10" aria-hidden="true"><line x1="0" y1="5"
 x2="34" y2="5" stroke="{{ x.edge }}" stroke-width="{{ x.edge_width }}"/><line x1="0" y1="5"
 x2="34" y2="5" stroke="{{ x.colour }}" stroke-width="{{ x.width }}"/></svg> {{ x.name }}</div>
{%- endfor %}<small>{{ note }}</small>"""
)


def as_drawn(colour: str, opacity: float = FILL_OPACITY, over: str = MAP_BACKGROUND) -> str:
    """The colour a fill shows as when drawn at ``opacity`` over ``over`` (``#rrggbb``).

    Examples
    --------
    >>> as_drawn("#000000", 0.5, "#ffffff")
    '#808080'
    """
    a = [int(colour[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(over[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(
        f"{round(x * opacity + y * (1 - opacity)):02x}" for x, y in zip(a, b, strict=True)
    )


def _legend_html(
    factions: Sequence[str],
    colours: dict[str, str],
    lang: str,
    routes: bool = True,
    note: str = "legend.approximate",
    extras: Sequence[str] = (),
) -> str:
    """The legend's body: the fills as drawn, the routes (colour: the side a route serves;
    pattern: its status) and any ``extras`` (``river``, ``edge``, ``highlight``)."""
    fills = []
    for fac in factions:
        colour = faction_colour(fac, colours)
        background = (
            "repeating-linear-gradient(45deg,#999 0 2px,#fff 2px 5px)"
            if fac == "contested"
            else as_drawn(colour)
        )
        fills.append({"background": background, "name": t(f"faction.{fac}", lang)})
    route_part = None
    if routes:
        sides = [f for f in factions if f not in ("contested", "none")]
        route_part = {
            "title": t("legend.routes", lang),
            "colour_note": t("legend.route_colour", lang),
            "sides": [
                {"colour": faction_colour(f, colours), "name": t(f"faction.{f}", lang)}
                for f in sides
                if f in ("government", "rebels")
            ],
            "statuses": [
                {"dash": dash, "name": t(f"status.{status}", lang)}
                for status, dash in ROUTE_DASH.items()
            ],
        }
    styles = {
        "river": ("#ffffff", 5, "#3b83bd", 2.5),
        "edge": ("#ffffff", 0, "#333333", 1.5),
        "highlight": ("#ffd400", 10, "#333333", 3),
    }
    extra_rows = [
        {
            "edge": styles[x][0],
            "edge_width": styles[x][1],
            "colour": styles[x][2],
            "width": styles[x][3],
            "name": t(f"legend.{x}", lang),
        }
        for x in extras
    ]
    return str(
        _LEGEND.render(fills=fills, routes=route_part, extras=extra_rows, note=t(note, lang))
    )


def _rounded(geoms: gpd.GeoSeries) -> gpd.GeoSeries:
    return geoms.set_precision(_ROUND)


def control_map(
    zones: gpd.GeoDataFrame,
    routes: gpd.GeoDataFrame,
    sites: gpd.GeoDataFrame,
    when: pd.Timestamp,
    *,
    bib: Mapping[str, Source],
    colours: dict[str, str] | None = None,
    asset_base: str = "static",
    tiles: bool = True,
    lang: str = "en",
    highlight: set[str] | None = None,
) -> folium.Map:
    """Build the Aleppo control map for one date.

    Parameters
    ----------
    zones
        :meth:`frontlines.Atlas.control_at` for ``when``.
    routes
        :meth:`frontlines.Atlas.routes_at` for ``when``.
    sites
        Named points (``Atlas.layers.sites``).
    when
        The date shown (for the title and labels).
    bib
        The bibliography (``Layers.bibliography``): source id -> :class:`Source`.
    colours
        Faction id -> fill colour; default :data:`frontlines.style.FACTION_COLOURS`.
    asset_base
        URL of the folder holding ``leaflet/leaflet.js`` (see :mod:`frontlines.assets`).
    tiles
        Offer an online tile layer as a switch (always off at first).
    lang
        Catalogue language for labels.
    highlight
        Ids of cells to outline boldly (e.g. those that changed hands).
    """
    colours = colours or FACTION_COLOURS
    highlight = highlight or set()
    m = folium.Map(
        location=ALEPPO_CENTRE, zoom_start=12, tiles=None, control_scale=True, prefer_canvas=False
    )
    js, css = leaflet_urls(asset_base)
    m.default_js, m.default_css = js, css
    title = t("map.title", lang, date=format_date(when, lang))
    m.get_root().header.add_child(Element(f"<title>{_e(title)}</title>"))

    cells = zones.copy()
    cells["geometry"] = _rounded(cells.geometry)
    cells["popup"] = [cell_popup_html(r, bib, lang) for _, r in cells.iterrows()]
    cells["label"] = [
        f"{_e(r['name'])}: {_e(t(f'faction.{r.faction}', lang))}" for _, r in cells.iterrows()
    ]
    cells["fill"] = [faction_colour(f, colours) for f in cells["faction"]]
    cells["changed"] = [i in highlight for i in cells["id"]]
    keep = ["id", "faction", "in_city", "changed", "popup", "label", "fill", "geometry"]
    folium.GeoJson(
        cells[keep].to_json(),
        name=t("layer.districts", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.55 if f["properties"]["faction"] != "contested" else 0.25,
            "color": "#000000" if f["properties"]["changed"] else "#333333",
            "weight": 3.5
            if f["properties"]["changed"]
            else (0.8 if f["properties"]["in_city"] else 0.5),
            "dashArray": None if f["properties"]["in_city"] else "3 3",
        },
        highlight_function=lambda f: {"weight": 3, "color": "#000000"},
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=320),
    ).add_to(m)

    hatch_rows = []
    for _, row in cells[cells["faction"] == "contested"].iterrows():
        parties = list(row["parties"]) or ["contested"]
        hatch = hatch_lines(row.geometry)
        for i, line in enumerate(hatch.geoms):
            hatch_rows.append(
                {"colour": faction_colour(parties[i % len(parties)], colours), "geometry": line}
            )
    if hatch_rows:
        hatch_gdf = gpd.GeoDataFrame(hatch_rows, crs="EPSG:4326")
        hatch_gdf["geometry"] = _rounded(hatch_gdf.geometry)
        folium.GeoJson(
            hatch_gdf.to_json(),
            name="contested hatching",
            control=False,
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": 2,
                "opacity": 0.9,
            },
            interactive=False,
        ).add_to(m)

    city = cells[cells["in_city"].astype(bool)]
    if len(city):
        outline = shapely.union_all(city.geometry.values).boundary
        folium.GeoJson(
            gpd.GeoSeries([outline], crs="EPSG:4326").to_json(),
            name="city outline",
            control=False,
            style_function=lambda f: {"color": "#111111", "weight": 2.5, "opacity": 0.8},
            interactive=False,
        ).add_to(m)

    if len(routes):
        lines = routes.copy()
        lines["geometry"] = _rounded(lines.geometry)
        lines["label"] = [
            f"{_e(r['name'])}: {_e(t(f'status.{r.status}', lang))}" for _, r in lines.iterrows()
        ]
        lines["popup"] = [route_popup_html(r, bib, lang) for _, r in lines.iterrows()]
        lines["colour"] = [faction_colour(f, colours) for f in lines["serves"]]
        data = lines[["id", "status", "label", "popup", "colour", "geometry"]].to_json()
        # a white casing keeps each route legible over cells of the same colour
        folium.GeoJson(
            data,
            name="route casing",
            control=False,
            style_function=lambda f: {
                "color": "#ffffff",
                "weight": ROUTE_WEIGHT[f["properties"]["status"]] + 4,
                "opacity": 0.9,
            },
            interactive=False,
        ).add_to(m)
        folium.GeoJson(
            data,
            name=t("layer.routes", lang),
            style_function=lambda f: {
                "color": f["properties"]["colour"],
                "weight": ROUTE_WEIGHT[f["properties"]["status"]],
                "dashArray": ROUTE_DASH[f["properties"]["status"]],
                "opacity": 0.95,
            },
            tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=320),
        ).add_to(m)

    add_sites(m, sites, bib, lang)
    if tiles:
        add_tile_switch(m, lang)

    present = [f for f in colours if f in set(cells["faction"])]
    m.add_child(_Legend(t("legend.title", lang), _legend_html(present, colours, lang)))
    bounds = cells.total_bounds
    m.fit_bounds([[bounds[1], bounds[0]], [bounds[3], bounds[2]]])
    return m


SYRIA_CENTRE = (35.0, 38.5)
#: Towns of at least this many people are named on the Syria map.
SYRIA_LABEL_POPULATION = 250_000


def syria_map(
    zones: gpd.GeoDataFrame,
    border: gpd.GeoDataFrame,
    governorates: gpd.GeoDataFrame,
    towns: gpd.GeoDataFrame,
    lines: gpd.GeoDataFrame,
    when: pd.Timestamp,
    *,
    bib: Mapping[str, Source],
    colours: dict[str, str] | None = None,
    asset_base: str = "static",
    tiles: bool = True,
    lang: str = "en",
) -> folium.Map:
    """Build the Syria-wide map of one snapshot: schematic zones, border, context, towns."""
    colours = colours or FACTION_COLOURS
    m = folium.Map(
        location=SYRIA_CENTRE,
        zoom_start=7,
        min_zoom=5,
        zoom_snap=0.25,  # fit the country closely: no tiles to keep on whole zoom levels
        tiles=None,
        control_scale=True,
    )
    m.default_js, m.default_css = leaflet_urls(asset_base)
    title = t("ui.syria_title", lang, date=format_date(when, lang))
    m.get_root().header.add_child(Element(f"<title>{_e(title)}</title>"))
    z = zones.copy()
    z["geometry"] = z.geometry.simplify(0.01).set_precision(1e-4)
    z["fill"] = [faction_colour(f, colours) for f in z["faction"]]
    z["label"] = [_e(t(f"faction.{f}", lang)) for f in z["faction"]]
    z["popup"] = [
        "<br>".join(
            [
                f"<strong>{_e(t(f'faction.{r.faction}', lang))}</strong>",
                _e(format_date(r["snapshot_date"], lang)),
                f"<em>{_e(r['note'])}</em>",
                f"{_e(t('popup.sources', lang))}:{sources_html(r['sources'], bib, lang)}",
            ]
        )
        for _, r in z.iterrows()
    ]
    folium.GeoJson(
        z[["id", "fill", "label", "popup", "geometry"]].to_json(),
        name=t("layer.zones", lang),
        style_function=lambda f: {
            "fillColor": f["properties"]["fill"],
            "fillOpacity": 0.55,
            "color": "#ffffff",
            "weight": 0.5,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
        popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=320),
    ).add_to(m)
    gov = governorates[["id", "geometry"]].copy()
    gov["geometry"] = gov.geometry.boundary.simplify(0.01).set_precision(1e-4)
    folium.GeoJson(
        gov.to_json(),
        name="governorates",
        control=False,
        interactive=False,
        style_function=lambda f: {
            "color": "#555555",
            "weight": 0.7,
            "opacity": 0.6,
            "dashArray": "4 4",
        },
    ).add_to(m)
    folium.GeoJson(
        border[["id", "geometry"]].assign(geometry=border.geometry.boundary).to_json(),
        name="border",
        control=False,
        interactive=False,
        style_function=lambda f: {"color": "#111111", "weight": 2},
    ).add_to(m)
    # the city's edge and the city's river belong to the city map
    long_m = lines.to_crs("EPSG:32637").length
    lines = lines[(lines["kind"] != "outline") & (long_m > 50_000)]
    ln = lines[["id", "kind", "geometry"]].copy()
    ln["label"] = [_e(n) for n in lines["name"]]
    folium.GeoJson(
        ln.to_json(),
        name=t("layer.context", lang),
        style_function=lambda f: {
            "color": "#2b6cb0" if f["properties"]["kind"] == "river" else "#444444",
            "weight": 2.5,
            "opacity": 0.9,
        },
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(m)
    # the main cities and the Euphrates, named on the map (not only on hover)
    named = towns[towns["population"].fillna(0) >= SYRIA_LABEL_POPULATION]
    spots = [(r.geometry.y, r.geometry.x, r["name"], "fl-syria-town") for _, r in named.iterrows()]
    for _, r in lines[lines["kind"] == "river"].iterrows():
        p = r.geometry.interpolate(0.2, normalized=True)  # clear of the towns downstream
        spots.append((p.y, p.x, r["name"], "fl-syria-river"))
    for lat, lon, name, cls in spots:
        folium.Marker(
            [lat, lon],
            icon=folium.DivIcon(
                html=f'<span class="fl-syria-label {cls}">{_e(name)}</span>',
                icon_size=(0, 0),
                icon_anchor=(-5, 8),
            ),
            interactive=False,
            keyboard=False,
        ).add_to(m)
    m.get_root().header.add_child(
        Element(
            "<style>.fl-syria-label{white-space:nowrap;font:600 12px/1.2 system-ui,sans-serif;"
            "color:#111;text-shadow:0 0 2px #fff,0 0 3px #fff,1px 1px 0 #fff,-1px -1px 0 #fff}"
            ".fl-syria-river{font-style:italic;color:#1d5b8c}</style>"
        )
    )
    tw = towns[["id", "name", "population", "geometry"]].copy()
    tw["label"] = [_e(n) for n in tw["name"]]
    folium.GeoJson(
        tw[["id", "label", "geometry"]].to_json(),
        name=t("layer.towns", lang),
        marker=folium.CircleMarker(
            radius=3, color="#000000", weight=1, fill=True, fill_color="#ffffff", fill_opacity=1
        ),
        tooltip=folium.GeoJsonTooltip(fields=["label"], labels=False),
    ).add_to(m)
    if tiles:
        add_tile_switch(m, lang)
    present = [f for f in colours if f in set(z["faction"])]
    body = _legend_html(present, colours, lang, routes=False, note="legend.schematic")
    m.add_child(_Legend(t("legend.title", lang), body))
    b = border.total_bounds
    m.fit_bounds([[b[1], b[0]], [b[3], b[2]]])
    return m
