"""A bulk load catching up with another writer: its thread CPU per article met.

    python benchmarks/bench_catch_up.py                  # 12 batches of 1,000 articles
    python benchmarks/bench_catch_up.py --batches 20

Two stores on one SQLite file take turns adding batches of generated articles (extracted and
prepared before the clock starts), both in bulk loads, which link duplicates in their memory
(`sitroom.store.link_memory`); each must meet the other's articles at its next batch, as a
Dask backfill's workers meet each other's. Prints the thread CPU that meeting took, per
article met, twice: reading the articles back from the store, and taking in the batches as
the other load's memory recorded them, pickled (`LinkedBatch`; recording, pickling and
unpickling counted), as the workers do. Run it on two trees side by side (PYTHONPATH) to
compare them.
"""

from __future__ import annotations

import argparse
import pickle
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
from sitroom.store.sql import SQLStore


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
    print(f"{link_memory.__file__}")
    for recorded in (False, True):
        spent, met = catch_up_cost(batches, recorded=recorded)
        if not met:
            sys.exit("no batch met another writer's articles: give --batches 3 or more")
        how = "as recorded" if recorded else "read back"
        print(f"{how:<12} met {met} articles in {spent:.2f} s of thread CPU: ", end="")
        print(f"{1000 * spent / met:.3f} ms each")


def catch_up_cost(batches: list[PreparedBatch], *, recorded: bool) -> tuple[float, int]:
    """Thread CPU seconds the two loads spent meeting each other's articles, and how many."""
    spent, met = 0.0, 0
    catch_up = link_memory.LinkMemory._catch_up

    def timed(memory: link_memory.LinkMemory, db: object) -> int:
        nonlocal spent, met
        started = time.thread_time()
        count = catch_up(memory, db)  # type: ignore[arg-type]
        spent += time.thread_time() - started
        met += count
        return count

    setattr(link_memory.LinkMemory, "_catch_up", timed)  # noqa: B010
    try:
        with tempfile.TemporaryDirectory() as folder:
            path = str(Path(folder) / "store.db")
            with open_store(path) as loader, open_store(path) as other:
                assert isinstance(loader, SQLStore) and isinstance(other, SQLStore)
                with loader.bulk(after=0), other.bulk(after=0, part=True):
                    handing_over = take_turns(batches, (loader, other), recorded=recorded)
    finally:
        setattr(link_memory.LinkMemory, "_catch_up", catch_up)  # noqa: B010
    return spent + handing_over, met


def take_turns(
    batches: list[PreparedBatch], loads: tuple[SQLStore, SQLStore], *, recorded: bool
) -> float:
    """The batches added by the two loads in turn, each given the other's last batch as its
    memory recorded it when `recorded`; the thread CPU seconds the handing over took."""
    spent = 0.0
    for number, batch in enumerate(batches):
        load, last = loads[number % 2], loads[1 - number % 2]
        if recorded:
            started = time.thread_time()
            if (linked := last.linked_batch()) is not None:
                load.meet([pickle.loads(pickle.dumps(linked))])
            spent += time.thread_time() - started
        load.add(batch)
    return spent


if __name__ == "__main__":
    main()
