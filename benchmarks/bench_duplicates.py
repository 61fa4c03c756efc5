"""Near-duplicate detection at scale: fingerprint and index a generated corpus with duplicates.

    python benchmarks/bench_duplicates.py --articles 1000000 [--duplicate-rate 0.2] [--workers 2]
    python benchmarks/bench_duplicates.py --articles 20000 --compare-datasketch

1. Generate: workers write the corpus (`corpus.corpus_article`, a pure function of its index) to
   chunk files under `--corpus-dir` (kept and reused when it already holds this corpus).
2. Detect (timed): workers read chunks and fingerprint them; the main process adds every
   fingerprint to one `DuplicateIndex` in corpus order. Reports wall time, articles/s, CPU
   seconds per stage, peak RSS (main process and largest worker), and pairwise
   precision/recall/F1 against the generator's known duplicates.
3. Probe: with the workers gone, `--probe` more articles are fingerprinted and added one at a
   time: the add time at the final size (wall and CPU; CPU is the honest figure on a shared
   machine, as wall time also counts moments the scheduler gave the core to another process).
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import multiprocessing.pool
import os
import resource
import statistics
import sys
import tempfile
import time
from array import array
from collections import deque
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import corpus_article
from sitroom.record.duplicates import (
    PERMUTATIONS,
    SHINGLE_WORDS,
    DuplicateIndex,
    Fingerprint,
    fingerprint,
    normalise,
)

CHUNK = 2000


@dataclass(frozen=True, slots=True)
class Chunk:
    """One worker's slice: fingerprints in corpus order, gold links, and the CPU it took."""

    start: int
    fingerprints: list[Fingerprint]
    duplicate_of: list[int]
    seconds: float


def _chunk_path(directory: Path, start: int) -> Path:
    return directory / f"{start:08d}.jsonl"


def _generate(task: tuple[Path, int, int, int, float]) -> float:
    directory, start, size, seed, rate = task
    started = time.process_time()
    path = _chunk_path(directory, start)
    if path.exists():  # written by an earlier, interrupted run: renamed into place only whole
        return 0.0
    lines = []
    for i in range(start, start + size):
        article = corpus_article(i, seed=seed, duplicate_rate=rate)
        lines.append(json.dumps({"text": article["text"], "duplicate_of": article["duplicate_of"]}))
    partial = path.with_suffix(".partial")
    partial.write_text("\n".join(lines) + "\n", encoding="utf-8")
    partial.rename(path)
    return time.process_time() - started


def _fingerprint(task: tuple[Path, int]) -> Chunk:
    directory, start = task
    started = time.process_time()
    rows = [
        json.loads(line)
        for line in _chunk_path(directory, start).read_text("utf-8").split("\n")
        if line
    ]
    prints = [fingerprint(row["text"]) for row in rows]
    for fp in prints:
        fp.band_hashes()  # computed here, in parallel, rather than in the main process
    return Chunk(
        start=start,
        fingerprints=prints,
        duplicate_of=[_ordinal(row["duplicate_of"]) for row in rows],
        seconds=time.process_time() - started,
    )


def _ordinal(article_id: object) -> int:
    return -1 if article_id is None else int(str(article_id).rsplit("-", 1)[1])


def generate(
    directory: Path, count: int, *, seed: int, rate: float, workers: int
) -> dict[str, float]:
    """Write the corpus's chunk files unless `directory` already holds this corpus."""
    stamp = directory / "corpus.json"
    wanted = {"articles": count, "seed": seed, "duplicate_rate": rate, "chunk": CHUNK}
    if stamp.exists() and json.loads(stamp.read_text("utf-8")) == wanted:
        return {"reused": 1.0}
    directory.mkdir(parents=True, exist_ok=True)
    for stale in directory.iterdir():
        if stale.suffix == ".partial" or (stamp.exists() and stale != stamp):
            stale.unlink()  # a half-written chunk, or chunks of another corpus
    tasks = [(directory, s, min(CHUNK, count - s), seed, rate) for s in range(0, count, CHUNK)]
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        cpu = sum(pool.imap_unordered(_generate, tasks))
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    return {"wall_seconds": round(time.perf_counter() - started, 1), "cpu_seconds": round(cpu, 1)}


def pair_scores(predicted: npt.NDArray[np.int64], gold: npt.NDArray[np.int64]) -> dict[str, float]:
    """Pairwise precision/recall/F1 of two clusterings given as cluster labels per article."""

    def pairs(labels: npt.NDArray[np.int64]) -> int:
        counts = np.unique(labels, return_counts=True)[1].astype(np.int64)
        return int((counts * (counts - 1) // 2).sum())

    both = predicted * (len(gold) + 1) + gold
    correct, predicted_pairs, gold_pairs = pairs(both), pairs(predicted), pairs(gold)
    precision = correct / predicted_pairs if predicted_pairs else 1.0
    recall = correct / gold_pairs if gold_pairs else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "gold_pairs": gold_pairs,
        "predicted_pairs": predicted_pairs,
        "correct_pairs": correct,
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
    }


def detect(
    directory: Path, count: int, *, workers: int
) -> tuple[DuplicateIndex, dict[str, object]]:
    """Fingerprint the corpus in workers and index it in this process; the measured numbers."""
    index = DuplicateIndex()
    predicted = np.zeros(count, dtype=np.int64)
    gold = np.zeros(count, dtype=np.int64)
    add_cpu = array("d")
    fingerprint_cpu = 0.0
    load_at_start = round(os.getloadavg()[0], 1)
    started = time.perf_counter()
    with multiprocessing.Pool(workers) as pool:
        for chunk in _in_order(pool, [(directory, s) for s in range(0, count, CHUNK)], workers):
            fingerprint_cpu += chunk.seconds
            for offset, fp in enumerate(chunk.fingerprints):
                ordinal = chunk.start + offset
                before = time.thread_time()
                canonical = index.add(f"dup-{ordinal:07d}", fp)
                add_cpu.append(time.thread_time() - before)
                predicted[ordinal] = ordinal if canonical is None else _ordinal(canonical)
                original = chunk.duplicate_of[offset]
                gold[ordinal] = ordinal if original < 0 else original
    wall = time.perf_counter() - started
    return index, {
        "wall_seconds": round(wall, 1),
        # Other work on the machine stretches wall time; the load says how much there was.
        "load_average_1min_at_start_and_end": [load_at_start, round(os.getloadavg()[0], 1)],
        "articles_per_second": round(count / wall),
        "cpu_seconds": {
            "read + fingerprint (workers)": round(fingerprint_cpu, 1),
            "index add (main)": round(sum(add_cpu), 1),
        },
        "fingerprint_ms_per_article": round(1000 * fingerprint_cpu / count, 3),
        "add_cpu_ms_last_tenth": _quantiles_ms(add_cpu[-max(1, count // 10) :]),
        "pairs": pair_scores(predicted, gold),
        "peak_rss_mb": {
            "main": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
            "largest worker": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss // 1024,
        },
    }


def _in_order(
    pool: multiprocessing.pool.Pool, tasks: list[tuple[Path, int]], workers: int
) -> Iterator[Chunk]:
    """Fingerprinted chunks in corpus order, with few in flight: `imap` would let workers run
    ahead of the index and pile finished chunks up in this process's memory."""
    pending: deque[multiprocessing.pool.AsyncResult[Chunk]] = deque()
    for task in tasks:
        pending.append(pool.apply_async(_fingerprint, (task,)))
        if len(pending) > 2 * workers:
            yield pending.popleft().get()
    while pending:
        yield pending.popleft().get()


def probe(
    index: DuplicateIndex, count: int, *, probes: int, seed: int, rate: float
) -> dict[str, dict[str, float]]:
    """Add times of `probes` more articles of the corpus, one at a time, at the final size."""
    times: dict[str, list[float]] = {"add": [], "add_cpu": [], "fingerprint_and_add": []}
    for ordinal in range(count, count + probes):
        text = str(corpus_article(ordinal, seed=seed, duplicate_rate=rate)["text"])
        started = time.perf_counter()
        fp = fingerprint(text)
        before_add, before_add_cpu = time.perf_counter(), time.thread_time()
        index.add(f"dup-{ordinal:07d}", fp)
        done_cpu, done = time.thread_time(), time.perf_counter()
        times["add"].append(done - before_add)
        times["add_cpu"].append(done_cpu - before_add_cpu)
        times["fingerprint_and_add"].append(done - started)
    return {f"{name}_ms": _quantiles_ms(values) for name, values in times.items()}


def _quantiles_ms(seconds: Sequence[float]) -> dict[str, float]:
    ordered = sorted(seconds)
    if not ordered:
        return {}
    return {
        "median": round(1000 * statistics.median(ordered), 3),
        "p95": round(1000 * ordered[int(0.95 * (len(ordered) - 1))], 3),
        "p99": round(1000 * ordered[int(0.99 * (len(ordered) - 1))], 3),
        "max": round(1000 * ordered[-1], 1),
    }


def compare_datasketch(count: int, *, seed: int, rate: float) -> dict[str, float]:
    """Milliseconds per article to MinHash the same shingles with datasketch and with sitroom."""
    from datasketch import MinHash  # type: ignore[import-not-found]

    texts = [str(corpus_article(i, seed=seed, duplicate_rate=rate)["text"]) for i in range(count)]
    shingle_sets = []
    for text in texts:
        words = normalise(text)
        grams = (" ".join(words[i : i + SHINGLE_WORDS]) for i in range(len(words)))
        shingle_sets.append([gram.encode() for gram in grams])
    started = time.perf_counter()
    for shingles in shingle_sets:
        sketch = MinHash(num_perm=PERMUTATIONS)
        sketch.update_batch(shingles)
    datasketch = time.perf_counter() - started
    started = time.perf_counter()
    for text in texts:
        fingerprint(text)
    ours = time.perf_counter() - started
    return {
        "datasketch MinHash.update_batch (shingles given)": round(1000 * datasketch / count, 3),
        "sitroom fingerprint (from raw text)": round(1000 * ours / count, 3),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--duplicate-rate", type=float, default=0.2)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--probe", type=int, default=5000, help="articles timed at final size")
    parser.add_argument("--corpus-dir", type=Path, help="where the chunk files go (default: tmp)")
    parser.add_argument("--compare-datasketch", action="store_true")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    if args.compare_datasketch:
        results: dict[str, object] = {
            **compare_datasketch(args.articles, seed=args.seed, rate=args.duplicate_rate)
        }
    else:
        results = _run(args)
    print(json.dumps(results, indent=2))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _run(args: argparse.Namespace) -> dict[str, object]:
    with tempfile.TemporaryDirectory() as scratch:
        directory = args.corpus_dir or Path(scratch)
        generated = generate(
            directory, args.articles, seed=args.seed, rate=args.duplicate_rate, workers=args.workers
        )
        index, detected = detect(directory, args.articles, workers=args.workers)
    probed = probe(
        index, args.articles, probes=args.probe, seed=args.seed, rate=args.duplicate_rate
    )
    return {
        "articles": args.articles,
        "duplicate_rate": args.duplicate_rate,
        "workers": args.workers,
        "generate": generated,
        "detect": detected,
        "at_final_size": probed,
    }


if __name__ == "__main__":
    main()
