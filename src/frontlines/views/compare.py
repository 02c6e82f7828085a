"""Compare: which districts changed hands between two dates, in a list and on a map."""

from __future__ import annotations

import ipywidgets as W
import pandas as pd
from markupsafe import Markup

from ..atlas import YEAR_END, YEAR_START, Atlas
from ..embed import iframe, inline_leaflet
from ..links import CHAPTERS
from ..maps import control_map, format_date
from ..text import t
from ..timeline import as_date
from .fragments import render

__all__ = ["CompareView", "button"]


def button(label: str, **kw: object) -> W.Button:
    """A button as wide as its label (ipywidgets' fixed width cuts longer labels short)."""
    return W.Button(description=label, layout=W.Layout(width="auto"), **kw)


class CompareView:
    """Two dates, and what changed between them.

    Parameters
    ----------
    atlas
        The layers.
    asset_base
        URL of the folder holding ``leaflet/``; ``None`` embeds Leaflet in the map.
    lang
        Interface language.
    """

    def __init__(self, atlas: Atlas, asset_base: str | None = None, lang: str = "en") -> None:
        self.atlas, self.asset_base, self.lang = atlas, asset_base, lang
        # sliders of dates in the catalogue's format (a date picker shows the browser's)
        days = pd.date_range(YEAR_START, YEAR_END - pd.Timedelta(days=1), freq="D")
        options = [(format_date(d, lang), d) for d in days]

        def date_slider(label: str, value: pd.Timestamp) -> W.SelectionSlider:
            return W.SelectionSlider(
                options=options,
                value=value,
                description=t(label, lang),
                continuous_update=False,
                style={"description_width": "initial"},
                layout=W.Layout(width="100%", min_width="0"),
            )

        self.a = date_slider("ui.from", CHAPTERS["siege"])
        self.b = date_slider("ui.to", CHAPTERS["end"])
        self.button = button(t("ui.compare", lang), button_style="info")
        self.button.on_click(lambda _: self.compare())
        self.result = W.HTML()
        self.map = W.HTML(layout=W.Layout(width="100%"))
        self.view = W.VBox([self.a, self.b, self.button, self.result, self.map])

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
        """Show which districts changed hands between the two dates."""
        a = as_date(self.a.value or CHAPTERS["siege"])
        b = as_date(self.b.value or CHAPTERS["end"])
        lang = self.lang
        ch = self.changes(a, b)
        head = t("ui.changed", lang, count=len(ch), a=format_date(a, lang), b=format_date(b, lang))
        flows = ch.groupby(["before", "after"]).size().sort_values(ascending=False)
        counts = "; ".join(
            t(
                "ui.changed_flow",
                lang,
                count=int(n),
                before=t(f"faction.{x}", lang),
                after=t(f"faction.{y}", lang),
            )
            for (x, y), n in flows.items()
        )
        self.result.value = str(
            render(
                "changes",
                head=head,
                notice=t("ui.compare_reversed", lang) if a > b else "",
                counts=counts,
                rows=[
                    {
                        "name": r["name"],
                        "before": t(f"faction.{r.before}", lang),
                        "after": t(f"faction.{r.after}", lang),
                    }
                    for _, r in ch.iterrows()
                ],
            )
        )
        maps = []
        for when in (a, b):
            m = control_map(
                self.atlas.control_at(when),
                self.atlas.routes_at(when),
                self.atlas.layers.sites.iloc[0:0],
                when,
                bib=self.atlas.layers.bibliography,
                asset_base=self.asset_base or "static",
                lang=lang,
                highlight=set(ch.index),
            )
            if self.asset_base is None:
                inline_leaflet(m)
            title = t("map.title", lang, date=format_date(when, lang))
            maps.append({"title": title, "iframe": Markup(iframe(m.get_root().render(), title))})
        self.map.value = str(render("compare_maps", maps=maps))
        return ch
