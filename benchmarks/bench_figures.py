"""The figures layer alone, timed on the generated corpus; optionally against another source tree.

    python benchmarks/bench_figures.py [--articles 500] [--runs 7] [--long]
    python benchmarks/bench_figures.py --against /tmp/old/src [--rounds 3] [--long]

Times `FigureExtractor` (numbers, triggers, candidates, places and periods) over documents that
the layers before it have already read: the median CPU seconds of `--runs` passes, and MB/s.
`--long` draws ~2 KB articles (issue 11's size; the default ones are ~1.5 KB).
With `--against`, runs this script in fresh interpreters on that tree and on this one in turn,
`--rounds` times each, and prints both medians side by side: on a shared machine, before and
after measured in the same minutes. Make an old tree with, e.g.:

    cp -r src /tmp/old/src && git show HEAD:src/sitroom/extract/figures.py \\
        > /tmp/old/src/sitroom/extract/figures.py   # (and the other files changed)
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
SRC = HERE.parent / "src"


def time_layer(articles: int, runs: int, *, long: bool = False) -> dict[str, float]:
    """Median CPU seconds of the figures layer over the corpus, and its MB/s."""
    sys.path.insert(0, str(HERE))
    from corpus import generate_corpus
    from sitroom.extract import DEFAULT_ORDER, Pipeline
    from sitroom.extract.text import Document
    from sitroom.sources import article_from_record

    records = generate_corpus(articles, long=long)
    parsed = [article_from_record(r, where=f"corpus:{i}") for i, r in enumerate(records)]
    megabytes = sum(len(a.text.encode("utf-8")) for a in parsed) / 1e6
    docs = [Document.from_article(a) for a in parsed]
    for component in Pipeline.from_names(DEFAULT_ORDER).components:
        if component.name == "figures":
            figures = component
            break
        docs = [component(doc) for doc in docs]
    times = []
    for _ in range(runs):
        started = time.process_time()
        for doc in docs:
            figures(doc)
        times.append(time.process_time() - started)
    seconds = statistics.median(times)
    return {"seconds": seconds, "mb_per_s": megabytes / seconds}


def _in_tree(src: Path, articles: int, runs: int, *, long: bool) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--articles", str(articles), "--runs", str(runs), "--json"]
    command += ["--long"] if long else []
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def compare(against: Path, articles: int, runs: int, rounds: int, *, long: bool = False) -> None:
    """Both trees in turn, `rounds` times; prints the median of each and the change."""
    seconds: dict[str, list[float]] = {"old": [], "new": []}
    megabytes = 0.0
    for round_ in range(rounds):
        # Each tree goes first every other round: neither always meets the same load.
        trees = (
            (("old", against), ("new", SRC))
            if round_ % 2 == 0
            else (("new", SRC), ("old", against))
        )
        for name, src in trees:
            result = _in_tree(src, articles, runs, long=long)
            seconds[name].append(result["seconds"])
            megabytes = result["seconds"] * result["mb_per_s"]
    old, new = (statistics.median(seconds[k]) for k in ("old", "new"))
    # Each round's pair ran minutes apart at most: the median of their ratios shrugs off the
    # load other processes put on the machine better than the ratio of the medians.
    paired = statistics.median(n / o for o, n in zip(seconds["old"], seconds["new"], strict=True))
    print(f"figures layer, {articles} articles, median of {rounds} rounds x {runs} runs (CPU s)")
    old_rounds, new_rounds = ([round(s, 4) for s in seconds[k]] for k in ("old", "new"))
    print(f"  old {against}: {old:.4f} s, {megabytes / old:.2f} MB/s  {old_rounds}")
    print(f"  new {SRC}: {new:.4f} s, {megabytes / new:.2f} MB/s  {new_rounds}")
    print(f"  new takes {new / old:.1%} of old's time ({1 - new / old:+.1%} faster)")
    print(f"  median of the rounds' new/old ratios: {paired:.1%} ({1 - paired:+.1%} faster)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another tree's src/ to compare with")
    parser.add_argument("--long", action="store_true", help="~2 KB articles (issue 11's size)")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    if args.against is not None:
        compare(args.against, args.articles, args.runs, args.rounds, long=args.long)
        return 0
    result = time_layer(args.articles, args.runs, long=args.long)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"figures layer: {result['seconds']:.4f} s, {result['mb_per_s']:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
