"""Find the layers folder and load every layer into data frames, refusing invalid layers.

A layers folder is the folder holding ``manifest.json``. It is found, in order of precedence,
from an explicit path (``--geo PATH``), the ``FRONTLINES_GEO`` environment variable, and the
repository's own ``geo/`` next to this package's source tree. The working directory is never
consulted implicitly (Voila runs notebooks from their own folder).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd

from .bibliography import Source
from .schema import LAYERS
from .validate import MANIFEST, Problem, Record, check_folder

__all__ = ["ENV_VAR", "LayerError", "Layers", "find_geo", "read_layers"]

ENV_VAR = "FRONTLINES_GEO"
_REPO_GEO = Path(__file__).resolve().parents[2] / "geo"


class LayerError(Exception):
    """The layers could not be loaded; ``problems`` lists every broken rule."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the layers:\n{lines}{more}")


def find_geo(path: str | os.PathLike[str] | None = None) -> Path:
    """Return the layers folder to use.

    Parameters
    ----------
    path
        An explicit folder; relative paths are taken from the working directory.

    Returns
    -------
    Path
        ``path`` if given, else ``$FRONTLINES_GEO`` if set, else the repository's ``geo/``.
    """
    if path is not None and str(path) != "":
        return Path(path).expanduser().resolve()
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return Path(env).expanduser().resolve()
    if (_REPO_GEO / MANIFEST).is_file():
        return _REPO_GEO
    raise LayerError(
        [
            Problem(
                str(_REPO_GEO),
                "-",
                "-",
                "folder-missing",
                f"no layers folder found: pass --geo PATH or set {ENV_VAR}",
            )
        ]
    )


@dataclass(frozen=True)
class Layers:
    """Every layer of one folder, as read-only data frames (EPSG:4326)."""

    folder: Path
    manifest: dict[str, Any]
    sources: pd.DataFrame
    factions: pd.DataFrame
    districts: gpd.GeoDataFrame
    control: pd.DataFrame
    routes: gpd.GeoDataFrame
    route_status: pd.DataFrame
    sites: gpd.GeoDataFrame
    events: pd.DataFrame
    border: gpd.GeoDataFrame
    governorates: gpd.GeoDataFrame
    syria_control: gpd.GeoDataFrame
    towns: gpd.GeoDataFrame
    context_lines: gpd.GeoDataFrame
    #: Town cells of Aleppo governorate outside the city, and who held each when.
    places: gpd.GeoDataFrame
    place_control: pd.DataFrame

    def entry(self, layer: str) -> dict[str, Any]:
        """The manifest entry of ``layer`` (title, licence, attribution, ...)."""
        return self.manifest["_by_name"][layer]

    @cached_property
    def bibliography(self) -> dict[str, Source]:
        """Every bibliography row by source id."""
        return {i: Source.from_row(r) for i, r in self.sources.to_dict("index").items()}

    def cite(self, ids: Any) -> list[Source]:
        """The bibliography rows of source ``ids`` (whitespace-separated text or a sequence).

        Raises
        ------
        KeyError
            For an id that is not in the bibliography (validation rules this out).
        """
        if isinstance(ids, str):
            ids = ids.split()
        return [self.bibliography[i] for i in ids]


_DATE_COLUMNS = ("valid_from", "valid_to", "date", "snapshot_date", "active_from")


def _frame(name: str, records: list[Record]) -> pd.DataFrame:
    sp = LAYERS[name]
    df = pd.DataFrame([r.values for r in records], columns=list(sp.column_names))
    for col in _DATE_COLUMNS:
        if col in df:
            df[col] = pd.to_datetime(df[col])
    if sp.format == "geojson":
        df = gpd.GeoDataFrame(df, geometry=[r.geometry for r in records], crs="EPSG:4326")
    if sp.id_column:
        df = df.set_index(sp.id_column, drop=False)
        df.index.name = None
    return df


def read_layers(path: str | os.PathLike[str] | None = None) -> Layers:
    """Find, validate and load a layers folder.

    Parameters
    ----------
    path
        The layers folder; see :func:`find_geo` for the default.

    Returns
    -------
    Layers

    Raises
    ------
    LayerError
        When any rule is broken; ``err.problems`` lists them all.
    """
    folder = find_geo(path)
    checked = check_folder(folder)
    if checked.problems:
        raise LayerError(checked.problems)
    f = {name: _frame(name, recs) for name, recs in checked.records.items()}
    return Layers(
        folder=folder,
        manifest=checked.manifest,
        sources=f["sources"].fillna(""),
        factions=f["factions"],
        districts=f["aleppo_districts"],
        control=f["aleppo_control"],
        routes=f["supply_routes"],
        route_status=f["route_status"],
        sites=f["sites"],
        events=f["events"],
        border=f["syria_border"],
        governorates=f["governorates"],
        syria_control=f["syria_control"],
        towns=f["towns"],
        context_lines=f["context_lines"],
        places=f["governorate_places"],
        place_control=f["governorate_control"],
    )
