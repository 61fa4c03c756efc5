"""Batch ingest: read sources, extract each new article once, store in transactional batches."""

from __future__ import annotations

import datetime as dt
import itertools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace

from sitroom.extract import run as run_pipeline
from sitroom.model import Article, Extraction
from sitroom.sources import InputFormat, ReadStats, read_articles
from sitroom.store import AddResult, Store

__all__ = ["DEFAULT_BATCH_SIZE", "ExtractFn", "IngestReport", "extract_paths", "ingest"]

logger = logging.getLogger(__name__)

#: What turns an article into its facts; `sitroom.extract.run` unless another is given.
ExtractFn = Callable[[Article], Extraction]
Paths = Iterable[str | os.PathLike[str]]
#: Articles per transaction: large enough to amortise the commit, small enough to lose little.
DEFAULT_BATCH_SIZE = 100


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
) -> IngestReport:
    """Read, extract and store every article of `paths`; each batch is one transaction.

    When an input or an extractor fails, batches already committed stay and the batch in
    progress is not written; running the same ingest again skips what is stored.
    """
    if batch_size < 1:
        raise ValueError(f"batch_size must be at least 1, got {batch_size}")
    run = extract if extract is not None else run_pipeline
    stats = ReadStats()
    articles = read_articles(
        paths, input_format=input_format, published=published, skip_bad=skip_bad, stats=stats
    )
    report = IngestReport()
    for batch in _batches(articles, batch_size):
        result = _store_batch(batch, store=store, extract=run)
        report = IngestReport(
            read=report.read + len(batch),
            added=report.added + result.added,
            present=report.present + len(batch) - result.added,
            skipped=stats.skipped,
            facts=report.facts + result.facts,
            batches=report.batches + 1,
            duplicates=report.duplicates + result.duplicates,
            incidents=report.incidents + result.incidents,
        )
        logger.info("batch %d stored: %s", report.batches, report)
        if progress is not None:
            progress(report)
    # Bad lines read after the last batch was stored are counted only here.
    return replace(report, skipped=stats.skipped)


def extract_paths(
    paths: Paths,
    *,
    extract: ExtractFn | None = None,
    input_format: InputFormat | None = None,
    published: dt.date | None = None,
    skip_bad: bool = False,
    stats: ReadStats | None = None,
) -> Iterator[Extraction]:
    """The extraction of every article of `paths`, one at a time, storing nothing."""
    run = extract if extract is not None else run_pipeline
    articles = read_articles(
        paths, input_format=input_format, published=published, skip_bad=skip_bad, stats=stats
    )
    for article in articles:
        yield run(article)


def _store_batch(batch: list[Article], *, store: Store, extract: ExtractFn) -> AddResult:
    # Stored articles are not extracted again: re-running an ingest costs only the reading.
    # The store links duplicates and files incidents in the same transaction as the batch.
    present = store.present_ids(article.id for article in batch)
    new = {article.id: article for article in batch if article.id not in present}
    return store.add([extract(article) for article in new.values()])


def _batches(articles: Iterable[Article], size: int) -> Iterator[list[Article]]:
    iterator = iter(articles)
    while batch := list(itertools.islice(iterator, size)):
        yield batch
