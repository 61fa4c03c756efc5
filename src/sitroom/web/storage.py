"""One thread that owns the store, so every query runs where its SQLite connection was made."""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sitroom.store import Store, open_store
from sitroom.web.memo import ViewMemo

__all__ = ["StoreThread"]

T = TypeVar("T")


class StoreThread:
    """Runs functions of the store on one worker thread; the event loop never waits on SQL.

    A SQLite connection belongs to the thread that opened it, and one connection serialises
    its queries anyway: one thread keeps both facts true without a lock. `memo` keeps costly
    views of the store; it too is only used by functions run here.
    """

    def __init__(self, url: str) -> None:
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="sitroom-store")
        self._closed = False
        self.memo = ViewMemo()
        try:
            self._store = self._executor.submit(open_store, url).result()
        except BaseException:
            self._executor.shutdown(wait=False)
            raise

    async def run(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on the store's thread."""
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, work, self._store)

    def call(self, work: Callable[[Store], T]) -> T:
        """`work(store)` on the store's thread, waiting for it (for code outside the loop)."""
        return self._executor.submit(work, self._store).result()

    def close(self) -> None:
        """Close the store and stop the thread; closing twice is harmless."""
        if not self._closed:
            self._closed = True
            self._executor.submit(self._store.close).result()
            self._executor.shutdown()
