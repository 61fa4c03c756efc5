"""Dask backfill: articles extracted by Dask workers in parallel, stored by the ingest in order.

The ingest (`sitroom.engine.ingest`) reads the input once, here in the client, skips what the
store holds, and hands each batch of new articles to this engine, which submits it to the
cluster and yields the batches' extractions back in input order while the workers run ahead.
Reading in the client means every source the local engine reads (files, directories, feeds,
URLs, stdin) works unchanged, and the workers of a remote scheduler need no access to the
client's files; the store stays single-writer, written only by the client.

Dask is an optional dependency (`sitroom[dask]`): this module imports it only when an engine
starts, so `import sitroom` and the CLI stay light.
"""

from __future__ import annotations

import logging
import os
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sitroom.engine import ExtractBatches, ExtractFn
from sitroom.errors import SitroomError
from sitroom.model import Article, Extraction

if TYPE_CHECKING:
    from distributed import Client

__all__ = ["BATCHES_PER_WORKER", "DaskEngine", "dask_engine", "default_workers", "require_dask"]

logger = logging.getLogger(__name__)

#: Batches in flight per worker: one running, one queued behind it so no worker waits for
#: the client, and no more, so a large backfill holds only a few batches in memory.
BATCHES_PER_WORKER = 2

_MISSING = (
    "the dask engine needs the packages dask and distributed; install them with "
    "`pip install 'sitroom[dask]'`, or ingest with the default engine (--engine local)"
)


def require_dask() -> None:
    """Import Dask's distributed scheduler, or say clearly how to install it."""
    try:
        import distributed  # noqa: F401
    except ImportError as exc:
        raise SitroomError(_MISSING) from exc


def default_workers() -> int:
    """Workers of a local cluster when none is asked for: one per core this process may use."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class DaskEngine:
    """An `ExtractBatches` running on a Dask client; `workers` is the cluster's thread count."""

    client: Client
    workers: int
    extract: ExtractFn | None = None

    def __call__(self, batches: Iterable[Sequence[Article]]) -> Iterator[list[Extraction]]:
        """Each batch's extractions in the batches' order, with later batches in flight."""
        window = max(1, self.workers * BATCHES_PER_WORKER)
        in_flight: deque[Any] = deque()  # a future, or [] for a batch with nothing new
        try:
            for batch in batches:
                in_flight.append(self._submit(batch) if batch else [])
                if len(in_flight) >= window:
                    yield _result(in_flight.popleft())
            while in_flight:
                yield _result(in_flight.popleft())
        finally:
            # A failed or abandoned ingest leaves no work running on a shared cluster.
            pending = [f for f in in_flight if not isinstance(f, list)]
            if pending:
                self.client.cancel(pending)  # type: ignore[no-untyped-call]

    def _submit(self, batch: Sequence[Article]) -> Any:
        # pure=False: a batch is never served from another ingest's cached result.
        return self.client.submit(_extract_batch, list(batch), self.extract, pure=False)


def dask_engine(
    *,
    scheduler: str | None = None,
    workers: int | None = None,
    extract: ExtractFn | None = None,
    cleanup: ExitStack,
) -> ExtractBatches:
    """An engine on the Dask cluster at `scheduler`, or on a local cluster of `workers`
    processes (one per core by default); `cleanup` closes what it starts."""
    if workers is not None and workers < 1:
        raise ValueError(f"workers must be at least 1, got {workers}")
    require_dask()
    from distributed import Client, LocalCluster

    if scheduler is not None:
        try:
            client = cleanup.enter_context(Client(scheduler))  # type: ignore[no-untyped-call]
        except (OSError, ValueError) as exc:
            raise SitroomError(
                f"{scheduler}: cannot reach the Dask scheduler ({exc}); check the address, or "
                f"leave out --scheduler to extract on a local cluster"
            ) from exc
        threads = sum(client.nthreads().values())
        logger.info("dask scheduler %s: %d worker thread(s)", scheduler, threads)
        return DaskEngine(client=client, workers=max(1, threads), extract=extract)
    count = workers if workers is not None else default_workers()
    # One thread per process: extraction is pure Python and holds the GIL.
    cluster = cleanup.enter_context(
        LocalCluster(  # type: ignore[no-untyped-call]
            n_workers=count,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            # Its HTTP endpoints on any free port: two backfills on one machine never clash.
            scheduler_kwargs={"dashboard_address": ":0"},
            silence_logs=logging.WARNING,
        )
    )
    client = cleanup.enter_context(Client(cluster))  # type: ignore[no-untyped-call]
    logger.info("local dask cluster: %d worker process(es)", count)
    return DaskEngine(client=client, workers=count, extract=extract)


def _extract_batch(articles: list[Article], extract: ExtractFn | None) -> list[Extraction]:
    """Runs on a worker: the default pipeline loads once per worker process, on first use.

    The batch comes back prepared for storing (fingerprints and band keys taken, a quarter
    of a millisecond an article): the client, the single writer, then only writes.
    """
    from sitroom.store.prepare import prepare_batch

    if extract is None:
        from sitroom.extract import default_pipeline

        return prepare_batch(default_pipeline().run_many(articles))
    return prepare_batch(extract(article) for article in articles)


def _result(item: Any) -> list[Extraction]:
    if isinstance(item, list):
        return item
    extractions: list[Extraction] = item.result()
    return extractions
