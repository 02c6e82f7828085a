"""The reader app: one :class:`App` that owns its widgets and callbacks.

The notebook creates the app and displays its views (``view``, ``syria_view``,
``compare_view``, ``data_view``) between the story's Markdown cells. All state lives on the
instance, so every reader's kernel is independent; the date shown is the only state, and
everything on screen is derived from it and the layers.

The explorer map is drawn once per app (:func:`frontlines.timemap.timeline_map`) and shown
as a plain output (``map_display()``): under Voila the reader template writes it into the page
itself, so it is drawn while Voila's front end loads, before the widgets. A date change
updates a small *beacon* element that the map's script watches, plus the text panels, so the
reader's zoom and pan are kept and nothing heavy is re-rendered. What a reader's link asks
for is read in :mod:`frontlines.links`; downloads are built in :mod:`frontlines.export`.
"""

from __future__ import annotations

import bisect
import html
import os
import uuid
from urllib.parse import quote

import folium
import ipywidgets as W
import pandas as pd

from . import timeline
from .assets import LEAFLET_FILES, install_voila_template, installed_template
from .atlas import YEAR_END, YEAR_START, Atlas
from .embed import FRAGMENT_MIME, HtmlOutput, iframe, inline_leaflet, map_fragment
from .export import cells_on, data_link
from .links import CHAPTERS, DEFAULT_DATE, asset_base_from_env, date_from_query
from .maps import control_map, format_date, sources_html, syria_map
from .request import wait_for_request
from .text import t
from .timeline import as_date
from .timemap import timeline_map

__all__ = [
    "App",
    "CHAPTERS",
    "DEFAULT_DATE",
    "asset_base_from_env",
    "date_from_query",
]

#: Sites drawn on the city map (the others belong to the Syria-wide map).
CITY_SITES = (
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
_EVENT_ROWS = 5
_DATE_TOKEN = "__FRONTLINES_FIRST_DATE__"


def _release_memory() -> None:
    """Hand the heap freed while building the app back to the system (glibc only)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


def _button(label: str, **kw: object) -> W.Button:
    """A button as wide as its label (ipywidgets' fixed width cuts longer labels short)."""
    return W.Button(description=label, layout=W.Layout(width="auto"), **kw)


def _e(value: object) -> str:
    return html.escape("" if value is None else str(value), quote=True)


class App:
    """The explainer's widgets.

    Parameters
    ----------
    atlas
        The layers to show (``frontlines.load()``).
    date
        The first date shown.
    asset_base
        URL of the folder holding ``leaflet/``; ``None`` embeds Leaflet in each map.
    lang
        Interface language (a key of :data:`frontlines.text.CATALOGUES`).
    notice
        A message for the reader (e.g. why a deep link fell back to the default).
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
        self.view_id = uuid.uuid4().hex[:10]
        self._stats_cache: dict[pd.Timestamp, dict] = {}
        # Control and route status change only on these dates: what lies between two of them
        # (areas, routes) is computed once per stretch, not once per day.
        self._changes = timeline.change_dates(atlas.layers)
        self._stretch_cache: dict[int, tuple[dict[str, float], pd.DataFrame]] = {}
        ev = atlas.layers.events
        self._slider_events = ev[ev["date"] >= YEAR_START].sort_values(["date", "id"])
        first = as_date(date)
        days = pd.date_range(YEAR_START, YEAR_END - pd.Timedelta(days=1), freq="D")
        L = lambda key, **kw: t(key, lang, **kw)  # noqa: E731

        self.notice = W.HTML(self._notice_html(notice))
        self.slider = W.SelectionSlider(
            options=[(format_date(d, lang), d) for d in days],
            value=first,
            description=L("ui.date"),
            continuous_update=False,
            readout=True,
            layout=W.Layout(width="100%", min_width="0"),
            style={"description_width": "initial"},
        )
        self.play = W.Play(
            min=0,
            max=len(days) - 1,
            step=1,
            interval=400,
            value=self.slider.index,
            description=L("ui.play"),
            tooltip=L("ui.play"),
        )
        # the slider is the source: a link's first sync copies source to target in the browser
        W.jslink((self.slider, "index"), (self.play, "value"))
        self.prev_button = _button(L("ui.prev"), tooltip=L("ui.prev_tip"))
        self.next_button = _button(L("ui.next"), tooltip=L("ui.next_tip"))
        self.prev_button.on_click(lambda _: self.step(-1))
        self.next_button.on_click(lambda _: self.step(1))
        self.chapters = W.ToggleButtons(
            options=[(L(f"chapter.{cid}"), cid) for cid in CHAPTERS],
            tooltips=[f"{L(f'chapter.{c}')}: {format_date(d, lang)}" for c, d in CHAPTERS.items()],
            value=None,
            description=L("ui.chapters"),
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.chapters.observe(self._on_chapter, names="value")
        hidden = W.Layout(display="none")
        self.beacon = W.HTML(layout=hidden)
        # names for the Play widget's icon buttons; the reader template applies them
        self.a11y = W.HTML(
            '<div hidden class="fl-a11y" '
            + " ".join(
                f'data-{k}="{_e(L(f"ui.{k}"))}"' for k in ("play", "pause", "stop", "repeat")
            )
            + "></div>",
            layout=hidden,
        )
        # Built for the story's date whatever the first date: the script restyles it for the
        # date it is given (a token, filled in when the map is displayed).
        m = self.build_map(DEFAULT_DATE)
        if asset_base is None:
            inline_leaflet(m)
        # Rendered once: the page (an iframe's) and, under Voila, the inline map from its parts.
        self._map_page = m.get_root().render()
        self._map_fragment = (
            map_fragment(m, t("ui.map_title", lang), render=False) if asset_base is not None else ""
        )
        self.summary = W.HTML()
        self.stats = W.HTML()
        self.events = W.Select(
            options=[],
            rows=_EVENT_ROWS,
            description=L("ui.events"),
            layout=W.Layout(width="100%"),
            style={"description_width": "initial"},
        )
        self.events.observe(self._on_event, names="value")
        self.event_details = W.HTML()
        self._refreshing_events = False
        self.link = W.HTML()
        self.slider.observe(self._on_date, names="value")

        wrap = W.Layout(flex_flow="row wrap", align_items="center", width="100%")
        controls = W.HBox([self.play, self.prev_button, self.next_button], layout=wrap)
        self.view = W.VBox(
            [
                self.notice,
                self.slider,
                controls,
                self.chapters,
                self.beacon,
                self.a11y,
                self.summary,
                self.stats,
                self.events,
                self.event_details,
                self.link,
            ],
            layout=W.Layout(width="100%"),
        )
        self._syria_html: dict[pd.Timestamp, str] = {}
        self.syria_choice = W.ToggleButtons(
            options=[
                (format_date(pd.Timestamp(d), lang), pd.Timestamp(d))
                for d in sorted(atlas.layers.syria_control["snapshot_date"].unique())
            ],
            value=None,
            description=L("ui.snapshot"),
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.syria_map = W.HTML(layout=W.Layout(width="100%"))
        self.syria_choice.observe(lambda _: self._render_syria(), names="value")
        self.syria_view = W.VBox([self.syria_choice, self.syria_map])

        self.compare_a = W.DatePicker(
            value=CHAPTERS["siege"].date(),
            description=L("ui.from"),
            min=YEAR_START.date(),
            max=(YEAR_END - pd.Timedelta(days=1)).date(),
            style={"description_width": "initial"},
        )
        self.compare_b = W.DatePicker(
            value=CHAPTERS["end"].date(),
            description=L("ui.to"),
            min=YEAR_START.date(),
            max=(YEAR_END - pd.Timedelta(days=1)).date(),
            style={"description_width": "initial"},
        )
        self.compare_button = _button(L("ui.compare"), button_style="info")
        self.compare_button.on_click(lambda _: self.compare())
        self.compare_result = W.HTML()
        self.compare_map = W.HTML(layout=W.Layout(width="100%"))
        self.compare_view = W.VBox(
            [
                self.compare_a,
                self.compare_b,
                self.compare_button,
                self.compare_result,
                self.compare_map,
            ]
        )

        self.download_button = _button(L("ui.download"))
        self.download_button.on_click(lambda _: self.prepare_download())
        self.downloads = W.HTML()
        self.data_view = W.VBox(
            [W.HTML(self._attribution_html()), self.download_button, self.downloads]
        )
        self._update()

    # ------------------------------------------------------------------ building

    @classmethod
    def for_server(cls, atlas: Atlas) -> App:
        """The app for the server the kernel runs under, before any reader's request.

        Under Voila, maps load Leaflet from the reader template's static folder (installed
        at set-up; installed now if it is missing); elsewhere (JupyterLab, nbconvert) maps
        embed Leaflet. It does not wait for the request: a preheated kernel renders the
        whole page in advance, and the notebook's last cell calls :meth:`apply_request`,
        which moves the date to the one the reader's link asks for.
        """
        base = asset_base_from_env(os.environ)
        if (
            base is not None
            and not (installed_template() / "static" / "leaflet" / LEAFLET_FILES[0]).exists()
        ):
            install_voila_template()
        app = cls(atlas, DEFAULT_DATE, asset_base=base)
        _release_memory()
        return app

    def apply_request(self) -> None:
        """Wait for the request (preheated kernels) and show the date its query asks for.

        The explorer map reads the same query in the browser, so it opens on that date even
        before the widgets have loaded (see ``js/timemap.js``).
        """
        wait_for_request()
        when, notice = date_from_query(os.environ.get("QUERY_STRING", ""))
        self.notice.value = self._notice_html(notice)
        self.go(when)

    def build_map(self, when: pd.Timestamp) -> folium.Map:
        """The explorer map (pure: from the layers, a first date and this app's view id)."""
        L = self.atlas.layers
        return timeline_map(
            L,
            when,
            view_id=self.view_id,
            asset_base=self.asset_base or "static",
            lang=self.lang,
            sites=L.sites[L.sites["id"].isin(CITY_SITES)],
            date_token=_DATE_TOKEN,
            chapters=CHAPTERS,
        )

    def map_html(self) -> str:
        """The explorer map as an ``<iframe>`` (``srcdoc``), opening on the current date.

        Every front end shows it (JupyterLab, nbconvert, Voila with another template);
        afterwards it follows the date the widgets choose.
        """
        iso = self.date.date().isoformat()
        return iframe(self._map_page.replace(_DATE_TOKEN, iso), t("ui.map_title", self.lang))

    def map_inline(self) -> str:
        """The explorer map as a block of the host page (:func:`frontlines.embed.map_fragment`),
        opening on the current date; needs Leaflet served at :attr:`asset_base`."""
        return self._map_fragment.replace(_DATE_TOKEN, self.date.date().isoformat())

    def map_display(self) -> HtmlOutput:
        """The explorer map for ``IPython.display.display``.

        The bundle's ``text/html`` is :meth:`map_html` (an iframe: every front end shows it).
        Under Voila it also carries :meth:`map_inline`, which the reader template writes into
        the page itself, so the map is drawn while Voila's front end is still loading.
        """
        extra = {FRAGMENT_MIME: self.map_inline()} if self._map_fragment else {}
        return HtmlOutput(self.map_html(), extra)

    # ------------------------------------------------------------------ state

    @property
    def date(self) -> pd.Timestamp:
        return self.slider.value

    def go(self, when: pd.Timestamp | str) -> None:
        """Show ``when`` (clamped to 2016)."""
        when = min(max(as_date(when), YEAR_START), YEAR_END - pd.Timedelta(days=1))
        self.slider.value = when

    def step(self, days: int) -> None:
        """Move the date by ``days``."""
        self.go(self.date + pd.Timedelta(days=days))

    def _on_date(self, change: dict) -> None:
        self._update()

    def _update(self) -> None:
        when = self.date
        self.play.value = self.slider.index
        self.beacon.value = (
            f'<span class="fl-beacon" data-view="{self.view_id}">{when.date().isoformat()}</span>'
        )
        s = self.figures(when)
        self.summary.value = (
            f'<p role="status" aria-live="polite" class="fl-summary">{_e(s["sentence"])}</p>'
        )
        self.stats.value = self._stats_html(s)
        self._update_events(when)
        iso = when.date().isoformat()
        self.link.value = (
            f'<p><a href="?date={quote(iso)}">{_e(t("ui.link", self.lang, date=s["date"]))}</a></p>'
        )

    # ------------------------------------------------------------------ figures and text

    def figures(self, when: pd.Timestamp) -> dict:
        """Everything the text panels say about ``when`` (cached per date)."""
        if when in self._stats_cache:
            return self._stats_cache[when]
        a, lang = self.atlas, self.lang
        areas, routes = self._stretch(when)
        current, total = a.siege_days(when)  # from the cached siege calendar
        besieged = current > 0
        open_n = int((routes["status"] == "open").sum())
        parts = [
            t("summary.area", lang, faction=t(f"faction.{f}", lang), km2=round(km2))
            for f, km2 in sorted(areas.items(), key=lambda kv: -kv[1])
        ]
        date_txt = format_date(when, lang)
        days = t("unit.days", lang, count=total)
        siege = (
            t("summary.besieged", lang, current=current, total_days=days)
            if besieged
            else t("summary.not_besieged", lang, total_days=days)
        )
        route_txt = "; ".join(
            f"{r['name']}: {t(f'status.{r.status}', lang)} ({t(f'faction.{r.serves}', lang)})"
            for _, r in routes.iterrows()
        )
        sentence = t(
            "summary.sentence",
            lang,
            date=date_txt,
            areas=", ".join(parts),
            siege=siege,
            routes=route_txt,
        )
        out = {
            "date": date_txt,
            "areas": areas,
            "besieged": besieged,
            "current": current,
            "total": total,
            "routes": routes,
            "open": open_n,
            "sentence": sentence,
            "siege": siege,
        }
        self._stats_cache[when] = out
        return out

    def _stretch(self, when: pd.Timestamp) -> tuple[dict[str, float], pd.DataFrame]:
        """Areas held in the city and the routes on ``when``, shared by every day of the
        stretch between two change dates."""
        key = bisect.bisect_right(self._changes, when)
        if key not in self._stretch_cache:
            self._stretch_cache[key] = (self.atlas.city_area_km2(when), self.atlas.routes_at(when))
        return self._stretch_cache[key]

    def _stats_html(self, s: dict) -> str:
        lang = self.lang
        rows = "".join(
            f"<tr><th scope='row'>{_e(t(f'faction.{f}', lang))}</th><td>{km2:.0f} km²</td></tr>"
            for f, km2 in sorted(s["areas"].items(), key=lambda kv: -kv[1])
        )
        routes = "".join(
            f"<li>{_e(r['name'])}: <strong>{_e(t(f'status.{r.status}', lang))}</strong>"
            f" ({_e(t(f'faction.{r.serves}', lang))})</li>"
            for _, r in s["routes"].iterrows()
        )
        return (
            '<div class="fl-stats">'
            f"<p><strong>{_e(s['siege'])}</strong></p>"
            f"<table><caption>{_e(t('ui.area_caption', lang))}</caption>{rows}</table>"
            f"<p>{_e(t('ui.routes_open', lang, n=s['open'], total=len(s['routes'])))}</p>"
            f"<ul>{routes}</ul></div>"
        )

    def _notice_html(self, notice: str) -> str:
        return f'<p role="alert" class="fl-notice">{_e(notice)}</p>' if notice else ""

    def _update_events(self, when: pd.Timestamp) -> None:
        ev = self._slider_events
        near = ev.assign(gap=(ev["date"] - when).abs()).sort_values(["gap", "date"], kind="stable")
        near = near.head(_EVENT_ROWS).sort_values(["date", "id"])
        self._refreshing_events = True
        try:
            self.events.options = [
                (f"{self._event_date(r)}: {r['title']}", r["id"]) for _, r in near.iterrows()
            ]
            today = near[near["date"] == when]
            self.events.value = today["id"].iloc[0] if len(today) else None
        finally:
            self._refreshing_events = False
        self.event_details.value = "".join(
            f"<p><strong>{_e(self._event_date(r))}: {_e(r['title'])}</strong> "
            f"<span class='fl-cat'>({_e(t(f'category.{r.category}', self.lang))})</span>"
            f"<br>{_e(r['summary'])}</p>"
            f"<small>{self._sources_html(r['sources'])}</small>"
            for _, r in near.iterrows()
        )

    def _on_event(self, change: dict) -> None:
        if self._refreshing_events or change["new"] is None:
            return
        self.go(self.atlas.layers.events.loc[change["new"], "date"])

    def _on_chapter(self, change: dict) -> None:
        if change["new"] is None:
            return
        self.go(CHAPTERS[change["new"]])
        self.chapters.value = None  # a jump, not a state: ready for the next choice

    # ------------------------------------------------------------------ other views

    def _render_syria(self) -> None:
        when = self.syria_choice.value
        if when is None:
            return
        if when not in self._syria_html:
            L = self.atlas.layers
            m = syria_map(
                self.atlas.syria_at(when),
                L.border,
                L.governorates,
                L.towns,
                L.context_lines,
                when,
                bib=self.atlas.layers.bibliography,
                asset_base=self.asset_base or "static",
                lang=self.lang,
            )
            if self.asset_base is None:
                inline_leaflet(m)
            title = t("ui.syria_title", self.lang, date=format_date(when, self.lang))
            self._syria_html[when] = iframe(m.get_root().render(), title, "60vh")
        self.syria_map.value = self._syria_html[when]

    def show_syria(self, when: pd.Timestamp | str | None = None) -> W.VBox:
        """The Syria-wide view; its map is drawn when a snapshot is chosen (or ``when``)."""
        if when is not None:
            self.syria_choice.value = as_date(when)
        return self.syria_view

    def changes(self, a: pd.Timestamp, b: pd.Timestamp) -> pd.DataFrame:
        """Cells whose holder differs between dates ``a`` and ``b``."""
        za, zb = self.atlas.control_at(a), self.atlas.control_at(b)
        df = pd.DataFrame(
            {
                "name": zb["name"],
                "before": za["faction"],
                "after": zb["faction"],
                "in_city": zb["in_city"],
                "area_km2": zb["area_km2"],
            }
        )
        return df[df["before"] != df["after"]].sort_values(["after", "name"])

    def compare(self) -> pd.DataFrame:
        """Show which districts changed hands between the two compare dates."""
        a, b = (
            as_date(self.compare_a.value or CHAPTERS["siege"]),
            as_date(self.compare_b.value or CHAPTERS["end"]),
        )
        lang = self.lang
        ch = self.changes(a, b)
        items = "".join(
            f"<li>{_e(r['name'])}: {_e(t(f'faction.{r.before}', lang))} → "
            f"{_e(t(f'faction.{r.after}', lang))}</li>"
            for _, r in ch.iterrows()
        )
        head = t("ui.changed", lang, count=len(ch), a=format_date(a, lang), b=format_date(b, lang))
        self.compare_result.value = f"<p role='status'>{_e(head)}</p><ul>{items}</ul>"
        zb = self.atlas.control_at(b)
        m = control_map(
            zb,
            self.atlas.routes_at(b),
            self.atlas.layers.sites.iloc[0:0],
            b,
            bib=self.atlas.layers.bibliography,
            asset_base=self.asset_base or "static",
            lang=lang,
            highlight=set(ch.index),
        )
        if self.asset_base is None:
            inline_leaflet(m)
        self.compare_map.value = iframe(m.get_root().render(), head, "55vh")
        return ch

    def background_display(self) -> HtmlOutput:
        """The events before 2016 as a plain output (static: no widget needed)."""
        return HtmlOutput(self._background_html())

    def _background_html(self) -> str:
        """The events before 2016 (they are not on the slider), with their sources."""
        ev = self.atlas.layers.events
        ev = ev[ev["date"] < YEAR_START].sort_values("date")
        items = "".join(
            f"<li><strong>{_e(self._event_date(r))}</strong>: {_e(r['title'])}. "
            f"{_e(r['summary'])}"
            f"<small>{self._sources_html(r['sources'])}</small></li>"
            for _, r in ev.iterrows()
        )
        return f"<h3>{_e(t('ui.before_2016', self.lang))}</h3><ul>{items}</ul>"

    def _sources_html(self, ids: tuple[str, ...]) -> str:
        return sources_html(ids, self.atlas.layers.bibliography, self.lang)

    def _event_date(self, r: pd.Series) -> str:
        d, p = r["date"], r["date_precision"]
        if p == "year":
            return str(d.year)
        if p == "month":
            return f"{t(f'month.{d.month}', self.lang)} {d.year}"
        return format_date(d, self.lang)

    def _attribution_html(self) -> str:
        L = self.atlas.layers
        items = "".join(
            f"<li><strong>{_e(e['title'])}</strong>: {_e(e['attribution'])} ({_e(e['licence'])})"
            "</li>"
            for e in L.manifest["layers"]
        )
        return f"<h3>{_e(t('ui.attribution', self.lang))}</h3><ul>{items}</ul>"

    def data_shown(self) -> tuple[str, str, str]:
        """GeoJSON and CSV of the cells on the current date, and the sources they cite (CSV)."""
        return cells_on(self.atlas, self.date)

    def prepare_download(self) -> None:
        """Offer the data shown as GeoJSON and CSV files (``data:`` links)."""
        gj, csv, sources = self.data_shown()
        iso = self.date.date().isoformat()
        day = format_date(self.date, self.lang)
        self.downloads.value = (
            "<p>"
            + data_link(
                gj,
                "application/geo+json",
                f"aleppo-{iso}.geojson",
                t("ui.download_geojson", self.lang, date=day),
            )
            + " · "
            + data_link(
                csv, "text/csv", f"aleppo-{iso}.csv", t("ui.download_csv", self.lang, date=day)
            )
            + " · "
            + data_link(
                sources,
                "text/csv",
                f"aleppo-{iso}-sources.csv",
                t("ui.download_sources", self.lang, date=day),
            )
            + "</p>"
        )
