"""Every reader-visible interface string, in one catalogue per language.

The story itself lives in the reader notebook's Markdown cells; this catalogue holds the
labels, legend entries and messages the package renders. Strings use ``str.format`` fields.
A message that counts something is a dict of plural forms keyed by CLDR plural category
(``one``, ``other``; Arabic will also need ``zero``, ``two``, ``few`` and ``many``), chosen by
:data:`PLURAL_RULES` for the language and the ``count`` given to :func:`t`.
The Arabic edition will add an ``"ar"`` catalogue with the same keys (``direction: rtl``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

__all__ = ["CATALOGUES", "PLURAL_RULES", "t", "LANG_DEFAULT"]

LANG_DEFAULT = "en"

#: The CLDR plural category of a count, per language.
PLURAL_RULES: dict[str, Callable[[int], str]] = {
    "en": lambda n: "one" if n == 1 else "other",
}

CATALOGUES: dict[str, dict[str, str | dict[str, str]]] = {
    "en": {
        "direction": "ltr",
        "legend.title": "Who held what",
        "legend.routes": "Supply routes",
        "legend.approximate": "District outlines are approximate",
        "legend.route_colour": "Colour: the side a route served; line: its status",
        "legend.river": "Queiq river",
        "legend.edge": "Edge of the built-up city",
        "legend.highlight": "Changed at this chapter",
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
        "popup.details": "Details",
        "confidence.high": "high (two independent sources, one of them neutral)",
        "confidence.medium": "medium (sources agree, but not two independent ones including a neutral one)",
        "confidence.low": "low (a single or weak source, or inferred)",
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
        "layer.zones": "Control zones",
        "layer.context": "Rivers and roads",
        "layer.river": "Queiq river",
        "layer.towns": "Towns",
        "legend.schematic": "Zones are schematic (10-30 km)",
        "map.attribution": "Layers: frontlines contributors, sources cited per feature",
        "date.format": "{day} {month} {year}",
        "ui.date": "Date",
        "ui.play": "Play through 2016",
        "ui.pause": "Pause",
        "ui.prev": "◀ Day before",
        "ui.next": "Day after ▶",
        "ui.prev_tip": "Show the day before",
        "ui.next_tip": "Show the day after",
        "ui.chapters": "Jump to:",
        "ui.map_title": "Map of Aleppo: who held each district on the chosen date",
        "ui.events": "Around this date",
        "ui.go_to": "Go to this date: {title}",
        "ui.area_caption": "Area held inside the city",
        "ui.routes_open": "{n} of {total} supply routes open",
        "ui.link": "Link to this view ({date})",
        "ui.snapshot": "Show Syria on",
        "ui.syria_title": "Map of Syria: who held what on {date}",
        "ui.from": "From",
        "ui.to": "To",
        "ui.compare_title": "Compare two dates",
        "ui.compare_hint": "Pick two dates: the maps show both, with the districts that changed"
        " hands between them outlined in black.",
        "ui.compare_map": "Map of Aleppo on {date}; districts that changed hands are outlined",
        "ui.compare_list": "The districts, one by one",
        "ui.district": "District",
        "ui.changed": {
            "one": "{count} district changed hands between {a} and {b}",
            "other": "{count} districts changed hands between {a} and {b}",
        },
        "ui.changed_flow": {
            "one": "{count} district went from {before} to {after}",
            "other": "{count} districts went from {before} to {after}",
        },
        "ui.compare_reversed": "“From” is after “To”: this shows what changed going back in time.",
        "ui.download": "Download the data shown",
        "ui.download_geojson": "Every layer on {date} (GeoJSON)",
        "ui.download_csv": "Every layer on {date} (CSV files, zip)",
        "ui.attribution": "Data sources and licences",
        "ui.before_2016": "Before 2016",
        "source.undated": "undated",
        "source.read_via": "read via {host}",
        "tag.state.none": "state media",
        "tag.state.syrian_government": "Syrian state media",
        "tag.state.opposition": "opposition media",
        "tag.state.kurdish": "Kurdish administration media",
        "tag.state.russia": "Russian state media",
        "tag.state.iran": "Iranian state media",
        "tag.state.turkey": "Turkish state media",
        "tag.state.qatar": "Qatari state media",
        "tag.state.saudi_arabia": "Saudi state media",
        "tag.state.united_states": "US government media",
        "tag.partisan.none": "partisan",
        "tag.partisan.syrian_government": "pro-government",
        "tag.partisan.opposition": "pro-opposition",
        "tag.partisan.kurdish": "pro-Kurdish",
        "tag.partisan.russia": "pro-Russian",
        "tag.partisan.iran": "pro-Iranian",
        "tag.partisan.turkey": "pro-Turkish",
        "tag.partisan.qatar": "pro-Qatari",
        "tag.partisan.saudi_arabia": "pro-Saudi",
        "tag.partisan.united_states": "pro-US",
        "tag.government.none": "government",
        "tag.government.syrian_government": "Syrian government",
        "tag.government.opposition": "opposition body",
        "tag.government.kurdish": "Kurdish authorities",
        "tag.government.russia": "Russian government",
        "tag.government.iran": "Iranian government",
        "tag.government.turkey": "Turkish government",
        "tag.government.qatar": "Qatari government",
        "tag.government.saudi_arabia": "Saudi government",
        "tag.government.united_states": "US government",
        "tag.aligned.syrian_government": "close to the government",
        "tag.aligned.opposition": "opposition-leaning",
        "tag.aligned.kurdish": "Kurdish-aligned",
        "tag.aligned.russia": "Russian-owned",
        "tag.aligned.iran": "Iranian-owned",
        "tag.aligned.turkey": "Turkish, pro-government",
        "tag.aligned.qatar": "Qatari-owned",
        "tag.aligned.saudi_arabia": "Saudi-owned",
        "tag.aligned.united_states": "US government-funded",
        "ui.download_sources": "Sources cited on {date} (CSV)",
        "site.syria": "Map of Syria at four dates",
        "site.downloads": "Download the data",
        "site.downloads_note": "Every layer's state, with its sources, on the story's dates. For any other date, use the command line (frontlines export) or the live app.",
        "site.file_geojson": "GeoJSON",
        "site.file_csv": "CSV files (zip)",
        "site.file_sources": "Sources (CSV)",
        "site.footer": "Built from the frontlines dataset, version {version}. Every zone, line, place and event cites its sources; district outlines and lines are approximate.",
        "site.busy": "Many readers are here at once, so this is the page's static edition: the same story, map and figures, served without a live kernel.",
        "voila.cell_error": "Sorry: part of this page could not be shown.",
        "voila.static_link": "Read the static edition of the page",
        "handout.title": "Aleppo 2016: reading a war from a map",
        "handout.intro": "Answer in the boxes. The maps at the end show the city on each chapter's date; the live map and its sources are in the lesson's notebook.",
        "handout.maps": "The city on the chapters' dates",
        "site.preview_alt": "Map of Aleppo on {date}: who held each district",
        "chapter.north-cut": "The north cut",
        "chapter.siege": "The siege",
        "chapter.breakthrough": "The breakthrough",
        "chapter.deal": "The deal",
        "chapter.fall": "The fall",
        "chapter.end": "The end",
        "category.military": "military",
        "category.diplomatic": "diplomatic",
        "category.humanitarian": "humanitarian",
        "summary.area": "{faction} about {km2} km²",
        "summary.besieged": "East Aleppo was besieged: day {current} of this siege, {total_days} in 2016 so far",
        "summary.not_besieged": "East Aleppo was not besieged ({total_days} besieged in 2016 so far)",
        "unit.days": {"one": "{count} day", "other": "{count} days"},
        "summary.route": "{name}: {status} ({serves})",
        "live.besieged": "{date}: east Aleppo besieged, day {current}.",
        "live.not_besieged": "{date}: east Aleppo not besieged.",
        "stats.besieged": "Besieged: day {current} ({total_days} in 2016)",
        "stats.not_besieged": "Not besieged ({total_days} besieged in 2016)",
        "ui.reduced_play": "Next chapter ▶",
        "ui.speed": "Speed",
        "ui.map_heading": "The map: Aleppo through 2016",
        "ui.map_hint": "Each district shows who held it on the date chosen, and each supply line whether it was open, under fire or cut. Select a district, place or route for its sources. Outlines are approximate.",
        "ui.close": "Close",
        "ui.chapter_fit": "Show on the map",
        "panel.chapter_stop": "Paused at a chapter: press Play to go on.",
        "label.aleppo": "Aleppo",
        "label.syria": "SYRIA",
        "ui.locator": "Where Aleppo is: in the north-west of Syria",
        "label.east": "East Aleppo",
        "label.west": "West Aleppo",
        "summary.sentence": "On {date}, inside Aleppo city: {areas}. {siege}. Supply routes: {routes}.",
        "notice.bad_date": "The link asked for the date {value!r}, which is not a date in 2016 (YYYY-MM-DD); showing {date} instead.",
        "notice.outside": "The link asked for {value}, outside 2016; showing {date} instead.",
        "notice.bad_chapter": "The link asked for a chapter {value!r} that does not exist; showing {date} instead.",
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


def t(key: str, lang: str = LANG_DEFAULT, count: int | None = None, **fields: Any) -> str:
    """Look up ``key`` in the catalogue of ``lang`` and fill its fields.

    Falls back to English for a missing key; an unknown key raises ``KeyError`` so that
    typos fail in tests rather than reach readers. A message with plural forms needs
    ``count``, which is also its ``{count}`` field.

    Examples
    --------
    >>> t("map.title", date="8 September 2016")
    'Aleppo on 8 September 2016'
    >>> t("unit.days", count=1), t("unit.days", count=12)
    ('1 day', '12 days')
    """
    cat = CATALOGUES.get(lang, CATALOGUES[LANG_DEFAULT])
    text = cat.get(key, CATALOGUES[LANG_DEFAULT][key])
    if isinstance(text, dict):
        if count is None:
            raise TypeError(f"{key!r} has plural forms: pass count")
        rule = PLURAL_RULES.get(lang, PLURAL_RULES[LANG_DEFAULT])
        text = text.get(rule(count), text["other"])
    if count is not None:
        fields["count"] = count
    return text.format(**fields) if fields else text
