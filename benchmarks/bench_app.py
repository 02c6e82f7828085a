"""Measure the reader app in Chromium against a bare Voila "hello" notebook, in one run.

    .venv/bin/python benchmarks/bench_app.py [--runs 7] [--steps 40]

Prints, for the same Voila settings (the repository's voila.json):
- first paint: median seconds from navigation to the hello page's text / to the first
  visible polygon of the app's map, and their ratio (target: app <= 1.3 x hello);
- date step: a key press on the panel's slider until the map and the summary show the new date
  (median and p95; target <= 100 ms and <= 200 ms), with the map's zoom checked unchanged;
  timed twice: in the page (from the keydown event until both show the new date and the
  next frame is painted) and from the driver (Playwright's own round trips included);
- map HTML per view (bytes; target <= 300 kB) and kernel memory per visitor (RSS of the
  kernel process; target <= 160 MB).
Timings are printed, never asserted: this is a measurement, not a test.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from tests.browser.voila_support import CHROMIUM, CHROMIUM_ARGS, free_port, start_voila  # noqa: E402

#: In-page timer: from a keydown until the map (its data-date) and the summary show a new
#: date, then one more frame. ``window.__step`` holds the last duration in ms.
STEP_TIMER = """() => {
  const map = document.querySelector('.fl-inline-map .leaflet-container');
  const summary = () => document.querySelector('.fl-summary');
  let t0 = null, before = null, seen = null;
  document.addEventListener('keydown', () => {
    t0 = performance.now(); before = map.dataset.date; seen = summary().textContent;
    window.__step = null;
  }, true);
  new MutationObserver(() => {
    if (t0 === null || map.dataset.date === before) return;
    const s = summary();
    if (!s || s.textContent === seen) return;
    const start = t0; t0 = null;
    const done = () => { window.__step = performance.now() - start; };
    requestAnimationFrame(() => setTimeout(done, 0));
  }).observe(document.body, {subtree: true, childList: true, characterData: true,
                             attributes: true, attributeFilter: ['data-date']});
}"""

#: A district of the explorer map, drawn inline in the reader's page.
MAP_PATH = ".fl-inline-map path.leaflet-interactive"


def p95(xs: list[float]) -> float:
    xs = sorted(xs)
    return xs[min(len(xs) - 1, int(round(0.95 * (len(xs) - 1))))]


def first_paint(browser, url: str, ready: str | None, selector: str | None) -> float:
    """Seconds from navigation until ``ready`` text or a ``selector`` element is visible."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 900})
    page = ctx.new_page()
    t0 = time.perf_counter()
    page.goto(url)
    if selector:
        page.locator(selector).first.wait_for(timeout=120_000)
    else:
        page.get_by_text(ready).first.wait_for(timeout=120_000)
    dt = time.perf_counter() - t0
    ctx.close()
    return dt


def kernel_rss_mb(voila_pid: int) -> list[float]:
    out = subprocess.run(
        ["ps", "-o", "pid=,ppid=,rss=,args=", "-e"], capture_output=True, text=True
    ).stdout
    rows = [line.split(None, 3) for line in out.splitlines()]
    kids = [r for r in rows if r[1] == str(voila_pid) and "ipykernel" in r[3]]
    return [int(r[2]) / 1024 for r in kids]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--steps", type=int, default=40)
    ap.add_argument(
        "--pause",
        type=float,
        default=8.0,
        help="seconds between visits (a preheated pool refills meanwhile)",
    )
    args = ap.parse_args()
    from playwright.sync_api import sync_playwright

    os.environ.setdefault("JUPYTER_PATH", str(REPO / "share" / "jupyter"))
    (REPO / "test-artifacts").mkdir(exist_ok=True)
    ports = {"hello": free_port(), "app": free_port()}
    procs = {
        "hello": start_voila("benchmarks/hello.ipynb", ports["hello"]),
        "app": start_voila("notebooks/aleppo.ipynb", ports["app"]),
    }
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            url = {k: f"http://127.0.0.1:{v}/" for k, v in ports.items()}
            time.sleep(args.pause)
            first_paint(browser, url["hello"], "hello", None)  # warm both servers once
            first_paint(browser, url["app"], None, MAP_PATH)
            hello, app = [], []
            for _ in range(args.runs):  # interleave, so load affects both alike
                time.sleep(args.pause)  # let preheated kernel pools refill, for both alike
                hello.append(first_paint(browser, url["hello"], "hello", None))
                time.sleep(args.pause)
                app.append(first_paint(browser, url["app"], None, MAP_PATH))
            mh, ma = statistics.median(hello), statistics.median(app)
            print(
                f"first paint, {args.runs} runs: hello median {mh:.2f} s, "
                f"app median {ma:.2f} s, ratio {ma / mh:.2f} (target <= 1.3)"
            )

            ctx = browser.new_context(viewport={"width": 1280, "height": 900})
            page = ctx.new_page()
            page.goto(url["app"] + "?date=2016-06-01")
            page.locator(MAP_PATH).first.wait_for(timeout=120_000)
            served = page.request.get(url["app"]).text()  # the page as sent, scripts not run
            start = served.index('<div class="fl-inline-map"')
            fragment = served[start : served.index("</script></div>", start)]
            page.locator(".fl-inline-map .leaflet-control-zoom-in").click()
            page.wait_for_timeout(800)
            zoom = page.evaluate("window.frontlinesTimemap.zoom()")
            handle = page.locator(".fl-slider")  # the reader panel's date slider
            page.evaluate(STEP_TIMER)
            steps, in_page = [], []
            day = page.evaluate("window.frontlinesTimemap.date()")
            for _ in range(args.steps):
                handle.focus()
                t0 = time.perf_counter()
                page.keyboard.press("ArrowRight")
                page.wait_for_function(
                    "d => window.frontlinesTimemap.date() !== d",
                    arg=day,
                    timeout=10_000,
                    polling="raf",
                )
                day = page.evaluate("window.frontlinesTimemap.date()")
                page.wait_for_function(
                    "d => document.querySelector('.fl-summary').textContent ==="
                    " window.frontlinesTimemap.sentence(Math.round((Date.parse(d) -"
                    " Date.UTC(2016, 0, 1)) / 864e5)) &&"
                    " document.querySelector('.fl-inline-map .leaflet-container')"
                    ".dataset.date === d",
                    arg=day,
                    timeout=10_000,
                    polling="raf",
                )
                steps.append((time.perf_counter() - t0) * 1000)
                page.wait_for_function("window.__step > 0", timeout=10_000)
                in_page.append(page.evaluate("window.__step"))
            kept = page.evaluate("window.frontlinesTimemap.zoom()") == zoom
            print(
                f"date step, {args.steps} steps, in the page: median "
                f"{statistics.median(in_page):.0f} ms, p95 {p95(in_page):.0f} ms"
                " (targets 100 / 200);"
                f" from the driver: median {statistics.median(steps):.0f} ms, "
                f"p95 {p95(steps):.0f} ms; zoom kept: {kept}"
            )
            print(
                f"map HTML per view: {len(fragment.encode()) / 1000:.0f} kB (target <= 300);"
                f" whole page {len(served.encode()) / 1000:.0f} kB"
            )
            rss = kernel_rss_mb(procs["app"].pid)
            print(
                f"kernel RSS per visitor: {', '.join(f'{r:.0f}' for r in rss)} MB (target <= 160)"
            )
            ctx.close()
            browser.close()
    finally:
        for proc in procs.values():
            proc.terminate()
            proc.wait(timeout=20)


if __name__ == "__main__":
    main()
