"""The reader explainer as a static site that needs no kernel and no network.

``frontlines build-site OUT/`` writes one page from the reader notebook: its Markdown is the
story, and each code cell is replaced by what it shows in Voila, built by the same package
code: the reader panel (the same HTML, JavaScript and JSON, told there is no kernel), the
events before 2016, the Syria map (one small page per snapshot, shown in a frame) and the
data (files written next to the page for the story's dates). Leaflet is copied from the
``xstatic-leaflet`` package, a preview picture for link previews is drawn with matplotlib,
and everything is referred to by relative addresses, so the folder works from any static host
and from ``file://`` (a classroom's USB stick).
"""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .assets import stage_static
from .atlas import Atlas
from .embed import map_fragment
from .export import files_on
from .links import CHAPTERS, DEFAULT_DATE
from .maps import format_date
from .panel import CHAPTER_MARK, chapter_captions, marked_captions, render_markdown
from .picture import PREVIEW_SIZE, map_png
from .text import t
from .timeline import as_date
from .timemap import js_json, timeline_map
from .views.data import background_html
from .views.explorer import CITY_SITES, READER_NOTEBOOK
from .views.fragments import render
from .views.syria import snapshot_map

__all__ = ["SiteError", "Site", "build_site", "PREVIEW_FILE"]

PREVIEW_FILE = "preview.png"
#: The citations and events, loaded by the panel after the map is drawn.
LATE_FILE = "late.js"
#: A Syria snapshot's caption cell (the reader template leaves out cells holding its text).
SNAPSHOT_MARK = re.compile(r"<!-- snapshot:")
_TEMPLATES = Environment(loader=PackageLoader("frontlines", "templates"), autoescape=True)
#: What a code cell of the reader notebook shows, by the app call it makes.
_CALLS = ("map_display", "background_display", "show_syria", "data_view", "apply_request")


class SiteError(ValueError):
    """The notebook holds something the static site cannot show."""


@dataclass
class Site:
    """What :func:`build_site` wrote."""

    out: Path
    files: list[Path] = field(default_factory=list)

    @property
    def index(self) -> Path:
        return self.out / "index.html"

    @property
    def size(self) -> int:
        """Bytes of every file written (Leaflet included)."""
        return sum(p.stat().st_size for p in self.files)


def _cells(notebook: Path) -> list[dict[str, Any]]:
    nb = json.loads(notebook.read_text(encoding="utf-8"))
    return [
        {**c, "text": "".join(c["source"]) if isinstance(c["source"], list) else c["source"]}
        for c in nb["cells"]
    ]


def _call(cell: dict[str, Any], notebook: Path) -> str | None:
    """The app call a code cell makes (the first of :data:`_CALLS` it names), or None for a
    cell that shows nothing."""
    code = "\n".join(
        line for line in cell["text"].splitlines() if not line.lstrip().startswith("#")
    )
    for name in _CALLS:
        if re.search(rf"\.{name}\b", code):
            return name
    if not code.strip():
        return None
    raise SiteError(
        f"{notebook.name}: cell {cell.get('id', '?')}: no static equivalent for this code "
        f"(the site shows the app's {', '.join(_CALLS[:-1])})"
    )


def _title_and_description(cells: list[dict[str, Any]]) -> tuple[str, str]:
    """The notebook's first heading and the paragraph after it, as plain text."""
    for c in cells:
        if c["cell_type"] != "markdown":
            continue
        lines = [x.strip() for x in c["text"].splitlines()]
        heads = [x for x in lines if x.startswith("# ")]
        if not heads:
            continue
        title = heads[0][2:].strip()
        rest = [x for x in lines if x and not x.startswith("#")]
        desc = re.sub(r"[*_`]", "", " ".join(rest)).strip()
        return title, desc
    raise SiteError("the notebook has no '# ' title")


def _panel(atlas: Atlas, out: Path, notebook: Path, lang: str) -> Markup:
    L = atlas.layers
    m = timeline_map(
        atlas,
        DEFAULT_DATE,
        view_id="site",
        asset_base="static",
        lang=lang,
        sites=L.sites[L.sites["id"].isin(CITY_SITES)],
        chapters=CHAPTERS,
        captions=chapter_captions(notebook),
        kernel=False,
        late=LATE_FILE,
    )
    (out / LATE_FILE).write_text(m.late_script, encoding="utf-8")
    # built by the package's autoescaping templates (frontlines.timemap, frontlines.embed)
    return Markup(map_fragment(m, t("ui.map_title", lang), None))


def _syria(atlas: Atlas, out: Path, notebook: Path, lang: str) -> dict[str, Any]:
    L = atlas.layers
    captions = marked_captions(notebook, "snapshot")
    snapshots = []
    (out / "syria").mkdir(exist_ok=True)
    for d in sorted(L.syria_control["snapshot_date"].unique()):
        when = pd.Timestamp(d)
        iso = when.date().isoformat()
        m = snapshot_map(atlas, when, "../static", lang)
        (out / "syria" / f"{iso}.html").write_text(m.get_root().render(), encoding="utf-8")
        snapshots.append(
            {
                "iso": iso,
                "date": format_date(when, lang),
                "href": f"syria/{iso}.html",
                "title": t("ui.syria_title", lang, date=format_date(when, lang)),
                "caption": Markup(captions.get(iso, "")),  # escaped by mistune
            }
        )
    return {
        "kind": "syria",
        "label": t("site.syria", lang),
        "choose": t("ui.snapshot", lang),
        "snapshots": snapshots,
    }


def _data(atlas: Atlas, out: Path, lang: str) -> dict[str, Any]:
    (out / "data").mkdir(exist_ok=True)
    dates = sorted({as_date(DEFAULT_DATE), *map(as_date, CHAPTERS.values())})
    chapter_of = {as_date(d): cid for cid, d in CHAPTERS.items()}
    downloads = []
    for when in dates:
        iso = when.date().isoformat()
        gj, zipped, sources = files_on(atlas, when)
        names = (f"aleppo-{iso}.geojson", f"aleppo-{iso}-csv.zip", f"aleppo-{iso}-sources.csv")
        (out / "data" / names[0]).write_text(gj, encoding="utf-8")
        (out / "data" / names[1]).write_bytes(zipped)
        (out / "data" / names[2]).write_text(sources, encoding="utf-8")
        labels = ("site.file_geojson", "site.file_csv", "site.file_sources")
        downloads.append(
            {
                "date": format_date(when, lang),
                "chapter": t(f"chapter.{chapter_of[when]}", lang) if when in chapter_of else "",
                "files": [
                    {"href": f"data/{n}", "label": t(k, lang)}
                    for n, k in zip(names, labels, strict=True)
                ],
            }
        )
    return {
        "kind": "data",
        "attribution": render(
            "attribution", title=t("ui.attribution", lang), layers=atlas.layers.manifest["layers"]
        ),
        "downloads_title": t("site.downloads", lang),
        "downloads_note": t("site.downloads_note", lang),
        "downloads": downloads,
    }


def build_site(
    out: str | Path,
    atlas: Atlas | None = None,
    *,
    notebook: str | Path = READER_NOTEBOOK,
    lang: str = "en",
    base_url: str = "",
    log: Callable[[str], None] | None = None,
) -> Site:
    """Write the static reader site into ``out`` (created; files it writes are replaced).

    Parameters
    ----------
    out
        The folder to write.
    atlas
        The layers (default: ``frontlines.load()``).
    notebook
        The reader notebook whose Markdown is the story.
    lang
        Interface language.
    base_url
        The site's public address, for the preview picture's absolute URL in link previews
        (optional: without it the address is relative, which most previewers also accept).

    Raises
    ------
    SiteError
        When the notebook holds code the site cannot show, or has no title.
    """
    if atlas is None:
        from . import load

        atlas = load()
    out, notebook = Path(out), Path(notebook)
    say = log or (lambda _: None)
    cells = _cells(notebook)
    title, description = _title_and_description(cells)
    out.mkdir(parents=True, exist_ok=True)
    for sub in ("syria", "data"):  # written afresh: no stale date lingers
        shutil.rmtree(out / sub, ignore_errors=True)
    stage_static(out / "static")
    parts: list[dict[str, Any]] = []
    syria_hrefs: dict[str, list[str]] = {}
    for cell in cells:
        if cell["cell_type"] == "markdown":
            if SNAPSHOT_MARK.search(cell["text"]):
                continue  # shown with the Syria map, not again in the story (as under Voila)
            text = CHAPTER_MARK.sub("", cell["text"])
            parts.append({"kind": "markdown", "html": Markup(render_markdown(text))})
            continue
        if cell["cell_type"] != "code":
            continue
        call = _call(cell, notebook)
        if call == "map_display":
            say("the reader panel")
            parts.append({"kind": "panel", "html": _panel(atlas, out, notebook, lang)})
        elif call == "background_display":
            parts.append({"kind": "html", "html": Markup(background_html(atlas, lang))})
        elif call == "show_syria":
            say("the Syria map")
            part = _syria(atlas, out, notebook, lang)
            syria_hrefs = {s["iso"]: [s["href"], s["title"]] for s in part["snapshots"]}
            parts.append(part)
        elif call == "data_view":
            say("the downloads")
            parts.append(_data(atlas, out, lang))
    say("the preview picture")
    when = as_date(DEFAULT_DATE)
    map_png(atlas, when, out / PREVIEW_FILE, size=PREVIEW_SIZE, lang=lang)
    image = (base_url.rstrip("/") + "/" if base_url else "") + PREVIEW_FILE
    page = _TEMPLATES.get_template("site.html.j2").render(
        lang=lang,
        direction="rtl" if lang == "ar" else "ltr",
        title=title,
        description=description,
        image=image,
        image_size=PREVIEW_SIZE,
        image_alt=t("site.preview_alt", lang, date=format_date(when, lang)),
        parts=parts,
        syria_hrefs=Markup(js_json(syria_hrefs)),  # JSON made safe for a script element
        busy=t("site.busy", lang),
        footer=t("site.footer", lang, version=atlas.layers.manifest.get("version", "")),
    )
    (out / "index.html").write_text(page, encoding="utf-8")
    site = Site(out)
    site.files = sorted(p for p in out.rglob("*") if p.is_file())
    return site
