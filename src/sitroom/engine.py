"""Batch ingest: read sources, extract each new article once, store in transactional batches."""

from __future__ import annotations

import datetime as dt
import gc
import itertools
import logging
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import AbstractContextManager, contextmanager, nullcontext
from dataclasses import dataclass, replace
from typing import Protocol, runtime_checkable

from sitroom.extract import default_pipeline
from sitroom.extract import run as run_pipeline
from sitroom.model import Article, Extraction
from sitroom.sources import STDIN, InputFormat, ReadStats, read_articles
from sitroom.store import AddResult, Store

__all__ = [
    "DEFAULT_BATCH_SIZE",
    "INGEST_GC_THRESHOLD",
    "ExtractBatches",
    "ExtractFn",
    "IngestReport",
    "StoreBatches",
    "StoringEngine",
    "collecting_less",
    "extract_in_process",
    "extract_paths",
    "ingest",
]

logger = logging.getLogger(__name__)

#: What turns an article into its facts; `sitroom.extract.run` unless another is given.
ExtractFn = Callable[[Article], Extraction]
Paths = Iterable[str | os.PathLike[str]]
#: What extracts batches of articles: one list of extractions per batch, in the batches' order.
#: It may read batches ahead of the one it yields (a parallel engine does), never reorder them.
ExtractBatches = Callable[[Iterable[Sequence[Article]]], Iterator[list[Extraction]]]
#: What extracts batches and stores each where it was extracted: one result per batch, in the
#: batches' order, each batch committed in that order before the next one is written.
StoreBatches = Callable[[Iterable[Sequence[Article]]], Iterator[AddResult]]
#: Articles per transaction: large enough to amortise the commit, small enough to lose little.
#: Band keys and fact ids are random, so a batch dirties index pages all over the store and a
#: commit writes each page once however many rows it took (store of 60,000 articles, adding
#: 3,000 more: COMMIT 1.52 ms CPU per article in batches of 100, 0.40 in batches of 2,000).
DEFAULT_BATCH_SIZE = 1000
#: Allocations between collections of the youngest generation while an ingest runs; CPython's
#: default is 700. Extraction and storing make and drop millions of small objects, almost none
#: in cycles: 4,000 generated articles extracted three times with each threshold took 36 ms
#: of collections per 1,000 articles at 700 and 11 ms at 20,000 (0.97 s of CPU per 1,000
#: instead of 1.02). The older generations keep their thresholds, relative to this one.
INGEST_GC_THRESHOLD = 20_000


@dataclass(frozen=True, slots=True)
class IngestReport:
    """Running totals of an ingest: articles read, newly added, already present; bad lines;
    facts stored, new articles that copy a stored one, incidents opened."""

    read: int = 0
    added: int = 0
    present: int = 0
    skipped: int = 0
    facts: int = 0
    batches: int = 0
    duplicates: int = 0
    incidents: int = 0


def ingest(
    paths: Paths,
    *,
    store: Store,
    extract: ExtractFn | None = None,
    batch_size: int = DEFAULT_BATCH_SIZE,
    input_format: InputFormat | None = None,
    published: dt.date | None = None,
    skip_bad: bool = False,
    progress: Callable[[IngestReport], None] | None = None,
    engine: ExtractBatches | None = None,
) -> IngestReport:
    """Read, extract and store every article of `paths`; each batch is one transaction.

    Batches are stored in input order, whatever `engine` extracts them (this process by
    default, with `extract`; `sitroom.backfill.dask_engine` for Dask workers), so duplicate
    links and incidents come out the same; a store that can (a SQLite file, PostgreSQL)
    commits each batch while the next one is extracted. An engine that can store where it
    extracts (a `StoringEngine` whose workers reach `store`) writes each batch there, still
    one after the other in input order; this process then only reads the input. When an
    input or an extractor fails, the batches before it are stored and the batch in progress
    is not written; running the same ingest again skips what is stored.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    extract_batches = engine if engine is not None else extract_in_process(extract)
    store_batches = engine.storing(store) if isinstance(engine, StoringEngine) else None
    stats = ReadStats()
    articles = read_articles(
        paths, input_format=input_format, published=published, skip_bad=skip_bad, stats=stats
    )
    # How many articles each batch read, oldest first: an engine may read batches ahead.
    read_counts: deque[int] = deque()

    def new_articles() -> Iterator[list[Article]]:
        for batch in _batches(articles, batch_size):
            read_counts.append(len(batch))
            yield _unstored(batch, store=store)

    report = IngestReport()
    # A commit overlaps this process's own extraction; beside a parallel engine's client it
    # only contended for the GIL (Dask, 5,000 articles: 2 workers 297 -> 259 articles/s).
    write = _add_now(store)
    if engine is None and isinstance(store, _CommitsSoon):
        write = store.add_soon
    committing: Future[AddResult] | None = None

    def confirm() -> None:
        # The batch's commit is done: count it. Batches are confirmed in input order.
        nonlocal report, committing
        done, committing = committing, None
        if done is None:
            return
        result, read = done.result(), read_counts.popleft()
        report = IngestReport(
            read=report.read + read,
            added=report.added + result.added,
            present=report.present + read - result.added,
            skipped=stats.skipped,
            facts=report.facts + result.facts,
            batches=report.batches + 1,
            duplicates=report.duplicates + result.duplicates,
            incidents=report.incidents + result.incidents,
        )
        logger.info("batch %d stored: %s", report.batches, report)
        if progress is not None:
            progress(report)

    # A long ingest holds the store's listing indexes back and builds them once at its end.
    with collecting_less(), _bulk_load(store):
        try:
            if store_batches is not None:
                # Each result comes back committed, by the worker that extracted the batch.
                for result in store_batches(new_articles()):
                    committing = _done(result)
                    confirm()
            else:
                for extractions in extract_batches(new_articles()):
                    confirm()
                    # The store links duplicates and files incidents in the same transaction
                    # as the batch; its commit may run while the next batch is extracted.
                    committing = write(extractions)
        except Exception:
            confirm()  # a batch written before the failure is stored, and counted
            raise
        confirm()
    # Bad lines read after the last batch was stored are counted only here.
    return replace(report, skipped=stats.skipped)


@runtime_checkable
class StoringEngine(Protocol):
    """An `ExtractBatches` that can also store each batch where it extracts it, so that the
    writing spreads over its workers instead of waiting on this process (`sitroom.backfill`)."""

    def __call__(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Extraction]]: ...

    def storing(self, store: Store) -> StoreBatches | None:
        """What stores batches into `store` where they are extracted; None when the engine's
        workers cannot reach it (an in-memory store, a file on another machine)."""
        ...


@runtime_checkable
class _CommitsSoon(Protocol):
    """A store whose commit may overlap what comes next (`SQLStore.add_soon`)."""

    def add_soon(self, extractions: Iterable[Extraction]) -> Future[AddResult]: ...


@runtime_checkable
class _LoadsInBulk(Protocol):
    """A store that can hold indexes back through many batches (`SQLStore.bulk`)."""

    def bulk(self) -> AbstractContextManager[None]: ...


_collecting_less_lock = threading.Lock()
#: Ingests running in this process, and the thresholds the first one found.
_collecting_less_depth = 0
_thresholds_before: tuple[int, ...] = ()


@contextmanager
def collecting_less() -> Iterator[None]:
    """The youngest generation collected every `INGEST_GC_THRESHOLD` allocations until the
    last of the process's ingests ends, then CPython's thresholds as they were."""
    global _collecting_less_depth, _thresholds_before
    with _collecting_less_lock:
        if _collecting_less_depth == 0:
            _thresholds_before = gc.get_threshold()
            gc.set_threshold(INGEST_GC_THRESHOLD, *_thresholds_before[1:])
        _collecting_less_depth += 1
    try:
        yield
    finally:
        with _collecting_less_lock:
            _collecting_less_depth -= 1
            if _collecting_less_depth == 0:
                gc.set_threshold(*_thresholds_before)


def _bulk_load(store: Store) -> AbstractContextManager[None]:
    return store.bulk() if isinstance(store, _LoadsInBulk) else nullcontext()


def _add_now(store: Store) -> Callable[[list[Extraction]], Future[AddResult]]:
    def add(extractions: list[Extraction]) -> Future[AddResult]:
        return _done(store.add(extractions))

    return add


def _done(result: AddResult) -> Future[AddResult]:
    done: Future[AddResult] = Future()
    done.set_result(result)
    return done


def extract_in_process(extract: ExtractFn | None = None) -> ExtractBatches:
    """The single-process engine: each batch extracted here, when the ingest reaches it."""

    def extract_batches(batches: Iterable[Sequence[Article]]) -> Iterator[list[Extraction]]:
        for batch in batches:
            if extract is None:
                # Each component over the whole batch before the next: a sixth faster.
                yield list(default_pipeline().run_many(batch))
            else:
                yield [extract(article) for article in batch]

    return extract_batches


def extract_paths(
    paths: Paths,
    *,
    extract: ExtractFn | None = None,
    input_format: InputFormat | None = None,
    published: dt.date | None = None,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
) -> Iterator[Extraction]:
    """The extraction of every article of `paths`, in order, storing nothing.

    Files are extracted in batches (`Pipeline.run_many`, a fifth faster); standard input one
    article at a time, so a pipe fed as news arrives gets each answer at once.
    """
    paths = list(paths)
    articles = read_articles(
        paths, input_format=input_format, published=published, skip_bad=skip_bad, stats=stats
    )
    if extract is not None or any(os.fspath(path) == STDIN for path in paths):
        run = extract if extract is not None else run_pipeline
        for article in articles:
            yield run(article)
        return
    yield from default_pipeline().run_many(articles)


def _unstored(batch: list[Article], *, store: Store) -> list[Article]:
    # Stored articles are not extracted again: re-running an ingest costs only the reading.
    present = store.present_ids(article.id for article in batch)
    new = {article.id: article for article in batch if article.id not in present}
    return list(new.values())


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
