"""Costly whole-store views kept between requests while the store holds the same facts."""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import TypeVar, cast

from sitroom.store import Counts, Store

__all__ = ["ViewMemo"]

T = TypeVar("T")


class ViewMemo:
    """The last few results of costly views (incident scans, figure series) by what was asked.

    The page asks for the map and the timeline of one incident scan, and for two measures'
    figure series of one set of claims, in the same moment: each is computed once, and a thread
    asking while another computes waits for that result. Results are dropped when this server
    writes (`forget`) and when the store's counts are found changed (another process wrote);
    the counts are read at most every `recheck` seconds, since counting is not free on every
    backend. `generation` names the store's state as seen: it moves on whenever what was kept
    is dropped, so other caches can key on it. Safe to share between threads.
    """

    def __init__(
        self,
        *,
        size: int = 8,
        recheck: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._size = size
        self._recheck = recheck
        self._clock = clock
        self._lock = threading.Lock()
        self._counts: Counts | None = None
        self._checked: float | None = None
        self._generation = 0
        self._results: OrderedDict[Hashable, object] = OrderedDict()
        self._pending: dict[tuple[int, Hashable], Future[object]] = {}

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key`, or `compute()`'s, kept while the store is unchanged."""
        generation = self.generation(store)
        with self._lock:
            if key in self._results:
                self._results.move_to_end(key)
                return cast(T, self._results[key])
            pending = self._pending.get((generation, key))
            computing = pending is None
            if pending is None:
                pending = self._pending[(generation, key)] = Future()
        if not computing:
            return cast(T, pending.result())
        try:
            result = compute()
        except BaseException as exc:
            pending.set_exception(exc)
            raise
        finally:
            with self._lock:
                del self._pending[(generation, key)]
        pending.set_result(result)
        self._keep(generation, key, result)
        return result

    def generation(self, store: Store) -> int:
        """The store's state as seen, its counts read again if `recheck` seconds have passed."""
        now = self._clock()
        with self._lock:
            if self._checked is not None and now - self._checked < self._recheck:
                return self._generation
            # Claimed before counting, so that the other threads go on meanwhile.
            self._checked = now
            seen = self._generation
        counts = store.counts()
        with self._lock:
            if counts != self._counts:
                self._counts = counts
                if self._generation == seen:
                    self._drop()
            return self._generation

    def recent_generation(self) -> int | None:
        """The generation if the counts were read less than `recheck` seconds ago, else None."""
        now = self._clock()
        with self._lock:
            if self._checked is None or now - self._checked >= self._recheck:
                return None
            return self._generation

    @property
    def last_generation(self) -> int:
        """The generation as last seen, without counting (it may be due to be counted again)."""
        return self._generation

    def forget(self) -> None:
        """Drop every kept result: the store was just written to."""
        with self._lock:
            self._drop()
            self._counts = None
            self._checked = None

    def _drop(self) -> None:
        self._results.clear()
        self._generation += 1

    def _keep(self, generation: int, key: Hashable, result: object) -> None:
        with self._lock:
            if generation != self._generation:
                return  # computed from a store that has changed since: keep nothing
            self._results[key] = result
            if len(self._results) > self._size:
                self._results.popitem(last=False)
