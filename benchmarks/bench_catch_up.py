"""A bulk load catching up with another writer: its thread CPU per article met.

    python benchmarks/bench_catch_up.py                  # 12 batches of 1,000 articles
    python benchmarks/bench_catch_up.py --batches 20

Two stores on one SQLite file take turns adding batches of generated articles (extracted and
prepared before the clock starts), the first in a bulk load, which links duplicates in its
memory and must meet the second's articles at its next batch (`sitroom.store.link_memory`),
as a Dask backfill's workers meet each other's. Prints the thread CPU that meeting took, per
article met. Run it on two trees side by side (PYTHONPATH) to compare them.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_ingest import corpus_file
from sitroom.extract import default_pipeline
from sitroom.sources import read_articles
from sitroom.store import link_memory, open_store
from sitroom.store.prepare import PreparedBatch, prepare_batch


def prepared_batches(count: int, size: int) -> list[PreparedBatch]:
    corpus = corpus_file(
        count * size, seed=7, duplicate_rate=0.1, folder=Path(tempfile.gettempdir())
    )
    articles = list(read_articles([corpus]))
    pipeline = default_pipeline()
    return [
        prepare_batch(pipeline.run_many(articles[start : start + size]))
        for start in range(0, len(articles), size)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=12)
    parser.add_argument("--size", type=int, default=1000)
    args = parser.parse_args()
    batches = prepared_batches(args.batches, args.size)
    spent, met = 0.0, 0
    catch_up = link_memory.LinkMemory._catch_up

    def timed(memory: link_memory.LinkMemory, db: object) -> int:
        nonlocal spent, met
        started = time.thread_time()
        count = catch_up(memory, db)  # type: ignore[arg-type]
        spent += time.thread_time() - started
        met += count
        return count

    link_memory.LinkMemory._catch_up = timed  # type: ignore[method-assign]
    with tempfile.TemporaryDirectory() as folder:
        path = str(Path(folder) / "store.db")
        with open_store(path) as loader, open_store(path) as other, loader.bulk(after=0):
            for number, batch in enumerate(batches):
                (loader if number % 2 == 0 else other).add(batch)
    print(f"{link_memory.__file__}")
    if not met:
        sys.exit("no batch met another writer's articles: give --batches 3 or more")
    print(f"met {met} articles in {spent:.2f} s of thread CPU: {1000 * spent / met:.3f} ms each")


if __name__ == "__main__":
    main()
