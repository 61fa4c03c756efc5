"""Costly whole-store views kept between requests while the store holds the same facts."""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Hashable
from typing import TypeVar, cast

from sitroom.store import Counts, Store

__all__ = ["ViewMemo"]

T = TypeVar("T")


class ViewMemo:
    """The last few results of costly views (incident scans, figure series) by what was asked.

    The page asks for the map and the timeline of one incident scan, and for two measures'
    figure series of one set of claims, in the same moment: each is computed once. Results are
    dropped when this server writes (`forget`) and when the store's counts are found changed
    (another process wrote); the counts are read at most every `recheck` seconds, since
    counting is not free on every backend. Used on the store's thread only: it needs no lock.
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
        self._counts: Counts | None = None
        self._checked: float | None = None
        self._results: OrderedDict[Hashable, object] = OrderedDict()

    def get(self, store: Store, key: Hashable, compute: Callable[[], T]) -> T:
        """The result kept for `key`, or `compute()`'s, kept while the store is unchanged."""
        self._check(store)
        if key in self._results:
            self._results.move_to_end(key)
            return cast(T, self._results[key])
        result = compute()
        self._results[key] = result
        if len(self._results) > self._size:
            self._results.popitem(last=False)
        return result

    def forget(self) -> None:
        """Drop every kept result: the store was just written to."""
        self._results.clear()
        self._counts = None
        self._checked = None

    def _check(self, store: Store) -> None:
        now = self._clock()
        if self._checked is not None and now - self._checked < self._recheck:
            return
        self._checked = now
        counts = store.counts()
        if counts != self._counts:
            self._results.clear()
            self._counts = counts
