"""Putting folium maps on a page: in an ``<iframe>``, or inline in the page itself.

A folium map renders to a whole HTML page. The app shows the Syria maps in
iframes (``srcdoc``); the explorer map is *inline* in Voila's page (:func:`map_fragment`), so
that it is drawn while Voila's front end is still loading instead of after it (an iframe
inside Voila's page is created late and reloaded when the page is laid out). Outside Voila
(JupyterLab, nbconvert) the explorer is an iframe too, with Leaflet embedded.
"""

from __future__ import annotations

import html
from typing import Any

import folium
from branca.element import CssLink, Element, JavascriptLink

from .assets import LEAFLET_FILES, leaflet_dir

__all__ = [
    "FRAGMENT_MIME",
    "HtmlOutput",
    "iframe",
    "inline_leaflet",
    "map_fragment",
]

#: The MIME type of an inline map in an output bundle. The reader's Voila template writes it
#: into the page as it is; every other front end ignores it and shows the bundle's text/html.
FRAGMENT_MIME = "application/vnd.frontlines.map+html"


def iframe(page: str, title: str, height: str = "70vh") -> str:
    """An ``<iframe>`` holding a full HTML page (``srcdoc``); escaped, and sized for phones.

    Examples
    --------
    >>> iframe('<p class="a">x & y</p>', 'Map "A"')  # doctest: +NORMALIZE_WHITESPACE
    '<iframe class="fl-map" title="Map &quot;A&quot;"
    srcdoc="&lt;p class=&quot;a&quot;&gt;x &amp; y&lt;/p&gt;"
    style="width:100%;height:70vh;min-height:360px;border:0;display:block"></iframe>'
    """
    return (
        f'<iframe class="fl-map" title="{html.escape(title, quote=True)}"'
        f' srcdoc="{html.escape(page, quote=True)}"'
        f' style="width:100%;height:{height};min-height:360px;border:0;display:block"></iframe>'
    )


def inline_leaflet(m: folium.Map) -> None:
    """Embed Leaflet in the map's page itself (JupyterLab and nbconvert, where no Voila
    serves it)."""
    src = leaflet_dir()
    js, css = ((src / f).read_text(encoding="utf-8") for f in LEAFLET_FILES)
    m.default_js, m.default_css = [], []
    m.get_root().header.add_child(Element(f"<style>{css}</style>"), index=0)
    m.get_root().header.add_child(Element(f"<script>{js}</script>"), index=0)


def map_fragment(
    m: folium.Map, title: str, height: str | None = "70vh", render: bool = True
) -> str:
    """The map as a block of HTML for a host page (no ``<html>``, ``<head>`` or ``<body>``).

    Keeps what the map needs from folium's page header (Leaflet's script and stylesheet,
    class-scoped styles) and drops what would restyle the host page: the full-page
    ``html, body`` and ``#map`` rules, the viewport ``<meta>`` that forbids zooming on phones,
    and the ``<title>``. The map fills a box of ``height`` (at least 360 px; ``None``: as
    tall as its content, for a map whose page sizes it) and the full width, and is named
    ``title`` for screen readers. Pass ``render=False`` when the map's page has just been
    rendered (``m.get_root().render()``), to reuse its parts. (Leaflet's script comes first:
    measured, the map is painted sooner than with the script just before the map's own.)

    Examples
    --------
    >>> m = folium.Map(tiles=None)
    >>> m.default_js = [("leaflet", "static/leaflet/leaflet.js")]
    >>> m.default_css = [("leaflet_css", "static/leaflet/leaflet.css")]
    >>> page = map_fragment(m, "A map")
    >>> page.startswith('<div class="fl-inline-map"')
    True
    >>> "<script src=\\"static/leaflet/leaflet.js\\"></script>" in page
    True
    >>> any(s in page for s in ("<meta", "<title", "html, body", "<body", "cdn."))
    False
    """
    fig = m.get_root()
    if render:
        fig.render()  # fills the header, body and script parts of the page
    name = m.get_name()
    keep: list[str] = []
    for key, child in fig.header._children.items():
        if isinstance(child, JavascriptLink | CssLink):
            keep.append(child.render())
            continue
        text = child.render()
        if key in ("meta_http", name) or "<title>" in text or "<meta" in text:
            continue  # page-level: the host page has its own
        keep.append(text)
    style = (
        f"<style>#{name}{{position:relative;width:100%;height:100%}}"
        ".fl-inline-map .leaflet-container{font-size:1rem}</style>"
    )
    size = f"height:{height};min-height:360px;" if height else ""
    return (
        '<div class="fl-inline-map" role="region"'
        f' aria-label="{html.escape(title, quote=True)}"'
        f' style="position:relative;width:100%;{size}flex:1 1 auto">'
        + "".join(keep)
        + style
        + fig.html.render()
        + f"<script>{fig.script.render()}</script></div>"
    )


class HtmlOutput:
    """HTML for IPython's display, with optional extra MIME types in the same bundle.

    (``IPython.display.HTML`` warns about iframes.)
    """

    def __init__(self, text: str, extra: dict[str, Any] | None = None) -> None:
        self.text = text
        self.extra = extra or {}

    def _repr_html_(self) -> str:
        return self.text

    def _repr_mimebundle_(self, include: Any = None, exclude: Any = None) -> dict[str, Any]:
        return {"text/html": self.text, **self.extra}
