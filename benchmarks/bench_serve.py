"""Benchmark `sitroom serve`: API latency of the list endpoints and the page's first render.

    python benchmarks/bench_serve.py                         # 100,000 articles (builds the store)
    python benchmarks/bench_serve.py --articles 2000 --requests 50   # a quick run
    python benchmarks/bench_serve.py --db /tmp/bench-100k.db --no-browser
    python benchmarks/bench_serve.py --db /tmp/bench-100k.db --runs 3 --page "/?since=2023-11-05"

The store is built once from `benchmarks/corpus.py` (seeded) and reused when it already holds
the articles. The server runs in its own process on 127.0.0.1 (an ephemeral port), so the
client's work does not share its interpreter. Each endpoint is asked `--requests` times,
one request at a time, after one cold request that is reported on its own; the deepest pages
the API allows (offset 10,000) are timed too. The server keeps no finished answers unless
`--cache` is given, so every request is the query's whole work. The page (`--page`, filters
included) is loaded `--loads` times in fresh headless Chromium contexts and timed from
navigation start to its first render (the map with its markers, the first page of incidents
and the timeline drawn: `body[data-first-render-at]`) and to every panel drawn, figure series
included (`body[data-ready-at]`). `--runs` repeats all of it and prints the medians over the
runs.
Bars (issue 9): p95 <= 100 ms for the list endpoints, first render <= 1 s; the numbers are
printed beside them and the exit status does not depend on them (a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate_corpus

#: The list endpoints the 100 ms bar is for, each with filters a user would set.
LIST_QUERIES = (
    "/api/articles?limit=50",
    "/api/articles?limit=50&since=2021-01-01&until=2021-03-31",
    "/api/articles?limit=50&offset=1000",
    "/api/events?limit=50",
    "/api/events?limit=50&type=Battles",
    "/api/events?limit=50&type=Air/drone%20strike&since=2022-01-01",
    "/api/events?limit=50&since=2020-06-01&until=2020-06-30",
    "/api/figures?limit=50",
    "/api/figures?limit=50&measure=displaced",
    "/api/figures?limit=50&measure=killed&since=2021-01-01&until=2021-06-30",
    "/api/places?limit=50",
    "/api/times?limit=50&since=2022-01-01",
    "/api/incidents?limit=50",
    "/api/incidents?limit=50&type=Battles",
    "/api/incidents?limit=50&since=2020-06-01&until=2020-06-30",
    "/api/incidents?limit=50&bbox=35,35,38,37",
)
#: The deepest pages a client may ask for (the API's `offset` limit): held to the same bar.
DEEP_QUERIES = (
    "/api/articles?limit=50&offset=10000",
    "/api/events?limit=50&offset=10000",
    "/api/figures?limit=50&offset=10000",
    "/api/places?limit=50&offset=10000",
    "/api/incidents?limit=50&offset=10000",
)
#: The bars of issue 9, in milliseconds.
LIST_BAR_MS = 100.0
FIRST_RENDER_BAR_MS = 1000.0
#: Whole-store views the page draws; reported, not held to the list bar.
VIEW_QUERIES = (
    "/api/meta",
    "/api/map?since=2020-06-01&until=2020-06-30",
    "/api/timeline?since=2020-06-01&until=2020-06-30",
    "/api/series?since=2020-06-01&until=2020-06-30",
    "/api/report?since=2020-06-01&until=2020-06-30",
)
CHROMIUM = ("chromium", "chromium-browser", "google-chrome")


def build_store(db: Path, articles: int) -> float:
    """Ingest `articles` generated articles into `db` unless it holds them; seconds taken."""
    import sitroom
    from sitroom.engine import ingest

    if db.exists():
        with sitroom.open_store(db) as store:
            if store.counts().articles >= articles:
                return 0.0
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        with corpus.open("w", encoding="utf-8") as out:
            for record in generate_corpus(articles):
                out.write(json.dumps(record, ensure_ascii=False) + "\n")
        with sitroom.open_store(db) as store:
            ingest([corpus], store=store, batch_size=500)
    return time.perf_counter() - started


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def start_server(db: Path, *, cache: bool = False) -> tuple[subprocess.Popen[bytes], str]:
    """`sitroom serve` on 127.0.0.1 in a child process; the process and its base URL.

    Without `cache` the server keeps no finished answers, so that asking a path again times
    the query each time, as a user's first look at a new filter costs, not a kept answer."""
    port = _free_port()
    code = (
        "import uvicorn, sys; from sitroom.web.app import create_app; "
        "app = create_app(sys.argv[1], cache_bytes=int(sys.argv[3])); "
        "uvicorn.run(app, host='127.0.0.1', port=int(sys.argv[2]), log_level='warning')"
    )
    cache_bytes = "33554432" if cache else "0"
    server = subprocess.Popen([sys.executable, "-c", code, str(db), str(port), cache_bytes])
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{base}/api/meta", timeout=5).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("the server did not start within 60 s")


def _get_ms(url: str) -> float:
    started = time.perf_counter()
    with urllib.request.urlopen(url, timeout=60) as response:
        response.read()
    return (time.perf_counter() - started) * 1000


def time_queries(base: str, paths: tuple[str, ...], requests: int) -> dict[str, dict[str, float]]:
    """Cold (first request), p50, p95 and max milliseconds of each path, asked in turn."""
    results = {}
    for path in paths:
        cold = _get_ms(base + path)
        results[path] = {"cold": cold, **_summary([_get_ms(base + path) for _ in range(requests)])}
    return results


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def time_page(base: str, loads: int, path: str = "/") -> dict[str, dict[str, float]] | None:
    """Milliseconds from navigation to the first render and to every panel, over `loads` loads."""
    browser_path = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    if browser_path is None:
        print("no chromium on PATH: page render not measured", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    marks: dict[str, list[float]] = {"first_render": [], "all_panels": []}
    # A page without the first-render mark (before issue 9's fix) drew everything at once.
    read = (
        "() => { const d = document.body.dataset; "
        "return [d.firstRenderAt || d.readyAt, d.readyAt].map(Number); }"
    )
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(base + path)
            page.wait_for_selector("body[data-ready=true]", timeout=60_000)
            first, ready = page.evaluate(read)
            marks["first_render"].append(float(first))
            marks["all_panels"].append(float(ready))
            context.close()
        browser.close()
    return {name: _summary(times) for name, times in marks.items()}


def _page_or_none(base: str, loads: int, path: str) -> dict[str, dict[str, float]] | None:
    # A page that never gets ready is a result to print, not a reason to stop the benchmark.
    try:
        return time_page(base, loads, path)
    except Exception as exc:
        print(f"the page did not render: {exc}", file=sys.stderr)
        return None


def _median_of_runs(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """Each number the median of its value over the runs (the first run when there is one)."""
    first = runs[0]
    if len(runs) == 1:
        return first

    def merge(values: list[Any]) -> Any:
        if isinstance(values[0], dict):
            return {key: merge([v[key] for v in values]) for key in values[0]}
        if values[0] is None:
            return None
        return statistics.median(values)

    return {key: merge([run[key] for run in runs]) for key in first}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="store to build or reuse (default: a temp file)")
    parser.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--loads", type=int, default=5, help="page loads in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the page render")
    parser.add_argument(
        "--page", default="/", help="the page address to load, filters included (default: /)"
    )
    parser.add_argument("--runs", type=int, default=1, help="repeat everything; print medians")
    parser.add_argument(
        "--cache", action="store_true", help="let the server keep finished answers, as serve does"
    )
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    built = build_store(db, args.articles)
    load_before = os.getloadavg()
    runs = []
    for _ in range(max(1, args.runs)):
        server, base = start_server(db, cache=args.cache)
        try:
            runs.append(
                {
                    "lists": time_queries(base, LIST_QUERIES, args.requests),
                    "deep": time_queries(base, DEEP_QUERIES, max(5, args.requests // 5)),
                    "views": time_queries(base, VIEW_QUERIES, max(5, args.requests // 10)),
                    "page": None if args.no_browser else _page_or_none(base, args.loads, args.page),
                }
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
    tmp.cleanup()
    result: dict[str, Any] = {
        "articles": args.articles,
        "build_seconds": round(built, 1),
        "runs": len(runs),
        "page_path": args.page,
        "load_average": {"before": load_before, "after": os.getloadavg()},
        **_median_of_runs(runs),
    }
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")


def _verdict(value: float, bar: float) -> str:
    return "ok" if value <= bar else "OVER"


def _print(result: dict[str, Any]) -> None:
    print(f"store: {result['articles']:,} articles (built in {result['build_seconds']} s)")
    before, after = (
        ", ".join(f"{x:.2f}" for x in result["load_average"][k]) for k in ("before", "after")
    )
    print(f"load average (1, 5, 15 min): {before} before, {after} after; 2 cores shared")
    runs = result["runs"]
    if runs > 1:
        print(f"every number is the median over {runs} runs")
    header = f"{'cold ms':>9} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}"
    print(f"lists (bar: p95 <= {LIST_BAR_MS:.0f} ms):{'':<36}{header}")
    for path, t in result["lists"].items():
        print(f"  {_row(path, t)}  {_verdict(t['p95'], LIST_BAR_MS)}")
    print(f"deep pages (bar: p95 <= {LIST_BAR_MS:.0f} ms):{'':<31}{header}")
    for path, t in result["deep"].items():
        print(f"  {_row(path, t)}  {_verdict(t['p95'], LIST_BAR_MS)}")
    print(f"views (no bar; the page asks for them):{'':<28}{header}")
    for path, t in result["views"].items():
        print(f"  {_row(path, t)}")
    for group, label in (("lists", "list"), ("deep", "deep page")):
        worst = max(t["p95"] for t in result[group].values())
        verdict = _verdict(worst, LIST_BAR_MS)
        print(f"worst {label} p95: {worst:.1f} ms (bar: {LIST_BAR_MS:.0f} ms) {verdict}")
    page = result["page"]
    if page:
        first, every = page["first_render"], page["all_panels"]
        print(
            f"page first render: median {first['p50']:.0f} ms, max {first['max']:.0f} ms "
            f"(bar: {FIRST_RENDER_BAR_MS:.0f} ms) {_verdict(first['p50'], FIRST_RENDER_BAR_MS)}"
        )
        print(f"page, every panel drawn: median {every['p50']:.0f} ms, max {every['max']:.0f} ms")
        print(f"page loaded: {result['page_path']}")


def _row(path: str, t: dict[str, float]) -> str:
    return f"{path:<64}{t['cold']:9.1f} {t['p50']:8.1f} {t['p95']:8.1f} {t['max']:8.1f}"


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
