"""The command line, run as a subprocess: stdout carries results only, stderr diagnostics."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from tests.support import GOOD, REPO, run_cli

G = ("--geo", str(GOOD))


def test_validate_good_folder():
    res = run_cli("validate", str(GOOD))
    assert res.returncode == 0
    assert res.stdout.startswith("ok: 15 layers valid")


def test_where_prints_only_the_faction():
    res = run_cli("where", *G, "--date", "2016-09-10", "--lat", "36.20", "--lon", "37.18")
    assert (res.returncode, res.stdout, res.stderr) == (0, "rebels\n", "")


def test_where_json():
    res = run_cli(
        "where", *G, "--date", "2016-07-20", "--lat", "36.245", "--lon", "37.10", "--json"
    )
    data = json.loads(res.stdout)
    assert data == {
        "faction": "contested",
        "parties": ["government", "rebels"],
        "layer": "aleppo",
        "district_id": "outskirt",
        "since": "2016-07-17",
        "until": "2016-07-27",
        "confidence": "medium",
        "sources": [
            {
                "id": "fixture-wire",
                "publisher": "Fixture Wire",
                "agency": "",
                "title": "A wire report on the fixture city",
                "published": "2016-11-26",
                "url": "https://example.org/wire/report",
                "read_at": "",
                "outlet_type": "wire",
                "alignment": "none",
            },
            {
                "id": "fixture-paper",
                "publisher": "Fixture Daily",
                "agency": "",
                "title": "A newspaper report on the fixture city",
                "published": "2016-11-27",
                "url": "https://example.org/paper/report",
                "read_at": "https://example.net/copy/report",
                "outlet_type": "newspaper",
                "alignment": "none",
            },
        ],
        "snapshot": None,  # an answer from the districts' history, not a Syria snapshot
    }


def test_where_bad_date_is_a_clear_error():
    res = run_cli("where", *G, "--date", "2016-02-30", "--lat", "36.2", "--lon", "37.18")
    assert res.returncode == 2
    assert res.stdout == ""
    assert "2016-02-30" in res.stderr and "Traceback" not in res.stderr


def test_where_needs_arguments():
    res = run_cli("where", *G, "--date", "2016-02-01")
    assert res.returncode == 2 and "--lat" in res.stderr


def test_geo_from_environment_and_relative_path():
    env = {"FRONTLINES_GEO": str(GOOD)}
    res = run_cli("where", "--date", "2016-09-10", "--lat", "36.22", "--lon", "37.16", env=env)
    assert res.stdout == "kurdish\n"
    res = run_cli(
        "where",
        "--geo",
        "good",
        "--date",
        "2016-09-10",
        "--lat",
        "36.22",
        "--lon",
        "37.16",
        cwd=GOOD.parent,
    )
    assert res.stdout == "kurdish\n"


def test_default_geo_is_the_repository_not_the_working_directory(tmp_path: Path):
    res = run_cli("validate", cwd=tmp_path)
    assert res.returncode == 0, res.stdout
    assert str(REPO / "geo") in res.stdout


def test_where_csv_batch(tmp_path: Path):
    src = tmp_path / "incidents.csv"
    src.write_text(
        "ref,date,lat,lon,comment\n"
        'a,2016-09-10,36.20,37.18,"east, ok"\n'
        "b,2016-02-30,36.20,37.18,bad date\n"
        "c,2016-12-01,36.20,37.14,west\n"
        "d,2016-12-01,north,37.14,bad lat\n",
        encoding="utf-8",
    )
    res = run_cli("where", *G, "--csv", str(src))
    assert res.returncode == 1
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["ref"] for r in rows] == ["a", "b", "c", "d"]
    assert rows[0]["comment"] == "east, ok"
    assert (rows[0]["faction"], rows[0]["district_id"], rows[0]["error"]) == ("rebels", "east", "")
    assert rows[1]["faction"] == "" and "2016-02-30" in rows[1]["error"]
    assert (rows[2]["faction"], rows[2]["district_id"]) == ("government", "west")
    assert "lat" in rows[3]["error"]
    assert "row 3" in res.stderr and "row 5" in res.stderr


def test_where_csv_all_fine_exits_zero(tmp_path: Path):
    src = tmp_path / "ok.csv"
    src.write_text("date,lat,lon\n2016-09-10,36.20,37.18\n", encoding="utf-8")
    res = run_cli("where", *G, "--csv", str(src))
    assert res.returncode == 0
    header = "date,lat,lon,faction,parties,layer,district_id,since,until,confidence,sources,error"
    assert list(csv.reader(io.StringIO(res.stdout))) == [
        header.split(","),
        ["2016-09-10", "36.20", "37.18", "rebels", "", "aleppo", "east", "2016-01-01"]
        + ["2016-11-26", "high", "fixture-wire fixture-paper", ""],
    ]


def test_where_csv_gives_back_every_input_value_unchanged(tmp_path: Path):
    """Text in, the same text out (quotes, commas, new lines, leading zeros, spaces), to a file
    and to standard output alike."""
    import pandas as pd

    table = pd.DataFrame(
        {
            "ref": ["007", " x ", 'say "hi"'],
            "date": ["2016-09-10", "2016-12-01", "2016-09-10"],
            "lat": ["36.20", "36.200", "36.2"],
            "lon": ["37.18", "37.14", "37.18"],
            "comment": ["a, b", "line\nbreak", ""],
        }
    )
    table.to_csv(tmp_path / "in.csv", index=False)
    res = run_cli("where", *G, "--input", str(tmp_path / "in.csv"))
    filed = run_cli(
        "where", *G, "--input", str(tmp_path / "in.csv"), "--output", str(tmp_path / "o.csv")
    )
    assert res.returncode == filed.returncode == 0
    for text in (res.stdout, (tmp_path / "o.csv").read_text(encoding="utf-8")):
        got = pd.read_csv(io.StringIO(text), dtype=str, keep_default_na=False)
        pd.testing.assert_frame_equal(got[list(table.columns)], table)
        assert list(got["faction"]) == ["rebels", "government", "rebels"]


def test_where_input_parquet_to_parquet_and_csv_agree(tmp_path: Path):
    import pandas as pd

    table = pd.DataFrame(
        {
            "date": ["2016-09-10", "2016-12-01", "2016-02-30"],
            "lat": [36.2, 36.2, 36.2],
            "lon": [37.18, 37.14, 37.18],
            "ref": ["a", "b", "c"],
        }
    )
    table.to_parquet(tmp_path / "in.parquet", index=False)
    table.to_csv(tmp_path / "in.csv", index=False)
    res = run_cli(
        "where",
        *G,
        "--input",
        str(tmp_path / "in.parquet"),
        "--output",
        str(tmp_path / "out.parquet"),
    )
    assert res.returncode == 1 and "row 4" in res.stderr  # the bad date, on its CSV row
    got = pd.read_parquet(tmp_path / "out.parquet")
    assert list(got["ref"]) == ["a", "b", "c"]
    assert list(got["faction"]) == ["rebels", "government", ""]
    res = run_cli("where", *G, "--input", str(tmp_path / "in.csv"), "--input-format", "csv")
    rows = list(csv.DictReader(io.StringIO(res.stdout)))
    assert [r["faction"] for r in rows] == list(got["faction"])
    assert [r["district_id"] for r in rows] == list(got["district_id"])
    bad = run_cli("where", *G, "--input", str(tmp_path / "in.csv"), "--input-format", "parquet")
    assert bad.returncode == 2 and "as parquet" in bad.stderr


def test_where_csv_without_required_columns(tmp_path: Path):
    src = tmp_path / "bad.csv"
    src.write_text("when,lat,lon\n2016-09-10,36.2,37.18\n", encoding="utf-8")
    res = run_cli("where", *G, "--csv", str(src))
    assert res.returncode == 2 and "date" in res.stderr and res.stdout == ""


def test_summary_json_and_text():
    res = run_cli("summary", *G, "--date", "2016-07-18", "--json")
    data = json.loads(res.stdout)
    assert data["besieged"] is True and data["routes"] == {"lifeline": "cut"}
    text = run_cli("summary", *G, "--date", "2016-07-18").stdout
    assert "besieged: yes" in text and "lifeline" in text


def test_places_geojson():
    res = run_cli("places", *G, "--format", "geojson")
    fc = json.loads(res.stdout)
    assert fc["type"] == "FeatureCollection"
    props = {f["properties"]["id"]: f["properties"] for f in fc["features"]}
    assert props["aleppo"]["aliases"] == ["Halab"]
    assert props["citadel"]["name_ar"] == "قلعة حلب"
    assert {p["kind"] for p in props.values()} == {"district", "citadel", "supply_route", "town"}


def test_events_json():
    res = run_cli("events", *G, "--format", "json")
    events = json.loads(res.stdout)
    assert [e["id"] for e in events] == ["e1", "e2"]
    assert set(events[0]) >= {"date", "date_precision", "category", "title", "summary", "sources"}
    assert events[1]["date_precision"] == "month"


def test_invalid_layers_are_reported_on_stderr(tmp_path: Path):
    res = run_cli(
        "where", "--geo", str(tmp_path), "--date", "2016-09-10", "--lat", "36", "--lon", "37"
    )
    assert res.returncode == 1
    assert res.stdout == ""
    assert "manifest.json: -: -: file-missing" in res.stderr


def test_where_with_dask_workers_equals_the_single_pass(tmp_path: Path):
    import pandas as pd

    rows = ["ref,date,lat,lon"] + [
        f"r{i},2016-{1 + i % 12:02d}-{1 + i % 27:02d},{36.15 + (i % 37) / 400:.5f},"
        f"{37.08 + (i % 41) / 250:.5f}"
        for i in range(400)
    ]
    rows.append("bad,2016-02-30,36.2,37.1")
    src = tmp_path / "in.csv"
    src.write_text("\n".join(rows) + "\n", encoding="utf-8")
    one = run_cli("where", *G, "--input", str(src))
    res = run_cli(
        "where", *G, "--input", str(src), "--workers", "2", "--output", str(tmp_path / "out.csv")
    )
    assert res.returncode == 1 and "1 rows with errors" in res.stderr
    many = pd.read_csv(tmp_path / "out.csv", dtype=str, keep_default_na=False)
    single = pd.read_csv(io.StringIO(one.stdout), dtype=str, keep_default_na=False)
    assert len(many) == 401
    pd.testing.assert_frame_equal(
        many.sort_values("ref").reset_index(drop=True),
        single.sort_values("ref").reset_index(drop=True),
    )
    no_out = run_cli("where", *G, "--input", str(src), "--workers", "2")
    assert no_out.returncode == 2 and "--output" in no_out.stderr
