"""Check a layers folder against every rule, collecting all problems in one pass.

A problem names the file, the record (feature or row and its id), the field and the rule it
broke, so that an analyst can fix every mistake from one run. :mod:`frontlines.read` parses
each file and checks single records; this module adds the rules across records and layers
(unique ids, references, histories, overlaps, borders). :func:`check_folder` returns the
parsed records as well as the problems, and :mod:`frontlines.layers` builds data frames from
the records only when there are no problems.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import shapely

from .bibliography import (
    Source,
    allowed_confidence,
    confidence_ok,
    copy_host,
    favoured_by_control,
    favoured_by_route,
)
from .read import (
    DEFAULT_MAX_BYTES,
    MANIFEST,
    Collector,
    Problem,
    Record,
    read_layer,
    read_manifest,
    read_text,
    to_date,
)
from .schema import CONTESTED, CONTROL_LAYERS, FACTION_IDS, LAYERS, LayerSpec

__all__ = ["Problem", "Record", "Checked", "check_folder", "MANIFEST", "DEFAULT_MAX_BYTES"]

# Cells that share an edge intersect in a line, or in slivers where coordinates were rounded
# to 5 decimals (about 1 m). Two cells overlap when they share more than this area
# (deg^2; about 2,000 m^2 at Aleppo's latitude), or than this share of the smaller of the two
# (large schematic zones have long shared borders and so longer slivers).
_OVERLAP_DEG2 = 2e-7
_OVERLAP_SHARE = 1e-5


@dataclass
class Checked:
    """The result of :func:`check_folder`."""

    folder: Path
    manifest: dict[str, Any]
    records: dict[str, list[Record]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


# --------------------------------------------------------------------------- cross-layer


def _check_ids(name: str, sp: LayerSpec, records: list[Record], out: Collector) -> None:
    if not sp.id_column:
        return
    seen: set[str] = set()
    for r in records:
        v = r.values.get(sp.id_column)
        if v is None:
            continue
        if v in seen:
            out.add(name, r.label, sp.id_column, "id-duplicate", f"{v!r} is used twice")
        seen.add(v)


def _check_refs(files: dict[str, str], records: dict[str, list[Record]], out: Collector) -> None:
    ids = {
        n: {r.values.get(LAYERS[n].id_column) for r in recs}
        for n, recs in records.items()
        if LAYERS[n].id_column
    }
    for n, recs in records.items():
        for col in LAYERS[n].columns:
            if col.kind not in ("ref", "refs") or col.ref not in ids:
                continue
            for r in recs:
                if col.name in r.bad:
                    continue
                v = r.values.get(col.name)
                for ref in (v,) if col.kind == "ref" else (v or ()):
                    if ref is not None and ref not in ids[col.ref]:
                        out.add(
                            files[n],
                            r.label,
                            col.name,
                            "ref-unknown",
                            f"{ref!r} is not an id in {col.ref}",
                        )


def _check_factions(
    files: dict[str, str], records: dict[str, list[Record]], out: Collector
) -> None:
    facs = records.get("factions")
    if facs is None:
        return
    kinds = {r.values["id"]: r.values["kind"] for r in facs}
    want = {f: "faction" for f in FACTION_IDS} | {CONTESTED: "state"}
    if kinds != want:
        out.add(
            files["factions"],
            "-",
            "id",
            "factions-set",
            f"the factions must be exactly {', '.join(FACTION_IDS)} and the state {CONTESTED}",
        )
    active = {r.values["id"]: r.values.get("active_from") for r in facs}

    def inactive(layer: str, r: Record, fac: Any, when: Any, fld: str) -> None:
        start = active.get(fac)
        if start and when and when < start:
            out.add(
                files[layer],
                r.label,
                fld,
                "faction-inactive",
                f"{fac} exists only from {start.isoformat()}",
            )

    for layer in CONTROL_LAYERS:
        for r in records.get(layer, []):
            v = r.values
            fac, parties = v.get("faction"), v.get("parties") or ()
            if fac == CONTESTED:
                ok = len(parties) == 2 and len(set(parties)) == 2 and CONTESTED not in parties
                if not ok:
                    out.add(
                        files[layer],
                        r.label,
                        "parties",
                        "parties",
                        "a contested row names exactly two different factions",
                    )
            elif parties:
                out.add(
                    files[layer], r.label, "parties", "parties", "only contested rows name parties"
                )
            for f in (fac, *parties):
                inactive(layer, r, f, v.get("valid_from"), "faction")
    for layer, fld, when in (
        ("route_status", "serves", "valid_from"),
        ("syria_control", "faction", "snapshot_date"),
    ):
        for r in records.get(layer, []):
            fac = r.values.get(fld)
            if fac == CONTESTED:
                out.add(files[layer], r.label, fld, "ref-kind", f"{fld} must be a faction")
            inactive(layer, r, fac, r.values.get(when), fld)


def _check_histories(
    files: dict[str, str],
    records: dict[str, list[Record]],
    manifest: dict[str, Any],
    out: Collector,
) -> None:
    for name, recs in records.items():
        sp = LAYERS[name]
        if not sp.history_of:
            continue
        entry = manifest["_by_name"].get(name, {})
        period = entry.get("period")
        start, end = (to_date(period[0]), to_date(period[1])) if period else (None, None)
        complete = bool(entry.get("complete"))
        by_subject: dict[str, list[Record]] = defaultdict(list)
        # Subjects with an unreadable row: their gaps are not reported (the row is).
        unsure: set[str] = set()
        for r in recs:
            a, b = r.values.get("valid_from"), r.values.get("valid_to")
            if a is None or {"valid_from", "valid_to", sp.history_of} & r.bad:
                unsure.add(r.values.get(sp.history_of))
                continue
            if b is not None and a >= b:
                out.add(
                    files[name],
                    r.label,
                    "valid_to",
                    "date-order",
                    f"valid_from {a} is not before valid_to {b}",
                )
                unsure.add(r.values.get(sp.history_of))
                continue
            if start and (a < start or (end and (b or end) > end)):
                out.add(
                    files[name],
                    r.label,
                    "valid_from",
                    "history-period",
                    f"the row leaves the layer's period {start} .. {end}",
                )
            by_subject[r.values[sp.history_of]].append(r)
        subjects: Iterable[str] = by_subject
        parent = next(c.ref for c in sp.columns if c.name == sp.history_of)
        if complete and parent in records:
            subjects = [r.values["id"] for r in records[parent]]
        for subject in subjects:
            rows = sorted(by_subject.get(subject, []), key=lambda r: r.values["valid_from"])
            gaps_matter = complete and subject not in unsure
            if gaps_matter and not rows:
                out.add(
                    files[name],
                    f"{sp.history_of}={subject}",
                    sp.history_of,
                    "history-gap",
                    "no rows: the period must be covered",
                )
                continue
            if not rows:
                continue
            if gaps_matter and start and rows[0].values["valid_from"] > start:
                out.add(
                    files[name],
                    rows[0].label,
                    "valid_from",
                    "history-gap",
                    f"{subject} has no row from {start} to {rows[0].values['valid_from']}",
                )
            for prev, cur in zip(rows, rows[1:], strict=False):
                p_end, c_start = prev.values["valid_to"], cur.values["valid_from"]
                if p_end is None or p_end > c_start:
                    out.add(
                        files[name],
                        cur.label,
                        "valid_from",
                        "history-overlap",
                        f"overlaps {prev.label} (which runs to {p_end or 'open end'})",
                    )
                elif p_end < c_start and gaps_matter:
                    out.add(
                        files[name],
                        cur.label,
                        "valid_from",
                        "history-gap",
                        f"nothing recorded for {subject} from {p_end} to {c_start}",
                    )
            last_end = rows[-1].values["valid_to"]
            if gaps_matter and end and last_end is not None and last_end < end:
                out.add(
                    files[name],
                    rows[-1].label,
                    "valid_to",
                    "history-gap",
                    f"{subject} has no row from {last_end} to {end}",
                )


def _check_overlaps(
    file: str, recs: list[Record], out: Collector, group: str | None = None
) -> None:
    """Report pairs of polygons (in the same ``group``) whose interiors overlap."""
    items = [r for r in recs if r.geometry is not None and r.geometry.is_valid]
    if not items:
        return
    tree = shapely.STRtree([r.geometry for r in items])
    left, right = tree.query([r.geometry for r in items], predicate="intersects")
    for i, j in zip(left, right, strict=True):
        if i >= j:
            continue
        a, b = items[i], items[j]
        if group and a.values.get(group) != b.values.get(group):
            continue
        area = a.geometry.intersection(b.geometry).area
        smaller = min(a.geometry.area, b.geometry.area)
        if area > max(_OVERLAP_DEG2, _OVERLAP_SHARE * smaller):
            out.add(
                file,
                a.label,
                "geometry",
                "cells-overlap",
                f"overlaps {b.label} by about {area * 1e4:.3f} km2",  # 1 deg2 ~ 1e4 km2 here
            )


def _check_within_border(
    files: dict[str, str],
    records: dict[str, list[Record]],
    manifest: dict[str, Any],
    out: Collector,
) -> None:
    border_recs = [r.geometry for r in records.get("syria_border", []) if r.geometry is not None]
    if not border_recs:
        return
    border = shapely.union_all(border_recs)
    for name, entry in manifest["_by_name"].items():
        if entry.get("within") != "syria_border" or name not in records:
            continue
        buffer_deg = float(entry.get("within_buffer_m", 0)) / 111_000.0
        for r in records[name]:
            if r.geometry is not None and border.distance(r.geometry) > buffer_deg:
                out.add(
                    files[name],
                    r.label,
                    "geometry",
                    "outside-border",
                    f"more than {entry.get('within_buffer_m', 0)} m outside Syria's border; "
                    "are lat and lon swapped?",
                )


def _check_events(file: str, recs: list[Record], out: Collector) -> None:
    for r in recs:
        d, p = r.values.get("date"), r.values.get("date_precision")
        if d is None or p is None:
            continue
        if (p == "month" and d.day != 1) or (p == "year" and (d.month, d.day) != (1, 1)):
            out.add(
                file,
                r.label,
                "date",
                "date-precision",
                f"a date known to the {p} uses the first day of the {p}",
            )


def _favoured(layer: str, v: dict[str, Any]) -> frozenset[str]:
    """The factions a record favours, for the neutrality rule (all of them when it takes no
    side, so that only unaligned sources count as neutral)."""
    if layer in CONTROL_LAYERS:
        return favoured_by_control(v.get("faction") or "", v.get("parties") or ())
    if layer == "route_status":
        return favoured_by_route(v.get("serves") or "", v.get("status") or "")
    if layer == "syria_control":
        return frozenset({v.get("faction") or ""})
    return frozenset(FACTION_IDS)


#: Outlet types whose rows need not carry a publication date (articles revised continuously,
#: data packages).
_UNDATED_TYPES = ("encyclopedia", "dataset")


def _check_sources(
    files: dict[str, str],
    records: dict[str, list[Record]],
    manifest: dict[str, Any],
    out: Collector,
) -> None:
    """Bibliography rows are well formed and used; citations resolve; confidence follows the
    rules of :mod:`frontlines.bibliography`."""
    bib_recs = records.get("sources")
    if bib_recs is None:
        return
    bib_file = files["sources"]
    bib: dict[str, Source] = {}
    for r in bib_recs:
        v = r.values
        if v.get("source_id") is None:
            continue
        url, read_at = v.get("url"), v.get("read_at")
        if url and copy_host(url):
            out.add(
                bib_file,
                r.label,
                "url",
                "source-copy-url",
                f"{copy_host(url)} carries copies: put the original's address in url "
                "and this one in read_at",
            )
        if url and read_at and url == read_at:
            out.add(bib_file, r.label, "read_at", "source-read-at", "read_at repeats url")
        if not v.get("published") and v.get("outlet_type") not in _UNDATED_TYPES:
            out.add(bib_file, r.label, "published", "source-date", "a dated source needs a date")
        if not r.bad:
            bib[v["source_id"]] = Source.from_row(v)
    known = {r.values.get("source_id") for r in bib_recs}
    used: set[str] = set()
    for name, recs in records.items():
        if name == "sources":
            continue
        entry = manifest["_by_name"].get(name, {})
        start = to_date((entry.get("period") or [None])[0])
        for r in recs:
            v = r.values
            ids = v.get("sources") or ()
            used.update(ids)
            if "sources" in r.bad:  # reported by the reader; no cascade
                continue
            missing = [i for i in ids if i not in known]
            for i in missing:
                out.add(
                    files[name], r.label, "sources", "source-unknown", f"{i!r} is not in sources"
                )
            level = v.get("confidence")
            if missing or not ids or level is None or "confidence" in r.bad:
                continue
            if any(i not in bib for i in ids):  # a cited row is itself broken (reported)
                continue
            change = bool(LAYERS[name].history_of) and v.get("valid_from") != start
            allowed, why = allowed_confidence([bib[i] for i in ids], _favoured(name, v), change)
            if not confidence_ok(level, allowed):
                out.add(
                    files[name],
                    r.label,
                    "confidence",
                    "confidence-rule",
                    f"{level} is above what its sources allow ({allowed}): {why}",
                )
    for r in bib_recs:
        sid = r.values.get("source_id")
        if sid is not None and sid not in used:
            out.add(bib_file, r.label, "source_id", "source-unused", "no layer cites this source")


# --------------------------------------------------------------------------- entry point


def check_folder(folder: str | Path) -> Checked:
    """Read and check every layer in ``folder`` (the folder holding ``manifest.json``).

    Parameters
    ----------
    folder
        A layers folder.

    Returns
    -------
    Checked
        Parsed records of every readable layer and the list of problems (empty when valid).
    """
    folder = Path(folder)
    out = Collector()
    if not folder.is_dir():
        out.add(str(folder), "-", "-", "folder-missing", "not a folder")
        return Checked(folder, {}, {}, out.problems)
    manifest = read_manifest(folder, out)
    if manifest is None:
        return Checked(folder, {}, {}, out.problems)
    limit = manifest.get("max_file_bytes", DEFAULT_MAX_BYTES)
    records: dict[str, list[Record]] = {}
    files: dict[str, str] = {}
    for name, entry in manifest["_by_name"].items():
        sp = LAYERS[name]
        fname = entry.get("file")
        if not isinstance(fname, str) or not fname:
            continue
        files[name] = fname
        text = read_text(folder / fname, limit, out)
        if text is None:
            continue
        recs = read_layer(sp, fname, text, entry, out)
        if sp.format == "geojson":
            count = entry.get("feature_count")
            if recs is not None and isinstance(count, int) and count != len(recs):
                out.add(
                    fname,
                    "-",
                    "-",
                    "feature-count",
                    f"{len(recs)} features, the manifest says {count}",
                )
        if recs is None:  # unreadable: reported once, other layers do not pile on
            continue
        _check_ids(fname, sp, recs, out)
        records[name] = recs
    _check_refs(files, records, out)
    _check_factions(files, records, out)
    _check_histories(files, records, manifest, out)
    for cells in ("aleppo_districts", "governorate_places"):
        if cells in records:
            _check_overlaps(files[cells], records[cells], out)
    if "syria_control" in records:
        _check_overlaps(files["syria_control"], records["syria_control"], out, "snapshot_date")
    if "events" in records:
        _check_events(files["events"], records["events"], out)
    _check_within_border(files, records, manifest, out)
    _check_sources(files, records, manifest, out)
    return Checked(folder, manifest, records, out.problems)
