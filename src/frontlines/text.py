"""Every reader-visible interface string, in one catalogue per language.

The story itself lives in the reader notebook's Markdown cells; this catalogue holds the
labels, legend entries and messages the package renders. Strings use ``str.format`` fields.
The Arabic edition will add an ``"ar"`` catalogue with the same keys (``direction: rtl``).
"""

from __future__ import annotations

from typing import Any

__all__ = ["CATALOGUES", "t", "LANG_DEFAULT"]

LANG_DEFAULT = "en"

CATALOGUES: dict[str, dict[str, str]] = {
    "en": {
        "direction": "ltr",
        "legend.title": "Who held what",
        "legend.routes": "Supply routes",
        "legend.approximate": "District outlines are approximate",
        "faction.government": "Government and allies",
        "faction.rebels": "Rebels",
        "faction.kurdish": "Kurdish YPG / SDF",
        "faction.isis": "Islamic State",
        "faction.turkish_backed": "Turkish-backed forces",
        "faction.contested": "Contested",
        "faction.none": "No data",
        "status.open": "open",
        "status.under_fire": "under fire",
        "status.cut": "cut",
        "popup.held_by": "Held by",
        "popup.contested_by": "Contested by {parties}",
        "popup.since": "Since",
        "popup.until": "Until",
        "popup.still": "the end of 2016",
        "popup.confidence": "Confidence",
        "popup.sources": "Sources",
        "popup.approximate": "Approximate outline (about {precision} m)",
        "popup.route_status": "Status",
        "popup.route_serves": "Serves",
        "popup.site_kind": "Kind",
        "map.title": "Aleppo on {date}",
        "layer.districts": "Districts",
        "layer.routes": "Supply routes",
        "layer.sites": "Places",
        "layer.tiles": "Street map (online)",
        "map.attribution": "Layers: frontlines contributors, sources cited per feature",
        "date.format": "{day} {month} {year}",
        "month.1": "January",
        "month.2": "February",
        "month.3": "March",
        "month.4": "April",
        "month.5": "May",
        "month.6": "June",
        "month.7": "July",
        "month.8": "August",
        "month.9": "September",
        "month.10": "October",
        "month.11": "November",
        "month.12": "December",
    }
}


def t(key: str, lang: str = LANG_DEFAULT, **fields: Any) -> str:
    """Look up ``key`` in the catalogue of ``lang`` and fill its fields.

    Falls back to English for a missing key; an unknown key raises ``KeyError`` so that
    typos fail in tests rather than reach readers.

    Examples
    --------
    >>> t("map.title", date="8 September 2016")
    'Aleppo on 8 September 2016'
    """
    cat = CATALOGUES.get(lang, CATALOGUES[LANG_DEFAULT])
    text = cat.get(key, CATALOGUES[LANG_DEFAULT][key])
    return text.format(**fields) if fields else text
