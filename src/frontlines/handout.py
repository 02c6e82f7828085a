"""A printable handout for the classroom lesson: its questions, and the map on each chapter.

``frontlines handout OUT/`` writes ``OUT/handout.html`` (the questions of
``notebooks/classroom.ipynb``, each a Markdown cell marked ``<!-- question: N -->``, with
room to answer) and one picture per chapter date (``frontlines.picture``, drawn with
matplotlib, no browser), ready to print or to copy to a USB stick.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from .atlas import Atlas
from .links import CHAPTERS
from .maps import format_date
from .panel import render_markdown
from .picture import HANDOUT_SIZE, map_png
from .text import t
from .timeline import as_date

__all__ = ["CLASSROOM_NOTEBOOK", "QUESTION_MARK", "build_handout", "questions"]

CLASSROOM_NOTEBOOK = Path(__file__).resolve().parents[2] / "notebooks" / "classroom.ipynb"
#: How a Markdown cell of the lesson says it is a question.
QUESTION_MARK = re.compile(r"<!--\s*question:\s*(\d+)\s*-->")
_TEMPLATES = Environment(loader=PackageLoader("frontlines", "templates"), autoescape=True)


def questions(notebook: str | Path = CLASSROOM_NOTEBOOK) -> list[str]:
    """The lesson's questions, in their order, as HTML (raw HTML in them escaped)."""
    nb = json.loads(Path(notebook).read_text(encoding="utf-8"))
    found = []
    for cell in nb["cells"]:
        text = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        m = QUESTION_MARK.search(text) if cell["cell_type"] == "markdown" else None
        if m:
            found.append((int(m.group(1)), render_markdown(QUESTION_MARK.sub("", text))))
    return [html for _, html in sorted(found)]


def build_handout(
    out: str | Path,
    atlas: Atlas,
    notebook: str | Path = CLASSROOM_NOTEBOOK,
    lang: str = "en",
) -> Path:
    """Write the handout into ``out`` (created) and return the page's path."""
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    maps = []
    for cid, day in CHAPTERS.items():
        when = as_date(day)
        name = f"map-{when.date().isoformat()}.png"
        map_png(atlas, when, out / name, size=HANDOUT_SIZE, lang=lang)
        date = format_date(when, lang)
        maps.append(
            {
                "src": name,
                "caption": f"{t(f'chapter.{cid}', lang)}: {date}",
                "alt": t("site.preview_alt", lang, date=date),
            }
        )
    page = _TEMPLATES.get_template("handout.html.j2").render(
        lang=lang,
        title=t("handout.title", lang),
        intro=t("handout.intro", lang),
        questions=[Markup(q) for q in questions(notebook)],  # escaped by mistune
        maps_title=t("handout.maps", lang),
        maps=maps,
        footer=t("site.footer", lang, version=atlas.layers.manifest.get("version", "")),
    )
    path = out / "handout.html"
    path.write_text(page, encoding="utf-8")
    return path
