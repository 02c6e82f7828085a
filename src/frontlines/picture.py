"""The city map on a date as a still picture (PNG), drawn with matplotlib: no browser needed.

For handouts (``frontlines export --format png``, about 1600x1131 px, a landscape A-series
page) and for the static site's link preview (1200x630). It draws what the reader panel draws
for the date, by the same rules: the fills of :mod:`frontlines.style`, contested cells hatched
in both parties' colours, routes coloured by the side served and patterned by status, the
Queiq, the city's edge, the top-ranked labels of :func:`frontlines.labels.map_labels`, a
legend and the date.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

import matplotlib
import matplotlib.patheffects as pe
import pandas as pd
import shapely
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch, PathPatch, Rectangle
from matplotlib.path import Path as MplPath

from .atlas import Atlas
from .display import city_outline, display_cells
from .labels import map_labels
from .maps import FILL_OPACITY, MAP_BACKGROUND, format_date
from .style import FACTION_COLOURS, NONE_COLOUR, ROUTE_DASH, ROUTE_WEIGHT
from .text import t
from .timeline import DateLike, as_date

__all__ = ["HANDOUT_SIZE", "PREVIEW_SIZE", "map_png"]

#: Pixels of a handout page (landscape, the A-series ratio) and of a link preview.
HANDOUT_SIZE = (1600, 1131)
PREVIEW_SIZE = (1200, 630)
_DPI = 100


def _polygon_path(geom: shapely.Geometry, kx: float) -> MplPath:
    """A matplotlib path of a (multi)polygon, longitudes scaled by ``kx`` (holes kept)."""
    verts, codes = [], []
    for poly in getattr(geom, "geoms", [geom]):
        for ring in [poly.exterior, *poly.interiors]:
            xy = [(x * kx, y) for x, y in ring.coords]
            verts += xy
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(xy) - 2) + [MplPath.CLOSEPOLY]
    return MplPath(verts, codes)


def _dashes(status: str) -> tuple | str:
    pattern = ROUTE_DASH.get(status)
    if not pattern:
        return "solid"
    return (0, tuple(float(x) / 2 for x in pattern.split()))


def map_png(
    atlas: Atlas,
    when: DateLike,
    path: str | Path | None = None,
    *,
    size: tuple[int, int] = HANDOUT_SIZE,
    lang: str = "en",
) -> bytes:
    """Draw the city on ``when`` and return the PNG (also written to ``path`` if given).

    Parameters
    ----------
    atlas
        The layers.
    when
        The date shown.
    path
        Where to write the picture (optional).
    size
        Width and height in pixels.
    lang
        Language of the title, legend and labels' surroundings.
    """
    with matplotlib.rc_context({"hatch.linewidth": 3.0}):
        return _draw(atlas, as_date(when), path, size, lang)


def _draw(
    atlas: Atlas, when: pd.Timestamp, path: str | Path | None, size: tuple[int, int], lang: str
) -> bytes:
    layers = atlas.layers
    z = atlas.control_at(when)
    drawn = display_cells(layers)
    kx = math.cos(math.radians(36.2))  # longitudes to the same scale as latitudes
    w, h = size
    # a figure of its own, drawn by Agg: no pyplot, so a notebook's plotting is untouched
    fig = Figure(figsize=(w / _DPI, h / _DPI), dpi=_DPI)
    FigureCanvasAgg(fig)
    fig.patch.set_facecolor("white")
    ax = fig.add_axes((0.0, 0.0, 1.0, 0.9))
    ax.set_facecolor(MAP_BACKGROUND)
    ax.set_axis_off()

    # the city, with a margin, widened or heightened to the map's shape
    city = layers.districts[layers.districts["in_city"].astype(bool)]
    x0, y0, x1, y1 = city.total_bounds
    pad = 0.004
    x0, x1, y0, y1 = (x0 - pad) * kx, (x1 + pad) * kx, y0 - pad, y1 + pad
    want = w / (h * 0.9)  # the axes' width over height
    if (x1 - x0) / (y1 - y0) < want:
        grow = (want * (y1 - y0) - (x1 - x0)) / 2
        x0, x1 = x0 - grow, x1 + grow
    else:
        grow = ((x1 - x0) / want - (y1 - y0)) / 2
        y0, y1 = y0 - grow, y1 + grow
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)
    ax.set_aspect("equal", adjustable="box")
    ax.add_patch(Rectangle((0, 0), 1, 1, transform=ax.transAxes, color=MAP_BACKGROUND, zorder=0))

    for cid, geom in drawn.items():
        row = z.loc[cid]
        faction = row["faction"]
        in_city = bool(row["in_city"])
        edge = {"edgecolor": "#333333", "linewidth": 0.8 if in_city else 0.5}
        if not in_city:
            edge["linestyle"] = (0, (3, 3))
        parties = list(row["parties"]) if faction == "contested" else []
        if len(parties) >= 2:
            ax.add_patch(
                PathPatch(
                    _polygon_path(geom, kx),
                    facecolor=FACTION_COLOURS.get(parties[0], NONE_COLOUR),
                    hatch="///",
                    alpha=0.85,
                    zorder=1,
                    **edge,
                )
            )
            # the hatching in the second party's colour
            ax.add_patch(
                PathPatch(
                    _polygon_path(geom, kx),
                    facecolor="none",
                    edgecolor=FACTION_COLOURS.get(parties[1], NONE_COLOUR),
                    hatch="///",
                    linewidth=0,
                    zorder=1.1,
                )
            )
            continue
        ax.add_patch(
            PathPatch(
                _polygon_path(geom, kx),
                facecolor=FACTION_COLOURS.get(faction, NONE_COLOUR),
                alpha=FILL_OPACITY,
                zorder=1,
                **edge,
            )
        )
        # the edge again, opaque (the fill's alpha would fade it)
        ax.add_patch(PathPatch(_polygon_path(geom, kx), facecolor="none", zorder=1.2, **edge))

    outline = city_outline(layers)
    if outline is not None:
        xs, ys = outline.exterior.xy if hasattr(outline, "exterior") else outline.xy
        ax.plot([x * kx for x in xs], ys, color="#333333", linewidth=1.5, alpha=0.7, zorder=2)
    rivers = layers.context_lines[layers.context_lines["kind"] == "river"]
    for geom in rivers.geometry:
        for line in getattr(geom, "geoms", [geom]):
            xs, ys = line.xy
            xs = [x * kx for x in xs]
            ax.plot(xs, ys, color="white", linewidth=5, zorder=2.5, solid_capstyle="round")
            ax.plot(xs, ys, color="#3b83bd", linewidth=2.5, zorder=2.6, solid_capstyle="round")

    routes = atlas.routes_at(when)
    for _, r in routes.iterrows():
        for line in getattr(r.geometry, "geoms", [r.geometry]):
            xs, ys = line.xy
            xs = [x * kx for x in xs]
            weight = ROUTE_WEIGHT.get(r["status"], 4) * 0.9
            ax.plot(xs, ys, color="white", linewidth=weight + 3, zorder=3)
            ax.plot(
                xs,
                ys,
                color=FACTION_COLOURS.get(r["serves"], "#333333"),
                linewidth=weight,
                linestyle=_dashes(r["status"]),
                zorder=3.1,
            )

    # the top-ranked labels, none over another (a route's name may slide along its line)
    halo = [pe.withStroke(linewidth=3, foreground="white")]
    renderer = fig.canvas.get_renderer()
    taken: list = []
    for lab in map_labels(layers, set(layers.sites["id"])):
        if lab["rank"] != 1:
            continue
        style = {
            "fontsize": 13,
            "fontweight": "bold",
            "color": "#111111",
            "zorder": 5,
            "path_effects": halo,
            "clip_on": True,
        }
        if lab["kind"] == "site":
            x, y = lab["lon"] * kx, lab["lat"]
            ax.plot([x], [y], "o", markersize=6, markerfacecolor="white", color="black", zorder=4)
            tries = [(x + 0.0012, y, 0.0, "left"), (x - 0.0012, y, 0.0, "right")]
        else:
            spots = [[lab["lat"], lab["lon"], lab["angle"]], *lab["alts"]]
            tries = [(lon * kx, lat, angle, "center") for lat, lon, angle in spots]
            if lab["kind"] in ("route", "river"):
                style["fontstyle"] = "italic"
        for x, y, angle, ha in tries:
            text = ax.text(
                x,
                y,
                lab["text"],
                ha=ha,
                va="center",
                rotation=-angle,
                rotation_mode="anchor",
                **style,
            )
            box = text.get_window_extent(renderer).expanded(1.04, 1.1)
            inside = ax.get_window_extent(renderer).contains(box.x0, box.y0) and (
                ax.get_window_extent(renderer).contains(box.x1, box.y1)
            )
            if inside and not any(box.overlaps(b) for b in taken):
                taken.append(box)
                break
            text.remove()

    fig.text(
        0.015,
        0.955,
        t("map.title", lang, date=format_date(when, lang)),
        fontsize=20,
        fontweight="bold",
        va="center",
    )
    held = [f for f in FACTION_COLOURS if f in set(z["faction"])]
    handles = [
        Patch(
            facecolor=FACTION_COLOURS[f],
            edgecolor="#333333",
            alpha=FILL_OPACITY if f != "contested" else 1,
            hatch="///" if f == "contested" else None,
            label=t(f"faction.{f}", lang),
        )
        for f in held
    ]
    handles.append(Line2D([], [], linestyle="none", label=t("legend.route_colour", lang)))
    handles += [
        Line2D(
            [], [], color="#333333", linewidth=3, linestyle=_dashes(s), label=t(f"status.{s}", lang)
        )
        for s in ("open", "under_fire", "cut")
    ]
    handles.append(Line2D([], [], color="#3b83bd", linewidth=2.5, label=t("legend.river", lang)))
    ax.legend(
        handles=handles,
        loc="lower left",
        fontsize=11,
        title=t("legend.title", lang),
        title_fontsize=12,
        framealpha=0.92,
    )
    fig.text(
        0.985,
        0.915,
        t("legend.approximate", lang),
        fontsize=10,
        ha="right",
        va="center",
        color="#333333",
    )
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=_DPI, facecolor="white")
    data = buf.getvalue()
    if path is not None:
        Path(path).write_bytes(data)
    return data
