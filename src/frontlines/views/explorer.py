"""The explorer: the reader panel (map and date) and the kernel's side of it.

The panel itself is HTML and JavaScript (:func:`frontlines.timemap.timeline_map`), drawn once
per app and shown as a plain output (``map_display()``): under Voila the reader template writes
it into the page, so it works while Voila's front end loads and needs no kernel to move the
date. The kernel keeps in step through two hidden widgets: the panel writes each date it shows
into ``sync`` (a text widget), and when Python moves the date (:meth:`ExplorerView.go`) the
``beacon`` tells the panel.
"""

from __future__ import annotations

import contextlib
import os
import uuid
from collections.abc import Mapping
from pathlib import Path

import ipywidgets as W
import pandas as pd

from ..atlas import YEAR_END, YEAR_START, Atlas
from ..embed import FRAGMENT_MIME, HtmlOutput, iframe, inline_leaflet, map_fragment
from ..links import CHAPTERS, DEFAULT_DATE, date_from_query
from ..maps import format_date
from ..panel import Stretches, chapter_captions, summary_sentence
from ..request import wait_for_request
from ..text import t
from ..timeline import as_date
from ..timemap import timeline_map
from .fragments import render

__all__ = ["CITY_SITES", "ExplorerView", "READER_NOTEBOOK"]

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
#: The reader notebook, whose Markdown cells hold the chapter captions.
READER_NOTEBOOK = Path(__file__).resolve().parents[3] / "notebooks" / "aleppo.ipynb"
_DATE_TOKEN = "__FRONTLINES_FIRST_DATE__"


class ExplorerView:
    """The reader panel and the date the kernel knows.

    Parameters
    ----------
    atlas
        The layers.
    date
        The first date shown.
    asset_base
        URL of the folder holding ``leaflet/``; ``None`` embeds Leaflet in the map.
    lang
        Interface language.
    notice
        A message for the reader (e.g. why a deep link fell back to the default).
    captions
        Chapter id to caption HTML; default: read from the reader notebook.
    """

    def __init__(
        self,
        atlas: Atlas,
        date: pd.Timestamp | str = DEFAULT_DATE,
        asset_base: str | None = None,
        lang: str = "en",
        notice: str = "",
        captions: Mapping[str, str] | None = None,
    ) -> None:
        self.atlas, self.asset_base, self.lang = atlas, asset_base, lang
        self.view_id = uuid.uuid4().hex[:10]
        self.stretches = Stretches(atlas)
        self._figures: dict[pd.Timestamp, dict] = {}
        self._date = self._clamp(as_date(date))
        if captions is None:
            captions = chapter_captions(READER_NOTEBOOK) if READER_NOTEBOOK.exists() else {}
        hidden = W.Layout(display="none")
        self.notice = W.HTML(str(render("notice", text=notice)))
        self.sync = W.Text(value=self.iso, continuous_update=False, layout=hidden)
        self.sync.add_class(f"fl-sync-{self.view_id}")
        self.sync.observe(self._on_sync, names="value")
        self.beacon = W.HTML(layout=hidden)
        L = self.atlas.layers
        # Built for the story's date whatever the first date: the panel opens on the date it
        # is given (a token, filled in when the map is displayed).
        m = timeline_map(
            atlas,
            DEFAULT_DATE,
            view_id=self.view_id,
            asset_base=asset_base or "static",
            lang=lang,
            sites=L.sites[L.sites["id"].isin(CITY_SITES)],
            date_token=_DATE_TOKEN,
            chapters=CHAPTERS,
            captions=captions,
        )
        if asset_base is None:
            inline_leaflet(m)
        self._map_page = m.get_root().render()
        self._map_fragment = (
            map_fragment(m, t("ui.map_title", lang), None, render=False)
            if asset_base is not None
            else ""
        )
        self.view = W.VBox([self.notice, self.sync, self.beacon], layout=W.Layout(width="100%"))

    # ------------------------------------------------------------------ the date

    @staticmethod
    def _clamp(when: pd.Timestamp) -> pd.Timestamp:
        return min(max(when, YEAR_START), YEAR_END - pd.Timedelta(days=1))

    @property
    def date(self) -> pd.Timestamp:
        """The date the panel shows, as the kernel last heard it."""
        return self._date

    @property
    def iso(self) -> str:
        return self._date.date().isoformat()

    def go(self, when: pd.Timestamp | str) -> None:
        """Show ``when`` (clamped to 2016): the panel follows the beacon."""
        self._date = self._clamp(as_date(when))
        self.sync.value = self.iso
        self.beacon.value = str(render("beacon", view=self.view_id, iso=self.iso))

    def step(self, days: int) -> None:
        """Move the date by ``days``."""
        self.go(self._date + pd.Timedelta(days=days))

    def _on_sync(self, change: dict) -> None:
        # not a date: keep the last one (the box is the panel's, not the reader's)
        with contextlib.suppress(TypeError, ValueError):
            self._date = self._clamp(as_date(change["new"]))

    def apply_request(self) -> None:
        """Wait for the request (preheated kernels) and note the date its query asks for.

        The panel reads the same query in the browser and has already opened on that date;
        the kernel only learns it, and explains a link it could not follow.
        """
        wait_for_request()
        when, notice = date_from_query(os.environ.get("QUERY_STRING", ""))
        self.notice.value = str(render("notice", text=notice))
        self._date = self._clamp(when)
        self.sync.value = self.iso

    # ------------------------------------------------------------------ the day's figures

    def figures(self, when: pd.Timestamp) -> dict:
        """What the panel says about ``when``: areas, routes, the siege and the summary."""
        when = as_date(when)
        if when not in self._figures:
            areas, routes = self.stretches.at(when)
            current, total = self.atlas.siege_days(when)
            self._figures[when] = {
                "date": format_date(when, self.lang),
                "areas": areas,
                "routes": routes,
                "besieged": current > 0,
                "current": current,
                "total": total,
                "open": int((routes["status"] == "open").sum()),
                "sentence": summary_sentence(areas, routes, current, total, when, self.lang),
            }
        return self._figures[when]

    # ------------------------------------------------------------------ the map

    def map_html(self) -> str:
        """The explorer as an ``<iframe>`` (``srcdoc``), opening on the current date.

        Every front end shows it (JupyterLab, nbconvert, Voila with another template).
        """
        page = self._map_page.replace(_DATE_TOKEN, self.iso)
        return iframe(page, t("ui.map_title", self.lang), "92vh")

    def map_inline(self) -> str:
        """The explorer as a block of the host page (:func:`frontlines.embed.map_fragment`),
        opening on the current date; needs Leaflet served at :attr:`asset_base`."""
        return self._map_fragment.replace(_DATE_TOKEN, self.iso)

    def map_display(self) -> HtmlOutput:
        """The explorer for ``IPython.display.display``.

        The bundle's ``text/html`` is :meth:`map_html` (an iframe: every front end shows it).
        Under Voila it also carries :meth:`map_inline`, which the reader template writes into
        the page itself, so the panel works while Voila's front end is still loading.
        """
        extra = {FRAGMENT_MIME: self.map_inline()} if self._map_fragment else {}
        return HtmlOutput(self.map_html(), extra)
