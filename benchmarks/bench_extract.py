"""Extraction speed, memory and start-up on generated ~2 KB articles: medians of several runs.

    python benchmarks/bench_extract.py [--articles 500] [--runs 5] [--json out.json]

Reports, for the whole pipeline (one article at a time, and `Pipeline.run_many`'s batches)
and for each layer (alone over the corpus, and interleaved with the others article by article,
as `sitroom.extract` runs them): articles/s and MB/s of text on one core (CPU time of the process);
peak RSS of the process; cold start (a fresh interpreter from `import sitroom` to the first
extraction's result); ingest into a SQLite file (extracted and stored per second, wall
clock); and the machine's load average, as other processes slow even CPU time.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_baseline import sitroom_build
from corpus import generate_corpus
from sitroom.engine import ingest
from sitroom.extract import BATCH_SIZE, DEFAULT_ORDER, Pipeline
from sitroom.extract.text import Document
from sitroom.model import Article
from sitroom.sources import article_from_record
from sitroom.store import open_store

COLD_START_CODE = """
import time
started = time.perf_counter()
import sitroom
sitroom.extract("Shelling killed 3 people in Aleppo on Monday.", published="2020-02-11")
print(time.perf_counter() - started)
"""


def _median_time(work: Callable[[], object], runs: int) -> float:
    # CPU time of this process: "per core", and unmoved by other processes queueing for the
    # cores, which on a shared machine made wall-clock medians swing by a third.
    times = []
    for _ in range(runs):
        started = time.process_time()
        work()
        times.append(time.process_time() - started)
    return statistics.median(times)


def _layer_times(articles: Sequence[Article], runs: int) -> dict[str, float]:
    """Median seconds each component takes over the corpus, given the layers before it."""
    pipeline = Pipeline.from_names(DEFAULT_ORDER)
    docs = [Document.from_article(a) for a in articles]
    seconds: dict[str, float] = {
        "text (fold, sentences)": _median_time(
            lambda: [Document.from_article(a) for a in articles], runs
        )
    }
    for component in pipeline.components:
        current = docs

        def step(component: Any = component, current: list[Document] = current) -> None:
            for doc in current:
                component(doc)

        seconds[component.name] = _median_time(step, runs)
        docs = [component(doc) for doc in docs]
    return seconds


def _interleaved_layer_times(articles: Sequence[Article], runs: int) -> dict[str, float]:
    """Median seconds each component takes when every article goes through all of them in turn.

    As `sitroom.extract` runs them. Each layer then finds less of its tables and code in the
    processor's caches than when it runs over the whole corpus alone (`_layer_times`): the
    difference is what `Pipeline.run_many` wins back. Each step costs two more reads of the
    process clock (a few µs), which the trivial `publication` step shows.
    """
    components = Pipeline.from_names(DEFAULT_ORDER).components
    samples: dict[str, list[float]] = {"text (fold, sentences)": []}
    samples.update({component.name: [] for component in components})
    clock = time.process_time
    for _ in range(runs):
        spent = dict.fromkeys(samples, 0.0)
        for article in articles:
            started = clock()
            doc = Document.from_article(article)
            spent["text (fold, sentences)"] += clock() - started
            for component in components:
                started = clock()
                doc = component(doc)
                spent[component.name] += clock() - started
        for name, seconds in spent.items():
            samples[name].append(seconds)
    return {name: statistics.median(values) for name, values in samples.items()}


def _cold_start(runs: int) -> float:
    samples = []
    for _ in range(runs):
        out = subprocess.run(
            [sys.executable, "-c", COLD_START_CODE], capture_output=True, text=True, check=True
        )
        samples.append(float(out.stdout.strip()))
    return statistics.median(samples)


def _ingest_rate(records: list[dict[str, object]], runs: int) -> float:
    rates = []
    with tempfile.TemporaryDirectory() as tmp:
        corpus = Path(tmp) / "corpus.jsonl"
        corpus.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
        for run in range(runs):
            with open_store(Path(tmp) / f"bench-{run}.db") as store:
                started = time.perf_counter()
                report = ingest([corpus], store=store)
                rates.append(report.added / (time.perf_counter() - started))
    return statistics.median(rates)


def run(articles: int, runs: int) -> dict[str, Any]:
    """Measure everything; returns the numbers printed."""
    load_before = os.getloadavg()[0]
    records = generate_corpus(articles, long=True)  # issue 11: ~2 KB articles
    parsed = [article_from_record(r, where=f"corpus:{i}") for i, r in enumerate(records)]
    megabytes = sum(len(a.text.encode("utf-8")) for a in parsed) / 1e6
    pipeline = Pipeline.from_names(DEFAULT_ORDER)
    pipeline(parsed[0])  # load the gazetteer outside the timed runs
    total = _median_time(lambda: [pipeline(a) for a in parsed], runs)
    batched = _median_time(lambda: list(pipeline.run_many(parsed)), runs)
    layers = _layer_times(parsed, runs)
    interleaved = _interleaved_layer_times(parsed, runs)
    return {
        "articles": articles,
        "runs": runs,
        "megabytes": round(megabytes, 3),
        "pipeline": {
            "seconds": round(total, 4),
            "articles_per_s": round(articles / total, 1),
            "mb_per_s": round(megabytes / total, 3),
        },
        "pipeline_batched": {
            "seconds": round(batched, 4),
            "articles_per_s": round(articles / batched, 1),
            "mb_per_s": round(megabytes / batched, 3),
        },
        "layers_mb_per_s": {name: round(megabytes / s, 2) for name, s in layers.items()},
        "layers_interleaved_mb_per_s": {
            name: round(megabytes / s, 2) for name, s in interleaved.items()
        },
        "layers_ms_per_article": {
            "alone": round(1000 * sum(layers.values()) / articles, 3),
            "interleaved": round(1000 * sum(interleaved.values()) / articles, 3),
        },
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "cold_start_s": round(_cold_start(runs), 3),
        "ingest_sqlite_articles_per_s": round(_ingest_rate(records, max(1, runs // 2)), 1),
        # Other processes slow even CPU time (shared caches, hyperthreads): say how busy it was.
        "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
        "build": sitroom_build(),
    }


def _print(result: dict[str, Any]) -> None:
    pipe = result["pipeline"]
    size = 1000 * result["megabytes"] / result["articles"]
    print(f"corpus: {result['articles']} generated articles, {result['megabytes']} MB "
          f"({size:.1f} KB each); medians of {result['runs']} runs, one core")  # fmt: skip
    print(f"  pipeline         {pipe['articles_per_s']:>9} articles/s  {pipe['mb_per_s']:>7} MB/s")
    many = result["pipeline_batched"]
    print(f"  run_many         {many['articles_per_s']:>9} articles/s  {many['mb_per_s']:>7} MB/s"
          f"  (batches of {BATCH_SIZE})")  # fmt: skip
    interleaved = result["layers_interleaved_mb_per_s"]
    print(f"  {'':28} {'alone':>7}  {'interleaved (as sitroom.extract runs them)':>7}")
    for name, rate in result["layers_mb_per_s"].items():
        print(f"  layer {name:<22} {rate:>7} MB/s  {interleaved[name]:>7} MB/s")
    layers_ms = result["layers_ms_per_article"]
    print(f"  layers, summed   {layers_ms['alone']:>9} ms/article alone, "
          f"{layers_ms['interleaved']} interleaved")  # fmt: skip
    print(f"  peak RSS         {result['peak_rss_mb']:>9} MB")
    print(f"  cold start       {result['cold_start_s']:>9} s  (import sitroom -> first result)")
    print(f"  ingest (SQLite)  {result['ingest_sqlite_articles_per_s']:>9} articles/s stored")
    before, after = result["load_average"]
    print(f"  machine load     {before} -> {after}  (1-minute load average, {os.cpu_count()} CPUs)")
    print(f"  sitroom          {result['build']}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--json", type=Path, help="also write the numbers here")
    args = parser.parse_args()
    result = run(args.articles, args.runs)
    _print(result)
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
