"""Local copies of the browser assets (Leaflet), taken from registry packages at set-up time.

Nothing is fetched from a CDN. :func:`install_voila_template` installs the reader's Voila
template with Leaflet (from the ``xstatic-leaflet`` package) in its ``static`` folder, which
Voila serves at ``<base url>voila/templates/frontlines/static/`` however it was started (one
notebook, a folder tree, or as a Jupyter server extension on Binder) and whatever template
the page itself uses. Maps point at that URL (:func:`template_static_url`).
"""

from __future__ import annotations

import contextlib
import shutil
import sys
from pathlib import Path

__all__ = [
    "leaflet_dir",
    "stage_static",
    "leaflet_urls",
    "install_voila_template",
    "installed_template",
    "template_static_url",
    "LEAFLET_FILES",
    "STRINGS_TEMPLATE",
    "template_strings",
    "TEMPLATE_NAME",
    "TEMPLATE_SOURCE",
]

LEAFLET_FILES = ("leaflet.js", "leaflet.css")
TEMPLATE_NAME = "frontlines"
#: The reader's Voila template in the repository (Voila's lab template without CDN requests).
TEMPLATE_SOURCE = Path(__file__).resolve().parents[2] / "share" / "jupyter" / "voila" / "templates"


def leaflet_dir() -> Path:
    """The folder of the installed ``xstatic-leaflet`` package's Leaflet build."""
    import xstatic.pkg.leaflet as xleaflet

    return Path(xleaflet.BASE_DIR)


def stage_static(dest: str | Path) -> Path:
    """Copy Leaflet (JS, CSS and marker images) into ``dest/leaflet`` when missing or stale.

    Returns the ``leaflet`` folder. Safe to call on every start: unchanged files are skipped.
    """
    src = leaflet_dir()
    out = Path(dest) / "leaflet"
    (out / "images").mkdir(parents=True, exist_ok=True)
    pairs = [(src / f, out / f) for f in LEAFLET_FILES]
    pairs += [(p, out / "images" / p.name) for p in (src / "images").iterdir() if p.is_file()]
    for a, b in pairs:
        if not b.exists() or b.stat().st_size != a.stat().st_size:
            shutil.copyfile(a, b)
    return out


def leaflet_urls(base_url: str) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """folium ``default_js`` / ``default_css`` lists pointing at ``base_url/leaflet/``."""
    base = base_url.rstrip("/")
    return (
        [("leaflet", f"{base}/leaflet/leaflet.js")],
        [("leaflet_css", f"{base}/leaflet/leaflet.css")],
    )


def template_static_url(base_url: str) -> str:
    """Where a Voila server at ``base_url`` serves the reader template's ``static`` folder.

    Examples
    --------
    >>> template_static_url("/user/x/")
    '/user/x/voila/templates/frontlines/static'
    """
    base = base_url if base_url.endswith("/") else base_url + "/"
    return f"{base}voila/templates/{TEMPLATE_NAME}/static"


def installed_template(prefix: str | Path = sys.prefix) -> Path:
    """The folder the reader template is installed in under ``prefix``."""
    return Path(prefix) / "share" / "jupyter" / "voila" / "templates" / TEMPLATE_NAME


def install_voila_template(prefix: str | Path = sys.prefix) -> Path:
    """Install the ``frontlines`` Voila template, with Leaflet, under ``prefix``.

    Voila finds templates only under Jupyter's data paths; the Makefile and Binder call this
    after installing the package, so that any ``voila`` started in the repository (which reads
    ``voila.json``) finds the template. Leaflet goes into the template's ``static/leaflet``.
    Returns the installed template folder.
    """
    src = TEMPLATE_SOURCE / TEMPLATE_NAME
    dst = installed_template(prefix)
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        if f.is_file():
            shutil.copyfile(f, dst / f.name)
    # beside the installed copy, and beside the repository's (servers started from the
    # repository find the template there first; the file is not committed)
    for folder in (dst, src):
        with contextlib.suppress(OSError):
            (folder / STRINGS_TEMPLATE).write_text(template_strings(), encoding="utf-8")
    stage_static(dst / "static")
    return dst


#: The template's strings, written from the catalogue when the template is installed.
STRINGS_TEMPLATE = "frontlines_strings.j2"


def template_strings(lang: str = "en") -> str:
    """The reader template's interface strings as a jinja2 module (``{% import %}``-able),
    written from the catalogue (:mod:`frontlines.text`), the one place strings live."""
    import json

    from .text import t

    keys = {"cell_error": "voila.cell_error", "static_link": "voila.static_link"}
    lines = ["{#- Written by frontlines.assets from the catalogue: do not edit. -#}"]
    for name, key in keys.items():
        # a JSON string is a valid jinja2 string literal
        lines.append(f"{{%- set {name} = {json.dumps(t(key, lang))} -%}}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # python -m frontlines.assets
    print(install_voila_template())
