"""The explorer map: drawn once, with a compact table the script reads for every date."""

from __future__ import annotations

import dataclasses
import json
import re

import frontlines
from frontlines.citation import citation_html
from frontlines.timemap import js_json, timeline_data, timeline_map
from tests.support import REPO


def test_table_rows_are_day_numbers(good_atlas: frontlines.Atlas):
    d = timeline_data(good_atlas.layers)
    east = d["cells"]["east"]["rows"]
    assert [r[:3] for r in east] == [[0, 330, "rebels"], [330, None, "government"]]
    outskirt = d["cells"]["outskirt"]["rows"]
    assert outskirt[1][2:4] == ["contested", ["government", "rebels"]]
    assert [r[2] for r in d["routes"]["lifeline"]["rows"]] == ["open", "under_fire", "cut"]
    bib = good_atlas.layers.bibliography
    cited = [c for r in east for c in r[5]]
    assert cited and all(d["sources"][i] for i in cited)
    # the script gets the very citations the Python popups show (one format, written once;
    # the script adds the attributes that open links in a new tab, and the wrapping class)
    assert sorted(d["sources"]) == sorted(
        str(citation_html(bib[i], new_tab=False, wrap=False)) for i in bib
    )
    assert str(citation_html(bib["fixture-wire"])).startswith('<span class="fl-src">')
    assert 'target="_blank"' in str(citation_html(bib["fixture-wire"]))
    assert d["colours"]["none"] and d["dash"]["cut"] == "2 8"


def test_js_json_cannot_close_the_script():
    text = js_json({"note": "</script><script>alert(1)</script>", "x": "\u2028", "c": "<!--"})
    assert "</" not in text and "\u2028" not in text and "<!--" not in text
    assert json.loads(text)["c"] == "<!--"


def test_map_carries_data_and_script(good_atlas: frontlines.Atlas):
    m = timeline_map(good_atlas, "2016-07-20", view_id="v1", asset_base="/s")
    page = m.get_root().render()
    assert '<script src="/s/leaflet/leaflet.js"></script>' in page
    assert 'date: "2016-07-20"' in page and 'view: "v1"' in page
    assert "window.frontlinesTimemap" in page and "function frontlinesPanel" in page
    assert "$(" not in page and "cdn.jsdelivr" not in page
    assert "<title>Aleppo on 20 July 2016</title>" in page


def test_map_gets_its_view_before_any_layer(good_atlas: frontlines.Atlas):
    """The map is made without a view and fitted (in its stage, without animation) before its
    first layer is added, so that Leaflet lays out and draws the layers once: a view given
    when the map is made, or a fit after the layers, draws them twice and animates."""
    m = timeline_map(good_atlas, "2016-07-20", view_id="v1", asset_base="/s")
    script = m.get_root().render().split("L.map(", 1)[1]
    options = script[: script.index(");")]
    assert '"zoom"' not in options and "center" in options
    first_view = script.index(f'frontlinesFirstView({m.get_name()}, "v1", [[')
    first_layer = min(script.index(x) for x in ("L.geoJson(", "_add("))
    assert first_view < first_layer
    assert "fitBounds(" not in script.split("frontlinesStart({", 1)[1]  # no second fit


def test_map_data_is_escaped_in_the_page(good_atlas: frontlines.Atlas):
    status = good_atlas.layers.route_status.copy()
    status.loc[status.index[0], "note"] = "</script><b>x</b>"
    atlas = frontlines.Atlas(dataclasses.replace(good_atlas.layers, route_status=status))
    page = timeline_map(atlas, "2016-07-20", view_id="v").get_root().render()
    assert "</script><b>" not in page
    assert "<\\/script><b>x<\\/b>" in page


def test_site_names_are_escaped(good_atlas: frontlines.Atlas):
    # regression: the explorer once passed site names to folium's tooltip unescaped; the
    # script now inserts every name as text, and the page carries it only as JSON
    sites = good_atlas.layers.sites.copy()
    sites.loc[sites.index[0], "name"] = "<img src=x onerror=alert(1)>"
    page = timeline_map(good_atlas, "2016-07-20", view_id="v", sites=sites)
    html = page.get_root().render()
    # only in the script's data, which it inserts as text (textContent)
    assert html.count("<img src=x") == 1
    assert '"name":"<img src=x onerror=alert(1)>"' in html
    js = (REPO / "src" / "frontlines" / "js" / "timemap.js").read_text(encoding="utf-8")
    # innerHTML only ever takes the Python-escaped citations
    assignments = re.findall(r"innerHTML = ([^;]+);", js)
    assert assignments and all(a.startswith("D.sources") for a in assignments)
    assert 'return el("span", D.sites[l.feature.properties.id].name)' in js  # names as text
    assert "bindTooltip" in html
