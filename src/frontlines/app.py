"""The reader app: one :class:`App` that owns its widgets and callbacks.

The notebook creates ``App(load())`` and displays ``app.view``. All state lives on the instance
(the atlas, the chosen date); nothing is global, so several readers' kernels never share state.
"""

from __future__ import annotations

import html
import os
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import parse_qs

import folium
import ipywidgets as W
import pandas as pd

from .assets import LEAFLET_FILES, leaflet_dir, stage_static
from .atlas import YEAR_END, YEAR_START, Atlas
from .maps import control_map, format_date
from .text import t
from .timeline import as_date

__all__ = ["App", "DEFAULT_DATE", "asset_base_from_env", "date_from_query"]

#: The day the story behind this explainer ran (Bloomberg, 8 September 2016).
DEFAULT_DATE = pd.Timestamp("2016-09-08")


def asset_base_from_env(env: Mapping[str, str]) -> str | None:
    """The URL of the staged ``static`` folder as Voila serves it, or None outside Voila.

    Voila sets ``SCRIPT_NAME`` (the server's base URL) in the kernel. Serving one notebook,
    it serves that notebook's folder at ``voila/files/``; serving a tree (``voila/render/``),
    it serves the tree root there.

    Examples
    --------
    >>> asset_base_from_env({"SCRIPT_NAME": "/", "PATH_INFO": ""})
    '/voila/files/static'
    >>> asset_base_from_env({"SCRIPT_NAME": "/user/x/",
    ...                      "PATH_INFO": "/voila/render/notebooks/aleppo.ipynb"})
    '/user/x/voila/files/notebooks/static'
    >>> asset_base_from_env({}) is None
    True
    """
    base = env.get("SCRIPT_NAME")
    if base is None:
        return None
    base = base if base.endswith("/") else base + "/"
    path = env.get("PATH_INFO", "")
    marker = "voila/render/"
    if marker in path:
        folder = path.split(marker, 1)[1].rsplit("/", 1)
        sub = folder[0] + "/" if len(folder) == 2 else ""
        return f"{base}voila/files/{sub}static"
    return f"{base}voila/files/static"


def date_from_query(query: str, default: pd.Timestamp = DEFAULT_DATE) -> tuple[pd.Timestamp, str]:
    """The date asked for in a query string (``date=YYYY-MM-DD``) and a message.

    A missing, malformed or out-of-range date falls back to ``default``; the message says so
    (it is empty when the request was honoured or absent).

    Examples
    --------
    >>> date_from_query("date=2016-09-10")[0]
    Timestamp('2016-09-10 00:00:00')
    >>> d, msg = date_from_query("date=2016-02-30")
    >>> d == DEFAULT_DATE and "2016-02-30" in msg
    True
    """
    values = parse_qs(query or "").get("date")
    if not values:
        return default, ""
    raw = values[0][:40]
    try:
        when = as_date(raw)
    except ValueError:
        return default, f"Unknown date {raw!r}; showing {format_date(default)}."
    if not (YEAR_START <= when < YEAR_END):
        return default, f"{raw} is outside 2016; showing {format_date(default)}."
    return when, ""


def _inline_leaflet(m: folium.Map) -> None:
    """Embed Leaflet in the map itself (for JupyterLab and nbconvert, where no Voila serves it)."""
    from branca.element import Element

    src = leaflet_dir()
    js, css = ((src / f).read_text(encoding="utf-8") for f in LEAFLET_FILES)
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(f"<style>{css}</style>"), index=0)
    m.get_root().header.add_child(Element(f"<script>{js}</script>"), index=0)


class App:
    """The explainer's widgets: a date slider, the map and a stats panel.

    Parameters
    ----------
    atlas
        The layers to show (``frontlines.load()``).
    date
        The first date shown.
    asset_base
        URL of the folder holding ``leaflet/``; ``None`` embeds Leaflet in the map.
    lang
        Interface language (a key of :data:`frontlines.text.CATALOGUES`).
    """

    def __init__(
        self,
        atlas: Atlas,
        date: pd.Timestamp | str = DEFAULT_DATE,
        asset_base: str | None = None,
        lang: str = "en",
        notice: str = "",
    ) -> None:
        self.atlas = atlas
        self.asset_base = asset_base
        self.lang = lang
        days = pd.date_range(YEAR_START, YEAR_END - pd.Timedelta(days=1), freq="D")
        self._days = list(days)
        self.slider = W.SelectionSlider(
            options=[(format_date(d, lang), d) for d in days],
            value=as_date(date),
            description="Date",
            continuous_update=False,
            layout=W.Layout(width="100%"),
        )
        self.map = W.HTML(layout=W.Layout(width="100%"))
        self.stats = W.HTML()
        self.notice = W.HTML(html.escape(notice))
        self.slider.observe(self._on_date, names="value")
        self.view = W.VBox([self.notice, self.slider, self.map, self.stats])
        self._render()

    @classmethod
    def from_request(cls, atlas: Atlas, notebook_dir: str | Path | None = None) -> App:
        """Build the app for the current Voila request (date from ``?date=``).

        Stages Leaflet next to the notebook when running under Voila.
        """
        try:  # with preheated kernels, the request's details arrive only now
            from voila.utils import wait_for_request

            wait_for_request()
        except ImportError:  # pragma: no cover - voila is a dependency
            pass
        env = os.environ
        base = asset_base_from_env(env)
        if base is not None and notebook_dir is not None:
            stage_static(Path(notebook_dir) / "static")
        when, notice = date_from_query(env.get("QUERY_STRING", ""))
        return cls(atlas, when, asset_base=base, notice=notice)

    @property
    def date(self) -> pd.Timestamp:
        return self.slider.value

    def _on_date(self, change: dict) -> None:
        self._render()

    def build_map(self) -> folium.Map:
        """The folium map of the current date (pure: from the atlas and the date only)."""
        when = self.date
        m = control_map(
            self.atlas.control_at(when),
            self.atlas.routes_at(when),
            self.atlas.layers.sites[lambda s: s["id"].isin(_CITY_SITES)],
            when,
            asset_base=self.asset_base or "static",
            lang=self.lang,
        )
        if self.asset_base is None:
            _inline_leaflet(m)
        return m

    def _render(self) -> None:
        page = self.build_map().get_root().render()
        title = html.escape(t("map.title", self.lang, date=format_date(self.date, self.lang)))
        self.map.value = (
            f'<iframe title="{title}" srcdoc="{html.escape(page, quote=True)}" '
            'style="width:100%;height:70vh;min-height:380px;border:0"></iframe>'
        )
        self.stats.value = self.stats_html()

    def stats_html(self) -> str:
        """The stats panel: areas held, siege status and routes, all escaped."""
        when = self.date
        areas = self.atlas.city_area_km2(when)
        siege = self.atlas.siege_status(when)
        current, total = self.atlas.siege_days(when)
        rows = [
            f"<li>{html.escape(t(f'faction.{f}', self.lang))}: about {km2:.0f} km²</li>"
            for f, km2 in sorted(areas.items(), key=lambda kv: -kv[1])
        ]
        routes = self.atlas.routes_at(when)
        route_rows = [
            f"<li>{html.escape(r['name'])}: {html.escape(t(f'status.{r.status}', self.lang))}</li>"
            for _, r in routes.iterrows()
        ]
        siege_txt = (
            f"East Aleppo is besieged (day {current}; {total} days in 2016 so far)."
            if siege.besieged
            else f"East Aleppo is not besieged ({total} days besieged in 2016 so far)."
        )
        return (
            f'<div role="status" aria-live="polite"><p><strong>{html.escape(siege_txt)}</strong>'
            f"</p><p>Area held inside the city:</p><ul>{''.join(rows)}</ul>"
            f"<p>Supply routes:</p><ul>{''.join(route_rows)}</ul></div>"
        )


#: Sites drawn on the city map (the others belong to the Syria-wide map).
_CITY_SITES = (
    "citadel",
    "umayyad_mosque",
    "aleppo_airport",
    "handarat_camp",
    "ramouseh_academies",
    "castello_complex",
    "layramoun_roundabout",
    "jandoul_roundabout",
    "bustan_al_qasr_crossing",
    "al_quds_hospital",
    "kindi_hospital",
    "sheikh_najjar_industrial",
    "university_of_aleppo",
)
