"""What a reader's link asks for, and where Voila serves the app's assets.

The chapters and the default date are the story's; :func:`date_from_query` reads
``?date=YYYY-MM-DD`` and ``?chapter=ID`` as the app does (the reader panel's script reads them
the same way in the browser, ``js/panel.js``), and :func:`asset_base_from_env` finds the
URL of Leaflet from what Voila tells a kernel.
"""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import parse_qs

import pandas as pd

from .assets import template_static_url
from .atlas import YEAR_END, YEAR_START
from .maps import format_date
from .text import t
from .timeline import as_date

__all__ = ["CHAPTERS", "DEFAULT_DATE", "asset_base_from_env", "date_from_query"]

#: The day the story behind this explainer ran (Bloomberg, 8 September 2016).
DEFAULT_DATE = pd.Timestamp("2016-09-08")
#: Chapter ids and their dates, in story order.
CHAPTERS: dict[str, pd.Timestamp] = {
    "north-cut": pd.Timestamp("2016-02-03"),
    "siege": pd.Timestamp("2016-07-17"),
    "breakthrough": pd.Timestamp("2016-08-06"),
    "deal": pd.Timestamp("2016-09-09"),
    "fall": pd.Timestamp("2016-11-28"),
    "end": pd.Timestamp("2016-12-22"),
}


def asset_base_from_env(env: Mapping[str, str]) -> str | None:
    """The URL of the folder holding ``leaflet/`` as Voila serves it, or None outside Voila.

    Voila gives a kernel its base URL (``VOILA_BASE_URL``, also in a preheated kernel before
    any request) and the request's path (``SCRIPT_NAME``: ``/`` for one notebook,
    ``<base>voila/render/<path>`` for a notebook of a tree, as on Binder). Leaflet is served
    with the reader template (:func:`frontlines.assets.template_static_url`), at a URL that
    does not depend on the notebook's path.

    Examples
    --------
    >>> asset_base_from_env({"VOILA_BASE_URL": "/", "SCRIPT_NAME": "/"})
    '/voila/templates/frontlines/static'
    >>> asset_base_from_env({"VOILA_BASE_URL": "/user/x/",
    ...                      "SCRIPT_NAME": "/user/x/voila/render/notebooks/aleppo.ipynb"})
    '/user/x/voila/templates/frontlines/static'
    >>> asset_base_from_env({"SCRIPT_NAME": "/user/x/voila/render/notebooks/aleppo.ipynb"})
    '/user/x/voila/templates/frontlines/static'
    >>> asset_base_from_env({}) is None
    True
    """
    base = env.get("VOILA_BASE_URL")
    if not base:
        path = env.get("SCRIPT_NAME")
        if path is None:
            return None
        base = path.split("voila/render/", 1)[0] if "voila/render/" in path else path
    return template_static_url(base or "/")


def date_from_query(query: str, default: pd.Timestamp = DEFAULT_DATE) -> tuple[pd.Timestamp, str]:
    """The date a query string asks for (``date=YYYY-MM-DD`` or ``chapter=ID``) and a message.

    A missing value gives ``default`` silently; a malformed or unknown one gives ``default``
    and a message saying so (shown to the reader, escaped).

    Examples
    --------
    >>> date_from_query("date=2016-09-10")[0]
    Timestamp('2016-09-10 00:00:00')
    >>> date_from_query("chapter=siege")[0]
    Timestamp('2016-07-17 00:00:00')
    >>> d, msg = date_from_query("date=2016-02-30")
    >>> d == DEFAULT_DATE and "2016-02-30" in msg
    True
    """
    params = parse_qs(query or "")
    if "chapter" in params:
        raw = params["chapter"][0][:40]
        if raw in CHAPTERS:
            return CHAPTERS[raw], ""
        return default, t("notice.bad_chapter", value=raw, date=format_date(default))
    values = params.get("date")
    if not values:
        return default, ""
    raw = values[0][:40]
    try:
        when = as_date(raw)
    except ValueError:
        return default, t("notice.bad_date", value=raw, date=format_date(default))
    if not (YEAR_START <= when < YEAR_END):
        return default, t("notice.outside", value=raw, date=format_date(default))
    return when, ""
