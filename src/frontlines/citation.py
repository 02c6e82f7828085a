"""How a source is cited to readers: the one format every page, popup and list uses.

*Publisher (agency), "Title", 26 November 2016*, the title linking to the original, a visible
tag for state, partisan and government outlets, and a small "read via" link where only a copy
was read. The HTML comes from an autoescaping template; the map's script receives the same
rendered citations (:func:`frontlines.timemap.timeline_data`), so the format is written once.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from urllib.parse import urlsplit

import jinja2
from markupsafe import Markup

from .bibliography import Source
from .text import t

__all__ = ["citation_html", "citations_html", "citation_text", "outlet_tag", "published_text"]

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined)
_CITATION = _ENV.from_string(
    '{% if wrap %}<span class="fl-src">{% endif %}'
    "{{ publisher }}{% if agency %} ({{ agency }}){% endif %}, "
    '“<a href="{{ url }}"{{ tab }}>{{ title }}</a>”'
    "{% if date %}, {{ date }}{% endif %}"
    '{% if tag %} <span class="fl-src-tag">{{ tag }}</span>{% endif %}'
    '{% if read_at %} <small class="fl-src-via">(<a href="{{ read_at }}"{{ tab }}>'
    "{{ read_via }}</a>)</small>{% endif %}{% if wrap %}</span>{% endif %}"
)
_LIST = _ENV.from_string(
    '<ul class="fl-sources">{% for c in items %}<li>{{ c }}</li>{% endfor %}</ul>'
)
#: Outlet types that get a tag, and the catalogue family of the tag.
_TAGGED = {"state_media": "state", "partisan_media": "partisan", "government": "government"}


def outlet_tag(src: Source, lang: str = "en") -> str:
    """The reader's label for a state, partisan, government or aligned outlet ("" if none).

    Examples
    --------
    >>> s = Source("x", "SANA", "", "T", "2016-11-26", "https://sana.sy/x", "", "en",
    ...            "state_media", "syrian_government")
    >>> outlet_tag(s)
    'Syrian state media'
    """
    family = _TAGGED.get(src.outlet_type)
    if family is None:
        if src.alignment == "none":
            return ""
        family = "aligned"
    return t(f"tag.{family}.{src.alignment}", lang)


def published_text(value: str, lang: str = "en") -> str:
    """``2016-11-26`` as "26 November 2016", ``2016-11`` as "November 2016", ``2016`` as is."""
    parts = value.split("-") if value else []
    if not parts:
        return t("source.undated", lang)
    if len(parts) == 1:
        return parts[0]
    month = t(f"month.{int(parts[1])}", lang)
    if len(parts) == 2:
        return f"{month} {parts[0]}"
    return t("date.format", lang, day=int(parts[2]), month=month, year=parts[0])


def _agency(src: Source) -> str:
    """The agency, unless it is the publisher itself (a Reuters story on reuters.com)."""
    a = src.agency.strip()
    return "" if not a or a.lower() in src.publisher.lower() else a


_NEW_TAB = Markup(' target="_blank" rel="noopener noreferrer"')


def citation_html(src: Source, lang: str = "en", new_tab: bool = True, wrap: bool = True) -> Markup:
    """One source as escaped HTML in the reader's format.

    With ``new_tab=False`` the links carry no ``target``, and with ``wrap=False`` the citation
    is not wrapped in its ``<span class="fl-src">``: for a page whose script opens the links
    in a new tab and puts each citation in an element of that class itself
    (``js/timemap.js``), which saves both on each of the hundreds of citations it ships.
    """
    host = (urlsplit(src.read_at).hostname or "") if src.read_at else ""
    return Markup(
        _CITATION.render(
            publisher=src.publisher,
            agency=_agency(src),
            url=src.url,
            title=src.title,
            date=published_text(src.published, lang),
            tag=outlet_tag(src, lang),
            read_at=src.read_at,
            read_via=t("source.read_via", lang, host=host.removeprefix("www.")),
            tab=_NEW_TAB if new_tab else "",
            wrap=wrap,
        )
    )


def citations_html(ids: Iterable[str], bib: Mapping[str, Source], lang: str = "en") -> Markup:
    """A list of the sources ``ids`` (looked up in ``bib``), as escaped HTML."""
    return Markup(_LIST.render(items=[citation_html(bib[i], lang) for i in ids]))


def citation_text(src: Source, lang: str = "en") -> str:
    """One source as plain text, for downloads and the command line."""
    agency = _agency(src)
    tag = outlet_tag(src, lang)
    return (
        f"{src.publisher}{f' ({agency})' if agency else ''}, “{src.title}”, "
        f"{published_text(src.published, lang)}{f' [{tag}]' if tag else ''}, {src.url}"
    )
