"""Educators' and analysts' notebooks: the lesson, its answers and its handout."""

from __future__ import annotations

import json
import re

import pytest

import frontlines
from frontlines.handout import QUESTION_MARK, build_handout, questions
from tests.support import REPO

NOTEBOOKS = REPO / "notebooks"


def _cells(name: str) -> list[dict]:
    nb = json.loads((NOTEBOOKS / name).read_text(encoding="utf-8"))
    return [{**c, "text": "".join(c["source"])} for c in nb["cells"]]


@pytest.mark.parametrize(
    "name",
    ["aleppo.ipynb", "classroom.ipynb", "analyst.ipynb", "syria.ipynb", "teacher/answers.ipynb"],
)
def test_notebooks_narrate_and_the_package_works(name):
    cells = _cells(name)
    code = [c["text"] for c in cells if c["cell_type"] == "code"]
    assert code and all(len(c.splitlines()) <= 12 for c in code)
    assert sum(c["cell_type"] == "markdown" for c in cells) >= len(code) / 2


def test_the_lesson_has_goals_questions_and_says_how_to_keep_work():
    cells = _cells("classroom.ipynb")
    text = "\n".join(c["text"] for c in cells if c["cell_type"] == "markdown")
    numbers = [int(m) for m in QUESTION_MARK.findall(text)]
    assert 8 <= len(numbers) <= 10 and numbers == list(range(1, len(numbers) + 1))
    assert "By the end you should be able to" in text
    assert "File → Download" in text and "site/index.html" in text  # keep work; offline
    assert "answers.ipynb" not in text  # the lesson does not point at the answers
    # the questions the issue names
    for words in (
        "besieged in 2016",
        "1 July and 10 September",
        "sources of one district",
        "Geneva",
    ):
        assert words in text, words


def test_every_question_has_a_computed_answer():
    lesson = len(QUESTION_MARK.findall("\n".join(c["text"] for c in _cells("classroom.ipynb"))))
    cells = _cells("teacher/answers.ipynb")
    heads = [c for c in cells if c["cell_type"] == "markdown" and re.match(r"\*\*\d+\.", c["text"])]
    assert len(heads) == lesson
    # each answer is a computation that follows its heading, never typed in
    for i, c in enumerate(cells):
        if c in heads:
            assert cells[i + 1]["cell_type"] == "code" and "atlas." in cells[i + 1]["text"]


def test_the_handout_has_the_questions_and_a_map_per_chapter(atlas: frontlines.Atlas, tmp_path):
    from PIL import Image

    page = build_handout(tmp_path / "h", atlas).read_text(encoding="utf-8")
    asked = questions()
    assert len(asked) >= 8 and page.count('<div class="q">') == len(asked)
    assert page.count('class="answer"') == len(asked)
    pictures = sorted((tmp_path / "h").glob("map-*.png"))
    assert len(pictures) == 6
    for p in pictures:
        assert f'src="{p.name}"' in page
        with Image.open(p) as im:
            assert im.size == (1600, 1131)
    assert "<!--" not in page


def test_the_answers_notebook_says_what_the_package_computes(atlas: frontlines.Atlas):
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(NOTEBOOKS / "teacher" / "answers.ipynb", as_version=4)
    NotebookClient(nb, timeout=120, resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()
    said = "".join(
        "".join(o.get("text", ""))
        for c in nb.cells
        if c.cell_type == "code"
        for o in c.get("outputs", [])
        if o.get("output_type") == "stream"
    )
    assert f"in total: {atlas.siege_days('2016-12-31')[1]} days" in said
    status = atlas.layers.route_status
    cut = status[(status["route_id"] == "castello_road") & (status["status"] == "cut")]
    assert f"Castello Road first cut on {cut['valid_from'].min().date()}" in said
    areas = atlas.city_area_km2("2016-12-15")
    assert f"'government': '{areas['government']:.1f} km²" in said
    from frontlines.changes import changed_hands, flow_counts

    assert str(flow_counts(changed_hands(atlas, "2016-07-01", "2016-09-10"))) in said
