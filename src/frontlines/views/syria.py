"""Syria beyond Aleppo: who held what at the four snapshot dates."""

from __future__ import annotations

from collections.abc import Mapping

import folium
import ipywidgets as W
import pandas as pd
from markupsafe import Markup

from ..atlas import Atlas
from ..embed import iframe, inline_leaflet
from ..maps import format_date, syria_map
from ..text import t
from ..timeline import as_date
from .fragments import render

__all__ = ["SyriaView", "snapshot_map"]


def snapshot_map(atlas: Atlas, when: pd.Timestamp, asset_base: str, lang: str = "en") -> folium.Map:
    """The Syria-wide map of the snapshot in force on ``when`` (the app's and the site's)."""
    L = atlas.layers
    return syria_map(
        atlas.syria_at(when),
        L.border,
        L.governorates,
        L.towns,
        L.context_lines,
        when,
        bib=L.bibliography,
        asset_base=asset_base,
        lang=lang,
    )


class SyriaView:
    """A choice of snapshot dates and the Syria-wide map of the one chosen.

    Parameters
    ----------
    atlas
        The layers.
    asset_base
        URL of the folder holding ``leaflet/``; ``None`` embeds Leaflet in the map.
    lang
        Interface language.
    """

    def __init__(
        self,
        atlas: Atlas,
        asset_base: str | None = None,
        lang: str = "en",
        captions: Mapping[str, str] | None = None,
    ) -> None:
        self.atlas, self.asset_base, self.lang = atlas, asset_base, lang
        self.captions = dict(captions or {})
        self._html: dict[pd.Timestamp, str] = {}
        dates = sorted(atlas.layers.syria_control["snapshot_date"].unique())
        self.choice = W.ToggleButtons(
            options=[(format_date(pd.Timestamp(d), lang), pd.Timestamp(d)) for d in dates],
            value=None,
            description=t("ui.snapshot", lang),
            style={"description_width": "initial", "button_width": "auto"},
        )
        self.caption = W.HTML()
        self.map = W.HTML(layout=W.Layout(width="100%"))
        self.choice.observe(lambda _: self._render(), names="value")
        self.view = W.VBox([self.choice, self.caption, self.map])

    def _render(self) -> None:
        when = self.choice.value
        if when is None:
            return
        caption = self.captions.get(when.date().isoformat(), "")
        self.caption.value = str(render("caption", html=Markup(caption)))
        if when not in self._html:
            m = snapshot_map(self.atlas, when, self.asset_base or "static", self.lang)
            if self.asset_base is None:
                inline_leaflet(m)
            title = t("ui.syria_title", self.lang, date=format_date(when, self.lang))
            self._html[when] = iframe(m.get_root().render(), title, "60vh")
        self.map.value = self._html[when]

    def show(self, when: pd.Timestamp | str | None = None) -> W.VBox:
        """The view, showing ``when`` (default: the first snapshot) at once."""
        if when is None and self.choice.value is None and self.choice.options:
            when = self.choice.options[0][1]
        if when is not None:
            self.choice.value = as_date(when)
        return self.view
