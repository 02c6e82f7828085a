"""The data behind the page: attribution, licences and downloads of the date shown."""

from __future__ import annotations

import base64
from collections.abc import Callable

import ipywidgets as W
import pandas as pd

from ..atlas import YEAR_START, Atlas
from ..citation import citations_html
from ..export import files_on
from ..maps import format_date
from ..panel import event_date_text
from ..text import t
from .fragments import render

__all__ = ["DataView", "background_html"]


def background_html(atlas: Atlas, lang: str = "en") -> str:
    """The events before 2016 (they are not on the slider), with their sources."""
    ev = atlas.layers.events
    ev = ev[ev["date"] < YEAR_START].sort_values("date")
    bib = atlas.layers.bibliography
    return str(
        render(
            "background",
            title=t("ui.before_2016", lang),
            events=[
                {
                    "date": event_date_text(r["date"], r["date_precision"], lang),
                    "title": r["title"],
                    "summary": r["summary"],
                    "sources": citations_html(r["sources"], bib, lang),  # escaped HTML
                }
                for _, r in ev.iterrows()
            ],
        )
    )


def _href(data: str | bytes, mime: str) -> str:
    raw = data.encode("utf-8") if isinstance(data, str) else data
    return f"data:{mime};base64,{base64.b64encode(raw).decode('ascii')}"


class DataView:
    """Attribution and licences of every layer, and the data of the date shown.

    Parameters
    ----------
    atlas
        The layers.
    date
        Gives the date shown (the explorer's).
    lang
        Interface language.
    """

    def __init__(self, atlas: Atlas, date: Callable[[], pd.Timestamp], lang: str = "en") -> None:
        self.atlas, self._date, self.lang = atlas, date, lang
        self.attribution = W.HTML(
            str(
                render(
                    "attribution",
                    title=t("ui.attribution", lang),
                    layers=atlas.layers.manifest["layers"],
                )
            )
        )
        # as wide as its label (ipywidgets' fixed width cuts longer labels short)
        self.button = W.Button(description=t("ui.download", lang), layout=W.Layout(width="auto"))
        self.button.on_click(lambda _: self.prepare_download())
        self.downloads = W.HTML()
        self.view = W.VBox([self.attribution, self.button, self.downloads])

    def data_shown(self) -> tuple[str, bytes, str]:
        """Every layer on the date shown: GeoJSON, a zip of CSV files, and the sources cited
        (CSV); one :mod:`frontlines.export` makes them for the app, the site and the CLI."""
        return files_on(self.atlas, self._date())

    def prepare_download(self) -> None:
        """Offer the data shown as files (``data:`` links; no server needed)."""
        gj, zipped, sources = self.data_shown()
        when = self._date()
        iso, day = when.date().isoformat(), format_date(when, self.lang)
        L = lambda key: t(key, self.lang, date=day)  # noqa: E731
        links = [
            (_href(gj, "application/geo+json"), f"aleppo-{iso}.geojson", L("ui.download_geojson")),
            (_href(zipped, "application/zip"), f"aleppo-{iso}-csv.zip", L("ui.download_csv")),
            (_href(sources, "text/csv"), f"aleppo-{iso}-sources.csv", L("ui.download_sources")),
        ]
        self.downloads.value = str(
            render(
                "downloads",
                links=[{"name": name, "href": href, "label": label} for href, name, label in links],
            )
        )
