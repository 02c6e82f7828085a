"""The bibliography: who published each source, how sources add up to a confidence level,
and how a source is cited to readers.

Every layer cites sources by id; ``geo/sources.csv`` holds one row per source (publisher, wire
agency, title, date, the original's address and, where only a copy was read, the copy's). The
confidence rules live here and nowhere else; :mod:`frontlines.validate` applies them to every
record and the tests hold the real layers to them.

- Two sources are **independent** when they differ in publisher and in origin (the wire agency
  behind the text, else the publisher): two clients running one AFP story are one source.
- A source counts as **neutral** for a record when its alignment is ``none``, or when the
  record reports a loss for the side its alignment maps to (:data:`ALIGNED_FACTIONS`), the rule
  Wikipedia's Syria map uses: partisan sources count against their own side.
- ``high`` needs two independent sources, one of them neutral; a record with no neutral source
  is at most ``medium``; encyclopedia articles alone are at most ``low`` for a change of hands.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass
from itertools import combinations
from typing import Any
from urllib.parse import urlsplit

from .schema import CONFIDENCE, FACTION_IDS

__all__ = [
    "ALIGNED_FACTIONS",
    "COPY_HOSTS",
    "Source",
    "copy_host",
    "independent",
    "neutral",
    "allowed_confidence",
    "confidence_ok",
    "favoured_by_control",
    "favoured_by_route",
]

#: The factions whose side each alignment takes (an outlet aligned with Turkey favours the
#: rebels and the Turkish-backed forces; the United States backed the SDF and some rebels).
ALIGNED_FACTIONS: dict[str, frozenset[str]] = {
    "none": frozenset(),
    "syrian_government": frozenset({"government"}),
    "russia": frozenset({"government"}),
    "iran": frozenset({"government"}),
    "opposition": frozenset({"rebels"}),
    "qatar": frozenset({"rebels"}),
    "saudi_arabia": frozenset({"rebels"}),
    "turkey": frozenset({"rebels", "turkish_backed"}),
    "kurdish": frozenset({"kurdish"}),
    "united_states": frozenset({"kurdish", "rebels"}),
}

#: Hosts that carry copies, never originals: mirrors of Wikipedia, reposts, scrapes, spun
#: copies and aggregators found in earlier versions of the data. A bibliography row may name
#: them in ``read_at`` (where a copy was read) but never in ``url``.
COPY_HOSTS: tuple[str, ...] = (
    "108.161.137.60",
    "209.141.35.7",
    "cafephilosophy.co.nz",
    "chaos.owiki.org",
    "cloudflare-ipfs.com",
    "de-academic.com",
    "de.knowledgr.com",
    "de.wiki.li",
    "de.wikial.top",
    "de.wikiup.org",
    "de.zxc.wiki",
    "defzone.net",
    "dewiki.de",
    "dweb.link",
    "edgio.link",
    "ewikibg.top",
    "fotoartbook.net",
    "friendlywiki.com",
    "frwiki.wiki",
    "hmong.in.th",
    "hmong.ovh",
    "ipfs.cf-ipfs.com",
    "islamicinvitationturkey.com",
    "jimbakkershow.com",
    "kampuspedia.com",
    "kiwix.casplantje.nl",
    "kiwix.lema.org",
    "lincolntrailpublishing.com",
    "perceptioda.com",
    "perceptiode.com",
    "pinocchiopedia.com",
    "piglix.com",
    "profilpelajar.com",
    "qaz.wiki",
    "qwe.wiki",
    "review.clateway.com",
    "rssing.com",
    "soft.lk",
    "theinfolist.com",
    "tiue.org",
    "wiki-gateway.eudic.net",
    "wiki.1209k.com",
    "wiki.gravy.cc",
    "wiki.richxsearch.com",
    "wiki.riteme.site",
    "wiki.studentb.eu",
    "wiki.x.io",
    "wikiland.org",
    "wikimili.com",
    "wikipedia-on-ipfs.org",
    "wikipedia.jakami.de",
    "wikisum.wiki",
    "wikizero.net",
    "wikizero.org",
    "xcv.wiki",
)


@dataclass(frozen=True)
class Source:
    """One bibliography row (``geo/sources.csv``)."""

    id: str
    publisher: str
    agency: str
    title: str
    published: str
    url: str
    read_at: str
    language: str
    outlet_type: str
    alignment: str

    @classmethod
    def from_row(cls, row: Mapping[str, Any]) -> Source:
        """Build from a row of the ``sources`` layer (``source_id`` and empty cells as None)."""
        get = {k: ("" if v is None else str(v)) for k, v in row.items()}
        return cls(
            id=get["source_id"],
            publisher=get["publisher"],
            agency=get.get("agency", ""),
            title=get["title"],
            published=get.get("published", ""),
            url=get["url"],
            read_at=get.get("read_at", ""),
            language=get.get("language", ""),
            outlet_type=get["outlet_type"],
            alignment=get["alignment"],
        )

    @property
    def origin(self) -> str:
        """Who wrote the text: the wire agency if any, else the publisher (normalised)."""
        return _norm(self.agency or self.publisher)

    def as_dict(self) -> dict[str, str]:
        """The fields the API and the command line return for a source (all but language)."""
        d = asdict(self)
        del d["language"]
        return d


def _norm(name: str) -> str:
    """A publisher or agency name for comparison: "Wikipedia (English)" is "wikipedia"."""
    return re.sub(r"\s*\(.*?\)\s*", " ", name).strip().lower()


def copy_host(url: str) -> str | None:
    """The entry of :data:`COPY_HOSTS` that ``url``'s host is or ends with, if any.

    Examples
    --------
    >>> copy_host("http://piglix.com/piglix/Aleppo_Citadel")
    'piglix.com'
    >>> copy_host("https://www.reuters.com/article/x") is None
    True
    """
    host = (urlsplit(url).hostname or "").lower()
    for h in COPY_HOSTS:
        if host == h or host.endswith("." + h):
            return h
    return None


def independent(a: Source, b: Source) -> bool:
    """True when ``a`` and ``b`` differ both in publisher and in origin."""
    return _norm(a.publisher) != _norm(b.publisher) and a.origin != b.origin


def neutral(src: Source, favoured: Iterable[str]) -> bool:
    """True when ``src`` counts as neutral for a record favouring the factions ``favoured``."""
    return not (ALIGNED_FACTIONS.get(src.alignment, frozenset()) & set(favoured))


def favoured_by_control(faction: str, parties: Iterable[str] = ()) -> frozenset[str]:
    """The factions a control row favours: its holder, or both parties of a contested row."""
    parties = tuple(parties)
    return frozenset(parties) if parties else frozenset({faction})


def favoured_by_route(serves: str, status: str) -> frozenset[str]:
    """A route open for a side favours that side; cut or under fire, it favours the others."""
    if status == "open":
        return frozenset({serves})
    return frozenset(FACTION_IDS) - {serves}


def allowed_confidence(
    sources: Iterable[Source], favoured: Iterable[str], change_of_hands: bool = False
) -> tuple[str, str]:
    """The highest confidence the rules allow for a record, and why not higher.

    Parameters
    ----------
    sources
        The record's sources.
    favoured
        The factions the record favours (all factions for records that take no side, so that
        only unaligned sources count as neutral).
    change_of_hands
        True for a dated change of control or route status, where encyclopedia articles alone
        are at most ``low``.

    Returns
    -------
    tuple of str
        ``(level, reason)``; ``reason`` is empty for ``high``.
    """
    srcs = list(sources)
    favoured = frozenset(favoured)
    if change_of_hands and srcs and all(s.outlet_type == "encyclopedia" for s in srcs):
        return "low", "encyclopedia articles alone are at most low for a change of hands"
    neutrals = [s for s in srcs if neutral(s, favoured)]
    if not neutrals:
        return "medium", "no source counts as neutral (unaligned, or reporting against its side)"
    for n in neutrals:
        if any(independent(n, o) for o in srcs if o is not n):
            return "high", ""
    if len(srcs) > 1 and not any(independent(a, b) for a, b in combinations(srcs, 2)):
        return "medium", "the sources are not independent (one publisher or one wire story)"
    return "medium", "high needs two independent sources, one of them neutral"


def confidence_ok(level: str, allowed: str) -> bool:
    """True when ``level`` is no higher than ``allowed``."""
    return CONFIDENCE.index(level) >= CONFIDENCE.index(allowed)
