"""The reader panel's data: everything the panel shows on any day of 2016, built once.

The reader panel (map, date, play, chapters, the day's figures, routes, events, summary) is
JavaScript (``js/panel.js``) reading the JSON that :func:`panel_data` builds from the layers.
Control and route status change only on a few dozen dates, so areas, routes and the area
labels are computed once per *stretch* between two change dates; the siege counter is one
small pair per day. Texts that count or join things are rendered here, in the catalogue's
language, and the script only fills in the date and the siege counter with the same templates
(:func:`summary_sentence` is the Python side of that rule; a browser test holds the two
together). The same JSON serves the Voila app and the static build.
"""

from __future__ import annotations

import bisect
import json
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import mistune
import pandas as pd
import shapely

from .atlas import YEAR_END, YEAR_START, Atlas
from .changes import changed_hands, changed_routes
from .maps import format_date
from .text import CATALOGUES, LANG_DEFAULT, PLURAL_RULES, t
from .timeline import as_date, change_dates

__all__ = [
    "CHAPTER_MARK",
    "render_markdown",
    "CHAPTER_WINDOW_DAYS",
    "Stretches",
    "chapter_captions",
    "marked_captions",
    "event_date_text",
    "panel_data",
    "summary_sentence",
]

#: How a Markdown cell of the reader notebook says it is a caption (of a chapter, or of a
#: snapshot date of the Syria map).
CHAPTER_MARK = re.compile(r"<!--\s*(?:chapter|snapshot):\s*([A-Za-z0-9-]+)\s*-->")
#: A chapter highlights what changed in the days before it (or since the chapter before).
CHAPTER_WINDOW_DAYS = 30
_MARKDOWN = mistune.create_markdown(escape=True)
_METRIC = "EPSG:32637"
_TEXT_KEYS = (
    "summary.sentence",
    "summary.area",
    "summary.route",
    "summary.besieged",
    "summary.not_besieged",
    "live.besieged",
    "live.not_besieged",
    "stats.besieged",
    "stats.not_besieged",
    "ui.routes_open",
    "ui.link",
    "ui.play",
    "ui.pause",
    "ui.reduced_play",
    "map.title",
    "date.format",
    "panel.chapter_stop",
    "ui.changed",
    "ui.changed_flow",
    "ui.compare_map",
)


def _day(when: pd.Timestamp) -> int:
    return int((when - YEAR_START).days)


def render_markdown(text: str) -> str:
    """Markdown as HTML, with any raw HTML in it escaped (the notebook's and captions' one
    renderer).

    Examples
    --------
    >>> render_markdown("**a** <b>b</b>")
    '<p><strong>a</strong> &lt;b&gt;b&lt;/b&gt;</p>'
    """
    return str(_MARKDOWN(text.strip())).strip()


def marked_captions(notebook: str | Path, kind: str = "chapter") -> dict[str, str]:
    """The captions a notebook marks for ``kind``: ``{id: caption as HTML}``.

    A caption is a Markdown cell holding ``<!-- KIND: ID -->`` (a chapter id, or a snapshot
    date for ``kind="snapshot"``); the rest of the cell is the caption, rendered with raw HTML
    escaped.
    """
    mark = re.compile(r"<!--\s*" + re.escape(kind) + r":\s*([A-Za-z0-9-]+)\s*-->")
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for cell in nb.get("cells", []):
        if cell.get("cell_type") != "markdown":
            continue
        text = "".join(cell.get("source", []))
        m = mark.search(text)
        if m:
            out[m.group(1)] = render_markdown(mark.sub("", text))
    return out


def chapter_captions(notebook: str | Path) -> dict[str, str]:
    """The chapter captions of a notebook: ``{chapter id: caption as HTML}``.

    Examples
    --------
    >>> import json, tempfile
    >>> nb = {"cells": [{"cell_type": "markdown", "source": ["<!-- chapter: siege -->\\n",
    ...       "**17 July.** The road <b>cut</b>."]}]}
    >>> with tempfile.NamedTemporaryFile("w", suffix=".ipynb", delete=False) as f:
    ...     json.dump(nb, f)
    >>> chapter_captions(f.name)["siege"]
    '<p><strong>17 July.</strong> The road &lt;b&gt;cut&lt;/b&gt;.</p>'
    """
    return marked_captions(notebook, "chapter")


def event_date_text(date: pd.Timestamp, precision: str, lang: str = LANG_DEFAULT) -> str:
    """An event's date as precise as it is known: ``2012``, ``July 2012`` or ``8 July 2012``."""
    if precision == "year":
        return str(date.year)
    if precision == "month":
        return f"{t(f'month.{date.month}', lang)} {date.year}"
    return format_date(date, lang)


class Stretches:
    """The year cut at every date on which control or a route's status changes.

    Parameters
    ----------
    atlas
        The layers.
    """

    def __init__(self, atlas: Atlas) -> None:
        self.atlas = atlas
        days = {_day(c) for c in change_dates(atlas.layers) if YEAR_START < c < YEAR_END}
        #: first day (counted from 1 January 2016) of each stretch
        self.starts: list[int] = sorted({0} | days)
        self._cache: dict[int, tuple[dict[str, float], pd.DataFrame]] = {}

    def index(self, when: pd.Timestamp) -> int:
        """The stretch ``when`` falls in."""
        return max(bisect.bisect_right(self.starts, _day(as_date(when))) - 1, 0)

    def at(self, when: pd.Timestamp) -> tuple[dict[str, float], pd.DataFrame]:
        """Areas held in the city and the routes, shared by every day of ``when``'s stretch."""
        i = self.index(when)
        if i not in self._cache:
            first = YEAR_START + pd.Timedelta(days=self.starts[i])
            self._cache[i] = (self.atlas.city_area_km2(first), self.atlas.routes_at(first))
        return self._cache[i]


def _areas_text(areas: Mapping[str, float], lang: str) -> str:
    return ", ".join(
        t("summary.area", lang, faction=t(f"faction.{f}", lang), km2=round(km2))
        for f, km2 in sorted(areas.items(), key=lambda kv: -kv[1])
    )


def _routes_text(routes: pd.DataFrame, lang: str) -> str:
    return "; ".join(
        t(
            "summary.route",
            lang,
            name=r["name"],
            status=t(f"status.{r['status']}", lang),
            serves=t(f"faction.{r['serves']}", lang),
        )
        for _, r in routes.iterrows()
    )


def summary_sentence(
    areas: Mapping[str, float],
    routes: pd.DataFrame,
    current: int,
    total: int,
    when: pd.Timestamp,
    lang: str = LANG_DEFAULT,
) -> str:
    """The day's summary, in words: areas held, the siege and the routes.

    ``js/panel.js`` writes the same sentence from the per-stretch texts of :func:`panel_data`
    and the same catalogue templates.
    """
    days = t("unit.days", lang, count=total)
    siege = (
        t("summary.besieged", lang, current=current, total_days=days)
        if current > 0
        else t("summary.not_besieged", lang, total_days=days)
    )
    return t(
        "summary.sentence",
        lang,
        date=format_date(when, lang),
        areas=_areas_text(areas, lang),
        siege=siege,
        routes=_routes_text(routes, lang),
    )


def _area_label_points(atlas: Atlas, when: pd.Timestamp) -> dict[str, list[float] | None]:
    """Where "East Aleppo" (the rebel-held city) and "West Aleppo" (the government's) go."""
    cells = atlas.control_at(when)
    cells = cells[cells["in_city"].astype(bool)]
    out: dict[str, list[float] | None] = {}
    for key, faction in (("east", "rebels"), ("west", "government")):
        part = cells[cells["faction"] == faction]
        if part.empty or part["area_km2"].sum() < 4:
            out[key] = None  # too small to carry a name across it
            continue
        # the middle of the area: the cell nearest its centre, at a point inside that cell
        metric = part.to_crs(_METRIC)
        centre = shapely.union_all(metric.geometry.values).centroid
        nearest = metric.geometry.centroid.distance(centre).idxmin()
        p = part.geometry[nearest].point_on_surface()
        out[key] = [round(p.y, 5), round(p.x, 5)]
    return out


def _changed(atlas: Atlas, a: pd.Timestamp, b: pd.Timestamp) -> tuple[list[str], list[str]]:
    """Cells whose holder and routes whose status (or side) differ between dates ``a`` and
    ``b``."""
    return sorted(changed_hands(atlas, a, b).index), changed_routes(atlas, a, b)


def _bounds(atlas: Atlas, cells: Sequence[str], routes: Sequence[str]) -> list[list[float]] | None:
    geoms = list(atlas.layers.districts.loc[list(cells), "geometry"])
    geoms += list(atlas.layers.routes.set_index("id").loc[list(routes), "geometry"])
    if not geoms:
        return None
    x0, y0, x1, y1 = shapely.union_all(geoms).bounds
    return [[round(y0, 5), round(x0, 5)], [round(y1, 5), round(x1, 5)]]


def _strings(lang: str) -> dict[str, Any]:
    cat = CATALOGUES.get(lang, CATALOGUES[LANG_DEFAULT])
    out: dict[str, Any] = {k: cat.get(k, CATALOGUES[LANG_DEFAULT][k]) for k in _TEXT_KEYS}
    out["unit.days"] = cat.get("unit.days", CATALOGUES[LANG_DEFAULT]["unit.days"])
    out["months"] = [t(f"month.{i}", lang) for i in range(1, 13)]
    out |= {k: v for k, v in cat.items() if k.startswith(("faction.", "status.", "category."))}
    return out


def panel_data(
    atlas: Atlas,
    cite: Callable[[Sequence[str]], list[int]],
    lang: str = LANG_DEFAULT,
    chapters: Mapping[str, pd.Timestamp] | None = None,
    captions: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """The JSON the reader panel reads (pure: from the layers).

    Parameters
    ----------
    atlas
        The layers.
    cite
        Turns source ids into indexes of the citation list the page ships once (the map's
        popups use the same list).
    lang
        Interface language.
    chapters
        Chapter ids and dates, in story order.
    captions
        Chapter id to caption HTML (escaped; :func:`chapter_captions`).

    Returns
    -------
    dict
        ``stretches``: per stretch ``start`` day, ``areas`` (``[faction, whole km2]``, largest
        first) and ``labels`` (``east`` / ``west`` positions or null); ``siege``: ``[current,
        total]`` per day of 2016; ``events``: ``[day, date text, category, title, summary, source
        indexes]``; ``chapters``: id, day, title, caption, changed ``cells`` and ``routes`` and
        their ``bounds``; ``strings``: the catalogue templates the script fills in; ``plural``: the
        language's plural category of each count 0-366 that differs from ``other``.

    """
    st = Stretches(atlas)
    stretches = []
    for start in st.starts:
        when = YEAR_START + pd.Timedelta(days=start)
        areas, _ = st.at(when)
        stretches.append(
            {
                "start": start,
                "areas": [
                    [f, round(km2)] for f, km2 in sorted(areas.items(), key=lambda kv: -kv[1])
                ],
                "labels": _area_label_points(atlas, when),
            }
        )
    n_days = int((YEAR_END - YEAR_START).days)
    siege = [list(atlas.siege_days(YEAR_START + pd.Timedelta(days=d))) for d in range(n_days)]
    ev = atlas.layers.events
    ev = ev[(ev["date"] >= YEAR_START) & (ev["date"] < YEAR_END)].sort_values(["date", "id"])
    events = [
        [
            _day(r["date"]),
            event_date_text(r["date"], r["date_precision"], lang),
            t(f"category.{r['category']}", lang),
            r["title"],
            r["summary"],
            cite(r["sources"]),
        ]
        for _, r in ev.iterrows()
    ]
    chapter_list = []
    previous = YEAR_START
    for cid, when in (chapters or {}).items():
        when = as_date(when)
        since = max(previous, when - pd.Timedelta(days=CHAPTER_WINDOW_DAYS))
        cells, routes = _changed(atlas, since, when)
        chapter_list.append(
            {
                "id": cid,
                "day": _day(when),
                "title": t(f"chapter.{cid}", lang),
                "caption": (captions or {}).get(cid, ""),
                "cells": cells,
                "routes": routes,
                "bounds": _bounds(atlas, cells, routes),
            }
        )
        previous = when
    rule = PLURAL_RULES.get(lang, PLURAL_RULES[LANG_DEFAULT])
    return {
        "stretches": stretches,
        "siege": siege,
        "events": events,
        "chapters": chapter_list,
        "strings": _strings(lang),
        "plural": {n: rule(n) for n in range(n_days + 1) if rule(n) != "other"},
    }
