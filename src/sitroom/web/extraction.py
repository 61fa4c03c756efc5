"""Where `POST /api/extract` runs: a bounded pool of its own, apart from the store's threads.

Extraction is pure Python and holds the GIL for milliseconds at a time. Run on the threads
that read the store, or on the event loop's default pool, it makes every list query wait
behind it; here it runs on one thread of its own or, with `processes`, in worker processes
that have their own GIL (and use a second core). Past `max_waiting` extractions waiting, more
are refused at once with a clear 503 rather than queued without end. A worker process that
dies (killed, out of memory) breaks its whole pool for good, so the pool is made anew and the
extraction tried once more on it.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import threading
from concurrent.futures import Executor, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass
from multiprocessing import get_context

__all__ = [
    "MAX_WAITING",
    "ExtractJob",
    "ExtractPool",
    "ExtractorDied",
    "PoolBusy",
    "extract_json",
]

#: Extractions waiting or running at most; each is milliseconds of work, so a full queue is
#: seconds of it, and a client is better told to come back.
MAX_WAITING = 512
#: A short text whose extraction loads what extraction loads once (gazetteer, patterns).
_WARM_UP = "Shelling killed 3 people in Kharkiv on Monday."


class PoolBusy(Exception):
    """Too many extractions are waiting; the client should retry later."""


class ExtractorDied(Exception):
    """The worker process died while extracting, on a fresh pool too."""


@dataclass(frozen=True, slots=True)
class ExtractJob:
    """One article to extract facts from, as the API received it."""

    text: str
    published: dt.date | None = None
    id: str | None = None
    url: str | None = None
    title: str | None = None


def extract_json(job: ExtractJob) -> bytes:
    """The extraction of `job` as the contract's JSON, UTF-8 (run in the pool's workers)."""
    import sitroom

    result = sitroom.extract(
        job.text, published=job.published, id=job.id, url=job.url, title=job.title
    )
    return json.dumps(result.to_dict(), ensure_ascii=False, separators=(",", ":")).encode()


def _warm() -> None:
    extract_json(ExtractJob(_WARM_UP))


class ExtractPool:
    """Runs extractions on one thread (`processes=0`) or in `processes` worker processes.

    The pool is made on first use, or by `start`, which also loads what extraction needs in
    each worker so the first request does not pay for it.
    """

    def __init__(self, *, processes: int = 0, max_waiting: int = MAX_WAITING) -> None:
        self._processes = processes
        #: Extractions waiting or running past which more are refused (PoolBusy).
        self.max_waiting = max_waiting
        self._waiting = 0
        self._lock = threading.Lock()
        self._executor: Executor | None = None

    def start(self) -> None:
        """Make the pool now and warm its workers up in the background."""
        executor = self._pool()
        for _ in range(max(1, self._processes)):
            executor.submit(_warm)

    async def extract(self, job: ExtractJob) -> bytes:
        """The extraction's JSON; PoolBusy when `max_waiting` are already waiting."""
        if self._waiting >= self.max_waiting:
            raise PoolBusy(f"{self._waiting} extractions are waiting; try again in a second")
        self._waiting += 1  # only ever changed on the event loop's thread
        try:
            try:
                return await self._run(job)
            except BrokenProcessPool:
                pass
            try:
                return await self._run(job)  # on the pool made anew by the first try
            except BrokenProcessPool:
                raise ExtractorDied(
                    "the extraction worker stopped twice while extracting this article"
                ) from None
        finally:
            self._waiting -= 1

    async def _run(self, job: ExtractJob) -> bytes:
        executor = self._pool()
        try:
            return await asyncio.wrap_future(executor.submit(extract_json, job))
        except BrokenProcessPool:
            self._discard(executor)
            raise

    def close(self) -> None:
        """Stop the workers, dropping extractions not begun; closing twice is harmless."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def _discard(self, broken: Executor) -> None:
        # Only the pool that broke: a request that failed late must not drop the new one.
        with self._lock:
            if self._executor is broken:
                self._executor = None
        broken.shutdown(wait=False, cancel_futures=True)

    def _pool(self) -> Executor:
        with self._lock:
            if self._executor is None:
                self._executor = self._make()
            return self._executor

    def _make(self) -> Executor:
        if self._processes <= 0:
            return ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitroom-extract")
        # Spawned, not forked: the server has threads, and a fork copies their locks held.
        return ProcessPoolExecutor(self._processes, mp_context=get_context("spawn"))
