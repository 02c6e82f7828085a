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
