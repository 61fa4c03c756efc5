"""The event layer's speed, this tree against another, in one command: medians of CPU time.

    python benchmarks/bench_events.py [--baseline /tmp/old/src] [--articles 500] [--rounds 3]
    python benchmarks/bench_events.py --baseline /tmp/events_base_src --articles 400 --long

Each measurement runs in a fresh interpreter that extracts the generated corpus up to the
figures once and then times `EventExtractor` alone (`--runs` times, the median). With
`--baseline` (a `src` directory holding another version of the package), the two trees take
turns `--rounds` times, so load from other processes falls on both alike; the medians of the
rounds are compared. `--long` draws the corpus's longer (~2 KB) articles; the text's size
gives the layer's MB/s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def measure(articles: int, runs: int, *, long: bool = False) -> tuple[float, int]:
    """Median CPU seconds the event layer takes over the generated corpus, in this process,
    and the corpus's size in bytes of UTF-8."""
    sys.path.insert(0, str(HERE))
    from corpus import generate_corpus
    from sitroom.extract import DEFAULT_ORDER, Pipeline
    from sitroom.extract.text import Document
    from sitroom.sources import article_from_record

    before = Pipeline.from_names(DEFAULT_ORDER[:-1])
    events = Pipeline.from_names(DEFAULT_ORDER).components[-1]
    docs = []
    for index, record in enumerate(generate_corpus(articles, long=long)):
        doc = Document.from_article(article_from_record(record, where=f"article {index}"))
        for component in before.components:
            doc = component(doc)
        docs.append(doc)
    times = []
    for _ in range(runs):
        started = time.process_time()
        for doc in docs:
            events(doc)
        times.append(time.process_time() - started)
    size = sum(len(doc.text.encode("utf-8")) for doc in docs)
    return statistics.median(times), size


def _measure_tree(src: Path, articles: int, runs: int, *, long: bool) -> tuple[float, int]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--measure", "--articles", str(articles)]
    command += ["--runs", str(runs), *(["--long"] if long else [])]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    seconds, size = out.stdout.strip().splitlines()[-1].split()
    return float(seconds), int(size)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--baseline", type=Path, help="another tree's src directory")
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--long", action="store_true", help="the corpus's ~2 KB articles")
    parser.add_argument("--measure", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        seconds, size = measure(args.articles, args.runs, long=args.long)
        print(seconds, size)
        return
    trees = {"this tree": SRC}
    if args.baseline:
        trees = {"baseline": args.baseline.resolve(), **trees}
    seconds: dict[str, list[float]] = {name: [] for name in trees}
    size = 0
    for _ in range(args.rounds):
        for name, src in trees.items():
            spent, size = _measure_tree(src, args.articles, args.runs, long=args.long)
            seconds[name].append(spent)
    medians = {name: statistics.median(values) for name, values in seconds.items()}
    for name, median in medians.items():
        rounds = ", ".join(f"{s:.3f}" for s in seconds[name])
        rate = size / 1e6 / median if median else float("inf")
        print(
            f"event layer, {name:<10} {median:.3f} s median CPU, {rate:.2f} MB/s"
            f"  (rounds: {rounds})"
        )
    if args.baseline:
        change = 1 - medians["this tree"] / medians["baseline"]
        print(f"this tree is {change:.1%} faster" if change >= 0 else f"{-change:.1%} slower")


if __name__ == "__main__":
    main()
