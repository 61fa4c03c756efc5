"""The server's connections to the store: a few reading threads and one writing thread.

A SQLite connection belongs to the thread that opened it, and one connection runs one query at
a time. So each thread here opens its own store and keeps it: reads spread over `READERS`
threads (SQLite in WAL mode lets readers run side by side, and it releases the GIL while it
searches; PostgreSQL gives each its own backend), and writes queue on a thread of their own, so
a list query never waits behind an ingest, nor behind another slow list query.
"""

from __future__ import annotations

import asyncio
import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future
from typing import Any, TypeVar

from sitroom.store import Store, open_store
from sitroom.web.answers import ANSWER_CACHE_BYTES, AnswerCache, Flights
from sitroom.web.memo import ViewMemo

__all__ = ["READERS", "StorePool", "shares_one_database"]

logger = logging.getLogger(__name__)

T = TypeVar("T")

#: Reading threads. More would not help: the Python half of a read (rows to facts to JSON)
#: holds the GIL, and at four the SQL half of the others already runs beside it.
READERS = 4

_Job = tuple[Callable[[Store], Any], "Future[Any]"]


def shares_one_database(url: str) -> bool:
    """Whether every connection opened on `url` is a new empty database (`:memory:`)."""
    return url.removeprefix("sqlite://").removeprefix("/") in {":memory:", ""}


class _Workers:
    """Threads taking jobs from one queue; each opens its own store as it starts (`eager`) or
    on its first job."""

    def __init__(self, url: str, *, threads: int, name: str, eager: bool) -> None:
        self._url = url
        self._eager = eager
        self._jobs: queue.SimpleQueue[_Job | None] = queue.SimpleQueue()
        self._threads = [
            threading.Thread(target=self._serve, name=f"{name}-{i}", daemon=True)
            for i in range(threads)
        ]
        for thread in self._threads:
            thread.start()

    def submit(self, work: Callable[[Store], T]) -> Future[T]:
        """`work(store)` on one of the threads, as soon as one is free."""
        future: Future[T] = Future()
        self._jobs.put((work, future))
        return future

    def close(self) -> None:
        """Let each thread finish the jobs queued before, close its store and end."""
        for _ in self._threads:
            self._jobs.put(None)
        for thread in self._threads:
            thread.join()

    def _serve(self) -> None:
        store = self._open() if self._eager else None
        try:
            while (job := self._jobs.get()) is not None:
                work, future = job
                if not future.set_running_or_notify_cancel():
                    continue
                try:
                    # A store that could not be opened fails this job (a StoreError: 503)
                    # and is tried again on the next.
                    if store is None:
                        store = open_store(self._url)
                    future.set_result(work(store))
                except BaseException as exc:
                    future.set_exception(exc)
        finally:
            if store is not None:
                store.close()

    def _open(self) -> Store | None:
        # Opened as the thread starts, so the first requests do not wait for it, and here,
        # so that the connection belongs to this thread. Counting reads every table once:
        # the first count on a new connection of a large store takes a quarter of a second
        # (100,000 articles), and the first request would pay it (the answers check counts).
        store = None
        try:
            store = open_store(self._url)
            store.counts()
        except Exception as exc:
            logger.warning("%s: %s", threading.current_thread().name, exc)
        return store


class StorePool:
    """Runs functions of the store on reading threads (`run`) or the writing thread (`write`).

    The writer's store is opened first, so a store that cannot be opened (or migrated) is an
    error at start-up; then the readers open theirs, in the background. An in-memory store has
    one connection only, so it is read and written on the one thread. `memo` keeps costly views of
    the store and `answers` finished answers (none with `cache_bytes=0`); the threads share both.
    `flights` is the answers being computed, awaited by whoever asks for one meanwhile.
    """

    def __init__(
        self, url: str, *, readers: int = READERS, cache_bytes: int = ANSWER_CACHE_BYTES
    ) -> None:
        self.memo = ViewMemo()
        self.answers = AnswerCache(max_bytes=cache_bytes)
        self.flights = Flights()
        self._closed = False
        self._writer = _Workers(url, threads=1, name="sitroom-store-write", eager=False)
        try:
            self._writer.submit(lambda store: None).result()
        except BaseException:
            self._writer.close()
            raise
        if shares_one_database(url):
            self._readers = self._writer
        else:
            self._readers = _Workers(
                url, threads=max(1, readers), name="sitroom-store-read", eager=True
            )

    async def run(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on a reading thread; the event loop goes on meanwhile."""
        return await asyncio.wrap_future(self._readers.submit(work))

    async def write(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on the writing thread, after the writes asked for before it."""
        return await asyncio.wrap_future(self._writer.submit(work))

    def call(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on a reading thread, waiting for it (for code outside the loop)."""
        return self._readers.submit(work).result()

    def close(self) -> None:
        """Close every connection and stop the threads; closing twice is harmless."""
        if self._closed:
            return
        self._closed = True
        if self._readers is not self._writer:
            self._readers.close()
        self._writer.close()
