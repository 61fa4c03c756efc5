"""The record at size: what adding an article costs for duplicates and incidents, and how fast
incidents list, as a SQLite store grows.

    python benchmarks/bench_record.py [--articles 20000] [--checkpoints 4] [--batch 100]
                                      [--duplicate-rate 0.2] [--db PATH] [--json out.json]

Generated articles (`corpus.iter_corpus`, a share of them republished copies) are extracted
with the real pipeline and added batch by batch to a SQLite file, as `sitroom ingest` does; the
store links duplicates and files incidents inside each `add`. The two record steps are timed by
wrapping them, so each add splits into: storing the article and its facts, linking duplicates
(fingerprint, band-key lookups, comparisons, links) and filing incidents (candidate lookups by
family, country and date, the rule, writes). Per checkpoint (the store's size) it reports the
per-article cost over the batches since the previous checkpoint, and the median latency of
incident listings a web page would ask for. Extraction is timed too, but is not part of an add.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import pickle
import resource
import statistics
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import iter_corpus
from sitroom.extract import run
from sitroom.model import Article, Extraction
from sitroom.sources import article_from_record
from sitroom.store import BBox, Store, open_store
from sitroom.store import writes as store_writes

#: Listing runs per query at each checkpoint; the median is reported.
LISTING_RUNS = 15
PAGE = 50


@dataclass
class _Timer:
    """Seconds spent in a wrapped function since the last reset."""

    seconds: float = 0.0
    calls: int = 0

    def wrap(self, func: Callable[..., Any]) -> Callable[..., Any]:
        def timed(*args: Any, **kwargs: Any) -> Any:
            started = time.perf_counter()
            try:
                return func(*args, **kwargs)
            finally:
                self.seconds += time.perf_counter() - started
                self.calls += 1

        return timed


@dataclass
class _Window:
    """Totals over the batches between two checkpoints."""

    articles: int = 0
    events: int = 0
    add: float = 0.0
    extract: float = 0.0
    batches: list[float] = field(default_factory=list)


def _extractions(
    count: int, *, duplicate_rate: float, seed: int, cache: Path | None
) -> Iterator[tuple[Extraction, float]]:
    """Each article extracted, with the seconds that took; from `cache` when it holds them."""
    if cache is not None and cache.exists():
        with cache.open("rb") as fh:
            stored: list[tuple[Extraction, float]] = pickle.load(fh)
        if len(stored) >= count:
            yield from stored[:count]
            return
    made = []
    for article in _articles(count, duplicate_rate=duplicate_rate, seed=seed):
        started = time.perf_counter()
        extraction = run(article)
        spent = time.perf_counter() - started
        if cache is not None:  # held only to be written: peak RSS is the store's otherwise
            made.append((extraction, spent))
        yield extraction, spent
    if cache is not None:
        with cache.open("wb") as fh:
            pickle.dump(made, fh)


def _articles(count: int, *, duplicate_rate: float, seed: int) -> Iterator[Article]:
    for record in iter_corpus(count, seed=seed, duplicate_rate=duplicate_rate):
        article = article_from_record(record, where="corpus")
        source = record.get("source")
        yield Article(
            id=article.id,
            text=article.text,
            url=article.url,
            title=article.title,
            published=article.published,
            published_source=article.published_source,
            source=str(source) if source else None,
        )


def _median_ms(work: Callable[[], object]) -> float:
    times = []
    for _ in range(LISTING_RUNS):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return round(statistics.median(times) * 1000, 2)


def _listing_latency(store: Store) -> dict[str, float]:
    """Median ms of the listings a web page asks for, one page of PAGE incidents each."""
    first = store.incidents(limit=1)
    newest = store.incidents(limit=1, newest_first=True)
    some = store.incidents(limit=1, offset=store.counts().incidents // 2)
    day = (some[0].date.start if some and some[0].date else None) or dt.date(2020, 1, 1)
    place = next((i.place.name for i in some if i.place), "Idlib")
    one = (some or first)[0].id if (some or first) else "none"
    del newest
    return {
        "first page": _median_ms(lambda: store.incidents(limit=PAGE)),
        "newest page": _median_ms(lambda: store.incidents(limit=PAGE, newest_first=True)),
        "page at offset 5000": _median_ms(lambda: store.incidents(limit=PAGE, offset=5000)),
        "one week": _median_ms(
            lambda: store.incidents(since=day, until=day + dt.timedelta(days=6), limit=PAGE)
        ),
        "a place": _median_ms(lambda: store.incidents(place=place, limit=PAGE)),
        "a type": _median_ms(lambda: store.incidents(type="Air/drone strike", limit=PAGE)),
        "a box": _median_ms(lambda: store.incidents(bbox=BBox(35, 34, 38, 37), limit=PAGE)),
        "one incident": _median_ms(lambda: store.incident(one)),
    }


def _checkpoint(
    store: Store, window: _Window, timers: dict[str, _Timer], extract_total: float
) -> dict[str, Any]:
    counts = store.counts()
    per = 1000 / max(window.articles, 1)
    duplicates, incidents = timers["duplicates"].seconds, timers["incidents"].seconds
    return {
        "articles": counts.articles,
        "duplicates": counts.duplicates,
        "events": counts.events,
        "incidents": counts.incidents,
        "add_ms_per_article": round(window.add * per, 3),
        "duplicates_ms_per_article": round(duplicates * per, 3),
        "incidents_ms_per_article": round(incidents * per, 3),
        "store_ms_per_article": round((window.add - duplicates - incidents) * per, 3),
        "batch_add_ms_median": round(statistics.median(window.batches) * 1000, 1),
        "events_per_article": round(window.events / max(window.articles, 1), 2),
        "extract_ms_per_article": round(window.extract * per, 2),
        "extract_s_total": round(extract_total, 1),
        "listing_ms": _listing_latency(store),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def run_bench(
    *,
    articles: int,
    checkpoints: int,
    batch: int,
    duplicate_rate: float,
    seed: int,
    db: Path,
    cache: Path | None = None,
) -> list[dict[str, Any]]:
    """Add the corpus batch by batch; one result row per checkpoint."""
    timers = {"duplicates": _Timer(), "incidents": _Timer()}
    # `store.sql` calls these through the module, so wrapping them here times every call.
    store_writes.link_duplicates = timers["duplicates"].wrap(store_writes.link_duplicates)
    store_writes.file_incidents = timers["incidents"].wrap(store_writes.file_incidents)
    marks = {round(articles * (n + 1) / checkpoints) for n in range(checkpoints)}
    rows, window, extract_total, pending = [], _Window(), 0.0, []
    with open_store(db) as store:
        extractions = _extractions(articles, duplicate_rate=duplicate_rate, seed=seed, cache=cache)
        for number, (extraction, spent) in enumerate(extractions, start=1):
            pending.append(extraction)
            window.extract += spent
            extract_total += spent
            if len(pending) == batch or number in marks:
                started = time.perf_counter()
                store.add(pending)
                spent = time.perf_counter() - started
                window.add += spent
                window.batches.append(spent)
                window.articles += len(pending)
                window.events += sum(len(e.events) for e in pending)
                pending = []
            if number in marks:
                rows.append(_checkpoint(store, window, timers, extract_total))
                print(json.dumps(rows[-1]), file=sys.stderr)
                window = _Window()
                for timer in timers.values():
                    timer.seconds, timer.calls = 0.0, 0
    rows[-1]["db_mb"] = round(db.stat().st_size / 2**20, 1)
    return rows


def _print_tables(rows: list[dict[str, Any]]) -> None:
    columns = ("articles", "duplicates", "incidents", "events_per_article", "add_ms_per_article",
               "store_ms_per_article", "duplicates_ms_per_article", "incidents_ms_per_article",
               "batch_add_ms_median", "extract_ms_per_article", "peak_rss_mb")  # fmt: skip
    print("| " + " | ".join(columns) + " |")
    print("|" + "---|" * len(columns))
    for row in rows:
        print("| " + " | ".join(str(row[c]) for c in columns) + " |")
    print()
    queries = list(rows[0]["listing_ms"])
    print("| articles | " + " | ".join(f"{q} (ms)" for q in queries) + " |")
    print("|" + "---|" * (len(queries) + 1))
    for row in rows:
        print(f"| {row['articles']} | " + " | ".join(str(row["listing_ms"][q]) for q in queries)
              + " |")  # fmt: skip
    if "db_mb" in rows[-1]:
        print(f"\nstore file: {rows[-1]['db_mb']} MB")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=20_000)
    parser.add_argument("--checkpoints", type=int, default=4)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--duplicate-rate", type=float, default=0.2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--db", type=Path, help="SQLite file to create (default: a temp file)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    parser.add_argument(
        "--cache", type=Path, help="keep the extractions here (pickle) to rerun without extracting"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or Path(tmp) / "bench.db"
        if db.exists():
            parser.error(f"{db} exists; the benchmark needs a new store")
        rows = run_bench(
            articles=args.articles,
            checkpoints=args.checkpoints,
            batch=args.batch,
            duplicate_rate=args.duplicate_rate,
            seed=args.seed,
            db=db,
            cache=args.cache,
        )
    _print_tables(rows)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
