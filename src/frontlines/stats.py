"""Figures computed from the layers: area held in the city, and whether east Aleppo is besieged.

The siege is derived from geometry and route status, never stored: rebel-held east Aleppo is
besieged on a date when rebels hold city cells and no ``open`` or ``under_fire`` route that
serves the rebels links those cells to rebel territory outside the city (rebel cells outside
the city, or the rebel zones of the Syria-wide snapshot in force, outside the Aleppo cells).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

import geopandas as gpd
import pandas as pd
import shapely

from .layers import Layers
from .timeline import DateLike, as_date, change_dates, control_at, routes_at, syria_zones_at

__all__ = [
    "METRIC_CRS",
    "Metric",
    "LINK_TOLERANCE_M",
    "SiegeStatus",
    "SiegePeriod",
    "area_by_faction",
    "siege_status",
    "siege_periods",
]

#: UTM zone 37N: metres, with little distortion around Aleppo.
METRIC_CRS = "EPSG:32637"
#: A route counts as touching a zone within this distance (routes are drawn approximately).
LINK_TOLERANCE_M = 150.0
_LINK_STATUSES = ("open", "under_fire")


@dataclass(frozen=True)
class SiegeStatus:
    """Whether rebel-held east Aleppo was besieged on ``date``, and why."""

    date: pd.Timestamp
    besieged: bool
    rebel_city_km2: float
    #: Routes that linked the rebel city cells to rebel ground outside (empty when besieged).
    lifelines: tuple[str, ...]


@dataclass(frozen=True)
class SiegePeriod:
    """A stretch of days ``[start, end)`` with one siege state."""

    start: pd.Timestamp
    end: pd.Timestamp
    besieged: bool


@dataclass(frozen=True)
class Metric:
    """The layers' geometries in :data:`METRIC_CRS`, indexed by id (computed once per atlas)."""

    cells: gpd.GeoSeries
    routes: gpd.GeoSeries
    zones: gpd.GeoSeries

    @cached_property
    def all_cells(self) -> shapely.Geometry:
        """Every Aleppo cell as one geometry."""
        return shapely.union_all(self.cells.values)

    def outside_cells(self, zone_ids: tuple[str, ...]) -> shapely.Geometry:
        """The union of the zones ``zone_ids`` minus the Aleppo cells (cached per set)."""
        cache = self.__dict__.setdefault("_outside", {})
        if zone_ids not in cache:
            cache[zone_ids] = shapely.union_all(self.zones.loc[list(zone_ids)].values).difference(
                self.all_cells
            )
        return cache[zone_ids]

    @classmethod
    def of(cls, layers: Layers) -> Metric:
        return cls(
            layers.districts.geometry.to_crs(METRIC_CRS),
            layers.routes.geometry.to_crs(METRIC_CRS),
            layers.syria_control.geometry.to_crs(METRIC_CRS),
        )


def area_by_faction(zones: pd.DataFrame, in_city_only: bool = True) -> dict[str, float]:
    """Sum ``area_km2`` by ``faction`` (``contested`` is a faction here), dropping zeros.

    Examples
    --------
    >>> df = pd.DataFrame({"faction": ["rebels", "rebels", "government"],
    ...                    "area_km2": [1.0, 2.5, 4.0], "in_city": [True, True, False]})
    >>> area_by_faction(df)
    {'rebels': 3.5}
    """
    if in_city_only:
        zones = zones[zones["in_city"].astype(bool)]
    sums = zones.groupby("faction")["area_km2"].sum()
    return {str(k): round(float(v), 3) for k, v in sums.items() if v > 0 and k != "none"}


def siege_status(layers: Layers, when: DateLike, metric: Metric | None = None) -> SiegeStatus:
    """Compute whether rebel-held east Aleppo was besieged on ``when``.

    Returns ``besieged=False`` when rebels hold nothing inside the city. ``metric`` (from
    :meth:`Metric.of`) saves reprojecting the layers on every call.
    """
    t = as_date(when)
    metric = metric or Metric.of(layers)
    cells = control_at(layers, t)
    rebel = cells[cells["faction"] == "rebels"]
    city = rebel[rebel["in_city"].astype(bool)]
    if city.empty:
        return SiegeStatus(t, False, 0.0, ())
    city_geoms = metric.cells.loc[city.index]
    city_km2 = float(city_geoms.area.sum() / 1e6)
    city_m = shapely.union_all(city_geoms.values)
    outside_ids = rebel.index[~rebel["in_city"].astype(bool)]
    outside_parts = list(metric.cells.loc[outside_ids].values)
    zones = syria_zones_at(layers, t)
    zones = zones[zones["faction"] == "rebels"]
    if len(zones):
        outside_parts.append(metric.outside_cells(tuple(sorted(zones.index))))
    outside_m = shapely.union_all(outside_parts) if outside_parts else shapely.Polygon()
    routes = routes_at(layers, t)
    routes = routes[(routes["serves"] == "rebels") & routes["status"].isin(_LINK_STATUSES)]
    lifelines = []
    for rid, geom in zip(routes["id"], metric.routes.loc[routes.index].values, strict=True):
        if (
            shapely.dwithin(geom, city_m, LINK_TOLERANCE_M)
            and not outside_m.is_empty
            and shapely.dwithin(geom, outside_m, LINK_TOLERANCE_M)
        ):
            lifelines.append(str(rid))
    return SiegeStatus(t, not lifelines, round(city_km2, 3), tuple(sorted(lifelines)))


def siege_periods(
    layers: Layers, start: DateLike, end: DateLike, metric: Metric | None = None
) -> list[SiegePeriod]:
    """The siege state over ``[start, end)`` as maximal periods of one state.

    The state can change only where a control row, a route status or a snapshot changes,
    so it is evaluated at those dates only.
    """
    a, b = as_date(start), as_date(end)
    metric = metric or Metric.of(layers)
    marks = [a] + [d for d in change_dates(layers) if a < d < b]
    periods: list[SiegePeriod] = []
    for i, d in enumerate(marks):
        nxt = marks[i + 1] if i + 1 < len(marks) else b
        state = siege_status(layers, d, metric).besieged
        if periods and periods[-1].besieged == state:
            periods[-1] = SiegePeriod(periods[-1].start, nxt, state)
        else:
            periods.append(SiegePeriod(d, nxt, state))
    return periods
