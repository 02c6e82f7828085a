"""The data shown, as files a reader can download: GeoJSON and CSV with sources and licences."""

from __future__ import annotations

import base64
import html
import json

import pandas as pd

from .atlas import Atlas
from .timeline import DateLike, as_date

__all__ = ["cells_on", "data_link"]

_COLUMNS = [
    "id",
    "name",
    "name_ar",
    "in_city",
    "faction",
    "since",
    "until",
    "confidence",
    "area_km2",
    "precision_m",
    "note",
]


def cells_on(atlas: Atlas, when: DateLike) -> tuple[str, str, str]:
    """GeoJSON and CSV of every Aleppo cell on ``when`` (holder, since, until, confidence,
    area, precision, sources, and the layer's licence and attribution), and the bibliography
    rows they cite as CSV (``geo/sources.csv``'s columns); the GeoJSON carries them too."""
    when = as_date(when)
    z = atlas.control_at(when)
    entry = atlas.layers.entry("aleppo_control")
    df = z[_COLUMNS + ["geometry"]].copy()
    df["parties"] = [" ".join(p) for p in z["parties"]]
    df["sources"] = [" ".join(s) for s in z["sources"]]
    for c in ("since", "until"):
        df[c] = [None if pd.isna(v) else v.date().isoformat() for v in df[c]]
    df["area_km2"] = df["area_km2"].round(3)
    gj = json.loads(df.to_json())
    gj["date"] = when.date().isoformat()
    gj["licence"] = entry["licence"]
    gj["attribution"] = entry["attribution"]
    gj["note"] = "District outlines are approximate; see precision_m and sources."
    cited = list(dict.fromkeys(i for ids in z["sources"] for i in ids))
    gj["bibliography"] = [s.as_dict() for s in atlas.cite(cited)]
    sources = atlas.layers.sources.loc[cited].to_csv(index=False, lineterminator="\n")
    csv = (
        df.drop(columns="geometry")
        .assign(
            date=when.date().isoformat(),
            licence=entry["licence"],
            attribution=entry["attribution"],
        )
        .to_csv(index=False, lineterminator="\n")
    )
    return json.dumps(gj, ensure_ascii=False), csv, sources


def data_link(text: str, mime: str, name: str, label: str) -> str:
    """A link that downloads ``text`` as the file ``name`` (a ``data:`` URL; no server).

    Examples
    --------
    >>> data_link("a,b", "text/csv", "x.csv", "CSV <1>")
    '<a download="x.csv" href="data:text/csv;base64,YSxi">CSV &lt;1&gt;</a>'
    """
    b64 = base64.b64encode(text.encode("utf-8")).decode("ascii")
    return (
        f'<a download="{html.escape(name, quote=True)}" href="data:{mime};base64,{b64}">'
        f"{html.escape(label, quote=True)}</a>"
    )
