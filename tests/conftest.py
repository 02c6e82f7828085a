"""Shared fixtures: the valid test layers, a writable copy of them, the real layers."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import frontlines
from tests.support import GEO, GOOD


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
