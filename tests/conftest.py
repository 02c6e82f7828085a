"""Shared fixtures: the valid test layers, a writable copy of them, and the CLI runner."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import frontlines

HERE = Path(__file__).parent
GOOD = HERE / "data" / "good"
BAD = HERE / "data" / "bad"
REPO = HERE.parent
GEO = REPO / "geo"


@pytest.fixture(scope="session")
def good_atlas() -> frontlines.Atlas:
    return frontlines.load(GOOD)


@pytest.fixture(scope="session")
def atlas() -> frontlines.Atlas:
    """The project's real layers."""
    return frontlines.load(GEO)


@pytest.fixture
def layer_copy(tmp_path: Path) -> Path:
    """A writable copy of the valid fixture layers."""
    dst = tmp_path / "geo"
    shutil.copytree(GOOD, dst)
    return dst


def run_cli(*args: str, env: dict[str, str] | None = None, cwd: Path | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run ``python -m frontlines ARGS`` in a subprocess and capture its output."""
    full_env = {k: v for k, v in os.environ.items() if k != "FRONTLINES_GEO"}
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "frontlines", *args],
        capture_output=True, text=True, env=full_env, cwd=cwd, input=stdin, timeout=300,
    )
