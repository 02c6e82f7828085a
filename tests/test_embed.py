"""Maps on a page: the inline fragment and iframes."""

from __future__ import annotations

import html
import re

import folium

from frontlines.embed import HtmlOutput, iframe, map_fragment


def small_map() -> folium.Map:
    m = folium.Map(location=(36.2, 37.15), zoom_start=12, tiles=None)
    m.default_js = [("leaflet", "/files/static/leaflet/leaflet.js")]
    m.default_css = [("leaflet_css", "/files/static/leaflet/leaflet.css")]
    feature = {
        "type": "Feature",
        "properties": {"name": "a"},
        "geometry": {"type": "Point", "coordinates": [37.15, 36.2]},
    }
    folium.GeoJson(
        {"type": "FeatureCollection", "features": [feature]},
        tooltip=folium.GeoJsonTooltip(["name"]),
    ).add_to(m)
    return m


def test_fragment_keeps_what_the_map_needs_and_nothing_page_level():
    m = small_map()
    page = map_fragment(m, 'Aleppo "today" <b>')
    assert page.startswith('<div class="fl-inline-map" role="region"')
    assert 'aria-label="Aleppo &quot;today&quot; &lt;b&gt;"' in page
    assert '<script src="/files/static/leaflet/leaflet.js"></script>' in page
    assert '<link rel="stylesheet" href="/files/static/leaflet/leaflet.css"/>' in page
    assert f'<div class="folium-map" id="{m.get_name()}"' in page
    assert f"#{m.get_name()}{{position:relative;width:100%;height:100%}}" in page
    assert "L.map(" in page and page.endswith("</script></div>")
    for page_level in ("<meta", "<title", "html, body", "#map {", "<body", "<head", "<html"):
        assert page_level not in page
    assert ".foliumtooltip" in page  # class-scoped styles stay


def test_fragment_is_the_same_map_as_the_page():
    m = small_map()
    page = m.get_root().render()
    fragment = map_fragment(m, "t")
    script = page[page.rindex("<script>") + len("<script>") : page.rindex("</script>")]
    assert script.strip() in fragment
    # reusing the page just rendered gives the same fragment, without rendering again
    assert map_fragment(m, "t", render=False) == fragment


def test_iframe_escapes_its_page_and_title():
    text = iframe('<p onclick="x">a</p>', "A & B")
    assert 'title="A &amp; B"' in text
    assert 'srcdoc="&lt;p onclick=&quot;x&quot;&gt;a&lt;/p&gt;"' in text
    assert html.unescape(re.search(r'srcdoc="([^"]*)"', text).group(1)) == '<p onclick="x">a</p>'


def test_html_output_bundle():
    out = HtmlOutput("<p>x</p>", {"application/x-test": "y"})
    assert out._repr_html_() == "<p>x</p>"
    assert out._repr_mimebundle_() == {"text/html": "<p>x</p>", "application/x-test": "y"}
