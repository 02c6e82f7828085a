"""Paths and helpers shared by the tests (fixtures live in conftest.py)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).parent
GOOD = HERE / "data" / "good"
BAD = HERE / "data" / "bad"
REPO = HERE.parent
GEO = REPO / "geo"
#: The places the story names, which the map labels at rank 1 (issue: a map that tells the story).
RANK_ONE = (
    "Citadel",
    "Sheikh Maqsoud",
    "Masaken Hanano",
    "Ramouseh academies",
    "Castello Road",
    "Airport",
    "Handarat",
    "Karaj al-Hajz crossing",
    "Sheikh Said",
    "Layramoun",
)


def run_cli(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None, stdin: str | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m frontlines ARGS`` in a subprocess and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if k != "FRONTLINES_GEO"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "frontlines", *args],
        capture_output=True,
        text=True,
        env=full_env,
        cwd=cwd,
        input=stdin,
        timeout=300,
    )


#: Text a hostile or careless edit could put in any free-text field of the layers.
PAYLOAD = '"\'><img src=x onerror="window.__pwned=1"><script>window.__pwned=1</script>'


def poisoned(atlas):
    """A copy of ``atlas`` with :data:`PAYLOAD` appended to every free-text field that
    validation lets through (names, labels, notes, titles, summaries, publishers)."""
    import dataclasses

    import frontlines

    L = atlas.layers

    def dirty(df, *cols):
        df = df.copy()
        for c in cols:
            if c in df:
                df[c] = [f"{v}{PAYLOAD}" if isinstance(v, str) and v else v for v in df[c]]
        return df

    layers = dataclasses.replace(
        L,
        sources=dirty(L.sources, "publisher", "agency", "title"),
        districts=dirty(L.districts, "name", "name_ar", "label"),
        control=dirty(L.control, "note"),
        routes=dirty(L.routes, "name", "label"),
        route_status=dirty(L.route_status, "note"),
        sites=dirty(L.sites, "name", "note", "label"),
        events=dirty(L.events, "title", "summary"),
        towns=dirty(L.towns, "name"),
        context_lines=dirty(L.context_lines, "name", "label"),
    )
    return frontlines.Atlas(layers)
