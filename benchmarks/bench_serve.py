"""Benchmark `sitroom serve`: API latency of the list endpoints and the page's first render.

    python benchmarks/bench_serve.py                         # 100,000 articles (builds the store)
    python benchmarks/bench_serve.py --articles 2000 --requests 50   # a quick run
    python benchmarks/bench_serve.py --db /tmp/bench-100k.db --no-browser

The store is built once from `benchmarks/corpus.py` (seeded) and reused when it already holds
the articles. The server runs in its own process on 127.0.0.1 (an ephemeral port), so the
client's work does not share its interpreter. Each endpoint is asked `--requests` times,
one request at a time; the page is loaded `--loads` times in fresh headless Chromium
contexts, timed from navigation start until every panel has drawn (`body[data-ready]`).
Bars (issue 9): p95 <= 100 ms for the list endpoints, first render <= 1 s.
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


def start_server(db: Path) -> tuple[subprocess.Popen[bytes], str]:
    """`sitroom serve` on 127.0.0.1 in a child process; the process and its base URL."""
    port = _free_port()
    code = (
        "import uvicorn, sys; from sitroom.web.app import create_app; "
        "uvicorn.run(create_app(sys.argv[1]), host='127.0.0.1', port=int(sys.argv[2]), "
        "log_level='warning')"
    )
    server = subprocess.Popen([sys.executable, "-c", code, str(db), str(port)])
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


def time_queries(base: str, paths: tuple[str, ...], requests: int) -> dict[str, dict[str, float]]:
    """p50, p95 and max milliseconds of each path, asked `requests` times in turn."""
    results = {}
    for path in paths:
        urllib.request.urlopen(base + path, timeout=60).read()  # warm: first use of the path
        times = []
        for _ in range(requests):
            started = time.perf_counter()
            with urllib.request.urlopen(base + path, timeout=60) as response:
                response.read()
            times.append((time.perf_counter() - started) * 1000)
        results[path] = _summary(times)
    return results


def _summary(times: list[float]) -> dict[str, float]:
    ordered = sorted(times)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {"p50": statistics.median(ordered), "p95": p95, "max": ordered[-1]}


def time_page(base: str, loads: int) -> dict[str, float] | None:
    """Milliseconds from navigation to the page's last panel drawn, over `loads` loads."""
    browser_path = next((p for p in map(shutil.which, CHROMIUM) if p), None)
    if browser_path is None:
        print("no chromium on PATH: page render not measured", file=sys.stderr)
        return None
    from playwright.sync_api import sync_playwright

    times = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=browser_path, args=["--no-sandbox"])
        for _ in range(loads):
            context = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = context.new_page()
            page.goto(base + "/")
            page.wait_for_selector("body[data-ready=true]", timeout=30_000)
            times.append(float(page.evaluate("() => Number(document.body.dataset.readyAt)")))
            context.close()
        browser.close()
    return _summary(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--db", type=Path, help="store to build or reuse (default: a temp file)")
    parser.add_argument("--requests", type=int, default=100, help="requests per endpoint")
    parser.add_argument("--loads", type=int, default=5, help="page loads in the browser")
    parser.add_argument("--no-browser", action="store_true", help="skip the page render")
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    tmp = tempfile.TemporaryDirectory()
    db = args.db or Path(tmp.name) / "bench.db"
    built = build_store(db, args.articles)
    server, base = start_server(db)
    try:
        result: dict[str, Any] = {
            "articles": args.articles,
            "build_seconds": round(built, 1),
            "lists": time_queries(base, LIST_QUERIES, args.requests),
            "views": time_queries(base, VIEW_QUERIES, max(5, args.requests // 10)),
            "page": None if args.no_browser else time_page(base, args.loads),
        }
    finally:
        server.terminate()
        server.wait(timeout=30)
        tmp.cleanup()
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2) + "\n", "utf-8")


def _print(result: dict[str, Any]) -> None:
    print(f"store: {result['articles']:,} articles (built in {result['build_seconds']} s)")
    for group in ("lists", "views"):
        print(f"{group}:{'p50 ms':>58} {'p95 ms':>8} {'max ms':>8}")
        for path, t in result[group].items():
            print(f"  {path:<62}{t['p50']:8.1f} {t['p95']:8.1f} {t['max']:8.1f}")
    worst = max(t["p95"] for t in result["lists"].values())
    print(f"worst list p95: {worst:.1f} ms (bar: 100 ms)")
    page = result["page"]
    if page:
        print(
            f"page first render: median {page['p50']:.0f} ms, max {page['max']:.0f} ms (bar: 1000)"
        )


if __name__ == "__main__":
    os.environ.setdefault("PYTHONUNBUFFERED", "1")
    main()
