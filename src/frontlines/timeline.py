"""The state of every layer on a date, derived from the layers alone.

Every function here is pure: layers and a date in, a data frame out.
"""

from __future__ import annotations

import datetime as dt

import geopandas as gpd
import pandas as pd

from .layers import Layers
from .schema import NONE

__all__ = [
    "as_date",
    "rows_in_force",
    "held_at",
    "control_at",
    "towns_at",
    "routes_at",
    "snapshot_date_at",
    "syria_zones_at",
    "events_between",
    "change_dates",
]

DateLike = str | dt.date | dt.datetime | pd.Timestamp


def as_date(value: DateLike) -> pd.Timestamp:
    """Return ``value`` as a midnight :class:`pandas.Timestamp`.

    Parameters
    ----------
    value
        A ``YYYY-MM-DD`` string, a date, a datetime or a timestamp.

    Raises
    ------
    ValueError
        When a string is not a real ``YYYY-MM-DD`` date.

    Examples
    --------
    >>> as_date("2016-09-10")
    Timestamp('2016-09-10 00:00:00')
    """
    if isinstance(value, str):
        try:
            return pd.Timestamp(dt.date.fromisoformat(value.strip()))
        except ValueError:
            raise ValueError(f"{value!r} is not a date in YYYY-MM-DD form") from None
    if isinstance(value, dt.datetime | pd.Timestamp):
        return pd.Timestamp(value.date())
    if isinstance(value, dt.date):
        return pd.Timestamp(value)
    raise ValueError(f"{value!r} is not a date")


def rows_in_force(df: pd.DataFrame, t: pd.Timestamp) -> pd.DataFrame:
    """The rows of a history table (``valid_from``, exclusive ``valid_to``) in force on ``t``."""
    return df[(df["valid_from"] <= t) & (df["valid_to"].isna() | (t < df["valid_to"]))]


_CONTROL_COLUMNS = ["faction", "parties", "since", "until", "confidence", "sources", "note"]


def held_at(
    cells: gpd.GeoDataFrame, history: pd.DataFrame, subject: str, when: DateLike
) -> gpd.GeoDataFrame:
    """Every cell with who held it on ``when``, from a control history whose rows cite their
    cell in column ``subject``.

    Cells with no history row on that date have faction ``"none"``. The cell's own
    provenance is kept as ``cell_sources``, ``cell_confidence`` and ``cell_note``.
    """
    t = as_date(when)
    rows = rows_in_force(history, t)
    rows = rows.rename(columns={"valid_from": "since", "valid_to": "until"})
    rows = rows.drop_duplicates(subject).set_index(subject)[_CONTROL_COLUMNS]
    cells = cells.rename(
        columns={"sources": "cell_sources", "confidence": "cell_confidence", "note": "cell_note"}
    )
    out = cells.join(rows, on="id")
    out["faction"] = out["faction"].fillna(NONE)
    out["parties"] = out["parties"].apply(lambda v: tuple(v) if isinstance(v, tuple) else ())
    return out


def control_at(layers: Layers, when: DateLike) -> gpd.GeoDataFrame:
    """Every Aleppo cell with who held it on ``when`` (see :func:`held_at`)."""
    return held_at(layers.districts, layers.control, "district_id", when)


def towns_at(layers: Layers, when: DateLike) -> gpd.GeoDataFrame:
    """Every town cell of the governorate outside the city with who held it on ``when``."""
    return held_at(layers.places, layers.place_control, "place_id", when)


def routes_at(layers: Layers, when: DateLike) -> gpd.GeoDataFrame:
    """The supply routes that exist on ``when``, with their status and the faction served."""
    t = as_date(when)
    rows = rows_in_force(layers.route_status, t)
    rows = rows.rename(
        columns={
            "valid_from": "since",
            "valid_to": "until",
            "sources": "status_sources",
            "confidence": "status_confidence",
            "note": "status_note",
        }
    ).drop_duplicates("route_id")
    keep = ["route_id", "status", "serves", "since", "until"]
    keep += ["status_sources", "status_confidence", "status_note"]
    out = layers.routes.merge(rows[keep], left_on="id", right_on="route_id", how="inner")
    return out.drop(columns="route_id").set_index("id", drop=False).rename_axis(None)


def snapshot_date_at(layers: Layers, when: DateLike) -> pd.Timestamp | None:
    """The latest Syria-wide snapshot date on or before ``when`` (None before the first)."""
    t = as_date(when)
    dates = sorted(d for d in layers.syria_control["snapshot_date"].unique() if d <= t)
    return pd.Timestamp(dates[-1]) if dates else None


def syria_zones_at(layers: Layers, when: DateLike) -> gpd.GeoDataFrame:
    """The Syria-wide control zones of the snapshot in force on ``when`` (may be empty)."""
    snap = snapshot_date_at(layers, when)
    zones = layers.syria_control
    if snap is None:
        return zones.iloc[0:0]
    return zones[zones["snapshot_date"] == snap]


def events_between(layers: Layers, start: DateLike, end: DateLike) -> pd.DataFrame:
    """Events dated from ``start`` to ``end`` inclusive, oldest first."""
    a, b = as_date(start), as_date(end)
    ev = layers.events
    return ev[(ev["date"] >= a) & (ev["date"] <= b)].sort_values(["date", "id"])


def change_dates(layers: Layers) -> list[pd.Timestamp]:
    """Every date on which some control row, route status or snapshot starts or ends."""
    stamps: set[pd.Timestamp] = set()
    for df in (layers.control, layers.route_status):
        stamps.update(df["valid_from"].dropna())
        stamps.update(df["valid_to"].dropna())
    stamps.update(layers.syria_control["snapshot_date"].dropna())
    return sorted(pd.Timestamp(s) for s in stamps)
