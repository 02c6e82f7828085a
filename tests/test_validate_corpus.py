"""Every malformed input in tests/data/bad/ yields exactly the expected problems, one line
each, exit code 1 and no traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support import BAD, GOOD, run_cli

CASES = sorted(p.name for p in BAD.iterdir() if p.is_dir())


def build_case(case: str, tmp_path: Path) -> Path:
    dst = tmp_path / case
    shutil.copytree(GOOD, dst)
    src = BAD / case
    for f in src.iterdir():
        if f.name not in ("expected", "DELETE"):
            shutil.copy(f, dst / f.name)
    if (src / "DELETE").exists():
        for name in (src / "DELETE").read_text().split():
            (dst / name).unlink()
    return dst


def test_corpus_is_large_enough():
    assert len(CASES) >= 25


@pytest.mark.parametrize("case", CASES)
def test_bad_case_reports_exact_rules(case: str, tmp_path: Path):
    folder = build_case(case, tmp_path)
    res = run_cli("validate", str(folder))
    expected = sorted((BAD / case / "expected").read_text().split("\n"))
    expected = [e for e in expected if e]
    lines = [ln for ln in res.stdout.splitlines() if ln]
    assert res.returncode == 1, res.stdout + res.stderr
    assert "Traceback" not in res.stdout + res.stderr
    got = []
    for ln in lines:
        parts = ln.split(": ", 4)
        assert len(parts) == 5, f"not file: record: field: rule: message -> {ln}"
        got.append(f"{parts[0]} {parts[3]}")
    assert sorted(got) == expected, res.stdout
    assert f"{len(lines)} problem(s)" in res.stderr


def test_over_size_file_is_refused(layer_copy: Path):
    big = layer_copy / "events.csv"
    text = big.read_text(encoding="utf-8")
    body = text.splitlines()[1]
    rows = [body.replace("e1,", f"e{i}x,", 1) for i in range(4000)]
    big.write_text(text + "\n".join(rows) + "\n", encoding="utf-8")
    res = run_cli("validate", str(layer_copy))
    assert res.returncode == 1
    assert res.stdout.startswith("events.csv: -: -: file-too-large: ")
    assert "Traceback" not in res.stderr


def test_missing_folder_is_one_clear_line(tmp_path: Path):
    res = run_cli("validate", str(tmp_path / "nope"))
    assert res.returncode == 1
    assert res.stdout.strip().endswith("folder-missing: not a folder")


def test_folder_without_manifest(tmp_path: Path):
    res = run_cli("validate", str(tmp_path))
    assert res.returncode == 1
    assert "manifest.json: -: -: file-missing:" in res.stdout
