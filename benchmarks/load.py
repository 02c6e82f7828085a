"""Readers arriving together: the static site and Voila (production settings) under load.

    .venv/bin/python benchmarks/load.py [--readers 1 10 20] [--cull-wait 75]

For N readers arriving at once (N browser contexts of one headless Debian Chromium, all
navigating together), against, in the same run:
- **bare**: a bare Leaflet page showing only the district cells (the floor: what N headless
  browsers on this machine take to draw a map at all), served by ``python -m http.server``;
- **static**: the static site (``frontlines build-site``), served by ``python -m http.server``;
- **voila**: ``python -m frontlines.serve`` (``make app``: the crowd gate, voila.json's cap,
  pool and culling) with the static site beside it.

It reports per reader the time to the first map and to working controls (the panel's API
answers and the slider is on the page): p50, p95 and max. The first map is timed in the page:
the animation frame that paints the first district drawn, on the system clock, from the moment
the reader's browser was told to open the page (Playwright's own wait for a selector polls
every 500 ms once a wait has lasted a second, so under a crowd it would round every time up by
up to half a second, and later for a page that keeps its thread busy); failures (no map
within the time limit, a page error); peak server memory (RSS of the server and its kernels);
for the static site one reader's date step (median, p95), bytes transferred and requests
beyond 127.0.0.1; for Voila how many readers got a live page and how many kernels are left
once the idle ones are culled. Figures are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.browser.voila_support import (  # noqa: E402
    ARTIFACTS,
    CHROMIUM,
    CHROMIUM_ARGS,
    free_port,
    start_static,
    start_voila,
)

MAP = ".fl-inline-map path.leaflet-interactive, #bare path.leaflet-interactive"
#: Notes (as window.__flFirstMap, ms since the epoch) the frame that paints the first district.
FIRST_MAP = (
    "(() => {\n  const sel = " + json.dumps(MAP) + ";\n"
    """  new MutationObserver((records, watch) => {
    if (!document.querySelector(sel)) return;
    watch.disconnect();
    requestAnimationFrame(() => {
      window.__flFirstMap = performance.timeOrigin + performance.now();
    });
  }).observe(document, {subtree: true, childList: true});
})();"""
)
LIMIT_S = 180


def pct(xs: list[float], q: float) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(q * (len(xs) - 1))))] if xs else float("nan")


def bare_page(folder: Path) -> None:
    """A Leaflet page with the district cells only, as drawn by the explorer (the floor)."""
    import frontlines
    from frontlines.display import display_cells

    cells = display_cells(frontlines.load().layers)
    geo = json.loads(cells.set_precision(1e-5).to_json())
    (folder / "bare.html").write_text(
        "<!DOCTYPE html><html><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        "<link rel='icon' href='data:,'>"
        "<link rel='stylesheet' href='static/leaflet/leaflet.css'>"
        "<script src='static/leaflet/leaflet.js'></script></head><body>"
        "<div id='bare' style='height:80vh'></div><script>"
        "var m = L.map('bare'); var g = L.geoJSON(" + json.dumps(geo) + ").addTo(m);"
        "m.fitBounds(g.getBounds());</script></body></html>",
        encoding="utf-8",
    )


class Memory(threading.Thread):
    """Samples the RSS of a process and all its descendants; keeps the peak (bytes)."""

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True

    def run(self) -> None:
        while self.running:
            try:
                root = psutil.Process(self.pid)
                procs = [root, *root.children(recursive=True)]
                rss = 0
                for p in procs:
                    with contextlib.suppress(psutil.Error):
                        rss += p.memory_info().rss
                self.peak = max(self.peak, rss)
            except psutil.Error:
                pass
            time.sleep(0.2)


async def one_reader(browser, url: str, i: int) -> dict:
    ctx = await browser.new_context(viewport={"width": 1280, "height": 800})
    page = await ctx.new_page()
    errors: list[str] = []
    outside: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.on(
        "request",
        lambda r: (
            outside.append(r.url)
            if not r.url.startswith(("http://127.0.0.1", "data:", "about:"))
            else None
        ),
    )
    out: dict = {"reader": i, "errors": errors, "outside": outside}
    await page.add_init_script(FIRST_MAP)
    t0, epoch0 = time.perf_counter(), time.time()
    try:
        await page.goto(url, wait_until="commit", timeout=LIMIT_S * 1000)
        await page.wait_for_selector(MAP, state="attached", timeout=LIMIT_S * 1000)
        drawn = await page.wait_for_function(
            "() => window.__flFirstMap", polling="raf", timeout=LIMIT_S * 1000
        )
        out["map_s"] = await drawn.json_value() / 1000 - epoch0
        out["map_seen_s"] = time.perf_counter() - t0  # when Playwright saw it (for reference)
        if "bare" not in url:
            await page.wait_for_function(
                "() => window.frontlinesTimemap && window.frontlinesTimemap.date()"
                " && document.querySelector('.fl-slider')",
                timeout=LIMIT_S * 1000,
            )
        out["controls_s"] = time.perf_counter() - t0
        out["final_url"] = page.url
    except Exception as e:  # a reader who never got a map: a failure
        out["failure"] = f"{type(e).__name__}: {str(e).splitlines()[0][:120]}"
    out["page"], out["context"] = page, ctx
    return out


async def crowd(url: str, n: int) -> list[dict]:
    from playwright.async_api import async_playwright

    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        readers = await asyncio.gather(*(one_reader(browser, url, i) for i in range(n)))
        extra = {}
        if n == 1 and "bare" not in url and not readers[0].get("failure"):
            extra = await measure_page(readers[0]["page"])
        for r in readers:
            await r.pop("context").close()
            r.pop("page")
        await browser.close()
    if extra:
        readers[0].update(extra)
    return readers


async def measure_page(page) -> dict:
    """One reader's date steps (in the page) and the bytes the page transferred."""
    steps = await page.evaluate(
        """async () => {
      const api = window.frontlinesTimemap, out = [];
      const start = 150;
      for (let i = 0; i < 60; i++) {
        const t0 = performance.now();
        api.go(start + i, 'bench');
        await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
        out.push(performance.now() - t0);
      }
      return out;
    }"""
    )
    sizes = await page.evaluate(
        """() => performance.getEntriesByType('navigation').concat(
             performance.getEntriesByType('resource')).map(e => e.transferSize || 0)"""
    )
    return {"step_ms": steps, "bytes": sum(sizes)}


def report(name: str, n: int, readers: list[dict], peak: int, note: str = "") -> dict:
    ok = [r for r in readers if "map_s" in r and "controls_s" in r]
    failures = [r for r in readers if r.get("failure") or r["errors"]]
    maps = [r["map_s"] for r in ok]
    ctrl = [r["controls_s"] for r in ok]
    row = {
        "target": name,
        "readers": n,
        "map_p50": statistics.median(maps) if maps else None,
        "map_p95": pct(maps, 0.95),
        "map_max": max(maps, default=None),
        "controls_p50": statistics.median(ctrl) if ctrl else None,
        "controls_p95": pct(ctrl, 0.95),
        "controls_max": max(ctrl, default=None),
        "failures": len(failures),
        "peak_server_mb": round(peak / 1e6),
        "outside_requests": sum(len(r["outside"]) for r in readers),
    }
    print(
        f"{name:7} N={n:<3} map p50 {row['map_p50'] or 0:6.2f} s  p95 {row['map_p95']:6.2f} s"
        f"  max {row['map_max'] or 0:6.2f} s | controls p50 {row['controls_p50'] or 0:6.2f} s"
        f"  p95 {row['controls_p95']:6.2f} s | failures {row['failures']}"
        f" | peak server {row['peak_server_mb']} MB | outside requests"
        f" {row['outside_requests']} {note}",
        flush=True,
    )
    for r in failures[:3]:
        print("   failure:", r.get("failure") or r["errors"][:2], flush=True)
    if "step_ms" in readers[0]:
        st = readers[0]["step_ms"]
        row["step_p50_ms"], row["step_p95_ms"] = statistics.median(st), pct(st, 0.95)
        row["bytes"] = readers[0]["bytes"]
        print(
            f"        one reader: date step p50 {row['step_p50_ms']:.1f} ms"
            f"  p95 {row['step_p95_ms']:.1f} ms | transferred {row['bytes'] / 1e6:.2f} MB",
            flush=True,
        )
    return row


def status(base: str) -> dict:
    with urllib.request.urlopen(base + "frontlines/status", timeout=10) as r:
        return json.loads(r.read())


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--readers", type=int, nargs="+", default=[1, 10, 20])
    ap.add_argument("--cull-wait", type=float, default=75, help="seconds to wait for culling")
    ap.add_argument("--json", metavar="FILE", help="also write the rows as JSON")
    ap.add_argument("--no-voila", action="store_true", help="only the bare page and the site")
    ap.add_argument(
        "--repeat", type=int, default=3, help="runs of the bare page and the site per N"
    )
    args = ap.parse_args()
    ARTIFACTS.mkdir(exist_ok=True)
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp) / "site"
        subprocess.run(
            [sys.executable, "-m", "frontlines", "build-site", str(site)],
            check=True,
            capture_output=True,
        )
        bare_page(site)
        port = free_port()
        static = start_static(site, port)
        base = f"http://127.0.0.1:{port}/"
        try:
            for n in args.readers:
                for rep in range(args.repeat):  # bare and static alternate: same conditions
                    for name, url in (("bare", base + "bare.html"), ("static", base)):
                        mem = Memory(static.pid)
                        mem.start()
                        readers = asyncio.run(crowd(url, n))
                        mem.running = False
                        rows.append(report(name, n, readers, mem.peak) | {"rep": rep})
        finally:
            static.terminate()
            static.wait(timeout=20)

        if args.no_voila:
            return finish(rows, args)
        vport = free_port()
        voila = start_voila(
            "notebooks/aleppo.ipynb", vport, f"--CrowdGate.site_dir={site}", gated=True
        )
        vbase = f"http://127.0.0.1:{vport}/"
        try:
            for n in args.readers:
                deadline = time.time() + 120  # each run starts with the pool ready
                while time.time() < deadline and status(vbase)["ready"] < 1:
                    time.sleep(0.5)
                before = status(vbase)
                mem = Memory(voila.pid)
                mem.start()
                readers = asyncio.run(crowd(vbase, n))
                mem.running = False
                after = status(vbase)
                live = sum(1 for r in readers if "/site/" not in r.get("final_url", "/site/"))
                note = f"| live pages {live}, static {n - live}; kernels {after['kernels']}"
                row = report("voila", n, readers, mem.peak, note)
                row |= {"live": live, "kernels_after": after["kernels"], "before": before}
                rows.append(row)
            time.sleep(args.cull_wait)
            left = status(vbase)
            print(
                f"voila   kernels left {args.cull_wait:.0f} s after the readers left:"
                f" {left['kernels']} (the pool: {left['ready']} ready)",
                flush=True,
            )
            rows.append({"target": "voila", "kernels_left_after_cull": left["kernels"]})
        finally:
            voila.terminate()
            voila.wait(timeout=30)
    finish(rows, args)


def finish(rows: list[dict], args: argparse.Namespace) -> None:
    # the site's p95 over the bare page's, run by run (each pair ran back to back)
    floor = {(r["readers"], r["rep"]): r["map_p95"] for r in rows if r.get("target") == "bare"}
    ratios: dict[int, list[float]] = {}
    for r in rows:
        key = (r.get("readers"), r.get("rep"))
        if r.get("target") == "static" and floor.get(key):
            ratios.setdefault(key[0], []).append(r["map_p95"] / floor[key])
    for n, xs in ratios.items():
        print(
            f"static  N={n:<3} map p95 / bare page's, median of {len(xs)} runs:"
            f" {statistics.median(xs):.2f} (runs: {', '.join(f'{x:.2f}' for x in xs)};"
            " target <= 1.5)"
        )
    if args.json:
        Path(args.json).write_text(json.dumps(rows, indent=1, default=str), encoding="utf-8")


if __name__ == "__main__":
    os.chdir(REPO)
    main()
