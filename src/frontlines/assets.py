"""Local copies of the browser assets (Leaflet), taken from registry packages at set-up time.

Nothing is fetched from a CDN: :func:`stage_static` copies Leaflet from the ``xstatic-leaflet``
package into a folder the web server serves (git-ignored), and maps point at that folder.
"""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

__all__ = [
    "leaflet_dir",
    "stage_static",
    "leaflet_urls",
    "install_voila_template",
    "LEAFLET_FILES",
    "TEMPLATE_SOURCE",
]

LEAFLET_FILES = ("leaflet.js", "leaflet.css")
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


def install_voila_template(prefix: str | Path = sys.prefix) -> Path:
    """Copy the ``frontlines`` Voila template into ``prefix/share/jupyter/voila/templates``.

    Voila finds templates only under Jupyter's data paths; the Makefile and Binder call this
    after installing the package, so that any ``voila`` started in the repository (which reads
    ``voila.json``) finds the template. Returns the installed template folder.
    """
    src = TEMPLATE_SOURCE / "frontlines"
    dst = Path(prefix) / "share" / "jupyter" / "voila" / "templates" / "frontlines"
    dst.mkdir(parents=True, exist_ok=True)
    for f in src.iterdir():
        shutil.copyfile(f, dst / f.name)
    return dst


if __name__ == "__main__":  # python -m frontlines.assets
    print(install_voila_template())
