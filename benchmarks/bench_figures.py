"""The figures layer alone, timed on the generated corpus; optionally against another source tree.

    python benchmarks/bench_figures.py [--articles 500] [--runs 7]
    python benchmarks/bench_figures.py --against /tmp/old/src [--rounds 3]

Times `FigureExtractor` (numbers, triggers, candidates, places and periods) over documents that
the layers before it have already read: the median CPU seconds of `--runs` passes, and MB/s.
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


def time_layer(articles: int, runs: int) -> dict[str, float]:
    """Median CPU seconds of the figures layer over the corpus, and its MB/s."""
    sys.path.insert(0, str(HERE))
    from corpus import generate_corpus
    from sitroom.extract import DEFAULT_ORDER, Pipeline
    from sitroom.extract.text import Document
    from sitroom.sources import article_from_record

    records = generate_corpus(articles)
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


def _in_tree(src: Path, articles: int, runs: int) -> dict[str, float]:
    env = {**os.environ, "PYTHONPATH": str(src)}
    command = [sys.executable, __file__, "--articles", str(articles), "--runs", str(runs), "--json"]
    out = subprocess.run(command, env=env, capture_output=True, text=True, check=True)
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def compare(against: Path, articles: int, runs: int, rounds: int) -> None:
    """Both trees in turn, `rounds` times; prints the median of each and the change."""
    seconds: dict[str, list[float]] = {"old": [], "new": []}
    for _ in range(rounds):
        for name, src in (("old", against), ("new", SRC)):
            seconds[name].append(_in_tree(src, articles, runs)["seconds"])
    old, new = (statistics.median(seconds[k]) for k in ("old", "new"))
    # Each round's pair ran minutes apart at most: the median of their ratios shrugs off the
    # load other processes put on the machine better than the ratio of the medians.
    paired = statistics.median(n / o for o, n in zip(seconds["old"], seconds["new"], strict=True))
    print(f"figures layer, {articles} articles, median of {rounds} rounds x {runs} runs (CPU s)")
    print(f"  old {against}: {old:.4f} s  {[round(s, 4) for s in seconds['old']]}")
    print(f"  new {SRC}: {new:.4f} s  {[round(s, 4) for s in seconds['new']]}")
    print(f"  new takes {new / old:.1%} of old's time ({1 - new / old:+.1%} faster)")
    print(f"  median of the rounds' new/old ratios: {paired:.1%} ({1 - paired:+.1%} faster)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--against", type=Path, help="another tree's src/ to compare with")
    parser.add_argument("--json", action="store_true", help="print one JSON line")
    args = parser.parse_args()
    if args.against is not None:
        compare(args.against, args.articles, args.runs, args.rounds)
        return 0
    result = time_layer(args.articles, args.runs)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"figures layer: {result['seconds']:.4f} s, {result['mb_per_s']:.2f} MB/s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
