"""Reading layer files: every record parsed and typed, every broken rule of a single record
or file collected as a :class:`Problem`.

:mod:`frontlines.validate` adds the rules that span records and layers.
"""

from __future__ import annotations

import csv
import io
import json
import math
import re
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from shapely.geometry import shape
from shapely.geometry.base import BaseGeometry
from shapely.validation import explain_validity

from .schema import CONFIDENCE, LAYERS, Column, LayerSpec

__all__ = [
    "DEFAULT_MAX_BYTES",
    "MANIFEST",
    "Problem",
    "Record",
    "Collector",
    "read_manifest",
    "read_layer",
    "read_text",
    "to_date",
]

MANIFEST = "manifest.json"
DEFAULT_MAX_BYTES = 8_000_000

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_\-]*$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")
# Markup: a tag opening, a comment or a character reference. A lone "<" in prose is allowed.
_HTML = re.compile(r"<\s*[A-Za-z/!?]|&(#\d+|#x[0-9a-fA-F]+|[A-Za-z][A-Za-z0-9]*);")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_CRS84 = {"urn:ogc:def:crs:OGC:1.3:CRS84", "urn:ogc:def:crs:OGC::CRS84", "EPSG:4326"}


@dataclass(frozen=True, order=True)
class Problem:
    """One broken rule: ``file: record: field: rule: message``."""

    file: str
    record: str
    field: str
    rule: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.record}: {self.field}: {self.rule}: {self.message}"


@dataclass
class Record:
    """A parsed feature or row: typed values and, for features, a shapely geometry."""

    label: str
    values: dict[str, Any]
    geometry: BaseGeometry | None = None
    #: Fields whose value broke a rule (later checks ignore them rather than pile on).
    bad: frozenset[str] = frozenset()


class Collector:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, file: str, record: str, fld: str, rule: str, message: str) -> None:
        self.problems.append(Problem(file, record, fld, rule, message))


# --------------------------------------------------------------------------- files


def read_text(path: Path, limit: int, out: Collector) -> str | None:
    name = path.name
    if not path.is_file():
        out.add(name, "-", "-", "file-missing", f"{path} does not exist")
        return None
    size = path.stat().st_size
    if size > limit:
        out.add(name, "-", "-", "file-too-large", f"{size} bytes, over the limit of {limit}")
        return None
    data = path.read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        out.add(name, "-", "-", "not-utf8", f"byte {err.start} is not valid UTF-8")
        return None
    if not text.strip():
        out.add(name, "-", "-", "file-empty", "the file is empty")
        return None
    return text


def _parse_json(name: str, text: str, out: Collector) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as err:
        out.add(name, "-", "-", "json-invalid", f"line {err.lineno} column {err.colno}: {err.msg}")
        return None


# --------------------------------------------------------------------------- manifest


def read_manifest(folder: Path, out: Collector) -> dict[str, Any] | None:
    text = read_text(folder / MANIFEST, DEFAULT_MAX_BYTES, out)
    if text is None:
        return None
    manifest = _parse_json(MANIFEST, text, out)
    if manifest is None:
        return None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("layers"), list):
        out.add(
            MANIFEST, "-", "layers", "manifest-invalid", "expected an object with a list 'layers'"
        )
        return None
    limit = manifest.get("max_file_bytes", DEFAULT_MAX_BYTES)
    if not isinstance(limit, int) or limit <= 0:
        out.add(MANIFEST, "-", "max_file_bytes", "manifest-invalid", "must be a positive integer")
        manifest["max_file_bytes"] = DEFAULT_MAX_BYTES
    by_name: dict[str, dict[str, Any]] = {}
    for i, entry in enumerate(manifest["layers"]):
        name = entry.get("name") if isinstance(entry, dict) else None
        if name not in LAYERS:
            out.add(MANIFEST, f"layer #{i}", "name", "manifest-invalid", f"unknown layer {name!r}")
            continue
        by_name[name] = entry
        sp = LAYERS[name]
        for key in ("file", "title", "description", "licence", "attribution"):
            if not isinstance(entry.get(key), str) or not entry[key].strip():
                out.add(MANIFEST, f"layer {name}", key, "manifest-invalid", "missing or empty")
        cols = entry.get("columns")
        names = (
            [c.get("name") for c in cols if isinstance(c, dict)] if isinstance(cols, list) else []
        )
        if names != list(sp.column_names):
            out.add(
                MANIFEST,
                f"layer {name}",
                "columns",
                "manifest-columns",
                f"columns {names} differ from the layer model {list(sp.column_names)}",
            )
        if sp.format == "geojson":
            ext = entry.get("extent")
            if ext is not None and not (
                isinstance(ext, list) and len(ext) == 4 and all(_is_num(v) for v in ext)
            ):
                out.add(
                    MANIFEST, f"layer {name}", "extent", "manifest-invalid", "expected 4 numbers"
                )
                entry["extent"] = None
            if not isinstance(entry.get("feature_count"), int):
                out.add(
                    MANIFEST, f"layer {name}", "feature_count", "manifest-invalid", "expected int"
                )
        if sp.history_of:
            per = entry.get("period")
            if not (isinstance(per, list) and len(per) == 2 and all(to_date(p) for p in per)):
                out.add(MANIFEST, f"layer {name}", "period", "manifest-invalid", "expected 2 dates")
                entry["period"] = None
    for name in LAYERS:
        if name not in by_name:
            out.add(
                MANIFEST, f"layer {name}", "-", "manifest-invalid", "layer missing from manifest"
            )
    manifest["_by_name"] = by_name
    return manifest


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool) and math.isfinite(v)


def to_date(v: Any) -> date | None:
    if not isinstance(v, str) or not _DATE.match(v):
        return None
    try:
        return date.fromisoformat(v)
    except ValueError:
        return None


# --------------------------------------------------------------------------- values


def _check_value(col: Column, raw: Any, ctx: tuple[str, str], out: Collector) -> Any:
    """Return the typed value of ``raw`` (None when empty), reporting any broken rule."""
    file, rec = ctx
    if isinstance(raw, str):
        raw = raw.strip()
    empty = raw is None or raw == "" or raw == []
    if empty:
        if col.required:
            rule = "source-missing" if col.kind == "sources" else "required"
            out.add(file, rec, col.name, rule, "a value is required")
        return () if col.kind in ("sources", "aliases", "refs") else None

    def bad(rule: str, msg: str) -> None:
        out.add(file, rec, col.name, rule, msg)

    kind = col.kind
    if kind in (
        "text",
        "id",
        "enum",
        "ref",
        "date",
        "pdate",
        "url",
        "confidence",
        "colour",
        "refs",
    ) and not (isinstance(raw, str)):
        bad("type", f"expected text, got {type(raw).__name__}")
        return None
    if kind == "id":
        if not _SLUG.match(raw):
            bad("id-format", f"{raw!r} is not a lower-case slug (a-z, 0-9, _ and -)")
        return raw
    if kind == "text":
        _check_text(col, raw, bad)
        return raw
    if kind == "aliases":
        items = raw.split("|") if isinstance(raw, str) else raw
        if not isinstance(items, list | tuple) or not all(isinstance(a, str) for a in items):
            bad("type", "expected a list of texts")
            return ()
        for a in items:
            _check_text(col, a, bad)
        return tuple(a.strip() for a in items if a.strip())
    if kind == "bool":
        if isinstance(raw, bool):
            return raw
        if isinstance(raw, str) and raw.lower() in ("true", "false"):
            return raw.lower() == "true"
        bad("bool", f"{raw!r} is not true or false")
        return None
    if kind in ("number", "int"):
        try:
            num = float(raw) if kind == "number" else int(raw)
        except (TypeError, ValueError):
            num = None
        if isinstance(raw, bool) or num is None or not math.isfinite(num):
            bad(kind, f"{raw!r} is not a{'n integer' if kind == 'int' else ' number'}")
            return None
        if (kind == "number" and num <= 0) or num < 0:
            bad(kind, f"{raw!r} must be {'> 0' if kind == 'number' else '>= 0'}")
            return None
        return num
    if kind == "date":
        d = to_date(raw)
        if d is None:
            bad("date", f"{raw!r} is not a real date in YYYY-MM-DD form")
        return d
    if kind == "enum":
        if raw not in col.choices:
            bad("enum", f"{raw!r} is not one of {', '.join(col.choices)}")
            return None
        return raw
    if kind == "ref":
        return raw
    if kind == "refs":
        return tuple(raw.split())
    if kind == "sources":
        ids = raw.split() if isinstance(raw, str) else raw
        if not isinstance(ids, list | tuple) or not all(isinstance(u, str) for u in ids):
            bad("type", "expected source ids separated by whitespace, or a list of ids")
            return ()
        for u in ids:
            if _is_url(u):
                bad("source-id", f"{u!r} is an address: cite the id of its row in sources.csv")
            elif not _SLUG.match(u):
                bad("source-id", f"{u!r} is not a source id (a lower-case slug)")
        if len(set(ids)) != len(ids):
            bad("source-id", "a source is cited twice")
        return tuple(ids)
    if kind == "url":
        if not isinstance(raw, str) or not _is_url(raw):
            bad("source-url", f"{raw!r} is not an http(s) URL")
            return None
        return raw
    if kind == "pdate":
        if not isinstance(raw, str) or not _partial_date(raw):
            bad("date", f"{raw!r} is not a date in YYYY, YYYY-MM or YYYY-MM-DD form")
            return None
        return raw
    if kind == "confidence":
        if raw not in CONFIDENCE:
            bad("confidence", f"{raw!r} is not one of {', '.join(CONFIDENCE)}")
            return None
        return raw
    if kind == "colour":
        if not _COLOUR.match(raw):
            bad("colour", f"{raw!r} is not a #rrggbb colour")
            return None
        return raw.lower()
    raise AssertionError(f"unknown column kind {kind}")  # pragma: no cover - schema bug


def _check_text(col: Column, text: str, bad: Any) -> None:
    if _HTML.search(text):
        bad("html", "must be plain text, not HTML")
    if _CONTROL.search(text):
        bad("html", "contains control characters")
    if col.max_len and len(text) > col.max_len:
        bad("too-long", f"{len(text)} characters, over {col.max_len}")


def _partial_date(v: str) -> bool:
    """True for ``YYYY``, ``YYYY-MM`` or a real ``YYYY-MM-DD``."""
    if re.fullmatch(r"\d{4}", v):
        return True
    if re.fullmatch(r"\d{4}-\d{2}", v):
        return 1 <= int(v[5:]) <= 12
    return to_date(v) is not None


def _is_url(u: str) -> bool:
    try:
        parts = urlsplit(u)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.netloc) and not _CONTROL.search(u)


# --------------------------------------------------------------------------- layers


def _check_values(
    sp: LayerSpec, raw: dict[str, Any], ctx: tuple[str, str], out: Collector, skip: set[str]
) -> tuple[dict[str, Any], frozenset[str]]:
    values: dict[str, Any] = {}
    bad: set[str] = set()
    for c in sp.columns:
        if c.name in skip:
            values[c.name] = () if c.kind in ("sources", "aliases", "refs") else None
            bad.add(c.name)
            continue
        before = len(out.problems)
        values[c.name] = _check_value(c, raw.get(c.name), ctx, out)
        if len(out.problems) > before:
            bad.add(c.name)
    return values, frozenset(bad)


def _row_label(sp: LayerSpec, n: int, values: dict[str, Any], unit: str) -> str:
    key = sp.id_column or sp.history_of
    v = values.get(key) if key else None
    return f"{unit} {n} ({key}={v})" if v else f"{unit} {n}"


def _read_csv(sp: LayerSpec, name: str, text: str, out: Collector) -> list[Record] | None:
    rows = list(csv.reader(io.StringIO(text, newline="")))
    header = [h.strip() for h in rows[0]]
    missing = [c for c in sp.column_names if c not in header]
    unknown = [h for h in header if h not in sp.column_names]
    for c in missing:
        out.add(name, "header", c, "column-missing", "the column is missing")
    for c in unknown:
        out.add(name, "header", c, "column-unknown", "the layer model has no such column")
    if len(set(header)) != len(header):
        out.add(name, "header", "-", "column-duplicate", "a column name appears twice")
    records = []
    for line_no, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        raw = dict(zip(header, row, strict=False))
        label = _row_label(sp, line_no, raw, "row")
        if len(row) != len(header):
            out.add(name, label, "-", "row-length", f"{len(row)} fields, header has {len(header)}")
            continue
        values, bad = _check_values(sp, raw, (name, label), out, set(missing))
        records.append(Record(label, values, None, bad))
    return records


def _read_geojson(
    sp: LayerSpec, name: str, text: str, entry: dict[str, Any], out: Collector
) -> list[Record] | None:
    """The features of a GeoJSON layer; None when the file is not a FeatureCollection."""
    doc = _parse_json(name, text, out)
    if doc is None:
        return None
    if not isinstance(doc, dict) or doc.get("type") != "FeatureCollection":
        out.add(name, "-", "type", "not-feature-collection", "expected a GeoJSON FeatureCollection")
        return None
    crs = doc.get("crs")
    if crs is not None:
        crs_name = crs.get("properties", {}).get("name") if isinstance(crs, dict) else None
        if crs_name not in _CRS84:
            out.add(
                name, "-", "crs", "crs", f"{crs_name!r}: RFC 7946 GeoJSON is WGS 84 lon/lat only"
            )
    feats = doc.get("features")
    if not isinstance(feats, list):
        out.add(name, "-", "features", "not-feature-collection", "'features' must be a list")
        return None
    extent = entry.get("extent")
    records = []
    for i, feat in enumerate(feats):
        props = feat.get("properties") if isinstance(feat, dict) else None
        if not isinstance(props, dict):
            out.add(
                name, f"feature #{i}", "properties", "type", "a feature needs a properties object"
            )
            continue
        fid = props.get("id")
        label = f"feature {fid}" if isinstance(fid, str) and fid else f"feature #{i}"
        for key in props:
            if key not in sp.column_names:
                out.add(name, label, key, "column-unknown", "the layer model has no such property")
        values, bad = _check_values(sp, props, (name, label), out, set())
        geom = _check_geometry(sp, feat.get("geometry"), extent, (name, label), out)
        records.append(Record(label, values, geom, bad))
    return records


def _coords_ok(obj: Any) -> bool:
    """True when every position is [lon, lat] with finite numbers in range."""
    if isinstance(obj, list) and obj and all(_is_num(v) for v in obj):
        return len(obj) >= 2 and -180 <= obj[0] <= 180 and -90 <= obj[1] <= 90
    return isinstance(obj, list) and bool(obj) and all(_coords_ok(o) for o in obj)


def _check_geometry(
    sp: LayerSpec, raw: Any, extent: list[float] | None, ctx: tuple[str, str], out: Collector
) -> BaseGeometry | None:
    file, rec = ctx
    if not isinstance(raw, dict) or "type" not in raw:
        out.add(file, rec, "geometry", "geometry-missing", "the feature has no geometry")
        return None
    if raw["type"] not in sp.geometry:
        out.add(file, rec, "geometry", "geometry-type", f"{raw['type']}, expected {sp.geometry}")
        return None
    if not _coords_ok(raw.get("coordinates")):
        out.add(file, rec, "geometry", "coordinate-range", "positions must be [lon, lat] in range")
        return None
    try:
        geom = shape(raw)
    except Exception as err:  # shapely raises several types for malformed rings
        out.add(file, rec, "geometry", "geometry-invalid", f"cannot build geometry: {err}")
        return None
    if geom.is_empty:
        out.add(file, rec, "geometry", "geometry-invalid", "the geometry is empty")
        return None
    if not geom.is_valid:
        out.add(file, rec, "geometry", "geometry-invalid", explain_validity(geom))
    if extent:
        minx, miny, maxx, maxy = geom.bounds
        if minx < extent[0] or miny < extent[1] or maxx > extent[2] or maxy > extent[3]:
            out.add(
                file,
                rec,
                "geometry",
                "outside-extent",
                f"bounds ({minx:.4f}, {miny:.4f}, {maxx:.4f}, {maxy:.4f}) leave the layer's "
                f"extent {extent}; are lat and lon swapped?",
            )
    return geom


def read_layer(
    sp: LayerSpec, fname: str, text: str, entry: dict[str, Any], out: Collector
) -> list[Record] | None:
    """Parse one layer's text; None when the file as a whole is unreadable."""
    if sp.format == "csv":
        return _read_csv(sp, fname, text, out)
    return _read_geojson(sp, fname, text, entry, out)
