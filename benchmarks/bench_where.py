"""Batch location: rows a second for where_many, against what an analyst would write.

    .venv/bin/python benchmarks/bench_where.py [--rows 300000] [--runs 3]

The floor, measured in the same run on the same table: the ten lines of geopandas an analyst
would write without this package's batch path (for each distinct date, ``control_at`` and a
spatial join of that date's points). Both answer inside the city only for the floor; where_many
also answers outside it (the Syria-wide snapshots). Prints medians; asserts nothing.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import geopandas as gpd
import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

import frontlines  # noqa: E402
from frontlines.batch import where_many  # noqa: E402


def table(atlas: frontlines.Atlas, n: int, seed: int = 1) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    x0, y0, x1, y1 = atlas.layers.districts.total_bounds
    days = pd.Timestamp("2016-01-01") + pd.to_timedelta(rng.integers(0, 366, n), unit="D")
    return pd.DataFrame(
        {
            "date": days.strftime("%Y-%m-%d"),
            "lat": rng.uniform(y0, y1, n),
            "lon": rng.uniform(x0, x1, n),
        }
    )


def analyst(atlas: frontlines.Atlas, t: pd.DataFrame) -> pd.DataFrame:
    """What one would write by hand: per date, the control table and a spatial join."""
    pts = gpd.GeoDataFrame(t, geometry=gpd.points_from_xy(t["lon"], t["lat"]), crs="EPSG:4326")
    parts = []
    for day, group in pts.groupby("date"):
        cells = atlas.control_at(day)[["id", "faction", "geometry"]]
        parts.append(gpd.sjoin(group, cells, how="left", predicate="intersects"))
    return pd.concat(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rows", type=int, default=300_000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--million", action="store_true", help="also time 1,000,000 rows")
    args = ap.parse_args()
    atlas = frontlines.load()
    t = table(atlas, args.rows)
    times = {"analyst": [], "where_many": []}
    for _ in range(args.runs):
        for name, fn in (("analyst", analyst), ("where_many", where_many)):
            t0 = time.perf_counter()
            fn(atlas, t)
            times[name].append(time.perf_counter() - t0)
    for name, xs in times.items():
        m = statistics.median(xs)
        print(f"{name:10} {args.rows} rows: median {m:.2f} s ({args.rows / m:,.0f} rows a second)")
    ratio = statistics.median(times["where_many"]) / statistics.median(times["analyst"])
    print(f"where_many / analyst's loop: {ratio:.2f}")
    end_to_end(atlas, t, args.runs)
    if args.million:
        big = table(atlas, 1_000_000, seed=2)
        t0 = time.perf_counter()
        where_many(atlas, big)
        took = time.perf_counter() - t0
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kB on Linux
        print(f"1,000,000 rows located in {took:.1f} s; peak memory of this process {peak:.0f} MB")


def end_to_end(atlas: frontlines.Atlas, t: pd.DataFrame, runs: int) -> None:
    """Read a CSV, locate, write a CSV: the analyst's loop against ``frontlines where --input
    IN --output OUT`` run in this process, each loading the layers itself; medians of ``runs``."""
    from frontlines.cli import main as cli

    naive, ours = [], []
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "in.csv"
        t.to_csv(src, index=False)
        for _ in range(runs):
            t0 = time.perf_counter()
            mine = frontlines.load()
            analyst(mine, pd.read_csv(src)).to_csv(Path(tmp) / "a.csv", index=False)
            naive.append(time.perf_counter() - t0)
            t0 = time.perf_counter()
            cli(["where", "--input", str(src), "--output", str(Path(tmp) / "b.csv")])
            ours.append(time.perf_counter() - t0)
    a, b = statistics.median(naive), statistics.median(ours)
    print(
        f"end to end (load, read, locate, write) {len(t)} rows, median of {runs}:"
        f" analyst's loop {a:.2f} s, frontlines where --input {b:.2f} s ({a / b:.1f}x)"
    )


if __name__ == "__main__":
    main()
