"""Speed of the place layer alone on the generated corpus, and old against new side by side.

    python benchmarks/bench_places.py [--articles 500] [--runs 5]
    python benchmarks/bench_places.py --compare /tmp/old/src [--rounds 5]
    python benchmarks/bench_places.py --profile 25

Measures the `places` component over generated ~2 KB articles (issue 11's size) already
folded, as `bench_extract.py`'s layer line does: MB/s of text on one core (CPU time), the
median of several runs. `--compare` runs this same measurement in fresh interpreters,
alternately with another source tree first on the path and with this one, and prints each
one's median: a busy machine slows both alike.
`--profile N` prints the N costliest functions (cProfile, cumulative time).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import generate_corpus
from sitroom.extract.places import PlaceExtractor
from sitroom.extract.text import Document
from sitroom.sources import article_from_record

SRC = Path(__file__).resolve().parent.parent / "src"


def _documents(articles: int) -> tuple[list[Document], float]:
    records = generate_corpus(articles, long=True)  # issue 11: ~2 KB articles
    parsed = [article_from_record(r, where=f"corpus:{i}") for i, r in enumerate(records)]
    megabytes = sum(len(a.text.encode("utf-8")) for a in parsed) / 1e6
    return [Document.from_article(a) for a in parsed], megabytes


def measure(articles: int, runs: int) -> float:
    """Median MB/s of the place layer over the corpus."""
    docs, megabytes = _documents(articles)
    places = PlaceExtractor()
    for doc in docs:  # load the gazetteer and warm its caches outside the timed runs
        places(doc)
    times = []
    for _ in range(runs):
        started = time.process_time()
        for doc in docs:
            places(doc)
        times.append(time.process_time() - started)
    return megabytes / statistics.median(times)


def compare(old_src: Path, articles: int, runs: int, rounds: int) -> dict[str, float]:
    """Medians of `rounds` fresh measurements each, old and new taken in turn."""
    rates: dict[str, list[float]] = {"old": [], "new": []}
    command = [sys.executable, __file__, "--articles", str(articles), "--runs", str(runs)]
    for _ in range(rounds):
        for label, src in (("old", old_src), ("new", SRC)):
            env = dict(os.environ, PYTHONPATH=str(src))
            out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
            rates[label].append(float(out.stdout.split()[0]))
    return {label: statistics.median(values) for label, values in rates.items()}


def profile(articles: int, top: int, sort: str = "tottime") -> None:
    docs, _ = _documents(articles)
    places = PlaceExtractor()
    for doc in docs:  # as `measure` does: caches warm, patterns compiled
        places(doc)
    profiler = cProfile.Profile()
    profiler.enable()
    for doc in docs:
        places(doc)
    profiler.disable()
    pstats.Stats(profiler).sort_stats(sort).print_stats(top)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--compare", type=Path, help="another tree's src/ to measure beside")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--profile", type=int, metavar="N")
    args = parser.parse_args()
    if args.profile:
        profile(args.articles, args.profile)
    elif args.compare:
        medians = compare(args.compare, args.articles, args.runs, args.rounds)
        print(json.dumps({k: round(v, 3) for k, v in medians.items()}))
        print(f"new/old: {medians['new'] / medians['old']:.3f}")
    else:
        print(f"{measure(args.articles, args.runs):.3f} MB/s places (median of {args.runs})")


if __name__ == "__main__":
    main()
