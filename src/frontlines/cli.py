"""The ``frontlines`` command line: validate layers and query them.

Results go to stdout and nothing else does; diagnostics go to stderr. Exit codes: 0 fine,
1 invalid layers or rows with errors, 2 bad arguments, 3 an internal error.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import pandas as pd

from .atlas import Atlas, load
from .layers import LayerError, find_geo
from .timeline import as_date
from .validate import check_folder

__all__ = ["main"]


class _UsageError(Exception):
    pass


def _parser() -> argparse.ArgumentParser:
    geo = argparse.ArgumentParser(add_help=False)
    geo.add_argument(
        "--geo",
        metavar="PATH",
        help="layers folder (default: $FRONTLINES_GEO, else the repository's geo/)",
    )
    p = argparse.ArgumentParser(prog="frontlines", description=__doc__.splitlines()[0])
    sub = p.add_subparsers(dest="command", required=True)

    v = sub.add_parser("validate", parents=[geo], help="check a layers folder")
    v.add_argument("path", nargs="?", help="layers folder (overrides --geo)")

    w = sub.add_parser("where", parents=[geo], help="who held a point on a date")
    w.add_argument("--date")
    w.add_argument("--lat", type=float)
    w.add_argument("--lon", type=float)
    w.add_argument("--json", action="store_true", help="print a JSON object")
    w.add_argument(
        "--input",
        "--csv",
        dest="input",
        metavar="FILE",
        help="batch: a table with date, lat and lon columns ('-' for stdin); writes it back "
        "with faction, parties, layer, district_id, since, until, confidence, sources, error",
    )
    w.add_argument(
        "--input-format",
        choices=("csv", "parquet"),
        help="the table's format (default: from the file's name; csv for stdin)",
    )
    w.add_argument(
        "--output",
        metavar="FILE",
        help="write the located table to FILE (.parquet: Parquet; else CSV); default stdout",
    )
    w.add_argument(
        "--workers",
        type=int,
        metavar="N",
        help="larger than memory: locate the table with a local dask cluster of N processes "
        "(pip install frontlines[scale]; needs --output: a .csv file or a Parquet folder)",
    )
    w.add_argument(
        "--scheduler",
        metavar="ADDRESS",
        help="as --workers, on an existing dask cluster (e.g. tcp://10.0.0.5:8786)",
    )

    s = sub.add_parser("summary", parents=[geo], help="areas, routes and siege on a date")
    s.add_argument("--date", required=True)
    s.add_argument("--json", action="store_true")

    pl = sub.add_parser("places", parents=[geo], help="every named feature")
    pl.add_argument("--format", choices=("geojson", "csv"), default="geojson")

    x = sub.add_parser(
        "export", parents=[geo], help="every layer's state on a date, with its sources"
    )
    x.add_argument("--date", required=True)
    x.add_argument("--format", choices=("geojson", "csv", "gpkg", "png"), default="geojson")
    x.add_argument(
        "--out",
        metavar="FILE",
        help="write to FILE (needed for csv (a zip), gpkg and png; geojson goes to stdout)",
    )

    b = sub.add_parser(
        "build-site", parents=[geo], help="write the reader explainer as a static site"
    )
    b.add_argument("out", metavar="OUT", help="folder to write (created)")
    b.add_argument("--notebook", help="the reader notebook (default: notebooks/aleppo.ipynb)")
    b.add_argument("--base-url", default="", help="the site's public address (link previews)")

    h = sub.add_parser(
        "handout", parents=[geo], help="the classroom lesson's printable questions and maps"
    )
    h.add_argument("out", metavar="OUT", help="folder to write (created)")
    h.add_argument("--notebook", help="the lesson (default: notebooks/classroom.ipynb)")

    e = sub.add_parser("events", parents=[geo], help="the dated event timeline")
    e.add_argument("--format", choices=("json", "csv"), default="json")
    e.add_argument("--start", default="1900-01-01", help="first date (inclusive)")
    e.add_argument("--end", default="2100-12-31", help="last date (inclusive)")
    return p


def _validate(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    folder = find_geo(args.path or args.geo)
    checked = check_folder(folder)
    for problem in checked.problems:
        print(problem, file=out)
    if checked.problems:
        print(f"{len(checked.problems)} problem(s) in {folder}", file=err)
        return 1
    print(f"ok: {len(checked.records)} layers valid in {folder}", file=out)
    return 0


def _read_table(path: str, fmt: str | None) -> pd.DataFrame:
    fmt = fmt or ("parquet" if path.lower().endswith((".parquet", ".pq")) else "csv")
    try:
        if fmt == "parquet":
            return pd.read_parquet(sys.stdin.buffer if path == "-" else path)
        # every cell as text, as written: nothing is reformatted on the way back out
        return pd.read_csv(
            sys.stdin if path == "-" else path,
            dtype=str,
            keep_default_na=False,
            encoding="utf-8-sig",
        )
    except OSError as e:
        raise _UsageError(f"cannot read {path}: {e.strerror or e}") from None
    except (ValueError, ImportError) as e:
        raise _UsageError(f"cannot read {path} as {fmt}: {e}") from None


def _where_table(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .batch import where_many

    path = args.input
    if args.workers or args.scheduler:
        return _where_dask(args, err)
    table = _read_table(path, args.input_format)
    missing = [c for c in ("date", "lat", "lon") if c not in table.columns]
    if missing:
        raise _UsageError(f"{path}: the header lacks {', '.join(missing)}")
    located = where_many(load(args.geo), table)
    failed = located[located["error"] != ""]
    for i, e in zip(failed.index, failed["error"], strict=True):
        # rows as a spreadsheet numbers them (the header is row 1)
        print(f"{path}: row {located.index.get_loc(i) + 2}: {e}", file=err)
    if args.output and args.output.lower().endswith((".parquet", ".pq")):
        located.to_parquet(args.output, index=False)
    else:
        _write_csv(located, args.output or out)
    if args.output:
        print(f"wrote {args.output}: {len(located)} rows, {len(failed)} with errors", file=err)
    return 1 if len(failed) else 0


def _write_csv(table: pd.DataFrame, dest: str | TextIO) -> None:
    """Write a located table as CSV. A table of text (a CSV read as text) goes through Arrow's
    writer, three times faster than pandas' on large tables; it quotes every text value, which
    every CSV reader reads back unchanged. Typed tables (from Parquet) keep pandas' formatting."""
    import pyarrow as pa
    import pyarrow.csv as pacsv

    text = all(pd.api.types.infer_dtype(table[c], skipna=False) == "string" for c in table)
    if not text:
        table.to_csv(dest, index=False, lineterminator="\n")
        return
    arrow = pa.Table.from_pandas(table, preserve_index=False)
    if isinstance(dest, str):
        pacsv.write_csv(arrow, dest)
    elif hasattr(dest, "buffer"):
        dest.flush()
        pacsv.write_csv(arrow, dest.buffer)
        dest.buffer.flush()
    else:
        sink = io.BytesIO()
        pacsv.write_csv(arrow, sink)
        dest.write(sink.getvalue().decode("utf-8"))


def _where_dask(args: argparse.Namespace, err: TextIO) -> int:
    if not args.output:
        raise _UsageError("--workers and --scheduler write to --output (a .csv or a folder)")
    from .batch import where_dask

    fmt = args.input_format or (
        "parquet" if args.input.lower().endswith((".parquet", ".pq")) else "csv"
    )
    try:
        failed = where_dask(
            args.input,
            args.output,
            geo=args.geo,
            input_format=fmt,
            workers=args.workers,
            scheduler=args.scheduler,
        )
    except ImportError as e:
        raise _UsageError(
            f"{e.name or 'dask'} is missing: pip install 'frontlines[scale]'"
        ) from None
    print(f"wrote {args.output}: {failed} rows with errors (see their error column)", file=err)
    return 1 if failed else 0


def _number(value: str | None, name: str) -> float:
    try:
        return float(value or "")
    except ValueError:
        raise ValueError(f"{name} {value!r} is not a number") from None


def _where(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    if args.input:
        return _where_table(args, out, err)
    if args.date is None or args.lat is None or args.lon is None:
        raise _UsageError("where needs --date, --lat and --lon, or --input FILE")
    try:
        res = load(args.geo).where(args.date, args.lat, args.lon)
    except ValueError as e:
        raise _UsageError(str(e)) from None
    print(json.dumps(res.to_dict(), ensure_ascii=False) if args.json else res.faction, file=out)
    return 0


def _summary(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    atlas = load(args.geo)
    try:
        data = atlas.summary(args.date)
    except ValueError as e:
        raise _UsageError(str(e)) from None
    if args.json:
        print(json.dumps(data, ensure_ascii=False), file=out)
        return 0
    print(f"Aleppo on {data['date']}", file=out)
    print("Area held inside the city (km2):", file=out)
    for fac, km2 in sorted(data["city_area_km2"].items(), key=lambda kv: -kv[1]):
        print(f"  {fac:<15} {km2:8.1f}", file=out)
    print("Supply routes:", file=out)
    for rid, status in data["routes"].items():
        print(f"  {rid:<22} {status}", file=out)
    print(f"East Aleppo besieged: {'yes' if data['besieged'] else 'no'}", file=out)
    return 0


def _places(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    places = load(args.geo).places()
    if args.format == "geojson":
        print(places.to_json(ensure_ascii=False), file=out)
    else:
        df = places.assign(
            aliases=[json.dumps(a, ensure_ascii=False) for a in places["aliases"]],
            lat=places.geometry.representative_point().y.round(5),
            lon=places.geometry.representative_point().x.round(5),
        ).drop(columns="geometry")
        df.to_csv(out, index=False, lineterminator="\n")
    return 0


def _event_dicts(atlas: Atlas, start: str, end: str) -> list[dict[str, Any]]:
    """Events as JSON-ready dicts, each source as an object of the bibliography."""
    ev = atlas.events_between(start, end)
    return [
        {
            "id": r["id"],
            "date": r["date"].date().isoformat(),
            "date_precision": r["date_precision"],
            "category": r["category"],
            "title": r["title"],
            "summary": r["summary"],
            "site_id": r["site_id"],
            "district_id": r["district_id"],
            "confidence": r["confidence"],
            "sources": [s.as_dict() for s in atlas.cite(r["sources"])],
        }
        for _, r in ev.iterrows()
    ]


def _events(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    try:
        rows = _event_dicts(load(args.geo), args.start, args.end)
    except ValueError as e:
        raise _UsageError(str(e)) from None
    if args.format == "json":
        print(json.dumps(rows, ensure_ascii=False, indent=1), file=out)
    else:
        fields = list(rows[0]) if rows else ["id", "date"]
        w = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "sources": " ".join(s["id"] for s in r["sources"])})
    return 0


def _export(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .export import csv_zip_on, geojson_on, gpkg_on

    try:
        when = as_date(args.date)
    except ValueError as e:
        raise _UsageError(str(e)) from None
    what = {"csv": "a zip of CSV files", "gpkg": "a GeoPackage", "png": "a picture"}
    if args.format in what and not args.out:
        raise _UsageError(f"--format {args.format} writes {what[args.format]}: give --out FILE")
    atlas = load(args.geo)
    if args.format == "csv":
        Path(args.out).write_bytes(csv_zip_on(atlas, when))
    elif args.format == "gpkg":
        gpkg_on(atlas, when, args.out)
    elif args.format == "png":
        from .picture import map_png

        map_png(atlas, when, args.out)
    else:
        text = geojson_on(atlas, when)
        if args.out:
            Path(args.out).write_text(text, encoding="utf-8")
        else:
            print(text, file=out)
    if args.out:
        print(f"wrote {args.out} ({args.format}, {when.date().isoformat()})", file=err)
    return 0


def _notebook(given: str | None, default: Path) -> Path:
    """The notebook a command reads: the one given, else its default; it must exist."""
    notebook = Path(given) if given else default
    if not notebook.is_file():
        raise _UsageError(f"no notebook at {notebook}")
    return notebook


def _build_site(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .site import SiteError, build_site
    from .views.explorer import READER_NOTEBOOK

    notebook = _notebook(args.notebook, READER_NOTEBOOK)
    try:
        site = build_site(
            args.out,
            load(args.geo),
            notebook=notebook,
            base_url=args.base_url,
            log=lambda step: print(f"building {step}", file=err),
        )
    except SiteError as e:
        raise _UsageError(str(e)) from None
    print(site.index, file=out)
    print(f"wrote {len(site.files)} files, {site.size / 1e6:.1f} MB", file=err)
    return 0


def _handout(args: argparse.Namespace, out: TextIO, err: TextIO) -> int:
    from .handout import CLASSROOM_NOTEBOOK, build_handout

    notebook = _notebook(args.notebook, CLASSROOM_NOTEBOOK)
    print(build_handout(args.out, load(args.geo), notebook), file=out)
    return 0


_COMMANDS = {
    "validate": _validate,
    "where": _where,
    "summary": _summary,
    "places": _places,
    "events": _events,
    "export": _export,
    "build-site": _build_site,
    "handout": _handout,
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    out, err = sys.stdout, sys.stderr
    args = _parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args, out, err)
    except LayerError as e:
        for problem in e.problems:
            print(problem, file=err)
        return 1
    except _UsageError as e:
        print(f"frontlines {args.command}: {e}", file=err)
        return 2
    except BrokenPipeError:  # e.g. piped into `head`
        return 0
    except Exception as e:  # never a traceback for readers: say what failed, briefly
        print(f"frontlines {args.command}: internal error: {type(e).__name__}: {e}", file=err)
        return 3


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
