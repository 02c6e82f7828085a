"""The static reader site: what build-site writes, without a browser (see tests/browser for
the page at work)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

import frontlines
from frontlines.cli import main
from frontlines.links import CHAPTERS, DEFAULT_DATE
from frontlines.site import SNAPSHOT_MARK, SiteError, build_site
from frontlines.views.explorer import READER_NOTEBOOK

REPO = Path(__file__).resolve().parents[1]
TEMPLATE = REPO / "share" / "jupyter" / "voila" / "templates" / "frontlines" / "index.html.j2"


@pytest.fixture(scope="module")
def site(atlas: frontlines.Atlas, tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site") / "out", atlas)


def test_the_page_carries_the_story_and_open_graph_tags(site):
    page = site.index.read_text(encoding="utf-8")
    nb = json.loads(READER_NOTEBOOK.read_text(encoding="utf-8"))
    heads = [
        line[3:].strip()
        for c in nb["cells"]
        if c["cell_type"] == "markdown"
        for line in "".join(c["source"]).splitlines()
        if line.startswith("## ")
    ]
    assert heads and all(f"<h2>{h}</h2>" in page for h in heads)
    title = re.search(r'<meta property="og:title" content="([^"]+)">', page).group(1)
    assert title.startswith("Aleppo: The Divided City")
    assert re.search(r'<meta property="og:description" content="As of 9 September 2016', page)
    assert '<meta property="og:image" content="preview.png">' in page
    from PIL import Image

    with Image.open(site.out / "preview.png") as im:
        assert im.size == (1200, 630)


def test_every_asset_is_local_and_no_notebook_code_is_shown(site):
    page = site.index.read_text(encoding="utf-8")
    assert page.count('<script src="static/leaflet/leaflet.js"></script>') == 1  # loaded once
    assert (site.out / "static" / "leaflet" / "leaflet.js").is_file()
    srcs = re.findall(r'<(?:script|link|img|iframe)[^>]+(?:src|href)="([^"]+)"', page)
    assert srcs and not [s for s in srcs if s.startswith(("http:", "https:", "//"))]
    assert "App.for_server" not in page and "import frontlines" not in page
    assert "kernel: false" in page  # the panel looks for no kernel
    assert "<!-- chapter:" not in page  # the captions' marks stay in the notebook


def test_syria_snapshots_and_downloads_are_files_beside_the_page(site, atlas):
    page = site.index.read_text(encoding="utf-8")
    dates = sorted(str(d)[:10] for d in atlas.layers.syria_control["snapshot_date"].unique())
    for iso in dates:
        assert (site.out / "syria" / f"{iso}.html").is_file()
        assert f'data-snapshot="{iso}"' in page
    # each snapshot's caption once, beside the Syria map (not again in the story)
    assert page.count("the day Russia's air campaign began") == 1
    for when in {DEFAULT_DATE, *CHAPTERS.values()}:
        iso = str(when)[:10]
        doc = json.loads((site.out / "data" / f"aleppo-{iso}.geojson").read_text("utf-8"))
        assert doc["date"] == iso and {f["properties"]["layer"] for f in doc["features"]} >= {
            "districts",
            "routes",
        }
        assert f'href="data/aleppo-{iso}-csv.zip"' in page


def test_site_and_voila_leave_out_the_same_snapshot_cells():
    # frontlines.site skips cells matching SNAPSHOT_MARK; the Voila template cells holding
    # the literal below: on the reader notebook the two rules pick the same cells
    literal = "<!-- snapshot:"
    assert f"'{literal}' not in cell.source" in TEMPLATE.read_text(encoding="utf-8")
    nb = json.loads(READER_NOTEBOOK.read_text(encoding="utf-8"))
    texts = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown"]
    picked = [bool(SNAPSHOT_MARK.search(x)) for x in texts]
    assert sum(picked) == 4
    assert picked == [literal in x for x in texts]


def test_a_notebook_cell_the_site_cannot_show_is_named(atlas, tmp_path):
    nb = json.loads(READER_NOTEBOOK.read_text(encoding="utf-8"))
    nb["cells"].insert(3, {"cell_type": "code", "id": "odd1", "metadata": {}, "source": "1 + 1"})
    bad = tmp_path / "bad.ipynb"
    bad.write_text(json.dumps(nb), encoding="utf-8")
    with pytest.raises(SiteError, match="bad.ipynb: cell odd1: no static equivalent"):
        build_site(tmp_path / "out", atlas, notebook=bad)


def test_cli_builds_the_site_and_reports_a_bad_notebook(tmp_path, capsys):
    assert main(["build-site", str(tmp_path / "s"), "--notebook", str(tmp_path / "no.ipynb")]) == 2
    assert "no notebook at" in capsys.readouterr().err
    assert main(["build-site", str(tmp_path / "s")]) == 0
    assert capsys.readouterr().out.strip().endswith("index.html")
    assert (tmp_path / "s" / "index.html").is_file()
