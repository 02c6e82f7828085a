"""One object that answers every question about the layers: :class:`Atlas`, from :func:`load`."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
import shapely

from . import stats, timeline
from .bibliography import Source
from .layers import Layers, read_layers
from .schema import NONE
from .timeline import DateLike, as_date

__all__ = ["Atlas", "History", "Where", "load", "YEAR_START", "YEAR_END"]

YEAR_START = pd.Timestamp("2016-01-01")
#: Exclusive end of the story's year.
YEAR_END = pd.Timestamp("2017-01-01")


def _iso(t: Any) -> str | None:
    return None if t is None or pd.isna(t) else pd.Timestamp(t).date().isoformat()


@dataclass(frozen=True)
class Where:
    """Who held a point on a date, and on what evidence."""

    faction: str
    parties: tuple[str, ...]
    layer: str  # "aleppo", "governorate" or "syria"
    #: The cell that answers: an Aleppo district or a town of the governorate (None for Syria).
    district_id: str | None
    since: pd.Timestamp | None
    until: pd.Timestamp | None
    confidence: str | None
    sources: tuple[Source, ...]
    #: For an answer from the Syria-wide layer: the snapshot it comes from (``since`` is the
    #: same date and ``until`` the next snapshot's, the stretch it stands for).
    snapshot: pd.Timestamp | None = None

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict (dates as ``YYYY-MM-DD``; ``until`` is exclusive)."""
        return {
            "faction": self.faction,
            "parties": list(self.parties),
            "layer": self.layer,
            "district_id": self.district_id,
            "since": _iso(self.since),
            "until": _iso(self.until),
            "confidence": self.confidence,
            "sources": [s.as_dict() for s in self.sources],
            "snapshot": _iso(self.snapshot),
        }


@dataclass(frozen=True)
class History:
    """Cells and who held each when: ``rows`` (layer ``layer``) cite a cell by ``subject``;
    answers from it name the layer ``name`` (``aleppo`` or ``governorate``)."""

    layer: str
    name: str
    cells: gpd.GeoDataFrame
    rows: pd.DataFrame
    subject: str


class Atlas:
    """The layers of one folder and every query on them.

    Create it with :func:`load`. All state is derived from the layers; results that are
    costly to compute (areas, the siege calendar) are cached on the instance.
    """

    def __init__(self, layers: Layers) -> None:
        self.layers = layers
        self._metric = stats.Metric.of(layers)
        self._areas = self._metric.cells.area / 1e6
        self._siege: list[stats.SiegePeriod] | None = None

    @property
    def folder(self) -> Path:
        return self.layers.folder

    # ------------------------------------------------------------------ state on a date

    def control_at(self, when: DateLike) -> gpd.GeoDataFrame:
        """Every Aleppo cell with its holder on ``when`` and its area (``area_km2``)."""
        out = timeline.control_at(self.layers, when)
        out["area_km2"] = self._areas
        return out

    def routes_at(self, when: DateLike) -> gpd.GeoDataFrame:
        """Supply routes existing on ``when`` with ``status`` and ``serves``."""
        return timeline.routes_at(self.layers, when)

    def syria_at(self, when: DateLike) -> gpd.GeoDataFrame:
        """Syria-wide control zones of the snapshot in force on ``when``."""
        return timeline.syria_zones_at(self.layers, when)

    def events_between(self, start: DateLike, end: DateLike) -> pd.DataFrame:
        """Events from ``start`` to ``end`` inclusive, oldest first."""
        return timeline.events_between(self.layers, start, end)

    # ------------------------------------------------------------------ point queries

    def where(self, when: DateLike, lat: float, lon: float) -> Where:
        """Who held the point (``lat``, ``lon``) on ``when``.

        Inside an Aleppo cell the cell's control history answers; inside a town cell of the
        governorate outside the city, the town's history; elsewhere (or on a date neither
        history covers) the latest Syria-wide snapshot on or before ``when``. None answers
        beyond its period in the manifest: there is no guess.

        Raises
        ------
        ValueError
            For a bad date, coordinates out of range, or a date the layers do not cover
            (the message starts "outside coverage").
        """
        t = as_date(when)
        lat, lon = float(lat), float(lon)
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            raise ValueError(f"lat {lat}, lon {lon} is not a position")
        pt = shapely.Point(lon, lat)
        for h in self.histories():
            if not self.covers(h.layer, t):
                continue
            cells = h.cells
            hits = sorted(cells.index[cells.sindex.query(pt, predicate="intersects")])
            if not hits:
                continue
            rows = timeline.rows_in_force(h.rows[h.rows[h.subject] == hits[0]], t)
            if rows.empty or rows.iloc[0]["faction"] == NONE:
                continue
            row = rows.iloc[0]
            parties = row["parties"] if isinstance(row["parties"], tuple) else ()
            return Where(
                row["faction"],
                parties,
                h.name,
                str(hits[0]),
                row["valid_from"],
                None if pd.isna(row["valid_to"]) else row["valid_to"],
                row["confidence"],
                tuple(self.cite(row["sources"])),
            )
        return self._where_syria(t, pt)

    def histories(self) -> list[History]:
        """The cells with a dated control history, in the order they answer a point: the
        city's districts, then the towns of the governorate outside it."""
        L = self.layers
        return [
            History("aleppo_control", "aleppo", L.districts, L.control, "district_id"),
            History("governorate_control", "governorate", L.places, L.place_control, "place_id"),
        ]

    # ------------------------------------------------------------------ coverage

    def period(self, layer: str) -> tuple[pd.Timestamp | None, pd.Timestamp | None]:
        """The dates a layer covers, ``[start, end)`` from its manifest ``period`` (None: no
        bound)."""
        period = self.layers.entry(layer).get("period") if layer in self._names else None
        if not period:
            return None, None
        return pd.Timestamp(period[0]), pd.Timestamp(period[1])

    def covers(self, layer: str, when: DateLike) -> bool:
        """Whether ``when`` falls in ``layer``'s period (always, for a layer without one)."""
        t = as_date(when)
        start, end = self.period(layer)
        return (start is None or start <= t) and (end is None or t < end)

    def coverage_error(self, when: DateLike) -> str:
        """What :meth:`where` says of a date the layers do not cover: no guess."""
        periods = [self.period(n) for n in ("aleppo_control", "syria_control")]
        starts, ends = [p[0] for p in periods], [p[1] for p in periods]
        first = min((s for s in starts if s is not None), default=None)
        last = max((e for e in ends if e is not None), default=None)
        span = f"{_iso(first)} to {_iso(last - pd.Timedelta(days=1))}" if first and last else ""
        return f"outside coverage: {_iso(as_date(when))} is not in {span}".strip()

    @property
    def _names(self) -> set[str]:
        return set(self.layers.manifest.get("_by_name", {}))

    def _where_syria(self, t: pd.Timestamp, pt: shapely.Point) -> Where:
        if not self.covers("syria_control", t):
            raise ValueError(self.coverage_error(t))
        snap = timeline.snapshot_date_at(self.layers, t)
        if snap is None:
            return Where(NONE, (), "syria", None, None, None, None, ())
        zones = self.syria_at(t)
        later = sorted(d for d in self.layers.syria_control["snapshot_date"].unique() if d > t)
        until = pd.Timestamp(later[0]) if later else None
        hits = zones[zones.intersects(pt)]
        if hits.empty:
            return Where(NONE, (), "syria", None, snap, until, None, (), snap)
        z = hits.sort_values("id").iloc[0]
        srcs = tuple(self.cite(z["sources"]))
        return Where(z["faction"], (), "syria", None, snap, until, z["confidence"], srcs, snap)

    # ------------------------------------------------------------------ figures

    def city_area_km2(self, when: DateLike) -> dict[str, float]:
        """Area held inside the city by each faction (and ``contested``), km^2."""
        return stats.area_by_faction(self.control_at(when))

    def siege_status(self, when: DateLike) -> stats.SiegeStatus:
        """Whether rebel-held east Aleppo was besieged on ``when``."""
        return stats.siege_status(self.layers, when, self._metric)

    def siege_periods(self) -> list[stats.SiegePeriod]:
        """The siege state through 2016 as periods (computed once per atlas)."""
        if self._siege is None:
            self._siege = stats.siege_periods(self.layers, YEAR_START, YEAR_END, self._metric)
        return self._siege

    def siege_days(self, when: DateLike) -> tuple[int, int]:
        """``(current, total)``: days of the siege in force on ``when`` so far (0 when none),
        and all days besieged in 2016 up to and including ``when``."""
        t = as_date(when)
        current = total = 0
        for p in self.siege_periods():
            if not p.besieged or p.start > t:
                continue
            days = (min(p.end, t + pd.Timedelta(days=1)) - p.start).days
            total += days
            if p.start <= t < p.end:
                current = days
        return current, total

    def summary(self, when: DateLike) -> dict[str, Any]:
        """Area by faction in the city, route status and siege, as a JSON-ready dict."""
        t = as_date(when)
        routes = self.routes_at(t)
        return {
            "date": _iso(t),
            "city_area_km2": self.city_area_km2(t),
            "routes": {str(k): str(v) for k, v in zip(routes["id"], routes["status"], strict=True)},
            "besieged": self.siege_status(t).besieged,
        }

    # ------------------------------------------------------------------ catalogue

    def cite(self, ids: Any) -> list[Source]:
        """The bibliography rows of source ``ids``, in order (see :class:`Source`)."""
        return self.layers.cite(ids)

    def places(self) -> gpd.GeoDataFrame:
        """Every named feature (districts, sites, routes, towns) with name, kind and aliases."""
        L = self.layers
        parts = [
            (L.districts, "district"),
            (L.sites, None),
            (L.routes, "supply_route"),
            (L.towns, "town"),
        ]
        frames = []
        for df, kind in parts:
            f = gpd.GeoDataFrame(
                {
                    "id": df["id"].values,
                    "name": df["name"].values,
                    "name_ar": df["name_ar"].values,
                    "kind": df["kind"].values if kind is None else kind,
                    "aliases": [list(a) for a in df["aliases"]],
                },
                geometry=df.geometry.values,
                crs="EPSG:4326",
            )
            frames.append(f)
        return gpd.GeoDataFrame(pd.concat(frames, ignore_index=True), crs="EPSG:4326")


def load(path: str | os.PathLike[str] | None = None) -> Atlas:
    """Load and validate a layers folder and return an :class:`Atlas` over it.

    Parameters
    ----------
    path
        The layers folder; default ``$FRONTLINES_GEO``, else the repository's ``geo/``.

    Raises
    ------
    frontlines.LayerError
        When the layers break any rule.
    """
    return Atlas(read_layers(path))
