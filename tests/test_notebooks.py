"""Notebooks are committed without outputs and keep the story in Markdown, the code thin."""

from __future__ import annotations

import json
import re

import pytest

from tests.support import REPO

NOTEBOOKS = sorted((REPO / "notebooks").glob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None
    assert "widgets" not in nb.get("metadata", {})


def test_reader_story_has_the_quicktake_sections():
    nb = json.loads((REPO / "notebooks" / "aleppo.ipynb").read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    for heading in (
        "## The Situation",
        "## The Background",
        "## The Argument",
        "## The Reference Shelf",
    ):
        assert heading in md
    story = md.split("## The Reference Shelf")[0]
    words = len(re.findall(r"[A-Za-z0-9'’-]+", story))
    assert 700 <= words <= 1100
    code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
    assert all(len(c.splitlines()) <= 12 for c in code)  # notebooks narrate, the package works
