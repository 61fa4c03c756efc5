"""The view memo: one computation per question while the store is unchanged, none after it."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import sitroom
from sitroom.web.memo import ViewMemo


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def _article(text: str) -> sitroom.Extraction:
    return sitroom.extract(text, published="2022-05-03")


def test_a_view_is_computed_once_until_the_store_is_seen_changed() -> None:
    store = sitroom.open_store(":memory:")
    clock = Clock()
    memo = ViewMemo(recheck=1.0, clock=clock)
    calls: list[str] = []

    def compute() -> str:
        calls.append("a")
        return "A"

    assert memo.get(store, "a", compute) == memo.get(store, "a", compute) == "A"
    assert len(calls) == 1
    store.add([_article("Shelling killed 3 people in Kharkiv.")])
    memo.get(store, "a", compute)
    assert len(calls) == 1, "the counts are read again only after `recheck` seconds"
    clock.now = 1.0
    memo.get(store, "a", compute)
    assert len(calls) == 2, "another writer's articles drop what was kept"
    memo.forget()
    memo.get(store, "a", compute)
    assert len(calls) == 3, "this server's own writes drop it at once"


def test_the_memo_keeps_only_the_latest_few_views() -> None:
    store = sitroom.open_store(":memory:")
    memo = ViewMemo(size=2)
    calls: list[str] = []
    for key in ("a", "b", "a", "c", "b", "a"):
        memo.get(store, key, lambda key=key: calls.append(key) or key)
    # "a", asked for again, outlives "b"; then "c" and "b" push it out.
    assert calls == ["a", "b", "c", "b", "a"]


def test_threads_asking_for_one_view_at_once_compute_it_once() -> None:
    store = sitroom.open_store(":memory:")
    memo = ViewMemo(clock=Clock())  # time stands still: the threads never count again
    memo.generation(store)  # counted here: the store's connection belongs to this thread
    started, release = threading.Event(), threading.Event()
    calls: list[str] = []

    def compute() -> str:
        calls.append("a")
        started.set()
        release.wait(timeout=10)
        return "A"

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(memo.get, store, "a", compute)
        started.wait(timeout=10)
        second = pool.submit(memo.get, store, "a", compute)
        time.sleep(0.05)  # the second is waiting for the first's result by now
        release.set()
        assert first.result() == second.result() == "A"
    assert calls == ["a"]


def test_a_view_computed_while_the_store_was_written_is_not_kept() -> None:
    store = sitroom.open_store(":memory:")
    memo = ViewMemo()
    before = memo.generation(store)

    def compute() -> str:
        memo.forget()  # this server wrote while the view was computed
        return "old"

    assert memo.get(store, "a", compute) == "old"
    assert memo.generation(store) != before
    assert memo.get(store, "a", lambda: "new") == "new"


def test_the_generation_is_told_without_counting_only_while_recent() -> None:
    store = sitroom.open_store(":memory:")
    clock = Clock()
    memo = ViewMemo(recheck=1.0, clock=clock)
    assert memo.recent_generation() is None, "never counted"
    generation = memo.generation(store)
    assert memo.recent_generation() == generation
    clock.now = 1.0
    assert memo.recent_generation() is None, "due to be counted again"
    store.add([_article("Shelling killed 3 people in Kharkiv.")])
    assert memo.generation(store) == generation + 1
