"""Who held each of many points, each on its own date, in one vectorised pass.

:func:`where_many` answers what :meth:`frontlines.Atlas.where` answers, row by row, for a
whole table: one spatial index query of all the points against the Aleppo cells and one
interval join of the hits against the cells' control histories, the same against the town
cells of the governorate for the points left, and, for the points outside both (or on dates
the histories do not cover), one spatial query per Syria-wide snapshot.
It takes a partition at a time, so the same function runs on the partitions of a dask
dataframe.
"""

from __future__ import annotations

import functools
import warnings
from typing import Any

import numpy as np
import pandas as pd
import shapely

from .atlas import Atlas
from .schema import NONE
from .timeline import as_date

__all__ = ["OUTPUT_COLUMNS", "where_dask", "where_many"]

#: The columns :func:`where_many` adds after the input's own.
OUTPUT_COLUMNS = [
    "faction",
    "parties",
    "layer",
    "district_id",
    "since",
    "until",
    "confidence",
    "sources",
    "error",
]


def _dates(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Each value as a date (as :func:`frontlines.timeline.as_date` reads it), and the error
    for those it cannot read; parsed once per distinct value."""
    parsed: dict[Any, Any] = {}
    errors: dict[Any, str] = {}
    for v in pd.unique(values.astype(object)):
        if v is None or (isinstance(v, float) and np.isnan(v)):
            errors[v] = "'' is not a date in YYYY-MM-DD form"
            continue
        try:
            parsed[v] = as_date(v)
        except (ValueError, TypeError) as e:
            errors[v] = str(e)
    when = values.map(parsed).astype("datetime64[ns]")
    err = values.map(errors).fillna("")
    return when, err


def _numbers(values: pd.Series, name: str) -> tuple[pd.Series, pd.Series]:
    nums = pd.to_numeric(values, errors="coerce").astype(float)
    bad = nums.isna()
    err = pd.Series("", index=values.index, dtype=object)
    err[bad] = [f"{name} {('' if pd.isna(v) else str(v))!r} is not a number" for v in values[bad]]
    return nums, err


def where_many(
    atlas: Atlas,
    df: pd.DataFrame,
    date: str = "date",
    lat: str = "lat",
    lon: str = "lon",
) -> pd.DataFrame:
    """Locate every row of ``df`` (a date and a position) in the layers.

    Parameters
    ----------
    atlas
        The layers.
    df
        The table; its other columns are kept.
    date, lat, lon
        The names of its date (``YYYY-MM-DD`` text, or dates) and position columns.

    Returns
    -------
    pandas.DataFrame
        ``df``'s columns, then :data:`OUTPUT_COLUMNS`: ``faction``, ``parties`` and
        ``sources`` (space-separated ids), ``layer`` (``aleppo``, ``governorate`` or
        ``syria``), ``district_id`` (the answering cell: a district or a town), ``since``
        and ``until`` (exclusive; ``YYYY-MM-DD``), ``confidence`` and ``error`` (empty
        when the row was located). A row that cannot be read gets its
        ``error`` and empty answers; the others are answered as :meth:`Atlas.where` answers.

    Examples
    --------
    >>> import frontlines
    >>> t = pd.DataFrame({"date": ["2016-09-10", "2016-02-30"], "lat": [36.2, 36.2],
    ...                   "lon": [37.18, 37.18]})
    >>> where_many(frontlines.load(), t)[["faction", "error"]].iloc[1].tolist()
    ['', "'2016-02-30' is not a date in YYYY-MM-DD form"]
    """
    missing = [c for c in (date, lat, lon) if c not in df.columns]
    if missing:
        raise KeyError(f"the table lacks {', '.join(missing)}")
    n = len(df)
    idx = pd.RangeIndex(n)
    when, err_date = _dates(df[date].reset_index(drop=True))
    y, err_lat = _numbers(df[lat].reset_index(drop=True), "lat")
    x, err_lon = _numbers(df[lon].reset_index(drop=True), "lon")
    error = err_date.where(err_date != "", err_lat.where(err_lat != "", err_lon))
    far = (error == "") & ~((y.abs() <= 90) & (x.abs() <= 180))
    error[far] = [
        f"lat {a}, lon {b} is not a position" for a, b in zip(y[far], x[far], strict=True)
    ]
    ok = (error == "").to_numpy()

    res = {c: np.full(n, "", dtype=object) for c in OUTPUT_COLUMNS}
    res["error"] = error.to_numpy(dtype=object)
    pts = shapely.points(x.to_numpy(), y.to_numpy())
    days = when.to_numpy()

    # ---- the city, then the towns of the governorate: for each, one spatial query, then
    # one interval join on the histories
    L = atlas.layers
    answered = np.zeros(n, dtype=bool)
    for h in atlas.histories():
        # a history answers only in its period
        rows_ok = np.flatnonzero(ok & ~answered & _in_period(atlas, h.layer, days))
        if not len(rows_ok):
            continue
        j = _join_history(h.cells, h.rows, h.subject, pts, days, rows_ok)
        r = j["row"].to_numpy()
        answered[r] = True
        res["faction"][r] = j["faction"].to_numpy()
        res["parties"][r] = j["_parties"].to_numpy()
        res["layer"][r] = h.name
        res["district_id"][r] = j["cell"].astype(str).to_numpy()
        res["since"][r] = j["_since"].to_numpy()
        res["until"][r] = j["_until"].to_numpy()
        res["confidence"][r] = j["confidence"].to_numpy()
        res["sources"][r] = j["_sources"].to_numpy()

    # ---- elsewhere: the Syria-wide snapshot in force, one spatial query per snapshot
    rest = np.flatnonzero(ok & ~answered)
    covered = _in_period(atlas, "syria_control", days[rest])
    for r in rest[~covered]:  # no guess beyond the snapshots' period
        res["error"][r] = atlas.coverage_error(pd.Timestamp(days[r]))
    rest = rest[covered]
    if len(rest):
        snaps = np.array(
            sorted(pd.unique(L.syria_control["snapshot_date"])), dtype="datetime64[ns]"
        )
        pos = np.searchsorted(snaps, days[rest], side="right") - 1  # latest on or before
        res["layer"][rest] = "syria"
        res["faction"][rest] = NONE
        for k in np.unique(pos):
            group = rest[pos == k]
            if k < 0:  # before the first snapshot: nobody known
                continue
            snap = pd.Timestamp(snaps[k])
            until = _iso(snaps[k + 1]) if k + 1 < len(snaps) else ""
            zones = L.syria_control[L.syria_control["snapshot_date"] == snap]
            zones = zones.sort_values("id")
            res["since"][group] = _iso(snap)
            res["until"][group] = until
            q_pt, q_zone = _intersecting(zones, pts[group])
            if not len(q_pt):
                continue
            # the first zone by id, as where() takes it
            order = np.lexsort((q_zone, q_pt))
            q_pt, q_zone = q_pt[order], q_zone[order]
            first = np.unique(q_pt, return_index=True)[1]
            g, z = group[q_pt[first]], zones.iloc[q_zone[first]]
            res["faction"][g] = z["faction"].to_numpy()
            res["confidence"][g] = z["confidence"].to_numpy()
            res["sources"][g] = [" ".join(s) for s in z["sources"]]
    out = df.reset_index(drop=True).copy()
    for c in OUTPUT_COLUMNS:
        out[c] = res[c]
    out.index = df.index if len(df.index) == n else idx
    return out


def _intersecting(polygons: Any, pts: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The pairs (point, polygon) that intersect, as ``polygons.sindex.query(pts,
    predicate="intersects")`` gives them: the index's boxes first, then the polygons, prepared
    once, against their candidates (three times faster on the Syria-wide zones)."""
    q_pt, q_poly = polygons.sindex.query(pts)
    shapes = np.asarray(polygons.geometry.values)
    shapely.prepare(shapes)
    keep = shapely.intersects(shapes[q_poly], pts[q_pt])
    return q_pt[keep], q_poly[keep]


def _join_history(
    cells: Any,
    history: pd.DataFrame,
    subject: str,
    pts: np.ndarray,
    days: np.ndarray,
    rows: np.ndarray,
) -> pd.DataFrame:
    """The history row in force for each of ``rows`` inside a cell, as :meth:`Atlas.where`
    picks it: the first cell by id, then the first row of the file in force; rows whose
    answer would be "none" are left out."""
    ids = cells.index.to_numpy()
    q_pt, q_cell = _intersecting(cells, pts[rows])
    hits = pd.DataFrame({"row": rows[q_pt], "cell": ids[q_cell]})
    hits = hits.sort_values(["row", "cell"]).drop_duplicates("row")
    hits["t"] = days[hits["row"].to_numpy()]
    # each history row's answer as text once (a few hundred rows), not once per point
    h = history.reset_index(drop=True)
    h = pd.DataFrame(
        {
            "cell": h[subject],
            "valid_from": h["valid_from"],
            "valid_to": h["valid_to"],
            "faction": h["faction"],
            "confidence": h["confidence"],
            "_order": np.arange(len(h)),
            "_parties": [" ".join(p) if isinstance(p, tuple) else "" for p in h["parties"]],
            "_sources": [" ".join(x) for x in h["sources"]],
            "_since": [_iso(v) for v in h["valid_from"]],
            "_until": [_iso(v) for v in h["valid_to"]],
        }
    )
    j = hits.merge(h, on="cell", how="inner")
    live = (j["valid_from"] <= j["t"]) & (j["valid_to"].isna() | (j["t"] < j["valid_to"]))
    j = j[live].sort_values(["row", "_order"]).drop_duplicates("row")
    return j[j["faction"] != NONE]


def _in_period(atlas: Atlas, layer: str, days: np.ndarray) -> np.ndarray:
    """:meth:`Atlas.covers` for an array of dates."""
    start, end = atlas.period(layer)
    inside = np.ones(len(days), dtype=bool)
    if start is not None:
        inside &= days >= np.datetime64(start)
    if end is not None:
        inside &= days < np.datetime64(end)
    return inside


def _iso(v: Any) -> str:
    return "" if v is None or pd.isna(v) else pd.Timestamp(v).date().isoformat()


# ---------------------------------------------------------------------- larger than memory


@functools.cache
def _atlas(geo: str | None) -> Atlas:
    """The layers, loaded once per process (each dask worker loads its own)."""
    from .atlas import load

    return load(geo)


def _partition(df: pd.DataFrame, geo: str | None) -> pd.DataFrame:
    return where_many(_atlas(geo), df)


def where_dask(
    source: str,
    output: str,
    *,
    geo: str | None = None,
    input_format: str = "csv",
    workers: int | None = None,
    scheduler: str | None = None,
    blocksize: str = "64MB",
) -> int:
    """Locate a table too large for memory with dask, one partition at a time.

    Parameters
    ----------
    source
        The table (a CSV or Parquet file, or a glob of them).
    output
        Where to write: a ``.csv`` file (one file), else a folder of Parquet files.
    geo
        The layers folder (each worker loads it).
    workers
        Start a local cluster of this many processes.
    scheduler
        Or use an existing dask cluster at this address (``tcp://host:8786``).

    Returns
    -------
    int
        How many rows could not be located (their ``error`` says why).
    """
    import dask.dataframe as dd
    from dask.distributed import Client, LocalCluster

    if input_format == "parquet":
        ddf = dd.read_parquet(source)
    else:
        ddf = dd.read_csv(source, dtype=str, keep_default_na=False, blocksize=blocksize)
    meta = where_many(_atlas(geo), ddf._meta.assign(date="", lat="0", lon="0").iloc[0:0])
    cluster = None
    if scheduler:
        client = Client(scheduler)
    else:
        cluster = LocalCluster(n_workers=workers or 1, threads_per_worker=1, processes=True)
        client = Client(cluster)
    try:
        import dask

        located = ddf.map_partitions(_partition, geo, meta=meta)
        if output.lower().endswith(".csv"):
            write = located.to_csv(output, single_file=True, index=False, compute=False)
        else:
            write = located.to_parquet(output, write_index=False, compute=False)
        # the table is located once: the count of errors comes from the same partitions
        with warnings.catch_warnings():  # the writer is a delayed, the count an expression
            warnings.simplefilter("ignore", UserWarning)
            _, failed = dask.compute(write, (located["error"] != "").sum())
        return int(failed)
    finally:
        client.close()
        if cluster is not None:
            cluster.close()
