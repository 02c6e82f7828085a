"""The bibliography and the rules that turn sources into confidence, on rules and real data."""

from __future__ import annotations

import dataclasses
import json
from urllib.parse import urlsplit

import pandas as pd
import pytest

import frontlines
from frontlines.bibliography import (
    COPY_HOSTS,
    Source,
    allowed_confidence,
    copy_host,
    favoured_by_control,
    favoured_by_route,
    independent,
    neutral,
)
from frontlines.citation import citation_html, citation_text, outlet_tag
from frontlines.export import files_on


def src(sid="s", publisher="Paper", agency="", outlet="newspaper", alignment="none", **kw):
    fields = dict(title="T", published="2016-11-26", url=f"https://example.org/{sid}")
    fields |= dict(read_at="", language="en") | kw
    return Source(sid, publisher, agency, outlet_type=outlet, alignment=alignment, **fields)


# ----------------------------------------------------------------------------- the rules


def test_two_clients_of_one_wire_story_are_one_source():
    a = src("a", "The New Arab", "AFP")
    b = src("b", "France 24", "AFP")
    c = src("c", "AFP", "")  # the agency's own site
    assert not independent(a, b) and not independent(a, c)
    assert independent(a, src("d", "Reuters"))
    assert allowed_confidence([a, b], favoured_by_control("government"))[0] == "medium"
    assert allowed_confidence([a, src("d", "Reuters")], {"government"})[0] == "high"


def test_partisan_sources_count_only_against_their_own_side():
    sana = src("s", "SANA", outlet="state_media", alignment="syrian_government")
    assert not neutral(sana, favoured_by_control("government"))
    assert neutral(sana, favoured_by_control("rebels"))
    # a contested row favours both parties
    assert not neutral(sana, favoured_by_control("contested", ("government", "rebels")))
    # a route cut for the rebels favours the other sides; open for them, the rebels
    assert not neutral(sana, favoured_by_route("rebels", "cut"))
    assert neutral(sana, favoured_by_route("rebels", "open"))
    rt = src("r", "RT", outlet="state_media", alignment="russia")
    assert allowed_confidence([sana, rt], {"government"})[0] == "medium"
    assert allowed_confidence([sana, rt], {"rebels"})[0] == "high"


def test_encyclopedia_alone_is_low_for_a_change_of_hands_only():
    wiki = src("w", "Wikipedia (English)", outlet="encyclopedia")
    assert allowed_confidence([wiki], {"rebels"}, change_of_hands=True)[0] == "low"
    assert allowed_confidence([wiki], {"rebels"}, change_of_hands=False)[0] == "medium"
    # two language editions of one encyclopedia are one publisher
    assert not independent(wiki, src("w2", "Wikipedia (German)", outlet="encyclopedia"))


def test_copy_hosts_include_those_the_audit_found():
    for host in (
        "cloudflare-ipfs.com",
        "wikimili.com",
        "piglix.com",
        "theinfolist.com",
        "jimbakkershow.com",
        "lincolntrailpublishing.com",
        "cafephilosophy.co.nz",
        "rssing.com",
    ):
        assert host in COPY_HOSTS
    assert copy_host("https://reliefweb14428.rssing.com/x") == "rssing.com"
    assert copy_host("https://www.reuters.com/x") is None


# ----------------------------------------------------------------------------- citing


def test_citation_format_names_publisher_agency_title_date_tag_and_copy():
    s = src(
        "x",
        "The New Arab",
        "AFP",
        title="Regime forces advance",
        url="https://www.newarab.com/x",
        read_at="https://www.some-mirror.org/x",
    )
    html = str(citation_html(s))
    assert html.startswith('<span class="fl-src">The New Arab (AFP), “<a href="https://www.newarab')
    assert ">Regime forces advance</a>”, 26 November 2016" in html
    assert "read via some-mirror.org</a>" in html and "fl-src-tag" not in html
    assert citation_text(s).startswith("The New Arab (AFP), “Regime forces advance”, 26 November")
    # a Reuters story on reuters.com does not repeat the agency
    assert "(Reuters)" not in str(citation_html(src("r", "Reuters", "Reuters")))


@pytest.mark.parametrize(
    "outlet, alignment, tag",
    [
        ("state_media", "syrian_government", "Syrian state media"),
        ("state_media", "russia", "Russian state media"),
        ("partisan_media", "syrian_government", "pro-government"),
        ("partisan_media", "opposition", "pro-opposition"),
        ("monitor", "opposition", "opposition-leaning"),
        ("government", "united_states", "US government"),
        ("wire", "none", ""),
        ("state_media", "none", "state media"),
    ],
)
def test_outlet_tags(outlet, alignment, tag):
    assert outlet_tag(src(outlet=outlet, alignment=alignment)) == tag


# ----------------------------------------------------------------------------- real data

#: Remarks that belong in ``audit_note`` and never reach a reader.
AUDIT_MARKERS = (
    "source audit",
    "(added)",
    "(front line)",
    "(estimated)",
    "mirror",
    "check:",
    "not read here",
    "read on ",
    "read via",
    "optional extra",
    "weak row",
    "derived",
    "todo",
    "http://",
    "https://",
    "www.",
)
#: Reader-visible text fields of every layer (the route note carries its waypoint names).
READER_FIELDS = ("name", "note", "title", "summary", "description", "backers")


def reader_texts(layers) -> list[tuple[str, str, str]]:
    frames = {
        "factions": layers.factions,
        "aleppo_districts": layers.districts,
        "aleppo_control": layers.control,
        "supply_routes": layers.routes,
        "route_status": layers.route_status,
        "sites": layers.sites,
        "events": layers.events,
        "syria_control": layers.syria_control,
        "towns": layers.towns,
        "context_lines": layers.context_lines,
    }
    out = []
    for name, df in frames.items():
        for col in READER_FIELDS:
            if col in df:
                out += [(name, col, v) for v in df[col] if isinstance(v, str) and v]
    return out


def test_no_reader_visible_text_carries_audit_remarks(atlas: frontlines.Atlas):
    texts = reader_texts(atlas.layers)
    assert len(texts) > 500
    bad = [(n, c, v) for n, c, v in texts for m in AUDIT_MARKERS if m in v.lower()]
    assert bad == []


def test_the_marker_check_catches_a_remark(atlas: frontlines.Atlas):
    control = atlas.layers.control.copy()
    control.iloc[0, control.columns.get_loc("note")] = "Source audit: read on a mirror"
    texts = reader_texts(dataclasses.replace(atlas.layers, control=control))
    assert any("Source audit" in v for _, _, v in texts)


def test_real_bibliography_cites_originals_with_publisher_title_and_date(atlas):
    bib = atlas.layers.sources
    assert len(bib) > 300
    assert not [u for u in bib["url"] if copy_host(u)]
    assert (bib["publisher"].str.len() > 0).all() and (bib["title"].str.len() > 0).all()
    dated = bib[~bib["outlet_type"].isin(["encyclopedia", "dataset"])]
    assert (dated["published"].str.match(r"^\d{4}(-\d{2}){0,2}$")).all()
    assert (bib["read_at"] != bib["url"]).all()


def test_every_state_or_partisan_outlet_is_labelled(atlas):
    bib = atlas.layers.bibliography.values()
    hosts = ("sana.sy", "almasdarnews.com", "alalam.ir", "southfront.press", "presstv.ir", "rt.com")

    def host(url: str) -> str:
        return urlsplit(url).hostname or ""

    flagged = [
        s for s in bib if any(host(s.url) == h or host(s.url).endswith("." + h) for h in hosts)
    ]
    assert flagged and all(outlet_tag(s) for s in flagged)


def test_where_returns_sources_as_objects(atlas):
    res = atlas.where("2016-09-10", 36.227, 37.202).to_dict()
    assert res["sources"] and {"id", "publisher", "title", "published", "url"} <= set(
        res["sources"][0]
    )
    ids = atlas.control_at("2016-09-10").loc[res["district_id"], "sources"]
    assert [s["id"] for s in res["sources"]] == list(ids)


def test_downloads_carry_the_bibliography(atlas):
    gj, _, sources = files_on(atlas, "2016-09-10")
    doc = json.loads(gj)
    cited = {i for f in doc["features"] for i in f["properties"]["sources"].split()}
    assert {s["id"] for s in doc["bibliography"]} == cited
    table = pd.read_csv(pd.io.common.StringIO(sources))
    assert set(table["source_id"]) == cited
    assert list(table.columns)[:6] == [
        "source_id",
        "publisher",
        "agency",
        "title",
        "published",
        "url",
    ]


def test_high_rows_of_the_real_control_history_follow_the_rules(atlas):
    # the rules leave high only where two independent sources, one neutral, agree
    bib = atlas.layers.bibliography
    control = atlas.layers.control
    for _, r in control[control["confidence"] == "high"].iterrows():
        level, _ = allowed_confidence(
            [bib[i] for i in r["sources"]], favoured_by_control(r["faction"], r["parties"]),
            r["valid_from"] != pd.Timestamp("2016-01-01"),
        )  # fmt: skip
        assert level == "high", r["district_id"]
