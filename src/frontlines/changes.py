"""What changed between two dates: districts that changed hands and routes whose state moved.

The reader panel's compare (``js/compare.js``) counts the same changes in the browser; a
browser test holds the two together.
"""

from __future__ import annotations

import pandas as pd

from .atlas import Atlas
from .timeline import DateLike, as_date

__all__ = ["changed_hands", "changed_routes", "flow_counts"]


def changed_hands(atlas: Atlas, a: DateLike, b: DateLike) -> pd.DataFrame:
    """The cells whose holder on ``b`` differs from their holder on ``a``.

    Returns
    -------
    pandas.DataFrame
        Indexed by cell id, with ``name``, ``before``, ``after`` (factions, ``"contested"``
        or ``"none"``), ``in_city`` and ``area_km2``; sorted by ``after``, then by ``name``
        ignoring case.

    Examples
    --------
    >>> import frontlines
    >>> ch = changed_hands(frontlines.load(), "2016-11-25", "2016-12-22")
    >>> set(ch["after"]) <= {"government", "kurdish", "contested"}
    True
    """
    za, zb = atlas.control_at(as_date(a)), atlas.control_at(as_date(b))
    df = pd.DataFrame(
        {
            "name": zb["name"],
            "before": za["faction"].reindex(zb.index),
            "after": zb["faction"],
            "in_city": zb["in_city"],
            "area_km2": zb["area_km2"],
        }
    )
    # by name regardless of case, as the browser lists them
    return df[df["before"] != df["after"]].sort_values(
        ["after", "name"], key=lambda col: col.str.lower() if col.name == "name" else col
    )


def flow_counts(changes: pd.DataFrame) -> dict[tuple[str, str], int]:
    """How many districts went each way: ``{(before, after): count}``, largest first."""
    sizes = changes.groupby(["before", "after"]).size()
    return {k: int(n) for k, n in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0]))}


def changed_routes(atlas: Atlas, a: DateLike, b: DateLike) -> list[str]:
    """Ids of the routes whose status or side served differs between ``a`` and ``b``
    (including routes that exist on one date only)."""

    def state(when: DateLike) -> dict[str, tuple[str, str]]:
        r = atlas.routes_at(as_date(when))
        return dict(zip(r["id"], zip(r["status"], r["serves"], strict=True), strict=True))

    ra, rb = state(a), state(b)
    return sorted(k for k in ra.keys() | rb.keys() if ra.get(k) != rb.get(k))
