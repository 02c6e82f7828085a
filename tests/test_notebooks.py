"""Notebooks are committed without outputs and keep the story in Markdown, the code thin."""

from __future__ import annotations

import json
import re

import pytest

from frontlines.panel import CHAPTER_MARK
from tests.support import REPO

NOTEBOOKS = sorted((REPO / "notebooks").rglob("*.ipynb"))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_committed_without_outputs(path):
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [] and cell.get("execution_count") is None
    assert "widgets" not in nb.get("metadata", {})


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.name)
def test_valid_for_every_notebook_tool(path):
    """Valid against the notebook schema (``jupyter nbconvert --execute`` refuses a notebook
    whose kernelspec lacks its display name) and naming the Python kernel."""
    import nbformat

    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    assert nb.metadata.kernelspec.name == "python3"


def test_reader_story_has_the_quicktake_sections():
    nb = json.loads((REPO / "notebooks" / "aleppo.ipynb").read_text(encoding="utf-8"))
    md = "\n".join(
        "".join(c["source"])
        for c in nb["cells"]
        if c["cell_type"] == "markdown" and not CHAPTER_MARK.search("".join(c["source"]))
    )  # the chapters' captions belong to the map, not to the story's length
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


SHARED = REPO.parent / "shared"
#: A run of this many words shared with a source text is copying, not paraphrase.
_RUN = 7


def _words(text: str) -> list[str]:
    """Lower-case words, punctuation and Markdown link targets aside."""
    text = re.sub(r"\]\([^)]*\)", "]", text)
    return re.findall(r"[a-z0-9]+(?:['’][a-z]+)?", text.lower().replace("’", "'"))


def _runs(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + _RUN]) for i in range(len(words) - _RUN + 1)}


def copied_runs(story: str, sources: list[str]) -> list[str]:
    """The runs of seven words that ``story`` shares with any of ``sources``."""
    seen: set[tuple[str, ...]] = set()
    for text in sources:
        seen |= _runs(_words(text))
    return sorted(" ".join(r) for r in _runs(_words(story)) & seen)


def test_copied_runs_finds_a_shared_run_through_punctuation_and_case():
    src = "The US blamed Syrian or Russian aircraft; Russia denied it."
    assert copied_runs("the U.S. said ... The US Blamed Syrian, or Russian aircraft!", [src]) == [
        "the us blamed syrian or russian aircraft"
    ]
    assert copied_runs("Washington blamed Syrian or Russian jets.", [src]) == []


def test_story_copies_no_run_of_seven_words_from_the_seed_or_the_fact_sheet():
    texts = [p.read_text(encoding="utf-8") for p in sorted(SHARED.glob("seed/*.txt"))]
    texts += [p.read_text(encoding="utf-8") for p in sorted(SHARED.glob("facts/*.md"))]
    assert len(texts) >= 2, f"the seed and fact sheet are expected beside the clone in {SHARED}"
    nb = json.loads((REPO / "notebooks" / "aleppo.ipynb").read_text(encoding="utf-8"))
    md = "\n".join("".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "markdown")
    shelf = md.index("## The Reference Shelf")
    rest = md.index("\n## ", shelf + 1)
    story = md[:shelf] + md[rest:]  # Reference Shelf titles excepted
    assert copied_runs(story, texts) == []
