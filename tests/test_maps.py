"""Maps are pure functions: render their HTML and assert on it."""

from __future__ import annotations

import re

import pandas as pd
import pytest

import frontlines
from frontlines.bibliography import Source
from frontlines.maps import cell_popup_html, control_map, format_date, sources_html

WHEN = pd.Timestamp("2016-07-20")


@pytest.fixture
def rendered(good_atlas: frontlines.Atlas) -> str:
    m = control_map(
        good_atlas.control_at(WHEN),
        good_atlas.routes_at(WHEN),
        good_atlas.layers.sites,
        WHEN,
        bib=good_atlas.layers.bibliography,
        asset_base="/voila/files/static",
    )
    return m.get_root().render()


def test_no_cdn_and_local_leaflet(rendered: str):
    assert '<script src="/voila/files/static/leaflet/leaflet.js"></script>' in rendered
    assert "/voila/files/static/leaflet/leaflet.css" in rendered
    for cdn in ("cdn.jsdelivr", "cdnjs", "code.jquery", "bootstrapcdn", "unpkg"):
        assert cdn not in rendered
    # folium's Popup needs jQuery; the map must not use it
    assert "$(" not in rendered


def test_tiles_are_an_optional_switch_off_by_default(rendered: str):
    assert "tile.openstreetmap.org" in rendered
    # the tile layer is created but not added to the map until the reader turns it on
    layer = re.search(r"var (tile_layer_\w+) = L\.tileLayer", rendered).group(1)
    assert f"{layer}.addTo(" not in rendered


def test_bounds_cover_the_cells(good_atlas: frontlines.Atlas):
    m = control_map(
        good_atlas.control_at(WHEN),
        good_atlas.routes_at(WHEN),
        good_atlas.layers.sites,
        WHEN,
        bib=good_atlas.layers.bibliography,
    )
    (s, w), (n, e) = m.get_bounds()
    assert s <= 36.19 and n >= 36.26 and w <= 37.08 and e >= 37.19


def test_legend_scale_and_title(rendered: str):
    assert 'role="region" aria-label="Who held what"' in rendered
    assert "Contested" in rendered and "under fire" in rendered
    assert '"position": "bottomleft"' in rendered or "control.scale" in rendered.lower()
    assert "<title>Aleppo on 20 July 2016</title>" in rendered


def test_contested_cells_are_hatched_in_party_colours(rendered: str):
    # internal layers stay out of the reader's layer switcher
    for internal in ("contested hatching", "route casing", "city outline"):
        assert f'"{internal}"' not in rendered
    assert '"Street map (online)"' in rendered
    assert '"colour": "#0072b2"' in rendered and '"colour": "#d55e00"' in rendered


def test_route_status_is_drawn_with_a_dash_pattern(good_atlas: frontlines.Atlas):
    for day, dash in (("2016-07-01", None), ("2016-07-10", "10 8"), ("2016-07-20", "2 8")):
        when = pd.Timestamp(day)
        html = (
            control_map(
                good_atlas.control_at(when),
                good_atlas.routes_at(when),
                good_atlas.layers.sites,
                when,
                bib=good_atlas.layers.bibliography,
            )
            .get_root()
            .render()
        )
        if dash:
            assert f'"dashArray": "{dash}"' in html
        assert "Lifeline:" in html


def test_popup_escapes_data_and_links_sources(good_atlas: frontlines.Atlas):
    row = good_atlas.control_at(WHEN).loc["east"].copy()
    row["name"] = "<script>alert(1)</script>"
    row["note"] = 'a "quoted" & <b>bold</b> note'
    html = cell_popup_html(row, good_atlas.layers.bibliography)
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;bold&lt;/b&gt;" in html and "&amp;" in html
    assert 'target="_blank" rel="noopener noreferrer"' in html
    assert "Approximate outline (about 500 m)" in html
    assert "Since: 1 January 2016" in html
    # each source cited in the one reader format: publisher, linked title, date, read via
    assert 'Fixture Wire, “<a href="https://example.org/wire/report"' in html
    assert ">A wire report on the fixture city</a>”, 26 November 2016" in html
    assert "read via example.net" in html


def test_sources_html_escapes_every_field():
    src = Source(
        "s", "<b>Pub</b>", "AFP", 'T "x" & y', "2016-11", 'https://example.org/a?b=1&c="x"',
        "", "en", "partisan_media", "syrian_government",
    )  # fmt: skip
    html = sources_html(["s"], {"s": src})
    assert 'href="https://example.org/a?b=1&amp;c=&#34;x&#34;"' in html
    assert "&lt;b&gt;Pub&lt;/b&gt; (AFP)" in html and "T &#34;x&#34; &amp; y" in html
    assert ", November 2016" in html
    assert '<span class="fl-src-tag">pro-government</span>' in html
    assert "read via" not in html


def test_format_date():
    assert format_date(pd.Timestamp("2016-12-22")) == "22 December 2016"


def test_map_html_size_on_real_data(atlas: frontlines.Atlas):
    when = pd.Timestamp("2016-09-08")
    html = (
        control_map(
            atlas.control_at(when),
            atlas.routes_at(when),
            atlas.layers.sites,
            when,
            bib=atlas.layers.bibliography,
        )
        .get_root()
        .render()
    )
    assert len(html.encode()) < 600_000
