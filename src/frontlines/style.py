"""Palette and line styles: colour-blind-safe (Okabe-Ito), never colour alone.

Factions are told apart by colour *and* by the legend's labels; contested cells are hatched;
route status is told by dash pattern as well as by a label.
"""

from __future__ import annotations

__all__ = ["FACTION_COLOURS", "NONE_COLOUR", "ROUTE_DASH", "ROUTE_WEIGHT", "faction_colour"]

#: Okabe & Ito (2008) colour-blind-safe palette; the same values are in geo/factions.csv.
FACTION_COLOURS: dict[str, str] = {
    "government": "#0072b2",  # blue
    "rebels": "#d55e00",  # vermillion
    "kurdish": "#009e73",  # bluish green
    "isis": "#3b3b3b",  # near black
    "turkish_backed": "#cc79a7",  # reddish purple
    "contested": "#999999",  # grey, always drawn hatched
}
NONE_COLOUR = "#e8e8e8"

#: Leaflet dashArray per route status: solid when open, dashed under fire, dotted when cut.
ROUTE_DASH: dict[str, str | None] = {"open": None, "under_fire": "10 8", "cut": "2 8"}
ROUTE_WEIGHT: dict[str, int] = {"open": 5, "under_fire": 5, "cut": 4}


def faction_colour(faction: str, colours: dict[str, str] | None = None) -> str:
    """The fill colour of ``faction`` (grey-white for ``none`` or anything unknown).

    Examples
    --------
    >>> faction_colour("rebels")
    '#d55e00'
    >>> faction_colour("none")
    '#e8e8e8'
    """
    return (colours or FACTION_COLOURS).get(faction, NONE_COLOUR)
