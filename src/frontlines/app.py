"""The reader app: :class:`App` assembles one small view per part of the page.

The notebook creates the app and displays its views between the story's Markdown cells:
the explorer (``map_display()`` and ``view``: the reader panel and the kernel's side of it),
the Syria map (``show_syria()``) and the data (``data_view``); compare is part of the panel.
All state lives on the instance, so every reader's kernel is independent. The views are in
:mod:`frontlines.views`; the panel's JavaScript in ``js/``.
"""

from __future__ import annotations

import os

import ipywidgets as W
import pandas as pd

from .assets import LEAFLET_FILES, install_voila_template, installed_template
from .atlas import Atlas
from .changes import changed_hands
from .embed import HtmlOutput
from .links import CHAPTERS, DEFAULT_DATE, asset_base_from_env, date_from_query
from .panel import marked_captions
from .views import DataView, ExplorerView, SyriaView
from .views.data import background_html
from .views.explorer import CITY_SITES, READER_NOTEBOOK

__all__ = [
    "App",
    "CHAPTERS",
    "CITY_SITES",
    "DEFAULT_DATE",
    "asset_base_from_env",
    "date_from_query",
]


def _release_memory() -> None:
    """Hand the heap freed while building the app back to the system (glibc only)."""
    import contextlib
    import ctypes
    import gc

    gc.collect()
    with contextlib.suppress(OSError, AttributeError):  # not glibc: nothing to do
        ctypes.CDLL("libc.so.6").malloc_trim(0)


class App:
    """The explainer's views, assembled.

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
        self.atlas, self.asset_base, self.lang = atlas, asset_base, lang
        self.explorer = ExplorerView(atlas, date, asset_base, lang, notice)
        captions = marked_captions(READER_NOTEBOOK, "snapshot") if READER_NOTEBOOK.exists() else {}
        self.syria = SyriaView(atlas, asset_base, lang, captions)
        self.data = DataView(atlas, lambda: self.explorer.date, lang)

    @classmethod
    def for_server(cls, atlas: Atlas) -> App:
        """The app for the server the kernel runs under, before any reader's request.

        Under Voila, maps load Leaflet from the reader template's static folder (installed
        at set-up; installed now if it is missing); elsewhere (JupyterLab, nbconvert) maps
        embed Leaflet. It does not wait for the request: a preheated kernel renders the
        whole page in advance, and the notebook's last cell calls :meth:`apply_request`.
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

    # ------------------------------------------------------------------ the views

    @property
    def view(self) -> W.VBox:
        """The explorer's widgets (the notice, and the kernel's hidden date)."""
        return self.explorer.view

    @property
    def view_id(self) -> str:
        return self.explorer.view_id

    @property
    def syria_view(self) -> W.VBox:
        return self.syria.view

    @property
    def data_view(self) -> W.VBox:
        return self.data.view

    def map_display(self) -> HtmlOutput:
        """The reader panel for ``IPython.display.display``."""
        return self.explorer.map_display()

    def show_syria(self, when: pd.Timestamp | str | None = None) -> W.VBox:
        """The Syria-wide view; its map is drawn when a snapshot is chosen (or ``when``)."""
        return self.syria.show(when)

    def background_display(self) -> HtmlOutput:
        """The events before 2016 as a plain output (static: no widget needed)."""
        return HtmlOutput(background_html(self.atlas, self.lang))

    # ------------------------------------------------------------------ the date

    @property
    def date(self) -> pd.Timestamp:
        return self.explorer.date

    def go(self, when: pd.Timestamp | str) -> None:
        """Show ``when`` (clamped to 2016)."""
        self.explorer.go(when)

    def step(self, days: int) -> None:
        """Move the date by ``days``."""
        self.explorer.step(days)

    def apply_request(self) -> None:
        """Wait for the request (preheated kernels) and learn the date its query asks for."""
        self.explorer.apply_request()

    def figures(self, when: pd.Timestamp) -> dict:
        """What the panel says about ``when``."""
        return self.explorer.figures(when)

    def changes(self, a: pd.Timestamp, b: pd.Timestamp) -> pd.DataFrame:
        """Cells whose holder differs between dates ``a`` and ``b``."""
        return changed_hands(self.atlas, a, b)

    def prepare_download(self) -> None:
        """Offer the data of the date shown as files."""
        self.data.prepare_download()
